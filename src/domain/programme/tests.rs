//! Tests of the programme: the lists against SPEC 9.3's text, the records and
//! their changes, and the three views over a session built here.

use jiff::Timestamp;
use jiff::civil::{Date, date};

use super::coverage::{coverage, left_untreated, soa_counts};
use super::documents::{Overdue, Review, Standing, documents, review, session_evidence};
use super::roadmap::{check_stages, roadmap};
use super::*;
use crate::domain::annex_a::{ControlGroup, ControlState};
use crate::domain::change::Change;
use crate::domain::treatment::{Decision, Status};
use crate::domain::{FailureMode, Session, validate};

/// SPEC 9.3, copied as text (line breaks and all), so that the test does not
/// share the code's lists and CI needs nothing outside the repository.
const SPEC_9_3: &str = "
- QISM implementation roadmap: 24 steps in the phases Awareness (1-5), Preparation
  (6-12), Implementation (13-19) and Validation (20-24), named as in the seed
  (1 increase awareness of ISMS in the QMS environment and understand the gap; 2 review
  the organisation's status of ISMS adoption; 3 confirm top-management commitment; 4 form
  the QISM committee; 5 form the QISM work group; 6 develop the QISM model; 7 promote
  QISM education and training; 8 define scope and policy; 9 resource plan and
  allocation; 10 develop the risk assessment methodology (FMEA circle); 11 plan the
  implementation (risk assessment, training); 12 resource management; 13 provide team
  training (ISMS awareness, implementation, risk assessment, internal audit); 14 implement
  the training plan; 15 perform risk management; 16 implement the QISM system; 17 measure
  QISM effectiveness; 18 perform internal audit; 19 management review meeting (user,
  customer and employee feedback); 20 refine scope and policy; 21 corrective and
  preventive action plan, continual improvement plan; 22 perform corrective and
  continual-improvement actions; 23 registration for ISO 27001 certification; 24 top
  management recognition). Each step: status, owner, due date, evidence, note.
- Mandatory documented information of ISO/IEC 27001 (each with status, owner,
  evidence as a path or URL, last review): scope 4.3, information security policy
  5.2, risk assessment process 6.1.2, risk treatment process 6.1.3, information
  security objectives 6.2, evidence of competence 7.2, documents the organisation
  deems necessary 7.5.1b, operational planning and control 8.1, results of risk
  assessments 8.2, decisions on risk treatment 8.3, monitoring and measurement 9.1,
  internal audit programme and results 9.2, management review 9.3, nonconformities
  and corrective actions 10.1. The session itself is the evidence for 6.1.2, 8.2 and
  8.3 (and its Statement of Applicability for 6.1.3 d): say so, with what it holds.
";

/// The SPEC text with its line breaks and indents as single spaces.
fn spec() -> String {
    SPEC_9_3.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect(start) + start.len();
    let len = text[from..].find(end).expect(end);
    &text[from..from + len]
}

#[test]
fn the_24_steps_are_named_as_spec_9_3_names_them() {
    let spec = spec();
    let list = between(&spec, "named as in the seed (", "). Each step:");
    let parsed: Vec<(u8, &str)> = list
        .split("; ")
        .map(|item| {
            let (number, name) = item.split_once(' ').unwrap();
            (number.parse().unwrap(), name)
        })
        .collect();
    assert_eq!(parsed.len(), 24);
    for (i, (number, name)) in parsed.iter().enumerate() {
        assert_eq!(usize::from(*number), i + 1, "numbered in order");
        assert_eq!(step_name(*number), Some(*name), "step {number}");
    }
    assert_eq!(STEPS.len(), usize::from(STEP_COUNT));
    assert_eq!(step_name(0), None);
    assert_eq!(step_name(25), None);
}

#[test]
fn the_phases_span_the_steps_spec_9_3_gives_them() {
    let spec = spec();
    let list = between(&spec, "24 steps in the phases ", ", named as");
    let phases: Vec<(&str, u8, u8)> = list
        .split(", ")
        .flat_map(|part| part.split(" and "))
        .map(|part| {
            let (name, range) = part.split_once(" (").unwrap();
            let (first, last) = range.trim_end_matches(')').split_once('-').unwrap();
            (name, first.parse().unwrap(), last.parse().unwrap())
        })
        .collect();
    assert_eq!(phases.len(), 4);
    for ((name, first, last), phase) in phases.into_iter().zip(Phase::ALL) {
        assert_eq!(phase.name(), name);
        assert_eq!(phase.steps(), (first, last));
        for step in first..=last {
            assert_eq!(Phase::of_step(step), Some(phase), "step {step}");
        }
    }
    assert_eq!(Phase::of_step(0), None);
    assert_eq!(Phase::of_step(25), None);
}

