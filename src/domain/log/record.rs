//! What riskroom records by itself: a change becomes the change plus the log
//! entries it makes, stamped with the moment, the PDCA stage and cycle after
//! it and the participants then present.

use std::collections::HashMap;

use jiff::Timestamp;

use super::{Event, FieldChange, LogEntry, TreatmentField, Via, union};
use crate::domain::change::Change;
use crate::domain::details::Participant;
use crate::domain::failure_mode::FailureMode;
use crate::domain::ids::FailureModeId;
use crate::domain::pdca::{Pdca, now_in_seconds};
use crate::domain::session::Session;
use crate::domain::treatment::Treatment;

/// `change` as it is to be applied to `session` at `at`, with what the log
/// keeps of it:
/// - every treatment that changes (decided, re-decided, its action, owner,
///   due date, status or residual ratings) gets an entry with the fields that
///   changed; a failure mode added with a treatment too, one deleted (or put
///   back by an undo) not;
/// - a sign-off made, made again, or revoked (or deleted with its failure
///   mode);
/// - a stage change, a cycle close (one entry, not one per treatment it
///   starts afresh) and the undo of a cycle close;
/// - a participant taken off the list;
/// - the entries the change itself appends (a facilitator's note, or the
///   withdrawal an undo makes of one) are stamped now;
/// - a whole session put in place (a recovery file) keeps the log of both.
///
/// `via` says whether this is an edit or the undo or redo of one. Applying
/// the result and undoing it (through here again) never takes an entry out.
pub fn recorded(session: &Session, change: Change, at: Timestamp, via: Via) -> Change {
    let at = now_in_seconds(at);
    let mut after = After {
        pdca: &session.pdca,
        participants: &session.participants,
        details_set: false,
        wholesale: false,
        treatments: HashMap::new(),
        order: Vec::new(),
    };
    after.look_at(&change);
    let stamp = LogEntry {
        at,
        cycle: after.pdca.cycle,
        stage: after.pdca.stage,
        present: after
            .participants
            .iter()
            .filter(|p| p.present)
            .map(|p| p.name.clone())
            .collect(),
        via,
        event: Event::Note {
            fm: None,
            text: String::new(),
        },
    };
    let entry = |event| LogEntry {
        event,
        ..stamp.clone()
    };
    let mut entries = Vec::new();
    if !after.wholesale {
        let (before, now) = (&session.pdca, after.pdca);
        let cycle_moved = now.cycle != before.cycle;
        if now.cycle > before.cycle {
            entries.push(entry(Event::CycleClosed {
                cycle: before.cycle,
            }));
        } else if now.cycle < before.cycle {
            entries.push(entry(Event::CycleReopened { cycle: now.cycle }));
        } else if now.stage != before.stage {
            entries.push(entry(Event::Stage {
                from: before.stage,
                to: now.stage,
            }));
        }
        if after.details_set {
            for gone in session
                .participants
                .iter()
                .filter(|p| !after.participants.iter().any(|q| q.name == p.name))
            {
                entries.push(entry(Event::ParticipantRemoved {
                    name: gone.name.clone(),
                    role: gone.role.clone(),
                }));
            }
        }
        // A cycle close starts treatments afresh (and its undo brings them
        // back): that is the cycle's entry, not one per failure mode.
        if !cycle_moved {
            for id in &after.order {
                let old = session.failure_mode(*id);
                let new = after.treatments.get(id).copied().flatten();
                // A failure mode put back by an undo (or redo) had its treatment
                // all along: that is no decision. One added by an edit with a
                // treatment is.
                let put_back = old.is_none() && via != Via::Edit;
                if let Some(new) = new.filter(|_| !put_back) {
                    let old = old.map_or_else(Treatment::default, |f| f.treatment.clone());
                    let changes = treatment_changes(&old, &new.treatment);
                    if !changes.is_empty() {
                        entries.push(entry(Event::Treatment { fm: *id, changes }));
                    }
                }
                let signed =
                    |f: Option<&FailureMode>| f.and_then(|f| f.sign_off.as_deref().cloned());
                match (signed(old), signed(new)) {
                    (None, Some(sign_off)) => {
                        entries.push(entry(Event::SignedOff { fm: *id, sign_off }));
                    }
                    (Some(before), Some(sign_off)) if before != sign_off => {
                        entries.push(entry(Event::SignedOff { fm: *id, sign_off }));
                    }
                    // Revoked, or gone with its failure mode.
                    (Some(before), None) => entries.push(entry(Event::Revoked {
                        fm: *id,
                        by: before.by,
                        role: before.role,
                    })),
                    _ => {}
                }
            }
        }
    }
    let change = stamped(session, change, &stamp);
    if entries.is_empty() {
        return change;
    }
    let mut batch = vec![change];
    batch.extend(entries.into_iter().map(|e| Change::Log(Box::new(e))));
    Change::Batch(batch)
}

