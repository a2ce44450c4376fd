//! Real git with the installed drivers (`riskroom git-setup`): two branches of
//! the demo merged with `git merge` (clean, conflicting, both adding records),
//! a rebase, `git diff` and `git log -p` on a session, and sides that cannot
//! be merged (broken, newer format).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use riskroom::domain::{FailureMode, FailureModeId, Session, Side};
use riskroom::merge::resolve::resolve;
use riskroom::store;

const SESSION: &str = "sessions/demo.ron";

fn bin() -> PathBuf {
    std::env::var_os("RISKROOM_BIN")
        .map(PathBuf::from)
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin("riskroom"))
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=t@example.org"])
        .args(["-c", "init.defaultBranch=main", "-c", "core.pager=cat"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn riskroom(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A repository with the demo committed on main and the drivers installed.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "-q"]);
    std::fs::create_dir(d.join("sessions")).unwrap();
    std::fs::copy("sessions/ip-chamber.ron", d.join(SESSION)).unwrap();
    let setup = riskroom(d, &["git-setup"]);
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    ok(d, &["add", "-A"]);
    ok(d, &["commit", "-qm", "demo"]);
    dir
}

fn edit(dir: &Path, change: impl FnOnce(&mut Session)) {
    let path = dir.join(SESSION);
    let mut s = store::load(&path).unwrap();
    change(&mut s);
    store::save(&path, &s, false).unwrap();
}

fn fm(s: &mut Session, n: u32) -> &mut FailureMode {
    let i = s.failure_mode_index(FailureModeId(n)).unwrap();
    &mut s.failure_modes[i]
}

fn commit_on(dir: &Path, branch: &str, from: &str, change: impl FnOnce(&mut Session)) {
    ok(dir, &["checkout", "-q", "-B", branch, from]);
    edit(dir, change);
    ok(dir, &["commit", "-qam", branch]);
}

fn loaded(dir: &Path) -> Session {
    let path = dir.join(SESSION);
    let s = store::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        store::to_ron(&s),
        "the merge is in canonical form"
    );
    s
}

