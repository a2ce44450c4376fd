//! The canonical text of the workshop's record (session format 2): processes,
//! and what the writer in [`super`] calls for them. Kept apart so that the
//! session's core layout stays readable in one place.

use super::{Out, Sink};
use crate::domain::Process;

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
