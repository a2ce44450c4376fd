//! Never lose a workshop (issue 4): kills during saves, hang-ups and signals,
//! crashes, locks, files changed under us, full and read-only disks.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pty::{ENTER, Pty};
use riskroom::domain::FailureModeId;
use riskroom::store;

const WAIT: Duration = Duration::from_secs(10);

fn demo_copy(dir: &Path) -> PathBuf {
    let path = dir.join("ws.ron");
    fs::copy("sessions/ip-chamber.ron", &path).unwrap();
    path
}

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".riskroom-") && n.ends_with(".tmp"))
        .collect()
}

/// When the environment cannot run a test (no root for mounts, no sshd), the
/// test says so and passes, unless `RISKROOM_FULL_TESTS` is set (as in CI),
/// where it must run.
fn required_or_skip(can_run: bool, why: &str) -> bool {
    if can_run {
        return true;
    }
    assert!(
        std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
        "RISKROOM_FULL_TESTS is set but {why}"
    );
    eprintln!("skipped: {why}");
    false
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn kill_9_at_random_moments_while_saving_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let session = riskroom::generate::large_session(200, 2_000, 11);
    let new_text = store::to_ron(&session);
    // The same session laid out differently: `fmt` must rewrite it.
    let old_text = new_text.replace("    ", "\t");
    // Both versions hold the session; below, every kill must leave one of them.
    assert_eq!(store::parse(&old_text, &path).unwrap(), session);
    assert_eq!(store::parse(&new_text, &path).unwrap(), session);
    fs::write(&path, &old_text).unwrap();

    let run = |path: &Path| {
        Command::new(pty::binary())
            .arg("fmt")
            .arg(path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long reading takes (`check`) and reading plus saving (`fmt`): the kills
    // are aimed at the stretch between, where the save happens.
    let timed = |command: &str| {
        let start = Instant::now();
        let status = Command::new(pty::binary())
            .arg(command)
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .status();
        assert!(status.unwrap().success());
        start.elapsed()
    };
    let read_only = timed("check");
    let full_run = timed("fmt");
    assert_eq!(fs::read_to_string(&path).unwrap(), new_text);
    let (from, to) = (read_only.mul_f64(0.8), full_run.mul_f64(1.2));

    let (mut old, mut new, mut mid_save) = (0, 0, 0);
    let mut seed: u64 = 0x9e37_79b9;
    for _ in 0..200 {
        fs::write(&path, &old_text).unwrap();
        let _ = fs::remove_file(store::backup_path(&path));
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64;
        let delay = from + (to.saturating_sub(from)).mul_f64(fraction);
        let mut child = run(&path);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let text = fs::read_to_string(&path).unwrap();
        if text == old_text {
            old += 1;
        } else {
            assert_eq!(
                text, new_text,
                "the file is neither the old nor the new version"
            );
            new += 1;
        }
        if let Ok(backup) = fs::read_to_string(store::backup_path(&path)) {
            assert_eq!(backup, old_text, ".bak is the previous version, whole");
        }
        if !temp_files(dir.path()).is_empty() {
            mid_save += 1;
        }
    }
    eprintln!(
        "200 kills: {old} left the old file, {new} the new one, {mid_save} hit a save in progress"
    );
    assert!(
        old > 0 && new > 0,
        "the kills must land both before and after the rename"
    );
    assert!(mid_save > 0, "no kill landed while a save was under way");
    // The next start removes what killed processes left.
    assert!(run(&path).wait().unwrap().success());
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

fn edit_and_signal(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[]);
    term.wait_for("Failure modes by RPN", WAIT);
    term.keys(&["0"]); // FM-003 severity 8 -> 10, not yet saved
    term.wait_for("FM-003: severity 10", WAIT);
    let sent = Instant::now();
    term.signal(signal);
    let exited = term.wait_exit(WAIT);
    let took = sent.elapsed();
    assert!(exited.is_some(), "{signal}: still running");
    assert!(
        took < Duration::from_secs(1),
        "{signal}: exit took {took:?}"
    );
    let session = store::load(&path).unwrap();
    assert_eq!(
        session.failure_mode(FailureModeId(3)).unwrap().severity,
        10,
        "{signal}: edit lost"
    );
    assert!(
        !store::lock::lock_path(&path).exists(),
        "{signal}: lock left behind"
    );
}

#[test]
fn a_dropped_connection_saves_and_exits_within_a_second() {
    // Closing every copy of the pty's master side is what sshd does when the
    // connection drops; a small Python script does it (a reader thread here
    // would keep a copy open).
    let has_python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !required_or_skip(has_python, "python3 is needed to close a pty master") {
        return;
    }
    for how in ["", "detached"] {
        hang_up_after_an_edit(how);
    }
}

/// `how`: "" for the session's leader (it gets SIGHUP), "detached" for a
/// riskroom in a session of its own, whose terminal only ends (no SIGHUP):
/// it must notice, save and go, not spin on the end-of-file.
fn hang_up_after_an_edit(how: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let out = Command::new("python3")
        .arg("tests/support/hangup.py")
        .arg(pty::binary())
        .arg(&path)
        .arg("0")
        .arg(how)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let seconds: f64 = report
        .rsplit("seconds=")
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(99.0);
    assert!(report.starts_with("exit=0 "), "{how}: {report}");
    assert!(
        seconds < 1.0,
        "{how}: exit took {seconds} s after the hang-up: {report}"
    );
    eprintln!("hang-up {how}: {report}");
    let session = store::load(&path).unwrap();
    assert_eq!(
        session.failure_mode(FailureModeId(3)).unwrap().severity,
        10,
        "edit lost"
    );
    assert!(!store::lock::lock_path(&path).exists(), "lock left behind");
}

#[test]
fn sigterm_saves_and_exits_within_a_second() {
    edit_and_signal("TERM");
}

#[test]
fn sigint_saves_and_exits_within_a_second() {
    edit_and_signal("INT");
}

#[test]
fn sighup_saves_and_exits_within_a_second() {
    edit_and_signal("HUP");
}

#[test]
fn a_panic_restores_the_terminal_writes_a_recovery_file_and_the_next_start_offers_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    // The panic trigger exists in debug builds only: use the binary cargo built
    // for the tests, whatever RISKROOM_BIN says.
    let debug = [
        ("RISKROOM_BIN", env!("CARGO_BIN_EXE_riskroom")),
        ("RISKROOM_TEST_PANIC", "1"),
    ];
    let mut term = Pty::spawn_with(
        env!("CARGO_BIN_EXE_riskroom"),
        &["ws.ron"],
        dir.path(),
        80,
        24,
        &debug[1..],
    );
    term.wait_for("Failure modes by RPN", WAIT);
    term.keys(&["0"]); // an edit that autosave may not have written yet
    term.keys(&["\x1b[24~"]); // F12
    assert_eq!(term.wait_exit(WAIT), Some(101));
    let screen = term.screen();
    assert!(!term.alternate_screen(), "left the alternate screen");
    assert!(screen.contains("internal error: test panic"), "{screen}");
    assert!(screen.contains("your session was written to"), "{screen}");
    let recovery = store::recovery_files(&path);
    assert_eq!(recovery.len(), 1, "{screen}");
    assert!(
        screen.contains(
            &recovery[0]
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string()
        )
    );
    assert_eq!(
        store::load(&recovery[0])
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );

    let mut again = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    again.wait_for("A recovery file from an earlier run exists", WAIT);
    again.keys(&["y"]);
    again.wait_for("recovered from", WAIT);
    again.keys(&["q"]);
    assert_eq!(again.wait_exit(WAIT), Some(0));
    assert_eq!(
        store::load(&path)
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );
    assert!(store::recovery_files(&path).is_empty(), "used up");
}

#[test]
fn a_lock_left_by_a_killed_riskroom_blocks_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let first = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[]);
    first.wait_for("✓ saved", WAIT);
    first.signal("9");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        store::lock::lock_path(&path).exists(),
        "the killed one could not remove its lock file"
    );
    let mut second = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[]);
    second.wait_for("✓ saved", WAIT);
    assert!(
        !second.screen().contains("READ-ONLY"),
        "{}",
        second.screen()
    );
    second.keys(&["9"]);
    second.wait_for("severity 9", WAIT);
    second.keys(&["q"]);
    assert_eq!(second.wait_exit(WAIT), Some(0));
    assert_eq!(
        store::load(&path)
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        9
    );
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    term.wait_for("✓ saved", WAIT);
    // Someone else (a git pull) changes the file.
    let theirs = fs::read_to_string(&path)
        .unwrap()
        .replace("Secure Virtual IP Chamber", "Pulled from git");
    std::thread::sleep(Duration::from_millis(20));
    fs::write(&path, &theirs).unwrap();
    term.keys(&["9"]);
    term.wait_for("The session file changed on disk", WAIT);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        theirs,
        "not overwritten"
    );
    // Save ours under a new name and continue there.
    term.keys(&["s"]);
    term.wait_for("Save your version as", WAIT);
    term.keys(&[ENTER]);
    term.wait_for("saved as", WAIT);
    term.keys(&["8"]);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs, "still theirs");
    let mine = store::load(&dir.path().join("ws.mine.ron")).unwrap();
    assert_eq!(mine.failure_mode(FailureModeId(3)).unwrap().severity, 8);
    assert_eq!(mine.title, "Secure Virtual IP Chamber: InfoSec FMEA Circle");
}

