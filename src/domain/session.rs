//! The workshop: its descriptive fields, PDCA state and the two registers.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::asset::Asset;
use super::change::Change;
use super::conflict::Conflict;
use super::details::Participant;
use super::failure_mode::FailureMode;
use super::ids::{AssetId, FailureModeId, MAX_ID_NUMBER};
use super::log::LogEntry;
use super::pdca::{CycleRecord, FailureModeSnapshot, MAX_CYCLE, Pdca, Stage};
use super::process::Process;
use super::programme::Programme;
use super::threshold::Threshold;
use super::treatment::Treatment;

/// The session file format this program writes. Format 2 made a failure mode's
/// process a reference to a process record (it was free text) and participants
/// records with a role; format-1 files are read and brought up to it
/// (`store::format1`).
pub const FORMAT: u32 = 2;

/// The next ID numbers to hand out. Kept in the file so that an ID is never
/// reused within a session, even after the record holding it was deleted. They
/// only ever go up: by [`Change::ReserveIds`], which travels with the change that
/// adds the record, so that whoever follows the changes (undo, the saver's copy)
/// sees the counters move too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NextIds {
    pub asset: u32,
    pub failure_mode: u32,
    pub process: u32,
}

impl NextIds {
    /// The first number free after a counter and the highest number in use (a
    /// hand-written file may hold IDs past its counter). Every ID handed out is
    /// worked out here.
    /// Past [`MAX_ID_NUMBER`] there is none: refused, never wrapped round to an
    /// ID in use.
    pub(super) fn first_free(counter: u32, highest: u32) -> Option<u32> {
        let number = counter.max(highest.checked_add(1)?).max(1);
        (number <= MAX_ID_NUMBER).then_some(number)
    }

    /// The number after one just handed out (at most [`MAX_ID_NUMBER`] + 1).
    pub(super) fn after(number: u32) -> u32 {
        number.saturating_add(1)
    }

    /// Every counter at least as high as `other`'s.
    pub fn raise_to(&mut self, other: NextIds) {
        self.asset = self.asset.max(other.asset);
        self.failure_mode = self.failure_mode.max(other.failure_mode);
        self.process = self.process.max(other.process);
    }
}

/// A counter at its bound: what cannot be handed out any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    AssetIds,
    FailureModeIds,
    ProcessIds,
    Cycles,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::AssetIds => write!(
                f,
                "every asset ID up to {}, the highest riskroom gives out, has been used; \
                 no asset can be added to this session",
                AssetId(MAX_ID_NUMBER)
            ),
            Limit::FailureModeIds => write!(
                f,
                "every failure-mode ID up to {}, the highest riskroom gives out, has been \
                 used; no failure mode can be added to this session",
                FailureModeId(MAX_ID_NUMBER)
            ),
            Limit::ProcessIds => write!(
                f,
                "every process ID up to {}, the highest riskroom gives out, has been used; \
                 no process can be added to this session",
                super::ids::ProcessId(MAX_ID_NUMBER)
            ),
            Limit::Cycles => write!(
                f,
                "cycle {MAX_CYCLE} is the highest cycle riskroom counts; it cannot be closed"
            ),
        }
    }
}

impl std::error::Error for Limit {}

/// One workshop. Both registers are kept in ID order (the order of the file); the
/// risk order of the failure modes is a view, see [`super::ordering`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub format: u32,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub facilitator: String,
    /// The days the room met, in the order given.
    #[serde(default)]
    pub dates: Vec<Date>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Failure modes at or above it need a treatment decision.
    #[serde(default)]
    pub threshold: Threshold,
    /// Whether a vote's reveal names the voters on screen (SPEC 9.2; off:
    /// anonymous). The decision log keeps the names either way.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub name_voters: bool,
    #[serde(default)]
    pub pdca: Pdca,
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// The processes of the FMEA form, in ID order.
    #[serde(default)]
    pub processes: Vec<Process>,
    #[serde(default)]
    pub failure_modes: Vec<FailureMode>,
    /// The decision log, append-only, in time order (see [`super::log`]).
    #[serde(default)]
    pub log: Vec<LogEntry>,
    #[serde(default)]
    pub next_ids: NextIds,
    /// The ISMS programme around the workshops (roadmap, mandatory documents);
    /// left out of the file while nothing is recorded.
    #[serde(default, skip_serializing_if = "Programme::is_empty")]
    pub programme: Programme,
    /// Merge conflicts not yet decided (see [`super::conflict`]); left out of
    /// the file while there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

