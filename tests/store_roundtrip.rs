//! The session file: any valid session survives save -> load unchanged, and saving
//! it again gives the same bytes.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use proptest::prelude::*;
use riskroom::domain::log::{Event, FieldChange, LogEntry, TreatmentField, Via, VoteCast};
use riskroom::domain::pdca::{CycleRecord, FailureModeSnapshot, StageChange};
use riskroom::domain::programme::{
    CLAUSES, DocumentRecord, DocumentStatus, Programme, StepRecord, StepStatus,
};
use riskroom::domain::session::NextIds;
use riskroom::domain::*;
use riskroom::store;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Arbitrary Unicode, control characters and quotes included.
        any::<String>(),
        // Text people type: Chinese, German, emoji, quotes, commas, new lines.
        "[a-zA-Z0-9 ,;\"'\\\\\n\t=+@中文資料庫ÄÖÜßäöü😀-]{0,24}",
    ]
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (1_500_000_000i64..2_000_000_000).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn date() -> impl Strategy<Value = Option<Date>> {
    proptest::option::of(
        (2000i16..2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap()),
    )
}

fn rating(max: u8) -> impl Strategy<Value = u8> {
    1..=max
}

fn treatment() -> impl Strategy<Value = Treatment> {
    (
        prop::sample::select(Decision::ALL.to_vec()),
        text(),
        text(),
        date(),
        prop::sample::select(Status::ALL.to_vec()),
        text(),
        proptest::option::of(rating(10)),
        proptest::option::of(rating(10)),
        proptest::option::of(rating(10)),
    )
        .prop_map(
            |(decision, action, owner, due, status, action_taken, s, o, d)| Treatment {
                decision,
                action,
                owner,
                due,
                status,
                action_taken,
                revised_severity: s,
                revised_occurrence: o,
                revised_detection: d,
            },
        )
}

/// Annex A links as the picker makes them: known IDs of either edition, each once,
/// in catalogue order.
fn links() -> impl Strategy<Value = Vec<ControlLink>> {
    let ids: Vec<String> = catalogue().all().iter().map(|c| c.id.clone()).collect();
    prop::collection::vec(
        (
            prop::sample::select(ids),
            prop::sample::select(vec![ControlState::Existing, ControlState::Planned]),
        ),
        0..4,
    )
    .prop_map(|picked| {
        picked.into_iter().fold(Vec::new(), |links, (id, state)| {
            riskroom::domain::annex_a::with_link(&links, &id, Some(state))
        })
    })
}

/// A sign-off with any names and ratings on their scales.
fn sign_off() -> impl Strategy<Value = SignOff> {
    let r = || proptest::option::of(rating(10));
    (
        (text(), text(), timestamp()),
        prop::sample::select(SignOffKind::ALL.to_vec()),
        (rating(10), rating(10), rating(10), r(), r(), r()),
        (
            prop::sample::select(Decision::ALL.to_vec()),
            text(),
            text(),
            date(),
        ),
    )
        .prop_map(
            |((by, role, at), kind, (s, o, d, rs, ro, rd), (decision, action, owner, due))| {
                SignOff {
                    by,
                    role,
                    at,
                    kind,
                    state: RiskState {
                        severity: s,
                        occurrence: o,
                        detection: d,
                        revised_severity: rs,
                        revised_occurrence: ro,
                        revised_detection: rd,
                        decision,
                        action,
                        owner,
                        due,
                    },
                }
            },
        )
}

fn optional_fm() -> impl Strategy<Value = Option<FailureModeId>> {
    proptest::option::of((1u32..2000).prop_map(FailureModeId))
}

/// Every kind of decision-log event, with any text in it.
fn vote_value() -> impl Strategy<Value = Option<u8>> {
    proptest::option::of(1u8..=10)
}

fn vote_cast() -> impl Strategy<Value = VoteCast> {
    (
        text(),
        any::<bool>(),
        vote_value(),
        vote_value(),
        vote_value(),
    )
        .prop_map(|(voter, proxy, severity, occurrence, detection)| VoteCast {
            voter,
            proxy,
            severity,
            occurrence,
            detection,
        })
}

