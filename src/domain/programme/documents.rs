//! The mandatory documented information of ISO/IEC 27001 as an auditor asks for
//! it: each clause with its status, owner, evidence and last review; for 6.1.2,
//! 8.2 and 8.3 (and 6.1.3 through the Statement of Applicability) what the
//! session itself holds, said in words; reviews that are overdue.

use jiff::ToSpan;
use jiff::civil::Date;

use super::coverage::soa_counts;
use super::{CLAUSES, Clause, DocumentRecord, DocumentStatus, utc_date};
use crate::domain::action_priority::ActionPriority;
use crate::domain::session::Session;
use crate::domain::treatment::Decision;

/// What the session holds for a clause it is the evidence for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEvidence {
    /// Said in words, with what it holds.
    pub text: String,
    /// Whether it holds anything yet (a brand-new session holds the method but
    /// has assessed nothing).
    pub holds: bool,
}

/// Where a document stands, all things considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Missing,
    Draft,
    Approved,
    /// Nothing recorded, but the session holds the evidence.
    InSession,
}

impl Standing {
    pub fn name(self) -> &'static str {
        match self {
            Standing::Missing => "Missing",
            Standing::Draft => "Draft",
            Standing::Approved => "Approved",
            Standing::InSession => "In session",
        }
    }
}

/// Why a review is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overdue {
    /// Last reviewed more than a year ago.
    OlderThanAYear,
    /// Last reviewed before the close of the latest cycle.
    BeforeCycleClose { cycle: u32, closed: Date },
}

/// The review state of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Missing: nothing to review.
    NothingToReview,
    /// Reviewed within the year and since the latest cycle close.
    Current,
    Overdue(Overdue),
    /// Draft or approved, but no review date recorded.
    NeverReviewed,
    /// Held by the session, which is kept current at every workshop.
    Live,
}

impl Review {
    pub fn is_overdue(self) -> bool {
        matches!(self, Review::Overdue(_))
    }

    /// Said in words, empty when there is nothing to say.
    pub fn describe(self) -> String {
        match self {
            Review::NothingToReview | Review::Current | Review::Live => String::new(),
            Review::NeverReviewed => "no review recorded".to_string(),
            Review::Overdue(Overdue::OlderThanAYear) => {
                "review overdue: older than a year".to_string()
            }
            Review::Overdue(Overdue::BeforeCycleClose { cycle, closed }) => {
                format!("review overdue: before cycle {cycle} closed on {closed}")
            }
        }
    }
}

/// One mandatory document as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentView {
    pub clause: Clause,
    pub record: DocumentRecord,
    /// For the clauses the session is the evidence for.
    pub session: Option<SessionEvidence>,
    pub standing: Standing,
    pub review: Review,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    /// The fourteen clauses in the standard's order.
    pub rows: Vec<DocumentView>,
}

impl Documents {
    pub fn count(&self, standing: Standing) -> usize {
        self.rows.iter().filter(|r| r.standing == standing).count()
    }

    pub fn overdue(&self) -> usize {
        self.rows.iter().filter(|r| r.review.is_overdue()).count()
    }

    /// `6 approved, 2 draft, 4 held by the session, 2 missing; 3 reviews overdue`
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (standing, words) in [
            (Standing::Approved, "approved"),
            (Standing::Draft, "draft"),
            (Standing::InSession, "held by the session"),
            (Standing::Missing, "missing"),
        ] {
            let n = self.count(standing);
            if n > 0 {
                parts.push(format!("{n} {words}"));
            }
        }
        let mut text = parts.join(", ");
        match self.overdue() {
            0 => text.push_str("; no review overdue"),
            1 => text.push_str("; 1 review overdue"),
            n => text.push_str(&format!("; {n} reviews overdue")),
        }
        let never = self
            .rows
            .iter()
            .filter(|r| r.review == Review::NeverReviewed)
            .count();
        if never > 0 {
            text.push_str(&format!(", {never} with no review recorded"));
        }
        text
    }
}

/// The documents of `session`, reviews judged as of `today`.
pub fn documents(session: &Session, today: Date) -> Documents {
    documents_holding(session, today, held_evidence(session))
}

/// What the session holds for each of [`CLAUSES`], in its order: the part of
/// [`documents`] that passes over the failure modes, and that an edit of the
/// programme's own records leaves as it is.
pub fn held_evidence(session: &Session) -> Vec<Option<SessionEvidence>> {
    CLAUSES
        .iter()
        .map(|&clause| session_evidence(session, clause))
        .collect()
}

/// [`documents`] with what the session holds already worked out
/// ([`held_evidence`]), so that a screen need not pass over 100,000 failure
/// modes again after a document's status changed.
pub fn documents_holding(
    session: &Session,
    today: Date,
    held: Vec<Option<SessionEvidence>>,
) -> Documents {
    let last_close = session
        .pdca
        .closed_cycles
        .iter()
        .max_by_key(|r| r.closed)
        .map(|r| (r.cycle, utc_date(r.closed)));
    let rows = CLAUSES
        .iter()
        .zip(held.into_iter().chain(std::iter::repeat(None)))
        .map(|(&clause, session_evidence)| {
            let record = session.programme.document(clause.id);
            let holds = session_evidence.as_ref().is_some_and(|e| e.holds);
            let standing = match record.status {
                DocumentStatus::Missing if holds => Standing::InSession,
                DocumentStatus::Missing => Standing::Missing,
                DocumentStatus::Draft => Standing::Draft,
                DocumentStatus::Approved => Standing::Approved,
            };
            let review = review(&record, standing, today, last_close);
            DocumentView {
                clause,
                record,
                session: session_evidence,
                standing,
                review,
            }
        })
        .collect();
    Documents { rows }
}

