//! The counts behind the risk matrix, kept change by change: for the current and
//! the residual ratings, how many failure modes have each (S, O, D), 1,000
//! counters each. Every grid, every cell's AP split, worst detection and highest
//! RPN, and the room's totals come from them in a pass over the counters, so
//! opening the matrix or toggling current/residual costs the same at 100 failure
//! modes and at 100,000; a rating change moves one failure mode from one counter
//! to another.

use std::cmp::Ordering;

use super::{Basis, Grid, Matrix, in_scale};
use crate::domain::action_priority::ActionPriority;
use crate::domain::change::Change;
use crate::domain::failure_mode::{FailureMode, Sod};
use crate::domain::session::Session;
use crate::domain::tally::{self, Tally};

const LEVELS: usize = 10;
const CELLS: usize = LEVELS * LEVELS * LEVELS;

fn step(n: &mut usize, add: bool) {
    *n = if add {
        n.saturating_add(1)
    } else {
        n.saturating_sub(1)
    };
}

/// How many failure modes have each (S, O, D).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cube {
    counts: Box<[usize; CELLS]>,
    placed: usize,
    /// Failure modes with a rating outside the 1-10 scales.
    outside: usize,
}

impl Default for Cube {
    fn default() -> Self {
        Cube {
            counts: Box::new([0; CELLS]),
            placed: 0,
            outside: 0,
        }
    }
}

impl Cube {
    fn index(sod: Sod) -> Option<usize> {
        in_scale(sod).then(|| {
            (usize::from(sod.severity) - 1) * LEVELS * LEVELS
                + (usize::from(sod.occurrence) - 1) * LEVELS
                + (usize::from(sod.detection) - 1)
        })
    }

    fn sod_at(index: usize) -> Sod {
        // index < 1000, so each digit is below 10.
        let digit = |n: usize| u8::try_from(n % LEVELS).unwrap_or(0) + 1;
        Sod {
            severity: digit(index / (LEVELS * LEVELS)),
            occurrence: digit(index / LEVELS),
            detection: digit(index),
        }
    }

    fn add(&mut self, sod: Sod, add: bool) {
        match Cube::index(sod) {
            Some(i) => {
                step(&mut self.counts[i], add);
                step(&mut self.placed, add);
            }
            None => step(&mut self.outside, add),
        }
    }

    /// How many failure modes are rated `sod`.
    pub fn count(&self, sod: Sod) -> usize {
        Cube::index(sod).map_or(0, |i| self.counts[i])
    }

    /// Every failure mode counted, placed or not.
    pub fn len(&self) -> usize {
        self.placed + self.outside
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn outside(&self) -> usize {
        self.outside
    }

    /// Each rating that some failure mode has, with how many have it.
    pub fn ratings(&self) -> impl Iterator<Item = (Sod, usize)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (Cube::sod_at(i), *n))
    }

    /// The matrix of these counts on `grid`, labelled `basis`.
    pub fn matrix(&self, grid: Grid, basis: Basis) -> Matrix {
        let mut m = Matrix::empty(grid, basis);
        for (sod, n) in self.ratings() {
            m.add(sod, n);
        }
        m.outside = self.outside;
        m
    }

    /// The room's totals over the rated failure modes: AP H, highest and total
    /// RPN (those outside the scales count in [`Cube::len`] only).
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for (sod, n) in self.ratings() {
            if sod.ap() == ActionPriority::H {
                t.ap_high += n;
            }
            t.highest_rpn = t.highest_rpn.max(sod.rpn());
            t.total_rpn += u64::from(sod.rpn()) * n as u64;
        }
        t
    }
}

/// See [`Cube::totals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub ap_high: usize,
    pub highest_rpn: u16,
    pub total_rpn: u64,
}

/// Failure modes whose residual ratings put them in another cell than their
/// current ones, by which way their RPN went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Moves {
    pub lower: usize,
    /// Another cell at the same RPN (S down and O up, say).
    pub same: usize,
    pub higher: usize,
}

impl Moves {
    pub fn moved(&self) -> usize {
        self.lower + self.same + self.higher
    }
}

/// The matrix counts of a session, for both bases, kept up to date by
/// [`MatrixCounts::apply`] (or [`tally::apply`] beside other tallies).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatrixCounts {
    current: Cube,
    residual: Cube,
    /// Failure modes with at least one revised rating.
    revised: usize,
    /// Per grid, in the order of [`Grid::ALL`].
    moves: [Moves; 2],
}

