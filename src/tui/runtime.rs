//! The terminal, the threads and the files: everything the screen needs from the
//! world, kept out of the state and the drawing.
//!
//! One channel carries every event: keys and resizes (an input thread), signals
//! (a signal thread), finished saves (a saver thread). The loop blocks on it, wakes
//! only for an event or an autosave deadline, and draws only after a change.

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Instant;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event as TermEvent};
use ratatui::layout::Rect;

use super::action::Outcome;
use super::app::{App, Confirm, Effect, Mode, Pending};
use super::keymap;
use super::paint::Painter;
use super::update::{update, update_outcome};
use crate::domain::session::NextIds;
use crate::domain::{Change, Session};
use crate::export;
use crate::store::lock::{Lock, Locking};
use crate::store::{self, DiskState, SaveError};

enum Event {
    Terminal(TermEvent),
    /// The terminal is gone (an SSH hang-up closes it) or unreadable.
    InputClosed,
    Signal(i32),
    Saved {
        generation: u64,
        result: Result<DiskState, SaveError>,
    },
}

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

struct SaveJob {
    generation: u64,
    path: PathBuf,
    /// `allocate_*_id` and imports move these without a [`Change`].
    next_ids: NextIds,
    /// The file must still be this, or someone else changed it; `None`: write anyway.
    expected: Option<DiskState>,
}