#[test]
fn the_14_clauses_are_spec_9_3_s_in_its_order() {
    let spec = spec();
    let list = between(&spec, "last review): ", ". The session itself");
    let parsed: Vec<(&str, &str)> = list
        .split(", ")
        .map(|item| {
            let (name, id) = item.rsplit_once(' ').unwrap();
            (id, name)
        })
        .collect();
    assert_eq!(parsed.len(), 14);
    let ours: Vec<(&str, &str)> = CLAUSES.iter().map(|c| (c.id, c.name)).collect();
    assert_eq!(ours, parsed);
}

#[test]
fn the_session_is_the_evidence_for_the_clauses_spec_9_3_names() {
    let spec = spec();
    let sentence = between(&spec, "The session itself is the evidence for ", ": say so");
    // "6.1.2, 8.2 and 8.3 (and its Statement of Applicability for 6.1.3 d)"
    let mut named: Vec<&str> = sentence
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|s| s.trim_end_matches('.'))
        .filter(|s| s.contains('.'))
        .collect();
    named.sort_unstable();
    let mut ours: Vec<&str> = CLAUSES
        .iter()
        .filter(|c| c.held_by_session())
        .map(|c| c.id)
        .collect();
    ours.sort_unstable();
    assert_eq!(ours, named);
    assert_eq!(clause("7.5.1b").map(Clause::cited), Some("7.5.1 b"));
    assert_eq!(clause("4.4"), None);
}

fn t(day: i64) -> Timestamp {
    // Day 0 is 2026-01-01.
    Timestamp::from_second(1_767_225_600 + day * 86_400).unwrap()
}

fn step(n: u8, status: StepStatus) -> StepRecord {
    StepRecord {
        status,
        ..StepRecord::blank(n)
    }
}

#[test]
fn a_step_record_is_put_in_order_replaced_and_removed_when_blank() {
    let mut p = Programme::default();
    assert!(p.put_step(step(9, StepStatus::Done)).is_blank());
    assert!(p.put_step(step(2, StepStatus::InProgress)).is_blank());
    assert_eq!(p.roadmap.iter().map(|r| r.step).collect::<Vec<_>>(), [2, 9]);
    let old = p.put_step(step(9, StepStatus::NotApplicable));
    assert_eq!(old, step(9, StepStatus::Done));
    assert_eq!(p.step(9).status, StepStatus::NotApplicable);
    assert_eq!(
        p.put_step(StepRecord::blank(9)).status,
        StepStatus::NotApplicable
    );
    assert_eq!(p.roadmap.len(), 1, "a blank record is not kept");
    assert!(p.put_step(StepRecord::blank(5)).is_blank(), "nothing there");
    assert_eq!(p.roadmap.len(), 1);
    assert_eq!(p.step(24), StepRecord::blank(24));
}

#[test]
fn documents_are_kept_in_the_standard_s_order_not_the_alphabet_s() {
    let mut p = Programme::default();
    for id in ["10.1", "9.3", "4.3", "7.5.1b", "6.1.2"] {
        let mut r = DocumentRecord::blank(id);
        r.owner = "CISO".into();
        p.put_document(r);
    }
    let ids: Vec<&str> = p.documents.iter().map(|r| r.clause.as_str()).collect();
    assert_eq!(ids, ["4.3", "6.1.2", "7.5.1b", "9.3", "10.1"]);
    assert!(p.is_sorted());
    p.documents.swap(0, 4);
    assert!(!p.is_sorted());
    p.sort();
    assert!(p.is_sorted());
    let old = p.put_document(DocumentRecord::blank("9.3"));
    assert_eq!(old.owner, "CISO");
    assert_eq!(p.documents.len(), 4);
    assert_eq!(p.document("5.2"), DocumentRecord::blank("5.2"));
}

