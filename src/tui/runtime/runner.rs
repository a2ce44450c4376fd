//! What the runtime does for the screen, in one place for the binary and the
//! in-process tests: saving (through one [`Saver`], on its own thread in the
//! binary, in place in the tests), exporting, reading files again, quitting.
//! Whatever it learns goes back into the state as an [`Outcome`] through
//! [`update_outcome`]; it never writes the state itself.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use super::Exit;
use crate::domain::{Change, Session};
use crate::export;
use crate::room::follow::{Followed, Follower};
use crate::room::server::{MirrorSink, RoomEvent, Server};
use crate::room::{RoundView, ViewState};
use crate::store::lock::{Lock, Locking};
use crate::store::{self, DiskState, SaveError};
use crate::tui::action::Outcome;
use crate::tui::app::{App, Effect, Mode};
use crate::tui::update::update_outcome;

/// Everything the runtime's loop waits for, on one channel.
pub(super) enum Event {
    /// What the terminal sent, and when the input thread read it.
    Terminal(ratatui::crossterm::event::Event, std::time::Instant),
    /// The terminal is gone (an SSH hang-up closes it) or unreadable.
    InputClosed,
    Signal(i32),
    Saved {
        generation: u64,
        result: Result<DiskState, SaveError>,
    },
    /// The facilitator's room: followers coming and going, their ballots.
    Room(RoomEvent),
    /// A follower's connection: the facilitator's session, changes, view, votes.
    Followed(Followed),
    /// The export the `x` dialog started, written on a thread of its own.
    Exported(Result<Vec<export::Written>, export::ExportError>),
}

/// Why the screen stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopEnd {
    Quit,
    /// Quit although saving failed: the session goes to a recovery file.
    QuitWithRecovery,
    /// SIGHUP, SIGTERM, SIGINT, or the terminal went away.
    Signal(i32),
}

struct SaveJob {
    generation: u64,
    path: PathBuf,
    /// The file must still be this, or someone else changed it; `None`: write anyway.
    expected: Option<DiskState>,
}

/// The saver's own copy of the session, kept up to date change by change (the
/// journal), so that a save never copies or serialises the screen's session on
/// the thread that reads keys. The first save of a run keeps the file as it was
/// when opened as `<file>.bak`.
pub(crate) struct Saver {
    mirror: Session,
    backed_up: bool,
}

impl Saver {
    fn new(mirror: Session) -> Saver {
        Saver {
            mirror,
            backed_up: false,
        }
    }

    fn apply(&mut self, changes: Vec<Change>) {
        for change in changes {
            self.mirror.apply(change);
        }
    }

    fn save(&mut self, job: SaveJob) -> Result<DiskState, SaveError> {
        let result = store::save_checked(&job.path, &self.mirror, !self.backed_up, job.expected);
        self.backed_up |= result.is_ok();
        result
    }
}

/// What the saver thread is told, in order.
enum ToSaver {
    Changes(Vec<Change>),
    Save(SaveJob),
    /// The room needs a copy of the session as it is after the changes so far.
    CopyForRoom(MirrorSink),
    /// The `x` dialog's export, written from the saver's copy (after the
    /// changes so far): no copy of a large session on the thread that reads keys.
    Export(ExportJob),
}

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

/// Runs `saver` on a thread of its own at a lower priority. Its reports come
/// back as [`Event::Saved`]; joining the thread gives the saver back.
fn spawn_saver(
    tx: Sender<Event>,
    mut saver: Saver,
) -> (Sender<ToSaver>, thread::JoinHandle<Saver>) {
    let (jobs_tx, jobs_rx) = mpsc::channel::<ToSaver>();
    let handle = thread::spawn(move || {
        lower_priority_of_this_thread();
        let save = |saver: &mut Saver, job: SaveJob| {
            let generation = job.generation;
            let result = saver.save(job);
            let _ = tx.send(Event::Saved { generation, result });
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
                Some(ToSaver::CopyForRoom(sink)) => sink.send(Box::new(saver.mirror.clone())),
                Some(ToSaver::Export(job)) => {
                    if let Some(job) = waiting.take() {
                        save(&mut saver, job);
                    }
                    let _ = tx.send(Event::Exported(job.run(&saver.mirror)));
                }
                Some(ToSaver::Save(job)) => waiting = Some(job),
                Some(ToSaver::Changes(changes)) => {
                    if let Some(job) = waiting.take() {
                        save(&mut saver, job);
                    }
                    saver.apply(changes);
                }
                None => {
                    if let Some(job) = waiting.take() {
                        save(&mut saver, job);
                    }
                }
            }
        }
        saver
    });
    (jobs_tx, handle)
}

