//! Atomic replacement of a file: write a temporary file in the same directory,
//! sync it, rename it over the target, sync the directory. A reader (or a crash)
//! sees the old file or the new one, never a mixture.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::own_files::{check_links, real_path};

/// Our temporary files are `.<target name>.riskroom-XXXXXX.tmp`, so that what a
/// killed process left behind can be recognised (and removed, see
/// [`remove_stale_temp_files`]) by the next one that writes the same target.
pub const TEMP_MARK: &str = ".riskroom-";
pub const TEMP_SUFFIX: &str = ".tmp";

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}{TEMP_MARK}")
}

fn temp_file_in(dir: &Path, target: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// Removes the temporary files a killed riskroom left while writing `target` (or
/// its `.bak`). Call it only while holding the target's lock: then no other
/// process can be writing them. Returns how many were removed.
pub fn remove_stale_temp_files(target: &Path) -> usize {
    let target = &real_path(target);
    let dir = directory_of(target);
    let prefixes = [temp_prefix(target), temp_prefix(&backup_path(target))];
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(TEMP_SUFFIX) && prefixes.iter().any(|p| name.starts_with(p.as_str()))
        })
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

#[derive(Debug)]
pub struct AtomicWriteError {
    pub path: PathBuf,
    /// What was being done: "create a temporary file in /dir", …
    pub step: String,
    pub source: io::Error,
}

impl fmt::Display for AtomicWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write {}: could not {}: {}",
            self.path.display(),
            self.step,
            self.source
        )
    }
}

impl std::error::Error for AtomicWriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `<file>.bak` beside `<file>`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Replaces `path` with `bytes` atomically. With `keep_backup`, an existing file
/// at `path` is first kept as `<file>.bak` (itself replaced atomically). On any
/// error the target is untouched and no temporary file is left behind.
pub fn write_atomically(
    path: &Path,
    bytes: &[u8],
    keep_backup: bool,
) -> Result<(), AtomicWriteError> {
    write_atomically_with(path, keep_backup, |file| file.write_all(bytes))
}

/// Like [`write_atomically`], with the content written by `write` as it is
/// produced (a large session never needs its whole text in memory).
pub fn write_atomically_with(
    path: &Path,
    keep_backup: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    let fail_at = |step: String| {
        let path = path.to_path_buf();
        move |source: io::Error| AtomicWriteError { path, step, source }
    };
    // Write through a symbolic link of our own to the file it names, rather
    // than replace the link; never through one someone else may have planted.
    check_links(path).map_err(fail_at("write it".into()))?;
    let target = real_path(path);
    let fail = |step: String| {
        let target = target.clone();
        move |source: io::Error| AtomicWriteError {
            path: target,
            step,
            source,
        }
    };
    let dir = directory_of(&target);
    if target.is_dir() {
        return Err(fail("replace it".into())(io::Error::other(
            "it is a directory",
        )));
    }
    let old = fs::symlink_metadata(&target).ok();
    if let Some(old) = &old
        && !old.is_file()
    {
        return Err(fail("replace it".into())(io::Error::other(format!(
            "it is {}, not a regular file",
            super::own_files::kind_of(old)
        ))));
    }

    let mut temp = temp_file_in(dir, &target).map_err(fail(format!(
        "create a temporary file in {}",
        dir.display()
    )))?;
    write(temp.as_file_mut()).map_err(fail(format!(
        "write the temporary file {}",
        temp.path().display()
    )))?;
    // Keep an existing file's group and mode (and owner, as root), so that a
    // shared session stays shared; a new file gets what any program would
    // create (0666 less the umask), not the temporary file's 0600.
    match &old {
        #[cfg(unix)]
        Some(old) => super::own_files::take_over_ownership(temp.as_file(), old)
            .map_err(fail("keep its group and mode".into()))?,
        #[cfg(not(unix))]
        Some(old) => fs::set_permissions(temp.path(), old.permissions())
            .map_err(fail("set the file's permissions".into()))?,
        None => {
            if let Some(permissions) = new_file_permissions() {
                fs::set_permissions(temp.path(), permissions)
                    .map_err(fail("set the file's permissions".into()))?;
            }
        }
    }
    temp.as_file().sync_all().map_err(fail(format!(
        "sync the temporary file {}",
        temp.path().display()
    )))?;

    if keep_backup && old.is_some() {
        keep_as_backup(&target, dir).map_err(fail(format!(
            "keep the previous version as {}",
            backup_path(&target).display()
        )))?;
    }
    temp.persist(&target)
        .map_err(|e| fail("rename the temporary file over it".into())(e.error))?;
    sync_directory(dir).map_err(fail(format!("sync the directory {}", dir.display())))?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // The umask can only be read without changing it through /proc (Linux).
    let umask = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Umask:"))
                .map(str::to_string)
        })
        .and_then(|l| u32::from_str_radix(l.trim_start_matches("Umask:").trim(), 8).ok())
        .unwrap_or(0o022);
    Some(fs::Permissions::from_mode(0o666 & !umask))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Makes `<file>.bak` a copy of `file` without a moment in which neither exists.
fn keep_as_backup(file: &Path, dir: &Path) -> io::Result<()> {
    let backup = backup_path(file);
    let mut copy = temp_file_in(dir, &backup)?;
    let (mut original, meta) = super::own_files::open_regular(file)?;
    io::copy(&mut original, copy.as_file_mut())?;
    // The backup is readable by whoever could read the file, and keeps its group.
    #[cfg(unix)]
    super::own_files::take_over_ownership(copy.as_file(), &meta)?;
    #[cfg(not(unix))]
    fs::set_permissions(copy.path(), meta.permissions())?;
    copy.as_file().sync_all()?;
    copy.persist(&backup).map_err(|e| e.error)?;
    Ok(())
}

fn sync_directory(dir: &Path) -> io::Result<()> {
    // Directories can be opened and synced on Unix; elsewhere the rename is what we get.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(TEMP_MARK))
            .collect()
    }

    #[test]
    fn writes_new_file_then_replaces_it_keeping_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.ron");
        write_atomically(&path, b"one", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert!(
            !backup_path(&path).exists(),
            "nothing to back up the first time"
        );
        write_atomically(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
        write_atomically(&path, b"three", false).unwrap();
        assert_eq!(
            fs::read(backup_path(&path)).unwrap(),
            b"one",
            "no backup asked"
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_in_the_way_is_an_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        let err = write_atomically(&path, b"x", true).unwrap_err();
        assert!(err.to_string().contains("it is a directory"), "{err}");
        assert!(path.is_dir());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/w.ron");
        let err = write_atomically(&path, b"x", true).unwrap_err();
        assert!(
            err.to_string().contains("create a temporary file in"),
            "{err}"
        );
        assert!(!path.exists());
    }

    #[test]
    fn stale_temp_files_of_the_target_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("w.ron");
        for name in [
            ".w.ron.riskroom-abc123.tmp",
            ".w.ron.bak.riskroom-x.tmp",
            ".other.ron.riskroom-y.tmp",
            "w.ron",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_stale_temp_files(&target), 2);
        let mut left = leftovers(dir.path());
        left.sort();
        assert_eq!(left, [".other.ron.riskroom-y.tmp"]);
        assert!(target.exists());
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_as_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.csv");
        write_atomically(&path, b"x", false).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let expected = new_file_permissions().unwrap().mode();
        assert_eq!(mode, expected);
        assert_ne!(mode, 0o600, "not the temporary file's private mode");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_atomically(&path, b"new", true).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }
}
