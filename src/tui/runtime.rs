//! The terminal, the threads and the files: everything the screen needs from the
//! world, kept out of the state and the drawing.
//!
//! One channel carries every event: keys and resizes (an input thread), signals
//! (a signal thread), finished saves (a saver thread). The loop blocks on it, wakes
//! only for an event or an autosave deadline, and draws only after a change.

mod key_trace;
mod runner;

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Instant;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event as TermEvent};
use ratatui::layout::Rect;

use super::action::Outcome;
use super::app::App;
use super::keymap;
use super::paint::Painter;
use super::update::{update, update_outcome};
use crate::domain::Session;
use crate::store::lock::Lock;

use key_trace::KeyTrace;
use runner::Event;
pub use runner::{LoopEnd, Runner, data_dir};

/// How the screen ended, for the command line to report.
#[derive(Debug)]
pub enum Exit {
    /// Quit with everything saved in `path` (which a "save as" may have changed).
    Normal { path: PathBuf, read_only: bool },
    /// Quit after the session went to a recovery file (saving it failed).
    Recovered(PathBuf),
    /// Stopped by a signal (SIGHUP, SIGTERM, SIGINT) after saving.
    Signal(i32),
    /// The screen code panicked; the session went to a recovery file.
    Crashed {
        recovery: Result<PathBuf, String>,
        message: String,
    },
}

fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if tx.send(Event::Terminal(ev, Instant::now())).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    // A dead terminal: report once and stop, never spin on it.
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
            }
        }
    });
}

/// Watches the terminal for a hang-up. A terminal that goes away without a
/// SIGHUP reaching us (we are not its session's leader: started under `su`,
/// `setsid`, some multiplexers) reads as end-of-file forever, which crossterm
/// retries in a loop without returning: the screen would spin on a core for
/// good. `poll` asking for no event at all still reports a hang-up, and
/// sleeps until then: nothing while the terminal lives.
fn spawn_hangup_watch(tx: Sender<Event>) {
    use rustix::event::{PollFd, PollFlags, poll};
    use std::os::fd::AsFd;
    if !rustix::termios::isatty(std::io::stdin().as_fd()) {
        return;
    }
    thread::spawn(move || {
        let stdin = std::io::stdin();
        let fd = stdin.as_fd();
        loop {
            let mut watched = [PollFd::new(&fd, PollFlags::empty())];
            match poll(&mut watched, None) {
                Ok(_) => {
                    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
                    if watched[0].revents().intersects(gone) {
                        let _ = tx.send(Event::InputClosed);
                        return;
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                // Nothing to watch with: the SIGHUP and the input thread stay.
                Err(_) => return,
            }
        }
    });
}

fn spawn_signals(tx: Sender<Event>) -> Result<(), String> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| format!("cannot watch for signals: {e}"))?;
    thread::spawn(move || {
        for signal in signals.forever() {
            if tx.send(Event::Signal(signal)).is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// Leaves raw mode and the alternate screen. Errors are ignored: on a dead
/// terminal (an SSH hang-up) there is nobody to tell, and a message written there
/// would fail too.
pub fn restore_terminal() {
    let _ = ratatui::try_restore();
}

/// Shows the cursor again and lets go of the terminal without its `Drop`, which
/// prints to stderr when that fails, and so panics (then aborts) when stderr is
/// the terminal that just went away.
pub fn release_terminal(mut terminal: DefaultTerminal) {
    let _ = terminal.show_cursor();
    std::mem::forget(terminal);
}

/// `ratatui::try_init`, with a panic hook that restores the terminal quietly
/// (ratatui's own prints when restoring fails, which panics again on a dead
/// terminal and aborts).
pub fn init_terminal() -> Result<DefaultTerminal, String> {
    let previous = std::panic::take_hook();
    let terminal = ratatui::try_init().map_err(|e| format!("cannot open the terminal: {e}"))?;
    let _ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    Ok(terminal)
}

/// Runs the workshop screen on `app` until it quits, holding `lock` (the session
/// file's lock, if taken). The terminal is restored on every way out, a panic
/// included.
pub fn run(app: App, lock: Option<Lock>) -> Result<Exit, String> {
    run_screen(app, |tx, rx, mirror, app| {
        let mut runner = Runner::threaded(tx.clone(), rx, mirror, lock);
        // Others on this host may follow and vote (`riskroom follow`).
        runner.serve(&tx, app);
        runner
    })
}

/// Runs a follower's screen (`riskroom follow`): `app` is set up
/// [`App::following`]; it shows the facilitator's session live, or the saved
/// file while nobody has it open, and saves nothing.
pub fn follow(app: App) -> Result<Exit, String> {
    run_screen(app, |tx, rx, _, app| {
        let mut runner = Runner::follower(rx);
        runner.follow(&tx, app);
        runner
    })
}

/// The screen's life: the terminal, the threads, the loop, and every way out.
fn run_screen(
    mut app: App,
    runner: impl FnOnce(Sender<Event>, mpsc::Receiver<Event>, Session, &mut App) -> Runner,
) -> Result<Exit, String> {
    let mut trace = KeyTrace::from_env()?;
    let terminal = init_terminal()?;
    let (tx, rx) = mpsc::channel();
    if let Err(e) = spawn_signals(tx.clone()) {
        restore_terminal();
        return Err(e);
    }
    spawn_input(tx.clone());
    spawn_hangup_watch(tx.clone());
    if let Ok(size) = terminal.size() {
        update_outcome(
            &mut app,
            Outcome::Resized {
                width: size.width,
                height: size.height,
            },
        );
    }
    // The saver's own copy of the session is made on the other core while the
    // first frame is drawn: the room sees the data at once, and no save ever
    // copies the whole session again (see `runner::Saver`). A read-only screen
    // never saves and needs no copy.
    let writable = !app.is_read_only();
    let mut painter = Painter::new();
    let (first_frame, mirror) = thread::scope(|scope| {
        let copy = writable.then(|| scope.spawn(|| app.session().clone()));
        let drawn = draw(&mut painter, &app);
        (drawn, copy.map(|c| c.join()))
    });
    let mirror = match mirror {
        Some(Ok(copy)) => copy,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => Session::new("", jiff::Timestamp::UNIX_EPOCH),
    };
    if let Err(e) = first_frame {
        restore_terminal();
        return Err(format!("the terminal failed: {e}"));
    }
    let mut runner = runner(tx, rx, mirror, &mut app);

    let result = catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut painter, &mut app, &mut runner, trace.as_mut())
    }));
    release_terminal(terminal);
    if let Some(Err(e)) = trace.map(KeyTrace::finish) {
        eprintln!("riskroom: {e}");
    }
    let exit = match result {
        Ok(Ok(end)) => runner.finish(&mut app, end)?,
        Ok(Err(e)) => {
            // The terminal failed (it went away while drawing): save and go.
            runner.save_or_recover(&mut app);
            restore_terminal();
            return Err(format!("the terminal failed: {e}"));
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            restore_terminal();
            // A follower writes nothing, not even a recovery file: the
            // facilitator has the session.
            let recovery = if app.is_follower() {
                Err("a follower keeps no copy; the facilitator has the session".into())
            } else {
                runner::recover(&app)
            };
            return Ok(Exit::Crashed { recovery, message });
        }
    };
    restore_terminal();
    Ok(exit)
}

