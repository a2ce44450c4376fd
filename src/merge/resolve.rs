//! Deciding the conflicts a merge left: for each, ours or theirs. The result is
//! one [`Change`] (so one undo takes it back) that puts the chosen values in
//! place and empties the list of conflicts; it is built only once every
//! conflict has its side, so nothing is saved half decided.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::Moved;
use super::rules::{self, How, Step};
use crate::domain::change::Info;
use crate::domain::pdca::CycleRecord;
use crate::domain::programme::{DocumentRecord, StepRecord};
use crate::domain::{
    Asset, AssetId, Change, Conflict, FailureMode, FailureModeId, Participant, Process, ProcessId,
    Session, Side,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Not every conflict has its side yet.
    Undecided { decided: usize, conflicts: usize },
    /// A conflict whose value cannot be put back (a hand-edited file).
    Bad { conflict: String, message: String },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Undecided { decided, conflicts } => write!(
                f,
                "{decided} of {conflicts} conflicts decided; nothing is taken until all are"
            ),
            ResolveError::Bad { conflict, message } => {
                write!(f, "conflict {conflict}: {message}")
            }
        }
    }
}

impl std::error::Error for ResolveError {}

/// The change that takes, for each of the session's conflicts in order, the
/// side in `choices`, and leaves no conflict behind.
pub fn resolve(session: &Session, choices: &[Option<Side>]) -> Result<Change, ResolveError> {
    let decided = choices.iter().flatten().count();
    if choices.len() != session.conflicts.len() || decided != session.conflicts.len() {
        return Err(ResolveError::Undecided {
            decided,
            conflicts: session.conflicts.len(),
        });
    }
    let mut work = Work::new(session);
    for (conflict, side) in session.conflicts.iter().zip(choices.iter().flatten()) {
        if *side == conflict.held {
            continue;
        }
        let bad = |message: String| ResolveError::Bad {
            conflict: conflict.subject(),
            message,
        };
        let value = match conflict.value(*side) {
            Some(text) => Some(
                serde_json::from_str::<Value>(text)
                    .map_err(|e| bad(format!("its value is not JSON: {e}")))?,
            ),
            None => None,
        };
        work.take(conflict, value).map_err(bad)?;
    }
    work.changes()
        .map(Change::Batch)
        .map_err(|message| ResolveError::Bad {
            conflict: "(all)".to_string(),
            message,
        })
}

/// What the file holds now for `conflict`, as JSON text (`None`: no record),
/// where that is no longer the value of the side it held at the merge:
/// someone edited it since. Taking that side keeps the file as it is now (the
/// edit with it), so the screen shows this value for it. `None` where nothing
/// changed, and for the parts of the session this does not look into (the
/// session's own fields, participants, the PDCA position).
pub fn edited_since(session: &Session, conflict: &Conflict) -> Option<Option<String>> {
    let part = conflict.part.as_str();
    let records = [
        "failure_modes",
        "assets",
        "processes",
        "programme.roadmap",
        "programme.documents",
        "pdca.closed_cycles",
    ];
    if !records.contains(&part) {
        return None;
    }
    let record = Work::new(session).record_now(part, &conflict.record).ok()?;
    let now = get(
        record.as_ref(),
        &rules::child(part, "*"),
        &rules::steps(&conflict.field),
    )
    .filter(|v| !v.is_null());
    let held = conflict
        .value(conflict.held)
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .filter(|v| !v.is_null());
    (now != held.as_ref()).then(|| now.map(Value::to_string))
}

/// The value at `steps` in a record, as [`set`] would find it.
fn get<'v>(record: Option<&'v Value>, path: &str, steps: &[Step]) -> Option<&'v Value> {
    let Some((step, rest)) = steps.split_first() else {
        return record;
    };
    let fields = record?.as_object()?;
    let child = rules::child(path, &step.name);
    match &step.key {
        None => get(fields.get(&step.name), &child, rest),
        Some(key) => {
            let How::Keyed(key_field) = rules::how(&child) else {
                return None;
            };
            let found = fields
                .get(&step.name)?
                .as_array()?
                .iter()
                .find(|v| v.get(key_field).map(rules::key_text).as_deref() == Some(key));
            get(found, &rules::child(&child, "*"), rest)
        }
    }
}

