//! CSV export (SPEC 4): files a spreadsheet opens as they are: UTF-8 with a
//! byte-order mark, RFC 4180 quoting, numbers as plain integers, and no text cell
//! that a spreadsheet would run as a formula.

mod cells;
pub mod overview;
mod programme;
mod tables;
pub mod workbook;

use std::fmt;
use std::path::{Path, PathBuf};

pub use cells::{Cell, Choices, FORMULA_STARTS, Kind, neutralise};
pub use programme::{DOCUMENTS_HEADERS, ROADMAP_HEADERS, documents_table, roadmap_table};
pub use tables::{
    ASSET_HEADERS, CONTROLS_HEADERS, FAILURE_MODE_HEADERS, TREATMENT_PLAN_HEADERS, Table,
    assets_table, controls_table, failure_modes_table, treatment_plan_table,
};

use jiff::civil::Date;

use crate::domain::Session;
use crate::store::{AtomicWriteError, write_atomically};

/// How the CSV files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    pub delimiter: u8,
    /// UTF-8 byte-order mark first, so that Excel reads the text as UTF-8.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: b',',
            bom: true,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A delimiter as a person writes it (`--delimiter`, the config file): one ASCII
/// character, or the words `tab` and `\t`.
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match text.as_bytes() {
            [b'"' | b'\r' | b'\n'] => Err(format!("{text:?} cannot separate CSV fields")),
            [byte] if byte.is_ascii() => Ok(*byte),
            _ => Err(format!(
                "{text:?} is not one character (try ',' or ';' or tab)"
            )),
        },
    }
}

/// One table as CSV bytes.
pub fn to_csv(table: &Table, options: CsvOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    if options.bom {
        bytes.extend_from_slice(BOM);
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(bytes);
    // Writing into a Vec cannot fail for I/O reasons, and every row has as
    // many cells as the header.
    if let Err(error) = writer.write_record(table.headers) {
        unreachable!("CSV into memory failed: {error}");
    }
    for row in &table.rows {
        if let Err(error) = writer.write_record(row.iter().map(|c| c.csv().into_owned())) {
            unreachable!("CSV into memory failed: {error}");
        }
    }
    match writer.into_inner() {
        Ok(bytes) => bytes,
        Err(error) => unreachable!("CSV into memory failed: {error}"),
    }
}

/// One file written by an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub rows: usize,
}

#[derive(Debug)]
pub enum ExportError {
    NotADirectory(PathBuf),
    Write(AtomicWriteError),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NotADirectory(dir) if dir.exists() => {
                write!(
                    f,
                    "cannot export into {}: it is not a directory",
                    dir.display()
                )
            }
            ExportError::NotADirectory(dir) => {
                write!(f, "cannot export into {}: no such directory", dir.display())
            }
            ExportError::Write(error) => write!(f, "export failed: {error}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The files an export writes into `dir`: `<stem>-assets.csv`,
/// `<stem>-failure-modes.csv`, `<stem>-treatment-plan.csv`,
/// `<stem>-controls.csv` (a draft Statement of Applicability), and the ISMS
/// programme's `<stem>-roadmap.csv` and `<stem>-documents.csv`.
pub fn target_paths(dir: &Path, stem: &str) -> [PathBuf; 6] {
    [
        dir.join(format!("{stem}-assets.csv")),
        dir.join(format!("{stem}-failure-modes.csv")),
        dir.join(format!("{stem}-treatment-plan.csv")),
        dir.join(format!("{stem}-controls.csv")),
        dir.join(format!("{stem}-roadmap.csv")),
        dir.join(format!("{stem}-documents.csv")),
    ]
}

/// The stem of a session file: its name without `.ron`.
pub fn stem_of(session_path: &Path) -> String {
    session_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".to_string())
}

/// The directory a session's exports go to by default: the session file's own.
pub fn default_dir(session_path: &Path) -> PathBuf {
    match session_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes every CSV file of a session into `dir`, each atomically; what is overdue
/// is judged by today's date where the program runs.
pub fn export(
    session: &Session,
    dir: &Path,
    stem: &str,
    options: CsvOptions,
) -> Result<Vec<Written>, ExportError> {
    export_as_of(
        session,
        dir,
        stem,
        options,
        jiff::ZonedDateTime::now().date(),
    )
}

/// [`export`], with overdue treatments judged as of `today`.
pub fn export_as_of(
    session: &Session,
    dir: &Path,
    stem: &str,
    options: CsvOptions,
    today: Date,
) -> Result<Vec<Written>, ExportError> {
    if !dir.is_dir() {
        return Err(ExportError::NotADirectory(dir.to_path_buf()));
    }
    let tables = [
        assets_table(session),
        failure_modes_table(session),
        treatment_plan_table(session, today),
        controls_table(session),
        roadmap_table(session, today),
        documents_table(session, today),
    ];
    // A link planted under any of the names stops the export before the first
    // file is written, rather than halfway.
    for path in target_paths(dir, stem) {
        crate::store::own_files::check_links(&path).map_err(|source| {
            ExportError::Write(AtomicWriteError {
                path: path.clone(),
                step: "write it".into(),
                source,
            })
        })?;
    }
    let mut written = Vec::new();
    for (table, path) in tables.iter().zip(target_paths(dir, stem)) {
        write_atomically(&path, &to_csv(table, options), false).map_err(ExportError::Write)?;
        written.push(Written {
            path,
            rows: table.rows.len(),
        });
    }
    Ok(written)
}
