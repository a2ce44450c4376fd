//! Files on a shared host, where other users write in the same folders.
//!
//! Three rules, each one helper, for every file riskroom reads or writes (the
//! session, its lock, `.bak` and recovery files, CSV in and out; later the
//! socket of `follow`, the workbook, report and minutes):
//!
//! - **No planted link.** A symbolic link is followed only when it is ours,
//!   root's, or belongs to the owner of the folder it sits in (the rule Linux's
//!   `protected_symlinks` applies in sticky folders, here in every folder and for
//!   every part of the path). Anyone else's link may have been planted to make us
//!   read or write a file of our own we did not mean: [`check_links`].
//! - **Regular files only, reads bounded.** A FIFO, a device (`/dev/zero`), a
//!   socket or a directory is refused at once, without blocking on the open, and
//!   no read goes past its limit: [`open_regular`], [`read_bounded`].
//! - **Our own file.** A file we keep writing into (the lock) is one we created
//!   ourselves, `O_EXCL` without following a link, and checked to be still ours
//!   and not a second name of another file: [`create_own`], [`open_existing`].
//!
//! What this cannot do: root and an administrator can do anything; on network
//! file systems (NFS) owners, links and locks are what the server says.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use rustix::fs::OFlags;

/// Who this process is, for telling our files from other people's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub uid: u32,
    /// The effective group and the supplementary groups.
    pub groups: Vec<u32>,
}

impl Me {
    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    pub fn in_group(&self, gid: u32) -> bool {
        self.is_root() || self.groups.contains(&gid)
    }
}

/// This process's user and groups (read once).
pub fn me() -> &'static Me {
    static ME: OnceLock<Me> = OnceLock::new();
    ME.get_or_init(|| {
        let mut groups = vec![rustix::process::getegid().as_raw()];
        groups.extend(
            rustix::process::getgroups()
                .unwrap_or_default()
                .into_iter()
                .map(|g| g.as_raw()),
        );
        Me {
            uid: rustix::process::geteuid().as_raw(),
            groups,
        }
    })
}

/// A name from `/etc/passwd` (`/etc/group`), or `uid 4102` where there is none.
fn name_in(file: &str, id: u32, what: &str) -> String {
    read_bounded(Path::new(file), 4 << 20)
        .ok()
        .and_then(|bytes| {
            String::from_utf8_lossy(&bytes).lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                let number = fields.nth(1)?;
                (number.parse() == Ok(id)).then(|| name.to_string())
            })
        })
        .map_or_else(
            || format!("{what} {id}"),
            |n| crate::terminal_text::excerpt(&n, 32),
        )
}

/// The user's name for messages: `bob`, or `uid 4102`.
pub fn user_name(uid: u32) -> String {
    name_in("/etc/passwd", uid, "uid")
}

/// The group's name for messages: `team`, or `gid 4100`.
pub fn group_name(gid: u32) -> String {
    name_in("/etc/group", gid, "gid")
}

/// An error with our words; `kind` keeps what a caller may test for.
fn refused(kind: io::ErrorKind, message: String) -> io::Error {
    io::Error::new(kind, message)
}

/// What kind of thing a non-regular file is, in words.
pub fn kind_of(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a regular file"
    }
}

fn not_regular(meta: &Metadata) -> io::Error {
    refused(
        io::ErrorKind::InvalidInput,
        format!("it is {}, not a regular file", kind_of(meta)),
    )
}

/// Whether a link owned by `owner` in a folder owned by `folder_owner` may be
/// followed: ours, root's or the folder owner's.
fn trusted_link(owner: u32, folder_owner: Option<u32>) -> bool {
    owner == me().uid || owner == 0 || Some(owner) == folder_owner
}

