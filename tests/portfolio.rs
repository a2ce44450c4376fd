//! `riskroom portfolio` and `riskroom diff` as a user runs them: a folder of
//! sessions with a broken one among them, a git revision, CSV, hostile text.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use assert_cmd::Command as Cmd;
use riskroom::domain::FailureModeId;
use riskroom::{generate, store};
use unicode_width::UnicodeWidthStr;

#[path = "support/pty.rs"]
mod pty;

fn riskroom() -> Cmd {
    Cmd::cargo_bin("riskroom").unwrap()
}

/// What `riskroom ARGS` in `d` prints, having succeeded.
fn succeeds(d: &Path, args: &[&str]) -> String {
    let out = riskroom().current_dir(d).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn folder(d: &Path) {
    std::fs::create_dir_all(d.join("north/deep")).unwrap();
    let mut a = generate::large_session(3, 50, 1);
    a.title = "North \u{1b}]0;pwned\u{7} site".into();
    store::save(&d.join("north/a.ron"), &a, false).unwrap();
    store::save(
        &d.join("north/deep/b.ron"),
        &generate::large_session(3, 50, 2),
        false,
    )
    .unwrap();
    std::fs::write(d.join("north/broken.ron"), "(format: 1, title: \"x\"").unwrap();
    std::fs::write(d.join("north/.hidden.ron"), "not read").unwrap();
    std::fs::write(d.join("north/notes.txt"), "not a session").unwrap();
}

#[test]
fn a_folder_of_sessions_is_one_register_and_a_broken_one_does_not_stop_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    folder(d);
    let text = succeeds(d, &["portfolio", "north", "--csv", "reg.csv"]);
    assert!(
        text.starts_with("Portfolio: 2 sessions, 1 could not be read"),
        "{text}"
    );
    assert!(
        text.contains("Worst 10 risks across all sessions:"),
        "{text}"
    );
    assert!(
        text.contains("Could not be read:\n  north/broken.ron:"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "escape sequences are shown, not sent: {text}"
    );
    assert!(text.contains("\\u{1B}]0;pwned"), "{text}");
    let csv = std::fs::read_to_string(d.join("reg.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let top = std::fs::read_to_string(d.join("reg-top.csv")).unwrap();
    assert_eq!(top.lines().count(), 11, "{top}");
}

#[test]
fn a_git_revision_is_read_as_it_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    folder(d);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(d)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "sessions"]);
    // Changed on disk after the commit: the revision still has the old one.
    std::fs::remove_file(d.join("north/deep/b.ron")).unwrap();
    let text = succeeds(d, &["portfolio", "north", "--rev", "HEAD"]);
    assert!(
        text.starts_with("Portfolio: 2 sessions, 1 could not be read"),
        "{text}"
    );
    assert!(text.contains("HEAD:north/deep/b.ron"), "{text}");
}

#[test]
fn diff_names_the_change_and_check_lists_merge_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = generate::large_session(3, 20, 1);
    store::save(&d.join("old.ron"), &s, false).unwrap();
    let mut new = s.clone();
    let i = new.failure_mode_index(FailureModeId(3)).unwrap();
    let was = new.failure_modes[i].detection;
    new.failure_modes[i].detection = if was == 1 { 2 } else { 1 };
    store::save(&d.join("new.ron"), &new, false).unwrap();
    let text = succeeds(d, &["diff", "old.ron", "new.ron"]);
    assert!(
        text.starts_with(&format!("FM-003 detection {was} → ")),
        "{text}"
    );

    let mut o = s.clone();
    o.title = "ours".into();
    let mut t = s.clone();
    t.title = "theirs".into();
    let merged = riskroom::merge::merge(s, o, t).session;
    store::save(&d.join("merged.ron"), &merged, false).unwrap();
    let text = succeeds(d, &["check", "merged.ron"]);
    assert!(
        text.contains("Merge conflicts to decide (open the session in riskroom): 1"),
        "{text}"
    );
    assert!(
        text.contains("title: ours \"ours\", theirs \"theirs\""),
        "{text}"
    );
}

