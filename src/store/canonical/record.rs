//! The canonical text of the workshop's record (session format 2): the
//! details, processes, and what the writer in [`super`] calls for them. Kept apart so that the
//! session's core layout stays readable in one place.

use super::{Out, Sink};
use crate::domain::{Participant, Process, Session};

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
