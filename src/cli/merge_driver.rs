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
    let runs = renumbered_runs(&merged.renumbered);
    for run in runs.iter().take(MAX_RUNS_LISTED) {
        writeln!(err, "riskroom merge-driver: {shown}: {}", safe(run))?;
    }
    if runs.len() > MAX_RUNS_LISTED {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: and {} more of theirs renumbered the same way \
             (`riskroom diff` of either side against the merge lists them as added)",
            runs.len() - MAX_RUNS_LISTED
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
    for c in conflicts.iter().take(MAX_CONFLICTS_LISTED) {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: conflict: {}",
            safe(&c.to_string())
        )?;
    }
    let n = conflicts.len();
    if n > MAX_CONFLICTS_LISTED {
        writeln!(
            err,
            "riskroom merge-driver: {shown}: and {} more conflicts (the screen lists them all)",
            n - MAX_CONFLICTS_LISTED
        )?;
    }
    writeln!(
        err,
        "riskroom merge-driver: {shown}: {n} conflict{} kept in the file, which loads; \
         open it in riskroom to take ours or theirs for each, then `git add` it",
        if n == 1 { "" } else { "s" }
    )
}

/// How many lines of renumbered records git's output gets before a count.
const MAX_RUNS_LISTED: usize = 10;
/// And of conflicts: past this many, the screen is the place to read them.
const MAX_CONFLICTS_LISTED: usize = 20;

/// What was renumbered, one line per run of consecutive IDs moved by the same
/// amount: a hundred failure modes both sides added read as one line, not a
/// hundred ("both sides added FM-041..FM-140; theirs' are FM-141..FM-240 now").
fn renumbered_runs(renumbered: &[merge::Renumbered]) -> Vec<String> {
    // `FM-041` as ("FM-", 41); an ID without a number stands alone.
    fn split(id: &str) -> Option<(&str, u64)> {
        let prefix = id.trim_end_matches(|c: char| c.is_ascii_digit());
        Some((prefix, id[prefix.len()..].parse().ok()?))
    }
    let follows = |last: &merge::Renumbered, next: &merge::Renumbered| match (
        split(&last.from),
        split(&next.from),
        split(&last.to),
        split(&next.to),
    ) {
        (Some(a), Some(b), Some(c), Some(d)) => {
            a.0 == b.0 && c.0 == d.0 && b.1 == a.1 + 1 && d.1 == c.1 + 1
        }
        _ => false,
    };
    let mut runs: Vec<(&merge::Renumbered, &merge::Renumbered)> = Vec::new();
    for r in renumbered {
        match runs.last_mut() {
            Some((_, last)) if follows(last, r) => *last = r,
            _ => runs.push((r, r)),
        }
    }
    runs.into_iter()
        .map(|(first, last)| {
            if std::ptr::eq(first, last) {
                format!("both sides added {}; {first}", first.from)
            } else {
                format!(
                    "both sides added {}..{}; theirs' are {}..{} now",
                    first.from, last.from, first.to, last.to
                )
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(from: &str, to: &str) -> merge::Renumbered {
        merge::Renumbered {
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn consecutive_renumbered_ids_read_as_one_line_and_gaps_start_another() {
        let list = [
            moved("A-021", "A-024"),
            moved("FM-041", "FM-141"),
            moved("FM-042", "FM-142"),
            moved("FM-043", "FM-143"),
            moved("FM-045", "FM-144"),
            moved("FM-999", "FM-1000"),
            moved("FM-1000", "FM-1001"),
            moved("roadmap", "roadmap"),
        ];
        assert_eq!(
            renumbered_runs(&list),
            [
                "both sides added A-021; theirs' A-021 is A-024 now",
                "both sides added FM-041..FM-043; theirs' are FM-141..FM-143 now",
                "both sides added FM-045; theirs' FM-045 is FM-144 now",
                "both sides added FM-999..FM-1000; theirs' are FM-1000..FM-1001 now",
                "both sides added roadmap; theirs' roadmap is roadmap now",
            ]
        );
        assert!(renumbered_runs(&[]).is_empty());
    }

    #[test]
    fn a_long_merge_report_lists_the_first_and_counts_the_rest() {
        let mut session = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        session.conflicts = (0..25)
            .map(|i| crate::domain::Conflict {
                part: "failure_modes".into(),
                record: format!("FM-{i:03}"),
                field: "severity".into(),
                base: Some("5".into()),
                ours: Some("6".into()),
                theirs: Some("7".into()),
                held: crate::domain::Side::Ours,
            })
            .collect();
        let merged = merge::Merged {
            session,
            new_conflicts: 25,
            // Every other ID: twelve runs of one.
            renumbered: (0..12)
                .map(|i| moved(&format!("A-{}", 2 * i), &format!("A-{}", 100 + 2 * i)))
                .collect(),
        };
        let mut out = Vec::new();
        report("s.ron", &merged, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.matches("both sides added").count(), 10, "{out}");
        assert!(out.contains("and 2 more of theirs renumbered"), "{out}");
        assert_eq!(out.matches(": conflict: ").count(), 20, "{out}");
        assert!(out.contains("and 5 more conflicts"), "{out}");
        assert!(out.contains("25 conflicts kept in the file"), "{out}");
    }
}
