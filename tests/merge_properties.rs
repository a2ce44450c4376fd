//! Never lose an edit: random pairs of edit sequences (adds, deletes, field
//! edits, Annex A links, stage moves and cycle closes, roadmap steps, imports,
//! processes and their teams, participants and their roles, workshop dates,
//! notes in the decision log, sign-offs and their revocation) applied to a
//! common base as the screen applies them (through the decision log's
//! recorder, so every side's log grows as it would in the room), then merged. The merged session always loads and
//! is canonical; every edit of either side is in it or in a recorded conflict;
//! IDs stay unique; an unchanged side gives the other byte for byte; and the
//! merge is symmetric up to renumbering (theirs' side of each conflict taken in
//! one, ours' in the other, give the same session once IDs are matched up).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use proptest::prelude::*;
use riskroom::domain::log;
use riskroom::domain::programme::{StepRecord, StepStatus};
use riskroom::domain::*;
use riskroom::merge::{self, Merged, resolve::resolve};
use riskroom::store;
use serde_json::Value;

#[derive(Debug, Clone)]
enum FmField {
    Severity(u8),
    Occurrence(u8),
    Detection(u8),
    Mode(String),
    Effect(String),
    Action(String),
    Status(Status),
    Decision(Decision),
    Revised(Option<u8>),
    Asset(Option<usize>),
    Link(usize, Option<ControlState>),
    Process(Option<usize>),
}

#[derive(Debug, Clone)]
enum Edit {
    AddAsset(String, u8),
    DeleteAsset(usize),
    RenameAsset(usize, String),
    RateAsset(usize, u8),
    AddFailureMode(String, Option<usize>, u8),
    DeleteFailureMode(usize),
    ChangeFailureMode(usize, FmField),
    Advance,
    StepBack,
    Step(u8, StepStatus, String),
    Title(String),
    Import(Vec<String>),
    AddProcess(String),
    DeleteProcess(usize),
    RenameProcess(usize, String),
    TeamAdd(usize, String),
    TeamRemove(usize, usize),
    AddParticipant(String, String),
    RemoveParticipant(usize),
    Role(usize, String),
    Present(usize, bool),
    AddDate(i8),
    RemoveDate(usize),
    Note(String, Option<usize>),
    SignOff(usize, usize, bool),
    Revoke(usize),
}

/// Few values, so that both sides often make the same change.
fn word() -> impl Strategy<Value = String> {
    "[ab中]{1,2}"
}

fn fm_field() -> impl Strategy<Value = FmField> {
    prop_oneof![
        (1u8..=10).prop_map(FmField::Severity),
        (1u8..=10).prop_map(FmField::Occurrence),
        (1u8..=10).prop_map(FmField::Detection),
        word().prop_map(FmField::Mode),
        word().prop_map(FmField::Effect),
        word().prop_map(FmField::Action),
        prop::sample::select(Status::ALL.to_vec()).prop_map(FmField::Status),
        prop::sample::select(Decision::ALL.to_vec()).prop_map(FmField::Decision),
        proptest::option::of(1u8..=10).prop_map(FmField::Revised),
        proptest::option::of(0usize..8).prop_map(FmField::Asset),
        (
            0usize..4,
            proptest::option::of(prop::sample::select(vec![
                ControlState::Existing,
                ControlState::Planned
            ]))
        )
            .prop_map(|(c, s)| FmField::Link(c, s)),
        proptest::option::of(0usize..4).prop_map(FmField::Process),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (word(), 1u8..=3).prop_map(|(n, r)| Edit::AddAsset(n, r)),
        1 => (0usize..8).prop_map(Edit::DeleteAsset),
        1 => (0usize..8, word()).prop_map(|(i, n)| Edit::RenameAsset(i, n)),
        1 => (0usize..8, 1u8..=3).prop_map(|(i, r)| Edit::RateAsset(i, r)),
        1 => (word(), proptest::option::of(0usize..8), 1u8..=10)
            .prop_map(|(m, a, s)| Edit::AddFailureMode(m, a, s)),
        1 => (0usize..16).prop_map(Edit::DeleteFailureMode),
        4 => (0usize..16, fm_field()).prop_map(|(i, f)| Edit::ChangeFailureMode(i, f)),
        3 => Just(Edit::Advance),
        1 => Just(Edit::StepBack),
        1 => (1u8..=4, prop::sample::select(StepStatus::ALL.to_vec()), word())
            .prop_map(|(s, st, o)| Edit::Step(s, st, o)),
        1 => word().prop_map(Edit::Title),
        1 => prop::collection::vec(word(), 1..3).prop_map(Edit::Import),
        1 => word().prop_map(Edit::AddProcess),
        1 => (0usize..4).prop_map(Edit::DeleteProcess),
        1 => (0usize..4, word()).prop_map(|(i, n)| Edit::RenameProcess(i, n)),
        1 => (0usize..4, word()).prop_map(|(i, n)| Edit::TeamAdd(i, n)),
        1 => (0usize..4, 0usize..4).prop_map(|(i, j)| Edit::TeamRemove(i, j)),
        1 => (word(), word()).prop_map(|(n, r)| Edit::AddParticipant(n, r)),
        1 => (0usize..4).prop_map(Edit::RemoveParticipant),
        1 => (0usize..4, word()).prop_map(|(i, r)| Edit::Role(i, r)),
        1 => (0usize..4, any::<bool>()).prop_map(|(i, p)| Edit::Present(i, p)),
        1 => (1i8..=4).prop_map(Edit::AddDate),
        1 => (0usize..4).prop_map(Edit::RemoveDate),
        1 => (word(), proptest::option::of(0usize..16)).prop_map(|(t, f)| Edit::Note(t, f)),
        2 => (0usize..16, 0usize..4, any::<bool>()).prop_map(|(f, p, k)| Edit::SignOff(f, p, k)),
        1 => (0usize..16).prop_map(Edit::Revoke),
    ]
}

