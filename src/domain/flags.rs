//! How many failure modes are flagged: at or above the threshold without a
//! decision, and overdue. The screen shows both counts in the failure-mode pane's
//! title on every frame; at 100,000 failure modes counting them takes longer than
//! drawing the frame, so the counts are kept up to date change by change.

use jiff::civil::Date;

use super::change::Change;
use super::failure_mode::FailureMode;
use super::session::Session;
use super::tally::{self, Tally};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagCounts {
    /// At or above the threshold, no decision yet.
    pub undecided: usize,
    /// Due date passed, not Done or Verified.
    pub overdue: usize,
    /// The day "overdue" was judged on.
    pub today: Date,
}

impl FlagCounts {
    /// Counts every failure mode of the session.
    pub fn of(session: &Session, today: Date) -> FlagCounts {
        let mut counts = FlagCounts {
            undecided: 0,
            overdue: 0,
            today,
        };
        for fm in &session.failure_modes {
            counts.count(session, fm, true);
        }
        counts
    }

    fn count(&mut self, session: &Session, fm: &FailureMode, add: bool) {
        let step = |n: &mut usize| {
            *n = if add {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        if session.threshold.needs_decision(fm) {
            step(&mut self.undecided);
        }
        if fm.treatment.is_overdue(self.today) {
            step(&mut self.overdue);
        }
    }

    /// Applies `change` to `session` and keeps the counts right: the failure modes
    /// it puts or removes are counted out before and in after; a change that can
    /// touch them all (a new threshold, a whole session) is counted afresh.
    /// Returns the change's inverse, as [`Session::apply`] does.
    pub fn apply(&mut self, session: &mut Session, change: Change) -> Change {
        tally::apply(session, change, &mut [self])
    }
}

impl Tally for FlagCounts {
    fn count(&mut self, session: &Session, fm: &FailureMode, add: bool) {
        FlagCounts::count(self, session, fm, add);
    }

    fn recount(&mut self, session: &Session) {
        *self = FlagCounts::of(session, self.today);
    }

    fn recounts_after(&self, change: &Change) -> bool {
        change.is_wholesale() || change.sets_threshold()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Decision, FailureModeId, Status, Threshold};
    use jiff::Timestamp;

    fn day(d: i8) -> Date {
        Date::new(2026, 11, d).unwrap_or_default()
    }

    fn fm(id: u32, sod: (u8, u8, u8), decision: Decision, due: Option<Date>) -> FailureMode {
        let mut f = FailureMode::new(FailureModeId(id), "m");
        (f.severity, f.occurrence, f.detection) = sod;
        f.treatment.decision = decision;
        f.treatment.due = due;
        f
    }

    fn session() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![
            fm(1, (10, 10, 10), Decision::Undecided, None),
            fm(2, (9, 9, 9), Decision::Reduce, Some(day(1))),
            fm(3, (1, 1, 1), Decision::Accept, Some(day(30))),
            fm(4, (2, 2, 2), Decision::Undecided, Some(day(2))),
        ];
        s
    }

    fn changes(s: &Session) -> Vec<Change> {
        let mut done = s.failure_modes[1].clone();
        done.treatment.status = Status::Done;
        let mut raised = s.failure_modes[3].clone();
        raised.severity = 10;
        raised.occurrence = 10;
        let mut decided = s.failure_modes[0].clone();
        decided.treatment.decision = Decision::Avoid;
        vec![
            Change::PutFailureMode(done),
            Change::PutFailureMode(raised),
            Change::PutFailureMode(fm(9, (8, 8, 8), Decision::Undecided, Some(day(3)))),
            Change::RemoveFailureMode(FailureModeId(1)),
            Change::Batch(vec![
                Change::PutFailureMode(decided.clone()),
                Change::RemoveFailureMode(FailureModeId(2)),
            ]),
            Change::Batch(vec![
                Change::RemoveFailureMode(FailureModeId(1)),
                Change::PutFailureMode(decided),
            ]),
            Change::SetThreshold(Threshold {
                rpn: 1,
                ap_high: false,
            }),
            Change::SetThreshold(Threshold {
                rpn: 0,
                ap_high: false,
            }),
            Change::ReplaceSession(Box::new(session())),
        ]
    }

    #[test]
    fn the_counts_are_those_of_a_full_count() {
        let s = session();
        let counts = FlagCounts::of(&s, day(15));
        assert_eq!((counts.undecided, counts.overdue), (1, 2));
        assert_eq!(
            FlagCounts::of(&s, day(1)).overdue,
            0,
            "due today is not overdue"
        );
    }

    #[test]
    fn every_kind_of_change_and_its_undo_keep_the_counts_right() {
        for change in changes(&session()) {
            let mut s = session();
            let mut counts = FlagCounts::of(&s, day(15));
            let inverse = counts.apply(&mut s, change.clone());
            assert_eq!(counts, FlagCounts::of(&s, day(15)), "after {change:?}");
            counts.apply(&mut s, inverse);
            assert_eq!(
                counts,
                FlagCounts::of(&s, day(15)),
                "after undoing {change:?}"
            );
            assert_eq!(s, session());
        }
        // And one after the other.
        let mut s = session();
        let mut counts = FlagCounts::of(&s, day(15));
        for change in changes(&session()) {
            counts.apply(&mut s, change);
            assert_eq!(counts, FlagCounts::of(&s, day(15)));
        }
    }
}