/// What the saver is told, in order. It keeps its own copy of the session and
/// applies the screen's changes to it, so typing never waits for a copy or a
/// serialisation of the whole session.
enum ToSaver {
    Changes(Vec<Change>),
    Save(SaveJob),
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
///
/// `mirror` is a copy of the screen's session as it is now; from here on the
/// saver learns of every change through [`ToSaver::Changes`] and applies it to its
/// copy in the same order as the screen did, so both stay equal.
/// A save of a large register takes a core for a fifth of a second; keys must not
/// wait behind it. On Linux `setpriority` with a thread id renices that thread
/// only; elsewhere it would renice the process, so it is left alone there.
fn lower_priority_of_this_thread() {
    #[cfg(target_os = "linux")]
    {
        // Lowering one's own priority needs no privilege; should it fail, the
        // priority stays as it was, which is only slower.
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
    }
}

fn spawn_saver(
    tx: Sender<Event>,
    mut mirror: Session,
) -> (Sender<ToSaver>, thread::JoinHandle<bool>) {
    let (jobs_tx, jobs_rx) = mpsc::channel::<ToSaver>();
    let handle = thread::spawn(move || {
        lower_priority_of_this_thread();
        let mut backed_up = false;
        let mut save = |mirror: &mut Session, job: SaveJob| {
            mirror.next_ids = job.next_ids;
            let result = store::save_checked(&job.path, mirror, !backed_up, job.expected);
            backed_up |= result.is_ok();
            let _ = tx.send(Event::Saved {
                generation: job.generation,
                result,
            });
        };
        // A save request waits until nothing else has arrived: a newer request
        // replaces it. Changes that come after it are applied only once it is
        // written, so a save writes exactly the generation it reports.
        let mut waiting: Option<SaveJob> = None;
        loop {
            let message = match waiting {
                Some(_) => jobs_rx.try_recv().ok(),
                None => match jobs_rx.recv() {
                    Ok(message) => Some(message),
                    Err(_) => break,
                },
            };
            match message {
                Some(ToSaver::Save(job)) => waiting = Some(job),
                Some(ToSaver::Changes(changes)) => {
                    if let Some(job) = waiting.take() {
                        save(&mut mirror, job);
                    }
                    for change in changes {
                        mirror.apply(change);
                    }
                }
                None => {
                    if let Some(job) = waiting.take() {
                        save(&mut mirror, job);
                    }
                }
            }
        }
        backed_up
    });
    (jobs_tx, handle)
}

/// Hands the saver the changes made since the last call.
fn send_changes(app: &mut App, jobs: &Sender<ToSaver>) {
    if let Some(journal) = &mut app.journal
        && !journal.is_empty()
    {
        let _ = jobs.send(ToSaver::Changes(std::mem::take(journal)));
    }
}

fn start_save(app: &mut App, jobs: &Sender<ToSaver>, overwrite: bool) {
    send_changes(app, jobs);
    let generation = app.save.generation;
    app.save.in_flight = Some(generation);
    let job = SaveJob {
        generation,
        path: app.path.clone(),
        next_ids: app.session.next_ids,
        expected: if overwrite { None } else { app.disk },
    };
    if jobs.send(ToSaver::Save(job)).is_err() {
        app.save.in_flight = None;
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

/// Waits for the saver to finish what it has, then saves whatever is still not
/// on disk, on this thread. An error text when the session is not saved.
fn final_save(
    app: &mut App,
    jobs: Sender<ToSaver>,
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
    let result = store::save_checked(&app.path, &app.session, !backed_up, app.disk);
    let error = result.as_ref().err().map(ToString::to_string);
    update_outcome(app, Outcome::Saved { generation, result });
    error.map_or(Ok(()), Err)
}

pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "riskroom").map(|d| d.data_dir().to_path_buf())
}

fn recover(app: &App) -> Result<PathBuf, String> {
    store::write_recovery(&app.path, &app.session, data_dir().as_deref())
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
pub fn run(mut app: App, lock: Option<Lock>) -> Result<Exit, String> {
    let terminal = ratatui::try_init().map_err(|e| format!("cannot open the terminal: {e}"))?;
    let (tx, rx) = mpsc::channel();
    if let Err(e) = spawn_signals(tx.clone()) {
        restore_terminal();
        return Err(e);
    }
    spawn_input(tx.clone());
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
    // copies the whole session again (see `spawn_saver`). A read-only screen
    // never saves and needs no copy.
    let writable = app.read_only.is_none();
    let mut painter = Painter::new();
    let (first_frame, mirror) = thread::scope(|scope| {
        let copy = writable.then(|| scope.spawn(|| app.session.clone()));
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
    if writable {
        app.journal = Some(Vec::new());
    }
    let (jobs, saver) = spawn_saver(tx, mirror);
    let mut lock = lock;

    let result = catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut painter, &mut app, &rx, &jobs, &mut lock)
    }));
    release_terminal(terminal);
    let exit = match result {
        Ok(Ok(LoopEnd::Quit)) => match final_save(&mut app, jobs, saver, &rx) {
            Ok(()) => Exit::Normal {
                path: app.path.clone(),
                read_only: app.read_only.is_some(),
            },
            Err(_) => Exit::Recovered(recover(&app)?),
        },
        Ok(Ok(LoopEnd::QuitWithRecovery)) => Exit::Recovered(recover(&app)?),
        Ok(Ok(LoopEnd::Signal(signal))) => match final_save(&mut app, jobs, saver, &rx) {
            Ok(()) => Exit::Signal(signal),
            Err(_) => Exit::Recovered(recover(&app)?),
        },
        Ok(Err(e)) => {
            // The terminal failed (it went away while drawing): save and go.
            if final_save(&mut app, jobs, saver, &rx).is_err() {
                let _ = recover(&app);
            }
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
            let recovery = recover(&app);
            return Ok(Exit::Crashed { recovery, message });
        }
    };
    restore_terminal();
    drop(lock);
    Ok(exit)
}

enum LoopEnd {
    Quit,
    QuitWithRecovery,
    Signal(i32),
}

/// Paints the app's frame: only what changed since the last one, in one write.
fn draw(painter: &mut Painter, app: &App) -> std::io::Result<()> {
    let bytes = painter.frame(app, Rect::new(0, 0, app.width, app.height));
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()
}

/// Why a window is read-only when another riskroom holds the file.
pub const HELD_BY: &str = "held by ";

