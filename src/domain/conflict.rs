//! Merge conflicts kept in the session file: where two branches of a session
//! changed the same thing in two ways (see `crate::merge`). The merged file holds
//! one of the two values and loads like any other session; the conflicts say
//! what the other side had, until someone decides each one.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One side of a merge: `Ours` is the branch merged into (git's `%A`), `Theirs`
/// the branch merged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    Ours,
    Theirs,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Ours, Side::Theirs];

    pub fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Two changes of one thing that a merge could not both keep.
///
/// The values are JSON text of the serde form of the field (`8`, `"MFA"`,
/// `null`, a whole record for an edit against a delete): JSON because it says
/// exactly what serde reads back, whatever the field's type, so that taking
/// either side needs no code per field. `None` is "not there": the record was
/// deleted on that side.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The part of the session, as the merge rules name it: `failure_modes`,
    /// `assets`, `programme.roadmap`, `pdca`, `title`…
    pub part: String,
    /// The record within the part (`FM-003`, `A-021`, `5`, `4.3`); empty for a
    /// part that is one value.
    pub record: String,
    /// The field within the record, dotted (`severity`, `treatment.due`); empty
    /// for the record as a whole.
    pub field: String,
    /// The value before either change.
    pub base: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
    /// Which of the two the file holds now.
    pub held: Side,
}

impl Conflict {
    /// The value one side had.
    pub fn value(&self, side: Side) -> Option<&str> {
        match side {
            Side::Ours => self.ours.as_deref(),
            Side::Theirs => self.theirs.as_deref(),
        }
    }

    /// What the conflict is about, as people read it: `FM-003 severity`,
    /// `A-021`, `pdca`, `title`.
    pub fn subject(&self) -> String {
        let head = if self.record.is_empty() {
            self.part.as_str()
        } else {
            self.record.as_str()
        };
        let mut subject = match self.part.as_str() {
            "programme.roadmap" => format!("roadmap step {head}"),
            "programme.documents" => format!("document {head}"),
            "pdca.closed_cycles" => format!("cycle {head} record"),
            _ => head.to_string(),
        };
        if !self.field.is_empty() {
            // A failure mode in a cycle's record: `cycle 2 record: FM-003 severity`.
            match self
                .field
                .strip_prefix("failure_modes[")
                .and_then(|rest| rest.split_once(']'))
            {
                Some((id, rest)) if self.part == "pdca.closed_cycles" => {
                    subject.push_str(": ");
                    subject.push_str(id);
                    let rest = rest.trim_start_matches('.');
                    if !rest.is_empty() {
                        subject.push(' ');
                        subject.push_str(rest);
                    }
                }
                _ => {
                    subject.push(' ');
                    subject.push_str(&self.field);
                }
            }
        }
        subject
    }

    /// The conflict as the other side would have recorded it (the merge run the
    /// other way round): ours and theirs swapped.
    pub fn mirrored(&self) -> Conflict {
        Conflict {
            ours: self.theirs.clone(),
            theirs: self.ours.clone(),
            held: self.held.other(),
            ..self.clone()
        }
    }
}

/// One field in which the sides of a conflict over a whole record differ
/// (see [`Conflict::differences`]). Values as JSON text; `None`: not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The field, as people read it: `severity`, `treatment.action`,
    /// `FM-003 severity` in a cycle's record.
    pub field: String,
    pub base: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

impl Conflict {
    /// Whether the conflict's values are records (or groups of fields) rather
    /// than single values: a record edited against deleted, a failure mode in
    /// a cycle's record, a treatment or sign-off taken whole.
    pub fn is_whole_record(&self) -> bool {
        [&self.base, &self.ours, &self.theirs]
            .into_iter()
            .flatten()
            .any(|v| v.starts_with('{'))
    }

    /// For a conflict over a whole record, what to decide on, field by
    /// field: where both sides have the record, the fields in which they
    /// differ; where one side deleted it, the fields the other side changed
    /// (what taking the delete would lose). Records in a list are matched by
    /// their `id` (a cycle record's failure modes). Empty for a conflict over
    /// one field, whose three values say it all.
    pub fn differences(&self) -> Vec<Difference> {
        if !self.is_whole_record() {
            return Vec::new();
        }
        let parse = |v: &Option<String>| {
            v.as_deref()
                .and_then(|v| serde_json::from_str::<Value>(v).ok())
        };
        let (base, ours, theirs) = (parse(&self.base), parse(&self.ours), parse(&self.theirs));
        let mut found = Vec::new();
        let compare_to_base = ours.is_none() || theirs.is_none();
        let mut walk = Walk {
            compare_to_base,
            found: &mut found,
        };
        walk.value(
            &Path::default(),
            [base.as_ref(), ours.as_ref(), theirs.as_ref()],
        );
        found
    }
}

/// The walk behind [`Conflict::differences`]: three trees side by side.
struct Walk<'a> {
    /// One side deleted the record: report what the other changed from the base.
    compare_to_base: bool,
    found: &'a mut Vec<Difference>,
}

type Three<'v> = [Option<&'v Value>; 3];

