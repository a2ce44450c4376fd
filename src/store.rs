//! Session files: RON in, RON out, written so that people can keep them in git
//! (deterministic, records in ID order, one field per line) and so that a crash
//! never leaves a half-written file (atomic replace, previous version kept as
//! `<file>.bak`).

mod atomic;
mod canonical;
mod fast_parse;
mod format1;
mod load;
pub mod lock;
pub mod own_files;
mod recovery;
mod ron_text;

pub use atomic::{
    AtomicWriteError, backup_path, remove_stale_temp_files, write_atomically, write_atomically_with,
};
pub use format1::Migration;
pub use load::{LoadError, MAX_FILE_BYTES, load, load_noting, parse, parse_noting};
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
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::time::SystemTime;

use crate::domain::Session;

/// Writes the session to `path` atomically. With `keep_backup`, the file that was
/// there before is kept as `<file>.bak` first.
pub fn save(path: &Path, session: &Session, keep_backup: bool) -> Result<(), AtomicWriteError> {
    save_fingerprinted(path, session, keep_backup).map(|_| ())
}

/// [`save`], returning the fingerprint of the bytes written.
fn save_fingerprinted(
    path: &Path,
    session: &Session,
    keep_backup: bool,
) -> Result<u64, AtomicWriteError> {
    let session = ron_text::in_id_order(session);
    let mut fingerprint = 0;
    atomic::write_atomically_with(path, keep_backup, |file| {
        // Written as it is produced: no second copy of a large session's text.
        let mut sink = canonical::IoSink {
            writer: Fingerprinting::new(file),
            error: None,
        };
        canonical::write(&session, &mut sink);
        fingerprint = sink.writer.finish();
        sink.error.map_or(Ok(()), Err)
    })?;
    Ok(fingerprint)
}

/// A writer that fingerprints what goes through it.
struct Fingerprinting<W> {
    inner: W,
    hasher: std::hash::DefaultHasher,
}

impl<W: std::io::Write> Fingerprinting<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: fingerprint_key().build_hasher(),
        }
    }

    fn finish(&self) -> u64 {
        self.hasher.finish()
    }
}

impl<W: std::io::Write> std::io::Write for Fingerprinting<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.hasher.write(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One random key per process: a fingerprint nobody outside can aim at.
fn fingerprint_key() -> &'static std::hash::RandomState {
    static KEY: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
    KEY.get_or_init(std::hash::RandomState::new)
}

/// A keyed hash of a file's bytes: what was loaded or saved, to compare with
/// what is on disk later.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hasher = fingerprint_key().build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// What a file on disk looks like from outside: enough to notice that someone
/// else (an editor, a `git pull`) changed it since we last read or wrote it.
///
/// Its metadata (size, modification and change times, inode) tells at once
/// whether the file could have changed; the change time (`ctime`) moves with
/// every write, even one that puts the modification time back. When it did
/// move, the content decides: the fingerprint of what we loaded or saved
/// against what is there now, so a `touch` or a `chmod` is no conflict and a
/// same-length rewrite is one.
#[derive(Debug, Clone, Copy)]
pub struct DiskState {
    len: u64,
    modified: Option<SystemTime>,
    changed: (i64, i64),
    inode: u64,
    device: u64,
    /// Fingerprint of the content, where we know it (loaded or saved by us).
    content: Option<u64>,
}

/// Two states are the same when the metadata is: nothing has touched the file.
impl PartialEq for DiskState {
    fn eq(&self, other: &Self) -> bool {
        (
            self.len,
            self.modified,
            self.changed,
            self.inode,
            self.device,
        ) == (
            other.len,
            other.modified,
            other.changed,
            other.inode,
            other.device,
        )
    }
}

impl Eq for DiskState {}

impl DiskState {
    fn of(meta: &std::fs::Metadata) -> DiskState {
        #[cfg(unix)]
        let (changed, inode, device) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.ctime(), meta.ctime_nsec()), meta.ino(), meta.dev())
        };
        #[cfg(not(unix))]
        let (changed, inode, device) = ((0, 0), 0, 0);
        DiskState {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
            inode,
            device,
            content: None,
        }
    }

    /// Whether the file at `path` still holds what this state saw.
    fn still_at(&self, path: &Path) -> bool {
        match disk_state(path) {
            Some(now) if now == *self => true,
            Some(_) => self.content.is_some_and(|expected| {
                own_files::read_bounded(path, load::MAX_FILE_BYTES)
                    .is_ok_and(|bytes| fingerprint(&bytes) == expected)
            }),
            None => false,
        }
    }
}

/// The state of the file at `path`, or `None` when there is no file.
pub fn disk_state(path: &Path) -> Option<DiskState> {
    std::fs::metadata(path).ok().map(|m| DiskState::of(&m))
}

/// Loads like [`load`], and says what the file looked like when it was read
/// (with the fingerprint of its content), for [`save_checked`].
pub fn load_with_state(path: &Path) -> Result<(Session, DiskState), LoadError> {
    load_with_state_noting(path).map(|(session, _, state)| (session, state))
}

/// [`load_with_state`], and what reading a file of an older format changed.
pub fn load_with_state_noting(
    path: &Path,
) -> Result<(Session, Option<Migration>, DiskState), LoadError> {
    load::load_with(path, |meta, bytes| {
        let mut state = DiskState::of(meta);
        state.content = Some(fingerprint(bytes));
        state
    })
    .map(|((session, migration), state)| (session, migration, state))
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
        && !expected.still_at(path)
    {
        return Err(SaveError::ChangedOnDisk);
    }
    let content = save_fingerprinted(path, session, keep_backup).map_err(SaveError::Write)?;
    let state = disk_state(path).map(|state| DiskState {
        content: Some(content),
        ..state
    });
    state.ok_or_else(|| {
        SaveError::Write(AtomicWriteError {
            path: path.to_path_buf(),
            step: "find the file just written".into(),
            source: std::io::Error::other("it is gone"),
        })
    })
}