impl Session {
    pub fn new(title: impl Into<String>, now: Timestamp) -> Self {
        Self {
            format: FORMAT,
            title: title.into(),
            organisation: String::new(),
            scope: String::new(),
            facilitator: String::new(),
            dates: Vec::new(),
            participants: Vec::new(),
            threshold: Threshold::default(),
            name_voters: false,
            pdca: Pdca::started(now),
            assets: Vec::new(),
            processes: Vec::new(),
            failure_modes: Vec::new(),
            log: Vec::new(),
            next_ids: NextIds {
                asset: 1,
                failure_mode: 1,
                process: 1,
            },
            programme: Programme::default(),
            conflicts: Vec::new(),
        }
    }

    /// Puts both registers in ID order, as a hand-edited file may not be. Stable,
    /// so duplicate IDs stay visible to validation in file order.
    pub fn sort_by_id(&mut self) {
        self.assets.sort_by_key(|a| a.id);
        self.processes.sort_by_key(|p| p.id);
        self.failure_modes.sort_by_key(|f| f.id);
        self.programme.sort();
    }

    pub fn asset_index(&self, id: AssetId) -> Option<usize> {
        self.assets.binary_search_by_key(&id, |a| a.id).ok()
    }

    pub fn asset(&self, id: AssetId) -> Option<&Asset> {
        self.asset_index(id).map(|i| &self.assets[i])
    }

    pub fn failure_mode_index(&self, id: FailureModeId) -> Option<usize> {
        self.failure_modes.binary_search_by_key(&id, |f| f.id).ok()
    }

    pub fn failure_mode(&self, id: FailureModeId) -> Option<&FailureMode> {
        self.failure_mode_index(id).map(|i| &self.failure_modes[i])
    }

    /// The ID the next new asset gets.
    pub fn next_asset_id(&self) -> Result<AssetId, Limit> {
        let highest = self.assets.iter().map(|a| a.id.0).max().unwrap_or(0);
        NextIds::first_free(self.next_ids.asset, highest)
            .map(AssetId)
            .ok_or(Limit::AssetIds)
    }

    /// The ID the next new failure mode gets.
    pub fn next_failure_mode_id(&self) -> Result<FailureModeId, Limit> {
        let highest = self.failure_modes.iter().map(|f| f.id.0).max().unwrap_or(0);
        NextIds::first_free(self.next_ids.failure_mode, highest)
            .map(FailureModeId)
            .ok_or(Limit::FailureModeIds)
    }

    /// The counters once `id` is handed out.
    pub fn ids_after_asset(&self, id: AssetId) -> NextIds {
        NextIds {
            asset: self.next_ids.asset.max(NextIds::after(id.0)),
            ..self.next_ids
        }
    }

    /// The counters once `id` is handed out.
    pub fn ids_after_failure_mode(&self, id: FailureModeId) -> NextIds {
        NextIds {
            failure_mode: self.next_ids.failure_mode.max(NextIds::after(id.0)),
            ..self.next_ids
        }
    }

    /// The change that adds `asset` under the next ID, and moves the counter past
    /// it in the same step (an undo keeps the counter: the ID is not given again).
    pub fn add_asset_change(&self, mut asset: Asset) -> Result<(AssetId, Change), Limit> {
        let id = self.next_asset_id()?;
        asset.id = id;
        let reserve = Change::ReserveIds(self.ids_after_asset(id));
        Ok((id, Change::Batch(vec![reserve, Change::PutAsset(asset)])))
    }

