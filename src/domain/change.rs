//! Every edit of a session is a [`Change`]; applying one returns its inverse, which
//! is all that undo and redo need.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::asset::Asset;
use super::conflict::Conflict;
use super::details::Participant;
use super::failure_mode::FailureMode;
use super::ids::{AssetId, FailureModeId, ProcessId};
use super::log::LogEntry;
use super::pdca::Pdca;
use super::process::Process;
use super::programme::{DocumentRecord, StepRecord};
use super::session::{NextIds, Session};
use super::threshold::Threshold;

/// The descriptive fields of a session: its details (`D`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Info {
    pub title: String,
    pub organisation: String,
    pub scope: String,
    pub facilitator: String,
    pub dates: Vec<Date>,
    pub participants: Vec<Participant>,
}

/// Serialisable because followers receive the stream of changes (`crate::room`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// Inserts the asset, or replaces the one with its ID.
    PutAsset(Asset),
    RemoveAsset(AssetId),
    /// Inserts the failure mode, or replaces the one with its ID.
    PutFailureMode(FailureMode),
    RemoveFailureMode(FailureModeId),
    /// Inserts the process, or replaces the one with its ID.
    PutProcess(Process),
    RemoveProcess(ProcessId),
    SetPdca(Pdca),
    SetInfo(Box<Info>),
    SetThreshold(Threshold),
    /// Whether a vote's reveal names the voters on screen.
    SetNameVoters(bool),
    /// Appends an entry to the decision log. Its inverse never takes the entry
    /// out (see [`super::log`]): it is nothing, or an entry that withdraws it.
    Log(Box<LogEntry>),
    /// Raises the ID counters to at least these. It comes with the change that
    /// adds a record under a new ID; its inverse changes nothing, so that an
    /// undo never hands the ID out again.
    ReserveIds(NextIds),
    /// Puts the record of one roadmap step (a blank record removes it).
    PutStep(StepRecord),
    /// Puts the record of one mandatory document (a blank record removes it).
    PutDocument(DocumentRecord),
    /// Sets the merge conflicts still to decide (deciding them empties the list).
    SetConflicts(Vec<Conflict>),
    /// Several changes made as one step (undone as one step).
    Batch(Vec<Change>),
    /// Everything at once (opening a recovery file).
    ReplaceSession(Box<Session>),
}

impl Change {
    /// Nothing to do: an empty batch.
    pub fn none() -> Change {
        Change::Batch(Vec::new())
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Change::Batch(c) if c.iter().all(Change::is_none))
    }

    /// Whether applying this change can alter the failure-mode list or its order.
    pub fn touches_failure_modes(&self) -> bool {
        match self {
            Change::PutFailureMode(_)
            | Change::RemoveFailureMode(_)
            | Change::ReplaceSession(_) => true,
            Change::Batch(changes) => changes.iter().any(Change::touches_failure_modes),
            _ => false,
        }
    }

    /// Whether the change can touch every record (then the risk order is rebuilt).
    pub fn is_wholesale(&self) -> bool {
        match self {
            Change::ReplaceSession(_) => true,
            Change::Batch(changes) => changes.iter().any(Change::is_wholesale),
            _ => false,
        }
    }

    /// Whether the change puts only roadmap steps and mandatory documents: the
    /// failure modes, and all worked out from them, stay as they were.
    pub fn is_programme_only(&self) -> bool {
        match self {
            Change::PutStep(_) | Change::PutDocument(_) => true,
            Change::Batch(changes) => changes.iter().all(Change::is_programme_only),
            _ => false,
        }
    }

    /// Whether the change sets the decision threshold.
    pub fn sets_threshold(&self) -> bool {
        match self {
            Change::SetThreshold(_) => true,
            Change::Batch(changes) => changes.iter().any(Change::sets_threshold),
            _ => false,
        }
    }

    /// The failure modes this change puts or removes, in order.
    pub fn failure_mode_ids(&self) -> Vec<FailureModeId> {
        let mut ids = Vec::new();
        self.collect_failure_mode_ids(&mut ids);
        ids
    }

    /// The assets this change puts or removes, in order.
    pub fn asset_ids(&self) -> Vec<AssetId> {
        match self {
            Change::PutAsset(a) => vec![a.id],
            Change::RemoveAsset(id) => vec![*id],
            Change::Batch(changes) => changes.iter().flat_map(Change::asset_ids).collect(),
            _ => Vec::new(),
        }
    }

    fn collect_failure_mode_ids(&self, ids: &mut Vec<FailureModeId>) {
        match self {
            Change::PutFailureMode(fm) => ids.push(fm.id),
            Change::RemoveFailureMode(id) => ids.push(*id),
            Change::Batch(changes) => changes.iter().for_each(|c| c.collect_failure_mode_ids(ids)),
            _ => {}
        }
    }
}

