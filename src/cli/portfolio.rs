//! `riskroom portfolio PATH... [--rev REV] [--top N] [--csv FILE]
//! [--format xlsx [--out DIR]]`: one register over many sessions.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Failure, safe};
use crate::export::{CsvOptions, to_csv};
use crate::portfolio::{self, Portfolio};
use crate::store;
use crate::tui::view::text;

#[derive(Debug, clap::Args)]
pub struct PortfolioArgs {
    /// Session files, or folders to look for `*.ron` sessions in.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Read the sessions as this git revision has them (`main`, a tag, a commit).
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// How many of the worst risks across all sessions to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Also write the register as CSV: FILE (one row per session) and
    /// FILE's name with `-top` (the worst risks).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// `xlsx`: also write the register as a workbook, `portfolio.xlsx` (sheets
    /// Sessions and Top risks).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Where the workbook goes (with `--format xlsx`; default: here).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &PortfolioArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let workbook = match args.format.as_deref() {
        None => None,
        Some("xlsx") => Some(args.out.clone().unwrap_or_else(|| PathBuf::from("."))),
        Some(other) => {
            return Err(Failure(format!(
                "--format {}: the portfolio is written as xlsx (or as CSV with --csv FILE)",
                safe(other)
            )));
        }
    };
    if args.out.is_some() && workbook.is_none() {
        return Err(Failure(
            "--out DIR is where the workbook goes: give --format xlsx too".to_string(),
        ));
    }
    // Where the files go is settled before any session is read: a missing
    // folder is made (as `riskroom export --out` does), an impossible place
    // is refused, not found out after the whole portfolio has been printed.
    if let Some(dir) = &workbook {
        super::export::out_dir(dir, out)?;
    }
    if let Some(file) = &args.csv {
        csv_place(file)?;
    }
    let today = jiff::ZonedDateTime::now().date();
    let entries = match &args.rev {
        Some(rev) => {
            let repo = args
                .paths
                .first()
                .map(|p| {
                    if p.is_dir() {
                        p.clone()
                    } else {
                        p.parent()
                            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
                    }
                })
                .unwrap_or_else(|| PathBuf::from("."));
            let repo = if repo.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                repo
            };
            portfolio::read_at_revision(&repo, rev, &args.paths, today, args.top)
                .map_err(|e| Failure(safe(&e).into_owned()))?
        }
        None => {
            let (files, mut failed) = portfolio::find(&args.paths);
            let mut entries = portfolio::read_files(files, today, args.top);
            entries.append(&mut failed);
            entries
        }
    };
    let p = Portfolio::build(entries, args.top);
    print(&p, line_width(), out)?;
    if let Some(file) = &args.csv {
        let top_file = top_path(file);
        store::write_atomically(
            file,
            &to_csv(&p.sessions_table(), CsvOptions::default()),
            false,
        )?;
        store::write_atomically(
            &top_file,
            &to_csv(&p.top_table(), CsvOptions::default()),
            false,
        )?;
        // One line a file, so neither name hides at the end of the other's line.
        writeln!(out)?;
        writeln!(
            out,
            "written: {} (one row per session)",
            safe(&file.display().to_string())
        )?;
        writeln!(
            out,
            "written: {} (the {} worst risks)",
            safe(&top_file.display().to_string()),
            p.top.len()
        )?;
    }
    if let Some(dir) = workbook {
        let written = crate::export::workbook::export_portfolio(&p, &dir)
            .map_err(|e| Failure(e.to_string()))?;
        writeln!(
            out,
            "\nwritten: {} (sheets {} and {})",
            safe(&written.path.display().to_string()),
            crate::export::workbook::PORTFOLIO_SESSIONS,
            crate::export::workbook::PORTFOLIO_TOP
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a `--csv FILE` that cannot be written (its folder missing, or a
/// folder by that name) before the work starts. The CSV files themselves are
/// written atomically, never through a link.
fn csv_place(file: &Path) -> Result<(), Failure> {
    let shown = |p: &Path| safe(&p.display().to_string()).into_owned();
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(Failure(format!(
            "--csv {}: there is no directory {} to write it in; nothing written",
            shown(file),
            shown(parent)
        )));
    }
    for f in [file.to_path_buf(), top_path(file)] {
        if f.is_dir() {
            return Err(Failure(format!(
                "--csv {}: {} is a directory; nothing written",
                shown(file),
                shown(&f)
            )));
        }
    }
    Ok(())
}

/// `register.csv` → `register-top.csv`.
fn top_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "portfolio".into(), |s| s.to_string_lossy().into_owned());
    let ext = file
        .extension()
        .map_or_else(|| "csv".into(), |e| e.to_string_lossy().into_owned());
    file.with_file_name(format!("{stem}-top.{ext}"))
}

