//! A file that cannot be loaded gives a message naming the file, the place and the
//! problem, and is never written.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::fs;
use std::path::Path;

use riskroom::store::{self, LoadError};

const GOOD: &str = r#"(
    format: 1,
    title: "t",
    assets: [
        (id: "A-001", name: "Server", category: Hardware,
         confidentiality: 3, integrity: 3, availability: 2),
    ],
    failure_modes: [
        (id: "FM-001", asset: "A-001", mode: "Disk fails",
         severity: 8, occurrence: 4, detection: 6),
    ],
)"#;

fn error_of(text: &str) -> LoadError {
    store::parse(text, Path::new("w.ron")).unwrap_err()
}

#[test]
fn the_minimal_file_is_valid() {
    let s = store::parse(GOOD, Path::new("w.ron")).unwrap();
    assert_eq!(s.failure_modes[0].rpn(), 192);
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let broken = GOOD.replace("severity: 8,", "severity: 8");
    let err = error_of(&broken);
    match &err {
        LoadError::Syntax { line, column, .. } => assert_eq!((*line, *column), (10, 22), "{err}"),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(err.to_string().starts_with("w.ron:10:22: "), "{err}");
    assert!(err.to_string().contains("Expected comma"), "{err}");
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    let err = error_of(&GOOD.replace("severity: 8", "severity: \"high\""));
    assert!(err.to_string().contains("w.ron:10:"), "{err}");
    assert!(err.to_string().contains("Expected integer"), "{err}");
}

#[test]
fn a_misspelt_field_is_named() {
    let err = error_of(&GOOD.replace("occurrence: 4", "ocurrence: 4"));
    let text = err.to_string();
    assert!(text.contains("ocurrence"), "{text}");
    assert!(text.starts_with("w.ron:10:"), "{text}");
}

#[test]
fn a_malformed_id_is_named() {
    let err = error_of(&GOOD.replace("\"FM-001\"", "\"FM-x\""));
    assert!(
        err.to_string().contains("\"FM-x\" is not a record ID"),
        "{err}"
    );
}

#[test]
fn a_newer_format_is_refused_even_with_unknown_fields() {
    let newer = GOOD.replace("format: 1,", "format: 3,\n    risk_appetite: (max: 100),");
    let err = error_of(&newer);
    assert!(
        matches!(err, LoadError::NewerFormat { found: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer riskroom"), "{err}");
}

#[test]
fn semantic_errors_list_every_problem_with_its_record() {
    let bad = GOOD
        .replace("confidentiality: 3", "confidentiality: 5")
        .replace("severity: 8", "severity: 11")
        .replace("asset: \"A-001\"", "asset: \"A-404\"")
        .replace(
            "    ],\n)",
            "        (id: \"FM-001\", mode: \"twin\", severity: 1, occurrence: 1, detection: 1),\n    ],\n)",
        );
    let err = error_of(&bad);
    let LoadError::Invalid { problems, .. } = &err else {
        panic!("expected problems, got {err:?}")
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "A-001: confidentiality 5 is outside its scale 1-4",
            "FM-001: asset A-404 does not exist",
            "FM-001: severity 11 is outside its scale 1-10",
            "FM-001: duplicate ID: another failure mode has it too",
        ]
    );
    assert!(
        err.to_string().starts_with("w.ron has 4 problems:"),
        "{err}"
    );
}

#[test]
fn not_utf8_names_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bin.ron");
    let mut bytes = b"(\n    format: 1,\n    title: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\",\n)");
    fs::write(&path, &bytes).unwrap();
    let err = store::load(&path).unwrap_err();
    assert!(
        matches!(
            err,
            LoadError::NotText {
                line: 3,
                column: 13,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_missing_file_and_a_directory_are_read_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = store::load(&dir.path().join("none.ron")).unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
    let err = store::load(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("is a directory, not a session file"),
        "{err}"
    );
}

#[test]
fn an_empty_file_is_a_syntax_error() {
    let err = error_of("");
    assert!(matches!(err, LoadError::Syntax { line: 1, .. }), "{err:?}");
}

/// A session whose log holds a withdrawal of a withdrawal of … `depth` deep.
fn withdrawn_deep(depth: usize) -> riskroom::domain::Session {
    use riskroom::domain::log::{Event, LogEntry};
    let at = jiff::Timestamp::UNIX_EPOCH;
    let mut s = riskroom::domain::Session::new("deep", at);
    let mut event = Event::Note {
        fm: None,
        text: "n".into(),
    };
    for _ in 0..depth {
        event = Event::Withdrawn {
            at,
            event: Box::new(event),
        };
    }
    s.log.push(LogEntry::new(&s, at, event));
    s
}

#[test]
fn a_log_nested_deep_by_hand_loads_through_ron_or_is_refused_never_overflows() {
    // Canonical text, but deeper than riskroom ever writes: the fast reader
    // leaves it to `ron`, which reads it.
    let s = withdrawn_deep(20);
    let text = store::to_ron(&s);
    assert_eq!(store::parse_canonical(&text), None);
    assert_eq!(store::parse(&text, Path::new("w.ron")).unwrap(), s);
    // Deeper than `ron` goes: a message, not a crash.
    let text = store::to_ron(&withdrawn_deep(400));
    let err = error_of(&text);
    assert!(matches!(err, LoadError::Syntax { .. }), "{err}");
}
