//! The management report: its text (a snapshot of the demo's Markdown), its
//! escaping, that it needs nothing from outside, and what a real browser makes
//! of it: headless Chromium prints the demo's report to PDF, and pdftotext
//! reads back the pages and their text.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::Path;
use std::process::Command;

use jiff::civil::date;
use riskroom::domain::*;
use riskroom::report::{self, Report};
use riskroom::store;

const DEMO: &str = "sessions/ip-chamber.ron";

fn demo() -> Session {
    store::load(Path::new(DEMO)).unwrap()
}

fn demo_report() -> Report {
    Report::of(&demo(), date(2026, 11, 20))
}

fn riskroom() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("riskroom").unwrap()
}

/// A session whose every text is markup.
fn hostile() -> Session {
    let mut s = Session::new("<script>alert(1)</script>", jiff::Timestamp::UNIX_EPOCH);
    s.organisation = "R&D <b>bold</b>".into();
    s.scope = "\"quoted\" 'single' </style><style>body{display:none}</style>".into();
    s.participants = vec![riskroom::domain::Participant::new(
        "<img src=x onerror=alert(2)>",
        "",
    )];
    let mut a = Asset::new(AssetId(1), "<svg onload=alert(3)>", Category::Information);
    (a.confidentiality, a.integrity, a.availability) = (4, 3, 3);
    s.assets.push(a);
    let mut f = FailureMode::new(
        FailureModeId(1),
        "<script>x</script>| *md* [l](javascript:x)",
    );
    f.asset = Some(AssetId(1));
    (f.severity, f.occurrence, f.detection) = (9, 8, 7);
    f.treatment.decision = Decision::Accept;
    f.treatment.owner = "</td></tr></table><h1>owner</h1>".into();
    f.treatment.action = "# heading\n- item".into();
    f.treatment.due = Some(date(2026, 1, 1));
    s.failure_modes.push(f);
    s
}

#[test]
fn the_demo_report_as_markdown() {
    insta::assert_snapshot!(report::markdown(&demo_report()));
}

#[test]
fn the_html_holds_every_section_and_needs_nothing_from_outside() {
    let html = report::html(&demo_report());
    for heading in [
        "At a glance",
        "Method in brief",
        "Asset register by class",
        "Risk matrix before and after treatment",
        "Pareto of RPN",
        "Top 10 risks and their treatment",
        "Accepted risks",
        "Overdue actions",
        "Statement of Applicability by control group",
        "ISMS roadmap and documents",
        "Cycle trend",
    ] {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(html.contains("Secure Virtual IP Chamber"));
    // Charts inline, nothing fetched, nothing run.
    assert_eq!(html.matches("<svg ").count(), 2);
    for outside in [
        "<script", "src=", "href=", "@import", "url(", "<link", "<iframe",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // Print: A4, rows kept whole, headers repeated.
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("tr, .keep, figure { break-inside: avoid"));
    assert!(html.contains("thead { display: table-header-group; }"));
}

#[test]
fn text_from_the_session_is_escaped_in_html_and_markdown() {
    let s = hostile();
    let html = report::html(&Report::of(&s, date(2026, 6, 1)));
    assert!(
        !html.contains("<script>"),
        "a failure mode named <script> is text"
    );
    assert!(!html.contains("<img"));
    assert!(!html.contains("<svg onload"));
    assert!(!html.contains("<h1>owner"));
    assert!(!html.contains("</style><style>"));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("R&#38;D") || html.contains("R&amp;D"));

    let md = report::markdown(&Report::of(&s, date(2026, 6, 1)));
    assert!(!md.contains("<script>") && !md.contains("<img") && !md.contains("<h1>"));
    assert!(
        md.contains("&lt;script>x&lt;/script>\\| \\*md\\* \\[l\\](javascript:x)"),
        "{md}"
    );
    // A line break in a cell does not end the table row.
    assert!(
        md.contains("\\# heading \\- item") || md.contains("\\# heading - item"),
        "{md}"
    );
}