#[test]
fn programme_changes_undo_and_redo_exactly() {
    let mut s = Session::new("t", t(0));
    let before = s.clone();
    let mut record = step(15, StepStatus::InProgress);
    record.owner = "王小明".into();
    record.due = Some(date(2026, 6, 30));
    let undo = s.apply(Change::PutStep(record.clone()));
    assert_eq!(s.programme.step(15), record);
    assert_eq!(undo, Change::PutStep(StepRecord::blank(15)));
    let redo = s.apply(undo);
    assert_eq!(s, before, "undo leaves no trace, not even an empty record");
    s.apply(redo);
    assert_eq!(s.programme.step(15), record);

    let mut doc = DocumentRecord::blank("5.2");
    doc.status = DocumentStatus::Approved;
    doc.last_review = Some(date(2026, 3, 1));
    let both = Change::Batch(vec![
        Change::PutDocument(doc.clone()),
        Change::PutStep(step(15, StepStatus::Done)),
    ]);
    let with_step = s.clone();
    let undo = s.apply(both);
    assert_eq!(s.programme.document("5.2"), doc);
    assert_eq!(s.programme.step(15).status, StepStatus::Done);
    assert!(!undo.touches_failure_modes());
    s.apply(undo);
    assert_eq!(s, with_step);
}

#[test]
fn unknown_and_twice_recorded_steps_and_clauses_are_problems() {
    let mut s = Session::new("t", t(0));
    s.programme.roadmap = vec![
        step(0, StepStatus::Done),
        step(3, StepStatus::Done),
        step(3, StepStatus::InProgress),
        step(25, StepStatus::Done),
    ];
    s.programme.documents = vec![
        DocumentRecord::blank("4.3"),
        DocumentRecord::blank("4.3"),
        DocumentRecord::blank("A.5.1"),
    ];
    let messages: Vec<String> = validate(&s).iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert_eq!(
        messages[0],
        "roadmap step 0: there is no step 0 (steps are 1 to 24)"
    );
    assert_eq!(messages[1], "roadmap step 3: recorded twice");
    assert!(messages[2].starts_with("roadmap step 25: there is no step 25"));
    assert_eq!(messages[3], "document \"4.3\": recorded twice");
    assert!(
        messages[4].starts_with(
            "document \"A.5.1\": not a clause with mandatory documents (one of 4.3, 5.2, 6.1.2,"
        ),
        "{}",
        messages[4]
    );
    s.programme = Programme::default();
    assert!(validate(&s).is_empty());
}

#[test]
fn a_step_is_overdue_past_its_due_date_until_finished() {
    let today = date(2026, 11, 23);
    let mut r = StepRecord::blank(4);
    assert!(!r.is_overdue(today), "no due date");
    r.due = Some(date(2026, 11, 22));
    for (status, overdue) in [
        (StepStatus::NotStarted, true),
        (StepStatus::InProgress, true),
        (StepStatus::Done, false),
        (StepStatus::NotApplicable, false),
    ] {
        r.status = status;
        assert_eq!(r.is_overdue(today), overdue, "{status}");
    }
    r.status = StepStatus::InProgress;
    r.due = Some(today);
    assert!(!r.is_overdue(today), "due today is not overdue yet");
}

#[test]
fn a_session_without_programme_data_shows_the_roadmap_all_not_started() {
    let s = Session::new("new", t(0));
    let r = roadmap(&s, date(2026, 1, 2));
    assert_eq!(r.steps.len(), 24);
    assert!(r.nothing_started());
    assert!(r.steps.iter().all(|s| s.record.is_blank() && !s.overdue));
    assert_eq!(r.current, None);
    assert!(r.behind.is_empty() && r.overdue.is_empty());
    assert_eq!(r.summary(), "not started; 0 of 24 steps done");
    let totals: Vec<usize> = r.phases.iter().map(|p| p.total).collect();
    assert_eq!(totals, [5, 7, 7, 5]);
    assert_eq!(r.phases[1].describe(), "0 of 7 done");
    assert_eq!(
        r.step(10).and_then(|s| s.from_session.clone()).unwrap(),
        "this session holds the method: the InfoSec FMEA circle (assets rated C x I x A into \
         classes A, B, C; failure modes rated S x O x D = RPN, with Action Priority; a decision \
         needed at RPN ≥ 200 or AP H)"
    );
    assert_eq!(
        r.step(15).and_then(|s| s.from_session.clone()).unwrap(),
        "this session: no failure mode assessed yet (cycle 1, Plan); no cycle closed yet"
    );
    for n in [18, 19] {
        assert_eq!(
            r.step(n).and_then(|s| s.from_session.clone()).unwrap(),
            "PDCA Check stage: no cycle has reached it yet"
        );
    }
    let said: Vec<u8> = r
        .steps
        .iter()
        .filter(|s| s.from_session.is_some())
        .map(|s| s.step)
        .collect();
    assert_eq!(said, [10, 15, 18, 19]);
}

