//! The live risk order of the failure-mode list (SPEC 1.2): RPN highest first,
//! ties by severity (higher first), then by ID number (ascending).

use std::cmp::{Ordering, Reverse};

use super::failure_mode::FailureMode;
use super::ids::FailureModeId;
use super::session::Session;

/// Sorting key of one failure mode; smaller sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RiskKey {
    rpn: Reverse<u16>,
    severity: Reverse<u8>,
    pub id: FailureModeId,
}

impl RiskKey {
    pub fn of(fm: &FailureMode) -> RiskKey {
        RiskKey {
            rpn: Reverse(fm.rpn()),
            severity: Reverse(fm.severity),
            id: fm.id,
        }
    }

    pub fn rpn(&self) -> u16 {
        self.rpn.0
    }
}

/// Compares two failure modes in risk order.
pub fn risk_cmp(a: &FailureMode, b: &FailureMode) -> Ordering {
    RiskKey::of(a).cmp(&RiskKey::of(b))
}

/// The failure modes of a session in risk order, kept up to date one record at a
/// time, so a rating change costs a binary search and a shift, not a full sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskOrder {
    keys: Vec<RiskKey>,
}

impl RiskOrder {
    pub fn of(session: &Session) -> RiskOrder {
        let mut keys: Vec<RiskKey> = session.failure_modes.iter().map(RiskKey::of).collect();
        keys.sort_unstable();
        RiskOrder { keys }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The ID at a position of the order.
    pub fn get(&self, position: usize) -> Option<FailureModeId> {
        self.keys.get(position).map(|k| k.id)
    }

    pub fn ids(&self) -> impl DoubleEndedIterator<Item = FailureModeId> + ExactSizeIterator + '_ {
        self.keys.iter().map(|k| k.id)
    }

    /// Each failure mode with its RPN, in risk order.
    pub fn ranked(&self) -> impl ExactSizeIterator<Item = (FailureModeId, u16)> + '_ {
        self.keys.iter().map(|k| (k.id, k.rpn()))
    }

    /// Where a failure mode stands in the order.
    pub fn position(&self, id: FailureModeId) -> Option<usize> {
        self.keys.iter().position(|k| k.id == id)
    }

    /// Brings one failure mode's place up to date after it was put, changed or
    /// removed in `session`.
    pub fn refresh(&mut self, session: &Session, id: FailureModeId) {
        if let Some(old) = self.position(id) {
            self.keys.remove(old);
        }
        if let Some(fm) = session.failure_mode(id) {
            let key = RiskKey::of(fm);
            let at = self.keys.binary_search(&key).unwrap_or_else(|i| i);
            self.keys.insert(at, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn fm(id: u32, s: u8, o: u8, d: u8) -> FailureMode {
        let mut fm = FailureMode::new(FailureModeId(id), format!("m{id}"));
        fm.severity = s;
        fm.occurrence = o;
        fm.detection = d;
        fm
    }

    fn session(fms: Vec<FailureMode>) -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.failure_modes = fms;
        s.sort_by_id();
        s
    }

    fn order_ids(s: &Session) -> Vec<u32> {
        RiskOrder::of(s).ids().map(|id| id.0).collect()
    }

    #[test]
    fn rpn_first_then_severity_then_id_number() {
        let s = session(vec![
            fm(1, 2, 5, 10),   // 100, S2
            fm(2, 10, 10, 10), // 1000
            fm(3, 5, 4, 5),    // 100, S5
            fm(4, 4, 5, 5),    // 100, S4
            fm(999, 5, 5, 4),  // 100, S5
            fm(1000, 5, 5, 4), // 100, S5: FM-999 before FM-1000
            fm(5, 1, 1, 1),    // 1
        ]);
        assert_eq!(order_ids(&s), [2, 3, 999, 1000, 4, 1, 5]);
    }

    #[test]
    fn refresh_moves_one_row_and_matches_a_full_sort() {
        let mut s = session(
            (1..=50)
                .map(|n| fm(n, (n % 10 + 1) as u8, (n % 7 + 1) as u8, 3))
                .collect(),
        );
        let mut order = RiskOrder::of(&s);
        for (n, sev) in [(7u32, 10u8), (13, 1), (50, 6), (1, 10)] {
            let i = s.failure_mode_index(FailureModeId(n)).unwrap();
            s.failure_modes[i].severity = sev;
            order.refresh(&s, FailureModeId(n));
            assert_eq!(order, RiskOrder::of(&s));
        }
        s.failure_modes.remove(3);
        order.refresh(&s, FailureModeId(4));
        assert_eq!(order, RiskOrder::of(&s));
        assert_eq!(order.len(), 49);
    }

    #[test]
    fn position_and_get_agree() {
        let s = session(vec![fm(1, 1, 1, 1), fm(2, 9, 9, 9)]);
        let order = RiskOrder::of(&s);
        assert_eq!(order.get(0), Some(FailureModeId(2)));
        assert_eq!(order.position(FailureModeId(1)), Some(1));
        assert_eq!(order.get(2), None);
    }
}
