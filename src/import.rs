//! CSV import: assets and failure modes back from a spreadsheet, as our export
//! wrote them or as another risk register has them.
//!
//! [`plan`] reads the files and works out, without touching the session, what
//! the import does: one [`Change`] (a batch, so the screen can undo it as one
//! step) and a [`Summary`] that says what is added, updated, unchanged and
//! rejected, row by row. Nothing here knows about terminals or the file system.
//!
//! The rules:
//! - Text: UTF-8 with or without a byte-order mark, or UTF-16 with one (Excel's
//!   "Unicode text"). Delimiter `,`, `;` or tab, found from the header line (or
//!   from an Excel `sep=` first line) unless given. CRLF, LF or CR line ends;
//!   quoted cells may hold delimiters, quotes and line breaks.
//! - Columns are matched by header name, ignoring case, spaces and punctuation,
//!   against [`columns::ASSET_COLUMNS`] and [`columns::FAILURE_MODE_COLUMNS`].
//!   Computed columns (RPN, AP, class…) are not read; unknown ones are reported.
//! - A row with the ID of a record updates it: only the columns the file has
//!   change. A row without ID adds a record under a fresh ID. A row with an ID the
//!   session does not have is rejected, unless `new_ids` (added under a fresh ID)
//!   or `keep_ids` (added under that ID, if the session never gave it out) says
//!   otherwise. Nothing is deleted.
//! - The failure modes' Asset cell names an asset by ID, or by name when only one
//!   asset has it (exactly, else ignoring case). Assets are imported first, so the
//!   failure modes can name assets of the same import, by the ID the assets file
//!   gave them even when they were renumbered.
//! - Any rejected row means nothing is imported, unless `partial`.

pub mod assets;
pub mod cells;
pub mod columns;
pub mod failure_modes;
pub mod ids;
pub mod summary;
pub mod table;
pub mod text;
pub mod workbook;

use std::collections::HashMap;
use std::fmt;

use crate::domain::{AssetId, Change, FailureModeId, Session};

use columns::{Columns, Field, FileKind};
use failure_modes::{AssetLookup, RejectedAt};
use ids::{Known, RecordId, Target};
use summary::{FileRead, Outcome, Rejection, Renumbered};
use table::{Row, Table};

pub use summary::{Counts, Summary};

/// One file to import: a name for messages (its path, usually) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The field delimiter; `None` finds it from the header line.
    pub delimiter: Option<u8>,
    /// Rows with an unknown ID are added under a fresh ID.
    pub new_ids: bool,
    /// Rows with an unknown ID are added under that ID when the session never
    /// gave it out (with `new_ids` too: under a fresh one otherwise).
    pub keep_ids: bool,
    /// Import the good rows even when some are rejected.
    pub partial: bool,
}

/// A file that cannot be imported at all (as opposed to a rejected row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.file, self.message)
    }
}

impl std::error::Error for ImportError {}

/// What an import does, worked out before anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Every record put, as one batch, with the ID counters raised past the IDs
    /// it hands out (so that they are never handed out again, even after an
    /// undo); empty when nothing changes or the import is blocked by rejected rows.
    pub change: Change,
    pub summary: Summary,
}

impl Plan {
    /// Applies the import and returns the change that undoes it.
    pub fn apply(&self, session: &mut Session) -> Change {
        session.apply(self.change.clone())
    }
}

/// A table read already (a sheet of a workbook) and the name messages give it.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub table: Table,
}

/// How many warnings of one kind a report lists before it only counts the rest.
pub const WARNINGS_SHOWN: usize = 10;

/// A file read and its columns mapped.
struct Loaded {
    name: String,
    table: Table,
    columns: Columns,
}

impl Loaded {
    fn read(kind: FileKind, source: Source<'_>, options: &Options) -> Result<Loaded, ImportError> {
        let table =
            table::read(source.bytes, options.delimiter).map_err(|message| ImportError {
                file: source.name.to_string(),
                message,
            })?;
        Loaded::map(
            kind,
            Named {
                name: source.name.to_string(),
                table,
            },
        )
    }

    fn map(kind: FileKind, named: Named) -> Result<Loaded, ImportError> {
        let Named { name, table } = named;
        let has_data = |column: usize| table.rows.iter().any(|r| !r.cell(column).trim().is_empty());
        let columns =
            Columns::map(kind, &name, &table.headers, has_data).map_err(|message| ImportError {
                file: name.clone(),
                message,
            })?;
        Ok(Loaded {
            name,
            table,
            columns,
        })
    }

    /// The rows that hold something; spreadsheets leave rows of empty cells.
    fn rows(&self) -> Vec<&Row> {
        self.table.rows.iter().filter(|r| !r.is_blank()).collect()
    }

