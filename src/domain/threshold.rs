//! The session's decision threshold: the risk acceptance criterion of ISO 27001
//! 6.1.2 a) in the method's terms. A failure mode at or above it needs a treatment
//! decision; one above it with the decision still Undecided is flagged.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::action_priority::ActionPriority;
use super::failure_mode::FailureMode;
use super::sign_off::SignOffKind;
use super::treatment::Decision;

/// "RPN >= `rpn` or AP = H needs a decision".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Threshold {
    /// The lowest RPN that needs a decision; 0 leaves RPN out of it.
    pub rpn: u16,
    /// Whether every failure mode with action priority H needs a decision.
    pub ap_high: bool,
}

impl Default for Threshold {
    /// RPN 200 (a fifth of the scale, where most FMEA guides start to act) or AP H.
    fn default() -> Self {
        Threshold {
            rpn: 200,
            ap_high: true,
        }
    }
}

impl Threshold {
    /// Whether the failure mode's current ratings reach the threshold.
    pub fn reached_by(&self, fm: &FailureMode) -> bool {
        (self.rpn > 0 && fm.rpn() >= self.rpn) || (self.ap_high && fm.ap() == ActionPriority::H)
    }

    /// At or above the threshold with no decision yet: this is what gets flagged.
    pub fn needs_decision(&self, fm: &FailureMode) -> bool {
        fm.treatment.decision == Decision::Undecided && self.reached_by(fm)
    }

    /// At or above the threshold, decided Accept, and no risk owner has
    /// accepted the residual risk: flagged, as ISO 27001 6.1.3 f asks for
    /// the risk owners' acceptance. (A sign-off that needs re-approval is
    /// flagged as that instead.)
    pub fn needs_sign_off(&self, fm: &FailureMode) -> bool {
        fm.treatment.decision == Decision::Accept
            && self.reached_by(fm)
            && !fm
                .sign_off
                .as_ref()
                .is_some_and(|s| s.kind == SignOffKind::AcceptResidual)
    }

    /// Whether anything can reach the threshold at all.
    pub fn is_off(&self) -> bool {
        self.rpn == 0 && !self.ap_high
    }
}

impl fmt::Display for Threshold {
    /// `RPN ≥ 200 or AP H`, `AP H`, `RPN ≥ 150`, `off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rpn, self.ap_high) {
            (0, false) => f.write_str("off"),
            (0, true) => f.write_str("AP H"),
            (rpn, false) => write!(f, "RPN ≥ {rpn}"),
            (rpn, true) => write!(f, "RPN ≥ {rpn} or AP H"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FailureModeId;

    fn fm(s: u8, o: u8, d: u8) -> FailureMode {
        let mut fm = FailureMode::new(FailureModeId(1), "m");
        (fm.severity, fm.occurrence, fm.detection) = (s, o, d);
        fm
    }

    #[test]
    fn reached_by_rpn_or_by_ap_high() {
        let t = Threshold::default();
        assert!(t.reached_by(&fm(5, 5, 8)), "RPN 200, AP L");
        assert!(!t.reached_by(&fm(5, 5, 7)), "RPN 175, AP L");
        assert!(t.reached_by(&fm(9, 2, 7)), "RPN 126, AP H");
        let rpn_only = Threshold {
            ap_high: false,
            ..t
        };
        assert!(!rpn_only.reached_by(&fm(9, 2, 7)));
        let ap_only = Threshold { rpn: 0, ..t };
        assert!(!ap_only.reached_by(&fm(6, 6, 8)), "RPN 288, AP M");
        assert!(ap_only.reached_by(&fm(9, 2, 7)));
        let off = Threshold {
            rpn: 0,
            ap_high: false,
        };
        assert!(off.is_off() && !off.reached_by(&fm(10, 10, 10)));
    }

    #[test]
    fn only_an_undecided_failure_mode_needs_a_decision() {
        let t = Threshold::default();
        let mut f = fm(8, 6, 6);
        assert!(t.needs_decision(&f));
        f.treatment.owner = "CISO".into();
        assert!(t.needs_decision(&f), "an owner is not a decision");
        f.treatment.decision = Decision::Accept;
        assert!(!t.needs_decision(&f));
    }

    #[test]
    fn an_accepted_risk_above_the_threshold_needs_the_owners_acceptance() {
        use crate::domain::{Participant, Session};
        let t = Threshold::default();
        let mut s = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        s.participants
            .push(Participant::new("Priya Raman", "risk owner"));
        let mut f = fm(8, 6, 6);
        f.treatment.decision = Decision::Accept;
        s.failure_modes.push(f.clone());
        assert!(t.needs_sign_off(&f));
        let sign = |kind| {
            let mut s = s.clone();
            s.apply(
                s.sign_off_change(f.id, "Priya Raman", kind, jiff::Timestamp::UNIX_EPOCH)
                    .unwrap(),
            );
            s.failure_modes[0].clone()
        };
        assert!(
            t.needs_sign_off(&sign(SignOffKind::ApproveTreatment)),
            "approving a plan is not accepting the risk"
        );
        let accepted = sign(SignOffKind::AcceptResidual);
        assert!(!t.needs_sign_off(&accepted));
        let mut stale = accepted.clone();
        stale.severity = 9;
        assert!(
            !t.needs_sign_off(&stale),
            "flagged as needing re-approval instead"
        );
        assert!(stale.sign_off.as_ref().unwrap().needs_reapproval(&stale));
        for (sod, decision) in [((2, 2, 2), Decision::Accept), ((8, 6, 6), Decision::Reduce)] {
            let mut other = fm(sod.0, sod.1, sod.2);
            other.treatment.decision = decision;
            assert!(
                !t.needs_sign_off(&other),
                "below the threshold, or not Accept"
            );
        }
    }

    #[test]
    fn it_reads_as_a_rule() {
        assert_eq!(Threshold::default().to_string(), "RPN ≥ 200 or AP H");
        let t = Threshold {
            rpn: 150,
            ap_high: false,
        };
        assert_eq!(t.to_string(), "RPN ≥ 150");
    }
}