#[test]
fn reload_after_a_change_on_disk_keeps_the_edits_in_a_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    term.wait_for("✓ saved", WAIT);
    let theirs = fs::read_to_string(&path)
        .unwrap()
        .replace("Secure Virtual IP Chamber", "Pulled from git");
    fs::write(&path, &theirs).unwrap();
    term.keys(&["9"]);
    term.wait_for("The session file changed on disk", WAIT);
    term.keys(&["r"]);
    term.wait_for("Pulled from git", WAIT);
    term.wait_for("your unsaved edits are in", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    let recovery = store::recovery_files(&path);
    assert_eq!(
        store::load(&recovery[0])
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        9
    );
}

/// A small tmpfs for the disk-full and read-only cases; unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kilobytes: u32) -> Option<SmallDisk> {
        if !is_root() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kilobytes}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_keeps_the_file_and_the_edits_and_saving_resumes_with_space() {
    // Room for the session, its .bak and the temporary file of a save (three
    // copies of the demo, which grows with the features it shows), not more.
    let demo_kb =
        u32::try_from(fs::metadata("sessions/ip-chamber.ron").unwrap().len() / 1024).unwrap();
    let Some(disk) = SmallDisk::mount(demo_kb * 3 + 64) else {
        required_or_skip(false, "mounting a tmpfs needs root");
        return;
    };
    let path = demo_copy(disk.path());
    let original = fs::read(&path).unwrap();
    let mut term = Pty::spawn(&["ws.ron"], disk.path(), 120, 40, &[]);
    term.wait_for("✓ saved", WAIT);
    // Fill the disk.
    let filler = disk.path().join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=4k"])
        .arg(format!("of={}", filler.display()))
        .output();
    term.keys(&["0"]);
    term.wait_for("NOT SAVED", WAIT);
    assert_eq!(fs::read(&path).unwrap(), original, "the file is intact");
    assert!(
        temp_files(disk.path()).is_empty(),
        "no half-written temporary file left"
    );
    // Space is back: the autosave succeeds by itself.
    fs::remove_file(&filler).unwrap();
    term.wait_for("✓ saved", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    assert_eq!(
        store::load(&path)
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );
}

/// Runs riskroom as an ordinary user: root ignores directory permissions, and a
/// read-only directory is what an ordinary user meets.
fn spawn_unprivileged(dir: &Path, args: &[&str]) -> Pty {
    if is_root() {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success());
        let binary = pty::binary_for_everyone();
        let mut full = vec![
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            binary.as_str(),
        ];
        full.extend_from_slice(args);
        Pty::spawn_with("setpriv", &full, dir, 120, 40, &[])
    } else {
        Pty::spawn(args, dir, 120, 40, &[])
    }
}

