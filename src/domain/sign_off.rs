//! Risk acceptance (ISO 27001 6.1.3 f): a risk owner, one of the
//! participants, accepts the residual risk of a failure mode or approves its
//! treatment plan. The sign-off keeps who, when, and the risk state it applied
//! to; when that state changes afterwards, it needs re-approval.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::change::Change;
use super::failure_mode::FailureMode;
use super::ids::FailureModeId;
use super::pdca::now_in_seconds;
use super::session::Session;
use super::treatment::{Decision, optional_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignOffKind {
    /// The risk owner accepts the residual risk.
    AcceptResidual,
    /// The risk owner approves the treatment plan.
    ApproveTreatment,
}

impl SignOffKind {
    pub const ALL: [SignOffKind; 2] = [Self::AcceptResidual, Self::ApproveTreatment];

    pub fn name(self) -> &'static str {
        match self {
            Self::AcceptResidual => "accepted the residual risk",
            Self::ApproveTreatment => "approved the treatment plan",
        }
    }
}

/// A failure mode's risk as it stood when it was signed off: the ratings,
/// the revised ones (`None`: not revised, the current one carries), and the
/// treatment plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskState {
    pub severity: u8,
    pub occurrence: u8,
    pub detection: u8,
    pub revised_severity: Option<u8>,
    pub revised_occurrence: Option<u8>,
    pub revised_detection: Option<u8>,
    pub decision: Decision,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default, with = "optional_date")]
    pub due: Option<Date>,
}

impl RiskState {
    pub fn of(fm: &FailureMode) -> Self {
        let t = &fm.treatment;
        Self {
            severity: fm.severity,
            occurrence: fm.occurrence,
            detection: fm.detection,
            revised_severity: t.revised_severity,
            revised_occurrence: t.revised_occurrence,
            revised_detection: t.revised_detection,
            decision: t.decision,
            action: t.action.clone(),
            owner: t.owner.clone(),
            due: t.due,
        }
    }

    /// The fields that make up the risk, each as `(name, as text)`. An
    /// acceptance of the residual risk rests on the ratings and the decision;
    /// an approval of the treatment plan on the plan too.
    fn fields(&self, kind: SignOffKind) -> Vec<(&'static str, String)> {
        let rating = |r: Option<u8>| r.map_or_else(|| "–".to_string(), |r| r.to_string());
        let mut fields = vec![
            ("severity", self.severity.to_string()),
            ("occurrence", self.occurrence.to_string()),
            ("detection", self.detection.to_string()),
            ("residual severity", rating(self.revised_severity)),
            ("residual occurrence", rating(self.revised_occurrence)),
            ("residual detection", rating(self.revised_detection)),
            ("decision", self.decision.name().to_string()),
        ];
        if kind == SignOffKind::ApproveTreatment {
            fields.push(("action", self.action.clone()));
            fields.push(("action owner", self.owner.clone()));
            fields.push((
                "due",
                self.due.map_or_else(|| "–".to_string(), |d| d.to_string()),
            ));
        }
        fields
    }
}

/// A change of the risk since the sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Since {
    pub field: &'static str,
    pub then: String,
    pub now: String,
}

impl fmt::Display for Since {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field == "action" {
            // The action's text can be long: that it changed is what counts.
            return f.write_str("action changed");
        }
        write!(f, "{} {} → {}", self.field, self.then, self.now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// The participant who signed, by name (kept when they leave the list).
    pub by: String,
    /// Their role when they signed.
    #[serde(default)]
    pub role: String,
    pub at: Timestamp,
    pub kind: SignOffKind,
    pub state: RiskState,
}

impl SignOff {
    /// What changed in the failure mode's risk since it was signed; empty
    /// while the sign-off still holds.
    pub fn changes_since(&self, fm: &FailureMode) -> Vec<Since> {
        let now = RiskState::of(fm).fields(self.kind);
        self.state
            .fields(self.kind)
            .into_iter()
            .zip(now)
            .filter(|((_, then), (_, now))| then != now)
            .map(|((field, then), (_, now))| Since { field, then, now })
            .collect()
    }

    /// The risk changed since it was signed: it needs re-approval.
    pub fn needs_reapproval(&self, fm: &FailureMode) -> bool {
        !self.changes_since(fm).is_empty()
    }
}

/// Why a sign-off cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOffError {
    NoSuchFailureMode(FailureModeId),
    NotAParticipant(String),
    Undecided(FailureModeId),
}

impl fmt::Display for SignOffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchFailureMode(id) => write!(f, "there is no failure mode {id}"),
            Self::NotAParticipant(name) => write!(
                f,
                "{name:?} is not a participant (add them in the details first)"
            ),
            Self::Undecided(id) => write!(f, "{id} has no decision yet: decide first"),
        }
    }
}

impl std::error::Error for SignOffError {}

impl Session {
    /// The change that signs off a failure mode now, by the participant `by`.
    /// A sign-off already there is replaced (a re-approval).
    pub fn sign_off_change(
        &self,
        id: FailureModeId,
        by: &str,
        kind: SignOffKind,
        at: Timestamp,
    ) -> Result<Change, SignOffError> {
        let fm = self
            .failure_mode(id)
            .ok_or(SignOffError::NoSuchFailureMode(id))?;
        let participant = self
            .participant(by)
            .ok_or_else(|| SignOffError::NotAParticipant(by.to_string()))?;
        if fm.treatment.decision == Decision::Undecided {
            return Err(SignOffError::Undecided(id));
        }
        let mut signed = fm.clone();
        signed.sign_off = Some(Box::new(SignOff {
            by: participant.name.clone(),
            role: participant.role.clone(),
            at: now_in_seconds(at),
            kind,
            state: RiskState::of(fm),
        }));
        Ok(Change::PutFailureMode(signed))
    }

    /// The change that revokes a failure mode's sign-off, if it has one.
    pub fn revoke_change(&self, id: FailureModeId) -> Option<Change> {
        let fm = self.failure_mode(id)?;
        fm.sign_off.as_ref()?;
        let mut revoked = fm.clone();
        revoked.sign_off = None;
        Some(Change::PutFailureMode(revoked))
    }

    /// Who signed, for people: `Name (role)`, and said so when they are no
    /// longer on the list of participants.
    pub fn signer(&self, sign_off: &SignOff) -> String {
        let role = if sign_off.role.trim().is_empty() {
            String::new()
        } else {
            format!("{}, ", sign_off.role)
        };
        match self.participant(&sign_off.by) {
            Some(_) if role.is_empty() => sign_off.by.clone(),
            Some(_) => format!("{} ({})", sign_off.by, role.trim_end_matches(", ")),
            None => format!("{} ({role}former participant)", sign_off.by),
        }
    }
}

#[cfg(test)]
mod tests;
