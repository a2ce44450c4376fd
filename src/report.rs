//! The management report (SPEC 9.1 `riskroom report`): one self-contained HTML
//! file (no network, no script, charts as inline SVG, print CSS for A4) or the
//! same content as Markdown. [`Report::of`] gathers what the report says from
//! the session, as plain data; the templates in `templates/report.html` and
//! `templates/report.md` (askama, checked at compile time) lay it out. Askama
//! escapes everything in the HTML; the Markdown template escapes through
//! [`Md`]. Nothing from the session reaches either file unescaped.
//!
//! The report shows totals and the top of each list, never every row: 100,000
//! failure modes make the same few pages.

pub mod chart;
mod model;

use std::fmt;

use askama::Template;

pub use model::{Report, TOP};

/// The report as HTML: one file that needs nothing else.
#[derive(Template)]
#[template(path = "report.html")]
struct Html<'a> {
    r: &'a Report,
}

/// The report as Markdown.
#[derive(Template)]
#[template(path = "report.md")]
struct Markdown<'a> {
    r: &'a Report,
}

pub fn html(report: &Report) -> String {
    // Rendering into a String fails only if a Display impl fails; ours don't.
    Html { r: report }
        .render()
        .unwrap_or_else(|e| format!("<p>report could not be rendered: {e}</p>"))
}

pub fn markdown(report: &Report) -> String {
    Markdown { r: report }
        .render()
        .unwrap_or_else(|e| format!("report could not be rendered: {e}\n"))
}

/// Text for a Markdown table cell or line: what Markdown (and the HTML a
/// Markdown viewer passes through) would read as markup is escaped: emphasis,
/// code, links, table pipes, tags and entities anywhere, and a block marker
/// (`#`, `-`, `+`, `>`, `1.`) at the start. A line break becomes a space, so a
/// cell stays one cell; other control characters are left out.
pub struct Md<'a>(pub &'a str);

impl fmt::Display for Md<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        let ordered = digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')'));
        for (i, c) in text.char_indices() {
            let block_start = i == 0 && matches!(c, '#' | '-' | '+' | '>' | '=');
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => write!(f, "\\{c}")?,
                _ if block_start || (ordered && i == digits) => write!(f, "\\{c}")?,
                '<' => f.write_str("&lt;")?,
                '&' => f.write_str("&amp;")?,
                '\r' | '\n' => f.write_str(" ")?,
                c if c.is_control() => {}
                c => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

/// Lets the Markdown template write `{{ text.md() }}`.
pub trait MdText {
    fn md(&self) -> Md<'_>;
}

impl MdText for str {
    fn md(&self) -> Md<'_> {
        Md(self)
    }
}

impl MdText for String {
    fn md(&self) -> Md<'_> {
        Md(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_markup_and_keeps_a_cell_on_one_line() {
        assert_eq!(
            Md("<script>|*x*|\n[a](b)").to_string(),
            "&lt;script>\\|\\*x\\*\\| \\[a\\](b)"
        );
        assert_eq!(Md("客戶 Größe (R-103).").to_string(), "客戶 Größe (R-103).");
        assert_eq!(Md("a\u{1b}[31mb").to_string(), "a\\[31mb");
        assert_eq!(Md("# not a heading").to_string(), "\\# not a heading");
        assert_eq!(Md("- x").to_string(), "\\- x");
        assert_eq!(Md("12. x").to_string(), "12\\. x");
        assert_eq!(Md("12 of 40").to_string(), "12 of 40");
        assert_eq!(Md("R&D").to_string(), "R&amp;D");
    }
}
