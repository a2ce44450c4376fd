//! Reading the workshop's record (session format 2) in canonical form: the
//! details, processes, and what [`super::Reader`] reads for them. The counterpart of
//! `canonical/record.rs`.

use jiff::civil::Date;

use super::Reader;
use crate::domain::{Participant, Process, ProcessId};

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
}