#[test]
fn a_session_with_nothing_in_it_still_makes_a_report() {
    let s = Session::new("Empty", jiff::Timestamp::UNIX_EPOCH);
    let r = Report::of(&s, date(2026, 6, 1));
    let html = report::html(&r);
    assert!(html.contains("No risk is accepted."));
    assert!(html.contains("No action is overdue."));
    assert!(html.contains("No failure mode is rated yet."));
    assert!(report::markdown(&r).contains("# Empty"));
}

#[test]
fn the_command_writes_the_report_beside_the_session_or_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("demo.ron");
    fs::copy(DEMO, &session).unwrap();
    riskroom()
        .args(["report", session.to_str().unwrap()])
        .assert()
        .success();
    let html = fs::read_to_string(dir.path().join("demo-report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    riskroom()
        .args(["report", session.to_str().unwrap(), "--format", "md"])
        .assert()
        .success();
    assert!(
        fs::read_to_string(dir.path().join("demo-report.md"))
            .unwrap()
            .starts_with("# Secure Virtual IP Chamber")
    );
    let out = dir.path().join("board.html");
    riskroom()
        .args([
            "report",
            session.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(out.is_file());
    // A directory, or a folder that is not there: a message, no file, no panic.
    let assert = riskroom()
        .args([
            "report",
            session.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("it is a directory"));
    let assert = riskroom()
        .args([
            "report",
            session.to_str().unwrap(),
            "--out",
            dir.path().join("no/such/dir/r.html").to_str().unwrap(),
        ])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.starts_with("riskroom: "), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

/// Whether a program can be run at all: asked for its version with the flag
/// it knows (poppler's tools exit 1 on `--version` in poppler 22 and answer
/// `-v`).
fn have(program: &str, flag: &str) -> bool {
    Command::new(program)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn chromium_prints_the_demo_report_on_two_to_four_a4_pages() {
    let can = have("chromium", "--version") && have("pdftotext", "-v") && have("pdfinfo", "-v");
    if !can {
        assert!(
            std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
            "RISKROOM_FULL_TESTS is set but chromium or poppler-utils (pdftotext) is missing"
        );
        eprintln!("skipped: no chromium or pdftotext");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    fs::write(&html, report::html(&demo_report())).unwrap();
    let pdf = dir.path().join("report.pdf");
    let png = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    let chromium = |args: &[String]| {
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                &format!("--user-data-dir={}", profile.display()),
            ])
            .args(args)
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    chromium(&[
        "--no-pdf-header-footer".into(),
        format!("--print-to-pdf={}", pdf.display()),
    ]);
    chromium(&[
        "--window-size=1100,1400".into(),
        format!("--screenshot={}", png.display()),
    ]);
    let shot = fs::read(&png).unwrap();
    assert!(
        shot.starts_with(b"\x89PNG") && shot.len() > 20_000,
        "{}",
        shot.len()
    );

    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=4).contains(&pages), "{pages} pages\n{info}");
    // pdfinfo names the paper (594.96 x 841.92 pts is A4 to it, as 595 x 842).
    assert!(info.contains("(A4)"), "A4: {info}");

    let text = |first: usize, last: usize| {
        let out = Command::new("pdftotext")
            .args(["-f", &first.to_string(), "-l", &last.to_string(), "-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = text(1, 1);
    assert!(first.contains("Secure Virtual IP Chamber"), "{first}");
    assert!(first.contains("At a glance"));
    let all = text(1, pages);
    for heading in [
        "Risk matrix before and after treatment",
        "Pareto of RPN",
        "Top 10 risks and their treatment",
        "Accepted risks",
        "Overdue actions",
        "Cycle trend",
    ] {
        assert!(all.contains(heading), "{heading}");
    }
    // Chinese names are drawn as text, not as empty boxes.
    assert!(
        all.contains("客戶IP資料庫"),
        "CJK text missing from the PDF"
    );
}
