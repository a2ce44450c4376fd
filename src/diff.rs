//! What changed between two versions of a session, record by record and field
//! by field (`riskroom diff`, and git's diff of a session after `git-setup`):
//! "FM-003 severity 8 → 9 (RPN 360 → 405, AP H)", "A-021 added", "cycle 2
//! closed". Also a session as one line per field ([`listing`]), for git's text
//! conversion, which `git log -p` compares line by line.
//!
//! Fields are walked in their serde form by the rules of [`crate::merge::rules`],
//! so a field added to a record shows in the diff without code of its own.
//! Pure: sessions in, lines out (the command line makes them terminal-safe).

use serde::Serialize;
use serde_json::Value;

use crate::domain::pdca::Stage;
use crate::domain::programme::{DocumentRecord, StepRecord};
use crate::domain::{Asset, FailureMode, Participant, Process, Session};
use crate::merge::rules::{self, How};

mod listing;

pub use listing::listing;

/// The changes from `old` to `new`, one line each, in the order of the file.
pub fn diff(old: &Session, new: &Session) -> Vec<String> {
    let mut out = Vec::new();
    if old.format != new.format {
        out.push(format!("format {} → {}", old.format, new.format));
    }
    let text = |out: &mut Vec<String>, name: &str, a: &str, b: &str| {
        if a != b {
            out.push(format!("{name} {} → {}", shown_text(a), shown_text(b)));
        }
    };
    text(&mut out, "title", &old.title, &new.title);
    text(
        &mut out,
        "organisation",
        &old.organisation,
        &new.organisation,
    );
    text(&mut out, "scope", &old.scope, &new.scope);
    text(&mut out, "facilitator", &old.facilitator, &new.facilitator);
    for d in &new.dates {
        if !old.dates.contains(d) {
            out.push(format!("workshop date {d} added"));
        }
    }
    for d in &old.dates {
        if !new.dates.contains(d) {
            out.push(format!("workshop date {d} removed"));
        }
    }
    participants(&mut out, old, new);
    if old.threshold != new.threshold {
        fields(
            &mut out,
            "threshold",
            "threshold",
            &json(&old.threshold),
            &json(&new.threshold),
        );
    }
    pdca(&mut out, old, new);
    records(
        &mut out,
        &old.assets,
        &new.assets,
        "assets",
        |a: &Asset| a.id,
        asset_added,
        asset_derived,
    );
    records(
        &mut out,
        &old.processes,
        &new.processes,
        "processes",
        |p: &Process| p.id,
        |p: &Process| format!(": {}", shown_text(&p.name)),
        |_, _| None,
    );
    records(
        &mut out,
        &old.failure_modes,
        &new.failure_modes,
        "failure_modes",
        |f: &FailureMode| f.id,
        failure_mode_added,
        failure_mode_derived,
    );
    programme(&mut out, old, new);
    for e in listing::added_entries(&old.log, &new.log) {
        out.push(format!("decision log {}", listing::entry_text(e)));
    }
    for c in &new.conflicts {
        if !old.conflicts.contains(c) {
            out.push(format!("merge conflict recorded: {c}"));
        }
    }
    for c in &old.conflicts {
        if !new.conflicts.contains(c) {
            out.push(format!("merge conflict decided: {}", c.subject()));
        }
    }
    out
}

/// Participants by name, each with their role: added, removed, and what
/// changed (`participant "Ana" (risk owner) role "risk owner" → "ISMS manager"`).
fn participants(out: &mut Vec<String>, old: &Session, new: &Session) {
    for p in &new.participants {
        match old.participant(&p.name) {
            None => out.push(format!("participant {} added", person(p))),
            Some(was) if was != p => {
                if was.role != p.role {
                    out.push(format!(
                        "participant {} role {} → {}",
                        shown_text(&p.name),
                        shown_text(&was.role),
                        shown_text(&p.role)
                    ));
                }
                if was.present != p.present {
                    let word = |b: bool| if b { "present" } else { "absent" };
                    out.push(format!(
                        "participant {} {} → {}",
                        person(p),
                        word(was.present),
                        word(p.present)
                    ));
                }
            }
            Some(_) => {}
        }
    }
    for p in &old.participants {
        if new.participant(&p.name).is_none() {
            out.push(format!("participant {} removed", person(p)));
        }
    }
}

