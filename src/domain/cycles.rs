//! The PDCA circle seen across cycles: how one failure mode moved from cycle to
//! cycle, and how the room's risks stood at the end of each cycle.

use jiff::Timestamp;

use super::action_priority::ActionPriority;
use super::annex_a::ControlLink;
use super::failure_mode::Sod;
use super::ids::FailureModeId;
use super::pdca::Stage;
use super::session::Session;
use super::treatment::Treatment;

/// One failure mode in one cycle: as recorded when the cycle closed, or as it
/// stands now for the current cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPoint {
    pub cycle: u32,
    /// When the cycle closed; `None` for the current cycle.
    pub closed: Option<Timestamp>,
    pub sod: Sod,
    pub treatment: Treatment,
    pub annex_a: Vec<ControlLink>,
}

impl HistoryPoint {
    pub fn is_current(&self) -> bool {
        self.closed.is_none()
    }

    /// The ratings after the treatment of this cycle, if any were revised.
    pub fn residual(&self) -> Option<Sod> {
        let t = &self.treatment;
        t.has_revised_ratings().then(|| Sod {
            severity: t.revised_severity.unwrap_or(self.sod.severity),
            occurrence: t.revised_occurrence.unwrap_or(self.sod.occurrence),
            detection: t.revised_detection.unwrap_or(self.sod.detection),
        })
    }

    /// Whether the close of this cycle carried the revised ratings over into the
    /// next one (the treatment was Done or Verified).
    pub fn carried_over(&self) -> bool {
        !self.is_current() && self.treatment.status.is_closed()
    }
}

/// Every cycle a failure mode was part of, oldest first, ending with the current
/// cycle. Empty when there is no such failure mode.
pub fn failure_mode_history(session: &Session, id: FailureModeId) -> Vec<HistoryPoint> {
    let Some(fm) = session.failure_mode(id) else {
        return Vec::new();
    };
    let mut points: Vec<HistoryPoint> = session
        .pdca
        .closed_cycles
        .iter()
        .filter_map(|record| {
            let snap = record.failure_modes.iter().find(|s| s.id == id)?;
            Some(HistoryPoint {
                cycle: record.cycle,
                closed: Some(record.closed),
                sod: snap.sod(),
                treatment: snap.treatment.clone(),
                annex_a: snap.annex_a.clone(),
            })
        })
        .collect();
    points.push(HistoryPoint {
        cycle: session.pdca.cycle,
        closed: None,
        sod: fm.sod(),
        treatment: fm.treatment.clone(),
        annex_a: fm.annex_a.clone(),
    });
    points
}

/// The room's risks at the end of one cycle (or now, for the current one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleSummary {
    pub cycle: u32,
    /// When the cycle closed; `None` for the current cycle.
    pub closed: Option<Timestamp>,
    pub failure_modes: usize,
    pub ap_high: usize,
    pub highest_rpn: u16,
    pub total_rpn: u32,
    /// Treatments Done or Verified (at the close, or so far in the current cycle).
    pub treatments_closed: usize,
    /// Stage changes recorded in this cycle, in order.
    pub stages: Vec<(Stage, Timestamp)>,
}

fn summary<'a>(
    cycle: u32,
    closed: Option<Timestamp>,
    rows: impl Iterator<Item = (Sod, &'a Treatment)>,
    session: &Session,
) -> CycleSummary {
    let mut s = CycleSummary {
        cycle,
        closed,
        failure_modes: 0,
        ap_high: 0,
        highest_rpn: 0,
        total_rpn: 0,
        treatments_closed: 0,
        stages: session
            .pdca
            .history
            .iter()
            .filter(|h| h.cycle == cycle)
            .map(|h| (h.stage, h.at))
            .collect(),
    };
    for (sod, treatment) in rows {
        s.failure_modes += 1;
        s.ap_high += usize::from(sod.ap() == ActionPriority::H);
        s.highest_rpn = s.highest_rpn.max(sod.rpn());
        s.total_rpn += u32::from(sod.rpn());
        s.treatments_closed += usize::from(treatment.status.is_closed());
    }
    s
}

