//! The `riskroom` binary: commands, exit codes, messages on stderr.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const DEMO: &str = "sessions/ip-chamber.ron";

fn riskroom() -> Command {
    Command::cargo_bin("riskroom").unwrap()
}

fn copy_of_demo(dir: &Path) -> PathBuf {
    let path = dir.join("ws.ron");
    fs::copy(DEMO, &path).unwrap();
    path
}

#[test]
fn check_on_the_demo_exits_zero_with_counts_and_top_rpns() {
    let output = riskroom()
        .args(["check", DEMO])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains(": valid"), "{text}");
    assert!(text.contains("Assets: "), "{text}");
    assert!(text.contains("(class A "), "{text}");
    assert!(text.contains("(AP H "), "{text}");
    assert!(text.contains("Highest RPN:"), "{text}");
    let table_rows = text
        .lines()
        .skip_while(|l| !l.starts_with("Highest RPN"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .count();
    assert_eq!(table_rows, 10, "{text}");
    assert!(
        text.contains("Needs a decision (RPN ≥ 200 or AP H"),
        "{text}"
    );
    assert!(text.contains("Overdue treatments (as of "), "{text}");
}

#[test]
fn check_lists_the_failure_modes_above_the_threshold_without_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ron");
    fs::write(
        &path,
        r#"(
    format: 1,
    title: "Threshold",
    threshold: (rpn: 150, ap_high: false),
    failure_modes: [
        (id: "FM-001", mode: "Undecided and high", severity: 8, occurrence: 5, detection: 4),
        (id: "FM-002", mode: "Decided and high", severity: 8, occurrence: 5, detection: 4,
         treatment: (decision: Accept)),
        (id: "FM-003", mode: "Undecided but low", severity: 9, occurrence: 2, detection: 7),
        (id: "FM-004", mode: "Late", severity: 2, occurrence: 2, detection: 2,
         treatment: (decision: Reduce, action: "Fix it", due: "2000-01-31", status: Open)),
    ],
)
"#,
    )
    .unwrap();
    let output = riskroom()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Needs a decision"))
        .take_while(|l| !l.starts_with("Overdue"))
        .collect();
    assert_eq!(
        section,
        [
            "Needs a decision (RPN ≥ 150, decision still Undecided): 1",
            "  FM-001    160  M  Undecided and high",
        ],
        "{text}"
    );
    assert!(
        text.contains("Overdue treatments (as of ") && text.contains("FM-004   due 2000-01-31"),
        "{text}"
    );
}

#[test]
fn check_on_a_broken_file_exits_non_zero_with_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_demo(dir.path());
    let text = fs::read_to_string(&path).unwrap();
    let field = "\n            severity: ";
    let broken = text.replacen(field, &format!("{field}11, x: "), 1);
    fs::write(&path, &broken).unwrap();
    riskroom()
        .arg("check")
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains("ws.ron:").and(predicate::str::contains("`x`")))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        broken,
        "a broken file is never written"
    );
}

#[test]
fn check_lists_every_semantic_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_demo(dir.path());
    let text = fs::read_to_string(&path).unwrap();
    // The first two failure modes get a severity of 1x (11..110).
    let field = "\n            severity: ";
    let broken = text.replacen(field, &format!("{field}1"), 2);
    fs::write(&path, &broken).unwrap();
    let out = riskroom()
        .arg("check")
        .arg(&path)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("problems:"), "{err}");
    assert!(err.matches("severity 1").count() >= 2, "{err}");
    assert!(err.contains("FM-"), "{err}");
}

#[test]
fn export_writes_both_files_next_to_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_demo(dir.path());
    riskroom()
        .arg("export")
        .arg(&path)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("ws-assets.csv")
                .and(predicate::str::contains("ws-failure-modes.csv")),
        );
    let assets = fs::read(dir.path().join("ws-assets.csv")).unwrap();
    assert!(assets.starts_with(b"\xEF\xBB\xBFID,Name,Category,"));
    assert!(dir.path().join("ws-failure-modes.csv").exists());
}

