//! The ISMS programme view (`R`, Context::Programme): moving between its three
//! parts and their rows, a step's or document's status with `s`/`S`, their forms
//! (Enter/e; saved here, `submit_form`), undo that shows what it took back.
//! Every edit is one `PutStep` or `PutDocument` through `commit`, so undo, the
//! saver and the read-only rule treat it like any other.

#[cfg(test)]
mod tests;

use super::super::programme::{Facts, Part, ProgrammeView, Row};
use super::super::{App, Mode};
use super::{commit, refuse_if_read_only};
use crate::domain::Change;
use crate::domain::programme::{CLAUSES, Programme, STEP_COUNT};
use crate::tui::action::Action;
use crate::tui::form::{Form, Target};
use crate::tui::keymap::Context;
use crate::tui::view::programme as view;

/// `R`: opens the view where it was left, with the programme as it is now
/// (worked out again as far as something changed since).
pub(super) fn open(app: &mut App) {
    let (generation, today) = (app.save.generation, app.clock.today());
    match &mut app.programme {
        Some(p) => {
            p.facts.refresh(&app.session, today, generation);
            p.open = true;
        }
        None => {
            let facts = Facts::of(&app.session, today, generation);
            app.programme = Some(Box::new(ProgrammeView::new(facts)));
        }
    }
    keep_in_view(app);
    app.info("ISMS programme: Tab the next part, Enter edits, s the status, Esc closes");
}

/// After every action and outcome: the facts again when the session changed or
/// the day did, and the selected row kept on screen (the size may have changed).
pub(super) fn refresh(app: &mut App) {
    let (generation, today) = (app.save.generation, app.clock.today());
    let Some(p) = app.programme.as_deref_mut().filter(|p| p.open) else {
        return;
    };
    p.facts.refresh(&app.session, today, generation);
    keep_in_view(app);
}

/// The session was replaced (read again from disk): its change count starts
/// afresh, so the facts cannot be judged by it. They are worked out again when
/// the view next shows (at once, by `refresh`, when it is open).
pub(super) fn session_replaced(app: &mut App) {
    if let Some(p) = app.programme.as_deref_mut() {
        p.facts.outdate();
    }
}

fn view_mut(app: &mut App) -> Option<&mut ProgrammeView> {
    app.programme.as_deref_mut().filter(|p| p.open)
}

/// Scrolls the part so that the selected row, and what belongs to it, shows.
fn keep_in_view(app: &mut App) {
    let rows = view::body_rows(app.width, app.height);
    let Some(p) = app.programme() else {
        return;
    };
    let (row, total) = view::selected_lines(app, p);
    let mut scroll = p.scroll.min(total.saturating_sub(rows));
    if row.end > scroll + rows {
        // The whole row if it fits, else from its own line.
        scroll = row.end.saturating_sub(rows).min(row.line);
    }
    if row.top < scroll {
        scroll = if row.end - row.top <= rows {
            row.top
        } else {
            row.line
        };
    }
    if let Some(p) = view_mut(app) {
        p.scroll = scroll;
    }
}

fn select(app: &mut App, to: impl Fn(usize, usize) -> usize) {
    if let Some(p) = view_mut(app) {
        let i = p.part.index();
        p.selected[i] = to(p.selected_index(), p.part.rows());
    }
    keep_in_view(app);
}

/// A page down (or up): the row a screenful of lines further on.
fn page(app: &mut App, forward: bool) {
    let rows = view::body_rows(app.width, app.height).max(1);
    let Some(p) = app.programme() else {
        return;
    };
    let (row, _) = view::selected_lines(app, p);
    let target = if forward {
        row.line + rows
    } else {
        row.line.saturating_sub(rows)
    };
    let mut at = view::row_at_line(app, p, target);
    let now = p.selected_index();
    if forward && at <= now {
        at = now + 1;
    }
    select(app, |_, n| at.min(n.saturating_sub(1)));
}

fn switch_part(app: &mut App, forward: bool) {
    if let Some(p) = view_mut(app) {
        p.part = p.part.next(forward);
        p.scroll = 0;
        let name = p.part.name();
        app.info(format!(
            "{name} (Tab the next part, Shift-Tab the one before)"
        ));
    }
    keep_in_view(app);
}

