//! The only code that changes the screen's state: one action (or one outcome of
//! work done for the screen) at a time.

use std::time::{Duration, Instant};

use tui_input::{Input, InputRequest};

use super::action::{Action, Outcome};
use super::app::{
    App, Confirm, ControlsDialog, Effect, ExportDialog, Mode, Pane, Pending, StatusFilter, owners,
};
use super::form::{FieldId, Form, Target};
use super::view::layout::{Layout, Table, visible_columns};
use crate::domain::{Change, ControlState, RatingKind, Stage};
use crate::export::{self, CsvOptions};

/// After a failed save, wait this long before the autosave tries again.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(3);

pub fn update(app: &mut App, action: Action) {
    // A message answers one key; the next key clears it.
    app.message = None;
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
        Mode::Normal => normal(app, action),
        Mode::Filter(_) => filter(app, action),
        Mode::Form(_) => form(app, action),
        Mode::Confirm(_) => confirm(app, action),
        Mode::Help { .. } => help(app, action),
        Mode::Export(_) => export_dialog(app, action),
        Mode::Conflict => conflict(app, action),
        Mode::SaveAs(_) => save_as(app, action),
        Mode::Import(_) => import_dialog(app, action),
        Mode::Controls(_) => controls_dialog(app, action),
        Mode::History { .. } | Mode::Cycles { .. } => report(app, action),
    }
}

/// What the runtime reports back: a resize, a finished save or export.
pub fn update_outcome(app: &mut App, outcome: Outcome) {
    match outcome {
        Outcome::Resized { width, height } => {
            app.width = width;
            app.height = height;
            app.clamp_views();
        }
        Outcome::Saved { generation, result } => {
            app.save.in_flight = None;
            match result {
                Ok(disk) => {
                    app.disk = Some(disk);
                    app.save.conflict = false;
                    app.save.saved = app.save.saved.max(generation);
                    app.save.last_error = None;
                    app.save.unsaved_since = if app.save.is_saved() {
                        None
                    } else {
                        Some(Instant::now())
                    };
                }
                Err(crate::store::SaveError::ChangedOnDisk) => {
                    app.save.conflict = true;
                    app.save.last_error = Some("the file changed on disk".into());
                    app.mode = Mode::Conflict;
                }
                Err(error) => {
                    // The cause first: the line is read at a glance and cut at the right.
                    let text = match &error {
                        crate::store::SaveError::Write(e) => format!(
                            "NOT SAVED: {} (could not {}); edits kept, retrying",
                            plain_io(&e.source),
                            e.step
                        ),
                        other => format!("NOT SAVED: {other}"),
                    };
                    app.save.last_error = Some(error.to_string());
                    app.save.unsaved_since = Some(Instant::now() + RETRY_AFTER_ERROR);
                    app.error(text);
                }
            }
        }
        Outcome::Exported(result) => {
            let result = result
                .map(|files| {
                    files
                        .iter()
                        .map(|f| format!("{} ({} rows)", f.path.display(), f.rows))
                        .collect::<Vec<String>>()
                })
                .map_err(|e| e.to_string());
            match &result {
                Ok(lines) => app.info(format!("exported: {}", lines.join(", "))),
                Err(e) => app.error(e.clone()),
            }
            if let Mode::Export(dialog) = &mut app.mode {
                dialog.result = Some(result);
            }
        }
        Outcome::Reloaded {
            session,
            disk,
            recovery,
        } => {
            app.session = *session;
            app.recount_flags();
            if let Some(journal) = &mut app.journal {
                // The saver's copy follows. A reload reads the whole file on this
                // thread anyway; the copy costs about as much again, once.
                journal.push(Change::ReplaceSession(Box::new(app.session.clone())));
            }
            app.disk = disk;
            app.history.clear();
            app.order = crate::domain::ordering::RiskOrder::of(&app.session);
            app.save = Default::default();
            app.mode = Mode::Normal;
            app.rebuild_rows();
            match recovery {
                Some(path) => app.info(format!(
                    "reloaded from disk; your unsaved edits are in {}",
                    path.display()
                )),
                None => app.info("reloaded from disk"),
            }
        }
        Outcome::SavedAs { path, disk } => {
            let old = std::mem::replace(&mut app.path, path);
            app.disk = Some(disk);
            app.save.conflict = false;
            app.save.last_error = None;
            app.save.saved = app.save.generation;
            app.save.unsaved_since = None;
            app.mode = Mode::Normal;
            app.info(format!(
                "saved as {}; riskroom now works on it ({} was left as it is)",
                app.path.display(),
                old.display()
            ));
        }
        Outcome::Recovered { session, from } => {
            app.mode = Mode::Normal;
            commit(
                app,
                Change::ReplaceSession(session),
                "opening the recovery file".into(),
            );
            app.info(format!("recovered from {} (u undoes it)", from.display()));
        }
        Outcome::Failed(text) => app.error(text),
        Outcome::ImportRead {
            assets,
            failure_modes,
        } => {
            let plan = plan_import(&app.session, assets, failure_modes, app_import_options(app));
            if let Mode::Import(dialog) = &mut app.mode {
                dialog.plan = Some(plan);
            }
        }
    }
}

