//! The terminal, the threads and the files: everything the screen needs from the
//! world, kept out of the state and the drawing.
//!
//! One channel carries every event: keys and resizes (an input thread), signals
//! (a signal thread), finished saves (a saver thread). The loop blocks on it, wakes
//! only for an event or an autosave deadline, and draws only after a change.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Instant;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event as TermEvent};

use super::action::Outcome;
use super::app::{App, Confirm, Effect, Mode, Pending};
use super::keymap;
use super::update::{update, update_outcome};
use crate::domain::Session;
use crate::export;
use crate::store::{self, AtomicWriteError};

enum Event {
    Terminal(TermEvent),
    /// The terminal is gone (an SSH hang-up closes it) or unreadable.
    InputClosed,
    Signal(i32),
    Saved {
        generation: u64,
        result: Result<(), AtomicWriteError>,
    },
}

/// How the screen ended, for the command line to report.
#[derive(Debug)]
pub enum Exit {
    Normal,
    /// Quit or stopped by a signal after the session went to a recovery file.
    Recovered(PathBuf),
    /// Stopped by a signal (SIGHUP, SIGTERM, SIGINT) after saving.
    Signal(i32),
    /// The screen code panicked; the session went to this recovery file.
    Crashed {
        recovery: Result<PathBuf, String>,
        message: String,
    },
}

struct SaveJob {
    generation: u64,
    session: Session,
}

fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if tx.send(Event::Terminal(ev)).is_err() {
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

/// Saves in the background, so typing never waits for the disk. The first save
/// of a run keeps the file as it was when opened as `<file>.bak`.
fn spawn_saver(path: PathBuf, tx: Sender<Event>) -> (Sender<SaveJob>, thread::JoinHandle<bool>) {
    let (jobs_tx, jobs_rx) = mpsc::channel::<SaveJob>();
    let handle = thread::spawn(move || {
        let mut backed_up = false;
        while let Ok(mut job) = jobs_rx.recv() {
            // Only the newest waiting job matters.
            while let Ok(newer) = jobs_rx.try_recv() {
                job = newer;
            }
            let result = store::save(&path, &job.session, !backed_up);
            backed_up |= result.is_ok();
            let _ = tx.send(Event::Saved {
                generation: job.generation,
                result,
            });
        }
        backed_up
    });
    (jobs_tx, handle)
}

fn start_save(app: &mut App, jobs: &Sender<SaveJob>) {
    let generation = app.save.generation;
    app.save.in_flight = Some(generation);
    let job = SaveJob {
        generation,
        session: app.session.clone(),
    };
    if jobs.send(job).is_err() {
        app.save.in_flight = None;
    }
}

/// Waits for the saver to finish what it has, then saves whatever is still not
/// on disk, on this thread. Returns an error text when the session is not saved.
fn final_save(
    app: &mut App,
    jobs: Sender<SaveJob>,
    saver: thread::JoinHandle<bool>,
    events: &Receiver<Event>,
) -> Result<(), String> {
    drop(jobs);
    let backed_up = saver.join().unwrap_or(false);
    while let Ok(event) = events.try_recv() {
        if let Event::Saved { generation, result } = event {
            update_outcome(app, Outcome::Saved { generation, result });
        }
    }
    if app.read_only.is_some() || app.save.is_saved() {
        return Ok(());
    }
    let generation = app.save.generation;
    let result = store::save(&app.path, &app.session, !backed_up);
    let error = result.as_ref().err().map(ToString::to_string);
    update_outcome(app, Outcome::Saved { generation, result });
    error.map_or(Ok(()), Err)
}

fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "riskroom").map(|d| d.data_dir().to_path_buf())
}

fn draw(terminal: &mut DefaultTerminal, app: &App) -> std::io::Result<()> {
    terminal
        .draw(|frame| frame.render_widget(app, frame.area()))
        .map(|_| ())
}

