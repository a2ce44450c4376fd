//! The add and edit forms (Context::Form): opening them from the tables, the
//! keys inside, and saving a record as one change.

use super::super::{App, Mode};
use super::{commit, refuse_if_read_only};
use crate::domain::{AssetId, Change, FailureModeId};
use crate::tui::action::Action;
use crate::tui::form::{FieldId, Form, Target};
use crate::tui::pane::{Column, Pane};

pub(super) fn open_add_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let form = match app.focus {
        Pane::Assets => Form::for_asset(None),
        Pane::FailureModes => {
            // A run of failure modes on one asset needs no retyping.
            let selected = app.selected_failure_mode();
            // With no failure mode to copy from, the asset selected in the register.
            let asset = match selected {
                Some(f) => f.asset,
                None => app.assets.selected_id(),
            };
            let process = app.session.process_name(selected.and_then(|f| f.process));
            let form = Form::for_failure_mode(None, asset, process);
            match selected {
                Some(row) => form.copied_from(row.id),
                None => form,
            }
        }
    };
    app.mode = Mode::Form(Box::new(form));
}

fn field_for_column(column: Column) -> Option<FieldId> {
    use Column as C;
    Some(match column {
        C::Name => FieldId::Name,
        C::Category => FieldId::Category,
        C::Owner => FieldId::Owner,
        C::C => FieldId::Confidentiality,
        C::I => FieldId::Integrity,
        C::A => FieldId::Availability,
        C::Asset => FieldId::Asset,
        C::Process => FieldId::Process,
        C::Mode => FieldId::Mode,
        C::Effect => FieldId::Effect,
        C::S => FieldId::Severity,
        C::O => FieldId::Occurrence,
        C::D => FieldId::Detection,
        C::Status | C::TreatmentStatus => FieldId::Status,
        C::Decision | C::FmId | C::Rpn | C::ApChange => FieldId::Decision,
        C::TreatmentOwner => FieldId::TreatmentOwner,
        C::Due => FieldId::Due,
        C::Action => FieldId::Action,
        C::ResidualRpn => FieldId::RevisedSeverity,
        _ => return None,
    })
}

pub(super) fn open_edit_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let column = app.focused_column();
    let mut form = match app.focus {
        Pane::Assets => {
            let Some(asset) = app.selected_asset() else {
                app.error("no asset selected (a adds one)");
                return;
            };
            Form::for_asset(Some(asset))
        }
        Pane::FailureModes => {
            let Some(fm) = app.selected_failure_mode() else {
                app.error("no failure mode selected (a adds one)");
                return;
            };
            Form::for_failure_mode(Some(fm), None, app.session.process_name(fm.process))
        }
    };
    // Open on the field under the column cursor (in the workshop view, the ID
    // and the RPN open the form at its first field).
    let workshop_default =
        !app.treatment_view && matches!(column, Column::FmId | Column::Rpn | Column::ApChange);
    if let Some(field) = field_for_column(column).filter(|_| !workshop_default) {
        form.focus_on(field);
    }
    app.mode = Mode::Form(Box::new(form));
}

pub(super) fn update(app: &mut App, action: Action) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let session = &app.session;
    // Esc twice to throw away what the room typed; any other key takes that back.
    let armed = std::mem::take(&mut form.discard_armed);
    if !matches!(action, Action::Input(_)) {
        form.confirm_waiting_one();
    }
    if matches!(action, Action::Input(_) | Action::Left | Action::Right) {
        form.edited = true;
    }
    match action {
        Action::NextField => form.next_field(session),
        Action::PreviousField => form.previous_field(session),
        Action::NextSuggestion => form.move_suggestion(session, true),
        Action::PreviousSuggestion => form.move_suggestion(session, false),
        Action::Left => form.step(false),
        Action::Right => form.step(true),
        Action::Input(request) => {
            form.input(request, session);
        }
        Action::Cancel if form.edited && !armed => {
            form.discard_armed = true;
            form.message = Some("Esc again throws away what was typed; Enter saves it".into());
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("cancelled: nothing changed");
        }
        Action::Quit => {
            form.message = Some("Enter saves this form, Esc cancels it; then q quits".into());
        }
        Action::Submit => submit_form(app),
        _ => {}
    }
}

