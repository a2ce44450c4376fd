//! A session as one line per field ([`listing`], git's text conversion), and
//! the decision log and sign-offs as people read them, for it and the diff.

use serde_json::Value;

use super::{json, label, person, shown, shown_text, shown_whole};
use crate::domain::log::{Event, LogEntry};
use crate::domain::{Conflict, Session, SignOff};
use crate::merge::rules::{self, How};

/// The session as one line per field, records in ID order: what git compares
/// line by line for `git log -p` (its text conversion).
pub fn listing(s: &Session) -> Vec<String> {
    let mut out = vec![
        format!("title {:?}", s.title),
        format!("organisation {:?}", s.organisation),
        format!("scope {:?}", s.scope),
        format!("facilitator {:?}", s.facilitator),
    ];
    out.extend(s.dates.iter().map(|d| format!("workshop date {d}")));
    out.extend(s.participants.iter().map(|p| {
        let present = if p.present { ", present" } else { "" };
        format!("participant {}{present}", person(p))
    }));
    out.push(format!(
        "threshold RPN {}, AP H {}",
        s.threshold.rpn,
        if s.threshold.ap_high { "yes" } else { "no" }
    ));
    out.push(format!("PDCA cycle {} {}", s.pdca.cycle, s.pdca.stage));
    for h in &s.pdca.history {
        out.push(format!(
            "stage {} of cycle {} entered {}",
            h.stage, h.cycle, h.at
        ));
    }
    for r in &s.pdca.closed_cycles {
        out.push(format!(
            "cycle {} closed {} ({} failure modes recorded)",
            r.cycle,
            r.closed,
            r.failure_modes.len()
        ));
    }
    let mut lines = |name: String, path: &str, v: Value| flat(&mut out, &name, path, "", &v);
    for a in &s.assets {
        lines(a.id.to_string(), "assets.*", json(a));
    }
    for p in &s.processes {
        lines(p.id.to_string(), "processes.*", json(p));
    }
    for f in &s.failure_modes {
        lines(f.id.to_string(), "failure_modes.*", json(f));
    }
    for r in &s.programme.roadmap {
        lines(
            format!("roadmap step {}", r.step),
            "programme.roadmap.*",
            json(r),
        );
    }
    for r in &s.programme.documents {
        lines(
            format!("document {}", r.clause),
            "programme.documents.*",
            json(r),
        );
    }
    // The derived values after their record's fields would split a record's
    // lines; they come last, one line a record.
    for a in &s.assets {
        out.push(format!(
            "{} class value {}, class {}",
            a.id,
            a.class_value(),
            a.class_rank()
        ));
    }
    for f in &s.failure_modes {
        out.push(format!("{} RPN {}, AP {}", f.id, f.rpn(), f.ap()));
    }
    out.extend(
        s.log
            .iter()
            .map(|e| format!("decision log {}", entry_text(e))),
    );
    out.extend(
        s.conflicts
            .iter()
            .map(|c: &Conflict| format!("merge conflict: {c}")),
    );
    out
}

/// One line per leaf field of `v`, keys left out (the record's name says it).
fn flat(out: &mut Vec<String>, name: &str, path: &str, field: &str, v: &Value) {
    if path == "failure_modes.*.sign_off" {
        out.push(format!("{name} sign-off: {}", sign_off_value(v)));
        return;
    }
    match (rules::how(path), v) {
        (How::Set, Value::Array(items)) => {
            for x in items {
                out.push(format!("{name} {} {}", label(field), shown_whole(x)));
            }
        }
        (How::Key, _) => {}
        (How::Fields(_), Value::Object(fields)) => {
            for (k, x) in fields {
                flat(
                    out,
                    name,
                    &rules::child(path, k),
                    &rules::field_child(field, k),
                    x,
                );
            }
        }
        (How::Keyed(key), Value::Array(items)) => {
            for e in items {
                let k = e.get(key).map(rules::key_text).unwrap_or_default();
                flat(
                    out,
                    name,
                    &rules::child(path, "*"),
                    &rules::field_element(field, &k),
                    e,
                );
            }
        }
        // Whole: git compares these lines, and a cut text would hide a
        // change past the cut.
        _ => out.push(format!("{name} {} {}", label(field), shown_whole(v))),
    }
}

