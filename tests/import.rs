//! CSV import (issue 7): the spreadsheet round trip, synonyms, delimiters,
//! encodings, line numbers of rejected rows, and the `riskroom import` command.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jiff::Timestamp;
use predicates::prelude::*;
use riskroom::domain::*;
use riskroom::export::{self, CsvOptions, assets_table, failure_modes_table, to_csv};
use riskroom::import::columns::{self, Field};
use riskroom::import::{self, Options, Plan, Source};
use riskroom::store;

const DEMO: &str = "sessions/ip-chamber.ron";
const LIBREOFFICE: &str = "tests/fixtures/libreoffice";

fn demo() -> Session {
    store::load(Path::new(DEMO)).unwrap()
}

fn empty() -> Session {
    Session::new("Empty", Timestamp::UNIX_EPOCH)
}

/// The two CSV files `riskroom export` writes for a session.
fn exported(session: &Session, options: CsvOptions) -> (Vec<u8>, Vec<u8>) {
    (
        to_csv(&assets_table(session), options),
        to_csv(&failure_modes_table(session), options),
    )
}

fn plan_of(session: &Session, assets: Option<&[u8]>, fms: Option<&[u8]>, options: Options) -> Plan {
    import::plan(
        session,
        assets.map(|bytes| Source {
            name: "assets.csv",
            bytes,
        }),
        fms.map(|bytes| Source {
            name: "fms.csv",
            bytes,
        }),
        &options,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The session after the import.
fn imported(
    session: &Session,
    assets: Option<&[u8]>,
    fms: Option<&[u8]>,
    options: Options,
) -> Session {
    let plan = plan_of(session, assets, fms, options);
    assert!(
        plan.summary.rejected.is_empty() || options.partial,
        "{:#?}",
        plan.summary.rejected
    );
    let mut after = session.clone();
    plan.apply(&mut after);
    assert!(validate(&after).is_empty(), "{:?}", validate(&after));
    after
}

fn keep_ids() -> Options {
    Options {
        keep_ids: true,
        ..Options::default()
    }
}

/// (file, line, reasons) of every rejected row.
fn rejected(plan: &Plan) -> Vec<(String, u64, String)> {
    plan.summary
        .rejected
        .iter()
        .map(|r| (r.file.clone(), r.line, r.reasons.join("; ")))
        .collect()
}

/// Failure modes without their treatments, Annex A links and sign-offs, which
/// the two register CSV files do not carry (the treatment plan and controls
/// files do).
fn without_treatments(fms: &[FailureMode]) -> Vec<FailureMode> {
    fms.iter()
        .map(|f| FailureMode {
            treatment: Treatment::default(),
            annex_a: Vec::new(),
            sign_off: None,
            ..f.clone()
        })
        .collect()
}

/// The failure modes as the register CSV carries them: without treatments and
/// links, and with their process by name (the CSV's Process column is the name;
/// an import into another session makes process records under its own IDs).
fn as_in_the_register(session: &Session) -> Vec<(FailureMode, String)> {
    without_treatments(&session.failure_modes)
        .into_iter()
        .map(|f| {
            let name = session.process_name(f.process).to_string();
            (FailureMode { process: None, ..f }, name)
        })
        .collect()
}

#[test]
fn the_demo_exported_and_imported_into_an_empty_session_comes_back_the_same() {
    let demo = demo();
    let (assets, fms) = exported(&demo, CsvOptions::default());
    let plan = plan_of(&empty(), Some(&assets), Some(&fms), keep_ids());
    assert_eq!(plan.summary.assets.added.len(), demo.assets.len());
    assert_eq!(
        plan.summary.failure_modes.added.len(),
        demo.failure_modes.len()
    );
    assert!(matches!(plan.change, Change::Batch(_)), "one undoable step");

    let after = imported(&empty(), Some(&assets), Some(&fms), keep_ids());
    assert_eq!(after.assets, demo.assets, "IDs, texts, categories, ratings");
    assert_eq!(
        as_in_the_register(&after),
        as_in_the_register(&demo),
        "IDs (FM-014 stays a gap), asset links, process names, texts, ratings"
    );
    assert_eq!(
        after.processes.len(),
        demo.processes.len(),
        "one process record per name, made once"
    );
    assert!(
        !after
            .failure_modes
            .iter()
            .any(|f| f.id == FailureModeId(14)),
        "the demo deleted FM-014"
    );
    // New IDs continue after the imported ones.
    let mut next = after.clone();
    assert_eq!(next.allocate_asset_id().unwrap(), AssetId(21));
    assert_eq!(next.allocate_failure_mode_id().unwrap(), FailureModeId(42));
}

#[test]
fn the_demo_imported_with_new_ids_is_renumbered_and_keeps_its_asset_links() {
    let demo = demo();
    let (assets, fms) = exported(&demo, CsvOptions::default());
    // A session of its own whose IDs the demo's do not hit.
    let mut target = empty();
    target.next_ids.asset = 101;
    for name in ["Laptop", "Printer", "Badge reader"] {
        let id = target.allocate_asset_id().unwrap();
        target.assets.push(Asset::new(id, name, Category::Hardware));
    }
    let new_ids = Options {
        new_ids: true,
        ..Options::default()
    };
    let plan = plan_of(&target, Some(&assets), Some(&fms), new_ids);
    let renumbered = &plan.summary.assets.renumbered;
    assert_eq!(renumbered.len(), 20);
    assert_eq!(
        (renumbered[0].line, renumbered[0].from, renumbered[0].to),
        (2, AssetId(1), AssetId(104))
    );
    let after = imported(&target, Some(&assets), Some(&fms), new_ids);
    assert_eq!(after.assets.len(), 23);
    assert_eq!(after.failure_modes.len(), demo.failure_modes.len());
    for fm in &demo.failure_modes {
        let copy = after
            .failure_modes
            .iter()
            .find(|f| f.mode == fm.mode && f.cause == fm.cause)
            .unwrap_or_else(|| panic!("{} is missing", fm.id));
        assert_eq!(copy.sod(), fm.sod(), "{}", fm.id);
        let name =
            |s: &Session, id: Option<AssetId>| id.map(|id| s.asset(id).unwrap().name.clone());
        assert_eq!(
            name(&after, copy.asset),
            name(&demo, fm.asset),
            "{} still points at the same asset under its new ID",
            fm.id
        );
    }
}

#[test]
fn importing_an_unchanged_export_changes_nothing() {
    let demo = demo();
    let (assets, fms) = exported(&demo, CsvOptions::default());
    let plan = plan_of(&demo, Some(&assets), Some(&fms), Options::default());
    let s = &plan.summary;
    assert_eq!(
        (s.assets.unchanged.len(), s.failure_modes.unchanged.len()),
        (20, 40)
    );
    assert!(s.assets.updated.is_empty() && s.failure_modes.updated.is_empty());
    assert!(!s.changes_anything());
    assert!(plan.change.is_none());
    assert!(s.rejected.is_empty());
}

#[test]
fn only_the_columns_in_the_file_change_and_treatments_stay() {
    let demo = demo();
    let fm = demo
        .failure_modes
        .iter()
        .find(|f| !f.treatment.is_empty())
        .unwrap();
    let file = format!("ID,Severity\r\n{},{}\r\n", fm.id, fm.severity % 10 + 1);
    let owner_file = "Asset ID;Owner\nA-002;Dr. Chan\n";
    let after = imported(
        &demo,
        Some(owner_file.as_bytes()),
        Some(file.as_bytes()),
        Options::default(),
    );
    let changed = after.failure_mode(fm.id).unwrap();
    assert_eq!(changed.severity, fm.severity % 10 + 1);
    assert_eq!(
        FailureMode {
            severity: fm.severity,
            ..changed.clone()
        },
        *fm,
        "every other field, treatment included, as before"
    );
    let a2 = after.asset(AssetId(2)).unwrap();
    assert_eq!(a2.owner, "Dr. Chan");
    assert_eq!(
        Asset {
            owner: demo.assets[1].owner.clone(),
            ..a2.clone()
        },
        demo.assets[1]
    );
    assert_eq!(after.assets.len(), demo.assets.len(), "nothing added");
    assert_eq!(after.failure_modes.len(), demo.failure_modes.len());
}

#[test]
fn rows_without_id_are_added_under_fresh_ids_and_nothing_is_deleted() {
    let demo = demo();
    let assets = "Name,Category,C,I,A\nCleanroom camera,Hardware,2,1,2\n";
    let fms = "Asset,Failure mode,S,O,D\nCleanroom camera,Recording kept too long,4,6,7\n\
               A-002,Backup key lost,9,2,8\n";
    let plan = plan_of(
        &demo,
        Some(assets.as_bytes()),
        Some(fms.as_bytes()),
        Options::default(),
    );
    assert_eq!(plan.summary.assets.added, [AssetId(21)]);
    assert_eq!(
        plan.summary.failure_modes.added,
        [FailureModeId(42), FailureModeId(43)]
    );
    let mut after = demo.clone();
    let undo = plan.apply(&mut after);
    assert_eq!(after.assets.len(), 21);
    assert_eq!(after.failure_modes.len(), 42);
    let camera = after.failure_mode(FailureModeId(42)).unwrap();
    assert_eq!(
        camera.asset,
        Some(AssetId(21)),
        "named by its name, same import"
    );
    assert_eq!(camera.rpn(), 4 * 6 * 7);
    assert_eq!(
        after.failure_mode(FailureModeId(43)).unwrap().asset,
        Some(AssetId(2))
    );

    // One step back gives the session as it was; the IDs stay used.
    after.apply(undo);
    assert_eq!(after.assets, demo.assets);
    assert_eq!(after.failure_modes, demo.failure_modes);
    assert_eq!(after.allocate_failure_mode_id().unwrap(), FailureModeId(44));
    assert_eq!(after.allocate_asset_id().unwrap(), AssetId(22));
}

/// Every header name the import knows, as documented in the README.
const ASSET_SYNONYMS: &[(Field, &[&str])] = &[
    (Field::Id, &["ID", "Asset ID", "Asset no", "Asset number"]),
    (Field::Name, &["Name", "Asset", "Asset name"]),
    (
        Field::Category,
        &["Category", "Asset category", "Type", "Asset type"],
    ),
    (Field::Owner, &["Owner", "Asset owner", "Responsible"]),
    (Field::Location, &["Location", "Place"]),
    (Field::Description, &["Description", "Desc", "Details"]),
    (
        Field::Confidentiality,
        &["Confidentiality", "C", "Conf", "Confidential"],
    ),
    (Field::Integrity, &["Integrity", "I", "Int", "Integ"]),
    (
        Field::Availability,
        &["Availability", "A", "Avail", "Available"],
    ),
];

const FAILURE_MODE_SYNONYMS: &[(Field, &[&str])] = &[
    (Field::Id, &["ID", "FM ID", "Failure mode ID"]),
    (
        Field::Process,
        &["Process", "Process step", "Process function", "Function"],
    ),
    (Field::Asset, &["Asset", "Asset ID", "Related asset"]),
    (
        Field::Mode,
        &["Failure mode", "Potential failure mode", "Mode", "Failure"],
    ),
    (
        Field::Effect,
        &[
            "Effect",
            "Effects",
            "Potential effect",
            "Potential effects",
            "Potential effects of failure",
            "Impact",
        ],
    ),
    (
        Field::Cause,
        &[
            "Cause",
            "Causes",
            "Potential cause",
            "Potential causes",
            "Potential causes of failure",
        ],
    ),
    (
        Field::Controls,
        &[
            "Current controls",
            "Controls",
            "Current control",
            "Control",
            "Current process controls",
            "Process controls",
            "Existing controls",
        ],
    ),
    (Field::Severity, &["Severity", "S", "SEV"]),
    (Field::Occurrence, &["Occurrence", "O", "OCC", "Occurence"]),
    (
        Field::Detection,
        &["Detection", "D", "DET", "Detectability"],
    ),
];

/// The synonym as a sloppy spreadsheet might head it: other case, odd spacing.
fn sloppy(name: &str) -> String {
    format!("  {}_ ", name.to_uppercase().replace(' ', "  "))
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells.iter().map(|c| format!("\"{c}\"")).collect();
    quoted.join(",") + "\r\n"
}

#[test]
fn every_asset_synonym_fills_its_field() {
    assert_eq!(
        columns::ASSET_COLUMNS,
        ASSET_SYNONYMS,
        "the test lists them all"
    );
    let mut session = empty();
    let mut old = Asset::new(AssetId(1), "Old", Category::Hardware);
    (old.owner, old.location, old.description) = ("Ana".into(), "R-1".into(), "d".into());
    (old.confidentiality, old.integrity, old.availability) = (1, 2, 1);
    session.assets.push(old);
    let values = [
        "A-001", "Renamed", "Network", "Bo", "Room 9", "New text", "4", "1", "3",
    ];
    let mut expected = Asset::new(AssetId(1), "Renamed", Category::Network);
    (expected.owner, expected.location, expected.description) =
        ("Bo".into(), "Room 9".into(), "New text".into());
    (
        expected.confidentiality,
        expected.integrity,
        expected.availability,
    ) = (4, 1, 3);

    for (i, (field, names)) in ASSET_SYNONYMS.iter().enumerate() {
        for name in *names {
            let mut headers: Vec<String> = ASSET_SYNONYMS
                .iter()
                .map(|(_, n)| n[0].to_string())
                .collect();
            headers[i] = sloppy(name);
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            let file = csv_line(&headers) + &csv_line(&values);
            let plan = plan_of(&session, Some(file.as_bytes()), None, Options::default());
            assert_eq!(
                plan.summary.assets.updated,
                [AssetId(1)],
                "{field}: {name:?}"
            );
            let mut after = session.clone();
            plan.apply(&mut after);
            assert_eq!(after.assets, [expected.clone()], "{field}: {name:?}");
        }
    }
}

#[test]
fn every_failure_mode_synonym_fills_its_field() {
    assert_eq!(
        columns::FAILURE_MODE_COLUMNS,
        FAILURE_MODE_SYNONYMS,
        "the test lists them all"
    );
    let mut session = empty();
    for n in 1..=2 {
        session.assets.push(Asset::new(
            AssetId(n),
            format!("asset {n}"),
            Category::Software,
        ));
    }
    let mut old = FailureMode::new(FailureModeId(1), "M1");
    old.asset = Some(AssetId(1));
    session.failure_modes.push(old);
    let values = [
        "FM-001", "P2", "A-002", "M2", "E2", "C2", "K2", "9", "8", "7",
    ];
    let mut expected = FailureMode::new(FailureModeId(1), "M2");
    expected.asset = Some(AssetId(2));
    (
        expected.process,
        expected.effect,
        expected.cause,
        expected.controls,
    ) = (
        // "P2" is a new process name: it becomes the session's first process.
        Some(ProcessId(1)),
        "E2".into(),
        "C2".into(),
        "K2".into(),
    );
    (expected.severity, expected.occurrence, expected.detection) = (9, 8, 7);

    for (i, (field, names)) in FAILURE_MODE_SYNONYMS.iter().enumerate() {
        for name in *names {
            let mut headers: Vec<String> = FAILURE_MODE_SYNONYMS
                .iter()
                .map(|(_, n)| n[0].to_string())
                .collect();
            headers[i] = sloppy(name);
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            let file = csv_line(&headers) + &csv_line(&values);
            let plan = plan_of(&session, None, Some(file.as_bytes()), Options::default());
            assert_eq!(
                plan.summary.failure_modes.updated,
                [FailureModeId(1)],
                "{field}: {name:?}"
            );
            let mut after = session.clone();
            plan.apply(&mut after);
            assert_eq!(after.failure_modes, [expected.clone()], "{field}: {name:?}");
            assert_eq!(after.process_name(expected.process), "P2");
        }
    }
}

#[test]
fn computed_columns_are_not_read_and_unknown_ones_are_reported() {
    let demo = demo();
    let fms = "ID,RPN,AP,Asset class,Asset name,Treatment status,Severity,Risk owner\n\
               FM-001,9999,Z,Q,nobody,Nonsense,9,Kenneth\n";
    let assets = "ID,Class value,Class,CIA,Name\nA-001,0,Z,x,EDA licence server (FlexLM)\n";
    let plan = plan_of(
        &demo,
        Some(assets.as_bytes()),
        Some(fms.as_bytes()),
        Options::default(),
    );
    assert!(
        plan.summary.rejected.is_empty(),
        "{:?}",
        plan.summary.rejected
    );
    let lines = plan.summary.lines();
    assert!(
        lines.contains(
            &"not read, riskroom works them out: Class value, Class, CIA, RPN, AP, Asset class, \
              Asset name, Treatment status"
                .to_string()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"warning: fms.csv: column 8 \"Risk owner\" is not a column riskroom knows; ignored"
                .to_string()
        ),
        "{lines:#?}"
    );
    let mut after = demo.clone();
    plan.apply(&mut after);
    assert_eq!(after.failure_mode(FailureModeId(1)).unwrap().severity, 9);
}

#[test]
fn semicolon_and_tab_files_are_recognised_from_their_header() {
    let demo = demo();
    for delimiter in [b';', b'\t'] {
        let options = CsvOptions {
            delimiter,
            bom: true,
        };
        let (assets, fms) = exported(&demo, options);
        let plan = plan_of(&empty(), Some(&assets), Some(&fms), keep_ids());
        assert_eq!(plan.summary.files[0].delimiter(), Some(delimiter));
        let after = imported(&empty(), Some(&assets), Some(&fms), keep_ids());
        assert_eq!(after.assets, demo.assets, "delimiter {delimiter}");
        assert_eq!(as_in_the_register(&after), as_in_the_register(&demo));
    }
}

#[test]
fn a_given_delimiter_overrides_the_guess() {
    // The header has more commas than semicolons, but the file is `;`-separated.
    let file = "ID;Owner, role, team\nA-001;Ops, night, B\n";
    let source = Some(Source {
        name: "a.csv",
        bytes: file.as_bytes(),
    });
    let guessed = import::plan(&demo(), source, None, &Options::default()).unwrap_err();
    assert!(
        guessed
            .message
            .starts_with("has neither an ID column nor a name column"),
        "{guessed}"
    );
    let given = Options {
        delimiter: Some(b';'),
        ..Options::default()
    };
    let plan = plan_of(&demo(), Some(file.as_bytes()), None, given);
    assert_eq!(plan.summary.files[0].delimiter(), Some(b';'));
    assert_eq!(plan.summary.ignored_columns[0].header, "Owner, role, team");
    assert_eq!(plan.summary.assets.unchanged, [AssetId(1)]);
}

#[test]
fn bom_or_not_and_crlf_or_lf_read_the_same() {
    let demo = demo();
    let (with_bom, _) = exported(&demo, CsvOptions::default());
    let (no_bom, _) = exported(
        &demo,
        CsvOptions {
            bom: false,
            ..CsvOptions::default()
        },
    );
    assert!(with_bom.starts_with(b"\xEF\xBB\xBF") && !no_bom.starts_with(b"\xEF\xBB\xBF"));
    // LF only, including inside quoted cells.
    let lf = String::from_utf8(no_bom.clone())
        .unwrap()
        .replace("\r\n", "\n");
    for bytes in [&with_bom, &no_bom, &lf.into_bytes()] {
        let after = imported(&empty(), Some(bytes), None, keep_ids());
        assert_eq!(after.assets, demo.assets);
    }
}

#[test]
fn quoted_line_breaks_stay_in_their_cell_and_line_numbers_stay_physical() {
    let mut s = empty();
    let mut a = Asset::new(AssetId(1), "Server", Category::Hardware);
    a.location = "Building 16W\r\nroom R-103\nrack 2".into();
    a.description = "one\ntwo\nthree".into();
    s.assets.push(a);
    s.assets
        .push(Asset::new(AssetId(2), "Tape", Category::Hardware));
    let (assets, _) = exported(&s, CsvOptions::default());
    let after = imported(&empty(), Some(&assets), None, keep_ids());
    assert_eq!(after.assets, s.assets);

    // A bad rating after the multi-line cells is reported on its own line.
    let broken = String::from_utf8(assets)
        .unwrap()
        .replace("A-002,Tape,Hardware,,,1,1,1", "A-002,Tape,Hardware,,,9,1,1");
    let plan = plan_of(&s, Some(broken.as_bytes()), None, Options::default());
    assert_eq!(
        rejected(&plan),
        [(
            "assets.csv".into(),
            7,
            "confidentiality 9 is outside its scale 1-4".into()
        )],
        "header 1, A-001 on lines 2-6, A-002 on 7"
    );
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let text = "ID\tName\tOwner\r\nA-001\tEDA licence server (FlexLM)\t陳美玲\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let after = imported(&demo(), Some(&bytes), None, Options::default());
    assert_eq!(after.asset(AssetId(1)).unwrap().owner, "陳美玲");
}

#[test]
fn files_saved_by_libreoffice_calc_import_with_their_edits() {
    let dir = Path::new(LIBREOFFICE);
    let session = store::load(&dir.join("workshop.ron")).unwrap();
    let assets = fs::read(dir.join("assets.csv")).unwrap();
    assert!(!assets.starts_with(b"\xEF\xBB\xBF") && !assets.contains(&b'\r'));
    for fms_name in ["failure-modes.csv", "failure-modes-semicolon.csv"] {
        let fms = fs::read(dir.join(fms_name)).unwrap();
        let plan = plan_of(&session, Some(&assets), Some(&fms), Options::default());
        let s = &plan.summary;
        assert!(s.rejected.is_empty(), "{:?}", s.rejected);
        assert_eq!(s.assets.updated, [AssetId(3)], "{fms_name}");
        assert_eq!(s.assets.added, [AssetId(4)]);
        assert_eq!(s.assets.unchanged, [AssetId(1), AssetId(2)]);
        assert_eq!(s.failure_modes.updated, [FailureModeId(2)]);
        assert_eq!(s.failure_modes.added, [FailureModeId(4)]);
        assert_eq!(
            s.failure_modes.unchanged,
            [FailureModeId(1), FailureModeId(3)]
        );

        let mut after = session.clone();
        plan.apply(&mut after);
        assert_eq!(after.asset(AssetId(3)).unwrap().availability, 2);
        let badge = after.asset(AssetId(4)).unwrap();
        assert_eq!(
            (badge.name.as_str(), badge.class_value()),
            ("Cleanroom badge reader", 8)
        );
        assert_eq!(after.failure_mode(FailureModeId(2)).unwrap().severity, 9);
        let lost = after.failure_mode(FailureModeId(4)).unwrap();
        assert_eq!(
            (lost.mode.as_str(), lost.asset, lost.rpn()),
            ("Tape lost in transit", Some(AssetId(3)), 168)
        );
        // Text that went through Calc is exactly what the session had.
        assert_eq!(after.assets[..2], session.assets[..2]);
        assert_eq!(
            after.failure_mode(FailureModeId(1)),
            session.failure_mode(FailureModeId(1))
        );
        assert_eq!(after.asset(AssetId(1)).unwrap().description, "=1+1");
    }
}

#[test]
fn formula_guards_of_the_export_come_off_again_and_only_they() {
    let mut s = empty();
    let texts = [
        "=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "\rCR", "'=x", "''-y", "'foo", "'", "it's", "",
    ];
    for (i, text) in texts.iter().enumerate() {
        let id = AssetId(i as u32 + 1);
        let mut a = Asset::new(id, format!("asset {i} {text}"), Category::Information);
        (a.owner, a.location, a.description) =
            (text.to_string(), text.to_string(), text.to_string());
        s.assets.push(a);
        let mut fm = FailureMode::new(FailureModeId(i as u32 + 1), format!("{text}mode"));
        fm.process = s.intern_process(text).unwrap();
        (fm.effect, fm.cause, fm.controls) = (text.to_string(), text.to_string(), text.to_string());
        fm.asset = Some(id);
        s.failure_modes.push(fm);
    }
    let (assets, fms) = exported(&s, CsvOptions::default());
    let cells = String::from_utf8(assets.clone()).unwrap();
    assert!(cells.contains(",'=1+1,"), "the export guards it");
    assert!(cells.contains(",''=x,"));
    let after = imported(&empty(), Some(&assets), Some(&fms), keep_ids());
    assert_eq!(after.assets, s.assets);
    assert_eq!(
        after.processes, s.processes,
        "process names exactly as they were"
    );
    assert_eq!(after.failure_modes, s.failure_modes);
    assert_eq!(after.asset(AssetId(1)).unwrap().owner, "=1+1");
    assert_eq!(after.asset(AssetId(9)).unwrap().owner, "'foo");
}

/// A session for the rejection tests: four assets, two failure modes.
fn small() -> Session {
    let mut s = empty();
    for (n, name) in [(1, "Server"), (2, "Mail"), (3, "Printer"), (4, "Backup")] {
        let id = s.allocate_asset_id().unwrap();
        assert_eq!(id, AssetId(n));
        s.assets.push(Asset::new(id, name, Category::Hardware));
    }
    for _ in 0..4 {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, "mode");
        fm.asset = Some(AssetId(1));
        s.failure_modes.push(fm);
    }
    s.failure_modes.pop(); // FM-004 was handed out and deleted
    s
}

const BAD_ASSETS: &str = "\
ID,Name,Category,C,I,A
A-001,Server,Hardware,3,3,3
A-002,Mail,Toaster,3,3,3
A-003,,Hardware,2,2,2
,New,Software,5,1,1
,Backup,Hardware,1,1,1
A-050,Ghost,Hardware,1,1,1
";

const BAD_FAILURE_MODES: &str = "\
ID,Asset,Failure mode,Severity,Occurrence,Detection,Current controls
FM-001,A-001,Fine,5,5,5,\"two
lines\"
FM-002,A-001,Too severe,11,5,5,
FM-003,A-001,Not a number,5,often,5,
,A-099,Unknown asset ID,5,5,5,
,Toaster,Unknown asset name,5,5,5,
,Backup,Ambiguous name,5,5,5,
,A-001,,5,5,5,
FM-077,A-001,Unknown ID,5,5,5,
FM-1x,A-001,Malformed ID,5,5,5,
FM-009,A-001,Dup one,5,5,5,
fm-9,A-001,Dup two,5,5,5,
,A-001,Empty rating,5,,5,
,A-001,Extra cells,5,5,5,,surplus
,A-001,\"multi
line, then a bad rating\",0,5,5,
,A-050,Its asset was rejected,5,5,5,
,New,Its asset was rejected by name,5,5,5,
FM-004,A-001,ID given out before,5,5,5,
,A-001,Good new one,2,3,4,
";

#[test]
fn every_kind_of_rejected_row_is_reported_with_its_line_and_reason() {
    let plan = plan_of(
        &small(),
        Some(BAD_ASSETS.as_bytes()),
        Some(BAD_FAILURE_MODES.as_bytes()),
        Options::default(),
    );
    let a = |line, why: &str| ("assets.csv".to_string(), line, why.to_string());
    let f = |line, why: &str| ("fms.csv".to_string(), line, why.to_string());
    let expected = [
        a(
            3,
            "unknown category \"Toaster\" (give one of Hardware, Software, Service, Network, \
             Information, People, Site)",
        ),
        a(4, "asset name is empty"),
        a(5, "confidentiality 5 is outside its scale 1-4"),
        a(
            7,
            "unknown ID A-050: the session has no such record (--new-ids adds the row under a \
             fresh ID, --keep-ids under A-050)",
        ),
        f(4, "severity 11 is outside its scale 1-10"),
        f(5, "occurrence \"often\" is not a whole number (give 1-10)"),
        f(6, "unknown asset A-099"),
        f(7, "unknown asset \"Toaster\": no asset has this ID or name"),
        f(
            8,
            "asset name \"Backup\" is ambiguous: A-004, A-005 have it; give the ID",
        ),
        f(9, "failure-mode text is empty"),
        f(
            10,
            "unknown ID FM-077: the session has no such record (--new-ids adds the row under a \
             fresh ID, --keep-ids under FM-077)",
        ),
        f(11, "\"FM-1x\" is not a failure-mode ID (expected FM-NNN)"),
        f(
            12,
            "FM-009 is also on line 13 (an ID may appear once per file)",
        ),
        f(
            13,
            "FM-009 is also on line 12 (an ID may appear once per file)",
        ),
        f(14, "occurrence is empty (give 1-10)"),
        f(
            15,
            "the row has 8 cells but the header only 7 (a delimiter in a cell that is not \
             quoted?)",
        ),
        f(16, "severity 0 is outside its scale 1-10"),
        f(
            18,
            "asset A-050 is not imported: its row (assets.csv line 7) was rejected",
        ),
        f(
            19,
            "asset \"New\" is not imported: its row (assets.csv line 5) was rejected",
        ),
        f(
            20,
            "unknown ID FM-004: the session has no such record (--new-ids adds the row under a \
             fresh ID, --keep-ids under FM-004)",
        ),
    ];
    let got = rejected(&plan);
    for (got, want) in got.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    assert_eq!(plan.summary.rejected[0].id.as_deref(), Some("A-002"));
    assert_eq!(plan.summary.rejected[2].id, None);

    // Nothing changes, though some rows were good.
    assert!(plan.summary.is_blocked());
    assert!(plan.change.is_none());
    let mut after = small();
    plan.apply(&mut after);
    assert_eq!(after, small());
    assert_eq!(
        plan.summary.assets.added,
        [AssetId(5)],
        "what the good rows would do"
    );
}

#[test]
fn with_partial_the_good_rows_are_imported() {
    let options = Options {
        partial: true,
        ..Options::default()
    };
    let after = imported(
        &small(),
        Some(BAD_ASSETS.as_bytes()),
        Some(BAD_FAILURE_MODES.as_bytes()),
        options,
    );
    assert_eq!(after.asset(AssetId(1)).unwrap().class_value(), 27);
    assert_eq!(
        after.asset(AssetId(2)).unwrap().name,
        "Mail",
        "rejected row left alone"
    );
    assert_eq!(after.asset(AssetId(5)).unwrap().name, "Backup");
    let fm1 = after.failure_mode(FailureModeId(1)).unwrap();
    assert_eq!(
        (fm1.mode.as_str(), fm1.controls.as_str()),
        ("Fine", "two\nlines")
    );
    let new = after.failure_mode(FailureModeId(5)).unwrap();
    assert_eq!((new.mode.as_str(), new.rpn()), ("Good new one", 24));
    assert_eq!(after.failure_modes.len(), 4);
}

#[test]
fn kept_ids_must_never_have_been_given_out() {
    let file = "ID,Failure mode,S,O,D\nFM-004,Back again,5,5,5\nFM-010,Kept,5,5,5\n,Fresh,5,5,5\n";
    let plan = plan_of(&small(), None, Some(file.as_bytes()), keep_ids());
    assert_eq!(
        rejected(&plan),
        [(
            "fms.csv".to_string(),
            2,
            "FM-004 was given out before in this session and IDs are never reused (--new-ids \
             adds the row under a fresh ID)"
                .to_string()
        )]
    );
    let both = Options {
        keep_ids: true,
        new_ids: true,
        ..Options::default()
    };
    let plan = plan_of(&small(), None, Some(file.as_bytes()), both);
    assert_eq!(
        plan.summary.failure_modes.added,
        [FailureModeId(11), FailureModeId(10), FailureModeId(12)],
        "FM-004 renumbered after the kept FM-010, the row without ID after that"
    );
}

#[test]
fn a_new_record_needs_the_columns_the_room_must_agree() {
    let file = "Failure mode,Severity\nNo ratings yet,5\n";
    let plan = plan_of(&small(), None, Some(file.as_bytes()), Options::default());
    assert_eq!(
        rejected(&plan),
        [(
            "fms.csv".to_string(),
            2,
            "a new failure mode needs Occurrence and Detection columns, which the file does not \
             have"
                .to_string()
        )]
    );
}

#[test]
fn files_that_cannot_be_read_are_refused_whole() {
    let error = |assets: &str| {
        import::plan(
            &small(),
            Some(Source {
                name: "x.csv",
                bytes: assets.as_bytes(),
            }),
            None,
            &Options::default(),
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(error(""), "x.csv is empty: no header row");
    assert_eq!(
        error("ID,C,Conf\nA-001,1,2\n"),
        "x.csv has two columns for the confidentiality, 2 (\"C\") and 3 (\"Conf\"); keep one"
    );
    assert!(
        error("Process,Failure mode\n").ends_with("it looks like a failure modes file"),
        "{}",
        error("Process,Failure mode\n")
    );
    let latin1 = import::plan(
        &small(),
        Some(Source {
            name: "x.csv",
            bytes: b"ID,Owner\nA-001,M\xFCller\n",
        }),
        None,
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        latin1
            .to_string()
            .starts_with("x.csv line 2 is not UTF-8 text"),
        "{latin1}"
    );
}

// The command line.

fn riskroom() -> Command {
    Command::cargo_bin("riskroom").unwrap()
}

/// A copy of the demo and its exported CSV files, one of them edited.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("ws.ron");
    fs::copy(DEMO, &session).unwrap();
    export::export(&demo(), dir.path(), "ws", CsvOptions::default()).unwrap();
    let assets = dir.path().join("ws-assets.csv");
    let fms = dir.path().join("ws-failure-modes.csv");
    let text = fs::read_to_string(&assets).unwrap();
    fs::write(&assets, text + ",Cleanroom camera,Hardware,,,2,1,2,,,\r\n").unwrap();
    (dir, session, assets, fms)
}

#[test]
fn cli_dry_run_reports_and_changes_nothing() {
    let (dir, session, assets, fms) = workspace();
    let before = fs::read(&session).unwrap();
    riskroom()
        .arg("import")
        .arg(&session)
        .arg("--assets")
        .arg(&assets)
        .arg("--failure-modes")
        .arg(&fms)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("assets: 1 added (A-021), 0 updated, 20 unchanged")
                .and(predicate::str::contains(
                    "failure modes: 0 added, 0 updated, 40 unchanged",
                ))
                .and(predicate::str::contains("dry run: ")),
        );
    assert_eq!(fs::read(&session).unwrap(), before, "bytes identical");
    assert!(!dir.path().join("ws.ron.bak").exists());
    assert!(!dir.path().join(".ws.ron.lock").exists());
}

#[test]
fn cli_import_saves_with_a_backup() {
    let (dir, session, assets, _) = workspace();
    let before = fs::read(&session).unwrap();
    riskroom()
        .arg("import")
        .arg(&session)
        .arg("--assets")
        .arg(&assets)
        .assert()
        .success()
        .stdout(predicate::str::contains("saved ").and(predicate::str::contains("ws.ron.bak")));
    assert_eq!(fs::read(dir.path().join("ws.ron.bak")).unwrap(), before);
    let after = store::load(&session).unwrap();
    assert_eq!(after.asset(AssetId(21)).unwrap().name, "Cleanroom camera");
    assert!(!dir.path().join(".ws.ron.lock").exists(), "lock let go");
}

#[test]
fn cli_rejected_rows_exit_non_zero_and_write_nothing_unless_partial() {
    let (_dir, session, assets, _) = workspace();
    let text = fs::read_to_string(&assets).unwrap();
    let bad = text.replacen(",Hardware,", ",Toaster,", 1);
    fs::write(&assets, bad).unwrap();
    let before = fs::read(&session).unwrap();
    riskroom()
        .arg("import")
        .arg(&session)
        .arg("--assets")
        .arg(&assets)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("ws-assets.csv line 2 (A-001): unknown category \"Toaster\"")
                .and(predicate::str::contains("nothing imported: 1 row rejected")),
        );
    assert_eq!(fs::read(&session).unwrap(), before);

    riskroom()
        .arg("import")
        .arg(&session)
        .arg("--assets")
        .arg(&assets)
        .arg("--partial")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("saved "))
        .stderr(predicate::str::contains("1 row not imported"));
    let after = store::load(&session).unwrap();
    assert_eq!(after.assets.len(), 21);
    assert_eq!(
        after.asset(AssetId(1)).unwrap().category,
        Category::Hardware
    );
}