/// Runs the workshop screen on `app` until it quits. The terminal is restored on
/// every way out, a panic included.
pub fn run(mut app: App) -> Result<Exit, String> {
    let mut terminal = ratatui::try_init().map_err(|e| format!("cannot open the terminal: {e}"))?;
    let (tx, rx) = mpsc::channel();
    if let Err(e) = spawn_signals(tx.clone()) {
        ratatui::restore();
        return Err(e);
    }
    spawn_input(tx.clone());
    let (jobs, saver) = spawn_saver(app.path.clone(), tx);
    if let Ok(size) = terminal.size() {
        update_outcome(
            &mut app,
            Outcome::Resized {
                width: size.width,
                height: size.height,
            },
        );
    }

    let result = catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &rx, &jobs)
    }));
    let exit = match result {
        Ok(Ok(LoopEnd::Quit)) => match final_save(&mut app, jobs, saver, &rx) {
            Ok(()) => Exit::Normal,
            Err(_) => Exit::Recovered(store::write_recovery(
                &app.path,
                &app.session,
                data_dir().as_deref(),
            )?),
        },
        Ok(Ok(LoopEnd::QuitWithRecovery)) => Exit::Recovered(store::write_recovery(
            &app.path,
            &app.session,
            data_dir().as_deref(),
        )?),
        Ok(Ok(LoopEnd::Signal(signal))) => match final_save(&mut app, jobs, saver, &rx) {
            Ok(()) => Exit::Signal(signal),
            Err(_) => Exit::Recovered(store::write_recovery(
                &app.path,
                &app.session,
                data_dir().as_deref(),
            )?),
        },
        Ok(Err(e)) => {
            // The terminal failed (it went away while drawing): save and go.
            let _ = final_save(&mut app, jobs, saver, &rx);
            ratatui::restore();
            return Err(format!("the terminal failed: {e}"));
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            ratatui::restore();
            let recovery = store::write_recovery(&app.path, &app.session, data_dir().as_deref());
            return Ok(Exit::Crashed { recovery, message });
        }
    };
    ratatui::restore();
    Ok(exit)
}

enum LoopEnd {
    Quit,
    QuitWithRecovery,
    Signal(i32),
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &Receiver<Event>,
    jobs: &Sender<SaveJob>,
) -> std::io::Result<LoopEnd> {
    let mut dirty = true;
    loop {
        if dirty {
            draw(terminal, app)?;
            dirty = false;
        }
        let event = match app.save_deadline() {
            Some(deadline) => rx.recv_timeout(deadline.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Terminal(TermEvent::Key(key))) => {
                if let Some(action) = keymap::action_for(app.context(), &key) {
                    update(app, action);
                    dirty = true;
                }
            }
            Ok(Event::Terminal(TermEvent::Resize(width, height))) => {
                update_outcome(app, Outcome::Resized { width, height });
                terminal.autoresize()?;
                dirty = true;
            }
            Ok(Event::Terminal(_)) => {}
            Ok(Event::Saved { generation, result }) => {
                update_outcome(app, Outcome::Saved { generation, result });
                dirty = true;
            }
            Ok(Event::Signal(signal)) => return Ok(LoopEnd::Signal(signal)),
            Ok(Event::InputClosed) => return Ok(LoopEnd::Signal(signal_hook::consts::SIGHUP)),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(LoopEnd::Quit),
        }
        if app.save_due(Instant::now()) {
            start_save(app, jobs);
        }
        for effect in std::mem::take(&mut app.effects) {
            dirty = true;
            match effect {
                Effect::SaveNow => {
                    if app.save.in_flight.is_none() && !app.save.is_saved() {
                        start_save(app, jobs);
                    } else if app.save.is_saved() {
                        app.info("everything is saved");
                    }
                }
                Effect::Export { dir, options } => {
                    let result = export::export_as_of(
                        &app.session,
                        &dir,
                        &export::stem_of(&app.path),
                        options,
                        app.clock.today(),
                    );
                    update_outcome(app, Outcome::Exported(result));
                }
                Effect::Quit => {
                    if app.read_only.is_some()
                        || app.save.is_saved() && app.save.in_flight.is_none()
                    {
                        return Ok(LoopEnd::Quit);
                    }
                    // Save now and only leave once it is on disk.
                    wait_for_saver(app, rx);
                    if !app.save.is_saved() {
                        start_save(app, jobs);
                        wait_for_saver(app, rx);
                    }
                    if app.save.is_saved() {
                        return Ok(LoopEnd::Quit);
                    }
                    let failed = app.save.last_error.clone();
                    match failed {
                        None => return Ok(LoopEnd::Quit),
                        Some(error) => {
                            app.message = None;
                            app.mode = Mode::Confirm(Confirm {
                                question: "The session could not be saved. Quit anyway?".into(),
                                detail: vec![
                                    error,
                                    "y: write it to a recovery file beside it (or in your data folder) and quit".into(),
                                    "n: stay; riskroom keeps trying to save".into(),
                                ],
                                pending: Pending::QuitUnsaved,
                            });
                        }
                    }
                }
                Effect::QuitWithRecovery => return Ok(LoopEnd::QuitWithRecovery),
            }
        }
    }
}

/// Blocks until the save under way (if any) has reported back.
fn wait_for_saver(app: &mut App, rx: &Receiver<Event>) {
    while app.save.in_flight.is_some() {
        match rx.recv() {
            Ok(Event::Saved { generation, result }) => {
                update_outcome(app, Outcome::Saved { generation, result })
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}