fn event() -> impl Strategy<Value = Event> {
    let stage = || prop::sample::select(Stage::ALL.to_vec());
    let plain = prop_oneof![
        (
            1u32..2000,
            prop::collection::vec(
                (
                    prop::sample::select(TreatmentField::ALL.to_vec()),
                    text(),
                    text()
                ),
                0..3
            )
        )
            .prop_map(|(fm, changes)| Event::Treatment {
                fm: FailureModeId(fm),
                changes: changes
                    .into_iter()
                    .map(|(field, from, to)| FieldChange { field, from, to })
                    .collect(),
            }),
        (stage(), stage()).prop_map(|(from, to)| Event::Stage { from, to }),
        any::<u32>().prop_map(|cycle| Event::CycleClosed { cycle }),
        any::<u32>().prop_map(|cycle| Event::CycleReopened { cycle }),
        (text(), text()).prop_map(|(name, role)| Event::ParticipantRemoved { name, role }),
        (1u32..2000, sign_off()).prop_map(|(fm, sign_off)| Event::SignedOff {
            fm: FailureModeId(fm),
            sign_off,
        }),
        (1u32..2000, text(), text()).prop_map(|(fm, by, role)| Event::Revoked {
            fm: FailureModeId(fm),
            by,
            role,
        }),
        (
            (
                1u32..2000,
                timestamp(),
                prop::collection::vec(vote_cast(), 0..4)
            ),
            (vote_value(), vote_value(), vote_value()),
            (any::<bool>(), text()),
        )
            .prop_map(
                |((fm, opened, votes), (severity, occurrence, detection), (by_hand, by))| {
                    Event::Vote {
                        fm: FailureModeId(fm),
                        opened,
                        votes,
                        severity,
                        occurrence,
                        detection,
                        by_hand,
                        by,
                    }
                }
            ),
        (optional_fm(), text()).prop_map(|(fm, text)| Event::Note { fm, text }),
        (optional_fm(), text()).prop_map(|(fm, text)| Event::Question { fm, text }),
        (optional_fm(), text(), text(), date()).prop_map(|(fm, text, owner, due)| {
            Event::Action {
                fm,
                text,
                owner,
                due,
            }
        }),
    ];
    plain.prop_recursive(2, 4, 1, |inner| {
        (timestamp(), inner).prop_map(|(at, event)| Event::Withdrawn {
            at,
            event: Box::new(event),
        })
    })
}

fn log_entry() -> impl Strategy<Value = LogEntry> {
    (
        timestamp(),
        1u32..4,
        prop::sample::select(Stage::ALL.to_vec()),
        prop::collection::vec(text(), 0..3),
        prop::sample::select(vec![Via::Edit, Via::Undo, Via::Redo]),
        event(),
    )
        .prop_map(|(at, cycle, stage, present, via, event)| LogEntry {
            at,
            cycle,
            stage,
            present,
            via,
            event,
        })
}

fn asset(id: u32) -> impl Strategy<Value = Asset> {
    (
        text().prop_filter("non-empty name", |s| !s.trim().is_empty()),
        prop::sample::select(Category::ALL.to_vec()),
        text(),
        text(),
        text(),
        rating(4),
        rating(3),
        rating(3),
    )
        .prop_map(
            move |(name, category, owner, location, description, c, i, a)| Asset {
                id: AssetId(id),
                name,
                category,
                owner,
                location,
                description,
                confidentiality: c,
                integrity: i,
                availability: a,
            },
        )
}

fn process(id: u32) -> impl Strategy<Value = Process> {
    (
        text().prop_filter("non-empty name", |s| !s.trim().is_empty()),
        prop::collection::vec(text(), 0..3),
        text(),
        text(),
    )
        .prop_map(move |(name, team, purpose, owner)| Process {
            id: ProcessId(id),
            name,
            team,
            purpose,
            owner,
        })
}

