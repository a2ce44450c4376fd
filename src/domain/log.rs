//! The decision log: the workshop's record of what was decided, accepted,
//! asked and agreed, in time order, each entry with the PDCA stage and cycle
//! and the participants present.
//!
//! How it relates to the [`Change`] stream:
//! - Appending is a change like any other ([`Change::Log`]), so what saves,
//!   the saver's copy and (later) followers see is still one stream.
//! - Nothing ever takes an entry out. The inverse of an entry that riskroom
//!   recorded by itself is nothing at all: the undo of the edit it describes
//!   is itself an edit, and [`recorded`] logs it (marked [`Via::Undo`]). The
//!   inverse of a facilitator's entry (a note, a question, an action) is a
//!   second entry that withdraws it, and the inverse of that reinstates it.
//!   So undo and redo only ever add to the log.
//! - Entries are identified by what they hold, not by a number: two copies of
//!   a session that both added entries merge as the [`union`] of their logs,
//!   in time order, with no entry named twice.

mod check;
mod record;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::change::Change;
use super::ids::{FailureModeId, optional_id};
use super::pdca::Stage;
use super::session::Session;
use super::sign_off::SignOff;
use super::treatment::optional_date;

pub use check::{LogProblem, check_log};
pub use record::recorded;

/// How an entry came about: an edit, or the undo or redo of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Via {
    #[default]
    Edit,
    Undo,
    Redo,
}

impl Via {
    pub fn is_edit(&self) -> bool {
        *self == Via::Edit
    }
}

/// A treatment field whose change the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TreatmentField {
    Decision,
    Action,
    Owner,
    Due,
    Status,
    ActionTaken,
    RevisedSeverity,
    RevisedOccurrence,
    RevisedDetection,
}

impl TreatmentField {
    pub const ALL: [TreatmentField; 9] = [
        Self::Decision,
        Self::Action,
        Self::Owner,
        Self::Due,
        Self::Status,
        Self::ActionTaken,
        Self::RevisedSeverity,
        Self::RevisedOccurrence,
        Self::RevisedDetection,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Action => "action",
            Self::Owner => "owner",
            Self::Due => "due",
            Self::Status => "status",
            Self::ActionTaken => "action taken",
            Self::RevisedSeverity => "residual severity",
            Self::RevisedOccurrence => "residual occurrence",
            Self::RevisedDetection => "residual detection",
        }
    }
}

/// One field of a treatment, before and after, as people read it (`""` for
/// nothing: no due date, a rating not revised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    pub field: TreatmentField,
    pub from: String,
    pub to: String,
}

/// What happened. The first group riskroom records by itself from the edits;
/// the last group the facilitator records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A failure mode's treatment was decided or changed: every field that changed.
    Treatment {
        fm: FailureModeId,
        changes: Vec<FieldChange>,
    },
    /// The PDCA stage moved within a cycle (the entry's stage is the new one).
    Stage { from: Stage, to: Stage },
    /// The cycle closed and the next one started.
    CycleClosed { cycle: u32 },
    /// A cycle close was undone: the cycle is open again.
    CycleReopened { cycle: u32 },
    /// A risk owner accepted the residual risk or approved the treatment plan
    /// (again, when it replaces an earlier sign-off).
    SignedOff {
        fm: FailureModeId,
        sign_off: SignOff,
    },
    /// A sign-off was taken back, by whoever signed it.
    Revoked {
        fm: FailureModeId,
        by: String,
        role: String,
    },
    /// A participant was taken off the list; the log and any sign-off keep
    /// the name, as a former participant's.
    ParticipantRemoved { name: String, role: String },
    // Issue 13 (rating votes) adds here: a rating agreed in a vote, with the
    // failure mode, the ratings asked, each vote and the value agreed. The
    // minutes have a place for it (`export::minutes`, "Votes").
    //
    /// The facilitator's note, on a failure mode or on the workshop.
    Note {
        #[serde(with = "optional_id")]
        fm: Option<FailureModeId>,
        text: String,
    },
    /// An open question for the parking lot.
    Question {
        #[serde(with = "optional_id")]
        fm: Option<FailureModeId>,
        text: String,
    },
    /// An action agreed in the room, with its owner and due date.
    Action {
        #[serde(with = "optional_id")]
        fm: Option<FailureModeId>,
        text: String,
        owner: String,
        #[serde(with = "optional_date")]
        due: Option<Date>,
    },
    /// A facilitator's entry taken back (the undo of it): the entry by its
    /// time and what it said.
    Withdrawn { at: Timestamp, event: Box<Event> },
}