    /// Cells that hold control or format characters (an escape code, a bidi
    /// override, a zero-width space): imported as they are, and said, with
    /// line and column, so that nobody is surprised by what a cell hides. Line
    /// breaks and tabs in a cell are ordinary. At most [`WARNINGS_SHOWN`].
    fn control_warnings(&self) -> Vec<String> {
        let odd = |cell: &str| {
            cell.chars()
                .find(|c| !matches!(c, '\n' | '\r' | '\t') && crate::terminal_text::is_hidden(*c))
        };
        let header = |column: usize| {
            self.table
                .headers
                .get(column)
                .map_or_else(String::new, |h| {
                    format!(" ({})", crate::terminal_text::excerpt(h, 30))
                })
        };
        let mut found = Vec::new();
        for (column, cell) in self.table.headers.iter().enumerate() {
            if let Some(c) = odd(cell) {
                found.push(format!(
                    "header, column {}: U+{:04X}",
                    column + 1,
                    u32::from(c)
                ));
            }
        }
        for row in &self.table.rows {
            for (column, cell) in row.cells.iter().enumerate() {
                if let Some(c) = odd(cell) {
                    found.push(format!(
                        "line {}, column {}{}: U+{:04X}",
                        row.line,
                        column + 1,
                        header(column),
                        u32::from(c)
                    ));
                }
            }
        }
        let total = found.len();
        let mut warnings: Vec<String> = found
            .into_iter()
            .take(WARNINGS_SHOWN)
            .map(|at| {
                format!(
                    "warning: {} {at}: a control character in the cell; imported as it is, \
                     shown as \\u{{…}} on screen and in messages",
                    self.name
                )
            })
            .collect();
        if total > WARNINGS_SHOWN {
            warnings.push(format!(
                "warning: {}: {} more cells with control characters",
                self.name,
                total - WARNINGS_SHOWN
            ));
        }
        warnings
    }

    fn file_read(&self, kind: FileKind) -> FileRead {
        FileRead {
            kind,
            file: self.name.clone(),
            rows: self.rows().len(),
            origin: self.table.origin,
        }
    }

    /// A problem of the row's shape: more cells than the header has names for
    /// usually means a delimiter inside a cell that was not quoted.
    fn extra_cells(&self, row: &Row) -> Option<String> {
        let width = self.table.headers.len();
        let extra = row.cells.iter().skip(width).any(|c| !c.trim().is_empty());
        extra.then(|| {
            format!(
                "the row has {} cells but the header only {width} (a delimiter in a cell \
                 that is not quoted?)",
                row.cells.len()
            )
        })
    }

    fn id_cells<'a>(&'a self, rows: &[&'a Row]) -> Vec<(u64, Option<&'a str>)> {
        let column = self.columns.get(Field::Id);
        rows.iter()
            .map(|r| (r.line, column.map(|c| r.cell(c))))
            .collect()
    }

    fn rejection(&self, row: &Row, reasons: Vec<String>) -> Rejection {
        let id = self
            .columns
            .get(Field::Id)
            .map(|c| row.cell(c).trim().to_string())
            .filter(|id| !id.is_empty());
        Rejection {
            file: self.name.clone(),
            line: row.line,
            unit: self.table.origin.unit(),
            id,
            reasons,
        }
    }
}

/// An accepted row, waiting for its ID.
struct Accepted<'a, Id, R> {
    row: &'a Row,
    target: Target<Id>,
    record: R,
}

/// Works out what importing these files into `session` does. `Err` only for a
/// file that cannot be read at all; bad rows are in the plan's summary.
pub fn plan(
    session: &Session,
    assets: Option<Source<'_>>,
    failure_modes: Option<Source<'_>>,
    options: &Options,
) -> Result<Plan, ImportError> {
    // Both files are read before either is used, so that a broken second file
    // is reported before anything is worked out.
    let asset_file = assets
        .map(|s| Loaded::read(FileKind::Assets, s, options))
        .transpose()?;
    let failure_mode_file = failure_modes
        .map(|s| Loaded::read(FileKind::FailureModes, s, options))
        .transpose()?;
    Ok(plan_loaded(session, asset_file, failure_mode_file, options))
}

/// [`plan`] for tables read already: the sheets of a workbook
/// ([`workbook::read`]). The same checks, the same all-or-nothing rule.
pub fn plan_tables(
    session: &Session,
    assets: Option<Named>,
    failure_modes: Option<Named>,
    options: &Options,
) -> Result<Plan, ImportError> {
    let asset_file = assets
        .map(|t| Loaded::map(FileKind::Assets, t))
        .transpose()?;
    let failure_mode_file = failure_modes
        .map(|t| Loaded::map(FileKind::FailureModes, t))
        .transpose()?;
    Ok(plan_loaded(session, asset_file, failure_mode_file, options))
}

