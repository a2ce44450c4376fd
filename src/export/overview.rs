//! The session at a glance: the counts that the workbook's Summary sheet and the
//! management report both open with, computed in one pass over the registers.

use jiff::civil::Date;

use crate::domain::{ActionPriority, ClassRank, Decision, Session, Stage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub today: Date,
    pub cycle: u32,
    pub stage: Stage,
    /// The day the current stage was entered, when the history records it.
    pub stage_since: Option<Date>,
    pub assets: usize,
    /// Assets of class A, B, C.
    pub classes: [usize; 3],
    pub failure_modes: usize,
    /// Failure modes of AP H, M, L.
    pub ap: [usize; 3],
    pub highest_rpn: u16,
    /// At or above the decision threshold.
    pub at_threshold: usize,
    /// At or above it with no decision yet.
    pub need_decision: usize,
    /// Decisions recorded: Reduce, Accept, Avoid, Transfer.
    pub decisions: [usize; 4],
    pub overdue: usize,
    /// Treatments Done or Verified.
    pub closed: usize,
    /// Failure modes with at least one Annex A control linked.
    pub with_controls: usize,
}

impl Overview {
    pub fn of(session: &Session, today: Date) -> Overview {
        let mut o = Overview {
            today,
            cycle: session.pdca.cycle,
            stage: session.pdca.stage,
            stage_since: session
                .pdca
                .entered_at()
                .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()),
            assets: session.assets.len(),
            classes: [0; 3],
            failure_modes: session.failure_modes.len(),
            ap: [0; 3],
            highest_rpn: 0,
            at_threshold: 0,
            need_decision: 0,
            decisions: [0; 4],
            overdue: 0,
            closed: 0,
            with_controls: 0,
        };
        for a in &session.assets {
            o.classes[match a.class_rank() {
                ClassRank::A => 0,
                ClassRank::B => 1,
                ClassRank::C => 2,
            }] += 1;
        }
        for f in &session.failure_modes {
            o.ap[match f.ap() {
                ActionPriority::H => 0,
                ActionPriority::M => 1,
                ActionPriority::L => 2,
            }] += 1;
            o.highest_rpn = o.highest_rpn.max(f.rpn());
            o.at_threshold += usize::from(session.threshold.reached_by(f));
            o.need_decision += usize::from(session.threshold.needs_decision(f));
            let t = &f.treatment;
            match t.decision {
                Decision::Undecided => {}
                Decision::Reduce => o.decisions[0] += 1,
                Decision::Accept => o.decisions[1] += 1,
                Decision::Avoid => o.decisions[2] += 1,
                Decision::Transfer => o.decisions[3] += 1,
            }
            o.overdue += usize::from(t.is_overdue(today));
            o.closed += usize::from(t.recorded_status().is_some_and(|s| s.is_closed()));
            o.with_controls += usize::from(!f.annex_a.is_empty());
        }
        o
    }

    /// `3 A, 5 B, 2 C`.
    pub fn classes_text(&self) -> String {
        format!(
            "{} A, {} B, {} C",
            self.classes[0], self.classes[1], self.classes[2]
        )
    }

    /// `4 H, 10 M, 26 L`.
    pub fn ap_text(&self) -> String {
        format!("{} H, {} M, {} L", self.ap[0], self.ap[1], self.ap[2])
    }

    /// `12 reduce, 3 accept, 0 avoid, 1 transfer`.
    pub fn decisions_text(&self) -> String {
        format!(
            "{} reduce, {} accept, {} avoid, {} transfer",
            self.decisions[0], self.decisions[1], self.decisions[2], self.decisions[3]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Asset, AssetId, Category, FailureMode, FailureModeId, Status};

    #[test]
    fn counts_every_register_once() {
        let now = jiff::Timestamp::from_second(1_767_225_600).unwrap();
        let mut s = Session::new("t", now);
        let mut a = Asset::new(AssetId(1), "db", Category::Information);
        (a.confidentiality, a.integrity, a.availability) = (4, 3, 3);
        s.assets.push(a);
        let mut b = Asset::new(AssetId(2), "pc", Category::Hardware);
        (b.confidentiality, b.integrity, b.availability) = (1, 1, 1);
        s.assets.push(b);
        let mut f = FailureMode::new(FailureModeId(1), "leak");
        (f.severity, f.occurrence, f.detection) = (9, 8, 7);
        f.treatment.decision = Decision::Reduce;
        f.treatment.due = Some(jiff::civil::date(2026, 1, 1));
        f.treatment.status = Status::InProgress;
        s.failure_modes.push(f);
        let mut g = FailureMode::new(FailureModeId(2), "typo");
        (g.severity, g.occurrence, g.detection) = (2, 2, 2);
        s.failure_modes.push(g);
        let o = Overview::of(&s, jiff::civil::date(2026, 6, 1));
        assert_eq!(o.classes, [1, 0, 1]);
        assert_eq!(o.ap, [1, 0, 1]);
        assert_eq!(o.highest_rpn, 504);
        assert_eq!((o.at_threshold, o.need_decision), (1, 0));
        assert_eq!(o.decisions, [1, 0, 0, 0]);
        assert_eq!((o.overdue, o.closed, o.with_controls), (1, 0, 0));
        assert_eq!(o.stage_since, Some(jiff::civil::date(2026, 1, 1)));
        assert_eq!(o.classes_text(), "1 A, 0 B, 1 C");
    }
}
