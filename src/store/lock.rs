//! One riskroom at a time per session file. The lock is an advisory lock
//! (`flock`) on a hidden file beside the session, `.<name>.lock`, which also says
//! who holds it. The kernel drops the lock when its process dies, so a lock left
//! by a killed riskroom never blocks anyone.

use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::own_files::{self, create_own, is_at, is_own, open_existing};

/// Holding the lock of a session file; dropping it lets go.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

#[derive(Debug)]
pub enum Locking {
    Acquired(Lock),
    /// Another process holds it; the text says who ("ana@jump1, process 4242,
    /// since …"), as that process wrote it, made safe for a terminal and short.
    HeldBy(String),
}

/// `.<name>.lock` beside the session file, of the file itself: a symbolic link
/// to a session has the lock of the file it names, so that one file opened
/// under two names still has one lock.
pub fn lock_path(session: &Path) -> PathBuf {
    let session = own_files::real_path(session);
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
        .unwrap_or_else(|| own_files::user_name(own_files::me().uid));
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let since = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
    format!(
        "{user}@{host}, process {}, since {since}",
        std::process::id()
    )
}

/// The most of a holder line we read and show.
const HOLDER_BYTES: u64 = 4096;
const HOLDER_CHARS: usize = 160;

/// What another riskroom wrote into its lock file, safe to show.
fn holder_line(file: &File) -> String {
    let mut bytes = Vec::new();
    let _ = file.take(HOLDER_BYTES).read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let line = text.trim();
    if line.is_empty() {
        "another riskroom".into()
    } else {
        crate::terminal_text::excerpt(line, HOLDER_CHARS)
    }
}

impl Lock {
    /// Tries to take the lock of `session` without waiting.
    ///
    /// The lock file is always one we create ourselves (never through a link,
    /// never an existing file: on a shared host someone may have planted a link
    /// to a private file of ours under its name). A lock file that exists is
    /// only read, and only if it is a regular file: held, it says who holds it;
    /// left behind by a riskroom that died, it is removed and made anew, and if
    /// it is someone else's that we may not remove, riskroom says so rather
    /// than write into it.
    pub fn acquire(session: &Path) -> io::Result<Locking> {
        let path = lock_path(session);
        // A holder that exits removes the lock file while it still holds the
        // lock; if we locked a file that was removed meanwhile, try again.
        for _ in 0..5 {
            let mut file = match create_own(&path, 0o644) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    match Self::existing(&path)? {
                        Some(held) => return Ok(held),
                        None => continue,
                    }
                }
                Err(e) => return Err(e),
            };
            match file.try_lock() {
                Ok(()) => {}
                // Someone opened our new file and locked it first: theirs.
                Err(TryLockError::WouldBlock) => continue,
                Err(TryLockError::Error(e)) => return Err(e),
            }
            let meta = file.metadata()?;
            if !is_at(&path, &meta) {
                continue;
            }
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

    /// A lock file that is there already: `Some(HeldBy)` when a riskroom holds
    /// it, `None` when it was left behind and is gone now (try again).
    fn existing(path: &Path) -> io::Result<Option<Locking>> {
        let (file, meta) = open_existing(path)?;
        match file.try_lock() {
            Err(TryLockError::WouldBlock) => {
                // Removed by its holder as we opened it: look again.
                if !is_at(path, &meta) {
                    return Ok(None);
                }
                Ok(Some(Locking::HeldBy(holder_line(&file))))
            }
            Err(TryLockError::Error(e)) => Err(e),
            Ok(()) => {
                // Left by a riskroom that died. Removed while we hold it, so that
                // nobody locks a file about to vanish; then made anew as ours.
                if fs::remove_file(path).is_ok() {
                    return Ok(None);
                }
                let owner = if is_own(&meta) {
                    "you".to_string()
                } else {
                    own_files::user_name(std::os::unix::fs::MetadataExt::uid(&meta))
                };
                Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "the lock file {} was left by {owner} and cannot be removed here; \
                         riskroom does not write into a lock file it did not create. Ask \
                         {owner} (or whoever can) to remove it",
                        path.display()
                    ),
                ))
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove while still holding it, so nobody locks a file about to vanish;
        // and only if the name is still our file.
        if self.file.metadata().is_ok_and(|m| is_at(&self.path, &m)) {
            let _ = fs::remove_file(&self.path);
        }
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
    fn a_lock_file_planted_as_a_link_is_not_followed_nor_removed() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("w.ron");
        let private = dir.path().join("private.txt");
        fs::write(&private, "secret").unwrap();
        std::os::unix::fs::symlink(&private, lock_path(&session)).unwrap();
        let err = Lock::acquire(&session).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read(&private).unwrap(), b"secret");
        assert!(
            fs::symlink_metadata(lock_path(&session))
                .unwrap()
                .is_symlink()
        );
    }

    #[test]
    fn two_names_of_one_file_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        fs::write(&real, "x").unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink("real.ron", &link).unwrap();
        assert_eq!(lock_path(&link), lock_path(&real));
        let Locking::Acquired(_held) = Lock::acquire(&real).unwrap() else {
            panic!("first lock")
        };
        assert!(matches!(Lock::acquire(&link).unwrap(), Locking::HeldBy(_)));
    }

    #[test]
    fn a_holder_line_is_shown_short_and_without_escape_codes() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("w.ron");
        let mut file = create_own(&lock_path(&session), 0o644).unwrap();
        write!(file, "\u{1b}]52;c;eA==\u{7}{}", "x".repeat(10_000)).unwrap();
        file.lock().unwrap();
        let other = File::open(lock_path(&session)).unwrap();
        let line = holder_line(&other);
        assert!(crate::terminal_text::is_safe(&line), "{line}");
        assert!(line.starts_with("\\u{1B}]52;"), "{line}");
        assert!(line.chars().count() < 200, "{line}");
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