impl Session {
    pub fn info(&self) -> Info {
        Info {
            title: self.title.clone(),
            organisation: self.organisation.clone(),
            scope: self.scope.clone(),
            facilitator: self.facilitator.clone(),
            dates: self.dates.clone(),
            participants: self.participants.clone(),
        }
    }

    fn set_info(&mut self, info: Info) -> Info {
        let old = self.info();
        self.title = info.title;
        self.organisation = info.organisation;
        self.scope = info.scope;
        self.facilitator = info.facilitator;
        self.dates = info.dates;
        self.participants = info.participants;
        old
    }

    /// Applies a change and returns the change that undoes it. Records stay in ID
    /// order. Removing a record that is not there changes nothing.
    pub fn apply(&mut self, change: Change) -> Change {
        match change {
            Change::PutAsset(asset) => {
                match self.assets.binary_search_by_key(&asset.id, |a| a.id) {
                    Ok(i) => Change::PutAsset(std::mem::replace(&mut self.assets[i], asset)),
                    Err(i) => {
                        let id = asset.id;
                        self.assets.insert(i, asset);
                        Change::RemoveAsset(id)
                    }
                }
            }
            Change::RemoveAsset(id) => match self.asset_index(id) {
                Some(i) => Change::PutAsset(self.assets.remove(i)),
                None => Change::none(),
            },
            Change::PutFailureMode(fm) => {
                match self.failure_modes.binary_search_by_key(&fm.id, |f| f.id) {
                    Ok(i) => {
                        Change::PutFailureMode(std::mem::replace(&mut self.failure_modes[i], fm))
                    }
                    Err(i) => {
                        let id = fm.id;
                        self.failure_modes.insert(i, fm);
                        Change::RemoveFailureMode(id)
                    }
                }
            }
            Change::RemoveFailureMode(id) => match self.failure_mode_index(id) {
                Some(i) => Change::PutFailureMode(self.failure_modes.remove(i)),
                None => Change::none(),
            },
            Change::PutProcess(process) => {
                match self.processes.binary_search_by_key(&process.id, |p| p.id) {
                    Ok(i) => Change::PutProcess(std::mem::replace(&mut self.processes[i], process)),
                    Err(i) => {
                        let id = process.id;
                        self.processes.insert(i, process);
                        Change::RemoveProcess(id)
                    }
                }
            }
            Change::RemoveProcess(id) => match self.process_index(id) {
                Some(i) => Change::PutProcess(self.processes.remove(i)),
                None => Change::none(),
            },
            Change::SetPdca(pdca) => Change::SetPdca(std::mem::replace(&mut self.pdca, pdca)),
            Change::SetInfo(info) => Change::SetInfo(Box::new(self.set_info(*info))),
            Change::ReplaceSession(session) => {
                Change::ReplaceSession(Box::new(std::mem::replace(self, *session)))
            }
            Change::SetThreshold(threshold) => {
                Change::SetThreshold(std::mem::replace(&mut self.threshold, threshold))
            }
            Change::SetNameVoters(on) => {
                Change::SetNameVoters(std::mem::replace(&mut self.name_voters, on))
            }
            Change::Log(entry) => {
                let inverse = entry.counterpart();
                self.log.push(*entry);
                inverse
            }
            Change::ReserveIds(ids) => {
                self.next_ids.raise_to(ids);
                Change::none()
            }
            Change::PutStep(record) => Change::PutStep(self.programme.put_step(record)),
            Change::PutDocument(record) => Change::PutDocument(self.programme.put_document(record)),
            Change::SetConflicts(conflicts) => {
                Change::SetConflicts(std::mem::replace(&mut self.conflicts, conflicts))
            }
            Change::Batch(changes) => {
                let mut inverses: Vec<Change> =
                    changes.into_iter().map(|c| self.apply(c)).collect();
                inverses.reverse();
                Change::Batch(inverses)
            }
        }
    }