/// An I/O error as people read it: "Permission denied", without "(os error 13)".
fn plain_io(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
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
    let inverse = app.apply(change);
    app.history.record(inverse, label, app.focus);
    after_change(app, touched.as_deref());
}

/// The failure modes a change touches; `None` when it may touch them all.
fn touched(change: &Change) -> Option<Vec<crate::domain::FailureModeId>> {
    (!change.is_wholesale()).then(|| change.failure_mode_ids())
}

fn after_change(app: &mut App, touched: Option<&[crate::domain::FailureModeId]>) {
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
    app.save.generation += 1;
    app.save.unsaved_since.get_or_insert_with(Instant::now);
}

fn page(app: &App) -> usize {
    let layout = Layout::of_view(app.width, app.height, app.treatment_view);
    match app.focus {
        Pane::Assets => layout.asset_rows(),
        Pane::FailureModes => layout.failure_mode_rows(),
    }
    .max(1)
}

fn move_selection(app: &mut App, to: impl Fn(usize, usize, usize) -> usize) {
    let page = page(app);
    match app.focus {
        Pane::Assets => {
            let n = app.assets.rows.len();
            app.assets.selected = to(app.assets.selected, n, page);
        }
        Pane::FailureModes => {
            let n = app.failure_modes.rows.len();
            app.failure_modes.selected = to(app.failure_modes.selected, n, page);
        }
    }
    app.clamp_views();
}

fn move_column(app: &mut App, forward: bool) {
    let columns = visible_columns(Table::of(app.focus, app.treatment_view), app.width);
    let current = match app.focus {
        Pane::Assets => app.assets.column,
        Pane::FailureModes => app.failure_modes.column,
    };
    let at = columns.iter().position(|c| *c == current).unwrap_or(0);
    let next = if forward {
        (at + 1).min(columns.len() - 1)
    } else {
        at.saturating_sub(1)
    };
    match app.focus {
        Pane::Assets => app.assets.column = columns[next],
        Pane::FailureModes => app.failure_modes.column = columns[next],
    }
}

fn normal(app: &mut App, action: Action) {
    match action {
        Action::FocusNext | Action::FocusPrevious if app.treatment_view => {
            app.info("the treatment view shows the failure modes only; t goes back to both panes");
        }
        Action::FocusNext | Action::FocusPrevious => app.focus = app.focus.other(),
        Action::Up => move_selection(app, |i, _, _| i.saturating_sub(1)),
        Action::Down => move_selection(app, |i, n, _| (i + 1).min(n.saturating_sub(1))),
        Action::PageUp => move_selection(app, |i, _, page| i.saturating_sub(page)),
        Action::PageDown => move_selection(app, |i, n, page| (i + page).min(n.saturating_sub(1))),
        Action::Top => move_selection(app, |_, _, _| 0),
        Action::Bottom => move_selection(app, |_, n, _| n.saturating_sub(1)),
        Action::Left => move_column(app, false),
        Action::Right => move_column(app, true),
        Action::Rate(digit) => rate(app, digit),
        Action::Add => open_add_form(app),
        Action::Edit => open_edit_form(app),
        Action::Delete => ask_delete(app),
        Action::Undo => undo(app),
        Action::Redo => redo(app),
        Action::Filter => {
            let current = match app.focus {
                Pane::Assets => app.assets.filter.clone(),
                Pane::FailureModes => app.failure_modes.filter.clone(),
            };
            app.mode = Mode::Filter(Input::new(current));
        }
        Action::Cancel => {
            if app.focus == Pane::FailureModes && !app.treatment_filter.is_empty() {
                app.treatment_filter = Default::default();
            }
            set_filter(app, String::new());
        }
        Action::ToggleTreatmentView => toggle_treatment_view(app),
        Action::NextStatusFilter => step_status_filter(app, true),
        Action::PreviousStatusFilter => step_status_filter(app, false),
        Action::NextOwnerFilter => step_owner_filter(app, true),
        Action::PreviousOwnerFilter => step_owner_filter(app, false),
        Action::Controls => open_controls(app),
        Action::History => {
            if let Some(id) = selected_failure_mode(app, "its history") {
                app.mode = Mode::History { id, scroll: 0 };
            }
        }
        Action::Cycles => app.mode = Mode::Cycles { scroll: 0 },
        Action::Unbound(' ') => app.info("space does nothing here: ? lists every key"),
        Action::Unbound(c) => app.info(format!("{c} does nothing here: ? lists every key")),
        Action::Threshold if !refuse_if_read_only(app) => {
            app.mode = Mode::Form(Box::new(Form::for_threshold(&app.session.threshold)));
        }
        Action::AdvanceStage => advance_stage(app),
        Action::StepBackStage => step_back_stage(app),
        Action::Export => {
            let dir = export::default_dir(&app.path);
            app.mode = Mode::Export(ExportDialog {
                dir: Input::new(dir.display().to_string()),
                selected_all: true,
                options: CsvOptions::default(),
                result: None,
            });
        }
        Action::Save if app.save.conflict => app.mode = Mode::Conflict,
        Action::Save if !refuse_if_read_only(app) => app.effects.push(Effect::SaveNow),
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        Action::Import => open_import(app),
        Action::Quit => app.effects.push(Effect::Quit),
        _ => {}
    }
}

