//! The command line (SPEC 5): parse arguments, run one command, report to the user.
//! A user mistake ends here as a message on stderr and a non-zero exit code.

mod check;
mod diff;
mod export;
mod git_setup;
mod import;
pub mod isms;
mod merge_driver;
mod new;
mod portfolio;
mod screen;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::export::CsvOptions;
use crate::store;

#[derive(Debug, Parser)]
#[command(
    name = "riskroom",
    version,
    about = "Facilitated information-security risk workshops: asset register, InfoSec FMEA, PDCA",
    long_about = None
)]
pub struct Cli {
    /// The workshop session file (.ron) to open.
    pub session: Option<PathBuf>,

    /// Colour theme: dark, light, high-contrast, mono, or the path of a theme file.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub theme: Option<String>,

    /// Open the session without changing it.
    #[arg(long, global = true)]
    pub read_only: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a session file: counts, the ten highest RPNs, every problem found.
    Check {
        /// The session file.
        session: PathBuf,
    },
    /// Create a new, empty workshop session file.
    New {
        /// Where to create it (must not exist yet).
        path: PathBuf,
        /// The workshop's title.
        #[arg(long)]
        title: String,
    },
    /// Write the asset register and the failure modes as CSV for spreadsheets.
    Export {
        /// The session file.
        session: PathBuf,
        /// Directory to write into (default: the session file's directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Field delimiter: ',' (default), ';' for locales whose spreadsheets expect
        /// it, or 'tab'.
        #[arg(long, value_name = "C", default_value = ",", value_parser = export::parse_delimiter)]
        delimiter: u8,
        /// Leave out the UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
    },
    /// Read assets and failure modes back from CSV (as exported, or from another
    /// register): says what changes, rejects bad rows with their line numbers.
    Import(import::ImportArgs),
    /// The ISMS programme: the roadmap steps by phase, the mandatory documents
    /// with their evidence, and the coverage of the five control groups.
    Isms {
        /// The session file.
        session: PathBuf,
    },
    /// Rewrite a hand-edited session file in canonical form (ID order, one field a line).
    Fmt {
        /// The session file.
        session: PathBuf,
    },
    /// What changed between two versions of a session, record by record and
    /// field by field.
    Diff {
        /// The older version.
        old: PathBuf,
        /// The newer version.
        new: PathBuf,
    },
    /// git merge driver: three-way merge by record and field into OURS; exit 0
    /// when clean, 1 when conflicts were recorded in the file, 2 when it could
    /// not merge (OURS left as it was).
    MergeDriver(merge_driver::MergeDriverArgs),
    /// Register the merge and diff drivers for *.ron in the git repository at
    /// DIR (default: here).
    GitSetup {
        /// A directory in the repository.
        dir: Option<PathBuf>,
    },
    /// git's diff command for sessions (set by git-setup).
    #[command(hide = true)]
    GitDiff(diff::GitDiffArgs),
    /// git's text conversion of a session (set by git-setup).
    #[command(hide = true)]
    GitTextconv {
        /// The file git hands over.
        file: PathBuf,
    },
    /// One register over many sessions: each session's state, and the top
    /// risks across all of them.
    Portfolio(portfolio::PortfolioArgs),
}

/// What went wrong, already worded for the user.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string())
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure(message)) => {
            // The last edge before the terminal: whatever a message quotes
            // (a path, a file's text, another user's lock line) goes out safe.
            let message = crate::terminal_text::lines(&message);
            let _ = writeln!(std::io::stderr(), "riskroom: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    // What a command prints is collected and written at the end: reports are
    // short, and a reader that stops early (`riskroom check f | head -1`) is
    // then one place to forgive, as other Unix tools do.
    let mut out = Vec::new();
    let result = dispatch(cli, &mut out);
    // Nothing to say (the workshop screen): standard output is left alone, as
    // after a hang-up it is a terminal that is gone.
    if out.is_empty() {
        return result;
    }
    // Everything a command prints passes here, safe for a terminal: what it
    // quotes from a session or another user's file cannot clear the screen,
    // set the title, write the clipboard or read backwards.
    let out = crate::terminal_text::lines_of_bytes(&out);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&out).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            result?;
            Err(Failure(format!("cannot write to standard output: {e}")))
        }
        _ => result,
    }
}

