//! `riskroom diff OLD NEW`, and the two ways git asks for it after `git-setup`:
//! `git-diff` (git's diff command, for `git diff`) and `git-textconv` (one
//! line per field, for `git log -p` and `git show`, which compare lines).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::{Failure, safe};
use crate::diff;
use crate::domain::Session;
use crate::store;

pub fn run(old: &Path, new: &Path, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let (a, b) = load_both(old, new)?;
    let lines = diff::diff(&a, &b);
    if lines.is_empty() {
        writeln!(out, "no changes")?;
    }
    for line in lines {
        writeln!(out, "{}", safe(&line))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Both sessions, loading each on its own thread (a large one takes a while).
fn load_both(old: &Path, new: &Path) -> Result<(Session, Session), Failure> {
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| store::load(old));
        let b = store::load(new);
        (a.join(), b)
    });
    let a = a.map_err(|_| Failure(format!("{}: could not be read", old.display())))??;
    Ok((a, b?))
}

/// git's diff command: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
#[derive(Debug, clap::Args)]
pub struct GitDiffArgs {
    pub path: PathBuf,
    pub old_file: PathBuf,
    pub old_hex: String,
    pub old_mode: String,
    pub new_file: PathBuf,
    pub new_hex: String,
    pub new_mode: String,
}

pub fn git_diff(args: &GitDiffArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let shown = safe(&args.path.display().to_string()).into_owned();
    let gone = |p: &Path| p == Path::new("/dev/null");
    let load = |p: &Path| (!gone(p)).then(|| store::load(p));
    match (load(&args.old_file), load(&args.new_file)) {
        (Some(Ok(a)), Some(Ok(b))) => {
            writeln!(out, "riskroom diff a/{shown} b/{shown}")?;
            for line in diff::diff(&a, &b) {
                writeln!(out, "{}", safe(&line))?;
            }
        }
        (None, Some(Ok(b))) => {
            writeln!(out, "riskroom diff: new session {shown}")?;
            summary(&b, out)?;
        }
        (Some(Ok(a)), None) => {
            writeln!(out, "riskroom diff: session {shown} deleted")?;
            summary(&a, out)?;
        }
        _ => {
            // Not a session on one side (another .ron file, or a broken one):
            // the lines, as git would show them without riskroom.
            writeln!(
                out,
                "riskroom diff: {shown} is not a session on both sides; its lines:"
            )?;
            out.flush()?;
            let output = Command::new("git")
                .args(["diff", "--no-index", "--no-ext-diff", "--no-textconv", "--"])
                .arg(&args.old_file)
                .arg(&args.new_file)
                .output()
                .map_err(|e| Failure(format!("cannot run git diff: {e}")))?;
            out.write_all(&output.stdout)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(s: &Session, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} assets, {} failure modes, PDCA cycle {} {}",
        safe(&format!("{:?}", s.title)),
        s.assets.len(),
        s.failure_modes.len(),
        s.pdca.cycle,
        s.pdca.stage
    )
}

/// git's text conversion: the session one line per field; a file that is no
/// session as its text (bounded like every read), so git compares its lines.
pub fn textconv(file: &Path, out: &mut impl Write) -> Result<ExitCode, Failure> {
    match store::load(file) {
        Ok(session) => {
            for line in diff::listing(&session) {
                writeln!(out, "{}", safe(&line))?;
            }
        }
        Err(store::LoadError::TooLarge { .. }) => {
            writeln!(out, "(too large to be a session file)")?;
        }
        Err(_) => {
            let meta = std::fs::metadata(file)?;
            if meta.len() > store::MAX_FILE_BYTES {
                writeln!(out, "(too large to show)")?;
            } else {
                let bytes = std::fs::read(file)?;
                out.write_all(
                    &safe(&String::from_utf8_lossy(&bytes))
                        .into_owned()
                        .into_bytes(),
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
