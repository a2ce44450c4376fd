//! Cell text that is safe to open in a spreadsheet.

use std::borrow::Cow;

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