pub(super) fn update(app: &mut App, action: Action) {
    match action {
        Action::Up => select(app, |i, _| i.saturating_sub(1)),
        Action::Down => select(app, |i, n| (i + 1).min(n.saturating_sub(1))),
        Action::Top => select(app, |_, _| 0),
        Action::Bottom => select(app, |_, n| n.saturating_sub(1)),
        Action::PageDown => page(app, true),
        Action::PageUp => page(app, false),
        Action::FocusNext => switch_part(app, true),
        Action::FocusPrevious => switch_part(app, false),
        Action::Edit => open_form(app),
        Action::NextStatus => cycle_status(app, true),
        Action::PreviousStatus => cycle_status(app, false),
        Action::Undo | Action::Redo => {
            let before = app.session.programme.clone();
            super::undo::step(app, action == Action::Undo);
            show_what_changed(app, &before);
        }
        Action::Help => {
            // At the programme's own keys; the rest is a scroll up.
            super::scrolling::open_help(app);
            let at = crate::tui::view::help::section_line(app.width, Context::Programme);
            if let Mode::Help { scroll, max } = &mut app.mode {
                *scroll = at.min(*max);
            }
        }
        Action::Cancel => {
            if let Some(p) = view_mut(app) {
                p.open = false;
            }
            app.info("back to the tables (R opens the programme again where it was)");
        }
        // As in the tables: the same checks (read-only, a conflict on disk).
        Action::Save | Action::Quit => super::normal::update(app, action),
        Action::Unbound(c) => app.info(format!("{c} does nothing here: ? lists every key")),
        _ => {}
    }
}

fn selected_row(app: &App) -> Option<Row> {
    app.programme().map(ProgrammeView::row)
}

const GROUPS_ARE_DERIVED: &str = "the control groups come from the failure modes' Annex A links: \
     A on a failure mode links its controls";

fn open_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let form = match selected_row(app) {
        Some(Row::Step(n)) => Form::for_step(&app.session.programme.step(n)),
        Some(Row::Document(clause)) => {
            Form::for_document(clause, &app.session.programme.document(clause.id))
        }
        Some(Row::Group(_)) => return app.info(GROUPS_ARE_DERIVED),
        None => return,
    };
    app.mode = Mode::Form(Box::new(form));
}

fn cycle_status(app: &mut App, forward: bool) {
    if refuse_if_read_only(app) {
        return;
    }
    match selected_row(app) {
        Some(Row::Step(n)) => {
            let mut record = app.session.programme.step(n);
            record.status = record.status.cycled(forward);
            let status = record.status;
            commit(app, Change::PutStep(record), format!("status of step {n}"));
            app.info(format!("step {n}: {status} (s next, S back, u undoes)"));
        }
        Some(Row::Document(clause)) => {
            let mut record = app.session.programme.document(clause.id);
            record.status = record.status.cycled(forward);
            let status = record.status;
            commit(
                app,
                Change::PutDocument(record),
                format!("status of document {}", clause.cited()),
            );
            app.info(format!(
                "document {}: {status} (s next, S back, u undoes)",
                clause.cited()
            ));
        }
        Some(Row::Group(_)) => app.info(GROUPS_ARE_DERIVED),
        None => {}
    }
}

/// Saves the form of a step or a document as one change.
pub(super) fn submit_form(app: &mut App) {
    let today = app.clock.today();
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let (change, label, what) = match form.target {
        Target::Step(n) => {
            let Some(record) = form.to_step(n) else {
                return;
            };
            if app.session.programme.step(n) == record {
                app.mode = Mode::Normal;
                return app.info("no changes");
            }
            let what = format!("step {n} saved: {}", record.status);
            (Change::PutStep(record), format!("step {n}"), what)
        }
        Target::Document(id) => {
            let Some(record) = form.to_document(id, today) else {
                return;
            };
            if app.session.programme.document(id) == record {
                app.mode = Mode::Normal;
                return app.info("no changes");
            }
            let cited = crate::domain::programme::clause(id).map_or(id, |c| c.cited());
            let what = format!("document {cited} saved: {}", record.status);
            (
                Change::PutDocument(record),
                format!("document {cited}"),
                what,
            )
        }
        _ => return,
    };
    commit(app, change, label);
    app.mode = Mode::Normal;
    app.info(format!("{what} (u undoes)"));
}

/// After undo or redo in the view: the step or document it changed, selected
/// in its part. A change elsewhere (a rating made in the tables) leaves the
/// view as it is; the message says what it was.
fn show_what_changed(app: &mut App, before: &Programme) {
    let after = &app.session.programme;
    let step = (1..=STEP_COUNT).find(|n| before.step(*n) != after.step(*n));
    let document = CLAUSES
        .iter()
        .position(|c| before.document(c.id) != after.document(c.id));
    let target = match (step, document) {
        (Some(n), _) => Some((Part::Roadmap, usize::from(n) - 1)),
        (None, Some(i)) => Some((Part::Documents, i)),
        (None, None) => None,
    };
    if let (Some((part, index)), Some(p)) = (target, view_mut(app)) {
        p.part = part;
        p.selected[part.index()] = index;
    }
    keep_in_view(app);
}