const CONTROLS: [&str; 4] = ["A.5.1", "A.8.5", "A.8.13", "A.9.4.2"];

fn pick<T>(list: &[T], i: usize) -> Option<&T> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

/// The session's details with `f` done to them, as one change.
fn details(s: &Session, f: impl FnOnce(&mut riskroom::domain::change::Info)) -> Change {
    let mut info = s.info();
    f(&mut info);
    Change::SetInfo(Box::new(info))
}

/// Applies one edit as the screen would: a `Change`, through the decision
/// log's recorder.
fn apply(s: &mut Session, edit: &Edit, at: Timestamp) {
    let change = match edit {
        Edit::AddProcess(name) => match s.process_for_name(name).unwrap() {
            (_, Some(add)) => add,
            _ => return,
        },
        Edit::DeleteProcess(i) => match pick(&s.processes, *i) {
            Some(p) => s.delete_process_change(p.id),
            None => return,
        },
        Edit::RenameProcess(i, name) => match pick(&s.processes, *i) {
            Some(p) => Change::PutProcess(Process {
                name: name.clone(),
                ..p.clone()
            }),
            None => return,
        },
        Edit::TeamAdd(i, member) => match pick(&s.processes, *i) {
            Some(p) if !p.team.contains(member) => {
                let mut p = p.clone();
                p.team.push(member.clone());
                Change::PutProcess(p)
            }
            _ => return,
        },
        Edit::TeamRemove(i, j) => match pick(&s.processes, *i) {
            Some(p) if !p.team.is_empty() => {
                let mut p = p.clone();
                p.team.remove(j % p.team.len());
                Change::PutProcess(p)
            }
            _ => return,
        },
        Edit::AddParticipant(name, role) => {
            if s.participant(name).is_some() {
                return;
            }
            details(s, |i| i.participants.push(Participant::new(name, role)))
        }
        Edit::RemoveParticipant(i) => {
            if s.participants.is_empty() {
                return;
            }
            let i = i % s.participants.len();
            details(s, |info| {
                info.participants.remove(i);
            })
        }
        Edit::Role(i, role) => {
            if s.participants.is_empty() {
                return;
            }
            let i = i % s.participants.len();
            details(s, |info| info.participants[i].role = role.clone())
        }
        Edit::Present(i, present) => {
            if s.participants.is_empty() {
                return;
            }
            let i = i % s.participants.len();
            details(s, |info| info.participants[i].present = *present)
        }
        Edit::AddDate(day) => {
            let d = jiff::civil::date(2026, 11, *day);
            if s.dates.contains(&d) {
                return;
            }
            details(s, |i| i.dates.push(d))
        }
        Edit::RemoveDate(i) => {
            if s.dates.is_empty() {
                return;
            }
            let i = i % s.dates.len();
            details(s, |info| {
                info.dates.remove(i);
            })
        }
        Edit::Note(text, fm) => {
            let fm = fm.and_then(|i| pick(&s.failure_modes, i)).map(|f| f.id);
            s.log_change(
                at,
                log::Event::Note {
                    fm,
                    text: text.clone(),
                },
            )
        }
        Edit::SignOff(f, p, residual) => {
            let (Some(f), Some(p)) = (pick(&s.failure_modes, *f), pick(&s.participants, *p)) else {
                return;
            };
            let kind = if *residual {
                SignOffKind::AcceptResidual
            } else {
                SignOffKind::ApproveTreatment
            };
            match s.sign_off_change(f.id, &p.name.clone(), kind, at) {
                Ok(c) => c,
                Err(_) => return,
            }
        }
        Edit::Revoke(f) => {
            let Some(f) = pick(&s.failure_modes, *f) else {
                return;
            };
            match s.revoke_change(f.id) {
                Some(c) => c,
                None => return,
            }
        }
        Edit::AddAsset(name, r) => {
            let id = s.allocate_asset_id().unwrap();
            let mut a = Asset::new(id, name.clone(), Category::Software);
            a.confidentiality = *r;
            Change::PutAsset(a)
        }
        Edit::DeleteAsset(i) => match pick(&s.assets, *i) {
            Some(a) => s.delete_asset_change(a.id),
            None => return,
        },
        Edit::RenameAsset(..) | Edit::RateAsset(..) if s.assets.is_empty() => return,
        Edit::RenameAsset(i, name) => {
            let mut a = pick(&s.assets, *i).unwrap().clone();
            a.name = name.clone();
            Change::PutAsset(a)
        }
        Edit::RateAsset(i, r) => {
            let mut a = pick(&s.assets, *i).unwrap().clone();
            a.availability = *r;
            Change::PutAsset(a)
        }
        Edit::AddFailureMode(mode, asset, sev) => {
            let id = s.allocate_failure_mode_id().unwrap();
            let mut f = FailureMode::new(id, mode.clone());
            f.severity = *sev;
            f.asset = asset.and_then(|i| pick(&s.assets, i)).map(|a| a.id);
            Change::PutFailureMode(f)
        }
        Edit::DeleteFailureMode(i) => match pick(&s.failure_modes, *i) {
            Some(f) => Change::RemoveFailureMode(f.id),
            None => return,
        },
        Edit::ChangeFailureMode(i, field) => {
            let Some(f) = pick(&s.failure_modes, *i) else {
                return;
            };
            let mut f = f.clone();
            match field {
                FmField::Severity(v) => f.severity = *v,
                FmField::Occurrence(v) => f.occurrence = *v,
                FmField::Detection(v) => f.detection = *v,
                FmField::Mode(v) => f.mode = v.clone(),
                FmField::Effect(v) => f.effect = v.clone(),
                FmField::Action(v) => f.treatment.action = v.clone(),
                FmField::Status(v) => f.treatment.status = *v,
                FmField::Decision(v) => f.treatment.decision = *v,
                FmField::Revised(v) => f.treatment.revised_occurrence = *v,
                FmField::Asset(v) => f.asset = v.and_then(|i| pick(&s.assets, i)).map(|a| a.id),
                FmField::Link(c, state) => f = f.with_link(CONTROLS[*c], *state),
                FmField::Process(v) => {
                    f.process = v.and_then(|i| pick(&s.processes, i)).map(|p| p.id);
                }
            }
            Change::PutFailureMode(f)
        }
        Edit::Advance => s.advance_stage_change(at).unwrap(),
        Edit::StepBack => match s.step_back_stage_change(at) {
            Some(c) => c,
            None => return,
        },
        Edit::Step(step, status, owner) => Change::PutStep(StepRecord {
            status: *status,
            owner: owner.clone(),
            ..StepRecord::blank(*step)
        }),
        Edit::Title(t) => {
            let mut info = s.info();
            info.title = t.clone();
            Change::SetInfo(Box::new(info))
        }
        Edit::Import(modes) => Change::Batch(
            modes
                .iter()
                .map(|m| {
                    let id = s.allocate_failure_mode_id().unwrap();
                    Change::PutFailureMode(FailureMode::new(id, m.clone()))
                })
                .collect(),
        ),
    };
    let change = log::recorded(s, change, at, log::Via::Edit);
    s.apply(change);
}

