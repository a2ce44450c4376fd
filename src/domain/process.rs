//! The processes of the InfoSec FMEA form (work instruction ICIP_WI_001): each
//! worksheet starts with the name of the process, its core team members and the
//! description or purpose of the process. Failure modes refer to their process by
//! ID; until session format 2 the process was free text on each failure mode,
//! and such files become process records as they load (see [`Session::intern_process`]).

use serde::{Deserialize, Serialize};

use super::change::Change;
use super::ids::ProcessId;
use super::session::{Limit, NextIds, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Process {
    pub id: ProcessId,
    pub name: String,
    /// The core team members, one name each.
    #[serde(default)]
    pub team: Vec<String>,
    /// Description / purpose of the process.
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub owner: String,
}

impl Process {
    pub fn new(id: ProcessId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            team: Vec::new(),
            purpose: String::new(),
            owner: String::new(),
        }
    }
}

impl Session {
    pub fn process_index(&self, id: ProcessId) -> Option<usize> {
        self.processes.binary_search_by_key(&id, |p| p.id).ok()
    }

    pub fn process(&self, id: ProcessId) -> Option<&Process> {
        self.process_index(id).map(|i| &self.processes[i])
    }

    /// The name of a failure mode's process; `""` for none (or one not there).
    pub fn process_name(&self, id: Option<ProcessId>) -> &str {
        id.and_then(|id| self.process(id))
            .map_or("", |p| p.name.as_str())
    }

