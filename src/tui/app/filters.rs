//! The treatment filters of the failure-mode list (`s` and `o`).

use jiff::civil::Date;

use crate::domain::{FailureMode, Session, Status, Threshold};

/// What `s` narrows the failure modes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Status(Status),
    /// Due before today and not Done or Verified.
    Overdue,
    /// At or above the threshold without a decision.
    NeedsDecision,
}

impl StatusFilter {
    /// The order `s` steps through (after "all").
    pub const CYCLE: [StatusFilter; 6] = [
        StatusFilter::Status(Status::Open),
        StatusFilter::Status(Status::InProgress),
        StatusFilter::Status(Status::Done),
        StatusFilter::Status(Status::Verified),
        StatusFilter::Overdue,
        StatusFilter::NeedsDecision,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StatusFilter::Status(status) => status.name(),
            StatusFilter::Overdue => "overdue",
            StatusFilter::NeedsDecision => "needs a decision",
        }
    }
}

/// The treatment filters of the failure-mode list (both views).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreatmentFilter {
    pub status: Option<StatusFilter>,
    /// An action owner; `Some("")` means "no owner".
    pub owner: Option<String>,
}

impl TreatmentFilter {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner.is_none()
    }

    pub fn matches(&self, fm: &FailureMode, threshold: &Threshold, today: Date) -> bool {
        let status = match self.status {
            None => true,
            Some(StatusFilter::Status(status)) => fm.treatment.recorded_status() == Some(status),
            Some(StatusFilter::Overdue) => fm.treatment.is_overdue(today),
            Some(StatusFilter::NeedsDecision) => threshold.needs_decision(fm),
        };
        let owner = match &self.owner {
            None => true,
            Some(owner) => fm.treatment.owner.trim().eq_ignore_ascii_case(owner),
        };
        status && owner
    }

    /// `status Open, owner CISO`, for the pane's title.
    pub fn describe(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status {}", status.name()));
        }
        match self.owner.as_deref() {
            Some("") => parts.push("no owner".to_string()),
            Some(owner) => parts.push(format!("owner {owner}")),
            None => {}
        }
        parts
    }
}

/// The action owners of a session, each once (ignoring case), sorted; `""` last
/// when some failure mode has none.
pub fn owners(session: &Session) -> Vec<String> {
    let mut owners: Vec<String> = Vec::new();
    let mut unowned = false;
    for fm in &session.failure_modes {
        let owner = fm.treatment.owner.trim();
        if owner.is_empty() {
            unowned = true;
        } else if !owners.iter().any(|o| o.eq_ignore_ascii_case(owner)) {
            owners.push(owner.to_string());
        }
    }
    owners.sort_by_key(|o| o.to_lowercase());
    if unowned {
        owners.push(String::new());
    }
    owners
}
