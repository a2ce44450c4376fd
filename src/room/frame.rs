//! Frames on the room socket: a 4-byte big-endian length, a kind byte, the
//! payload. The reader is told the largest frame it accepts, so a peer can never
//! make it allocate more than that (a garbage length is an error, not a 4 GB
//! buffer).

use std::fmt;
use std::io::{self, Read, Write};

/// A JSON message ([`super::ToFollower`] or [`super::FromFollower`]).
pub const KIND_MESSAGE: u8 = 1;
/// A whole session as canonical RON text (facilitator to follower only).
pub const KIND_SNAPSHOT: u8 = 2;

/// The largest frame a facilitator takes from a follower: a hello or a ballot is
/// a few dozen bytes.
pub const MAX_FROM_FOLLOWER: u32 = 4 * 1024;

/// The largest frame a follower takes: a snapshot is at most a session file.
pub const MAX_TO_FOLLOWER: u32 = {
    let max = crate::store::MAX_FILE_BYTES + 1024;
    if max > u32::MAX as u64 {
        u32::MAX
    } else {
        max as u32
    }
};

#[derive(Debug)]
pub enum FrameError {
    Io(io::Error),
    /// The peer closed the connection between frames.
    Closed,
    /// A length over the limit: a broken or hostile peer.
    TooLarge {
        length: u32,
        limit: u32,
    },
    /// A frame of a kind this side does not know.
    UnknownKind(u8),
    /// A length of zero: not even a kind byte.
    Empty,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Io(e) => write!(f, "{e}"),
            FrameError::Closed => write!(f, "the connection was closed"),
            FrameError::TooLarge { length, limit } => {
                write!(f, "a message of {length} bytes (at most {limit} are taken)")
            }
            FrameError::UnknownKind(kind) => write!(f, "a message of unknown kind {kind}"),
            FrameError::Empty => write!(f, "an empty message"),
        }
    }
}

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            FrameError::Closed
        } else {
            FrameError::Io(e)
        }
    }
}

/// A frame as bytes on the wire, built once and written to every follower.
pub fn encode(kind: u8, payload: &[u8]) -> Vec<u8> {
    let length = u32::try_from(payload.len() + 1).unwrap_or(u32::MAX);
    let mut bytes = Vec::with_capacity(payload.len() + 5);
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.push(kind);
    bytes.extend_from_slice(payload);
    bytes
}

pub fn write_frame(writer: &mut impl Write, kind: u8, payload: &[u8]) -> io::Result<()> {
    writer.write_all(&encode(kind, payload))?;
    writer.flush()
}

/// Reads one frame of at most `limit` bytes: its kind and payload.
pub fn read_frame(reader: &mut impl Read, limit: u32) -> Result<(u8, Vec<u8>), FrameError> {
    let mut header = [0u8; 4];
    // A clean close between frames is `Closed`; within a frame it is an error too.
    reader.read_exact(&mut header)?;
    let length = u32::from_be_bytes(header);
    if length == 0 {
        return Err(FrameError::Empty);
    }
    if length > limit {
        return Err(FrameError::TooLarge { length, limit });
    }
    let mut kind = [0u8; 1];
    reader.read_exact(&mut kind)?;
    if kind[0] != KIND_MESSAGE && kind[0] != KIND_SNAPSHOT {
        return Err(FrameError::UnknownKind(kind[0]));
    }
    let mut payload = Vec::new();
    // `take` reads at most what the header promised, growing the buffer as bytes
    // arrive rather than trusting the length with one allocation.
    let want = u64::from(length - 1);
    reader.take(want).read_to_end(&mut payload)?;
    if payload.len() as u64 != want {
        return Err(FrameError::Closed);
    }
    Ok((kind[0], payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_as_written() {
        let bytes = encode(KIND_MESSAGE, b"{\"t\":\"hello\"}");
        let (kind, payload) = read_frame(&mut &bytes[..], 100).unwrap();
        assert_eq!(kind, KIND_MESSAGE);
        assert_eq!(payload, b"{\"t\":\"hello\"}");
    }

    #[test]
    fn a_length_over_the_limit_is_refused_before_reading_it() {
        let mut bytes = (u32::MAX).to_be_bytes().to_vec();
        bytes.push(KIND_MESSAGE);
        match read_frame(&mut &bytes[..], MAX_FROM_FOLLOWER) {
            Err(FrameError::TooLarge { length, limit }) => {
                assert_eq!((length, limit), (u32::MAX, MAX_FROM_FOLLOWER));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_kinds_empty_frames_and_short_reads_are_errors() {
        let bytes = encode(9, b"x");
        assert!(matches!(
            read_frame(&mut &bytes[..], 100),
            Err(FrameError::UnknownKind(9))
        ));
        let zero = 0u32.to_be_bytes();
        assert!(matches!(
            read_frame(&mut &zero[..], 100),
            Err(FrameError::Empty)
        ));
        let mut short = encode(KIND_MESSAGE, b"hello");
        short.truncate(7);
        assert!(matches!(
            read_frame(&mut &short[..], 100),
            Err(FrameError::Closed)
        ));
        assert!(matches!(
            read_frame(&mut &[][..], 100),
            Err(FrameError::Closed)
        ));
    }

    #[test]
    fn frames_follow_each_other_on_one_stream() {
        let mut bytes = encode(KIND_MESSAGE, b"one");
        bytes.extend(encode(KIND_SNAPSHOT, b"two"));
        let mut reader = &bytes[..];
        assert_eq!(read_frame(&mut reader, 100).unwrap().1, b"one");
        assert_eq!(
            read_frame(&mut reader, 100).unwrap(),
            (KIND_SNAPSHOT, b"two".to_vec())
        );
        assert!(matches!(
            read_frame(&mut reader, 100),
            Err(FrameError::Closed)
        ));
    }
}