/// Refuses a path that goes through a symbolic link someone else could have
/// planted (see the module's rules). A path that does not exist (yet) passes as
/// far as it exists.
pub fn check_links(path: &Path) -> io::Result<()> {
    let mut walked = PathBuf::new();
    for component in path.components() {
        walked.push(component);
        if !matches!(component, Component::Normal(_)) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(&walked) else {
            return Ok(());
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        let folder = match walked.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let folder_owner = fs::metadata(&folder).ok().map(|m| m.uid());
        if !trusted_link(meta.uid(), folder_owner) {
            return Err(refused(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is a symbolic link that belongs to {}, not to you: riskroom does not \
                     follow a link someone else could have planted (remove it, or give the \
                     real path)",
                    walked.display(),
                    user_name(meta.uid())
                ),
            ));
        }
    }
    Ok(())
}

/// The file a path names, links resolved: where its lock, `.bak` and temporary
/// files belong, so that two names of one file share them. The path as given
/// when it does not resolve.
pub fn real_path(path: &Path) -> PathBuf {
    match check_links(path) {
        Ok(()) => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        Err(_) => path.to_path_buf(),
    }
}

/// Opens a file for reading: no planted link on the way, no waiting on a FIFO,
/// and only a regular file. Returns it with its metadata (of the open file,
/// not of a name that may change meanwhile).
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    check_links(path)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

/// Reads at most `limit` bytes from an open file; more is an error (a file
/// that grew past it, or one whose size lied).
pub fn read_to_limit(file: &File, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> io::Error {
    refused(
        io::ErrorKind::FileTooLarge,
        format!(
            "it is larger than {} MB, more than riskroom reads",
            limit / 1_000_000
        ),
    )
}

/// The whole of a regular file of at most `limit` bytes ([`open_regular`]).
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    read_to_limit(&file, limit)
}

/// Creates a file that did not exist, as our own: never through a link, never
/// an existing file (`AlreadyExists` then). `mode` before the umask.
pub fn create_own(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// Opens an existing file read-only without following a link or waiting on a
/// FIFO; a link is refused as planted, anything but a regular file as what it is.
pub fn open_existing(path: &Path) -> io::Result<(File, Metadata)> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path)
        .map_err(|e| {
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link {
                let owner = fs::symlink_metadata(path).map_or(0, |m| m.uid());
                refused(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "{} is a symbolic link (made by {}); riskroom never follows a link \
                         there. Remove it",
                        path.display(),
                        user_name(owner)
                    ),
                )
            } else {
                e
            }
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is {}, not a regular file",
                path.display(),
                kind_of(&meta)
            ),
        ));
    }
    Ok((file, meta))
}

/// Whether `file`'s metadata is the file now at `path` (not replaced, not removed).
pub fn is_at(path: &Path, meta: &Metadata) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
}

/// Whether a file we keep writing into is ours alone: owned by us, and no
/// second name (a hard link) of a file someone else gave us.
pub fn is_own(meta: &Metadata) -> bool {
    meta.uid() == me().uid && meta.nlink() == 1 && meta.is_file()
}

/// `owner:group mode` for messages: `bob:team 0640`.
pub fn describe_owner(meta: &Metadata) -> String {
    format!(
        "{}:{} {:04o}",
        user_name(meta.uid()),
        group_name(meta.gid()),
        meta.permissions().mode() & 0o7777
    )
}