/// One summary per closed cycle, oldest first (from the cycles' records, so
/// they change only when a cycle is closed or reopened).
pub fn closed_cycle_summaries(session: &Session) -> Vec<CycleSummary> {
    session
        .pdca
        .closed_cycles
        .iter()
        .map(|record| {
            summary(
                record.cycle,
                Some(record.closed),
                record.failure_modes.iter().map(|s| (s.sod(), &s.treatment)),
                session,
            )
        })
        .collect()
}

/// One summary per closed cycle, oldest first, then the current cycle.
pub fn cycle_summaries(session: &Session) -> Vec<CycleSummary> {
    let mut out = closed_cycle_summaries(session);
    out.push(summary(
        session.pdca.cycle,
        None,
        session
            .failure_modes
            .iter()
            .map(|f| (f.sod(), &f.treatment)),
        session,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::treatment::Status;
    use crate::domain::{FailureMode, Session};

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn session() -> Session {
        let mut s = Session::new("t", t(0));
        for (s_, o, d) in [(9, 6, 7), (5, 4, 3)] {
            let id = s.allocate_failure_mode_id().unwrap();
            let mut fm = FailureMode::new(id, "m");
            (fm.severity, fm.occurrence, fm.detection) = (s_, o, d);
            s.failure_modes.push(fm);
        }
        s
    }

    fn close(s: &mut Session, at: i64) {
        while s.pdca.stage != Stage::Act {
            s.apply(s.advance_stage_change(t(at)).unwrap());
        }
        s.apply(s.close_cycle_change(t(at + 1)).unwrap());
    }

    #[test]
    fn history_follows_a_failure_mode_through_its_cycles() {
        let mut s = session();
        s.failure_modes[0].treatment.status = Status::Done;
        s.failure_modes[0].treatment.revised_occurrence = Some(2);
        close(&mut s, 10);
        // A failure mode added in cycle 2 has no cycle-1 point.
        let id = s.allocate_failure_mode_id().unwrap();
        s.failure_modes.push(FailureMode::new(id, "late"));
        s.failure_modes[0].treatment.revised_detection = Some(3);
        close(&mut s, 20);

        let h = failure_mode_history(&s, FailureModeId(1));
        let rpns: Vec<u16> = h.iter().map(|p| p.sod.rpn()).collect();
        assert_eq!(rpns, [378, 126, 126], "9x6x7, then 9x2x7 carried over");
        assert_eq!(h[0].closed, Some(t(11)));
        assert!(h[0].carried_over() && !h[1].carried_over());
        assert_eq!(
            h[1].residual().map(|r| r.rpn()),
            Some(54),
            "not carried: open"
        );
        assert!(h[2].is_current());
        assert_eq!(
            failure_mode_history(&s, id)
                .iter()
                .map(|p| p.cycle)
                .collect::<Vec<_>>(),
            [2, 3]
        );
        assert!(failure_mode_history(&s, FailureModeId(99)).is_empty());
    }

    #[test]
    fn cycle_summaries_count_per_cycle() {
        let mut s = session();
        s.failure_modes[0].treatment.status = Status::Verified;
        s.failure_modes[0].treatment.revised_severity = Some(5);
        close(&mut s, 10);
        let sums = cycle_summaries(&s);
        assert_eq!(sums.len(), 2);
        let c1 = &sums[0];
        assert_eq!(
            (
                c1.cycle,
                c1.failure_modes,
                c1.ap_high,
                c1.highest_rpn,
                c1.total_rpn
            ),
            (1, 2, 1, 378, 378 + 60)
        );
        assert_eq!(c1.treatments_closed, 1);
        assert_eq!(c1.stages.len(), 4, "Plan, Do, Check, Act");
        let c2 = &sums[1];
        // 5x6x7 = 210 is AP H? S 4-6, O 6-7, D 7-10: M.
        assert_eq!(
            (
                c2.cycle,
                c2.closed,
                c2.ap_high,
                c2.highest_rpn,
                c2.total_rpn
            ),
            (2, None, 0, 210, 210 + 60)
        );
        assert_eq!(c2.treatments_closed, 0, "the treatment started afresh");
    }
}
