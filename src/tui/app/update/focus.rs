//! The focus view (Context::Focus): one record in full. ↑ ↓ walk the list it
//! came from (failure modes in RPN order, or the asset register); ← → choose
//! the rating that digits set, and digits rate with the rules of the tables
//! (`rating`); u and Ctrl-r undo and redo; Esc goes back to the table on the
//! record shown.

use super::super::{App, FocusView, Mode, Record};
use crate::domain::RatingKind;
use crate::tui::action::Action;
use crate::tui::pane::Pane;

const FAILURE_MODE_RATINGS: [RatingKind; 3] = [
    RatingKind::Severity,
    RatingKind::Occurrence,
    RatingKind::Detection,
];
const ASSET_RATINGS: [RatingKind; 3] = [
    RatingKind::Confidentiality,
    RatingKind::Integrity,
    RatingKind::Availability,
];

fn ratings_of(record: Record) -> [RatingKind; 3] {
    match record {
        Record::Asset(_) => ASSET_RATINGS,
        Record::FailureMode(_) => FAILURE_MODE_RATINGS,
    }
}

fn pane_of(record: Record) -> Pane {
    match record {
        Record::Asset(_) => Pane::Assets,
        Record::FailureMode(_) => Pane::FailureModes,
    }
}

/// `f`: the selected record of the focused pane, its rating under the column
/// cursor (or the first) marked for digits.
pub(super) fn open(app: &mut App) {
    let record = match app.focus {
        Pane::Assets => app.selected_asset().map(|a| Record::Asset(a.id)),
        Pane::FailureModes => app
            .selected_failure_mode()
            .map(|f| Record::FailureMode(f.id)),
    };
    let Some(record) = record else {
        app.error("nothing selected to focus on (a adds a record)");
        return;
    };
    let ratings = ratings_of(record);
    let rating = app
        .focused_column()
        .rating()
        .filter(|k| ratings.contains(k))
        .unwrap_or(ratings[0]);
    let at = row_of(app, record).unwrap_or(0);
    app.mode = Mode::Focus(FocusView {
        record,
        at,
        rating,
        scroll: 0,
        max: 0,
    });
    super::scrolling::measure(app);
}

fn view(app: &App) -> Option<FocusView> {
    match &app.mode {
        Mode::Focus(view) => Some(*view),
        _ => None,
    }
}

pub(super) fn update(app: &mut App, action: Action) {
    let Some(mut view) = view(app) else {
        return;
    };
    let page =
        crate::tui::view::focus::area(ratatui::layout::Rect::new(0, 0, app.width, app.height))
            .height
            .saturating_sub(3)
            .max(1);
    match action {
        Action::Up | Action::Down => {
            if let Some((next, at)) = neighbour(app, view, action == Action::Down) {
                view.record = next;
                view.at = at;
                view.scroll = 0;
                select(app, next);
            }
        }
        Action::Left | Action::Right => {
            let ratings = ratings_of(view.record);
            let at = ratings.iter().position(|k| *k == view.rating).unwrap_or(0);
            let next = if action == Action::Right {
                (at + 1) % ratings.len()
            } else {
                (at + ratings.len() - 1) % ratings.len()
            };
            view.rating = ratings[next];
        }
        Action::Rate(digit) => {
            let typed = app.typed_digit.take();
            super::rating::rate_record(
                app,
                digit,
                typed,
                pane_of(view.record),
                Some(view.record),
                view.rating,
            );
        }
        Action::PageUp => view.scroll = view.scroll.saturating_sub(page),
        Action::PageDown => view.scroll = view.scroll.saturating_add(page).min(view.max),
        Action::Undo | Action::Redo => {
            let before = app.save.generation;
            super::undo::step(app, action == Action::Undo);
            // The record the step changed, when it is one of this kind.
            if app.save.generation != before {
                let shown = match view.record {
                    Record::Asset(_) => app.assets.selected_id().map(Record::Asset),
                    Record::FailureMode(_) => {
                        app.failure_modes.selected_id().map(Record::FailureMode)
                    }
                };
                if let Some(shown) = shown.filter(|_| app.focus == pane_of(view.record)) {
                    view.record = shown;
                    view.at = row_of(app, shown).unwrap_or(view.at);
                }
            }
        }
        Action::Cancel => {
            app.focus = pane_of(view.record);
            select(app, view.record);
            app.mode = Mode::Normal;
            return;
        }
        _ => {}
    }
    // A rating or an undo can close nothing, but it moves the record in the
    // list; the view stays open on it.
    if let Mode::Focus(open) = &mut app.mode {
        *open = view;
    }
    super::scrolling::measure(app);
}

/// Where `record` stands in its list now.
fn row_of(app: &App, record: Record) -> Option<usize> {
    match record {
        Record::Asset(id) => app.assets.rows.iter().position(|r| *r == id),
        Record::FailureMode(id) => app.failure_modes.rows.iter().position(|r| *r == id),
    }
}

/// The record above or below the one shown, and its row. "Below" is the one
/// that followed it when the view came to it: a rating that sends it to #18
/// (or out of a filtered list) does not take the room to #19, ↓ goes on with
/// the discussion where it was. In the list without the record shown, that
/// one stands at the row the view came to.
fn neighbour(app: &mut App, view: FocusView, down: bool) -> Option<(Record, usize)> {
    let now = row_of(app, view.record);
    let without = if down {
        Some(view.at)
    } else {
        view.at.checked_sub(1)
    };
    // Back from the list without the record to the list itself.
    let row = without.map(|k| match now {
        Some(p) if p <= k => k + 1,
        _ => k,
    });
    let found = row.and_then(|r| Some((rows_at(app, view.record, r)?, r)));
    if found.is_none() {
        app.info(match (view.record, down) {
            (Record::FailureMode(_), true) => "the last failure mode of the list",
            (Record::FailureMode(_), false) => {
                "the first failure mode of the list: the highest RPN"
            }
            (Record::Asset(_), true) => "the last asset of the register",
            (Record::Asset(_), false) => "the first asset of the register",
        });
    }
    found
}

/// The record at `row` of the list `record` is in.
fn rows_at(app: &App, record: Record, row: usize) -> Option<Record> {
    match record {
        Record::Asset(_) => app.assets.rows.get(row).copied().map(Record::Asset),
        Record::FailureMode(_) => app
            .failure_modes
            .rows
            .get(row)
            .copied()
            .map(Record::FailureMode),
    }
}

/// Puts the table's selection on `record`, where the list shows it.
fn select(app: &mut App, record: Record) {
    match record {
        Record::Asset(id) => {
            app.assets.select_id(id);
        }
        Record::FailureMode(id) => {
            app.failure_modes.select_id(id);
        }
    }
    app.clamp_views();
}
