//! The risk matrix: severity down the side, occurrence along the bottom, the
//! number of failure modes in each cell, for the current ratings or the residual
//! ones (after treatment).
//!
//! Two grids. [`Grid::Bands`] is 5 x 5 on the bands of the Action Priority table
//! (severity 9-10, 7-8, 4-6, 2-3, 1; occurrence 8-10, 6-7, 4-5, 2-3, 1), so that a
//! cell of the matrix is a cell of the method's own AP table and the room reads the
//! two alike. [`Grid::Levels`] is every level, 10 x 10, where the screen is wide
//! enough. Highest severity is the top row and highest occurrence the right-hand
//! column, so the worst risks sit top right, where people look for them.
//!
//! Detection is the third dimension, and a matrix of two cannot place it. A cell
//! shows it two ways rather than hiding it: how many of its failure modes are AP H
//! (the AP table is where detection changes the verdict: S 9-10 with O 2-3 is H
//! when nobody would notice, L when it is blocked automatically), and its worst
//! detection rating (the highest D, the failure least likely to be caught). Worst
//! D alone would paint a cell of twelve well-watched failure modes by its one blind
//! spot; the AP H count says how many of them need action. The cell's zone (the
//! highest AP any failure mode in it can reach, i.e. with D 10) is its backdrop.
//!
//! A failure mode with no revised rating stays where it is in the residual matrix:
//! "after treatment" is the current rating until the room revises it.
//!
//! The counts behind the matrix are kept change by change in [`MatrixCounts`]; a
//! matrix is built from them in a pass over 1,000 counters, whatever the size of
//! the register.

mod counts;

use std::fmt;

pub use counts::{Cube, MatrixCounts, Moves};

use super::action_priority::{ActionPriority, action_priority};
use super::failure_mode::{FailureMode, Sod};
use super::session::Session;

/// Which ratings place a failure mode: as rated now, or after its treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Basis {
    #[default]
    Current,
    Residual,
}

impl Basis {
    pub const ALL: [Basis; 2] = [Self::Current, Self::Residual];

    pub fn name(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Residual => "residual",
        }
    }

    /// The other one: what the matrix's toggle shows next.
    pub fn toggled(self) -> Basis {
        match self {
            Self::Current => Self::Residual,
            Self::Residual => Self::Current,
        }
    }

    /// The ratings that place `fm`; the residual falls back to the current
    /// ratings where nothing is revised.
    pub fn sod(self, fm: &FailureMode) -> Sod {
        match self {
            Self::Current => fm.sod(),
            Self::Residual => fm.residual().unwrap_or_else(|| fm.sod()),
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Whether all three ratings are on their 1-10 scales (a file that has not been
/// validated may hold others; they are counted apart, never placed).
pub fn in_scale(sod: Sod) -> bool {
    [sod.severity, sod.occurrence, sod.detection]
        .iter()
        .all(|r| (1..=10).contains(r))
}

/// A run of levels of one scale, `low..=high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Band {
    pub low: u8,
    pub high: u8,
}

impl Band {
    const fn new(low: u8, high: u8) -> Band {
        Band { low, high }
    }

    pub fn contains(self, level: u8) -> bool {
        (self.low..=self.high).contains(&level)
    }
}

impl fmt::Display for Band {
    /// `9-10`, or `7` for a band of one level.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.low == self.high {
            f.pad(&self.low.to_string())
        } else {
            f.pad(&format!("{}-{}", self.low, self.high))
        }
    }
}

/// Severity bands of the AP table, top row first.
const SEVERITY_BANDS: [Band; 5] = [
    Band::new(9, 10),
    Band::new(7, 8),
    Band::new(4, 6),
    Band::new(2, 3),
    Band::new(1, 1),
];
/// Occurrence bands of the AP table, left column first.
const OCCURRENCE_BANDS: [Band; 5] = [
    Band::new(1, 1),
    Band::new(2, 3),
    Band::new(4, 5),
    Band::new(6, 7),
    Band::new(8, 10),
];
const fn levels(descending: bool) -> [Band; 10] {
    let mut bands = [Band::new(1, 1); 10];
    let mut i = 0;
    while i < 10 {
        let level = if descending { 10 - i } else { i + 1 } as u8;
        bands[i] = Band::new(level, level);
        i += 1;
    }
    bands
}
const SEVERITY_LEVELS: [Band; 10] = levels(true);
const OCCURRENCE_LEVELS: [Band; 10] = levels(false);

