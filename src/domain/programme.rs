//! The ISMS programme around the workshops (SPEC 9.3): the 24-step QISM
//! implementation roadmap, the mandatory documented information of ISO/IEC 27001,
//! and the coverage of the seed method's five control groups.
//!
//! What the session file keeps is small and sparse: one record per roadmap step
//! and per document that someone has said something about, in step and clause
//! order. A step or document without a record is "not started" / "missing" with
//! nothing filled in, so a session from before this existed shows the roadmap all
//! "not started". The views that answer "where are we?" are built from it and
//! from the session itself: [`roadmap`], [`documents`], [`coverage`].

pub mod coverage;
pub mod documents;
pub mod roadmap;

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::treatment::optional_date;

/// The four phases of the QISM roadmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    Awareness,
    Preparation,
    Implementation,
    Validation,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Self::Awareness,
        Self::Preparation,
        Self::Implementation,
        Self::Validation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Awareness => "Awareness",
            Self::Preparation => "Preparation",
            Self::Implementation => "Implementation",
            Self::Validation => "Validation",
        }
    }

    /// The first and last step of the phase.
    pub fn steps(self) -> (u8, u8) {
        match self {
            Self::Awareness => (1, 5),
            Self::Preparation => (6, 12),
            Self::Implementation => (13, 19),
            Self::Validation => (20, 24),
        }
    }

    /// The phase a step belongs to; `None` for a number that is no step.
    pub fn of_step(step: u8) -> Option<Phase> {
        Self::ALL.into_iter().find(|p| {
            let (first, last) = p.steps();
            (first..=last).contains(&step)
        })
    }

    /// 1 for Awareness … 4 for Validation.
    pub fn number(self) -> usize {
        self as usize + 1
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The 24 steps, named as in the seed (SPEC 9.3); step N is `STEPS[N - 1]`.
pub const STEPS: [&str; 24] = [
    "increase awareness of ISMS in the QMS environment and understand the gap",
    "review the organisation's status of ISMS adoption",
    "confirm top-management commitment",
    "form the QISM committee",
    "form the QISM work group",
    "develop the QISM model",
    "promote QISM education and training",
    "define scope and policy",
    "resource plan and allocation",
    "develop the risk assessment methodology (FMEA circle)",
    "plan the implementation (risk assessment, training)",
    "resource management",
    "provide team training (ISMS awareness, implementation, risk assessment, internal audit)",
    "implement the training plan",
    "perform risk management",
    "implement the QISM system",
    "measure QISM effectiveness",
    "perform internal audit",
    "management review meeting (user, customer and employee feedback)",
    "refine scope and policy",
    "corrective and preventive action plan, continual improvement plan",
    "perform corrective and continual-improvement actions",
    "registration for ISO 27001 certification",
    "top management recognition",
];

/// The number of roadmap steps.
pub const STEP_COUNT: u8 = 24;

/// The steps the session itself speaks to: 10 (the method it holds), 15 (the
/// risk management it records), 18 and 19 (the Check stage of its PDCA history).
pub const STEP_METHOD: u8 = 10;
pub const STEP_RISK_MANAGEMENT: u8 = 15;
pub const STEP_INTERNAL_AUDIT: u8 = 18;
pub const STEP_MANAGEMENT_REVIEW: u8 = 19;

/// The seed's name of a step, as the SPEC writes it (lower case).
pub fn step_name(step: u8) -> Option<&'static str> {
    STEPS.get(usize::from(step).checked_sub(1)?).copied()
}

/// A name as a heading or a table cell shows it: the first letter capitalised.
pub fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One clause of ISO/IEC 27001 that requires documented information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    /// `4.3`, `7.5.1b`: as the SPEC writes it, and as the session file keeps it.
    pub id: &'static str,
    pub name: &'static str,
}

impl Clause {
    /// Whether the session itself is the evidence for this clause: 6.1.2, 8.2 and
    /// 8.3, and 6.1.3 through its Statement of Applicability (6.1.3 d).
    pub fn held_by_session(self) -> bool {
        SESSION_CLAUSES.contains(&self.id)
    }

    /// The clause as people cite it: `7.5.1 b`, `6.1.3 d` for the SoA.
    pub fn cited(self) -> &'static str {
        match self.id {
            "7.5.1b" => "7.5.1 b",
            id => id,
        }
    }
}

