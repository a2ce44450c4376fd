//! Records both sides added under the same ID (each facilitator's next failure
//! mode was FM-041): theirs get new IDs above both sides' counters before the
//! merge, and every reference to them in theirs follows.
//!
//! Each struct that can hold an ID is taken apart here field by field, with no
//! `..`: a field added to one of them does not compile here until someone has
//! said whether it refers to a record.

use std::collections::BTreeMap;
use std::fmt;

use crate::domain::log::{Event, LogEntry};
use crate::domain::pdca::{CycleRecord, FailureModeSnapshot, Pdca};
use crate::domain::session::NextIds;
use crate::domain::{
    Asset, AssetId, Conflict, FailureMode, FailureModeId, Process, ProcessId, Session,
};

/// One record of theirs that got a new ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbered {
    /// `A-021` → `A-024`, as text.
    pub from: String,
    pub to: String,
}

impl fmt::Display for Renumbered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "theirs' {} is {} now", self.from, self.to)
    }
}

/// New numbers for theirs' IDs, old → new.
#[derive(Debug, Default)]
pub(crate) struct IdMap {
    pub assets: BTreeMap<u32, u32>,
    pub processes: BTreeMap<u32, u32>,
    pub failure_modes: BTreeMap<u32, u32>,
}

impl IdMap {
    fn is_empty(&self) -> bool {
        self.assets.is_empty() && self.processes.is_empty() && self.failure_modes.is_empty()
    }

    fn process(&self, id: &mut ProcessId) {
        if let Some(new) = self.processes.get(&id.0) {
            id.0 = *new;
        }
    }

    fn asset(&self, id: &mut AssetId) {
        if let Some(new) = self.assets.get(&id.0) {
            id.0 = *new;
        }
    }

    fn failure_mode(&self, id: &mut FailureModeId) {
        if let Some(new) = self.failure_modes.get(&id.0) {
            id.0 = *new;
        }
    }

    /// A record named in text (a conflict's record), if it is one renumbered.
    fn name(&self, name: &mut String) {
        if let Ok(id) = name.parse::<AssetId>()
            && let Some(new) = self.assets.get(&id.0)
        {
            *name = AssetId(*new).to_string();
        } else if let Ok(id) = name.parse::<FailureModeId>()
            && let Some(new) = self.failure_modes.get(&id.0)
        {
            *name = FailureModeId(*new).to_string();
        } else if let Ok(id) = name.parse::<ProcessId>()
            && let Some(new) = self.processes.get(&id.0)
        {
            *name = ProcessId(*new).to_string();
        }
    }
}

/// The first number a side has not handed out: its counter, and above its
/// highest record (a hand-written file may have no counter).
fn first_free(counter: u32, highest: Option<u32>) -> u32 {
    counter
        .max(highest.map_or(1, |h| h.saturating_add(1)))
        .max(1)
}

/// Which of theirs' new IDs collide with ours: a number both sides handed out
/// (or that ours holds) for records that are not the same. `start` is where the
/// new numbers begin; they are given in the order of the old ones.
fn collisions(
    base_has: impl Fn(u32) -> bool,
    base_next: u32,
    ours_record: impl Fn(u32) -> Collide,
    ours_next: u32,
    theirs_ids: impl Iterator<Item = u32>,
    start: u32,
) -> BTreeMap<u32, u32> {
    let mut map = BTreeMap::new();
    let mut next = start;
    for id in theirs_ids {
        if base_has(id) {
            continue;
        }
        let collide = match ours_record(id) {
            Collide::Same => false,
            Collide::Different => true,
            Collide::Missing => (base_next..ours_next).contains(&id),
        };
        if collide {
            map.insert(id, next);
            next = next.saturating_add(1);
        }
    }
    map
}

enum Collide {
    Same,
    Different,
    Missing,
}