/// The shape of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Grid {
    /// 5 x 5 on the bands of the Action Priority table.
    #[default]
    Bands,
    /// 10 x 10, one row and column per level.
    Levels,
}

impl Grid {
    pub const ALL: [Grid; 2] = [Self::Bands, Self::Levels];

    /// Its place in [`Grid::ALL`].
    pub fn index(self) -> usize {
        match self {
            Self::Bands => 0,
            Self::Levels => 1,
        }
    }

    /// Severity, top row first (highest first).
    pub fn rows(self) -> &'static [Band] {
        match self {
            Self::Bands => &SEVERITY_BANDS,
            Self::Levels => &SEVERITY_LEVELS,
        }
    }

    /// Occurrence, left column first (lowest first).
    pub fn columns(self) -> &'static [Band] {
        match self {
            Self::Bands => &OCCURRENCE_BANDS,
            Self::Levels => &OCCURRENCE_LEVELS,
        }
    }

    pub fn row_of(self, severity: u8) -> Option<usize> {
        self.rows().iter().position(|b| b.contains(severity))
    }

    pub fn column_of(self, occurrence: u8) -> Option<usize> {
        self.columns().iter().position(|b| b.contains(occurrence))
    }

    /// The cell (row, column) of a rating; `None` outside the scales.
    pub fn cell_of(self, sod: Sod) -> Option<(usize, usize)> {
        Some((self.row_of(sod.severity)?, self.column_of(sod.occurrence)?))
    }

    /// The highest Action Priority a failure mode in this cell can have (with
    /// the worst detection): the cell's backdrop.
    pub fn zone(self, row: usize, column: usize) -> Option<ActionPriority> {
        let s = self.rows().get(row)?;
        let o = self.columns().get(column)?;
        Some(action_priority(s.high, o.high, 10))
    }
}

/// One cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    pub count: usize,
    /// Of those, how many have Action Priority H, M and L.
    pub ap_high: usize,
    pub ap_medium: usize,
    pub ap_low: usize,
    /// The highest detection rating among them (the least likely to be caught).
    pub worst_detection: Option<u8>,
    pub highest_rpn: u16,
}

impl Cell {
    /// Adds `count` failure modes rated `sod` (inside the scales).
    fn add(&mut self, sod: Sod, count: usize) {
        if count == 0 {
            return;
        }
        self.count += count;
        match sod.ap() {
            ActionPriority::H => self.ap_high += count,
            ActionPriority::M => self.ap_medium += count,
            ActionPriority::L => self.ap_low += count,
        }
        self.worst_detection = self.worst_detection.max(Some(sod.detection));
        self.highest_rpn = self.highest_rpn.max(sod.rpn());
    }
}

/// The matrix for one grid and basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub grid: Grid,
    pub basis: Basis,
    /// Row by row, top row first.
    cells: Vec<Cell>,
    /// Failure modes placed in a cell.
    pub placed: usize,
    /// Failure modes with a rating outside the scales (a file that has not
    /// been validated), in no cell.
    pub outside: usize,
}

impl Matrix {
    fn empty(grid: Grid, basis: Basis) -> Matrix {
        Matrix {
            grid,
            basis,
            cells: vec![Cell::default(); grid.rows().len() * grid.columns().len()],
            placed: 0,
            outside: 0,
        }
    }

    /// Adds `count` failure modes rated `sod`.
    fn add(&mut self, sod: Sod, count: usize) {
        match self.grid.cell_of(sod).filter(|_| in_scale(sod)) {
            Some((row, column)) => {
                let i = row * self.grid.columns().len() + column;
                self.cells[i].add(sod, count);
                self.placed += count;
            }
            None => self.outside += count,
        }
    }

    /// Counts every failure mode of the session: one pass over the register.
    /// The screen builds its matrix from [`MatrixCounts`] instead.
    pub fn of(session: &Session, grid: Grid, basis: Basis) -> Matrix {
        let mut m = Matrix::empty(grid, basis);
        for fm in &session.failure_modes {
            m.add(basis.sod(fm), 1);
        }
        m
    }