fn base() -> Session {
    let mut s = Session::new("Base", Timestamp::from_second(1_800_000_000).unwrap());
    for n in 0..3 {
        let id = s.allocate_asset_id().unwrap();
        s.assets
            .push(Asset::new(id, format!("asset {n}"), Category::Hardware));
    }
    for n in 0..6u32 {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut f = FailureMode::new(id, format!("mode {n}"));
        f.asset = Some(AssetId(n % 3 + 1));
        if n % 2 == 0 {
            f.treatment.decision = Decision::Accept;
        }
        s.failure_modes.push(f);
    }
    s.participants = vec![
        Participant::new("Ana", "risk owner"),
        Participant::new("李明", "IT"),
    ];
    s.dates = vec![jiff::civil::date(2026, 11, 2)];
    for name in ["Backup", "Remote access"] {
        let id = s.allocate_process_id().unwrap();
        let mut p = Process::new(id, name);
        p.team.push("Ana".into());
        s.processes.push(p);
    }
    s.failure_modes[0].process = Some(ProcessId(1));
    s
}

fn edited(edits: &[Edit], clock: i64) -> Session {
    let mut s = base();
    for (i, e) in edits.iter().enumerate() {
        let at = Timestamp::from_second(1_800_000_000 + clock + i as i64).unwrap();
        apply(&mut s, e, at);
    }
    s
}