fn plan_loaded(
    session: &Session,
    asset_file: Option<Loaded>,
    failure_mode_file: Option<Loaded>,
    options: &Options,
) -> Plan {
    let mut planner = Planner {
        session,
        options,
        work: session.clone(),
        summary: Summary {
            partial: options.partial,
            ..Summary::default()
        },
        changes: Vec::new(),
        renumbered: HashMap::new(),
        rejected_ids: HashMap::new(),
        rejected_names: HashMap::new(),
    };
    if let Some(file) = &asset_file {
        planner.assets(file);
    }
    if let Some(file) = &failure_mode_file {
        planner.failure_modes(file);
    }
    planner.finish()
}

/// The state of one import as it goes through the files.
struct Planner<'s> {
    session: &'s Session,
    options: &'s Options,
    /// The session with the rows accepted so far put in: the failure modes look
    /// up the assets of the same import here, and fresh IDs come from here.
    work: Session,
    summary: Summary,
    changes: Vec<Change>,
    /// Unknown asset IDs of the assets file and the fresh IDs they got.
    renumbered: HashMap<AssetId, AssetId>,
    rejected_ids: HashMap<AssetId, RejectedAt>,
    rejected_names: HashMap<String, RejectedAt>,
}

impl Planner<'_> {
    fn assets(&mut self, file: &Loaded) {
        let session = self.session;
        self.summary.files.push(file.file_read(FileKind::Assets));
        self.summary.warnings.extend(file.control_warnings());
        self.summary
            .ignored_columns
            .extend(file.columns.ignored.iter().cloned());
        let rows = file.rows();
        let known = Known {
            exists: |id: AssetId| session.asset(id).is_some(),
            next: session.next_ids.asset,
        };
        let targets = ids::targets(&file.id_cells(&rows), &known, self.options);
        let mut accepted = Vec::new();
        for (row, target) in rows.into_iter().zip(targets) {
            let (base, new) = match &target {
                Ok(Target::Existing(id)) => (session.asset(*id).cloned(), false),
                Ok(_) => (None, true),
                Err(_) => (None, false),
            };
            let base = base.unwrap_or_else(assets::blank);
            let built = assets::from_row(row, &file.columns, &base, new);
            match (target, built, file.extra_cells(row)) {
                (Ok(target), Ok(record), None) => accepted.push(Accepted {
                    row,
                    target,
                    record,
                }),
                (target, built, extra) => {
                    self.remember_rejected_asset(file, row);
                    let reasons = reasons(target.err(), built.err(), extra);
                    self.summary.rejected.push(file.rejection(row, reasons));
                }
            }
        }
        reserve_kept(&mut self.work.next_ids.asset, &accepted);
        for Accepted {
            row,
            target,
            mut record,
        } in accepted
        {
            record.id = match target {
                Target::Existing(id) | Target::Keep(id) => id,
                Target::Fresh { from } => {
                    let Ok(id) = self.work.allocate_asset_id().map_err(|limit| {
                        let reasons = vec![limit.to_string()];
                        self.summary.rejected.push(file.rejection(row, reasons));
                    }) else {
                        continue;
                    };
                    if let Some(from) = from {
                        self.renumbered.insert(from, id);
                        self.summary.assets.renumbered.push(Renumbered {
                            line: row.line,
                            unit: file.table.origin.unit(),
                            from,
                            to: id,
                        });
                    }
                    id
                }
            };
            let unchanged = matches!(target, Target::Existing(_))
                && self.work.asset(record.id) == Some(&record);
            let outcome = &mut self.summary.assets;
            count(outcome, target, record.id, unchanged);
            if !unchanged {
                self.put(Change::PutAsset(record));
            }
        }
    }

    /// So that a failure mode naming an asset whose row was rejected is told so.
    fn remember_rejected_asset(&mut self, file: &Loaded, row: &Row) {
        let at = || RejectedAt {
            file: file.name.clone(),
            line: row.line,
            unit: file.table.origin.unit(),
        };
        if let Some(Ok(Some(id))) = file
            .columns
            .get(Field::Id)
            .map(|c| cells::id::<AssetId>(row.cell(c), "", ""))
        {
            self.rejected_ids.insert(id, at());
        }
        if let Some(c) = file.columns.get(Field::Name) {
            let name = cells::restore(row.cell(c)).trim();
            if !name.is_empty() {
                self.rejected_names.insert(name.to_string(), at());
            }
        }
    }

    fn failure_modes(&mut self, file: &Loaded) {
        let session = self.session;
        self.summary
            .files
            .push(file.file_read(FileKind::FailureModes));
        self.summary.warnings.extend(file.control_warnings());
        self.summary
            .ignored_columns
            .extend(file.columns.ignored.iter().cloned());
        let rows = file.rows();
        let known = Known {
            exists: |id: FailureModeId| session.failure_mode(id).is_some(),
            next: session.next_ids.failure_mode,
        };
        let targets = ids::targets(&file.id_cells(&rows), &known, self.options);
        let lookup = AssetLookup {
            session: &self.work,
            renumbered: &self.renumbered,
            rejected_ids: &self.rejected_ids,
            rejected_names: &self.rejected_names,
        };
        let mut accepted = Vec::new();
        let mut rejected = Vec::new();
        for (row, target) in rows.into_iter().zip(targets) {
            let (base, new) = match &target {
                Ok(Target::Existing(id)) => (session.failure_mode(*id).cloned(), false),
                Ok(_) => (None, true),
                Err(_) => (None, false),
            };
            let base = base.unwrap_or_else(failure_modes::blank);
            let built = failure_modes::from_row(row, &file.columns, &base, new, &lookup);
            match (target, built, file.extra_cells(row)) {
                (Ok(target), Ok(record), None) => accepted.push(Accepted {
                    row,
                    target,
                    record,
                }),
                (target, built, extra) => {
                    let reasons = reasons(target.err(), built.err(), extra);
                    rejected.push(file.rejection(row, reasons));
                }
            }
        }
        self.summary.rejected.extend(rejected);
        reserve_kept(&mut self.work.next_ids.failure_mode, &accepted);
        for Accepted {
            row,
            target,
            record:
                failure_modes::FromRow {
                    mut record,
                    process,
                },
        } in accepted
        {
            record.id = match target {
                Target::Existing(id) | Target::Keep(id) => id,
                Target::Fresh { from } => {
                    let Ok(id) = self.work.allocate_failure_mode_id().map_err(|limit| {
                        let reasons = vec![limit.to_string()];
                        self.summary.rejected.push(file.rejection(row, reasons));
                    }) else {
                        continue;
                    };
                    if let Some(from) = from {
                        self.summary.failure_modes.renumbered.push(Renumbered {
                            line: row.line,
                            unit: file.table.origin.unit(),
                            from,
                            to: id,
                        });
                    }
                    id
                }
            };
            // A Process cell names a process record, or makes one (in the same
            // batch, so one undo takes both back).
            if let Some(name) = process {
                match self.work.process_for_name(&name) {
                    Ok((id, put)) => {
                        if let (Some(id), Some(put)) = (id, put) {
                            self.summary.processes_added.push((id, name));
                            self.put(put);
                        }
                        record.process = id;
                    }
                    Err(limit) => {
                        let reasons = vec![limit.to_string()];
                        self.summary.rejected.push(file.rejection(row, reasons));
                        continue;
                    }
                }
            }
            let unchanged = matches!(target, Target::Existing(_))
                && self.work.failure_mode(record.id) == Some(&record);
            count(
                &mut self.summary.failure_modes,
                target,
                record.id,
                unchanged,
            );
            if !unchanged {
                self.put(Change::PutFailureMode(record));
            }
        }
    }

    /// Into the working session and into the batch.
    fn put(&mut self, change: Change) {
        self.work.apply(change.clone());
        self.changes.push(change);
    }

    fn finish(mut self) -> Plan {
        let change = if self.summary.is_blocked() {
            Change::none()
        } else {
            if self.work.next_ids != self.session.next_ids {
                self.changes
                    .insert(0, Change::ReserveIds(self.work.next_ids));
            }
            Change::Batch(self.changes)
        };
        Plan {
            change,
            summary: self.summary,
        }
    }
}

fn count<Id>(outcome: &mut Outcome<Id>, target: Target<Id>, id: Id, unchanged: bool) {
    let list = match target {
        Target::Existing(_) if unchanged => &mut outcome.unchanged,
        Target::Existing(_) => &mut outcome.updated,
        Target::Keep(_) | Target::Fresh { .. } => &mut outcome.added,
    };
    list.push(id);
}

/// The reasons of a rejected row: its ID's, its cells', its shape's.
fn reasons(id: Option<String>, cells: Option<Vec<String>>, extra: Option<String>) -> Vec<String> {
    id.into_iter()
        .chain(cells.into_iter().flatten())
        .chain(extra)
        .collect()
}

/// IDs kept from the file are taken before any fresh one is handed out, so a
/// fresh ID never collides with a kept one further down the file.
fn reserve_kept<Id: RecordId, R>(next: &mut u32, accepted: &[Accepted<'_, Id, R>]) {
    for a in accepted {
        if let Target::Keep(id) = a.target {
            *next = (*next).max(id.number().saturating_add(1));
        }
    }
}