/// The entries of `new` that `old` does not have: the log is only appended
/// to, so past the part both share from the start, each of `new`'s entries
/// not matched by one of `old`'s.
pub(super) fn added_entries<'a>(old: &[LogEntry], new: &'a [LogEntry]) -> Vec<&'a LogEntry> {
    let shared = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let rest = &old[shared..];
    let mut matched = vec![false; rest.len()];
    new[shared..]
        .iter()
        .filter(|e| {
            match rest
                .iter()
                .enumerate()
                .position(|(i, o)| !matched[i] && o == *e)
            {
                Some(i) => {
                    matched[i] = true;
                    false
                }
                None => true,
            }
        })
        .collect()
}

/// One entry of the decision log on one line: when, the cycle and stage, what.
pub(super) fn entry_text(e: &LogEntry) -> String {
    format!(
        "{} (cycle {} {}): {}",
        e.at,
        e.cycle,
        e.stage,
        event_text(&e.event)
    )
}

fn about(fm: Option<crate::domain::FailureModeId>) -> String {
    fm.map_or_else(String::new, |id| format!(" on {id}"))
}

fn event_text(event: &Event) -> String {
    match event {
        Event::Treatment { fm, changes } => {
            let changes: Vec<String> = changes
                .iter()
                .map(|c| {
                    format!(
                        "{} {} → {}",
                        c.field.name(),
                        shown_text(&c.from),
                        shown_text(&c.to)
                    )
                })
                .collect();
            format!("{fm} treatment {}", changes.join(", "))
        }
        Event::Stage { from, to } => format!("stage {from} → {to}"),
        Event::CycleClosed { cycle } => format!("cycle {cycle} closed"),
        Event::CycleReopened { cycle } => format!("cycle {cycle} reopened"),
        Event::SignedOff { fm, sign_off } => format!("{fm} {}", signed(sign_off)),
        Event::Revoked { fm, by, role } => format!(
            "{fm} sign-off revoked by {}",
            person(&crate::domain::Participant::new(by.as_str(), role.as_str()))
        ),
        Event::ParticipantRemoved { name, role } => format!(
            "participant {} taken off the list",
            person(&crate::domain::Participant::new(
                name.as_str(),
                role.as_str()
            ))
        ),
        Event::Vote {
            fm,
            votes,
            severity,
            occurrence,
            detection,
            by_hand,
            by,
            ..
        } => {
            let agreed: Vec<String> = [("S", severity), ("O", occurrence), ("D", detection)]
                .into_iter()
                .filter_map(|(letter, value)| value.map(|v| format!("{letter} {v}")))
                .collect();
            let voters: Vec<String> = votes.iter().map(|v| shown_text(&v.voter)).collect();
            format!(
                "{fm} vote: {} agreed ({}, by {}); voters {}",
                agreed.join(" "),
                if *by_hand { "typed" } else { "medians" },
                shown_text(by),
                voters.join(", ")
            )
        }
        Event::Note { fm, text } => format!("note{}: {}", about(*fm), shown_text(text)),
        Event::Question { fm, text } => format!("question{}: {}", about(*fm), shown_text(text)),
        Event::Action {
            fm,
            text,
            owner,
            due,
        } => {
            let due = due.map_or_else(String::new, |d| format!(", due {d}"));
            format!(
                "action{}: {}, owner {}{due}",
                about(*fm),
                shown_text(text),
                shown_text(owner)
            )
        }
        Event::Withdrawn { at, event } => {
            format!("withdrawn (the entry of {at}): {}", event_text(event))
        }
    }
}

/// `"Ana" (risk owner) accepted the residual risk at 2026-…`.
fn signed(x: &SignOff) -> String {
    format!(
        "{} {} at {}",
        person(&crate::domain::Participant::new(
            x.by.as_str(),
            x.role.as_str()
        )),
        x.kind.name(),
        x.at
    )
}

/// A sign-off in its serde form, as people read it (its raw form if it does
/// not read as one).
fn sign_off_value(v: &Value) -> String {
    match serde_json::from_value::<SignOff>(v.clone()) {
        Ok(x) => signed(&x),
        Err(_) => shown(v),
    }
}

/// A failure mode's sign-off given, taken away or replaced.
pub(super) fn sign_off_change(name: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    fn is(v: Option<&Value>) -> Option<&Value> {
        v.filter(|v| !v.is_null())
    }
    match (is(old), is(new)) {
        (None, Some(n)) => format!("{name} signed off: {}", sign_off_value(n)),
        (Some(o), None) => format!("{name} sign-off removed (was: {})", sign_off_value(o)),
        (Some(o), Some(n)) => format!(
            "{name} sign-off {} → {}",
            sign_off_value(o),
            sign_off_value(n)
        ),
        (None, None) => format!("{name} sign-off unchanged"),
    }
}
