//! One register over many sessions (`riskroom portfolio`): for each session its
//! title, organisation, PDCA cycle and stage, counts by class and AP, overdue
//! treatments and pending acceptances; and the worst risks across all of them,
//! each with its session. A session that does not load is listed with its
//! message and does not stop the rest.
//!
//! [`summarise`] and [`Portfolio::build`] are pure; [`find`], [`read_files`]
//! and [`read_at_revision`] read the files (bounded, links inside folders not
//! followed), a session at a time, keeping only its summary.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::civil::Date;

use crate::domain::RatingKind;
use crate::domain::ordering::risk_cmp;
use crate::domain::pdca::Stage;
use crate::domain::{ActionPriority, ClassRank, FailureModeId, Session};
use crate::export::{Cell, Kind, Table};
use crate::store::{self, MAX_FILE_BYTES};

/// One session as the portfolio shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub title: String,
    pub organisation: String,
    pub cycle: u32,
    pub stage: Stage,
    pub assets: usize,
    /// Assets of class A, B, C.
    pub classes: [usize; 3],
    pub failure_modes: usize,
    /// Failure modes of AP H, M, L.
    pub priorities: [usize; 3],
    /// Treatments past their due date and not done.
    pub overdue: usize,
    /// Acceptances waiting for the risk owner: accepted at or above the
    /// threshold with no acceptance signed, or signed and changed since (it
    /// needs re-approval).
    pub pending_acceptances: usize,
    /// Merge conflicts not yet decided.
    pub conflicts: usize,
}

/// One of the worst risks of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    pub id: FailureModeId,
    pub rpn: u16,
    pub ap: ActionPriority,
    pub severity: u8,
    pub occurrence: u8,
    pub detection: u8,
    pub mode: String,
    /// The asset's name, empty when there is none.
    pub asset: String,
}

/// A session read: its summary and its worst risks, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub read: Result<(Summary, Vec<Risk>), String>,
}

/// What one session says, as of `today`.
pub fn summarise(s: &Session, today: Date) -> Summary {
    let mut classes = [0; 3];
    for a in &s.assets {
        classes[match a.class_rank() {
            ClassRank::A => 0,
            ClassRank::B => 1,
            ClassRank::C => 2,
        }] += 1;
    }
    let mut priorities = [0; 3];
    let mut overdue = 0;
    let mut pending_acceptances = 0;
    for f in &s.failure_modes {
        let stale = f.sign_off.as_ref().is_some_and(|x| x.needs_reapproval(f));
        pending_acceptances += usize::from(s.threshold.needs_sign_off(f) || stale);
        priorities[match f.ap() {
            ActionPriority::H => 0,
            ActionPriority::M => 1,
            ActionPriority::L => 2,
        }] += 1;
        overdue += usize::from(f.treatment.is_overdue(today));
    }
    Summary {
        title: s.title.clone(),
        organisation: s.organisation.clone(),
        cycle: s.pdca.cycle,
        stage: s.pdca.stage,
        assets: s.assets.len(),
        classes,
        failure_modes: s.failure_modes.len(),
        priorities,
        overdue,
        pending_acceptances,
        conflicts: s.conflicts.len(),
    }
}