#[test]
fn export_with_out_dir_delimiter_and_no_bom() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out dir ü");
    fs::create_dir(&out).unwrap();
    riskroom()
        .args(["export", DEMO, "--delimiter", ";", "--no-bom", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("ip-chamber-failure-modes.csv")).unwrap();
    assert!(text.starts_with("ID;Process;Asset;"), "{}", &text[..40]);
}

#[test]
fn export_into_a_missing_directory_fails_clearly() {
    riskroom()
        .args(["export", DEMO, "--out", "/nonexistent/riskroom"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "/nonexistent/riskroom: no such directory",
        ));
}

#[test]
fn new_creates_a_valid_session_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.ron");
    riskroom()
        .arg("new")
        .arg(&path)
        .args(["--title", "Jahresworkshop 2026"])
        .assert()
        .success();
    riskroom()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Jahresworkshop 2026"));
    let before = fs::read(&path).unwrap();
    riskroom()
        .arg("new")
        .arg(&path)
        .args(["--title", "Other"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn user_mistakes_never_panic() {
    for args in [
        vec!["check", "/nonexistent.ron"],
        vec!["check", "/"],
        vec!["export", "/nonexistent.ron"],
        vec!["new", "/nonexistent/dir/x.ron", "--title", "t"],
        vec!["export", DEMO, "--delimiter", "ab"],
    ] {
        riskroom()
            .args(&args)
            .env("RUST_BACKTRACE", "1")
            .assert()
            .failure()
            .stderr(
                predicate::str::contains("panicked")
                    .not()
                    .and(predicate::str::is_empty().not()),
            );
    }
}

#[test]
fn version_and_help() {
    riskroom()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    riskroom()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("export"));
}

#[test]
fn a_broken_theme_is_reported_with_line_and_column_before_the_screen_opens() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("broken-theme.ron");
    fs::write(
        &theme,
        "(\n    name: \"broken\",\n    styles: (base: (fg: 12)),\n)\n",
    )
    .unwrap();
    riskroom()
        .arg("--theme")
        .arg(&theme)
        .arg(DEMO)
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken-theme.ron:3:"))
        .stderr(predicate::str::contains("panicked").not());
    riskroom()
        .args(["--theme", "neon", DEMO])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no theme \"neon\"")
                .and(predicate::str::contains("high-contrast")),
        );
}

#[test]
fn a_reader_that_stops_early_is_no_error_but_a_full_disk_is() {
    use std::io::Read;
    use std::process::Stdio;
    // `riskroom check FILE | head -1`: the pipe closes before the report is out.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom"))
        .args(["check", "sessions/ip-chamber.ron"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert_eq!(stderr, "");

    if Path::new("/dev/full").exists() {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom"))
            .args(["check", "sessions/ip-chamber.ron"])
            .stdout(full)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
    }
}

#[test]
fn isms_prints_the_roadmap_the_documents_and_the_control_groups() {
    let output = riskroom()
        .args(["isms", DEMO])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.stderr.is_empty());
    for part in [
        "ROADMAP (QISM, 24 steps): phase Validation (4 of 4)",
        "MANDATORY DOCUMENTS (ISO/IEC 27001, 14 clauses): ",
        "CONTROL GROUPS (Annex A as in the Statement of Applicability): ",
        "  23  Done            2026-10-30   Registration for ISO 27001 certification",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    // A pipe gets one record a line, nothing wrapped.
    assert!(text.lines().any(|l| l.len() > 200), "{text}");
}

#[test]
fn isms_on_a_missing_or_broken_session_fails_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.ron");
    riskroom()
        .args(["isms", missing.to_str().unwrap()])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("nowhere.ron"));
    let broken = dir.path().join("broken.ron");
    fs::write(
        &broken,
        "(format: 1, title: \"x\", programme: (roadmap: [(step: 30)]))",
    )
    .unwrap();
    riskroom()
        .args(["isms", broken.to_str().unwrap()])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains(
            "roadmap step 30: there is no step 30",
        ));
}
