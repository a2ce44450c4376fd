//! The exported tables: header names of SPEC 4 (more columns at the end), failure
//! modes in the screen's risk order.

use crate::domain::Session;
use crate::domain::ordering::RiskOrder;

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
            let treatment = if f.treatment.is_empty() {
                String::new()
            } else {
                f.treatment.status.to_string()
            };
            vec![
                f.id.to_string(),
                text(&f.process),
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
