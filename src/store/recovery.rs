//! When the session cannot go to its own file (a crash, a full disk at quit), it
//! goes to a recovery file instead, so that the room's work is never lost.

use std::path::{Path, PathBuf};

use super::{save, to_ron};
use crate::domain::Session;

/// `<stem>.recovered-<time>.ron` in the session's directory, else in the user's
/// data directory, else in the temporary directory: the first that can be written.
pub fn write_recovery(
    session_path: &Path,
    session: &Session,
    data_dir: Option<&Path>,
) -> Result<PathBuf, String> {
    let stem = session_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into());
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
    let name = format!("{stem}.recovered-{stamp}.ron");
    let own_dir = session_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tried = Vec::new();
    let candidates = [
        Some(own_dir.to_path_buf()),
        data_dir.map(Path::to_path_buf),
        Some(std::env::temp_dir()),
    ];
    for dir in candidates.into_iter().flatten() {
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(&name);
        match save(&path, session, false) {
            Ok(()) => return Ok(path),
            Err(e) => tried.push(e.to_string()),
        }
    }
    // Last resort: the text itself on stderr, where a terminal scrollback keeps it.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), to_ron(session).as_bytes());
    Err(format!(
        "no recovery file could be written ({}); the session was printed above",
        tried.join("; ")
    ))
}

/// Recovery files of a session, newest first.
pub fn recovery_files(session_path: &Path) -> Vec<PathBuf> {
    let stem = session_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = session_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = format!("{stem}.recovered-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".ron"))
        })
        .collect();
    found.sort();
    found.reverse();
    found
}
