//! Digits on a rating column of the tables (Context::Normal, `0-9`).
//!
//! A digit sets the rating at once. SPEC 3: a second digit typed at once into
//! the same cell makes a two-digit number with the first: `1` then `0` gives 10,
//! and a number off the scale (`11`) takes the first digit back, so the rating is
//! as before, and says so. "At once" is the very next key: any other key between
//! them makes the second digit a rating of its own.

use super::super::{App, TypedDigit, TypedInto};
use super::{commit, refuse_if_read_only};
use crate::domain::{Change, RatingKind};
use crate::tui::pane::Pane;

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
        Pane::Assets => app.selected_asset().map(|a| TypedInto::Asset(a.id)),
        Pane::FailureModes => app
            .selected_failure_mode()
            .map(|f| TypedInto::FailureMode(f.id)),
    };
    let first = typed.filter(|t| Some(t.cell) == cell && t.kind == kind);
    let value = match first {
        Some(first) => {
            let number = first.digit * 10 + digit;
            if first.took {
                super::undo::take_back(app);
            }
            if !(1..=kind.max()).contains(&number) {
                let now = current(app, pane, kind).map_or("unrated".into(), |v| v.to_string());
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
    let took = set(app, pane, kind, value);
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

/// The selected record's rating of `kind` in `pane`.
fn current(app: &App, pane: Pane, kind: RatingKind) -> Option<u8> {
    match pane {
        Pane::Assets => app.selected_asset()?.rating(kind),
        Pane::FailureModes => app.selected_failure_mode()?.rating(kind),
    }
}

/// Sets the selected record's rating; whether that changed anything (and so
/// went on the undo history).
fn set(app: &mut App, pane: Pane, kind: RatingKind, value: u8) -> bool {
    match pane {
        Pane::Assets => {
            let Some(asset) = app.selected_asset() else {
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
        Pane::FailureModes => {
            let Some(fm) = app.selected_failure_mode() else {
                return false;
            };
            if fm.rating(kind) == Some(value) {
                return false;
            }
            let mut changed = fm.clone();
            let _ = changed.set_rating(kind, value);
            let label = format!("{} of {}", kind.name(), changed.id);
            let (id, rpn) = (changed.id, changed.rpn());
            commit(app, Change::PutFailureMode(changed), label);
            app.failure_modes.select_id(id);
            app.clamp_views();
            app.info(format!(
                "{id}: {} {value}, RPN {rpn}, now #{} of {}",
                kind.name(),
                app.failure_modes.selected + 1,
                app.failure_modes.rows.len()
            ));
        }
    }
    true
}
