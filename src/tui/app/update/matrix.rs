//! The risk matrix (Context::Matrix): the cell cursor, current or residual
//! ratings, 5 x 5 or 10 x 10, and Enter: the failure-mode table narrowed to
//! the cell (Esc there comes back here, see `normal`).

use super::super::{App, MatrixView, Mode, TreatmentFilter};
use crate::domain::matrix::{Grid, Matrix};
use crate::tui::action::Action;
use crate::tui::pane::Pane;
use crate::tui::view::matrix::{cell_filter, moved_text};

/// `m`. The first time, the cursor goes to the occupied cell nearest the top
/// right (the room asks about the worst ones first, and Enter lists them at
/// once); after that it stays where the facilitator left it.
pub(super) fn open(app: &mut App) {
    let view = &mut app.matrix;
    if !view.placed {
        let matrix = app.matrix_counts.matrix(view.grid, view.basis);
        if let Some((row, column)) = nearest_top_right(&matrix) {
            (view.row, view.column) = (row, column);
        }
        view.placed = true;
    }
    app.mode = Mode::Matrix;
}

/// The occupied cell with the fewest steps to the top right corner; of two as
/// near, the one of higher severity.
fn nearest_top_right(matrix: &Matrix) -> Option<(usize, usize)> {
    let last = matrix.columns().checked_sub(1)?;
    (0..matrix.rows())
        .flat_map(|row| (0..matrix.columns()).map(move |column| (row, column)))
        .filter(|(row, column)| matrix.cell(*row, *column).is_some_and(|c| c.count > 0))
        .min_by_key(|(row, column)| (row + (last - column), *row))
}

/// The cell of `to` that holds the highest levels of the cell (row, column)
/// of `from`: the same corner of the room's picture.
fn same_cell(from: Grid, to: Grid, row: usize, column: usize) -> (usize, usize) {
    let s = from.rows().get(row).map_or(10, |b| b.high);
    let o = from.columns().get(column).map_or(10, |b| b.high);
    (to.row_of(s).unwrap_or(0), to.column_of(o).unwrap_or(0))
}

