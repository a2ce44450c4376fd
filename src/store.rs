//! Session files: RON in, RON out, written so that people can keep them in git
//! (deterministic, records in ID order, one field per line) and so that a crash
//! never leaves a half-written file (atomic replace, previous version kept as
//! `<file>.bak`).

mod atomic;
mod canonical;
mod fast_parse;
mod load;
pub mod lock;
mod recovery;
mod ron_text;

pub use atomic::{AtomicWriteError, backup_path, remove_stale_temp_files, write_atomically};
pub use load::{LoadError, MAX_FILE_BYTES, load, parse};
pub use recovery::{recovery_files, write_recovery};
pub use ron_text::{ron_reference, to_ron};

/// The fast reader alone: the session if `text` is exactly canonical, else `None`
/// (where [`parse`] goes on with the `ron` parser). For tests and benchmarks.
#[doc(hidden)]
pub fn parse_canonical(text: &str) -> Option<Session> {
    fast_parse::parse(text)
}

/// [`parse_canonical`] reading the failure modes in two halves on two threads
/// whatever the file's size (large files do so by themselves). For tests.
#[doc(hidden)]
pub fn parse_canonical_in_halves(text: &str) -> Option<Session> {
    fast_parse::parse_split(text, 1)
}

use std::fmt;
use std::path::Path;
use std::time::SystemTime;

use crate::domain::Session;

/// Writes the session to `path` atomically. With `keep_backup`, the file that was
/// there before is kept as `<file>.bak` first.
pub fn save(path: &Path, session: &Session, keep_backup: bool) -> Result<(), AtomicWriteError> {
    let session = ron_text::in_id_order(session);
    atomic::write_atomically_with(path, keep_backup, |file| {
        // Written as it is produced: no second copy of a large session's text.
        let mut sink = canonical::IoSink {
            writer: file,
            error: None,
        };
        canonical::write(&session, &mut sink);
        sink.error.map_or(Ok(()), Err)
    })
}

/// What a file on disk looks like from outside: enough to notice that someone
/// else (an editor, a `git pull`) changed it since we last read or wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskState {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

/// The state of the file at `path`, or `None` when there is no file.
pub fn disk_state(path: &Path) -> Option<DiskState> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(DiskState {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
    })
}

#[derive(Debug)]
pub enum SaveError {
    Write(AtomicWriteError),
    /// The file is not what we last read or wrote: someone else changed it.
    ChangedOnDisk,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::Write(e) => e.fmt(f),
            SaveError::ChangedOnDisk => {
                f.write_str("the file was changed on disk by someone else since riskroom read it")
            }
        }
    }
}

impl std::error::Error for SaveError {}

/// Saves like [`save`], but only if the file on disk is still `expected` (what
/// we last read or wrote); `None` means "whatever is there" (a new file, or the
/// user chose to overwrite). Returns the state of the file just written.
pub fn save_checked(
    path: &Path,
    session: &Session,
    keep_backup: bool,
    expected: Option<DiskState>,
) -> Result<DiskState, SaveError> {
    if let Some(expected) = expected
        && disk_state(path) != Some(expected)
    {
        return Err(SaveError::ChangedOnDisk);
    }
    save(path, session, keep_backup).map_err(SaveError::Write)?;
    disk_state(path).ok_or_else(|| {
        SaveError::Write(AtomicWriteError {
            path: path.to_path_buf(),
            step: "find the file just written".into(),
            source: std::io::Error::other("it is gone"),
        })
    })
}
