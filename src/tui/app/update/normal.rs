//! The workshop view's keys (Context::Normal): moving, the column cursor, the
//! text, status and owner filters, the treatment view, the PDCA stage; and the
//! filter line (Context::Filter). Digits are in `rating`, forms in `form`.

use tui_input::Input;

use super::super::{App, Confirm, Effect, ExportDialog, Mode, Pending, StatusFilter, owners};
use super::{commit, refuse_if_read_only, selected_failure_mode};
use crate::domain::Stage;
use crate::export;
use crate::tui::action::Action;
use crate::tui::form::{EntryKind, Form};
use crate::tui::pane::{Column, Pane};
use crate::tui::view::layout::{Layout, Table, visible_columns};

/// Rows in a page of the focused pane.
fn page(app: &App) -> usize {
    let layout = Layout::of_view(app.width, app.height, app.treatment_view);
    match app.focus {
        Pane::Assets => layout.asset_rows(),
        Pane::FailureModes => layout.failure_mode_rows(),
    }
    .max(1)
}

/// Moves the focused pane's selection to `to(selected, rows, page)`.
pub(super) fn move_selection(app: &mut App, to: impl Fn(usize, usize, usize) -> usize) {
    let (selected, rows) = app.focused_selection();
    app.set_focused_selection(to(selected, rows, page(app)));
}

fn move_column(app: &mut App, forward: bool) {
    let columns = visible_columns(Table::of(app.focus, app.treatment_view), app.width);
    let at = columns
        .iter()
        .position(|c| *c == app.focused_column())
        .unwrap_or(0);
    let next = if forward {
        (at + 1).min(columns.len() - 1)
    } else {
        at.saturating_sub(1)
    };
    app.set_focused_column(columns[next]);
}

pub(super) fn update(app: &mut App, action: Action) {
    // A follower that moves on its own browses freely until F.
    if matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::FocusNext
            | Action::FocusPrevious
            | Action::ToggleTreatmentView
            | Action::History
            | Action::Cycles
    ) {
        super::room::browsing(app);
    }
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
        Action::Rate(digit) => super::rating::rate(app, digit),
        Action::Add => super::form::open_add_form(app),
        Action::Edit => super::form::open_edit_form(app),
        Action::Delete => super::confirm::ask_delete(app),
        Action::Undo => super::undo::step(app, true),
        Action::Redo => super::undo::step(app, false),
        Action::Filter => {
            app.mode = Mode::Filter(Input::new(app.focused_filter().to_string()));
        }
        Action::Cancel => {
            let cell = app
                .treatment_filter
                .cell
                .filter(|_| app.focus == Pane::FailureModes);
            if app.focus == Pane::FailureModes && !app.treatment_filter.is_empty() {
                app.treatment_filter = Default::default();
            }
            app.set_focused_filter(String::new());
            // The list of a matrix cell: back to the matrix, on that cell.
            if cell.is_some() {
                super::matrix::open(app);
            }
        }
        Action::ToggleTreatmentView => toggle_treatment_view(app),
        Action::NextStatusFilter => step_status_filter(app, true),
        Action::PreviousStatusFilter => step_status_filter(app, false),
        Action::NextOwnerFilter => step_owner_filter(app, true),
        Action::PreviousOwnerFilter => step_owner_filter(app, false),
        Action::Controls => super::controls::open(app),
        Action::History => {
            if let Some(id) = selected_failure_mode(app, "its history") {
                super::scrolling::open_history(app, id);
            }
        }
        Action::Cycles => super::scrolling::open_cycles(app),
        Action::Details => super::record::open_details(app),
        Action::DecisionLog => super::scrolling::open_log(app),
        Action::Note => super::record::open_entry(app, EntryKind::Note),
        Action::Question => super::record::open_entry(app, EntryKind::Question),
        Action::AgreeAction => super::record::open_entry(app, EntryKind::Action),
        Action::SignOff => super::record::open_sign_off(app),
        Action::NextProcessFilter => super::record::step_process_filter(app, true),
        Action::PreviousProcessFilter => super::record::step_process_filter(app, false),
        Action::ProcessForm => super::record::open_process_form(app),
        Action::Programme => super::programme::open(app),
        Action::Focus => super::focus::open(app),
        Action::Matrix => super::matrix::open(app),
        Action::MergeConflicts => super::merge::open(app),
        Action::Unbound(' ') => app.info("space does nothing here: ? lists every key"),
        Action::Unbound(c) => app.info(format!("{c} does nothing here: ? lists every key")),
        Action::Threshold if !refuse_if_read_only(app) => {
            app.mode = Mode::Form(Box::new(Form::for_threshold(&app.session.threshold)));
        }
        Action::AdvanceStage => advance_stage(app),
        Action::StepBackStage => step_back_stage(app),
        Action::Export | Action::Import if app.is_follower() => {
            app.error("a follower writes no files: the facilitator exports and imports");
        }
        Action::Export => {
            let dir = export::default_dir(&app.path);
            let dialog = app.exported.clone().unwrap_or_else(|| ExportDialog {
                dir: Input::new(dir.display().to_string()),
                selected_all: true,
                options: app.settings.csv,
                workbook: false,
                result: None,
            });
            app.mode = Mode::Export(dialog);
        }
        Action::Save if app.save.conflict => app.mode = Mode::Conflict,
        Action::Save if refuse_if_read_only(app) => {}
        Action::Save if app.save.is_saved() => app.info("everything is saved"),
        Action::Save => app.effects.push(Effect::SaveNow),
        Action::Help => super::scrolling::open_help(app),
        Action::Import => super::import::open(app),
        Action::Quit => app.effects.push(Effect::Quit),
        Action::Vote => super::room::vote(app),
        Action::FollowAgain => super::room::follow_again(app),
        _ => {}
    }
}

fn toggle_treatment_view(app: &mut App) {
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
                        crate::tui::view::tables::UNDECIDED,
                        flags.undecided,
                        if flags.undecided == 1 { "s" } else { "" }
                    ));
                }
                if flags.overdue > 0 {
                    open.push(format!(
                        "{} {} overdue",
                        crate::tui::view::tables::OVERDUE,
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

pub(super) fn filter(app: &mut App, action: Action) {
    let Mode::Filter(input) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            input.handle(request);
            let text = input.value().to_string();
            app.set_focused_filter(text);
        }
        Action::Submit => {
            app.mode = Mode::Normal;
            let total = match app.focus {
                Pane::Assets => app.session.assets.len(),
                Pane::FailureModes => app.session.failure_modes.len(),
            };
            let (_, shown) = app.focused_selection();
            let text = app.focused_filter().to_string();
            if !text.is_empty() {
                app.info(format!(
                    "filter {text:?}: {shown} of {total} shown (Esc clears)"
                ));
            }
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.set_focused_filter(String::new());
        }
        _ => {}
    }
}