fn rate(app: &mut App, digit: u8) {
    let (column, pane) = match app.focus {
        Pane::Assets => (app.assets.column, Pane::Assets),
        Pane::FailureModes => (app.failure_modes.column, Pane::FailureModes),
    };
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
            let Some(asset) = app
                .assets
                .selected_id()
                .and_then(|id| app.session.asset(id))
            else {
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
            let Some(fm) = app
                .failure_modes
                .selected_id()
                .and_then(|id| app.session.failure_mode(id))
            else {
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

fn open_add_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let form = match app.focus {
        Pane::Assets => Form::for_asset(None),
        Pane::FailureModes => {
            // A run of failure modes on one asset needs no retyping.
            let selected = app
                .failure_modes
                .selected_id()
                .and_then(|id| app.session.failure_mode(id));
            // With no failure mode to copy from, the asset selected in the register.
            let asset = match selected {
                Some(f) => f.asset,
                None => app.assets.selected_id(),
            };
            let process = selected.map_or("", |f| f.process.as_str());
            Form::for_failure_mode(None, asset, process)
        }
    };
    app.mode = Mode::Form(Box::new(form));
}

fn field_for_column(column: super::app::Column) -> Option<FieldId> {
    use super::app::Column as C;
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

fn open_edit_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let (mut form, column) = match app.focus {
        Pane::Assets => {
            let Some(asset) = app
                .assets
                .selected_id()
                .and_then(|id| app.session.asset(id))
            else {
                app.error("no asset selected (a adds one)");
                return;
            };
            (Form::for_asset(Some(asset)), app.assets.column)
        }
        Pane::FailureModes => {
            let Some(fm) = app
                .failure_modes
                .selected_id()
                .and_then(|id| app.session.failure_mode(id))
            else {
                app.error("no failure mode selected (a adds one)");
                return;
            };
            (
                Form::for_failure_mode(Some(fm), None, ""),
                app.failure_modes.column,
            )
        }
    };
    // Open on the field under the column cursor (in the workshop view, the ID
    // and the RPN open the form at its first field).
    let workshop_default = !app.treatment_view
        && matches!(
            column,
            super::app::Column::FmId | super::app::Column::Rpn | super::app::Column::ApChange
        );
    if let Some(field) = field_for_column(column).filter(|_| !workshop_default) {
        form.focus_on(field);
    }
    app.mode = Mode::Form(Box::new(form));
}

fn form(app: &mut App, action: Action) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let session = &app.session;
    // Esc twice to throw away what the room typed; any other key takes that back.
    let armed = std::mem::take(&mut form.discard_armed);
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
                _ => crate::domain::AssetId(0),
            };
            let Some(mut asset) = form.to_asset(id) else {
                return;
            };
            if form.target == Target::NewAsset {
                asset.id = match app.session.allocate_asset_id() {
                    Ok(id) => id,
                    Err(limit) => return app.error(limit.to_string()),
                };
            } else if app.session.asset(id) == Some(&asset) {
                app.mode = Mode::Normal;
                app.info("no changes");
                return;
            }
            let (id, new) = (asset.id, form.target == Target::NewAsset);
            commit(
                app,
                Change::PutAsset(asset),
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
                _ => crate::domain::FailureModeId(0),
            };
            let Some(mut fm) = form.to_failure_mode(id, &app.session) else {
                return;
            };
            let new = form.target == Target::NewFailureMode;
            // The form does not edit the Annex A links (the picker does): keep them.
            if let Some(old) = app.session.failure_mode(id).filter(|_| !new) {
                fm.annex_a = old.annex_a.clone();
            }
            if new {
                fm.id = match app.session.allocate_failure_mode_id() {
                    Ok(id) => id,
                    Err(limit) => return app.error(limit.to_string()),
                };
            } else if app.session.failure_mode(id) == Some(&fm) {
                app.mode = Mode::Normal;
                app.info("no changes");
                return;
            }
            let (id, rpn, ap) = (fm.id, fm.rpn(), fm.ap());
            if !new && app.failure_modes.filter.is_empty() {
                // keep the filter as it is; the record stays selected below if shown
            }
            commit(
                app,
                Change::PutFailureMode(fm),
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
        super::view::tables::UNDECIDED
    ));
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

