//! The room socket beside the session file: where it is, how the facilitator
//! puts it there without trusting what a co-user may have planted, and how a
//! follower reaches it.
//!
//! The socket is bound inside a private directory (mode 0700) made for the
//! purpose, given its mode and group there where nobody else can touch it, and
//! only then renamed into place. Paths go through `/proc/self/fd/N/` of an open
//! directory, so a deep session folder never runs into the 108-byte limit of a
//! socket address, and a directory renamed under us is not followed elsewhere.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// `.<name>.sock` beside the session, or a short hashed name when the session's
/// file name is so long that the socket's would not fit a directory entry. Like
/// the lock, it belongs to the file, not to the name: a link to the session has
/// the socket of the file it names.
pub fn socket_path(session: &Path) -> PathBuf {
    let session = crate::store::own_files::real_path(session);
    session.with_file_name(socket_name(&session))
}

fn socket_name(session: &Path) -> OsString {
    let name = session
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plain = format!(".{name}.sock");
    if plain.len() <= 200 {
        OsString::from(plain)
    } else {
        OsString::from(format!(".riskroom-{:016x}.sock", fnv1a(name.as_bytes())))
    }
}

/// FNV-1a: a stable 64-bit hash of a file name (not a secret; just short).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn directory_of(session: &Path) -> &Path {
    match session.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `/proc/self/fd/N/name`: `name` inside an open directory, however long the
/// directory's own path.
fn inside(dir: &File, name: impl AsRef<Path>) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd())).join(name)
}

#[derive(Debug)]
pub enum ListenError {
    /// Something we did not put there holds the socket's name, and we may not
    /// replace it (a sticky shared folder).
    Occupied { path: PathBuf, owner: u32 },
    Io {
        path: PathBuf,
        what: &'static str,
        error: io::Error,
    },
}

