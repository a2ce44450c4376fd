//! The Plan-Do-Check-Act circle of the security management system (SPEC 1.4).

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::annex_a::ControlLink;
use super::failure_mode::FailureMode;
use super::ids::FailureModeId;
use super::sign_off::SignOff;
use super::treatment::Treatment;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Stage {
    /// Scope, assets, assess.
    #[default]
    Plan,
    /// Implement treatments.
    Do,
    /// Monitor, audit, re-rate.
    Check,
    /// Correct, improve.
    Act,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Self::Plan, Self::Do, Self::Check, Self::Act];

    pub fn name(self) -> &'static str {
        match self {
            Self::Plan => "Plan",
            Self::Do => "Do",
            Self::Check => "Check",
            Self::Act => "Act",
        }
    }

    pub fn purpose(self) -> &'static str {
        match self {
            Self::Plan => "scope, assets, assess",
            Self::Do => "implement treatments",
            Self::Check => "monitor, audit, re-rate",
            Self::Act => "correct, improve",
        }
    }

    /// The stage after this one; Act wraps round to Plan (of the next cycle).
    pub fn next(self) -> Stage {
        match self {
            Self::Plan => Self::Do,
            Self::Do => Self::Check,
            Self::Check => Self::Act,
            Self::Act => Self::Plan,
        }
    }

    /// The stage before this one within a cycle; none before Plan.
    pub fn previous(self) -> Option<Stage> {
        match self {
            Self::Plan => None,
            Self::Do => Some(Self::Plan),
            Self::Check => Some(Self::Do),
            Self::Act => Some(Self::Check),
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// A timestamp cut to whole seconds, as stage changes are recorded (sub-second
/// digits would only add noise to the session file).
pub fn now_in_seconds(now: Timestamp) -> Timestamp {
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

/// The highest cycle number: a cycle a week for almost two hundred years. A
/// file with a larger one is refused, and the last cycle cannot be closed, so
/// the number never wraps.
pub const MAX_CYCLE: u32 = 9_999;

/// One stage change: the session entered `stage` of `cycle` at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    pub at: Timestamp,
    pub cycle: u32,
    pub stage: Stage,
}

/// A failure mode as it stood when its cycle closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureModeSnapshot {
    pub id: FailureModeId,
    pub severity: u8,
    pub occurrence: u8,
    pub detection: u8,
    #[serde(default, skip_serializing_if = "Treatment::is_empty")]
    pub treatment: Treatment,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annex_a: Vec<ControlLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<Box<SignOff>>,
}

impl FailureModeSnapshot {
    pub fn of(fm: &FailureMode) -> Self {
        Self {
            id: fm.id,
            severity: fm.severity,
            occurrence: fm.occurrence,
            detection: fm.detection,
            treatment: fm.treatment.clone(),
            annex_a: fm.annex_a.clone(),
            sign_off: fm.sign_off.clone(),
        }
    }

    pub fn sod(&self) -> super::failure_mode::Sod {
        super::failure_mode::Sod {
            severity: self.severity,
            occurrence: self.occurrence,
            detection: self.detection,
        }
    }
}

/// The record kept of a finished cycle: every failure mode's ratings and treatment
/// at its close, in ID order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleRecord {
    pub cycle: u32,
    pub closed: Timestamp,
    #[serde(default)]
    pub failure_modes: Vec<FailureModeSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pdca {
    pub cycle: u32,
    pub stage: Stage,
    #[serde(default)]
    pub history: Vec<StageChange>,
    #[serde(default)]
    pub closed_cycles: Vec<CycleRecord>,
}

impl Default for Pdca {
    fn default() -> Self {
        Self {
            cycle: 1,
            stage: Stage::Plan,
            history: Vec::new(),
            closed_cycles: Vec::new(),
        }
    }
}

impl Pdca {
    /// A PDCA state that starts in Plan of cycle 1 at `now`.
    pub fn started(now: Timestamp) -> Self {
        Self {
            history: vec![StageChange {
                at: now,
                cycle: 1,
                stage: Stage::Plan,
            }],
            ..Self::default()
        }
    }

    /// When the current stage was entered, if recorded.
    pub fn entered_at(&self) -> Option<Timestamp> {
        self.history
            .iter()
            .rev()
            .find(|c| c.cycle == self.cycle && c.stage == self.stage)
            .map(|c| c.at)
    }

    fn enter(&mut self, cycle: u32, stage: Stage, now: Timestamp) {
        self.cycle = cycle;
        self.stage = stage;
        self.history.push(StageChange {
            at: now,
            cycle,
            stage,
        });
    }

    /// Moves within the cycle: Plan -> Do -> Check -> Act. From Act this does
    /// nothing and returns false: the next cycle starts with [`Session::close_cycle`].
    ///
    /// [`Session::close_cycle`]: super::session::Session::close_cycle
    pub fn advance_within_cycle(&mut self, now: Timestamp) -> bool {
        if self.stage == Stage::Act {
            return false;
        }
        let next = self.stage.next();
        self.enter(self.cycle, next, now);
        true
    }

    /// Steps back one stage within the cycle; false (and nothing changes) at Plan.
    pub fn step_back(&mut self, now: Timestamp) -> bool {
        match self.stage.previous() {
            Some(previous) => {
                self.enter(self.cycle, previous, now);
                true
            }
            None => false,
        }
    }

    /// Starts the next cycle in Plan and keeps the record of the one that closed.
    /// `next` is the cycle's successor, checked against [`MAX_CYCLE`] by the caller.
    pub(crate) fn start_next_cycle(&mut self, record: CycleRecord, next: u32, now: Timestamp) {
        self.closed_cycles.push(record);
        self.enter(next, Stage::Plan, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap()
    }

    #[test]
    fn stages_advance_in_order_and_stop_at_act() {
        let mut p = Pdca::started(t(0));
        assert!(p.advance_within_cycle(t(1)));
        assert_eq!(p.stage, Stage::Do);
        assert!(p.advance_within_cycle(t(2)));
        assert!(p.advance_within_cycle(t(3)));
        assert_eq!(p.stage, Stage::Act);
        assert!(!p.advance_within_cycle(t(4)));
        assert_eq!((p.cycle, p.stage, p.history.len()), (1, Stage::Act, 4));
        assert_eq!(p.entered_at(), Some(t(3)));
    }

    #[test]
    fn step_back_records_the_change_and_stops_at_plan() {
        let mut p = Pdca::started(t(0));
        assert!(!p.step_back(t(1)));
        p.advance_within_cycle(t(2));
        assert!(p.step_back(t(3)));
        assert_eq!(p.stage, Stage::Plan);
        assert_eq!(
            p.history.last(),
            Some(&StageChange {
                at: t(3),
                cycle: 1,
                stage: Stage::Plan
            })
        );
    }

    #[test]
    fn next_wraps_and_previous_stops() {
        assert_eq!(Stage::Act.next(), Stage::Plan);
        assert_eq!(Stage::Plan.previous(), None);
        for s in Stage::ALL {
            if let Some(p) = s.previous() {
                assert_eq!(p.next(), s);
            }
        }
    }
}
