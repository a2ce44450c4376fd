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
    // Enter writes and closes the dialog; `x` again shows what was written.
    term.wait_for("exported", WAIT);
    term.keys(&["x"]);
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

#[test]
fn the_autosave_waits_as_long_as_the_config_file_says() {
    use riskroom::config::{Config, Environment};
    use riskroom::tui::app::App;
    use riskroom::tui::theme::Theme;
    use std::time::Instant;

    let session = riskroom::store::load(Path::new("sessions/ip-chamber.ron")).unwrap();
    // A rating typed on the selected failure mode: the autosave is due after
    // the delay the settings give.
    let changed_with = |settings: riskroom::tui::app::Settings| {
        let mut app = App::new(session.clone(), "ws.ron".into(), Theme::plain(), 80, 24)
            .with_settings(settings);
        riskroom::tui::update::update(&mut app, riskroom::tui::action::Action::Rate(9));
        let changed: Instant = app
            .save()
            .unsaved_since
            .expect("a change waits to be saved");
        (app, changed)
    };
    let (app, changed) = changed_with(Default::default());
    let after = |ms| changed + Duration::from_millis(ms);
    assert_eq!(app.save_deadline(), Some(after(700)), "the default");
    assert!(!app.save_due(after(300)));

    for (text, ms) in [
        ("(autosave_delay_ms: 250)", 250),
        ("(autosave_delay_ms: 1200)", 1200),
        // Out of bounds: the bound, never later than SPEC 7's two seconds.
        ("(autosave_delay_ms: 9000)", 1500),
    ] {
        let config = Config::parse(text, "c.ron", &Environment::default());
        let (app, changed) = changed_with((&config).into());
        let after = |ms| changed + Duration::from_millis(ms);
        assert_eq!(app.save_deadline(), Some(after(ms)), "{text}");
        assert!(!app.save_due(after(ms - 1)), "{text}");
        assert!(app.save_due(after(ms)), "{text}");
    }
}
