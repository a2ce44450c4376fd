//! How each part of a session merges: one rule per path of its serde form.
//!
//! A path names a field from the top of the session, `.`-separated, with `*` for
//! "every element of this list": `failure_modes.*.treatment.due`. The merge, the
//! diff and the taking of one side of a conflict all read this table, and a test
//! walks every field of a session's serde form (and every field name serde knows
//! of each record type) and fails for a field without a rule: a field added to
//! the session is covered here before it can be merged wrongly.

use serde_json::{Value, json};

use crate::domain::Treatment;
use crate::domain::threshold::Threshold;

/// How a value is merged.
#[derive(Debug, Clone, Copy)]
pub enum How {
    /// One value, merged whole: changed on one side, that side's; the same on
    /// both sides, that; changed to two values, a conflict.
    Value,
    /// A record's identity: how its list matches it up, never merged.
    Key,
    /// A record or a group of fields, merged field by field. An absent value (a
    /// field left out of the file while empty) stands for `default`.
    Fields(fn() -> Value),
    /// A list of records matched by the field named here and merged record by
    /// record (elements at `path.*`).
    Keyed(&'static str),
    /// Append-only records: the union of what each side has (less what one side
    /// took away and the other left alone), without duplicates, in time order.
    Union,
    /// The decision log, which nothing ever takes an entry out of: every entry
    /// of either side, an entry both have once, in time order. Never a
    /// conflict (see [`crate::domain::log::union`]).
    Log,
    /// A set of values (workshop dates, a process's team): what either side
    /// added, less what either side took away. Never a conflict: adding and
    /// removing members are separate edits that both land.
    Set,
    /// A counter of IDs handed out: the highest of the sides, and above every
    /// record the merge kept.
    Counter,
    /// The file format: the one this program writes, whatever the sides had.
    Format,
    /// The PDCA cycle and stage, which move together: two different moves are
    /// one conflict (see [`super::pdca`]).
    Position,
}

impl How {
    /// Whether the rule takes the value whole (nothing below it has a rule).
    pub fn is_whole(self) -> bool {
        !matches!(self, How::Fields(_) | How::Keyed(_))
    }
}

fn object() -> Value {
    json!({})
}

fn treatment() -> Value {
    serde_json::to_value(Treatment::default()).unwrap_or_else(|_| object())
}

fn threshold() -> Value {
    serde_json::to_value(Threshold::default()).unwrap_or_else(|_| object())
}

/// Every path of a session's serde form and its rule. Below a rule that takes
/// its value whole ([`How::is_whole`]) no path is listed.
pub const RULES: &[(&str, How)] = &[
    ("format", How::Format),
    ("title", How::Value),
    ("organisation", How::Value),
    ("scope", How::Value),
    ("facilitator", How::Value),
    // The days the room met: each side's new days land, a day one side took
    // off goes; in date order.
    ("dates", How::Set),
    // Participants matched by name (the name is how the log and sign-offs
    // refer to a person): one side's new participant lands, the same person
    // given two roles (or marked present and absent) is a conflict on that
    // field, a participant removed on one side and changed on the other an
    // edit against a delete. Ours' order, then theirs' new ones.
    ("participants", How::Keyed("name")),
    ("participants.*", How::Fields(object)),
    ("participants.*.name", How::Key),
    ("participants.*.role", How::Value),
    ("participants.*.present", How::Value),
    ("threshold", How::Fields(threshold)),
    ("threshold.rpn", How::Value),
    ("threshold.ap_high", How::Value),
    // Whether a vote's reveal names the voters: one setting, taken whole.
    ("name_voters", How::Value),
    ("pdca", How::Fields(object)),
    ("pdca.cycle", How::Position),
    ("pdca.stage", How::Position),
    ("pdca.history", How::Union),
    // A closed cycle's record: what the room saw at the close. Two rooms that
    // both closed one cycle recorded the failure modes each had: every one
    // either recorded lands (none drops out of the cycle's history), and one
    // both recorded is merged field by field like a live one (see
    // `super::pdca` for the base it is merged against); the record's values
    // as the room saw them, taken whole.
    ("pdca.closed_cycles", How::Keyed("cycle")),
    ("pdca.closed_cycles.*", How::Fields(object)),
    ("pdca.closed_cycles.*.cycle", How::Key),
    ("pdca.closed_cycles.*.closed", How::Value),
    ("pdca.closed_cycles.*.failure_modes", How::Keyed("id")),
    ("pdca.closed_cycles.*.failure_modes.*", How::Fields(object)),
    ("pdca.closed_cycles.*.failure_modes.*.id", How::Key),
    ("pdca.closed_cycles.*.failure_modes.*.severity", How::Value),
    (
        "pdca.closed_cycles.*.failure_modes.*.occurrence",
        How::Value,
    ),
    ("pdca.closed_cycles.*.failure_modes.*.detection", How::Value),
    ("pdca.closed_cycles.*.failure_modes.*.treatment", How::Value),
    ("pdca.closed_cycles.*.failure_modes.*.annex_a", How::Value),
    ("pdca.closed_cycles.*.failure_modes.*.sign_off", How::Value),
    ("assets", How::Keyed("id")),
    ("assets.*", How::Fields(object)),
    ("assets.*.id", How::Key),
    ("assets.*.name", How::Value),
    ("assets.*.category", How::Value),
    ("assets.*.owner", How::Value),
    ("assets.*.location", How::Value),
    ("assets.*.description", How::Value),
    ("assets.*.confidentiality", How::Value),
    ("assets.*.integrity", How::Value),
    ("assets.*.availability", How::Value),
    // Processes merged by ID like assets; both sides adding one under the same
    // ID: theirs renumbered, failure modes' references followed.
    ("processes", How::Keyed("id")),
    ("processes.*", How::Fields(object)),
    ("processes.*.id", How::Key),
    ("processes.*.name", How::Value),
    ("processes.*.team", How::Set),
    ("processes.*.purpose", How::Value),
    ("processes.*.owner", How::Value),
    ("failure_modes", How::Keyed("id")),
    ("failure_modes.*", How::Fields(object)),
    ("failure_modes.*.id", How::Key),
    // A reference: renumbered with the asset before the merge.
    ("failure_modes.*.asset", How::Value),
    // A reference: renumbered with the process before the merge.
    ("failure_modes.*.process", How::Value),
    ("failure_modes.*.mode", How::Value),
    ("failure_modes.*.effect", How::Value),
    ("failure_modes.*.cause", How::Value),
    ("failure_modes.*.controls", How::Value),
    ("failure_modes.*.severity", How::Value),
    ("failure_modes.*.occurrence", How::Value),
    ("failure_modes.*.detection", How::Value),
    ("failure_modes.*.treatment", How::Fields(treatment)),
    ("failure_modes.*.treatment.decision", How::Value),
    ("failure_modes.*.treatment.action", How::Value),
    ("failure_modes.*.treatment.owner", How::Value),
    ("failure_modes.*.treatment.due", How::Value),
    ("failure_modes.*.treatment.status", How::Value),
    ("failure_modes.*.treatment.action_taken", How::Value),
    ("failure_modes.*.treatment.revised_severity", How::Value),
    ("failure_modes.*.treatment.revised_occurrence", How::Value),
    ("failure_modes.*.treatment.revised_detection", How::Value),
    ("failure_modes.*.annex_a", How::Keyed("id")),
    ("failure_modes.*.annex_a.*", How::Fields(object)),
    ("failure_modes.*.annex_a.*.id", How::Key),
    ("failure_modes.*.annex_a.*.state", How::Value),
    // The risk owner's sign-off as one value: who, when, what kind and the
    // risk state it applied to belong together. Both sides signing (or one
    // revoking, the other re-signing) differently is a conflict. A sign-off
    // whose risk state the merge changed shows as needing re-approval, as on
    // the screen.
    ("failure_modes.*.sign_off", How::Value),
    // Append-only: both sides' entries, none lost, none doubled, time order.
    ("log", How::Log),
    ("next_ids", How::Counter),
    ("programme", How::Fields(object)),
    ("programme.roadmap", How::Keyed("step")),
    ("programme.roadmap.*", How::Fields(object)),
    ("programme.roadmap.*.step", How::Key),
    ("programme.roadmap.*.status", How::Value),
    ("programme.roadmap.*.owner", How::Value),
    ("programme.roadmap.*.due", How::Value),
    ("programme.roadmap.*.evidence", How::Value),
    ("programme.roadmap.*.note", How::Value),
    ("programme.documents", How::Keyed("clause")),
    ("programme.documents.*", How::Fields(object)),
    ("programme.documents.*.clause", How::Key),
    ("programme.documents.*.status", How::Value),
    ("programme.documents.*.owner", How::Value),
    ("programme.documents.*.evidence", How::Value),
    ("programme.documents.*.last_review", How::Value),
    // Conflicts a merge left undecided, merged again as a set.
    ("conflicts", How::Union),
];

/// The rule of a path; a path without one is merged whole (a conflict rather
/// than a guess), though the tests see to it that every path has one.
pub fn how(path: &str) -> How {
    RULES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(How::Value, |(_, how)| *how)
}

/// Whether the table has a rule for `path`.
pub fn has_rule(path: &str) -> bool {
    RULES.iter().any(|(p, _)| *p == path)
}

/// `path.name`, or `name` at the top.
pub fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A field within a record as conflicts and the diff name it: `severity`,
/// `treatment.due`, `annex_a[A.8.5].state`.
pub fn field_child(field: &str, name: &str) -> String {
    child(field, name)
}

/// The element with `key` of a keyed list within a record's field.
pub fn field_element(field: &str, key: &str) -> String {
    format!("{field}[{key}]")
}

/// One step of a field path: a field name, and for an element of a keyed list
/// its key (`annex_a[A.8.5]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub key: Option<String>,
}

/// The steps of a field path as [`field_child`] and [`field_element`] write it.
/// A key may hold dots (`A.8.5`); it ends at its `]`.
pub fn steps(field: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut rest = field;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let mut step = Step {
            name: rest[..end].to_string(),
            key: None,
        };
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']').unwrap_or(after.len());
            step.key = Some(after[..close].to_string());
            rest = after.get(close + 1..).unwrap_or("");
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
        steps.push(step);
    }
    steps
}

/// A key as text: a string as it is, anything else as its JSON.
pub fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
