//! Text that a file or another user controls, made safe to show on a terminal.
//!
//! A session title, a cell of a CSV file, a lock holder's line or a file name can
//! hold anything. Sent raw, an escape sequence clears the screen, sets the window
//! title or writes the clipboard (OSC 52); a bidi override (U+202E) makes text
//! read backwards; zero-width characters hide what is there. Every such
//! character is shown instead as a visible escape, `\u{202E}`, so that what the
//! room sees is what the file holds.
//!
//! "Such a character" is every character of Unicode's general categories Cc
//! (C0 controls with ESC, DEL, C1 controls), Cf (format: bidi controls, zero-width
//! space and joiners, the byte-order mark, soft hyphen, tags…), Zl and Zp (line
//! and paragraph separators). The category comes from `unicode-properties`, so
//! the list follows Unicode rather than a hand-kept table.
//!
//! The command line (`check`, `import`, every message) and the workshop screen
//! (its drawing helpers and its painter) both go through here; nothing here
//! knows about either.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` must not reach a terminal as it is.
pub fn is_hidden(c: char) -> bool {
    // The ASCII fast path: most text is letters, digits and spaces.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// Whether `text` can go to a terminal unchanged.
pub fn is_safe(text: &str) -> bool {
    !text.chars().any(is_hidden)
}

fn escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
        }
    }
}

fn escaped_where(
    text: &str,
    hide: impl Fn(char) -> bool,
    keep: impl Fn(char) -> Option<char>,
) -> Cow<'_, str> {
    if !text.chars().any(&hide) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !hide(c) {
            out.push(c);
        } else if let Some(shown) = keep(c) {
            out.push(shown);
        } else {
            escape(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// One line of text, safe for a terminal: every hidden character, line breaks
/// and tabs included, as a visible escape (`\n`, `\t`, `\u{1B}`, `\u{202E}`).
/// For a field printed on one line (`check`'s table, a quoted cell).
pub fn one_line(text: &str) -> Cow<'_, str> {
    escaped_where(text, is_hidden, |_| None)
}

/// Like [`one_line`], with line breaks and tabs shown as spaces: for a cell
/// of the screen's tables, where a description typed on two lines is still
/// one row and a `\n` would only be noise.
pub fn cell(text: &str) -> Cow<'_, str> {
    escaped_where(text, is_hidden, |c| {
        matches!(c, '\n' | '\r' | '\t').then_some(' ')
    })
}

/// Text of several lines (a message, a command's report), safe for a
/// terminal: line breaks and tabs stay, every other hidden character is a
/// visible escape.
pub fn lines(text: &str) -> Cow<'_, str> {
    escaped_where(
        text,
        |c| is_hidden(c) && !matches!(c, '\n' | '\t'),
        |_| None,
    )
}

/// Bytes meant for a terminal (a command's whole output), as text safe for it:
/// bytes that are not UTF-8 become `�`, then as [`lines`].
pub fn lines_of_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(text) => match lines(text) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(safe) => Cow::Owned(safe.into_bytes()),
        },
        Cow::Owned(text) => Cow::Owned(lines(&text).into_owned().into_bytes()),
    }
}

/// At most `max_chars` characters of `text` on one line, escaped as by
/// [`one_line`], for quoting file content in a message: a 1 MB cell is not
/// echoed in full. What was cut is said: `…(1048576 characters)`.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let total = text.chars().count();
    if total <= max_chars {
        return one_line(text).into_owned();
    }
    let head: String = text.chars().take(max_chars).collect();
    format!("{}…({total} characters)", one_line(&head))
}

/// [`excerpt`] in double quotes, as messages quote a cell: `"Hardwre"`.
pub fn quoted(text: &str, max_chars: usize) -> String {
    format!("\"{}\"", excerpt(text, max_chars))
}

/// How many characters of a cell or name a message quotes.
pub const EXCERPT_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_in_any_script_is_left_alone() {
        for text in [
            "Server room",
            "Größe Müller",
            "客戶資料庫",
            "😀 ok",
            "a\\b",
            "",
        ] {
            assert!(matches!(one_line(text), Cow::Borrowed(_)), "{text}");
            assert!(matches!(lines(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn escape_sequences_and_bidi_controls_become_visible() {
        assert_eq!(
            one_line("\u{1b}]52;c;aGk=\u{7}x"),
            "\\u{1B}]52;c;aGk=\\u{7}x"
        );
        assert_eq!(one_line("abc\u{202E}fed"), "abc\\u{202E}fed");
        assert_eq!(one_line("a\u{200B}b\u{FEFF}"), "a\\u{200B}b\\u{FEFF}");
        assert_eq!(one_line("\u{9b}2J"), "\\u{9B}2J", "C1 CSI");
        assert_eq!(one_line("x\u{7f}"), "x\\u{7F}");
        assert_eq!(one_line("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(one_line("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn cells_show_line_breaks_as_spaces_and_lines_keep_them() {
        assert_eq!(cell("a\nb\tc\u{1b}[2J"), "a b c\\u{1B}[2J");
        assert_eq!(lines("one\n\ttwo\u{1b}[2J\r"), "one\n\ttwo\\u{1B}[2J\\r");
    }

    #[test]
    fn excerpts_are_short_and_say_what_was_cut() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "x".repeat(1_000_000);
        let cut = excerpt(&long, 20);
        assert_eq!(cut, format!("{}…(1000000 characters)", "x".repeat(20)));
        assert_eq!(quoted("a\u{1b}b", 10), "\"a\\u{1B}b\"");
    }

    #[test]
    fn bytes_that_are_not_text_do_not_pass_either() {
        assert_eq!(&*lines_of_bytes(b"ok\n"), b"ok\n");
        assert_eq!(
            &*lines_of_bytes(b"\x1b[2J\xff\n"),
            "\\u{1B}[2J\u{FFFD}\n".as_bytes()
        );
    }
}
