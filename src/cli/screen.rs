//! `riskroom SESSION`: the workshop screen, and the picker without an argument.

use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::store::{self, lock::Lock, lock::Locking};
use crate::tui::app::App;
use crate::tui::picker;
use crate::tui::runtime::{self, Exit};
use crate::tui::theme::Theme;

/// A line on stderr. Never panics: after an SSH hang-up stderr is a dead
/// terminal, and there is nobody left to tell.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", crate::terminal_text::lines(&text));
    }};
}

fn config_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "riskroom")
}

/// The theme asked for, or the reason it cannot be used, before the screen opens.
pub fn theme(requested: Option<&str>) -> Result<Theme, Failure> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dirs = config_dirs();
    let user_dir = dirs.as_ref().map(|d| d.config_dir().join("themes"));
    Ok(Theme::select(requested, no_color, user_dir.as_deref())?)
}

pub fn open(path: &Path, theme_name: Option<&str>, read_only: bool) -> Result<ExitCode, Failure> {
    let theme = theme(theme_name)?;
    // The file's state as it was read, with the fingerprint of its content:
    // a later change on disk is noticed even when size and time look the same.
    let (session, disk) = store::load_with_state(path)?;
    let (lock, mut reason) = if read_only {
        (None, Some("opened with --read-only".to_string()))
    } else {
        match Lock::acquire(path) {
            Ok(Locking::Acquired(lock)) => (Some(lock), None),
            Ok(Locking::HeldBy(holder)) => (None, Some(format!("{}{holder}", runtime::HELD_BY))),
            Err(e) => (
                None,
                Some(format!("cannot take the lock beside the file ({e})")),
            ),
        }
    };
    // A save replaces the file: said before the first one when that would lock
    // the others who share it out, or make it ours instead of its owner's.
    let mut note = None;
    if reason.is_none() {
        match store::own_files::save_keeps_it_shared(path) {
            Ok(n) => note = n,
            Err(why) => reason = Some(why),
        }
    }
    let lock = if reason.is_some() { None } else { lock };
    if lock.is_some() {
        // Ours now: whatever a killed riskroom was writing can go.
        store::remove_stale_temp_files(path);
    }
    let mut app = App::new(session, path.to_path_buf(), theme, 80, 24).with_disk(Some(disk));
    if let Some(reason) = reason {
        app = app.read_only(reason);
    } else if let Some(note) = note {
        app = app.with_note(note);
    } else if let Some(recovered) = store::recovery_files(path).first() {
        app = app.offering_recovery(recovered.clone());
    }
    let exit = runtime::run(app, lock)?;
    report(path, exit)
}

fn report(path: &Path, exit: Exit) -> Result<ExitCode, Failure> {
    match exit {
        Exit::Normal {
            path,
            read_only: false,
        } => {
            say!("riskroom: {} is saved", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Exit::Normal {
            read_only: true, ..
        } => Ok(ExitCode::SUCCESS),
        Exit::Signal(signal) => {
            say!(
                "riskroom: stopped by signal {signal}; {} is saved",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Exit::Recovered(recovery) => {
            say!(
                "riskroom: {} could not be saved; the session was written to {}",
                path.display(),
                recovery.display()
            );
            Ok(ExitCode::FAILURE)
        }
        Exit::Crashed { recovery, message } => {
            say!("riskroom: internal error: {message}");
            match recovery {
                Ok(file) => say!("riskroom: your session was written to {}", file.display()),
                Err(e) => say!("riskroom: {e}"),
            }
            say!("riskroom: please report this; the terminal was restored.");
            Ok(ExitCode::from(101))
        }
    }
}

/// No session given: pick one (or start a new workshop), then open it.
pub fn picker(theme_name: Option<&str>, read_only: bool) -> Result<ExitCode, Failure> {
    let theme = theme(theme_name)?;
    let data_dir = config_dirs().map(|d| d.data_dir().to_path_buf());
    // Here, ./sessions and the data folder: wherever "New workshop" may have put one.
    let mut dirs = vec![
        std::path::PathBuf::from("."),
        std::path::PathBuf::from("sessions"),
    ];
    dirs.extend(data_dir.clone());
    let entries = picker::find_sessions(&dirs);
    let mut picker = picker::Picker::new(entries, picker::new_dir(data_dir.as_deref()), theme);
    match picker::run(&mut picker)? {
        Some(path) => open(&path, theme_name, read_only),
        None => Ok(ExitCode::SUCCESS),
    }
}
