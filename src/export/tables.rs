//! The exported tables: header names of SPEC 4 (more columns at the end), failure
//! modes in the screen's risk order.

use jiff::civil::Date;

use crate::domain::annex_a::describe_links;
use crate::domain::ordering::{RiskKey, RiskOrder};
use crate::domain::{ControlState, Edition, FailureMode, Session, catalogue};

use super::cells::{Cell, Choices, Kind};
use crate::domain::RatingKind;

pub const ASSET_HEADERS: [&str; 11] = [
    "ID",
    "Name",
    "Category",
    "Owner",
    "Location",
    "Confidentiality",
    "Integrity",
    "Availability",
    "Class value",
    "Class",
    "Description",
];

pub const FAILURE_MODE_HEADERS: [&str; 15] = [
    "ID",
    "Process",
    "Asset",
    "Asset class",
    "Failure mode",
    "Effect",
    "Cause",
    "Current controls",
    "Severity",
    "Occurrence",
    "Detection",
    "RPN",
    "AP",
    "Asset name",
    "Treatment status",
];

pub const ASSET_KINDS: [Kind; 11] = [
    Kind::Id,
    Kind::Text,
    Kind::Choice(Choices::Category),
    Kind::Text,
    Kind::Text,
    Kind::Rating(RatingKind::Confidentiality),
    Kind::Rating(RatingKind::Integrity),
    Kind::Rating(RatingKind::Availability),
    Kind::Number,
    Kind::Class,
    Kind::Text,
];

pub const FAILURE_MODE_KINDS: [Kind; 15] = [
    Kind::Id,
    Kind::Text,
    Kind::Id,
    Kind::Class,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Rating(RatingKind::Severity),
    Kind::Rating(RatingKind::Occurrence),
    Kind::Rating(RatingKind::Detection),
    Kind::Rpn,
    Kind::Ap,
    Kind::Text,
    Kind::Choice(Choices::Status),
];

/// A table ready to be written: a header, what each column holds, and rows of
/// typed cells (text as the session has it, borrowed where it can be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<'a> {
    pub headers: &'static [&'static str],
    pub kinds: &'static [Kind],
    pub rows: Vec<Vec<Cell<'a>>>,
}

impl Table<'_> {
    /// The rows as CSV text, as [`super::to_csv`] writes them.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(|c| c.csv().into_owned()).collect())
            .collect()
    }
}

fn text(value: &str) -> Cell<'_> {
    Cell::text(value)
}

fn id(value: impl ToString) -> Cell<'static> {
    Cell::owned(value.to_string())
}

fn letter<'a>(value: impl std::fmt::Display) -> Cell<'a> {
    Cell::owned(value.to_string())
}

pub fn assets_table(session: &Session) -> Table<'_> {
    let rows = session
        .assets
        .iter()
        .map(|a| {
            vec![
                id(a.id),
                text(&a.name),
                Cell::text(a.category.name()),
                text(&a.owner),
                text(&a.location),
                Cell::number(a.confidentiality),
                Cell::number(a.integrity),
                Cell::number(a.availability),
                Cell::number(a.class_value()),
                letter(a.class_rank()),
                text(&a.description),
            ]
        })
        .collect();
    Table {
        headers: &ASSET_HEADERS,
        kinds: &ASSET_KINDS,
        rows,
    }
}

pub fn failure_modes_table(session: &Session) -> Table<'_> {
    let rows = RiskOrder::of(session)
        .ids()
        .filter_map(|id| session.failure_mode(id))
        .map(|f| {
            let asset = f.asset.and_then(|id| session.asset(id));
            let treatment = f.treatment.recorded_status().map(|s| Cell::text(s.name()));
            vec![
                id(f.id),
                text(session.process_name(f.process)),
                Cell::optional(f.asset.map(id)),
                Cell::optional(asset.map(|a| letter(a.class_rank()))),
                text(&f.mode),
                text(&f.effect),
                text(&f.cause),
                text(&f.controls),
                Cell::number(f.severity),
                Cell::number(f.occurrence),
                Cell::number(f.detection),
                Cell::number(f.rpn()),
                letter(f.ap()),
                Cell::optional(asset.map(|a| text(&a.name))),
                Cell::optional(treatment),
            ]
        })
        .collect();
    Table {
        headers: &FAILURE_MODE_HEADERS,
        kinds: &FAILURE_MODE_KINDS,
        rows,
    }
}