    /// The change that deletes an asset: the failure modes that point at it are
    /// unlinked (their asset becomes none) in the same step, so undo brings both back.
    pub fn delete_asset_change(&self, id: AssetId) -> Change {
        let mut changes: Vec<Change> = self
            .failure_modes_of(id)
            .map(|fm| {
                let mut unlinked = fm.clone();
                unlinked.asset = None;
                Change::PutFailureMode(unlinked)
            })
            .collect();
        changes.push(Change::RemoveAsset(id));
        Change::Batch(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::asset::Category;
    use jiff::Timestamp;

    fn session() -> Session {
        let mut s = Session::new("T", Timestamp::UNIX_EPOCH);
        for n in [1, 3] {
            s.assets.push(Asset::new(
                AssetId(n),
                format!("asset {n}"),
                Category::Software,
            ));
        }
        for n in [1, 2, 5] {
            let mut fm = FailureMode::new(FailureModeId(n), format!("mode {n}"));
            fm.asset = Some(AssetId(1));
            s.failure_modes.push(fm);
        }
        s
    }

    #[test]
    fn only_steps_and_documents_are_programme_only() {
        let step = Change::PutStep(StepRecord::blank(3));
        let document = Change::PutDocument(DocumentRecord::blank("9.2"));
        assert!(step.is_programme_only() && document.is_programme_only());
        assert!(Change::Batch(vec![step.clone(), document]).is_programme_only());
        let fm = Change::RemoveFailureMode(FailureModeId(1));
        assert!(!fm.is_programme_only());
        assert!(!Change::Batch(vec![step, fm]).is_programme_only());
        assert!(!Change::SetThreshold(Threshold::default()).is_programme_only());
    }

    #[test]
    fn put_inserts_in_id_order_and_inverse_removes() {
        let mut s = session();
        let before = s.clone();
        let inverse = s.apply(Change::PutAsset(Asset::new(
            AssetId(2),
            "new",
            Category::People,
        )));
        let ids: Vec<u32> = s.assets.iter().map(|a| a.id.0).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(inverse, Change::RemoveAsset(AssetId(2)));
        s.apply(inverse);
        assert_eq!(s, before);
    }

    #[test]
    fn put_replaces_and_inverse_restores_old_record() {
        let mut s = session();
        let before = s.clone();
        let mut fm = s.failure_modes[1].clone();
        fm.severity = 9;
        let inverse = s.apply(Change::PutFailureMode(fm));
        assert_eq!(s.failure_modes[1].severity, 9);
        let redo = s.apply(inverse);
        assert_eq!(s, before);
        s.apply(redo);
        assert_eq!(s.failure_modes[1].severity, 9);
    }

    #[test]
    fn remove_and_undo_puts_the_record_back_in_place() {
        let mut s = session();
        let before = s.clone();
        let inverse = s.apply(Change::RemoveFailureMode(FailureModeId(2)));
        assert_eq!(s.failure_modes.len(), 2);
        s.apply(inverse);
        assert_eq!(s, before);
        assert!(
            s.apply(Change::RemoveFailureMode(FailureModeId(99)))
                .is_none()
        );
    }

    #[test]
    fn deleting_an_asset_unlinks_its_failure_modes_in_one_undoable_step() {
        let mut s = session();
        let before = s.clone();
        let inverse = s.apply(s.delete_asset_change(AssetId(1)));
        assert!(s.asset(AssetId(1)).is_none());
        assert!(s.failure_modes.iter().all(|f| f.asset.is_none()));
        s.apply(inverse);
        assert_eq!(s, before);
    }

    #[test]
    fn info_round_trips() {
        let mut s = session();
        let info = Info {
            title: "New".into(),
            participants: vec![Participant::new("Ana", "risk owner")],
            dates: vec![jiff::civil::date(2026, 11, 23)],
            ..Info::default()
        };
        let inverse = s.apply(Change::SetInfo(Box::new(info)));
        assert_eq!((s.title.as_str(), s.participants.len()), ("New", 1));
        assert_eq!(s.dates.len(), 1);
        s.apply(inverse);
        assert_eq!(s.title, "T");
        assert!(s.participants.is_empty() && s.dates.is_empty());
    }

    #[test]
    fn replacing_the_whole_session_is_undone_in_one_step() {
        let mut s = session();
        let before = s.clone();
        let mut other = Session::new("Other", Timestamp::UNIX_EPOCH);
        other
            .assets
            .push(Asset::new(AssetId(9), "x", Category::Site));
        let inverse = s.apply(Change::ReplaceSession(Box::new(other.clone())));
        assert_eq!(s, other);
        assert!(inverse.is_wholesale());
        s.apply(inverse);
        assert_eq!(s, before);
    }

    #[test]
    fn touched_failure_modes() {
        let c = Change::Batch(vec![
            Change::RemoveAsset(AssetId(1)),
            Change::RemoveFailureMode(FailureModeId(7)),
        ]);
        assert!(c.touches_failure_modes());
        assert_eq!(c.failure_mode_ids(), [FailureModeId(7)]);
        assert!(!Change::RemoveAsset(AssetId(1)).touches_failure_modes());
    }

    #[test]
    fn reserving_ids_only_raises_the_counters_and_its_inverse_keeps_them() {
        let mut s = session();
        s.next_ids = NextIds {
            asset: 4,
            failure_mode: 6,
            process: 3,
        };
        let inverse = s.apply(Change::ReserveIds(NextIds {
            asset: 2,
            failure_mode: 9,
            process: 5,
        }));
        assert_eq!(
            s.next_ids,
            NextIds {
                asset: 4,
                failure_mode: 9,
                process: 5,
            },
            "raised, never lowered"
        );
        assert!(inverse.is_none());
        s.apply(inverse);
        assert_eq!(s.next_ids.failure_mode, 9);
    }

    #[test]
    fn adding_a_record_moves_its_counter_in_the_same_step_and_undo_keeps_it() {
        let mut s = session();
        let before = s.clone();
        let (id, change) = s
            .add_failure_mode_change(FailureMode::new(FailureModeId(0), "new"))
            .unwrap();
        assert_eq!(id, FailureModeId(6), "past the highest in use");
        let inverse = s.apply(change);
        assert_eq!(s.failure_mode(id).map(|f| f.mode.as_str()), Some("new"));
        assert_eq!(s.next_ids.failure_mode, 7);
        let redo = s.apply(inverse);
        assert_eq!(s.failure_modes, before.failure_modes, "undo removes it");
        assert_eq!(s.next_ids.failure_mode, 7, "and FM-006 is not given again");
        assert_eq!(s.next_failure_mode_id(), Ok(FailureModeId(7)));
        s.apply(redo);
        assert!(s.failure_mode(id).is_some(), "redo brings it back");

        let (asset_id, change) = s
            .add_asset_change(Asset::new(AssetId(0), "a", Category::Site))
            .unwrap();
        assert_eq!(asset_id, AssetId(4));
        s.apply(change);
        assert_eq!((s.next_ids.asset, s.next_asset_id()), (5, Ok(AssetId(5))));
    }
}
