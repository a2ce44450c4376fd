//! Coverage of the seed method's five control groups: which Annex A controls the
//! workshop linked, as existing and as planned, the failure modes they treat, and
//! the riskiest of those still left untreated. Counted as the Statement of
//! Applicability counts (ISO 27001:2022 controls; a link to a 2013 control counts
//! for the 2022 controls that took it over), so the two never disagree.

use std::collections::BTreeMap;

use crate::domain::annex_a::{Catalogue, Control, ControlGroup, ControlState, Edition, catalogue};
use crate::domain::failure_mode::FailureMode;
use crate::domain::ids::FailureModeId;
use crate::domain::ordering::RiskKey;
use crate::domain::session::Session;
use crate::domain::treatment::Decision;

/// One ISO 27001:2022 control as the session uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlUse {
    pub control: &'static Control,
    /// Failure modes it is linked to as existing, riskiest first.
    pub existing: Vec<FailureModeId>,
    /// Failure modes it is linked to as planned, riskiest first.
    pub planned: Vec<FailureModeId>,
    /// The 2013 IDs linked in its place, if any (`A.9.4.2` for `A.8.5`).
    pub via: Vec<&'static str>,
}

impl ControlUse {
    /// The failure modes it is linked to as planned, or as existing.
    pub fn linked(&self, planned: bool) -> &[FailureModeId] {
        if planned {
            &self.planned
        } else {
            &self.existing
        }
    }

    /// `A.8.5 Secure authentication (FM-001, FM-003, +4; via A.9.4.2)`: the
    /// failure modes linked as planned (or as existing), at most `most` of them
    /// by ID and the rest as a count, so that a large register stays a line.
    pub fn describe(&self, planned: bool, most: usize) -> String {
        let ids = self.linked(planned);
        let mut shown: Vec<String> = ids.iter().take(most).map(ToString::to_string).collect();
        if ids.len() > most {
            shown.push(format!("+{}", ids.len() - most));
        }
        let via = if self.via.is_empty() {
            String::new()
        } else {
            format!("; via {}", self.via.join(", "))
        };
        format!(
            "{} {} ({}{via})",
            self.control.id,
            self.control.title,
            shown.join(", ")
        )
    }
}

/// Every 2022 control that some failure mode links, directly or through a 2013
/// predecessor, in the standard's order.
pub fn control_uses(session: &Session) -> Vec<ControlUse> {
    control_uses_in(session, catalogue())
}

fn control_uses_in(session: &Session, catalogue: &'static Catalogue) -> Vec<ControlUse> {
    let mut by_position: BTreeMap<usize, ControlUse> = BTreeMap::new();
    let mut risky: Vec<&FailureMode> = session.failure_modes.iter().collect();
    risky.sort_by_key(|f| RiskKey::of(f));
    for fm in risky {
        for link in &fm.annex_a {
            let linked = catalogue.get(&link.id);
            for control in catalogue.as_2022(&link.id) {
                let usage = by_position
                    .entry(catalogue.position(&control.id))
                    .or_insert_with(|| ControlUse {
                        control,
                        existing: Vec::new(),
                        planned: Vec::new(),
                        via: Vec::new(),
                    });
                let list = match link.state {
                    ControlState::Existing => &mut usage.existing,
                    ControlState::Planned => &mut usage.planned,
                };
                // One failure mode at a time: a second link of the same one
                // (its 2013 and its 2022 ID) can only follow its first.
                if list.last() != Some(&fm.id) {
                    list.push(fm.id);
                }
                if let Some(old) = linked.filter(|c| c.edition == Edition::Iso2013)
                    && !usage.via.contains(&old.id.as_str())
                {
                    usage.via.push(old.id.as_str());
                }
            }
        }
    }
    by_position.into_values().collect()
}

/// Left untreated: no action carried out (not Done or Verified) and the risk not
/// accepted. An accepted risk is retained by decision, which is a treatment.
pub fn left_untreated(fm: &FailureMode) -> bool {
    !fm.treatment.status.is_closed() && fm.treatment.decision != Decision::Accept
}

/// One control group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCoverage {
    pub group: ControlGroup,
    /// ISO 27001:2022 controls in the group.
    pub in_catalogue: usize,
    /// The group's controls that are linked, in the standard's order.
    pub controls: Vec<ControlUse>,
    /// Failure modes those controls treat, riskiest first.
    pub failure_modes: Vec<FailureModeId>,
    /// The highest current RPN among them that is left untreated.
    pub highest_untreated: Option<(FailureModeId, u16)>,
}

impl GroupCoverage {
    /// Controls linked as existing to some failure mode.
    pub fn existing(&self) -> impl Iterator<Item = &ControlUse> {
        self.controls.iter().filter(|c| !c.existing.is_empty())
    }