/// A window that is read-only because another riskroom holds the file keeps up
/// with it, checked at each key (no timer: an idle screen stays idle): what the
/// holder saved is read again, and once the holder has gone this window takes
/// the lock and may edit.
fn follow_the_holder(app: &mut App, lock: &mut Option<Lock>) -> Option<&'static str> {
    if !app
        .read_only
        .as_deref()
        .is_some_and(|r| r.starts_with(HELD_BY))
        || !matches!(app.mode, Mode::Normal)
    {
        return None;
    }
    let acquired = match Lock::acquire(&app.path) {
        Ok(Locking::Acquired(new)) => Some(new),
        _ => None,
    };
    if acquired.is_some() {
        // From here on the saver is fed: the reload below hands it the session.
        app.journal = Some(Vec::new());
    }
    let disk = store::disk_state(&app.path);
    if disk != app.disk || acquired.is_some() {
        if read_again(app, disk, None).is_err() {
            // The file does not read (someone is mid-edit by hand): stay
            // read-only as we are, and look again at the next key.
            app.journal = None;
            return Some("read-only; the file on disk does not read at the moment");
        }
        if acquired.is_none() {
            return Some("read again: the other riskroom saved the file");
        }
    }
    let new = acquired?;
    *lock = Some(new);
    app.read_only = None;
    store::remove_stale_temp_files(&app.path);
    Some("the other riskroom has closed the file: this window can edit it now")
}

/// Reads the session file again into the screen. `disk` is the file's state taken
/// before reading, so that a change during the read counts as a change on disk.
fn read_again(
    app: &mut App,
    disk: Option<DiskState>,
    recovery: Option<PathBuf>,
) -> Result<(), store::LoadError> {
    let session = store::load(&app.path)?;
    update_outcome(
        app,
        Outcome::Reloaded {
            session: Box::new(session),
            disk,
            recovery,
        },
    );
    Ok(())
}

/// The CSV files of the `x` dialog, named after the session file, "overdue" as of
/// the app's clock. (The in-process tests run it too, see `testing`.)
pub(crate) fn export_files(app: &App, dir: &Path, options: export::CsvOptions) -> Outcome {
    Outcome::Exported(export::export_as_of(
        &app.session,
        dir,
        &export::stem_of(&app.path),
        options,
        app.clock.today(),
    ))
}

