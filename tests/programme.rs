//! The ISMS programme (issue 15): the demo as the thesis case ran it, older files
//! that know nothing of it, the `isms` report, and programme edits through the
//! store.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use jiff::civil::{Date, date};
use riskroom::cli::isms::report;
use riskroom::domain::programme::coverage::coverage;
use riskroom::domain::programme::documents::{Standing, documents, evidence_summary};
use riskroom::domain::programme::roadmap::roadmap;
use riskroom::domain::programme::{
    DocumentRecord, DocumentStatus, Phase, StepRecord, StepStatus, clause,
};
use riskroom::domain::{Change, Session};
use riskroom::store;

const DEMO: &str = "sessions/ip-chamber.ron";
/// The day the demo's tests are judged on (as the other demo tests do).
const TODAY: Date = date(2026, 11, 23);

fn demo() -> Session {
    store::load(Path::new(DEMO)).unwrap_or_else(|e| panic!("{e}"))
}

fn isms(session: &Session, width: Option<usize>) -> String {
    let mut out = Vec::new();
    report(session, TODAY, width, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_demo_is_certified_after_its_first_cycle_with_validation_under_way() {
    let s = demo();
    let r = roadmap(&s, TODAY);
    assert_eq!(r.current, Some(Phase::Validation));
    assert_eq!(
        r.step(23).map(|s| s.record.status),
        Some(StepStatus::Done),
        "registered for certification"
    );
    let certified = r.step(23).and_then(|s| s.record.due).unwrap();
    let first_close = s.pdca.closed_cycles[0].closed;
    assert!(
        certified
            > first_close
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date(),
        "after the first cycle"
    );
    let validation = r.phases.iter().find(|p| p.phase == Phase::Validation);
    let validation = validation.unwrap();
    assert!(validation.is_started() && !validation.is_finished());
    assert!(r.phases[..3].iter().all(|p| p.is_started()));
    assert_eq!(r.overdue, [17], "one step past its due date");
    assert_eq!(
        r.summary(),
        "phase Validation (4 of 4); 21 of 24 steps done, 2 in progress; 1 overdue (step 17); \
         still open from earlier phases: step 17"
    );
}

#[test]
fn the_demo_has_documents_overdue_for_review_and_says_what_the_session_holds() {
    let s = demo();
    let d = documents(&s, TODAY);
    let overdue: Vec<&str> = d
        .rows
        .iter()
        .filter(|r| r.review.is_overdue())
        .map(|r| r.clause.id)
        .collect();
    assert_eq!(overdue, ["5.2", "7.2", "9.1"]);
    let standing = |id: &str| d.rows.iter().find(|r| r.clause.id == id).unwrap();
    assert_eq!(standing("8.2").standing, Standing::InSession);
    assert_eq!(standing("8.3").standing, Standing::InSession);
    assert_eq!(
        d.summary(),
        "10 approved, 2 draft, 2 held by the session; 3 reviews overdue, 1 with no review recorded"
    );
    let said = |id: &str| standing(id).session.as_ref().unwrap().text.clone();
    assert_eq!(
        said("8.2"),
        "this session: 40 failure modes assessed in cycle 2 (AP H 9, highest RPN 360); the \
         ratings at the close of 1 earlier cycle kept"
    );
    assert_eq!(
        said("8.3"),
        "this session: 16 decisions (12 reduce, 3 accept, 1 transfer); 3 failure modes at or \
         above the threshold still need one"
    );
    assert_eq!(
        said("6.1.2"),
        "this session: the InfoSec FMEA circle (assets rated C x I x A into classes A, B, C; \
         failure modes rated S x O x D = RPN, with Action Priority; a decision needed at RPN ≥ \
         200 or AP H), applied to 20 assets and 40 failure modes"
    );
    assert_eq!(
        said("6.1.3"),
        "this session: the treatment of 16 failure modes (decision, action, owner, due date, \
         status, residual rating) and its Statement of Applicability (6.1.3 d): SoA 93 controls, \
         39 linked (30 existing, 14 planned)"
    );
    assert_eq!(
        evidence_summary(&s),
        "40 failure modes assessed in cycle 2, 16 decisions (12 reduce, 3 accept, 1 transfer), \
         SoA 93 controls, 39 linked (30 existing, 14 planned)"
    );
    // The SoA export counts the same controls as linked.
    let soa = riskroom::export::controls_table(&s);
    let linked = soa.rows.iter().filter(|r| r[4].csv() == "yes").count();
    assert_eq!(linked, 39);
}

#[test]
fn the_demo_s_control_groups_name_their_riskiest_untreated_failure_mode() {
    let s = demo();
    let c = coverage(&s);
    let highest: Vec<Option<u16>> = c
        .groups
        .iter()
        .map(|g| g.highest_untreated.map(|(_, rpn)| rpn))
        .collect();
    assert_eq!(
        highest,
        [Some(360), Some(180), Some(360), Some(216), Some(288)]
    );
    assert!(c.empty_groups().is_empty());
    assert_eq!(c.without_control.len(), 6);
}

#[test]
fn a_file_from_before_the_programme_loads_with_the_roadmap_all_not_started() {
    let path = Path::new("tests/fixtures/ip-chamber-before-treatment.ron");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("programme"));
    let s = store::load(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.programme.is_empty());
    let r = roadmap(&s, TODAY);
    assert!(r.nothing_started());
    assert!(
        r.steps
            .iter()
            .all(|s| s.record.status == StepStatus::NotStarted)
    );
    let d = documents(&s, TODAY);
    let missing: Vec<&str> = d
        .rows
        .iter()
        .filter(|r| r.standing == Standing::Missing)
        .map(|r| r.clause.id)
        .collect();
    assert_eq!(
        missing,
        [
            "4.3", "5.2", "6.2", "7.2", "7.5.1b", "8.1", "9.1", "9.2", "9.3", "10.1"
        ],
        "all but the four the session holds"
    );
    assert!(
        !store::to_ron(&s).contains("programme"),
        "nothing new is written"
    );
    let report = isms(&s, None);
    assert!(report.contains("ROADMAP (QISM, 24 steps): not started; 0 of 24 steps done"));
    assert_eq!(report.matches("Not started").count(), 24, "{report}");
}

#[test]
fn isms_report_of_the_demo_for_a_pipe() {
    insta::assert_snapshot!(isms(&demo(), None));
}

#[test]
fn isms_report_of_the_demo_at_80_columns() {
    let text = isms(&demo(), Some(80));
    for line in text.lines() {
        assert!(
            riskroom::tui::view::text::width(line) <= 80,
            "{} cells: {line}",
            riskroom::tui::view::text::width(line)
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn isms_report_of_a_brand_new_session() {
    let s = Session::new(
        "Q3 review",
        jiff::Timestamp::from_second(1_790_000_000).unwrap(),
    );
    insta::assert_snapshot!(isms(&s, Some(100)));
}

#[test]
fn what_a_file_holds_reaches_the_report_without_escapes() {
    let mut s = Session::new(
        "Title \u{1b}[2J\u{1b}]0;owned\u{7}",
        jiff::Timestamp::UNIX_EPOCH,
    );
    s.apply(Change::PutStep(StepRecord {
        owner: "Eve \u{1b}[31mred\u{1b}[0m\r\nforged line \u{202e}txt.exe".into(),
        status: StepStatus::InProgress,
        ..StepRecord::blank(3)
    }));
    s.apply(Change::PutDocument(DocumentRecord {
        evidence: "=HYPERLINK(\"x\")\u{9b}31m".into(),
        status: DocumentStatus::Draft,
        ..DocumentRecord::blank("5.2")
    }));
    for width in [None, Some(80)] {
        let text = isms(&s, width);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202e}'));
        assert!(
            text.contains("owner Eve \\u{1B}[31mred\\u{1B}[0m  forged line \\u{202E}txt.exe"),
            "{text}"
        );
        assert!(!text.lines().any(|l| l.starts_with("forged line")));
    }
}

#[test]
fn programme_edits_are_saved_undone_and_read_back_by_both_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut s = demo();
    let before = s.clone();
    let mut step = s.programme.step(24);
    step.status = StepStatus::Done;
    step.note = "Anerkennung durch die Geschäftsleitung, 表揚".into();
    let mut doc = s.programme.document("5.2");
    doc.last_review = Some(date(2026, 11, 20));
    let undo = s.apply(Change::Batch(vec![
        Change::PutStep(step.clone()),
        Change::PutDocument(doc.clone()),
    ]));
    store::save(&path, &s, false).unwrap();
    let loaded = store::load(&path).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(loaded.programme.step(24), step);
    let d = documents(&loaded, TODAY);
    assert!(
        !d.rows
            .iter()
            .any(|r| r.clause.id == "5.2" && r.review.is_overdue())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        store::parse_canonical(&text),
        Some(s.clone()),
        "the fast reader"
    );
    s.apply(undo);
    assert_eq!(s, before);
    assert_eq!(store::to_ron(&s), std::fs::read_to_string(DEMO).unwrap());
    assert!(clause("7.5.1b").is_some());
}

/// A hand-written session whose `programme` field is `programme`; what loading
/// it says, and whether the file was left as it was.
fn load_with_programme(programme: &str) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    let text = format!("(\n    format: 1,\n    title: \"Bad\",\n    programme: {programme},\n)\n");
    std::fs::write(&path, &text).unwrap();
    let error = store::load(&path).unwrap_err().to_string();
    (error, std::fs::read_to_string(&path).unwrap() == text)
}

#[test]
fn a_hand_written_programme_with_an_unknown_step_or_clause_is_refused_with_its_place() {
    let (error, kept) =
        load_with_programme("(roadmap: [(step: 25, status: Done), (step: 2, status: Sometimes)])");
    assert!(error.contains("bad.ron:4:"), "{error}");
    assert!(error.contains("Sometimes"), "{error}");
    assert!(kept);
    let (error, _) =
        load_with_programme("(documents: [(clause: \"5.2\", last_review: \"yesterday\")])");
    assert!(error.contains("\"yesterday\" is not a date"), "{error}");
    let (error, kept) = load_with_programme(
        "(roadmap: [(step: 25, status: Done)], documents: [(clause: \"4.4\", status: Approved)])",
    );
    assert!(
        error.contains("roadmap step 25: there is no step 25"),
        "{error}"
    );
    assert!(error.contains("document \"4.4\": not a clause"), "{error}");
    assert!(kept, "never written");
}
