//! Safe on a shared jump host (issue 12): a careless or hostile co-user in the
//! same folders, links, escape codes, counters, special files, messages and
//! files rewritten behind riskroom's back.
//!
//! Most tests set up a small jump host: two ordinary users, alice (the victim,
//! the facilitator) and bob (the co-user), who share a group; a setgid group
//! folder (2770), a plain group folder (0770) and a sticky shared folder (1777);
//! and alice's private folder (0700) with a private file. Run as root (as in CI),
//! they drop to alice and bob with `setpriv`; elsewhere they say so and pass,
//! unless `RISKROOM_FULL_TESTS` is set. Each attack is tried, the victim's files
//! are checked byte for byte afterwards, the session still loads, and the message
//! is checked. The file is long because it is one suite: every class of the
//! issue, with the small host they share.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pty::{ENTER, Pty};
use riskroom::store;

const DEMO: &str = "sessions/ip-chamber.ron";
const WAIT: Duration = Duration::from_secs(10);
const ALICE: u32 = 4101;
const BOB: u32 = 4102;
const TEAM: u32 = 4100;
const SECRET: &[u8] = b"alice's private notes: the VPN pre-shared key\n";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A host with two users, or `None` (and the test passes, saying why) where
/// this is not root: unless `RISKROOM_FULL_TESTS` asks for every test.
fn host() -> Option<Host> {
    let can = is_root()
        && Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !can {
        assert!(
            std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
            "RISKROOM_FULL_TESTS is set but these tests need root and setpriv"
        );
        eprintln!("skipped: a shared host needs root (to be two users) and setpriv");
        return None;
    }
    Some(Host::new())
}

/// One copy of the binary that alice and bob may run, for the whole test run.
fn binary_for_anyone() -> String {
    pty::binary_for_everyone()
}

struct Host {
    _root: tempfile::TempDir,
    binary: String,
    /// 2770 root:team
    setgid: PathBuf,
    /// 0770 root:team
    group: PathBuf,
    /// 1777 root:root
    sticky: PathBuf,
    /// alice's own folder, 0700, with `private.txt` (0600)
    private: PathBuf,
}

fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid)).unwrap();
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

impl Host {
    fn new() -> Host {
        let root = tempfile::tempdir().unwrap();
        chmod(root.path(), 0o755);
        let binary = binary_for_anyone();
        let folder = |name: &str, gid: u32, mode: u32| {
            let dir = root.path().join(name);
            fs::create_dir(&dir).unwrap();
            chown(&dir, 0, gid);
            chmod(&dir, mode);
            dir
        };
        let setgid = folder("team-setgid", TEAM, 0o2770);
        let group = folder("team", TEAM, 0o770);
        let sticky = folder("shared", 0, 0o1777);
        let private = folder("alice", ALICE, 0o700);
        chown(&private, ALICE, ALICE);
        let secret = private.join("private.txt");
        fs::write(&secret, SECRET).unwrap();
        chown(&secret, ALICE, ALICE);
        chmod(&secret, 0o600);
        Host {
            _root: root,
            binary,
            setgid,
            group,
            sticky,
            private,
        }
    }

    fn secret(&self) -> PathBuf {
        self.private.join("private.txt")
    }

    fn assert_secret_untouched(&self) {
        assert_eq!(
            fs::read(self.secret()).unwrap(),
            SECRET,
            "alice's private file was changed"
        );
    }

    /// `riskroom ARGS` as `uid` (a member of the team), in `dir`.
    fn riskroom(&self, uid: u32, dir: &Path, args: &[&str]) -> Output {
        self.run_as(uid, dir, &self.binary, args)
    }

