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
