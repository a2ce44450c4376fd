//! The workbook both ways: `export --format xlsx` read back with calamine (every
//! sheet, cell types) and its XML (validation, freeze panes, marks), and
//! `import --workbook` of ours, of one saved by LibreOffice Calc and of a
//! register kept in a spreadsheet.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, DataType, Range, Reader, SheetVisible, Xlsx};
use jiff::civil::date;
use riskroom::domain::*;
use riskroom::export::workbook::{self, write_workbook};
use riskroom::import::{self, Options};
use riskroom::store;

fn riskroom() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("riskroom").unwrap()
}

const DEMO: &str = "sessions/ip-chamber.ron";
const LIBREOFFICE: &str = "tests/fixtures/libreoffice";

fn demo() -> Session {
    store::load(Path::new(DEMO)).unwrap()
}

fn today() -> jiff::civil::Date {
    date(2026, 11, 20)
}

fn bytes_of(session: &Session) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    write_workbook(session, today(), &mut cursor).unwrap();
    cursor.into_inner()
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    open(bytes).worksheet_range(name).unwrap()
}

/// The XML of one part of the workbook.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The XML of the sheet called `name` (sheets are numbered in order).
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let names: Vec<String> = open(bytes).sheet_names();
    let n = names.iter().position(|s| s == name).unwrap() + 1;
    part(bytes, &format!("xl/worksheets/sheet{n}.xml"))
}

fn header(range: &Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn every_sheet_is_there_in_order_with_the_csv_headers() {
    let bytes = bytes_of(&demo());
    let book = open(&bytes);
    let sheets: Vec<(String, SheetVisible)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Summary",
            "Assets",
            "Failure modes",
            "Treatment plan",
            "Controls (SoA)",
            "Roadmap",
            "Documents",
            "riskroom"
        ]
    );
    assert!(sheets[..7].iter().all(|(_, v)| *v == SheetVisible::Visible));
    assert_eq!(sheets[7].1, SheetVisible::Hidden);
    for (name, headers) in [
        ("Assets", &riskroom::export::ASSET_HEADERS[..]),
        ("Failure modes", &riskroom::export::FAILURE_MODE_HEADERS[..]),
        (
            "Treatment plan",
            &riskroom::export::TREATMENT_PLAN_HEADERS[..],
        ),
        ("Controls (SoA)", &riskroom::export::CONTROLS_HEADERS[..]),
        ("Roadmap", &riskroom::export::ROADMAP_HEADERS[..]),
        ("Documents", &riskroom::export::DOCUMENTS_HEADERS[..]),
    ] {
        assert_eq!(header(&sheet(&bytes, name)), headers, "{name}");
    }
    let s = demo();
    assert_eq!(sheet(&bytes, "Assets").height(), s.assets.len() + 1);
    assert_eq!(
        sheet(&bytes, "Failure modes").height(),
        s.failure_modes.len() + 1
    );
    assert_eq!(
        sheet(&bytes, "Treatment plan").height(),
        s.failure_modes.len() + 1
    );
    assert_eq!(sheet(&bytes, "Controls (SoA)").height(), 93 + 1);
    assert_eq!(sheet(&bytes, "Roadmap").height(), 24 + 1);
    assert_eq!(sheet(&bytes, "Documents").height(), 14 + 1);
}

#[test]
fn numbers_are_numbers_dates_are_dates_and_text_is_text() {
    let s = demo();
    let bytes = bytes_of(&s);
    let fms = sheet(&bytes, "Failure modes");
    // Every S, O, D and RPN cell is a number; IDs, AP and texts are strings.
    for row in fms.rows().skip(1) {
        for col in [8, 9, 10, 11] {
            assert!(
                matches!(row[col], Data::Float(_) | Data::Int(_)),
                "{:?}",
                row[col]
            );
        }
        for col in [0, 4, 12] {
            assert!(matches!(row[col], Data::String(_)), "{:?}", row[col]);
        }
    }
    // In risk order, as the screen and the CSV have it.
    let first = &fms.rows().nth(1).unwrap();
    let top = riskroom::domain::ordering::RiskOrder::of(&s)
        .ids()
        .next()
        .unwrap();
    assert_eq!(first[0], Data::String(top.to_string()));
    let rpn = s.failure_mode(top).unwrap().rpn();
    assert_eq!(first[11].as_f64(), Some(f64::from(rpn)));

    // Due dates are dates (a date format), not text.
    let plan = sheet(&bytes, "Treatment plan");
    let due: Vec<&Data> = plan.rows().skip(1).map(|r| &r[8]).collect();
    let dates = due
        .iter()
        .filter(|d| matches!(d, Data::DateTime(_)))
        .count();
    let with_due = s
        .failure_modes
        .iter()
        .filter(|f| f.treatment.due.is_some())
        .count();
    assert!(with_due > 0);
    assert_eq!(dates, with_due);
    assert!(
        due.iter()
            .all(|d| matches!(d, Data::DateTime(_) | Data::Empty))
    );
    let (row, fm) = plan
        .rows()
        .skip(1)
        .find_map(|r| {
            let id: FailureModeId = r[0].to_string().parse().ok()?;
            let fm = s.failure_mode(id)?;
            fm.treatment.due.map(|_| (r, fm))
        })
        .unwrap();
    let Data::DateTime(d) = &row[8] else {
        panic!("not a date")
    };
    let due = fm.treatment.due.unwrap();
    let serial = due.since(date(1899, 12, 30)).unwrap().get_days();
    assert_eq!(d.as_f64(), f64::from(serial));

    // The Summary: the export's date as a date, the cycle as a number.
    let summary = sheet(&bytes, "Summary");
    let value = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(value("Title"), Data::String(s.title.clone()));
    assert!(matches!(value("Exported"), Data::DateTime(_)));
    assert_eq!(value("PDCA cycle").as_f64(), Some(f64::from(s.pdca.cycle)));
    assert_eq!(
        value("Failure modes").as_f64(),
        Some(s.failure_modes.len() as f64)
    );
}

