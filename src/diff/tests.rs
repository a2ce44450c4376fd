use jiff::Timestamp;

use super::*;
use crate::domain::{AssetId, Category, FailureModeId};

fn t(s: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + s).unwrap()
}

fn session() -> Session {
    let mut s = Session::new("Demo", t(0));
    let a = s.allocate_asset_id().unwrap();
    s.assets.push(Asset::new(a, "Server", Category::Hardware));
    for _ in 0..3 {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, "Token phished");
        fm.asset = Some(a);
        (fm.severity, fm.occurrence, fm.detection) = (8, 5, 9);
        s.failure_modes.push(fm);
    }
    s
}

#[test]
fn a_rating_change_says_what_the_rpn_and_ap_became() {
    let old = session();
    let mut new = old.clone();
    new.failure_modes[2].severity = 9;
    assert_eq!(
        diff(&old, &new),
        ["FM-003 severity 8 → 9 (RPN 360 → 405, AP H)"]
    );
    new.failure_modes[2].severity = 2;
    new.failure_modes[2].occurrence = 2;
    let (was, now) = (old.failure_modes[2].ap(), new.failure_modes[2].ap());
    assert_ne!(was, now);
    assert_eq!(
        diff(&old, &new),
        [
            "FM-003 occurrence 5 → 2".to_string(),
            format!("FM-003 severity 8 → 2 (RPN 360 → 36, AP {was} → {now})")
        ]
    );
}

#[test]
fn added_and_deleted_records_and_a_closed_cycle_are_named() {
    let old = session();
    let mut new = old.clone();
    let id = new.allocate_asset_id().unwrap();
    let mut a = Asset::new(id, "Badge reader", Category::Site);
    (a.confidentiality, a.integrity, a.availability) = (3, 3, 2);
    new.assets.push(a);
    new.failure_modes.remove(0);
    for i in 1..=4 {
        new.apply(new.advance_stage_change(t(i)).unwrap());
    }
    let lines = diff(&old, &new);
    assert!(
        lines.contains(
            &"cycle 1 closed 2027-01-15T08:00:04Z (2 failure modes recorded)".to_string()
        ),
        "{lines:?}"
    );
    assert!(lines.contains(&"PDCA cycle 1 Plan → cycle 2 Plan".to_string()));
    assert!(lines.contains(
        &"A-002 added: \"Badge reader\" (Site, C 3 I 3 A 2, class value 18, class A)".to_string()
    ));
    assert!(
        lines.contains(
            &"FM-001 deleted: \"Token phished\" (S 8 O 5 D 9, RPN 360, AP H)".to_string()
        )
    );
}

#[test]
fn treatment_fields_and_links_are_named_as_people_read_them() {
    let old = session();
    let mut new = old.clone();
    new.failure_modes[1].treatment.action_taken = "MFA for all".into();
    new.failure_modes[1] =
        new.failure_modes[1].with_link("A.8.5", Some(crate::domain::ControlState::Planned));
    new.title = "Demo 2".into();
    new.assets[0].confidentiality = 3;
    assert_eq!(
        diff(&old, &new),
        [
            "title \"Demo\" → \"Demo 2\"",
            "A-001 confidentiality 1 → 3 (class value 1 → 3, class C)",
            "FM-002 Annex A A.8.5 added (state Planned)",
            "FM-002 treatment action taken \"\" → \"MFA for all\"",
        ]
    );
}

#[test]
fn no_change_is_no_line_and_the_listing_has_a_line_per_field() {
    let s = session();
    assert!(diff(&s, &s).is_empty());
    let lines = listing(&s);
    assert!(
        lines.contains(&"FM-001 severity 8".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"FM-001 asset A-001".to_string()));
    assert!(lines.contains(&"FM-003 RPN 360, AP H".to_string()));
    assert!(lines.contains(&"A-001 class value 1, class C".to_string()));
    assert!(
        !lines.iter().any(|l| l.contains("FM-001 id")),
        "keys are the record's name"
    );
    let _ = (AssetId(1), FailureModeId(1));
}

