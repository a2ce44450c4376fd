//! A failure mode from one row of the failure-modes file, and the asset its
//! Asset cell names.

use std::collections::HashMap;

use crate::domain::{AssetId, FailureMode, FailureModeId, RatingKind, Session};

use super::cells::{self, quote};
use super::columns::{Columns, Field, FileKind};
use super::table::Row;

/// Where a text column goes in the record.
type TextSlot = fn(&mut FailureMode) -> &mut String;

const TEXTS: [(Field, TextSlot); 4] = [
    (Field::Mode, |f| &mut f.mode),
    (Field::Effect, |f| &mut f.effect),
    (Field::Cause, |f| &mut f.cause),
    (Field::Controls, |f| &mut f.controls),
];

const RATINGS: [(Field, RatingKind); 3] = [
    (Field::Severity, RatingKind::Severity),
    (Field::Occurrence, RatingKind::Occurrence),
    (Field::Detection, RatingKind::Detection),
];

/// A new failure mode needs its text and its three ratings: the screen, too,
/// starts a new failure mode with its ratings empty, for the room to agree.
pub const REQUIRED_FOR_NEW: [Field; 4] = [
    Field::Mode,
    Field::Severity,
    Field::Occurrence,
    Field::Detection,
];

pub fn blank() -> FailureMode {
    FailureMode::new(FailureModeId(0), "")
}

/// Where an asset row that was not imported came from.
#[derive(Debug, Clone)]
pub struct RejectedAt {
    pub file: String,
    pub line: u64,
    /// `line` of a file, `row` of a sheet.
    pub unit: &'static str,
}

/// The assets a failure mode may name: those of the session with this import's
/// assets already in, and what became of the assets file's rows.
pub struct AssetLookup<'a> {
    pub session: &'a Session,
    /// Unknown IDs of the assets file and the fresh IDs they were added under.
    pub renumbered: &'a HashMap<AssetId, AssetId>,
    /// Rejected asset rows by their ID and by their name.
    pub rejected_ids: &'a HashMap<AssetId, RejectedAt>,
    pub rejected_names: &'a HashMap<String, RejectedAt>,
}

