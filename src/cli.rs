//! The command line (SPEC 5): parse arguments, run one command, report to the user.
//! A user mistake ends here as a message on stderr and a non-zero exit code.

mod check;
mod completions;
mod diff;
mod export;
mod git_setup;
mod import;
pub mod isms;
mod man;
mod merge_driver;
mod minutes;
mod new;
mod portfolio;
mod report;
mod screen;
mod show_config;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueHint};

use crate::config::Config;
use crate::export::CsvOptions;
use crate::store;

#[derive(Debug, Parser)]
#[command(
    name = "riskroom",
    version,
    about = "Facilitated information-security risk workshops: asset register, InfoSec FMEA, PDCA",
    long_about = None,
    // `riskroom SESSION` or `riskroom COMMAND …`, never both: the screen's
    // options mean nothing to a command (see `screen_options_before_a_command`).
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP,
)]
pub struct Cli {
    /// The workshop session file (.ron) to open; without it, a picker of the
    /// sessions riskroom knows and "New workshop…".
    #[arg(value_name = "SESSION", value_hint = ValueHint::FilePath)]
    pub session: Option<PathBuf>,

    #[command(flatten)]
    pub screen: ScreenOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

const AFTER_HELP: &str = "Settings: ~/.config/riskroom/config.ron (`riskroom config` shows the file and what is in force).";

/// Options of the workshop screen (and of nothing else).
#[derive(Debug, Clone, Default, Args)]
pub struct ScreenOptions {
    /// Colour theme: dark, light, high-contrast, mono, or the path of a theme
    /// file [default: the config file's, else dark; NO_COLOR means mono].
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,

    /// Open the session without changing it: nothing is saved and the file is
    /// not locked, so its holder keeps it.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a session file: counts, the ten highest RPNs, every problem found.
    Check {
        /// The session file.
        #[arg(value_name = "SESSION", value_hint = ValueHint::FilePath)]
        session: PathBuf,
    },
    /// Create a new, empty workshop session file (never overwrites one).
    New {
        /// Where to create it (must not exist yet).
        #[arg(value_name = "PATH", value_hint = ValueHint::FilePath)]
        path: PathBuf,
        /// The workshop's title [default: asked on a terminal, else the file's name].
        #[arg(long)]
        title: Option<String>,
    },
    /// Write the registers for spreadsheets: CSV files (default) or one workbook.
    Export(ExportArgs),
    /// Read assets and failure modes back from CSV (as exported, or from another
    /// register): says what changes, rejects bad rows with their line numbers.
    Import(import::ImportArgs),
    /// The workshop's minutes as Markdown: details and attendance, what was
    /// assessed, decisions, risk acceptances, parking lot, actions.
    Minutes(minutes::MinutesArgs),
    /// The ISMS programme: the roadmap steps by phase, the mandatory documents
    /// with their evidence, and the coverage of the five control groups.
    Isms {
        /// The session file.
        #[arg(value_name = "SESSION", value_hint = ValueHint::FilePath)]
        session: PathBuf,
    },
    /// Follow a session that a facilitator has open on this host: live, read-only,
    /// with the facilitator's selection; take part in rating votes (v).
    Follow {
        /// The session file (any user who can read it may follow).
        session: PathBuf,
        /// Colour theme: dark, light, high-contrast, mono, or the path of a theme
        /// file [default: the config file's, else dark; NO_COLOR means mono].
        #[arg(long, value_name = "NAME|PATH")]
        theme: Option<String>,
    },
    /// The management report: one self-contained HTML file (print it to PDF from
    /// a browser) or Markdown.
    Report {
        /// The session file.
        session: PathBuf,
        /// Where to write it (default: <stem>-report.html beside the session).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// html (default) or md.
        #[arg(long, value_enum, default_value = "html")]
        format: report::Format,
    },
    /// Rewrite a hand-edited session file in canonical form (ID order, one field a line).
    Fmt {
        /// The session file.
        #[arg(value_name = "SESSION", value_hint = ValueHint::FilePath)]
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
    /// Show the config file's place and the settings in force.
    Config,
    /// Print the shell completion script (session files complete as *.ron).
    Completions {
        /// bash, zsh or fish.
        shell: completions::Shell,
    },
    /// Print the manual page riskroom(1) (roff; every command on one page).
    Man,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session file.
    #[arg(value_name = "SESSION", value_hint = ValueHint::FilePath)]
    pub session: PathBuf,
    /// Directory to write into, created if missing [default: the session file's directory].
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub out: Option<PathBuf>,
    /// Field delimiter: ',' or ';' (Excel in German, French…) or 'tab' [default:
    /// the config file's, else ';' where the locale writes a decimal comma, else ',']
    #[arg(long, value_name = "C", value_parser = crate::export::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Leave out the UTF-8 byte-order mark.
    #[arg(long, overrides_with = "bom")]
    pub no_bom: bool,
    /// Write the UTF-8 byte-order mark (the default, unless the config file says no).
    #[arg(long, overrides_with = "no_bom")]
    pub bom: bool,
    /// csv: six CSV files; xlsx: one workbook <stem>.xlsx with every sheet.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: export::Format,
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    screen_options_before_a_command(&args);
    let cli = Cli::parse_from(args);
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

/// `--theme` and `--read-only` belong to the workshop screen. Given before a
/// command name, clap would take the command's name for a session file; this
/// says what is wrong instead (clap's usage error, exit 2). After a command name
/// clap refuses them itself, as it does any option the command does not take.
fn screen_options_before_a_command(args: &[std::ffi::OsString]) {
    let mut given = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let Some(arg) = arg.to_str() else { return };
        match arg {
            "--" => return,
            "--read-only" => given.push("--read-only"),
            "--theme" => {
                given.push("--theme NAME");
                rest.next();
            }
            _ if arg.starts_with("--theme=") => given.push("--theme NAME"),
            _ if arg.starts_with('-') => {}
            _ => {
                let mut cli = Cli::command();
                if given.is_empty() || cli.find_subcommand(arg).is_none() {
                    return;
                }
                let (named, options) = (given.join(" and "), given.join(" "));
                let (them, they) = if given.len() == 1 {
                    ("it", "belongs")
                } else {
                    ("them", "belong")
                };
                cli.error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "{named} {they} to the workshop screen (riskroom {options} SESSION); `riskroom {arg}` does not take {them}"
                    ),
                )
                .exit()
            }
        }
    }
}

