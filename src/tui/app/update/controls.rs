//! The Annex A picker of a failure mode (Context::Controls).

use tui_input::Input;

use super::super::{App, ControlsDialog, Mode};
use super::{commit, selected_failure_mode};
use crate::domain::{Change, ControlState};
use crate::tui::action::Action;

pub(super) fn open(app: &mut App) {
    let Some(id) = selected_failure_mode(app, "its Annex A controls") else {
        return;
    };
    app.mode = Mode::Controls(ControlsDialog {
        id,
        query: Input::default(),
        selected: 0,
    });
}

pub(super) fn update(app: &mut App, action: Action) {
    let area = ratatui::layout::Rect::new(0, 0, app.width, app.height);
    let page = crate::tui::view::controls::list_rows(area).max(1);
    let Mode::Controls(dialog) = &mut app.mode else {
        return;
    };
    let count = crate::tui::annex::rows(&app.session, dialog).len();
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
    let rows = crate::tui::annex::rows(&app.session, dialog);
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
        let count = crate::tui::annex::rows(&app.session, dialog).len();
        dialog.selected = dialog.selected.min(count.saturating_sub(1));
    }
    let state = next.map_or("not linked", |s| s.name());
    app.info(format!("{id}: {} → {state}", control.label()));
}