/// A session whose texts a spreadsheet would run as formulas.
fn hostile() -> Session {
    let mut s = Session::new("=HYPERLINK(\"http://x\")", jiff::Timestamp::UNIX_EPOCH);
    let mut a = Asset::new(AssetId(1), "=1+1", Category::Information);
    a.owner = "@SUM(A1)".into();
    a.location = "-2+3".into();
    a.description = "'=x stays '=x".into();
    (a.confidentiality, a.integrity, a.availability) = (4, 3, 2);
    s.assets.push(a);
    let mut f = FailureMode::new(FailureModeId(1), "+cmd|' /C calc'!A0");
    f.asset = Some(AssetId(1));
    f.effect = "\tTab".into();
    f.cause = "中文 und Größe".into();
    (f.severity, f.occurrence, f.detection) = (9, 8, 7);
    s.failure_modes.push(f);
    s
}

#[test]
fn text_that_looks_like_a_formula_is_a_text_cell_and_no_formula_is_written() {
    let s = hostile();
    let bytes = bytes_of(&s);
    for n in 1..=8 {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!xml.contains("<f>"), "sheet{n} holds a formula");
    }
    let assets = sheet(&bytes, "Assets");
    let row: Vec<&Data> = assets.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[1], &Data::String("=1+1".into()));
    assert_eq!(row[3], &Data::String("@SUM(A1)".into()));
    assert_eq!(row[4], &Data::String("-2+3".into()));
    assert_eq!(row[10], &Data::String("'=x stays '=x".into()));
    // Shown as text when edited too: Excel's quote prefix on those cells.
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""));
    // And they come back as they were.
    let sheets = import::workbook::read("hostile.xlsx", &bytes).unwrap();
    let plan =
        import::plan_tables(&s, sheets.assets, sheets.failure_modes, &Options::default()).unwrap();
    assert!(
        plan.summary.rejected.is_empty(),
        "{:?}",
        plan.summary.rejected
    );
    assert_eq!(plan.summary.assets.unchanged, [AssetId(1)]);
    assert_eq!(plan.summary.failure_modes.unchanged, [FailureModeId(1)]);
}