pub(super) fn update(app: &mut App, action: Action) {
    let m: &mut MatrixView = &mut app.matrix;
    let rows = m.grid.rows().len();
    let columns = m.grid.columns().len();
    match action {
        Action::Up => m.row = m.row.saturating_sub(1),
        Action::Down => m.row = (m.row + 1).min(rows - 1),
        Action::Left => m.column = m.column.saturating_sub(1),
        Action::Right => m.column = (m.column + 1).min(columns - 1),
        Action::ToggleBasis => {
            m.basis = m.basis.toggled();
            let view = *m;
            let text = moved_text(app, view, usize::from(app.width));
            app.info(text);
        }
        Action::ToggleGrid => {
            let to = match m.grid {
                Grid::Bands => Grid::Levels,
                Grid::Levels => Grid::Bands,
            };
            (m.row, m.column) = same_cell(m.grid, to, m.row, m.column);
            m.grid = to;
        }
        Action::Submit => list_cell(app),
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
}

/// Enter: the failure-mode table shows the cell's failure modes (in RPN
/// order, the first selected), and nothing else narrows it.
fn list_cell(app: &mut App) {
    let view = app.matrix;
    let filter = cell_filter(view);
    let count = app
        .matrix_counts
        .matrix(view.grid, view.basis)
        .cell(view.row, view.column)
        .map_or(0, |c| c.count);
    if count == 0 {
        app.info(format!("no failure mode in {}", filter.describe()));
        return;
    }
    app.treatment_filter = TreatmentFilter {
        cell: Some(filter),
        ..Default::default()
    };
    app.failure_modes.filter.clear();
    app.focus = Pane::FailureModes;
    app.mode = Mode::Normal;
    app.failure_modes.selected = 0;
    app.failure_modes.offset = 0;
    app.rebuild_rows();
    app.failure_modes.selected = 0;
    app.clamp_views();
    app.info(format!(
        "{count} failure mode{} in {} · f focus · Esc back to the matrix",
        if count == 1 { "" } else { "s" },
        filter.describe()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_grids_keeps_the_corner_of_the_picture() {
        assert_eq!(same_cell(Grid::Bands, Grid::Levels, 0, 4), (0, 9));
        assert_eq!(same_cell(Grid::Levels, Grid::Bands, 0, 9), (0, 4));
        assert_eq!(same_cell(Grid::Levels, Grid::Bands, 9, 0), (4, 0));
        // S 7-8 x O 4-5 -> S 8, O 5 -> back to the same band.
        assert_eq!(same_cell(Grid::Bands, Grid::Levels, 1, 2), (2, 4));
        assert_eq!(same_cell(Grid::Levels, Grid::Bands, 2, 4), (1, 2));
    }

    #[test]
    fn the_first_cursor_is_the_occupied_cell_nearest_the_top_right() {
        use crate::domain::matrix::Basis;
        use crate::domain::{FailureMode, Session};
        let mut session = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        let empty = Matrix::of(&session, Grid::Bands, Basis::Current);
        assert_eq!(nearest_top_right(&empty), None);
        let add = |session: &mut Session, s: u8, o: u8| {
            let id = session.allocate_failure_mode_id().unwrap();
            let mut fm = FailureMode::new(id, "x");
            (fm.severity, fm.occurrence, fm.detection) = (s, o, 5);
            session.failure_modes.push(fm);
        };
        add(&mut session, 1, 1);
        add(&mut session, 5, 9); // row 2, column 4: two steps
        add(&mut session, 9, 5); // row 0, column 2: two steps, higher severity
        add(&mut session, 7, 3); // row 1, column 1: four steps
        let m = Matrix::of(&session, Grid::Bands, Basis::Current);
        assert_eq!(nearest_top_right(&m), Some((0, 2)));
        add(&mut session, 8, 10); // row 1, column 4: one step
        let m = Matrix::of(&session, Grid::Bands, Basis::Current);
        assert_eq!(nearest_top_right(&m), Some((1, 4)));
    }

    fn demo_like() -> App {
        use crate::domain::{FailureMode, Session};
        let mut session = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        for (s, o, revised) in [(10, 5, Some(1)), (9, 4, None), (3, 2, None)] {
            let id = session.allocate_failure_mode_id().unwrap();
            let mut fm = FailureMode::new(id, "x");
            (fm.severity, fm.occurrence, fm.detection) = (s, o, 5);
            fm.treatment.revised_occurrence = revised;
            session.failure_modes.push(fm);
        }
        App::new(
            session,
            "t.ron".into(),
            crate::tui::theme::Theme::mono(),
            80,
            24,
        )
    }

    #[test]
    fn the_cursor_stops_at_the_edges_of_either_grid() {
        let mut app = demo_like();
        open(&mut app);
        // The occupied cell nearest the top right: S 9-10 x O 4-5.
        assert_eq!((app.matrix.row, app.matrix.column), (0, 2));
        for _ in 0..9 {
            update(&mut app, Action::Right);
            update(&mut app, Action::Up);
        }
        assert_eq!((app.matrix.row, app.matrix.column), (0, 4));
        update(&mut app, Action::ToggleGrid);
        assert_eq!((app.matrix.row, app.matrix.column), (0, 9));
        for _ in 0..20 {
            update(&mut app, Action::Down);
            update(&mut app, Action::Left);
        }
        assert_eq!((app.matrix.row, app.matrix.column), (9, 0));
        assert!(matches!(app.mode, Mode::Matrix));
    }

    #[test]
    fn residual_says_how_many_moved_and_enter_lists_by_the_residual_ratings() {
        let mut app = demo_like();
        open(&mut app);
        update(&mut app, Action::ToggleBasis);
        assert_eq!(app.matrix.basis, crate::domain::matrix::Basis::Residual);
        let said = &app.message().unwrap().text;
        assert!(said.starts_with("After treatment 1 of 1 revised"), "{said}");
        // After treatment FM-001 is at S 10 x O 1 (row 0, column 0); the
        // cell S 9-10 x O 4-5 now holds FM-002 alone.
        update(&mut app, Action::Submit);
        assert!(matches!(app.mode, Mode::Normal));
        assert_eq!(app.failure_modes.rows, [crate::domain::FailureModeId(2)]);
        // Esc in the table: the whole list, back in the matrix.
        super::super::update(&mut app, Action::Cancel);
        assert!(matches!(app.mode, Mode::Matrix));
        assert_eq!(app.failure_modes.rows.len(), 3);
        for _ in 0..2 {
            update(&mut app, Action::Left);
        }
        update(&mut app, Action::Submit);
        assert_eq!(app.failure_modes.rows, [crate::domain::FailureModeId(1)]);
    }
}