    pub fn rows(&self) -> usize {
        self.grid.rows().len()
    }

    pub fn columns(&self) -> usize {
        self.grid.columns().len()
    }

    pub fn cell(&self, row: usize, column: usize) -> Option<&Cell> {
        if column >= self.columns() {
            return None;
        }
        self.cells.get(row * self.columns() + column)
    }

    /// The largest count of any cell.
    pub fn busiest(&self) -> usize {
        self.cells.iter().map(|c| c.count).max().unwrap_or(0)
    }

    /// How full a cell is next to the busiest one, 0 (empty) to 4 (as full as
    /// the busiest): a shading that reads without colour. A cell with anything
    /// in it is at least 1, so one failure mode beside 100,000 still shows.
    pub fn shade(&self, row: usize, column: usize) -> u8 {
        let count = self.cell(row, column).map_or(0, |c| c.count);
        let busiest = self.busiest();
        if count == 0 || busiest == 0 {
            return 0;
        }
        // ceil(4 * count / busiest), in 1..=4.
        u8::try_from((4 * count).div_ceil(busiest)).unwrap_or(4)
    }
}

/// A cell chosen on the matrix, as a filter of the failure-mode table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellFilter {
    pub grid: Grid,
    pub basis: Basis,
    pub row: usize,
    pub column: usize,
}

impl CellFilter {
    /// Whether `fm` sits in this cell.
    pub fn matches(&self, fm: &FailureMode) -> bool {
        self.grid.cell_of(self.basis.sod(fm)) == Some((self.row, self.column))
    }

