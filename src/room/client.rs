//! The follower's side of the room: connect, check that the process answering is
//! the one holding the session, then receive the snapshot and the stream of
//! changes on a thread of its own, and send ballots.

use std::fmt;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use super::frame::{self, FrameError, KIND_MESSAGE, KIND_SNAPSHOT, MAX_TO_FOLLOWER};
use super::message::{FromFollower, ToFollower};
use super::peer::{self, Peer};
use super::socket::{self, ConnectError};
use crate::domain::Session;
use crate::domain::vote::Ballot;

/// What the follower's screen learns from the room, in order.
#[derive(Debug)]
pub enum FromRoom {
    /// The whole session, at the start and after a reconnect.
    Snapshot(Box<Session>),
    Message(ToFollower),
    /// The connection ended: the facilitator quit or was killed, or sent
    /// something this follower cannot read.
    Gone(String),
}

#[derive(Debug)]
pub enum JoinError {
    Connect(ConnectError),
    /// The process answering is not the one holding the session's lock.
    Impostor {
        socket: PathBuf,
        answered_by: String,
        pid: i32,
    },
    /// The facilitator refused us, saying why.
    Refused(String),
    Broken(String),
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Connect(e) => write!(f, "{e}"),
            JoinError::Impostor {
                socket,
                answered_by,
                pid,
            } => write!(
                f,
                // The conclusion first: a status line at 80 columns cuts the end.
                "not following: {answered_by} (process {pid}) answers at {} but does not hold the session",
                socket.display()
            ),
            JoinError::Refused(why) => write!(f, "the facilitator refused: {why}"),
            JoinError::Broken(why) => write!(f, "the room connection broke: {why}"),
        }
    }
}

impl std::error::Error for JoinError {}

/// A follower's connection to the facilitator.
#[derive(Debug)]
pub struct Connection {
    stream: UnixStream,
    /// The facilitator's login name.
    pub facilitator: String,
    /// This follower's name as the facilitator records it.
    pub you: String,
}

