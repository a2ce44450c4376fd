//! The three-way merge of one value in its serde form (a `serde_json::Value`),
//! by the rules of [`super::rules`]: what merges a record that both sides
//! changed, field by field, whatever fields it has.

use serde_json::{Map, Value};

use super::rules::{self, How};
use crate::domain::{Conflict, Side};

/// Where the merge is, for the conflicts it records.
pub(crate) struct At<'a> {
    pub part: &'a str,
    pub record: &'a str,
    pub conflicts: &'a mut Vec<Conflict>,
}

impl At<'_> {
    pub(crate) fn conflict(
        &mut self,
        field: &str,
        [base, ours, theirs]: [Option<&Value>; 3],
        held: Side,
    ) {
        let text = |v: Option<&Value>| v.map(Value::to_string);
        self.conflicts.push(Conflict {
            part: self.part.to_string(),
            record: self.record.to_string(),
            field: field.to_string(),
            base: text(base),
            ours: text(ours),
            theirs: text(theirs),
            held,
        });
    }
}

/// The merge of `base`, `ours` and `theirs` at the rule path `path` (the
/// field `field` of the record); `None` is "absent". Two changes that cannot
/// both be kept are recorded in `at` and the merge goes on with ours.
pub(crate) fn merge(
    at: &mut At,
    path: &str,
    field: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
) -> Option<Value> {
    if ours == theirs || base == theirs {
        return ours.cloned();
    }
    if base == ours {
        return theirs.cloned();
    }
    match rules::how(path) {
        How::Fields(default) => {
            let default = default();
            let fill = |v: Option<&Value>| v.cloned().unwrap_or_else(|| default.clone());
            let (b, o, t) = (fill(base), fill(ours), fill(theirs));
            match (b, o, t) {
                (Value::Object(b), Value::Object(o), Value::Object(t)) => {
                    Some(Value::Object(fields(at, path, field, &b, &o, &t)))
                }
                _ => whole(at, field, [base, ours, theirs]),
            }
        }
        How::Keyed(key) => {
            let list = |v: Option<&Value>| match v {
                None => Some(Vec::new()),
                Some(Value::Array(items)) => Some(items.clone()),
                Some(_) => None,
            };
            match (list(base), list(ours), list(theirs)) {
                (Some(b), Some(o), Some(t)) => {
                    Some(Value::Array(keyed(at, path, field, key, &b, &o, &t)))
                }
                _ => whole(at, field, [base, ours, theirs]),
            }
        }
        How::Union | How::Set => {
            let list = |v: Option<&Value>| match v {
                Some(Value::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            Some(Value::Array(union(&list(base), &list(ours), &list(theirs))))
        }
        How::Log => {
            let list = |v: Option<&Value>| match v {
                Some(Value::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            Some(Value::Array(appended(&list(ours), &list(theirs))))
        }
        How::Value | How::Key | How::Counter | How::Format | How::Position => {
            whole(at, field, [base, ours, theirs])
        }
    }
}

/// Two different changes of one value: a conflict, and ours goes on.
fn whole(at: &mut At, field: &str, values: [Option<&Value>; 3]) -> Option<Value> {
    at.conflict(field, values, Side::Ours);
    values[1].cloned()
}

fn fields(
    at: &mut At,
    path: &str,
    field: &str,
    base: &Map<String, Value>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
) -> Map<String, Value> {
    let mut names: Vec<&String> = ours
        .keys()
        .chain(theirs.keys())
        .chain(base.keys())
        .collect();
    names.sort();
    names.dedup();
    let mut out = Map::new();
    for name in names {
        let merged = merge(
            at,
            &rules::child(path, name),
            &rules::field_child(field, name),
            base.get(name),
            ours.get(name),
            theirs.get(name),
        );
        if let Some(value) = merged {
            out.insert(name.clone(), value);
        }
    }
    out
}

/// Records of a list matched by their `key` field: ours' order, then what only
/// theirs has (the typed record puts its list in its own order afterwards).
fn keyed(
    at: &mut At,
    path: &str,
    field: &str,
    key: &str,
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
) -> Vec<Value> {
    let key_of = |v: &Value| v.get(key).map(rules::key_text);
    let find = |list: &[Value], k: &str| {
        list.iter()
            .find(|v| key_of(v).as_deref() == Some(k))
            .cloned()
    };
    let mut keys: Vec<String> = Vec::new();
    for v in ours.iter().chain(theirs).chain(base) {
        if let Some(k) = key_of(v)
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    let element_path = rules::child(path, "*");
    let mut out = Vec::new();
    for k in keys {
        let (b, o, t) = (find(base, &k), find(ours, &k), find(theirs, &k));
        let element_field = rules::field_element(field, &k);
        let merged = match (&b, &o, &t) {
            (Some(b), Some(o), None) if b != o => {
                at.conflict(&element_field, [Some(b), Some(o), None], Side::Ours);
                Some(o.clone())
            }
            (Some(b), None, Some(t)) if b != t => {
                at.conflict(&element_field, [Some(b), None, Some(t)], Side::Theirs);
                Some(t.clone())
            }
            _ => merge(
                at,
                &element_path,
                &element_field,
                b.as_ref(),
                o.as_ref(),
                t.as_ref(),
            ),
        };
        out.extend(merged);
    }
    out
}

/// The three-way union of lists of records that are only ever added to: what
/// either side has, less what one side took away (an undo) while the other
/// kept it as it was. Ours' order, then theirs' new records.
pub(crate) fn union<T: PartialEq + Clone>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
    let removed_by = |side: &[T], v: &T| base.contains(v) && !side.contains(v);
    let mut out: Vec<T> = Vec::with_capacity(ours.len().max(theirs.len()));
    for v in ours.iter().chain(theirs) {
        if !removed_by(ours, v) && !removed_by(theirs, v) && !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// Two copies of an append-only list as one: every element of ours, then each
/// of theirs not matched by one of ours (each of ours matches one of theirs at
/// most, so an element one side holds twice stays twice). Nothing is taken
/// away: a list only ever appended to has no removals to honour.
pub(crate) fn appended<T: PartialEq + Clone>(ours: &[T], theirs: &[T]) -> Vec<T> {
    let mut out = ours.to_vec();
    let mut matched = vec![false; ours.len()];
    for v in theirs {
        match ours
            .iter()
            .enumerate()
            .position(|(i, o)| !matched[i] && o == v)
        {
            Some(i) => matched[i] = true,
            None => out.push(v.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(path: &str, b: Value, o: Value, t: Value) -> (Option<Value>, Vec<Conflict>) {
        let mut conflicts = Vec::new();
        let mut at = At {
            part: "failure_modes",
            record: "FM-001",
            conflicts: &mut conflicts,
        };
        let merged = merge(&mut at, path, "", Some(&b), Some(&o), Some(&t));
        (merged, conflicts)
    }

    #[test]
    fn different_fields_of_one_record_both_land() {
        let b = json!({"id": "FM-001", "severity": 8, "mode": "m"});
        let o = json!({"id": "FM-001", "severity": 9, "mode": "m"});
        let t = json!({"id": "FM-001", "severity": 8, "mode": "changed"});
        let (merged, conflicts) = run("failure_modes.*", b, o, t);
        assert_eq!(
            merged,
            Some(json!({"id": "FM-001", "severity": 9, "mode": "changed"}))
        );
        assert!(conflicts.is_empty());
    }

    #[test]
    fn one_field_changed_to_two_values_is_a_conflict_and_ours_is_held() {
        let b = json!({"severity": 8, "treatment": {"action": "a", "owner": ""}});
        let o = json!({"severity": 9, "treatment": {"action": "b", "owner": ""}});
        let t = json!({"severity": 7, "treatment": {"action": "a", "owner": "Ana"}});
        let (merged, conflicts) = run("failure_modes.*", b, o, t);
        let merged = merged.unwrap();
        assert_eq!(merged["severity"], json!(9));
        assert_eq!(merged["treatment"]["action"], json!("b"));
        assert_eq!(merged["treatment"]["owner"], json!("Ana"));
        assert_eq!(conflicts.len(), 1);
        let c = &conflicts[0];
        assert_eq!(
            (
                c.field.as_str(),
                c.base.as_deref(),
                c.ours.as_deref(),
                c.theirs.as_deref()
            ),
            ("severity", Some("8"), Some("9"), Some("7"))
        );
        assert_eq!(c.held, Side::Ours);
    }

    #[test]
    fn an_absent_treatment_is_the_empty_one_field_by_field() {
        // Ours set the decision on a failure mode without a treatment; theirs
        // wrote the action: both land, as they would on the screen.
        let mut dflt = serde_json::to_value(crate::domain::Treatment::default()).unwrap();
        let mut o = dflt.clone();
        o["decision"] = json!("Reduce");
        dflt["action"] = json!("MFA");
        let t = dflt;
        let (merged, conflicts) = run(
            "failure_modes.*",
            json!({"id": "FM-001"}),
            json!({"id": "FM-001", "treatment": o}),
            json!({"id": "FM-001", "treatment": t}),
        );
        let merged = merged.unwrap();
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(merged["treatment"]["decision"], json!("Reduce"));
        assert_eq!(merged["treatment"]["action"], json!("MFA"));
    }

    #[test]
    fn keyed_elements_merge_by_key_and_name_their_key() {
        let link = |id: &str, state: &str| json!({"id": id, "state": state});
        let b = json!({"annex_a": [link("A.8.5", "Planned")]});
        let o = json!({"annex_a": [link("A.8.5", "Existing"), link("A.5.1", "Planned")]});
        let t = json!({"annex_a": [link("A.8.5", "Planned"), link("A.8.13", "Planned")]});
        let (merged, conflicts) = run("failure_modes.*", b, o, t);
        assert!(conflicts.is_empty());
        assert_eq!(
            merged.unwrap()["annex_a"],
            json!([
                link("A.8.5", "Existing"),
                link("A.5.1", "Planned"),
                link("A.8.13", "Planned")
            ])
        );

        let b = json!({"annex_a": [link("A.8.5", "Planned")]});
        let o = json!({"annex_a": []});
        let t = json!({"annex_a": [link("A.8.5", "Existing")]});
        let (merged, conflicts) = run("failure_modes.*", b, o, t);
        assert_eq!(
            merged.unwrap()["annex_a"],
            json!([link("A.8.5", "Existing")])
        );
        assert_eq!(conflicts[0].field, "annex_a[A.8.5]");
        assert_eq!(conflicts[0].held, Side::Theirs, "the edit is kept");
    }

    #[test]
    fn the_union_keeps_both_sides_and_drops_what_one_side_undid() {
        let (b, o, t) = (vec![1, 2], vec![1, 2, 3], vec![1, 4]);
        assert_eq!(union(&b, &o, &t), [1, 3, 4], "theirs took 2 away");
        assert_eq!(union(&b, &t, &o), [1, 4, 3]);
        assert_eq!(union(&[1], &[1, 5], &[1, 5]), [1, 5], "no duplicates");
    }
}
