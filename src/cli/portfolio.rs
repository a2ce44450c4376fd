//! `riskroom portfolio PATH... [--rev REV] [--top N] [--csv FILE]
//! [--format xlsx [--out DIR]]`: one register over many sessions.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::{Failure, safe};
use crate::export::{CsvOptions, to_csv};
use crate::portfolio::{self, Portfolio};
use crate::store;

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
    print(&p, out)?;
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
        writeln!(
            out,
            "\nwritten: {} and {}",
            safe(&file.display().to_string()),
            safe(&top_file.display().to_string())
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

/// At most `width` columns of `text`, padded to them.
fn column(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width.saturating_sub(1) && text.width() > width {
            out.push('…');
            used += 1;
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn print(p: &Portfolio, out: &mut impl Write) -> std::io::Result<()> {
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
    for e in &p.entries {
        let Ok((s, _)) = &e.read else { continue };
        writeln!(out)?;
        let org = if s.organisation.is_empty() {
            String::new()
        } else {
            format!(" — {}", s.organisation)
        };
        writeln!(
            out,
            "{}  {}{}",
            safe(&e.path.display().to_string()),
            safe(&s.title),
            safe(&org)
        )?;
        let acceptances = s.pending_acceptances;
        writeln!(
            out,
            "  cycle {} {} · assets {} (A {}, B {}, C {}) · failure modes {} (AP H {}, M {}, L {})",
            s.cycle,
            s.stage,
            s.assets,
            s.classes[0],
            s.classes[1],
            s.classes[2],
            s.failure_modes,
            s.priorities[0],
            s.priorities[1],
            s.priorities[2]
        )?;
        write!(
            out,
            "  overdue treatments {} · pending acceptances {acceptances}",
            s.overdue
        )?;
        if s.conflicts > 0 {
            write!(out, " · merge conflicts {}", s.conflicts)?;
        }
        writeln!(out)?;
    }
    if !p.top.is_empty() {
        writeln!(out)?;
        writeln!(out, "Worst {} risks across all sessions:", p.top.len())?;
        writeln!(
            out,
            "  {:>4} {:>2}  {:<9} {:<24} Failure mode",
            "RPN", "AP", "ID", "Session"
        )?;
        for (i, r) in &p.top {
            let session = &p.entries[*i];
            let title = session
                .read
                .as_ref()
                .map(|(s, _)| s.title.as_str())
                .unwrap_or("");
            let name = if title.is_empty() {
                session.path.display().to_string()
            } else {
                title.to_string()
            };
            writeln!(
                out,
                "  {:>4} {:>2}  {:<9} {} {}",
                r.rpn,
                r.ap.to_string(),
                r.id.to_string(),
                safe(&column(&name, 24)),
                safe(&r.mode)
            )?;
        }
    }
    let failed: Vec<_> = p
        .entries
        .iter()
        .filter_map(|e| e.read.as_ref().err().map(|m| (e, m)))
        .collect();
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "Could not be read:")?;
        // The store's messages name the file and the place in it.
        for (_, message) in failed {
            writeln!(out, "  {}", safe(message))?;
        }
    }
    Ok(())
}