    /// The process that `name` names: the first with exactly that name (spaces
    /// around aside), else the only one with it in other letter case.
    pub fn find_process(&self, name: &str) -> Option<ProcessId> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(p) = self.processes.iter().find(|p| p.name.trim() == name) {
            return Some(p.id);
        }
        let lower = name.to_lowercase();
        let mut same = self
            .processes
            .iter()
            .filter(|p| p.name.trim().to_lowercase() == lower);
        match (same.next(), same.next()) {
            (Some(p), None) => Some(p.id),
            _ => None,
        }
    }

    /// The ID the next new process gets.
    pub fn next_process_id(&self) -> Result<ProcessId, Limit> {
        let highest = self.processes.iter().map(|p| p.id.0).max().unwrap_or(0);
        NextIds::first_free(self.next_ids.process, highest)
            .map(ProcessId)
            .ok_or(Limit::ProcessIds)
    }

    /// The counters once `id` is handed out.
    pub fn ids_after_process(&self, id: ProcessId) -> NextIds {
        NextIds {
            process: self.next_ids.process.max(NextIds::after(id.0)),
            ..self.next_ids
        }
    }

    /// Hands out the next process ID at once, outside any change: for building
    /// a session (reading a format-1 file, the generator).
    pub fn allocate_process_id(&mut self) -> Result<ProcessId, Limit> {
        let id = self.next_process_id()?;
        self.next_ids = self.ids_after_process(id);
        Ok(id)
    }

    /// The process named `name` (as [`Self::find_process`] finds it) and, when
    /// there is none yet, the change that adds it under the next ID, named as
    /// written (nothing typed is lost), the counter moving in the same step.
    /// `(None, None)` for an empty name. What the failure-mode form and the CSV
    /// import use, so a name typed or imported becomes a process record.
    pub fn process_for_name(
        &self,
        name: &str,
    ) -> Result<(Option<ProcessId>, Option<Change>), Limit> {
        if name.trim().is_empty() {
            return Ok((None, None));
        }
        if let Some(id) = self.find_process(name) {
            return Ok((Some(id), None));
        }
        let id = self.next_process_id()?;
        let add = Change::Batch(vec![
            Change::ReserveIds(self.ids_after_process(id)),
            Change::PutProcess(Process::new(id, name)),
        ]);
        Ok((Some(id), Some(add)))
    }

    /// For reading a format-1 file: the process record of a free-text process
    /// name, added when the name is new. Exact names, so nothing typed is lost
    /// (`"Backup"` and `"backup "` stay two processes for the room to merge);
    /// an empty or blank name means no process.
    pub fn intern_process(&mut self, name: &str) -> Result<Option<ProcessId>, Limit> {
        if name.trim().is_empty() {
            return Ok(None);
        }
        if let Some(p) = self.processes.iter().find(|p| p.name == name) {
            return Ok(Some(p.id));
        }
        let id = self.allocate_process_id()?;
        self.apply(Change::PutProcess(Process::new(id, name)));
        Ok(Some(id))
    }

    /// The change that deletes a process: its failure modes are left without a
    /// process in the same step, so undo brings both back.
    pub fn delete_process_change(&self, id: ProcessId) -> Change {
        let mut changes: Vec<Change> = self
            .failure_modes
            .iter()
            .filter(|f| f.process == Some(id))
            .map(|fm| {
                let mut unlinked = fm.clone();
                unlinked.process = None;
                Change::PutFailureMode(unlinked)
            })
            .collect();
        changes.push(Change::RemoveProcess(id));
        Change::Batch(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FailureMode, FailureModeId};
    use jiff::Timestamp;

    fn session() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        for name in ["Remote access", "Backup", "backup"] {
            s.intern_process(name).unwrap();
        }
        s
    }

    #[test]
    fn interning_keeps_every_name_exactly_and_gives_each_one_record() {
        let mut s = session();
        assert_eq!(s.processes.len(), 3, "Backup and backup stay apart");
        assert_eq!(s.intern_process("Backup"), Ok(Some(ProcessId(2))));
        assert_eq!(s.intern_process(" Backup"), Ok(Some(ProcessId(4))));
        assert_eq!(s.processes[3].name, " Backup", "nothing trimmed away");
        assert_eq!(s.intern_process("  "), Ok(None));
        assert_eq!(s.intern_process(""), Ok(None));
        assert_eq!(s.next_ids.process, 5);
    }

    #[test]
    fn a_name_finds_its_process_exactly_then_in_any_case_when_only_one_has_it() {
        let s = session();
        assert_eq!(s.find_process(" Remote access "), Some(ProcessId(1)));
        assert_eq!(s.find_process("REMOTE ACCESS"), Some(ProcessId(1)));
        assert_eq!(s.find_process("backup"), Some(ProcessId(3)), "exact first");
        assert_eq!(s.find_process("BACKUP"), None, "two in other case");
        assert_eq!(s.find_process(""), None);
        assert_eq!(s.process_name(Some(ProcessId(1))), "Remote access");
        assert_eq!(s.process_name(Some(ProcessId(9))), "");
        assert_eq!(s.process_name(None), "");
    }

    #[test]
    fn a_new_name_becomes_a_change_that_adds_the_process_and_undoes() {
        let mut s = session();
        assert_eq!(
            s.process_for_name("remote access"),
            Ok((Some(ProcessId(1)), None))
        );
        assert_eq!(s.process_for_name(" "), Ok((None, None)));
        let before = s.clone();
        let (id, change) = s.process_for_name("Physical security ").unwrap();
        assert_eq!(id, Some(ProcessId(4)));
        let Some(change) = change else {
            panic!("a new process is added")
        };
        let inverse = s.apply(change);
        assert_eq!(s.process_name(id), "Physical security ");
        s.apply(inverse);
        assert_eq!(s.processes, before.processes);
        assert_eq!(
            s.next_process_id(),
            Ok(ProcessId(5)),
            "an ID handed out is never handed out again, not even after an undo"
        );
    }

    #[test]
    fn deleting_a_process_unlinks_its_failure_modes_in_one_undoable_step() {
        let mut s = session();
        for n in 1..=3 {
            let mut fm = FailureMode::new(FailureModeId(n), "m");
            fm.process = Some(ProcessId(if n == 3 { 2 } else { 1 }));
            s.failure_modes.push(fm);
        }
        let before = s.clone();
        let inverse = s.apply(s.delete_process_change(ProcessId(1)));
        assert!(s.process(ProcessId(1)).is_none());
        let linked: Vec<Option<ProcessId>> = s.failure_modes.iter().map(|f| f.process).collect();
        assert_eq!(linked, [None, None, Some(ProcessId(2))]);
        s.apply(inverse);
        assert_eq!(s, before);
    }
}
