//! Lists of records matched up by their key, merged record by record. A record
//! that only one side changed is taken as that side has it, whole and without
//! a copy; only a record both sides changed goes through its serde form
//! ([`super::tree`]), so that merging two copies of 100,000 failure modes costs
//! a comparison per record.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::rules;
use super::tree::{self, At};
use crate::domain::pdca::CycleRecord;
use crate::domain::programme::{CLAUSES, DocumentRecord, StepRecord};
use crate::domain::{Asset, Conflict, FailureMode, Participant, Process, Side};

/// A record in a keyed list of the session.
pub(crate) trait Record: Clone + PartialEq + Serialize + DeserializeOwned {
    type Key: Ord + Clone;
    fn key(&self) -> Self::Key;
    /// The record's name in conflicts and the diff: `FM-003`, `5`, `4.3`.
    fn name(key: &Self::Key) -> String;
    /// What a missing record stands for, where that is something: a roadmap
    /// step without a record is a blank one. `None` where a missing record is
    /// a deleted one.
    fn absent(_key: &Self::Key) -> Option<Self> {
        None
    }
    /// Puts a merged record in the form the program keeps it in.
    fn normalise(&mut self) {}
}

impl Record for Asset {
    type Key = crate::domain::AssetId;
    fn key(&self) -> Self::Key {
        self.id
    }
    fn name(key: &Self::Key) -> String {
        key.to_string()
    }
}

impl Record for FailureMode {
    type Key = crate::domain::FailureModeId;
    fn key(&self) -> Self::Key {
        self.id
    }
    fn name(key: &Self::Key) -> String {
        key.to_string()
    }
    fn normalise(&mut self) {
        // Linked controls in catalogue order, as the picker keeps them.
        let links = std::mem::take(&mut self.annex_a);
        self.annex_a = links.into_iter().fold(Vec::new(), |list, link| {
            crate::domain::annex_a::with_link(&list, &link.id, Some(link.state))
        });
    }
}

impl Record for Process {
    type Key = crate::domain::ProcessId;
    fn key(&self) -> Self::Key {
        self.id
    }
    fn name(key: &Self::Key) -> String {
        key.to_string()
    }
}

/// Keyed by name: how the log and the sign-offs refer to a person.
impl Record for Participant {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
    fn name(key: &String) -> String {
        key.clone()
    }
}

impl Record for CycleRecord {
    type Key = u32;
    fn key(&self) -> u32 {
        self.cycle
    }
    fn name(key: &u32) -> String {
        key.to_string()
    }
}

impl Record for StepRecord {
    type Key = u8;
    fn key(&self) -> u8 {
        self.step
    }
    fn name(key: &u8) -> String {
        key.to_string()
    }
    fn absent(key: &u8) -> Option<Self> {
        Some(StepRecord::blank(*key))
    }
}

impl Record for DocumentRecord {
    /// The clause's place in the standard, then its ID: the programme's order.
    type Key = (usize, String);
    fn key(&self) -> Self::Key {
        let position = CLAUSES
            .iter()
            .position(|c| c.id == self.clause)
            .unwrap_or(usize::MAX);
        (position, self.clause.clone())
    }
    fn name(key: &Self::Key) -> String {
        key.1.clone()
    }
    fn absent(key: &Self::Key) -> Option<Self> {
        Some(DocumentRecord::blank(&key.1))
    }
}

/// Merges three lists in key order (as a loaded session keeps them) into one
/// in key order. `part` is the list's rule path.
pub(crate) fn merge<R: Record>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    mut base: Vec<R>,
    mut ours: Vec<R>,
    mut theirs: Vec<R>,
) -> Vec<R> {
    for list in [&mut base, &mut ours, &mut theirs] {
        if !list.is_sorted_by_key(R::key) {
            list.sort_by_key(R::key);
        }
    }
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    let (mut bi, mut oi, mut ti) = (
        base.into_iter().peekable(),
        ours.into_iter().peekable(),
        theirs.into_iter().peekable(),
    );
    loop {
        let next = [bi.peek(), oi.peek(), ti.peek()]
            .into_iter()
            .flatten()
            .map(R::key)
            .min();
        let Some(key) = next else { break };
        let b = bi.next_if(|r| r.key() == key);
        let o = oi.next_if(|r| r.key() == key);
        let t = ti.next_if(|r| r.key() == key);
        let merged = one(conflicts, part, &key, b, o, t);
        out.extend(merged.filter(|r| R::absent(&key).as_ref() != Some(r)));
    }
    out
}

