//! `riskroom new PATH [--title T]`: an empty workshop, ready to open. Without
//! `--title` it asks on a terminal, and takes the file's name otherwise.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use jiff::Timestamp;

use super::Failure;
use crate::domain::Session;
use crate::store;

/// Longer than any title; a line past it is cut (the read stays bounded).
const MAX_TITLE_BYTES: u64 = 4096;

pub fn run(path: &Path, title: Option<&str>, out: &mut impl Write) -> Result<ExitCode, Failure> {
    if path.exists() {
        return Err(Failure(format!(
            "{} already exists; choose another name (nothing was written)",
            path.display()
        )));
    }
    let from_name = title_from_name(path);
    let (title, said) = match title {
        Some(title) if title.trim().is_empty() => {
            return Err(Failure("the title is empty; give one with --title".into()));
        }
        Some(title) => (title.trim().to_string(), None),
        None if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
            (ask_title(&from_name)?, None)
        }
        None => (
            from_name.clone(),
            Some(
                "no --title given: the file's name is the title (`title:` in the file changes it)",
            ),
        ),
    };
    let session = Session::new(
        &title,
        crate::domain::pdca::now_in_seconds(Timestamp::now()),
    );
    store::save(path, &session, false)?;
    writeln!(out, "created {} ({:?})", path.display(), session.title)?;
    if let Some(said) = said {
        writeln!(out, "{said}")?;
    }
    writeln!(out, "open it with: riskroom {}", path.display())?;
    Ok(ExitCode::SUCCESS)
}

/// The file's name without `.ron`, as a title of last resort.
fn title_from_name(path: &Path) -> String {
    let stem = crate::export::stem_of(path);
    if stem.trim().is_empty() {
        "Workshop".into()
    } else {
        stem
    }
}

/// Asks on the terminal; an empty answer takes `default`, end of input (Ctrl-d)
/// writes nothing.
fn ask_title(default: &str) -> Result<String, Failure> {
    let mut err = std::io::stderr();
    write!(err, "Title of the workshop [{default}]: ")?;
    err.flush()?;
    let mut line = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(MAX_TITLE_BYTES)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        let _ = writeln!(err);
        return Err(Failure("no title given; nothing was written".into()));
    }
    // Control characters (a stray Escape, a pasted tab) never reach the title.
    let answer: String = String::from_utf8_lossy(&line)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let answer = answer.trim();
    Ok(if answer.is_empty() {
        default.to_string()
    } else {
        answer.to_string()
    })
}
