//! The cells of an exported table, typed so that each format writes them its
//! own way (CSV as text, the workbook as numbers, dates and text), and cell
//! text that is safe to open in a spreadsheet.

use std::borrow::Cow;

use jiff::civil::Date;

use crate::domain::RatingKind;

/// One cell of an exported table. Text is kept as the session has it; each
/// writer makes it safe its own way (CSV: [`neutralise`]; the workbook: a text
/// cell, never a formula).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(i64),
    Date(Date),
}

impl<'a> Cell<'a> {
    pub fn text(text: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(text))
    }

    pub fn owned(text: impl Into<String>) -> Cell<'a> {
        Cell::Text(Cow::Owned(text.into()))
    }

    pub fn number(n: impl Into<i64>) -> Cell<'a> {
        Cell::Number(n.into())
    }

    /// `yes` or nothing, for the flag columns.
    pub fn flag(on: bool) -> Cell<'a> {
        if on { Cell::text("yes") } else { Cell::Empty }
    }

    pub fn optional(value: Option<Cell<'a>>) -> Cell<'a> {
        value.unwrap_or(Cell::Empty)
    }

    /// The cell as CSV text: numbers as plain integers, dates as ISO 8601
    /// (`2026-12-15`), text guarded against formulas.
    pub fn csv(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(text) => neutralise(text),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Date(d) => Cow::Owned(d.to_string()),
        }
    }
}

/// What a column holds, for the workbook: how it is formatted and what an edit
/// in the spreadsheet may put in it. CSV writes every kind as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A record ID or reference: text, never edited into something else.
    Id,
    /// Free text.
    Text,
    /// A rating on its scale; the workbook offers the scale as a drop-down.
    Rating(RatingKind),
    /// A computed whole number (class value, residual RPN, step number).
    Number,
    /// Risk priority number: marked when at or above the decision threshold.
    Rpn,
    /// Action Priority letter H / M / L.
    Ap,
    /// Asset class letter A / B / C.
    Class,
    Date,
    /// One of a fixed list (decision, status, category): a drop-down.
    Choice(Choices),
    /// `yes` or empty.
    Flag,
}

/// The lists a [`Kind::Choice`] column offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Category,
    Decision,
    Status,
    StepStatus,
    DocumentStatus,
}

/// The first characters that make Excel or LibreOffice take a cell as a formula
/// (OWASP "CSV injection").
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell that begins with a formula start gets a leading `'`, which the
/// spreadsheet shows as text. So does one that begins with `'`s followed by a
/// formula start (`'=x` is written `''=x`): the import takes exactly one `'` off
/// such a cell, and without this `'=x` would come back as `=x`. Numbers are
/// never passed through here: they must stay numbers.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text
        .trim_start_matches('\'')
        .starts_with(FORMULA_STARTS.as_slice())
    {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_nothing_else_does() {
        for (input, output) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''-x", "'''-x"),
            ("a=1", "a=1"),
            ("", ""),
            ("'", "'"),
            (" =1", " =1"),
            ("'already", "'already"),
            ("客戶", "客戶"),
        ] {
            assert_eq!(neutralise(input), output, "{input:?}");
        }
    }
}
