//! CSV export (SPEC 4), read back with the `csv` crate as a spreadsheet would.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::Path;

use jiff::Timestamp;
use riskroom::domain::*;
use riskroom::export::{self, CsvOptions};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn session() -> Session {
    let mut s = Session::new("CSV", Timestamp::UNIX_EPOCH);
    let mut a1 = Asset::new(AssetId(1), "客戶IP資料庫", Category::Information);
    a1.owner = "Müller, \"IT\"".into();
    a1.location = "Schloß Zürich\nfloor 2".into();
    a1.description = "=1+1".into();
    (a1.confidentiality, a1.integrity, a1.availability) = (4, 3, 2);
    let mut a2 = Asset::new(AssetId(2), "+1", Category::Hardware);
    a2.owner = "-1".into();
    a2.location = "@SUM(A1)".into();
    a2.description = "\tleading tab".into();
    s.assets = vec![a1, a2];

    let texts = [
        "=HYPERLINK(\"x\")",
        "\rcarriage",
        "plain, with comma",
        "größer 中文 😀",
        "\"quoted\"",
    ];
    for (n, sod) in [
        (1u32, (2u8, 5u8, 10u8)),
        (2, (10, 10, 10)),
        (3, (5, 4, 5)),
        (4, (1, 1, 1)),
    ] {
        let mut fm = FailureMode::new(FailureModeId(n), texts[n as usize % texts.len()]);
        fm.asset = (n != 4).then_some(AssetId(1 + n % 2));
        fm.process = s
            .intern_process(texts[(n as usize + 1) % texts.len()])
            .unwrap();
        fm.effect = texts[(n as usize + 2) % texts.len()].into();
        fm.cause = "-".into();
        fm.controls = "line one\r\nline two".into();
        (fm.severity, fm.occurrence, fm.detection) = sod;
        s.failure_modes.push(fm);
    }
    s
}

fn read(path: &Path, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap();
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(body);
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

/// Undoes the formula guard the way a spreadsheet user sees it: the leading `'`.
fn shown(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn export_to(dir: &Path, options: CsvOptions) -> Vec<export::Written> {
    export::export(&session(), dir, "ws", options).unwrap()
}

#[test]
fn assets_read_back_equal_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_to(dir.path(), CsvOptions::default());
    assert_eq!(written[0].path, dir.path().join("ws-assets.csv"));
    assert_eq!(written[0].rows, 2);
    let (headers, rows) = read(&written[0].path, b',');
    assert_eq!(
        headers[..10],
        [
            "ID",
            "Name",
            "Category",
            "Owner",
            "Location",
            "Confidentiality",
            "Integrity",
            "Availability",
            "Class value",
            "Class"
        ]
    );
    let s = session();
    for (row, a) in rows.iter().zip(&s.assets) {
        assert_eq!(row[0], a.id.to_string());
        assert_eq!(shown(&row[1]), a.name);
        assert_eq!(row[2], a.category.name());
        assert_eq!(shown(&row[3]), a.owner);
        assert_eq!(shown(&row[4]), a.location);
        assert_eq!(row[5].parse::<u8>().unwrap(), a.confidentiality);
        assert_eq!(row[6].parse::<u8>().unwrap(), a.integrity);
        assert_eq!(row[7].parse::<u8>().unwrap(), a.availability);
        assert_eq!(row[8].parse::<u8>().unwrap(), a.class_value());
        assert_eq!(row[9], a.class_rank().to_string());
        assert_eq!(shown(&row[10]), a.description);
    }
    assert_eq!(rows[0][1], "客戶IP資料庫");
    assert_eq!(rows[0][3], "Müller, \"IT\"");
    assert_eq!(rows[0][4], "Schloß Zürich\nfloor 2");
}

#[test]
fn failure_modes_come_in_risk_order_and_read_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_to(dir.path(), CsvOptions::default());
    let (headers, rows) = read(&written[1].path, b',');
    assert_eq!(
        headers[..13],
        [
            "ID",
            "Process",
            "Asset",
            "Asset class",
            "Failure mode",
            "Effect",
            "Cause",
            "Current controls",
            "Severity",
            "Occurrence",
            "Detection",
            "RPN",
            "AP"
        ]
    );
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["FM-002", "FM-003", "FM-001", "FM-004"],
        "RPN 1000, 100 (S5), 100 (S2), 1"
    );
    let s = session();
    for row in &rows {
        let fm = s.failure_mode(row[0].parse().unwrap()).unwrap();
        assert_eq!(
            shown(&row[1]),
            s.process_name(fm.process),
            "the process's name"
        );
        assert_eq!(row[2], fm.asset.map(|a| a.to_string()).unwrap_or_default());
        assert_eq!(shown(&row[4]), fm.mode);
        assert_eq!(shown(&row[5]), fm.effect);
        assert_eq!(shown(&row[6]), fm.cause);
        assert_eq!(row[7], fm.controls);
        assert_eq!(row[8], fm.severity.to_string());
        assert_eq!(row[9], fm.occurrence.to_string());
        assert_eq!(row[10], fm.detection.to_string());
        assert_eq!(row[11], fm.rpn().to_string());
        assert_eq!(row[12], fm.ap().to_string());
    }
    assert_eq!(rows[0][3], "A", "asset class of A-001 (C4 I3 A2 = 24)");
    assert_eq!(rows[3][2], "", "no asset");
}

