//! A row of the InfoSec FMEA worksheet (SPEC 1.2).

use serde::{Deserialize, Serialize};

use super::action_priority::{ActionPriority, action_priority};
use super::annex_a::{self, ControlLink, ControlState};
use super::ids::{AssetId, FailureModeId, ProcessId, optional_asset, optional_id};
use super::rating::{OutOfScale, RatingKind};
use super::sign_off::SignOff;
use super::treatment::Treatment;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureMode {
    pub id: FailureModeId,
    /// `""` in the file when the failure mode belongs to no asset.
    #[serde(default, with = "optional_asset")]
    pub asset: Option<AssetId>,
    /// The process the failure mode belongs to; `""` in the file for none. (Until
    /// session format 2 this was the process's name, see `store::format1`.)
    #[serde(default, with = "optional_id")]
    pub process: Option<ProcessId>,
    pub mode: String,
    #[serde(default)]
    pub effect: String,
    #[serde(default)]
    pub cause: String,
    #[serde(default)]
    pub controls: String,
    pub severity: u8,
    pub occurrence: u8,
    pub detection: u8,
    #[serde(default, skip_serializing_if = "Treatment::is_empty")]
    pub treatment: Treatment,
    /// ISO 27001 Annex A controls linked to this failure mode, existing or planned,
    /// in catalogue order (2022 IDs, then 2013 IDs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annex_a: Vec<ControlLink>,
    /// The risk owner's acceptance of the residual risk or approval of the
    /// treatment plan, with the risk state it applied to. (Boxed: most failure
    /// modes have none, and a register holds 100,000 of them.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<Box<SignOff>>,
}

/// Severity, occurrence and detection of one failure mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sod {
    pub severity: u8,
    pub occurrence: u8,
    pub detection: u8,
}

/// Where a residual rating comes from: the room revised it, or it is the
/// current rating carried over because the room left it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidualSource {
    Revised,
    Carried,
}

impl ResidualSource {
    /// One word, for a table cell or a spreadsheet column.
    pub fn word(self) -> &'static str {
        match self {
            Self::Revised => "revised",
            Self::Carried => "carried",
        }
    }

    pub fn of(revised: Option<u8>) -> Self {
        if revised.is_some() {
            Self::Revised
        } else {
            Self::Carried
        }
    }
}

impl Sod {
    pub fn rpn(self) -> u16 {
        u16::from(self.severity) * u16::from(self.occurrence) * u16::from(self.detection)
    }

    pub fn ap(self) -> ActionPriority {
        action_priority(self.severity, self.occurrence, self.detection)
    }
}

impl FailureMode {
    pub fn new(id: FailureModeId, mode: impl Into<String>) -> Self {
        Self {
            id,
            asset: None,
            process: None,
            mode: mode.into(),
            effect: String::new(),
            cause: String::new(),
            controls: String::new(),
            severity: 1,
            occurrence: 1,
            detection: 1,
            treatment: Treatment::default(),
            annex_a: Vec::new(),
            sign_off: None,
        }
    }

    pub fn sod(&self) -> Sod {
        Sod {
            severity: self.severity,
            occurrence: self.occurrence,
            detection: self.detection,
        }
    }

    /// Risk priority number S x O x D, 1..=1000 for ratings inside their scales.
    pub fn rpn(&self) -> u16 {
        self.sod().rpn()
    }

    pub fn ap(&self) -> ActionPriority {
        self.sod().ap()
    }

    pub fn rating(&self, kind: RatingKind) -> Option<u8> {
        match kind {
            RatingKind::Severity => Some(self.severity),
            RatingKind::Occurrence => Some(self.occurrence),
            RatingKind::Detection => Some(self.detection),
            _ => None,
        }
    }

    /// Sets S, O or D; anything else, or a value outside the scale, is refused.
    pub fn set_rating(&mut self, kind: RatingKind, value: u8) -> Result<(), OutOfScale> {
        let value = kind.check(value)?;
        match kind {
            RatingKind::Severity => self.severity = value,
            RatingKind::Occurrence => self.occurrence = value,
            RatingKind::Detection => self.detection = value,
            _ => return Err(OutOfScale { kind, value }),
        }
        Ok(())
    }

    /// How an Annex A control is linked to this failure mode, if it is.
    pub fn link(&self, id: &str) -> Option<ControlState> {
        self.annex_a.iter().find(|l| l.id == id).map(|l| l.state)
    }

    /// This failure mode with the control `id` linked as `state` (or unlinked).
    pub fn with_link(&self, id: &str, state: Option<ControlState>) -> FailureMode {
        let mut fm = self.clone();
        fm.annex_a = annex_a::with_link(&self.annex_a, id, state);
        fm
    }

    /// Where each residual rating (S, O, D) comes from; `None` while there is
    /// no residual (nothing revised).
    pub fn residual_sources(&self) -> Option<[ResidualSource; 3]> {
        let t = &self.treatment;
        t.has_revised_ratings().then(|| {
            [
                ResidualSource::of(t.revised_severity),
                ResidualSource::of(t.revised_occurrence),
                ResidualSource::of(t.revised_detection),
            ]
        })
    }