#[test]
fn cli_refuses_while_another_riskroom_holds_the_session() {
    let (_dir, session, assets, _) = workspace();
    let before = fs::read(&session).unwrap();
    let store::lock::Locking::Acquired(lock) = store::lock::Lock::acquire(&session).unwrap() else {
        panic!("lock")
    };
    riskroom()
        .arg("import")
        .arg(&session)
        .arg("--assets")
        .arg(&assets)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("is open in another riskroom (held by ").and(
                predicate::str::contains(format!("process {}", std::process::id())),
            ),
        );
    assert_eq!(fs::read(&session).unwrap(), before);
    drop(lock);
}

#[test]
fn cli_needs_a_file_to_import_and_never_panics() {
    let (_dir, session, assets, _) = workspace();
    riskroom()
        .arg("import")
        .arg(&session)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--assets"));
    for args in [
        vec!["--assets", "/nonexistent.csv"],
        vec!["--assets", "/"],
        vec!["--delimiter", "ab", "--assets", "/nonexistent.csv"],
    ] {
        riskroom()
            .arg("import")
            .arg(&session)
            .args(&args)
            .env("RUST_BACKTRACE", "1")
            .assert()
            .failure()
            .stderr(predicate::str::contains("panicked").not());
    }
    riskroom()
        .args(["import", "/nonexistent/ws.ron", "--assets"])
        .arg(&assets)
        .assert()
        .failure()
        .stderr(predicate::str::contains("/nonexistent/ws.ron"));
}