/// The review rule: a review older than a year, or older than the latest cycle
/// close, is overdue (the risks it rests on have been assessed again since).
pub fn review(
    record: &DocumentRecord,
    standing: Standing,
    today: Date,
    last_close: Option<(u32, Date)>,
) -> Review {
    match record.last_review {
        Some(reviewed) => {
            let year_ago = today.checked_sub(1.year()).unwrap_or(Date::MIN);
            if reviewed < year_ago {
                Review::Overdue(Overdue::OlderThanAYear)
            } else if let Some((cycle, closed)) = last_close
                && reviewed < closed
            {
                Review::Overdue(Overdue::BeforeCycleClose { cycle, closed })
            } else {
                Review::Current
            }
        }
        None => match standing {
            Standing::Missing => Review::NothingToReview,
            Standing::InSession => Review::Live,
            Standing::Draft | Standing::Approved => Review::NeverReviewed,
        },
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The session's method in words: what 6.1.2 asks to be documented and step 10
/// develops.
pub fn method(session: &Session) -> String {
    let threshold = if session.threshold.is_off() {
        "no decision threshold set".to_string()
    } else {
        format!("a decision needed at {}", session.threshold)
    };
    format!(
        "the InfoSec FMEA circle (assets rated C x I x A into classes A, B, C; \
         failure modes rated S x O x D = RPN, with Action Priority; {threshold})"
    )
}

/// `40 failure modes assessed in cycle 2`
fn assessed(session: &Session) -> String {
    format!(
        "{} assessed in cycle {}",
        plural(session.failure_modes.len(), "failure mode", "failure modes"),
        session.pdca.cycle
    )
}

/// `13 decisions (8 reduce, 3 accept, 1 avoid, 1 transfer)`
fn decisions(session: &Session) -> (usize, String) {
    let count = |d: Decision| {
        session
            .failure_modes
            .iter()
            .filter(|f| f.treatment.decision == d)
            .count()
    };
    let kinds: Vec<String> = Decision::ALL
        .into_iter()
        .filter(|d| *d != Decision::Undecided)
        .filter_map(|d| {
            let n = count(d);
            (n > 0).then(|| format!("{n} {}", d.name().to_lowercase()))
        })
        .collect();
    let total = session.failure_modes.len() - count(Decision::Undecided);
    let mut text = plural(total, "decision", "decisions");
    if !kinds.is_empty() {
        text.push_str(&format!(" ({})", kinds.join(", ")));
    }
    (total, text)
}

/// `SoA 93 controls, 31 linked (24 existing, 12 planned)`
fn soa(session: &Session) -> (usize, String) {
    let c = soa_counts(session);
    (
        c.linked,
        format!(
            "SoA {} controls, {} linked ({} existing, {} planned)",
            c.controls, c.linked, c.existing, c.planned
        ),
    )
}

/// What the session holds for a clause it is the evidence for; `None` for the
/// other clauses.
pub fn session_evidence(session: &Session, clause: Clause) -> Option<SessionEvidence> {
    let fms = &session.failure_modes;
    let (holds, text) = match clause.id {
        "6.1.2" => (
            !fms.is_empty(),
            format!(
                "this session: {}, applied to {} and {}",
                method(session),
                plural(session.assets.len(), "asset", "assets"),
                plural(fms.len(), "failure mode", "failure modes")
            ),
        ),
        "6.1.3" => {
            let treated = fms.iter().filter(|f| !f.treatment.is_empty()).count();
            let (linked, soa) = soa(session);
            (
                treated > 0 || linked > 0,
                format!(
                    "this session: the treatment of {} (decision, action, owner, due date, \
                     status, residual rating) and its Statement of Applicability (6.1.3 d): {soa}",
                    plural(treated, "failure mode", "failure modes")
                ),
            )
        }
        "8.2" => {
            let text = if fms.is_empty() {
                "this session: no failure mode assessed yet".to_string()
            } else {
                let high = fms.iter().filter(|f| f.ap() == ActionPriority::H).count();
                let highest = fms.iter().map(|f| f.rpn()).max().unwrap_or(0);
                format!(
                    "this session: {} (AP H {high}, highest RPN {highest}); the ratings at the \
                     close of {} kept",
                    assessed(session),
                    plural(
                        session.pdca.closed_cycles.len(),
                        "earlier cycle",
                        "earlier cycles"
                    )
                )
            };
            (!fms.is_empty(), text)
        }
        "8.3" => {
            let (made, text) = decisions(session);
            let open = fms
                .iter()
                .filter(|f| session.threshold.needs_decision(f))
                .count();
            let text = match open {
                0 => format!("this session: {text}"),
                n => format!(
                    "this session: {text}; {} at or above the threshold still {}",
                    plural(n, "failure mode", "failure modes"),
                    if n == 1 { "needs one" } else { "need one" }
                ),
            };
            (made > 0, text)
        }
        _ => return None,
    };
    Some(SessionEvidence { text, holds })
}

/// What the session holds, in one line: `40 failure modes assessed in cycle 2,
/// 13 decisions (3 accept, …), SoA 93 controls, 31 linked (…)`.
pub fn evidence_summary(session: &Session) -> String {
    format!(
        "{}, {}, {}",
        assessed(session),
        decisions(session).1,
        soa(session).1
    )
}
