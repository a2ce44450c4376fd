//! The room: followers on the same host watch the facilitator's session live and
//! vote ratings blind (SPEC 9.1 `riskroom follow`, 9.2 `v`).
//!
//! No daemon and no network port. The facilitator's riskroom (the lock holder)
//! serves a Unix socket beside the session file, `.<name>.sock`; who may connect
//! is decided by the file system: the socket's mode follows the session file's read
//! permissions (a user who cannot read the session cannot connect). Identity comes
//! from the kernel (`SO_PEERCRED`), never from what a peer says: the facilitator
//! learns each follower's Unix user, and a follower checks that the process
//! answering is the one that holds the session's lock.
//!
//! What travels is what the saver already consumes: a snapshot of the session
//! (canonical RON), then the stream of applied [`crate::domain::Change`]s, plus the
//! facilitator's selection and the state of a vote round. Followers send only their
//! hello and their ballots, in small bounded frames.
//!
//! Nothing in here knows the screen; `crate::tui` runs a [`server::Server`] in the
//! facilitator's runtime and a [`client::Connection`] in the follower's.

pub mod client;
pub mod follow;
pub mod frame;
pub mod message;
pub mod peer;
pub mod server;
pub mod socket;

pub use message::{FromFollower, RoundView, ToFollower, ViewState};
pub use socket::socket_path;

/// Bumped when a message changes meaning; a follower and a facilitator of
/// different protocol versions say so instead of misreading each other.
pub const PROTOCOL: u32 = 1;
