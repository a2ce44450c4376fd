//! Sign-offs: who, when, the state they applied to, and when they need
//! re-approval, over every field of a failure mode that can change.

use jiff::Timestamp;
use jiff::civil::date;

use super::*;
use crate::domain::log::{Event, Via, recorded};
use crate::domain::treatment::Status;
use crate::domain::{AssetId, ControlState, Participant, ProcessId};

fn t(s: i64) -> Timestamp {
    Timestamp::from_second(1_795_424_400 + s).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn session() -> Session {
    let mut s = Session::new("Sign-off", t(0));
    s.participants = vec![
        Participant::new("Priya Raman", "risk owner"),
        Participant::new("Guest", ""),
    ];
    let mut fm = FailureMode::new(FailureModeId(1), "Customer IP leaves the chamber");
    (fm.severity, fm.occurrence, fm.detection) = (9, 4, 6);
    let t = &mut fm.treatment;
    t.decision = Decision::Reduce;
    t.action = "DLP on the gateway".into();
    t.owner = "Network administrator".into();
    t.due = Some(date(2026, 12, 15));
    t.revised_occurrence = Some(2);
    s.failure_modes.push(fm);
    s
}

fn signed(kind: SignOffKind) -> Session {
    let mut s = session();
    let change = s
        .sign_off_change(FailureModeId(1), "Priya Raman", kind, t(60))
        .unwrap();
    s.apply(change);
    s
}

/// Every field of a failure mode that can change, changed one at a time, and
/// whether that makes an acceptance of the residual risk and an approval of
/// the treatment plan stale.
/// What, the edit, stale for an acceptance, stale for an approval.
type Edit = (&'static str, fn(&mut FailureMode), bool, bool);

fn edits() -> Vec<Edit> {
    vec![
        ("severity", |f| f.severity = 10, true, true),
        ("occurrence", |f| f.occurrence = 5, true, true),
        ("detection", |f| f.detection = 1, true, true),
        (
            "revised severity given",
            |f| f.treatment.revised_severity = Some(9),
            true,
            true,
        ),
        (
            "revised occurrence changed",
            |f| f.treatment.revised_occurrence = Some(3),
            true,
            true,
        ),
        (
            "revised occurrence taken back",
            |f| f.treatment.revised_occurrence = None,
            true,
            true,
        ),
        (
            "revised detection given",
            |f| f.treatment.revised_detection = Some(6),
            true,
            true,
        ),
        (
            "decision",
            |f| f.treatment.decision = Decision::Accept,
            true,
            true,
        ),
        (
            "action",
            |f| f.treatment.action = "DLP and CASB".into(),
            false,
            true,
        ),
        (
            "action owner",
            |f| f.treatment.owner = "CISO".into(),
            false,
            true,
        ),
        (
            "due date",
            |f| f.treatment.due = Some(date(2027, 3, 1)),
            false,
            true,
        ),
        ("due date removed", |f| f.treatment.due = None, false, true),
        (
            "status",
            |f| f.treatment.status = Status::Done,
            false,
            false,
        ),
        (
            "action taken",
            |f| f.treatment.action_taken = "Installed".into(),
            false,
            false,
        ),
        ("mode", |f| f.mode = "Other words".into(), false, false),
        (
            "effect",
            |f| f.effect = "Contract breach".into(),
            false,
            false,
        ),
        ("cause", |f| f.cause = "Copy and paste".into(), false, false),
        (
            "controls",
            |f| f.controls = "Clipboard blocked".into(),
            false,
            false,
        ),
        ("asset", |f| f.asset = Some(AssetId(3)), false, false),
        ("process", |f| f.process = Some(ProcessId(2)), false, false),
        (
            "Annex A link",
            |f| *f = f.with_link("A.8.12", Some(ControlState::Planned)),
            false,
            false,
        ),
    ]
}

#[test]
fn a_sign_off_keeps_who_when_and_the_risk_it_applied_to() {
    let s = signed(SignOffKind::AcceptResidual);
    let fm = &s.failure_modes[0];
    let sign_off = fm.sign_off.as_ref().unwrap();
    assert_eq!(
        (sign_off.by.as_str(), sign_off.role.as_str(), sign_off.at),
        ("Priya Raman", "risk owner", t(60))
    );
    assert_eq!(sign_off.state, RiskState::of(&session().failure_modes[0]));
    assert_eq!(
        (sign_off.state.severity, sign_off.state.revised_occurrence),
        (9, Some(2))
    );
    assert!(!sign_off.needs_reapproval(fm));
}

#[test]
fn staleness_over_every_field_that_can_change() {
    for kind in SignOffKind::ALL {
        let s = signed(kind);
        let original = s.failure_modes[0].clone();
        let sign_off = original.sign_off.clone().unwrap();
        for (what, edit, residual, plan) in edits() {
            let mut fm = original.clone();
            edit(&mut fm);
            assert_ne!(fm, original, "{what} changes something");
            let stale = match kind {
                SignOffKind::AcceptResidual => residual,
                SignOffKind::ApproveTreatment => plan,
            };
            assert_eq!(
                sign_off.needs_reapproval(&fm),
                stale,
                "{kind:?} after {what}"
            );
            assert_eq!(
                sign_off.changes_since(&fm).len(),
                usize::from(stale),
                "{what}"
            );
        }
        // Changed and changed back: the state is what counts, not the history.
        let mut fm = original.clone();
        fm.severity = 3;
        fm.severity = original.severity;
        assert!(!sign_off.needs_reapproval(&fm));
    }
}

#[test]
fn what_changed_since_is_said_in_words() {
    let s = signed(SignOffKind::ApproveTreatment);
    let mut fm = s.failure_modes[0].clone();
    fm.severity = 10;
    fm.treatment.revised_occurrence = None;
    fm.treatment.action = "Something else".into();
    fm.treatment.due = None;
    let since: Vec<String> = fm
        .sign_off
        .as_ref()
        .unwrap()
        .changes_since(&fm)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        since,
        [
            "severity 9 → 10",
            "residual occurrence 2 → –",
            "action changed",
            "due 2026-12-15 → –",
        ]
    );
}

#[test]
fn only_a_participant_signs_and_only_a_decided_risk() {
    let s = session();
    let id = FailureModeId(1);
    assert_eq!(
        s.sign_off_change(id, "Nobody", SignOffKind::AcceptResidual, t(1)),
        Err(SignOffError::NotAParticipant("Nobody".into()))
    );
    assert_eq!(
        s.sign_off_change(FailureModeId(9), "Guest", SignOffKind::AcceptResidual, t(1)),
        Err(SignOffError::NoSuchFailureMode(FailureModeId(9)))
    );
    let mut undecided = s.clone();
    undecided.failure_modes[0].treatment.decision = Decision::Undecided;
    let refused = undecided.sign_off_change(id, "Guest", SignOffKind::ApproveTreatment, t(1));
    assert_eq!(refused, Err(SignOffError::Undecided(id)));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "FM-001 has no decision yet: decide first"
    );
    assert!(s.revoke_change(id).is_none(), "nothing to revoke");
}