fn toggle_treatment_view(app: &mut App) {
    use super::app::Column;
    app.treatment_view = !app.treatment_view;
    app.focus = Pane::FailureModes;
    let columns = visible_columns(Table::of(Pane::FailureModes, app.treatment_view), app.width);
    if !columns.contains(&app.failure_modes.column) {
        app.failure_modes.column = if app.treatment_view {
            Column::Decision
        } else {
            Column::S
        };
    }
    app.clamp_views();
    if app.treatment_view {
        app.info(format!(
            "treatment view · ? decide: {} and no decision · ! overdue",
            app.session.threshold
        ));
    } else {
        app.info("workshop view: assets and failure modes");
    }
}

fn describe_shown(app: &App) -> String {
    format!(
        "{} of {} failure modes shown",
        app.failure_modes.rows.len(),
        app.session.failure_modes.len()
    )
}

fn step_status_filter(app: &mut App, forward: bool) {
    let all = StatusFilter::CYCLE;
    let at = app
        .treatment_filter
        .status
        .and_then(|s| all.iter().position(|x| *x == s));
    // None, then each filter in turn, then None again.
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => Some(all.len() - 1),
        (Some(i), true) => (i + 1 < all.len()).then_some(i + 1),
        (Some(i), false) => i.checked_sub(1),
    };
    app.treatment_filter.status = next.map(|i| all[i]);
    app.focus = Pane::FailureModes;
    app.rebuild_rows();
    let what = match app.treatment_filter.status {
        Some(status) => format!("status filter: {}", status.name()),
        None => "status filter off".to_string(),
    };
    app.info(format!(
        "{what} · {} (s next, S back, Esc clears)",
        describe_shown(app)
    ));
}

fn step_owner_filter(app: &mut App, forward: bool) {
    let all = owners(&app.session);
    if all.is_empty() {
        app.info("no failure mode has a treatment owner yet");
        return;
    }
    let at = app
        .treatment_filter
        .owner
        .as_ref()
        .and_then(|o| all.iter().position(|x| x.eq_ignore_ascii_case(o)));
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => Some(all.len() - 1),
        (Some(i), true) => (i + 1 < all.len()).then_some(i + 1),
        (Some(i), false) => i.checked_sub(1),
    };
    app.treatment_filter.owner = next.map(|i| all[i].clone());
    app.focus = Pane::FailureModes;
    app.rebuild_rows();
    let what = match app.treatment_filter.owner.as_deref() {
        Some("") => "owner filter: no owner".to_string(),
        Some(owner) => format!("owner filter: {owner}"),
        None => "owner filter off".to_string(),
    };
    app.info(format!(
        "{what} · {} (o next, O back, Esc clears)",
        describe_shown(app)
    ));
}

fn open_controls(app: &mut App) {
    let Some(id) = selected_failure_mode(app, "its Annex A controls") else {
        return;
    };
    app.mode = Mode::Controls(ControlsDialog {
        id,
        query: Input::default(),
        selected: 0,
    });
}