fn loads(m: &Merged) -> Session {
    let problems = validate(&m.session);
    assert!(problems.is_empty(), "{problems:?}");
    let text = store::to_ron(&m.session);
    let loaded = store::parse(&text, Path::new("m.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store::to_ron(&loaded), text);
    loaded
}

/// A session as leaves: `part/record/field…` → value, the treatment filled in
/// as the empty one where the file leaves it out.
fn leaves(s: &Session) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let flat = |prefix: String, v: &Value, out: &mut BTreeMap<String, String>| {
        fn go(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        go(&format!("{prefix}/{k}"), x, out);
                    }
                }
                Value::Array(items) if prefix.ends_with("/annex_a") => {
                    for e in items {
                        let id = e["id"].as_str().unwrap_or("?");
                        go(&format!("{prefix}[{id}]"), e, out);
                    }
                }
                other => {
                    out.insert(prefix.to_string(), other.to_string());
                }
            }
        }
        go(&prefix, v, out);
    };
    let empty = serde_json::to_value(Treatment::default()).unwrap();
    for f in &s.failure_modes {
        let mut v = serde_json::to_value(f).unwrap();
        if v.get("treatment").is_none() {
            v["treatment"] = empty.clone();
        }
        flat(format!("failure_modes/{}", f.id), &v, &mut out);
    }
    for a in &s.assets {
        flat(
            format!("assets/{}", a.id),
            &serde_json::to_value(a).unwrap(),
            &mut out,
        );
    }
    // A step without a record is a blank one.
    for step in 1..=24 {
        let r = s.programme.step(step);
        flat(
            format!("programme.roadmap/{step}"),
            &serde_json::to_value(r).unwrap(),
            &mut out,
        );
    }
    for h in &s.pdca.history {
        out.insert(
            format!("pdca.history/{}", serde_json::to_value(h).unwrap()),
            "1".into(),
        );
    }
    // A cycle's record field by field, as the merge takes it. When it closed
    // is only that it did: of two closes of one cycle the later is the
    // record's, and the earlier is kept in the stage history, a leaf of its own.
    for r in &s.pdca.closed_cycles {
        out.insert(format!("pdca.closed_cycles/{}/closed", r.cycle), "1".into());
        for f in &r.failure_modes {
            flat(
                format!("pdca.closed_cycles/{}/failure_modes[{}]", r.cycle, f.id),
                &serde_json::to_value(f).unwrap(),
                &mut out,
            );
        }
    }
    out.insert("pdca/".into(), format!("{} {}", s.pdca.cycle, s.pdca.stage));
    out.insert("title/".into(), s.title.clone());
    for p in &s.processes {
        let mut v = serde_json::to_value(p).unwrap();
        v["team"] = Value::Null;
        flat(format!("processes/{}", p.id), &v, &mut out);
        for member in &p.team {
            out.insert(format!("processes/{}/team/{member}", p.id), "1".into());
        }
    }
    for p in &s.participants {
        flat(
            format!("participants/{}", p.name),
            &serde_json::to_value(p).unwrap(),
            &mut out,
        );
    }
    for d in &s.dates {
        out.insert(format!("dates/{d}"), "1".into());
    }
    // The log is only ever added to: each entry, with how often it is there.
    for e in &s.log {
        let key = format!("log/{}", serde_json::to_value(e).unwrap());
        let n = out.get(&key).map_or(0, |n| n.parse::<u32>().unwrap());
        out.insert(key, (n + 1).to_string());
    }
    out
}