#[test]
fn git_setup_says_what_it_did_and_changes_nothing_the_second_time() {
    let dir = repository();
    let d = dir.path();
    let attributes = std::fs::read_to_string(d.join(".gitattributes")).unwrap();
    assert_eq!(attributes, "*.ron merge=riskroom diff=riskroom\n");
    let again = riskroom(d, &["git-setup"]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success());
    assert!(text.contains("was there already"), "{text}");
    assert_eq!(text.matches("was set already").count(), 4, "{text}");
    assert_eq!(
        std::fs::read_to_string(d.join(".gitattributes")).unwrap(),
        attributes
    );
    let driver = ok(d, &["config", "--get", "merge.riskroom.driver"]);
    assert!(driver.contains("merge-driver %O %A %B %P"), "{driver}");

    let outside = tempfile::tempdir().unwrap();
    let refused = riskroom(outside.path(), &["git-setup"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not in a git repository"));
}

#[test]
fn riskrooms_backups_stay_out_of_git_status_in_a_worktree_too_and_no_link_is_written_through() {
    let dir = repository();
    let d = dir.path();
    // riskroom keeps the file as opened beside it.
    std::fs::write(d.join("sessions/demo.ron.bak"), "backup").unwrap();
    assert_eq!(
        ok(d, &["status", "--porcelain"]),
        "",
        "the backup is not shown"
    );
    let exclude = d.join(".git/info/exclude");
    let lines = std::fs::read_to_string(&exclude).unwrap();
    assert_eq!(lines.lines().filter(|l| *l == "*.ron.bak").count(), 1);
    let again = riskroom(d, &["git-setup"]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains("info/exclude: `*.ron.bak` was there already"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&exclude).unwrap(), lines);

    // A worktree's exclude is the main repository's: a new file, made.
    std::fs::remove_file(&exclude).unwrap();
    let tree = d.join("tree");
    ok(
        d,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "other",
            tree.to_str().unwrap(),
        ],
    );
    let setup = riskroom(&tree, &["git-setup"]);
    let text = String::from_utf8_lossy(&setup.stdout);
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    assert!(text.contains("added `*.ron.bak`"), "{text}");
    assert_eq!(std::fs::read_to_string(&exclude).unwrap(), "*.ron.bak\n");
    std::fs::write(tree.join("sessions/demo.ron.bak"), "backup").unwrap();
    assert_eq!(ok(&tree, &["status", "--porcelain"]), "");

    // A planted link is not written through.
    let target = d.join("elsewhere.txt");
    std::fs::write(&target, "theirs\n").unwrap();
    std::fs::remove_file(&exclude).unwrap();
    std::os::unix::fs::symlink(&target, &exclude).unwrap();
    let refused = riskroom(d, &["git-setup"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs\n");
}

#[test]
fn two_branches_editing_different_fields_of_one_failure_mode_merge_cleanly() {
    let dir = repository();
    let d = dir.path();
    commit_on(d, "a", "main", |s| fm(s, 3).severity = 10);
    commit_on(d, "b", "main", |s| {
        fm(s, 3).treatment.owner = "Ana Müller".into();
        fm(s, 5).mode = "VPN 憑證外洩".into();
    });
    let merged = git(d, &["merge", "-q", "--no-edit", "a"]);
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let s = loaded(d);
    assert_eq!(s.failure_mode(FailureModeId(3)).unwrap().severity, 10);
    assert_eq!(
        s.failure_mode(FailureModeId(3)).unwrap().treatment.owner,
        "Ana Müller"
    );
    assert_eq!(
        s.failure_mode(FailureModeId(5)).unwrap().mode,
        "VPN 憑證外洩"
    );
    assert!(s.conflicts.is_empty());
}

#[test]
fn a_conflict_stops_git_and_stays_in_a_file_that_loads_until_decided() {
    let dir = repository();
    let d = dir.path();
    commit_on(d, "a", "main", |s| fm(s, 3).severity = 10);
    commit_on(d, "b", "main", |s| fm(s, 3).severity = 2);
    let merged = git(d, &["merge", "--no-edit", "a"]);
    assert!(!merged.status.success(), "git reports the conflict");
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("FM-003 severity: ours 2, theirs 10"),
        "{stderr}"
    );
    let status = ok(d, &["status", "--porcelain"]);
    assert!(status.contains("UU sessions/demo.ron"), "{status}");
    let s = loaded(d);
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(
        s.failure_mode(FailureModeId(3)).unwrap().severity,
        2,
        "ours held"
    );
    // Decided (as the screen does), added and committed.
    let mut decided = s.clone();
    decided.apply(resolve(&s, &[Some(Side::Theirs)]).unwrap());
    store::save(&d.join(SESSION), &decided, false).unwrap();
    ok(d, &["add", SESSION]);
    ok(d, &["commit", "-qm", "merged"]);
    assert_eq!(
        loaded(d).failure_mode(FailureModeId(3)).unwrap().severity,
        10
    );
}

#[test]
fn both_branches_adding_a_failure_mode_keep_both_and_say_which_was_renumbered() {
    let dir = repository();
    let d = dir.path();
    let add = |text: &'static str| {
        move |s: &mut Session| {
            let id = s.allocate_failure_mode_id().unwrap();
            s.failure_modes.push(FailureMode::new(id, text));
        }
    };
    commit_on(d, "a", "main", add("added on a"));
    commit_on(d, "b", "main", add("added on b"));
    let before = store::load(&d.join(SESSION)).unwrap();
    let new_id = before.failure_modes.last().unwrap().id;
    let merged = git(d, &["merge", "--no-edit", "a"]);
    assert!(merged.status.success());
    let stderr = String::from_utf8_lossy(&merged.stderr);
    let renumbered = format!("theirs' {new_id} is {} now", FailureModeId(new_id.0 + 1));
    assert!(stderr.contains(&renumbered), "{stderr}");
    let s = loaded(d);
    assert_eq!(s.failure_mode(new_id).unwrap().mode, "added on b");
    assert_eq!(
        s.failure_mode(FailureModeId(new_id.0 + 1)).unwrap().mode,
        "added on a"
    );
}

#[test]
fn a_rebase_replays_edits_through_the_driver() {
    let dir = repository();
    let d = dir.path();
    commit_on(d, "upstream", "main", |s| fm(s, 1).detection = 2);
    commit_on(d, "feature", "main", |s| {
        fm(s, 1).cause = "weak passwords".into()
    });
    edit(d, |s| fm(s, 2).effect = "second commit".into());
    ok(d, &["commit", "-qam", "feature 2"]);
    let rebased = git(d, &["rebase", "upstream"]);
    assert!(
        rebased.status.success(),
        "{}",
        String::from_utf8_lossy(&rebased.stderr)
    );
    let s = loaded(d);
    let f = s.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!((f.detection, f.cause.as_str()), (2, "weak passwords"));
    assert_eq!(
        s.failure_mode(FailureModeId(2)).unwrap().effect,
        "second commit"
    );
}

#[test]
fn git_diff_and_git_log_describe_sessions_by_record_and_field() {
    let dir = repository();
    let d = dir.path();
    let before = store::load(&d.join(SESSION)).unwrap();
    let old = before.failure_mode(FailureModeId(3)).unwrap().severity;
    let new = if old == 10 { 9 } else { old + 1 };
    edit(d, |s| fm(s, 3).severity = new);
    let diff = ok(d, &["diff"]);
    assert!(
        diff.contains(&format!("FM-003 severity {old} → {new} (RPN ")),
        "{diff}"
    );
    assert!(!diff.contains("@@"), "no line diff: {diff}");
    ok(d, &["commit", "-qam", "rating"]);
    let log = ok(d, &["log", "-p", "-1"]);
    assert!(log.contains(&format!("+FM-003 severity {new}")), "{log}");
    assert!(log.contains(&format!("-FM-003 severity {old}")), "{log}");
}

#[test]
fn a_side_that_does_not_parse_leaves_gits_conflict_and_ours_untouched() {
    let dir = repository();
    let d = dir.path();
    commit_on(d, "a", "main", |s| fm(s, 3).severity = 10);
    ok(d, &["checkout", "-q", "-B", "b", "main"]);
    let path = d.join(SESSION);
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("severity: ", "severity: oops", 1);
    std::fs::write(&path, &broken).unwrap();
    ok(d, &["commit", "-qam", "broken"]);
    ok(d, &["checkout", "-q", "a"]);
    let ours = std::fs::read(&path).unwrap();
    let merged = git(d, &["merge", "--no-edit", "b"]);
    assert!(!merged.status.success());
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("sessions/demo.ron (theirs, the branch merged in):"),
        "{stderr}"
    );
    assert!(stderr.contains("not merged"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), ours, "nothing half-merged");
    assert!(ok(d, &["status", "--porcelain"]).contains("UU sessions/demo.ron"));
}