/// The narrowest the output is fitted to: the risk table's own columns take
/// about 25 cells.
const MIN_WIDTH: usize = 40;

/// How wide a line may be; `None`: nothing is cut.
///
/// On a terminal: the width of the terminal stdout is (asked of stdout
/// itself: crossterm's `terminal::size` asks /dev/tty, which need not be the
/// terminal the output goes to), else $COLUMNS, else 80. Into a pipe or a file
/// nothing is cut: a script, `grep` or a saved report wants every word of a
/// failure mode, and a terminal that shows the file later has its own width.
/// An exported $COLUMNS is the exception: shells set COLUMNS without
/// exporting it, so one in the environment was asked for
/// (`COLUMNS=80 riskroom portfolio . | less`).
fn line_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| (1..=10_000).contains(c));
    let stdout = std::io::stdout();
    let width = if stdout.is_terminal() {
        Some(terminal_columns(&stdout).or(columns).unwrap_or(80))
    } else {
        columns
    };
    width.map(|w| w.max(MIN_WIDTH))
}

/// The width of the terminal stdout is (riskroom is built for Unix only).
fn terminal_columns(stdout: &std::io::Stdout) -> Option<usize> {
    rustix::termios::tcgetwinsize(stdout)
        .ok()
        .map(|size| usize::from(size.ws_col))
        .filter(|&c| c > 0)
}

/// Text a file holds, on one line and safe for a terminal (line breaks and
/// tabs as spaces, escape codes and the like shown as `\u{1B}`), cut with
/// `…` to `cells` display cells when there is a width.
fn fitted(text: &str, cells: Option<usize>) -> String {
    match cells {
        Some(cells) => text::truncate(text, cells),
        None => crate::terminal_text::cell(text).into_owned(),
    }
}

/// `parts` joined by ` · ` after `indent` spaces, on as many lines as the
/// width needs (a part is never split; one wider than a line is cut).
fn packed(
    out: &mut impl Write,
    indent: usize,
    parts: &[String],
    width: Option<usize>,
) -> std::io::Result<()> {
    let room = width.map(|w| w.saturating_sub(indent));
    let mut line = String::new();
    for part in parts {
        let part = fitted(part, room);
        let fits = room.is_none_or(|room| text::width(&line) + 3 + text::width(&part) <= room);
        if line.is_empty() {
            line = part;
        } else if fits {
            line.push_str(" · ");
            line.push_str(&part);
        } else {
            writeln!(out, "{:indent$}{line}", "")?;
            line = part;
        }
    }
    writeln!(out, "{:indent$}{line}", "")
}

