//! `riskroom config`: where the config file is and what is in force.

use std::io::Write;
use std::process::ExitCode;

use super::Failure;
use crate::config::{self, AUTOSAVE_MS, Config, DelimiterFrom, visible};

pub fn run(config: &Config, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let place = match (&config.path, std::env::var_os(config::ENV_VAR)) {
        (Some(path), _) => visible(&path.display().to_string()),
        (None, Some(var)) if var.is_empty() => format!("none ({} is empty)", config::ENV_VAR),
        (None, _) => match config::default_path() {
            Some(path) => format!(
                "{} (not there: the defaults apply)",
                visible(&path.display().to_string())
            ),
            None => "none (no config directory on this system)".into(),
        },
    };
    writeln!(out, "config file: {place}")?;
    writeln!(
        out,
        "theme: {}",
        config
            .theme
            .as_deref()
            .map_or("dark (default)".into(), visible)
    )?;
    let delimiter = match config.csv.delimiter {
        b'\t' => "tab".to_string(),
        byte => format!("'{}'", char::from(byte)),
    };
    let from = match config.delimiter_from {
        DelimiterFrom::ConfigFile => "from the config file",
        DelimiterFrom::Locale => "the locale writes a decimal comma",
        DelimiterFrom::BuiltIn => "default",
    };
    writeln!(out, "csv.delimiter: {delimiter} ({from})")?;
    writeln!(out, "csv.bom: {}", config.csv.bom)?;
    if config.picker_folders.is_empty() {
        writeln!(
            out,
            "picker_folders: none (the picker lists ., ./sessions and the data folder)"
        )?;
    }
    for folder in &config.picker_folders {
        writeln!(
            out,
            "picker_folders: {}",
            visible(&folder.display().to_string())
        )?;
    }
    writeln!(
        out,
        "autosave_delay_ms: {} (allowed {}..={})",
        config.autosave_delay.as_millis(),
        AUTOSAVE_MS.start(),
        AUTOSAVE_MS.end()
    )?;
    for warning in &config.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(ExitCode::SUCCESS)
}