/// Gives theirs' records that collide with ours new IDs and fixes every
/// reference to them in theirs. What was renumbered, in ID order.
pub(crate) fn theirs_apart(
    base: &Session,
    ours: &Session,
    theirs: &mut Session,
) -> Vec<Renumbered> {
    let map = id_map(base, ours, theirs);
    if map.is_empty() {
        return Vec::new();
    }
    let base_cycles: Vec<u32> = base.pdca.closed_cycles.iter().map(|r| r.cycle).collect();
    // The log entries theirs shares with the base from the start are the
    // base's: they name the base's records, which keep their IDs.
    let base_log = base
        .log
        .iter()
        .zip(&theirs.log)
        .take_while(|(b, t)| b == t)
        .count();
    apply(&map, &base_cycles, base_log, theirs);
    let mut report: Vec<Renumbered> = map
        .assets
        .iter()
        .map(|(from, to)| Renumbered {
            from: AssetId(*from).to_string(),
            to: AssetId(*to).to_string(),
        })
        .collect();
    report.extend(map.processes.iter().map(|(from, to)| Renumbered {
        from: ProcessId(*from).to_string(),
        to: ProcessId(*to).to_string(),
    }));
    report.extend(map.failure_modes.iter().map(|(from, to)| Renumbered {
        from: FailureModeId(*from).to_string(),
        to: FailureModeId(*to).to_string(),
    }));
    report
}

pub(crate) fn id_map(base: &Session, ours: &Session, theirs: &Session) -> IdMap {
    let highest_asset = |s: &Session| s.assets.iter().map(|a| a.id.0).max();
    let highest_fm = |s: &Session| s.failure_modes.iter().map(|f| f.id.0).max();
    let highest_process = |s: &Session| s.processes.iter().map(|p| p.id.0).max();
    let compare = |same: bool| {
        if same {
            Collide::Same
        } else {
            Collide::Different
        }
    };
    let assets = collisions(
        |id| base.asset(AssetId(id)).is_some(),
        first_free(base.next_ids.asset, highest_asset(base)),
        |id| match ours.asset(AssetId(id)) {
            Some(a) => compare(theirs.asset(AssetId(id)) == Some(a)),
            None => Collide::Missing,
        },
        first_free(ours.next_ids.asset, highest_asset(ours)),
        theirs.assets.iter().map(|a| a.id.0),
        first_free(ours.next_ids.asset, highest_asset(ours))
            .max(first_free(theirs.next_ids.asset, highest_asset(theirs))),
    );
    let failure_modes = collisions(
        |id| base.failure_mode(FailureModeId(id)).is_some(),
        first_free(base.next_ids.failure_mode, highest_fm(base)),
        |id| match ours.failure_mode(FailureModeId(id)) {
            Some(f) => compare(theirs.failure_mode(FailureModeId(id)) == Some(f)),
            None => Collide::Missing,
        },
        first_free(ours.next_ids.failure_mode, highest_fm(ours)),
        theirs.failure_modes.iter().map(|f| f.id.0),
        first_free(ours.next_ids.failure_mode, highest_fm(ours))
            .max(first_free(theirs.next_ids.failure_mode, highest_fm(theirs))),
    );
    let processes = collisions(
        |id| base.process(ProcessId(id)).is_some(),
        first_free(base.next_ids.process, highest_process(base)),
        |id| match ours.process(ProcessId(id)) {
            Some(p) => compare(theirs.process(ProcessId(id)) == Some(p)),
            None => Collide::Missing,
        },
        first_free(ours.next_ids.process, highest_process(ours)),
        theirs.processes.iter().map(|p| p.id.0),
        first_free(ours.next_ids.process, highest_process(ours))
            .max(first_free(theirs.next_ids.process, highest_process(theirs))),
    );
    IdMap {
        assets,
        processes,
        failure_modes,
    }
}

