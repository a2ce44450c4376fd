//! Reading the workshop's record (session format 2) in canonical form: the
//! details, processes, the decision log, and what [`super::Reader`] reads for them. The counterpart of
//! `canonical/record.rs`.

use jiff::civil::Date;

use super::Reader;
use crate::domain::log::{Event, FieldChange, LogEntry, TreatmentField, Via};
use crate::domain::treatment::Decision;
use crate::domain::{
    FailureModeId, Participant, Process, ProcessId, RiskState, SignOff, SignOffKind,
};
use crate::store::canonical::{decision_name, sign_off_kind_name, treatment_field_name, via_name};

impl Reader<'_> {
    /// `name: [],` or `name: [` … `],` for lists that stay short (a team, the
    /// processes, the people present): no room is made ahead for the rest of
    /// the file, as [`Reader::field_list`] does for the long ones.
    pub(super) fn short_list<T>(
        &mut self,
        level: usize,
        name: &str,
        element: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.list(level, name, false, element)
    }

    /// A list of strings, one per line.
    pub(super) fn strings(&mut self, level: usize, name: &str) -> Option<Vec<String>> {
        self.short_list(level, name, |r| {
            r.indent(level + 1)?;
            let s = r.string()?;
            r.end_field()?;
            Some(s)
        })
    }

    /// `name: "PR-001",` or `name: "",`.
    pub(super) fn field_optional_process(
        &mut self,
        level: usize,
        name: &str,
    ) -> Option<Option<ProcessId>> {
        self.key(level, name)?;
        let id = match self.plain_string()? {
            "" => None,
            text => Some(text.parse().ok()?),
        };
        self.end_field()?;
        Some(id)
    }

    pub(super) fn process(&mut self, level: usize) -> Option<Process> {
        self.open(level, None)?;
        let l = level + 1;
        let id = self.field_parsed(l, "id")?;
        let name = self.field_string(l, "name")?;
        let team = self.strings(l, "team")?;
        let purpose = self.field_string(l, "purpose")?;
        let owner = self.field_string(l, "owner")?;
        self.close(level)?;
        Some(Process {
            id,
            name,
            team,
            purpose,
            owner,
        })
    }

    pub(super) fn boolean(&mut self, level: usize, name: &str) -> Option<bool> {
        self.field_ident(level, name, |s| match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    /// The workshop dates and the participants, after the facilitator.
    pub(super) fn details(&mut self) -> Option<(Vec<Date>, Vec<Participant>)> {
        let dates = self.short_list(1, "dates", |r| {
            r.indent(2)?;
            let date = r.plain_string()?.parse().ok()?;
            r.end_field()?;
            Some(date)
        })?;
        let participants = self.short_list(1, "participants", |r| {
            r.open(2, None)?;
            let name = r.field_string(3, "name")?;
            let role = r.field_string(3, "role")?;
            let present = r.boolean(3, "present")?;
            r.close(2)?;
            Some(Participant {
                name,
                role,
                present,
            })
        })?;
        Some((dates, participants))
    }

    /// `fm: "FM-001",` or `fm: "",`.
    fn optional_fm(&mut self, level: usize) -> Option<Option<FailureModeId>> {
        self.key(level, "fm")?;
        let id = match self.plain_string()? {
            "" => None,
            text => Some(text.parse().ok()?),
        };
        self.end_field()?;
        Some(id)
    }

    fn field_change(&mut self, level: usize) -> Option<FieldChange> {
        self.open(level, None)?;
        let l = level + 1;
        let field = self.field_ident(l, "field", |s| {
            TreatmentField::ALL
                .into_iter()
                .find(|f| treatment_field_name(*f) == s)
        })?;
        let from = self.field_string(l, "from")?;
        let to = self.field_string(l, "to")?;
        self.close(level)?;
        Some(FieldChange { field, from, to })
    }

    /// `event: Name(` … `),`. A withdrawal holds the event it withdraws;
    /// riskroom nests them one deep, and a file nesting them deeper than a
    /// few levels is left to `ron` and its recursion limit.
    fn event(&mut self, level: usize) -> Option<Event> {
        if level > 12 {
            return None;
        }
        self.key(level, "event")?;
        let name = self.ident()?.to_owned();
        self.literal(b"(\n")?;
        let l = level + 1;
        let event = match name.as_str() {
            "Treatment" => Event::Treatment {
                fm: self.field_parsed(l, "fm")?,
                changes: self.short_list(l, "changes", |r| r.field_change(l + 1))?,
            },
            "Stage" => Event::Stage {
                from: self.field_ident(l, "from", Self::stage)?,
                to: self.field_ident(l, "to", Self::stage)?,
            },
            "CycleClosed" => Event::CycleClosed {
                cycle: self.field_number(l, "cycle")?,
            },
            "CycleReopened" => Event::CycleReopened {
                cycle: self.field_number(l, "cycle")?,
            },
            "ParticipantRemoved" => Event::ParticipantRemoved {
                name: self.field_string(l, "name")?,
                role: self.field_string(l, "role")?,
            },
            "Note" => Event::Note {
                fm: self.optional_fm(l)?,
                text: self.field_string(l, "text")?,
            },
            "Question" => Event::Question {
                fm: self.optional_fm(l)?,
                text: self.field_string(l, "text")?,
            },
            "Action" => Event::Action {
                fm: self.optional_fm(l)?,
                text: self.field_string(l, "text")?,
                owner: self.field_string(l, "owner")?,
                due: match self.field_string(l, "due")?.as_str() {
                    "" => None,
                    date => Some(date.parse().ok()?),
                },
            },
            "SignedOff" => Event::SignedOff {
                fm: self.field_parsed(l, "fm")?,
                sign_off: {
                    self.open(l, Some("sign_off"))?;
                    let sign_off = self.sign_off_fields(l)?;
                    self.close(l)?;
                    sign_off
                },
            },
            "Revoked" => Event::Revoked {
                fm: self.field_parsed(l, "fm")?,
                by: self.field_string(l, "by")?,
                role: self.field_string(l, "role")?,
            },
            "Withdrawn" => Event::Withdrawn {
                at: self.field_parsed(l, "at")?,
                event: Box::new(self.event(l)?),
            },
            _ => return None,
        };
        self.close(level)?;
        Some(event)
    }

    fn entry(&mut self, level: usize) -> Option<LogEntry> {
        self.open(level, None)?;
        let l = level + 1;
        let at = self.field_parsed(l, "at")?;
        let cycle = self.field_number(l, "cycle")?;
        let stage = self.field_ident(l, "stage", Self::stage)?;
        let present = self.strings(l, "present")?;
        let via = if self.next_key(l, b"via: ") {
            self.field_ident(l, "via", |s| {
                [Via::Edit, Via::Undo, Via::Redo]
                    .into_iter()
                    .find(|v| via_name(*v) == s)
            })?
        } else {
            Via::Edit
        };
        let event = self.event(l)?;
        self.close(level)?;
        Some(LogEntry {
            at,
            cycle,
            stage,
            present,
            via,
            event,
        })
    }

    /// The decision log, after the failure modes.
    pub(super) fn log(&mut self) -> Option<Vec<LogEntry>> {
        self.field_list(1, "log", |r| r.entry(2))
    }

    fn risk_state(&mut self, level: usize) -> Option<RiskState> {
        self.open(level, Some("state"))?;
        let l = level + 1;
        let state = RiskState {
            severity: self.field_small(l, "severity")?,
            occurrence: self.field_small(l, "occurrence")?,
            detection: self.field_small(l, "detection")?,
            revised_severity: self.field_option(l, "revised_severity")?,
            revised_occurrence: self.field_option(l, "revised_occurrence")?,
            revised_detection: self.field_option(l, "revised_detection")?,
            decision: self.field_ident(l, "decision", |s| {
                Decision::ALL.into_iter().find(|d| decision_name(*d) == s)
            })?,
            action: self.field_string(l, "action")?,
            owner: self.field_string(l, "owner")?,
            due: match self.field_string(l, "due")?.as_str() {
                "" => None,
                date => Some(date.parse().ok()?),
            },
        };
        self.close(level)?;
        Some(state)
    }

    /// The fields of a sign-off, one level in from `level`.
    fn sign_off_fields(&mut self, level: usize) -> Option<SignOff> {
        let l = level + 1;
        Some(SignOff {
            by: self.field_string(l, "by")?,
            role: self.field_string(l, "role")?,
            at: self.field_parsed(l, "at")?,
            kind: self.field_ident(l, "kind", |s| {
                SignOffKind::ALL
                    .into_iter()
                    .find(|k| sign_off_kind_name(*k) == s)
            })?,
            state: self.risk_state(l)?,
        })
    }

    /// `sign_off: Some((` … `)),`.
    pub(super) fn sign_off(&mut self, level: usize) -> Option<SignOff> {
        self.key(level, "sign_off")?;
        self.literal(b"Some((\n")?;
        let sign_off = self.sign_off_fields(level)?;
        self.indent(level)?;
        self.literal(b")),\n")?;
        Some(sign_off)
    }
}
