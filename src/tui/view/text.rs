//! Fitting text into cells by display width: wide characters (CJK, emoji) count
//! two, long text ends in an ellipsis, nothing is ever cut inside a character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of a string as the terminal shows it.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Line breaks and other control characters would break the row; show them as spaces.
fn printable(c: char) -> char {
    if c.is_control() { ' ' } else { c }
}

/// `text` cut to at most `max` cells, with `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text_width: usize = text
        .chars()
        .map(|c| printable(c).width().unwrap_or(0))
        .sum();
    if text_width <= max {
        return text.chars().map(printable).collect();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars().map(printable) {
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
    fn control_characters_do_not_break_the_row() {
        assert_eq!(fit("a\nb\tc", 6), "a b c ");
    }
}
