//! Who is on the other end of a room socket, as the kernel says, and how people
//! call them.

use std::os::unix::net::UnixStream;

/// The process at the other end of a connection, from `SO_PEERCRED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub pid: i32,
    pub uid: u32,
}

pub fn peer_of(stream: &UnixStream) -> std::io::Result<Peer> {
    let cred = rustix::net::sockopt::socket_peercred(stream)?;
    Ok(Peer {
        pid: cred.pid.as_raw_nonzero().get(),
        uid: cred.uid.as_raw(),
    })
}

/// The login name of `uid` (or `uid N`), as votes are recorded under it.
pub fn user_name(uid: u32) -> String {
    crate::store::own_files::user_name(uid)
}

/// Our own uid.
pub fn my_uid() -> u32 {
    rustix::process::getuid().as_raw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ends_of_a_pair_are_this_process() {
        let (a, b) = UnixStream::pair().unwrap();
        let peer = peer_of(&a).unwrap();
        assert_eq!(peer.pid, i32::try_from(std::process::id()).unwrap());
        assert_eq!(peer.uid, my_uid());
        assert_eq!(peer_of(&b).unwrap(), peer);
    }

    #[test]
    fn an_unknown_uid_is_named_by_its_number() {
        assert_eq!(user_name(4_000_000_001), "uid 4000000001");
        assert_eq!(user_name(0), "root");
    }
}
