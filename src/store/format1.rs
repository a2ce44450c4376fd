//! Session format 1, read and brought up to the current format.
//!
//! Format 2 changed the meaning of a field: a failure mode's `process` was the
//! process's name in free text, and is now the ID of a process record. A
//! format-1 file is read with the shapes below, then every distinct process
//! name becomes one process record (in the order the failure modes first name
//! them, by ID), so nothing is lost and the next save writes the new form.

use std::fmt;

use serde::Deserialize;

use crate::domain::annex_a::ControlLink;
use crate::domain::ids::optional_asset;
use crate::domain::programme::Programme;
use crate::domain::session::{FORMAT, Limit, NextIds};
use crate::domain::{
    Asset, AssetId, FailureMode, FailureModeId, Participant, Pdca, Session, Threshold, Treatment,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionV1 {
    format: u32,
    #[serde(default)]
    title: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    facilitator: String,
    #[serde(default)]
    participants: Vec<String>,
    #[serde(default)]
    threshold: Threshold,
    #[serde(default)]
    pdca: Pdca,
    #[serde(default)]
    assets: Vec<Asset>,
    #[serde(default)]
    failure_modes: Vec<FailureModeV1>,
    #[serde(default)]
    next_ids: NextIdsV1,
    #[serde(default)]
    programme: Programme,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct NextIdsV1 {
    asset: u32,
    failure_mode: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailureModeV1 {
    id: FailureModeId,
    #[serde(default, with = "optional_asset")]
    asset: Option<AssetId>,
    /// The process's name, in free text.
    #[serde(default)]
    process: String,
    mode: String,
    #[serde(default)]
    effect: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    controls: String,
    severity: u8,
    occurrence: u8,
    detection: u8,
    #[serde(default)]
    treatment: Treatment,
    #[serde(default)]
    annex_a: Vec<ControlLink>,
}

/// What reading an older file changed, to tell the user once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub from: u32,
    /// Process records made from the failure modes' process names.
    pub processes: usize,
}

impl fmt::Display for Migration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read as session format {} and brought up to format {FORMAT}: the failure modes' \
             process names became {} process record{}",
            self.from,
            self.processes,
            if self.processes == 1 { "" } else { "s" }
        )
    }
}

impl SessionV1 {
    /// The session in the current format. Failure modes stay in file order
    /// (loading sorts them, and keeps duplicate IDs for validation to report);
    /// process records are made in ID order of the failure modes that name them.
    /// Refused only at the bound of process IDs, which no real file reaches.
    pub(super) fn migrate(self) -> Result<(Session, Migration), Limit> {
        let mut session = Session {
            format: FORMAT,
            title: self.title,
            organisation: self.organisation,
            scope: self.scope,
            facilitator: self.facilitator,
            dates: Vec::new(),
            participants: self
                .participants
                .iter()
                .map(|line| Participant::from_line(line))
                .collect(),
            threshold: self.threshold,
            name_voters: false,
            pdca: self.pdca,
            assets: self.assets,
            processes: Vec::new(),
            failure_modes: Vec::with_capacity(self.failure_modes.len()),
            log: Vec::new(),
            next_ids: NextIds {
                asset: self.next_ids.asset,
                failure_mode: self.next_ids.failure_mode,
                process: 0,
            },
            programme: self.programme,
            conflicts: Vec::new(),
        };
        let mut by_id: Vec<&FailureModeV1> = self.failure_modes.iter().collect();
        by_id.sort_by_key(|f| f.id);
        for fm in by_id {
            session.intern_process(&fm.process)?;
        }
        for fm in self.failure_modes {
            let process = session.intern_process(&fm.process)?;
            session.failure_modes.push(FailureMode {
                id: fm.id,
                asset: fm.asset,
                process,
                mode: fm.mode,
                effect: fm.effect,
                cause: fm.cause,
                controls: fm.controls,
                severity: fm.severity,
                occurrence: fm.occurrence,
                detection: fm.detection,
                treatment: fm.treatment,
                annex_a: fm.annex_a,
                sign_off: None,
            });
        }
        let migration = Migration {
            from: self.format,
            processes: session.processes.len(),
        };
        Ok((session, migration))
    }
}