enum Saving {
    /// The binary: the saver on its thread.
    Thread {
        jobs: Sender<ToSaver>,
        handle: thread::JoinHandle<Saver>,
    },
    /// The in-process tests: the same saver, called in place.
    Inline(Box<Saver>),
    /// A follower saves nothing.
    Nothing,
}

/// The room, seen from the runtime: serving followers, or following.
enum RoomLink {
    Serving {
        server: Server,
        /// What followers were last told the screen shows, and the round.
        view: Option<ViewState>,
        round: Option<Option<RoundView>>,
    },
    Following(Follower),
}

/// Carries out the screen's effects and the saves, and ends the screen.
pub struct Runner {
    saving: Saving,
    /// The loop's channel: saves report here (keys and signals too, in the binary).
    events: Receiver<Event>,
    /// The session file's lock, when this screen holds it.
    lock: Option<Lock>,
    room: Option<RoomLink>,
}

impl Runner {
    /// The binary's runner: a saver thread with `mirror` (a copy of the session as
    /// it is now), reporting on `events`.
    pub(super) fn threaded(
        tx: Sender<Event>,
        events: Receiver<Event>,
        mirror: Session,
        lock: Option<Lock>,
    ) -> Runner {
        let (jobs, handle) = spawn_saver(tx, Saver::new(mirror));
        Runner {
            saving: Saving::Thread { jobs, handle },
            events,
            lock,
            room: None,
        }
    }

    /// A follower's runner: no saver, no lock; the room connection reports on
    /// `tx` (see [`Runner::follow`]).
    pub(super) fn follower(events: Receiver<Event>) -> Runner {
        Runner {
            saving: Saving::Nothing,
            events,
            lock: None,
            room: None,
        }
    }

    /// Opens the room of the session this screen holds, so that others can
    /// follow it and vote (`riskroom follow`). Not holding the lock: no room.
    pub(super) fn serve(&mut self, tx: &Sender<Event>, app: &mut App) {
        if self.lock.is_none() || app.is_read_only() {
            return;
        }
        let tx = tx.clone();
        match Server::start(app.path(), move |event| {
            let _ = tx.send(Event::Room(event));
        }) {
            Ok(server) => {
                self.room = Some(RoomLink::Serving {
                    server,
                    view: None,
                    round: None,
                });
                update_outcome(
                    app,
                    Outcome::RoomOpened {
                        me: crate::store::own_files::user_name(nix::unistd::getuid().as_raw()),
                    },
                );
            }
            Err(e) => update_outcome(app, Outcome::Failed(format!("nobody can follow: {e}"))),
        }
    }

    /// Starts following the facilitator of the app's session.
    pub(super) fn follow(&mut self, tx: &Sender<Event>, app: &App) {
        let tx = tx.clone();
        self.room = Some(RoomLink::Following(Follower::start(app.path(), move |f| {
            let _ = tx.send(Event::Followed(f));
        })));
    }

    /// What the room said to the facilitator: a copy of the session is the
    /// runtime's to give (made on the saver's thread, not the keys'); the rest
    /// is the screen's.
    pub(super) fn room_event(&mut self, app: &mut App, event: RoomEvent) {
        if event != RoomEvent::NeedSnapshot {
            return update_outcome(app, Outcome::Room(event));
        }
        self.send_changes(app);
        let Some(RoomLink::Serving { server, .. }) = &self.room else {
            return;
        };
        match &mut self.saving {
            Saving::Thread { jobs, .. } => {
                let sink = server.mirror_coming();
                let _ = jobs.send(ToSaver::CopyForRoom(sink));
            }
            Saving::Inline(saver) => server.mirror(Box::new(saver.mirror.clone())),
            Saving::Nothing => server.mirror(Box::new(app.session().clone())),
        }
    }