#[test]
fn header_frozen_autofilter_widths_drop_downs_and_marks() {
    let s = demo();
    let bytes = bytes_of(&s);
    let n = s.failure_modes.len() + 1;
    let fms = sheet_xml(&bytes, "Failure modes");
    assert!(fms.contains(
        r#"<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>"#
    ));
    assert!(
        fms.contains(&format!(r#"<autoFilter ref="A1:O{n}"/>"#)),
        "{fms}"
    );
    assert!(fms.contains("customWidth=\"1\""));
    // S, O, D: a drop-down of their scale, over the rows and spare ones below.
    let last = n + 200;
    for col in ["I", "J", "K"] {
        assert!(
            fms.contains(&format!(
                r#"sqref="{col}2:{col}{last}"><formula1>"1,2,3,4,5,6,7,8,9,10"</formula1>"#
            )),
            "{col}"
        );
    }
    // Treatment status: the four statuses.
    assert!(fms.contains(r#"<formula1>"Open,In progress,Done,Verified"</formula1>"#));
    // RPN at or above the threshold: a conditional format, AP H/M and class A/B too.
    assert!(fms.contains(&format!(
        r#"<conditionalFormatting sqref="L2:L{n}"><cfRule type="cellIs""#
    )));
    assert!(fms.contains(r#"operator="greaterThanOrEqual"><formula>200</formula>"#));
    assert!(fms.contains(&format!(
        r#"<conditionalFormatting sqref="M2:M{n}"><cfRule type="cellIs""#
    )));
    assert!(fms.contains(r#"<formula>"H"</formula>"#));
    // The mark that is not a colour: ▲ after the RPN, in the format's number format.
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("formatCode=\"0&quot; ▲&quot;\""),
        "{styles}"
    );

    let assets = sheet_xml(&bytes, "Assets");
    assert!(
        assets.contains(r#"<formula1>"1,2,3,4"</formula1>"#),
        "C 1-4"
    );
    assert!(
        assets.contains(r#"<formula1>"1,2,3"</formula1>"#),
        "I, A 1-3"
    );
    assert!(assets.contains(
        r#"<formula1>"Hardware,Software,Service,Network,Information,People,Site"</formula1>"#
    ));
    let plan = sheet_xml(&bytes, "Treatment plan");
    assert!(plan.contains(r#"<formula1>"Undecided,Reduce,Accept,Avoid,Transfer"</formula1>"#));
    let summary = sheet_xml(&bytes, "Summary");
    assert!(summary.contains(r#"ySplit="1""#));
    // The hidden sheet is protected, and says what it is.
    let meta = sheet_xml(&bytes, "riskroom");
    assert!(meta.contains("<sheetProtection"));
    let meta = sheet(&bytes, "riskroom");
    assert_eq!(
        meta.rows().next().unwrap()[1],
        Data::String("riskroom".into())
    );
    assert_eq!(
        meta.rows().nth(1).unwrap()[1],
        Data::String(workbook::WORKBOOK_FORMAT.to_string())
    );
    let ids: Vec<String> = meta.rows().skip(7).map(|r| r[1].to_string()).collect();
    assert_eq!(ids.len(), s.failure_modes.len());
}

#[test]
fn our_workbook_comes_back_unchanged_and_an_offline_edit_comes_back_as_an_update() {
    let s = demo();
    let bytes = bytes_of(&s);
    let sheets = import::workbook::read("demo.xlsx", &bytes).unwrap();
    let plan =
        import::plan_tables(&s, sheets.assets, sheets.failure_modes, &Options::default()).unwrap();
    assert!(
        plan.summary.rejected.is_empty(),
        "{:?}",
        plan.summary.rejected
    );
    assert!(!plan.summary.changes_anything());
    assert_eq!(plan.summary.assets.unchanged.len(), s.assets.len());
    assert_eq!(
        plan.summary.failure_modes.unchanged.len(),
        s.failure_modes.len()
    );
}

#[test]
fn a_workbook_saved_by_libreoffice_calc_imports_with_its_edits() {
    let dir = Path::new(LIBREOFFICE);
    let session = store::load(&dir.join("workshop.ron")).unwrap();
    let bytes = fs::read(dir.join("workshop-calc.xlsx")).unwrap();
    // Calc wrote it: shared strings, not our inline strings.
    let strings = part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("<sst") && strings.contains("客戶"));
    assert!(!part(&bytes, "xl/worksheets/sheet2.xml").contains("inlineStr"));
    let sheets = import::workbook::read("workshop-calc.xlsx", &bytes).unwrap();
    let plan = import::plan_tables(
        &session,
        sheets.assets,
        sheets.failure_modes,
        &Options::default(),
    )
    .unwrap();
    let s = &plan.summary;
    assert!(s.rejected.is_empty(), "{:?}", s.rejected);
    assert_eq!(s.assets.updated, [AssetId(3)]);
    assert_eq!(s.assets.unchanged, [AssetId(1), AssetId(2)]);
    assert_eq!(s.failure_modes.updated, [FailureModeId(2)]);
    assert_eq!(
        s.failure_modes.unchanged,
        [FailureModeId(1), FailureModeId(3)]
    );
    let mut after = session.clone();
    plan.apply(&mut after);
    assert_eq!(after.asset(AssetId(3)).unwrap().availability, 2);
    assert_eq!(after.failure_mode(FailureModeId(2)).unwrap().severity, 9);
    // Text through Calc is what the session had: formula starts, quotes, CJK,
    // line breaks.
    assert_eq!(after.assets[..2], session.assets[..2]);
    assert_eq!(after.asset(AssetId(1)).unwrap().description, "=1+1");
}

#[test]
fn a_register_kept_in_a_spreadsheet_is_found_by_its_header_and_rows_are_rejected_by_row() {
    let dir = Path::new(LIBREOFFICE);
    let session = store::load(&dir.join("workshop.ron")).unwrap();
    let bytes = fs::read(dir.join("fmea-register.xlsx")).unwrap();
    let sheets = import::workbook::read("fmea-register.xlsx", &bytes).unwrap();
    assert!(sheets.assets.is_none());
    let named = sheets.failure_modes.clone().unwrap();
    assert_eq!(named.name, "fmea-register.xlsx (sheet fmea-register)");
    let plan =
        import::plan_tables(&session, None, sheets.failure_modes, &Options::default()).unwrap();
    let s = &plan.summary;
    assert_eq!(s.rejected.len(), 1);
    assert_eq!(
        s.rejected[0].to_string(),
        "fmea-register.xlsx (sheet fmea-register) row 5: severity 11 is outside its scale 1-10"
    );
    assert!(s.is_blocked(), "all or nothing");
    assert!(!s.changes_anything());

    let partial = Options {
        partial: true,
        ..Options::default()
    };
    let sheets = import::workbook::read("fmea-register.xlsx", &bytes).unwrap();
    let plan = import::plan_tables(&session, None, sheets.failure_modes, &partial).unwrap();
    let mut after = session.clone();
    plan.apply(&mut after);
    let added = after.failure_mode(FailureModeId(4)).unwrap();
    assert_eq!(
        (added.mode.as_str(), added.asset, added.rpn()),
        ("Stolen VPN token", Some(AssetId(2)), 160)
    );
}

#[test]
fn broken_foreign_and_newer_workbooks_are_refused_with_the_reason() {
    let not_zip = import::workbook::read("x.xlsx", b"ID,Name\nA-001,x\n").unwrap_err();
    assert!(
        not_zip
            .to_string()
            .starts_with("x.xlsx is not a workbook riskroom can read"),
        "{not_zip}"
    );

    // A workbook with nothing we know.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Budget").unwrap();
    sheet.write(0, 0, "Cost centre").unwrap();
    sheet.write(0, 1, "Amount").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = import::workbook::read("budget.xlsx", &bytes).unwrap_err();
    assert!(
        err.to_string()
            .contains("has no sheet of assets or failure modes"),
        "{err}"
    );
    assert!(err.to_string().contains("sheets: Budget"), "{err}");

    // Ours, from a newer riskroom.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Assets").unwrap();
    sheet.write(0, 0, "ID").unwrap();
    sheet.write(0, 1, "Name").unwrap();
    let meta = book.add_worksheet();
    meta.set_name("riskroom").unwrap();
    meta.write(0, 0, "workbook").unwrap();
    meta.write(0, 1, "riskroom").unwrap();
    meta.write(1, 0, "workbook format").unwrap();
    meta.write(1, 1, "99").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = import::workbook::read("new.xlsx", &bytes).unwrap_err();
    assert!(
        err.to_string()
            .contains("newer riskroom (workbook format 99"),
        "{err}"
    );
}

#[test]
fn ratings_typed_as_text_or_decimals_in_excel_are_checked_like_csv_cells() {
    let s = demo();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Failure modes").unwrap();
    for (c, h) in ["ID", "Severity", "Occurrence", "Detection"]
        .iter()
        .enumerate()
    {
        sheet.write(0, c as u16, *h).unwrap();
    }
    sheet.write(1, 0, "FM-001").unwrap();
    sheet.write(1, 1, 7.0).unwrap(); // 7.0 is 7
    sheet.write(1, 2, "3").unwrap(); // a number typed as text
    sheet.write(1, 3, 2).unwrap();
    sheet.write(2, 0, "FM-002").unwrap();
    sheet.write(2, 1, 7.5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let sheets = import::workbook::read("edits.xlsx", &bytes).unwrap();
    let plan = import::plan_tables(&s, None, sheets.failure_modes, &Options::default()).unwrap();
    let r = &plan.summary.rejected;
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].line, 3);
    assert!(
        r[0].to_string()
            .contains("edits.xlsx (sheet Failure modes) row 3 (FM-002)"),
        "{}",
        r[0]
    );
}

#[test]
fn the_command_line_writes_the_workbook_and_imports_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("demo.ron");
    fs::copy(DEMO, &session).unwrap();
    let out = riskroom()
        .args(["export", session.to_str().unwrap(), "--format", "xlsx"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book = dir.path().join("demo.xlsx");
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo.xlsx"));
    assert!(book.is_file());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let out = riskroom()
        .args([
            "import",
            session.to_str().unwrap(),
            "--workbook",
            book.to_str().unwrap(),
            "--dry-run",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("(sheet Assets): 20 rows"), "{stdout}");
    assert!(stdout.contains("nothing to change"), "{stdout}");

    // --workbook with --assets is a mistake, said by the argument parser.
    let out = riskroom()
        .args([
            "import",
            session.to_str().unwrap(),
            "--workbook",
            book.to_str().unwrap(),
            "--assets",
            "a.csv",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());

    // Into a directory that does not exist: a message, no file.
    let out = riskroom()
        .args([
            "export",
            session.to_str().unwrap(),
            "--format",
            "xlsx",
            "--out",
            dir.path().join("nope").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such directory"));
}
