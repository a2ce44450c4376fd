//! Fitting text into cells by display width: wide characters (CJK, emoji) count
//! two, long text ends in an ellipsis, nothing is ever cut inside a character.
//! Every helper first makes the text safe for the terminal
//! ([`crate::terminal_text::cell`]): line breaks and tabs become spaces, and an
//! escape code, a bidi override or a zero-width character from a file is shown
//! as `\u{202E}`, never sent raw or silently dropped.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of a string as the terminal shows it.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `max` cells, with `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text = crate::terminal_text::cell(text);
    let text_width: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if text_width <= max {
        return text.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut to `cells` and padded with spaces to exactly `cells` (left-aligned).
pub fn fit(text: &str, cells: usize) -> String {
    let mut out = truncate(text, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Like [`fit`], right-aligned.
pub fn fit_right(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let w = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

/// Like [`fit`], centred.
pub fn fit_centre(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let spare = cells.saturating_sub(width(&cut));
    let left = spare / 2;
    let mut out: String = std::iter::repeat_n(' ', left).collect();
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', spare - left));
    out
}

/// `text` broken into lines of at most `cells` cells, at spaces where it can be;
/// a word longer than a line is cut inside it. Never empty: "" gives one "" line.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let text = crate::terminal_text::cell(text);
    for word in text.split(' ') {
        let w = width(word);
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= cells {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        // A word wider than the line: as much as fits, then the rest.
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > cells {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fits_and_cuts_with_an_ellipsis() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 5), "abcd…");
        assert_eq!(fit_right("42", 4), "  42");
        assert_eq!(fit_centre("S", 3), " S ");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wide_characters_are_never_split_and_widths_add_up() {
        // 客戶IP資料庫: 2+2+1+1+2+2+2 = 12 cells.
        assert_eq!(width("客戶IP資料庫"), 12);
        let cut = fit("客戶IP資料庫", 6);
        assert_eq!(cut, "客戶I…", "5 cells of text and the ellipsis");
        assert_eq!(width(&cut), 6);
        let cut = fit("客戶IP資料庫", 5);
        assert_eq!(cut, "客戶…");
        assert_eq!(width(&fit("😀😀😀", 4)), 4);
        for cells in 0..14 {
            assert_eq!(width(&fit("客戶IP資料庫 Größe", cells)), cells);
        }
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_only_overlong_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("客戶資料 IP", 4), ["客戶", "資料", "IP"]);
        for line in wrap("Watermark every VDI session with 客戶 names and log it", 9) {
            assert!(width(&line) <= 9, "{line}");
        }
    }

    #[test]
    fn control_characters_do_not_break_the_row() {
        assert_eq!(fit("a\nb\tc", 6), "a b c ");
    }

    #[test]
    fn escape_codes_bidi_and_zero_width_characters_are_shown_not_sent() {
        assert_eq!(fit("a\u{202E}b", 11), "a\\u{202E}b ");
        assert_eq!(
            truncate("\u{1b}]52;c;eA==\u{7}", 40),
            "\\u{1B}]52;c;eA==\\u{7}"
        );
        assert_eq!(wrap("x\u{200B}y z", 20), ["x\\u{200B}y z"]);
        let cut = fit("\u{1b}[2J客戶", 8);
        assert_eq!(width(&cut), 8);
        assert!(crate::terminal_text::is_safe(&cut), "{cut}");
    }
}
