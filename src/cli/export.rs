//! `riskroom export SESSION`: the CSV files, or with `--format xlsx` the
//! workbook, beside the session or in `--out`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::export::{self, CsvOptions};
use crate::store;

/// Accepts one ASCII character, or the words `tab` and `\t`.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

pub fn run(
    session_path: &Path,
    dir: Option<&Path>,
    format: Format,
    options: CsvOptions,
    out: &mut impl Write,
) -> Result<ExitCode, Failure> {
    let session = store::load(session_path)?;
    let default_dir = export::default_dir(session_path);
    let dir = dir.unwrap_or(&default_dir);
    let stem = export::stem_of(session_path);
    let written = match format {
        Format::Csv => export::export(&session, dir, &stem, options)?,
        Format::Xlsx => {
            let today = jiff::ZonedDateTime::now().date();
            vec![export::workbook::export_workbook(
                &session, dir, &stem, today,
            )?]
        }
    };
    for file in written {
        writeln!(out, "wrote {} ({} rows)", file.path.display(), file.rows)?;
    }
    Ok(ExitCode::SUCCESS)
}
