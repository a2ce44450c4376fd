//! Semantic checks of a session: every problem, each with the record it is in.

use std::collections::HashSet;
use std::fmt;

use super::annex_a::{ControlLink, catalogue, normalise_id};
use super::ids::{AssetId, FailureModeId, MAX_ID_NUMBER, ProcessId};
use super::pdca::MAX_CYCLE;
use super::rating::RatingKind;
use super::session::{FORMAT, Session};
use super::sign_off::SignOff;

/// One problem found in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The record ID (`A-001`, `FM-012`), or the part of the session (`pdca`).
    pub record: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.record, self.message)
    }
}

fn check_rating(
    problems: &mut Vec<Problem>,
    record: &str,
    kind: RatingKind,
    value: u8,
    what: &str,
) {
    if kind.check(value).is_err() {
        problems.push(Problem {
            record: record.to_string(),
            message: format!(
                "{what}{} {value} is outside its scale 1-{}",
                kind.name(),
                kind.max()
            ),
        });
    }
}

/// A value from the file as a message quotes it: in quotes, escaped, and at
/// most a few dozen characters (a 1 MB value is not echoed in full).
pub(crate) fn short(text: &str) -> String {
    const SHOWN: usize = 40;
    let count = text.chars().count();
    if count <= SHOWN {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head:?}…({count} characters)")
}

/// Unknown or twice-linked Annex A controls of one record.
fn check_links(problems: &mut Vec<Problem>, record: &str, links: &[ControlLink]) {
    let mut seen = HashSet::new();
    for link in links {
        if catalogue().get(&link.id).is_none() {
            let hint = match normalise_id(&link.id) {
                Some(id) if catalogue().get(&id).is_some() => format!(" (write it as {id})"),
                _ => " (ISO 27001:2022 IDs look like A.8.5, 2013 IDs like A.9.4.2)".to_string(),
            };
            problems.push(Problem {
                record: record.to_string(),
                message: format!("Annex A control {} is not known{hint}", short(&link.id)),
            });
        } else if !seen.insert(link.id.as_str()) {
            problems.push(Problem {
                record: record.to_string(),
                message: format!("Annex A control {} is linked twice", link.id),
            });
        }
    }
}

/// Ratings outside their scales in the state a sign-off applied to.
fn check_sign_off(problems: &mut Vec<Problem>, record: &str, sign_off: &SignOff) {
    let s = &sign_off.state;
    for (kind, value, what) in [
        (RatingKind::Severity, Some(s.severity), "signed-off "),
        (RatingKind::Occurrence, Some(s.occurrence), "signed-off "),
        (RatingKind::Detection, Some(s.detection), "signed-off "),
        (
            RatingKind::Severity,
            s.revised_severity,
            "signed-off revised ",
        ),
        (
            RatingKind::Occurrence,
            s.revised_occurrence,
            "signed-off revised ",
        ),
        (
            RatingKind::Detection,
            s.revised_detection,
            "signed-off revised ",
        ),
    ] {
        if let Some(value) = value
            && kind.check(value).is_err()
        {
            check_rating(problems, record, kind, value, what);
        }
    }
}

