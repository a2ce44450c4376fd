//! OpenSSH's sshd on a loopback port with throwaway keys, for tests that log in
//! over real SSH (`ssh.rs`, `follow_e2e.rs`).

// Shared by several test crates; each uses only part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);

pub fn find(program: &str, places: &[&str]) -> Option<PathBuf> {
    places
        .iter()
        .map(|dir| Path::new(dir).join(program))
        .find(|p| p.exists())
}

pub struct Sshd {
    child: Child,
    pub port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

pub fn start_sshd(sshd: &Path, dir: &Path) -> Sshd {
    keygen(&dir.join("host_key"));
    keygen(&dir.join("client_key"));
    fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {keys}\nPidFile {pid}\n\
         UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n\
         KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nLogLevel ERROR\n",
        host = dir.join("host_key").display(),
        keys = dir.join("authorized_keys").display(),
        pid = dir.join("sshd.pid").display(),
    );
    fs::write(dir.join("sshd_config"), config).unwrap();
    // sshd run by root wants its privilege-separation directory.
    let _ = fs::create_dir_all("/run/sshd");
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stderr(fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .unwrap();
    // Wait until it listens.
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < WAIT,
            "sshd did not start: {}",
            fs::read_to_string(dir.join("sshd.log")).unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Sshd { child, port }
}

/// sshd and ssh, or `None` (and the caller's test passes, saying why) where
/// OpenSSH is not installed, unless `RISKROOM_FULL_TESTS` asks for every test.
pub fn available() -> Option<PathBuf> {
    let sshd = find("sshd", &["/usr/sbin", "/usr/bin", "/usr/local/sbin"]);
    let has_ssh = Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if sshd.is_none() || !has_ssh {
        assert!(
            std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
            "RISKROOM_FULL_TESTS is set but OpenSSH (sshd and ssh) is not installed"
        );
        eprintln!("skipped: OpenSSH (sshd and ssh) is not installed");
        return None;
    }
    sshd
}

/// The arguments of `ssh -tt` to run `remote` as this user on `server`.
pub fn client_args(server: &Sshd, keys: &Path, remote: &str) -> Vec<String> {
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let key = keys.join("client_key");
    vec![
        "-tt".into(),
        "-i".into(),
        key.display().to_string(),
        "-p".into(),
        server.port.to_string(),
        "-o".into(),
        "StrictHostKeyChecking=no".into(),
        "-o".into(),
        "UserKnownHostsFile=/dev/null".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
        format!("{}@127.0.0.1", user.trim()),
        remote.to_string(),
    ]
}