#[test]
fn formula_starts_are_neutralised_and_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_to(dir.path(), CsvOptions::default());
    let (_, assets) = read(&written[0].path, b',');
    assert_eq!(assets[0][10], "'=1+1");
    assert_eq!(assets[1][1], "'+1");
    assert_eq!(assets[1][3], "'-1");
    assert_eq!(assets[1][4], "'@SUM(A1)");
    assert_eq!(assets[1][10], "'\tleading tab");
    let (_, fms) = read(&written[1].path, b',');
    let all: Vec<&String> = fms.iter().flatten().collect();
    assert!(all.contains(&&"'=HYPERLINK(\"x\")".to_string()));
    assert!(all.contains(&&"'\rcarriage".to_string()));
    assert!(all.contains(&&"'-".to_string()));
    for row in fms.iter().chain(&assets) {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    for row in &fms {
        for cell in &row[8..12] {
            assert!(
                cell.bytes().all(|b| b.is_ascii_digit()),
                "plain integer: {cell:?}"
            );
        }
    }
}

#[test]
fn bom_by_default_and_not_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_to(dir.path(), CsvOptions::default());
    assert!(fs::read(&written[0].path).unwrap().starts_with(BOM));
    assert!(
        fs::read(&written[1].path)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFID,Process,")
    );
    let written = export_to(
        dir.path(),
        CsvOptions {
            bom: false,
            ..CsvOptions::default()
        },
    );
    assert!(fs::read(&written[0].path).unwrap().starts_with(b"ID,Name,"));
}

#[test]
fn semicolon_delimiter_and_rfc4180_lines() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_to(
        dir.path(),
        CsvOptions {
            delimiter: b';',
            bom: false,
        },
    );
    let text = fs::read_to_string(&written[0].path).unwrap();
    assert!(
        text.starts_with("ID;Name;Category;Owner;Location;"),
        "{text}"
    );
    assert!(text.contains("\r\n"), "CRLF line ends");
    assert!(
        text.contains("\"Müller, \"\"IT\"\"\""),
        "quotes doubled inside quotes: {text}"
    );
    let (headers, rows) = read(&written[0].path, b';');
    assert_eq!(headers.len(), 11);
    assert_eq!(rows[0][3], "Müller, \"IT\"");
}