impl Connection {
    /// Sends a ballot for round `round`.
    pub fn cast(&self, round: u64, ballot: Ballot) -> std::io::Result<()> {
        let json = serde_json::to_vec(&FromFollower::Cast { round, ballot })
            .map_err(std::io::Error::other)?;
        let mut writer = &self.stream;
        frame::write_frame(&mut writer, KIND_MESSAGE, &json)
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// Joins the room of `session`; `deliver` receives everything the room sends,
/// from a thread of the connection's own, until [`FromRoom::Gone`].
pub fn join(
    session: &Path,
    deliver: impl Fn(FromRoom) + Send + 'static,
) -> Result<Connection, JoinError> {
    let stream = socket::connect(session).map_err(JoinError::Connect)?;
    let server = peer::peer_of(&stream).map_err(|e| JoinError::Broken(e.to_string()))?;
    // The kernel's table of locks is read in pieces, and locks taken or
    // released by others meanwhile can make a piece skip a line: an impostor
    // is only one that fails three reads, not one.
    let holds = (0..3).any(|attempt| {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
        holds_the_lock(session, server)
    });
    if !holds {
        return Err(JoinError::Impostor {
            socket: socket::socket_path(session),
            answered_by: peer::user_name(server.uid),
            pid: server.pid,
        });
    }
    let hello = serde_json::to_vec(&FromFollower::Hello {
        protocol: super::PROTOCOL,
    })
    .map_err(|e| JoinError::Broken(e.to_string()))?;
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut writer = &stream;
    // A full room says so and closes before it reads the hello, so the hello
    // may meet a closed pipe: the refusal is still there to read.
    let sent = frame::write_frame(&mut writer, KIND_MESSAGE, &hello);
    let mut reader = &stream;
    let answer = read_one(&mut reader);
    if let (Err(e), Err(_)) = (&sent, &answer) {
        return Err(JoinError::Broken(e.to_string()));
    }
    let (facilitator, you) = match answer {
        Ok(FromRoom::Message(ToFollower::Welcome {
            facilitator, you, ..
        })) => (facilitator, you),
        Ok(FromRoom::Message(ToFollower::Bye { reason })) => {
            return Err(JoinError::Refused(reason));
        }
        Ok(_) => return Err(JoinError::Broken("it did not start with a welcome".into())),
        Err(why) => return Err(JoinError::Broken(why)),
    };
    // From here on the facilitator may be quiet for as long as the room talks.
    let _ = stream.set_read_timeout(None);
    let reading = stream
        .try_clone()
        .map_err(|e| JoinError::Broken(e.to_string()))?;
    thread::spawn(move || {
        let mut reader = &reading;
        loop {
            match read_one(&mut reader) {
                Ok(FromRoom::Message(ToFollower::Bye { reason })) => {
                    deliver(FromRoom::Gone(reason));
                    return;
                }
                Ok(item) => deliver(item),
                Err(why) => {
                    deliver(FromRoom::Gone(why));
                    return;
                }
            }
        }
    });
    Ok(Connection {
        stream,
        facilitator,
        you,
    })
}

fn read_one(reader: &mut impl Read) -> Result<FromRoom, String> {
    match frame::read_frame(reader, MAX_TO_FOLLOWER) {
        Ok((KIND_MESSAGE, payload)) => serde_json::from_slice(&payload)
            .map(FromRoom::Message)
            .map_err(|_| "a message this riskroom does not understand".into()),
        Ok((KIND_SNAPSHOT, payload)) => {
            let text = String::from_utf8(payload)
                .map_err(|_| "a session that is not UTF-8 text".to_string())?;
            crate::store::parse(&text, Path::new("(the facilitator's session)"))
                .map(|s| FromRoom::Snapshot(Box::new(s)))
                .map_err(|e| format!("a session that does not load: {e}"))
        }
        Ok((kind, _)) => Err(format!("a message of unknown kind {kind}")),
        Err(FrameError::Closed) => Err("the facilitator's riskroom closed the connection".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether `server` holds the session's lock: the lock file is that user's own
/// regular file (not a link, not planted by someone else), and the kernel's
/// table of locks (`/proc/locks`) has that process holding it. Where the table
/// cannot be read, the holder line the lock file carries must name the process.
fn holds_the_lock(session: &Path, server: Peer) -> bool {
    let path = crate::store::lock::lock_path(session);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return false;
    };
    if !meta.is_file() || meta.uid() != server.uid {
        return false;
    }
    match crate::store::own_files::read_bounded(Path::new("/proc/locks"), 16 << 20) {
        Ok(table) => flock_held_by(&String::from_utf8_lossy(&table), &meta, server.pid),
        Err(_) => crate::store::own_files::read_bounded(&path, 4096)
            .is_ok_and(|line| holder_pid(&String::from_utf8_lossy(&line)) == Some(server.pid)),
    }
}

/// Whether `/proc/locks` (its text) has a `flock` by `pid` on the file of `meta`.
/// A line reads `1: FLOCK  ADVISORY  WRITE 4242 08:02:1234567 0 EOF`, the file
/// as major:minor (hexadecimal) and inode.
fn flock_held_by(table: &str, meta: &std::fs::Metadata, pid: i32) -> bool {
    let file = format!(
        "{:02x}:{:02x}:{}",
        rustix::fs::major(meta.dev()),
        rustix::fs::minor(meta.dev()),
        meta.ino()
    );
    let pid = pid.to_string();
    table.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // Blocked waiters are listed with "->" and do not hold it.
        fields.get(1) == Some(&"FLOCK")
            && fields.get(4) == Some(&pid.as_str())
            && fields.get(5) == Some(&file.as_str())
    })
}

/// "ana@jump1, process 4242, since …" → 4242.
fn holder_pid(text: &str) -> Option<i32> {
    let rest = &text[text.find("process ")? + "process ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flock_is_found_in_the_kernels_table_by_process_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let file = std::fs::File::create(&path).unwrap();
        let meta = file.metadata().unwrap();
        let me = i32::try_from(std::process::id()).unwrap();
        let table = || String::from_utf8(std::fs::read("/proc/locks").unwrap()).unwrap();
        assert!(!flock_held_by(&table(), &meta, me));
        file.try_lock().unwrap();
        assert!(flock_held_by(&table(), &meta, me));
        assert!(!flock_held_by(&table(), &meta, me + 1));
        file.unlock().unwrap();
        assert!(!flock_held_by(&table(), &meta, me));
    }

    #[test]
    fn the_holder_pid_is_read_from_the_lock_line() {
        assert_eq!(
            holder_pid("ana@jump1, process 4242, since 2026-11-27 10:00 UTC\n"),
            Some(4242)
        );
        assert_eq!(holder_pid("ana@jump1"), None);
        assert_eq!(holder_pid("process x"), None);
    }
}