    fn run_as(&self, uid: u32, dir: &Path, program: &str, args: &[&str]) -> Output {
        let out = self.command_as(uid, dir, program, args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        out
    }

    fn command_as(&self, uid: u32, dir: &Path, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new("setpriv");
        command
            .arg(format!("--reuid={uid}"))
            .arg(format!("--regid={uid}"))
            .arg(format!("--groups={TEAM}"))
            .arg("--")
            .arg(program)
            .args(args)
            .current_dir(dir)
            .env("USER", user_name(uid))
            .env("HOME", dir)
            .stdin(Stdio::null());
        command
    }

    /// A shell command as `uid`: what a co-user does by hand.
    fn sh(&self, uid: u32, dir: &Path, script: &str) {
        let out = self.run_as(uid, dir, "/bin/sh", &["-c", script]);
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The workshop screen as `uid`, in a pseudo-terminal.
    fn screen(&self, uid: u32, dir: &Path, args: &[&str]) -> Pty {
        let mut full = vec![
            format!("--reuid={uid}"),
            format!("--regid={uid}"),
            format!("--groups={TEAM}"),
            "--".to_string(),
            self.binary.clone(),
        ];
        full.extend(args.iter().map(|a| a.to_string()));
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        Pty::spawn_with(
            "setpriv",
            &full,
            dir,
            120,
            40,
            &[("USER", user_name(uid)), ("NO_COLOR", "1")],
        )
    }

    /// alice's copy of the demo session in `dir`, owned by `uid`, with `mode`.
    fn session(&self, dir: &Path, name: &str, uid: u32, gid: u32, mode: u32) -> PathBuf {
        let path = dir.join(name);
        fs::copy(DEMO, &path).unwrap();
        chown(&path, uid, gid);
        chmod(&path, mode);
        path
    }
}

/// Whether a message names bob: by name where the host knows him, else by uid
/// (the test users have no entry in /etc/passwd).
fn names_bob(text: &str) -> bool {
    text.contains("bob") || text.contains(&format!("uid {BOB}"))
}

fn user_name(uid: u32) -> &'static str {
    match uid {
        ALICE => "alice",
        BOB => "bob",
        _ => "root",
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// No byte or character in `text` that a terminal would act on or hide.
fn assert_terminal_safe(text: &str, what: &str) {
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        assert!(!bad, "{what} holds U+{:04X} raw: {text:?}", u32::from(c));
    }
}

// ---------------------------------------------------------------------------
// 1. A planted lock file

#[test]
fn a_lock_file_planted_as_a_link_is_never_followed() {
    let Some(host) = host() else { return };
    for dir in [&host.setgid, &host.sticky] {
        let session = host.session(dir, "ws.ron", ALICE, TEAM, 0o660);
        let before = fs::read(&session).unwrap();
        host.sh(
            BOB,
            dir,
            &format!("ln -s {} .ws.ron.lock", host.secret().display()),
        );
        // `fmt` takes the lock as the screen does; so does a plain open.
        let out = host.riskroom(ALICE, dir, &["fmt", "ws.ron"]);
        host.assert_secret_untouched();
        assert!(!out.status.success(), "{dir:?}: fmt went ahead");
        let err = stderr(&out);
        assert!(
            err.contains(".ws.ron.lock") && err.contains("link"),
            "{err}"
        );
        assert_eq!(fs::read(&session).unwrap(), before);
        assert!(
            fs::symlink_metadata(dir.join(".ws.ron.lock")).is_ok_and(|m| m.is_symlink()),
            "the planted link is left for its owner to answer for"
        );
        let mut term = host.screen(ALICE, dir, &["ws.ron"]);
        term.wait_for("READ-ONLY", WAIT);
        term.wait_for("link", WAIT);
        term.keys(&["q"]);
        assert_eq!(term.wait_exit(WAIT), Some(0));
        host.assert_secret_untouched();
        store::load(&session).unwrap();
    }
}

#[test]
fn a_lock_file_someone_else_left_is_not_written_into() {
    let Some(host) = host() else { return };
    let dir = &host.sticky;
    host.session(dir, "ws.ron", ALICE, TEAM, 0o666);
    // bob's file, writable by all, in a folder where alice cannot remove it.
    host.sh(
        BOB,
        dir,
        "printf 'bob was here\\n' > .ws.ron.lock; chmod 666 .ws.ron.lock",
    );
    let out = host.riskroom(ALICE, dir, &["fmt", "ws.ron"]);
    assert_eq!(
        fs::read(dir.join(".ws.ron.lock")).unwrap(),
        b"bob was here\n"
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(names_bob(&err), "{err}");
}

// ---------------------------------------------------------------------------
// 2. A planted export target

#[test]
fn an_export_target_planted_as_a_link_is_not_written_through() {
    let Some(host) = host() else { return };
    for dir in [&host.sticky, &host.setgid] {
        host.session(dir, "ws.ron", ALICE, TEAM, 0o660);
        host.sh(
            BOB,
            dir,
            &format!("ln -s {} ws-controls.csv", host.secret().display()),
        );
        let out = host.riskroom(ALICE, dir, &["export", "ws.ron"]);
        host.assert_secret_untouched();
        assert!(!out.status.success(), "{dir:?}: export went ahead");
        let err = stderr(&out);
        assert!(
            err.contains("ws-controls.csv") && err.contains("link"),
            "{err}"
        );
        assert!(
            !dir.join("ws-assets.csv").exists(),
            "stopped before the first file, not halfway"
        );
        // Once the link is gone, the export goes ahead.
        fs::remove_file(dir.join("ws-controls.csv")).unwrap();
        let out = host.riskroom(ALICE, dir, &["export", "ws.ron"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn a_backup_or_recovery_name_planted_as_a_link_is_not_written_through() {
    let Some(host) = host() else { return };
    let dir = &host.setgid;
    let session = host.session(dir, "ws.ron", ALICE, TEAM, 0o660);
    fs::write(dir.join("a.csv"), "ID,Name\nA-001,Renamed\n").unwrap();
    host.sh(
        BOB,
        dir,
        &format!("ln -s {} ws.ron.bak", host.secret().display()),
    );
    let before = fs::read(&session).unwrap();
    let out = host.riskroom(ALICE, dir, &["import", "ws.ron", "--assets", "a.csv"]);
    host.assert_secret_untouched();
    // The link was replaced by a .bak of alice's own, not written through.
    assert!(out.status.success(), "{}", stderr(&out));
    let bak = store::backup_path(&session);
    assert!(!fs::symlink_metadata(&bak).unwrap().is_symlink());
    assert_eq!(fs::read(&bak).unwrap(), before);
    assert_eq!(store::load(&session).unwrap().assets[0].name, "Renamed");
}

// ---------------------------------------------------------------------------
// 3. Escape codes from data

const HOSTILE_TITLE: &str = "\u{1b}]0;owned\u{7}\u{1b}[2JQ3 review \u{202E}txt.exe";

fn hostile_session(path: &Path) {
    let text = fs::read_to_string(DEMO)
        .unwrap()
        .replacen(
            "title: \"Secure Virtual IP Chamber: InfoSec FMEA Circle\"",
            "title: \"\\u{1b}]0;owned\\u{7}\\u{1b}[2JQ3 review \\u{202E}txt.exe\"",
            1,
        )
        .replace(
            "VPN",
            "VPN\\u{1b}]52;c;cm0gLXJmIH4=\\u{7}\\u{200B}\\u{9b}31m",
        );
    assert!(text.contains("]52;"));
    fs::write(path, text).unwrap();
}

#[test]
fn check_prints_no_escape_code_a_session_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    hostile_session(&path);
    assert_eq!(store::load(&path).unwrap().title, HOSTILE_TITLE);
    let out = Command::new(pty::binary())
        .args(["check", "ws.ron"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_terminal_safe(&text, "check's output");
    assert!(text.contains("\\u{1B}]0;owned\\u{7}"), "{text}");
    assert!(
        text.contains("\\u{202E}txt.exe"),
        "shown, not hidden: {text}"
    );
    assert!(text.contains("\\u{1B}]52;c;"), "{text}");
}

#[test]
fn import_prints_a_hostile_lock_holder_line_safely() {
    let Some(host) = host() else { return };
    let dir = &host.setgid;
    host.session(dir, "ws.ron", ALICE, TEAM, 0o660);
    fs::write(dir.join("a.csv"), "ID,Name\nA-001,Renamed\n").unwrap();
    chmod(&dir.join("a.csv"), 0o644);
    // bob holds the lock with a holder line of his making.
    let mut holder = host
        .command_as(
            BOB,
            dir,
            "/bin/sh",
            &[
                "-c",
                "umask 002; printf '\\033]52;c;cm0gLXJmIH4=\\007\\033[2J\\342\\200\\256bob' > .ws.ron.lock; \
                 exec flock -n .ws.ron.lock sleep 20",
            ],
        )
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.join(".ws.ron.lock").exists() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let out = host.riskroom(ALICE, dir, &["import", "ws.ron", "--assets", "a.csv"]);
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("held by"), "{err}");
    assert_terminal_safe(&err, "import's message");
    assert!(err.contains("\\u{1B}]52;c;"), "{err}");
}

#[test]
fn import_warns_of_control_characters_in_cells_and_echoes_none() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(DEMO, dir.path().join("ws.ron")).unwrap();
    fs::write(
        dir.path().join("a.csv"),
        "ID,Name,Owner\nA-001,Server \u{1b}[2J,ok\nA-002,Fine,Mei \u{202E}gnil\n",
    )
    .unwrap();
    let out = Command::new(pty::binary())
        .args(["import", "ws.ron", "--assets", "a.csv", "--dry-run"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_terminal_safe(&all, "import's output");
    assert!(all.contains("line 2") && all.contains("Name"), "{all}");
    assert!(all.contains("line 3") && all.contains("Owner"), "{all}");
    assert!(all.contains("U+202E") || all.contains("\\u{202E}"), "{all}");
}

#[test]
fn messages_quoting_a_file_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A misspelt field name is quoted by the message; here it carries a code.
    let text = fs::read_to_string(DEMO).unwrap().replacen(
        "    title:",
        "    r#ti\u{1b}]0;x\u{7}tle: \"x\",\n    title:",
        1,
    );
    fs::write(dir.path().join("ws.ron"), text).unwrap();
    fs::write(
        dir.path().join("a.csv"),
        "ID,Name,Category,Confidentiality,Integrity,Availability\n,New,\u{1b}[2JHardwre,1,1,1\n",
    )
    .unwrap();
    for args in [&["check", "ws.ron"][..], &["check", "no\u{1b}[2Jsuch.ron"]] {
        let out = Command::new(pty::binary())
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert_terminal_safe(&stderr(&out), "the message");
    }
    fs::copy(DEMO, dir.path().join("ok.ron")).unwrap();
    let out = Command::new(pty::binary())
        .args(["import", "ok.ron", "--assets", "a.csv", "--dry-run"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("Hardwre"), "{err}");
    assert_terminal_safe(&err, "import's rejection");
}

// ---------------------------------------------------------------------------
// 4. Counters at their limit

#[test]
fn an_id_beyond_the_bound_is_refused_by_import_and_nothing_wraps() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(DEMO, dir.path().join("ws.ron")).unwrap();
    let csv = "ID,Failure mode,Severity,Occurrence,Detection\nFM-4294967295,Far away,5,5,5\n";
    fs::write(dir.path().join("f.csv"), csv).unwrap();
    let before = fs::read(dir.path().join("ws.ron")).unwrap();
    let out = Command::new(pty::binary())
        .args(["import", "ws.ron", "--failure-modes", "f.csv", "--keep-ids"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("FM-4294967295") && err.contains("highest"),
        "{err}"
    );
    assert_eq!(fs::read(dir.path().join("ws.ron")).unwrap(), before);
}

#[test]
fn counters_and_cycles_beyond_the_bound_are_refused_on_load() {
    let dir = tempfile::tempdir().unwrap();
    let demo = fs::read_to_string(DEMO).unwrap();
    for (name, text, expect) in [
        (
            "cycle.ron",
            demo.replacen(
                "cycle: 2,\n        stage: Do,",
                "cycle: 4294967295,\n        stage: Do,",
                1,
            ),
            "cycle 4294967295",
        ),
        (
            "ids.ron",
            demo.replacen(
                "    next_ids: (\n        asset: 21,\n        failure_mode: 42,",
                "    next_ids: (\n        asset: 21,\n        failure_mode: 4294967295,",
                1,
            ),
            "4294967295",
        ),
    ] {
        assert_ne!(
            text, demo,
            "{name}: the demo no longer has what is replaced"
        );
        fs::write(dir.path().join(name), &text).unwrap();
        let out = Command::new(pty::binary())
            .args(["check", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{name} accepted");
        assert!(err.contains(expect) && err.contains("highest"), "{err}");
        assert!(!err.contains("rating"), "not a rating: {err}");
    }
}

// ---------------------------------------------------------------------------
// 5. Shared files change hands

fn owner_group_mode(path: &Path) -> (u32, u32, u32) {
    let m = fs::metadata(path).unwrap();
    (m.uid(), m.gid(), m.mode() & 0o7777)
}

#[test]
fn a_group_members_save_keeps_the_group_and_the_mode() {
    let Some(host) = host() else { return };
    let dir = &host.group;
    let session = host.session(dir, "ws.ron", 0, TEAM, 0o660);
    for (who, name) in [(ALICE, "Renamed by alice"), (BOB, "Renamed by bob")] {
        let csv = dir.join(format!("{who}.csv"));
        fs::write(&csv, format!("ID,Name\nA-001,{name}\n")).unwrap();
        chmod(&csv, 0o644);
        let out = host.riskroom(
            who,
            dir,
            &["import", "ws.ron", "--assets", &format!("{who}.csv")],
        );
        assert!(out.status.success(), "{}: {}", user_name(who), stderr(&out));
        let (_, gid, mode) = owner_group_mode(&session);
        assert_eq!(
            (gid, mode),
            (TEAM, 0o660),
            "after {}'s save",
            user_name(who)
        );
        assert_eq!(owner_group_mode(&store::backup_path(&session)).1, TEAM);
    }
    let loaded = store::load(&session).unwrap();
    assert_eq!(loaded.assets[0].name, "Renamed by bob");
    // Where the owner cannot be kept, the saver is told before the save.
    let csv = dir.join("again.csv");
    fs::write(&csv, "ID,Name\nA-001,Again\n").unwrap();
    chmod(&csv, 0o644);
    let out = host.riskroom(ALICE, dir, &["import", "ws.ron", "--assets", "again.csv"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("owner") && names_bob(&err), "{err}");
}

#[test]
fn root_saving_a_users_session_keeps_it_theirs() {
    let Some(host) = host() else { return };
    let dir = &host.group;
    let session = host.session(dir, "ws.ron", ALICE, TEAM, 0o640);
    fs::write(dir.join("a.csv"), "ID,Name\nA-001,Renamed by root\n").unwrap();
    let out = host.riskroom(0, dir, &["import", "ws.ron", "--assets", "a.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(owner_group_mode(&session), (ALICE, TEAM, 0o640));
}

#[test]
fn a_session_that_cannot_be_saved_as_it_is_is_opened_read_only_with_the_reason() {
    let Some(host) = host() else { return };
    // bob's session in the sticky folder: alice may write it, but the sticky
    // folder lets only bob replace it.
    let sticky = host.session(&host.sticky, "ws.ron", BOB, TEAM, 0o666);
    // bob's session in the group folder that the group may not write.
    let guarded = host.session(&host.group, "ws.ron", BOB, TEAM, 0o640);
    for (path, reason) in [(&sticky, "sticky"), (&guarded, "cannot write")] {
        let dir = path.parent().unwrap();
        let before = fs::read(path).unwrap();
        fs::write(dir.join("a.csv"), "ID,Name\nA-001,Renamed\n").unwrap();
        chmod(&dir.join("a.csv"), 0o644);
        let out = host.riskroom(ALICE, dir, &["import", "ws.ron", "--assets", "a.csv"]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains(reason) && names_bob(&err), "{err}");
        assert_eq!(fs::read(path).unwrap(), before);
        assert_eq!(owner_group_mode(path).0, BOB);
        let mut term = host.screen(ALICE, dir, &["ws.ron"]);
        term.wait_for("READ-ONLY", WAIT);
        term.wait_for(reason, WAIT);
        term.keys(&["q"]);
        assert_eq!(term.wait_exit(WAIT), Some(0));
        assert_eq!(fs::read(path).unwrap(), before);
    }
}

// ---------------------------------------------------------------------------
// 6. The same file under two names

#[test]
fn the_lock_belongs_to_the_file_not_to_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    fs::copy(DEMO, &real).unwrap();
    std::os::unix::fs::symlink("real.ron", dir.path().join("link.ron")).unwrap();
    fs::write(dir.path().join("a.csv"), "ID,Name\nA-001,Renamed\n").unwrap();
    let mut first = Pty::spawn(&["real.ron"], dir.path(), 120, 40, &[]);
    first.wait_for("✓ saved", WAIT);
    let mut second = Pty::spawn(&["link.ron"], dir.path(), 120, 40, &[]);
    second.wait_for("READ-ONLY", WAIT);
    let out = Command::new(pty::binary())
        .args(["import", "link.ron", "--assets", "a.csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "import through the link while held");
    assert!(stderr(&out).contains("held by"), "{}", stderr(&out));
    second.keys(&["q"]);
    first.keys(&["q"]);
    assert_eq!(first.wait_exit(WAIT), Some(0));
    assert_eq!(second.wait_exit(WAIT), Some(0));
    let out = Command::new(pty::binary())
        .args(["import", "link.ron", "--assets", "a.csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("real.ron.bak"), "{said}");
    assert!(dir.path().join("real.ron.bak").exists());
    assert!(
        fs::symlink_metadata(dir.path().join("link.ron"))
            .unwrap()
            .is_symlink()
    );
}

// ---------------------------------------------------------------------------
// 7. Special files

/// Runs the command; `None` when it had not ended after `limit` (then killed).
fn output_within(mut command: Command, limit: Duration) -> Option<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// riskroom with at most 1 GB of address space, so that an unbounded read
/// fails fast instead of eating the machine's memory.
fn riskroom_limited(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("prlimit");
    command
        .arg("--as=1000000000")
        .arg(pty::binary())
        .args(args)
        .current_dir(dir);
    command
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn fifos_and_devices_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(DEMO, dir.path().join("ok.ron")).unwrap();
    mkfifo(&dir.path().join("fifo.ron"));
    mkfifo(&dir.path().join("fifo.csv"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.ron")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.csv")).unwrap();
    for args in [
        &["check", "fifo.ron"][..],
        &["check", "zero.ron"],
        &["export", "zero.ron"],
        &["import", "ok.ron", "--assets", "fifo.csv"],
        &["import", "ok.ron", "--failure-modes", "zero.csv"],
    ] {
        let out = output_within(riskroom_limited(dir.path(), args), WAIT)
            .unwrap_or_else(|| panic!("{args:?} hung"));
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
        assert!(
            err.contains("fifo.") || err.contains("zero."),
            "names the file: {err}"
        );
    }
}

#[test]
fn the_picker_and_the_screens_import_do_not_hang_on_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sessions")).unwrap();
    fs::copy(DEMO, dir.path().join("sessions/ok.ron")).unwrap();
    mkfifo(&dir.path().join("sessions/stuck.ron"));
    let mut picker = Pty::spawn(&[], dir.path(), 120, 40, &[]);
    picker.wait_for("New workshop", WAIT);
    picker.wait_for("it is a FIFO (named pipe)", WAIT);
    picker.keys(&["q"]);
    assert_eq!(picker.wait_exit(WAIT), Some(0));

    fs::copy(DEMO, dir.path().join("ws.ron")).unwrap();
    mkfifo(&dir.path().join("ws-assets.csv"));
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    term.wait_for("✓ saved", WAIT);
    term.keys(&["i"]);
    term.wait_for("Import from CSV", WAIT);
    term.keys(&[ENTER]);
    term.wait_for("not a regular file", WAIT);
    term.keys(&["\x1b"]);
    std::thread::sleep(Duration::from_millis(200));
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
}

// ---------------------------------------------------------------------------
// 8. Messages

fn riskroom_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(pty::binary())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_session_with_a_byte_order_mark_loads_and_is_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(DEMO).unwrap());
    let path = dir.path().join("ws.ron");
    fs::write(&path, &bytes).unwrap();
    let out = riskroom_in(dir.path(), &["check", "ws.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut term = Pty::spawn(&["ws.ron"], dir.path(), 120, 40, &[]);
    term.wait_for("✓ saved", WAIT);
    term.keys(&["q"]);
    assert_eq!(term.wait_exit(WAIT), Some(0));
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "opening alone rewrites nothing"
    );
}

#[test]
fn import_messages_are_short_and_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(DEMO, dir.path().join("ws.ron")).unwrap();
    let huge = "x".repeat(1_000_000);
    fs::write(
        dir.path().join("huge.csv"),
        format!("ID,Name,Category,Confidentiality,Integrity,Availability\n,New,{huge},1,1,1\n"),
    )
    .unwrap();
    let mut wide = String::from("ID,Name");
    for i in 0..100_000 {
        wide.push_str(&format!(",extra{i}"));
    }
    wide.push_str("\nA-001,Renamed\n");
    fs::write(dir.path().join("wide.csv"), wide).unwrap();
    let utf16: Vec<u8> = "ID,Name\r\nA-001,Renamed\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(dir.path().join("utf16.csv"), utf16).unwrap();
    fs::write(
        dir.path().join("quote.csv"),
        "ID,Name,Owner\nA-001,\"Renamed,Kenneth\nA-002,Other,Mei\n",
    )
    .unwrap();
    for (file, expect, refused) in [
        ("huge.csv", "characters)", true),
        ("wide.csv", "100000 columns", false),
        ("utf16.csv", "UTF-16", true),
        ("quote.csv", "closing quote", true),
    ] {
        let out = riskroom_in(
            dir.path(),
            &["import", "ws.ron", "--assets", file, "--dry-run"],
        );
        let err = stderr(&out);
        assert!(
            err.contains(expect),
            "{file}: {}",
            &err[..err.len().min(2000)]
        );
        assert!(err.len() < 4000, "{file}: {} bytes of message", err.len());
        assert!(
            err.lines().count() < 30,
            "{file}: {} lines",
            err.lines().count()
        );
        assert_eq!(!out.status.success(), refused, "{file}");
    }
}

#[test]
fn out_of_range_numbers_that_are_not_ratings_are_not_called_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let demo = fs::read_to_string(DEMO).unwrap();
    let text = demo.replacen(
        "cycle: 2,\n        stage: Do,",
        "cycle: 99999999999,\n        stage: Do,",
        1,
    );
    fs::write(dir.path().join("ws.ron"), text).unwrap();
    let out = riskroom_in(dir.path(), &["check", "ws.ron"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("cycle") && !err.contains("rating"), "{err}");
}

// ---------------------------------------------------------------------------
// 9. A same-length rewrite with the old time

#[test]
fn a_same_length_rewrite_in_place_with_the_old_mtime_is_noticed() {
    use std::io::{Seek, Write};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    fs::copy(DEMO, &path).unwrap();
    let state = store::disk_state(&path);
    let session = store::load(&path).unwrap();
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    // Someone else's editor: same length, written in place, time put back.
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replacen("severity: 8,", "severity: 9,", 1);
    assert_eq!(edited.len(), text.len());
    let mut file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.rewind().unwrap();
    file.write_all(edited.as_bytes()).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    let result = store::save_checked(&path, &session, true, state);
    assert!(
        matches!(result, Err(store::SaveError::ChangedOnDisk)),
        "{result:?}"
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        edited,
        "their edit is kept"
    );
}
