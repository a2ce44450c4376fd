//! The decision log's rules: what is recorded by itself, what the facilitator
//! records, and that undo and redo only ever add to it.

use jiff::Timestamp;
use jiff::civil::date;

use super::*;
use crate::domain::change::Info;
use crate::domain::details::Participant;
use crate::domain::treatment::{Decision, Status};
use crate::domain::{FailureMode, FailureModeId};

fn t(s: i64) -> Timestamp {
    Timestamp::from_second(1_795_424_400 + s).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn session() -> Session {
    let mut s = Session::new("Log", t(0));
    s.participants = vec![
        Participant::new("Priya Raman", "risk owner"),
        Participant::new("Grace Leung", "auditor"),
        Participant::new("陳美玲", "asset owner"),
    ];
    s.participants[0].present = true;
    s.participants[2].present = true;
    for n in 1..=3 {
        let mut fm = FailureMode::new(FailureModeId(n), format!("mode {n}"));
        (fm.severity, fm.occurrence, fm.detection) = (8, 6, 7);
        s.failure_modes.push(fm);
    }
    s
}

/// An app's undo history in miniature: every change goes through `recorded`.
struct Room {
    session: Session,
    undo: Vec<Change>,
    redo: Vec<Change>,
    clock: i64,
}

impl Room {
    fn new() -> Self {
        Self {
            session: session(),
            undo: Vec::new(),
            redo: Vec::new(),
            clock: 0,
        }
    }

    fn apply(&mut self, change: Change, via: Via) -> Change {
        self.clock += 1;
        let change = recorded(&self.session, change, t(self.clock), via);
        self.session.apply(change)
    }

    fn edit(&mut self, change: Change) {
        let inverse = self.apply(change, Via::Edit);
        self.undo.push(inverse);
        self.redo.clear();
    }

    fn undo(&mut self) {
        let Some(inverse) = self.undo.pop() else {
            return;
        };
        let redo = self.apply(inverse, Via::Undo);
        self.redo.push(redo);
    }

    fn redo(&mut self) {
        let Some(change) = self.redo.pop() else {
            return;
        };
        let inverse = self.apply(change, Via::Redo);
        self.undo.push(inverse);
    }

    fn decide(&mut self, n: u32, decision: Decision) {
        let mut fm = self.session.failure_modes[n as usize - 1].clone();
        fm.treatment.decision = decision;
        self.edit(Change::PutFailureMode(fm));
    }

    fn events(&self) -> Vec<&Event> {
        self.session.log.iter().map(|e| &e.event).collect()
    }
}

fn decision_change(from: &str, to: &str) -> FieldChange {
    FieldChange {
        field: TreatmentField::Decision,
        from: from.into(),
        to: to.into(),
    }
}

#[test]
fn a_decision_is_recorded_with_time_stage_cycle_and_who_was_present() {
    let mut room = Room::new();
    room.decide(2, Decision::Reduce);
    let [entry] = room.session.log.as_slice() else {
        panic!("one entry: {:?}", room.session.log)
    };
    assert_eq!(entry.at, t(1));
    assert_eq!((entry.cycle, entry.stage), (1, Stage::Plan));
    assert_eq!(entry.present, ["Priya Raman", "陳美玲"]);
    assert_eq!(entry.via, Via::Edit);
    assert_eq!(
        entry.event,
        Event::Treatment {
            fm: FailureModeId(2),
            changes: vec![decision_change("Undecided", "Reduce")],
        }
    );
}

#[test]
fn every_treatment_field_that_changes_is_named_with_before_and_after() {
    let mut room = Room::new();
    let mut fm = room.session.failure_modes[0].clone();
    let t = &mut fm.treatment;
    t.decision = Decision::Reduce;
    t.action = "FIDO2 keys".into();
    t.owner = "Network administrator".into();
    t.due = Some(date(2026, 12, 15));
    t.status = Status::InProgress;
    t.action_taken = "Ordered".into();
    (
        t.revised_severity,
        t.revised_occurrence,
        t.revised_detection,
    ) = (Some(7), Some(2), None);
    room.edit(Change::PutFailureMode(fm.clone()));
    let Event::Treatment { changes, .. } = &room.session.log[0].event else {
        panic!("{:?}", room.session.log)
    };
    let named: Vec<(TreatmentField, &str, &str)> = changes
        .iter()
        .map(|c| (c.field, c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            (TreatmentField::Decision, "Undecided", "Reduce"),
            (TreatmentField::Action, "", "FIDO2 keys"),
            (TreatmentField::Owner, "", "Network administrator"),
            (TreatmentField::Due, "", "2026-12-15"),
            (TreatmentField::Status, "Open", "In progress"),
            (TreatmentField::ActionTaken, "", "Ordered"),
            (TreatmentField::RevisedSeverity, "", "7"),
            (TreatmentField::RevisedOccurrence, "", "2"),
        ]
    );
    // A rating or a text of the failure mode is not a treatment decision.
    fm.severity = 3;
    fm.mode = "other".into();
    room.edit(Change::PutFailureMode(fm));
    assert_eq!(room.session.log.len(), 1);
}

#[test]
fn undo_and_redo_add_entries_and_never_take_one_out() {
    let mut room = Room::new();
    room.decide(1, Decision::Accept);
    room.undo();
    room.redo();
    room.undo();
    assert_eq!(
        room.session.failure_modes[0].treatment.decision,
        Decision::Undecided,
        "the decision is undone"
    );
    let kept: Vec<(Via, &Event)> = room.session.log.iter().map(|e| (e.via, &e.event)).collect();
    let decided = |from, to| Event::Treatment {
        fm: FailureModeId(1),
        changes: vec![decision_change(from, to)],
    };
    assert_eq!(
        kept,
        [
            (Via::Edit, &decided("Undecided", "Accept")),
            (Via::Undo, &decided("Accept", "Undecided")),
            (Via::Redo, &decided("Undecided", "Accept")),
            (Via::Undo, &decided("Accept", "Undecided")),
        ]
    );
    assert!(room.session.log.is_sorted_by_key(|e| e.at));
}

#[test]
fn a_note_undone_is_withdrawn_not_erased_and_redo_reinstates_it() {
    let mut room = Room::new();
    let note = Event::Note {
        fm: Some(FailureModeId(3)),
        text: "Ask the vendor about log retention".into(),
    };
    room.edit(room.session.log_change(t(100), note.clone()));
    assert_eq!(room.session.standing_entries().len(), 1);
    room.undo();
    assert_eq!(room.session.log.len(), 2, "the note and its withdrawal");
    assert!(room.session.standing_entries().is_empty());
    let Event::Withdrawn { at, event } = &room.session.log[1].event else {
        panic!("{:?}", room.session.log)
    };
    assert_eq!((*at, &**event), (room.session.log[0].at, &note));
    assert_eq!(room.session.log[1].via, Via::Undo);
    assert!(
        room.session.log[1].at > room.session.log[0].at,
        "stamped at the undo"
    );
    room.redo();
    assert_eq!(room.session.log.len(), 3);
    assert_eq!(room.session.log[2].event, note, "reinstated");
    assert_eq!(room.session.log[2].via, Via::Redo);
    let standing = room.session.standing_entries();
    assert_eq!(standing.len(), 1);
    assert_eq!(standing[0].at, room.session.log[2].at);
    room.undo();
    assert!(room.session.standing_entries().is_empty());
    assert_eq!(room.session.log.len(), 4);
}

#[test]
fn questions_and_actions_are_the_facilitators_and_withdraw_the_same_way() {
    let mut room = Room::new();
    room.edit(room.session.log_change(
        t(5),
        Event::Question {
            fm: None,
            text: "Who owns the badge system?".into(),
        },
    ));
    room.edit(room.session.log_change(
        t(6),
        Event::Action {
            fm: Some(FailureModeId(1)),
            text: "Send the NDA template".into(),
            owner: "Stefanie Hofmann".into(),
            due: Some(date(2026, 12, 1)),
        },
    ));
    room.undo();
    let standing: Vec<&Event> = room
        .session
        .standing_entries()
        .iter()
        .map(|e| &e.event)
        .collect();
    assert!(matches!(standing.as_slice(), [Event::Question { .. }]));
    assert_eq!(room.session.log.len(), 3);
}

#[test]
fn stage_changes_and_a_cycle_close_are_one_entry_each_and_reopening_is_one_more() {
    let mut room = Room::new();
    // A Done treatment with a residual: the close carries it over and starts
    // the treatment afresh, which is the close's entry, not its own.
    let mut fm = room.session.failure_modes[0].clone();
    (fm.treatment.status, fm.treatment.revised_occurrence) = (Status::Done, Some(2));
    room.edit(Change::PutFailureMode(fm));
    for _ in 0..3 {
        room.edit(room.session.advance_stage_change(t(room.clock)).unwrap());
    }
    room.edit(room.session.advance_stage_change(t(room.clock)).unwrap());
    assert_eq!(room.session.pdca.cycle, 2);
    room.undo();
    assert_eq!(room.session.pdca.cycle, 1);
    let events: Vec<&Event> = room.events().into_iter().skip(1).collect();
    assert_eq!(
        events,
        [
            &Event::Stage {
                from: Stage::Plan,
                to: Stage::Do
            },
            &Event::Stage {
                from: Stage::Do,
                to: Stage::Check
            },
            &Event::Stage {
                from: Stage::Check,
                to: Stage::Act
            },
            &Event::CycleClosed { cycle: 1 },
            &Event::CycleReopened { cycle: 1 },
        ]
    );
    let close = &room.session.log[4];
    assert_eq!(
        (close.cycle, close.stage),
        (2, Stage::Plan),
        "stamped after"
    );
    let reopen = &room.session.log[5];
    assert_eq!(
        (reopen.cycle, reopen.stage, reopen.via),
        (1, Stage::Act, Via::Undo)
    );
}

#[test]
fn taking_a_participant_off_the_list_is_recorded_and_presence_follows_the_details() {
    let mut room = Room::new();
    let mut info = room.session.info();
    info.participants.remove(1);
    info.participants[1].present = false;
    room.edit(Change::SetInfo(Box::new(info)));
    let [entry] = room.session.log.as_slice() else {
        panic!("{:?}", room.session.log)
    };
    assert_eq!(
        entry.event,
        Event::ParticipantRemoved {
            name: "Grace Leung".into(),
            role: "auditor".into()
        }
    );
    assert_eq!(
        entry.present,
        ["Priya Raman"],
        "who is present after the change"
    );
    room.undo();
    assert_eq!(room.session.participants.len(), 3);
    assert_eq!(
        room.session.log.len(),
        1,
        "putting someone back is no entry"
    );
    // Details that do not remove anyone make no entry.
    room.edit(Change::SetInfo(Box::new(Info {
        title: "Renamed".into(),
        ..room.session.info()
    })));
    assert_eq!(room.session.log.len(), 1);
}

#[test]
fn a_whole_session_put_in_place_keeps_both_logs() {
    let mut room = Room::new();
    room.decide(1, Decision::Reduce);
    let mut other = session();
    other.log = vec![LogEntry::new(
        &other,
        t(-50),
        Event::Note {
            fm: None,
            text: "from the recovery file".into(),
        },
    )];
    room.edit(Change::ReplaceSession(Box::new(other)));
    assert_eq!(
        room.session.log.len(),
        2,
        "the recovered note and the decision"
    );
    assert_eq!(room.session.log[0].at, t(-50), "in time order");
    room.undo();
    assert_eq!(
        room.session.log.len(),
        2,
        "undoing the replace loses no entry"
    );
    assert_eq!(
        room.session.failure_modes[0].treatment.decision,
        Decision::Reduce
    );
}

#[test]
fn the_log_only_grows_whatever_the_room_does() {
    // A long, mixed run of edits, undos and redos: each step leaves the log
    // as it was plus entries at its end.
    let mut room = Room::new();
    let decisions = Decision::ALL;
    for step in 0..200u32 {
        let before = room.session.log.clone();
        match step % 7 {
            0 | 3 => room.decide(1 + step % 3, decisions[(step as usize / 7) % 5]),
            1 => room.edit(room.session.log_change(
                t(room.clock),
                Event::Note {
                    fm: None,
                    text: format!("note {step}"),
                },
            )),
            2 | 5 => room.undo(),
            4 => room.redo(),
            _ => room.edit(room.session.advance_stage_change(t(room.clock)).unwrap()),
        }
        assert!(room.session.log.len() >= before.len(), "step {step}");
        assert_eq!(room.session.log[..before.len()], before[..], "step {step}");
    }
    assert!(room.session.log.is_sorted_by_key(|e| e.at));
}

#[test]
fn two_logs_merge_as_their_union_in_time_order() {
    let s = session();
    let note = |at, text: &str| {
        LogEntry::new(
            &s,
            t(at),
            Event::Note {
                fm: None,
                text: text.into(),
            },
        )
    };
    let base = vec![note(1, "a"), note(2, "b")];
    let mut ours = base.clone();
    ours.extend([note(5, "ours"), note(7, "twice"), note(7, "twice")]);
    let mut theirs = base.clone();
    theirs.extend([note(3, "theirs"), note(5, "ours"), note(7, "twice")]);
    let merged = union(&ours, &theirs);
    let texts: Vec<String> = merged
        .iter()
        .map(|e| match &e.event {
            Event::Note { text, .. } => text.clone(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(texts, ["a", "b", "theirs", "ours", "twice", "twice"]);
    let other_way = union(&theirs, &ours);
    assert_eq!(other_way.len(), merged.len());
    assert!(other_way.iter().all(|e| merged.contains(e)));
    assert_eq!(union(&ours, &ours), ours);
    assert_eq!(union(&[], &theirs), theirs);
}

#[test]
fn check_names_each_bad_entry_by_its_place() {
    let mut s = session();
    let e = |at, present: &[&str], event| LogEntry {
        present: present.iter().map(ToString::to_string).collect(),
        ..LogEntry::new(&s, t(at), event)
    };
    let note = |text: &str| Event::Note {
        fm: None,
        text: text.into(),
    };
    s.log = vec![
        e(10, &["Priya Raman"], note("fine")),
        e(
            11,
            &[],
            Event::ParticipantRemoved {
                name: "Tony Cheung".into(),
                role: "facilities manager".into(),
            },
        ),
        e(
            12,
            &["Tony Cheung", "Ghost"],
            note("a former one, and nobody"),
        ),
        e(9, &[], note("out of order")),
        e(999_999, &[], note("from the future")),
        e(
            13,
            &[],
            Event::Withdrawn {
                at: t(1),
                event: Box::new(note("never written")),
            },
        ),
    ];
    s.log[0].cycle = 4;
    let found: Vec<String> = check_log(&s, t(1000))
        .iter()
        .map(ToString::to_string)
        .collect();
    let at = |n| t(n).to_string();
    assert_eq!(
        found,
        [
            format!(
                "log entry 1 ({}): names cycle 4 but the session is in cycle 1",
                at(10)
            ),
            format!(
                "log entry 3 ({}): \"Ghost\" is named present but is not a participant",
                at(12)
            ),
            format!(
                "log entry 4 ({}): out of order: recorded before entry 3 ({})",
                at(9),
                at(12)
            ),
            format!(
                "log entry 5 ({}): dated in the future (it is now {})",
                at(999_999),
                at(1000)
            ),
            format!(
                "log entry 6 ({}): withdraws an entry of {} that is not in the log before it",
                at(13),
                at(1)
            ),
        ]
    );
    s.log.truncate(1);
    s.log[0].cycle = 1;
    assert!(check_log(&s, t(1000)).is_empty());
}

#[test]
fn a_failure_mode_deleted_and_put_back_by_undo_is_no_new_decision() {
    let mut room = Room::new();
    room.decide(2, Decision::Reduce);
    room.edit(Change::RemoveFailureMode(FailureModeId(2)));
    room.undo();
    assert_eq!(
        room.session.failure_modes[1].treatment.decision,
        Decision::Reduce
    );
    assert_eq!(room.session.log.len(), 1, "only the decision itself");
    // Added by an edit with a decision already made: that is one.
    let mut fm = FailureMode::new(FailureModeId(9), "new");
    fm.treatment.decision = Decision::Avoid;
    room.edit(Change::PutFailureMode(fm));
    assert_eq!(room.session.log.len(), 2);
    room.undo();
    room.redo();
    assert_eq!(
        room.session.log.len(),
        2,
        "put back by a redo: no new decision"
    );
}