/// Whether a conflict covers the leaf `key` (its record, or a field above it).
fn covered(key: &str, conflicts: &[Conflict]) -> bool {
    conflicts.iter().any(|c| {
        let record = if c.record.is_empty() {
            format!("{}/", c.part)
        } else {
            format!("{}/{}", c.part, c.record)
        };
        let field = rename_field(&c.field);
        let at = if field.is_empty() {
            record
        } else {
            format!("{record}/{field}")
        };
        key == at
            || key.starts_with(&format!("{at}/"))
            || key.starts_with(&format!("{at}["))
            || (c.part == "pdca" && key.starts_with("pdca/"))
    })
}

/// A conflict's field path as [`leaves`] writes it: `annex_a[A.8.5].state` →
/// `annex_a[A.8.5]/state`.
fn rename_field(field: &str) -> String {
    let mut out = String::new();
    let mut in_key = false;
    for c in field.chars() {
        match c {
            '[' => {
                in_key = true;
                out.push(c);
            }
            ']' => {
                in_key = false;
                out.push(c);
            }
            '.' if !in_key => out.push('/'),
            _ => out.push(c),
        }
    }
    out
}

/// Theirs' leaves with the IDs the merge gave them.
fn renumbered(leaves: BTreeMap<String, String>, m: &Merged) -> BTreeMap<String, String> {
    let map: Vec<(String, String)> = m
        .renumbered
        .iter()
        .map(|r| (r.from.clone(), r.to.clone()))
        .collect();
    let swap = |text: &str| -> String {
        let mut t = text.to_string();
        for (from, to) in &map {
            for (a, b) in [
                (format!("/{from}/"), format!("/{to}/")),
                (format!("[{from}]"), format!("[{to}]")),
                (format!("\"{from}\""), format!("\"{to}\"")),
            ] {
                t = t.replace(&a, &b);
            }
        }
        t
    };
    leaves
        .into_iter()
        .map(|(k, v)| (swap(&k), swap(&v)))
        .collect()
}

/// Every change `side` made to `base` is in `merged` or in a conflict.
fn every_edit_kept(
    base: &Session,
    side: &Session,
    m: &Merged,
    theirs: bool,
) -> Result<(), TestCaseError> {
    let (b, mut s) = (leaves(base), leaves(side));
    let mut b = b;
    if theirs {
        s = renumbered(s, m);
        b = renumbered(b, m);
    }
    let got = leaves(&m.session);
    let keys: std::collections::BTreeSet<&String> = b.keys().chain(s.keys()).collect();
    for key in keys {
        let (was, now) = (b.get(key), s.get(key));
        if was == now || key.starts_with("pdca.history/") && now.is_none() {
            continue;
        }
        prop_assert!(
            got.get(key) == now || covered(key, &m.session.conflicts),
            "{} changed {key}: {was:?} → {now:?}, merged has {:?}; conflicts {:?}",
            if theirs { "theirs" } else { "ours" },
            got.get(key),
            m.session.conflicts
        );
    }
    Ok(())
}