    /// Tells followers what the screen shows now and the state of a vote, when
    /// either changed since they were last told.
    pub(super) fn share_view(&mut self, app: &App) {
        let Some(RoomLink::Serving {
            server,
            view,
            round,
        }) = &mut self.room
        else {
            return;
        };
        let now = app.view_state();
        if view.as_ref() != Some(&now) {
            server.view(now.clone());
            *view = Some(now);
        }
        let now = app.round_view();
        if round.as_ref() != Some(&now) {
            server.vote(now.clone());
            *round = Some(now);
        }
    }

    /// The in-process tests' runner: the same code, every save done at once.
    pub fn inline(app: &App) -> Runner {
        let (_, events) = mpsc::channel();
        Runner {
            saving: Saving::Inline(Box::new(Saver::new(app.session().clone()))),
            events,
            lock: None,
            room: None,
        }
    }

    pub(super) fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// The saver's copy of the session, in place (tests compare it with the screen's).
    pub fn saver_copy(&self) -> Option<&Session> {
        match &self.saving {
            Saving::Inline(saver) => Some(&saver.mirror),
            Saving::Thread { .. } | Saving::Nothing => None,
        }
    }

    /// Hands the saver the changes made since the last call.
    pub fn send_changes(&mut self, app: &mut App) {
        let changes = app.take_journal();
        if changes.is_empty() {
            return;
        }
        // Followers see the same stream as the saver, in the same order.
        if let Some(RoomLink::Serving { server, .. }) = &self.room {
            server.changes(changes.clone());
        }
        match &mut self.saving {
            Saving::Thread { jobs, .. } => {
                let _ = jobs.send(ToSaver::Changes(changes));
            }
            Saving::Inline(saver) => saver.apply(changes),
            Saving::Nothing => {}
        }
    }

    fn job(app: &App, overwrite: bool) -> SaveJob {
        SaveJob {
            generation: app.save().generation,
            path: app.path().to_path_buf(),
            expected: if overwrite { None } else { app.disk() },
        }
    }

    /// Starts a save of what the screen has now (`overwrite`: even if the file
    /// changed on disk).
    pub(super) fn start_save(&mut self, app: &mut App, overwrite: bool) {
        self.send_changes(app);
        let job = Self::job(app, overwrite);
        let generation = job.generation;
        match &mut self.saving {
            Saving::Thread { jobs, .. } => {
                if jobs.send(ToSaver::Save(job)).is_ok() {
                    update_outcome(app, Outcome::SaveStarted { generation });
                }
            }
            Saving::Inline(saver) => {
                update_outcome(app, Outcome::SaveStarted { generation });
                let result = saver.save(job);
                update_outcome(app, Outcome::Saved { generation, result });
            }
            Saving::Nothing => {}
        }
    }

