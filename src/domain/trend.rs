//! The risk picture over cycles: per PDCA cycle, how many failure modes the room
//! had, how many of Action Priority H, the highest and the total RPN, from the
//! records kept when each cycle closed and, for the current cycle, as things
//! stand now.
//!
//! The closed cycles' points change only when a cycle is closed or reopened, so a
//! screen computes them once; the current point comes from the matrix counts
//! ([`TrendPoint::now`]) in a pass over 1,000 counters instead of the register.

use jiff::Timestamp;

use super::cycles::{CycleSummary, closed_cycle_summaries, cycle_summaries};
use super::matrix::Cube;
use super::session::Session;

/// One cycle of the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    pub cycle: u32,
    /// When the cycle closed; `None` for the current cycle.
    pub closed: Option<Timestamp>,
    pub count: usize,
    pub ap_high: usize,
    pub highest_rpn: u16,
    pub total_rpn: u64,
}

impl From<&CycleSummary> for TrendPoint {
    fn from(s: &CycleSummary) -> Self {
        TrendPoint {
            cycle: s.cycle,
            closed: s.closed,
            count: s.failure_modes,
            ap_high: s.ap_high,
            highest_rpn: s.highest_rpn,
            total_rpn: u64::from(s.total_rpn),
        }
    }
}

impl TrendPoint {
    /// The current cycle's point, from the kept counts of the current ratings.
    pub fn now(cycle: u32, current: &Cube) -> TrendPoint {
        let totals = current.totals();
        TrendPoint {
            cycle,
            closed: None,
            count: current.len(),
            ap_high: totals.ap_high,
            highest_rpn: totals.highest_rpn,
            total_rpn: totals.total_rpn,
        }
    }

    pub fn value(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Count => self.count as u64,
            Measure::ApHigh => self.ap_high as u64,
            Measure::HighestRpn => u64::from(self.highest_rpn),
            Measure::TotalRpn => self.total_rpn,
        }
    }
}

/// What the trend follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Count,
    ApHigh,
    HighestRpn,
    TotalRpn,
}

impl Measure {
    pub const ALL: [Measure; 4] = [Self::Count, Self::ApHigh, Self::HighestRpn, Self::TotalRpn];

    pub fn name(self) -> &'static str {
        match self {
            Self::Count => "Failure modes",
            Self::ApHigh => "AP H",
            Self::HighestRpn => "Highest RPN",
            Self::TotalRpn => "Total RPN",
        }
    }
}

/// Every cycle, oldest first, ending with the current one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trend {
    pub points: Vec<TrendPoint>,
}

impl Trend {
    /// The whole trend from the session: the closed cycles' records and a pass
    /// over the register for the current cycle.
    pub fn of(session: &Session) -> Trend {
        Trend {
            points: cycle_summaries(session)
                .iter()
                .map(TrendPoint::from)
                .collect(),
        }
    }

    /// The closed cycles only, oldest first.
    pub fn closed(session: &Session) -> Vec<TrendPoint> {
        closed_cycle_summaries(session)
            .iter()
            .map(TrendPoint::from)
            .collect()
    }

    /// The closed cycles' points followed by the current one.
    pub fn with_now(mut closed: Vec<TrendPoint>, now: TrendPoint) -> Trend {
        closed.push(now);
        Trend { points: closed }
    }

    /// One measure, cycle by cycle: what a sparkline draws.
    pub fn series(&self, measure: Measure) -> Vec<u64> {
        self.points.iter().map(|p| p.value(measure)).collect()
    }

