//! The facilitator's side of the room: accepts followers, sends each a snapshot
//! and then every change, the selection and the vote round; takes their ballots.
//!
//! The screen's thread only ever hands messages to the hub's channel (never
//! waits): one hub thread encodes each message once and puts it in every
//! follower's bounded queue; one writer thread per follower empties its queue
//! into its socket. A follower that hangs, is suspended or reads too slowly fills
//! its queue and is dropped (it reconnects and starts again from a snapshot);
//! nobody else waits for it. A reader thread per follower takes its few small
//! frames, checks them and reports ballots to the screen.

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::frame::{self, FrameError, KIND_MESSAGE, KIND_SNAPSHOT, MAX_FROM_FOLLOWER};
use super::message::{FromFollower, RoundView, ToFollower, ViewState};
use super::peer::{self, Peer};
use super::socket::{self, ListenError, Listening};
use crate::domain::vote::Ballot;
use crate::domain::{Change, Session};

/// More followers than this are refused: a room, not a crowd, and a bound on
/// what connections can cost the facilitator.
pub const MAX_FOLLOWERS: usize = 64;

/// Frames a follower may be behind before it is dropped. A snapshot is one frame.
const QUEUE: usize = 1024;

/// A follower must say hello this soon after connecting.
const HELLO_WITHIN: Duration = Duration::from_secs(5);

/// A write to a follower that takes longer than this means it stopped reading.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// More messages than this per second from one follower is a flood.
const MAX_MESSAGES_PER_SECOND: u32 = 50;

/// A connection, numbered in the order they came.
pub type FollowerId = u64;

/// What the room tells the facilitator's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomEvent {
    Joined {
        follower: FollowerId,
        name: String,
    },
    Left {
        follower: FollowerId,
        name: String,
        /// Why, when it was not simply the follower quitting.
        why: Option<String>,
    },
    Cast {
        follower: FollowerId,
        name: String,
        round: u64,
        ballot: Ballot,
    },
    /// A connection was refused or a follower sent something unacceptable.
    Refused(String),
    /// A follower is waiting and the room has no copy of the session yet: send
    /// one with [`Server::mirror`].
    NeedSnapshot,
}

type Notify = Arc<dyn Fn(RoomEvent) + Send + Sync>;

enum ToHub {
    Changes(Vec<Change>),
    /// A copy of the session is on its way (from the saver's thread): changes
    /// from here on are not in it and wait for it.
    MirrorComing,
    Mirror(Box<Session>),
    View(ViewState),
    Vote(Option<RoundView>),
    Answer {
        follower: FollowerId,
        accepted: bool,
        text: String,
    },
    Join(Follower),
    Leave(FollowerId),
    Stop(String),
}

struct Follower {
    id: FollowerId,
    name: String,
    queue: SyncSender<Arc<Vec<u8>>>,
    stream: UnixStream,
}

/// Where another thread sends the room its copy of the session.
pub struct MirrorSink(Sender<ToHub>);

impl MirrorSink {
    pub fn send(self, session: Box<Session>) {
        let _ = self.0.send(ToHub::Mirror(session));
    }
}

/// The facilitator's room. Dropping it says goodbye to every follower and removes
/// the socket.
pub struct Server {
    hub: Sender<ToHub>,
    stop: Arc<AtomicBool>,
    listening: Arc<Mutex<Option<Listening>>>,
    wake: std::path::PathBuf,
}

