//! The RPN Pareto: the failure modes in risk order with each one's share of the
//! room's total RPN and the share of all those above it, and how few of them carry
//! four fifths of it (the "vital few" the room should spend its time on).
//!
//! Shares are in tenths of a percent, rounded down, so a cumulative share reads
//! 100.0% only when every failure mode is in it and "the top 12 carry 80.0%" is
//! never an overstatement. The report and the workbook take the same numbers.

use std::fmt;

use super::ids::FailureModeId;
use super::ordering::RiskOrder;

/// A share of a whole, in tenths of a percent (0 to 1000), rounded down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Share(u32);

impl Share {
    /// `part` of `whole`; nothing of nothing is 0%.
    pub fn of(part: u64, whole: u64) -> Share {
        if whole == 0 {
            return Share(0);
        }
        let tenths = u128::from(part.min(whole)) * 1000 / u128::from(whole);
        Share(u32::try_from(tenths).unwrap_or(1000))
    }

    /// In tenths of a percent: 234 is 23.4%.
    pub fn tenths(self) -> u32 {
        self.0
    }

    /// As a fraction of one (0.234), for a spreadsheet's percent format.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl fmt::Display for Share {
    /// `23.4%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}.{}%", self.0 / 10, self.0 % 10))
    }
}

/// One failure mode of the Pareto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParetoRow {
    /// 1 for the highest risk.
    pub rank: usize,
    pub id: FailureModeId,
    pub rpn: u16,
    /// Its RPN and that of every row above it.
    pub cumulative_rpn: u64,
    pub share: Share,
    pub cumulative: Share,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pareto {
    /// The top failure modes, in risk order.
    pub rows: Vec<ParetoRow>,
    /// Every failure mode, shown or not.
    pub count: usize,
    pub total_rpn: u64,
    /// How many of the top failure modes carry [`Pareto::VITAL_PERCENT`] of the
    /// total RPN (0 when there is none).
    pub vital_few: usize,
}

impl Pareto {
    /// The share of the total RPN that the vital few carry.
    pub const VITAL_PERCENT: u64 = 80;

    /// The Pareto of the first `top` failure modes of `order`, their shares
    /// taken of the whole register: one pass over the order.
    pub fn of(order: &RiskOrder, top: usize) -> Pareto {
        let total_rpn: u64 = order.ranked().map(|(_, rpn)| u64::from(rpn)).sum();
        let mut p = Pareto {
            rows: Vec::with_capacity(top.min(order.len())),
            count: order.len(),
            total_rpn,
            vital_few: 0,
        };
        let mut cumulative_rpn = 0u64;
        for (i, (id, rpn)) in order.ranked().enumerate() {
            let reached_before = cumulative_rpn * 100 >= Self::VITAL_PERCENT * total_rpn;
            cumulative_rpn += u64::from(rpn);
            if !reached_before && total_rpn > 0 {
                p.vital_few = i + 1;
            }
            if i < top {
                p.rows.push(ParetoRow {
                    rank: i + 1,
                    id,
                    rpn,
                    cumulative_rpn,
                    share: Share::of(u64::from(rpn), total_rpn),
                    cumulative: Share::of(cumulative_rpn, total_rpn),
                });
            } else if reached_before {
                break;
            }
        }
        p
    }