#[test]
fn process_names_map_to_process_records_and_new_ones_are_made_once_in_the_same_step() {
    let demo = demo();
    let remote = demo
        .find_process("Remote access to the IP chamber")
        .unwrap();
    let fms = "ID,Process,Failure mode,Severity,Occurrence,Detection\n\
               FM-001,REMOTE ACCESS TO THE IP CHAMBER,Phished,9,5,7\n\
               ,Vendor management,Supplier leaks,6,3,5\n\
               ,Vendor management,Supplier bankrupt,5,2,4\n\
               ,Lieferantensteuerung 供應商,Contract lapses,4,2,3\n\
               FM-002,,No process any more,8,3,3\n";
    let plan = plan_of(&demo, None, Some(fms.as_bytes()), Options::default());
    assert!(
        plan.summary.rejected.is_empty(),
        "{:?}",
        plan.summary.rejected
    );
    let next = demo.next_ids.process;
    assert_eq!(
        plan.summary.processes_added,
        [
            (ProcessId(next), "Vendor management".to_string()),
            (
                ProcessId(next + 1),
                "Lieferantensteuerung 供應商".to_string()
            ),
        ]
    );
    assert!(
        plan.summary
            .report_lines()
            .contains(&"processes: 2 added (PR-009 \"Vendor management\", PR-010 \"Lieferantensteuerung 供應商\")".to_string()),
        "{:#?}",
        plan.summary.report_lines()
    );
    let mut after = demo.clone();
    let inverse = plan.apply(&mut after);
    assert_eq!(
        after.failure_mode(FailureModeId(1)).unwrap().process,
        Some(remote)
    );
    assert_eq!(after.failure_mode(FailureModeId(2)).unwrap().process, None);
    let vendor: Vec<&FailureMode> = after
        .failure_modes
        .iter()
        .filter(|f| after.process_name(f.process) == "Vendor management")
        .collect();
    assert_eq!(vendor.len(), 2, "both rows name the one new record");
    assert_eq!(after.processes.len(), demo.processes.len() + 2);
    assert!(validate(&after).is_empty());

    // One step: undo takes the processes back with the failure modes, and the
    // IDs handed out stay handed out.
    after.apply(inverse);
    assert_eq!(after.processes, demo.processes);
    assert_eq!(after.failure_modes, demo.failure_modes);
    assert_eq!(after.next_process_id(), Ok(ProcessId(next + 2)));
}
