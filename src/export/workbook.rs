//! The workbook `<stem>.xlsx` (SPEC 9.1): the whole workshop in one file that
//! Excel and LibreOffice open in any locale. The same tables as the CSV files,
//! typed: numbers are numbers, dates are dates, text is a text cell (never a
//! formula, whatever it begins with). Every sheet has its header frozen, an
//! autofilter and widths that fit; ratings, decisions and statuses are drop-down
//! lists, so a rating can be changed offline; RPN, AP and class are marked by a
//! fill and by what the cell reads (a letter, or `▲`), never by colour alone. A
//! hidden, protected sheet `riskroom` carries the workbook format and the IDs, so
//! that `riskroom import --workbook` knows the workbook when it comes back.
//!
//! Written with rust_xlsxwriter in constant-memory mode: each sheet's rows go
//! to a temporary file as they are written, so 100,000 failure modes need no
//! more memory than a few rows (widths are measured on the way, since the
//! library's autofit needs the rows in memory).

mod sheet;
mod summary;

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::programme::{documents_table, roadmap_table};
use super::tables::{
    Table, assets_table, controls_table, failure_modes_table, treatment_plan_table,
};
use super::{ExportError, Written};
use crate::domain::Session;
use crate::store::write_atomically_with;

pub use sheet::SheetStyle;

/// The version of the workbook's layout, in the hidden sheet. An import refuses
/// a workbook of a newer layout rather than misread it.
pub const WORKBOOK_FORMAT: u32 = 1;

/// The hidden sheet that says "this is a riskroom workbook".
pub const META_SHEET: &str = "riskroom";

/// Sheet names, in order. The import finds the registers by these names.
pub const SUMMARY: &str = "Summary";
pub const ASSETS: &str = "Assets";
pub const FAILURE_MODES: &str = "Failure modes";
pub const TREATMENT_PLAN: &str = "Treatment plan";
pub const CONTROLS: &str = "Controls (SoA)";
pub const ROADMAP: &str = "Roadmap";
pub const DOCUMENTS: &str = "Documents";

/// `<stem>.xlsx` in `dir`.
pub fn workbook_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.xlsx"))
}

/// Writes `<stem>.xlsx` into `dir`, atomically (a temporary file beside it,
/// renamed over it). `today` decides what is overdue and is the export's date.
pub fn export_workbook(
    session: &Session,
    dir: &Path,
    stem: &str,
    today: Date,
) -> Result<Written, ExportError> {
    if !dir.is_dir() {
        return Err(ExportError::NotADirectory(dir.to_path_buf()));
    }
    let path = workbook_path(dir, stem);
    let mut rows = 0;
    write_atomically_with(&path, false, |file| {
        rows = write_workbook(session, today, file).map_err(std::io::Error::other)?;
        Ok(())
    })
    .map_err(ExportError::Write)?;
    Ok(Written { path, rows })
}

/// The workbook into `writer`; returns the number of failure-mode rows.
///
/// The register sheets are written on two threads (assets and failure modes on
/// one, the treatment plan and the reports on the other): writing cells is
/// most of the time a large workbook takes. The zip is compressed at level 1:
/// a 100,000-row workbook is then about 60 % larger and its zip takes a
/// third of the time (BENCHMARKS.md).
pub fn write_workbook<W: Write + Seek + Send>(
    session: &Session,
    today: Date,
    writer: W,
) -> Result<usize, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(1);
    let style = SheetStyle::new(session.threshold);
    summary::write(&mut workbook, &style, session, today)?;

    let mut sheets = Vec::new();
    for _ in 0..6 {
        sheets.push(workbook.new_worksheet_with_constant_memory()?);
    }
    let [
        mut assets,
        mut failure_modes,
        mut plan,
        mut controls,
        mut road,
        mut docs,
    ] = <[Worksheet; 6]>::try_from(sheets)
        .map_err(|_| XlsxError::ParameterError("six worksheets were asked for".to_string()))?;
    let (registers, reports) = std::thread::scope(|scope| {
        let registers = scope.spawn(|| -> Result<_, XlsxError> {
            let table = assets_table(session);
            let asset_ids = ids(&table);
            style.write_table(&mut assets, ASSETS, &table, true)?;
            drop(table);
            let table = failure_modes_table(session);
            let rows = table.rows.len();
            let failure_mode_ids = ids(&table);
            style.write_table(&mut failure_modes, FAILURE_MODES, &table, true)?;
            Ok((asset_ids, failure_mode_ids, rows))
        });
        let reports = scope.spawn(|| -> Result<(), XlsxError> {
            let table = treatment_plan_table(session, today);
            style.write_table(&mut plan, TREATMENT_PLAN, &table, true)?;
            drop(table);
            style.write_table(&mut controls, CONTROLS, &controls_table(session), true)?;
            style.write_table(&mut road, ROADMAP, &roadmap_table(session, today), true)?;
            style.write_table(&mut docs, DOCUMENTS, &documents_table(session, today), true)?;
            Ok(())
        });
        (joined(registers.join()), joined(reports.join()))
    });
    let (asset_ids, failure_mode_ids, rows) = registers?;
    reports?;
    for sheet in [assets, failure_modes, plan, controls, road, docs] {
        workbook.push_worksheet(sheet);
    }
    sheet::write_meta(&mut workbook, session, today, &asset_ids, &failure_mode_ids)?;
    // The Summary opens first.
    workbook.worksheet_from_index(0)?.set_active(true);
    workbook.save_to_writer(writer)?;
    Ok(rows)
}

/// The sheets of the portfolio (issue 18): one row per session, and the worst
/// risks across them.
pub const PORTFOLIO_SESSIONS: &str = "Sessions";
pub const PORTFOLIO_TOP: &str = "Top risks";

/// `portfolio.xlsx` in `dir`, written atomically: the portfolio's two tables
/// as sheets with the workbook's style (header frozen, autofilter, numbers as
/// numbers, text as text, AP with its letter). The sessions may use different
/// thresholds; the flags follow the default one.
pub fn export_portfolio(
    portfolio: &crate::portfolio::Portfolio,
    dir: &Path,
) -> Result<Written, ExportError> {
    if !dir.is_dir() {
        return Err(ExportError::NotADirectory(dir.to_path_buf()));
    }
    let path = dir.join("portfolio.xlsx");
    write_atomically_with(&path, false, |file| {
        let mut workbook = Workbook::new();
        let style = SheetStyle::new(crate::domain::Threshold::default());
        for (name, table) in [
            (PORTFOLIO_SESSIONS, portfolio.sessions_table()),
            (PORTFOLIO_TOP, portfolio.top_table()),
        ] {
            let sheet = workbook.add_worksheet();
            style
                .write_table(sheet, name, &table, false)
                .map_err(std::io::Error::other)?;
        }
        workbook.save_to_writer(file).map_err(std::io::Error::other)
    })
    .map_err(ExportError::Write)?;
    Ok(Written {
        path,
        rows: portfolio.entries.len(),
    })
}

/// A thread's result; a panic in it becomes an error, not a second panic.
fn joined<T>(result: std::thread::Result<Result<T, XlsxError>>) -> Result<T, XlsxError> {
    result.unwrap_or_else(|_| {
        Err(XlsxError::ParameterError(
            "writing a sheet failed unexpectedly".to_string(),
        ))
    })
}

/// The ID column of a table, in its row order.
fn ids(table: &Table<'_>) -> Vec<String> {
    table
        .rows
        .iter()
        .map(|r| r.first().map(|c| c.csv().into_owned()).unwrap_or_default())
        .collect()
}