#[test]
fn a_signer_taken_off_the_list_keeps_the_acceptance_as_a_former_participant() {
    let mut s = signed(SignOffKind::AcceptResidual);
    let sign_off = s.failure_modes[0].sign_off.clone().unwrap();
    assert_eq!(s.signer(&sign_off), "Priya Raman (risk owner)");
    s.participants.remove(0);
    assert_eq!(
        s.signer(&sign_off),
        "Priya Raman (risk owner, former participant)"
    );
    assert!(
        s.failure_modes[0].sign_off.is_some(),
        "the acceptance stays"
    );
    let guest = SignOff {
        by: "Guest".into(),
        role: String::new(),
        ..*sign_off
    };
    assert_eq!(s.signer(&guest), "Guest");
    s.participants.clear();
    assert_eq!(s.signer(&guest), "Guest (former participant)");
}

#[test]
fn signing_revoking_and_undoing_a_sign_off_are_logged_and_undo_takes_nothing_out() {
    let mut s = session();
    let id = FailureModeId(1);
    let sign = s
        .sign_off_change(id, "Priya Raman", SignOffKind::AcceptResidual, t(10))
        .unwrap();
    let undo = s.apply(recorded(&s, sign, t(10), Via::Edit));
    assert!(matches!(
        &s.log[0].event,
        Event::SignedOff { fm, sign_off } if *fm == id && sign_off.by == "Priya Raman"
    ));
    s.apply(recorded(&s, undo, t(11), Via::Undo));
    assert!(s.failure_modes[0].sign_off.is_none());
    assert_eq!(s.log.len(), 2);
    assert_eq!(
        (&s.log[1].event, s.log[1].via),
        (
            &Event::Revoked {
                fm: id,
                by: "Priya Raman".into(),
                role: "risk owner".into()
            },
            Via::Undo
        )
    );
    // Signed again after a change: a re-approval is one more entry.
    s.apply(recorded(
        &s,
        s.sign_off_change(id, "Priya Raman", SignOffKind::AcceptResidual, t(12))
            .unwrap(),
        t(12),
        Via::Edit,
    ));
    let mut fm = s.failure_modes[0].clone();
    fm.detection = 8;
    s.apply(recorded(&s, Change::PutFailureMode(fm), t(13), Via::Edit));
    assert_eq!(s.log.len(), 3, "a rating change is no entry of its own");
    assert!(
        s.failure_modes[0]
            .sign_off
            .as_ref()
            .unwrap()
            .needs_reapproval(&s.failure_modes[0])
    );
    s.apply(recorded(
        &s,
        s.sign_off_change(id, "Priya Raman", SignOffKind::AcceptResidual, t(14))
            .unwrap(),
        t(14),
        Via::Edit,
    ));
    assert_eq!(s.log.len(), 4);
    assert!(
        !s.failure_modes[0]
            .sign_off
            .as_ref()
            .unwrap()
            .needs_reapproval(&s.failure_modes[0])
    );
    s.apply(recorded(&s, s.revoke_change(id).unwrap(), t(15), Via::Edit));
    assert!(matches!(s.log[4].event, Event::Revoked { .. }));
}

#[test]
fn a_cycle_close_keeps_the_sign_off_in_the_record_and_starts_a_carried_risk_unsigned() {
    let mut s = signed(SignOffKind::AcceptResidual);
    s.failure_modes[0].treatment.status = Status::Done;
    let mut other = FailureMode::new(FailureModeId(2), "still open");
    other.treatment.decision = Decision::Accept;
    s.failure_modes.push(other);
    s.apply(
        s.sign_off_change(
            FailureModeId(2),
            "Guest",
            SignOffKind::AcceptResidual,
            t(70),
        )
        .unwrap(),
    );
    for i in 0..4 {
        s.apply(s.advance_stage_change(t(100 + i)).unwrap());
    }
    assert_eq!(s.pdca.cycle, 2);
    let record = &s.pdca.closed_cycles[0];
    assert_eq!(
        record.failure_modes[0]
            .sign_off
            .as_ref()
            .map(|x| x.by.as_str()),
        Some("Priya Raman")
    );
    assert!(
        s.failure_modes[0].sign_off.is_none(),
        "carried over, signed afresh"
    );
    assert!(s.failure_modes[1].sign_off.is_some(), "not done: kept");
}
