//! The config file as the workshop screen meets it (the real binary in a
//! pseudo-terminal, `XDG_CONFIG_HOME` in a temporary folder): its CSV choices
//! are the `x` dialog's defaults, and a broken file is said on screen while the
//! session opens as ever.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Duration;

use pty::{ENTER, Pty};

const WAIT: Duration = Duration::from_secs(10);

/// The demo as `ws.ron` and `text` as the config file, in `dir`.
fn setup(dir: &Path, text: &str) {
    std::fs::copy("sessions/ip-chamber.ron", dir.join("ws.ron")).unwrap();
    let config_dir = dir.join(".config/riskroom");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.ron"), text).unwrap();
}

#[test]
fn the_export_dialog_starts_with_the_config_files_delimiter_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "(csv: (delimiter: \";\", bom: false))");
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[("NO_COLOR", "1")]);
    term.wait_for("Failure modes by RPN", WAIT);
    term.keys(&["x"]);
    term.wait_for("UTF-8, delimiter ';', failure modes in RPN order", WAIT);
    term.keys(&[ENTER]);
    term.wait_for("Written", WAIT);
    let csv = std::fs::read(dir.path().join("ws-assets.csv")).unwrap();
    assert!(csv.starts_with(b"ID;Name;Category;"), "{:?}", &csv[..20]);
    term.keys(&["\x1b", "q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0), "{}", term.screen());
}

#[test]
fn a_broken_config_is_said_on_screen_and_the_session_opens() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "(\n  theme: \"light\"\n  csv: ()\n)");
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[("NO_COLOR", "1")]);
    term.wait_for("Failure modes by RPN (40", WAIT);
    term.wait_for("config.ron:3:", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0), "{}", term.screen());
}
