//! One riskroom at a time per session file. The lock is an advisory lock
//! (`flock`) on a hidden file beside the session, `.<name>.lock`, which also says
//! who holds it. The kernel drops the lock when its process dies, so a lock left
//! by a killed riskroom never blocks anyone.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Holding the lock of a session file; dropping it lets go.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

#[derive(Debug)]
pub enum Locking {
    Acquired(Lock),
    /// Another process holds it; the text says who ("ana@jump1, process 4242, since …").
    HeldBy(String),
}

/// `.<name>.lock` beside the session file.
pub fn lock_path(session: &Path) -> PathBuf {
    let name = session
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    session.with_file_name(format!(".{name}.lock"))
}

/// Who we are, as written into the lock file.
pub fn holder_description() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(uid)
        .unwrap_or_else(|| "someone".into());
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let since = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
    format!(
        "{user}@{host}, process {}, since {since}",
        std::process::id()
    )
}

/// "uid 1000" from /proc (Linux) when the environment names no user.
fn uid() -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(1).map(|n| format!("uid {n}"))
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

impl Lock {
    /// Tries to take the lock of `session` without waiting.
    pub fn acquire(session: &Path) -> io::Result<Locking> {
        let path = lock_path(session);
        // A holder that exits removes the lock file while it still holds the
        // lock; if we locked a file that was removed meanwhile, try again.
        for _ in 0..5 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Ok(Locking::HeldBy(if holder.is_empty() {
                        "another riskroom".into()
                    } else {
                        holder.to_string()
                    }));
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            let still_there =
                fs::metadata(&path).is_ok_and(|m| file.metadata().is_ok_and(|f| same_file(&m, &f)));
            if !still_there {
                continue;
            }
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", holder_description())?;
            file.sync_all()?;
            return Ok(Locking::Acquired(Lock { file, path }));
        }
        Err(io::Error::other(format!(
            "could not take the lock {}",
            path.display()
        )))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove while still holding it, so nobody locks a file about to vanish.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_says_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("w.ron");
        let Locking::Acquired(first) = Lock::acquire(&session).unwrap() else {
            panic!("first lock")
        };
        assert!(first.path().ends_with(".w.ron.lock"));
        match Lock::acquire(&session).unwrap() {
            Locking::HeldBy(who) => assert!(
                who.contains(&format!("process {}", std::process::id())),
                "{who}"
            ),
            Locking::Acquired(_) => panic!("locked twice"),
        }
        drop(first);
        assert!(!lock_path(&session).exists(), "removed on release");
        assert!(matches!(
            Lock::acquire(&session).unwrap(),
            Locking::Acquired(_)
        ));
    }

    #[test]
    fn a_stale_lock_file_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("w.ron");
        fs::write(
            lock_path(&session),
            "ghost@nowhere, process 1, since long ago\n",
        )
        .unwrap();
        assert!(matches!(
            Lock::acquire(&session).unwrap(),
            Locking::Acquired(_)
        ));
    }
}