#[test]
fn an_unwritable_target_gives_an_error_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let err = export::export(&session(), &missing, "ws", CsvOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no such directory"), "{err}");
    assert!(!missing.exists());

    let file = dir.path().join("plain-file");
    fs::write(&file, "x").unwrap();
    let err = export::export(&session(), &file, "ws", CsvOptions::default()).unwrap_err();
    assert!(err.to_string().contains("it is not a directory"), "{err}");

    // The target name is taken by a directory: refused, nothing half-written.
    fs::create_dir(dir.path().join("ws-assets.csv")).unwrap();
    let err = export::export(&session(), dir.path(), "ws", CsvOptions::default()).unwrap_err();
    assert!(err.to_string().contains("ws-assets.csv"), "{err}");
    assert!(err.to_string().contains("it is a directory"), "{err}");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

/// `session()` with treatments, Annex A links and a formula-like owner.
fn treated() -> Session {
    let mut s = session();
    // FM-002 (10/10/10): reduce, overdue, residual S10 O2 D3; linked to A.8.5
    // (existing) and to 2013 A.9.4.2 (planned), which A.8.5 took over.
    let fm = &mut s.failure_modes[1];
    fm.treatment = Treatment {
        decision: Decision::Reduce,
        action: "=cmd|' /C calc'!A0".into(),
        owner: "@ops, \"night shift\"".into(),
        due: Some(jiff::civil::date(2026, 11, 1)),
        status: Status::InProgress,
        action_taken: "MFA für alle 客戶".into(),
        revised_severity: None,
        revised_occurrence: Some(2),
        revised_detection: Some(3),
    };
    *fm = fm
        .with_link("A.8.5", Some(ControlState::Existing))
        .with_link("A.9.4.2", Some(ControlState::Planned))
        .with_link("A.5.15", Some(ControlState::Planned));
    // FM-003 (5/4/5 = 100): accepted, done, no revised ratings; A.8.5 planned.
    let fm = &mut s.failure_modes[2];
    fm.treatment.decision = Decision::Accept;
    fm.treatment.status = Status::Done;
    fm.treatment.due = Some(jiff::civil::date(2026, 1, 1));
    *fm = fm.with_link("A.8.5", Some(ControlState::Planned));
    // FM-001 (2/5/10 = 100, AP L) reaches a threshold of 100 and has no decision.
    s.threshold.rpn = 100;
    s
}

fn export_treated(dir: &Path) -> Vec<export::Written> {
    export::export_as_of(
        &treated(),
        dir,
        "ws",
        CsvOptions::default(),
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap()
}

#[test]
fn every_export_writes_six_files_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_treated(dir.path());
    let names: Vec<String> = written
        .iter()
        .map(|w| w.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "ws-assets.csv",
            "ws-failure-modes.csv",
            "ws-treatment-plan.csv",
            "ws-controls.csv",
            "ws-roadmap.csv",
            "ws-documents.csv"
        ]
    );
    assert_eq!(
        written.iter().map(|w| w.rows).collect::<Vec<_>>(),
        [2, 4, 4, 93, 24, 14]
    );
    assert_eq!(
        export::target_paths(dir.path(), "ws").to_vec(),
        written.iter().map(|w| w.path.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn the_treatment_plan_reads_back_in_risk_order_with_residuals() {
    let dir = tempfile::tempdir().unwrap();
    let written = export_treated(dir.path());
    let bytes = fs::read(&written[2].path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFID,Failure mode,Asset,RPN,AP,Decision,"));
    let (headers, rows) = read(&written[2].path, b',');
    assert_eq!(
        &headers[..17],
        [
            "ID",
            "Failure mode",
            "Asset",
            "RPN",
            "AP",
            "Decision",
            "Action",
            "Owner",
            "Due",
            "Status",
            "Action taken",
            "Residual severity",
            "Residual occurrence",
            "Residual detection",
            "Residual RPN",
            "Residual AP",
            "Controls"
        ]
    );
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["FM-002", "FM-003", "FM-001", "FM-004"],
        "RPN order; 100 ties broken by severity"
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let fm2 = &rows[0];
    assert_eq!(fm2[col("RPN")], "1000");
    assert_eq!(fm2[col("AP")], "H");
    assert_eq!(fm2[col("Decision")], "Reduce");
    assert_eq!(fm2[col("Action")], "'=cmd|' /C calc'!A0", "formula guard");
    assert_eq!(fm2[col("Owner")], "'@ops, \"night shift\"");
    assert_eq!(fm2[col("Due")], "2026-11-01");
    assert_eq!(fm2[col("Status")], "In progress");
    assert_eq!(fm2[col("Action taken")], "MFA für alle 客戶");
    assert_eq!(
        [
            &fm2[col("Residual severity")],
            &fm2[col("Residual occurrence")],
            &fm2[col("Residual detection")],
            &fm2[col("Residual RPN")],
            &fm2[col("Residual AP")],
        ],
        ["10", "2", "3", "60", "L"],
        "S falls back to the current 10; 10x2x3 = 60"
    );
    assert_eq!(
        fm2[col("Controls")],
        "A.5.15 Access control (planned); A.8.5 Secure authentication (existing); \
         A.9.4.2 Secure log-on procedures (2013) (planned)"
    );
    assert_eq!(fm2[col("Overdue")], "yes");
    let fm1 = &rows[2];
    assert_eq!(fm1[col("Decision")], "Undecided");
    assert_eq!(
        fm1[col("Status")],
        "",
        "no treatment agreed yet is not an open action"
    );
    assert_eq!(
        fm1[col("Needs decision")],
        "yes",
        "RPN 100 reaches the threshold 100"
    );
    let fm3 = &rows[1];
    assert_eq!(fm3[col("Status")], "Done");
    assert_eq!(fm3[col("Overdue")], "", "done is never overdue");
    assert_eq!(fm3[col("Residual RPN")], "", "nothing revised, no residual");
    assert_eq!(fm3[col("Needs decision")], "");
    for row in &rows {
        for name in ["RPN", "Residual RPN", "Residual severity"] {
            let cell = &row[col(name)];
            assert!(cell.bytes().all(|b| b.is_ascii_digit()), "{name}: {cell:?}");
        }
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn the_statement_of_applicability_lists_every_2022_control() {
    let dir = tempfile::tempdir().unwrap();
    let written = export::export_as_of(
        &treated(),
        dir.path(),
        "ws",
        CsvOptions {
            delimiter: b';',
            bom: true,
        },
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    let (headers, rows) = read(&written[3].path, b';');
    assert_eq!(
        headers,
        [
            "Control",
            "Title",
            "Theme",
            "Control group",
            "Linked",
            "Implementation",
            "Existing for",
            "Planned for",
            "Justification",
            "Highest RPN",
            "ISO 27001:2013"
        ]
    );
    assert_eq!(rows.len(), 93);
    assert_eq!(rows[0][0], "A.5.1");
    assert_eq!(rows[92][0], "A.8.34");
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
    let a85 = row("A.8.5");
    assert_eq!(
        &a85[1..8],
        [
            "Secure authentication",
            "Technological controls",
            "Software",
            "yes",
            "existing and planned",
            "FM-002",
            "FM-002, FM-003",
        ]
    );
    assert_eq!(
        a85[8],
        "FM-002 (RPN 1000 H, existing): plain, with comma; \
         FM-002 (RPN 1000 H, planned, via A.9.4.2): plain, with comma; \
         FM-003 (RPN 100 L, planned): größer 中文 😀",
        "a 2013 link counts for its 2022 successor, and says so"
    );
    assert_eq!((a85[9].as_str(), a85[10].as_str()), ("1000", "A.9.4.2"));
    let a515 = row("A.5.15");
    assert_eq!(
        (a515[4].as_str(), a515[5].as_str(), a515[7].as_str()),
        ("yes", "planned", "FM-002")
    );
    let a51 = row("A.5.1");
    assert_eq!(
        &a51[1..10],
        [
            "Policies for information security",
            "Organisational controls",
            "Policy",
            "no",
            "",
            "",
            "",
            "",
            ""
        ]
    );
    assert_eq!(a51[10], "A.5.1.1, A.5.1.2");
    let linked = rows.iter().filter(|r| r[4] == "yes").count();
    assert_eq!(linked, 2);
    for row in &rows {
        assert!(["yes", "no"].contains(&row[4].as_str()));
        assert!(row[9].bytes().all(|b| b.is_ascii_digit()));
    }
}

/// `treated()` with programme records that a spreadsheet must not run.
fn with_programme() -> Session {
    use riskroom::domain::programme::{DocumentRecord, DocumentStatus, StepRecord, StepStatus};
    let mut s = treated();
    s.apply(Change::PutStep(StepRecord {
        status: StepStatus::InProgress,
        owner: "=cmd|' /C calc'!A0".into(),
        due: Some(jiff::civil::date(2026, 11, 1)),
        evidence: "https://intranet.example/isms; \"scope\"".into(),
        note: "Geschäftsführung, 管理層\nsecond line".into(),
        ..StepRecord::blank(3)
    }));
    s.apply(Change::PutStep(StepRecord {
        status: StepStatus::Done,
        due: Some(jiff::civil::date(2026, 1, 1)),
        ..StepRecord::blank(8)
    }));
    s.apply(Change::PutDocument(DocumentRecord {
        status: DocumentStatus::Approved,
        owner: "@CISO".into(),
        evidence: "+isms/policy.pdf".into(),
        last_review: Some(jiff::civil::date(2025, 1, 2)),
        ..DocumentRecord::blank("5.2")
    }));
    s
}

#[test]
fn the_roadmap_lists_all_24_steps_with_their_records() {
    let dir = tempfile::tempdir().unwrap();
    let written = export::export_as_of(
        &with_programme(),
        dir.path(),
        "ws",
        CsvOptions::default(),
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    let path = &written[4].path;
    assert!(
        fs::read(path)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFStep,Phase,Name,Status,")
    );
    let (headers, rows) = read(path, b',');
    assert_eq!(headers, export::ROADMAP_HEADERS);
    assert_eq!(rows.len(), 24);
    let numbers: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<String> = (1..=24).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected, "plain integers, in order");
    assert_eq!(
        rows[2][..9],
        [
            "3",
            "Awareness",
            "Confirm top-management commitment",
            "In progress",
            "'=cmd|' /C calc'!A0",
            "2026-11-01",
            "https://intranet.example/isms; \"scope\"",
            "Geschäftsführung, 管理層\nsecond line",
            "yes",
        ]
    );
    assert_eq!(
        (rows[7][3].as_str(), rows[7][8].as_str()),
        ("Done", ""),
        "done is never overdue"
    );
    assert_eq!(
        rows[23][..4],
        [
            "24",
            "Validation",
            "Top management recognition",
            "Not started"
        ]
    );
    assert!(rows[9][9].starts_with("this session holds the method: the InfoSec FMEA circle"));
    assert!(rows[17][9].starts_with("PDCA Check stage"));
    assert_eq!(
        rows.iter().filter(|r| !r[9].is_empty()).count(),
        4,
        "steps 10, 15, 18, 19"
    );
}

#[test]
fn the_documents_list_the_14_clauses_with_reviews_and_what_the_session_holds() {
    let dir = tempfile::tempdir().unwrap();
    let written = export::export_as_of(
        &with_programme(),
        dir.path(),
        "ws",
        CsvOptions {
            delimiter: b';',
            bom: false,
        },
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    let path = &written[5].path;
    assert!(path.ends_with("ws-documents.csv"));
    assert!(
        fs::read(path)
            .unwrap()
            .starts_with(b"Clause;Document;Status;")
    );
    let (headers, rows) = read(path, b';');
    assert_eq!(headers, export::DOCUMENTS_HEADERS);
    let clauses: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        clauses,
        [
            "4.3", "5.2", "6.1.2", "6.1.3", "6.2", "7.2", "7.5.1 b", "8.1", "8.2", "8.3", "9.1",
            "9.2", "9.3", "10.1"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "5.2",
            "Information security policy",
            "Approved",
            "'@CISO",
            "'+isms/policy.pdf",
            "2025-01-02",
            "yes",
            "review overdue: older than a year",
            "",
        ]
    );
    assert_eq!(rows[0][2], "Missing");
    let held: Vec<&str> = rows
        .iter()
        .filter(|r| !r[8].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(held, ["6.1.2", "6.1.3", "8.2", "8.3"]);
    assert_eq!(rows[8][2], "In session");
    assert!(
        rows[8][8].starts_with("this session: 4 failure modes assessed in cycle 1"),
        "{}",
        rows[8][8]
    );
}

#[test]
fn the_treatment_plan_says_where_residuals_come_from_and_who_signed_off() {
    let mut s = treated();
    s.participants = vec![Participant::new("=Priya Raman", "risk owner")];
    // FM-003 (accepted, 100 at a threshold of 100): signed, then re-rated.
    let sign = s
        .sign_off_change(
            FailureModeId(3),
            "=Priya Raman",
            SignOffKind::AcceptResidual,
            jiff::Timestamp::from_second(1_795_424_400).unwrap(),
        )
        .unwrap();
    s.apply(sign);
    s.failure_modes[2].severity = 6;
    // FM-001 (100): accepted, nobody signed.
    s.failure_modes[0].treatment.decision = Decision::Accept;
    let dir = tempfile::tempdir().unwrap();
    let written = export::export_as_of(
        &s,
        dir.path(),
        "ws",
        CsvOptions::default(),
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    let (headers, rows) = read(&written[2].path, b',');
    assert_eq!(
        &headers[21..],
        [
            "Residual severity from",
            "Residual occurrence from",
            "Residual detection from",
            "Sign-off",
            "Signed by",
            "Signed at",
            "Needs re-approval",
            "Changed since sign-off",
            "Accepted without sign-off",
        ]
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap();
    let fm2 = row("FM-002");
    assert_eq!(
        [
            &fm2[col("Residual severity from")],
            &fm2[col("Residual occurrence from")],
            &fm2[col("Residual detection from")],
        ],
        ["carried", "revised", "revised"],
        "S 10 carried from the current rating, O and D revised by the room"
    );
    let fm3 = row("FM-003");
    assert_eq!(fm3[col("Residual severity from")], "", "no residual");
    assert_eq!(fm3[col("Sign-off")], "accepted the residual risk");
    assert_eq!(
        fm3[col("Signed by")],
        "'=Priya Raman (risk owner)",
        "a name is guarded like any text"
    );
    assert_eq!(fm3[col("Signed at")], "2026-11-23T09:00:00Z");
    assert_eq!(fm3[col("Needs re-approval")], "yes");
    assert_eq!(fm3[col("Changed since sign-off")], "severity 5 → 6");
    assert_eq!(
        fm3[col("Accepted without sign-off")],
        "",
        "signed, if stale"
    );
    let fm1 = row("FM-001");
    assert_eq!(fm1[col("Accepted without sign-off")], "yes");
    assert_eq!(fm1[col("Sign-off")], "");
    assert_eq!(fm1[col("Needs re-approval")], "");
}
