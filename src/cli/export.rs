//! `riskroom export SESSION`: the CSV files beside the session or in `--out`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::export::{self, CsvOptions};
use crate::store;

pub fn run(
    session_path: &Path,
    dir: Option<&Path>,
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
    let written = export::export(&session, dir, &export::stem_of(session_path), options)?;
    for file in written {
        writeln!(out, "wrote {} ({} rows)", file.path.display(), file.rows)?;
    }
    Ok(ExitCode::SUCCESS)
}