impl AssetLookup<'_> {
    /// The asset an Asset cell names: empty for none; an ID (as the file had it,
    /// so a renumbered asset is still found); or else a name, exactly (spaces
    /// around aside), then without regard to case, if only one asset has it.
    pub fn resolve(&self, cell: &str) -> Result<Option<AssetId>, String> {
        let text = cells::restore(cell).trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Ok(Some(id)) = cells::id::<AssetId>(text, "", "") {
            if let Some(to) = self.renumbered.get(&id) {
                return Ok(Some(*to));
            }
            if self.session.asset(id).is_some() {
                return Ok(Some(id));
            }
            return Err(match self.rejected_ids.get(&id) {
                Some(at) => format!(
                    "asset {id} is not imported: its row ({} {} {}) was rejected",
                    at.file, at.unit, at.line
                ),
                None => format!("unknown asset {id}"),
            });
        }
        let assets = &self.session.assets;
        let exact: Vec<AssetId> = assets
            .iter()
            .filter(|a| a.name.trim() == text)
            .map(|a| a.id)
            .collect();
        let found = if exact.is_empty() {
            let lower = text.to_lowercase();
            assets
                .iter()
                .filter(|a| a.name.trim().to_lowercase() == lower)
                .map(|a| a.id)
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [id] => Ok(Some(*id)),
            [] => Err(match self.rejected_names.get(text) {
                Some(at) => format!(
                    "asset {} is not imported: its row ({} {} {}) was rejected",
                    quote(text),
                    at.file,
                    at.unit,
                    at.line
                ),
                None => format!(
                    "unknown asset {}: no asset has this ID or name",
                    quote(text)
                ),
            }),
            several => Err(format!(
                "asset name {} is ambiguous: {} have it; give the ID",
                quote(text),
                several
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// A failure mode read from a row, and the name in its Process cell when the
/// file has the column: the process record is found or made once the row is
/// accepted (see `Planner::failure_modes`), so a rejected row makes none.
pub struct FromRow {
    pub record: FailureMode,
    pub process: Option<String>,
}

/// `base` with the row's cells put in (see [`super::assets::from_row`]).
pub fn from_row(
    row: &Row,
    columns: &Columns,
    base: &FailureMode,
    new: bool,
    assets: &AssetLookup<'_>,
) -> Result<FromRow, Vec<String>> {
    let mut fm = base.clone();
    let mut problems = Vec::new();
    if new && let Some(problem) = columns.missing_for_new(FileKind::FailureModes, &REQUIRED_FOR_NEW)
    {
        problems.push(problem);
    }
    for (field, slot) in TEXTS {
        if let Some(column) = columns.get(field) {
            *slot(&mut fm) = cells::restore(row.cell(column)).to_string();
        }
    }
    if columns.has(Field::Mode) && fm.mode.trim().is_empty() {
        problems.push("failure-mode text is empty".to_string());
    }
    if let Some(column) = columns.get(Field::Asset) {
        match assets.resolve(row.cell(column)) {
            Ok(asset) => fm.asset = asset,
            Err(problem) => problems.push(problem),
        }
    }
    for (field, kind) in RATINGS {
        if let Some(column) = columns.get(field) {
            match cells::rating(kind, row.cell(column)) {
                Ok(value) => {
                    if let Err(e) = fm.set_rating(kind, value) {
                        problems.push(e.to_string());
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    let process = columns
        .get(Field::Process)
        .map(|column| cells::restore(row.cell(column)).to_string());
    if problems.is_empty() {
        Ok(FromRow {
            record: fm,
            process,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Asset, Category};
    use jiff::Timestamp;

    fn session() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        for (n, name) in [
            (1, "VPN gateway"),
            (2, "Backup"),
            (3, "backup"),
            (4, "Mail"),
        ] {
            s.assets
                .push(Asset::new(AssetId(n), name, Category::Hardware));
        }
        s
    }

    #[test]
    fn assets_by_id_renumbered_id_or_name() {
        let s = session();
        let renumbered = HashMap::from([(AssetId(50), AssetId(4))]);
        let rejected_ids = HashMap::from([(
            AssetId(9),
            RejectedAt {
                file: "a.csv".into(),
                line: 4,
                unit: "line",
            },
        )]);
        let rejected_names = HashMap::from([(
            "Printer".to_string(),
            RejectedAt {
                file: "a.csv".into(),
                line: 5,
                unit: "line",
            },
        )]);
        let lookup = AssetLookup {
            session: &s,
            renumbered: &renumbered,
            rejected_ids: &rejected_ids,
            rejected_names: &rejected_names,
        };
        assert_eq!(lookup.resolve(""), Ok(None));
        assert_eq!(lookup.resolve(" a-1 "), Ok(Some(AssetId(1))));
        assert_eq!(lookup.resolve("A-050"), Ok(Some(AssetId(4))));
        assert_eq!(lookup.resolve("vpn GATEWAY"), Ok(Some(AssetId(1))));
        assert_eq!(lookup.resolve("Backup"), Ok(Some(AssetId(2))), "exact wins");
        assert_eq!(lookup.resolve("A-007"), Err("unknown asset A-007".into()));
        assert_eq!(
            lookup.resolve("A-009"),
            Err("asset A-009 is not imported: its row (a.csv line 4) was rejected".into())
        );
        assert_eq!(
            lookup.resolve("Printer"),
            Err("asset \"Printer\" is not imported: its row (a.csv line 5) was rejected".into())
        );
        assert_eq!(
            lookup.resolve("Toaster"),
            Err("unknown asset \"Toaster\": no asset has this ID or name".into())
        );
        assert_eq!(
            lookup.resolve("BACKUP"),
            Err("asset name \"BACKUP\" is ambiguous: A-002, A-003 have it; give the ID".into())
        );
    }
}
