//! `riskroom SESSION`: the workshop screen, and the picker without an argument.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Failure, ScreenOptions};
use crate::config::Config;
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
/// `--theme` must name a theme that exists; the config file's choice falls back
/// to the default with a warning, as a config file never stops riskroom.
pub fn theme(requested: Option<&str>, config: &Config) -> Result<(Theme, Option<String>), Failure> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dirs = config_dirs();
    let user_dir = dirs.as_ref().map(|d| d.config_dir().join("themes"));
    if requested.is_some() {
        return Ok((
            Theme::select(requested, no_color, user_dir.as_deref())?,
            None,
        ));
    }
    match Theme::select(config.theme.as_deref(), no_color, user_dir.as_deref()) {
        Ok(theme) => Ok((theme, None)),
        Err(e) => Ok((
            Theme::select(None, no_color, None)?,
            Some(format!("config: {e}; using the default theme")),
        )),
    }
}

/// The first thing the screen should say about the config file, if anything.
fn config_notice(config: &Config, theme_warning: Option<String>) -> Option<String> {
    let mut all: Vec<String> = config
        .warnings
        .iter()
        .cloned()
        .chain(theme_warning)
        .collect();
    match all.len() {
        0 => None,
        1 => all.pop(),
        // The count first: at 80 columns the end of the line is cut.
        n => Some(format!(
            "{n} problems with the config file (riskroom config lists them); first: {}",
            all[0]
        )),
    }
}

pub fn open(path: &Path, options: &ScreenOptions, config: &Config) -> Result<ExitCode, Failure> {
    let (theme, theme_warning) = theme(options.theme.as_deref(), config)?;
    if let Some(warning) = &theme_warning {
        say!("riskroom: {warning}");
    }
    let read_only = options.read_only;
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
    let mut app = App::new(session, path.to_path_buf(), theme, 80, 24)
        .with_disk(Some(disk))
        .with_settings(config.into());
    if let Some(reason) = reason {
        app = app.read_only(reason);
    } else if let Some(note) = note {
        app = app.with_note(note);
    } else if let Some(notice) = config_notice(config, theme_warning) {
        app = app.with_error(notice);
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
pub fn picker(options: &ScreenOptions, config: &Config) -> Result<ExitCode, Failure> {
    let (theme, _) = theme(options.theme.as_deref(), config)?;
    let data_dir = config_dirs().map(|d| d.data_dir().to_path_buf());
    let entries = picker::find_sessions(&picker_dirs(data_dir.as_deref(), config));
    let mut picker = picker::Picker::new(entries, picker::new_dir(data_dir.as_deref()), theme);
    match picker::run(&mut picker)? {
        Some(path) => open(&path, options, config),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Where the picker looks: here, ./sessions and the data folder (wherever "New
/// workshop" may have put one), then the config file's folders; a folder named
/// twice (`sessions` in the config too) once.
fn picker_dirs(data_dir: Option<&Path>, config: &Config) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("."), PathBuf::from("sessions")];
    dirs.extend(data_dir.map(Path::to_path_buf));
    dirs.extend(config.picker_folders.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|dir| seen.insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone())));
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_also_looks_in_the_config_files_folders_each_once() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("workshops");
        std::fs::create_dir(&folder).unwrap();
        let text = format!(
            "(picker_folders: [{:?}, {:?}, \"sessions\", \"./sessions\"])",
            folder.display().to_string(),
            format!("{}/../workshops", folder.display())
        );
        let dirs = picker_dirs(Some(Path::new("/data")), &config(&text));
        assert_eq!(
            dirs,
            [
                PathBuf::from("."),
                PathBuf::from("sessions"),
                PathBuf::from("/data"),
                folder
            ]
        );
    }
    use crate::config::Environment;

    fn config(text: &str) -> Config {
        Config::parse(text, "c.ron", &Environment::default())
    }

    // NO_COLOR is left alone by `cargo test`; these hold while it is not set.
    fn colour_allowed() -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    #[test]
    fn the_config_files_theme_applies_unless_the_command_line_names_one() {
        if !colour_allowed() {
            return;
        }
        let light = config("(theme: \"light\")");
        assert_eq!(theme(None, &light).unwrap().0.name, "light");
        assert_eq!(theme(Some("mono"), &light).unwrap().0.name, "mono");
        assert_eq!(theme(None, &config("()")).unwrap().0.name, "dark");
    }

    #[test]
    fn a_missing_theme_in_the_config_gives_the_default_and_says_so() {
        if !colour_allowed() {
            return;
        }
        let neon = config("(theme: \"neon\")");
        let (chosen, warning) = theme(None, &neon).unwrap();
        assert_eq!(chosen.name, "dark");
        let warning = warning.unwrap();
        assert!(warning.contains("no theme \"neon\""), "{warning}");
        assert!(warning.ends_with("using the default theme"), "{warning}");
        // On the command line the same name is an error, as before.
        assert!(theme(Some("neon"), &neon).is_err());
    }

    #[test]
    fn the_notice_names_the_first_problem_and_counts_the_rest() {
        let two = config("(thme: 1, autosave_delay_ms: 1)");
        let notice = config_notice(&two, None).unwrap();
        assert!(
            notice.starts_with(
                "2 problems with the config file (riskroom config lists them); first: "
            ),
            "{notice}"
        );
        assert!(notice.contains("unknown field \"thme\""), "{notice}");
        assert_eq!(config_notice(&config("()"), None), None);
        assert_eq!(
            config_notice(&config("()"), Some("x".into())).as_deref(),
            Some("x")
        );
    }
}