/// Before editing an existing file that others share: can a save by us keep it
/// as it is for them? A save replaces the file (atomic rename); it keeps the
/// mode and group, and the owner only when we are root.
///
/// `Err(reason)` when the save would lock others out or is not ours to make (we
/// cannot write the file; its sticky folder lets only its owner replace it; we
/// are not in its group); `Ok(Some(note))` when it will change owner (say so
/// before the first save); `Ok(None)` when nothing changes hands.
pub fn save_keeps_it_shared(path: &Path) -> Result<Option<String>, String> {
    let real = real_path(path);
    let Ok(meta) = fs::metadata(&real) else {
        return Ok(None);
    };
    let me = me();
    if me.is_root() || !meta.is_file() {
        return Ok(None);
    }
    let name = real.file_name().map_or_else(
        || real.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let owner = user_name(meta.uid());
    let mode = meta.permissions().mode();
    match rustix::fs::accessat(
        rustix::fs::CWD,
        &real,
        rustix::fs::Access::WRITE_OK,
        rustix::fs::AtFlags::EACCESS,
    ) {
        // A read-only file system is said where the save fails, as a full disk is.
        Ok(()) | Err(rustix::io::Errno::ROFS) => {}
        Err(_) => {
            return Err(format!(
                "you cannot write {name} ({}): its permissions do not let you",
                describe_owner(&meta)
            ));
        }
    }
    let folder = real.parent().filter(|p| !p.as_os_str().is_empty());
    let folder_meta = fs::metadata(folder.unwrap_or(Path::new("."))).ok();
    let sticky = folder_meta
        .as_ref()
        .is_some_and(|d| d.permissions().mode() & 0o1000 != 0 && d.uid() != me.uid);
    if sticky && meta.uid() != me.uid {
        return Err(format!(
            "{name} belongs to {owner} and its folder is sticky: only {owner} may replace \
             it there. Ask {owner} to open it, or keep shared sessions in a group folder"
        ));
    }
    if !me.in_group(meta.gid()) {
        return Err(format!(
            "a save by you would take {name} out of group {} (you are not in it), \
             locking the group out",
            group_name(meta.gid())
        ));
    }
    if meta.uid() != me.uid {
        return Ok(Some(format!(
            "note: saving makes you the owner of {name} instead of {owner}; its group {} \
             and mode {:04o} stay, so the group keeps its access",
            group_name(meta.gid()),
            mode & 0o7777
        )));
    }
    Ok(None)
}

/// Gives a freshly written file (the temporary file of a save) the group and
/// mode of the file it replaces, and its owner when we may (root). Never
/// leaves the group changed: if it cannot be kept, the save is refused.
pub fn take_over_ownership(new: &File, old: &Metadata) -> io::Result<()> {
    let me = me();
    let now = new.metadata()?;
    let owner = me.is_root().then(|| old.uid());
    if now.gid() != old.gid() || owner.is_some_and(|o| o != now.uid()) {
        std::os::unix::fs::fchown(new, owner, Some(old.gid())).map_err(|e| {
            refused(
                e.kind(),
                format!(
                    "it would lose its group {} ({e}); not saved, so the group keeps its access",
                    group_name(old.gid())
                ),
            )
        })?;
    }
    // After chown: changing the owner clears set-id bits.
    new.set_permissions(fs::Permissions::from_mode(old.permissions().mode() & 0o777))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = read_bounded(&fifo, 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a FIFO (named pipe), not a regular file"
        );
        let err = read_bounded(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        let err = read_bounded(dir.path(), 100).unwrap_err();
        assert!(err.to_string().contains("directory"), "{err}");
    }

    #[test]
    fn reads_stop_at_their_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, vec![b'x'; 1000]).unwrap();
        assert_eq!(read_bounded(&path, 1000).unwrap().len(), 1000);
        assert_eq!(
            read_bounded(&path, 999).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
    }

    #[test]
    fn own_links_are_followed_and_created_files_never_go_through_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, "mine").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        check_links(&link).unwrap();
        assert_eq!(read_bounded(&link, 10).unwrap(), b"mine");
        assert_eq!(real_path(&link), fs::canonicalize(&target).unwrap());
        assert_eq!(
            create_own(&link, 0o644).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        let err = open_existing(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"mine");
    }

    #[test]
    fn a_second_name_is_not_our_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let file = create_own(&a, 0o644).unwrap();
        assert!(is_own(&file.metadata().unwrap()));
        fs::hard_link(&a, dir.path().join("b")).unwrap();
        assert!(!is_own(&file.metadata().unwrap()));
        assert!(is_at(&a, &file.metadata().unwrap()));
    }
}
