//! The exported tables: header names of SPEC 4 (more columns at the end), failure
//! modes in the screen's risk order.

use jiff::civil::Date;

use crate::domain::annex_a::describe_links;
use crate::domain::ordering::{RiskKey, RiskOrder};
use crate::domain::{ControlState, Edition, FailureMode, Session, catalogue};

use super::cells::neutralise;

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

/// A table ready to be written: text cells already neutralised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

fn text(value: &str) -> String {
    neutralise(value).into_owned()
}

pub fn assets_table(session: &Session) -> Table {
    let rows = session
        .assets
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                text(&a.name),
                a.category.to_string(),
                text(&a.owner),
                text(&a.location),
                a.confidentiality.to_string(),
                a.integrity.to_string(),
                a.availability.to_string(),
                a.class_value().to_string(),
                a.class_rank().to_string(),
                text(&a.description),
            ]
        })
        .collect();
    Table {
        headers: &ASSET_HEADERS,
        rows,
    }
}

pub fn failure_modes_table(session: &Session) -> Table {
    let rows = RiskOrder::of(session)
        .ids()
        .filter_map(|id| session.failure_mode(id))
        .map(|f| {
            let asset = f.asset.and_then(|id| session.asset(id));
            let treatment = f
                .treatment
                .recorded_status()
                .map(|s| s.to_string())
                .unwrap_or_default();
            vec![
                f.id.to_string(),
                text(session.process_name(f.process)),
                f.asset.map(|id| id.to_string()).unwrap_or_default(),
                asset
                    .map(|a| a.class_rank().to_string())
                    .unwrap_or_default(),
                text(&f.mode),
                text(&f.effect),
                text(&f.cause),
                text(&f.controls),
                f.severity.to_string(),
                f.occurrence.to_string(),
                f.detection.to_string(),
                f.rpn().to_string(),
                f.ap().to_string(),
                asset.map(|a| text(&a.name)).unwrap_or_default(),
                treatment,
            ]
        })
        .collect();
    Table {
        headers: &FAILURE_MODE_HEADERS,
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

/// The risk treatment plan (ISO 27001 6.1.3 e): every failure mode in the screen's
/// risk order with its decision, action, owner, due date, status and residual
/// risk. Residual cells stay empty until a rating has been revised; then each
/// says whether the room revised it or it carried over. The sign-off (ISO 27001
/// 6.1.3 f) with whether it needs re-approval. `today` decides what is overdue.
pub fn treatment_plan_table(session: &Session, today: Date) -> Table {
    let yes = |b: bool| if b { "yes" } else { "" }.to_string();
    let rows = RiskOrder::of(session)
        .ids()
        .filter_map(|id| session.failure_mode(id))
        .map(|f| {
            let t = &f.treatment;
            let residual = f.residual();
            let number = |n: Option<u16>| n.map(|n| n.to_string()).unwrap_or_default();
            vec![
                f.id.to_string(),
                text(&f.mode),
                f.asset.map(|id| id.to_string()).unwrap_or_default(),
                f.rpn().to_string(),
                f.ap().to_string(),
                t.decision.to_string(),
                text(&t.action),
                text(&t.owner),
                t.due.map(|d| d.to_string()).unwrap_or_default(),
                t.recorded_status()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                text(&t.action_taken),
                number(residual.map(|r| u16::from(r.severity))),
                number(residual.map(|r| u16::from(r.occurrence))),
                number(residual.map(|r| u16::from(r.detection))),
                number(residual.map(|r| r.rpn())),
                residual.map(|r| r.ap().to_string()).unwrap_or_default(),
                text(&describe_links(&f.annex_a)),
                f.asset
                    .and_then(|id| session.asset(id))
                    .map(|a| text(&a.name))
                    .unwrap_or_default(),
                text(session.process_name(f.process)),
                yes(t.is_overdue(today)),
                yes(session.threshold.needs_decision(f)),
            ]
            .into_iter()
            .chain(record_cells(session, f))
            .collect()
        })
        .collect();
    Table {
        headers: &TREATMENT_PLAN_HEADERS,
        rows,
    }
}

/// The treatment plan's cells of the room's record: residual sources, sign-off.
fn record_cells(session: &Session, f: &FailureMode) -> Vec<String> {
    let yes = |b: bool| if b { "yes" } else { "" }.to_string();
    let sources = f.residual_sources();
    let source = |i: usize| sources.map(|s| s[i].word().to_string()).unwrap_or_default();
    let sign_off = f.sign_off.as_deref();
    let since = sign_off.map(|s| s.changes_since(f)).unwrap_or_default();
    vec![
        source(0),
        source(1),
        source(2),
        sign_off
            .map(|s| s.kind.name().to_string())
            .unwrap_or_default(),
        sign_off
            .map(|s| text(&session.signer(s)))
            .unwrap_or_default(),
        sign_off.map(|s| s.at.to_string()).unwrap_or_default(),
        yes(!since.is_empty()),
        text(
            &since
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        yes(session.threshold.needs_sign_off(f)),
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

/// A draft Statement of Applicability: every ISO 27001:2022 Annex A control, in
/// the standard's order, with whether the workshop linked it, whether it exists or
/// is planned, and the failure modes that justify it. A link to a 2013 control
/// counts for the 2022 controls that took it over.
pub fn controls_table(session: &Session) -> Table {
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
            vec![
                control.id.clone(),
                text(&control.title),
                text(&control.section_title),
                control.group.name().to_string(),
                if justifying.is_empty() { "no" } else { "yes" }.to_string(),
                implementation.to_string(),
                ids(&existing),
                ids(&planned),
                text(&justification),
                highest.map(|r| r.to_string()).unwrap_or_default(),
                control.counterparts.join(", "),
            ]
        })
        .collect();
    Table {
        headers: &CONTROLS_HEADERS,
        rows,
    }
}
