//! `riskroom export SESSION`: the CSV files, or with `--format xlsx` the
//! workbook, beside the session or in `--out`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{Failure, safe};
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
            out_dir(dir, out)?;
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

/// Makes sure `--out DIR` is a directory to write into: one that is missing
/// is made, with its missing parents as `mkdir -p` does (a dated folder under
/// a new one, `reports/2026 Q3`), and said so. Something else by that name (a
/// file, a link to nothing) is refused, nothing made: mkdir(2) does not
/// follow a link, so a planted dangling one does not create a directory
/// where it points. `riskroom export` and `riskroom portfolio` both go
/// through here, so `--out` means the same in both.
pub(super) fn out_dir(dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    let shown = || safe(&dir.display().to_string()).into_owned();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => {
            return Err(Failure(format!(
                "--out {}: not a directory; nothing written",
                shown()
            )));
        }
        Err(_) if std::fs::symlink_metadata(dir).is_ok() => {
            return Err(Failure(format!(
                "--out {}: a link to nothing (not followed); nothing written",
                shown()
            )));
        }
        Err(_) => {}
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure(format!("cannot create the directory {}: {e}", shown())))?;
    writeln!(out, "created the directory {}", shown())?;
    Ok(())
}
