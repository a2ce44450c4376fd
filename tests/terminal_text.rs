//! The terminal-safety function (issue 12) against every control and format
//! character of Unicode, and random text around them (proptest;
//! `PROPTEST_CASES` sets how long it runs).
//!
//! The list below is written out from the Unicode character database (general
//! categories Cc, Cf, Zl, Zp), independently of the crate the function asks,
//! so the two check each other.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use proptest::prelude::*;
use riskroom::terminal_text::{cell, excerpt, is_hidden, is_safe, lines, one_line};

/// Cc, Cf, Zl and Zp as of Unicode 16.
const HIDDEN: &[(u32, u32)] = &[
    (0x0000, 0x001F), // C0, ESC among them
    (0x007F, 0x009F), // DEL and C1 (CSI U+009B, OSC U+009D…)
    (0x00AD, 0x00AD), // soft hyphen
    (0x0600, 0x0605),
    (0x061C, 0x061C), // Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E), // Mongolian vowel separator
    (0x200B, 0x200F), // zero-width space, non-joiner, joiner, LRM, RLM
    (0x2028, 0x2029), // line and paragraph separators
    (0x202A, 0x202E), // bidi embeddings and overrides
    (0x2060, 0x2064), // word joiner, invisible operators
    (0x2066, 0x206F), // bidi isolates, deprecated format characters
    (0xFEFF, 0xFEFF), // zero-width no-break space, the byte-order mark
    (0xFFF9, 0xFFFB), // interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), // language tag
    (0xE0020, 0xE007F), // tag characters
];

fn listed() -> impl Iterator<Item = char> {
    HIDDEN
        .iter()
        .flat_map(|&(from, to)| (from..=to).filter_map(char::from_u32))
}

/// Reads the escapes back: what [`one_line`] wrote is exactly what it was given.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (c, used) = if let Some(t) = tail.strip_prefix("\\u{") {
            let end = t.find('}').unwrap();
            let c = char::from_u32(u32::from_str_radix(&t[..end], 16).unwrap()).unwrap();
            (c, 3 + end + 1)
        } else {
            let c = match &tail[..2] {
                "\\n" => '\n',
                "\\r" => '\r',
                "\\t" => '\t',
                other => panic!("unknown escape {other}"),
            };
            (c, 2)
        };
        out.push(c);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

/// Nothing a terminal acts on or hides, by the listed table alone.
fn no_listed_character(text: &str) -> bool {
    let hidden: std::collections::HashSet<char> = listed().collect();
    !text.chars().any(|c| hidden.contains(&c))
}

#[test]
fn every_listed_character_is_hidden_and_shown_as_an_escape() {
    let mut count = 0;
    for c in listed() {
        count += 1;
        assert!(
            is_hidden(c),
            "U+{:04X} is not treated as hidden",
            u32::from(c)
        );
        let text = format!("a{c}b");
        assert!(!is_safe(&text));
        let shown = one_line(&text);
        assert!(shown.is_ascii(), "U+{:04X}: {shown}", u32::from(c));
        assert!(!shown.chars().any(|c| c.is_ascii_control()), "{shown:?}");
        assert_eq!(unescape(&shown), text);
        assert!(no_listed_character(&cell(&text)), "U+{:04X}", u32::from(c));
        // Text of several lines keeps its line breaks and tabs, and only those.
        let several = lines(&text);
        assert!(
            no_listed_character(&several) || matches!(c, '\n' | '\t') && several == text,
            "U+{:04X}: {several:?}",
            u32::from(c)
        );
    }
    assert!(
        count > 230,
        "the table covers C0, C1, bidi and tags ({count})"
    );
}

#[test]
fn every_character_of_unicode_is_either_kept_as_it_is_or_escaped() {
    // All of Unicode: nothing the function keeps is a listed character, and
    // nothing it escapes is printable text (letters, CJK, emoji, marks, spaces).
    let hidden: std::collections::HashSet<char> = listed().collect();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let text = c.to_string();
        let shown = one_line(&text);
        if shown == text {
            assert!(!hidden.contains(&c), "U+{:04X} kept raw", u32::from(c));
        } else {
            assert!(shown.starts_with('\\'), "U+{:04X}: {shown}", u32::from(c));
            assert_eq!(unescape(&shown), text);
            // A character Unicode added as Cf after the table was written is
            // still escaped; one that is not control-like must never be.
            assert!(
                hidden.contains(&c) || !c.is_alphanumeric() && !c.is_whitespace(),
                "U+{:04X} escaped although it is text",
                u32::from(c)
            );
        }
    }
    for text in [
        "Größe",
        "客戶資料庫",
        "Ünïcödé façade",
        "😀",
        "a b\u{00A0}c",
        "\u{0301}",
    ] {
        assert_eq!(one_line(text), text, "left alone");
    }
}

fn any_text() -> impl Strategy<Value = String> {
    // Plain letters, CJK, backslashes and a good share of hidden characters.
    let pick = prop_oneof![
        3 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('\u{4e00}', '\u{4e20}'),
        1 => Just('\\'),
        3 => proptest::sample::select(listed().collect::<Vec<char>>()),
        1 => any::<char>(),
    ];
    proptest::collection::vec(pick, 0..60).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn escaped_text_holds_no_hidden_character_and_loses_nothing(text in any_text()) {
        let shown = one_line(&text);
        prop_assert!(no_listed_character(&shown), "{:?}", shown);
        prop_assert!(is_safe(&shown));
        if !text.contains('\\') {
            prop_assert_eq!(unescape(&shown), text.clone());
        }
        let cell = cell(&text);
        prop_assert!(no_listed_character(&cell), "{:?}", cell);
        let several = lines(&text);
        prop_assert!(several.chars().all(|c| c == '\n' || c == '\t' || !is_hidden(c)));
        let cut = excerpt(&text, 10);
        prop_assert!(is_safe(&cut));
        prop_assert!(cut.chars().count() <= 10 * 12 + 24, "{}", cut);
    }
}