/// Renumbers `map`'s records in `s` and every reference to them. Closed-cycle
/// records that the base has too are the base's, not theirs: left alone; so
/// are the first `base_log` entries of the log, which the base has too.
pub(crate) fn apply(map: &IdMap, base_cycles: &[u32], base_log: usize, s: &mut Session) {
    let Session {
        format: _,
        title: _,
        organisation: _,
        scope: _,
        facilitator: _,
        // Participants are keyed by name; the log's `present` and a sign-off's
        // `by` name them, and no name is changed by a merge.
        dates: _,
        participants: _,
        threshold: _,
        name_voters: _,
        pdca,
        assets,
        processes,
        failure_modes,
        log,
        next_ids,
        programme: _,
        conflicts,
    } = s;
    for p in processes.iter_mut() {
        let Process {
            id,
            name: _,
            team: _,
            purpose: _,
            owner: _,
        } = p;
        map.process(id);
    }
    processes.sort_by_key(|p| p.id);
    for a in assets.iter_mut() {
        let Asset {
            id,
            name: _,
            category: _,
            owner: _,
            location: _,
            description: _,
            confidentiality: _,
            integrity: _,
            availability: _,
        } = a;
        map.asset(id);
    }
    assets.sort_by_key(|a| a.id);
    for f in failure_modes.iter_mut() {
        let FailureMode {
            id,
            asset,
            process,
            mode: _,
            effect: _,
            cause: _,
            controls: _,
            severity: _,
            occurrence: _,
            detection: _,
            treatment: _,
            annex_a: _,
            // Names a participant and holds ratings, no record.
            sign_off: _,
        } = f;
        map.failure_mode(id);
        if let Some(asset) = asset {
            map.asset(asset);
        }
        if let Some(process) = process {
            map.process(process);
        }
    }
    failure_modes.sort_by_key(|f| f.id);
    let Pdca {
        cycle: _,
        stage: _,
        history: _,
        closed_cycles,
    } = pdca;
    for record in closed_cycles.iter_mut() {
        let CycleRecord {
            cycle,
            closed: _,
            failure_modes,
        } = record;
        if base_cycles.contains(cycle) {
            continue;
        }
        for snap in failure_modes.iter_mut() {
            let FailureModeSnapshot {
                id,
                severity: _,
                occurrence: _,
                detection: _,
                treatment: _,
                annex_a: _,
                sign_off: _,
            } = snap;
            map.failure_mode(id);
        }
        failure_modes.sort_by_key(|f| f.id);
    }
    for c in conflicts.iter_mut() {
        let Conflict {
            part: _,
            record,
            field: _,
            base: _,
            ours: _,
            theirs: _,
            held: _,
        } = c;
        map.name(record);
    }
    for entry in log.iter_mut().skip(base_log) {
        let LogEntry {
            at: _,
            cycle: _,
            stage: _,
            present: _,
            via: _,
            event,
        } = entry;
        renumber_event(map, event);
    }
    let NextIds {
        asset,
        failure_mode,
        process,
    } = next_ids;
    if let Some(top) = map.processes.values().max() {
        *process = (*process).max(top.saturating_add(1));
    }
    if let Some(top) = map.assets.values().max() {
        *asset = (*asset).max(top.saturating_add(1));
    }
    if let Some(top) = map.failure_modes.values().max() {
        *failure_mode = (*failure_mode).max(top.saturating_add(1));
    }
}

/// The failure mode a log entry names, renumbered. Every event is spelt out,
/// so that one added later that names a record does not compile here until
/// it is followed.
fn renumber_event(map: &IdMap, event: &mut Event) {
    match event {
        Event::Treatment { fm, changes: _ }
        | Event::SignedOff { fm, sign_off: _ }
        | Event::Revoked { fm, by: _, role: _ }
        | Event::Vote {
            fm,
            opened: _,
            votes: _,
            severity: _,
            occurrence: _,
            detection: _,
            by_hand: _,
            by: _,
        } => map.failure_mode(fm),
        Event::Note { fm, text: _ }
        | Event::Question { fm, text: _ }
        | Event::Action {
            fm,
            text: _,
            owner: _,
            due: _,
        } => {
            if let Some(fm) = fm {
                map.failure_mode(fm);
            }
        }
        Event::Withdrawn { at: _, event } => renumber_event(map, event),
        Event::Stage { from: _, to: _ }
        | Event::CycleClosed { cycle: _ }
        | Event::CycleReopened { cycle: _ }
        | Event::ParticipantRemoved { name: _, role: _ } => {}
    }
}
