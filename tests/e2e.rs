//! The real binary in a pseudo-terminal, on a temporary copy of the demo: what is
//! typed reaches the file on disk, even when the process is killed.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use pty::{ENTER, Pty, TAB};
use riskroom::domain::FailureModeId;
use riskroom::store;

const WAIT: Duration = Duration::from_secs(10);

fn demo_copy(dir: &Path) -> PathBuf {
    let path = dir.join("ws.ron");
    std::fs::copy("sessions/ip-chamber.ron", &path).unwrap();
    path
}

#[test]
fn a_failure_mode_added_on_screen_is_in_the_file_after_quit() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[("NO_COLOR", "1")]);
    term.wait_for("Failure modes by RPN (40", WAIT);
    term.keys(&["a"]);
    term.wait_for("New failure mode", WAIT);
    term.send("Licence file copied to a USB stick");
    term.keys(&[TAB]);
    term.send("Customer licence abused elsewhere");
    term.keys(&[TAB, TAB, TAB, TAB, "7", "3", "8", ENTER]);
    term.wait_for("FM-042 added", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0), "{}", term.screen());
    let session = store::load(&path).unwrap();
    let fm = session.failure_mode(FailureModeId(42)).unwrap();
    assert_eq!(fm.mode, "Licence file copied to a USB stick");
    assert_eq!((fm.severity, fm.occurrence, fm.detection), (7, 3, 8));
    assert!(
        store::backup_path(&path).exists(),
        "the file as opened is kept as .bak"
    );
}

#[test]
fn an_edit_is_on_disk_three_seconds_later_even_after_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    term.wait_for("Failure modes by RPN (40", WAIT);
    term.keys(&["0"]); // FM-003's severity 8 -> 10
    term.wait_for("FM-003: severity 10", WAIT);
    std::thread::sleep(Duration::from_secs(3));
    term.signal("9");
    assert!(term.wait_exit(WAIT).is_some());
    let session = store::load(&path).unwrap();
    assert_eq!(session.failure_mode(FailureModeId(3)).unwrap().severity, 10);
}

#[test]
fn the_saved_mark_turns_true_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let _path = demo_copy(dir.path());
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[]);
    term.wait_for("✓ saved", WAIT);
    term.keys(&["9"]);
    term.wait_for("✓ saved", Duration::from_secs(2));
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
}

#[test]
fn a_second_riskroom_on_the_same_file_is_read_only_and_says_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut first = Pty::spawn(&["ws.ron"], dir.path(), 80, 24, &[]);
    first.wait_for("✓ saved", WAIT);
    let mut second = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    second.wait_for("READ-ONLY", WAIT);
    second.wait_for(&format!("process {}", first.pid()), WAIT);
    second.keys(&["9"]);
    second.wait_for("read-only, nothing can be changed", WAIT);
    second.keys(&["q"]);
    assert_eq!(second.wait_exit(WAIT), Some(0));
    first.keys(&["q"]);
    assert_eq!(first.wait_exit(WAIT), Some(0));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read("sessions/ip-chamber.ron").unwrap()
    );
}

#[test]
fn the_read_only_window_follows_the_holder_and_can_edit_once_it_has_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_copy(dir.path());
    let mut first = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    first.wait_for("✓ saved", WAIT);
    let mut second = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    second.wait_for("READ-ONLY", WAIT);
    // The holder rates FM-003 (the top row, S) 1 and saves it.
    first.keys(&["1"]);
    first.wait_for("● unsaved", WAIT);
    first.wait_for("✓ saved", WAIT);
    // The next key in the read-only window shows it.
    second.keys(&[pty::DOWN]);
    second.wait_for("read again: the other riskroom saved the file", WAIT);
    assert!(
        riskroom::store::load(&path).unwrap().failure_modes[2].severity == 1,
        "the holder's edit is on disk"
    );
    first.keys(&["q"]);
    assert_eq!(first.wait_exit(WAIT), Some(0));
    // Once the holder has gone, the read-only window takes over.
    second.keys(&["\x1b[A"]); // Up
    second.wait_for("this window can edit it now", WAIT);
    second.keys(&["7"]);
    second.wait_for("● unsaved", WAIT);
    second.keys(&["q"]);
    assert_eq!(second.wait_exit(WAIT), Some(0));
    let s = riskroom::store::load(&path).unwrap();
    assert!(
        s.failure_modes
            .iter()
            .any(|f| f.severity == 7 && f.id.0 != 3)
            || s.failure_modes[2].severity == 7,
        "the second window's edit is on disk"
    );
}