#[test]
fn the_portfolio_as_a_workbook_has_a_sheet_of_sessions_and_one_of_the_worst_risks() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    folder(d);
    std::fs::create_dir(d.join("out")).unwrap();
    let text = succeeds(
        d,
        &["portfolio", "north", "--format", "xlsx", "--out", "out"],
    );
    assert!(
        text.contains("written: out/portfolio.xlsx (sheets Sessions and Top risks)"),
        "{text}"
    );
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("out/portfolio.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Sessions", "Top risks"]);
    let sessions = book.worksheet_range("Sessions").unwrap();
    // The header and one row per session that loaded, the broken one too.
    let rows: Vec<_> = sessions.rows().collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    // Hostile text is text, never a formula or an escape code sent on.
    assert!(
        rows.iter()
            .flat_map(|r| r.iter())
            .any(|c| matches!(c, Data::String(s) if s.contains("North \u{1b}]0;pwned"))),
        "{rows:?}"
    );
    let top = book.worksheet_range("Top risks").unwrap();
    let rows: Vec<_> = top.rows().collect();
    assert_eq!(rows.len(), 11, "the header and the ten worst");
    // RPN is a number the sheet can sort by.
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let rpn = header.iter().position(|h| h == "RPN").unwrap();
    assert!(
        matches!(rows[1][rpn], Data::Float(_) | Data::Int(_)),
        "{:?}",
        rows[1]
    );

    // A format it does not write, and --out without the workbook: refused.
    for args in [
        &["portfolio", "north", "--format", "pdf"][..],
        &["portfolio", "north", "--out", "out"],
    ] {
        let out = riskroom().current_dir(d).args(args).assert().failure();
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains("xlsx"), "{args:?}: {err}");
    }
}

const LONG_MODE: &str =
    "Protokollquellen senden nicht mehr an das SIEM, und niemand bemerkt es über Wochen";
const CJK_MODE: &str = "日志源停止向安全信息和事件管理系统发送数据而无人察觉";

/// Two sessions with long German and Chinese names, titles and failure modes.
fn long_names(d: &Path) {
    std::fs::create_dir_all(d.join("standorte")).unwrap();
    let mut a = generate::large_session(3, 20, 1);
    a.title = "Rechenzentrum Nürnberg-Süd: Überprüfung der Informationssicherheit".into();
    a.organisation =
        "Bundesanstalt für Grundstücksverwaltungsdienstleistungen und Informationstechnik".into();
    for f in &mut a.failure_modes {
        f.mode = LONG_MODE.into();
    }
    store::save(
        &d.join("standorte/rechenzentrum-nuernberg-sued-2026.ron"),
        &a,
        false,
    )
    .unwrap();
    let mut b = generate::large_session(3, 20, 2);
    b.title = "上海数据中心信息安全风险评估研讨会第二轮".into();
    b.organisation = "中国某某信息技术有限公司上海分公司".into();
    for f in &mut b.failure_modes {
        f.mode = CJK_MODE.into();
    }
    store::save(&d.join("standorte/shanghai.ron"), &b, false).unwrap();
}

