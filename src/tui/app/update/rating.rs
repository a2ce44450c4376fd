//! Digits on a rating column of the tables (Context::Normal, `0-9`).
//!
//! A digit sets the rating at once. SPEC 3: a second digit typed at once into
//! the same cell makes a two-digit number with the first: `1` then `0` gives 10,
//! and a number off the scale (`11`) takes the first digit back, so the rating is
//! as before, and says so. "At once" is the very next key: any other key between
//! them makes the second digit a rating of its own.

use super::super::{App, Record, TypedDigit};
use super::{commit, refuse_if_read_only};
use crate::domain::{Change, RatingKind};
use crate::tui::pane::Pane;

/// A digit in the tables: the rating under the column cursor of the selected row.
pub(super) fn rate(app: &mut App, digit: u8) {
    let typed = app.typed_digit.take();
    let pane = app.focus;
    if app.treatment_view {
        app.error(
            "digits rate S, O and D in the workshop view (t); here Enter edits the treatment",
        );
        return;
    }
    let Some(kind) = app.focused_column().rating() else {
        let hint = if pane == Pane::Assets {
            "C, I or A"
        } else {
            "S, O or D"
        };
        app.error(format!(
            "move the column cursor onto {hint} (← →) to rate with digits"
        ));
        return;
    };
    let cell = match pane {
        Pane::Assets => app.selected_asset().map(|a| Record::Asset(a.id)),
        Pane::FailureModes => app
            .selected_failure_mode()
            .map(|f| Record::FailureMode(f.id)),
    };
    rate_record(app, digit, typed, pane, cell, kind);
}

/// A digit for rating `kind` of `cell` (the focus view names its record and
/// rating itself): the same rules as in the tables.
pub(super) fn rate_record(
    app: &mut App,
    digit: u8,
    typed: Option<TypedDigit>,
    pane: Pane,
    cell: Option<Record>,
    kind: RatingKind,
) {
    let first = typed.filter(|t| Some(t.cell) == cell && t.kind == kind);
    let value = match first {
        Some(first) => {
            let number = first.digit * 10 + digit;
            if first.took {
                super::undo::take_back(app);
            }
            if !(1..=kind.max()).contains(&number) {
                let now = cell
                    .and_then(|c| current(app, c, kind))
                    .map_or("unrated".into(), |v| v.to_string());
                app.error(format!(
                    "{number} is not on the scale: {} is rated 1-{}, it stays {now}",
                    kind.name(),
                    kind.max()
                ));
                return;
            }
            number
        }
        None => match kind.from_digit(char::from(b'0' + digit)) {
            Ok(value) => value,
            Err(_) => {
                let shown = if digit == 0 { 10 } else { digit };
                app.error(format!(
                    "{shown} refused: {} is rated 1-{}",
                    kind.name(),
                    kind.max()
                ));
                return;
            }
        },
    };
    if refuse_if_read_only(app) {
        return;
    }
    let Some(cell) = cell else {
        app.error(match pane {
            Pane::Assets => "no asset selected (a adds one)",
            Pane::FailureModes => "no failure mode selected (a adds one)",
        });
        return;
    };
    let took = set(app, cell, kind, value);
    // A first digit (not 0, which is 10 already) waits for a second one.
    if first.is_none() && digit != 0 {
        app.typed_digit = Some(TypedDigit {
            cell,
            kind,
            digit,
            took,
        });
    }
}

/// A record's rating of `kind`.
fn current(app: &App, cell: Record, kind: RatingKind) -> Option<u8> {
    match cell {
        Record::Asset(id) => app.session.asset(id)?.rating(kind),
        Record::FailureMode(id) => app.session.failure_mode(id)?.rating(kind),
    }
}

/// Sets a record's rating; whether that changed anything (and so went on the
/// undo history).
fn set(app: &mut App, cell: Record, kind: RatingKind, value: u8) -> bool {
    match cell {
        Record::Asset(id) => {
            let Some(asset) = app.session.asset(id) else {
                return false;
            };
            if asset.rating(kind) == Some(value) {
                return false;
            }
            let mut changed = asset.clone();
            let _ = changed.set_rating(kind, value);
            let label = format!("{} of {}", kind.name(), changed.id);
            let (id, value_now, rank) = (changed.id, changed.class_value(), changed.class_rank());
            commit(app, Change::PutAsset(changed), label);
            app.info(format!(
                "{id}: {} {value}, class value {value_now}, class {rank}",
                kind.name()
            ));
        }
        Record::FailureMode(id) => {
            let Some(fm) = app.session.failure_mode(id) else {
                return false;
            };
            if fm.rating(kind) == Some(value) {
                return false;
            }
            let mut changed = fm.clone();
            let _ = changed.set_rating(kind, value);
            let label = format!("{} of {}", kind.name(), changed.id);
            let rpn = changed.rpn();
            commit(app, Change::PutFailureMode(changed), label);
            let shown = app.failure_modes.select_id(id);
            app.clamp_views();
            let place = if shown {
                format!(
                    "#{} of {}",
                    app.failure_modes.selected + 1,
                    app.failure_modes.rows.len()
                )
            } else {
                // A filter (a matrix cell, say) no longer holds it: its place
                // in the whole order.
                let at = app.order.position(id).map_or(0, |p| p + 1);
                format!("#{at} of {} by RPN, outside the filter", app.order.len())
            };
            app.info(format!(
                "{id}: {} {value}, RPN {rpn}, now {place}",
                kind.name()
            ));
        }
    }
    true
}