/// All problems of a session, in file order; empty when the session is valid.
pub fn validate(session: &Session) -> Vec<Problem> {
    let mut problems = Vec::new();
    let push = |problems: &mut Vec<Problem>, record: &str, message: String| {
        problems.push(Problem {
            record: record.to_string(),
            message,
        });
    };

    if session.format != FORMAT {
        push(
            &mut problems,
            "session",
            format!(
                "format {} is not known (this program reads format {FORMAT})",
                session.format
            ),
        );
    }
    if session.pdca.cycle == 0 {
        push(&mut problems, "pdca", "cycle must be 1 or more".to_string());
    }
    // Counters beyond their bounds would wrap, or hand out what a later load
    // refuses: refused here, with the bound.
    if session.pdca.cycle > MAX_CYCLE {
        push(
            &mut problems,
            "pdca",
            format!(
                "cycle {} is beyond {MAX_CYCLE}, the highest cycle riskroom counts",
                session.pdca.cycle
            ),
        );
    }
    for (what, next, example) in [
        (
            "asset",
            session.next_ids.asset,
            AssetId(MAX_ID_NUMBER).to_string(),
        ),
        (
            "failure_mode",
            session.next_ids.failure_mode,
            FailureModeId(MAX_ID_NUMBER).to_string(),
        ),
        (
            "process",
            session.next_ids.process,
            ProcessId(MAX_ID_NUMBER).to_string(),
        ),
    ] {
        // The counter may stand just past the last ID: every one handed out.
        if next > MAX_ID_NUMBER.saturating_add(1) {
            push(
                &mut problems,
                "next_ids",
                format!("{what} {next} is beyond the highest ID riskroom gives out ({example})"),
            );
        }
    }
    if session.threshold.rpn > 1000 {
        push(
            &mut problems,
            "threshold",
            format!(
                "rpn {} is above 1000, the highest RPN there is (0 leaves RPN out)",
                session.threshold.rpn
            ),
        );
    }
    for change in &session.pdca.history {
        if change.cycle > session.pdca.cycle {
            push(
                &mut problems,
                "pdca",
                format!(
                    "history names cycle {} but the session is in cycle {}",
                    change.cycle, session.pdca.cycle
                ),
            );
        }
    }

    // A loaded session is in ID order: then a duplicate sits next to its twin and
    // an asset is found by binary search, with no set of 100,000 IDs to build.
    // Record names are only formatted for a problem. Same findings either way.
    let sorted = session.assets.is_sorted_by_key(|a| a.id)
        && session.failure_modes.is_sorted_by_key(|f| f.id);
    let mut asset_ids = HashSet::new();
    for (i, asset) in session.assets.iter().enumerate() {
        let duplicate = if sorted {
            i > 0 && session.assets[i - 1].id == asset.id
        } else {
            !asset_ids.insert(asset.id)
        };
        if duplicate {
            push(
                &mut problems,
                &asset.id.to_string(),
                "duplicate ID: another asset has it too".to_string(),
            );
        }
        if asset.id.0 > MAX_ID_NUMBER {
            push(
                &mut problems,
                &asset.id.to_string(),
                format!(
                    "ID beyond {}, the highest riskroom gives out",
                    AssetId(MAX_ID_NUMBER)
                ),
            );
        }
        if asset.name.trim().is_empty() {
            push(
                &mut problems,
                &asset.id.to_string(),
                "name is empty".to_string(),
            );
        }
        for kind in RatingKind::ASSET {
            if let Some(value) = asset.rating(kind)
                && kind.check(value).is_err()
            {
                check_rating(&mut problems, &asset.id.to_string(), kind, value, "");
            }
        }
    }
    let asset_exists = |id| {
        if sorted {
            session.asset_index(id).is_some()
        } else {
            asset_ids.contains(&id)
        }
    };

    let processes_sorted = session.processes.is_sorted_by_key(|p| p.id);
    let mut process_ids = HashSet::new();
    for (i, process) in session.processes.iter().enumerate() {
        let duplicate = if processes_sorted {
            i > 0 && session.processes[i - 1].id == process.id
        } else {
            !process_ids.insert(process.id)
        };
        let record = process.id.to_string();
        if duplicate {
            push(
                &mut problems,
                &record,
                "duplicate ID: another process has it too".to_string(),
            );
        }
        if process.id.0 > MAX_ID_NUMBER {
            push(
                &mut problems,
                &record,
                format!(
                    "ID beyond {}, the highest riskroom gives out",
                    ProcessId(MAX_ID_NUMBER)
                ),
            );
        }
        if process.name.trim().is_empty() {
            push(&mut problems, &record, "name is empty".to_string());
        }
    }
    let process_exists = |id| {
        if processes_sorted {
            session.process_index(id).is_some()
        } else {
            process_ids.contains(&id)
        }
    };

    let mut fm_ids = HashSet::new();
    for (i, fm) in session.failure_modes.iter().enumerate() {
        let duplicate = if sorted {
            i > 0 && session.failure_modes[i - 1].id == fm.id
        } else {
            !fm_ids.insert(fm.id)
        };
        if duplicate {
            push(
                &mut problems,
                &fm.id.to_string(),
                "duplicate ID: another failure mode has it too".to_string(),
            );
        }
        if fm.id.0 > MAX_ID_NUMBER {
            push(
                &mut problems,
                &fm.id.to_string(),
                format!(
                    "ID beyond {}, the highest riskroom gives out",
                    FailureModeId(MAX_ID_NUMBER)
                ),
            );
        }
        if fm.mode.trim().is_empty() {
            push(
                &mut problems,
                &fm.id.to_string(),
                "failure mode text is empty".to_string(),
            );
        }
        if let Some(asset) = fm.asset
            && !asset_exists(asset)
        {
            push(
                &mut problems,
                &fm.id.to_string(),
                format!("asset {asset} does not exist"),
            );
        }
        if let Some(process) = fm.process
            && !process_exists(process)
        {
            push(
                &mut problems,
                &fm.id.to_string(),
                format!("process {process} does not exist"),
            );
        }
        for kind in RatingKind::FAILURE_MODE {
            if let Some(value) = fm.rating(kind)
                && kind.check(value).is_err()
            {
                check_rating(&mut problems, &fm.id.to_string(), kind, value, "");
            }
        }
        let t = &fm.treatment;
        for (kind, value) in [
            (RatingKind::Severity, t.revised_severity),
            (RatingKind::Occurrence, t.revised_occurrence),
            (RatingKind::Detection, t.revised_detection),
        ] {
            if let Some(value) = value
                && kind.check(value).is_err()
            {
                check_rating(&mut problems, &fm.id.to_string(), kind, value, "revised ");
            }
        }
        if !fm.annex_a.is_empty() {
            check_links(&mut problems, &fm.id.to_string(), &fm.annex_a);
        }
        if let Some(sign_off) = &fm.sign_off {
            check_sign_off(&mut problems, &fm.id.to_string(), sign_off);
        }
    }

    for record in &session.pdca.closed_cycles {
        for snap in &record.failure_modes {
            let name = || format!("{} (cycle {} record)", snap.id, record.cycle);
            for (kind, value) in [
                (RatingKind::Severity, snap.severity),
                (RatingKind::Occurrence, snap.occurrence),
                (RatingKind::Detection, snap.detection),
            ] {
                if kind.check(value).is_err() {
                    check_rating(&mut problems, &name(), kind, value, "");
                }
            }
            if !snap.annex_a.is_empty() {
                check_links(&mut problems, &name(), &snap.annex_a);
            }
        }
    }
    for (record, message) in session.programme.problems() {
        push(&mut problems, &record, message);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Asset, AssetId, Category, FailureMode, FailureModeId};
    use jiff::Timestamp;

    fn valid() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.assets
            .push(Asset::new(AssetId(1), "Server", Category::Hardware));
        let mut fm = FailureMode::new(FailureModeId(1), "Disk fails");
        fm.asset = Some(AssetId(1));
        s.failure_modes.push(fm);
        s
    }

    fn messages(s: &Session) -> Vec<String> {
        validate(s).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn counters_cycles_and_ids_beyond_their_bounds_are_refused() {
        let mut s = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        s.next_ids.asset = MAX_ID_NUMBER + 1;
        s.next_ids.failure_mode = MAX_ID_NUMBER + 1;
        s.pdca.cycle = MAX_CYCLE;
        assert!(validate(&s).is_empty(), "the bounds themselves are fine");
        s.next_ids.failure_mode = u32::MAX;
        s.pdca.cycle = u32::MAX;
        s.assets.push(crate::domain::Asset::new(
            AssetId(MAX_ID_NUMBER + 1),
            "x",
            crate::domain::Category::Site,
        ));
        let problems: Vec<String> = validate(&s).iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "pdca: cycle 4294967295 is beyond 9999, the highest cycle riskroom counts",
                "next_ids: failure_mode 4294967295 is beyond the highest ID riskroom gives out \
                 (FM-999999999)",
                "A-1000000000: ID beyond A-999999999, the highest riskroom gives out",
            ]
        );
    }

    #[test]
    fn a_valid_session_has_no_problems() {
        assert!(validate(&valid()).is_empty());
    }

    #[test]
    fn out_of_range_ratings_name_the_record_and_the_rating() {
        let mut s = valid();
        s.assets[0].confidentiality = 5;
        s.assets[0].availability = 0;
        s.failure_modes[0].severity = 11;
        s.failure_modes[0].treatment.revised_detection = Some(0);
        assert_eq!(
            messages(&s),
            [
                "A-001: confidentiality 5 is outside its scale 1-4",
                "A-001: availability 0 is outside its scale 1-3",
                "FM-001: severity 11 is outside its scale 1-10",
                "FM-001: revised detection 0 is outside its scale 1-10",
            ]
        );
    }

    #[test]
    fn duplicate_ids_and_unknown_assets_are_reported_each() {
        let mut s = valid();
        s.assets
            .push(Asset::new(AssetId(1), "Copy", Category::Hardware));
        let mut fm = FailureMode::new(FailureModeId(1), "again");
        fm.asset = Some(AssetId(9));
        s.failure_modes.push(fm);
        assert_eq!(
            messages(&s),
            [
                "A-001: duplicate ID: another asset has it too",
                "FM-001: duplicate ID: another failure mode has it too",
                "FM-001: asset A-009 does not exist",
            ]
        );
    }

    #[test]
    fn empty_texts_and_bad_pdca_are_reported() {
        let mut s = valid();
        s.assets[0].name = "  ".into();
        s.failure_modes[0].mode = String::new();
        s.pdca.cycle = 0;
        let m = messages(&s);
        assert!(
            m.contains(&"pdca: cycle must be 1 or more".to_string()),
            "{m:?}"
        );
        assert!(m.contains(&"A-001: name is empty".to_string()));
        assert!(m.contains(&"FM-001: failure mode text is empty".to_string()));
    }

    #[test]
    fn unknown_or_doubled_annex_a_controls_and_a_threshold_past_1000_are_reported() {
        use crate::domain::{ControlLink, ControlState};
        let mut s = valid();
        let link = |id: &str| ControlLink {
            id: id.into(),
            state: ControlState::Planned,
        };
        s.failure_modes[0].annex_a = vec![
            link("A.8.5"),
            link("A.9.4.2"),
            link("8.5"),
            link("A.8.99"),
            link("A.8.5"),
        ];
        s.threshold.rpn = 1200;
        assert_eq!(
            messages(&s),
            [
                "threshold: rpn 1200 is above 1000, the highest RPN there is (0 leaves RPN out)",
                "FM-001: Annex A control \"8.5\" is not known (write it as A.8.5)",
                "FM-001: Annex A control \"A.8.99\" is not known \
                 (ISO 27001:2022 IDs look like A.8.5, 2013 IDs like A.9.4.2)",
                "FM-001: Annex A control A.8.5 is linked twice",
            ]
        );
    }

    #[test]
    fn processes_twice_nameless_or_unknown_are_reported_each() {
        use crate::domain::{Process, ProcessId};
        let mut s = valid();
        s.processes = vec![
            Process::new(ProcessId(1), "Backup"),
            Process::new(ProcessId(1), "Copy"),
            Process::new(ProcessId(2), " "),
        ];
        s.failure_modes[0].process = Some(ProcessId(7));
        assert_eq!(
            messages(&s),
            [
                "PR-001: duplicate ID: another process has it too",
                "PR-002: name is empty",
                "FM-001: process PR-007 does not exist",
            ]
        );
        s.processes.swap(0, 2);
        assert_eq!(messages(&s).len(), 3, "found out of ID order too");
    }

    #[test]
    fn a_sign_off_with_ratings_off_the_scale_is_reported() {
        use crate::domain::{Participant, SignOffKind};
        let mut s = valid();
        s.participants.push(Participant::new("Ana", "risk owner"));
        s.failure_modes[0].treatment.decision = crate::domain::Decision::Accept;
        let change = s
            .sign_off_change(
                FailureModeId(1),
                "Ana",
                SignOffKind::AcceptResidual,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
        s.apply(change);
        assert!(validate(&s).is_empty());
        let state = &mut s.failure_modes[0].sign_off.as_mut().unwrap().state;
        (state.severity, state.revised_detection) = (12, Some(0));
        assert_eq!(
            messages(&s),
            [
                "FM-001: signed-off severity 12 is outside its scale 1-10",
                "FM-001: signed-off revised detection 0 is outside its scale 1-10",
            ]
        );
    }

    #[test]
    fn a_failure_mode_without_asset_is_fine() {
        let mut s = valid();
        s.failure_modes[0].asset = None;
        assert!(validate(&s).is_empty());
    }
}
