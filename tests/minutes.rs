//! `riskroom minutes`: Markdown minutes, the same bytes for the same session,
//! nothing from the file turned into markup or into terminal control.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use jiff::Timestamp;
use jiff::civil::date;
use riskroom::domain::log::{Event, Via, recorded};
use riskroom::domain::*;
use riskroom::minutes::{Period, minutes};
use riskroom::store;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A short workshop driven through the same changes the screen makes, with
/// text that tries to be markup or to reach the terminal.
fn workshop() -> Session {
    let mut s = Session::new("Mini *workshop* <script>", at("2026-11-23T01:00:00Z"));
    s.organisation = "Müller & Söhne | 陳氏".into();
    s.scope = "# not a heading\nsecond line \u{1b}[31mred\u{1b}[0m".into();
    s.facilitator = "Kenneth Lau".into();
    s.dates = vec![date(2026, 11, 23)];
    s.participants = vec![
        Participant::new("Priya Raman", "risk owner"),
        Participant::new("[Eve](http://evil.example)", "guest"),
        Participant::new("陳美玲", "auditor"),
    ];
    for p in &mut s.participants[..2] {
        p.present = true;
    }
    let (process, put) = s.process_for_name("Remote access").unwrap();
    s.apply(put.unwrap());
    let apply = |s: &mut Session, when: &str, change: Change| {
        let change = recorded(s, change, at(when), Via::Edit);
        s.apply(change)
    };
    for (n, mode, sod) in [
        (1, "VPN token | phished", (9, 5, 7)),
        (2, "Laptop _lost_ `on` a train", (6, 3, 4)),
    ] {
        let mut fm = FailureMode::new(FailureModeId(n), mode);
        (fm.severity, fm.occurrence, fm.detection) = sod;
        fm.process = process;
        apply(&mut s, "2026-11-23T01:05:00Z", Change::PutFailureMode(fm));
    }
    let mut fm = s.failure_modes[0].clone();
    fm.treatment.decision = Decision::Reduce;
    fm.treatment.action = "FIDO2 keys **now**".into();
    fm.treatment.owner = "Network admin".into();
    fm.treatment.due = Some(date(2026, 12, 15));
    fm.treatment.revised_occurrence = Some(2);
    apply(&mut s, "2026-11-23T01:10:00Z", Change::PutFailureMode(fm));
    let mut fm = s.failure_modes[1].clone();
    fm.treatment.decision = Decision::Accept;
    apply(&mut s, "2026-11-23T01:12:00Z", Change::PutFailureMode(fm));
    let sign = s
        .sign_off_change(
            FailureModeId(2),
            "Priya Raman",
            SignOffKind::AcceptResidual,
            at("2026-11-23T01:13:00Z"),
        )
        .unwrap();
    apply(&mut s, "2026-11-23T01:13:00Z", sign);
    let mut fm = s.failure_modes[1].clone();
    fm.occurrence = 4;
    apply(&mut s, "2026-11-23T01:14:00Z", Change::PutFailureMode(fm));
    for (when, event) in [
        (
            "2026-11-23T01:15:00Z",
            Event::Note {
                fm: Some(FailureModeId(1)),
                text: "<img src=x onerror=alert(1)> ok".into(),
            },
        ),
        (
            "2026-11-23T01:16:00Z",
            Event::Question {
                fm: None,
                text: "Who owns the\u{202e}reversed\u{202c} badge system?".into(),
            },
        ),
        (
            "2026-11-23T01:17:00Z",
            Event::Action {
                fm: Some(FailureModeId(1)),
                text: "Order 40 keys | two per engineer".into(),
                owner: "Wong Ka Fai".into(),
                due: Some(date(2026, 12, 1)),
            },
        ),
    ] {
        let change = s.log_change(at(when), event);
        apply(&mut s, when, change);
    }
    // A note taken back: not in the minutes.
    let note = s.log_change(
        at("2026-11-23T01:18:00Z"),
        Event::Note {
            fm: None,
            text: "typed on the wrong row".into(),
        },
    );
    let undo = apply(&mut s, "2026-11-23T01:18:00Z", note);
    let undo = recorded(&s, undo, at("2026-11-23T01:19:00Z"), Via::Undo);
    s.apply(undo);
    s
}

#[test]
fn the_minutes_of_a_short_workshop() {
    let text = minutes(&workshop(), Period::Cycle(1)).unwrap();
    insta::assert_snapshot!(text);
}