/// The records and values the choices touch, as they will be.
struct Work<'a> {
    session: &'a Session,
    /// Records by part and name: `None` once deleted.
    records: BTreeMap<(String, String), Option<Value>>,
    info: Option<Info>,
    threshold: Option<Value>,
    pdca: Option<crate::domain::Pdca>,
}

impl<'a> Work<'a> {
    fn new(session: &'a Session) -> Self {
        Self {
            session,
            records: BTreeMap::new(),
            info: None,
            threshold: None,
            pdca: None,
        }
    }

    fn record_now(&self, part: &str, name: &str) -> Result<Option<Value>, String> {
        let s = self.session;
        let json = |v: Option<Value>| Ok(v);
        match part {
            "failure_modes" => {
                let id: FailureModeId = name.parse().map_err(|e| format!("{e}"))?;
                json(
                    s.failure_mode(id)
                        .and_then(|f| serde_json::to_value(f).ok()),
                )
            }
            "assets" => {
                let id: AssetId = name.parse().map_err(|e| format!("{e}"))?;
                json(s.asset(id).and_then(|a| serde_json::to_value(a).ok()))
            }
            "processes" => {
                let id: ProcessId = name.parse().map_err(|e| format!("{e}"))?;
                json(s.process(id).and_then(|p| serde_json::to_value(p).ok()))
            }
            "programme.roadmap" => {
                let step: u8 = name.parse().map_err(|_| format!("{name:?} is no step"))?;
                json(serde_json::to_value(s.programme.step(step)).ok())
            }
            "programme.documents" => json(serde_json::to_value(s.programme.document(name)).ok()),
            "pdca.closed_cycles" => {
                let cycle: u32 = name.parse().map_err(|_| format!("{name:?} is no cycle"))?;
                let pdca = self.pdca.as_ref().unwrap_or(&s.pdca);
                json(
                    pdca.closed_cycles
                        .iter()
                        .find(|r| r.cycle == cycle)
                        .and_then(|r| serde_json::to_value(r).ok()),
                )
            }
            other => Err(format!("no record kind {other:?}")),
        }
    }

    fn take(&mut self, conflict: &Conflict, value: Option<Value>) -> Result<(), String> {
        let part = conflict.part.as_str();
        match part {
            "participants" if !conflict.record.is_empty() => {
                let info = self.info.get_or_insert_with(|| self.session.info());
                let name = conflict.record.as_str();
                let at = info.participants.iter().position(|p| p.name == name);
                let mut record = match at {
                    Some(i) => Some(
                        serde_json::to_value(&info.participants[i]).map_err(|e| e.to_string())?,
                    ),
                    None => None,
                };
                set(
                    &mut record,
                    "participants.*",
                    &rules::steps(&conflict.field),
                    value,
                )?;
                let record: Option<Participant> = record
                    .map(serde_json::from_value)
                    .transpose()
                    .map_err(|e| e.to_string())?;
                match (at, record) {
                    (Some(i), Some(p)) => info.participants[i] = p,
                    (Some(i), None) => {
                        info.participants.remove(i);
                    }
                    (None, Some(p)) => info.participants.push(p),
                    (None, None) => {}
                }
                Ok(())
            }
            "title" | "organisation" | "scope" | "facilitator" | "participants" => {
                let info = self.info.get_or_insert_with(|| self.session.info());
                let text = |v: Option<Value>| -> Result<String, String> {
                    serde_json::from_value(v.unwrap_or(Value::Null)).map_err(|e| e.to_string())
                };
                match part {
                    "title" => info.title = text(value)?,
                    "organisation" => info.organisation = text(value)?,
                    "scope" => info.scope = text(value)?,
                    "facilitator" => info.facilitator = text(value)?,
                    _ => {
                        info.participants = serde_json::from_value(value.unwrap_or(Value::Null))
                            .map_err(|e| e.to_string())?;
                    }
                }
                Ok(())
            }
            "threshold" => {
                let now = match self.threshold.take() {
                    Some(v) => v,
                    None => {
                        serde_json::to_value(self.session.threshold).map_err(|e| e.to_string())?
                    }
                };
                let mut now = Some(now);
                set(&mut now, "threshold", &rules::steps(&conflict.field), value)?;
                self.threshold = now;
                Ok(())
            }
            "pdca" => {
                let moved: Moved = serde_json::from_value(value.ok_or("no PDCA position")?)
                    .map_err(|e| e.to_string())?;
                let pdca = self.pdca.get_or_insert_with(|| self.session.pdca.clone());
                // Back to that stage: what happened after it in later cycles
                // goes, so that the file loads (the failure modes keep what
                // the merge gave them).
                pdca.cycle = moved.cycle;
                pdca.stage = moved.stage;
                pdca.history.retain(|h| h.cycle <= moved.cycle);
                pdca.closed_cycles.retain(|r| r.cycle < moved.cycle);
                Ok(())
            }
            _ => {
                let key = (part.to_string(), conflict.record.clone());
                let mut record = match self.records.get(&key) {
                    Some(r) => r.clone(),
                    None => self.record_now(part, &conflict.record)?,
                };
                set(
                    &mut record,
                    &rules::child(part, "*"),
                    &rules::steps(&conflict.field),
                    value,
                )?;
                if part == "pdca.closed_cycles" {
                    let cycle: u32 = conflict
                        .record
                        .parse()
                        .map_err(|_| "no cycle".to_string())?;
                    let pdca = self.pdca.get_or_insert_with(|| self.session.pdca.clone());
                    pdca.closed_cycles.retain(|r| r.cycle != cycle);
                    if let Some(record) = record {
                        let record: CycleRecord =
                            serde_json::from_value(record).map_err(|e| e.to_string())?;
                        let at = pdca.closed_cycles.partition_point(|r| r.cycle < cycle);
                        pdca.closed_cycles.insert(at, record);
                    }
                    return Ok(());
                }
                self.records.insert(key, record);
                Ok(())
            }
        }
    }

