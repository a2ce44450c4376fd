//! The `riskroom` binary: commands, exit codes, messages on stderr.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const DEMO: &str = "sessions/ip-chamber.ron";

/// The binary, with neither the machine's config file nor its locale: each
/// test says what it depends on.
fn riskroom() -> Command {
    let mut command = Command::cargo_bin("riskroom").unwrap();
    command.env("RISKROOM_CONFIG", "").env("LC_ALL", "C.UTF-8");
    command
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
fn fmt_brings_a_format_1_file_up_to_format_2_once_and_then_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ron");
    fs::copy("tests/fixtures/ip-chamber-before-treatment.ron", &path).unwrap();
    let check = riskroom()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let check = String::from_utf8(check).unwrap();
    assert!(
        check.contains("read as session format 1 and brought up to format 2: the failure modes' process names became 8 process records (`riskroom fmt` writes it so)"),
        "{check}"
    );
    assert!(
        fs::read_to_string(&path).unwrap().contains("format: 1,"),
        "check writes nothing"
    );

    let first = riskroom()
        .args(["fmt", path.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let first = String::from_utf8(first).unwrap();
    assert!(first.contains("brought up to format 2"), "{first}");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("    format: 2,\n") && text.contains("    processes: [\n"));
    assert!(text.contains("process: \"PR-001\","));

    // Written once; the second run finds nothing to do and says nothing.
    riskroom()
        .args(["fmt", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "byte-stable");
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
fn export_into_a_missing_directory_creates_it_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports/2026 Q3");
    riskroom()
        .args(["export", DEMO, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "created the directory {}",
            out.display()
        )));
    assert!(out.join("ip-chamber-assets.csv").is_file());
    // Already there: nothing to say about it.
    riskroom()
        .args(["export", DEMO, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("created").not());
}

#[test]
fn export_into_a_directory_that_cannot_be_created_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    riskroom()
        .args(["export", DEMO, "--out"])
        .arg(file.join("sub"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot create the directory"))
        .stderr(predicate::str::contains("a-file/sub"));
    // A session that does not load creates no directory.
    let never = dir.path().join("never");
    riskroom()
        .args(["export", "/nonexistent.ron", "--out"])
        .arg(&never)
        .assert()
        .failure();
    assert!(!never.exists());
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
fn new_without_a_title_and_without_a_terminal_takes_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q3-review.ron");
    riskroom()
        .arg("new")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("created"))
        .stdout(predicate::str::contains("no --title given"));
    riskroom()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("\nq3-review\n"));
    let before = fs::read(&path).unwrap();
    riskroom()
        .arg("new")
        .arg(&path)
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
fn screen_options_show_only_where_they_mean_something() {
    let help = |args: &[&str]| {
        let out = riskroom()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let top = help(&["--help"]);
    assert!(
        top.contains("--theme") && top.contains("--read-only"),
        "{top}"
    );
    // Every command there is, now and later: none takes the screen's options,
    // but for `follow`, itself a screen, that has a theme and is read-only
    // by nature.
    use clap::CommandFactory;
    let cli = riskroom::cli::Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    assert!(names.len() >= 9, "{names:?}");
    for command in names {
        let text = help(&[command, "--help"]);
        if command == "follow" {
            assert!(
                text.contains("--theme") && !text.contains("--read-only"),
                "riskroom follow --help:\n{text}"
            );
            continue;
        }
        assert!(
            !text.contains("--theme") && !text.contains("--read-only"),
            "riskroom {command} --help:\n{text}"
        );
    }
}

#[test]
fn screen_options_given_to_a_command_are_refused_with_a_reason() {
    riskroom()
        .args(["--read-only", "check", DEMO])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--read-only belongs to the workshop screen (riskroom --read-only SESSION); `riskroom check` does not take it",
        ));
    riskroom()
        .args(["--theme=mono", "export", DEMO])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`riskroom export` does not take it",
        ));
    riskroom()
        .args(["export", DEMO, "--theme", "mono"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--theme'"));
    riskroom()
        .args(["new", "x.ron", "--read-only"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unexpected argument '--read-only'",
        ));
}

/// A config file for one test, and the command that reads it.
fn with_config(dir: &Path, text: &str) -> Command {
    let path = dir.join("config.ron");
    fs::write(&path, text).unwrap();
    let mut command = riskroom();
    command.env("RISKROOM_CONFIG", &path);
    command
}

#[test]
fn export_takes_delimiter_and_bom_from_the_config_and_options_win() {
    let dir = tempfile::tempdir().unwrap();
    let config = "(csv: (delimiter: \";\", bom: false))";
    with_config(dir.path(), config)
        .args(["export", DEMO, "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr("");
    let text = fs::read(dir.path().join("ip-chamber-assets.csv")).unwrap();
    assert!(text.starts_with(b"ID;Name;Category;"), "{:?}", &text[..20]);

    with_config(dir.path(), config)
        .args(["export", DEMO, "--delimiter", ",", "--bom", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let text = fs::read(dir.path().join("ip-chamber-assets.csv")).unwrap();
    assert!(
        text.starts_with(b"\xEF\xBB\xBFID,Name,"),
        "{:?}",
        &text[..20]
    );
}

#[test]
fn the_delimiter_follows_a_decimal_comma_locale_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let first_line = |dir: &Path| {
        let text = fs::read_to_string(dir.join("ip-chamber-assets.csv")).unwrap();
        text.lines().next().unwrap().to_string()
    };
    riskroom()
        .env("LC_ALL", "de_DE.UTF-8")
        .args(["export", DEMO, "--out"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(first_line(dir.path()).contains("ID;Name;"));
    with_config(dir.path(), "(csv: (delimiter: \",\"))")
        .env("LC_ALL", "de_DE.UTF-8")
        .args(["export", DEMO, "--out"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(first_line(dir.path()).contains("ID,Name,"));
}

#[test]
fn a_broken_config_is_reported_with_line_and_column_and_the_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    with_config(
        dir.path(),
        "(\n  csv: (delimiter: \";\"),\n  theme: light\n",
    )
    .args(["export", DEMO, "--out"])
    .arg(dir.path())
    .assert()
    .success()
    .stderr(predicate::str::contains("config.ron:3:"))
    .stderr(predicate::str::contains("using the defaults"));
    let text = fs::read_to_string(dir.path().join("ip-chamber-assets.csv")).unwrap();
    assert!(text.contains("ID,Name,"), "the defaults, not half the file");
}

#[test]
fn an_unknown_config_field_is_named_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    with_config(dir.path(), "(csv: (delimitter: \";\", bom: false))")
        .args(["export", DEMO, "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "unknown field \"csv.delimitter\" ignored (known: theme, csv.delimiter",
        ));
    let text = fs::read(dir.path().join("ip-chamber-assets.csv")).unwrap();
    assert!(
        text.starts_with(b"ID,Name,"),
        "bom: false applied, delimiter default"
    );
}

#[test]
fn riskroom_config_shows_the_file_and_what_is_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_config(
        dir.path(),
        "(theme: \"mono\", picker_folders: [\"/srv/isms\"], autosave_delay_ms: 5000)",
    )
    .arg("config")
    .assert()
    .success()
    .get_output()
    .stdout
    .clone();
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "config file: ",
        "config.ron\n",
        "theme: mono\n",
        "csv.delimiter: ',' (default)\n",
        "picker_folders: /srv/isms\n",
        "autosave_delay_ms: 1500 (allowed 200..=1500)\n",
        "warning: config ",
        "5000 is outside 200..=1500",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let out = riskroom()
        .arg("config")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("config file: none (RISKROOM_CONFIG is empty)"),
        "{text}"
    );
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

#[test]
fn check_reports_sign_offs_needing_re_approval_unsigned_acceptances_and_bad_log_entries_by_place() {
    use jiff::Timestamp;
    use riskroom::domain::log::{Event, LogEntry};
    use riskroom::domain::*;
    let at = |s: i64| Timestamp::from_second(1_795_424_400 + s).unwrap();
    let mut s = Session::new("Record", at(0));
    s.participants = vec![Participant::new("Priya Raman", "risk owner")];
    for (n, sod) in [(1, (8, 6, 6)), (2, (9, 5, 7))] {
        let mut fm = FailureMode::new(FailureModeId(n), format!("mode {n}"));
        (fm.severity, fm.occurrence, fm.detection) = sod;
        fm.treatment.decision = Decision::Accept;
        s.failure_modes.push(fm);
    }
    let sign = s
        .sign_off_change(
            FailureModeId(1),
            "Priya Raman",
            SignOffKind::AcceptResidual,
            at(60),
        )
        .unwrap();
    s.apply(sign);
    s.failure_modes[0].occurrence = 7;
    s.failure_modes[1].mode = "mode 2\u{1b}[31m".into();
    let note = |text: &str| Event::Note {
        fm: None,
        text: text.into(),
    };
    s.log = vec![
        LogEntry::new(&s, at(100), note("first")),
        LogEntry::new(&s, at(50), note("earlier than the first")),
        LogEntry {
            present: vec!["Mallory".into()],
            ..LogEntry::new(&s, at(200), note("who?"))
        },
        LogEntry::new(&s, at(900_000_000), note("next century")),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.ron");
    riskroom::store::save(&path, &s, false).unwrap();

    let output = riskroom()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let from = |start: &str| -> Vec<&str> {
        text.lines()
            .skip_while(|l| !l.starts_with(start))
            .take_while(|l| l.starts_with(start) || l.starts_with("  "))
            .collect()
    };
    assert_eq!(
        from("Sign-offs:"),
        [
            "Sign-offs: 1 (1 needs re-approval)",
            "  FM-001   accepted the residual risk by Priya Raman (risk owner), 2026-11-23T09:01:00Z; \
             NEEDS RE-APPROVAL: occurrence 6 → 7",
        ],
        "{text}"
    );
    assert_eq!(
        from("Accepted at or above"),
        [
            "Accepted at or above the threshold without the risk owner's acceptance: 1",
            "  FM-002    315  H  mode 2\\u{1B}[31m",
        ],
        "{text}"
    );
    let log = from("Decision log:");
    assert_eq!(log[0], "Decision log: 4 entries, 3 problems", "{text}");
    assert!(log[1].starts_with(
        "  log entry 2 (2026-11-23T09:00:50Z): out of order: recorded before entry 1"
    ));
    assert!(log[2].contains("log entry 3 ") && log[2].contains("\"Mallory\" is named present"));
    assert!(log[3].contains("log entry 4 ") && log[3].contains("dated in the future"));
    assert!(
        !text.contains('\u{1b}'),
        "nothing from the file reaches the terminal raw"
    );
}