impl Server {
    /// Opens the room of `session` (whose lock we hold) and starts serving it.
    pub fn start(
        session: &Path,
        notify: impl Fn(RoomEvent) + Send + Sync + 'static,
    ) -> Result<Server, ListenError> {
        let listening = socket::listen(session)?;
        let notify: Notify = Arc::new(notify);
        let facilitator = peer::user_name(peer::my_uid());
        let (hub_tx, hub_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let listener = listening
            .listener
            .try_clone()
            .map_err(|error| ListenError::Io {
                path: listening.path().to_path_buf(),
                what: "use",
                error,
            })?;
        let wake = listening.path().to_path_buf();
        {
            let notify = notify.clone();
            let facilitator = facilitator.clone();
            thread::spawn(move || hub(hub_rx, notify, facilitator));
        }
        {
            let hub = hub_tx.clone();
            let stop = stop.clone();
            let notify = notify.clone();
            thread::spawn(move || accept(listener, hub, stop, notify));
        }
        Ok(Server {
            hub: hub_tx,
            stop,
            listening: Arc::new(Mutex::new(Some(listening))),
            wake,
        })
    }

    /// Changes applied to the session, in the order applied.
    pub fn changes(&self, changes: Vec<Change>) {
        if !changes.is_empty() {
            let _ = self.hub.send(ToHub::Changes(changes));
        }
    }

    /// The session as it is now (asked for by [`RoomEvent::NeedSnapshot`]); the
    /// room keeps this copy up to date with [`Server::changes`] from here on.
    pub fn mirror(&self, session: Box<Session>) {
        let _ = self.hub.send(ToHub::Mirror(session));
    }

    /// For a copy made on another thread: says the copy is coming (changes sent
    /// after this wait for it) and returns where to send it. The copy must hold
    /// every change sent before this call and none after.
    pub fn mirror_coming(&self) -> MirrorSink {
        let _ = self.hub.send(ToHub::MirrorComing);
        MirrorSink(self.hub.clone())
    }

    pub fn view(&self, view: ViewState) {
        let _ = self.hub.send(ToHub::View(view));
    }

    pub fn vote(&self, round: Option<RoundView>) {
        let _ = self.hub.send(ToHub::Vote(round));
    }

    /// Tells one follower what became of its ballot.
    pub fn answer(&self, follower: FollowerId, accepted: bool, text: String) {
        let _ = self.hub.send(ToHub::Answer {
            follower,
            accepted,
            text,
        });
    }

    pub fn path(&self) -> &Path {
        &self.wake
    }

    /// Says goodbye with `reason` and removes the socket.
    pub fn stop(&self, reason: &str) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        let _ = self.hub.send(ToHub::Stop(reason.to_string()));
        // Wake the accepting thread so it sees the stop, then remove the socket.
        let _ = UnixStream::connect(&self.wake);
        if let Ok(mut listening) = self.listening.lock() {
            listening.take();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop("the facilitator closed the session");
    }
}

fn accept(
    listener: std::os::unix::net::UnixListener,
    hub: Sender<ToHub>,
    stop: Arc<AtomicBool>,
    notify: Notify,
) {
    let next_id = AtomicU64::new(1);
    let connected = Arc::new(AtomicUsize::new(0));
    let mut last_refusal_note: Option<Instant> = None;
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        if connected.load(Ordering::SeqCst) >= MAX_FOLLOWERS {
            refuse(&stream, "the room is full");
            // One note every few seconds, not one per connection of a flood.
            if last_refusal_note.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
                last_refusal_note = Some(Instant::now());
                notify(RoomEvent::Refused(format!(
                    "refused a follower: {MAX_FOLLOWERS} are connected already"
                )));
            }
            continue;
        }
        let Ok(Peer { uid, .. }) = peer::peer_of(&stream) else {
            continue;
        };
        let id = next_id.fetch_add(1, Ordering::SeqCst);
        let name = peer::user_name(uid);
        connected.fetch_add(1, Ordering::SeqCst);
        let hub = hub.clone();
        let notify = notify.clone();
        let connected = connected.clone();
        thread::spawn(move || {
            serve(id, name, stream, &hub, &notify);
            connected.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn refuse(stream: &UnixStream, reason: &str) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let bye = ToFollower::Bye {
        reason: reason.to_string(),
    };
    if let Ok(json) = serde_json::to_vec(&bye) {
        let mut s = stream;
        let _ = frame::write_frame(&mut s, KIND_MESSAGE, &json);
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// One follower's connection: the hello, then its writer thread, then reading
/// its ballots until it goes.
fn serve(id: FollowerId, name: String, stream: UnixStream, hub: &Sender<ToHub>, notify: &Notify) {
    let mut reader = &stream;
    let _ = stream.set_read_timeout(Some(HELLO_WITHIN));
    match read_message(&mut reader) {
        Ok(FromFollower::Hello { protocol }) if protocol == super::PROTOCOL => {}
        Ok(FromFollower::Hello { protocol }) => {
            refuse(
                &stream,
                &format!(
                    "this riskroom speaks room protocol {}, the follower {protocol}: use the same riskroom version",
                    super::PROTOCOL
                ),
            );
            notify(RoomEvent::Refused(format!(
                "refused {name}: a riskroom of another version"
            )));
            return;
        }
        Ok(_) | Err(_) => {
            refuse(&stream, "a follower starts with hello");
            notify(RoomEvent::Refused(format!(
                "refused a connection from {name}: it did not speak as a riskroom follower"
            )));
            return;
        }
    }
    let _ = stream.set_read_timeout(None);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let (queue, frames) = mpsc::sync_channel::<Arc<Vec<u8>>>(QUEUE);
    let (Ok(writer_stream), Ok(handle_stream)) = (stream.try_clone(), stream.try_clone()) else {
        return;
    };
    if hub
        .send(ToHub::Join(Follower {
            id,
            name: name.clone(),
            queue,
            stream: handle_stream,
        }))
        .is_err()
    {
        return;
    }
    {
        let hub = hub.clone();
        thread::spawn(move || write_frames(id, writer_stream, frames, hub));
    }
    let mut window = Instant::now();
    let mut in_window = 0u32;
    loop {
        match read_message(&mut reader) {
            Ok(message) => {
                if window.elapsed() >= Duration::from_secs(1) {
                    window = Instant::now();
                    in_window = 0;
                }
                in_window += 1;
                if in_window > MAX_MESSAGES_PER_SECOND {
                    notify(RoomEvent::Refused(format!(
                        "dropped {name}: more than {MAX_MESSAGES_PER_SECOND} messages a second"
                    )));
                    break;
                }
                match message {
                    FromFollower::Hello { .. } => {}
                    FromFollower::Cast { round, ballot } => notify(RoomEvent::Cast {
                        follower: id,
                        name: name.clone(),
                        round,
                        ballot,
                    }),
                }
            }
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(why)) => {
                notify(RoomEvent::Refused(format!("dropped {name}: it sent {why}")));
                break;
            }
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = hub.send(ToHub::Leave(id));
}

enum ReadError {
    Closed,
    /// Garbage: what it was, in words (never the bytes themselves).
    Bad(String),
}

fn read_message(reader: &mut impl std::io::Read) -> Result<FromFollower, ReadError> {
    match frame::read_frame(reader, MAX_FROM_FOLLOWER) {
        Ok((KIND_MESSAGE, payload)) => serde_json::from_slice(&payload)
            .map_err(|_| ReadError::Bad("a message riskroom does not understand".into())),
        Ok((_, _)) => Err(ReadError::Bad(
            "a kind of message only a facilitator sends".into(),
        )),
        Err(FrameError::Closed) => Err(ReadError::Closed),
        Err(FrameError::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
            ) =>
        {
            Err(ReadError::Closed)
        }
        Err(e) => Err(ReadError::Bad(e.to_string())),
    }
}

fn write_frames(
    id: FollowerId,
    stream: UnixStream,
    frames: Receiver<Arc<Vec<u8>>>,
    hub: Sender<ToHub>,
) {
    let mut writer = &stream;
    for bytes in frames {
        if std::io::Write::write_all(&mut writer, &bytes).is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = hub.send(ToHub::Leave(id));
}

fn message_frame(message: &ToFollower) -> Option<Arc<Vec<u8>>> {
    serde_json::to_vec(message)
        .ok()
        .map(|json| Arc::new(frame::encode(KIND_MESSAGE, &json)))
}

/// The room's state on the hub thread.
struct Hub {
    notify: Notify,
    facilitator: String,
    /// Followers that have the snapshot and get every change.
    live: Vec<Follower>,
    /// Followers waiting for the room's first copy of the session.
    waiting: Vec<Follower>,
    mirror: Option<Session>,
    /// Changes made after a copy was asked for, waiting for it.
    coming: Option<Vec<Change>>,
    snapshot: Option<Arc<Vec<u8>>>,
    asked_for_snapshot: bool,
    view: Option<Arc<Vec<u8>>>,
    vote: Option<Arc<Vec<u8>>>,
}

fn hub(inbox: Receiver<ToHub>, notify: Notify, facilitator: String) {
    let mut hub = Hub {
        notify,
        facilitator,
        live: Vec::new(),
        waiting: Vec::new(),
        mirror: None,
        coming: None,
        snapshot: None,
        asked_for_snapshot: false,
        view: None,
        vote: None,
    };
    for message in inbox {
        match message {
            ToHub::Changes(changes) => {
                let Some(mirror) = &mut hub.mirror else {
                    // No copy yet. Changes after it was asked for wait for it;
                    // earlier ones are in it.
                    if let Some(coming) = &mut hub.coming {
                        coming.extend(changes);
                    }
                    continue;
                };
                for change in &changes {
                    mirror.apply(change.clone());
                }
                hub.snapshot = None;
                if let Some(frame) = message_frame(&ToFollower::Changes { changes }) {
                    hub.broadcast(&frame);
                }
            }
            ToHub::MirrorComing => {
                if hub.mirror.is_none() {
                    hub.coming = Some(Vec::new());
                }
            }
            ToHub::Mirror(session) => {
                let mut session = *session;
                for change in hub.coming.take().unwrap_or_default() {
                    session.apply(change);
                }
                hub.mirror = Some(session);
                hub.snapshot = None;
                hub.asked_for_snapshot = false;
                for follower in std::mem::take(&mut hub.waiting) {
                    hub.welcome(follower);
                }
            }
            ToHub::View(view) => {
                hub.view = message_frame(&ToFollower::View(view));
                if let Some(frame) = hub.view.clone() {
                    hub.broadcast(&frame);
                }
            }
            ToHub::Vote(round) => {
                hub.vote = message_frame(&ToFollower::Vote { round });
                if let Some(frame) = hub.vote.clone() {
                    hub.broadcast(&frame);
                }
            }
            ToHub::Answer {
                follower,
                accepted,
                text,
            } => {
                if let Some(frame) = message_frame(&ToFollower::Ballot { accepted, text })
                    && let Some(i) = hub.live.iter().position(|f| f.id == follower)
                {
                    hub.send_or_drop(i, &frame);
                }
            }
            ToHub::Join(follower) => {
                // The welcome goes at once; the snapshot as soon as there is one.
                let welcome = message_frame(&ToFollower::Welcome {
                    protocol: super::PROTOCOL,
                    facilitator: hub.facilitator.clone(),
                    you: follower.name.clone(),
                });
                if let Some(frame) = welcome
                    && follower.queue.try_send(frame).is_err()
                {
                    continue;
                }
                if hub.mirror.is_some() {
                    hub.welcome(follower);
                } else {
                    hub.waiting.push(follower);
                    if !hub.asked_for_snapshot {
                        hub.asked_for_snapshot = true;
                        (hub.notify)(RoomEvent::NeedSnapshot);
                    }
                }
            }
            ToHub::Leave(id) => {
                let gone = hub
                    .live
                    .iter()
                    .position(|f| f.id == id)
                    .map(|i| hub.live.remove(i))
                    .or_else(|| {
                        hub.waiting
                            .iter()
                            .position(|f| f.id == id)
                            .map(|i| hub.waiting.remove(i))
                    });
                if let Some(follower) = gone {
                    (hub.notify)(RoomEvent::Left {
                        follower: id,
                        name: follower.name,
                        why: None,
                    });
                }
            }
            ToHub::Stop(reason) => {
                let bye = message_frame(&ToFollower::Bye { reason });
                for follower in hub.live.drain(..).chain(hub.waiting.drain(..)) {
                    if let Some(frame) = &bye {
                        let _ = follower.queue.try_send(frame.clone());
                    }
                    // The writer sends what is queued, then the socket closes.
                    drop(follower.queue);
                }
                return;
            }
        }
    }
}

impl Hub {
    /// Sends the snapshot and what is on screen, and makes `follower` live.
    fn welcome(&mut self, follower: Follower) {
        let Some(mirror) = &self.mirror else {
            self.waiting.push(follower);
            return;
        };
        let snapshot = self
            .snapshot
            .get_or_insert_with(|| {
                Arc::new(frame::encode(
                    KIND_SNAPSHOT,
                    crate::store::to_ron(mirror).as_bytes(),
                ))
            })
            .clone();
        let name = follower.name.clone();
        let id = follower.id;
        self.live.push(follower);
        let i = self.live.len() - 1;
        let frames: Vec<Arc<Vec<u8>>> = [Some(snapshot), self.view.clone(), self.vote.clone()]
            .into_iter()
            .flatten()
            .collect();
        for frame in frames {
            if !self.send_or_drop(i, &frame) {
                return;
            }
        }
        (self.notify)(RoomEvent::Joined { follower: id, name });
    }

    fn broadcast(&mut self, frame: &Arc<Vec<u8>>) {
        let mut i = 0;
        while i < self.live.len() {
            if self.send_or_drop(i, frame) {
                i += 1;
            }
        }
    }

    /// Queues `frame` for follower `i`; drops the follower when its queue is full
    /// (it stopped reading). Returns whether it is still there.
    fn send_or_drop(&mut self, i: usize, frame: &Arc<Vec<u8>>) -> bool {
        match self.live[i].queue.try_send(frame.clone()) {
            Ok(()) => true,
            Err(error) => {
                let follower = self.live.remove(i);
                let _ = follower.stream.shutdown(std::net::Shutdown::Both);
                let why = matches!(error, TrySendError::Full(_))
                    .then(|| "it fell behind; it starts again when it reconnects".to_string());
                (self.notify)(RoomEvent::Left {
                    follower: follower.id,
                    name: follower.name,
                    why,
                });
                false
            }
        }
    }
}
