//! Helpers that drive the screen without a terminal: for the in-process tests,
//! the snapshot tests and the benchmarks. They go through the real keymap and the
//! real `update`, so a test presses keys exactly as a person does.

use std::path::PathBuf;

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Outcome;
use super::app::{App, Clock, Effect};
use super::keymap;
use super::theme::Theme;
use super::update::{update, update_outcome};
use crate::domain::Session;
use crate::store;

/// The moment every test screen lives at: 2026-11-23 09:00 UTC.
pub fn fixed_now() -> Timestamp {
    Timestamp::from_second(1_795_424_400).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// An app on `session` at a fixed size and clock, with the dark theme.
pub fn app(session: Session, path: impl Into<PathBuf>, width: u16, height: u16) -> App {
    let mut app = App::new(session, path.into(), Theme::dark(), width, height);
    app.set_clock(Clock::Fixed(fixed_now()));
    app
}

/// One key by name: `Tab`, `BackTab`, `Enter`, `Esc`, `Up`, `Down`, `Left`,
/// `Right`, `PgUp`, `PgDn`, `Home`, `End`, `Del`, `BS`, `C-x` (Ctrl), or a single
/// character.
pub fn key(name: &str) -> KeyEvent {
    let none = KeyModifiers::NONE;
    let code = match name {
        "Tab" => KeyCode::Tab,
        "BackTab" => return KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Del" => KeyCode::Delete,
        "BS" => KeyCode::Backspace,
        _ => {
            if let Some(c) = name.strip_prefix("C-").and_then(|rest| rest.chars().next()) {
                return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
            }
            let c = name.chars().next().unwrap_or(' ');
            let modifiers = if c.is_uppercase() || "?PG".contains(c) {
                KeyModifiers::SHIFT
            } else {
                none
            };
            return KeyEvent::new(KeyCode::Char(c), modifiers);
        }
    };
    KeyEvent::new(code, none)
}

/// Presses keys by name, one after the other, and carries out what they ask of
/// the world (saving, exporting) the way the runtime would, but synchronously.
pub fn press(app: &mut App, keys: &[&str]) {
    for name in keys {
        if let Some(action) = keymap::action_for(app.context(), &key(name)) {
            update(app, action);
        }
        perform_effects(app);
    }
}

/// Types text into whatever has the keyboard.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let event = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        if let Some(action) = keymap::action_for(app.context(), &event) {
            update(app, action);
        }
    }
}

/// What the runtime does with effects, done at once. Quit only marks the app.
pub fn perform_effects(app: &mut App) -> bool {
    let mut quit = false;
    for effect in std::mem::take(&mut app.effects) {
        match effect.clone() {
            Effect::SaveNow | Effect::Overwrite => {
                let generation = app.save.generation;
                let expected = if effect == Effect::Overwrite {
                    None
                } else {
                    app.disk
                };
                let result = store::save_checked(&app.path, &app.session, false, expected);
                update_outcome(app, Outcome::Saved { generation, result });
            }
            Effect::Reload => match store::load(&app.path) {
                Ok(session) => {
                    let disk = store::disk_state(&app.path);
                    update_outcome(
                        app,
                        Outcome::Reloaded {
                            session: Box::new(session),
                            disk,
                            recovery: None,
                        },
                    )
                }
                Err(e) => update_outcome(app, Outcome::Failed(e.to_string())),
            },
            Effect::SaveAs(path) => match store::save_checked(&path, &app.session, false, None) {
                Ok(disk) => update_outcome(app, Outcome::SavedAs { path, disk }),
                Err(e) => update_outcome(app, Outcome::Failed(e.to_string())),
            },
            Effect::OpenRecovery(path) => match store::load(&path) {
                Ok(session) => update_outcome(
                    app,
                    Outcome::Recovered {
                        session: Box::new(session),
                        from: path,
                    },
                ),
                Err(e) => update_outcome(app, Outcome::Failed(e.to_string())),
            },
            Effect::Export { dir, options } => {
                let outcome = super::runtime::export_files(app, &dir, options);
                update_outcome(app, outcome);
            }
            Effect::Quit | Effect::QuitWithRecovery => quit = true,
            Effect::ReadImport {
                assets,
                failure_modes,
            } => {
                update_outcome(
                    app,
                    super::runtime::read_import(assets.as_deref(), failure_modes.as_deref()),
                );
            }
        }
    }
    quit
}

/// The screen as a `TestBackend` of the app's size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let backend = TestBackend::new(app.width, app.height);
    let mut terminal = match Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(e) => match e {},
    };
    let _ = terminal.draw(|frame| frame.render_widget(app, frame.area()));
    terminal
}

/// The screen's text, line by line.
pub fn screen_text(app: &App) -> String {
    let terminal = render(app);
    let buffer = terminal.backend().buffer();
    let mut lines = Vec::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
}
