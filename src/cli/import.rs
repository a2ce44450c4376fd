//! `riskroom import SESSION --assets FILE --failure-modes FILE`: spreadsheet rows
//! back into the session, after saying what will change.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args};

use super::Failure;
use crate::domain::validate;
use crate::import::{self, Options, Source};
use crate::store::{self, lock::Lock, lock::Locking};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("files").required(true).multiple(true).args(["assets", "failure_modes", "workbook"])))]
pub struct ImportArgs {
    /// The session file to import into.
    #[arg(value_name = "SESSION", value_hint = clap::ValueHint::FilePath)]
    pub session: PathBuf,
    /// CSV of assets (columns as `riskroom export` writes them, or common synonyms).
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub assets: Option<PathBuf>,
    /// CSV of failure modes; its Asset column may name assets of --assets too.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub failure_modes: Option<PathBuf>,
    /// A workbook (.xlsx): ours, or a register kept in Excel. Its sheets named
    /// Assets and Failure modes are read, else the first sheet whose header
    /// reads as assets or failure modes.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with_all = ["assets", "failure_modes", "delimiter"])]
    pub workbook: Option<PathBuf>,
    /// Field delimiter: ',', ';' or 'tab' (default: found from the header line).
    #[arg(long, value_name = "C", value_parser = crate::export::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Say what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows even when others are rejected.
    #[arg(long)]
    pub partial: bool,
    /// Add rows whose ID the session does not have, under a fresh ID.
    #[arg(long)]
    pub new_ids: bool,
    /// Add rows whose ID the session does not have under that ID, if the session
    /// never gave it out (with --new-ids: under a fresh ID otherwise).
    #[arg(long)]
    pub keep_ids: bool,
}

/// A CSV file to import: a regular file, no planted link, bounded.
fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    store::own_files::read_bounded(path, store::MAX_FILE_BYTES)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))
}

pub fn run(
    args: &ImportArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<ExitCode, Failure> {
    let path = args.session.as_path();
    let workbook = args.workbook.as_deref().map(read).transpose()?;
    let assets = args.assets.as_deref().map(read).transpose()?;
    let failure_modes = args.failure_modes.as_deref().map(read).transpose()?;
    let names = [&args.assets, &args.failure_modes].map(|p| {
        p.as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    });

    // Held from before the load until after the save, so that no other riskroom
    // saves in between; a dry run writes nothing and needs no lock.
    let _lock = if args.dry_run {
        None
    } else {
        Some(lock(path)?)
    };
    let mut session = store::load(path)?;
    let note = if args.dry_run {
        None
    } else {
        super::shared_save_check(path, "nothing was imported")?
    };
    let options = Options {
        delimiter: args.delimiter,
        new_ids: args.new_ids,
        keep_ids: args.keep_ids,
        partial: args.partial,
    };
    let plan = match (&args.workbook, &workbook) {
        (Some(file), Some(bytes)) => {
            let sheets = import::workbook::read(&file.display().to_string(), bytes)?;
            import::plan_tables(&session, sheets.assets, sheets.failure_modes, &options)?
        }
        _ => import::plan(
            &session,
            source(&names[0], assets.as_deref()),
            source(&names[1], failure_modes.as_deref()),
            &options,
        )?,
    };
    let summary = &plan.summary;
    for line in summary.report_lines() {
        writeln!(out, "{line}")?;
    }
    for line in summary.problem_lines() {
        writeln!(err, "{line}")?;
    }
    let rejected = summary.rejected.len();
    let code = if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    let rows = |n: usize| {
        if n == 1 {
            "1 row".to_string()
        } else {
            format!("{n} rows")
        }
    };

    if summary.is_blocked() {
        writeln!(
            err,
            "nothing imported: {} rejected; correct the file, or give --partial to import the other rows",
            rows(rejected)
        )?;
        return Ok(code);
    }
    if !summary.changes_anything() {
        writeln!(
            out,
            "nothing to change: {} is as the files say",
            path.display()
        )?;
        return Ok(code);
    }
    if args.dry_run {
        writeln!(out, "dry run: {} not changed", path.display())?;
        return Ok(code);
    }
    plan.apply(&mut session);
    let problems = validate(&session);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(Failure(format!(
            "the import would leave {} invalid, so nothing was written: {}",
            path.display(),
            list.join("; ")
        )));
    }
    if let Some(note) = note {
        writeln!(err, "{note}")?;
    }
    store::save(path, &session, true)?;
    // The file itself, where the path is a link to it: its .bak is beside it.
    let real = store::own_files::real_path(path);
    writeln!(
        out,
        "saved {} (previous version kept as {})",
        path.display(),
        store::backup_path(&real).display()
    )?;
    if rejected > 0 {
        writeln!(err, "{} not imported (see above)", rows(rejected))?;
    }
    Ok(code)
}

fn source<'a>(name: &'a str, bytes: Option<&'a [u8]>) -> Option<Source<'a>> {
    bytes.map(|bytes| Source { name, bytes })
}

/// The session's lock, or why not: another riskroom has it open.
fn lock(path: &Path) -> Result<Lock, Failure> {
    match Lock::acquire(path) {
        Ok(Locking::Acquired(lock)) => Ok(lock),
        Ok(Locking::HeldBy(holder)) => Err(Failure(format!(
            "{} is open in another riskroom (held by {holder}); close it there first. \
             Nothing was imported",
            path.display()
        ))),
        Err(e) => {
            // A missing session file explains itself better than its lock does.
            store::load(path)?;
            Err(Failure(format!(
                "cannot take the lock beside {} ({e}); nothing was imported",
                path.display()
            )))
        }
    }
}
