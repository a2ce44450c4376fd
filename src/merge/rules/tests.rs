//! Every field of a session has a merge rule: walked in a session with every
//! field filled in, and in the field names serde knows of each record type (so
//! a field left out of the file while empty is not missed either).

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;

use super::*;
use crate::domain::conflict::{Conflict, Side};
use crate::domain::log::{Event, LogEntry, Via};
use crate::domain::pdca::{CycleRecord, FailureModeSnapshot, Pdca, Stage, StageChange};
use crate::domain::programme::{DocumentRecord, DocumentStatus, Programme, StepRecord, StepStatus};
use crate::domain::session::NextIds;
use crate::domain::{
    Asset, AssetId, Category, ControlLink, ControlState, Decision, FailureMode, FailureModeId,
    Participant, Process, ProcessId, RiskState, Session, SignOff, SignOffKind, Status,
};

/// A session with every field filled in: every list with an element, every
/// optional value there, every record that the file leaves out while empty.
fn full() -> Session {
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let mut fm = FailureMode::new(FailureModeId(1), "mode");
    fm.asset = Some(AssetId(1));
    fm.treatment = Treatment {
        decision: Decision::Reduce,
        action: "a".into(),
        owner: "o".into(),
        due: Some(jiff::civil::date(2030, 1, 1)),
        status: Status::Done,
        action_taken: "t".into(),
        revised_severity: Some(2),
        revised_occurrence: Some(2),
        revised_detection: Some(2),
    };
    fm.annex_a = vec![ControlLink {
        id: "A.8.5".into(),
        state: ControlState::Planned,
    }];
    fm.process = Some(ProcessId(1));
    fm.sign_off = Some(Box::new(SignOff {
        by: "p".into(),
        role: "risk owner".into(),
        at,
        kind: SignOffKind::AcceptResidual,
        state: RiskState::of(&fm),
    }));
    let mut process = Process::new(ProcessId(1), "Backup");
    process.team = vec!["p".into()];
    process.purpose = "u".into();
    process.owner = "o".into();
    let mut participant = Participant::new("p", "risk owner");
    participant.present = true;
    Session {
        format: 1,
        title: "t".into(),
        organisation: "o".into(),
        scope: "s".into(),
        facilitator: "f".into(),
        dates: vec![jiff::civil::date(2030, 1, 1)],
        participants: vec![participant],
        threshold: Threshold::default(),
        name_voters: true,
        pdca: Pdca {
            cycle: 2,
            stage: Stage::Do,
            history: vec![StageChange {
                at,
                cycle: 1,
                stage: Stage::Plan,
            }],
            closed_cycles: vec![CycleRecord {
                cycle: 1,
                closed: at,
                failure_modes: vec![FailureModeSnapshot::of(&fm)],
            }],
        },
        assets: vec![Asset::new(AssetId(1), "a", Category::Site)],
        processes: vec![process],
        failure_modes: vec![fm],
        log: vec![LogEntry {
            at,
            cycle: 1,
            stage: Stage::Plan,
            present: vec!["p".into()],
            via: Via::Undo,
            event: Event::Note {
                fm: Some(FailureModeId(1)),
                text: "n".into(),
            },
        }],
        next_ids: NextIds {
            asset: 2,
            failure_mode: 2,
            process: 2,
        },
        programme: Programme {
            roadmap: vec![StepRecord {
                step: 1,
                status: StepStatus::Done,
                owner: "o".into(),
                due: Some(jiff::civil::date(2030, 1, 1)),
                evidence: "e".into(),
                note: "n".into(),
            }],
            documents: vec![DocumentRecord {
                clause: "4.3".into(),
                status: DocumentStatus::Draft,
                owner: "o".into(),
                evidence: "e".into(),
                last_review: Some(jiff::civil::date(2030, 1, 1)),
            }],
        },
        conflicts: vec![Conflict {
            part: "title".into(),
            record: String::new(),
            field: String::new(),
            base: None,
            ours: Some("1".into()),
            theirs: None,
            held: Side::Ours,
        }],
    }
}