/// The user's config, its warnings said on stderr (a broken config never stops
/// a command: the defaults stand in).
fn config() -> Config {
    let config = Config::load();
    for warning in &config.warnings {
        let _ = writeln!(std::io::stderr(), "riskroom: {warning}");
    }
    config
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
        (Some(Command::Completions { shell }), _) => completions::run(shell, out),
        (Some(Command::Man), _) => man::run(out),
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
        (
            Some(Command::Report {
                session,
                out: file,
                format,
            }),
            _,
        ) => report::run(&session, file.as_deref(), format, out),
        (Some(Command::Import(args)), _) => {
            import::run(&args, out, &mut SafeStderr(std::io::stderr()))
        }
        (Some(Command::Minutes(args)), _) => minutes::run(&args, out),
        (Some(Command::New { path, title }), _) => new::run(&path, title.as_deref(), out),
        (Some(Command::Export(args)), _) => {
            let config = config();
            let options = CsvOptions {
                delimiter: args.delimiter.unwrap_or(config.csv.delimiter),
                bom: if args.no_bom {
                    false
                } else {
                    args.bom || config.csv.bom
                },
            };
            export::run(
                &args.session,
                args.out.as_deref(),
                args.format,
                options,
                out,
            )
        }
        (Some(Command::Follow { session, theme }), _) => {
            screen::follow(&session, theme.as_deref(), &config())
        }
        (Some(Command::Config), _) => show_config::run(&Config::load(), out),
        (None, Some(session)) => screen::open(&session, &cli.screen, &config()),
        (None, None) => screen::picker(&cli.screen, &config()),
    }
}

/// Text from a file or another user, made safe for a terminal (line breaks
/// and tabs stay): the one terminal-safety function, for what the merge,
/// diff and portfolio commands write line by line.
pub(crate) fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    crate::terminal_text::lines(text)
}

fn fmt(path: &Path, out: &mut Vec<u8>) -> Result<ExitCode, Failure> {
    let (session, migration) = store::load_noting(path)?;
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
        if let Some(migration) = migration {
            writeln!(out, "{}: {migration}", path.display())?;
        }
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
