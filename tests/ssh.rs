//! Over real SSH: OpenSSH's sshd on a loopback port with throwaway keys, a client
//! logged in with `ssh -tt` running riskroom; an edit, then the client dies. The
//! edit must be on disk and no riskroom left running.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pty::Pty;
use riskroom::domain::FailureModeId;
use riskroom::store;

const WAIT: Duration = Duration::from_secs(15);

fn find(program: &str, places: &[&str]) -> Option<PathBuf> {
    places
        .iter()
        .map(|dir| Path::new(dir).join(program))
        .find(|p| p.exists())
}

struct Sshd {
    child: Child,
    port: u16,
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

fn start_sshd(sshd: &Path, dir: &Path) -> Sshd {
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

fn riskroom_processes(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains("riskroom") && cmdline.contains(marker) && !cmdline.contains("ssh ") {
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}

#[test]
fn an_edit_survives_the_ssh_client_dying_and_no_riskroom_is_left() {
    let sshd = find("sshd", &["/usr/sbin", "/usr/bin", "/usr/local/sbin"]);
    let has_ssh = Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    let can_run = sshd.is_some() && has_ssh;
    if !can_run {
        assert!(
            std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
            "RISKROOM_FULL_TESTS is set but OpenSSH (sshd and ssh) is not installed"
        );
        eprintln!("skipped: OpenSSH (sshd and ssh) is not installed");
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let server = start_sshd(&sshd.unwrap(), keys.path());
    let work = tempfile::tempdir().unwrap();
    let session = work.path().join("over-ssh.ron");
    fs::copy("sessions/ip-chamber.ron", &session).unwrap();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let remote = format!(
        "cd {dir} && TERM=xterm-256color LANG=C.UTF-8 exec {bin} {file}",
        dir = work.path().display(),
        bin = std::fs::canonicalize(pty::binary()).unwrap().display(),
        file = session.display()
    );
    let key = keys.path().join("client_key");
    let port = server.port.to_string();
    let args = [
        "-tt",
        "-i",
        key.to_str().unwrap(),
        "-p",
        &port,
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        &format!("{}@127.0.0.1", user.trim()),
        &remote,
    ];
    let mut client = Pty::spawn_with("ssh", &args, work.path(), 120, 40, &[]);
    client.wait_for("Failure modes by RPN (40", WAIT);
    client.keys(&["0"]); // FM-003 severity 8 -> 10
    client.wait_for("FM-003: severity 10", WAIT);
    let marker = work.path().display().to_string();
    assert_eq!(
        riskroom_processes(&marker).len(),
        1,
        "riskroom runs on the server side"
    );

    // The client dies: the connection drops without a goodbye.
    client.signal("9");
    let start = Instant::now();
    loop {
        let left = riskroom_processes(&marker);
        if left.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "riskroom still running after the connection dropped: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "riskroom ended {:?} after the ssh client was killed",
        start.elapsed()
    );
    let saved = store::load(&session).unwrap();
    assert_eq!(
        saved.failure_mode(FailureModeId(3)).unwrap().severity,
        10,
        "the edit is on disk"
    );
    assert!(
        !store::lock::lock_path(&session).exists(),
        "the lock went with it"
    );
}