fn controls_dialog(app: &mut App, action: Action) {
    let area = ratatui::layout::Rect::new(0, 0, app.width, app.height);
    let page = super::view::controls::list_rows(area).max(1);
    let Mode::Controls(dialog) = &mut app.mode else {
        return;
    };
    let count = super::annex::rows(&app.session, dialog).len();
    let last = count.saturating_sub(1);
    match action {
        Action::Up => dialog.selected = dialog.selected.saturating_sub(1),
        Action::Down => dialog.selected = (dialog.selected + 1).min(last),
        Action::PageUp => dialog.selected = dialog.selected.saturating_sub(page),
        Action::PageDown => dialog.selected = (dialog.selected + page).min(last),
        Action::Input(request) => {
            dialog.query.handle(request);
            dialog.selected = 0;
        }
        Action::Cancel => {
            let id = dialog.id;
            app.mode = Mode::Normal;
            if let Some(fm) = app.session.failure_mode(id) {
                let n = fm.annex_a.len();
                app.info(format!(
                    "{id}: {n} Annex A control{} linked",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        Action::Submit => cycle_link(app),
        _ => {}
    }
}

/// Enter in the picker: the highlighted control goes from not linked to existing,
/// to planned, to not linked.
fn cycle_link(app: &mut App) {
    let Mode::Controls(dialog) = &app.mode else {
        return;
    };
    let rows = super::annex::rows(&app.session, dialog);
    let (id, selected) = (dialog.id, dialog.selected);
    let Some(control) = rows.get(selected).copied() else {
        app.error("no control highlighted: type an ID (8.5) or words");
        return;
    };
    let Some(fm) = app.session.failure_mode(id) else {
        return;
    };
    let current = fm.link(&control.id);
    let next = match current {
        None => Some(ControlState::Existing),
        Some(ControlState::Existing) => Some(ControlState::Planned),
        Some(ControlState::Planned) => None,
    };
    if current.is_none()
        && let Some(link) = crate::domain::annex_a::same_control_linked(&fm.annex_a, &control.id)
    {
        let other = crate::domain::catalogue()
            .get(&link.id)
            .map_or_else(|| link.id.clone(), |c| c.label());
        app.error(format!(
            "{id} already has {other} ({}): the same control, other edition",
            link.state.name()
        ));
        return;
    }
    let changed = fm.with_link(&control.id, next);
    commit(
        app,
        Change::PutFailureMode(changed),
        format!("Annex A {} of {id}", control.id),
    );
    if app.read_only.is_some() {
        return;
    }
    // While the list is the linked controls, an unlinked one leaves it.
    if let Mode::Controls(dialog) = &mut app.mode {
        let count = super::annex::rows(&app.session, dialog).len();
        dialog.selected = dialog.selected.min(count.saturating_sub(1));
    }
    let state = next.map_or("not linked", |s| s.name());
    app.info(format!("{id}: {} → {state}", control.label()));
}

fn report(app: &mut App, action: Action) {
    let area = ratatui::layout::Rect::new(0, 0, app.width, app.height);
    let page = super::view::report::popup(area)
        .height
        .saturating_sub(3)
        .max(1);
    let lines = match &app.mode {
        Mode::History { id, .. } => super::view::report::history_line_count(app, *id, area),
        _ => super::view::report::cycle_line_count(app, area),
    };
    let max = super::view::report::max_scroll(area, lines);
    // ← → walk the failure modes in the order of the list.
    if let (Mode::History { id, scroll }, Action::Left | Action::Right) = (&mut app.mode, action) {
        let rows = &app.failure_modes.rows;
        let at = rows.iter().position(|r| r == id);
        let next = match (at, action) {
            (Some(i), Action::Left) => i.checked_sub(1),
            (Some(i), _) => (i + 1 < rows.len()).then_some(i + 1),
            (None, _) => None,
        };
        match next.and_then(|i| rows.get(i).copied()) {
            Some(next) => {
                *id = next;
                *scroll = 0;
                app.failure_modes.select_id(next);
                app.clamp_views();
            }
            None => app.info("no further failure mode that way in the list"),
        }
        return;
    }
    let (Mode::History { scroll, .. } | Mode::Cycles { scroll }) = &mut app.mode else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Cancel => {
            app.mode = Mode::Normal;
            return;
        }
        _ => {}
    }
    *scroll = (*scroll).min(max);
}

fn ask_delete(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let confirm = match app.focus {
        Pane::Assets => {
            let Some(asset) = app
                .assets
                .selected_id()
                .and_then(|id| app.session.asset(id))
            else {
                app.error("no asset selected");
                return;
            };
            let linked = app.session.failure_modes_of(asset.id).count();
            let mut detail = vec![asset.name.clone()];
            if linked > 0 {
                detail.push(format!(
                    "{linked} failure mode{} refer to it; they are kept, without the asset.",
                    if linked == 1 { "" } else { "s" }
                ));
            }
            detail.push("u undoes it.".into());
            Confirm {
                question: format!("Delete asset {}?", asset.id),
                detail,
                pending: Pending::DeleteAsset(asset.id),
            }
        }
        Pane::FailureModes => {
            let Some(fm) = app
                .failure_modes
                .selected_id()
                .and_then(|id| app.session.failure_mode(id))
            else {
                app.error("no failure mode selected");
                return;
            };
            Confirm {
                question: format!("Delete failure mode {}?", fm.id),
                detail: vec![
                    fm.mode.clone(),
                    format!("RPN {}, AP {}. u undoes it.", fm.rpn(), fm.ap()),
                ],
                pending: Pending::DeleteFailureMode(fm.id),
            }
        }
    };
    app.mode = Mode::Confirm(confirm);
}

fn confirm(app: &mut App, action: Action) {
    let Mode::Confirm(confirm) = &app.mode else {
        return;
    };
    let pending = confirm.pending.clone();
    match action {
        Action::Yes => {
            app.mode = Mode::Normal;
            match pending {
                Pending::DeleteAsset(id) => {
                    let change = app.session.delete_asset_change(id);
                    commit(app, change, format!("deleting {id}"));
                    app.info(format!("{id} deleted (u undoes)"));
                }
                Pending::DeleteFailureMode(id) => {
                    commit(app, Change::RemoveFailureMode(id), format!("deleting {id}"));
                    app.info(format!("{id} deleted (u undoes)"));
                }
                Pending::StartNextCycle => {
                    let change = match app.session.close_cycle_change(app.clock.now()) {
                        Ok(change) => change,
                        Err(limit) => return app.error(limit.to_string()),
                    };
                    let closed = app.session.pdca.cycle;
                    commit(app, change, format!("closing cycle {closed}"));
                    app.info(format!(
                        "cycle {closed} closed and kept in the history; cycle {} starts in Plan (u undoes)",
                        app.session.pdca.cycle
                    ));
                }
                Pending::QuitUnsaved => app.effects.push(Effect::QuitWithRecovery),
                Pending::OpenRecovery(path) => app.effects.push(Effect::OpenRecovery(path)),
            }
        }
        Action::No | Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("nothing changed");
        }
        _ => {}
    }
}

fn undo(app: &mut App) {
    step_history(app, true);
}

fn redo(app: &mut App) {
    step_history(app, false);
}

/// Undo (or redo) one step: apply its change, keep the inverse for the other
/// direction, and show the record it changed in the pane it was made in.
fn step_history(app: &mut App, backwards: bool) {
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
    let reverse = app.apply(step.change);
    let label = step.label.clone();
    let back = super::history::Step {
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

fn advance_stage(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    if app.session.pdca.stage == Stage::Act {
        let cycle = app.session.pdca.cycle;
        let next = match app.session.next_cycle() {
            Ok(next) => next,
            Err(limit) => return app.error(limit.to_string()),
        };
        let closing = app
            .session
            .failure_modes
            .iter()
            .filter(|f| f.treatment.status.is_closed())
            .count();
        app.mode = Mode::Confirm(Confirm {
            question: format!("Close cycle {cycle} and start cycle {next} in Plan?"),
            detail: {
                let mut detail = vec![
                    "Every failure mode's ratings and treatment are kept in the cycle history."
                        .into(),
                    match closing {
                        0 => "No treatment is Done or Verified: every rating stays as it is."
                            .to_string(),
                        1 => "1 failure mode with a Done or Verified treatment takes its revised ratings."
                            .to_string(),
                        n => format!(
                            "{n} failure modes with a Done or Verified treatment take their revised ratings."
                        ),
                    },
                ];
                // What the room may want to settle before the cycle ends.
                let flags = app.flags;
                let mut open = Vec::new();
                if flags.undecided > 0 {
                    open.push(format!(
                        "{} {} still need{} a decision",
                        super::view::tables::UNDECIDED,
                        flags.undecided,
                        if flags.undecided == 1 { "s" } else { "" }
                    ));
                }
                if flags.overdue > 0 {
                    open.push(format!(
                        "{} {} overdue",
                        super::view::tables::OVERDUE,
                        flags.overdue
                    ));
                }
                if !open.is_empty() {
                    detail.push(format!("Open: {}.", open.join(", ")));
                }
                detail.push("u undoes it.".into());
                detail
            },
            pending: Pending::StartNextCycle,
        });
        return;
    }
    let change = match app.session.advance_stage_change(app.clock.now()) {
        Ok(change) => change,
        Err(limit) => return app.error(limit.to_string()),
    };
    commit(app, change, "stage change".into());
    app.info(format!(
        "cycle {}: {} ({})",
        app.session.pdca.cycle,
        app.session.pdca.stage,
        app.session.pdca.stage.purpose()
    ));
}

fn step_back_stage(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    match app.session.step_back_stage_change(app.clock.now()) {
        Some(change) => {
            commit(app, change, "stage change".into());
            app.info(format!(
                "cycle {}: back to {}",
                app.session.pdca.cycle, app.session.pdca.stage
            ));
        }
        None => app.error(format!(
            "cycle {} is in Plan, its first stage; a closed cycle is only reopened by undo (u)",
            app.session.pdca.cycle
        )),
    }
}

fn set_filter(app: &mut App, text: String) {
    match app.focus {
        Pane::Assets => app.assets.filter = text,
        Pane::FailureModes => app.failure_modes.filter = text,
    }
    app.rebuild_rows();
}

fn filter(app: &mut App, action: Action) {
    let Mode::Filter(input) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            input.handle(request);
            let text = input.value().to_string();
            set_filter(app, text);
        }
        Action::Submit => {
            app.mode = Mode::Normal;
            let (shown, total, text) = match app.focus {
                Pane::Assets => (
                    app.assets.rows.len(),
                    app.session.assets.len(),
                    app.assets.filter.clone(),
                ),
                Pane::FailureModes => (
                    app.failure_modes.rows.len(),
                    app.session.failure_modes.len(),
                    app.failure_modes.filter.clone(),
                ),
            };
            if !text.is_empty() {
                app.info(format!(
                    "filter {text:?}: {shown} of {total} shown (Esc clears)"
                ));
            }
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            set_filter(app, String::new());
        }
        _ => {}
    }
}

fn help(app: &mut App, action: Action) {
    let Mode::Help { scroll } = &mut app.mode else {
        return;
    };
    let page = app.height.saturating_sub(4).max(1);
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = u16::MAX,
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
    // The view clamps the scroll to the text's length.
    if let Mode::Help { scroll } = &mut app.mode {
        *scroll = (*scroll).min(super::view::help::max_scroll(app.width, app.height));
    }
}

fn export_dialog(app: &mut App, action: Action) {
    let Mode::Export(dialog) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            if std::mem::take(&mut dialog.selected_all)
                && matches!(
                    request,
                    InputRequest::InsertChar(_) | InputRequest::DeletePrevChar
                )
            {
                dialog.dir = Input::default();
            }
            dialog.dir.handle(request);
            dialog.result = None;
        }
        Action::NextDelimiter => {
            dialog.options.delimiter = match dialog.options.delimiter {
                b',' => b';',
                b';' => b'\t',
                _ => b',',
            };
            dialog.result = None;
        }
        Action::ToggleBom => {
            dialog.options.bom = !dialog.options.bom;
            dialog.result = None;
        }
        Action::Left => {
            dialog.selected_all = false;
            dialog.dir.handle(InputRequest::GoToPrevChar);
        }
        Action::Right => {
            dialog.selected_all = false;
            dialog.dir.handle(InputRequest::GoToNextChar);
        }
        Action::Submit => {
            let dir = dialog.dir.value().trim();
            let dir = if dir.is_empty() {
                ".".into()
            } else {
                std::path::PathBuf::from(dir)
            };
            let options = dialog.options;
            app.effects.push(Effect::Export { dir, options });
        }
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
}

/// The rating kind under the column cursor of the focused pane, if any.
pub fn rating_under_cursor(app: &App) -> Option<RatingKind> {
    match app.focus {
        Pane::Assets => app.assets.column.rating(),
        Pane::FailureModes => app.failure_modes.column.rating(),
    }
}

fn conflict(app: &mut App, action: Action) {
    match action {
        Action::Reload => app.effects.push(Effect::Reload),
        Action::Overwrite => {
            app.mode = Mode::Normal;
            app.effects.push(Effect::Overwrite);
        }
        Action::SaveAs => {
            let stem = export::stem_of(&app.path);
            let suggestion = app.path.with_file_name(format!("{stem}.mine.ron"));
            app.mode = Mode::SaveAs(Input::new(suggestion.display().to_string()));
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.error(
                "NOT SAVED: the file changed on disk; Ctrl-s decides (reload, save as, overwrite)",
            );
        }
        _ => {}
    }
}

fn save_as(app: &mut App, action: Action) {
    let Mode::SaveAs(input) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            input.handle(request);
        }
        Action::Submit => {
            let path = std::path::PathBuf::from(input.value().trim());
            if path.as_os_str().is_empty() {
                app.error("give the file a name");
            } else {
                app.effects.push(Effect::SaveAs(path));
            }
        }
        Action::Cancel => app.mode = Mode::Conflict,
        _ => {}
    }
}