/// The fourteen clauses of SPEC 9.3, in the standard's order.
pub const CLAUSES: [Clause; 14] = [
    Clause {
        id: "4.3",
        name: "scope",
    },
    Clause {
        id: "5.2",
        name: "information security policy",
    },
    Clause {
        id: "6.1.2",
        name: "risk assessment process",
    },
    Clause {
        id: "6.1.3",
        name: "risk treatment process",
    },
    Clause {
        id: "6.2",
        name: "information security objectives",
    },
    Clause {
        id: "7.2",
        name: "evidence of competence",
    },
    Clause {
        id: "7.5.1b",
        name: "documents the organisation deems necessary",
    },
    Clause {
        id: "8.1",
        name: "operational planning and control",
    },
    Clause {
        id: "8.2",
        name: "results of risk assessments",
    },
    Clause {
        id: "8.3",
        name: "decisions on risk treatment",
    },
    Clause {
        id: "9.1",
        name: "monitoring and measurement",
    },
    Clause {
        id: "9.2",
        name: "internal audit programme and results",
    },
    Clause {
        id: "9.3",
        name: "management review",
    },
    Clause {
        id: "10.1",
        name: "nonconformities and corrective actions",
    },
];

/// The clauses the session is the evidence for.
pub const SESSION_CLAUSES: [&str; 4] = ["6.1.2", "6.1.3", "8.2", "8.3"];

/// The clause with this ID.
pub fn clause(id: &str) -> Option<Clause> {
    CLAUSES.iter().copied().find(|c| c.id == id)
}

/// Where a clause stands in the standard's order; unknown IDs come last.
fn clause_position(id: &str) -> usize {
    CLAUSES
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
}

/// How far a roadmap step has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum StepStatus {
    #[default]
    NotStarted,
    InProgress,
    Done,
    NotApplicable,
}

impl StepStatus {
    pub const ALL: [StepStatus; 4] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Done,
        Self::NotApplicable,
    ];

    /// The names of [`StepStatus::ALL`], in its order (the form's choices).
    pub const NAMES: [&'static str; 4] = {
        let mut names = [""; 4];
        let mut i = 0;
        while i < 4 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    pub const fn name(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::NotApplicable => "Not applicable",
        }
    }

    /// The next status in the order of [`StepStatus::ALL`], round; the one
    /// before when not `forward` (the screen's `s` and `S`).
    pub fn cycled(self, forward: bool) -> StepStatus {
        cycled(&Self::ALL, self, forward)
    }

    /// Nothing left to do: done, or not applicable to this organisation.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Done | Self::NotApplicable)
    }
}

impl fmt::Display for StepStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Where a mandatory document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DocumentStatus {
    /// Not written yet (or nobody has said where it is).
    #[default]
    Missing,
    /// Being written or revised, not approved.
    Draft,
    /// Approved and in force.
    Approved,
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 3] = [Self::Missing, Self::Draft, Self::Approved];

    /// The names of [`DocumentStatus::ALL`], in its order (the form's choices).
    pub const NAMES: [&'static str; 3] = {
        let mut names = [""; 3];
        let mut i = 0;
        while i < 3 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    pub const fn name(self) -> &'static str {
        match self {
            Self::Missing => "Missing",
            Self::Draft => "Draft",
            Self::Approved => "Approved",
        }
    }
}

impl DocumentStatus {
    /// As [`StepStatus::cycled`]: Missing → Draft → Approved → Missing.
    pub fn cycled(self, forward: bool) -> DocumentStatus {
        cycled(&Self::ALL, self, forward)
    }
}

/// The element after `now` in `all` (before it when not `forward`), round.
fn cycled<T: Copy + PartialEq>(all: &[T], now: T, forward: bool) -> T {
    let n = all.len();
    let i = all.iter().position(|s| *s == now).unwrap_or(0);
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

impl fmt::Display for DocumentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// What is recorded about one roadmap step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    /// 1..=24.
    pub step: u8,
    #[serde(default)]
    pub status: StepStatus,
    #[serde(default)]
    pub owner: String,
    #[serde(default, with = "optional_date")]
    pub due: Option<Date>,
    /// A path or URL.
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub note: String,
}

impl StepRecord {
    /// Nothing recorded: not started, every field empty.
    pub fn blank(step: u8) -> Self {
        Self {
            step,
            status: StepStatus::NotStarted,
            owner: String::new(),
            due: None,
            evidence: String::new(),
            note: String::new(),
        }
    }

    pub fn is_blank(&self) -> bool {
        *self == Self::blank(self.step)
    }

    /// Past its due date and not finished.
    pub fn is_overdue(&self, today: Date) -> bool {
        matches!(self.due, Some(due) if due < today) && !self.status.is_finished()
    }
}

/// What is recorded about one mandatory document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord {
    /// One of [`CLAUSES`]: `4.3`, `7.5.1b`…
    pub clause: String,
    #[serde(default)]
    pub status: DocumentStatus,
    #[serde(default)]
    pub owner: String,
    /// A path or URL.
    #[serde(default)]
    pub evidence: String,
    #[serde(default, with = "optional_date")]
    pub last_review: Option<Date>,
}