/// Two cycles: cycle 1 closed on day 200 after Check on day 150; now in Check
/// of cycle 2 since day 300. Three failure modes on one asset.
fn worked_session() -> Session {
    let mut s = Session::new("worked", t(0));
    let a = s.allocate_asset_id().unwrap();
    s.assets.push(crate::domain::Asset::new(
        a,
        "Vault",
        crate::domain::Category::Hardware,
    ));
    for (sev, occ, det) in [(9, 6, 7), (5, 4, 3), (8, 5, 6)] {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, "m");
        (fm.severity, fm.occurrence, fm.detection) = (sev, occ, det);
        fm.asset = Some(a);
        s.failure_modes.push(fm);
    }
    for day in [50, 150, 180] {
        s.apply(s.advance_stage_change(t(day)).unwrap());
    }
    s.apply(s.close_cycle_change(t(200)).unwrap());
    for day in [250, 300] {
        s.apply(s.advance_stage_change(t(day)).unwrap());
    }
    s
}

#[test]
fn steps_18_and_19_link_to_the_check_stages_of_the_history() {
    let s = worked_session();
    assert_eq!(
        check_stages(&s),
        [(1, date(2026, 5, 31)), (2, date(2026, 10, 28))]
    );
    let r = roadmap(&s, date(2026, 11, 1));
    assert_eq!(
        r.step(18).and_then(|s| s.from_session.clone()).unwrap(),
        "PDCA Check stage: cycle 1 from 2026-05-31, cycle 2 since 2026-10-28"
    );
    assert_eq!(
        r.step(15).and_then(|s| s.from_session.clone()).unwrap(),
        "this session: 3 failure modes on 1 asset in cycle 2 (Check); 1 cycle closed"
    );
}

#[test]
fn the_current_phase_is_the_latest_one_started_and_earlier_gaps_are_named() {
    let mut s = Session::new("t", t(0));
    for n in 1..=12 {
        s.programme.put_step(step(n, StepStatus::Done));
    }
    s.programme.put_step(step(7, StepStatus::InProgress));
    s.programme.put_step(step(9, StepStatus::NotApplicable));
    s.programme.put_step(step(3, StepStatus::NotStarted));
    let mut late = step(16, StepStatus::InProgress);
    late.due = Some(date(2026, 6, 1));
    s.programme.put_step(late);
    let r = roadmap(&s, date(2026, 6, 2));
    assert_eq!(r.current, Some(Phase::Implementation));
    assert_eq!(r.behind, [3, 7]);
    assert_eq!(r.overdue, [16]);
    assert_eq!(
        r.summary(),
        "phase Implementation (3 of 4); 9 of 24 steps done, 2 in progress, 1 not applicable; \
         1 overdue (step 16); still open from earlier phases: steps 3, 7"
    );
    assert_eq!(
        r.phases[1].describe(),
        "5 of 7 done, 1 in progress, 1 not applicable"
    );
    assert!(!r.phases[1].is_finished() && r.phases[1].is_started());

    for n in 1..=24 {
        s.programme.put_step(step(n, StepStatus::Done));
    }
    s.programme.put_step(step(24, StepStatus::NotApplicable));
    let r = roadmap(&s, date(2026, 6, 2));
    assert!(r.phases.iter().all(|p| p.is_finished()));
    assert_eq!(
        r.summary(),
        "every phase finished (Validation last); 23 of 24 steps done, 1 not applicable"
    );
}