    /// The change that adds `fm` under the next ID, and moves the counter past it
    /// in the same step.
    pub fn add_failure_mode_change(
        &self,
        mut fm: FailureMode,
    ) -> Result<(FailureModeId, Change), Limit> {
        let id = self.next_failure_mode_id()?;
        fm.id = id;
        let reserve = Change::ReserveIds(self.ids_after_failure_mode(id));
        Ok((id, Change::Batch(vec![reserve, Change::PutFailureMode(fm)])))
    }

    /// Hands out the next asset ID at once, outside any change: for building a
    /// session (the generator, an import's working copy). It is never given out
    /// again in this session.
    pub fn allocate_asset_id(&mut self) -> Result<AssetId, Limit> {
        let id = self.next_asset_id()?;
        self.next_ids = self.ids_after_asset(id);
        Ok(id)
    }

    /// Hands out the next failure-mode ID at once, outside any change (see
    /// [`Session::allocate_asset_id`]).
    pub fn allocate_failure_mode_id(&mut self) -> Result<FailureModeId, Limit> {
        let id = self.next_failure_mode_id()?;
        self.next_ids = self.ids_after_failure_mode(id);
        Ok(id)
    }

    /// The number of the cycle after this one, if there is one ([`MAX_CYCLE`]).
    pub fn next_cycle(&self) -> Result<u32, Limit> {
        self.pdca
            .cycle
            .checked_add(1)
            .filter(|next| *next <= MAX_CYCLE)
            .ok_or(Limit::Cycles)
    }

    /// Failure modes linked to an asset.
    pub fn failure_modes_of(&self, asset: AssetId) -> impl Iterator<Item = &FailureMode> {
        self.failure_modes
            .iter()
            .filter(move |f| f.asset == Some(asset))
    }

    /// The change that moves the PDCA stage forward. Within a cycle that is one
    /// step; from Act it closes the cycle (see [`Session::close_cycle_change`]).
    pub fn advance_stage_change(&self, now: Timestamp) -> Result<Change, Limit> {
        if self.pdca.stage == Stage::Act {
            return self.close_cycle_change(now);
        }
        let mut pdca = self.pdca.clone();
        pdca.advance_within_cycle(now);
        Ok(Change::SetPdca(pdca))
    }

    /// The change that steps the PDCA stage back within the cycle, if there is a
    /// stage before this one.
    pub fn step_back_stage_change(&self, now: Timestamp) -> Option<Change> {
        let mut pdca = self.pdca.clone();
        pdca.step_back(now).then_some(Change::SetPdca(pdca))
    }