fn dispatch(cli: Cli, out: &mut Vec<u8>) -> Result<ExitCode, Failure> {
    match (cli.command, cli.session) {
        (Some(Command::Check { session }), _) => check::run(&session, out),
        (Some(Command::Fmt { session }), _) => fmt(&session, out),
        (Some(Command::Diff { old, new }), _) => diff::run(&old, &new, out),
        (Some(Command::MergeDriver(args)), _) => {
            merge_driver::run(&args, &mut SafeStderr(std::io::stderr()))
        }
        (Some(Command::GitSetup { dir }), _) => git_setup::run(dir.as_deref(), out),
        (Some(Command::GitDiff(args)), _) => diff::git_diff(&args, out),
        (Some(Command::GitTextconv { file }), _) => diff::textconv(&file, out),
        (Some(Command::Portfolio(args)), _) => portfolio::run(&args, out),
        (Some(Command::Isms { session }), _) => isms::run(&session, out),
        (Some(Command::Import(args)), _) => {
            import::run(&args, out, &mut SafeStderr(std::io::stderr()))
        }
        (Some(Command::New { path, title }), _) => new::run(&path, &title, out),
        (
            Some(Command::Export {
                session,
                out: dir,
                delimiter,
                no_bom,
            }),
            _,
        ) => export::run(
            &session,
            dir.as_deref(),
            CsvOptions {
                delimiter,
                bom: !no_bom,
            },
            out,
        ),
        (None, Some(session)) => screen::open(&session, cli.theme.as_deref(), cli.read_only),
        (None, None) => screen::picker(cli.theme.as_deref(), cli.read_only),
    }
}

/// Text from a file or another user, made safe for a terminal (line breaks
/// and tabs stay): the one terminal-safety function, for what the merge,
/// diff and portfolio commands write line by line.
pub(crate) fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    crate::terminal_text::lines(text)
}

fn fmt(path: &Path, out: &mut Vec<u8>) -> Result<ExitCode, Failure> {
    let session = store::load(path)?;
    let _lock = match store::lock::Lock::acquire(path) {
        Ok(store::lock::Locking::Acquired(lock)) => lock,
        Ok(store::lock::Locking::HeldBy(holder)) => {
            return Err(Failure(format!(
                "{} is open in riskroom ({holder}); not rewritten",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Failure(format!(
                "cannot take the lock of {}: {e}; not rewritten",
                path.display()
            )));
        }
    };
    let note = shared_save_check(path, "not rewritten")?;
    store::remove_stale_temp_files(path);
    let text = store::to_ron(&session);
    let on_disk = store::own_files::read_bounded(path, store::MAX_FILE_BYTES).ok();
    if on_disk.as_deref() != Some(text.as_bytes()) {
        if let Some(note) = note {
            say_on_stderr(&note);
        }
        store::save(path, &session, true)?;
        writeln!(
            out,
            "{}: rewritten in canonical form (previous version kept as .bak)",
            path.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Before a command saves a session others may share: refuses a save that
/// would lock them out (`what_not` says what then did not happen), and
/// returns the note to give when the save changes the file's owner.
fn shared_save_check(path: &Path, what_not: &str) -> Result<Option<String>, Failure> {
    store::own_files::save_keeps_it_shared(path)
        .map_err(|reason| Failure(format!("{reason}; {what_not}")))
}

/// Standard error for a command's running report, made safe for a terminal
/// as it is written (`write!` hands over whole characters).
struct SafeStderr(std::io::Stderr);

impl Write for SafeStderr {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .write_all(&crate::terminal_text::lines_of_bytes(bytes))
            .map(|()| bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// One line on stderr, safe for a terminal.
fn say_on_stderr(text: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "riskroom: {}",
        crate::terminal_text::lines(text)
    );
}
