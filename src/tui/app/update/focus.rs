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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Asset, Category, FailureMode, FailureModeId, Session};
    use crate::tui::app::update::update as dispatch;
    use crate::tui::theme::Theme;

    /// Three failure modes, RPN 500, 400, 300 (FM-001 to FM-003), and an asset.
    fn app() -> App {
        let mut s = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        let asset = s.allocate_asset_id().unwrap();
        s.assets
            .push(Asset::new(asset, "Server", Category::Hardware));
        for o in [5, 4, 3] {
            let id = s.allocate_failure_mode_id().unwrap();
            let mut fm = FailureMode::new(id, "x");
            (fm.severity, fm.occurrence, fm.detection) = (10, o, 10);
            s.failure_modes.push(fm);
        }
        App::new(s, "t.ron".into(), Theme::mono(), 80, 24)
    }

    fn shown(app: &App) -> Option<FocusView> {
        view(app)
    }

    #[test]
    fn f_opens_on_the_selected_record_with_the_rating_under_the_column_cursor() {
        let mut app = app();
        app.focus = Pane::FailureModes;
        app.failure_modes.selected = 1;
        open(&mut app);
        let v = shown(&app).unwrap();
        assert_eq!(v.record, Record::FailureMode(FailureModeId(2)));
        assert_eq!((v.at, v.rating), (1, RatingKind::Severity));
        // On an asset, its first rating.
        app.mode = Mode::Normal;
        app.focus = Pane::Assets;
        open(&mut app);
        assert_eq!(shown(&app).unwrap().rating, RatingKind::Confidentiality);
    }

    #[test]
    fn f_with_nothing_selected_says_so_and_stays_in_the_table() {
        let mut app = App::new(
            Session::new("t", jiff::Timestamp::UNIX_EPOCH),
            "t.ron".into(),
            Theme::mono(),
            80,
            24,
        );
        open(&mut app);
        assert!(matches!(app.mode, Mode::Normal));
        assert!(app.message().unwrap().text.starts_with("nothing selected"));
    }

    #[test]
    fn left_and_right_go_round_the_three_ratings_of_the_record() {
        let mut app = app();
        app.focus = Pane::FailureModes;
        open(&mut app);
        let mut seen = Vec::new();
        for _ in 0..4 {
            dispatch(&mut app, Action::Right);
            seen.push(shown(&app).unwrap().rating);
        }
        use RatingKind::*;
        assert_eq!(seen, [Occurrence, Detection, Severity, Occurrence]);
        dispatch(&mut app, Action::Left);
        dispatch(&mut app, Action::Left);
        assert_eq!(shown(&app).unwrap().rating, Detection);
    }

    #[test]
    fn esc_goes_back_to_the_table_on_the_record_shown() {
        let mut app = app();
        app.focus = Pane::FailureModes;
        open(&mut app);
        dispatch(&mut app, Action::Down);
        dispatch(&mut app, Action::Down);
        app.focus = Pane::Assets;
        dispatch(&mut app, Action::Cancel);
        assert!(matches!(app.mode, Mode::Normal));
        assert_eq!(app.focus, Pane::FailureModes);
        assert_eq!(app.failure_modes.selected_id(), Some(FailureModeId(3)));
    }

    #[test]
    fn the_ends_of_the_list_are_said_and_the_view_stays() {
        let mut app = app();
        app.focus = Pane::FailureModes;
        open(&mut app);
        dispatch(&mut app, Action::Up);
        assert_eq!(
            shown(&app).unwrap().record,
            Record::FailureMode(FailureModeId(1))
        );
        assert!(
            app.message()
                .unwrap()
                .text
                .starts_with("the first failure mode")
        );
        dispatch(&mut app, Action::Down);
        dispatch(&mut app, Action::Down);
        dispatch(&mut app, Action::Down);
        assert_eq!(
            shown(&app).unwrap().record,
            Record::FailureMode(FailureModeId(3))
        );
        assert!(
            app.message()
                .unwrap()
                .text
                .starts_with("the last failure mode")
        );
    }

    #[test]
    fn a_record_rated_to_the_bottom_leaves_the_walk_where_it_was() {
        let mut app = app();
        app.focus = Pane::FailureModes;
        open(&mut app);
        // FM-001 (500) rated S 1: RPN 50, last. ↓ is FM-002, ↑ from there
        // is the first row (nothing was above FM-001).
        dispatch(&mut app, Action::Rate(1));
        assert_eq!(app.failure_modes.rows.last(), Some(&FailureModeId(1)));
        dispatch(&mut app, Action::Down);
        assert_eq!(
            shown(&app).unwrap().record,
            Record::FailureMode(FailureModeId(2))
        );
        assert_eq!(shown(&app).unwrap().at, 0);
    }
}