fn chmod(path: &Path, mode: &str) {
    assert!(
        Command::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn a_read_only_directory_keeps_the_edits_and_saving_resumes_when_writable() {
    let has_setpriv = !is_root()
        || Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !required_or_skip(has_setpriv, "setpriv is needed to run as an ordinary user") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), "755");
    let path = demo_copy(dir.path());
    let original = fs::read(&path).unwrap();
    let mut term = spawn_unprivileged(dir.path(), &["ws.ron"]);
    term.wait_for("✓ saved", WAIT);
    chmod(dir.path(), "555");
    term.keys(&["0"]);
    term.wait_for("NOT SAVED", WAIT);
    term.wait_for("Permission denied", WAIT);
    assert_eq!(fs::read(&path).unwrap(), original);
    // Quitting now would lose the edit: it asks first.
    term.keys(&["q"]);
    term.wait_for("could not be saved. Quit anyway?", WAIT);
    term.keys(&["n"]);
    chmod(dir.path(), "755");
    term.wait_for("✓ saved", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    assert_eq!(
        store::load(&path)
            .unwrap()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );
}

#[test]
fn quitting_when_saving_is_impossible_writes_a_recovery_file() {
    let has_setpriv = !is_root()
        || Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !required_or_skip(has_setpriv, "setpriv is needed to run as an ordinary user") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), "755");
    let path = demo_copy(dir.path());
    let mut term = spawn_unprivileged(dir.path(), &["ws.ron"]);
    term.wait_for("✓ saved", WAIT);
    chmod(dir.path(), "555");
    term.keys(&["0"]);
    term.wait_for("NOT SAVED", WAIT);
    term.keys(&["q"]);
    term.wait_for("Quit anyway?", WAIT);
    term.keys(&["y"]);
    assert_eq!(term.wait_exit(WAIT), Some(1));
    // The reader thread may not have fed the last bytes to the screen yet.
    term.wait_for("could not be saved; the session was written to", WAIT);
    let screen = term.screen();
    assert!(
        screen.contains("could not be saved; the session was written to"),
        "{screen}"
    );
    let written = screen
        .split("written to ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let recovered = store::load(Path::new(&written)).unwrap();
    assert_eq!(
        recovered.failure_mode(FailureModeId(3)).unwrap().severity,
        10
    );
    chmod(dir.path(), "755");
    let _ = path;
}

#[test]
fn export_into_a_read_only_directory_says_why_and_leaves_nothing() {
    let Some(disk) = SmallDisk::mount(2048) else {
        required_or_skip(false, "mounting a tmpfs needs root");
        return;
    };
    demo_copy(disk.path());
    disk.remount("ro");
    let out = Command::new(pty::binary())
        .arg("export")
        .arg(disk.path().join("ws.ron"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Read-only file system") && err.contains("ws-assets.csv"),
        "{err}"
    );
    disk.remount("rw");
    assert!(!disk.path().join("ws-assets.csv").exists());
    assert!(temp_files(disk.path()).is_empty());
}
