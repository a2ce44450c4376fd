//! The canonical text of the workshop's record (session format 2): the
//! details, processes, the decision log, and what the writer in [`super`]
//! calls for them. Kept apart so that the
//! session's core layout stays readable in one place.

use super::decision_name;
use super::{Out, Sink, stage_name};
use crate::domain::log::{Event, FieldChange, LogEntry, TreatmentField, Via};
use crate::domain::{
    FailureModeId, Participant, Process, RiskState, Session, SignOff, SignOffKind,
};

/// A list of strings, one per line (`team`, `participants` of format 1, …).
pub(super) fn strings<S: Sink>(o: &mut Out<S>, level: usize, name: &str, items: &[String]) {
    o.field_list(level, name, items, |o, item| {
        o.indent(level + 1);
        o.string(item);
        o.raw(b",\n");
    });
}

pub(super) fn process<S: Sink>(o: &mut Out<S>, level: usize, p: &Process) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_id(l, "id", b"PR-", p.id.0);
        o.field_string(l, "name", &p.name);
        strings(o, l, "team", &p.team);
        o.field_string(l, "purpose", &p.purpose);
        o.field_string(l, "owner", &p.owner);
    });
}

/// The workshop dates and the participants, after the facilitator.
pub(super) fn details<S: Sink>(o: &mut Out<S>, s: &Session) {
    o.field_list(1, "dates", &s.dates, |o, date| {
        o.indent(2);
        o.display(date);
        o.raw(b",\n");
    });
    o.field_list(1, "participants", &s.participants, |o, p| {
        participant(o, 2, p);
    });
}

fn participant<S: Sink>(o: &mut Out<S>, level: usize, p: &Participant) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_string(l, "name", &p.name);
        o.field_string(l, "role", &p.role);
        o.field_ident(l, "present", if p.present { "true" } else { "false" });
    });
}

/// `key: Name(` … `),`: an enum variant with fields, as ron writes it.
fn variant<S: Sink>(
    o: &mut Out<S>,
    level: usize,
    key: &str,
    name: &str,
    fields: impl FnOnce(&mut Out<S>),
) {
    o.key(level, key);
    o.raw(name.as_bytes());
    o.raw(b"(\n");
    fields(o);
    o.indent(level);
    o.raw(b"),\n");
}

fn optional_fm<S: Sink>(o: &mut Out<S>, level: usize, fm: Option<FailureModeId>) {
    match fm {
        Some(id) => o.field_id(level, "fm", b"FM-", id.0),
        None => o.field_string(level, "fm", ""),
    }
}

pub(crate) fn via_name(via: Via) -> &'static str {
    match via {
        Via::Edit => "Edit",
        Via::Undo => "Undo",
        Via::Redo => "Redo",
    }
}

pub(crate) fn treatment_field_name(field: TreatmentField) -> &'static str {
    match field {
        TreatmentField::Decision => "Decision",
        TreatmentField::Action => "Action",
        TreatmentField::Owner => "Owner",
        TreatmentField::Due => "Due",
        TreatmentField::Status => "Status",
        TreatmentField::ActionTaken => "ActionTaken",
        TreatmentField::RevisedSeverity => "RevisedSeverity",
        TreatmentField::RevisedOccurrence => "RevisedOccurrence",
        TreatmentField::RevisedDetection => "RevisedDetection",
    }
}

fn field_change<S: Sink>(o: &mut Out<S>, level: usize, c: &FieldChange) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_ident(l, "field", treatment_field_name(c.field));
        o.field_string(l, "from", &c.from);
        o.field_string(l, "to", &c.to);
    });
}