    /// Controls linked as planned to some failure mode.
    pub fn planned(&self) -> impl Iterator<Item = &ControlUse> {
        self.controls.iter().filter(|c| !c.planned.is_empty())
    }

    /// No control of the group is linked to any failure mode.
    pub fn has_no_control(&self) -> bool {
        self.controls.is_empty()
    }

    /// `6 of 13 controls linked (5 existing, 2 planned); treats 12 failure modes;
    /// highest untreated RPN 280 (FM-003)`, or, plainly, that there is no control.
    pub fn summary(&self) -> String {
        if self.has_no_control() {
            return format!(
                "no control at all: none of its {} controls is linked to a failure mode",
                self.in_catalogue
            );
        }
        let mut text = format!(
            "{} of {} controls linked ({} existing, {} planned); treats {}",
            self.controls.len(),
            self.in_catalogue,
            self.existing().count(),
            self.planned().count(),
            match self.failure_modes.len() {
                1 => "1 failure mode".to_string(),
                n => format!("{n} failure modes"),
            }
        );
        match self.highest_untreated {
            Some((id, rpn)) => text.push_str(&format!("; highest untreated RPN {rpn} ({id})")),
            None => text.push_str("; none left untreated"),
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The five groups in the method's order.
    pub groups: Vec<GroupCoverage>,
    /// Failure modes with no Annex A control linked at all, riskiest first.
    pub without_control: Vec<FailureModeId>,
    /// The highest current RPN among those that is left untreated.
    pub highest_without_control: Option<(FailureModeId, u16)>,
}

impl Coverage {
    pub fn group(&self, group: ControlGroup) -> Option<&GroupCoverage> {
        self.groups.iter().find(|g| g.group == group)
    }

    /// `3 (highest untreated RPN 120, FM-010)`, `none`: the failure modes with
    /// no Annex A control linked.
    pub fn without_control_summary(&self) -> String {
        match (self.without_control.len(), self.highest_without_control) {
            (0, _) => "none".to_string(),
            (n, Some((id, rpn))) => format!("{n} (highest untreated RPN {rpn}, {id})"),
            (n, None) => format!("{n} (none left untreated)"),
        }
    }

    /// The groups with no control at all.
    pub fn empty_groups(&self) -> Vec<ControlGroup> {
        self.groups
            .iter()
            .filter(|g| g.has_no_control())
            .map(|g| g.group)
            .collect()
    }
}

fn highest_untreated<'a>(
    fms: impl Iterator<Item = &'a FailureMode>,
) -> Option<(FailureModeId, u16)> {
    fms.filter(|f| left_untreated(f))
        .min_by_key(|f| RiskKey::of(f))
        .map(|f| (f.id, f.rpn()))
}

/// The coverage of every control group in `session`.
pub fn coverage(session: &Session) -> Coverage {
    let catalogue = catalogue();
    let uses = control_uses_in(session, catalogue);
    let groups = ControlGroup::ALL
        .into_iter()
        .map(|group| {
            let controls: Vec<ControlUse> = uses
                .iter()
                .filter(|u| u.control.group == group)
                .cloned()
                .collect();
            let mut treated: Vec<&FailureMode> = controls
                .iter()
                .flat_map(|c| c.existing.iter().chain(&c.planned))
                .filter_map(|id| session.failure_mode(*id))
                .collect();
            treated.sort_by_key(|f| RiskKey::of(f));
            treated.dedup_by_key(|f| f.id);
            GroupCoverage {
                group,
                in_catalogue: catalogue
                    .edition(Edition::Iso2022)
                    .filter(|c| c.group == group)
                    .count(),
                highest_untreated: highest_untreated(treated.iter().copied()),
                failure_modes: treated.iter().map(|f| f.id).collect(),
                controls,
            }
        })
        .collect();
    let mut without: Vec<&FailureMode> = session
        .failure_modes
        .iter()
        .filter(|f| {
            f.annex_a
                .iter()
                .all(|l| catalogue.as_2022(&l.id).is_empty())
        })
        .collect();
    without.sort_by_key(|f| RiskKey::of(f));
    Coverage {
        groups,
        highest_without_control: highest_untreated(without.iter().copied()),
        without_control: without.iter().map(|f| f.id).collect(),
    }
}

/// The Statement of Applicability in numbers: controls in it (every 2022
/// control), linked, linked as existing, linked as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoaCounts {
    pub controls: usize,
    pub linked: usize,
    pub existing: usize,
    pub planned: usize,
}

pub fn soa_counts(session: &Session) -> SoaCounts {
    let uses = control_uses(session);
    SoaCounts {
        controls: catalogue().edition(Edition::Iso2022).count(),
        linked: uses.len(),
        existing: uses.iter().filter(|u| !u.existing.is_empty()).count(),
        planned: uses.iter().filter(|u| !u.planned.is_empty()).count(),
    }
}