/// The `n` worst risks of a session, worst first (the register's risk order).
pub fn worst(s: &Session, n: usize) -> Vec<Risk> {
    let mut order: Vec<&crate::domain::FailureMode> = s.failure_modes.iter().collect();
    let n = n.min(order.len());
    if n == 0 {
        return Vec::new();
    }
    order.select_nth_unstable_by(n - 1, |a, b| risk_cmp(a, b));
    order.truncate(n);
    order.sort_by(|a, b| risk_cmp(a, b));
    order
        .into_iter()
        .map(|f| Risk {
            id: f.id,
            rpn: f.rpn(),
            ap: f.ap(),
            severity: f.severity,
            occurrence: f.occurrence,
            detection: f.detection,
            mode: f.mode.clone(),
            asset: f
                .asset
                .and_then(|a| s.asset(a))
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// Every session read, and the worst risks across all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portfolio {
    pub entries: Vec<Entry>,
    /// The worst risks across all sessions: the entry each is from, and the risk.
    pub top: Vec<(usize, Risk)>,
}

impl Portfolio {
    /// The portfolio of these entries, with the `n` worst risks across them.
    pub fn build(entries: Vec<Entry>, n: usize) -> Portfolio {
        let mut top: Vec<(usize, Risk)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.read.as_ref().ok().map(|(_, risks)| (i, risks)))
            .flat_map(|(i, risks)| risks.iter().map(move |r| (i, r.clone())))
            .collect();
        // Worst first: RPN, then severity, then where it is (stable for ties).
        top.sort_by(|(i, a), (j, b)| {
            b.rpn
                .cmp(&a.rpn)
                .then(b.severity.cmp(&a.severity))
                .then(i.cmp(j))
                .then(a.id.cmp(&b.id))
        });
        top.truncate(n);
        Portfolio { entries, top }
    }

    pub fn failed(&self) -> usize {
        self.entries.iter().filter(|e| e.read.is_err()).count()
    }

    /// One row per session, for CSV and the workbook (text cells are made
    /// safe for a spreadsheet as they are written).
    pub fn sessions_table(&self) -> Table<'_> {
        let count = |n: usize| Cell::number(i64::try_from(n).unwrap_or(i64::MAX));
        let rows = self
            .entries
            .iter()
            .map(|e| {
                let path = Cell::owned(e.path.display().to_string());
                match &e.read {
                    Ok((s, _)) => vec![
                        path,
                        Cell::text(&s.title),
                        Cell::text(&s.organisation),
                        Cell::number(s.cycle),
                        Cell::owned(s.stage.to_string()),
                        count(s.assets),
                        count(s.classes[0]),
                        count(s.classes[1]),
                        count(s.classes[2]),
                        count(s.failure_modes),
                        count(s.priorities[0]),
                        count(s.priorities[1]),
                        count(s.priorities[2]),
                        count(s.overdue),
                        count(s.pending_acceptances),
                        count(s.conflicts),
                        Cell::Empty,
                    ],
                    Err(message) => {
                        let mut row = vec![path];
                        row.resize(SESSION_HEADERS.len() - 1, Cell::Empty);
                        row.push(Cell::text(message));
                        row
                    }
                }
            })
            .collect();
        Table {
            headers: SESSION_HEADERS,
            kinds: SESSION_KINDS,
            rows,
        }
    }

    /// The worst risks across the sessions, worst first.
    pub fn top_table(&self) -> Table<'_> {
        let rows = self
            .top
            .iter()
            .enumerate()
            .map(|(rank, (i, r))| {
                let e = &self.entries[*i];
                let title = e.read.as_ref().map(|(s, _)| s.title.as_str()).unwrap_or("");
                vec![
                    Cell::number(i64::try_from(rank + 1).unwrap_or(i64::MAX)),
                    Cell::owned(e.path.display().to_string()),
                    Cell::text(title),
                    Cell::owned(r.id.to_string()),
                    Cell::number(r.rpn),
                    Cell::owned(r.ap.to_string()),
                    Cell::number(r.severity),
                    Cell::number(r.occurrence),
                    Cell::number(r.detection),
                    Cell::text(&r.mode),
                    Cell::text(&r.asset),
                ]
            })
            .collect();
        Table {
            headers: TOP_HEADERS,
            kinds: TOP_KINDS,
            rows,
        }
    }
}

pub const SESSION_HEADERS: &[&str] = &[
    "Session file",
    "Title",
    "Organisation",
    "Cycle",
    "Stage",
    "Assets",
    "Class A",
    "Class B",
    "Class C",
    "Failure modes",
    "AP H",
    "AP M",
    "AP L",
    "Overdue treatments",
    "Pending acceptances",
    "Merge conflicts",
    "Could not be read",
];

const SESSION_KINDS: &[Kind] = &[
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Number,
    Kind::Text,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::Text,
];

pub const TOP_HEADERS: &[&str] = &[
    "Rank",
    "Session file",
    "Session",
    "ID",
    "RPN",
    "AP",
    "S",
    "O",
    "D",
    "Failure mode",
    "Asset",
];

const TOP_KINDS: &[Kind] = &[
    Kind::Number,
    Kind::Text,
    Kind::Text,
    Kind::Id,
    Kind::Rpn,
    Kind::Ap,
    Kind::Rating(RatingKind::Severity),
    Kind::Rating(RatingKind::Occurrence),
    Kind::Rating(RatingKind::Detection),
    Kind::Text,
    Kind::Text,
];

/// At most this many folders deep and this many files: a portfolio, not a
/// walk of the whole disk.
const MAX_DEPTH: usize = 16;
const MAX_FILES: usize = 100_000;

/// The session files under `paths`: files as given, and in folders every
/// `*.ron` below them, in name order. Hidden files and folders, links inside
/// folders (someone else may have planted them) and recovery copies are left
/// out. Paths that cannot be read come back with their message.
pub fn find(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Entry>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, 0, &mut files, &mut failed),
            Ok(_) => files.push(path.clone()),
            Err(e) => failed.push(Entry {
                path: path.clone(),
                read: Err(format!("cannot read {}: {e}", path.display())),
            }),
        }
    }
    (files, failed)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, failed: &mut Vec<Entry>) {
    if depth > MAX_DEPTH || files.len() >= MAX_FILES {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            failed.push(Entry {
                path: dir.to_path_buf(),
                read: Err(format!("cannot read the folder {}: {e}", dir.display())),
            });
            return;
        }
    };
    let mut names: Vec<(PathBuf, std::fs::FileType)> = entries
        .flatten()
        .filter_map(|e| Some((e.path(), e.file_type().ok()?)))
        .filter(|(p, _)| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in names {
        if kind.is_dir() {
            walk(&path, depth + 1, files, failed);
        } else if kind.is_file()
            && path.extension().is_some_and(|e| e == "ron")
            && !path.to_string_lossy().contains(".recovered-")
            && files.len() < MAX_FILES
        {
            files.push(path);
        }
    }
}

