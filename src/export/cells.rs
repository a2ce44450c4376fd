//! Cell text that is safe to open in a spreadsheet.

use std::borrow::Cow;

/// A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// would be taken as a formula by Excel or LibreOffice (OWASP "CSV injection");
/// it gets a leading `'`, which the spreadsheet shows as text. Numbers are never
/// passed through here: they must stay numbers.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
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
            ("a=1", "a=1"),
            ("", ""),
            (" =1", " =1"),
            ("'already", "'already"),
            ("客戶", "客戶"),
        ] {
            assert_eq!(neutralise(input), output, "{input:?}");
        }
    }
}
