//! Text from the session file inside Markdown: it reads as the text it is
//! (no heading, link, table cell break, HTML or emphasis made by what someone
//! typed) and is safe for a terminal when the minutes go to standard output.

use crate::terminal_text;

/// Characters that Markdown (CommonMark and GitHub's tables) could read as
/// markup inside a line; each gets a backslash, which CommonMark allows before
/// any ASCII punctuation.
const MARKUP: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#', '&', '!', '$',
];

/// `text` as inline Markdown: one line, safe for a terminal as
/// [`terminal_text::cell`] makes it (line breaks and tabs become spaces,
/// escape codes, bidirectional and zero-width characters visible escapes such
/// as `\u{202E}`), then markup escaped; spaces at either end trimmed.
pub fn inline(text: &str) -> String {
    let safe = terminal_text::cell(text.trim());
    let mut out = String::with_capacity(safe.len());
    for c in safe.trim().chars() {
        if MARKUP.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table cell: [`inline`], and `–` for nothing.
pub fn cell(text: &str) -> String {
    let text = inline(text);
    if text.is_empty() {
        "–".to_string()
    } else {
        text
    }
}

/// A table: a header row, its rule and the rows, each cell already Markdown.
pub fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        headers.iter().map(|_| "---|").collect::<String>()
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_never_becomes_markup_or_reaches_a_terminal_raw() {
        assert_eq!(
            inline("# Title *bold* _it_ [link](x) <b>html</b> a|b `code` ~~s~~ &amp; ![i](y)"),
            "\\# Title \\*bold\\* \\_it\\_ \\[link\\](x) \\<b\\>html\\</b\\> a\\|b \\`code\\` \
             \\~\\~s\\~\\~ \\&amp; \\!\\[i\\](y)"
        );
        assert_eq!(
            inline(" two\nlines\r\u{1b}[2J\u{202e}evil\u{9b}31m "),
            "two lines \\\\u{1B}\\[2J\\\\u{202E}evil\\\\u{9B}31m",
            "shown as visible escapes, rendered as a backslash-u code"
        );
        assert_eq!(inline("中文 Größe 😀 a\\b"), "中文 Größe 😀 a\\\\b");
        assert_eq!(cell("  "), "–");
    }

    #[test]
    fn a_table_has_its_rule() {
        let mut out = String::new();
        table(&mut out, &["A", "B"], &[vec!["1".into(), "2".into()]]);
        assert_eq!(out, "| A | B |\n|---|---|\n| 1 | 2 |\n");
    }
}