fn app_import_options(app: &App) -> crate::import::Options {
    match &app.mode {
        Mode::Import(dialog) => dialog.options,
        _ => crate::import::Options::default(),
    }
}

type ReadFile = Option<(String, Result<Vec<u8>, String>)>;

/// The preview of an import: what the files would change, worked out on a copy.
fn plan_import(
    session: &crate::domain::Session,
    assets: ReadFile,
    failure_modes: ReadFile,
    options: crate::import::Options,
) -> Result<crate::import::Plan, String> {
    if assets.is_none() && failure_modes.is_none() {
        return Err("give an assets file, a failure-modes file, or both".into());
    }
    let assets = assets
        .map(|(name, bytes)| bytes.map(|b| (name, b)))
        .transpose()?;
    let failure_modes = failure_modes
        .map(|(name, bytes)| bytes.map(|b| (name, b)))
        .transpose()?;
    fn source(f: &Option<(String, Vec<u8>)>) -> Option<crate::import::Source<'_>> {
        f.as_ref().map(|(name, bytes)| crate::import::Source {
            name: name.as_str(),
            bytes: bytes.as_slice(),
        })
    }
    crate::import::plan(session, source(&assets), source(&failure_modes), &options)
        .map_err(|e| e.to_string())
}

/// `i`: the import dialog, with the CSV files beside the session filled in when
/// they are there (the round trip of an export someone edited).
fn open_import(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let dir = export::default_dir(&app.path);
    let stem = export::stem_of(&app.path);
    let [assets, failure_modes, ..] = export::target_paths(&dir, &stem);
    let existing = |p: std::path::PathBuf| {
        if p.exists() {
            p.display().to_string()
        } else {
            String::new()
        }
    };
    app.mode = Mode::Import(Box::new(super::app::ImportDialog {
        assets: Input::new(existing(assets)),
        failure_modes: Input::new(existing(failure_modes)),
        focus: 0,
        options: crate::import::Options::default(),
        plan: None,
    }));
}

