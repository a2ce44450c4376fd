//! The demo workshop every new user opens first: it loads, validates, and shows the
//! method in use (the IP chamber case the method was built on).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::collections::HashSet;
use std::path::Path;

use riskroom::domain::{Category, Stage};
use riskroom::store;

const DEMO: &str = "sessions/ip-chamber.ron";

#[test]
fn the_demo_loads_and_validates() {
    let s = store::load(Path::new(DEMO)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.title.is_empty() && !s.organisation.is_empty() && !s.scope.is_empty());
    assert!(s.participants.len() >= 4);
}

#[test]
fn the_demo_is_a_real_workshop() {
    let s = store::load(Path::new(DEMO)).unwrap();
    assert!(s.assets.len() >= 12, "{} assets", s.assets.len());
    let categories: HashSet<Category> = s.assets.iter().map(|a| a.category).collect();
    assert_eq!(
        categories.len(),
        Category::ALL.len(),
        "every category is used"
    );
    assert!(
        s.failure_modes.len() >= 30,
        "{} failure modes",
        s.failure_modes.len()
    );
    assert!(s.processes.len() >= 4, "{:?}", s.processes);
    assert!(
        s.failure_modes.iter().all(|f| f.process.is_some()),
        "every failure mode belongs to a process record"
    );
    assert!(
        s.assets.iter().any(|a| a
            .name
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "an asset named in Chinese"
    );
    assert!(
        s.failure_modes
            .iter()
            .filter(|f| !f.treatment.is_empty())
            .count()
            >= 5
    );
    assert_eq!(s.pdca.cycle, 2, "in its second cycle");
    assert_eq!(s.pdca.closed_cycles.len(), 1);
    assert!(
        s.pdca
            .history
            .iter()
            .any(|h| h.cycle == 1 && h.stage == Stage::Act)
    );
    assert!(s.pdca.history.is_sorted_by_key(|h| h.at));
}

#[test]
fn the_demo_is_saved_canonically() {
    // What riskroom writes back is what is in the repository, so opening the demo
    // and quitting leaves git clean.
    let text = std::fs::read_to_string(DEMO).unwrap();
    let s = store::parse(&text, Path::new(DEMO)).unwrap();
    assert!(
        store::to_ron(&s) == text,
        "sessions/ip-chamber.ron is not in canonical form"
    );
}

#[test]
fn the_demo_shows_treatments_controls_and_the_circle() {
    use riskroom::domain::{Edition, Threshold, catalogue};
    let s = store::load(Path::new(DEMO)).unwrap();
    let text = std::fs::read_to_string(DEMO).unwrap();
    assert!(
        text.contains("threshold: ("),
        "the threshold is written out"
    );
    assert_eq!(s.threshold, Threshold::default());
    let linked = s.failure_modes.iter().filter(|f| !f.annex_a.is_empty());
    assert!(linked.count() >= 25, "Annex A controls linked");
    let states: HashSet<_> = s
        .failure_modes
        .iter()
        .flat_map(|f| f.annex_a.iter().map(|l| l.state))
        .collect();
    assert_eq!(states.len(), 2, "existing and planned controls");
    assert!(
        s.failure_modes
            .iter()
            .flat_map(|f| &f.annex_a)
            .any(|l| catalogue().get(&l.id).map(|c| c.edition) == Some(Edition::Iso2013)),
        "a 2013 ID is linked too"
    );
    let residuals = s.failure_modes.iter().filter(|f| f.residual().is_some());
    assert!(residuals.count() >= 8, "treatments with residual ratings");
    assert!(
        s.failure_modes
            .iter()
            .any(|f| f.treatment.status.is_closed() && f.residual().is_some()),
        "a Done treatment whose residual becomes the rating at the next close"
    );
    let undecided = s
        .failure_modes
        .iter()
        .filter(|f| s.threshold.needs_decision(f))
        .count();
    assert!((1..=5).contains(&undecided), "{undecided} flagged");
    let overdue = s
        .failure_modes
        .iter()
        .filter(|f| f.treatment.is_overdue(jiff::civil::date(2026, 11, 23)))
        .count();
    assert_eq!(overdue, 2, "overdue on the test clock's day");
    let record = &s.pdca.closed_cycles[0];
    assert!(record.failure_modes.iter().any(|f| !f.annex_a.is_empty()));
    assert!(
        record
            .failure_modes
            .iter()
            .any(|f| f.treatment.status.is_closed())
    );
}

#[test]
fn the_demo_keeps_the_record_of_the_room() {
    use riskroom::domain::log::{Event, check_log};
    let s = store::load(Path::new(DEMO)).unwrap();
    // Participants with their roles, some of them in the room today.
    assert!(s.participants.iter().all(|p| !p.role.trim().is_empty()));
    let present = s.participants.iter().filter(|p| p.present).count();
    assert!(
        (1..s.participants.len()).contains(&present),
        "{present} present"
    );
    assert!(!s.dates.is_empty(), "workshop dates");
    // Processes with the seed form's header.
    assert!(
        s.processes
            .iter()
            .all(|p| !p.team.is_empty() && !p.purpose.is_empty() && !p.owner.is_empty())
    );
    // A decision log across both cycles, in order, with nothing check objects to.
    let cycles: HashSet<u32> = s.log.iter().map(|e| e.cycle).collect();
    assert_eq!(cycles, HashSet::from([1, 2]));
    assert!(s.log.is_sorted_by_key(|e| e.at));
    let clock = jiff::Timestamp::from_second(1_795_424_400).unwrap(); // the tests' 2026-11-23
    assert_eq!(check_log(&s, clock), []);
    let count = |f: fn(&Event) -> bool| s.log.iter().filter(|e| f(&e.event)).count();
    assert!(count(|e| matches!(e, Event::Treatment { .. })) >= 20);
    assert!(count(|e| matches!(e, Event::Stage { .. })) >= 4);
    assert_eq!(count(|e| matches!(e, Event::CycleClosed { cycle: 1 })), 1);
    assert_eq!(count(|e| matches!(e, Event::ParticipantRemoved { .. })), 1);
    assert_eq!(count(|e| matches!(e, Event::Withdrawn { .. })), 1);
    // Signed acceptances, one of them needing re-approval; one by a former
    // participant in the record of cycle 1.
    let signed: Vec<_> = s
        .failure_modes
        .iter()
        .filter(|f| f.sign_off.is_some())
        .collect();
    assert!(signed.len() >= 2);
    let stale = signed
        .iter()
        .filter(|f| f.sign_off.as_ref().unwrap().needs_reapproval(f))
        .count();
    assert_eq!(stale, 1);
    let former = s.pdca.closed_cycles[0]
        .failure_modes
        .iter()
        .filter_map(|f| f.sign_off.as_deref())
        .find(|x| s.participant(&x.by).is_none())
        .expect("a sign-off by a former participant");
    assert!(s.signer(former).ends_with("former participant)"));
    // Parking-lot questions and actions still standing.
    let standing = s.standing_entries();
    let questions = standing
        .iter()
        .filter(|e| matches!(e.event, Event::Question { .. }))
        .count();
    let actions = standing
        .iter()
        .filter(|e| matches!(e.event, Event::Action { .. }))
        .count();
    assert!(
        questions >= 2 && actions >= 2,
        "{questions} questions, {actions} actions"
    );
}