    /// The change that closes the current cycle and starts the next one in Plan.
    ///
    /// The record of the closing cycle keeps every failure mode's ratings and
    /// treatment. In the new cycle, a failure mode whose treatment is Done or
    /// Verified takes its residual ratings as its current ones and its treatment
    /// starts afresh; every other failure mode keeps its ratings and treatment.
    /// At [`MAX_CYCLE`] the cycle cannot close: refused, so that the session
    /// never holds a cycle number it would refuse to load.
    pub fn close_cycle_change(&self, now: Timestamp) -> Result<Change, Limit> {
        let next = self.next_cycle()?;
        let record = CycleRecord {
            cycle: self.pdca.cycle,
            closed: now,
            failure_modes: self
                .failure_modes
                .iter()
                .map(FailureModeSnapshot::of)
                .collect(),
        };
        let mut pdca = self.pdca.clone();
        pdca.start_next_cycle(record, next, now);
        let mut changes = vec![Change::SetPdca(pdca)];
        for fm in &self.failure_modes {
            if !fm.treatment.status.is_closed() {
                continue;
            }
            let mut carried = fm.clone();
            if let Some(residual) = fm.residual() {
                carried.severity = residual.severity;
                carried.occurrence = residual.occurrence;
                carried.detection = residual.detection;
            }
            carried.treatment = Treatment::default();
            // The sign-off was of the risk before the treatment; the cycle's
            // record keeps it.
            carried.sign_off = None;
            changes.push(Change::PutFailureMode(carried));
        }
        Ok(Change::Batch(changes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::asset::Category;
    use crate::domain::treatment::Status;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap()
    }

    fn session() -> Session {
        let mut s = Session::new("Test", t(0));
        let a = s.allocate_asset_id().unwrap();
        s.assets.push(Asset::new(a, "Server", Category::Hardware));
        for _ in 0..3 {
            let id = s.allocate_failure_mode_id().unwrap();
            let mut fm = FailureMode::new(id, "mode");
            fm.asset = Some(a);
            fm.severity = 8;
            fm.occurrence = 6;
            fm.detection = 7;
            s.failure_modes.push(fm);
        }
        s
    }

    #[test]
    fn ids_stop_at_their_bound_and_never_wrap() {
        let mut s = session();
        s.next_ids.failure_mode = MAX_ID_NUMBER;
        assert_eq!(
            s.allocate_failure_mode_id(),
            Ok(FailureModeId(MAX_ID_NUMBER))
        );
        assert_eq!(s.next_ids.failure_mode, MAX_ID_NUMBER + 1);
        assert_eq!(s.allocate_failure_mode_id(), Err(Limit::FailureModeIds));
        assert_eq!(s.next_ids.failure_mode, MAX_ID_NUMBER + 1, "unchanged");
        // A record at u32::MAX (never from a valid file) does not wrap either.
        s.assets[0].id = AssetId(u32::MAX);
        assert_eq!(s.allocate_asset_id(), Err(Limit::AssetIds));
        let message = Limit::FailureModeIds.to_string();
        assert!(message.contains("FM-999999999"), "{message}");
    }

    #[test]
    fn the_last_cycle_cannot_be_closed() {
        let mut s = session();
        s.pdca.cycle = MAX_CYCLE - 1;
        s.pdca.stage = Stage::Act;
        s.apply(s.advance_stage_change(t(1)).unwrap());
        assert_eq!(s.pdca.cycle, MAX_CYCLE);
        s.pdca.stage = Stage::Act;
        assert_eq!(s.close_cycle_change(t(2)), Err(Limit::Cycles));
        assert_eq!(s.advance_stage_change(t(2)), Err(Limit::Cycles));
        assert!(Limit::Cycles.to_string().contains("9999"));
    }

    #[test]
    fn ids_are_never_reused_after_a_delete() {
        let mut s = session();
        assert_eq!(s.allocate_failure_mode_id().unwrap(), FailureModeId(4));
        s.failure_modes.pop();
        assert_eq!(s.allocate_failure_mode_id().unwrap(), FailureModeId(5));
        assert_eq!(s.allocate_asset_id().unwrap(), AssetId(2));
    }

    #[test]
    fn allocation_skips_ids_already_in_a_hand_written_file() {
        let mut s = session();
        s.next_ids = NextIds::default();
        s.failure_modes[2].id = FailureModeId(40);
        assert_eq!(s.allocate_failure_mode_id().unwrap(), FailureModeId(41));
        assert_eq!(s.allocate_asset_id().unwrap(), AssetId(2));
    }

    #[test]
    fn advancing_from_act_closes_the_cycle_and_carries_done_treatments_over() {
        let mut s = session();
        s.failure_modes[0].treatment.status = Status::Done;
        s.failure_modes[0].treatment.revised_occurrence = Some(2);
        s.failure_modes[1].treatment.status = Status::InProgress;
        s.failure_modes[1].treatment.revised_occurrence = Some(1);
        s.failure_modes[2].treatment.status = Status::Verified; // no revised ratings
        for i in 1..=3 {
            s.apply(s.advance_stage_change(t(i)).unwrap());
        }
        assert_eq!(s.pdca.stage, Stage::Act);
        let before = s.clone();
        let inverse = s.apply(s.advance_stage_change(t(10)).unwrap());

        assert_eq!((s.pdca.cycle, s.pdca.stage), (2, Stage::Plan));
        let record = &s.pdca.closed_cycles[0];
        assert_eq!((record.cycle, record.closed), (1, t(10)));
        assert_eq!(record.failure_modes.len(), 3);
        assert_eq!(
            record.failure_modes[0].occurrence, 6,
            "the record keeps the closing ratings"
        );
        assert_eq!(record.failure_modes[0].treatment.status, Status::Done);

        let fm = &s.failure_modes;
        assert_eq!((fm[0].occurrence, fm[0].treatment.is_empty()), (2, true));
        assert_eq!(
            (fm[1].occurrence, fm[1].treatment.status),
            (6, Status::InProgress)
        );
        assert_eq!((fm[2].occurrence, fm[2].treatment.is_empty()), (6, true));

        s.apply(inverse);
        assert_eq!(s, before, "undo of a cycle close restores everything");
    }

    #[test]
    fn step_back_is_refused_at_plan() {
        let s = session();
        assert!(s.step_back_stage_change(t(1)).is_none());
    }

    #[test]
    fn carry_over_rules_at_a_cycle_close() {
        use crate::domain::treatment::Decision;
        use crate::domain::{ControlState, Threshold};
        let mut s = session();
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fourth = FailureMode::new(id, "fourth");
        (fourth.severity, fourth.occurrence, fourth.detection) = (9, 9, 9);
        s.failure_modes.push(fourth);
        // FM-001 Done with revised S and D; FM-002 Open with revised O (not done:
        // keeps everything); FM-003 Verified with nothing revised (ratings stay,
        // treatment starts afresh); FM-004 untreated.
        let t1 = &mut s.failure_modes[0].treatment;
        (t1.decision, t1.status) = (Decision::Reduce, Status::Done);
        (t1.revised_severity, t1.revised_detection) = (Some(6), Some(2));
        t1.action = "MFA".into();
        s.failure_modes[0] = s.failure_modes[0].with_link("A.8.5", Some(ControlState::Planned));
        let t2 = &mut s.failure_modes[1].treatment;
        (t2.decision, t2.status, t2.revised_occurrence) = (Decision::Reduce, Status::Open, Some(1));
        let t3 = &mut s.failure_modes[2].treatment;
        (t3.decision, t3.status) = (Decision::Accept, Status::Verified);
        s.threshold = Threshold {
            rpn: 100,
            ap_high: false,
        };
        for i in 1..=3 {
            s.apply(s.advance_stage_change(t(i)).unwrap());
        }
        let before = s.clone();
        s.apply(s.close_cycle_change(t(50)).unwrap());

        let fm = &s.failure_modes;
        assert_eq!(
            (fm[0].severity, fm[0].occurrence, fm[0].detection),
            (6, 6, 2)
        );
        assert!(fm[0].treatment.is_empty(), "a fresh treatment");
        assert_eq!(
            fm[0].link("A.8.5"),
            Some(ControlState::Planned),
            "Annex A links are the room's to change, not the close's"
        );
        assert_eq!(fm[1].sod(), before.failure_modes[1].sod());
        assert_eq!(fm[1].treatment, before.failure_modes[1].treatment);
        assert_eq!(fm[2].sod(), before.failure_modes[2].sod());
        assert!(fm[2].treatment.is_empty());
        assert_eq!(fm[3], before.failure_modes[3]);
        assert_eq!(s.threshold, before.threshold, "the threshold stays");

        let record = s.pdca.closed_cycles.last().unwrap();
        assert_eq!((record.cycle, record.closed), (1, t(50)));
        let snaps: Vec<FailureModeSnapshot> = before
            .failure_modes
            .iter()
            .map(FailureModeSnapshot::of)
            .collect();
        assert_eq!(
            record.failure_modes, snaps,
            "the record is the cycle as it closed"
        );
        assert_eq!(record.failure_modes[0].annex_a.len(), 1);
        assert_eq!(
            s.pdca.history.last().map(|h| (h.cycle, h.stage, h.at)),
            Some((2, Stage::Plan, t(50)))
        );
    }
}