fn failure_mode(id: u32, assets: u32, processes: u32) -> impl Strategy<Value = FailureMode> {
    (
        proptest::option::of(1..=assets.max(1)),
        (
            proptest::option::of(1..=processes.max(1)),
            text().prop_filter("non-empty mode", |s| !s.trim().is_empty()),
            text(),
            text(),
            text(),
        ),
        (rating(10), rating(10), rating(10)),
        treatment(),
        links(),
        proptest::option::of(sign_off().prop_map(Box::new)),
    )
        .prop_map(
            move |(
                asset,
                (process, mode, effect, cause, controls),
                (s, o, d),
                treatment,
                annex_a,
                sign_off,
            )| {
                FailureMode {
                    id: FailureModeId(id),
                    asset: if assets == 0 {
                        None
                    } else {
                        asset.map(AssetId)
                    },
                    process: if processes == 0 {
                        None
                    } else {
                        process.map(ProcessId)
                    },
                    mode,
                    effect,
                    cause,
                    controls,
                    severity: s,
                    occurrence: o,
                    detection: d,
                    treatment,
                    annex_a,
                    sign_off,
                }
            },
        )
}

/// Programme records as the screen makes them: steps 1-24 and known clauses,
/// each once, in order; any text, dates or none.
fn programme() -> impl Strategy<Value = Programme> {
    (
        prop::collection::btree_map(
            1u8..=24,
            (
                prop::sample::select(StepStatus::ALL.to_vec()),
                text(),
                date(),
                text(),
                text(),
            ),
            0..4,
        ),
        prop::collection::btree_map(
            0..CLAUSES.len(),
            (
                prop::sample::select(DocumentStatus::ALL.to_vec()),
                text(),
                text(),
                date(),
            ),
            0..4,
        ),
    )
        .prop_map(|(steps, documents)| Programme {
            roadmap: steps
                .into_iter()
                .map(|(step, (status, owner, due, evidence, note))| StepRecord {
                    step,
                    status,
                    owner,
                    due,
                    evidence,
                    note,
                })
                .collect(),
            documents: documents
                .into_iter()
                .map(
                    |(i, (status, owner, evidence, last_review))| DocumentRecord {
                        clause: CLAUSES[i].id.to_string(),
                        status,
                        owner,
                        evidence,
                        last_review,
                    },
                )
                .collect(),
        })
}

/// Merge conflicts as a merge leaves them: any text (the values are JSON, but
/// the file keeps whatever is there), a value or none on each side.
fn conflicts() -> impl Strategy<Value = Vec<Conflict>> {
    prop::collection::vec(
        (
            (text(), text(), text()),
            (
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::option::of(text()),
            ),
            prop::sample::select(Side::ALL.to_vec()),
        )
            .prop_map(
                |((part, record, field), (base, ours, theirs), held)| Conflict {
                    part,
                    record,
                    field,
                    base,
                    ours,
                    theirs,
                    held,
                },
            ),
        0..3,
    )
}