pub const TREATMENT_PLAN_HEADERS: [&str; 30] = [
    "ID",
    "Failure mode",
    "Asset",
    "RPN",
    "AP",
    "Decision",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Action taken",
    "Residual severity",
    "Residual occurrence",
    "Residual detection",
    "Residual RPN",
    "Residual AP",
    "Controls",
    "Asset name",
    "Process",
    "Overdue",
    "Needs decision",
    // The record of the room (issue 14): where each residual rating comes
    // from, and the risk owner's sign-off.
    "Residual severity from",
    "Residual occurrence from",
    "Residual detection from",
    "Sign-off",
    "Signed by",
    "Signed at",
    "Needs re-approval",
    "Changed since sign-off",
    "Accepted without sign-off",
];

pub const TREATMENT_PLAN_KINDS: [Kind; 30] = [
    Kind::Id,
    Kind::Text,
    Kind::Id,
    Kind::Rpn,
    Kind::Ap,
    Kind::Choice(Choices::Decision),
    Kind::Text,
    Kind::Text,
    Kind::Date,
    Kind::Choice(Choices::Status),
    Kind::Text,
    Kind::Rating(RatingKind::Severity),
    Kind::Rating(RatingKind::Occurrence),
    Kind::Rating(RatingKind::Detection),
    Kind::Rpn,
    Kind::Ap,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Flag,
    Kind::Flag,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Flag,
    Kind::Text,
    Kind::Flag,
];

/// The risk treatment plan (ISO 27001 6.1.3 e): every failure mode in the screen's
/// risk order with its decision, action, owner, due date, status and residual
/// risk. Residual cells stay empty until a rating has been revised; then each
/// says whether the room revised it or it carried over. The sign-off (ISO 27001
/// 6.1.3 f) with whether it needs re-approval. `today` decides what is overdue.
pub fn treatment_plan_table(session: &Session, today: Date) -> Table<'_> {
    let rows = RiskOrder::of(session)
        .ids()
        .filter_map(|id| session.failure_mode(id))
        .map(|f| {
            let t = &f.treatment;
            let residual = f.residual();
            let number = |n: Option<u16>| Cell::optional(n.map(Cell::number));
            vec![
                id(f.id),
                text(&f.mode),
                Cell::optional(f.asset.map(id)),
                Cell::number(f.rpn()),
                letter(f.ap()),
                Cell::text(t.decision.name()),
                text(&t.action),
                text(&t.owner),
                Cell::optional(t.due.map(Cell::Date)),
                Cell::optional(t.recorded_status().map(|s| Cell::text(s.name()))),
                text(&t.action_taken),
                number(residual.map(|r| u16::from(r.severity))),
                number(residual.map(|r| u16::from(r.occurrence))),
                number(residual.map(|r| u16::from(r.detection))),
                number(residual.map(|r| r.rpn())),
                Cell::optional(residual.map(|r| letter(r.ap()))),
                if f.annex_a.is_empty() {
                    Cell::Empty
                } else {
                    Cell::owned(describe_links(&f.annex_a))
                },
                Cell::optional(
                    f.asset
                        .and_then(|id| session.asset(id))
                        .map(|a| text(&a.name)),
                ),
                text(session.process_name(f.process)),
                Cell::flag(t.is_overdue(today)),
                Cell::flag(session.threshold.needs_decision(f)),
            ]
            .into_iter()
            .chain(record_cells(session, f))
            .collect()
        })
        .collect();
    Table {
        headers: &TREATMENT_PLAN_HEADERS,
        kinds: &TREATMENT_PLAN_KINDS,
        rows,
    }
}

