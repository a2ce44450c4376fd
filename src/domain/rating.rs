//! The six rating scales of the method and what each level means.

use std::fmt;

/// One of the six ratings a record carries: C, I, A on an asset; S, O, D on a
/// failure mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RatingKind {
    Confidentiality,
    Integrity,
    Availability,
    Severity,
    Occurrence,
    Detection,
}

/// A rating outside its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfScale {
    pub kind: RatingKind,
    pub value: u8,
}

impl fmt::Display for OutOfScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is outside its scale 1-{}",
            self.kind.name(),
            self.value,
            self.kind.max()
        )
    }
}

impl std::error::Error for OutOfScale {}

impl RatingKind {
    pub const ASSET: [RatingKind; 3] = [Self::Confidentiality, Self::Integrity, Self::Availability];
    pub const FAILURE_MODE: [RatingKind; 3] = [Self::Severity, Self::Occurrence, Self::Detection];

    /// Highest level of the scale; every scale starts at 1.
    pub fn max(self) -> u8 {
        match self {
            Self::Confidentiality => 4,
            Self::Integrity | Self::Availability => 3,
            Self::Severity | Self::Occurrence | Self::Detection => 10,
        }
    }

    /// Lower-case field name, as in the session file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Confidentiality => "confidentiality",
            Self::Integrity => "integrity",
            Self::Availability => "availability",
            Self::Severity => "severity",
            Self::Occurrence => "occurrence",
            Self::Detection => "detection",
        }
    }

    /// One-letter column heading.
    pub fn letter(self) -> char {
        match self {
            Self::Confidentiality => 'C',
            Self::Integrity => 'I',
            Self::Availability => 'A',
            Self::Severity => 'S',
            Self::Occurrence => 'O',
            Self::Detection => 'D',
        }
    }

    pub fn check(self, value: u8) -> Result<u8, OutOfScale> {
        if (1..=self.max()).contains(&value) {
            Ok(value)
        } else {
            Err(OutOfScale { kind: self, value })
        }
    }

    /// The meaning of one level, as the method's forms state it (SPEC 1.1, 1.2).
    pub fn level_meaning(self, value: u8) -> Option<&'static str> {
        let text = match (self, value) {
            (Self::Confidentiality, 1) => "Unclassified: public",
            (Self::Confidentiality, 2) => "Restricted: internal use",
            (Self::Confidentiality, 3) => "Confidential: law requires protection, disclosure hurts",
            (Self::Confidentiality, 4) => {
                "Secret: strictly authorised staff, disclosure gravely damaging"
            }
            (Self::Integrity | Self::Availability, 1) => "Low: no significant business impact",
            (Self::Integrity | Self::Availability, 2) => {
                "Moderate: slight interruption, no litigation"
            }
            (Self::Integrity | Self::Availability, 3) => "High: great interruption, litigation",
            (Self::Severity, 9..=10) => "regulatory breach or loss of secret data",
            (Self::Severity, 7..=8) => "external disclosure or outage over a day",
            (Self::Severity, 4..=6) => "internal disclosure or outage of hours",
            (Self::Severity, 2..=3) => "minor",
            (Self::Severity, 1) => "none",
            (Self::Occurrence, 10) => "weekly or more",
            (Self::Occurrence, 8..=9) => "monthly",
            (Self::Occurrence, 6..=7) => "quarterly",
            (Self::Occurrence, 4..=5) => "yearly",
            (Self::Occurrence, 2..=3) => "every few years",
            (Self::Occurrence, 1) => "practically prevented",
            (Self::Detection, 10) => "no logging at all",
            (Self::Detection, 8..=9) => "found only by audit or an outsider",
            (Self::Detection, 6..=7) => "periodic manual review",
            (Self::Detection, 4..=5) => "alert with manual triage",
            (Self::Detection, 2..=3) => "real-time automatic detection",
            (Self::Detection, 1) => "blocked automatically",
            _ => return None,
        };
        Some(text)
    }

    /// The guidance bands of a scale, highest first, as (levels, meaning) pairs
    /// for help screens and forms.
    pub fn guidance(self) -> Vec<(String, &'static str)> {
        let mut bands: Vec<(String, &'static str)> = Vec::new();
        let mut value = self.max();
        while value >= 1 {
            let Some(meaning) = self.level_meaning(value) else {
                break;
            };
            let mut low = value;
            while low > 1 && self.level_meaning(low - 1) == Some(meaning) {
                low -= 1;
            }
            let levels = if low == value {
                value.to_string()
            } else {
                format!("{low}-{value}")
            };
            bands.push((levels, meaning));
            value = low - 1;
        }
        bands
    }

    /// Turns a typed digit into a level of this scale: 1-9 as themselves, 0 as 10.
    pub fn from_digit(self, digit: char) -> Result<u8, DigitError> {
        let value = match digit.to_digit(10) {
            Some(0) => 10,
            Some(d) => d as u8,
            None => return Err(DigitError::NotADigit(digit)),
        };
        self.check(value).map_err(DigitError::OutOfScale)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitError {
    NotADigit(char),
    OutOfScale(OutOfScale),
}

impl fmt::Display for DigitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADigit(c) => write!(f, "'{c}' is not a rating"),
            Self::OutOfScale(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for RatingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [RatingKind; 6] = [
        RatingKind::Confidentiality,
        RatingKind::Integrity,
        RatingKind::Availability,
        RatingKind::Severity,
        RatingKind::Occurrence,
        RatingKind::Detection,
    ];

    #[test]
    fn every_level_in_scale_has_a_meaning_and_none_outside() {
        for kind in ALL {
            assert!(kind.level_meaning(0).is_none());
            assert!(kind.level_meaning(kind.max() + 1).is_none());
            for v in 1..=kind.max() {
                assert!(kind.level_meaning(v).is_some(), "{kind} {v}");
                assert_eq!(kind.check(v), Ok(v));
            }
            assert!(kind.check(0).is_err());
            assert!(kind.check(kind.max() + 1).is_err());
        }
    }

    #[test]
    fn digit_zero_means_ten_and_out_of_scale_is_refused() {
        assert_eq!(RatingKind::Severity.from_digit('0'), Ok(10));
        assert_eq!(RatingKind::Severity.from_digit('7'), Ok(7));
        assert_eq!(
            RatingKind::Integrity.from_digit('5'),
            Err(DigitError::OutOfScale(OutOfScale {
                kind: RatingKind::Integrity,
                value: 5
            }))
        );
        assert!(RatingKind::Confidentiality.from_digit('0').is_err());
        assert_eq!(RatingKind::Confidentiality.from_digit('4'), Ok(4));
        assert_eq!(
            RatingKind::Detection.from_digit('x'),
            Err(DigitError::NotADigit('x'))
        );
    }

    #[test]
    fn guidance_bands_cover_the_scale_highest_first() {
        let bands = RatingKind::Severity.guidance();
        let levels: Vec<&str> = bands.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(levels, ["9-10", "7-8", "4-6", "2-3", "1"]);
        let occ: Vec<String> = RatingKind::Occurrence
            .guidance()
            .into_iter()
            .map(|b| b.0)
            .collect();
        assert_eq!(occ, ["10", "8-9", "6-7", "4-5", "2-3", "1"]);
        assert_eq!(RatingKind::Confidentiality.guidance().len(), 4);
    }

    #[test]
    fn out_of_scale_message_names_rating_and_scale() {
        let e = RatingKind::Integrity.check(5).unwrap_err();
        assert_eq!(e.to_string(), "integrity 5 is outside its scale 1-3");
    }
}
