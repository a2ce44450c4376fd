//! Record IDs: `A-001` for assets, `FM-001` for failure modes. Three digits, more once
//! past 999. They are numbers underneath, so that FM-999 sorts before FM-1000.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The highest ID number riskroom gives out or accepts (`FM-999999999`): far
/// beyond any workshop, and far enough below `u32::MAX` that no counter ever
/// comes near wrapping. A file or an import with a larger one is refused.
pub const MAX_ID_NUMBER: u32 = 999_999_999;

macro_rules! record_id {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("ID of ", $what, ", written `", $prefix, "NNN`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn number(self) -> u32 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // Padding goes through `pad` so table cells can align the ID.
                f.pad(&format!(concat!($prefix, "{:03}"), self.0))
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(text: &str) -> Result<Self, IdError> {
                let bad = || IdError {
                    text: text.to_string(),
                    expected: concat!($prefix, "NNN"),
                };
                let digits = text.trim().strip_prefix($prefix).ok_or_else(bad)?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                let number: u32 = digits.parse().map_err(|_| bad())?;
                if number == 0 {
                    return Err(bad());
                }
                Ok(Self(number))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

record_id!(AssetId, "A-", "an asset");
record_id!(FailureModeId, "FM-", "a failure mode");
record_id!(ProcessId, "PR-", "a process");

/// A string that is not a well-formed record ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    pub text: String,
    pub expected: &'static str,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a record ID (expected {} with a number from 1)",
            super::validation::short(&self.text),
            self.expected
        )
    }
}

impl std::error::Error for IdError {}

/// Serde for an optional link to a record by its ID: `""` in the file means none.
pub mod optional_id {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(
        id: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match id {
            Some(id) => serializer.collect_str(id),
            None => serializer.serialize_str(""),
        }
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let text = String::deserialize(deserializer)?;
        if text.trim().is_empty() {
            Ok(None)
        } else {
            text.parse().map(Some).map_err(serde::de::Error::custom)
        }
    }
}

/// Serde for a failure mode's asset link: `""` in the file means "no asset".
pub mod optional_asset {
    pub use super::optional_id::{deserialize, serialize};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_with_three_digits_and_more_past_999() {
        assert_eq!(AssetId(1).to_string(), "A-001");
        assert_eq!(FailureModeId(42).to_string(), "FM-042");
        assert_eq!(FailureModeId(1000).to_string(), "FM-1000");
        assert_eq!(format!("{:<8}|", AssetId(7)), "A-007   |");
    }

    #[test]
    fn ids_parse_and_order_by_number() {
        assert_eq!("FM-999".parse::<FailureModeId>(), Ok(FailureModeId(999)));
        assert_eq!("FM-1000".parse::<FailureModeId>(), Ok(FailureModeId(1000)));
        assert!(FailureModeId(999) < FailureModeId(1000));
        assert_eq!("A-7".parse::<AssetId>(), Ok(AssetId(7)));
    }

    #[test]
    fn malformed_ids_are_refused() {
        for bad in [
            "",
            "A-",
            "A-x1",
            "FM-001",
            "a-001",
            "A-000",
            "A-1.5",
            "A--1",
            "A-99999999999",
        ] {
            assert!(bad.parse::<AssetId>().is_err(), "{bad:?} should be refused");
        }
        let err = "FM-01a".parse::<FailureModeId>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"FM-01a\" is not a record ID (expected FM-NNN with a number from 1)"
        );
    }
}
