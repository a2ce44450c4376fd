//! The three-way merge of a session (SPEC 9.1, `riskroom merge-driver`): two
//! branches of one session file, and the version they both started from,
//! merged by record and field rather than by line.
//!
//! - Records are matched by ID (roadmap steps by number, documents by clause);
//!   changes to different fields of one record both land; the same change on
//!   both sides is no conflict. Derived values (class value and rank, RPN, AP,
//!   flag counts) are not in the file: they are worked out again from the
//!   merged ratings, never merged.
//! - Records both sides added under the same ID are both kept: theirs are
//!   renumbered above both counters first, references and all ([`renumber`]).
//! - An edit against a delete, one field changed to two values, two different
//!   PDCA moves: conflicts, kept in the merged session ([`Conflict`]) with both
//!   values, which still loads; [`resolve`] takes one side of each.
//! - Append-only records (stage history, merge conflicts) are merged as their
//!   union in time order; the decision log, which nothing ever takes an entry
//!   out of, as every entry of either side once, in time order (never a
//!   conflict). Workshop dates and a process's team are sets: both sides'
//!   additions land, a removal on one side goes.
//! - Participants are matched by name, processes by ID like assets (renumbered
//!   when both sides add one under the same ID); a failure mode's sign-off is
//!   one of its fields.
//!
//! Pure: sessions in, a session out. How each field merges is the table in
//! [`rules`]; the top level is taken apart here field by field, so that a field
//! added to `Session` does not compile until it is given its rule.

mod records;
mod renumber;
pub mod resolve;
pub mod rules;
mod tree;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use renumber::Renumbered;

use crate::domain::log::{self, LogEntry};
use crate::domain::pdca::{CycleRecord, FailureModeSnapshot, Pdca, Stage, StageChange};
use crate::domain::programme::Programme;
use crate::domain::session::{FORMAT, NextIds};
use crate::domain::{Conflict, Session, Side};

/// What a merge made.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged session, in canonical order; its `conflicts` hold every
    /// conflict not yet decided, older ones first.
    pub session: Session,
    /// How many of them this merge found.
    pub new_conflicts: usize,
    /// Theirs' records that got new IDs.
    pub renumbered: Vec<Renumbered>,
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.session.conflicts.is_empty()
    }
}