#[test]
fn a_review_is_overdue_after_a_year_or_before_the_latest_cycle_close() {
    let today = date(2026, 11, 23);
    let close = Some((3, date(2026, 9, 21)));
    let reviewed = |d: Option<Date>| DocumentRecord {
        status: DocumentStatus::Approved,
        last_review: d,
        ..DocumentRecord::blank("5.2")
    };
    let at = |d| review(&reviewed(Some(d)), Standing::Approved, today, close);
    assert_eq!(
        at(date(2026, 9, 21)),
        Review::Current,
        "on the day of the close"
    );
    assert_eq!(
        at(date(2026, 9, 20)),
        Review::Overdue(Overdue::BeforeCycleClose {
            cycle: 3,
            closed: date(2026, 9, 21)
        })
    );
    assert_eq!(
        review(
            &reviewed(Some(date(2026, 9, 20))),
            Standing::Approved,
            today,
            None
        ),
        Review::Current,
        "no cycle closed yet"
    );
    assert_eq!(
        review(
            &reviewed(Some(date(2025, 11, 23))),
            Standing::Approved,
            today,
            None
        ),
        Review::Current,
        "exactly a year"
    );
    assert_eq!(
        at(date(2025, 11, 22)),
        Review::Overdue(Overdue::OlderThanAYear),
        "older than a year says so even when also before the close"
    );
    assert_eq!(
        review(&reviewed(None), Standing::Approved, today, close),
        Review::NeverReviewed
    );
    assert_eq!(
        review(&reviewed(None), Standing::Draft, today, close),
        Review::NeverReviewed
    );
    assert_eq!(
        review(
            &DocumentRecord::blank("5.2"),
            Standing::Missing,
            today,
            close
        ),
        Review::NothingToReview
    );
    assert_eq!(
        review(
            &DocumentRecord::blank("8.2"),
            Standing::InSession,
            today,
            close
        ),
        Review::Live
    );
    // A leap day a year back.
    assert_eq!(
        review(
            &reviewed(Some(date(2027, 2, 28))),
            Standing::Approved,
            date(2028, 2, 29),
            None
        ),
        Review::Current
    );
    assert_eq!(
        Review::Overdue(Overdue::BeforeCycleClose {
            cycle: 3,
            closed: date(2026, 9, 21)
        })
        .describe(),
        "review overdue: before cycle 3 closed on 2026-09-21"
    );
}

#[test]
fn a_new_session_holds_no_evidence_yet_and_says_so() {
    let s = Session::new("new", t(0));
    let d = documents(&s, date(2026, 1, 2));
    assert_eq!(d.rows.len(), 14);
    assert!(d.rows.iter().all(|r| r.standing == Standing::Missing));
    assert_eq!(d.summary(), "14 missing; no review overdue");
    let said = |id: &str| d.rows.iter().find(|r| r.clause.id == id).unwrap();
    for id in ["6.1.2", "6.1.3", "8.2", "8.3"] {
        assert!(!said(id).session.as_ref().unwrap().holds, "{id}");
    }
    assert!(said("4.3").session.is_none());
    assert_eq!(
        said("8.2").session.as_ref().unwrap().text,
        "this session: no failure mode assessed yet"
    );
    assert_eq!(
        said("8.3").session.as_ref().unwrap().text,
        "this session: 0 decisions"
    );
    assert_eq!(
        said("6.1.3").session.as_ref().unwrap().text,
        "this session: the treatment of 0 failure modes (decision, action, owner, due date, \
         status, residual rating) and its Statement of Applicability (6.1.3 d): SoA 93 controls, \
         0 linked (0 existing, 0 planned)"
    );
}

