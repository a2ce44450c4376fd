//! `riskroom report SESSION [--out FILE] [--format html|md]`: the management
//! report, by default `<stem>-report.html` beside the session.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Failure;
use crate::export;
use crate::report::{self, Report};
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
        }
    }
}

/// `<stem>-report.html` (or `.md`) beside the session.
pub fn default_path(session_path: &Path, format: Format) -> PathBuf {
    export::default_dir(session_path).join(format!(
        "{}-report.{}",
        export::stem_of(session_path),
        format.extension()
    ))
}

pub fn run(
    session_path: &Path,
    out_path: Option<&Path>,
    format: Format,
    out: &mut impl Write,
) -> Result<ExitCode, Failure> {
    let session = store::load(session_path)?;
    let today = jiff::ZonedDateTime::now().date();
    let target = out_path.map_or_else(|| default_path(session_path, format), Path::to_path_buf);
    if target.is_dir() {
        return Err(Failure(format!(
            "cannot write the report to {}: it is a directory (give a file name)",
            target.display()
        )));
    }
    let report = Report::of(&session, today);
    let text = match format {
        Format::Html => report::html(&report),
        Format::Md => report::markdown(&report),
    };
    store::write_atomically(&target, text.as_bytes(), false)?;
    writeln!(out, "wrote {}", target.display())?;
    Ok(ExitCode::SUCCESS)
}