/// A participant as the diff names them: `"Ana" (risk owner)`.
pub(crate) fn person(p: &Participant) -> String {
    if p.role.trim().is_empty() {
        shown_text(&p.name)
    } else {
        format!("{} ({})", shown_text(&p.name), p.role.trim())
    }
}

pub(crate) fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn pdca(out: &mut Vec<String>, old: &Session, new: &Session) {
    let (o, n) = (&old.pdca, &new.pdca);
    for record in &n.closed_cycles {
        match o.closed_cycles.iter().find(|r| r.cycle == record.cycle) {
            None => out.push(format!(
                "cycle {} closed {} ({} failure modes recorded)",
                record.cycle,
                record.closed,
                record.failure_modes.len()
            )),
            Some(was) if was != record => fields(
                out,
                &format!("cycle {} record", record.cycle),
                "pdca.closed_cycles.*",
                &json(was),
                &json(record),
            ),
            Some(_) => {}
        }
    }
    for record in &o.closed_cycles {
        if !n.closed_cycles.iter().any(|r| r.cycle == record.cycle) {
            out.push(format!(
                "cycle {} reopened (its record removed)",
                record.cycle
            ));
        }
    }
    if (o.cycle, o.stage) != (n.cycle, n.stage) {
        let at = |cycle: u32, stage: Stage| format!("cycle {cycle} {stage}");
        out.push(format!(
            "PDCA {} → {}",
            at(o.cycle, o.stage),
            at(n.cycle, n.stage)
        ));
    }
}

fn programme(out: &mut Vec<String>, old: &Session, new: &Session) {
    let (o, n) = (&old.programme, &new.programme);
    let mut steps: Vec<u8> = o.roadmap.iter().chain(&n.roadmap).map(|r| r.step).collect();
    steps.sort_unstable();
    steps.dedup();
    for step in steps {
        let (a, b) = (o.step(step), n.step(step));
        if a != b {
            let name = format!("roadmap step {step}");
            fields(
                out,
                &name,
                "programme.roadmap.*",
                &json::<StepRecord>(&a),
                &json(&b),
            );
        }
    }
    let mut clauses: Vec<&str> = o
        .documents
        .iter()
        .chain(&n.documents)
        .map(|r| r.clause.as_str())
        .collect();
    clauses.dedup();
    let mut seen: Vec<&str> = Vec::new();
    for clause in clauses {
        if seen.contains(&clause) {
            continue;
        }
        seen.push(clause);
        let (a, b) = (o.document(clause), n.document(clause));
        if a != b {
            let name = format!("document {clause}");
            fields(
                out,
                &name,
                "programme.documents.*",
                &json::<DocumentRecord>(&a),
                &json(&b),
            );
        }
    }
}