    /// The failure modes below the shown ones, and their RPN together.
    pub fn rest(&self) -> (usize, u64) {
        let shown = self.rows.last().map_or(0, |r| r.cumulative_rpn);
        (self.count - self.rows.len(), self.total_rpn - shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FailureMode, Session};
    use jiff::Timestamp;

    fn order(sods: &[(u8, u8, u8)]) -> RiskOrder {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        for (n, (sev, occ, det)) in sods.iter().enumerate() {
            let mut f = FailureMode::new(FailureModeId(n as u32 + 1), "m");
            (f.severity, f.occurrence, f.detection) = (*sev, *occ, *det);
            s.failure_modes.push(f);
        }
        RiskOrder::of(&s)
    }

    #[test]
    fn shares_are_rounded_down_to_a_tenth_of_a_percent() {
        assert_eq!(Share::of(1, 3).to_string(), "33.3%");
        assert_eq!(Share::of(2, 3).to_string(), "66.6%");
        assert_eq!(Share::of(9999, 10_000).to_string(), "99.9%");
        assert_eq!(Share::of(3, 3).to_string(), "100.0%");
        assert_eq!(Share::of(0, 0).to_string(), "0.0%");
        assert_eq!(Share::of(5, 0), Share(0));
        assert_eq!(Share::of(7, 5), Share(1000), "never above the whole");
        assert_eq!(Share::of(1, 2000).tenths(), 0);
        assert_eq!(Share::of(u64::MAX, u64::MAX).tenths(), 1000);
        assert!((Share::of(1, 4).fraction() - 0.25).abs() < 1e-12);
        assert_eq!(format!("{:>7}", Share::of(1, 4)), "  25.0%");
    }

    #[test]
    fn rows_in_risk_order_with_their_share_of_the_whole_register() {
        // RPNs 500, 300, 100, 60, 40: total 1000.
        let o = order(&[(3, 5, 4), (10, 10, 5), (5, 5, 4), (10, 10, 3), (4, 5, 2)]);
        let p = Pareto::of(&o, 3);
        let got: Vec<(usize, u32, u16, u64, u32, u32)> = p
            .rows
            .iter()
            .map(|r| {
                (
                    r.rank,
                    r.id.0,
                    r.rpn,
                    r.cumulative_rpn,
                    r.share.tenths(),
                    r.cumulative.tenths(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, 2, 500, 500, 500, 500),
                (2, 4, 300, 800, 300, 800),
                (3, 3, 100, 900, 100, 900),
            ]
        );
        assert_eq!((p.count, p.total_rpn), (5, 1000));
        assert_eq!(p.vital_few, 2, "500 + 300 is 80%");
        assert_eq!(p.rest(), (2, 100));
    }

    #[test]
    fn the_vital_few_may_lie_beyond_the_rows_shown() {
        // Ten failure modes of RPN 100: eight carry 80%.
        let o = order(&[(10, 10, 1); 10]);
        let p = Pareto::of(&o, 3);
        assert_eq!((p.rows.len(), p.vital_few), (3, 8));
        assert_eq!(p.rows[2].cumulative.to_string(), "30.0%");
        let all = Pareto::of(&o, 100);
        assert_eq!(all.rows.len(), 10);
        assert_eq!(all.rows[9].cumulative.to_string(), "100.0%");
        assert_eq!(all.rest(), (0, 0));
        // Just short of 80% needs one more.
        let o = order(&[(10, 10, 8), (10, 10, 2), (1, 1, 1)]); // 800, 200, 1
        assert_eq!(Pareto::of(&o, 1).vital_few, 2, "800 of 1001 is below 80%");
    }

    #[test]
    fn one_failure_mode_and_none() {
        let p = Pareto::of(&order(&[(1, 1, 1)]), 10);
        assert_eq!((p.rows.len(), p.vital_few, p.total_rpn), (1, 1, 1));
        assert_eq!(p.rows[0].cumulative.to_string(), "100.0%");
        let p = Pareto::of(&order(&[]), 10);
        assert_eq!(p, Pareto::default());
        assert_eq!(p.rest(), (0, 0));
        let p = Pareto::of(&order(&[(5, 5, 5)]), 0);
        assert_eq!((p.rows.len(), p.vital_few, p.rest()), (0, 1, (1, 125)));
    }

    #[test]
    fn cumulative_shares_never_fall_and_match_a_recount() {
        let sods: Vec<(u8, u8, u8)> = (0..200u32)
            .map(|n| {
                (
                    (n * 7 % 10 + 1) as u8,
                    (n * 3 % 10 + 1) as u8,
                    (n % 10 + 1) as u8,
                )
            })
            .collect();
        let o = order(&sods);
        let p = Pareto::of(&o, 200);
        let total: u64 = sods
            .iter()
            .map(|(s, o, d)| u64::from(*s) * u64::from(*o) * u64::from(*d))
            .sum();
        assert_eq!(p.total_rpn, total);
        let mut running = 0;
        for pair in p.rows.windows(2) {
            assert!(pair[0].rpn >= pair[1].rpn);
            assert!(pair[0].cumulative <= pair[1].cumulative);
        }
        for r in &p.rows {
            running += u64::from(r.rpn);
            assert_eq!(r.cumulative_rpn, running);
            assert_eq!(u64::from(r.cumulative.tenths()), running * 1000 / total);
        }
        let k = p.vital_few;
        assert!(p.rows[k - 1].cumulative_rpn * 100 >= 80 * total);
        assert!(p.rows[k - 2].cumulative_rpn * 100 < 80 * total);
    }
}
