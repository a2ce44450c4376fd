//! Digits on a rating column of the tables (Context::Normal, `0-9`).

use super::super::App;
use super::{commit, refuse_if_read_only};
use crate::domain::Change;
use crate::tui::pane::Pane;

pub(super) fn rate(app: &mut App, digit: u8) {
    let (column, pane) = (app.focused_column(), app.focus);
    if app.treatment_view {
        app.error(
            "digits rate S, O and D in the workshop view (t); here Enter edits the treatment",
        );
        return;
    }
    let Some(kind) = column.rating() else {
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
    let value = match kind.from_digit(char::from(b'0' + digit)) {
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
    };
    if refuse_if_read_only(app) {
        return;
    }
    match pane {
        Pane::Assets => {
            let Some(asset) = app.selected_asset() else {
                app.error("no asset selected (a adds one)");
                return;
            };
            if asset.rating(kind) == Some(value) {
                return;
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
                app.error("no failure mode selected (a adds one)");
                return;
            };
            if fm.rating(kind) == Some(value) {
                return;
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
}