#[test]
fn a_broken_file_never_opens_the_screen_and_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(
        &path,
        "(format: 1, title: \"x\", assets: [(id: \"A-001\")],)",
    )
    .unwrap();
    let mut term = Pty::spawn(&["bad.ron"], dir.path(), 80, 24, &[]);
    assert_eq!(term.wait_exit(WAIT), Some(1));
    term.wait_for("bad.ron:1:", WAIT);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(format: 1, title: \"x\", assets: [(id: \"A-001\")],)"
    );
}

/// The export dialog writes on a thread of its own: Enter, then the screen goes
/// on (Esc closes the dialog, a key moves the selection) while the workbook of
/// a 10,000-row register is written; when it is done the screen says so and
/// the next `x` lists it.
#[test]
fn the_workbook_is_written_while_the_screen_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    store::save(
        &path,
        &riskroom::generate::large_session(100, 10_000, 7),
        false,
    )
    .unwrap();
    let mut term = Pty::spawn(&["big.ron"], dir.path(), 120, 40, &[("NO_COLOR", "1")]);
    term.wait_for("Failure modes by RPN (10000", WAIT);
    term.keys(&["x", "\x06"]); // Ctrl-f: the workbook
    term.wait_for("Export: Excel workbook", WAIT);
    term.keys(&[ENTER, "\x1b", "\x1b[B"]);
    term.wait_for(
        "exported the workbook (x shows it) beside the session",
        WAIT,
    );
    assert!(dir.path().join("big.xlsx").exists());
    term.keys(&["x"]);
    term.wait_for("big.xlsx (10000 rows)", WAIT);
    term.keys(&["\x1b", "q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    // Nothing half-written left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains(".tmp") && !n.contains("riskroom-")),
        "{names:?}"
    );
}

#[test]
fn the_key_trace_holds_one_time_for_each_key_that_changed_the_screen() {
    // RISKROOM_KEY_TRACE (bench/follow.sh): the facilitator's own time per key.
    let dir = tempfile::tempdir().unwrap();
    demo_copy(dir.path());
    let trace = dir.path().join("keys.trace");
    let trace_env = trace.to_str().unwrap();
    let mut term = Pty::spawn(
        &["ws.ron"],
        dir.path(),
        80,
        24,
        &[("RISKROOM_KEY_TRACE", trace_env)],
    );
    term.wait_for("Failure modes by RPN (40", WAIT);
    // Three keys that move the selection, one at a time.
    for _ in 0..3 {
        let before = term.screen();
        term.keys(&["j"]);
        let start = std::time::Instant::now();
        while term.screen() == before && start.elapsed() < WAIT {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_ne!(term.screen(), before, "j moved nothing");
    }
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0), "{}", term.screen());
    let text = std::fs::read_to_string(&trace).unwrap();
    let micros: Vec<u64> = text.lines().map(|l| l.parse().unwrap()).collect();
    // The three moves; `q` draws no frame of its own.
    assert_eq!(micros.len(), 3, "{text}");
    assert!(micros.iter().all(|&us| us > 0 && us < 10_000_000), "{text}");

    // A second run must not overwrite the first run's trace.
    let mut again = Pty::spawn(
        &["ws.ron"],
        dir.path(),
        80,
        24,
        &[("RISKROOM_KEY_TRACE", trace_env)],
    );
    assert_ne!(again.wait_exit(WAIT), Some(0));
    assert_eq!(std::fs::read_to_string(&trace).unwrap(), text);
}