/// Merges `ours` and `theirs`, both changed from `base`.
pub fn merge(base: Session, ours: Session, mut theirs: Session) -> Merged {
    // One side unchanged: the other, as it is (byte for byte once written).
    if ours == base || ours == theirs || theirs == base {
        let mut session = if ours == base { theirs } else { ours };
        session.format = FORMAT;
        session.sort_by_id();
        return Merged {
            session,
            new_conflicts: 0,
            renumbered: Vec::new(),
        };
    }
    let renumbered = renumber::theirs_apart(&base, &ours, &mut theirs);
    let mut found: Vec<Conflict> = Vec::new();
    let c = &mut found;

    let Session {
        format: _,
        title: b_title,
        organisation: b_organisation,
        scope: b_scope,
        facilitator: b_facilitator,
        dates: b_dates,
        participants: b_participants,
        threshold: b_threshold,
        name_voters: b_name_voters,
        pdca: b_pdca,
        assets: b_assets,
        processes: b_processes,
        failure_modes: b_failure_modes,
        log: b_log,
        next_ids: _,
        programme: b_programme,
        conflicts: b_conflicts,
    } = base;
    let Session {
        format: _,
        title: o_title,
        organisation: o_organisation,
        scope: o_scope,
        facilitator: o_facilitator,
        dates: o_dates,
        participants: o_participants,
        threshold: o_threshold,
        name_voters: o_name_voters,
        pdca: o_pdca,
        assets: o_assets,
        processes: o_processes,
        failure_modes: o_failure_modes,
        log: o_log,
        next_ids: o_next_ids,
        programme: o_programme,
        conflicts: o_conflicts,
    } = ours;
    let Session {
        format: _,
        title: t_title,
        organisation: t_organisation,
        scope: t_scope,
        facilitator: t_facilitator,
        dates: t_dates,
        participants: t_participants,
        threshold: t_threshold,
        name_voters: t_name_voters,
        pdca: t_pdca,
        assets: t_assets,
        processes: t_processes,
        failure_modes: t_failure_modes,
        log: t_log,
        next_ids: t_next_ids,
        programme: t_programme,
        conflicts: t_conflicts,
    } = theirs;

    let title = value(c, "title", b_title, o_title, t_title);
    let organisation = value(
        c,
        "organisation",
        b_organisation,
        o_organisation,
        t_organisation,
    );
    let scope = value(c, "scope", b_scope, o_scope, t_scope);
    let facilitator = value(
        c,
        "facilitator",
        b_facilitator,
        o_facilitator,
        t_facilitator,
    );
    let dates = dates(b_dates, o_dates, t_dates);
    let participants = records::merge_in_order(
        c,
        "participants",
        b_participants,
        o_participants,
        t_participants,
    );
    let threshold = fields(c, "threshold", b_threshold, o_threshold, t_threshold);
    let name_voters = value(
        c,
        "name_voters",
        b_name_voters,
        o_name_voters,
        t_name_voters,
    );
    let pdca = pdca(c, b_pdca, o_pdca, t_pdca, &b_failure_modes);

    // Assets deleted on one side and still referred to on the other are put
    // back below; the three registers are small beside the failure modes.
    let asset_sides = [b_assets.clone(), o_assets.clone(), t_assets.clone()];
    let process_sides = [
        b_processes.clone(),
        o_processes.clone(),
        t_processes.clone(),
    ];
    let mut assets = records::merge(c, "assets", b_assets, o_assets, t_assets);
    let mut processes = records::merge(c, "processes", b_processes, o_processes, t_processes);
    let failure_modes = records::merge(
        c,
        "failure_modes",
        b_failure_modes,
        o_failure_modes,
        t_failure_modes,
    );
    // A reference either side of a conflict holds counts too: taking that
    // side later must not leave a failure mode linked to nothing.
    let conflicted = |c: &[Conflict], field: &str| -> Vec<String> {
        c.iter()
            .filter(|x| x.part == "failure_modes" && x.field == field)
            .flat_map(|x| [x.ours.as_deref(), x.theirs.as_deref()])
            .flatten()
            .filter_map(|v| serde_json::from_str::<String>(v).ok())
            .collect()
    };
    let (asset_refs, process_refs) = (conflicted(c, "asset"), conflicted(c, "process"));
    restore_referred(
        c,
        "assets",
        &asset_sides,
        &mut assets,
        failure_modes
            .iter()
            .filter_map(|f| f.asset)
            .chain(asset_refs.iter().filter_map(|id| id.parse().ok())),
    );
    restore_referred(
        c,
        "processes",
        &process_sides,
        &mut processes,
        failure_modes
            .iter()
            .filter_map(|f| f.process)
            .chain(process_refs.iter().filter_map(|id| id.parse().ok())),
    );
    let log = decision_log(b_log, o_log, t_log);

    let programme = {
        let Programme {
            roadmap: b_roadmap,
            documents: b_documents,
        } = b_programme;
        let Programme {
            roadmap: o_roadmap,
            documents: o_documents,
        } = o_programme;
        let Programme {
            roadmap: t_roadmap,
            documents: t_documents,
        } = t_programme;
        Programme {
            roadmap: records::merge(c, "programme.roadmap", b_roadmap, o_roadmap, t_roadmap),
            documents: records::merge(
                c,
                "programme.documents",
                b_documents,
                o_documents,
                t_documents,
            ),
        }
    };

    let next_ids = {
        let NextIds {
            asset: o_asset,
            failure_mode: o_failure_mode,
            process: o_process,
        } = o_next_ids;
        let NextIds {
            asset: t_asset,
            failure_mode: t_failure_mode,
            process: t_process,
        } = t_next_ids;
        let above = |highest: Option<u32>| highest.map_or(1, |h| h.saturating_add(1));
        NextIds {
            asset: o_asset
                .max(t_asset)
                .max(above(assets.last().map(|a| a.id.0))),
            failure_mode: o_failure_mode
                .max(t_failure_mode)
                .max(above(failure_modes.last().map(|f| f.id.0))),
            process: o_process
                .max(t_process)
                .max(above(processes.last().map(|p| p.id.0))),
        }
    };

    let mut conflicts = tree::union(&b_conflicts, &o_conflicts, &t_conflicts);
    let new_conflicts = found.len();
    for conflict in found {
        if !conflicts.contains(&conflict) {
            conflicts.push(conflict);
        }
    }

    let session = Session {
        format: FORMAT,
        title,
        organisation,
        scope,
        facilitator,
        dates,
        participants,
        threshold,
        name_voters,
        pdca,
        assets,
        processes,
        failure_modes,
        log,
        next_ids,
        programme,
        conflicts,
    };
    Merged {
        session,
        new_conflicts,
        renumbered,
    }
}