fn import_dialog(app: &mut App, action: Action) {
    let Mode::Import(dialog) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            let field = if dialog.focus == 0 {
                &mut dialog.assets
            } else {
                &mut dialog.failure_modes
            };
            field.handle(request);
            dialog.plan = None;
        }
        Action::NextField => dialog.focus = 1 - dialog.focus.min(1),
        Action::ToggleUnknownIds => {
            let o = &mut dialog.options;
            (o.keep_ids, o.new_ids) = match (o.keep_ids, o.new_ids) {
                (false, false) => (true, false),
                (true, false) => (false, true),
                _ => (false, false),
            };
            dialog.plan = None;
        }
        Action::TogglePartial => {
            dialog.options.partial = !dialog.options.partial;
            dialog.plan = None;
        }
        Action::Submit => match &dialog.plan {
            Some(Ok(plan)) if plan.summary.changes_anything() => {
                let plan = plan.clone();
                app.mode = Mode::Normal;
                commit(app, plan.change.clone(), "import".into());
                let next = &mut app.session.next_ids;
                next.asset = next.asset.max(plan.next_ids.asset);
                next.failure_mode = next.failure_mode.max(plan.next_ids.failure_mode);
                let lines = plan.summary.report_lines();
                let counts: Vec<&String> = lines.iter().filter(|l| l.contains(" added")).collect();
                app.info(format!(
                    "imported: {} (u undoes it)",
                    counts
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            _ => {
                let path = |input: &Input| {
                    let text = input.value().trim();
                    (!text.is_empty()).then(|| std::path::PathBuf::from(text))
                };
                let (assets, failure_modes) = (path(&dialog.assets), path(&dialog.failure_modes));
                app.effects.push(Effect::ReadImport {
                    assets,
                    failure_modes,
                });
            }
        },
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("import closed: nothing changed");
        }
        _ => {}
    }
}