/// Where the walk is: the field's name so far, and whether it ends in a
/// record's ID (then the next field follows after a space: `FM-003 severity`).
#[derive(Clone, Default)]
struct Path {
    text: String,
    after_id: bool,
}

impl Path {
    fn field(&self, key: &str) -> Path {
        let text = match (self.text.is_empty(), self.after_id) {
            (true, _) => key.to_string(),
            (false, true) => format!("{} {key}", self.text),
            (false, false) => format!("{}.{key}", self.text),
        };
        Path {
            text,
            after_id: false,
        }
    }

    /// A record in a list, by ID; the list's own name goes (`failure_modes`
    /// adds nothing to `FM-003`), unless it is nested in a named field.
    fn record(list_parent: &Path, id: &str) -> Path {
        let text = if list_parent.text.is_empty() {
            id.to_string()
        } else {
            format!("{} {id}", list_parent.text)
        };
        Path {
            text,
            after_id: true,
        }
    }
}

impl Walk<'_> {
    /// The two values compared: ours and theirs, or the side still there and
    /// the base.
    fn pair<'v>(&self, [b, o, t]: Three<'v>) -> (Option<&'v Value>, Option<&'v Value>) {
        if self.compare_to_base {
            (o.or(t), b)
        } else {
            (o, t)
        }
    }

    fn differs(&self, three: Three) -> bool {
        let (x, y) = self.pair(three);
        x != y && (x.is_some() || !self.compare_to_base)
    }

    /// One value of the record (the record itself at the top).
    fn value(&mut self, at: &Path, three: Three) {
        if !self.differs(three) {
            return;
        }
        if let (Some(Value::Object(x)), Some(Value::Object(y))) = self.pair(three) {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let three = three.map(|v| v.and_then(|v| v.get(key.as_str())));
                self.field(at, key, three);
            }
            return;
        }
        let [base, ours, theirs] = three.map(|v| v.map(Value::to_string));
        self.found.push(Difference {
            field: at.text.clone(),
            base,
            ours,
            theirs,
        });
    }

    /// A field of an object: a list of records with IDs goes record by
    /// record, named by ID; anything else as one value.
    fn field(&mut self, parent: &Path, key: &str, three: Three) {
        let at = parent.field(key);
        let id_of = |r: &Value| r.get("id").and_then(Value::as_str).map(str::to_string);
        let lists = match self.pair(three) {
            (Some(Value::Array(x)), Some(Value::Array(y))) => Some((x, y)),
            _ => None,
        };
        let Some((x, y)) =
            lists.filter(|(x, y)| x.iter().chain(y.iter()).all(|r| id_of(r).is_some()))
        else {
            self.value(&at, three);
            return;
        };
        if x == y {
            return;
        }
        let mut ids: Vec<String> = x.iter().chain(y.iter()).filter_map(id_of).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            let three = three.map(|v| {
                v.and_then(Value::as_array)
                    .and_then(|l| l.iter().find(|r| id_of(r).as_deref() == Some(id.as_str())))
            });
            self.value(&Path::record(parent, &id), three);
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A whole record is too long for a line: it was kept as edited.
        let shown = |v: &Option<String>| match v {
            None => "(deleted)".to_string(),
            Some(v) if v.starts_with('{') => "(edited)".to_string(),
            Some(v) => v.clone(),
        };
        write!(
            f,
            "{}: ours {}, theirs {} (the file holds {})",
            self.subject(),
            shown(&self.ours),
            shown(&self.theirs),
            self.held
        )?;
        // A whole record: which fields, so that git's output says what to
        // look at on the screen.
        let fields: Vec<String> = self
            .differences()
            .into_iter()
            .map(|d| d.field)
            .filter(|f| !f.is_empty())
            .collect();
        const NAMED: usize = 4;
        if !fields.is_empty() {
            let verb = if self.ours.is_some() && self.theirs.is_some() {
                "they differ in"
            } else {
                "the edit changed"
            };
            write!(
                f,
                "; {verb} {}",
                fields[..fields.len().min(NAMED)].join(", ")
            )?;
            if fields.len() > NAMED {
                write!(f, " and {} more", fields.len() - NAMED)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict() -> Conflict {
        Conflict {
            part: "failure_modes".into(),
            record: "FM-003".into(),
            field: "severity".into(),
            base: Some("8".into()),
            ours: Some("9".into()),
            theirs: Some("7".into()),
            held: Side::Ours,
        }
    }

    #[test]
    fn a_conflict_names_its_record_and_field() {
        let c = conflict();
        assert_eq!(c.subject(), "FM-003 severity");
        assert_eq!(
            c.to_string(),
            "FM-003 severity: ours 9, theirs 7 (the file holds ours)"
        );
        let step = Conflict {
            part: "programme.roadmap".into(),
            record: "5".into(),
            field: String::new(),
            theirs: None,
            ..c.clone()
        };
        assert_eq!(step.subject(), "roadmap step 5");
        assert!(step.to_string().contains("theirs (deleted)"));
        let record = Conflict {
            ours: Some("{\"id\":\"FM-003\"}".into()),
            ..step.clone()
        };
        assert_eq!(
            record.to_string(),
            "roadmap step 5: ours (edited), theirs (deleted) (the file holds ours)"
        );
        let title = Conflict {
            part: "title".into(),
            record: String::new(),
            field: String::new(),
            ..c
        };
        assert_eq!(title.subject(), "title");
    }

    #[test]
    fn mirroring_swaps_the_sides_and_twice_is_the_same() {
        let c = conflict();
        let m = c.mirrored();
        assert_eq!(
            (m.ours.as_deref(), m.theirs.as_deref()),
            (Some("7"), Some("9"))
        );
        assert_eq!(m.held, Side::Theirs);
        assert_eq!(m.value(Side::Ours), Some("7"));
        assert_eq!(m.mirrored(), c);
    }

    #[test]
    fn a_field_conflict_has_no_differences_of_its_own() {
        let c = conflict();
        assert!(!c.is_whole_record());
        assert!(c.differences().is_empty());
    }

    #[test]
    fn records_on_both_sides_differ_field_by_field_with_lists_matched_by_id() {
        let c = Conflict {
            part: "pdca.closed_cycles".into(),
            record: "2".into(),
            field: String::new(),
            base: None,
            ours: Some(
                r#"{"cycle":2,"closed":"a","failure_modes":[{"id":"FM-001","severity":5,"treatment":{"action":"x"}},{"id":"FM-002","severity":4}]}"#
                    .into(),
            ),
            theirs: Some(
                r#"{"cycle":2,"closed":"a","failure_modes":[{"id":"FM-001","severity":6,"treatment":{"action":"y"}},{"id":"FM-002","severity":4},{"id":"FM-003","severity":1}],"note":[1,2]}"#
                    .into(),
            ),
            held: Side::Ours,
        };
        let shown: Vec<String> = c
            .differences()
            .iter()
            .map(|d| {
                format!(
                    "{}: {} / {}",
                    d.field,
                    d.ours.as_deref().unwrap_or("-"),
                    d.theirs.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "FM-001 severity: 5 / 6",
                r#"FM-001 treatment.action: "x" / "y""#,
                r#"FM-003: - / {"id":"FM-003","severity":1}"#,
                "note: - / [1,2]",
            ]
        );
    }

    #[test]
    fn a_record_conflict_on_one_line_names_the_fields_to_look_at() {
        let both = Conflict {
            part: "pdca.closed_cycles".into(),
            record: "2".into(),
            field: String::new(),
            base: None,
            ours: Some(r#"{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1}"#.into()),
            theirs: Some(r#"{"a":2,"b":2,"c":2,"d":2,"e":2,"f":1}"#.into()),
            held: Side::Ours,
        };
        assert_eq!(
            both.to_string(),
            "cycle 2 record: ours (edited), theirs (edited) (the file holds ours); \
             they differ in a, b, c, d and 1 more"
        );
        let deleted = Conflict {
            base: Some(r#"{"a":1,"b":1}"#.into()),
            ours: None,
            theirs: Some(r#"{"a":1,"b":2}"#.into()),
            held: Side::Theirs,
            ..both
        };
        assert!(
            deleted
                .to_string()
                .ends_with("(the file holds theirs); the edit changed b"),
            "{deleted}"
        );
    }

    #[test]
    fn a_failure_mode_in_a_cycles_record_edited_against_deleted_reads_as_a_record() {
        let c = Conflict {
            part: "pdca.closed_cycles".into(),
            record: "2".into(),
            field: "failure_modes[FM-028]".into(),
            base: Some(r#"{"id":"FM-028","severity":7,"treatment":{"action_taken":""}}"#.into()),
            ours: None,
            theirs: Some(
                r#"{"id":"FM-028","severity":7,"treatment":{"action_taken":"Runbook"}}"#.into(),
            ),
            held: Side::Theirs,
        };
        assert_eq!(c.subject(), "cycle 2 record: FM-028");
        assert_eq!(
            c.to_string(),
            "cycle 2 record: FM-028: ours (deleted), theirs (edited) (the file holds theirs); \
             the edit changed treatment.action_taken"
        );
    }

    #[test]
    fn a_record_deleted_on_one_side_shows_what_the_other_changed() {
        let c = Conflict {
            part: "assets".into(),
            record: "A-001".into(),
            field: String::new(),
            base: Some(r#"{"id":"A-001","name":"Server","owner":"IT"}"#.into()),
            ours: Some(r#"{"id":"A-001","name":"Server","owner":"Ops","location":"DC"}"#.into()),
            theirs: None,
            held: Side::Ours,
        };
        let fields: Vec<(String, Option<String>, Option<String>)> = c
            .differences()
            .into_iter()
            .map(|d| (d.field, d.base, d.ours))
            .collect();
        assert_eq!(
            fields,
            [
                ("location".into(), None, Some(r#""DC""#.into())),
                (
                    "owner".into(),
                    Some(r#""IT""#.into()),
                    Some(r#""Ops""#.into())
                ),
            ]
        );
        // Deleted the other way round: the same fields.
        assert_eq!(c.mirrored().differences().len(), 2);
    }
}
