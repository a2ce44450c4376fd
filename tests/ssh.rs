//! Over real SSH: OpenSSH's sshd on a loopback port with throwaway keys, a client
//! logged in with `ssh -tt` running riskroom; an edit, then the client dies. The
//! edit must be on disk and no riskroom left running.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;
#[path = "support/sshd.rs"]
mod sshd;

use std::fs;
use std::time::{Duration, Instant};

use pty::Pty;
use riskroom::domain::FailureModeId;
use riskroom::store;

const WAIT: Duration = Duration::from_secs(15);

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
    let Some(sshd) = sshd::available() else {
        return;
    };
    let keys = tempfile::tempdir().unwrap();
    let server = sshd::start_sshd(&sshd, keys.path());
    let work = tempfile::tempdir().unwrap();
    let session = work.path().join("over-ssh.ron");
    fs::copy("sessions/ip-chamber.ron", &session).unwrap();
    let remote = format!(
        "cd {dir} && TERM=xterm-256color LANG=C.UTF-8 exec {bin} {file}",
        dir = work.path().display(),
        bin = std::fs::canonicalize(pty::binary()).unwrap().display(),
        file = session.display()
    );
    let args = sshd::client_args(&server, keys.path(), &remote);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
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