fn session() -> impl Strategy<Value = Session> {
    (0u32..6, 0u32..8, 1u32..4, 0u32..4).prop_flat_map(|(n_assets, n_fms, cycle, n_processes)| {
        let assets: Vec<_> = (1..=n_assets).map(|n| asset(n * 2)).collect();
        let processes: Vec<_> = (1..=n_processes).map(process).collect();
        let fms: Vec<_> = (1..=n_fms)
            .map(|n| failure_mode(n * 3, n_assets, n_processes))
            .collect();
        (
            (
                text(),
                text(),
                text(),
                text(),
                prop::collection::vec((text(), text(), any::<bool>()), 0..4),
                prop::collection::vec(date(), 0..3),
            ),
            (assets, processes),
            fms,
            prop::collection::vec(
                (
                    timestamp(),
                    1..=cycle,
                    prop::sample::select(Stage::ALL.to_vec()),
                ),
                0..5,
            ),
            prop::sample::select(Stage::ALL.to_vec()),
            timestamp(),
            (
                0u16..=1000,
                any::<bool>(),
                prop::collection::vec(log_entry(), 0..4),
            ),
            (programme(), conflicts()),
        )
            .prop_map(
                move |(
                    info,
                    (assets, processes),
                    mut fms,
                    history,
                    stage,
                    closed,
                    (rpn, ap_high, log),
                    (programme, conflicts),
                )| {
                    // Asset links point at the even IDs that exist.
                    for fm in &mut fms {
                        fm.asset = fm.asset.map(|a| AssetId(a.0 * 2));
                    }
                    let closed_cycles = (1..cycle)
                        .map(|c| CycleRecord {
                            cycle: c,
                            closed,
                            failure_modes: fms.iter().map(FailureModeSnapshot::of).collect(),
                        })
                        .collect();
                    Session {
                        format: 2,
                        title: info.0,
                        organisation: info.1,
                        scope: info.2,
                        facilitator: info.3,
                        dates: info.5.into_iter().flatten().collect(),
                        participants: info
                            .4
                            .into_iter()
                            .map(|(name, role, present)| Participant {
                                name,
                                role,
                                present,
                            })
                            .collect(),
                        threshold: Threshold { rpn, ap_high },
                        name_voters: ap_high && rpn % 2 == 0,
                        pdca: Pdca {
                            cycle,
                            stage,
                            history: history
                                .into_iter()
                                .map(|(at, cycle, stage)| StageChange { at, cycle, stage })
                                .collect(),
                            closed_cycles,
                        },
                        assets,
                        processes,
                        failure_modes: fms,
                        log,
                        next_ids: NextIds {
                            asset: n_assets * 2 + 1,
                            failure_mode: n_fms * 3 + 5,
                            process: n_processes + 2,
                        },
                        programme,
                        conflicts,
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_valid_session_survives_save_and_load(session in session()) {
        prop_assert!(validate(&session).is_empty(), "{:?}", validate(&session));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        store::save(&path, &session, true).unwrap();
        let loaded = store::load(&path).unwrap();
        prop_assert_eq!(&loaded, &session);
        let first = std::fs::read(&path).unwrap();
        store::save(&path, &loaded, true).unwrap();
        prop_assert_eq!(std::fs::read(&path).unwrap(), first, "second save is byte-identical");
    }

    #[test]
    fn changing_one_rating_changes_one_line(session in session(), pick in any::<prop::sample::Index>(), value in 1u8..=10) {
        prop_assume!(!session.failure_modes.is_empty());
        let before = store::to_ron(&session);
        let mut changed = session.clone();
        let i = pick.index(changed.failure_modes.len());
        prop_assume!(changed.failure_modes[i].severity != value);
        changed.failure_modes[i].severity = value;
        let after = store::to_ron(&changed);
        let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
        prop_assert_eq!(b.len(), a.len());
        let differing = b.iter().zip(&a).filter(|(x, y)| x != y).count();
        prop_assert_eq!(differing, 1);
    }
}

#[test]
fn records_are_written_in_id_order_never_risk_order() {
    let mut s = Session::new("order", Timestamp::UNIX_EPOCH);
    for (n, sev) in [(3u32, 1u8), (1, 10), (2, 5)] {
        let mut fm = FailureMode::new(FailureModeId(n), format!("m{n}"));
        fm.severity = sev;
        s.failure_modes.push(fm);
    }
    let text = store::to_ron(&s);
    let positions: Vec<usize> = ["FM-001", "FM-002", "FM-003"]
        .iter()
        .map(|id| text.find(id).unwrap())
        .collect();
    assert!(positions.is_sorted(), "{text}");
}

#[test]
fn the_file_reads_as_the_spec_shows_it() {
    let text = r#"(
    format: 1,
    title: "Mini", organisation: "Org", scope: "Scope", facilitator: "Fa",
    participants: ["Ana", "Bo"],
    pdca: (cycle: 1, stage: Plan, history: []),
    assets: [
        (id: "A-001", name: "Server", category: Hardware, owner: "IT", location: "DC",
         description: "d", confidentiality: 3, integrity: 3, availability: 2),
    ],
    failure_modes: [
        (id: "FM-001", asset: "A-001", process: "p", mode: "m", effect: "e",
         cause: "c", controls: "k", severity: 8, occurrence: 4, detection: 6),
        (id: "FM-002", asset: "", process: "p", mode: "m2", effect: "e",
         cause: "c", controls: "k", severity: 1, occurrence: 1, detection: 1),
    ],
)"#;
    let s = store::parse(text, Path::new("mini.ron")).unwrap();
    assert_eq!(s.assets[0].class_value(), 18);
    assert_eq!(s.failure_modes[0].rpn(), 192);
    assert_eq!(s.failure_modes[1].asset, None);
    assert_eq!(
        s.participants,
        [Participant::new("Ana", ""), Participant::new("Bo", "")]
    );
    // Format 1: the process "p" of both failure modes became one record.
    assert_eq!(s.processes.len(), 1);
    assert_eq!(s.process_name(s.failure_modes[0].process), "p");
    assert_eq!(s.failure_modes[1].process, s.failure_modes[0].process);
}

/// The process name of each failure mode in a format-1 text, in file order.
fn process_names_of_format_1(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("process: \""))
        .map(|rest| rest.trim_end_matches("\",").to_string())
        .collect()
}

/// Loads a format-1 file and proves the migration lost nothing: one process
/// record per distinct process name (in the order the failure modes, by ID,
/// first name them), each participant line `Name (role)` a record, every
/// other line of the old file still in the new text in its order, and the new
/// text stable (read back: the same session, the same bytes, canonical).
fn migrates_without_loss(path: &Path) -> Session {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("    format: 1,\n"));
    let (s, migration) = store::load_noting(path).unwrap_or_else(|e| panic!("{e}"));

    let names = process_names_of_format_1(&text);
    assert_eq!(names.len(), s.failure_modes.len());
    let mut distinct: Vec<&String> = Vec::new();
    for name in &names {
        if !distinct.contains(&name) {
            distinct.push(name);
        }
    }
    assert_eq!(
        s.processes.iter().map(|p| &p.name).collect::<Vec<_>>(),
        distinct
    );
    assert_eq!(
        migration,
        Some(store::Migration {
            from: 1,
            processes: distinct.len()
        })
    );
    for (fm, name) in s.failure_modes.iter().zip(&names) {
        assert_eq!(s.process_name(fm.process), name, "{}", fm.id);
    }
    assert_eq!(s.next_ids.process as usize, distinct.len() + 1);

    // None is marked present: nobody knows who came back then.
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "    participants: [")
        .skip(1)
        .take_while(|l| *l != "    ],")
        .collect();
    let labels: Vec<String> = s
        .participants
        .iter()
        .map(|p| format!("        {:?},", p.label()))
        .collect();
    assert_eq!(labels, lines);
    assert!(s.participants.iter().all(|p| !p.present));

    let saved = store::to_ron(&s);
    assert!(saved.contains("    format: 2,\n"));
    let mut rest = saved.lines();
    for line in text.lines() {
        if line == "    format: 1,"
            || line.trim().starts_with("process: \"")
            || lines.contains(&line)
        {
            continue;
        }
        assert!(rest.any(|l| l == line), "{line:?} kept, in order");
    }
    let process_lines: Vec<&str> = saved
        .lines()
        .filter(|l| l.trim().starts_with("process: \""))
        .collect();
    assert_eq!(process_lines.len(), names.len());
    assert!(
        process_lines
            .iter()
            .all(|l| l.trim().starts_with("process: \"PR-00")),
        "{process_lines:?}"
    );

    let (again, migration) = store::parse_noting(&saved, path).unwrap();
    assert_eq!(migration, None);
    assert_eq!(again, s);
    assert_eq!(store::to_ron(&again), saved);
    assert_eq!(
        store::parse_canonical(&saved).as_ref(),
        Some(&s),
        "canonical"
    );
    s
}

#[test]
fn a_file_from_before_treatments_and_controls_loads_unchanged() {
    // The demo session as it was before thresholds, Annex A links, the cycle
    // views and process records (format 1): every new field takes its default,
    // and its free-text processes become process records.
    let path = Path::new("tests/fixtures/ip-chamber-before-treatment.ron");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("threshold") && !text.contains("annex_a"));
    let s = migrates_without_loss(path);
    assert_eq!((s.assets.len(), s.failure_modes.len()), (20, 40));
    assert_eq!(s.threshold, Threshold::default());
    assert!(s.failure_modes.iter().all(|f| f.annex_a.is_empty()));
    assert_eq!(s.pdca.closed_cycles.len(), 1);
    assert_eq!(s.pdca.closed_cycles[0].failure_modes.len(), 35);
    assert_eq!(s.processes.len(), 8);
    assert_eq!(s.participants.len(), 7);
    assert_eq!(
        (
            s.participants[0].name.as_str(),
            s.participants[0].role.as_str()
        ),
        ("Mei Ling Chan", "IT manager")
    );
}

