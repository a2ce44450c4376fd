//! Reading one cell: text with our export's formula guard taken off again,
//! ratings, categories and record IDs, each with a message when it is wrong.

use std::str::FromStr;

use crate::domain::{Category, RatingKind};
use crate::export::FORMULA_STARTS;

use super::columns::key;

/// Takes off the `'` that [`crate::export::neutralise`] puts before a cell that
/// begins with a formula start (after any `'`s of its own), and only that one:
/// `'=1+1` gives `=1+1`, `''=x` gives `'=x`, `'foo` stays `'foo`.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start_matches('\'')
                .starts_with(FORMULA_STARTS.as_slice()) =>
        {
            rest
        }
        _ => cell,
    }
}

/// A rating: a whole number inside its scale. Spreadsheets in some locales
/// write a whole number as `7.0` or `7,0`; that is 7 too.
pub fn rating(kind: RatingKind, cell: &str) -> Result<u8, String> {
    let text = cell.trim();
    let scale = format!("1-{}", kind.max());
    if text.is_empty() {
        return Err(format!("{} is empty (give {scale})", kind.name()));
    }
    // Only one or two zero decimals: `1,000` may mean a thousand.
    let whole = match text.split_once(['.', ',']) {
        Some((whole, "0" | "00")) if !whole.is_empty() => whole,
        _ => text,
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{} {} is not a whole number (give {scale})",
            kind.name(),
            quote(text)
        ));
    }
    match whole.parse::<u32>() {
        Ok(value) if (1..=u32::from(kind.max())).contains(&value) => {
            u8::try_from(value).map_err(|_| out_of_scale(kind, text))
        }
        _ => Err(out_of_scale(kind, text)),
    }
}

fn out_of_scale(kind: RatingKind, text: &str) -> String {
    format!(
        "{} {} is outside its scale 1-{}",
        kind.name(),
        crate::terminal_text::excerpt(text, 20),
        kind.max()
    )
}

/// A cell quoted in a message: short, and safe for a terminal.
pub fn quote(text: &str) -> String {
    crate::terminal_text::quoted(text, crate::terminal_text::EXCERPT_CHARS)
}

/// Words other registers use for our categories (compared as header names are:
/// case, spaces and punctuation do not count).
pub const CATEGORY_SYNONYMS: &[(Category, &[&str])] = &[
    (
        Category::Hardware,
        &["HW", "Device", "Devices", "Equipment"],
    ),
    (
        Category::Software,
        &["SW", "Application", "Applications", "App"],
    ),
    (
        Category::Service,
        &[
            "Services",
            "Cloud",
            "Cloud service",
            "Outsourced",
            "Outsourced service",
            "SaaS",
        ],
    ),
    (Category::Network, &["Networks", "Net"]),
    (
        Category::Information,
        &["Info", "Data", "Customer information"],
    ),
    (Category::People, &["Person", "Personnel", "Staff"]),
    (
        Category::Site,
        &[
            "Premises",
            "Facility",
            "Facilities",
            "Building",
            "Paper",
            "Other",
        ],
    ),
];

/// A category: its name in any case, a synonym, or a unique start of a name
/// ("hard", "inf"). An empty cell is an error: an asset always has one.
pub fn category(cell: &str) -> Result<Category, String> {
    let wanted = key(cell);
    if wanted.is_empty() {
        return Err(format!(
            "category is empty (give one of {})",
            category_names()
        ));
    }
    let by_synonym = || {
        CATEGORY_SYNONYMS
            .iter()
            .find(|(_, words)| words.iter().any(|w| key(w) == wanted))
            .map(|(c, _)| *c)
    };
    Category::ALL
        .into_iter()
        .find(|c| key(c.name()) == wanted)
        .or_else(by_synonym)
        .or_else(|| Category::parse_loose(&wanted))
        .ok_or_else(|| {
            format!(
                "unknown category {} (give one of {})",
                quote(cell.trim()),
                category_names()
            )
        })
}

fn category_names() -> String {
    Category::ALL.map(Category::name).join(", ")
}