fn json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// One value merged whole (the rule [`rules::How::Value`]).
fn value<T: Serialize + PartialEq>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    base: T,
    ours: T,
    theirs: T,
) -> T {
    if ours == theirs || base == theirs {
        ours
    } else if base == ours {
        theirs
    } else {
        let mut at = tree::At {
            part,
            record: "",
            conflicts,
        };
        let (b, o, t) = (json(&base), json(&ours), json(&theirs));
        at.conflict("", [b.as_ref(), o.as_ref(), t.as_ref()], Side::Ours);
        ours
    }
}

/// A group of fields merged field by field ([`rules::How::Fields`]).
fn fields<T: Serialize + DeserializeOwned + PartialEq>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    base: T,
    ours: T,
    theirs: T,
) -> T {
    if ours == theirs || base == theirs {
        return ours;
    }
    if base == ours {
        return theirs;
    }
    let (b, o, t) = (json(&base), json(&ours), json(&theirs));
    let mut found = Vec::new();
    let mut at = tree::At {
        part,
        record: "",
        conflicts: &mut found,
    };
    let merged = tree::merge(&mut at, part, "", b.as_ref(), o.as_ref(), t.as_ref());
    match merged.map(serde_json::from_value::<T>) {
        Some(Ok(merged)) => {
            conflicts.append(&mut found);
            merged
        }
        _ => value(conflicts, part, base, ours, theirs),
    }
}

/// Where a PDCA circle stands, in the order the stages come.
fn position(p: &Pdca) -> (u32, usize) {
    let stage = Stage::ALL.iter().position(|s| *s == p.stage).unwrap_or(0);
    (p.cycle, stage)
}

/// The PDCA state: cycle and stage as one value; the history and the closed
/// cycles' records merged as records of what happened.
///
/// Two different moves are a conflict, and the file holds the one further
/// along: then every stage change and cycle record from both sides belongs to
/// a cycle the session has reached, and the merged file loads. Taking the
/// other side goes back to its stage (see [`resolve`]).
fn pdca(
    conflicts: &mut Vec<Conflict>,
    base: Pdca,
    ours: Pdca,
    theirs: Pdca,
    base_failure_modes: &[crate::domain::FailureMode],
) -> Pdca {
    let Pdca {
        cycle: b_cycle,
        stage: b_stage,
        history: b_history,
        closed_cycles: b_closed,
    } = base;
    let Pdca {
        cycle: o_cycle,
        stage: o_stage,
        history: o_history,
        closed_cycles: o_closed,
    } = ours;
    let Pdca {
        cycle: t_cycle,
        stage: t_stage,
        history: t_history,
        closed_cycles: t_closed,
    } = theirs;
    let at = |cycle, stage| Pdca {
        cycle,
        stage,
        history: Vec::new(),
        closed_cycles: Vec::new(),
    };
    let (b, o, t) = (
        at(b_cycle, b_stage),
        at(o_cycle, o_stage),
        at(t_cycle, t_stage),
    );
    let (cycle, stage) = if o == t || b == t {
        (o.cycle, o.stage)
    } else if b == o {
        (t.cycle, t.stage)
    } else {
        let held = if position(&t) > position(&o) {
            Side::Theirs
        } else {
            Side::Ours
        };
        let mut at = tree::At {
            part: "pdca",
            record: "",
            conflicts,
        };
        let (bj, oj, tj) = (
            json(&Moved::of(&b)),
            json(&Moved::of(&o)),
            json(&Moved::of(&t)),
        );
        at.conflict("", [bj.as_ref(), oj.as_ref(), tj.as_ref()], held);
        match held {
            Side::Ours => (o.cycle, o.stage),
            Side::Theirs => (t.cycle, t.stage),
        }
    };
    let history = if o_history == b_history {
        t_history
    } else if t_history == b_history || t_history == o_history {
        o_history
    } else {
        let mut history = tree::union(&b_history, &o_history, &t_history);
        history.sort_by_key(history_order);
        history
    };
    let b_closed = both_closed(b_closed, &o_closed, &t_closed, base_failure_modes);
    let closed_cycles = records::merge(
        conflicts,
        "pdca.closed_cycles",
        b_closed,
        o_closed,
        t_closed,
    );
    Pdca {
        cycle,
        stage,
        history,
        closed_cycles,
    }
}