#[test]
fn the_session_evidence_says_what_it_holds() {
    let mut s = worked_session();
    // FM-001 9/6/7 = 378 H, FM-002 5/4/3 = 60 L, FM-003 8/5/6 = 240 M.
    s.failure_modes[0].treatment.decision = Decision::Reduce;
    s.failure_modes[1].treatment.decision = Decision::Accept;
    s.failure_modes[0] = s.failure_modes[0]
        .with_link("A.8.5", Some(ControlState::Planned))
        .with_link("A.9.4.2", Some(ControlState::Existing));
    let text = |id| session_evidence(&s, clause(id).unwrap()).unwrap().text;
    assert_eq!(
        text("8.2"),
        "this session: 3 failure modes assessed in cycle 2 (AP H 1, highest RPN 378); the \
         ratings at the close of 1 earlier cycle kept"
    );
    assert_eq!(
        text("8.3"),
        "this session: 2 decisions (1 reduce, 1 accept); 1 failure mode at or above the \
         threshold still needs one"
    );
    assert!(text("6.1.2").ends_with("applied to 1 asset and 3 failure modes"));
    assert!(
        text("6.1.3").ends_with("SoA 93 controls, 1 linked (1 existing, 1 planned)"),
        "A.9.4.2 stands for A.8.5: {}",
        text("6.1.3")
    );
    assert_eq!(session_evidence(&s, clause("9.2").unwrap()), None);
    assert_eq!(
        documents::evidence_summary(&s),
        "3 failure modes assessed in cycle 2, 2 decisions (1 reduce, 1 accept), SoA 93 \
         controls, 1 linked (1 existing, 1 planned)"
    );

    // Recorded documents, judged against the close of cycle 1 (2026-07-20).
    let closed = utc_date(s.pdca.closed_cycles[0].closed);
    assert_eq!(closed, date(2026, 7, 20));
    let mut put = |id: &str, status, review| {
        s.programme.put_document(DocumentRecord {
            status,
            last_review: review,
            ..DocumentRecord::blank(id)
        });
    };
    put("4.3", DocumentStatus::Approved, Some(date(2026, 7, 19)));
    put("5.2", DocumentStatus::Approved, Some(date(2026, 8, 1)));
    put("6.2", DocumentStatus::Draft, None);
    put("8.2", DocumentStatus::Approved, Some(date(2025, 1, 1)));
    let d = documents(&s, date(2026, 11, 23));
    let row = |id: &str| d.rows.iter().find(|r| r.clause.id == id).unwrap();
    assert_eq!(
        row("4.3").review,
        Review::Overdue(Overdue::BeforeCycleClose { cycle: 1, closed })
    );
    assert_eq!(row("5.2").review, Review::Current);
    assert_eq!(row("6.2").review, Review::NeverReviewed);
    assert_eq!(
        (row("8.2").standing, row("8.2").review),
        (Standing::Approved, Review::Overdue(Overdue::OlderThanAYear)),
        "a recorded status counts over the session's, and so does its review"
    );
    assert_eq!(
        (row("8.3").standing, row("8.3").review),
        (Standing::InSession, Review::Live)
    );
    assert_eq!(
        d.summary(),
        "3 approved, 1 draft, 3 held by the session, 7 missing; 2 reviews overdue, 1 with no \
         review recorded"
    );
}