/// A record ID such as `A-001` or `fm-7`: case does not matter, spaces around do
/// not count. `Ok(None)` for an empty cell.
pub fn id<T: FromStr>(cell: &str, what: &str, pattern: &str) -> Result<Option<T>, String> {
    let text = cell.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.to_uppercase()
        .parse()
        .map(Some)
        .map_err(|_| format!("{} is not {what} ID (expected {pattern})", quote(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AssetId, FailureModeId};
    use crate::export::neutralise;

    #[test]
    fn restore_takes_off_exactly_the_guard_quote() {
        for (cell, text) in [
            ("'=1+1", "=1+1"),
            ("'+1", "+1"),
            ("'-", "-"),
            ("'@SUM(A1)", "@SUM(A1)"),
            ("'\tx", "\tx"),
            ("'\rx", "\rx"),
            ("''=x", "'=x"),
            ("'''-x", "''-x"),
            ("'foo", "'foo"),
            ("'", "'"),
            ("''", "''"),
            ("=1", "=1"),
            ("", ""),
            ("it's", "it's"),
        ] {
            assert_eq!(restore(cell), text, "{cell:?}");
        }
    }

    #[test]
    fn restore_undoes_neutralise_for_any_text() {
        for text in [
            "=1", "'=1", "''=1", "'", "''", "'a", "a", "", "-", "'-", "\t", "'\r\n", "中文",
        ] {
            assert_eq!(restore(&neutralise(text)), text, "{text:?}");
        }
    }

    #[test]
    fn ratings_in_scale_whole_numbers_only() {
        let s = RatingKind::Severity;
        assert_eq!(rating(s, " 7 "), Ok(7));
        assert_eq!(rating(s, "10"), Ok(10));
        assert_eq!(rating(s, "7.0"), Ok(7));
        assert_eq!(rating(s, "7,00"), Ok(7));
        assert_eq!(rating(s, "07"), Ok(7));
        assert_eq!(
            rating(s, "1,000"),
            Err("severity \"1,000\" is not a whole number (give 1-10)".into())
        );
        assert_eq!(
            rating(s, "11"),
            Err("severity 11 is outside its scale 1-10".into())
        );
        assert_eq!(
            rating(s, "0"),
            Err("severity 0 is outside its scale 1-10".into())
        );
        assert_eq!(
            rating(RatingKind::Confidentiality, "99999999999"),
            Err("confidentiality 99999999999 is outside its scale 1-4".into())
        );
        assert_eq!(
            rating(s, "7.5"),
            Err("severity \"7.5\" is not a whole number (give 1-10)".into())
        );
        assert_eq!(
            rating(s, "-3"),
            Err("severity \"-3\" is not a whole number (give 1-10)".into())
        );
        assert_eq!(
            rating(s, "high"),
            Err("severity \"high\" is not a whole number (give 1-10)".into())
        );
        assert_eq!(
            rating(s, ".0"),
            Err("severity \".0\" is not a whole number (give 1-10)".into())
        );
        assert_eq!(rating(s, ""), Err("severity is empty (give 1-10)".into()));
    }

    #[test]
    fn categories_by_name_synonym_or_unique_start() {
        assert_eq!(category("Hardware"), Ok(Category::Hardware));
        assert_eq!(category(" INFORMATION "), Ok(Category::Information));
        assert_eq!(category("Cloud service"), Ok(Category::Service));
        assert_eq!(category("data"), Ok(Category::Information));
        assert_eq!(category("soft"), Ok(Category::Software));
        assert_eq!(
            category("s"),
            Err(
                "unknown category \"s\" (give one of Hardware, Software, Service, Network, \
                 Information, People, Site)"
                    .into()
            )
        );
        assert!(
            category("Toaster")
                .unwrap_err()
                .starts_with("unknown category \"Toaster\"")
        );
        assert!(category(" ").unwrap_err().starts_with("category is empty"));
    }

    #[test]
    fn every_category_synonym_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Category::ALL {
            assert!(seen.insert(key(c.name())));
        }
        for (c, words) in CATEGORY_SYNONYMS {
            for w in *words {
                assert!(seen.insert(key(w)), "{w:?}");
                assert_eq!(category(w), Ok(*c), "{w:?}");
            }
        }
    }

    #[test]
    fn ids_in_any_case() {
        assert_eq!(
            id::<AssetId>(" a-7 ", "an asset", "A-NNN"),
            Ok(Some(AssetId(7)))
        );
        assert_eq!(id::<AssetId>("", "an asset", "A-NNN"), Ok(None));
        assert_eq!(
            id::<FailureModeId>("FM-01", "a failure-mode", "FM-NNN"),
            Ok(Some(FailureModeId(1)))
        );
        assert_eq!(
            id::<AssetId>("FM-001", "an asset", "A-NNN"),
            Err("\"FM-001\" is not an asset ID (expected A-NNN)".into())
        );
    }
}
