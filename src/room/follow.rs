//! Staying with the facilitator: a follower's connection kept by a thread of its
//! own. It joins when the facilitator is there, says when they go, and joins
//! again by itself when they come back — woken by the session folder changing
//! (the room socket appearing, the session file saved), never by polling, so an
//! idle follower costs nothing.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use jiff::Timestamp;
use notify::{RecursiveMode, Watcher};

use super::client::{self, Connection, FromRoom, JoinError};
use super::socket::{self, ConnectError};
use crate::domain::vote::Ballot;

/// Where the follower stands with the facilitator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Connected: changes arrive as the facilitator makes them.
    Live { facilitator: String, you: String },
    /// The facilitator went (quit, killed, the connection broke); the last state
    /// is kept until they are back.
    Gone {
        facilitator: String,
        since: Timestamp,
        why: String,
    },
    /// Nobody has the session open: the saved file is what there is.
    Nobody,
    /// Something answered that must not be followed, or we may not join (the
    /// text says what).
    Refused(String),
}

/// What the follower's screen hears, in order.
#[derive(Debug)]
pub enum Followed {
    Status(Status),
    Room(FromRoom),
    /// The session file changed on disk (while nobody serves it live, the
    /// follower reads it again).
    FileChanged,
}

/// The follower's side, kept alive for as long as the follower runs.
pub struct Follower {
    connection: Arc<Mutex<Option<Connection>>>,
    // Keeps the folder watched; dropped with the follower.
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Follower {
    /// Starts following `session`; `deliver` hears everything, from threads of
    /// the follower's own.
    pub fn start(session: &Path, deliver: impl Fn(Followed) + Send + Sync + 'static) -> Follower {
        let deliver: Arc<dyn Fn(Followed) + Send + Sync> = Arc::new(deliver);
        let session = crate::store::own_files::real_path(session);
        let (wake_tx, wake_rx) = mpsc::channel::<Wake>();
        let watcher = watch(&session, wake_tx.clone());
        // Where the folder cannot be watched (some network file systems), look
        // every few seconds instead.
        let poll = watcher.is_none().then_some(Duration::from_secs(3));
        let connection = Arc::new(Mutex::new(None));
        {
            let connection = connection.clone();
            thread::spawn(move || {
                keep_up(&session, &deliver, &connection, &wake_tx, &wake_rx, poll);
            });
        }
        Follower {
            connection,
            _watcher: watcher,
        }
    }

    /// Sends a ballot to the facilitator, if connected.
    pub fn cast(&self, round: u64, ballot: Ballot) -> Result<(), String> {
        let guard = self
            .connection
            .lock()
            .map_err(|_| "the room connection is broken".to_string())?;
        match guard.as_ref() {
            Some(connection) => connection
                .cast(round, ballot)
                .map_err(|e| format!("the vote did not reach the facilitator: {e}")),
            None => Err("the facilitator is not connected; the vote was not sent".into()),
        }
    }
}

enum Wake {
    /// Something in the session's folder changed.
    Folder { session_file: bool },
    /// The connection ended.
    Gone(String),
}

/// Watches the session's folder: the room socket appears there (renamed into
/// place) when a facilitator opens the session, and the file is replaced there
/// when it is saved.
fn watch(session: &Path, wake: mpsc::Sender<Wake>) -> Option<notify::RecommendedWatcher> {
    let dir = match session.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let socket_name = socket::socket_path(session)
        .file_name()
        .map(ToOwned::to_owned);
    let session_name = session.file_name().map(ToOwned::to_owned);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let names = |name: &Option<std::ffi::OsString>| {
            event
                .paths
                .iter()
                .any(|p| p.file_name().map(ToOwned::to_owned) == *name)
        };
        if names(&socket_name) {
            let _ = wake.send(Wake::Folder {
                session_file: false,
            });
        } else if names(&session_name) {
            let _ = wake.send(Wake::Folder { session_file: true });
        }
    })
    .ok()?;
    watcher.watch(&dir, RecursiveMode::NonRecursive).ok()?;
    Some(watcher)
}

fn keep_up(
    session: &Path,
    deliver: &Arc<dyn Fn(Followed) + Send + Sync>,
    connection: &Mutex<Option<Connection>>,
    wake_tx: &mpsc::Sender<Wake>,
    wake_rx: &Receiver<Wake>,
    poll: Option<Duration>,
) {
    let mut status: Option<Status> = None;
    let say = |status: &mut Option<Status>, new: Status| {
        if status.as_ref() != Some(&new) {
            *status = Some(new.clone());
            deliver(Followed::Status(new));
        }
    };
    let mut last_facilitator: Option<(String, Timestamp, String)> = None;
    loop {
        let gone = wake_tx.clone();
        let relay = deliver.clone();
        let joined = client::join(session, move |item| match item {
            FromRoom::Gone(why) => {
                let _ = gone.send(Wake::Gone(why));
            }
            other => relay(Followed::Room(other)),
        });
        match joined {
            Ok(conn) => {
                let facilitator = conn.facilitator.clone();
                say(
                    &mut status,
                    Status::Live {
                        facilitator: facilitator.clone(),
                        you: conn.you.clone(),
                    },
                );
                if let Ok(mut slot) = connection.lock() {
                    *slot = Some(conn);
                }
                // Until the connection ends; folder changes meanwhile are noise.
                let why = loop {
                    match wake_rx.recv() {
                        Ok(Wake::Gone(why)) => break why,
                        Ok(Wake::Folder { .. }) => {}
                        Err(_) => return,
                    }
                };
                if let Ok(mut slot) = connection.lock() {
                    slot.take();
                }
                let since = Timestamp::now();
                last_facilitator = Some((facilitator.clone(), since, why.clone()));
                say(
                    &mut status,
                    Status::Gone {
                        facilitator,
                        since,
                        why,
                    },
                );
                // Give a restarting facilitator a moment before knocking again.
                thread::sleep(Duration::from_millis(100));
                continue;
            }
            Err(JoinError::Connect(ConnectError::Nobody)) => match &last_facilitator {
                // Once someone was followed, the title keeps saying they went.
                Some((facilitator, since, why)) => say(
                    &mut status,
                    Status::Gone {
                        facilitator: facilitator.clone(),
                        since: *since,
                        why: why.clone(),
                    },
                ),
                None => say(&mut status, Status::Nobody),
            },
            Err(e) => say(&mut status, Status::Refused(e.to_string())),
        }
        // Wait for the folder to change: a socket appearing, the file saved.
        // A socket left by a killed facilitator is refused until a new one is
        // renamed over it, which the folder reports.
        let woken = match poll {
            Some(every) => wake_rx.recv_timeout(every),
            None => wake_rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match woken {
            Ok(Wake::Folder { session_file }) => {
                if session_file
                    && matches!(status, Some(Status::Nobody) | Some(Status::Gone { .. }))
                {
                    deliver(Followed::FileChanged);
                }
            }
            Ok(Wake::Gone(_)) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // A burst of folder events (a save is several) is one wake-up.
        while wake_rx.try_recv().is_ok() {}
    }
}