    fn changes(self) -> Result<Vec<Change>, String> {
        let mut changes = Vec::new();
        let mut fm_after: BTreeMap<FailureModeId, Option<FailureMode>> = BTreeMap::new();
        let mut asset_removes = Vec::new();
        let mut asset_puts = Vec::new();
        let mut process_removes = Vec::new();
        let mut process_puts = Vec::new();
        for ((part, name), record) in self.records {
            let read =
                |what: &str| -> Result<_, String> { Err(format!("{what} {name}: no record")) };
            match part.as_str() {
                "failure_modes" => {
                    let id: FailureModeId = name.parse().map_err(|e| format!("{e}"))?;
                    let fm = match record {
                        Some(v) => {
                            let mut fm: FailureMode =
                                serde_json::from_value(v).map_err(|e| e.to_string())?;
                            super::records::Record::normalise(&mut fm);
                            Some(fm)
                        }
                        None => None,
                    };
                    fm_after.insert(id, fm);
                }
                "assets" => {
                    let id: AssetId = name.parse().map_err(|e| format!("{e}"))?;
                    match record {
                        Some(v) => asset_puts
                            .push(serde_json::from_value::<Asset>(v).map_err(|e| e.to_string())?),
                        None => asset_removes.push(id),
                    }
                }
                "processes" => {
                    let id: ProcessId = name.parse().map_err(|e| format!("{e}"))?;
                    match record {
                        Some(v) => process_puts
                            .push(serde_json::from_value::<Process>(v).map_err(|e| e.to_string())?),
                        None => process_removes.push(id),
                    }
                }
                "programme.roadmap" => {
                    let step: u8 = name.parse().map_err(|_| "no step".to_string())?;
                    let record = match record {
                        Some(v) => serde_json::from_value(v).map_err(|e| e.to_string())?,
                        None => StepRecord::blank(step),
                    };
                    changes.push(Change::PutStep(record));
                }
                "programme.documents" => {
                    let record = match record {
                        Some(v) => serde_json::from_value(v).map_err(|e| e.to_string())?,
                        None => DocumentRecord::blank(&name),
                    };
                    changes.push(Change::PutDocument(record));
                }
                other => return read(other),
            }
        }
        if let Some(info) = self.info {
            changes.push(Change::SetInfo(Box::new(info)));
        }
        if let Some(threshold) = self.threshold {
            let threshold = serde_json::from_value(threshold).map_err(|e| e.to_string())?;
            changes.push(Change::SetThreshold(threshold));
        }
        if let Some(pdca) = self.pdca {
            changes.push(Change::SetPdca(pdca));
        }
        changes.extend(asset_puts.into_iter().map(Change::PutAsset));
        // A deleted asset's or process's failure modes are unlinked, as the
        // screen's delete does, as they stand after the choices above.
        for id in &asset_removes {
            unlink(
                self.session,
                &mut fm_after,
                |f| f.asset == Some(*id),
                |f| f.asset = None,
            );
        }
        changes.extend(process_puts.into_iter().map(Change::PutProcess));
        for id in &process_removes {
            unlink(
                self.session,
                &mut fm_after,
                |f| f.process == Some(*id),
                |f| f.process = None,
            );
        }
        let mut fm_changes: Vec<Change> = fm_after
            .into_iter()
            .map(|(id, fm)| match fm {
                Some(fm) => Change::PutFailureMode(fm),
                None => Change::RemoveFailureMode(id),
            })
            .collect();
        fm_changes.append(&mut changes);
        fm_changes.extend(asset_removes.into_iter().map(Change::RemoveAsset));
        fm_changes.extend(process_removes.into_iter().map(Change::RemoveProcess));
        fm_changes.push(Change::SetConflicts(Vec::new()));
        Ok(fm_changes)
    }
}