/// Every path below `path` in `value` that has no rule, and every path seen.
fn walk(path: &str, value: &Value, missing: &mut Vec<String>, seen: &mut Vec<String>) {
    let Value::Object(fields) = value else {
        return;
    };
    for (name, v) in fields {
        let child = child(path, name);
        seen.push(child.clone());
        if !has_rule(&child) {
            missing.push(child);
            continue;
        }
        match how(&child) {
            How::Fields(_) => walk(&child, v, missing, seen),
            How::Keyed(key) => {
                let element = super::child(&child, "*");
                seen.push(element.clone());
                if !has_rule(&element) {
                    missing.push(element);
                    continue;
                }
                for item in v.as_array().into_iter().flatten() {
                    assert!(item.get(key).is_some(), "{child}: no key field {key}");
                    if let How::Fields(_) = how(&element) {
                        walk(&element, item, missing, seen);
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_field_of_a_full_session_has_a_rule_and_every_rule_a_field() {
    let value = serde_json::to_value(full()).unwrap();
    let (mut missing, mut seen) = (Vec::new(), Vec::new());
    walk("", &value, &mut missing, &mut seen);
    assert!(
        missing.is_empty(),
        "fields without a merge rule in src/merge/rules.rs: {missing:?}"
    );
    let stale: Vec<&str> = RULES
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !seen.iter().any(|s| s == p))
        .collect();
    assert!(stale.is_empty(), "rules for no field: {stale:?}");
}

/// The field names serde knows of a struct, read by asking it to deserialise
/// from a deserializer that only listens.
fn field_names<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
    struct Listen(Vec<&'static str>);
    #[derive(Debug)]
    struct Heard;
    impl std::fmt::Display for Heard {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("heard")
        }
    }
    impl std::error::Error for Heard {}
    impl de::Error for Heard {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Heard
        }
    }
    impl<'de> Deserializer<'de> for &mut Listen {
        type Error = Heard;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Heard> {
            Err(Heard)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Heard> {
            self.0.extend_from_slice(fields);
            Err(Heard)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut listen = Listen(Vec::new());
    let _ = T::deserialize(&mut listen);
    listen.0
}

#[test]
fn every_field_serde_knows_of_each_record_type_has_a_rule() {
    let types: [(&str, Vec<&str>); 19] = [
        ("", field_names::<Session>()),
        ("participants.*", field_names::<Participant>()),
        ("processes.*", field_names::<Process>()),
        ("log.*", field_names::<LogEntry>()),
        ("failure_modes.*.sign_off", field_names::<SignOff>()),
        ("failure_modes.*.sign_off.state", field_names::<RiskState>()),
        ("threshold", field_names::<Threshold>()),
        ("pdca", field_names::<Pdca>()),
        ("pdca.history.*", field_names::<StageChange>()),
        ("pdca.closed_cycles.*", field_names::<CycleRecord>()),
        (
            "pdca.closed_cycles.*.failure_modes.*",
            field_names::<FailureModeSnapshot>(),
        ),
        ("assets.*", field_names::<Asset>()),
        ("failure_modes.*", field_names::<FailureMode>()),
        ("failure_modes.*.treatment", field_names::<Treatment>()),
        ("failure_modes.*.annex_a.*", field_names::<ControlLink>()),
        ("next_ids", field_names::<NextIds>()),
        ("programme.roadmap.*", field_names::<StepRecord>()),
        ("programme.documents.*", field_names::<DocumentRecord>()),
        ("conflicts.*", field_names::<Conflict>()),
    ];
    let mut missing = Vec::new();
    for (path, names) in &types {
        assert!(!names.is_empty(), "{path}: serde named no fields");
        // Below a rule that takes the value whole, nothing needs one.
        let whole = (1..=path.len())
            .filter(|i| path.is_char_boundary(*i))
            .map(|i| &path[..i])
            .any(|prefix| has_rule(prefix) && how(prefix).is_whole());
        if whole {
            continue;
        }
        for name in names {
            let p = child(path, name);
            if !has_rule(&p) {
                missing.push(p);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields without a merge rule in src/merge/rules.rs: {missing:?}"
    );
}

#[test]
fn a_rule_is_found_by_its_path_and_a_path_without_one_merges_whole() {
    assert!(matches!(how("failure_modes"), How::Keyed("id")));
    assert!(matches!(how("pdca.history"), How::Union));
    assert!(matches!(how("log"), How::Log));
    assert!(matches!(how("dates"), How::Set));
    assert!(matches!(how("participants"), How::Keyed("name")));
    assert!(matches!(how("no.such.field"), How::Value));
}

#[test]
fn field_paths_read_back_with_keys_that_hold_dots() {
    let f = field_element(&field_child("", "annex_a"), "A.8.5");
    let f = field_child(&f, "state");
    assert_eq!(f, "annex_a[A.8.5].state");
    assert_eq!(
        steps(&f),
        [
            Step {
                name: "annex_a".into(),
                key: Some("A.8.5".into())
            },
            Step {
                name: "state".into(),
                key: None
            }
        ]
    );
    assert_eq!(steps("treatment.due").len(), 2);
    assert!(steps("").is_empty());
}
