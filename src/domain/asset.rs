//! Information assets and their class (SPEC 1.1).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::AssetId;
use super::rating::RatingKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Hardware,
    Software,
    /// Cloud and outsourced services.
    Service,
    Network,
    /// Data, customer information.
    Information,
    People,
    /// Premises, paper, other.
    Site,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Self::Hardware,
        Self::Software,
        Self::Service,
        Self::Network,
        Self::Information,
        Self::People,
        Self::Site,
    ];

    /// The names of [`Category::ALL`], in its order (the form's choices).
    pub const NAMES: [&'static str; 7] = {
        let mut names = [""; 7];
        let mut i = 0;
        while i < 7 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    pub const fn name(self) -> &'static str {
        match self {
            Self::Hardware => "Hardware",
            Self::Software => "Software",
            Self::Service => "Service",
            Self::Network => "Network",
            Self::Information => "Information",
            Self::People => "People",
            Self::Site => "Site",
        }
    }

    /// Accepts the name in any case, or a unique prefix of it ("hard", "inf").
    pub fn parse_loose(text: &str) -> Option<Category> {
        let wanted = text.trim().to_lowercase();
        if wanted.is_empty() {
            return None;
        }
        let mut found = Self::ALL
            .into_iter()
            .filter(|c| c.name().to_lowercase().starts_with(&wanted));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Class rank of an asset: A when its failure stops the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClassRank {
    A,
    B,
    C,
}

impl ClassRank {
    /// A for class value >= 18, B for 8..=16, C for <= 6. No product of the three
    /// scales falls between 6 and 8 or between 16 and 18.
    pub fn of_value(value: u8) -> ClassRank {
        match value {
            18.. => Self::A,
            8.. => Self::B,
            _ => Self::C,
        }
    }

    pub fn letter(self) -> char {
        match self {
            Self::A => 'A',
            Self::B => 'B',
            Self::C => 'C',
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::A => "failure causes loss or stop of service",
            Self::B => "minor disruption to the whole service",
            Self::C => "discomfort to staff or customers",
        }
    }
}

impl fmt::Display for ClassRank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub id: AssetId,
    pub name: String,
    pub category: Category,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub description: String,
    pub confidentiality: u8,
    pub integrity: u8,
    pub availability: u8,
}

impl Asset {
    pub fn new(id: AssetId, name: impl Into<String>, category: Category) -> Self {
        Self {
            id,
            name: name.into(),
            category,
            owner: String::new(),
            location: String::new(),
            description: String::new(),
            confidentiality: 1,
            integrity: 1,
            availability: 1,
        }
    }

    /// C x I x A, 1..=36 for ratings inside their scales.
    pub fn class_value(&self) -> u8 {
        self.confidentiality
            .saturating_mul(self.integrity)
            .saturating_mul(self.availability)
    }

    pub fn class_rank(&self) -> ClassRank {
        ClassRank::of_value(self.class_value())
    }

    pub fn rating(&self, kind: RatingKind) -> Option<u8> {
        match kind {
            RatingKind::Confidentiality => Some(self.confidentiality),
            RatingKind::Integrity => Some(self.integrity),
            RatingKind::Availability => Some(self.availability),
            _ => None,
        }
    }

    /// Sets C, I or A; anything else, or a value outside the scale, is refused.
    pub fn set_rating(
        &mut self,
        kind: RatingKind,
        value: u8,
    ) -> Result<(), super::rating::OutOfScale> {
        let value = kind.check(value)?;
        match kind {
            RatingKind::Confidentiality => self.confidentiality = value,
            RatingKind::Integrity => self.integrity = value,
            RatingKind::Availability => self.availability = value,
            _ => return Err(super::rating::OutOfScale { kind, value }),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(c: u8, i: u8, a: u8) -> Asset {
        let mut asset = Asset::new(AssetId(1), "x", Category::Hardware);
        asset.confidentiality = c;
        asset.integrity = i;
        asset.availability = a;
        asset
    }

    /// The rank table of SPEC 1.1, written out value by value.
    fn expected_rank(value: u8) -> ClassRank {
        match value {
            18 | 24 | 27 | 32 | 36 => ClassRank::A,
            8 | 9 | 12 | 16 => ClassRank::B,
            1 | 2 | 3 | 4 | 6 => ClassRank::C,
            other => panic!("{other} is not a product of the three scales"),
        }
    }

    #[test]
    fn all_36_combinations_have_the_right_value_and_rank() {
        let mut seen = 0;
        for c in 1..=4u8 {
            for i in 1..=3u8 {
                for a in 1..=3u8 {
                    let asset = asset(c, i, a);
                    assert_eq!(asset.class_value(), c * i * a);
                    assert_eq!(
                        asset.class_rank(),
                        expected_rank(c * i * a),
                        "C{c} I{i} A{a}"
                    );
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 36);
    }

    #[test]
    fn rank_boundaries() {
        assert_eq!(asset(1, 1, 1).class_value(), 1);
        assert_eq!(asset(4, 3, 3).class_value(), 36);
        assert_eq!(asset(4, 3, 3).class_rank(), ClassRank::A);
        assert_eq!(asset(2, 3, 3).class_rank(), ClassRank::A); // 18
        assert_eq!(asset(4, 2, 2).class_rank(), ClassRank::B); // 16
        assert_eq!(asset(2, 2, 2).class_rank(), ClassRank::B); // 8
        assert_eq!(asset(3, 2, 1).class_rank(), ClassRank::C); // 6
    }

    #[test]
    fn set_rating_checks_scale_and_kind() {
        let mut a = asset(1, 1, 1);
        assert!(a.set_rating(RatingKind::Confidentiality, 4).is_ok());
        assert!(a.set_rating(RatingKind::Integrity, 4).is_err());
        assert!(a.set_rating(RatingKind::Severity, 2).is_err());
        assert_eq!((a.confidentiality, a.integrity), (4, 1));
    }

    #[test]
    fn category_parses_loosely_but_not_ambiguously() {
        assert_eq!(Category::parse_loose("hard"), Some(Category::Hardware));
        assert_eq!(
            Category::parse_loose("INFORMATION"),
            Some(Category::Information)
        );
        assert_eq!(Category::parse_loose("s"), None); // Software, Service, Site
        assert_eq!(Category::parse_loose("se"), Some(Category::Service));
        assert_eq!(Category::parse_loose(""), None);
    }
}