fn event_loop(
    painter: &mut Painter,
    app: &mut App,
    rx: &Receiver<Event>,
    jobs: &Sender<ToSaver>,
    lock: &mut Option<Lock>,
) -> std::io::Result<LoopEnd> {
    // The first frame was drawn before the loop.
    let mut dirty = false;
    loop {
        send_changes(app, jobs);
        if dirty {
            draw(painter, app)?;
            dirty = false;
        }
        let event = match app.save_deadline() {
            Some(deadline) => rx.recv_timeout(deadline.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Terminal(TermEvent::Key(key))) => {
                panic_for_tests(&key);
                let followed = follow_the_holder(app, lock);
                if let Some(action) = keymap::action_for(app.context(), &key) {
                    update(app, action);
                    dirty = true;
                }
                if let Some(note) = followed {
                    if app.message.is_none() {
                        app.info(note);
                    }
                    dirty = true;
                }
            }
            Ok(Event::Terminal(TermEvent::Resize(width, height))) => {
                update_outcome(app, Outcome::Resized { width, height });
                // A new size is painted whole (the painter sees the new area).
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
            start_save(app, jobs, false);
            dirty = true;
        }
        for effect in std::mem::take(&mut app.effects) {
            dirty = true;
            if let Some(end) = perform(app, effect, rx, jobs, lock) {
                return Ok(end);
            }
        }
    }
}

/// Carries out what the screen asked for. `Some` ends the loop.
fn perform(
    app: &mut App,
    effect: Effect,
    rx: &Receiver<Event>,
    jobs: &Sender<ToSaver>,
    lock: &mut Option<Lock>,
) -> Option<LoopEnd> {
    match effect {
        Effect::SaveNow => {
            if app.save.in_flight.is_none() && !app.save.is_saved() {
                start_save(app, jobs, false);
            } else if app.save.is_saved() {
                app.info("everything is saved");
            }
        }
        Effect::Overwrite => {
            wait_for_saver(app, rx);
            start_save(app, jobs, true);
        }
        Effect::Export { dir, options } => {
            let outcome = export_files(app, &dir, options);
            update_outcome(app, outcome);
        }
        Effect::Reload => {
            wait_for_saver(app, rx);
            let recovery = if app.save.is_saved() {
                None
            } else {
                match recover(app) {
                    Ok(path) => Some(path),
                    Err(e) => {
                        update_outcome(app, Outcome::Failed(format!("not reloaded: {e}")));
                        return None;
                    }
                }
            };
            let disk = store::disk_state(&app.path);
            if let Err(e) = read_again(app, disk, recovery) {
                update_outcome(app, Outcome::Failed(format!("cannot reload: {e}")));
            }
        }
        Effect::SaveAs(path) => {
            wait_for_saver(app, rx);
            match save_as(app, &path) {
                Ok((disk, new_lock)) => {
                    *lock = new_lock;
                    update_outcome(app, Outcome::SavedAs { path, disk });
                }
                Err(e) => update_outcome(app, Outcome::Failed(e)),
            }
        }
        Effect::OpenRecovery(path) => match store::load(&path) {
            Ok(session) => {
                update_outcome(
                    app,
                    Outcome::Recovered {
                        session: Box::new(session),
                        from: path.clone(),
                    },
                );
                // Its content is now on screen and goes to the session file with
                // the next save; the .bak keeps what the file held before.
                let _ = std::fs::remove_file(&path);
            }
            Err(e) => update_outcome(
                app,
                Outcome::Failed(format!("cannot open the recovery file: {e}")),
            ),
        },
        Effect::Quit => {
            if app.read_only.is_some() || app.save.is_saved() && app.save.in_flight.is_none() {
                return Some(LoopEnd::Quit);
            }
            // Save now and only leave once it is on disk.
            wait_for_saver(app, rx);
            if !app.save.is_saved() && !app.save.conflict {
                start_save(app, jobs, false);
                wait_for_saver(app, rx);
            }
            if app.save.is_saved() {
                return Some(LoopEnd::Quit);
            }
            let reason = app
                .save
                .last_error
                .clone()
                .unwrap_or_else(|| "unknown".into());
            app.message = None;
            app.mode = Mode::Confirm(Confirm {
                question: "The session could not be saved. Quit anyway?".into(),
                detail: vec![
                    reason,
                    "y: write it to a recovery file (beside it, or in your data folder) and quit"
                        .into(),
                    "n: stay; riskroom keeps trying to save".into(),
                ],
                pending: Pending::QuitUnsaved,
            });
        }
        Effect::QuitWithRecovery => return Some(LoopEnd::QuitWithRecovery),
        Effect::ReadImport {
            assets,
            failure_modes,
        } => {
            update_outcome(
                app,
                read_import(assets.as_deref(), failure_modes.as_deref()),
            );
        }
    }
    None
}

/// Reads the files of an import for its preview (planning them is the screen's).
pub fn read_import(assets: Option<&Path>, failure_modes: Option<&Path>) -> Outcome {
    let read = |path: &Path| {
        // A regular file only (a FIFO would freeze every key), bounded.
        let bytes = store::own_files::read_bounded(path, store::MAX_FILE_BYTES)
            .map_err(|e| format!("cannot read {}: {e}", path.display()));
        (path.display().to_string(), bytes)
    };
    Outcome::ImportRead {
        assets: assets.map(read),
        failure_modes: failure_modes.map(read),
    }
}

/// Continues the session under a new name: takes that file's lock, writes it,
/// and lets go of the old one.
fn save_as(app: &App, path: &Path) -> Result<(DiskState, Option<Lock>), String> {
    if path.exists() {
        return Err(format!(
            "{} exists already; choose another name",
            path.display()
        ));
    }
    let new_lock = match Lock::acquire(path) {
        Ok(Locking::Acquired(lock)) => Some(lock),
        Ok(Locking::HeldBy(holder)) => {
            return Err(format!("{} is held by {holder}", path.display()));
        }
        Err(e) => return Err(format!("cannot save as {}: {e}", path.display())),
    };
    let disk = store::save_checked(path, &app.session, false, None).map_err(|e| e.to_string())?;
    Ok((disk, new_lock))
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