    /// `S 9-10, O 8-10 (current)`: what the table is filtered to.
    pub fn describe(&self) -> String {
        let band = |bands: &[Band], i: usize| bands.get(i).map_or("?".into(), Band::to_string);
        format!(
            "S {}, O {} ({})",
            band(self.grid.rows(), self.row),
            band(self.grid.columns(), self.column),
            self.basis
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FailureModeId;
    use jiff::Timestamp;

    fn sod(severity: u8, occurrence: u8, detection: u8) -> Sod {
        Sod {
            severity,
            occurrence,
            detection,
        }
    }

    fn fm(id: u32, s: u8, o: u8, d: u8) -> FailureMode {
        let mut f = FailureMode::new(FailureModeId(id), "m");
        (f.severity, f.occurrence, f.detection) = (s, o, d);
        f
    }

    #[test]
    fn bands_are_those_of_the_ap_table_and_cover_each_scale_once() {
        let text = |bands: &[Band]| bands.iter().map(Band::to_string).collect::<Vec<_>>();
        assert_eq!(text(Grid::Bands.rows()), ["9-10", "7-8", "4-6", "2-3", "1"]);
        assert_eq!(
            text(Grid::Bands.columns()),
            ["1", "2-3", "4-5", "6-7", "8-10"]
        );
        assert_eq!(text(Grid::Levels.rows())[0], "10");
        assert_eq!(text(Grid::Levels.columns())[9], "10");
        for grid in Grid::ALL {
            for level in 1..=10 {
                let rows = grid.rows().iter().filter(|b| b.contains(level)).count();
                let cols = grid.columns().iter().filter(|b| b.contains(level)).count();
                assert_eq!((rows, cols), (1, 1), "{grid:?} level {level}");
            }
            assert_eq!(grid.row_of(0), None);
            assert_eq!(grid.row_of(11), None);
            assert_eq!(grid.column_of(0), None);
            assert_eq!(grid.column_of(11), None);
        }
    }

    #[test]
    fn worst_is_top_right_and_mildest_bottom_left() {
        assert_eq!(Grid::Bands.cell_of(sod(10, 10, 1)), Some((0, 4)));
        assert_eq!(Grid::Bands.cell_of(sod(9, 8, 10)), Some((0, 4)));
        assert_eq!(Grid::Bands.cell_of(sod(1, 1, 10)), Some((4, 0)));
        assert_eq!(Grid::Bands.cell_of(sod(5, 3, 1)), Some((2, 1)));
        assert_eq!(Grid::Levels.cell_of(sod(10, 10, 1)), Some((0, 9)));
        assert_eq!(Grid::Levels.cell_of(sod(9, 8, 1)), Some((1, 7)));
        assert_eq!(Grid::Levels.cell_of(sod(1, 1, 1)), Some((9, 0)));
        assert_eq!(Grid::Levels.cell_of(sod(11, 1, 1)), None);
        assert_eq!(Grid::Bands.cell_of(sod(5, 0, 1)), None);
    }

    #[test]
    fn the_zone_is_the_highest_ap_any_rating_in_the_cell_reaches() {
        for grid in Grid::ALL {
            for (row, s_band) in grid.rows().iter().enumerate() {
                for (col, o_band) in grid.columns().iter().enumerate() {
                    let mut highest = ActionPriority::L;
                    for s in s_band.low..=s_band.high {
                        for o in o_band.low..=o_band.high {
                            for d in 1..=10 {
                                highest = highest.max(action_priority(s, o, d));
                            }
                        }
                    }
                    assert_eq!(grid.zone(row, col), Some(highest), "{grid:?} {row},{col}");
                }
            }
            assert_eq!(grid.zone(grid.rows().len(), 0), None);
        }
        assert_eq!(Grid::Bands.zone(0, 4), Some(ActionPriority::H));
        assert_eq!(
            Grid::Bands.zone(0, 0),
            Some(ActionPriority::L),
            "S 9-10, O 1"
        );
        assert_eq!(
            Grid::Bands.zone(3, 4),
            Some(ActionPriority::M),
            "S 2-3, O 8-10"
        );
    }

    #[test]
    fn every_rating_lands_in_the_one_cell_that_holds_it() {
        for grid in Grid::ALL {
            for s in 1..=10 {
                for o in 1..=10 {
                    for d in 1..=10 {
                        let mut m = Matrix::empty(grid, Basis::Current);
                        m.add(sod(s, o, d), 1);
                        let (row, col) = grid.cell_of(sod(s, o, d)).unwrap();
                        assert!(grid.rows()[row].contains(s));
                        assert!(grid.columns()[col].contains(o));
                        let cell = m.cell(row, col).unwrap();
                        assert_eq!(cell.count, 1);
                        assert_eq!(cell.highest_rpn, sod(s, o, d).rpn());
                        assert_eq!(cell.worst_detection, Some(d));
                        assert_eq!(m.placed, 1);
                        let others: usize = (0..m.rows())
                            .flat_map(|r| (0..m.columns()).map(move |c| (r, c)))
                            .filter(|rc| *rc != (row, col))
                            .map(|(r, c)| m.cell(r, c).unwrap().count)
                            .sum();
                        assert_eq!(others, 0);
                    }
                }
            }
        }
    }

    #[test]
    fn a_cell_counts_its_priorities_worst_detection_and_highest_rpn() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![
            fm(1, 9, 2, 1),  // S 9-10, O 2-3: D 1 -> L
            fm(2, 10, 3, 8), // D 7-10 -> H, RPN 240
            fm(3, 9, 3, 5),  // D 5-6 -> M, RPN 135
            fm(4, 10, 2, 3), // D 2-4 -> L
            fm(5, 1, 1, 1),
        ];
        let m = Matrix::of(&s, Grid::Bands, Basis::Current);
        let cell = m.cell(0, 1).unwrap();
        assert_eq!(
            *cell,
            Cell {
                count: 4,
                ap_high: 1,
                ap_medium: 1,
                ap_low: 2,
                worst_detection: Some(8),
                highest_rpn: 240,
            }
        );
        assert_eq!(m.cell(4, 0).unwrap().count, 1);
        assert_eq!((m.placed, m.outside, m.busiest()), (5, 0, 4));
        // Split over the 10 x 10 grid.
        let m = Matrix::of(&s, Grid::Levels, Basis::Current);
        assert_eq!(m.cell(1, 1).unwrap().count, 1, "S 9, O 2");
        assert_eq!(m.cell(0, 2).unwrap().count, 1, "S 10, O 3");
        assert_eq!(m.cell(1, 2).unwrap().count, 1, "S 9, O 3");
        assert_eq!(m.cell(0, 1).unwrap().count, 1, "S 10, O 2");
        assert_eq!(m.cell(10, 0), None);
        assert_eq!(m.cell(0, 10), None);
    }

    #[test]
    fn an_empty_session_has_an_empty_matrix() {
        let s = Session::new("t", Timestamp::UNIX_EPOCH);
        for grid in Grid::ALL {
            for basis in Basis::ALL {
                let m = Matrix::of(&s, grid, basis);
                assert_eq!((m.placed, m.outside, m.busiest()), (0, 0, 0));
                assert_eq!(m.shade(0, 0), 0);
                assert_eq!(m.rows() * m.columns(), m.cells.len());
            }
        }
    }

    #[test]
    fn residual_places_by_revised_ratings_and_falls_back_to_current() {
        let mut treated = fm(1, 9, 9, 9);
        treated.treatment.revised_occurrence = Some(2);
        let untreated = fm(2, 9, 9, 9);
        assert_eq!(Basis::Residual.sod(&treated), sod(9, 2, 9));
        assert_eq!(Basis::Current.sod(&treated), sod(9, 9, 9));
        assert_eq!(Basis::Residual.sod(&untreated), sod(9, 9, 9));
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![treated.clone(), untreated];
        let m = Matrix::of(&s, Grid::Bands, Basis::Residual);
        assert_eq!(m.cell(0, 4).unwrap().count, 1);
        assert_eq!(m.cell(0, 1).unwrap().count, 1);
        let filter = CellFilter {
            grid: Grid::Bands,
            basis: Basis::Residual,
            row: 0,
            column: 1,
        };
        assert!(filter.matches(&treated));
        assert!(
            !CellFilter {
                basis: Basis::Current,
                ..filter
            }
            .matches(&treated)
        );
        assert_eq!(filter.describe(), "S 9-10, O 2-3 (residual)");
        assert_eq!(Basis::Current.toggled(), Basis::Residual);
        assert_eq!(Basis::Residual.toggled(), Basis::Current);
    }

    #[test]
    fn ratings_outside_the_scales_are_counted_apart_not_placed() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        let mut revised_to_zero = fm(3, 5, 5, 5);
        revised_to_zero.treatment.revised_detection = Some(0);
        s.failure_modes = vec![fm(1, 11, 5, 5), fm(2, 5, 0, 5), revised_to_zero];
        let m = Matrix::of(&s, Grid::Levels, Basis::Current);
        assert_eq!((m.placed, m.outside), (1, 2));
        // Detection is not a matrix axis, but a cell holds only rated failure modes.
        let m = Matrix::of(&s, Grid::Bands, Basis::Residual);
        assert_eq!((m.placed, m.outside), (0, 3));
    }