/// Merges three lists kept in the order people put them in (participants),
/// matched by key: ours' order, then what theirs added in theirs' order. A
/// key twice in one list (a hand-edited file) counts once, its first.
pub(crate) fn merge_in_order<R: Record>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    base: Vec<R>,
    ours: Vec<R>,
    theirs: Vec<R>,
) -> Vec<R> {
    if ours == base || ours == theirs {
        return theirs;
    }
    if theirs == base {
        return ours;
    }
    let mut order: Vec<R::Key> = Vec::new();
    let index = |list: Vec<R>, order: &mut Vec<R::Key>| {
        let mut map = std::collections::BTreeMap::new();
        for r in list {
            let key = r.key();
            if let std::collections::btree_map::Entry::Vacant(slot) = map.entry(key.clone()) {
                if !order.contains(&key) {
                    order.push(key);
                }
                slot.insert(r);
            }
        }
        map
    };
    let mut o = index(ours, &mut order);
    let mut t = index(theirs, &mut order);
    let mut b = index(base, &mut order);
    let mut out = Vec::with_capacity(order.len());
    for key in order {
        let (br, or, tr) = (b.remove(&key), o.remove(&key), t.remove(&key));
        out.extend(one(conflicts, part, &key, br, or, tr));
    }
    out
}

fn one<R: Record>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    key: &R::Key,
    base: Option<R>,
    ours: Option<R>,
    theirs: Option<R>,
) -> Option<R> {
    // A missing record that stands for a blank one merges as that blank.
    let fill = |r: Option<R>| r.or_else(|| R::absent(key));
    let (base, ours, theirs) = (fill(base), fill(ours), fill(theirs));
    match (base, ours, theirs) {
        (_, None, None) => None,
        (None, Some(o), None) => Some(o),
        (None, None, Some(t)) => Some(t),
        (b, Some(o), Some(t)) => {
            if o == t || b.as_ref() == Some(&t) {
                Some(o)
            } else if b.as_ref() == Some(&o) {
                Some(t)
            } else {
                Some(both_changed(conflicts, part, key, b.as_ref(), o, t))
            }
        }
        (Some(b), Some(o), None) => (b != o).then(|| {
            edit_against_delete(conflicts, part, key, &b, &o, Side::Ours);
            o
        }),
        (Some(b), None, Some(t)) => (b != t).then(|| {
            edit_against_delete(conflicts, part, key, &b, &t, Side::Theirs);
            t
        }),
    }
}

fn json<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// One side deleted a record the other changed: the change is kept, and the
/// delete is a conflict.
fn edit_against_delete<R: Record>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    key: &R::Key,
    base: &R,
    kept: &R,
    side: Side,
) {
    let record = R::name(key);
    let mut at = At {
        part,
        record: &record,
        conflicts,
    };
    let (b, k) = (json(base), json(kept));
    let values = match side {
        Side::Ours => [b.as_ref(), k.as_ref(), None],
        Side::Theirs => [b.as_ref(), None, k.as_ref()],
    };
    at.conflict("", values, side);
}

/// A record both sides changed: merged field by field in its serde form.
fn both_changed<R: Record>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    key: &R::Key,
    base: Option<&R>,
    ours: R,
    theirs: R,
) -> R {
    let record = R::name(key);
    let (b, o, t) = (base.and_then(json), json(&ours), json(&theirs));
    let mut found = Vec::new();
    let mut at = At {
        part,
        record: &record,
        conflicts: &mut found,
    };
    let merged = tree::merge(
        &mut at,
        &rules::child(part, "*"),
        "",
        b.as_ref(),
        o.as_ref(),
        t.as_ref(),
    );
    match merged.map(serde_json::from_value::<R>) {
        Some(Ok(mut record)) => {
            record.normalise();
            conflicts.append(&mut found);
            record
        }
        // The serde form of a record always reads back; should a merged one
        // not, the whole record is one conflict rather than a guess.
        _ => {
            let mut at = At {
                part,
                record: &record,
                conflicts,
            };
            at.conflict("", [b.as_ref(), o.as_ref(), t.as_ref()], Side::Ours);
            ours
        }
    }
}
