//! The ISMS programme as two more tables: the roadmap (all 24 steps) and the
//! mandatory documents (all 14 clauses), under the same CSV contract as the rest.

use jiff::civil::Date;

use crate::domain::Session;
use crate::domain::programme::capitalised;
use crate::domain::programme::documents::documents;
use crate::domain::programme::roadmap::roadmap;

use super::cells::neutralise;
use super::tables::Table;

pub const ROADMAP_HEADERS: [&str; 10] = [
    "Step",
    "Phase",
    "Name",
    "Status",
    "Owner",
    "Due",
    "Evidence",
    "Note",
    "Overdue",
    "From the session",
];

pub const DOCUMENTS_HEADERS: [&str; 9] = [
    "Clause",
    "Document",
    "Status",
    "Owner",
    "Evidence",
    "Last review",
    "Review overdue",
    "Review",
    "Held by the session",
];

fn text(value: &str) -> String {
    neutralise(value).into_owned()
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "" }.to_string()
}

/// Every roadmap step in order; steps nothing is recorded for are "Not
/// started". `today` decides what is overdue.
pub fn roadmap_table(session: &Session, today: Date) -> Table {
    let rows = roadmap(session, today)
        .steps
        .into_iter()
        .map(|s| {
            let r = &s.record;
            vec![
                s.step.to_string(),
                s.phase.name().to_string(),
                capitalised(s.name),
                r.status.name().to_string(),
                text(&r.owner),
                r.due.map(|d| d.to_string()).unwrap_or_default(),
                text(&r.evidence),
                text(&r.note),
                yes(s.overdue),
                s.from_session.as_deref().map(text).unwrap_or_default(),
            ]
        })
        .collect();
    Table {
        headers: &ROADMAP_HEADERS,
        rows,
    }
}

/// Every clause with mandatory documented information, in the standard's order.
/// Status is "In session" where nothing is recorded and the session holds the
/// evidence. `today` decides which reviews are overdue.
pub fn documents_table(session: &Session, today: Date) -> Table {
    let rows = documents(session, today)
        .rows
        .into_iter()
        .map(|d| {
            let r = &d.record;
            vec![
                d.clause.cited().to_string(),
                capitalised(d.clause.name),
                d.standing.name().to_string(),
                text(&r.owner),
                text(&r.evidence),
                r.last_review.map(|d| d.to_string()).unwrap_or_default(),
                yes(d.review.is_overdue()),
                d.review.describe(),
                d.session.map(|e| text(&e.text)).unwrap_or_default(),
            ]
        })
        .collect();
    Table {
        headers: &DOCUMENTS_HEADERS,
        rows,
    }
}