impl DocumentRecord {
    /// Nothing recorded: missing, every field empty.
    pub fn blank(clause: &str) -> Self {
        Self {
            clause: clause.to_string(),
            status: DocumentStatus::Missing,
            owner: String::new(),
            evidence: String::new(),
            last_review: None,
        }
    }

    pub fn is_blank(&self) -> bool {
        *self == Self::blank(&self.clause)
    }
}

/// The programme data of a session: the records of the steps and documents that
/// have any, in step and clause order. Left out of the file while empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Programme {
    pub roadmap: Vec<StepRecord>,
    pub documents: Vec<DocumentRecord>,
}

impl Programme {
    pub fn is_empty(&self) -> bool {
        self.roadmap.is_empty() && self.documents.is_empty()
    }

    /// The record of a step, blank when nothing is recorded.
    pub fn step(&self, step: u8) -> StepRecord {
        self.roadmap
            .iter()
            .find(|r| r.step == step)
            .cloned()
            .unwrap_or_else(|| StepRecord::blank(step))
    }

    /// The record of a document, blank when nothing is recorded.
    pub fn document(&self, clause: &str) -> DocumentRecord {
        self.documents
            .iter()
            .find(|r| r.clause == clause)
            .cloned()
            .unwrap_or_else(|| DocumentRecord::blank(clause))
    }

    /// Puts the record of its step in place (a blank one removes the record) and
    /// returns the record that was there, blank if none was: applying that puts
    /// things back as they were.
    pub fn put_step(&mut self, record: StepRecord) -> StepRecord {
        put(&mut self.roadmap, record, |r| r.step, StepRecord::is_blank)
            .unwrap_or_else(StepRecord::blank)
    }

    /// As [`Programme::put_step`], for a document.
    pub fn put_document(&mut self, record: DocumentRecord) -> DocumentRecord {
        put(
            &mut self.documents,
            record,
            |r| (clause_position(&r.clause), r.clause.clone()),
            DocumentRecord::is_blank,
        )
        .unwrap_or_else(|(_, clause)| DocumentRecord::blank(&clause))
    }

    /// Puts both lists in step and clause order, as a hand-edited file may not be.
    /// Stable, so that duplicates stay visible to validation in file order.
    pub fn sort(&mut self) {
        self.roadmap.sort_by_key(|r| r.step);
        self.documents
            .sort_by(|a, b| document_key(a).cmp(&document_key(b)));
    }

    pub fn is_sorted(&self) -> bool {
        self.roadmap.is_sorted_by_key(|r| r.step)
            && self
                .documents
                .is_sorted_by(|a, b| document_key(a) <= document_key(b))
    }

    /// Every problem of the records, each with the step or clause it is in.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut seen_steps = Vec::new();
        for r in &self.roadmap {
            let record = format!("roadmap step {}", r.step);
            if step_name(r.step).is_none() {
                problems.push((
                    record,
                    format!("there is no step {} (steps are 1 to {STEP_COUNT})", r.step),
                ));
            } else if seen_steps.contains(&r.step) {
                problems.push((record, "recorded twice".to_string()));
            }
            seen_steps.push(r.step);
        }
        let mut seen_clauses: Vec<&str> = Vec::new();
        for r in &self.documents {
            let record = format!("document {:?}", r.clause);
            if clause(&r.clause).is_none() {
                let known: Vec<&str> = CLAUSES.iter().map(|c| c.id).collect();
                problems.push((
                    record,
                    format!(
                        "not a clause with mandatory documents (one of {})",
                        known.join(", ")
                    ),
                ));
            } else if seen_clauses.contains(&r.clause.as_str()) {
                problems.push((record, "recorded twice".to_string()));
            }
            seen_clauses.push(&r.clause);
        }
        problems
    }
}

fn document_key(r: &DocumentRecord) -> (usize, &str) {
    (clause_position(&r.clause), r.clause.as_str())
}

/// Puts `record` into the ordered `list` in the place of its key: replaces the
/// record with that key, inserts it, or (when `blank`) removes the one there.
/// The record that was there, or the key when there was none.
fn put<T, K: Ord>(
    list: &mut Vec<T>,
    record: T,
    key: impl Fn(&T) -> K,
    blank: impl Fn(&T) -> bool,
) -> Result<T, K> {
    let k = key(&record);
    match list.binary_search_by(|r| key(r).cmp(&k)) {
        Ok(i) if blank(&record) => Ok(list.remove(i)),
        Ok(i) => Ok(std::mem::replace(&mut list[i], record)),
        Err(_) if blank(&record) => Err(k),
        Err(i) => {
            list.insert(i, record);
            Err(k)
        }
    }
}

/// The date of a timestamp in UTC: how the programme views date stage changes
/// and cycle closes (the domain knows no local time zone).
pub(crate) fn utc_date(at: jiff::Timestamp) -> Date {
    at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

#[cfg(test)]
mod tests;