/// The portfolio as text, every line at most `width` display cells (`None`:
/// nothing cut). Each session that was read has a number, `#1`, by which the
/// list of the worst risks says where a risk is: a title cut to fit could not
/// tell two similar sessions apart, and a file name would take a third of an
/// 80-column line from the failure mode; the sessions of the listed risks are
/// named again under the list, so the answer to "our ten worst risks, and
/// where?" is on one screen.
fn print(p: &Portfolio, width: Option<usize>, out: &mut impl Write) -> std::io::Result<()> {
    let read = p.entries.len() - p.failed();
    writeln!(
        out,
        "Portfolio: {read} session{}{}",
        if read == 1 { "" } else { "s" },
        match p.failed() {
            0 => String::new(),
            n => format!(", {n} could not be read"),
        }
    )?;
    let mut numbers = vec![None; p.entries.len()];
    let mut next = 0;
    for (number, e) in numbers.iter_mut().zip(&p.entries) {
        if e.read.is_ok() {
            next += 1;
            *number = Some(next);
        }
    }
    let named = |e: &portfolio::Entry, number: usize, cells: Option<usize>| {
        let mut line = format!("#{number}  {}", e.path.display());
        if let Ok((s, _)) = &e.read {
            if !s.title.is_empty() {
                line.push_str("  ");
                line.push_str(&s.title);
            }
            if !s.organisation.is_empty() {
                line.push_str(" — ");
                line.push_str(&s.organisation);
            }
        }
        fitted(&line, cells)
    };
    for (e, number) in p.entries.iter().zip(&numbers) {
        let (Ok((s, _)), Some(number)) = (&e.read, number) else {
            continue;
        };
        writeln!(out)?;
        writeln!(out, "{}", named(e, *number, width))?;
        packed(
            out,
            2,
            &[
                format!("cycle {} {}", s.cycle, s.stage),
                format!(
                    "assets {} (A {}, B {}, C {})",
                    s.assets, s.classes[0], s.classes[1], s.classes[2]
                ),
                format!(
                    "failure modes {} (AP H {}, M {}, L {})",
                    s.failure_modes, s.priorities[0], s.priorities[1], s.priorities[2]
                ),
            ],
            width,
        )?;
        let mut counts = vec![
            format!("overdue treatments {}", s.overdue),
            format!("pending acceptances {}", s.pending_acceptances),
        ];
        if s.conflicts > 0 {
            counts.push(format!("merge conflicts {}", s.conflicts));
        }
        packed(out, 2, &counts, width)?;
    }
    if !p.top.is_empty() {
        let listed: std::collections::BTreeMap<usize, usize> = p
            .top
            .iter()
            .filter_map(|(i, _)| numbers[*i].map(|n| (n, *i)))
            .collect();
        let cells = listed
            .keys()
            .next_back()
            .map_or(2, |n| n.to_string().len() + 1);
        writeln!(out)?;
        writeln!(out, "Worst {} risks across all sessions:", p.top.len())?;
        let head = format!("  {:>4} {:>2}  {:<9} {:>cells$}  ", "RPN", "AP", "ID", "#");
        let room = width.map(|w| w.saturating_sub(text::width(&head)));
        writeln!(out, "{head}{}", fitted("Failure mode", room))?;
        for (i, r) in &p.top {
            let number = numbers[*i].map_or_else(String::new, |n| format!("#{n}"));
            writeln!(
                out,
                "  {:>4} {:>2}  {:<9} {number:>cells$}  {}",
                r.rpn,
                r.ap.to_string(),
                r.id.to_string(),
                fitted(&r.mode, room)
            )?;
        }
        writeln!(out)?;
        let indent = width.map(|w| w.saturating_sub(2));
        for (number, i) in listed {
            writeln!(out, "  {}", named(&p.entries[i], number, indent))?;
        }
    }
    let failed: Vec<_> = p
        .entries
        .iter()
        .filter_map(|e| e.read.as_ref().err())
        .collect();
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "Could not be read:")?;
        // The store's messages name the file and the place in it: wrapped to
        // the width, never cut.
        for message in failed {
            match width {
                None => writeln!(out, "  {}", safe(message))?,
                Some(width) => {
                    for (n, line) in message
                        .lines()
                        .flat_map(|line| text::wrap(line, width - 4))
                        .enumerate()
                    {
                        let indent = if n == 0 { 2 } else { 4 };
                        writeln!(out, "{:indent$}{line}", "")?;
                    }
                }
            }
        }
    }
    Ok(())
}