#[test]
fn the_demo_as_it_was_in_format_1_migrates_without_loss() {
    // The demo as the last format-1 riskroom wrote it: treatments, Annex A
    // links, two cycles and the ISMS programme, all kept.
    let path = Path::new("tests/fixtures/ip-chamber-format-1.ron");
    let s = migrates_without_loss(path);
    assert_eq!(s.processes.len(), 8);
    assert!(!s.programme.is_empty(), "the programme is kept");
    assert!(s.failure_modes.iter().any(|f| !f.annex_a.is_empty()));
    assert!(s.failure_modes.iter().any(|f| f.residual().is_some()));
    assert_eq!(s.pdca.closed_cycles.len(), 1);
}

#[test]
fn a_format_1_file_whose_process_names_look_like_ids_keeps_them_as_names() {
    let text = r#"(
    format: 1,
    failure_modes: [
        (id: "FM-001", process: "PR-002", mode: "m", severity: 1, occurrence: 1, detection: 1),
        (id: "FM-002", process: "", mode: "m", severity: 1, occurrence: 1, detection: 1),
    ],
)"#;
    let (s, migration) = store::parse_noting(text, Path::new("old.ron")).unwrap();
    assert_eq!(migration.map(|m| m.processes), Some(1));
    assert_eq!(s.processes[0].id, ProcessId(1));
    assert_eq!(s.process_name(s.failure_modes[0].process), "PR-002");
    assert_eq!(s.failure_modes[1].process, None);
}

