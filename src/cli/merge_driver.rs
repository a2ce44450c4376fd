//! `riskroom merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for
//! session files (`git-setup` registers it). git runs it with `%O %A %B %P`
//! when both branches changed a session; the merge is written to OURS (`%A`).
//!
//! Exit 0: merged cleanly. Exit 1: merged, with conflicts kept in the file for
//! the screen to decide (git reports the file as conflicted). Exit 2: could not
//! merge (a side that does not load, a newer format): OURS is left as it was,
//! so git's own conflict stays in place, and stderr says which side and where.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Failure, safe};
use crate::domain::{Session, validate};
use crate::merge;
use crate::store::{self, LoadError};

#[derive(Debug, clap::Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here.
    pub ours: PathBuf,
    /// The version merged in (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), for messages.
    pub path: Option<PathBuf>,
}

/// The exit code for a merge that could not be made.
const CANNOT_MERGE: u8 = 2;

pub fn run(args: &MergeDriverArgs, err: &mut impl Write) -> Result<ExitCode, Failure> {
    let shown = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.clone())
        .display()
        .to_string();
    let sides = [
        ("base", "the common ancestor", &args.base),
        ("ours", "this branch", &args.ours),
        ("theirs", "the branch merged in", &args.theirs),
    ];
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for (side, what, file) in sides {
        let label = PathBuf::from(format!("{shown} ({side}, {what})"));
        match load_side(file, side == "base") {
            Ok(session) => loaded.push(session),
            Err(error) => failed.push(error.shown_as(label)),
        }
    }
    if failed.len() == 3
        && !failed
            .iter()
            .any(|e| matches!(e, LoadError::NewerFormat { .. }))
    {
        return merge_as_text(args, &shown, err);
    }
    if !failed.is_empty() {
        for error in &failed {
            writeln!(err, "riskroom merge-driver: {}", safe(&error.to_string()))?;
        }
        writeln!(
            err,
            "riskroom merge-driver: {} not merged: left as this branch has it, with git's conflict in place \
             (`git show :3:{0}` shows the other side)",
            safe(&shown)
        )?;
        return Ok(ExitCode::from(CANNOT_MERGE));
    }
    let mut sides = loaded.into_iter();
    let (Some(base), Some(ours), Some(theirs)) = (sides.next(), sides.next(), sides.next()) else {
        return Err(Failure("three versions are needed".into()));
    };
    let merged = merge::merge(base, ours, theirs);
    let problems = validate(&merged.session);
    if !problems.is_empty() {
        for problem in &problems {
            writeln!(
                err,
                "riskroom merge-driver: {}: {}",
                safe(&shown),
                safe(&problem.to_string())
            )?;
        }
        writeln!(
            err,
            "riskroom merge-driver: {} not merged: the merge would not load; left as this branch has it",
            safe(&shown)
        )?;
        return Ok(ExitCode::from(CANNOT_MERGE));
    }
    store::save(&args.ours, &merged.session, false)?;
    report(&shown, &merged, err)?;
    Ok(if merged.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What the merge did, for the person running `git merge`.
fn report(shown: &str, merged: &merge::Merged, err: &mut impl Write) -> std::io::Result<()> {
    let shown = safe(shown);
    for r in &merged.renumbered {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: both sides added {}; {r}",
            r.from
        )?;
    }
    let conflicts = &merged.session.conflicts;
    if conflicts.is_empty() {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: merged record by record, no conflicts"
        )?;
        return Ok(());
    }
    for c in conflicts {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: conflict: {}",
            safe(&c.to_string())
        )?;
    }
    let n = conflicts.len();
    writeln!(
        err,
        "riskroom merge-driver: {shown}: {n} conflict{} kept in the file, which loads; \
         open it in riskroom to take ours or theirs for each, then `git add` it",
        if n == 1 { "" } else { "s" }
    )
}

/// A side's session. git gives an empty base when both branches added the
/// file: then the base is an empty session.
fn load_side(file: &Path, is_base: bool) -> Result<Session, LoadError> {
    if is_base && std::fs::metadata(file).is_ok_and(|m| m.len() == 0) {
        let mut empty = Session::new("", jiff::Timestamp::UNIX_EPOCH);
        empty.pdca.history.clear();
        return Ok(empty);
    }
    store::load(file)
}

/// None of the three is a session (another `.ron` file under the same
/// attribute, a theme): git's own line merge, as without the driver.
fn merge_as_text(
    args: &MergeDriverArgs,
    shown: &str,
    err: &mut impl Write,
) -> Result<ExitCode, Failure> {
    writeln!(
        err,
        "riskroom merge-driver: {}: not a session on any side; merged line by line (git merge-file)",
        safe(shown)
    )?;
    let status = std::process::Command::new("git")
        .arg("merge-file")
        .arg("-L")
        .arg("ours")
        .arg("-L")
        .arg("base")
        .arg("-L")
        .arg("theirs")
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .status()
        .map_err(|e| Failure(format!("cannot run git merge-file: {e}")))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}
