//! The treatment of a failure mode: the "Act" of the FMEA row (SPEC 1.3).

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The risk-treatment decision of ISO 27005; `Undecided` until the room agrees one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Decision {
    #[default]
    Undecided,
    Reduce,
    Accept,
    Avoid,
    Transfer,
}

impl Decision {
    pub const ALL: [Decision; 5] = [
        Self::Undecided,
        Self::Reduce,
        Self::Accept,
        Self::Avoid,
        Self::Transfer,
    ];

    /// The names of [`Decision::ALL`], in its order (the form's choices).
    pub const NAMES: [&'static str; 5] = {
        let mut names = [""; 5];
        let mut i = 0;
        while i < 5 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    pub const fn name(self) -> &'static str {
        match self {
            Self::Undecided => "Undecided",
            Self::Reduce => "Reduce",
            Self::Accept => "Accept",
            Self::Avoid => "Avoid",
            Self::Transfer => "Transfer",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Open,
    InProgress,
    Done,
    Verified,
}

impl Status {
    pub const ALL: [Status; 4] = [Self::Open, Self::InProgress, Self::Done, Self::Verified];

    /// The names of [`Status::ALL`], in its order (the form's choices).
    pub const NAMES: [&'static str; 4] = {
        let mut names = [""; 4];
        let mut i = 0;
        while i < 4 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    pub const fn name(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Verified => "Verified",
        }
    }

    /// Done or Verified: the action has been carried out.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::Verified)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Treatment {
    pub decision: Decision,
    /// Recommended action.
    pub action: String,
    pub owner: String,
    #[serde(with = "optional_date")]
    pub due: Option<Date>,
    pub status: Status,
    pub action_taken: String,
    pub revised_severity: Option<u8>,
    pub revised_occurrence: Option<u8>,
    pub revised_detection: Option<u8>,
}

impl Treatment {
    /// Nothing recorded yet: such a treatment is left out of the session file.
    pub fn is_empty(&self) -> bool {
        *self == Treatment::default()
    }

    /// The status of an action that exists; `None` while nothing is recorded, so
    /// that a failure mode nobody has treated yet never counts as an Open action
    /// (on the screen it shows `–`, in the CSVs an empty cell).
    pub fn recorded_status(&self) -> Option<Status> {
        (!self.is_empty()).then_some(self.status)
    }

    pub fn has_revised_ratings(&self) -> bool {
        self.revised_severity.is_some()
            || self.revised_occurrence.is_some()
            || self.revised_detection.is_some()
    }

    /// Overdue: a due date before `today` and the action not yet carried out.
    pub fn is_overdue(&self, today: Date) -> bool {
        matches!(self.due, Some(due) if due < today) && !self.status.is_closed()
    }
}

/// Serde for an optional date: `""` in the file means "no date", otherwise `YYYY-MM-DD`.
pub mod optional_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.collect_str(date),
            None => serializer.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        let text = String::deserialize(deserializer)?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<Date>().map(Some).map_err(|e| {
            serde::de::Error::custom(format!("{text:?} is not a date (expected YYYY-MM-DD): {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn nothing_recorded_has_no_status_not_open() {
        let mut t = Treatment::default();
        assert_eq!(t.status, Status::Open);
        assert_eq!(t.recorded_status(), None);
        t.owner = "CISO".into();
        assert_eq!(t.recorded_status(), Some(Status::Open));
    }

    #[test]
    fn overdue_needs_a_past_due_date_and_an_open_status() {
        let today = date(2026, 11, 23);
        let mut t = Treatment {
            due: Some(date(2026, 11, 22)),
            ..Treatment::default()
        };
        assert!(t.is_overdue(today));
        t.status = Status::InProgress;
        assert!(t.is_overdue(today));
        t.status = Status::Done;
        assert!(!t.is_overdue(today));
        t.status = Status::Verified;
        assert!(!t.is_overdue(today));
        t.status = Status::Open;
        t.due = Some(today);
        assert!(!t.is_overdue(today), "due today is not overdue yet");
        t.due = None;
        assert!(!t.is_overdue(today));
    }

    #[test]
    fn empty_treatment_is_default() {
        assert!(Treatment::default().is_empty());
        let t = Treatment {
            owner: "CISO".into(),
            ..Treatment::default()
        };
        assert!(!t.is_empty());
    }
}
