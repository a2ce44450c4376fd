//! `riskroom minutes SESSION [--cycle N | --from DATE --to DATE] [--out FILE]`:
//! the workshop's minutes as Markdown, to standard output or a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jiff::civil::Date;

use super::Failure;
use crate::minutes::{Period, minutes};
use crate::store;

#[derive(Debug, Args)]
pub struct MinutesArgs {
    /// The session file.
    pub session: PathBuf,
    /// The PDCA cycle to write up (default: the current one).
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub cycle: Option<u32>,
    /// Instead of a cycle, from this day on (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Instead of a cycle, up to this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// Write the minutes to this file (replaced if it exists) instead of
    /// standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a date (expected YYYY-MM-DD)"))
}

/// Whether two paths name the same file (one that exists, for the second).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn run(args: &MinutesArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let session = store::load(&args.session)?;
    let period = if args.from.is_some() || args.to.is_some() {
        Period::Dates {
            from: args.from,
            to: args.to,
        }
    } else {
        Period::Cycle(args.cycle.unwrap_or(session.pdca.cycle))
    };
    let text = minutes(&session, period).map_err(Failure)?;
    match &args.out {
        Some(file) => {
            if same_file(file, &args.session) {
                return Err(Failure(format!(
                    "{} is the session file itself; the minutes were not written \
                     (give another --out, e.g. minutes.md)",
                    file.display()
                )));
            }
            store::write_atomically(file, text.as_bytes(), false)?;
            writeln!(out, "wrote {}", file.display())?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