    /// The change of a measure since the cycle before the current one; `None`
    /// in the first cycle.
    pub fn change(&self, measure: Measure) -> Option<i64> {
        let [.., before, now] = self.points.as_slice() else {
            return None;
        };
        let signed = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Some(signed(now.value(measure)) - signed(before.value(measure)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::matrix::MatrixCounts;
    use crate::domain::matrix::{Basis, Cube};
    use crate::domain::{FailureMode, Stage, Status};

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn add(s: &mut Session, sod: (u8, u8, u8)) {
        let id = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(id, "m");
        (fm.severity, fm.occurrence, fm.detection) = sod;
        s.failure_modes.push(fm);
    }

    fn close(s: &mut Session, at: i64) {
        while s.pdca.stage != Stage::Act {
            s.apply(s.advance_stage_change(t(at)).unwrap());
        }
        s.apply(s.close_cycle_change(t(at + 1)).unwrap());
    }

    /// Three cycles: 2 failure modes, then 3 with the worst treated, then 3.
    fn session() -> Session {
        let mut s = Session::new("t", t(0));
        add(&mut s, (10, 10, 10));
        add(&mut s, (5, 4, 3));
        let worst = &mut s.failure_modes[0].treatment;
        (worst.status, worst.revised_occurrence) = (Status::Done, Some(2));
        close(&mut s, 10);
        add(&mut s, (9, 8, 7));
        close(&mut s, 20);
        s
    }

    fn cube(s: &Session) -> Cube {
        MatrixCounts::of(s).cube(Basis::Current).clone()
    }

    #[test]
    fn one_point_per_closed_cycle_then_now() {
        let s = session();
        let trend = Trend::of(&s);
        let got: Vec<(u32, bool, usize, usize, u16, u64)> = trend
            .points
            .iter()
            .map(|p| {
                (
                    p.cycle,
                    p.closed.is_some(),
                    p.count,
                    p.ap_high,
                    p.highest_rpn,
                    p.total_rpn,
                )
            })
            .collect();
        // Cycle 2 and now: 10 x 2 x 10 = 200 (AP H: S 9-10, O 2-3, D 7-10),
        // 9 x 8 x 7 = 504 (H), 60.
        assert_eq!(
            got,
            [
                (1, true, 2, 1, 1000, 1060),
                (2, true, 3, 2, 504, 764),
                (3, false, 3, 2, 504, 764),
            ]
        );
        assert_eq!(trend.points[0].closed, Some(t(11)));
        assert_eq!(trend.series(Measure::TotalRpn), [1060, 764, 764]);
        assert_eq!(trend.series(Measure::Count), [2, 3, 3]);
        assert_eq!(trend.change(Measure::HighestRpn), Some(0));
    }

    #[test]
    fn the_current_point_from_the_counts_is_the_one_from_the_register() {
        let mut s = session();
        add(&mut s, (2, 2, 2));
        s.failure_modes[1].treatment.revised_severity = Some(1);
        let now = TrendPoint::now(s.pdca.cycle, &cube(&s));
        let full = Trend::of(&s);
        assert_eq!(full.points.last(), Some(&now));
        assert_eq!(Trend::with_now(Trend::closed(&s), now), full);
        assert_eq!(full.change(Measure::TotalRpn), Some(8));
        assert_eq!(full.change(Measure::Count), Some(1));
    }

    #[test]
    fn a_first_cycle_has_no_change_and_an_empty_one_is_zero() {
        let s = Session::new("t", t(0));
        let trend = Trend::of(&s);
        assert_eq!(trend.points.len(), 1);
        assert_eq!(trend.change(Measure::Count), None);
        assert_eq!(trend.points[0], TrendPoint::now(1, &cube(&s)));
        assert!(Trend::closed(&s).is_empty());
        for m in Measure::ALL {
            assert_eq!(trend.series(m), [0]);
        }
    }

    #[test]
    fn a_fall_is_negative() {
        let mut s = session();
        s.failure_modes.truncate(1);
        let trend = Trend::of(&s);
        assert_eq!(trend.change(Measure::Count), Some(-2));
        assert_eq!(trend.change(Measure::ApHigh), Some(-1));
        assert_eq!(trend.change(Measure::TotalRpn), Some(200 - 764));
        assert_eq!(Measure::ApHigh.name(), "AP H");
    }
}