#[test]
fn a_newer_format_is_refused_with_the_stores_message() {
    let dir = repository();
    let d = dir.path();
    let path = d.join(SESSION);
    let base = std::fs::read_to_string(&path).unwrap();
    let write = |p: &Path, t: &str| std::fs::write(p, t).unwrap();
    let (b, o, t) = (d.join("b.ron"), d.join("o.ron"), d.join("t.ron"));
    write(&b, &base);
    write(&o, &base);
    let current = format!("format: {},", riskroom::domain::session::FORMAT);
    let newer = base.replacen(&current, "format: 99,", 1);
    assert_ne!(newer, base, "the session names its format");
    write(&t, &newer);
    let out = riskroom(d, &["merge-driver", "b.ron", "o.ron", "t.ron", SESSION]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("format 99, written by a newer riskroom"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&o).unwrap(), base);
}

#[test]
fn binary_and_huge_files_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = std::fs::read_to_string("sessions/ip-chamber.ron").unwrap();
    std::fs::write(d.join("b.ron"), &base).unwrap();
    std::fs::write(d.join("o.ron"), &base).unwrap();
    std::fs::write(d.join("t.ron"), b"\x00\xff\xfe binary").unwrap();
    let out = riskroom(d, &["merge-driver", "b.ron", "o.ron", "t.ron", "s.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8 text"));
    // A file past the limit is refused by its size, not read.
    let huge = std::fs::File::create(d.join("t.ron")).unwrap();
    huge.set_len(store::MAX_FILE_BYTES + 1).unwrap();
    let out = riskroom(d, &["merge-driver", "b.ron", "o.ron", "t.ron", "s.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too large"));
}

