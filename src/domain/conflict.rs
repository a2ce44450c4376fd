//! Merge conflicts kept in the session file: where two branches of a session
//! changed the same thing in two ways (see `crate::merge`). The merged file holds
//! one of the two values and loads like any other session; the conflicts say
//! what the other side had, until someone decides each one.

use std::fmt;

use serde::{Deserialize, Serialize};

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
            subject.push(' ');
            subject.push_str(&self.field);
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

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A whole record is too long for a line: it was kept as edited.
        let shown = |v: &Option<String>| match v {
            None => "(deleted)".to_string(),
            Some(v) if self.field.is_empty() && v.starts_with('{') => "(edited)".to_string(),
            Some(v) => v.clone(),
        };
        write!(
            f,
            "{}: ours {}, theirs {} (the file holds {})",
            self.subject(),
            shown(&self.ours),
            shown(&self.theirs),
            self.held
        )
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
}
