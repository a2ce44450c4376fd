//! The ISMS programme as two more tables: the roadmap (all 24 steps) and the
//! mandatory documents (all 14 clauses), under the same CSV contract as the rest.

use jiff::civil::Date;

use crate::domain::Session;
use crate::domain::programme::capitalised;
use crate::domain::programme::documents::documents;
use crate::domain::programme::roadmap::roadmap;

use super::cells::{Cell, Choices, Kind};
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

pub const ROADMAP_KINDS: [Kind; 10] = [
    Kind::Number,
    Kind::Text,
    Kind::Text,
    Kind::Choice(Choices::StepStatus),
    Kind::Text,
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Flag,
    Kind::Text,
];

pub const DOCUMENTS_KINDS: [Kind; 9] = [
    Kind::Id,
    Kind::Text,
    Kind::Choice(Choices::DocumentStatus),
    Kind::Text,
    Kind::Text,
    Kind::Date,
    Kind::Flag,
    Kind::Text,
    Kind::Text,
];

/// Owned text, empty as an empty cell.
fn text<'a>(value: &str) -> Cell<'a> {
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::owned(value)
    }
}

/// Every roadmap step in order; steps nothing is recorded for are "Not
/// started". `today` decides what is overdue.
pub fn roadmap_table(session: &Session, today: Date) -> Table<'static> {
    let rows = roadmap(session, today)
        .steps
        .into_iter()
        .map(|s| {
            let r = &s.record;
            vec![
                Cell::number(s.step),
                Cell::text(s.phase.name()),
                Cell::owned(capitalised(s.name)),
                Cell::text(r.status.name()),
                text(&r.owner),
                Cell::optional(r.due.map(Cell::Date)),
                text(&r.evidence),
                text(&r.note),
                Cell::flag(s.overdue),
                Cell::optional(s.from_session.map(Cell::owned)),
            ]
        })
        .collect();
    Table {
        headers: &ROADMAP_HEADERS,
        kinds: &ROADMAP_KINDS,
        rows,
    }
}

/// Every clause with mandatory documented information, in the standard's order.
/// Status is "In session" where nothing is recorded and the session holds the
/// evidence. `today` decides which reviews are overdue.
pub fn documents_table(session: &Session, today: Date) -> Table<'static> {
    let rows = documents(session, today)
        .rows
        .into_iter()
        .map(|d| {
            let r = &d.record;
            vec![
                Cell::owned(d.clause.cited().to_string()),
                Cell::owned(capitalised(d.clause.name)),
                Cell::text(d.standing.name()),
                text(&r.owner),
                text(&r.evidence),
                Cell::optional(r.last_review.map(Cell::Date)),
                Cell::flag(d.review.is_overdue()),
                text(&d.review.describe()),
                Cell::optional(d.session.map(|e| Cell::owned(e.text))),
            ]
        })
        .collect();
    Table {
        headers: &DOCUMENTS_HEADERS,
        kinds: &DOCUMENTS_KINDS,
        rows,
    }
}
