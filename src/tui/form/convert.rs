//! A form back into a record (or the threshold), with a message naming the field
//! when it cannot be.

use jiff::civil::Date;

use super::{FieldId, Form, asset_suggestions};
use crate::domain::{
    Asset, AssetId, Category, Decision, FailureMode, FailureModeId, RatingKind, Session, Status,
    Threshold, Treatment,
};

impl Form {
    /// The threshold this form describes, or `None` with a message.
    pub fn to_threshold(&mut self) -> Option<Threshold> {
        let text = self.text_of(FieldId::ThresholdRpn);
        let rpn = match text.parse::<u16>() {
            Ok(rpn) if rpn <= 1000 => rpn,
            _ => {
                return self.refuse(
                    FieldId::ThresholdRpn,
                    format!("{text:?}: write an RPN from 0 to 1000 (0: RPN does not count)"),
                );
            }
        };
        Some(Threshold {
            rpn,
            ap_high: self.choice_of(FieldId::ThresholdApHigh) == 0,
        })
    }

    /// The asset this form describes, or `None` with the focus on the field at
    /// fault and a message saying why.
    pub fn to_asset(&mut self, id: AssetId) -> Option<Asset> {
        let name = self.text_of(FieldId::Name);
        if name.is_empty() {
            return self.refuse(FieldId::Name, "the asset needs a name".into());
        }
        let mut asset = Asset::new(
            id,
            name,
            Category::ALL[self.choice_of(FieldId::Category) % Category::ALL.len()],
        );
        asset.owner = self.text_of(FieldId::Owner);
        asset.location = self.text_of(FieldId::Location);
        asset.description = self.text_of(FieldId::Description);
        for (field, kind) in [
            (FieldId::Confidentiality, RatingKind::Confidentiality),
            (FieldId::Integrity, RatingKind::Integrity),
            (FieldId::Availability, RatingKind::Availability),
        ] {
            match self.rating_of(field) {
                Some(value) if asset.set_rating(kind, value).is_ok() => {}
                _ => return self.refuse(field, format!("rate {} (1-{})", kind.name(), kind.max())),
            }
        }
        Some(asset)
    }

    /// The failure mode this form describes (keeping `base`'s other fields), or
    /// `None` with the focus on the field at fault and a message saying why.
    pub fn to_failure_mode(&mut self, id: FailureModeId, session: &Session) -> Option<FailureMode> {
        let mode = self.text_of(FieldId::Mode);
        if mode.is_empty() {
            return self.refuse(FieldId::Mode, "describe the failure mode".into());
        }
        let mut fm = FailureMode::new(id, mode);
        fm.effect = self.text_of(FieldId::Effect);
        fm.cause = self.text_of(FieldId::Cause);
        fm.controls = self.text_of(FieldId::Controls);
        // The process name becomes a record at the save (see `process_name`).

        let asset_text = self.text_of(FieldId::Asset);
        if !asset_text.is_empty() {
            let suggestions = asset_suggestions(session, &asset_text, 50);
            let picked = if self.focused().id == FieldId::Asset {
                suggestions.get(self.suggestion)
            } else {
                suggestions.first()
            };
            match picked {
                Some(s) => fm.asset = Some(s.id),
                None => {
                    return self.refuse(
                        FieldId::Asset,
                        format!("no asset matches {asset_text:?} (leave it empty for none)"),
                    );
                }
            }
        }
        for (field, kind) in [
            (FieldId::Severity, RatingKind::Severity),
            (FieldId::Occurrence, RatingKind::Occurrence),
            (FieldId::Detection, RatingKind::Detection),
        ] {
            match self.rating_of(field) {
                Some(value) if fm.set_rating(kind, value).is_ok() => {}
                _ => {
                    return self.refuse(field, format!("rate {} (1-10; 0 means 10)", kind.name()));
                }
            }
        }

        let due_text = self.text_of(FieldId::Due);
        let due = if due_text.is_empty() {
            None
        } else {
            match due_text.parse::<Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    return self.refuse(FieldId::Due, date_problem(&due_text));
                }
            }
        };
        fm.treatment = Treatment {
            decision: Decision::ALL[self.choice_of(FieldId::Decision) % Decision::ALL.len()],
            action: self.text_of(FieldId::Action),
            owner: self.text_of(FieldId::TreatmentOwner),
            due,
            status: Status::ALL[self.choice_of(FieldId::Status) % Status::ALL.len()],
            action_taken: self.text_of(FieldId::ActionTaken),
            revised_severity: self.rating_of(FieldId::RevisedSeverity),
            revised_occurrence: self.rating_of(FieldId::RevisedOccurrence),
            revised_detection: self.rating_of(FieldId::RevisedDetection),
        };
        Some(fm)
    }
}

/// Why `text` is not a due date, in words: a wrong layout, or a day that the
/// month does not have (`2026-02-30`), which is in the right layout already.
pub(super) fn date_problem(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match (parts.as_slice(), numbers.as_deref()) {
        ([y, m, d], Some(&[year, month, day])) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            if !(1..=12).contains(&month) {
                format!("{text}: there is no month {month}")
            } else {
                let days = i16::try_from(year)
                    .ok()
                    .and_then(|y| Date::new(y, month as i8, 1).ok())
                    .map(|first| first.days_in_month());
                match days {
                    Some(days) if day > i32::from(days) || day < 1 => {
                        let name = Date::new(2000, month as i8, 1)
                            .map(|d| d.strftime("%B").to_string())
                            .unwrap_or_default();
                        format!("{text}: {name} {year} has {days} days")
                    }
                    _ => format!("{text} is not a date"),
                }
            }
        }
        _ => format!("{text:?} is not a date: write it as YYYY-MM-DD"),
    }
}