impl fmt::Display for ListenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenError::Occupied { path, owner } => write!(
                f,
                "{} belongs to {} and cannot be replaced; followers cannot join until it is removed",
                path.display(),
                super::peer::user_name(*owner)
            ),
            ListenError::Io { path, what, error } => {
                write!(f, "cannot {what} {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for ListenError {}

/// The facilitator's listening socket; removed again when dropped (if it is
/// still the one we made).
#[derive(Debug)]
pub struct Listening {
    pub listener: UnixListener,
    path: PathBuf,
    dir: File,
    name: OsString,
    dev: u64,
    ino: u64,
}

impl Listening {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The mode of the socket for a session file of mode `session_mode`: whoever may
/// read the session may connect (connecting needs write permission on a socket).
pub fn socket_mode(session_mode: u32) -> u32 {
    let mut mode = 0o600;
    if session_mode & 0o040 != 0 {
        mode |= 0o060;
    }
    if session_mode & 0o004 != 0 {
        mode |= 0o006;
    }
    mode
}

/// Binds the room socket of `session` (which we hold the lock of).
pub fn listen(session: &Path) -> Result<Listening, ListenError> {
    let session = &crate::store::own_files::real_path(session);
    let dir_path = directory_of(session);
    let io = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |error: io::Error| ListenError::Io { path, what, error }
    };
    let name = socket_name(session);
    let path = socket_path(session);
    let session_meta = fs::metadata(session).map_err(io("read the permissions of", session))?;
    let dir = File::open(dir_path).map_err(io("open the folder", dir_path))?;

    let private = tempfile::Builder::new()
        .prefix(".riskroom-room-")
        .tempdir_in(dir_path)
        .map_err(io("make a private folder in", dir_path))?;
    let private_dir = File::open(private.path()).map_err(io("open", private.path()))?;
    let staged = inside(&private_dir, "s");
    let listener = UnixListener::bind(&staged).map_err(io("make the room socket in", dir_path))?;
    fs::set_permissions(
        &staged,
        fs::Permissions::from_mode(socket_mode(session_meta.mode())),
    )
    .map_err(io("set the permissions of", &path))?;
    // The session's group may read it; give the socket that group too. Only a
    // member may do so; otherwise it keeps ours and the group bits mean ours.
    let _ = std::os::unix::fs::chown(&staged, None, Some(session_meta.gid()));

    match rustix::fs::renameat(&private_dir, "s", &dir, name.as_os_str()) {
        Ok(()) => {}
        Err(e) if e == rustix::io::Errno::PERM || e == rustix::io::Errno::ACCESS => {
            let owner = fs::symlink_metadata(&path)
                .map(|m| m.uid())
                .unwrap_or(u32::MAX);
            return Err(ListenError::Occupied { path, owner });
        }
        Err(e) => return Err(io("put the room socket at", &path)(e.into())),
    }
    let meta = fs::symlink_metadata(inside(&dir, &name)).map_err(io("check", &path))?;
    Ok(Listening {
        listener,
        path,
        dir,
        name,
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

impl Drop for Listening {
    fn drop(&mut self) {
        // Remove it only while it is still ours: someone may have replaced it.
        let at = inside(&self.dir, &self.name);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.dev() == self.dev && m.ino() == self.ino) {
            let _ = fs::remove_file(&at);
        }
    }
}

#[derive(Debug)]
pub enum ConnectError {
    /// No socket: nobody has the session open (or it was not offered).
    Nobody,
    /// The socket exists but may not be used by us (no read permission on the
    /// session, so none on its socket).
    Denied(PathBuf),
    /// Something other than a socket is at the socket's name (a planted link).
    NotASocket(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Nobody => write!(f, "nobody has the session open"),
            ConnectError::Denied(path) => write!(
                f,
                "{}: permission denied (only those who may read the session may follow it)",
                path.display()
            ),
            ConnectError::NotASocket(path) => write!(
                f,
                "{} is not a riskroom socket (a link or a file someone put there); not following it",
                path.display()
            ),
            ConnectError::Io(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

impl std::error::Error for ConnectError {}

/// Connects a follower to the room socket of `session`.
pub fn connect(session: &Path) -> Result<UnixStream, ConnectError> {
    let session = &crate::store::own_files::real_path(session);
    let dir_path = directory_of(session);
    let path = socket_path(session);
    let dir = File::open(dir_path).map_err(|e| ConnectError::Io(dir_path.to_path_buf(), e))?;
    let at = inside(&dir, socket_name(session));
    match fs::symlink_metadata(&at) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ConnectError::Nobody),
        Err(e) => return Err(ConnectError::Io(path, e)),
        Ok(meta) => {
            use std::os::unix::fs::FileTypeExt;
            if !meta.file_type().is_socket() {
                return Err(ConnectError::NotASocket(path));
            }
        }
    }
    UnixStream::connect(&at).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => ConnectError::Nobody,
        io::ErrorKind::PermissionDenied => ConnectError::Denied(path.clone()),
        _ => ConnectError::Io(path.clone(), e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_sits_beside_the_session_and_long_names_are_hashed() {
        assert_eq!(
            socket_path(Path::new("/w/ws.ron")),
            PathBuf::from("/w/.ws.ron.sock")
        );
        let long = format!("/w/{}.ron", "x".repeat(240));
        let path = socket_path(Path::new(&long));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".riskroom-") && name.len() < 40, "{name}");
        assert_eq!(path, socket_path(Path::new(&long)), "stable");
    }

    #[test]
    fn the_socket_mode_follows_the_session_read_bits() {
        assert_eq!(socket_mode(0o600), 0o600);
        assert_eq!(socket_mode(0o640), 0o660);
        assert_eq!(socket_mode(0o644), 0o666);
        assert_eq!(socket_mode(0o604), 0o606);
        assert_eq!(socket_mode(0o200), 0o600);
    }

    #[test]
    fn a_follower_reaches_the_listener_even_in_a_very_deep_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        for _ in 0..8 {
            deep.push("a-rather-long-folder-name-for-a-socket");
        }
        fs::create_dir_all(&deep).unwrap();
        let session = deep.join("w.ron");
        fs::write(&session, "x").unwrap();
        fs::set_permissions(&session, fs::Permissions::from_mode(0o640)).unwrap();
        let listening = listen(&session).unwrap();
        assert!(session.to_string_lossy().len() > 108);
        let meta = fs::symlink_metadata(listening.path()).unwrap();
        assert_eq!(meta.mode() & 0o777, 0o660);
        let _client = connect(&session).unwrap();
        let (_server_side, _) = listening.listener.accept().unwrap();
        // No private folder is left behind.
        let leftovers: Vec<_> = fs::read_dir(&deep)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".riskroom-room-")
            })
            .collect();
        assert!(leftovers.is_empty());
        let path = listening.path().to_path_buf();
        drop(listening);
        assert!(!path.exists(), "removed when the facilitator goes");
        assert!(matches!(connect(&session), Err(ConnectError::Nobody)));
    }

    #[test]
    fn a_stale_socket_of_our_own_is_replaced_and_a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("w.ron");
        fs::write(&session, "x").unwrap();
        // A socket left by a killed riskroom (a plain file stands in for it).
        fs::write(socket_path(&session), "stale").unwrap();
        let listening = listen(&session).unwrap();
        assert!(connect(&session).is_ok());
        drop(listening);

        let target = dir.path().join("elsewhere");
        fs::write(&target, "not a socket").unwrap();
        std::os::unix::fs::symlink(&target, socket_path(&session)).unwrap();
        assert!(matches!(
            connect(&session),
            Err(ConnectError::NotASocket(_))
        ));
    }
}