#[test]
fn control_groups_count_controls_failure_modes_and_what_is_left_untreated() {
    let mut s = worked_session();
    // FM-001 378: A.8.5 planned (Software) and A.7.1 existing (Hardware), Reduce, open.
    // FM-003 240: A.9.4.2 (2013, stands for A.8.5) existing; Accept.
    // FM-002 60: A.7.2 existing (Hardware); Done.
    let fm = |s: &mut Session, i: usize| s.failure_modes[i].clone();
    let mut f1 = fm(&mut s, 0)
        .with_link("A.8.5", Some(ControlState::Planned))
        .with_link("A.7.1", Some(ControlState::Existing));
    f1.treatment.decision = Decision::Reduce;
    let mut f3 = fm(&mut s, 2).with_link("A.9.4.2", Some(ControlState::Existing));
    f3.treatment.decision = Decision::Accept;
    let mut f2 = fm(&mut s, 1).with_link("A.7.2", Some(ControlState::Existing));
    f2.treatment.status = Status::Done;
    for f in [f1, f2, f3] {
        s.apply(Change::PutFailureMode(f));
    }
    let c = coverage(&s);
    assert_eq!(
        c.groups.iter().map(|g| g.group).collect::<Vec<_>>(),
        ControlGroup::ALL
    );
    let software = c.group(ControlGroup::Software).unwrap();
    assert_eq!(software.controls.len(), 1);
    let a85 = &software.controls[0];
    assert_eq!(a85.control.id, "A.8.5");
    assert_eq!(a85.via, ["A.9.4.2"]);
    assert_eq!(a85.existing.iter().map(|i| i.0).collect::<Vec<_>>(), [3]);
    assert_eq!(a85.planned.iter().map(|i| i.0).collect::<Vec<_>>(), [1]);
    assert_eq!(
        software
            .failure_modes
            .iter()
            .map(|i| i.0)
            .collect::<Vec<_>>(),
        [1, 3]
    );
    assert_eq!(
        software.highest_untreated.map(|(id, rpn)| (id.0, rpn)),
        Some((1, 378))
    );
    assert_eq!(
        software.summary(),
        "1 of 18 controls linked (1 existing, 1 planned); treats 2 failure modes; highest \
         untreated RPN 378 (FM-001)"
    );

    let hardware = c.group(ControlGroup::Hardware).unwrap();
    let ids: Vec<&str> = hardware
        .controls
        .iter()
        .map(|u| u.control.id.as_str())
        .collect();
    assert_eq!(ids, ["A.7.1", "A.7.2"]);
    assert_eq!(hardware.existing().count(), 2);
    assert_eq!(hardware.planned().count(), 0);

    // Only FM-001 is left untreated; taking it to Done leaves Software none.
    let mut done = s.failure_modes[0].clone();
    done.treatment.status = Status::Verified;
    s.apply(Change::PutFailureMode(done));
    let c = coverage(&s);
    assert_eq!(
        c.group(ControlGroup::Software).unwrap().highest_untreated,
        None
    );
    assert!(
        c.group(ControlGroup::Software)
            .unwrap()
            .summary()
            .ends_with("; none left untreated")
    );

    for group in [
        ControlGroup::Policy,
        ControlGroup::Organisation,
        ControlGroup::Process,
    ] {
        let g = c.group(group).unwrap();
        assert!(g.has_no_control() && g.failure_modes.is_empty());
        assert_eq!(
            g.summary(),
            format!(
                "no control at all: none of its {} controls is linked to a failure mode",
                g.in_catalogue
            )
        );
    }
    assert_eq!(
        c.empty_groups(),
        [
            ControlGroup::Policy,
            ControlGroup::Organisation,
            ControlGroup::Process
        ]
    );
    let in_catalogue: usize = c.groups.iter().map(|g| g.in_catalogue).sum();
    assert_eq!(in_catalogue, 93, "every 2022 control is in one group");
    assert_eq!(soa_counts(&s).linked, 3);
    assert!(c.without_control.is_empty());
}

#[test]
fn failure_modes_without_a_control_are_counted_apart() {
    let mut s = worked_session();
    s.failure_modes[1] = s.failure_modes[1].with_link("A.5.1", Some(ControlState::Existing));
    let c = coverage(&s);
    assert_eq!(
        c.without_control.iter().map(|i| i.0).collect::<Vec<_>>(),
        [1, 3]
    );
    assert_eq!(
        c.highest_without_control.map(|(id, rpn)| (id.0, rpn)),
        Some((1, 378))
    );
    let policy = c.group(ControlGroup::Policy).unwrap();
    assert_eq!(policy.highest_untreated.map(|(id, _)| id.0), Some(2));
}

#[test]
fn untreated_means_not_carried_out_and_not_accepted() {
    let mut fm = FailureMode::new(crate::domain::FailureModeId(1), "m");
    assert!(left_untreated(&fm), "nothing recorded");
    fm.treatment.decision = Decision::Reduce;
    fm.treatment.status = Status::InProgress;
    assert!(left_untreated(&fm));
    for status in [Status::Done, Status::Verified] {
        fm.treatment.status = status;
        assert!(!left_untreated(&fm));
    }
    fm.treatment.status = Status::Open;
    for (decision, untreated) in [
        (Decision::Accept, false),
        (Decision::Avoid, true),
        (Decision::Transfer, true),
        (Decision::Undecided, true),
    ] {
        fm.treatment.decision = decision;
        assert_eq!(left_untreated(&fm), untreated, "{decision}");
    }
}

#[test]
fn names_read_as_headings() {
    assert_eq!(
        capitalised(STEPS[0]),
        "Increase awareness of ISMS in the QMS environment and understand the gap"
    );
    assert_eq!(capitalised(""), "");
    assert_eq!(capitalised("ä"), "Ä");
    assert_eq!(StepStatus::default(), StepStatus::NotStarted);
    assert_eq!(DocumentStatus::default(), DocumentStatus::Missing);
    assert_eq!(Phase::Validation.number(), 4);
}