/// The treatment plan's cells of the room's record: residual sources, sign-off.
fn record_cells<'a>(session: &'a Session, f: &'a FailureMode) -> Vec<Cell<'a>> {
    let sources = f.residual_sources();
    let source = |i: usize| Cell::optional(sources.map(|s| Cell::text(s[i].word())));
    let sign_off = f.sign_off.as_deref();
    let since = sign_off.map(|s| s.changes_since(f)).unwrap_or_default();
    vec![
        source(0),
        source(1),
        source(2),
        Cell::optional(sign_off.map(|s| Cell::text(s.kind.name()))),
        Cell::optional(sign_off.map(|s| Cell::owned(session.signer(s)))),
        Cell::optional(sign_off.map(|s| Cell::owned(s.at.to_string()))),
        Cell::flag(!since.is_empty()),
        if since.is_empty() {
            Cell::Empty
        } else {
            Cell::owned(
                since
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        },
        Cell::flag(session.threshold.needs_sign_off(f)),
    ]
}

pub const CONTROLS_HEADERS: [&str; 11] = [
    "Control",
    "Title",
    "Theme",
    "Control group",
    "Linked",
    "Implementation",
    "Existing for",
    "Planned for",
    "Justification",
    "Highest RPN",
    "ISO 27001:2013",
];

pub const CONTROLS_KINDS: [Kind; 11] = [
    Kind::Id,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Rpn,
    Kind::Text,
];

/// A draft Statement of Applicability: every ISO 27001:2022 Annex A control, in
/// the standard's order, with whether the workshop linked it, whether it exists or
/// is planned, and the failure modes that justify it. A link to a 2013 control
/// counts for the 2022 controls that took it over.
pub fn controls_table(session: &Session) -> Table<'_> {
    let catalogue = catalogue();
    let ids = |fms: &[(&FailureMode, Option<&str>)]| {
        fms.iter()
            .map(|(f, _)| f.id.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = catalogue
        .edition(Edition::Iso2022)
        .map(|control| {
            let mut existing: Vec<(&FailureMode, Option<&str>)> = Vec::new();
            let mut planned: Vec<(&FailureMode, Option<&str>)> = Vec::new();
            for fm in &session.failure_modes {
                for link in &fm.annex_a {
                    if !catalogue
                        .as_2022(&link.id)
                        .iter()
                        .any(|c| c.id == control.id)
                    {
                        continue;
                    }
                    let via = (link.id != control.id).then_some(link.id.as_str());
                    match link.state {
                        ControlState::Existing => existing.push((fm, via)),
                        ControlState::Planned => planned.push((fm, via)),
                    }
                }
            }
            let implementation = match (existing.is_empty(), planned.is_empty()) {
                (true, true) => "",
                (false, true) => "existing",
                (true, false) => "planned",
                (false, false) => "existing and planned",
            };
            let mut justifying: Vec<(&FailureMode, Option<&str>, ControlState)> = existing
                .iter()
                .map(|(f, via)| (*f, *via, ControlState::Existing))
                .chain(
                    planned
                        .iter()
                        .map(|(f, via)| (*f, *via, ControlState::Planned)),
                )
                .collect();
            justifying.sort_by_key(|(f, _, _)| RiskKey::of(f));
            let justification = justifying
                .iter()
                .map(|(f, via, state)| {
                    let via = via.map(|v| format!(", via {v}")).unwrap_or_default();
                    format!(
                        "{} (RPN {} {}, {state}{via}): {}",
                        f.id,
                        f.rpn(),
                        f.ap(),
                        f.mode
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let highest = justifying.iter().map(|(f, _, _)| f.rpn()).max();
            let maybe = |s: String| {
                if s.is_empty() {
                    Cell::Empty
                } else {
                    Cell::owned(s)
                }
            };
            vec![
                Cell::owned(control.id.clone()),
                Cell::owned(control.title.clone()),
                Cell::owned(control.section_title.clone()),
                Cell::text(control.group.name()),
                Cell::text(if justifying.is_empty() { "no" } else { "yes" }),
                if implementation.is_empty() {
                    Cell::Empty
                } else {
                    Cell::text(implementation)
                },
                maybe(ids(&existing)),
                maybe(ids(&planned)),
                maybe(justification),
                Cell::optional(highest.map(Cell::number)),
                maybe(control.counterparts.join(", ")),
            ]
        })
        .collect();
    Table {
        headers: &CONTROLS_HEADERS,
        kinds: &CONTROLS_KINDS,
        rows,
    }
}