#[test]
fn the_cycle_history_survives_save_and_load() {
    use riskroom::domain::cycles::{cycle_summaries, failure_mode_history};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.ron");
    let mut s = Session::new("history", Timestamp::UNIX_EPOCH);
    let id = s.allocate_failure_mode_id().unwrap();
    let mut fm = FailureMode::new(id, "Token phished");
    (fm.severity, fm.occurrence, fm.detection) = (9, 5, 7);
    fm.treatment.decision = Decision::Reduce;
    fm.treatment.status = Status::Verified;
    fm.treatment.revised_occurrence = Some(2);
    s.failure_modes
        .push(fm.with_link("A.8.5", Some(ControlState::Planned)));
    for cycle in 0..3 {
        for stage in 0..4 {
            let at = Timestamp::from_second(1_800_000_000 + cycle * 100 + stage).unwrap();
            s.apply(s.advance_stage_change(at).unwrap());
        }
    }
    assert_eq!(s.pdca.cycle, 4);
    store::save(&path, &s, false).unwrap();
    let loaded = store::load(&path).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(
        failure_mode_history(&loaded, id),
        failure_mode_history(&s, id)
    );
    let rpns: Vec<u16> = failure_mode_history(&loaded, id)
        .iter()
        .map(|p| p.sod.rpn())
        .collect();
    assert_eq!(rpns, [315, 126, 126, 126]);
    assert_eq!(cycle_summaries(&loaded).len(), 4);
    assert_eq!(
        loaded.pdca.closed_cycles[0].failure_modes[0].annex_a,
        s.failure_modes[0].annex_a
    );
}

// The fast canonical writer and reader (store::canonical, store::fast_parse).

/// Any session at all, not only valid ones: ratings and numbers anywhere in their
/// types, records out of ID order, timestamps with fractions of a second, IDs of 0.
fn any_session() -> impl Strategy<Value = Session> {
    (
        session(),
        any::<u32>(),
        any::<u8>(),
        any::<bool>(),
        0u32..1_000_000_000,
        any::<u32>(),
    )
        .prop_map(|(mut s, number, rating, reverse, nanos, format)| {
            s.format = format % 3;
            s.pdca.cycle = number;
            s.next_ids.asset = number / 3;
            s.next_ids.process = number / 7;
            if let Some(fm) = s.failure_modes.first_mut() {
                fm.severity = rating;
                fm.treatment.revised_detection = Some(rating);
                fm.id = FailureModeId(number % 5);
            }
            if let Some(a) = s.assets.last_mut() {
                a.confidentiality = rating;
                a.id = AssetId(number);
            }
            if let Some(p) = s.processes.first_mut() {
                p.id = ProcessId(number % 4);
            }
            if let Some(change) = s.pdca.history.first_mut() {
                change.at = Timestamp::new(change.at.as_second(), nanos as i32).unwrap();
            }
            if let Some(step) = s.programme.roadmap.first_mut() {
                step.step = rating;
            }
            if let Some(document) = s.programme.documents.last_mut() {
                document.clause = format!("{}", number % 20);
            }
            if reverse {
                s.failure_modes.reverse();
                s.assets.reverse();
                s.processes.reverse();
                s.programme.roadmap.reverse();
                s.programme.documents.reverse();
            }
            s
        })
}

