//! `u` and Ctrl-r: one step of the history back or forward.

use super::super::App;
use super::{after_change, refuse_if_read_only, touched};
use crate::domain::log::Via;
use crate::tui::history::Step;
use crate::tui::pane::Pane;

/// Undo (or redo) one step: apply its change, keep the inverse for the other
/// direction, and show the record it changed in the pane it was made in.
pub(super) fn step(app: &mut App, backwards: bool) {
    if refuse_if_read_only(app) {
        return;
    }
    let taken = if backwards {
        app.history.take_undo()
    } else {
        app.history.take_redo()
    };
    let Some(step) = taken else {
        app.info(if backwards {
            "nothing to undo"
        } else {
            "nothing to redo"
        });
        return;
    };
    let touched = touched(&step.change);
    let assets = step.change.asset_ids();
    let selected_before = app.failure_modes.selected_id();
    let reverse = app.apply(step.change, if backwards { Via::Undo } else { Via::Redo });
    let label = step.label.clone();
    let back = Step {
        change: reverse,
        label: step.label,
        pane: step.pane,
    };
    if backwards {
        app.history.push_redo(back);
    } else {
        app.history.push_undo(back);
    }
    after_change(app, touched.as_deref());
    app.focus = step.pane;
    match step.pane {
        Pane::Assets => {
            if let Some(id) = assets.first() {
                app.assets.select_id(*id);
            }
        }
        Pane::FailureModes => {
            // One record changed: show it. Many (a cycle close, an import): stay
            // on the row the facilitator was on, while it is still there.
            let one = touched
                .as_deref()
                .filter(|t| t.len() == 1)
                .and_then(<[_]>::first)
                .copied();
            let stay = selected_before.filter(|id| app.session.failure_mode(*id).is_some());
            let first = touched.as_deref().and_then(<[_]>::first).copied();
            if let Some(id) = one.or(stay).or(first) {
                app.failure_modes.select_id(id);
            }
        }
    }
    app.clamp_views();
    app.info(format!(
        "{}: {label}",
        if backwards { "undone" } else { "redone" }
    ));
}

/// Takes the last step back without keeping it for redo: a digit that turned
/// out to be the first of a number off the scale.
pub(super) fn take_back(app: &mut App) {
    let Some(step) = app.history.take_undo() else {
        return;
    };
    let touched = touched(&step.change);
    app.apply(step.change, Via::Undo);
    after_change(app, touched.as_deref());
}