fn event<S: Sink>(o: &mut Out<S>, level: usize, e: &Event) {
    let l = level + 1;
    match e {
        Event::Treatment { fm, changes } => variant(o, level, "event", "Treatment", |o| {
            o.field_id(l, "fm", b"FM-", fm.0);
            o.field_list(l, "changes", changes, |o, c| field_change(o, l + 1, c));
        }),
        Event::Stage { from, to } => variant(o, level, "event", "Stage", |o| {
            o.field_ident(l, "from", stage_name(*from));
            o.field_ident(l, "to", stage_name(*to));
        }),
        Event::CycleClosed { cycle } => variant(o, level, "event", "CycleClosed", |o| {
            o.field_number(l, "cycle", *cycle);
        }),
        Event::CycleReopened { cycle } => variant(o, level, "event", "CycleReopened", |o| {
            o.field_number(l, "cycle", *cycle);
        }),
        Event::ParticipantRemoved { name, role } => {
            variant(o, level, "event", "ParticipantRemoved", |o| {
                o.field_string(l, "name", name);
                o.field_string(l, "role", role);
            });
        }
        Event::Note { fm, text } => variant(o, level, "event", "Note", |o| {
            optional_fm(o, l, *fm);
            o.field_string(l, "text", text);
        }),
        Event::Question { fm, text } => variant(o, level, "event", "Question", |o| {
            optional_fm(o, l, *fm);
            o.field_string(l, "text", text);
        }),
        Event::Action {
            fm,
            text,
            owner,
            due,
        } => variant(o, level, "event", "Action", |o| {
            optional_fm(o, l, *fm);
            o.field_string(l, "text", text);
            o.field_string(l, "owner", owner);
            match due {
                Some(date) => o.field_display(l, "due", date),
                None => o.field_string(l, "due", ""),
            }
        }),
        Event::SignedOff { fm, sign_off } => variant(o, level, "event", "SignedOff", |o| {
            o.field_id(l, "fm", b"FM-", fm.0);
            o.record(l, Some("sign_off"), |o| sign_off_fields(o, l, sign_off));
        }),
        Event::Revoked { fm, by, role } => variant(o, level, "event", "Revoked", |o| {
            o.field_id(l, "fm", b"FM-", fm.0);
            o.field_string(l, "by", by);
            o.field_string(l, "role", role);
        }),
        Event::Withdrawn { at, event: inner } => {
            variant(o, level, "event", "Withdrawn", |o| {
                o.field_display(l, "at", at);
                event(o, l, inner);
            });
        }
    }
}

fn entry<S: Sink>(o: &mut Out<S>, level: usize, e: &LogEntry) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_display(l, "at", e.at);
        o.field_number(l, "cycle", e.cycle);
        o.field_ident(l, "stage", stage_name(e.stage));
        strings(o, l, "present", &e.present);
        if !e.via.is_edit() {
            o.field_ident(l, "via", via_name(e.via));
        }
        event(o, l, &e.event);
    });
}

/// The decision log, after the failure modes.
pub(super) fn log<S: Sink>(o: &mut Out<S>, entries: &[LogEntry]) {
    o.field_list(1, "log", entries, |o, e| entry(o, 2, e));
}

pub(crate) fn sign_off_kind_name(kind: SignOffKind) -> &'static str {
    match kind {
        SignOffKind::AcceptResidual => "AcceptResidual",
        SignOffKind::ApproveTreatment => "ApproveTreatment",
    }
}

fn risk_state<S: Sink>(o: &mut Out<S>, level: usize, r: &RiskState) {
    o.record(level, Some("state"), |o| {
        let l = level + 1;
        o.field_number(l, "severity", u32::from(r.severity));
        o.field_number(l, "occurrence", u32::from(r.occurrence));
        o.field_number(l, "detection", u32::from(r.detection));
        o.field_option(l, "revised_severity", r.revised_severity);
        o.field_option(l, "revised_occurrence", r.revised_occurrence);
        o.field_option(l, "revised_detection", r.revised_detection);
        o.field_ident(l, "decision", decision_name(r.decision));
        o.field_string(l, "action", &r.action);
        o.field_string(l, "owner", &r.owner);
        match r.due {
            Some(date) => o.field_display(l, "due", date),
            None => o.field_string(l, "due", ""),
        }
    });
}

/// The fields of a sign-off, one level in from `level`.
fn sign_off_fields<S: Sink>(o: &mut Out<S>, level: usize, s: &SignOff) {
    let l = level + 1;
    o.field_string(l, "by", &s.by);
    o.field_string(l, "role", &s.role);
    o.field_display(l, "at", s.at);
    o.field_ident(l, "kind", sign_off_kind_name(s.kind));
    risk_state(o, l, &s.state);
}

/// `sign_off: Some((` … `)),` closing a failure mode (or its record in a
/// closed cycle) when it has one.
pub(super) fn sign_off<S: Sink>(o: &mut Out<S>, level: usize, s: Option<&SignOff>) {
    let Some(s) = s else {
        return;
    };
    o.key(level, "sign_off");
    o.raw(b"Some((\n");
    sign_off_fields(o, level, s);
    o.indent(level);
    o.raw(b")),\n");
}
