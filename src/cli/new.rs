//! `riskroom new PATH --title T`: an empty workshop, ready to open.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jiff::Timestamp;

use super::Failure;
use crate::domain::Session;
use crate::store;

pub fn run(path: &Path, title: &str, out: &mut impl Write) -> Result<ExitCode, Failure> {
    if path.exists() {
        return Err(Failure(format!(
            "{} already exists; choose another name (nothing was written)",
            path.display()
        )));
    }
    if title.trim().is_empty() {
        return Err(Failure("the title is empty; give one with --title".into()));
    }
    let session = Session::new(
        title.trim(),
        crate::domain::pdca::now_in_seconds(Timestamp::now()),
    );
    store::save(path, &session, false)?;
    writeln!(out, "created {} (\"{}\")", path.display(), session.title)?;
    writeln!(out, "open it with: riskroom {}", path.display())?;
    Ok(ExitCode::SUCCESS)
}