fn submit_form(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    match form.target {
        Target::Threshold => submit_threshold(app),
        Target::NewAsset | Target::Asset(_) => {
            let id = match form.target {
                Target::Asset(id) => id,
                _ => AssetId(0),
            };
            let Some(asset) = form.to_asset(id) else {
                return;
            };
            let new = form.target == Target::NewAsset;
            let (id, change) = if new {
                match app.session.add_asset_change(asset) {
                    Ok(added) => added,
                    Err(limit) => return app.error(limit.to_string()),
                }
            } else if app.session.asset(id) == Some(&asset) {
                app.mode = Mode::Normal;
                app.info("no changes");
                return;
            } else {
                (id, Change::PutAsset(asset))
            };
            commit(
                app,
                change,
                format!("{} {id}", if new { "adding" } else { "editing" }),
            );
            app.mode = Mode::Normal;
            app.focus = Pane::Assets;
            app.assets.select_id(id);
            app.clamp_views();
            app.info(format!("{id} {}", if new { "added" } else { "saved" }));
        }
        Target::NewFailureMode | Target::FailureMode(_) => {
            let id = match form.target {
                Target::FailureMode(id) => id,
                _ => FailureModeId(0),
            };
            let Some(mut fm) = form.to_failure_mode(id, &app.session) else {
                return;
            };
            let new = form.target == Target::NewFailureMode;
            // The form does not edit the Annex A links (the picker does) nor the
            // sign-off: keep them.
            if let Some(old) = app.session.failure_mode(id).filter(|_| !new) {
                fm.annex_a = old.annex_a.clone();
                fm.sign_off = old.sign_off.clone();
            }
            // The process typed names a record, or makes one in the same step.
            let (process, add_process) = match app.session.process_for_name(&form.process_name()) {
                Ok(found) => found,
                Err(limit) => return app.error(limit.to_string()),
            };
            fm.process = process;
            let (rpn, ap) = (fm.rpn(), fm.ap());
            let (id, change) = if new {
                match app.session.add_failure_mode_change(fm) {
                    Ok(added) => added,
                    Err(limit) => return app.error(limit.to_string()),
                }
            } else if app.session.failure_mode(id) == Some(&fm) {
                app.mode = Mode::Normal;
                app.info("no changes");
                return;
            } else {
                (id, Change::PutFailureMode(fm))
            };
            let change = match add_process {
                Some(add) => Change::Batch(vec![add, change]),
                None => change,
            };
            commit(
                app,
                change,
                format!("{} {id}", if new { "adding" } else { "editing" }),
            );
            app.mode = Mode::Normal;
            app.focus = Pane::FailureModes;
            if !app.failure_modes.select_id(id) {
                app.info(format!(
                    "{id} saved (RPN {rpn}, AP {ap}); the filter hides it"
                ));
                return;
            }
            app.clamp_views();
            let position = app.failure_modes.selected + 1;
            app.info(format!(
                "{id} {} (RPN {rpn}, AP {ap}), now #{position} of {}",
                if new { "added" } else { "saved" },
                app.failure_modes.rows.len()
            ));
        }
    }
}

fn submit_threshold(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let Some(threshold) = form.to_threshold() else {
        return;
    };
    app.mode = Mode::Normal;
    if threshold == app.session.threshold {
        app.info("no changes");
        return;
    }
    commit(
        app,
        Change::SetThreshold(threshold),
        "decision threshold".into(),
    );
    let flagged = app
        .session
        .failure_modes
        .iter()
        .filter(|f| app.session.threshold.needs_decision(f))
        .count();
    app.info(format!(
        "decision threshold: {threshold}; {flagged} failure mode{} without a decision flagged {}",
        if flagged == 1 { "" } else { "s" },
        crate::tui::view::tables::UNDECIDED
    ));
}