/// The session with each record's ID replaced by where it came from (the
/// base, or which side added it), so that two merges that renumbered
/// different sides compare equal. `renumbered_side` is the side that was
/// theirs in `m`.
fn relabelled(
    s: &Session,
    m: &Merged,
    renumbered_side: &str,
    [b, o]: [&Session; 2],
) -> BTreeMap<String, String> {
    let kept_side = if renumbered_side == "O" { "T" } else { "O" };
    let to: BTreeMap<String, String> = m
        .renumbered
        .iter()
        .map(|r| (r.to.clone(), r.from.clone()))
        .collect();
    let from: Vec<String> = m.renumbered.iter().map(|r| r.from.clone()).collect();
    let label = |name: String, in_base: bool, in_ours: bool| -> String {
        if let Some(old) = to.get(&name) {
            format!("{renumbered_side} {old}")
        } else if from.contains(&name) {
            format!("{kept_side} {name}")
        } else if in_base {
            format!("B {name}")
        } else if in_ours {
            format!("O {name}")
        } else {
            format!("T {name}")
        }
    };
    let fm_label = |id: FailureModeId| {
        label(
            id.to_string(),
            b.failure_mode(id).is_some(),
            o.failure_mode(id).is_some(),
        )
    };
    let asset_label =
        |id: AssetId| label(id.to_string(), b.asset(id).is_some(), o.asset(id).is_some());
    let process_label = |id: ProcessId| {
        label(
            id.to_string(),
            b.process(id).is_some(),
            o.process(id).is_some(),
        )
    };
    let mut out = BTreeMap::new();
    for p in &s.processes {
        let mut p2 = p.clone();
        p2.team.sort();
        let mut v = serde_json::to_value(&p2).unwrap();
        v["id"] = Value::Null;
        out.insert(format!("process {}", process_label(p.id)), v.to_string());
    }
    // The log with each failure mode it names by where it came from.
    fn relabel(v: &mut Value, fm_label: &dyn Fn(FailureModeId) -> String) {
        match v {
            Value::String(text) => {
                if let Ok(id) = text.parse::<FailureModeId>() {
                    *text = fm_label(id);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|x| relabel(x, fm_label)),
            Value::Object(fields) => fields.values_mut().for_each(|x| relabel(x, fm_label)),
            _ => {}
        }
    }
    let log: Vec<String> = s
        .log
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap();
            relabel(&mut v, &fm_label);
            v.to_string()
        })
        .collect();
    out.insert("log".into(), log.join("\n"));
    // Ours' order, then theirs' new ones: the same people either way.
    let mut people = s.participants.clone();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    out.insert("participants".into(), format!("{people:?}"));
    for f in &s.failure_modes {
        let mut v = serde_json::to_value(f).unwrap();
        v["id"] = Value::Null;
        v["asset"] = f
            .asset
            .map_or(Value::Null, |a| Value::String(asset_label(a)));
        v["process"] = f
            .process
            .map_or(Value::Null, |p| Value::String(process_label(p)));
        out.insert(format!("fm {}", fm_label(f.id)), v.to_string());
    }
    for a in &s.assets {
        let mut v = serde_json::to_value(a).unwrap();
        v["id"] = Value::Null;
        out.insert(format!("asset {}", asset_label(a.id)), v.to_string());
    }
    for r in &s.pdca.closed_cycles {
        let snaps: Vec<String> = r
            .failure_modes
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).unwrap();
                v["id"] = Value::String(fm_label(f.id));
                v.to_string()
            })
            .collect();
        out.insert(format!("cycle {} {}", r.cycle, r.closed), snaps.join(";"));
    }
    let mut rest = s.clone();
    rest.failure_modes.clear();
    rest.assets.clear();
    rest.pdca.closed_cycles.clear();
    rest.processes.clear();
    rest.log.clear();
    rest.participants.clear();
    rest.next_ids = Default::default();
    out.insert("rest".into(), store::to_ron(&rest));
    out
}

fn decided(m: &Merged, side: Side) -> Session {
    let mut s = m.session.clone();
    let choices = vec![Some(side); s.conflicts.len()];
    let change = resolve(&s, &choices).unwrap_or_else(|e| panic!("{e}"));
    s.apply(change);
    assert!(s.conflicts.is_empty());
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_edit_is_ever_lost(
        ours in prop::collection::vec(edit(), 0..8),
        theirs in prop::collection::vec(edit(), 0..8),
    ) {
        let b = base();
        let o = edited(&ours, 100);
        let t = edited(&theirs, 200);

        let m = merge::merge(b.clone(), o.clone(), t.clone());
        let loaded = loads(&m);
        prop_assert_eq!(&loaded, &m.session);
        every_edit_kept(&b, &o, &m, false)?;
        every_edit_kept(&b, &t, &m, true)?;

        // An unchanged side gives the other byte for byte.
        prop_assert_eq!(store::to_ron(&merge::merge(b.clone(), b.clone(), t.clone()).session), store::to_ron(&t));
        prop_assert_eq!(store::to_ron(&merge::merge(b.clone(), o.clone(), b.clone()).session), store::to_ron(&o));

        // Symmetric up to renumbering: ours' side of every conflict in one
        // merge is theirs' side in the other.
        let m2 = merge::merge(b.clone(), t.clone(), o.clone());
        loads(&m2);
        prop_assert_eq!(m.session.conflicts.len(), m2.session.conflicts.len(), "{:#?}\n---\n{:#?}", m.session.conflicts, m2.session.conflicts);
        let one = relabelled(&decided(&m, Side::Ours), &m, "T", [&b, &o]);
        let two = relabelled(&decided(&m2, Side::Theirs), &m2, "O", [&b, &o]);
        prop_assert_eq!(one, two);
    }
}