/// What `riskroom portfolio standorte` prints into a pipe, with COLUMNS as given.
fn portfolio_of_long_names(columns: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    long_names(d);
    let mut cmd = riskroom();
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd
        .current_dir(d)
        .args(["portfolio", "standorte"])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn too_wide(text: &str, width: usize) -> Vec<&str> {
    text.lines().filter(|l| l.width() > width).collect()
}

#[test]
fn at_80_columns_every_line_fits_and_each_risk_names_its_session_by_number() {
    let text = portfolio_of_long_names(Some("80"));
    assert_eq!(too_wide(&text, 80), Vec::<&str>::new(), "{text}");
    // Ten risks, one line each, with the number of their session.
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("  FM-")).collect();
    assert_eq!(rows.len(), 10, "{text}");
    assert!(
        rows.iter()
            .all(|r| r.contains(" #1  Protokoll") || r.contains(" #2  日志源")),
        "{text}"
    );
    // The sessions listed above and under the risks carry the same numbers;
    // long names are cut with an ellipsis, never inside a character.
    assert!(
        text.contains("#1  standorte/rechenzentrum-nuernberg-sued-2026.ron  Rechenzentrum"),
        "{text}"
    );
    assert!(
        text.contains("#2  standorte/shanghai.ron  上海数据中心"),
        "{text}"
    );
    assert!(text.contains('…'), "{text}");
    assert_eq!(
        text.matches("  #2  standorte/shanghai.ron").count(),
        1,
        "named once more under the list: {text}"
    );
}

#[test]
fn into_a_pipe_nothing_is_cut() {
    let text = portfolio_of_long_names(None);
    assert!(!text.contains('…'), "{text}");
    assert!(text.contains(LONG_MODE), "{text}");
    assert!(text.contains(CJK_MODE), "{text}");
    assert!(
        text.contains("Grundstücksverwaltungsdienstleistungen und Informationstechnik\n"),
        "{text}"
    );
}

#[test]
fn on_a_terminal_lines_fit_the_terminal_not_columns() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    long_names(d);
    // COLUMNS says otherwise: the terminal's own width wins.
    let mut term = pty::Pty::spawn(
        &["portfolio", "standorte", "--top", "3"],
        d,
        80,
        24,
        &[("COLUMNS", "200")],
    );
    assert_eq!(term.wait_exit(Duration::from_secs(20)), Some(0));
    std::thread::sleep(Duration::from_millis(200));
    let screen = term.screen();
    assert!(screen.contains("Worst 3 risks"), "{screen}");
    assert_eq!(term.wrapped_rows(), Vec::<String>::new(), "{screen}");
}

#[test]
fn a_missing_out_folder_is_made_first_and_an_impossible_place_refused_before_any_output() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    folder(d);
    // A folder that is not there: made, as `riskroom export --out` does, and said.
    let text = succeeds(
        d,
        &["portfolio", "north", "--format", "xlsx", "--out", "xl"],
    );
    assert!(
        text.starts_with("created the directory xl\n"),
        "said first: {text}"
    );
    assert!(d.join("xl/portfolio.xlsx").is_file(), "{text}");

    // A file, a planted link to nothing, a CSV in a folder that is not there:
    // refused before a single session is printed, nothing made.
    std::fs::write(d.join("a-file"), "x").unwrap();
    symlink(d.join("elsewhere"), d.join("dangling")).unwrap();
    for (args, says) in [
        (
            &["portfolio", "north", "--format", "xlsx", "--out", "a-file"][..],
            "not a directory",
        ),
        (
            &[
                "portfolio",
                "north",
                "--format",
                "xlsx",
                "--out",
                "dangling",
            ],
            "a link to nothing",
        ),
        (
            &["portfolio", "north", "--csv", "nowhere/reg.csv"],
            "no directory nowhere",
        ),
        (&["portfolio", "north", "--csv", "north"], "a directory"),
    ] {
        let out = riskroom().current_dir(d).args(args).assert().failure();
        let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(stdout, "", "{args:?}: nothing printed before the refusal");
    }
    assert!(!d.join("elsewhere").exists());
    assert!(!d.join("nowhere").exists());
}

#[test]
fn both_csv_files_are_named_each_on_a_line_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    folder(d);
    let text = succeeds(d, &["portfolio", "north", "--csv", "reg.csv"]);
    let last: Vec<&str> = text.lines().rev().take(2).collect();
    assert_eq!(
        last,
        [
            "written: reg-top.csv (the 10 worst risks)",
            "written: reg.csv (one row per session)"
        ],
        "{text}"
    );
}
