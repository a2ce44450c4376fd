//! Text that a file or another user wrote, made safe before it reaches a
//! terminal: what the command line prints (check, isms, minutes on standard
//! output) goes through here.

/// Whether `c` is a bidirectional control that could make a line read
/// otherwise than it is stored.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with control characters (escape sequences, line breaks) and
/// bidirectional overrides turned into spaces.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_breaks_and_overrides_become_spaces() {
        assert_eq!(
            terminal_safe("a\u{1b}[2Jb\nc\u{202e}d\u{9b}e 中文"),
            "a [2Jb c d e 中文"
        );
    }
}