#[test]
fn nothing_typed_becomes_markup_or_reaches_a_terminal_raw() {
    let text = minutes(&workshop(), Period::Cycle(1)).unwrap();
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{text:?}"
    );
    assert!(text.starts_with("# Minutes: Mini \\*workshop\\* \\<script\\>\n"));
    assert!(text.contains("\\# not a heading second line \\\\u{1B}\\[31mred\\\\u{1B}\\[0m"));
    assert!(
        text.contains("Who owns the\\\\u{202E}reversed\\\\u{202C} badge"),
        "shown, not obeyed"
    );
    assert!(text.contains("| \\[Eve\\](http://evil.example) | guest |"));
    assert!(text.contains("\\<img src=x onerror=alert(1)\\> ok"));
    assert!(text.contains("| Order 40 keys \\| two per engineer | Wong Ka Fai | 2026-12-01 |"));
    assert!(!text.contains("typed on the wrong row"), "withdrawn");
    // Every table row has as many cells as its header.
    for table in text.split("\n\n").filter(|b| b.starts_with('|')) {
        let widths: Vec<usize> = table
            .lines()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
    }
}

#[test]
fn the_same_session_gives_the_same_bytes_also_after_save_and_load() {
    let s = workshop();
    let first = minutes(&s, Period::Cycle(1)).unwrap();
    assert_eq!(minutes(&s, Period::Cycle(1)).unwrap(), first);
    let again = store::parse(&store::to_ron(&s), Path::new("w.ron")).unwrap();
    assert_eq!(minutes(&again, Period::Cycle(1)).unwrap(), first);
}

#[test]
fn a_date_range_takes_the_entries_of_those_days() {
    let s = workshop();
    let day = |d| Some(date(2026, 11, d));
    let that_day = minutes(
        &s,
        Period::Dates {
            from: day(23),
            to: day(23),
        },
    )
    .unwrap();
    assert!(that_day.contains("- **These minutes cover:** 2026-11-23 to 2026-11-23"));
    assert!(that_day.contains("FIDO2 keys"));
    let before = minutes(
        &s,
        Period::Dates {
            from: None,
            to: day(22),
        },
    )
    .unwrap();
    assert!(
        before.contains("## Decisions\n\nNone recorded.\n"),
        "{before}"
    );
    assert!(before.contains("| Participant | Role | Present today |"));
}

fn riskroom() -> Command {
    Command::cargo_bin("riskroom").unwrap()
}

#[test]
fn the_command_prints_or_writes_the_minutes_and_never_over_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("mini.ron");
    store::save(&session, &workshop(), false).unwrap();
    let session = session.to_str().unwrap();
    let printed = riskroom()
        .args(["minutes", session])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        minutes(&workshop(), Period::Cycle(1)).unwrap()
    );

    let out = dir.path().join("minutes.md");
    riskroom()
        .args(["minutes", session, "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout(format!("wrote {}\n", out.display()));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        minutes(&workshop(), Period::Cycle(1)).unwrap()
    );

    let before = fs::read(session).unwrap();
    riskroom()
        .args(["minutes", session, "--out", session])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "is the session file itself; the minutes were not written",
        ));
    assert_eq!(
        fs::read(session).unwrap(),
        before,
        "the session is untouched"
    );

    riskroom()
        .args(["minutes", session, "--cycle", "3"])
        .assert()
        .failure()
        .stderr("riskroom: there is no cycle 3: the session is in cycle 1 (cycles 1 to 1)\n");
    riskroom()
        .args(["minutes", session, "--cycle", "1", "--from", "2026-11-01"])
        .assert()
        .failure();
    riskroom()
        .args(["minutes", session, "--from", "2026-13-01"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "is not a date (expected YYYY-MM-DD)",
        ));
}

const DEMO: &str = "sessions/ip-chamber.ron";

#[test]
fn the_minutes_of_the_demo_s_current_cycle() {
    let s = store::load(Path::new(DEMO)).unwrap();
    insta::assert_snapshot!(minutes(&s, Period::Cycle(2)).unwrap());
}

#[test]
fn the_minutes_of_the_demo_s_first_cycle_as_it_closed() {
    let s = store::load(Path::new(DEMO)).unwrap();
    let text = minutes(&s, Period::Cycle(1)).unwrap();
    // The first cycle's own ratings: FM-001 was 9/5/7 = 315 when it closed.
    assert!(text.contains("| FM-001 | Remote access to the IP chamber | Customer VPN credentials phished and reused | 9 | 5 | 7 | 315 | H |"));
    insta::assert_snapshot!(text);
}