impl MatrixCounts {
    /// Counts every failure mode of the session.
    pub fn of(session: &Session) -> MatrixCounts {
        let mut counts = MatrixCounts::default();
        for fm in &session.failure_modes {
            counts.count_one(fm, true);
        }
        counts
    }

    fn count_one(&mut self, fm: &FailureMode, add: bool) {
        let current = fm.sod();
        let residual = fm.residual();
        self.current.add(current, add);
        self.residual.add(residual.unwrap_or(current), add);
        let Some(residual) = residual else {
            return;
        };
        step(&mut self.revised, add);
        if !(in_scale(current) && in_scale(residual)) {
            return;
        }
        for grid in Grid::ALL {
            if grid.cell_of(current) == grid.cell_of(residual) {
                continue;
            }
            let moves = &mut self.moves[grid.index()];
            let way = match residual.rpn().cmp(&current.rpn()) {
                Ordering::Less => &mut moves.lower,
                Ordering::Equal => &mut moves.same,
                Ordering::Greater => &mut moves.higher,
            };
            step(way, add);
        }
    }

    pub fn cube(&self, basis: Basis) -> &Cube {
        match basis {
            Basis::Current => &self.current,
            Basis::Residual => &self.residual,
        }
    }

    /// The matrix for `grid` and `basis`: a pass over 1,000 counters.
    pub fn matrix(&self, grid: Grid, basis: Basis) -> Matrix {
        self.cube(basis).matrix(grid, basis)
    }

    /// How many failure modes have a revised rating.
    pub fn revised(&self) -> usize {
        self.revised
    }

    /// How many changed cell between the current and the residual matrix.
    pub fn moves(&self, grid: Grid) -> Moves {
        self.moves[grid.index()]
    }

    /// Applies `change` to `session`, keeping the counts right, and returns its
    /// inverse, as [`Session::apply`] does.
    pub fn apply(&mut self, session: &mut Session, change: Change) -> Change {
        tally::apply(session, change, &mut [self])
    }
}

impl Tally for MatrixCounts {
    fn count(&mut self, _: &Session, fm: &FailureMode, add: bool) {
        self.count_one(fm, add);
    }

    fn recount(&mut self, session: &Session) {
        *self = MatrixCounts::of(session);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flags::FlagCounts;
    use crate::domain::programme::{DocumentRecord, StepRecord};
    use crate::domain::{FailureModeId, Threshold};
    use jiff::Timestamp;
    use jiff::civil::Date;
    use proptest::prelude::*;

    fn fm(id: u32, sod: (u8, u8, u8), revised: [Option<u8>; 3]) -> FailureMode {
        let mut f = FailureMode::new(FailureModeId(id), "m");
        (f.severity, f.occurrence, f.detection) = sod;
        let t = &mut f.treatment;
        [
            t.revised_severity,
            t.revised_occurrence,
            t.revised_detection,
        ] = revised;
        f
    }

    fn session() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![
            fm(1, (10, 10, 10), [None, Some(2), None]), // top right -> S 9-10, O 2-3
            fm(2, (9, 9, 9), [None, None, None]),
            fm(3, (5, 5, 5), [None, None, Some(1)]), // same cell, lower RPN
            fm(4, (4, 4, 4), [Some(2), Some(8), None]), // 64 -> 64: another cell, same RPN
            fm(5, (2, 2, 2), [Some(8), None, None]), // worse after treatment
        ];
        s
    }

    #[test]
    fn a_full_count_of_a_small_session() {
        let c = MatrixCounts::of(&session());
        assert_eq!(c.revised(), 4);
        assert_eq!(
            c.moves(Grid::Bands),
            Moves {
                lower: 1,
                same: 1,
                higher: 1
            }
        );
        assert_eq!(c.moves(Grid::Levels).moved(), 3);
        let cur = c.matrix(Grid::Bands, Basis::Current);
        assert_eq!(cur.cell(0, 4).map(|x| x.count), Some(2));
        let res = c.matrix(Grid::Bands, Basis::Residual);
        assert_eq!(res.cell(0, 4).map(|x| x.count), Some(1));
        assert_eq!(res.cell(0, 1).map(|x| x.count), Some(1));
        assert_eq!(res.cell(3, 4).map(|x| x.count), Some(1), "S 2, O 8");
        assert_eq!(res.cell(1, 1).map(|x| x.count), Some(1), "S 8, O 2");
        assert_eq!(c.cube(Basis::Current).len(), 5);
        assert_eq!(
            c.cube(Basis::Current).count(Sod {
                severity: 9,
                occurrence: 9,
                detection: 9
            }),
            1
        );
        let t = c.cube(Basis::Current).totals();
        assert_eq!(
            (t.ap_high, t.highest_rpn, t.total_rpn),
            (2, 1000, 1000 + 729 + 125 + 64 + 8)
        );
    }

