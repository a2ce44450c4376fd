//! Helpers that drive the screen without a terminal: for the in-process tests,
//! the snapshot tests and the benchmarks. They go through the real keymap and the
//! real `update`, so a test presses keys exactly as a person does.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Outcome};
use super::app::{App, Clock};
use super::keymap;
use super::runtime::{Exit, LoopEnd, Runner};
use super::theme::Theme;
use super::update::{update, update_outcome};
use crate::domain::Session;

/// An app driven as the runtime drives it, without a terminal: keys through the
/// real keymap and update, effects through the runtime's own [`Runner`] (its
/// saves done in place instead of on a thread). Reads as the [`App`] it drives.
pub struct Screen {
    app: App,
    runner: Runner,
    ended: Option<LoopEnd>,
}

impl Screen {
    pub fn new(app: App) -> Screen {
        let runner = Runner::inline(&app);
        Screen {
            app,
            runner,
            ended: None,
        }
    }

    /// Whether (and why) the last keys ended the screen.
    pub fn ended(&self) -> Option<LoopEnd> {
        self.ended
    }

    /// The saver's own copy of the session, fed by the journal.
    pub fn saver_copy(&self) -> Option<&Session> {
        self.runner.saver_copy()
    }

    /// Ends the screen the way the binary does after its loop: the final save
    /// through the saver, or a recovery file.
    pub fn finish(mut self) -> Result<Exit, String> {
        let end = self.ended.unwrap_or(LoopEnd::Quit);
        self.runner.finish(&mut self.app, end)
    }

    /// One action, then the effects it asks for, as the runtime's loop does.
    pub fn act(&mut self, action: Action) {
        update(&mut self.app, action);
        self.after_action();
    }

    /// What the runtime reports, as the runtime's loop passes it on.
    pub fn report(&mut self, outcome: Outcome) {
        update_outcome(&mut self.app, outcome);
        self.after_action();
    }

    fn after_action(&mut self) {
        self.runner.send_changes(&mut self.app);
        if let Some(end) = self.runner.perform_all(&mut self.app) {
            self.ended = Some(end);
        }
    }
}

impl Deref for Screen {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

impl DerefMut for Screen {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// The moment every test screen lives at: 2026-11-23 09:00 UTC.
pub fn fixed_now() -> Timestamp {
    Timestamp::from_second(1_795_424_400).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// An app on `session` at a fixed size and clock, with the dark theme.
pub fn app(session: Session, path: impl Into<PathBuf>, width: u16, height: u16) -> Screen {
    Screen::new(fixed(App::new(
        session,
        path.into(),
        Theme::dark(),
        width,
        height,
    )))
}

/// The app with the clock of every test screen.
pub fn fixed(app: App) -> App {
    app.with_clock(Clock::Fixed(fixed_now()))
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
/// the world (saving, exporting) through the runtime's own code.
pub fn press(screen: &mut Screen, keys: &[&str]) {
    for name in keys {
        press_key(screen, &key(name));
    }
}

/// Types text into whatever has the keyboard.
pub fn type_text(screen: &mut Screen, text: &str) {
    for c in text.chars() {
        press_key(screen, &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn press_key(screen: &mut Screen, event: &KeyEvent) {
    match keymap::action_for(screen.context(), event) {
        Some(action) => screen.act(action),
        None => screen.after_action(),
    }
}

/// A new terminal size, as the runtime reports it.
pub fn resize(screen: &mut Screen, width: u16, height: u16) {
    screen.report(Outcome::Resized { width, height });
}

/// The screen as a `TestBackend` of the app's size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let backend = TestBackend::new(app.width(), app.height());
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