/// The base's records with one added for each cycle both sides closed that
/// the base had not: what each room recorded is the base's failure modes as
/// they were, changed by that room, so they are merged against those (a rating
/// only one room changed is that room's, not a conflict), and the later of the
/// two closes is the close (both rooms had closed it by then; when it closed
/// is not worth a question to the room).
fn both_closed(
    mut base: Vec<CycleRecord>,
    ours: &[CycleRecord],
    theirs: &[CycleRecord],
    base_failure_modes: &[crate::domain::FailureMode],
) -> Vec<CycleRecord> {
    for o in ours {
        let Some(t) = theirs.iter().find(|t| t.cycle == o.cycle) else {
            continue;
        };
        if o == t || base.iter().any(|b| b.cycle == o.cycle) {
            continue;
        }
        base.push(CycleRecord {
            cycle: o.cycle,
            closed: o.closed.min(t.closed),
            failure_modes: base_failure_modes
                .iter()
                .map(FailureModeSnapshot::of)
                .collect(),
        });
    }
    base.sort_by_key(|r| r.cycle);
    base
}

/// Stage changes in time order; the same moment in cycle and stage order, so
/// that the result does not depend on which side was ours.
fn history_order(c: &StageChange) -> (Timestamp, u32, usize) {
    let stage = Stage::ALL.iter().position(|s| *s == c.stage).unwrap_or(0);
    (c.at, c.cycle, stage)
}

/// The PDCA position as a conflict keeps it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub(crate) struct Moved {
    pub cycle: u32,
    pub stage: Stage,
}

impl Moved {
    fn of(p: &Pdca) -> Self {
        Moved {
            cycle: p.cycle,
            stage: p.stage,
        }
    }
}

/// Puts back a record (an asset, a process) that one side deleted while the
/// other still refers to it (linked a failure mode to it, or added one linked
/// to it): the delete is then a conflict, as any edit against a delete.
/// `references` are the merged failure modes' references to such records.
fn restore_referred<R: records::Record<Key: Copy>>(
    conflicts: &mut Vec<Conflict>,
    part: &str,
    [base, ours, theirs]: &[Vec<R>; 3],
    merged: &mut Vec<R>,
    references: impl Iterator<Item = R::Key>,
) {
    let find = |list: &[R], id: R::Key| {
        list.binary_search_by_key(&id, R::key)
            .ok()
            .map(|i| list[i].clone())
    };
    let mut missing: Vec<R::Key> = references
        .filter(|id| merged.binary_search_by_key(id, R::key).is_err())
        .collect();
    missing.sort();
    missing.dedup();
    for id in missing {
        let (b, o, t) = (find(base, id), find(ours, id), find(theirs, id));
        let (kept, held) = match (&o, &t) {
            (Some(o), _) => (o.clone(), Side::Ours),
            (None, Some(t)) => (t.clone(), Side::Theirs),
            (None, None) => match &b {
                Some(b) => (b.clone(), Side::Ours),
                None => continue,
            },
        };
        let record = R::name(&id);
        let mut at = tree::At {
            part,
            record: &record,
            conflicts,
        };
        let (bj, oj, tj) = (
            b.as_ref().and_then(json),
            o.as_ref().and_then(json),
            t.as_ref().and_then(json),
        );
        at.conflict("", [bj.as_ref(), oj.as_ref(), tj.as_ref()], held);
        let at = merged.partition_point(|r| r.key() < id);
        merged.insert(at, kept);
    }
}

/// The workshop dates as a set ([`rules::How::Set`]): each side's new days,
/// less the days either side took off, in date order. One side unchanged: the
/// other's list as it is.
fn dates(base: Vec<Date>, ours: Vec<Date>, theirs: Vec<Date>) -> Vec<Date> {
    if ours == base || ours == theirs {
        return theirs;
    }
    if theirs == base {
        return ours;
    }
    let mut dates = tree::union(&base, &ours, &theirs);
    dates.sort();
    dates
}

/// The decision log ([`rules::How::Log`]): append-only, so never a conflict.
/// Both sides' entries, an entry both have once (an entry one side recorded
/// twice stays twice), in time order. The part both share from the start is
/// kept as it is, so only the entries added since are compared.
fn decision_log(base: Vec<LogEntry>, ours: Vec<LogEntry>, theirs: Vec<LogEntry>) -> Vec<LogEntry> {
    if ours == base || ours == theirs {
        return theirs;
    }
    if theirs == base {
        return ours;
    }
    let shared = ours.iter().zip(&theirs).take_while(|(o, t)| o == t).count();
    let mut merged = ours[..shared].to_vec();
    merged.extend(log::union(&ours[shared..], &theirs[shared..]));
    // Stable: the same second keeps the shared part first, then ours', then
    // theirs' (as `log::union` puts them).
    merged.sort_by_key(|e| e.at);
    merged
}

#[cfg(test)]
mod tests;