    #[test]
    fn moves_within_a_band_move_on_the_ten_by_ten_grid_only() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![fm(1, (10, 10, 5), [Some(9), Some(8), None])];
        let c = MatrixCounts::of(&s);
        assert_eq!(c.moves(Grid::Bands).moved(), 0);
        assert_eq!(c.moves(Grid::Levels).lower, 1);
        assert_eq!(c.revised(), 1);
    }

    #[test]
    fn the_matrix_from_the_counts_is_the_matrix_of_the_session() {
        let s = session();
        let c = MatrixCounts::of(&s);
        for grid in Grid::ALL {
            for basis in Basis::ALL {
                assert_eq!(c.matrix(grid, basis), Matrix::of(&s, grid, basis));
            }
        }
    }

    #[test]
    fn ratings_outside_the_scales_are_counted_out_again_exactly() {
        let mut s = session();
        let mut c = MatrixCounts::of(&s);
        let odd = fm(9, (11, 0, 5), [Some(3), None, None]);
        let inverse = c.apply(&mut s, Change::PutFailureMode(odd));
        assert_eq!(c, MatrixCounts::of(&s));
        assert_eq!(c.cube(Basis::Current).outside(), 1);
        assert_eq!(c.cube(Basis::Residual).outside(), 1, "O 0 still");
        assert_eq!(
            c.moves(Grid::Bands).moved(),
            3,
            "an unplaced one never moves"
        );
        c.apply(&mut s, inverse);
        assert_eq!(c, MatrixCounts::of(&session()));
    }

    #[test]
    fn one_hundred_thousand_in_one_cell() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = (1..=100_000)
            .map(|n| fm(n, (10, 10, 10), [None; 3]))
            .collect();
        let c = MatrixCounts::of(&s);
        let m = c.matrix(Grid::Bands, Basis::Current);
        assert_eq!(m.cell(0, 4).map(|x| x.count), Some(100_000));
        assert_eq!(
            (m.placed, m.busiest(), m.shade(0, 4)),
            (100_000, 100_000, 4)
        );
        assert_eq!(c.cube(Basis::Current).totals().total_rpn, 100_000_000);
    }

    fn every_kind_of_change(s: &Session) -> Vec<Change> {
        let mut rerated = s.failure_modes[1].clone();
        rerated.occurrence = 2;
        let mut treated = s.failure_modes[1].clone();
        treated.treatment.revised_severity = Some(1);
        let mut untreated = s.failure_modes[0].clone();
        untreated.treatment = Default::default();
        let mut other = s.clone();
        other.failure_modes.truncate(2);
        vec![
            Change::PutFailureMode(rerated.clone()),
            Change::PutFailureMode(treated),
            Change::PutFailureMode(untreated.clone()),
            Change::PutFailureMode(fm(7, (3, 9, 4), [None, Some(1), Some(1)])),
            Change::RemoveFailureMode(FailureModeId(4)),
            Change::RemoveFailureMode(FailureModeId(99)),
            Change::PutAsset(crate::domain::Asset::new(
                crate::domain::AssetId(1),
                "a",
                crate::domain::Category::Software,
            )),
            Change::RemoveAsset(crate::domain::AssetId(1)),
            Change::SetPdca(Default::default()),
            Change::SetInfo(Box::default()),
            Change::PutStep(StepRecord {
                owner: "CISO".into(),
                ..StepRecord::blank(15)
            }),
            Change::PutDocument(DocumentRecord {
                owner: "CISO".into(),
                ..DocumentRecord::blank("4.3")
            }),
            Change::SetThreshold(Threshold {
                rpn: 1,
                ap_high: false,
            }),
            Change::Batch(vec![
                Change::PutFailureMode(rerated),
                Change::RemoveFailureMode(FailureModeId(2)),
                Change::PutFailureMode(untreated),
            ]),
            Change::none(),
            Change::ReplaceSession(Box::new(other)),
            s.close_cycle_change(Timestamp::UNIX_EPOCH).unwrap(),
        ]
    }

    #[test]
    fn every_kind_of_change_and_its_undo_keep_the_counts_right() {
        for change in every_kind_of_change(&session()) {
            let mut s = session();
            let mut c = MatrixCounts::of(&s);
            let inverse = c.apply(&mut s, change.clone());
            assert_eq!(c, MatrixCounts::of(&s), "after {change:?}");
            let redo = c.apply(&mut s, inverse);
            assert_eq!(c, MatrixCounts::of(&s), "after undoing {change:?}");
            assert_eq!(s, session());
            c.apply(&mut s, redo);
            assert_eq!(c, MatrixCounts::of(&s), "after redoing {change:?}");
        }
    }

    #[test]
    fn reserving_ids_counts_nothing_in_or_out() {
        let mut s = session();
        let mut c = MatrixCounts::of(&s);
        let ids = crate::domain::session::NextIds {
            asset: 40,
            failure_mode: 90,
            process: 7,
        };
        // Its inverse changes nothing (an ID is never given again): not a round trip.
        let inverse = c.apply(&mut s, Change::ReserveIds(ids));
        assert_eq!(c, MatrixCounts::of(&s));
        c.apply(&mut s, inverse);
        assert_eq!(c, MatrixCounts::of(&s));
        assert_eq!(s.next_ids, ids);
    }

    #[test]
    fn kept_beside_the_flag_counts_both_stay_right() {
        let today = Date::new(2026, 11, 15).unwrap_or_default();
        let mut s = session();
        let mut flags = FlagCounts::of(&s, today);
        let mut matrix = MatrixCounts::of(&s);
        for change in every_kind_of_change(&session()) {
            tally::apply(&mut s, change, &mut [&mut flags, &mut matrix]);
            assert_eq!(flags, FlagCounts::of(&s, today));
            assert_eq!(matrix, MatrixCounts::of(&s));
        }
    }

    // Random sessions and random streams of changes (ratings partly outside the
    // scales, revised ratings, batches naming one failure mode twice, wholesale
    // replacements), each applied and then undone: the kept counts must equal a
    // full recount after every step.

    fn rating() -> impl Strategy<Value = u8> {
        prop_oneof![9 => 1..=10u8, 1 => prop_oneof![Just(0u8), Just(11u8)]]
    }

    fn revised() -> impl Strategy<Value = Option<u8>> {
        prop::option::weighted(0.4, rating())
    }

    fn failure_mode(max_id: u32) -> impl Strategy<Value = FailureMode> {
        (
            1..=max_id,
            (rating(), rating(), rating()),
            [revised(), revised(), revised()],
        )
            .prop_map(|(id, sod, rev)| fm(id, sod, rev))
    }

    fn random_session() -> impl Strategy<Value = Session> {
        prop::collection::vec(failure_mode(30), 0..20).prop_map(|fms| {
            let mut s = Session::new("p", Timestamp::UNIX_EPOCH);
            for f in fms {
                s.apply(Change::PutFailureMode(f));
            }
            s
        })
    }

    fn simple_change() -> impl Strategy<Value = Change> {
        prop_oneof![
            6 => failure_mode(30).prop_map(Change::PutFailureMode),
            3 => (1..=30u32).prop_map(|n| Change::RemoveFailureMode(FailureModeId(n))),
            1 => Just(Change::SetThreshold(Threshold { rpn: 50, ap_high: false })),
        ]
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            8 => simple_change(),
            3 => prop::collection::vec(simple_change(), 0..6).prop_map(Change::Batch),
            1 => random_session().prop_map(|s| Change::ReplaceSession(Box::new(s))),
        ]
    }

    proptest! {
        #[test]
        fn kept_counts_equal_a_full_recount(
            start in random_session(),
            changes in prop::collection::vec(change(), 1..25),
        ) {
            let mut s = start.clone();
            let mut c = MatrixCounts::of(&s);
            let mut undo = Vec::new();
            for change in changes {
                undo.push(c.apply(&mut s, change));
                prop_assert_eq!(&c, &MatrixCounts::of(&s));
            }
            while let Some(inverse) = undo.pop() {
                c.apply(&mut s, inverse);
                prop_assert_eq!(&c, &MatrixCounts::of(&s));
            }
            prop_assert_eq!(&s, &start);
            for grid in Grid::ALL {
                for basis in Basis::ALL {
                    prop_assert_eq!(c.matrix(grid, basis), Matrix::of(&s, grid, basis));
                }
            }
        }
    }
}