impl Event {
    /// Recorded by the facilitator (as opposed to by riskroom from an edit).
    pub fn is_facilitators(&self) -> bool {
        matches!(
            self,
            Event::Note { .. }
                | Event::Question { .. }
                | Event::Action { .. }
                | Event::Withdrawn { .. }
        )
    }

    /// The failure mode the entry is about, if any.
    pub fn failure_mode(&self) -> Option<FailureModeId> {
        match self {
            Event::Treatment { fm, .. }
            | Event::SignedOff { fm, .. }
            | Event::Revoked { fm, .. } => Some(*fm),
            Event::Note { fm, .. } | Event::Question { fm, .. } | Event::Action { fm, .. } => *fm,
            Event::Withdrawn { event, .. } => event.failure_mode(),
            _ => None,
        }
    }
}

/// One entry of the decision log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// When it was recorded, to the second.
    pub at: Timestamp,
    /// The PDCA cycle and stage it was recorded in (after the edit it records).
    pub cycle: u32,
    pub stage: Stage,
    /// The names of the participants present.
    #[serde(default)]
    pub present: Vec<String>,
    #[serde(default, skip_serializing_if = "Via::is_edit")]
    pub via: Via,
    pub event: Event,
}

impl LogEntry {
    /// An entry stamped with the session's state: its cycle, stage and the
    /// participants present.
    pub fn new(session: &Session, at: Timestamp, event: Event) -> Self {
        Self {
            at: super::pdca::now_in_seconds(at),
            cycle: session.pdca.cycle,
            stage: session.pdca.stage,
            present: session.present(),
            via: Via::Edit,
            event,
        }
    }

    /// The change that undoes this entry without taking it out: none for an
    /// entry riskroom recorded (the undo of its edit is logged by itself), a
    /// withdrawal for a facilitator's entry, and for a withdrawal the entry
    /// it withdrew, reinstated. Stamped like this entry until [`recorded`]
    /// stamps it with the moment of the undo.
    pub fn counterpart(&self) -> Change {
        let event = match &self.event {
            Event::Withdrawn { event, .. } => (**event).clone(),
            event if event.is_facilitators() => Event::Withdrawn {
                at: self.at,
                event: Box::new(event.clone()),
            },
            _ => return Change::none(),
        };
        Change::Log(Box::new(LogEntry {
            event,
            ..self.clone()
        }))
    }
}

impl Session {
    /// The change that records a facilitator's entry now.
    pub fn log_change(&self, at: Timestamp, event: Event) -> Change {
        Change::Log(Box::new(LogEntry::new(self, at, event)))
    }

    /// The facilitator's entries still standing (not withdrawn since), in log
    /// order: a withdrawal cancels the last earlier entry it names.
    pub fn standing_entries(&self) -> Vec<&LogEntry> {
        let mut standing: Vec<Option<&LogEntry>> = Vec::new();
        for entry in &self.log {
            match &entry.event {
                Event::Withdrawn { at, event } => {
                    if let Some(slot) = standing
                        .iter_mut()
                        .rev()
                        .find(|slot| slot.is_some_and(|e| e.at == *at && e.event == **event))
                    {
                        *slot = None;
                    }
                }
                event if event.is_facilitators() => standing.push(Some(entry)),
                _ => {}
            }
        }
        standing.into_iter().flatten().collect()
    }
}

/// The log of two copies of a session as one: every entry of either, an
/// entry both have (or have as often) once, in time order (for the same
/// second, `ours` first, each in its own order). The log is append-only, so
/// this is the three-way merge of a log whatever the common ancestor held.
pub fn union(ours: &[LogEntry], theirs: &[LogEntry]) -> Vec<LogEntry> {
    let mut merged: Vec<LogEntry> = ours.to_vec();
    // Each of theirs is matched with one equal entry of ours at most, so an
    // entry recorded twice on one side stays twice.
    let mut matched = vec![false; ours.len()];
    for entry in theirs {
        match ours
            .iter()
            .enumerate()
            .find(|(i, e)| !matched[*i] && *e == entry)
        {
            Some((i, _)) => matched[i] = true,
            None => merged.push(entry.clone()),
        }
    }
    merged.sort_by_key(|e| e.at);
    merged
}

#[cfg(test)]
mod tests;
