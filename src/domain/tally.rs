//! Counts kept up to date change by change. The screen shows figures that a full
//! pass over 100,000 failure modes would compute (the flag counts, the risk
//! matrix); a [`Tally`] counts the failure modes a change touches out before it
//! is applied and in after, and is counted afresh only when a change can touch
//! them all. Several tallies share one pass over the change with [`apply`].

use super::change::Change;
use super::failure_mode::FailureMode;
use super::session::Session;

/// Something counted over the failure modes of a session.
pub trait Tally {
    /// Counts one failure mode in (`add`) or out, as the session stands.
    fn count(&mut self, session: &Session, fm: &FailureMode, add: bool);

    /// Counts every failure mode of the session afresh.
    fn recount(&mut self, session: &Session);

    /// Whether `change` can alter the count of failure modes it does not name
    /// (a whole session always can; a new threshold can for the flag counts).
    fn recounts_after(&self, change: &Change) -> bool {
        change.is_wholesale()
    }
}

/// Applies `change` to `session`, keeping every tally right, and returns the
/// change's inverse as [`Session::apply`] does.
pub fn apply(session: &mut Session, change: Change, tallies: &mut [&mut dyn Tally]) -> Change {
    let recount: Vec<bool> = tallies.iter().map(|t| t.recounts_after(&change)).collect();
    let mut ids = if recount.iter().all(|r| *r) {
        Vec::new()
    } else {
        change.failure_mode_ids()
    };
    // Each failure mode is counted out and in once, however often the change
    // names it.
    ids.sort_unstable();
    ids.dedup();
    let step = |session: &Session, tallies: &mut [&mut dyn Tally], add: bool| {
        for id in &ids {
            if let Some(fm) = session.failure_mode(*id) {
                for (tally, recount) in tallies.iter_mut().zip(&recount) {
                    if !recount {
                        tally.count(session, fm, add);
                    }
                }
            }
        }
    };
    step(session, tallies, false);
    let inverse = session.apply(change);
    step(session, tallies, true);
    for (tally, recount) in tallies.iter_mut().zip(&recount) {
        if *recount {
            tally.recount(session);
        }
    }
    inverse
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FailureModeId;
    use jiff::Timestamp;

    /// The number of failure modes and the sum of their severities: simple
    /// enough to check by hand, and wrong at once if a failure mode is counted
    /// twice or not at all.
    #[derive(Debug, Default, PartialEq)]
    struct Sum {
        modes: i64,
        severity: i64,
        recounts: usize,
    }

    impl Tally for Sum {
        fn count(&mut self, _: &Session, fm: &FailureMode, add: bool) {
            let sign = if add { 1 } else { -1 };
            self.modes += sign;
            self.severity += sign * i64::from(fm.severity);
        }

        fn recount(&mut self, session: &Session) {
            self.modes = session.failure_modes.len() as i64;
            self.severity = session
                .failure_modes
                .iter()
                .map(|f| i64::from(f.severity))
                .sum();
            self.recounts += 1;
        }
    }

    fn fm(id: u32, severity: u8) -> FailureMode {
        let mut f = FailureMode::new(FailureModeId(id), "m");
        f.severity = severity;
        f
    }

    #[test]
    fn a_batch_naming_one_failure_mode_twice_counts_it_once() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = vec![fm(1, 5), fm(2, 7)];
        let mut a = Sum::default();
        a.recount(&s);
        let mut b = Sum::default();
        b.recount(&s);
        let inverse = apply(
            &mut s,
            Change::Batch(vec![
                Change::PutFailureMode(fm(1, 9)),
                Change::RemoveFailureMode(FailureModeId(1)),
                Change::PutFailureMode(fm(1, 3)),
                Change::PutFailureMode(fm(4, 2)),
            ]),
            &mut [&mut a, &mut b],
        );
        assert_eq!((a.modes, a.severity, a.recounts), (3, 3 + 7 + 2, 1));
        assert_eq!(a, b);
        apply(&mut s, inverse, &mut [&mut a]);
        assert_eq!((a.modes, a.severity, a.recounts), (2, 12, 1));
    }

    #[test]
    fn a_wholesale_change_is_counted_afresh() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        let mut sum = Sum::default();
        sum.recount(&s);
        let mut other = s.clone();
        other.failure_modes = vec![fm(1, 10), fm(2, 10)];
        apply(
            &mut s,
            Change::ReplaceSession(Box::new(other)),
            &mut [&mut sum],
        );
        assert_eq!((sum.modes, sum.severity, sum.recounts), (2, 20, 2));
    }
}