/// One session read and summarised; the session itself is not kept.
fn entry(path: PathBuf, loaded: Result<Session, String>, today: Date, n: usize) -> Entry {
    let read = loaded.map(|s| (summarise(&s, today), worst(&s, n)));
    Entry { path, read }
}

/// The sessions in `files`, read on two threads (each in file order).
pub fn read_files(files: Vec<PathBuf>, today: Date, n: usize) -> Vec<Entry> {
    let half = files.len().div_ceil(2);
    let read = |chunk: &[PathBuf]| -> Vec<Entry> {
        chunk
            .iter()
            .map(|p| {
                entry(
                    p.clone(),
                    store::load(p).map_err(|e| e.to_string()),
                    today,
                    n,
                )
            })
            .collect()
    };
    let (first, second) = files.split_at(half);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| read(second));
        let mut entries = read(first);
        match other.join() {
            Ok(rest) => entries.extend(rest),
            Err(_) => entries.extend(second.iter().map(|p| Entry {
                path: p.clone(),
                read: Err("could not be read".to_string()),
            })),
        }
        entries
    })
}

/// The sessions under `paths` as the git revision `rev` of the repository at
/// `repo` has them: `*.ron` files, read with one `git cat-file --batch`, each
/// bounded like a file on disk.
pub fn read_at_revision(
    repo: &Path,
    rev: &str,
    paths: &[PathBuf],
    today: Date,
    n: usize,
) -> Result<Vec<Entry>, String> {
    let mut ls = Command::new("git");
    ls.arg("-C").arg(repo).args([
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        "--full-tree",
        rev,
        "--",
    ]);
    let top = git_top(repo)?;
    for p in paths {
        // ls-tree takes paths from the top of the repository.
        let absolute = std::fs::canonicalize(p).unwrap_or_else(|_| repo.join(p));
        match absolute.strip_prefix(&top) {
            Ok(rel) if rel.as_os_str().is_empty() => {}
            Ok(rel) => {
                ls.arg(rel);
            }
            Err(_) => {
                ls.arg(p);
            }
        }
    }
    let listed = ls.output().map_err(|e| format!("cannot run git: {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "git cannot list {rev}: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    let names: Vec<String> = listed
        .stdout
        .split(|b| *b == 0)
        .filter_map(|n| std::str::from_utf8(n).ok())
        // As in a folder on disk: hidden files and folders and recovery
        // copies are left out.
        .filter(|n| n.ends_with(".ron") && !n.contains(".recovered-"))
        .filter(|n| !n.split('/').any(|part| part.starts_with('.')))
        .map(str::to_string)
        .collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
    let stdout = child.stdout.take().ok_or("git cat-file has no output")?;
    let requests: Vec<String> = names.iter().map(|n| format!("{rev}:{n}\n")).collect();
    let writer = std::thread::spawn(move || {
        for r in requests {
            if stdin.write_all(r.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut out = BufReader::new(stdout);
    let mut entries = Vec::new();
    for name in &names {
        let shown = PathBuf::from(format!("{rev}:{name}"));
        let mut header = String::new();
        if out.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            break;
        }
        let size = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok());
        let Some(size) = size else {
            entries.push(Entry {
                path: shown,
                read: Err(format!("git has no such file: {}", header.trim())),
            });
            continue;
        };
        let loaded = if size > MAX_FILE_BYTES {
            std::io::copy(&mut (&mut out).take(size + 1), &mut std::io::sink())
                .map_err(|e| e.to_string())?;
            Err(store::LoadError::TooLarge {
                path: shown.clone(),
                bytes: size,
            }
            .to_string())
        } else {
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            (&mut out)
                .take(size)
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())?;
            let mut newline = [0u8; 1];
            out.read_exact(&mut newline).map_err(|e| e.to_string())?;
            match String::from_utf8(bytes) {
                Ok(text) => store::parse(&text, &shown).map_err(|e| e.to_string()),
                Err(_) => Err(format!(
                    "{}: not a session file: not UTF-8 text",
                    shown.display()
                )),
            }
        };
        entries.push(entry(shown, loaded, today, n));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(entries)
}

fn git_top(dir: &Path) -> Result<PathBuf, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!("{} is not in a git repository", dir.display()));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim_end_matches('\n'),
    ))
}

#[cfg(test)]
mod tests;