    #[test]
    fn shading_grows_with_the_count_and_never_hides_a_lone_failure_mode() {
        let mut m = Matrix::empty(Grid::Bands, Basis::Current);
        m.add(sod(10, 10, 10), 100_000);
        m.add(sod(1, 1, 1), 1);
        m.add(sod(5, 5, 5), 50_000);
        m.add(sod(7, 5, 5), 75_001);
        assert_eq!(m.shade(0, 4), 4);
        assert_eq!(m.shade(4, 0), 1);
        assert_eq!(m.shade(2, 2), 2);
        assert_eq!(m.shade(1, 2), 4, "75,001 of 100,000 rounds up");
        assert_eq!(m.shade(3, 3), 0);
        assert_eq!(m.shade(9, 9), 0, "outside the grid");
        assert_eq!(m.placed, 225_002);
    }

    #[test]
    fn a_filter_names_its_cell() {
        let f = CellFilter {
            grid: Grid::Levels,
            basis: Basis::Current,
            row: 0,
            column: 9,
        };
        assert_eq!(f.describe(), "S 10, O 10 (current)");
        assert!(f.matches(&fm(1, 10, 10, 1)));
        assert!(!f.matches(&fm(1, 10, 9, 1)));
        let nowhere = CellFilter { row: 12, ..f };
        assert_eq!(nowhere.describe(), "S ?, O 10 (current)");
        assert!(!nowhere.matches(&fm(1, 10, 10, 1)));
    }
}