/// A keyed register: added, deleted, and field by field what changed, then
/// the derived values that follow (`derived` adds them to the last line).
fn records<R: Serialize + PartialEq, K: Ord + Copy + std::fmt::Display>(
    out: &mut Vec<String>,
    old: &[R],
    new: &[R],
    part: &str,
    key: impl Fn(&R) -> K,
    added: impl Fn(&R) -> String,
    derived: impl Fn(&R, &R) -> Option<(Vec<&'static str>, String)>,
) {
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let (a, b) = (old.get(i), new.get(j));
        match (a, b) {
            (Some(a), Some(b)) if key(a) == key(b) => {
                if a != b {
                    let name = key(a).to_string();
                    let first = out.len();
                    fields(out, &name, &rules::child(part, "*"), &json(a), &json(b));
                    if let Some((after, text)) = derived(a, b) {
                        // After the last line of a rating, or on its own line.
                        let prefixes: Vec<String> =
                            after.iter().map(|f| format!("{name} {f} ")).collect();
                        match (first..out.len())
                            .rev()
                            .find(|k| prefixes.iter().any(|p| out[*k].starts_with(p)))
                        {
                            Some(k) => out[k] = format!("{} ({text})", out[k]),
                            None => out.push(format!("{name} {text}")),
                        }
                    }
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if key(a) < key(b) => {
                out.push(format!("{} deleted{}", key(a), added(a)));
                i += 1;
            }
            (Some(a), None) => {
                out.push(format!("{} deleted{}", key(a), added(a)));
                i += 1;
            }
            (_, Some(b)) => {
                out.push(format!("{} added{}", key(b), added(b)));
                j += 1;
            }
            (None, None) => break,
        }
    }
}

fn asset_added(a: &Asset) -> String {
    format!(
        ": {} ({}, C {} I {} A {}, class value {}, class {})",
        shown_text(&a.name),
        a.category,
        a.confidentiality,
        a.integrity,
        a.availability,
        a.class_value(),
        a.class_rank()
    )
}

fn asset_derived(a: &Asset, b: &Asset) -> Option<(Vec<&'static str>, String)> {
    (a.class_value() != b.class_value()).then(|| {
        let rank = if a.class_rank() == b.class_rank() {
            format!("class {}", b.class_rank())
        } else {
            format!("class {} → {}", a.class_rank(), b.class_rank())
        };
        (
            vec!["confidentiality", "integrity", "availability"],
            format!(
                "class value {} → {}, {rank}",
                a.class_value(),
                b.class_value()
            ),
        )
    })
}

fn failure_mode_added(f: &FailureMode) -> String {
    format!(
        ": {} (S {} O {} D {}, RPN {}, AP {})",
        shown_text(&f.mode),
        f.severity,
        f.occurrence,
        f.detection,
        f.rpn(),
        f.ap()
    )
}

fn failure_mode_derived(a: &FailureMode, b: &FailureMode) -> Option<(Vec<&'static str>, String)> {
    (a.rpn() != b.rpn() || a.ap() != b.ap()).then(|| {
        let ap = if a.ap() == b.ap() {
            format!("AP {}", b.ap())
        } else {
            format!("AP {} → {}", a.ap(), b.ap())
        };
        (
            vec!["severity", "occurrence", "detection"],
            format!("RPN {} → {}, {ap}", a.rpn(), b.rpn()),
        )
    })
}

/// Field by field, the differences of two values at the rule path `path`, each
/// as `<name> <field> <old> → <new>`.
fn fields(out: &mut Vec<String>, name: &str, path: &str, old: &Value, new: &Value) {
    walk(out, name, path, "", Some(old), Some(new));
}

fn walk(
    out: &mut Vec<String>,
    name: &str,
    path: &str,
    field: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) {
    if old == new {
        return;
    }
    if path == "failure_modes.*.sign_off" {
        out.push(listing::sign_off_change(name, old, new));
        return;
    }
    match rules::how(path) {
        How::Set => {
            let list = |v: Option<&Value>| match v {
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            let (o, n) = (list(old), list(new));
            for x in n.iter().filter(|x| !o.contains(x)) {
                out.push(format!("{name} {} {} added", label(field), shown(x)));
            }
            for x in o.iter().filter(|x| !n.contains(x)) {
                out.push(format!("{name} {} {} removed", label(field), shown(x)));
            }
            return;
        }
        How::Fields(default) => {
            let d = default();
            let (o, n) = (old.unwrap_or(&d), new.unwrap_or(&d));
            if let (Value::Object(o), Value::Object(n)) = (o, n) {
                let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    walk(
                        out,
                        name,
                        &rules::child(path, k),
                        &rules::field_child(field, k),
                        o.get(k),
                        n.get(k),
                    );
                }
                return;
            }
        }
        How::Keyed(key) => {
            let empty = Vec::new();
            let list = |v: Option<&Value>| match v {
                Some(Value::Array(a)) => a.clone(),
                _ => empty.clone(),
            };
            let (o, n) = (list(old), list(new));
            let key_of = |v: &Value| v.get(key).map(rules::key_text).unwrap_or_default();
            for e in &o {
                let k = key_of(e);
                match n.iter().find(|x| key_of(x) == k) {
                    Some(x) => walk(
                        out,
                        name,
                        &rules::child(path, "*"),
                        &rules::field_element(field, &k),
                        Some(e),
                        Some(x),
                    ),
                    None => out.push(format!("{name} {} {k} removed", label(field))),
                }
            }
            for e in &n {
                let k = key_of(e);
                if !o.iter().any(|x| key_of(x) == k) {
                    let rest = element_summary(e, key);
                    out.push(format!("{name} {} {k} added{rest}", label(field)));
                }
            }
            return;
        }
        _ => {}
    }
    // A reference to no record is `""` in the file: none.
    let reference = path.ends_with(".asset") || path.ends_with(".process");
    let value = |v: Option<&Value>| match v {
        None => "(none)".to_string(),
        Some(Value::String(s)) if reference && s.is_empty() => "none".to_string(),
        Some(v) => shown(v),
    };
    // Two long texts: the part where they differ, not two equal beginnings.
    let (before, after) = match (old, new) {
        (Some(Value::String(a)), Some(Value::String(b))) if !is_a_name(a) && !is_a_name(b) => {
            changed_texts(a, b)
        }
        _ => (value(old), value(new)),
    };
    out.push(format!("{name} {} {before} → {after}", label(field)));
}

/// How many characters of a text the diff shows.
const SHOWN_CHARS: usize = 60;

/// Two versions of a text a person typed, each quoted and cut to about 60
/// characters so that the part where they differ is shown: a change at the end
/// of a long text reads `…"nce cover"` → `…"nce coverX"`, not as two equal
/// beginnings.
pub(crate) fn changed_texts(old: &str, new: &str) -> (String, String) {
    let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    if a.len() <= SHOWN_CHARS && b.len() <= SHOWN_CHARS {
        return (format!("{old:?}"), format!("{new:?}"));
    }
    let same = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Some of the text before the first difference, for context.
    const CONTEXT: usize = 20;
    let from = same.saturating_sub(CONTEXT);
    let window = |t: &[char]| {
        let end = (from + SHOWN_CHARS).min(t.len());
        let cut: String = t[from.min(end)..end].iter().collect();
        let head = if from > 0 { "…" } else { "" };
        let tail = if end < t.len() { "…" } else { "" };
        format!("{head}{cut:?}{tail}")
    };
    (window(&a), window(&b))
}

/// The fields of a list element other than its key: ` (state Planned)`. Its
/// single values only: a nested record (a treatment, a list of links) would
/// be JSON on the line.
fn element_summary(e: &Value, key: &str) -> String {
    let Value::Object(fields) = e else {
        return String::new();
    };
    let parts: Vec<String> = fields
        .iter()
        .filter(|(k, v)| k.as_str() != key && !v.is_object() && !v.is_array())
        .map(|(k, v)| format!("{} {}", label(k), shown(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A field path as people read it: `treatment action taken`, `Annex A A.8.5 state`.
pub(crate) fn label(field: &str) -> String {
    rules::steps(field)
        .into_iter()
        .map(|s| {
            let name = match s.name.as_str() {
                "annex_a" => "Annex A".to_string(),
                other => other.replace('_', " "),
            };
            match s.key {
                Some(k) => format!("{name} {k}"),
                None => name,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text a person typed: quoted, cut at 60 characters.
pub(crate) fn shown_text(text: &str) -> String {
    let count = text.chars().count();
    if count > SHOWN_CHARS {
        let cut: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{cut:?}…")
    } else {
        format!("{text:?}")
    }
}

/// A value of the serde form: numbers and names (`Done`, `2026-03-01`, `A-001`)
/// as they are, text quoted (cut at 60 characters), none as `none`.
pub(crate) fn shown(value: &Value) -> String {
    shown_as(value, shown_text)
}

/// As [`shown`], text whole: for the listing git compares line by line, where
/// a cut text would hide a change past its 60th character.
pub(crate) fn shown_whole(value: &Value) -> String {
    shown_as(value, |t| format!("{t:?}"))
}

fn shown_as(value: &Value, text: impl Fn(&str) -> String) -> String {
    match value {
        Value::Null => "none".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if is_a_name(s) => s.clone(),
        Value::String(s) => text(s),
        other => text(&other.to_string()),
    }
}

/// An enum's name, a date, a timestamp or a record ID: shown without quotes.
fn is_a_name(s: &str) -> bool {
    let b = s.as_bytes();
    let word =
        b.first().is_some_and(u8::is_ascii_uppercase) && b.iter().all(u8::is_ascii_alphabetic);
    let starts_with_a_year = b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    let dated = starts_with_a_year
        && (s.parse::<jiff::civil::Date>().is_ok() || s.parse::<jiff::Timestamp>().is_ok());
    let id = s.parse::<crate::domain::AssetId>().is_ok()
        || s.parse::<crate::domain::FailureModeId>().is_ok()
        || s.parse::<crate::domain::ProcessId>().is_ok();
    word || dated || id
}

#[cfg(test)]
mod tests;
