//! Session files: RON in, RON out, written so that people can keep them in git
//! (deterministic, records in ID order, one field per line) and so that a crash
//! never leaves a half-written file (atomic replace, previous version kept as
//! `<file>.bak`).

mod atomic;
mod load;
pub mod lock;
mod recovery;
mod ron_text;

pub use atomic::{AtomicWriteError, TEMP_PREFIX, TEMP_SUFFIX, backup_path, write_atomically};
pub use load::{LoadError, load, parse};
pub use recovery::{recovery_files, write_recovery};
pub use ron_text::to_ron;

use std::path::Path;

use crate::domain::Session;

/// Writes the session to `path` atomically. With `keep_backup`, the file that was
/// there before is kept as `<file>.bak` first.
pub fn save(path: &Path, session: &Session, keep_backup: bool) -> Result<(), AtomicWriteError> {
    write_atomically(path, to_ron(session).as_bytes(), keep_backup)
}