#[test]
fn participants_are_named_with_their_role_and_dates_processes_log_and_sign_offs_are_said() {
    use crate::domain::log::Event;
    use crate::domain::{Decision, Participant, Process, ProcessId, SignOffKind};
    let mut old = session();
    old.participants = vec![Participant::new("Ana", "risk owner")];
    old.failure_modes[0].treatment.decision = Decision::Accept;
    let mut new = old.clone();
    new.participants[0].role = "ISMS manager".into();
    new.participants[0].present = true;
    new.participants.push(Participant::new("李明", "IT"));
    new.dates.push(jiff::civil::date(2026, 11, 23));
    let mut process = Process::new(ProcessId(1), "Backup team");
    process.team.push("Li Wei".into());
    new.processes.push(process);
    new.failure_modes[0].process = Some(ProcessId(1));
    let sign = new
        .sign_off_change(FailureModeId(1), "Ana", SignOffKind::AcceptResidual, t(5))
        .unwrap();
    new.apply(sign);
    let log = new.log_change(
        t(6),
        Event::Note {
            fm: Some(FailureModeId(1)),
            text: "vendor asked".into(),
        },
    );
    new.apply(log);
    let lines = diff(&old, &new);
    let want = [
        "workshop date 2026-11-23 added",
        "participant \"Ana\" role \"risk owner\" → \"ISMS manager\"",
        "participant \"Ana\" (ISMS manager) absent → present",
        "participant \"李明\" (IT) added",
        "PR-001 added: \"Backup team\"",
        "FM-001 process none → PR-001",
        "FM-001 signed off: \"Ana\" (ISMS manager) accepted the residual risk at \
         2027-01-15T08:00:05Z",
        "decision log 2027-01-15T08:00:06Z (cycle 1 Plan): note on FM-001: \"vendor asked\"",
    ];
    for line in want {
        assert!(
            lines.iter().any(|l| l == line),
            "{line:?} not in {lines:#?}"
        );
    }
    let listed = listing(&new);
    for line in [
        "workshop date 2026-11-23",
        "participant \"Ana\" (ISMS manager), present",
        "PR-001 name \"Backup team\"",
        "PR-001 team \"Li Wei\"",
        "FM-001 process PR-001",
    ] {
        assert!(
            listed.iter().any(|l| l == line),
            "{line:?} not in {listed:#?}"
        );
    }
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("FM-001 sign-off: \"Ana\"")),
        "{listed:#?}"
    );
}

#[test]
fn a_change_at_the_end_of_a_long_text_shows_where_it_differs() {
    let old = session();
    let mut new = old.clone();
    let long =
        "Liability and audit clause in the evaluation licence; IP indemnity and insurance cover";
    new.failure_modes[0].treatment.action = long.into();
    let mut newer = new.clone();
    newer.failure_modes[0].treatment.action = format!("{long}X");
    let lines = diff(&new, &newer);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert!(
        line.ends_with(r#"action …" and insurance cover" → …" and insurance coverX""#),
        "{line}"
    );
    // A short text is shown whole; a long one that differs early, from its start.
    assert_eq!(
        changed_texts("MFA", "MFA for admins"),
        (r#""MFA""#.to_string(), r#""MFA for admins""#.to_string())
    );
    let (a, b) = changed_texts(&format!("A{long}"), &format!("B{long}"));
    assert!(a.starts_with("\"ALiab") && a.ends_with('…'), "{a}");
    assert!(b.starts_with("\"BLiab") && b.ends_with('…'), "{b}");
    // CJK text: cut by characters, never inside one.
    let zh = "客戶資料庫".repeat(20);
    let (a, b) = changed_texts(&zh, &format!("{zh}新"));
    assert!(a.ends_with("庫\"") && b.ends_with("新\""), "{a} {b}");
}

#[test]
fn the_listing_git_compares_keeps_long_texts_whole() {
    // git log -p compares the listing line by line: a text cut at 60
    // characters hid a change past the cut (two equal lines).
    let mut s = session();
    let long =
        "Liability and audit clause in the evaluation licence; IP indemnity and insurance cover";
    s.failure_modes[0].treatment.action = long.into();
    s.title = format!("{long} (title)");
    let mut t = s.clone();
    t.failure_modes[0].treatment.action = format!("{long}X");
    t.title = format!("{long} (title)X");
    let (a, b) = (listing(&s), listing(&t));
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert_eq!(differing, 2, "{a:?}");
    assert!(b.contains(&format!("FM-001 treatment action {:?}", format!("{long}X"))));
}

#[test]
fn a_changed_cycle_record_says_which_failure_mode_and_rating() {
    let mut old = session();
    for i in 1..=4 {
        old.apply(old.advance_stage_change(t(i)).unwrap());
    }
    let mut new = old.clone();
    new.pdca.closed_cycles[0].failure_modes[0].severity = 9;
    new.pdca.closed_cycles[0].closed = t(10);
    // A failure mode recorded in one version only: its ratings, not its
    // treatment as JSON.
    let mut added = old.pdca.closed_cycles[0].failure_modes[0].clone();
    added.id = FailureModeId(9);
    added.treatment.action = "MFA".into();
    new.pdca.closed_cycles[0].failure_modes.push(added);
    let lines = diff(&old, &new);
    assert_eq!(
        lines,
        [
            format!("cycle 1 record closed {} → {}", t(4), t(10)),
            "cycle 1 record failure modes FM-001 severity 8 → 9".to_string(),
            "cycle 1 record failure modes FM-009 added (detection 9, occurrence 5, severity 8)"
                .to_string(),
        ]
    );
}