    /// Blocks until the save under way (if any) has reported back.
    fn wait_for_saver(&mut self, app: &mut App) {
        while app.save().in_flight.is_some() {
            match self.events.recv() {
                Ok(Event::Saved { generation, result }) => {
                    update_outcome(app, Outcome::Saved { generation, result })
                }
                Ok(Event::Exported(result)) => update_outcome(app, Outcome::Exported(result)),
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }

    /// Carries out every effect the last action asked for. `Some` ends the screen.
    pub fn perform_all(&mut self, app: &mut App) -> Option<LoopEnd> {
        for effect in app.take_effects() {
            if let Some(end) = self.perform(app, effect) {
                return Some(end);
            }
        }
        None
    }

    fn perform(&mut self, app: &mut App, effect: Effect) -> Option<LoopEnd> {
        match effect {
            Effect::SaveNow => {
                if app.save().in_flight.is_none() && !app.save().is_saved() {
                    self.start_save(app, false);
                }
            }
            Effect::Overwrite => {
                self.wait_for_saver(app);
                self.start_save(app, true);
            }
            Effect::Export {
                dir,
                options,
                workbook,
            } => {
                // Off the key thread: a workbook of 100,000 rows takes seconds.
                // The saver writes it from its copy, with the changes so far.
                self.send_changes(app);
                let job = ExportJob {
                    dir,
                    stem: export::stem_of(app.path()),
                    options,
                    workbook,
                    today: app.clock().today(),
                };
                match &mut self.saving {
                    Saving::Thread { jobs, .. } => {
                        if let Err(mpsc::SendError(ToSaver::Export(job))) =
                            jobs.send(ToSaver::Export(job))
                        {
                            // The saver is gone (it panicked): write it here.
                            update_outcome(app, Outcome::Exported(job.run(app.session())));
                        }
                    }
                    Saving::Inline(saver) => {
                        update_outcome(app, Outcome::Exported(job.run(&saver.mirror)));
                    }
                    Saving::Nothing => {
                        update_outcome(app, Outcome::Exported(job.run(app.session())));
                    }
                }
            }
            Effect::Reload => {
                self.wait_for_saver(app);
                let recovery = if app.save().is_saved() {
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
                let disk = store::disk_state(app.path());
                if let Err(e) = read_again(app, disk, recovery, false) {
                    update_outcome(app, Outcome::Failed(format!("cannot reload: {e}")));
                }
            }
            Effect::SaveAs(path) => {
                self.wait_for_saver(app);
                match save_as(app, &path) {
                    Ok((disk, new_lock)) => {
                        self.lock = new_lock;
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
                if app.is_read_only() || app.save().is_saved() && app.save().in_flight.is_none() {
                    return Some(LoopEnd::Quit);
                }
                // Save now and only leave once it is on disk.
                self.wait_for_saver(app);
                if !app.save().is_saved() && !app.save().conflict {
                    self.start_save(app, false);
                    self.wait_for_saver(app);
                }
                if app.save().is_saved() {
                    return Some(LoopEnd::Quit);
                }
                let reason = app
                    .save()
                    .last_error
                    .clone()
                    .unwrap_or_else(|| "unknown".into());
                update_outcome(app, Outcome::QuitBlocked { reason });
            }
            Effect::QuitWithRecovery => return Some(LoopEnd::QuitWithRecovery),
            Effect::Cast { round, ballot } => {
                if let Some(RoomLink::Following(follower)) = &self.room
                    && let Err(e) = follower.cast(round, ballot)
                {
                    update_outcome(app, Outcome::Failed(e));
                }
            }
            Effect::AnswerBallot {
                follower,
                accepted,
                text,
            } => {
                if let Some(RoomLink::Serving { server, .. }) = &self.room {
                    server.answer(follower, accepted, text);
                }
            }
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

    /// A window that is read-only because another riskroom holds the file keeps
    /// up with it, checked at each key (no timer: an idle screen stays idle): what
    /// the holder saved is read again, and once the holder has gone this window
    /// takes the lock and may edit. A note for the message line, when something
    /// happened.
    pub(super) fn follow_the_holder(&mut self, app: &mut App) -> Option<&'static str> {
        if !app
            .read_only_reason()
            .is_some_and(|r| r.starts_with(super::HELD_BY))
            || !matches!(app.mode(), Mode::Normal)
        {
            return None;
        }
        let acquired = match Lock::acquire(app.path()) {
            Ok(Locking::Acquired(new)) => Some(new),
            _ => None,
        };
        let disk = store::disk_state(app.path());
        if disk == app.disk() && acquired.is_none() {
            return None;
        }
        if read_again(app, disk, None, acquired.is_some()).is_err() {
            // The file does not read (someone is mid-edit by hand): stay
            // read-only as we are, and look again at the next key.
            return Some("read-only; the file on disk does not read at the moment");
        }
        let Some(new) = acquired else {
            return Some("read again: the other riskroom saved the file");
        };
        self.lock = Some(new);
        store::remove_stale_temp_files(app.path());
        Some("the other riskroom has closed the file: this window can edit it now")
    }

    /// Ends the screen: saves what is not on disk yet (through the saver) and
    /// says how it ended; a session that cannot be saved goes to a recovery file.
    pub fn finish(self, app: &mut App, end: LoopEnd) -> Result<Exit, String> {
        let exit = match end {
            LoopEnd::Quit => match self.final_save(app) {
                Ok(()) => Exit::Normal {
                    path: app.path().to_path_buf(),
                    read_only: app.is_read_only(),
                },
                Err(_) => Exit::Recovered(recover(app)?),
            },
            LoopEnd::QuitWithRecovery => {
                drop(self);
                Exit::Recovered(recover(app)?)
            }
            LoopEnd::Signal(signal) => match self.final_save(app) {
                Ok(()) => Exit::Signal(signal),
                Err(_) => Exit::Recovered(recover(app)?),
            },
        };
        Ok(exit)
    }

    /// Saves what is not on disk yet, or else writes a recovery file (the
    /// terminal failed; nobody is left to ask).
    pub(super) fn save_or_recover(self, app: &mut App) {
        if self.final_save(app).is_err() {
            let _ = recover(app);
        }
    }

    /// Lets the saver finish what it has, then saves whatever is still not on
    /// disk with it, on this thread. An error text when the session is not saved.
    fn final_save(self, app: &mut App) -> Result<(), String> {
        let Runner {
            saving,
            events,
            lock,
            room,
        } = self;
        // Followers hear that the facilitator goes before the file is let go.
        drop(room);
        let saver = match saving {
            Saving::Thread { jobs, handle } => {
                drop(jobs);
                handle.join().ok()
            }
            Saving::Inline(saver) => Some(*saver),
            Saving::Nothing => None,
        };
        while let Ok(event) = events.try_recv() {
            if let Event::Saved { generation, result } = event {
                update_outcome(app, Outcome::Saved { generation, result });
            }
        }
        if app.is_read_only() || app.save().is_saved() {
            return Ok(());
        }
        let changes = app.take_journal();
        let mut saver = match saver {
            Some(mut saver) => {
                saver.apply(changes);
                saver
            }
            // The saver thread died: a fresh copy of the screen's session.
            None => Saver::new(app.session().clone()),
        };
        let job = Self::job(app, false);
        let generation = job.generation;
        let result = saver.save(job);
        let error = result.as_ref().err().map(ToString::to_string);
        update_outcome(app, Outcome::Saved { generation, result });
        drop(lock);
        error.map_or(Ok(()), Err)
    }
}

pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "riskroom").map(|d| d.data_dir().to_path_buf())
}

/// The session as the screen has it, in a recovery file.
pub(super) fn recover(app: &App) -> Result<PathBuf, String> {
    store::write_recovery(app.path(), app.session(), data_dir().as_deref())
}

/// Reads the session file again into the screen. `disk` is the file's state taken
/// before reading, so that a change during the read counts as a change on disk.
fn read_again(
    app: &mut App,
    disk: Option<DiskState>,
    recovery: Option<PathBuf>,
    took_over: bool,
) -> Result<(), store::LoadError> {
    let session = store::load(app.path())?;
    update_outcome(
        app,
        Outcome::Reloaded {
            session: Box::new(session),
            disk,
            recovery,
            took_over,
        },
    );
    Ok(())
}

/// The CSV files or the workbook of the `x` dialog, named after the session
/// file, "overdue" as of the app's clock.
struct ExportJob {
    dir: PathBuf,
    stem: String,
    options: export::CsvOptions,
    workbook: bool,
    today: jiff::civil::Date,
}

impl ExportJob {
    fn run(self, session: &Session) -> Result<Vec<export::Written>, export::ExportError> {
        if self.workbook {
            export::workbook::export_workbook(session, &self.dir, &self.stem, self.today)
                .map(|w| vec![w])
        } else {
            export::export_as_of(session, &self.dir, &self.stem, self.options, self.today)
        }
    }
}

/// Reads the files of an import for its preview (planning them is the screen's).
fn read_import(assets: Option<&Path>, failure_modes: Option<&Path>) -> Outcome {
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
    let disk = store::save_checked(path, app.session(), false, None).map_err(|e| e.to_string())?;
    Ok((disk, new_lock))
}