/// What the `ron` crate reads from `text`, without sorting or validating.
fn ron_read(text: &str) -> Result<Session, String> {
    ron::Options::default()
        .from_str::<Session>(text)
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_fast_writer_writes_what_ron_writes(session in any_session()) {
        prop_assert_eq!(store::to_ron(&session), store::ron_reference(&session));
    }

    #[test]
    fn the_fast_reader_reads_what_ron_reads(session in any_session()) {
        let text = store::to_ron(&session);
        let fast = store::parse_canonical(&text);
        let ron = ron_read(&text);
        // Canonical text that `ron` reads takes the fast path (other formats and
        // IDs of 0, which no ID parser takes, go to `ron` for its message).
        prop_assert_eq!(fast.is_some(), ron.is_ok() && session.format == riskroom::domain::session::FORMAT);
        prop_assert_eq!(&store::parse_canonical_in_halves(&text), &fast, "in halves");
        if let Some(fast) = fast {
            prop_assert_eq!(Ok(fast), ron);
        }
    }

    /// Whatever the fast reader accepts, `ron` reads the same way: damaged or
    /// hand-edited text either falls back to `ron` or means the same session.
    #[test]
    fn the_fast_reader_accepts_nothing_that_ron_reads_otherwise(
        session in session(),
        at in any::<prop::sample::Index>(),
        edit in 0u8..4,
        byte in prop::sample::select(b" \n\"'\\,:()[]0123456789ASFMNoe-{}u".to_vec()),
    ) {
        let mut bytes = store::to_ron(&session).into_bytes();
        let i = at.index(bytes.len());
        match edit {
            0 => { bytes.remove(i); }
            1 => bytes.insert(i, byte),
            2 => bytes[i] = byte,
            _ => { bytes.truncate(i); }
        }
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()); };
        if let Some(fast) = store::parse_canonical(&text) {
            // (Records may be out of ID order here: both readers keep the file's
            // order, and loading sorts either way.)
            prop_assert_eq!(Ok(fast), ron_read(&text));
        }
        if let Some(fast) = store::parse_canonical_in_halves(&text) {
            prop_assert_eq!(Ok(fast), ron_read(&text), "in halves");
        }
    }
}

#[test]
fn the_demo_file_is_canonical_and_read_by_the_fast_reader() {
    let text = std::fs::read_to_string("sessions/ip-chamber.ron").unwrap();
    let fast = store::parse_canonical(&text).expect("the demo is canonical");
    assert_eq!(Ok(fast.clone()), ron_read(&text));
    assert_eq!(store::to_ron(&fast), text);
    assert_eq!(store::ron_reference(&fast), text);
}

#[test]
fn a_generated_register_is_written_and_read_back_by_the_fast_path() {
    let session = riskroom::generate::large_session(40, 600, 3);
    let text = store::to_ron(&session);
    assert_eq!(text, store::ron_reference(&session));
    assert_eq!(store::parse_canonical(&text), Some(session.clone()));
    assert_eq!(store::parse_canonical_in_halves(&text), Some(session));
}

#[test]
fn escapes_of_every_kind_survive_the_fast_path() {
    let mut s = Session::new(
        "tab\there \"quoted\" 'single' back\\slash\nnew line \r \0 \u{7f} \u{1b}[31m e\u{301} \u{200b} 中文 😀",
        Timestamp::UNIX_EPOCH,
    );
    s.participants = vec![
        Participant::new("", "\u{feff}bom"),
        Participant::new("\u{10ffff}", "\t\n"),
    ];
    s.dates = vec![jiff::civil::date(2026, 2, 28)];
    let text = store::to_ron(&s);
    assert_eq!(text, store::ron_reference(&s));
    assert_eq!(store::parse_canonical(&text), Some(s));
}
