//! The only code that changes the screen's state: one action (or one outcome of
//! work done for the screen) at a time. A child of `app`, so it alone may write
//! `App`'s fields.
//!
//! The dispatcher below sends each action to the handler of the mode it arrives
//! in; a key's handler is found from its binding's context in `keymap::BINDINGS`:
//!
//! | context | handler |
//! |---|---|
//! | Normal (the tables) | `normal` (digits: `rating`; a, e: `form`; d: `confirm`; u, Ctrl-r: `undo`) |
//! | Filter | `normal::filter` |
//! | Form | `form` |
//! | Confirm | `confirm` |
//! | Help, History, Cycles | `scrolling` |
//! | Export, Conflict, SaveAs | `dialogs` |
//! | Import | `import` |
//! | Controls | `controls` |
//! | Details, SignOff (and n, Q, w, Y, D in the tables) | `record` |
//! | Log | `scrolling` |
//! | Vote, Proxy, Ballot (and `v`, `F` in the tables) | `room` |
//! | Programme (Normal while `R` is open) | `programme` (its forms: `programme::submit_form`) |
//! | Focus (f) | `focus` (digits: `rating`; u, Ctrl-r: `undo`) |
//! | Matrix (m) | `matrix` |
//! | Merge (conflicts a git merge left; M in the tables) | `merge` |
//!
//! What the runtime reports back (saves, reloads, resizes) goes through `outcome`.

mod confirm;
mod controls;
mod dialogs;
mod focus;
mod form;
mod import;
mod matrix;
mod merge;
mod normal;
mod outcome;
mod programme;
mod rating;
mod record;
mod room;
mod scrolling;
mod undo;

use std::time::Instant;

use super::{App, Effect, Mode};
use crate::domain::Change;
use crate::domain::log::Via;
use crate::tui::action::Action;
use crate::tui::pane::Pane;
use crate::tui::view::layout::Layout;

pub use outcome::update_outcome;

pub fn update(app: &mut App, action: Action) {
    // A message answers one key; the next key clears it.
    app.message = None;
    // Two digits make one number only when typed one right after the other.
    if !matches!(action, Action::Rate(_)) {
        app.typed_digit = None;
    }
    // Past midnight, more may be overdue.
    if app.clock.today() != app.flags.today {
        app.recount_flags();
    }
    // While the "terminal too small" notice hides the screen, no key may change
    // what nobody can see; quitting still works (and saves).
    if Layout::of(app.width, app.height).too_small {
        if matches!((&app.mode, action), (Mode::Normal, Action::Quit)) {
            app.effects.push(Effect::Quit);
        }
        return;
    }
    match app.mode {
        Mode::Normal if app.programme().is_some() => programme::update(app, action),
        Mode::Normal => normal::update(app, action),
        Mode::Filter(_) => normal::filter(app, action),
        Mode::Form(_) => form::update(app, action),
        Mode::Confirm(_) => confirm::update(app, action),
        Mode::Help { .. } => scrolling::help(app, action),
        Mode::History { .. } | Mode::Cycles { .. } | Mode::Log { .. } => {
            scrolling::report(app, action)
        }
        Mode::Export(_) => dialogs::export(app, action),
        Mode::Conflict => dialogs::conflict(app, action),
        Mode::SaveAs(_) => dialogs::save_as(app, action),
        Mode::Import(_) => import::update(app, action),
        Mode::Controls(_) => controls::update(app, action),
        Mode::Details { .. } => record::details(app, action),
        Mode::SignOff(_) => record::sign_off(app, action),
        Mode::Vote => room::round(app, action),
        Mode::Ballot => room::ballot(app, action),
        Mode::Proxy => room::proxy(app, action),
        Mode::Focus(_) => focus::update(app, action),
        Mode::Matrix => matrix::update(app, action),
        Mode::Merge(_) => merge::update(app, action),
    }
    programme::refresh(app);
}

fn refuse_if_read_only(app: &mut App) -> bool {
    match &app.read_only {
        Some(reason) => {
            let text = format!("read-only, nothing can be changed ({reason})");
            app.error(text);
            true
        }
        None => false,
    }
}

/// Applies a change, records it for undo, and brings the order, rows and save
/// state up to date.
fn commit(app: &mut App, change: Change, label: String) {
    if refuse_if_read_only(app) {
        return;
    }
    let touched = touched(&change);
    let inverse = app.apply(change, Via::Edit);
    app.history.record(inverse, label, app.focus);
    after_change(app, touched.as_deref());
}

/// The failure modes a change touches; `None` when it may touch them all.
fn touched(change: &Change) -> Option<Vec<crate::domain::FailureModeId>> {
    (!change.is_wholesale()).then(|| change.failure_mode_ids())
}

fn after_change(app: &mut App, touched: Option<&[crate::domain::FailureModeId]>) {
    refresh_after(app, touched);
    app.save.generation += 1;
    app.save.unsaved_since.get_or_insert_with(Instant::now);
}

/// Brings the risk order and the rows up to date after a change (a follower's
/// too, which saves nothing).
fn refresh_after(app: &mut App, touched: Option<&[crate::domain::FailureModeId]>) {
    match touched {
        // One-by-one refresh is a binary search each; past a few hundred records
        // a fresh sort is cheaper (a cycle close, an import, a recovery).
        Some(touched) if touched.len() <= 256 => {
            for id in touched {
                app.order.refresh(&app.session, *id);
            }
        }
        _ => app.order = crate::domain::ordering::RiskOrder::of(&app.session),
    }
    app.rebuild_rows();
}

/// The failure mode a command is about: the selected one of the failure-mode pane.
fn selected_failure_mode(app: &mut App, what: &str) -> Option<crate::domain::FailureModeId> {
    if app.focus != Pane::FailureModes {
        app.error(format!(
            "select a failure mode for {what} (Tab to the failure modes)"
        ));
        return None;
    }
    let id = app.failure_modes.selected_id();
    if id.is_none() {
        app.error("no failure mode selected");
    }
    id
}
