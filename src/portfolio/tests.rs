use jiff::Timestamp;
use jiff::civil::date;

use super::*;
use crate::domain::{Asset, Category, FailureMode, Status};

fn session(title: &str, ratings: &[(u8, u8, u8)]) -> Session {
    let mut s = Session::new(title, Timestamp::UNIX_EPOCH);
    s.organisation = "ACME".into();
    let a = s.allocate_asset_id().unwrap();
    let mut asset = Asset::new(a, "Server", Category::Hardware);
    (asset.confidentiality, asset.integrity, asset.availability) = (3, 3, 2);
    s.assets.push(asset);
    for (sev, occ, det) in ratings {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, format!("mode {sev}{occ}{det}"));
        (fm.severity, fm.occurrence, fm.detection) = (*sev, *occ, *det);
        fm.asset = Some(a);
        s.failure_modes.push(fm);
    }
    s
}

#[test]
fn a_summary_counts_classes_priorities_and_overdue_treatments() {
    let mut s = session("One", &[(9, 9, 9), (2, 2, 2), (5, 5, 5)]);
    s.failure_modes[0].treatment.due = Some(date(2026, 1, 1));
    s.failure_modes[1].treatment.due = Some(date(2026, 1, 1));
    s.failure_modes[1].treatment.status = Status::Done;
    let sum = summarise(&s, date(2026, 6, 1));
    assert_eq!((sum.assets, sum.classes), (1, [1, 0, 0]));
    assert_eq!(sum.failure_modes, 3);
    assert_eq!(sum.priorities.iter().sum::<usize>(), 3);
    let h = s
        .failure_modes
        .iter()
        .filter(|f| f.ap() == ActionPriority::H)
        .count();
    assert_eq!((sum.priorities[0], h), (1, 1), "9/9/9 is AP H");
    assert_eq!(sum.overdue, 1, "a done treatment is not overdue");
    assert_eq!((sum.cycle, sum.stage), (1, Stage::Plan));
}

#[test]
fn pending_acceptances_are_accepted_risks_at_the_threshold_unsigned_or_changed_since() {
    let mut s = session("One", &[(9, 9, 9), (9, 9, 8), (2, 2, 2)]);
    s.participants
        .push(crate::domain::Participant::new("Ana", "risk owner"));
    for f in &mut s.failure_modes {
        f.treatment.decision = crate::domain::Decision::Accept;
    }
    let today = date(2026, 6, 1);
    assert_eq!(
        summarise(&s, today).pending_acceptances,
        2,
        "the low one needs none"
    );
    let at = Timestamp::UNIX_EPOCH;
    let id = s.failure_modes[0].id;
    let sign = s
        .sign_off_change(id, "Ana", crate::domain::SignOffKind::AcceptResidual, at)
        .unwrap();
    s.apply(sign);
    assert_eq!(summarise(&s, today).pending_acceptances, 1);
    s.failure_modes[0].occurrence = 8;
    assert_eq!(
        summarise(&s, today).pending_acceptances,
        2,
        "changed since it was signed: it needs re-approval"
    );
}

#[test]
fn the_worst_risks_across_sessions_name_their_session_and_a_failed_one_does_not_stop_the_rest() {
    let today = date(2026, 6, 1);
    let a = session("A", &[(9, 9, 9), (1, 1, 1)]);
    let b = session("B", &[(10, 10, 10), (9, 9, 8)]);
    let entries = vec![
        entry("a.ron".into(), Ok(a), today, 10),
        entry(
            "broken.ron".into(),
            Err("broken.ron:3:4: expected ','".into()),
            today,
            10,
        ),
        entry("b.ron".into(), Ok(b), today, 10),
    ];
    let p = Portfolio::build(entries, 3);
    let top: Vec<(String, u16)> = p
        .top
        .iter()
        .map(|(i, r)| (p.entries[*i].path.display().to_string(), r.rpn))
        .collect();
    assert_eq!(
        top,
        [
            ("b.ron".into(), 1000),
            ("a.ron".into(), 729),
            ("b.ron".into(), 648)
        ]
    );
    assert_eq!(p.failed(), 1);
    let table = p.sessions_table().text_rows();
    assert_eq!(table.len(), 3);
    assert_eq!(
        table[1].last().map(String::as_str),
        Some("broken.ron:3:4: expected ','")
    );
    assert_eq!(p.top_table().text_rows()[0][3], "FM-001");
}

#[test]
fn cells_that_a_spreadsheet_would_run_are_neutralised() {
    let s = session("=HYPERLINK(\"x\")", &[(5, 5, 5)]);
    let p = Portfolio::build(vec![entry("s.ron".into(), Ok(s), date(2026, 1, 1), 10)], 10);
    assert!(!p.sessions_table().text_rows()[0][1].starts_with('='));
}
