use std::path::Path;

use jiff::Timestamp;

use super::resolve::resolve;
use super::*;
use crate::domain::programme::{StepRecord, StepStatus};
use crate::domain::{ActionPriority, Asset, AssetId, Category, Change, FailureMode, FailureModeId};
use crate::store;

fn t(s: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + s).unwrap()
}

/// Two assets, three failure modes, in Plan of cycle 1.
fn base() -> Session {
    let mut s = Session::new("Base", t(0));
    for name in ["Server", "Laptop"] {
        let id = s.allocate_asset_id().unwrap();
        s.assets.push(Asset::new(id, name, Category::Hardware));
    }
    for n in 0..3u8 {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, format!("mode {n}"));
        fm.asset = Some(AssetId(1));
        (fm.severity, fm.occurrence, fm.detection) = (8, 5, 9);
        s.failure_modes.push(fm);
    }
    s
}

fn fm(s: &mut Session, id: u32) -> &mut FailureMode {
    let i = s.failure_mode_index(FailureModeId(id)).unwrap();
    &mut s.failure_modes[i]
}

/// The merged session must be what `riskroom fmt` writes and load again.
fn loads(m: &Merged) -> Session {
    let text = store::to_ron(&m.session);
    let loaded = store::parse(&text, Path::new("merged.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store::to_ron(&loaded), text, "canonical");
    loaded
}

#[test]
fn different_fields_of_one_failure_mode_both_land_and_the_rpn_follows() {
    let b = base();
    let mut o = b.clone();
    fm(&mut o, 1).severity = 9;
    let mut th = b.clone();
    fm(&mut th, 1).occurrence = 6;
    fm(&mut th, 2).mode = "renamed".into();
    let m = merge(b, o, th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let s = loads(&m);
    let f = s.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!(
        (f.severity, f.occurrence, f.rpn(), f.ap()),
        (9, 6, 486, ActionPriority::H)
    );
    assert_eq!(s.failure_mode(FailureModeId(2)).unwrap().mode, "renamed");
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let b = base();
    let mut o = b.clone();
    fm(&mut o, 3).treatment.action = "MFA".into();
    o.title = "New".into();
    let th = o.clone();
    let m = merge(b, o.clone(), th);
    assert!(m.is_clean());
    assert_eq!(m.session, o);
}

#[test]
fn an_unchanged_side_gives_the_other_byte_for_byte() {
    let b = base();
    let mut changed = b.clone();
    changed.apply(changed.advance_stage_change(t(5)).unwrap());
    fm(&mut changed, 2).detection = 2;
    let id = changed.allocate_failure_mode_id().unwrap();
    changed.failure_modes.push(FailureMode::new(id, "added"));
    let want = store::to_ron(&changed);
    assert_eq!(
        store::to_ron(&merge(b.clone(), b.clone(), changed.clone()).session),
        want
    );
    assert_eq!(store::to_ron(&merge(b.clone(), changed, b).session), want);
}

#[test]
fn records_added_on_both_sides_under_one_id_are_both_kept_theirs_renumbered_with_its_references() {
    let b = base();
    let mut o = b.clone();
    let mut th = b.clone();
    // Both add A-003 and FM-004; theirs' FM-004 is linked to theirs' A-003,
    // and theirs closes the cycle, so its record names FM-004 too.
    let a = o.allocate_asset_id().unwrap();
    o.assets
        .push(Asset::new(a, "Ours' NAS", Category::Hardware));
    let f = o.allocate_failure_mode_id().unwrap();
    o.failure_modes.push(FailureMode::new(f, "ours' new"));
    let a = th.allocate_asset_id().unwrap();
    th.assets
        .push(Asset::new(a, "Theirs' badge reader", Category::Site));
    let f = th.allocate_failure_mode_id().unwrap();
    let mut new = FailureMode::new(f, "theirs' new");
    new.asset = Some(a);
    th.failure_modes.push(new);
    for i in 1..=4 {
        th.apply(th.advance_stage_change(t(i)).unwrap());
    }
    let m = merge(b, o, th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let text: Vec<String> = m.renumbered.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        ["theirs' A-003 is A-004 now", "theirs' FM-004 is FM-005 now"]
    );
    let s = loads(&m);
    assert_eq!(s.asset(AssetId(3)).unwrap().name, "Ours' NAS");
    assert_eq!(s.asset(AssetId(4)).unwrap().name, "Theirs' badge reader");
    assert_eq!(s.failure_mode(FailureModeId(4)).unwrap().mode, "ours' new");
    let theirs = s.failure_mode(FailureModeId(5)).unwrap();
    assert_eq!(
        (theirs.mode.as_str(), theirs.asset),
        ("theirs' new", Some(AssetId(4)))
    );
    let record = &s.pdca.closed_cycles[0];
    assert!(
        record
            .failure_modes
            .iter()
            .any(|f| f.id == FailureModeId(5))
    );
    assert!(
        !record
            .failure_modes
            .iter()
            .any(|f| f.id == FailureModeId(4))
    );
    assert_eq!((s.next_ids.asset, s.next_ids.failure_mode), (5, 6));
}

#[test]
fn the_same_field_changed_to_two_values_is_a_conflict_that_still_loads_and_is_decided_either_way() {
    let b = base();
    let mut o = b.clone();
    fm(&mut o, 1).severity = 9;
    fm(&mut o, 1).treatment.owner = "Ana".into();
    let mut th = b.clone();
    fm(&mut th, 1).severity = 3;
    fm(&mut th, 1).treatment.action = "Patch".into();
    let m = merge(b, o, th);
    assert_eq!(m.new_conflicts, 1);
    let s = loads(&m);
    let c = &s.conflicts[0];
    assert_eq!(
        c.to_string(),
        "FM-001 severity: ours 9, theirs 3 (the file holds ours)"
    );
    let f = s.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!(
        (
            f.severity,
            f.treatment.owner.as_str(),
            f.treatment.action.as_str()
        ),
        (9, "Ana", "Patch")
    );

    assert!(resolve(&s, &[None]).is_err(), "undecided");
    let mut theirs = s.clone();
    theirs.apply(resolve(&s, &[Some(Side::Theirs)]).unwrap());
    assert_eq!(theirs.failure_mode(FailureModeId(1)).unwrap().severity, 3);
    assert!(theirs.conflicts.is_empty());
    assert_eq!(
        theirs
            .failure_mode(FailureModeId(1))
            .unwrap()
            .treatment
            .owner,
        "Ana"
    );
    let mut ours = s.clone();
    let undo = ours.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert_eq!(ours.failure_mode(FailureModeId(1)).unwrap().severity, 9);
    assert!(ours.conflicts.is_empty());
    ours.apply(undo);
    assert_eq!(ours, s, "one undo brings the conflicts back");
}

#[test]
fn a_conflicted_value_edited_after_the_merge_is_seen_and_kept_by_taking_its_side() {
    let b = base();
    let mut o = b.clone();
    fm(&mut o, 1).severity = 9;
    let mut th = b.clone();
    fm(&mut th, 1).severity = 6;
    th.apply(Change::RemoveFailureMode(FailureModeId(2)));
    fm(&mut o, 2).cause = "no MFA".into();
    let s = loads(&merge(b, o, th));
    assert_eq!(s.conflicts.len(), 2, "{:?}", s.conflicts);
    assert!(
        s.conflicts
            .iter()
            .all(|c| resolve::edited_since(&s, c).is_none())
    );
    // After the merge, the room sets severity 7 and edits FM-002 further.
    let mut edited = s.clone();
    fm(&mut edited, 1).severity = 7;
    fm(&mut edited, 2).cause = "no MFA, no logs".into();
    let now: Vec<Option<Option<String>>> = edited
        .conflicts
        .iter()
        .map(|c| resolve::edited_since(&edited, c))
        .collect();
    let whole = serde_json::to_value(edited.failure_mode(FailureModeId(2)).unwrap())
        .unwrap()
        .to_string();
    assert_eq!(now, [Some(Some("7".to_string())), Some(Some(whole))]);
    // Ours (held) keeps the file as it is now, the edits with it; theirs
    // takes theirs.
    let mut kept = edited.clone();
    kept.apply(resolve(&edited, &[Some(Side::Ours), Some(Side::Ours)]).unwrap());
    assert_eq!(kept.failure_mode(FailureModeId(1)).unwrap().severity, 7);
    assert_eq!(
        kept.failure_mode(FailureModeId(2)).unwrap().cause,
        "no MFA, no logs"
    );
    let mut taken = edited.clone();
    taken.apply(resolve(&edited, &[Some(Side::Theirs), Some(Side::Theirs)]).unwrap());
    assert_eq!(taken.failure_mode(FailureModeId(1)).unwrap().severity, 6);
    assert!(taken.failure_mode(FailureModeId(2)).is_none());
}

#[test]
fn an_edit_against_a_delete_keeps_the_edit_as_a_conflict() {
    let b = base();
    let mut o = b.clone();
    o.apply(Change::RemoveFailureMode(FailureModeId(2)));
    let mut th = b.clone();
    fm(&mut th, 2).cause = "no MFA".into();
    let m = merge(b, o, th);
    let s = loads(&m);
    assert_eq!(s.failure_mode(FailureModeId(2)).unwrap().cause, "no MFA");
    let c = &s.conflicts[0];
    assert_eq!(
        (
            c.record.as_str(),
            c.field.as_str(),
            c.ours.is_none(),
            c.held
        ),
        ("FM-002", "", true, Side::Theirs)
    );
    // What taking the delete would lose: the one field theirs changed.
    let lost: Vec<(String, Option<String>)> = c
        .differences()
        .into_iter()
        .map(|d| (d.field, d.theirs))
        .collect();
    assert_eq!(
        lost,
        [("cause".to_string(), Some("\"no MFA\"".to_string()))]
    );
    let mut deleted = s.clone();
    deleted.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert!(deleted.failure_mode(FailureModeId(2)).is_none());
}

#[test]
fn an_asset_deleted_on_one_side_and_linked_on_the_other_comes_back_as_a_conflict() {
    let b = base();
    let mut o = b.clone();
    o.apply(o.delete_asset_change(AssetId(2)));
    let mut th = b.clone();
    fm(&mut th, 3).asset = Some(AssetId(2));
    let m = merge(b, o, th);
    let s = loads(&m);
    assert_eq!(
        s.failure_mode(FailureModeId(3)).unwrap().asset,
        Some(AssetId(2))
    );
    assert!(s.asset(AssetId(2)).is_some());
    assert_eq!(s.conflicts[0].subject(), "A-002");
    let mut ours = s.clone();
    ours.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert!(ours.asset(AssetId(2)).is_none());
    assert_eq!(
        ours.failure_mode(FailureModeId(3)).unwrap().asset,
        None,
        "unlinked"
    );
    assert!(crate::domain::validate(&ours).is_empty());
}

#[test]
fn two_different_pdca_moves_are_a_conflict_holding_the_one_further_along() {
    let b = base();
    let mut o = b.clone();
    o.apply(o.advance_stage_change(t(10)).unwrap());
    let mut th = b.clone();
    for i in 1..=3 {
        th.apply(th.advance_stage_change(t(i)).unwrap());
    }
    let m = merge(b, o, th);
    let s = loads(&m);
    assert_eq!((s.pdca.cycle, s.pdca.stage), (1, Stage::Act));
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(s.conflicts[0].held, Side::Theirs);
    // Both sides' stage changes, in time order.
    let stages: Vec<(Stage, Timestamp)> = s.pdca.history.iter().map(|h| (h.stage, h.at)).collect();
    assert_eq!(
        stages,
        [
            (Stage::Plan, t(0)),
            (Stage::Do, t(1)),
            (Stage::Check, t(2)),
            (Stage::Act, t(3)),
            (Stage::Do, t(10))
        ]
    );
    let mut ours = s.clone();
    ours.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert_eq!((ours.pdca.cycle, ours.pdca.stage), (1, Stage::Do));
}

#[test]
fn a_cycle_closed_on_one_side_only_lands_with_its_record() {
    let b = base();
    let mut o = b.clone();
    fm(&mut o, 1).effect = "outage".into();
    let mut th = b.clone();
    for i in 1..=4 {
        th.apply(th.advance_stage_change(t(i)).unwrap());
    }
    let m = merge(b, o, th);
    assert!(m.is_clean());
    let s = loads(&m);
    assert_eq!((s.pdca.cycle, s.pdca.closed_cycles.len()), (2, 1));
    assert_eq!(s.failure_mode(FailureModeId(1)).unwrap().effect, "outage");
}

#[test]
fn a_cycle_closed_on_both_sides_keeps_every_failure_mode_recorded_and_merges_them_field_by_field() {
    let b = base();
    let close = |s: &mut Session, from: i64| {
        for i in 1..=4 {
            s.apply(s.advance_stage_change(t(from + i)).unwrap());
        }
    };
    let mut o = b.clone();
    fm(&mut o, 1).severity = 9;
    o.apply(Change::RemoveFailureMode(FailureModeId(3)));
    close(&mut o, 0);
    let mut th = b.clone();
    fm(&mut th, 2).detection = 3;
    let id = th.allocate_failure_mode_id().unwrap();
    th.failure_modes.push(FailureMode::new(id, "new in theirs"));
    close(&mut th, 100);
    let m = merge(b, o, th);
    let s = loads(&m);
    // Each room changed other things: no conflict but FM-003, which ours
    // deleted and theirs recorded unchanged: taken out in both places.
    assert!(m.is_clean(), "{:?}", s.conflicts);
    let record = &s.pdca.closed_cycles[0];
    assert_eq!(record.closed, t(104), "the later close");
    let rows: Vec<(u32, u8, u8)> = record
        .failure_modes
        .iter()
        .map(|f| (f.id.0, f.severity, f.detection))
        .collect();
    // FM-001 with ours' severity, FM-002 with theirs' detection, theirs' new
    // FM-004 recorded too; nothing dropped from the cycle's history.
    assert_eq!(rows, [(1, 9, 9), (2, 8, 3), (4, 1, 1)]);

    // The same rating changed to two values: a conflict live and in the record,
    // each decided on its own, field by field on the screen.
    let b = base();
    let (mut o, mut th) = (b.clone(), b.clone());
    fm(&mut o, 1).severity = 9;
    fm(&mut th, 1).severity = 6;
    close(&mut o, 0);
    close(&mut th, 100);
    let s = loads(&merge(b, o, th));
    let subjects: Vec<String> = s.conflicts.iter().map(Conflict::subject).collect();
    assert_eq!(
        subjects,
        ["cycle 1 record: FM-001 severity", "FM-001 severity"]
    );
    let mut theirs = s.clone();
    theirs.apply(resolve(&s, &[Some(Side::Theirs), Some(Side::Theirs)]).unwrap());
    assert_eq!(theirs.pdca.closed_cycles[0].failure_modes[0].severity, 6);
    assert_eq!(theirs.failure_mode(FailureModeId(1)).unwrap().severity, 6);
}

#[test]
fn roadmap_steps_recorded_on_both_sides_merge_field_by_field() {
    let b = base();
    let mut o = b.clone();
    let mut step = StepRecord::blank(5);
    step.status = StepStatus::Done;
    o.apply(Change::PutStep(step));
    let mut th = b.clone();
    let mut step = StepRecord::blank(5);
    step.owner = "CISO".into();
    th.apply(Change::PutStep(step));
    let m = merge(b, o, th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let got = m.session.programme.step(5);
    assert_eq!((got.status, got.owner.as_str()), (StepStatus::Done, "CISO"));
}

#[test]
fn conflicts_left_from_an_earlier_merge_stay_and_are_not_doubled() {
    let b = base();
    let mut o = b.clone();
    o.title = "ours".into();
    let mut th = b.clone();
    th.title = "theirs".into();
    let first = merge(b.clone(), o.clone(), th.clone()).session;
    assert_eq!(first.conflicts.len(), 1);
    // Both branches carry the undecided merge on; a second merge keeps one.
    let m = merge(b, first.clone(), first.clone());
    assert_eq!(m.session.conflicts, first.conflicts);
}

// The records of issue 14: processes, participants, workshop dates, the
// decision log and sign-offs.

use crate::domain::log::{Event, LogEntry};
use crate::domain::{Participant, Process, ProcessId, SignOffKind};

fn with_people() -> Session {
    let mut s = base();
    s.participants = vec![
        Participant::new("Ana", "risk owner"),
        Participant::new("李明", "IT"),
    ];
    let p = s.allocate_process_id().unwrap();
    s.processes.push(Process::new(p, "Backup"));
    fm(&mut s, 1).process = Some(p);
    for id in 1..=3 {
        fm(&mut s, id).treatment.decision = crate::domain::Decision::Accept;
    }
    s
}

fn note(s: &Session, at: i64, text: &str, fm: Option<u32>) -> Change {
    s.log_change(
        t(at),
        Event::Note {
            fm: fm.map(FailureModeId),
            text: text.into(),
        },
    )
}

#[test]
fn processes_added_on_both_sides_under_one_id_are_both_kept_theirs_renumbered_with_the_failure_modes_and_log_that_name_them()
 {
    let b = with_people();
    let mut o = b.clone();
    let mut th = b.clone();
    let p = o.allocate_process_id().unwrap();
    o.processes.push(Process::new(p, "Ours' payroll"));
    fm(&mut o, 2).process = Some(p);
    let f = o.allocate_failure_mode_id().unwrap();
    o.failure_modes.push(FailureMode::new(f, "ours' new"));
    let p = th.allocate_process_id().unwrap();
    th.processes.push(Process::new(p, "Theirs' access"));
    let f = th.allocate_failure_mode_id().unwrap();
    let mut new = FailureMode::new(f, "theirs' new");
    new.process = Some(p);
    th.failure_modes.push(new);
    th.apply(note(&th, 50, "ask the vendor", Some(f.0)));
    let m = merge(b, o, th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let text: Vec<String> = m.renumbered.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "theirs' PR-002 is PR-003 now",
            "theirs' FM-004 is FM-005 now"
        ]
    );
    let s = loads(&m);
    assert_eq!(s.process(ProcessId(2)).unwrap().name, "Ours' payroll");
    assert_eq!(s.process(ProcessId(3)).unwrap().name, "Theirs' access");
    assert_eq!(
        s.failure_mode(FailureModeId(2)).unwrap().process,
        Some(ProcessId(2))
    );
    assert_eq!(
        s.failure_mode(FailureModeId(5)).unwrap().process,
        Some(ProcessId(3)),
        "theirs' failure mode follows its process"
    );
    assert_eq!(
        s.log[0].event.failure_mode(),
        Some(FailureModeId(5)),
        "theirs' note follows its failure mode"
    );
    assert_eq!(s.next_ids.process, 4);
    assert!(crate::domain::validate(&s).is_empty());
}

#[test]
fn participants_merge_by_name_and_a_role_given_two_values_is_a_conflict_decided_either_way() {
    let b = with_people();
    let mut o = b.clone();
    let mut th = b.clone();
    o.participants.push(Participant::new("Bea", "auditor"));
    o.participants[0].present = true;
    th.participants.push(Participant::new("Chen", "guest"));
    th.participants[1].role = "ISMS manager".into();
    let m = merge(b.clone(), o.clone(), th.clone());
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let s = loads(&m);
    let people: Vec<(&str, &str, bool)> = s
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_str(), p.present))
        .collect();
    assert_eq!(
        people,
        [
            ("Ana", "risk owner", true),
            ("李明", "ISMS manager", false),
            ("Bea", "auditor", false),
            ("Chen", "guest", false)
        ],
        "ours' order, then theirs' new one; each side's edits"
    );

    let mut o2 = b.clone();
    o2.participants[0].role = "asset owner".into();
    let mut th2 = b.clone();
    th2.participants[0].role = "process owner".into();
    th2.participants.remove(1);
    let m = merge(b, o2, th2);
    let s = loads(&m);
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    assert_eq!(
        s.conflicts[0].to_string(),
        "Ana role: ours \"asset owner\", theirs \"process owner\" (the file holds ours)"
    );
    assert!(s.participant("李明").is_none(), "theirs removed them");
    let mut theirs = s.clone();
    theirs.apply(resolve(&s, &[Some(Side::Theirs)]).unwrap());
    assert_eq!(theirs.participant("Ana").unwrap().role, "process owner");
    assert!(theirs.conflicts.is_empty());
}

#[test]
fn a_participant_removed_on_one_side_and_changed_on_the_other_is_an_edit_against_a_delete() {
    let b = with_people();
    let mut o = b.clone();
    o.participants.remove(0);
    let mut th = b.clone();
    th.participants[0].present = true;
    let m = merge(b, o, th);
    let s = loads(&m);
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(
        (s.conflicts[0].record.as_str(), s.conflicts[0].held),
        ("Ana", Side::Theirs)
    );
    assert!(s.participant("Ana").is_some_and(|p| p.present));
    let mut ours = s.clone();
    ours.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert!(ours.participant("Ana").is_none());
}

#[test]
fn workshop_dates_merge_as_a_set_in_date_order() {
    let d = |day| jiff::civil::date(2026, 11, day);
    let mut b = with_people();
    b.dates = vec![d(2), d(9)];
    let mut o = b.clone();
    o.dates = vec![d(2), d(9), d(23)];
    let mut th = b.clone();
    th.dates = vec![d(16), d(9)];
    let m = merge(b, o, th);
    assert!(m.is_clean());
    assert_eq!(
        m.session.dates,
        [d(9), d(16), d(23)],
        "both sides' new days; the day theirs took off is gone"
    );
}

#[test]
fn the_decision_log_keeps_both_sides_entries_once_each_in_time_order_and_is_never_a_conflict() {
    let mut b = with_people();
    b.apply(note(&b, 1, "before the branches", None));
    let mut o = b.clone();
    o.apply(note(&o, 30, "ours", Some(1)));
    o.apply(note(&o, 10, "ours, earlier clock", None));
    let mut th = b.clone();
    th.apply(note(&th, 20, "theirs", Some(1)));
    // The same entry on both sides (the same room, both copies): once.
    let shared = note(&b, 40, "agreed in the room", None);
    o.apply(shared.clone());
    th.apply(shared);
    let m = merge(b, o.clone(), th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let s = loads(&m);
    let texts: Vec<&str> = s
        .log
        .iter()
        .map(|e| match &e.event {
            Event::Note { text, .. } => text.as_str(),
            _ => "?",
        })
        .collect();
    assert_eq!(
        texts,
        [
            "before the branches",
            "ours, earlier clock",
            "theirs",
            "ours",
            "agreed in the room"
        ]
    );
    let times: Vec<Timestamp> = s.log.iter().map(|e: &LogEntry| e.at).collect();
    assert!(times.is_sorted());
}

#[test]
fn a_sign_off_is_a_field_of_its_failure_mode_two_different_ones_conflict() {
    let b = with_people();
    let sign = |s: &mut Session, by: &str, kind, at| {
        let change = s
            .sign_off_change(FailureModeId(1), by, kind, t(at))
            .unwrap();
        s.apply(change);
    };
    // One side signs, the other rates: both land, and the sign-off shows
    // that the risk changed since (re-approval), as it would on the screen.
    let mut o = b.clone();
    sign(&mut o, "Ana", SignOffKind::AcceptResidual, 10);
    let mut th = b.clone();
    fm(&mut th, 1).severity = 9;
    let m = merge(b.clone(), o.clone(), th);
    assert!(m.is_clean(), "{:?}", m.session.conflicts);
    let f = m.session.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!(f.severity, 9);
    assert!(f.sign_off.as_ref().unwrap().needs_reapproval(f));

    let mut th = b.clone();
    sign(&mut th, "李明", SignOffKind::ApproveTreatment, 20);
    let m = merge(b, o, th);
    let s = loads(&m);
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(
        (s.conflicts[0].subject(), s.conflicts[0].field.as_str()),
        ("FM-001 sign_off".to_string(), "sign_off")
    );
    assert_eq!(
        s.failure_mode(FailureModeId(1))
            .unwrap()
            .sign_off
            .as_ref()
            .unwrap()
            .by,
        "Ana"
    );
    let mut theirs = s.clone();
    theirs.apply(resolve(&s, &[Some(Side::Theirs)]).unwrap());
    let x = theirs.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!(
        x.sign_off.as_ref().map(|x| (x.by.as_str(), x.kind)),
        Some(("李明", SignOffKind::ApproveTreatment))
    );
}

#[test]
fn a_process_deleted_on_one_side_and_linked_on_the_other_comes_back_as_a_conflict() {
    let b = with_people();
    let mut o = b.clone();
    o.apply(o.delete_process_change(ProcessId(1)));
    let mut th = b.clone();
    fm(&mut th, 3).process = Some(ProcessId(1));
    let m = merge(b, o, th);
    let s = loads(&m);
    assert!(s.process(ProcessId(1)).is_some());
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(s.conflicts[0].subject(), "PR-001");
    assert_eq!(
        s.failure_mode(FailureModeId(1)).unwrap().process,
        None,
        "ours' unlink lands"
    );
    let mut ours = s.clone();
    ours.apply(resolve(&s, &[Some(Side::Ours)]).unwrap());
    assert!(ours.process(ProcessId(1)).is_none());
    assert_eq!(
        ours.failure_mode(FailureModeId(3)).unwrap().process,
        None,
        "unlinked"
    );
    assert!(crate::domain::validate(&ours).is_empty());
}

#[test]
fn a_process_deleted_on_one_side_comes_back_when_a_conflict_could_link_to_it_either_way_round() {
    // Ours links FM-001 from PR-001 to PR-002; theirs deletes both processes
    // (unlinking FM-001): the link is a conflict, and PR-002 must come back
    // whichever branch is ours, or taking the link leaves it pointing nowhere.
    let mut b = with_people();
    let second = b.allocate_process_id().unwrap();
    b.processes.push(Process::new(second, "Remote access"));
    assert_eq!(
        (b.failure_mode(FailureModeId(1)).unwrap().process, second),
        (Some(ProcessId(1)), ProcessId(2))
    );
    let mut o = b.clone();
    fm(&mut o, 1).process = Some(ProcessId(2));
    let mut th = b.clone();
    for id in [ProcessId(1), ProcessId(2)] {
        th.apply(th.delete_process_change(id));
    }
    for (ours, theirs, link) in [(&o, &th, Side::Ours), (&th, &o, Side::Theirs)] {
        let m = merge(b.clone(), ours.clone(), theirs.clone());
        let s = loads(&m);
        let subjects: Vec<String> = s.conflicts.iter().map(Conflict::subject).collect();
        assert_eq!(subjects, ["FM-001 process", "PR-002"], "{link:?}");
        let choices = [Some(link), Some(link)];
        let mut linked = s.clone();
        linked.apply(resolve(&s, &choices).unwrap());
        assert_eq!(
            linked.failure_mode(FailureModeId(1)).unwrap().process,
            Some(ProcessId(2))
        );
        assert!(linked.process(ProcessId(2)).is_some());
        assert!(crate::domain::validate(&linked).is_empty());
    }
}