/// What the session looks like after the change, as far as the log needs it.
struct After<'a> {
    pdca: &'a Pdca,
    participants: &'a [Participant],
    details_set: bool,
    wholesale: bool,
    /// The last put (or `None`: removed) of each failure mode the change touches.
    treatments: HashMap<FailureModeId, Option<&'a FailureMode>>,
    /// Those failure modes, in the order the change first touches them.
    order: Vec<FailureModeId>,
}

impl<'a> After<'a> {
    fn look_at(&mut self, change: &'a Change) {
        match change {
            Change::PutFailureMode(fm) => self.touch(fm.id, Some(fm)),
            Change::RemoveFailureMode(id) => self.touch(*id, None),
            Change::SetPdca(pdca) => self.pdca = pdca,
            Change::SetInfo(info) => {
                self.participants = &info.participants;
                self.details_set = true;
            }
            Change::ReplaceSession(s) => {
                self.pdca = &s.pdca;
                self.participants = &s.participants;
                self.wholesale = true;
            }
            Change::Batch(changes) => changes.iter().for_each(|c| self.look_at(c)),
            _ => {}
        }
    }

    fn touch(&mut self, id: FailureModeId, fm: Option<&'a FailureMode>) {
        if self.treatments.insert(id, fm).is_none() {
            self.order.push(id);
        }
    }
}

/// The change with the log entries it appends stamped now, and a whole
/// session's log joined with the one it replaces.
fn stamped(session: &Session, change: Change, stamp: &LogEntry) -> Change {
    match change {
        Change::Log(entry) => Change::Log(Box::new(LogEntry {
            event: entry.event,
            ..stamp.clone()
        })),
        Change::ReplaceSession(mut other) => {
            other.log = union(&session.log, &other.log);
            Change::ReplaceSession(other)
        }
        Change::Batch(changes) => Change::Batch(
            changes
                .into_iter()
                .map(|c| stamped(session, c, stamp))
                .collect(),
        ),
        other => other,
    }
}

/// Every field of the treatment that differs, as people read it.
pub(super) fn treatment_changes(old: &Treatment, new: &Treatment) -> Vec<FieldChange> {
    TreatmentField::ALL
        .into_iter()
        .filter_map(|field| {
            let (from, to) = (field_text(old, field), field_text(new, field));
            (from != to).then_some(FieldChange { field, from, to })
        })
        .collect()
}

fn field_text(t: &Treatment, field: TreatmentField) -> String {
    let rating = |r: Option<u8>| r.map(|r| r.to_string()).unwrap_or_default();
    match field {
        TreatmentField::Decision => t.decision.name().to_string(),
        TreatmentField::Action => t.action.clone(),
        TreatmentField::Owner => t.owner.clone(),
        TreatmentField::Due => t.due.map(|d| d.to_string()).unwrap_or_default(),
        TreatmentField::Status => t.status.name().to_string(),
        TreatmentField::ActionTaken => t.action_taken.clone(),
        TreatmentField::RevisedSeverity => rating(t.revised_severity),
        TreatmentField::RevisedOccurrence => rating(t.revised_occurrence),
        TreatmentField::RevisedDetection => rating(t.revised_detection),
    }
}