#[test]
fn two_workshops_records_merge_cleanly_log_participants_dates_and_processes() {
    use riskroom::domain::log::{Event, Via, recorded};
    use riskroom::domain::{Participant, SignOffKind};
    let dir = repository();
    let d = dir.path();
    let at = |s: i64| jiff::Timestamp::from_second(1_900_000_000 + s).unwrap();
    let log_len = loaded(d).log.len();
    // As the screen applies edits: through the decision log's recorder.
    let room = |s: &mut Session, change, when| {
        let change = recorded(s, change, when, Via::Edit);
        s.apply(change);
    };
    commit_on(d, "site-a", "main", |s| {
        let mut info = s.info();
        info.participants
            .push(Participant::new("Jürgen Weiß", "asset owner"));
        info.dates.push(jiff::civil::date(2026, 12, 1));
        room(s, riskroom::domain::Change::SetInfo(Box::new(info)), at(1));
        let note = s.log_change(
            at(2),
            Event::Note {
                fm: Some(FailureModeId(3)),
                text: "site A: badge readers".into(),
            },
        );
        room(s, note, at(2));
        let (_, add) = s.process_for_name("Site A access").unwrap();
        room(s, add.unwrap(), at(3));
    });
    commit_on(d, "site-b", "main", |s| {
        let mut info = s.info();
        info.participants.push(Participant::new("王芳", "IT"));
        info.dates.push(jiff::civil::date(2026, 12, 2));
        room(s, riskroom::domain::Change::SetInfo(Box::new(info)), at(10));
        let note = s.log_change(
            at(11),
            Event::Question {
                fm: None,
                text: "site B: who owns the VPN?".into(),
            },
        );
        room(s, note, at(11));
        let (_, add) = s.process_for_name("Site B VPN").unwrap();
        room(s, add.unwrap(), at(12));
        // A sign-off needs a decision and a participant that are there.
        let signer = s.participants[0].name.clone();
        let id = s
            .failure_modes
            .iter()
            .find(|f| f.treatment.decision != riskroom::domain::Decision::Undecided)
            .map(|f| f.id)
            .unwrap();
        let sign = s
            .sign_off_change(id, &signer, SignOffKind::ApproveTreatment, at(13))
            .unwrap();
        room(s, sign, at(13));
    });
    let merged = git(d, &["merge", "-q", "--no-edit", "site-a"]);
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let s = loaded(d);
    assert!(s.conflicts.is_empty(), "{:?}", s.conflicts);
    assert!(s.participant("Jürgen Weiß").is_some() && s.participant("王芳").is_some());
    assert!(s.dates.contains(&jiff::civil::date(2026, 12, 1)));
    assert!(s.dates.contains(&jiff::civil::date(2026, 12, 2)));
    let names: Vec<&str> = s.processes.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"Site A access") && names.contains(&"Site B VPN"),
        "{names:?}"
    );
    let ids: std::collections::BTreeSet<_> = s.processes.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), s.processes.len(), "process IDs stay unique");
    let texts: Vec<String> = s.log[log_len..]
        .iter()
        .map(|e| format!("{:?}", e.event))
        .collect();
    assert!(texts.iter().any(|t| t.contains("site A: badge readers")));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("site B: who owns the VPN?"))
    );
    assert!(texts.iter().any(|t| t.contains("SignedOff")), "{texts:?}");
    assert!(s.log.iter().map(|e| e.at).is_sorted(), "in time order");
    let new_entries = s.log.len() - log_len;
    assert_eq!(
        new_entries,
        texts
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        "no entry twice"
    );
    // What the merge brought in, as `riskroom diff` says it.
    std::fs::write(
        d.join("before.ron"),
        ok(d, &["show", "main:sessions/demo.ron"]),
    )
    .unwrap();
    let diff = riskroom(d, &["diff", "before.ron", "sessions/demo.ron"]);
    assert!(diff.status.success());
    let diff = String::from_utf8_lossy(&diff.stdout);
    for line in [
        "participant \"Jürgen Weiß\" (asset owner) added",
        "participant \"王芳\" (IT) added",
        "workshop date 2026-12-01 added",
    ] {
        assert!(diff.lines().any(|l| l == line), "{line:?} not in {diff}");
    }
    assert!(
        diff.contains("note on FM-003: \"site A: badge readers\""),
        "{diff}"
    );
    // And git's combined diff of the merge, through the text conversion.
    let shown = ok(d, &["show", "--format=", "HEAD"]);
    assert!(
        shown.contains("participant \"Jürgen Weiß\" (asset owner)"),
        "{shown}"
    );
}
