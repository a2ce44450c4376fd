//! `riskroom git-setup [DIR]`: registers riskroom with the git repository at
//! DIR for `*.ron`: the `.gitattributes` line, and in the repository's own
//! config the merge driver, the diff command (`git diff`) and the text
//! conversion (`git log -p`, `git show`, which do not run diff commands);
//! and in the repository's local `info/exclude` riskroom's backups
//! (`*.ron.bak`). Running it again changes nothing and says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::{Failure, safe};
use crate::store;

/// The `.gitattributes` line.
pub const ATTRIBUTES: &str = "*.ron merge=riskroom diff=riskroom";

/// The line of the repository's `info/exclude`.
pub const EXCLUDE: &str = "*.ron.bak";

pub fn run(dir: Option<&Path>, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let dir = dir.unwrap_or(Path::new("."));
    let top = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| Failure(format!("{}: not in a git repository ({e})", dir.display())))?;
    let top = PathBuf::from(top.trim_end_matches('\n'));
    let program = std::env::current_exe()
        .map_err(|e| Failure(format!("cannot tell where this riskroom is: {e}")))?;
    let program = shell_quoted(&program.display().to_string());

    add_and_say(out, &top.join(".gitattributes"), ATTRIBUTES, "")?;
    // riskroom's backup of a session as opened (`x.ron.bak`) is no work to
    // commit: kept out of `git status` in the repository's own exclude file
    // (local: other clones decide for themselves). `--git-path` finds it in a
    // worktree too (the main repository's `info/`).
    let exclude = git(&top, &["rev-parse", "--git-path", "info/exclude"])
        .map_err(|e| Failure(format!("cannot find the repository's info/exclude: {e}")))?;
    add_and_say(
        out,
        &top.join(exclude.trim_end_matches('\n')),
        EXCLUDE,
        " (riskroom's backups stay out of git status)",
    )?;
    let settings = [
        (
            "merge.riskroom.name",
            "riskroom: sessions merged record by record".to_string(),
        ),
        (
            "merge.riskroom.driver",
            format!("{program} merge-driver %O %A %B %P"),
        ),
        ("diff.riskroom.command", format!("{program} git-diff")),
        ("diff.riskroom.textconv", format!("{program} git-textconv")),
    ];
    for (key, value) in settings {
        let now = git(&top, &["config", "--local", "--get", key]).ok();
        if now.as_deref().map(|v| v.trim_end_matches('\n')) == Some(value.as_str()) {
            writeln!(out, "git config {key} was set already")?;
            continue;
        }
        git(&top, &["config", "--local", key, &value])
            .map_err(|e| Failure(format!("cannot set git config {key}: {e}")))?;
        writeln!(out, "git config {key} = {}", safe(&value))?;
    }
    writeln!(
        out,
        "git merge now merges sessions record by record (conflicts kept in the file, \
         decided in riskroom); git diff, git log -p and git show describe what changed"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The output of `git -C dir ARGS`, or what git said.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// [`add_line`], and a line of output that says what it did.
fn add_and_say(out: &mut impl Write, path: &Path, line: &str, why: &str) -> Result<(), Failure> {
    let shown = safe(&path.display().to_string()).into_owned();
    if add_line(path, line)? {
        writeln!(out, "{shown}: added `{line}`{why}")?;
    } else {
        writeln!(out, "{shown}: `{line}` was there already")?;
    }
    Ok(())
}

/// Adds `line` to the file at `path` unless it is there; true when added.
/// A file (or its folder) that is a link is not written through: someone may
/// have planted it. A missing file is made, and a missing folder (a
/// repository without `info/`), one level.
fn add_line(path: &Path, line: &str) -> Result<bool, Failure> {
    if let Some(folder) = path.parent() {
        match std::fs::symlink_metadata(folder) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Failure(format!(
                    "{} is not a folder (a link or a file); {} not written",
                    folder.display(),
                    path.display()
                )));
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir(folder).map_err(|e| {
                Failure(format!(
                    "cannot create the folder {}: {e}",
                    folder.display()
                ))
            })?,
        }
    }
    let text = match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(Failure(format!(
                "{} is not a regular file (a link or a folder); not written",
                path.display()
            )));
        }
        Ok(meta) if meta.len() > 1 << 20 => {
            return Err(Failure(format!(
                "{} is larger than 1 MB; not a file to add `{line}` to",
                path.display()
            )));
        }
        Ok(_) => std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?,
        Err(_) => String::new(),
    };
    if text.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(line);
    new.push('\n');
    store::write_atomically(path, new.as_bytes(), false)?;
    Ok(true)
}

/// A word for `sh`, which runs git's drivers: in single quotes unless plain.
fn shell_quoted(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_they_need_it() {
        assert_eq!(shell_quoted("/usr/bin/riskroom"), "/usr/bin/riskroom");
        assert_eq!(shell_quoted("/opt/risk room/rr"), "'/opt/risk room/rr'");
        assert_eq!(shell_quoted("/a'b"), "'/a'\\''b'");
    }
}
