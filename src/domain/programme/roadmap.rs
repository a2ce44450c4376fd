//! The roadmap as the ISMS manager reads it at a management review: every step
//! with what is recorded about it and what the session itself holds for it, each
//! phase's progress, and where the programme stands.

use jiff::civil::Date;

use super::{
    Phase, STEP_COUNT, STEP_INTERNAL_AUDIT, STEP_MANAGEMENT_REVIEW, STEP_METHOD,
    STEP_RISK_MANAGEMENT, StepRecord, StepStatus, documents::method, step_name, utc_date,
};
use crate::domain::pdca::Stage;
use crate::domain::session::Session;

/// One step as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub step: u8,
    pub phase: Phase,
    /// As the seed names it (lower case).
    pub name: &'static str,
    pub record: StepRecord,
    /// Past its due date and not finished.
    pub overdue: bool,
    /// What the session holds for this step: its method (10), its risk
    /// management (15), the Check stages of its PDCA history (18, 19).
    pub from_session: Option<String>,
}

/// How far one phase has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseProgress {
    pub phase: Phase,
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub not_applicable: usize,
}

impl PhaseProgress {
    /// Every step done or not applicable.
    pub fn is_finished(&self) -> bool {
        self.done + self.not_applicable == self.total
    }

    /// Some step in progress or done.
    pub fn is_started(&self) -> bool {
        self.done + self.in_progress > 0
    }