/// Paints the app's frame: only what changed since the last one, in one write.
fn draw(painter: &mut Painter, app: &App) -> std::io::Result<()> {
    let bytes = painter.frame(app, Rect::new(0, 0, app.width(), app.height()));
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()
}

/// Why a window is read-only when another riskroom holds the file.
pub const HELD_BY: &str = "held by ";

fn event_loop(
    painter: &mut Painter,
    app: &mut App,
    runner: &mut Runner,
    mut trace: Option<&mut KeyTrace>,
) -> std::io::Result<LoopEnd> {
    // The first frame was drawn before the loop.
    let mut dirty = false;
    loop {
        if dirty {
            draw(painter, app)?;
            dirty = false;
            if let Some(trace) = trace.as_deref_mut() {
                trace.drawn();
            }
        }
        // After the frame, not before: the followers are processes that draw
        // too, and woken first they took the cores the facilitator's own frame
        // waited for (3 to 4.5 times the key latency with 20 followers on two
        // cores, BENCHMARKS.md). The saver gets the changes a frame later.
        runner.send_changes(app);
        runner.share_view(app);
        let event = match app.save_deadline() {
            Some(deadline) => runner
                .events()
                .recv_timeout(deadline.saturating_duration_since(Instant::now())),
            None => runner
                .events()
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Terminal(TermEvent::Key(key), read_at)) => {
                panic_for_tests(&key);
                let followed = runner.follow_the_holder(app);
                if let Some(action) = keymap::action_for(app.context(), &key) {
                    update(app, action);
                    dirty = true;
                    if let Some(trace) = trace.as_deref_mut() {
                        trace.key(read_at);
                    }
                }
                if let Some(note) = followed {
                    update_outcome(app, Outcome::Note(note));
                    dirty = true;
                }
            }
            Ok(Event::Terminal(TermEvent::Resize(width, height), _)) => {
                update_outcome(app, Outcome::Resized { width, height });
                // A new size is painted whole (the painter sees the new area).
                dirty = true;
            }
            Ok(Event::Terminal(..)) => {}
            Ok(Event::Saved { generation, result }) => {
                update_outcome(app, Outcome::Saved { generation, result });
                dirty = true;
            }
            Ok(Event::Room(event)) => {
                runner.room_event(app, event);
                dirty = true;
            }
            Ok(Event::Followed(item)) => {
                update_outcome(app, Outcome::Followed(item));
                dirty = true;
            }
            Ok(Event::Exported(result)) => {
                update_outcome(app, Outcome::Exported(result));
                dirty = true;
            }
            Ok(Event::Signal(signal)) => return Ok(LoopEnd::Signal(signal)),
            Ok(Event::InputClosed) => return Ok(LoopEnd::Signal(signal_hook::consts::SIGHUP)),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(LoopEnd::Quit),
        }
        if app.save_due(Instant::now()) {
            runner.start_save(app, false);
            dirty = true;
        }
        if app.has_effects() {
            dirty = true;
            if let Some(end) = runner.perform_all(app) {
                return Ok(end);
            }
        }
    }
}

/// Debug builds only: with `RISKROOM_TEST_PANIC` set, F12 panics inside the
/// screen code, so tests can check that a crash restores the terminal and keeps
/// the session.
fn panic_for_tests(key: &ratatui::crossterm::event::KeyEvent) {
    #[cfg(debug_assertions)]
    if key.code == ratatui::crossterm::event::KeyCode::F(12)
        && std::env::var_os("RISKROOM_TEST_PANIC").is_some()
    {
        panic!("test panic from F12 (RISKROOM_TEST_PANIC)");
    }
    #[cfg(not(debug_assertions))]
    let _ = key;
}