/// Clears the reference to a deleted record in every failure mode that
/// `refers` to it, as it stands in `after` or else in the session; those
/// changed join `after`.
fn unlink(
    session: &Session,
    after: &mut BTreeMap<FailureModeId, Option<FailureMode>>,
    refers: impl Fn(&FailureMode) -> bool,
    clear: impl Fn(&mut FailureMode),
) {
    for fm in after.values_mut().flatten() {
        if refers(fm) {
            clear(fm);
        }
    }
    for fm in &session.failure_modes {
        if refers(fm) && !after.contains_key(&fm.id) {
            let mut fm = fm.clone();
            clear(&mut fm);
            after.insert(fm.id, Some(fm));
        }
    }
}

/// Sets the field at `steps` of `record` (whose rule path is `path`) to
/// `value` (`None`: takes it away). No steps: the record itself.
fn set(
    record: &mut Option<Value>,
    path: &str,
    steps: &[Step],
    value: Option<Value>,
) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        *record = value;
        return Ok(());
    };
    let here = record.get_or_insert_with(|| match rules::how(path) {
        How::Fields(default) => default(),
        _ => Value::Object(serde_json::Map::new()),
    });
    let Value::Object(fields) = here else {
        return Err(format!("{} is not a record", step.name));
    };
    let child = rules::child(path, &step.name);
    match &step.key {
        None => {
            let mut inner = fields.remove(&step.name);
            if inner.is_none()
                && !rest.is_empty()
                && let How::Fields(default) = rules::how(&child)
            {
                inner = Some(default());
            }
            set(&mut inner, &child, rest, value)?;
            if let Some(inner) = inner {
                fields.insert(step.name.clone(), inner);
            }
        }
        Some(key) => {
            let How::Keyed(key_field) = rules::how(&child) else {
                return Err(format!("{} is not a keyed list", step.name));
            };
            let list = fields
                .entry(step.name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = list else {
                return Err(format!("{} is not a list", step.name));
            };
            let found = items
                .iter()
                .position(|v| v.get(key_field).map(rules::key_text).as_deref() == Some(key));
            let mut element = found.map(|i| items.remove(i));
            set(&mut element, &rules::child(&child, "*"), rest, value)?;
            if let Some(element) = element {
                items.insert(found.unwrap_or(items.len()), element);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_is_set_deep_in_a_record_and_an_element_by_its_key() {
        let mut r = Some(json!({"id": "FM-001", "annex_a": [{"id": "A.8.5", "state": "Planned"}]}));
        set(
            &mut r,
            "failure_modes.*",
            &rules::steps("treatment.action"),
            Some(json!("MFA")),
        )
        .unwrap();
        let r1 = r.clone().unwrap();
        assert_eq!(r1["treatment"]["action"], json!("MFA"));
        assert_eq!(
            r1["treatment"]["decision"],
            json!("Undecided"),
            "the rest is the default"
        );
        set(
            &mut r,
            "failure_modes.*",
            &rules::steps("annex_a[A.8.5].state"),
            Some(json!("Existing")),
        )
        .unwrap();
        assert_eq!(r.clone().unwrap()["annex_a"][0]["state"], json!("Existing"));
        set(
            &mut r,
            "failure_modes.*",
            &rules::steps("annex_a[A.8.5]"),
            None,
        )
        .unwrap();
        assert_eq!(r.unwrap()["annex_a"], json!([]));
    }
}