    /// `3 of 7 done, 1 in progress, 1 not applicable`
    pub fn describe(&self) -> String {
        let mut text = format!("{} of {} done", self.done, self.total);
        if self.in_progress > 0 {
            text.push_str(&format!(", {} in progress", self.in_progress));
        }
        if self.not_applicable > 0 {
            text.push_str(&format!(", {} not applicable", self.not_applicable));
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roadmap {
    /// All 24 steps in order.
    pub steps: Vec<StepView>,
    /// The four phases in order.
    pub phases: Vec<PhaseProgress>,
    /// The latest phase with a step in progress or done; `None` before anything
    /// has started.
    pub current: Option<Phase>,
    /// Steps of earlier phases than the current one that are not finished.
    pub behind: Vec<u8>,
    /// Steps past their due date and not finished.
    pub overdue: Vec<u8>,
}

impl Roadmap {
    pub fn step(&self, step: u8) -> Option<&StepView> {
        self.steps.iter().find(|s| s.step == step)
    }

    /// Whether every step is still "not started".
    pub fn nothing_started(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.record.status == StepStatus::NotStarted)
    }

    /// Where the programme stands, in one line: `phase Validation (4 of 4); 19 of
    /// 24 steps done, 2 in progress; 1 overdue (step 22); still open from earlier
    /// phases: step 7`.
    pub fn summary(&self) -> String {
        let count = |status| {
            self.steps
                .iter()
                .filter(|s| s.record.status == status)
                .count()
        };
        let mut text = match self.current {
            None => "not started".to_string(),
            Some(phase) if self.phases.iter().all(PhaseProgress::is_finished) => {
                format!("every phase finished ({} last)", phase.name())
            }
            Some(phase) => format!(
                "phase {} ({} of {})",
                phase.name(),
                phase.number(),
                Phase::ALL.len()
            ),
        };
        text.push_str(&format!(
            "; {} of {STEP_COUNT} steps done",
            count(StepStatus::Done)
        ));
        for (status, words) in [
            (StepStatus::InProgress, "in progress"),
            (StepStatus::NotApplicable, "not applicable"),
        ] {
            let n = count(status);
            if n > 0 {
                text.push_str(&format!(", {n} {words}"));
            }
        }
        if !self.overdue.is_empty() {
            text.push_str(&format!(
                "; {} overdue ({})",
                self.overdue.len(),
                steps_list(&self.overdue)
            ));
        }
        if !self.behind.is_empty() {
            text.push_str(&format!(
                "; still open from earlier phases: {}",
                steps_list(&self.behind)
            ));
        }
        text
    }
}

/// `step 7`, `steps 7, 9`
pub fn steps_list(steps: &[u8]) -> String {
    let numbers: Vec<String> = steps.iter().map(u8::to_string).collect();
    match numbers.len() {
        1 => format!("step {}", numbers[0]),
        _ => format!("steps {}", numbers.join(", ")),
    }
}

/// The roadmap of `session`, with due dates judged as of `today`.
pub fn roadmap(session: &Session, today: Date) -> Roadmap {
    let steps: Vec<StepView> = (1..=STEP_COUNT)
        .filter_map(|step| {
            let record = session.programme.step(step);
            Some(StepView {
                step,
                phase: Phase::of_step(step)?,
                name: step_name(step)?,
                overdue: record.is_overdue(today),
                from_session: from_session(session, step),
                record,
            })
        })
        .collect();
    let phases: Vec<PhaseProgress> = Phase::ALL
        .into_iter()
        .map(|phase| {
            let mut p = PhaseProgress {
                phase,
                total: 0,
                done: 0,
                in_progress: 0,
                not_applicable: 0,
            };
            for s in steps.iter().filter(|s| s.phase == phase) {
                p.total += 1;
                match s.record.status {
                    StepStatus::Done => p.done += 1,
                    StepStatus::InProgress => p.in_progress += 1,
                    StepStatus::NotApplicable => p.not_applicable += 1,
                    StepStatus::NotStarted => {}
                }
            }
            p
        })
        .collect();
    let current = phases
        .iter()
        .rev()
        .find(|p| p.is_started())
        .map(|p| p.phase);
    let behind = match current {
        Some(phase) => steps
            .iter()
            .filter(|s| s.phase < phase && !s.record.status.is_finished())
            .map(|s| s.step)
            .collect(),
        None => Vec::new(),
    };
    let overdue = steps.iter().filter(|s| s.overdue).map(|s| s.step).collect();
    Roadmap {
        steps,
        phases,
        current,
        behind,
        overdue,
    }
}

/// The cycles whose Check stage the PDCA history records, with the day each
/// entered it (the last time, if it was entered twice), oldest first.
pub fn check_stages(session: &Session) -> Vec<(u32, Date)> {
    let mut out: Vec<(u32, Date)> = Vec::new();
    for change in session
        .pdca
        .history
        .iter()
        .filter(|c| c.stage == Stage::Check)
    {
        let day = utc_date(change.at);
        match out.iter_mut().find(|(cycle, _)| *cycle == change.cycle) {
            Some(entry) => entry.1 = day,
            None => out.push((change.cycle, day)),
        }
    }
    out.sort_by_key(|(cycle, _)| *cycle);
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn from_session(session: &Session, step: u8) -> Option<String> {
    let pdca = &session.pdca;
    match step {
        STEP_METHOD => Some(format!(
            "this session holds the method: {}",
            method(session)
        )),
        STEP_RISK_MANAGEMENT => {
            let closed = match pdca.closed_cycles.len() {
                0 => "no cycle closed yet".to_string(),
                n => format!("{} closed", plural(n, "cycle", "cycles")),
            };
            Some(if session.failure_modes.is_empty() {
                format!(
                    "this session: no failure mode assessed yet (cycle {}, {}); {closed}",
                    pdca.cycle, pdca.stage
                )
            } else {
                format!(
                    "this session: {} on {} in cycle {} ({}); {closed}",
                    plural(session.failure_modes.len(), "failure mode", "failure modes"),
                    plural(session.assets.len(), "asset", "assets"),
                    pdca.cycle,
                    pdca.stage
                )
            })
        }
        STEP_INTERNAL_AUDIT | STEP_MANAGEMENT_REVIEW => {
            let checks = check_stages(session);
            Some(if checks.is_empty() {
                "PDCA Check stage: no cycle has reached it yet".to_string()
            } else {
                let cycles: Vec<String> = checks
                    .iter()
                    .map(|(cycle, day)| {
                        let now = *cycle == pdca.cycle && pdca.stage == Stage::Check;
                        format!("cycle {cycle} {} {day}", if now { "since" } else { "from" })
                    })
                    .collect();
                format!("PDCA Check stage: {}", cycles.join(", "))
            })
        }
        _ => None,
    }
}