    /// The ratings after the treatment: a revised rating where the room gave one,
    /// the current rating where it did not. `None` while no rating is revised.
    pub fn residual(&self) -> Option<Sod> {
        let t = &self.treatment;
        t.has_revised_ratings().then(|| Sod {
            severity: t.revised_severity.unwrap_or(self.severity),
            occurrence: t.revised_occurrence.unwrap_or(self.occurrence),
            detection: t.revised_detection.unwrap_or(self.detection),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(s: u8, o: u8, d: u8) -> FailureMode {
        let mut fm = FailureMode::new(FailureModeId(1), "m");
        fm.severity = s;
        fm.occurrence = o;
        fm.detection = d;
        fm
    }

    #[test]
    fn rpn_bounds_and_product() {
        assert_eq!(fm(1, 1, 1).rpn(), 1);
        assert_eq!(fm(10, 10, 10).rpn(), 1000);
        assert_eq!(fm(8, 4, 6).rpn(), 192);
        for s in 1..=10 {
            for o in 1..=10 {
                for d in 1..=10 {
                    let rpn = fm(s, o, d).rpn();
                    assert!((1..=1000).contains(&rpn));
                    assert_eq!(rpn, u16::from(s) * u16::from(o) * u16::from(d));
                }
            }
        }
    }

    #[test]
    fn set_rating_refuses_out_of_scale_and_asset_ratings() {
        let mut f = fm(5, 5, 5);
        assert!(f.set_rating(RatingKind::Severity, 11).is_err());
        assert!(f.set_rating(RatingKind::Detection, 0).is_err());
        assert!(f.set_rating(RatingKind::Confidentiality, 2).is_err());
        assert_eq!(
            f.sod(),
            Sod {
                severity: 5,
                occurrence: 5,
                detection: 5
            }
        );
        f.set_rating(RatingKind::Occurrence, 10).unwrap();
        assert_eq!(f.occurrence, 10);
    }

    #[test]
    fn residual_uses_revised_ratings_and_falls_back_to_current() {
        let mut f = fm(8, 6, 7);
        assert_eq!(f.residual(), None);
        f.treatment.revised_occurrence = Some(2);
        let r = f.residual().unwrap();
        assert_eq!(
            r,
            Sod {
                severity: 8,
                occurrence: 2,
                detection: 7
            }
        );
        assert_eq!(r.rpn(), 112);
        f.treatment.revised_severity = Some(8);
        f.treatment.revised_detection = Some(3);
        let r = f.residual().unwrap();
        assert_eq!(r.rpn(), 48);
        assert_eq!(r.ap(), ActionPriority::L); // S 7-8, O 2-3, D 2-4
    }

    #[test]
    fn residual_arithmetic_over_every_rating_and_every_revised_subset() {
        for s in 1..=10u8 {
            for o in 1..=10u8 {
                for d in 1..=10u8 {
                    let mut f = fm(s, o, d);
                    assert_eq!(f.residual(), None, "nothing revised, no residual");
                    // Revise to the mirrored value, one subset of S, O, D at a time.
                    for mask in 1..8u8 {
                        f.treatment.revised_severity = (mask & 1 != 0).then_some(11 - s);
                        f.treatment.revised_occurrence = (mask & 2 != 0).then_some(11 - o);
                        f.treatment.revised_detection = (mask & 4 != 0).then_some(11 - d);
                        let r = f.residual().unwrap();
                        let want = (
                            if mask & 1 != 0 { 11 - s } else { s },
                            if mask & 2 != 0 { 11 - o } else { o },
                            if mask & 4 != 0 { 11 - d } else { d },
                        );
                        assert_eq!((r.severity, r.occurrence, r.detection), want);
                        assert_eq!(
                            r.rpn(),
                            u16::from(want.0) * u16::from(want.1) * u16::from(want.2)
                        );
                        assert_eq!(r.ap(), action_priority(want.0, want.1, want.2));
                        assert_eq!(f.sod(), fm(s, o, d).sod(), "current ratings untouched");
                    }
                }
            }
        }
    }

    #[test]
    fn each_residual_rating_says_whether_the_room_revised_it_or_it_carried() {
        use ResidualSource::{Carried, Revised};
        let mut f = fm(8, 6, 7);
        assert_eq!(f.residual_sources(), None);
        for mask in 1..8u8 {
            f.treatment.revised_severity = (mask & 1 != 0).then_some(5);
            f.treatment.revised_occurrence = (mask & 2 != 0).then_some(2);
            f.treatment.revised_detection = (mask & 4 != 0).then_some(3);
            let pick = |bit: u8| if mask & bit != 0 { Revised } else { Carried };
            assert_eq!(f.residual_sources(), Some([pick(1), pick(2), pick(4)]));
            let r = f.residual().unwrap();
            assert_eq!(
                [r.severity, r.occurrence, r.detection],
                [
                    if mask & 1 != 0 { 5 } else { 8 },
                    if mask & 2 != 0 { 2 } else { 6 },
                    if mask & 4 != 0 { 3 } else { 7 },
                ],
                "a carried rating is the current one"
            );
        }
        assert_eq!((Revised.word(), Carried.word()), ("revised", "carried"));
    }

    #[test]
    fn links_are_set_changed_and_removed() {
        let f = fm(5, 5, 5);
        assert_eq!(f.link("A.8.5"), None);
        let f = f.with_link("A.8.5", Some(ControlState::Planned));
        assert_eq!(f.link("A.8.5"), Some(ControlState::Planned));
        let f = f.with_link("A.8.5", Some(ControlState::Existing));
        assert_eq!(f.link("A.8.5"), Some(ControlState::Existing));
        assert_eq!(f.annex_a.len(), 1);
        assert!(f.with_link("A.8.5", None).annex_a.is_empty());
    }
}
