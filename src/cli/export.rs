//! `riskroom export SESSION`: the CSV files, or with `--format xlsx` the
//! workbook, beside the session or in `--out`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::export::{self, CsvOptions};
use crate::store;

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
    let dir = match dir {
        Some(dir) => {
            // Only once the session has loaded: a typo in its name creates nothing.
            if !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Failure(format!(
                        "cannot create the directory {}: {e}",
                        dir.display()
                    ))
                })?;
                writeln!(out, "created the directory {}", dir.display())?;
            }
            dir
        }
        None => &default_dir,
    };
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
