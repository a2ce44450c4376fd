//! From the bytes of a file to text: the encodings spreadsheets save CSV in, the
//! delimiter, and physical line numbers for messages.

use std::fmt;

/// How the bytes of a file were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte-order mark, as our export and Excel's "CSV UTF-8" write it.
    Utf8Bom,
    /// Excel's "Unicode text" is UTF-16 with a byte-order mark.
    Utf16Le,
    Utf16Be,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        })
    }
}

/// Why the bytes are not text we can read; the message is for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// The text of a file. Anything but UTF-8 or UTF-16 with a byte-order mark is
/// refused rather than guessed: a wrong guess (Big5 read as Windows-1252, say)
/// would import garbled names without a word.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), NotText> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|t| (t, Encoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(|t| (t, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(|t| (t, Encoding::Utf16Be));
    }
    if let Some(zero) = bytes.iter().position(|b| *b == 0) {
        return Err(NotText(nul_message(bytes, zero)));
    }
    utf8(bytes).map(|t| (t, Encoding::Utf8))
}

/// A NUL byte is in no CSV text. Every other byte zero is UTF-16 without its
/// byte-order mark, which would otherwise be read as junk.
fn nul_message(bytes: &[u8], first: usize) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let half = head.len() / 2;
    if half > 0 && (zeros_at(0) * 10 >= half * 8 || zeros_at(1) * 10 >= half * 8) {
        return "looks like UTF-16 text without a byte-order mark; save it as \"CSV UTF-8\" \
                (Excel) or as \"Unicode text\" with its byte-order mark"
            .into();
    }
    let line = LineIndex::new_bytes(bytes).line_of(first);
    format!("line {line} holds a NUL byte: this is not a CSV text file")
}

fn utf8(bytes: &[u8]) -> Result<String, NotText> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let line = LineIndex::new_bytes(bytes).line_of(error.valid_up_to());
            Err(NotText(format!(
                "line {line} is not UTF-8 text; save the file as \"CSV UTF-8\" (Excel) \
                 or with the character set \"Unicode (UTF-8)\" (LibreOffice)"
            )))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, NotText> {
    let (pairs, odd) = bytes.as_chunks::<2>();
    if !odd.is_empty() {
        return Err(NotText(
            "has a UTF-16 byte-order mark but an odd number of bytes".into(),
        ));
    }
    let units: Vec<u16> = pairs.iter().map(|p| unit(*p)).collect();
    String::from_utf16(&units).map_err(|_| NotText("is not valid UTF-16 text".into()))
}

/// An Excel convention: a first line `sep=;` names the delimiter. Returns the
/// delimiter and the text after that line.
pub fn sep_line(text: &str) -> Option<(u8, &str)> {
    let end = text.find('\n').unwrap_or(text.len());
    let line = text[..end].trim_end_matches('\r');
    let rest = text.get(end + 1..).unwrap_or("");
    match line.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("sep=") => match line.as_bytes() {
            [_, _, _, _, delimiter] if delimiter.is_ascii() && *delimiter != b'"' => {
                Some((*delimiter, rest))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The delimiter of the header line: whichever of `,` `;` and tab occurs most
/// often outside quotes, `,` when none does (a file with a single column) or on
/// a tie, `;` before tab.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if quoted => {}
            _ => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| char::from(*d) == c) {
                    entry.1 += 1;
                }
            }
        }
    }
    // `max_by_key` keeps the last maximum, so go from the least preferred.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d)
}

/// Where each physical line starts. A line ends at LF (so at CRLF too); in a
/// file with no LF at all (old Mac files) at CR. A lone CR in a file that has LFs
/// is a character of its line, as `less` and `vi` show it: our own export writes
/// cells that begin with one.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::new_bytes(text.as_bytes())
    }

    fn new_bytes(bytes: &[u8]) -> Self {
        let end = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
        let starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == end)
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Self { starts }
    }

    /// The 1-based line that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> u64 {
        let line = self.starts.partition_point(|&start| start <= offset);
        line as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_with_and_without_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFID").unwrap(),
            ("ID".into(), Encoding::Utf8Bom)
        );
        assert_eq!(decode(b"ID").unwrap(), ("ID".into(), Encoding::Utf8));
        assert_eq!(
            decode(b"\xFF\xFEI\0D\0").unwrap(),
            ("ID".into(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(b"\xFE\xFF\0I\0D").unwrap(),
            ("ID".into(), Encoding::Utf16Be)
        );
        assert!(decode(b"\xFF\xFEI").is_err());
        assert!(decode(b"\xFF\xFE\x00\xD8").is_err(), "lone surrogate");
    }

    #[test]
    fn utf16_without_bom_and_nul_bytes_are_named() {
        let utf16: Vec<u8> = "ID,Name\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(decode(&utf16).unwrap_err().0.contains("UTF-16"));
        let err = decode(b"ID,Name\nA-1,x\0y\n").unwrap_err();
        assert_eq!(
            err.0,
            "line 2 holds a NUL byte: this is not a CSV text file"
        );
    }

    #[test]
    fn latin1_bytes_are_refused_with_their_line() {
        let err = decode(b"ID,Name\r\nA-001,M\xFCller\r\n").unwrap_err();
        assert!(err.0.starts_with("line 2 is not UTF-8"), "{}", err.0);
    }

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter("ID,Name,Owner"), b',');
        assert_eq!(detect_delimiter("ID;Name;\"Owner, role\""), b';');
        assert_eq!(detect_delimiter("ID\tName\t\"a;b;c;d\""), b'\t');
        assert_eq!(detect_delimiter("Name"), b',');
        assert_eq!(detect_delimiter("a;b\tc"), b';', "tie: ; before tab");
        assert_eq!(detect_delimiter("a,b;c"), b',', "tie: , first");
        assert_eq!(detect_delimiter("a;b\na,b,c,d"), b';', "header line only");
        assert_eq!(detect_delimiter("\"x\ny,z,w\";a;b"), b';', "quoted newline");
    }

    #[test]
    fn excel_sep_line() {
        assert_eq!(sep_line("sep=;\r\nID;Name"), Some((b';', "ID;Name")));
        assert_eq!(sep_line("SEP=\t\nID"), Some((b'\t', "ID")));
        assert_eq!(sep_line("ID,Name"), None);
        assert_eq!(sep_line("sep=ab\nID"), None);
    }

    #[test]
    fn lines_end_at_lf_or_in_files_without_lf_at_cr() {
        let index = LineIndex::new("a\r\nb\nc\rd");
        let lines: Vec<u64> = (0..9).map(|i| index.line_of(i)).collect();
        assert_eq!(lines, [1, 1, 1, 2, 2, 3, 3, 3, 3]);
        let mac = LineIndex::new("a\rb\rc");
        let lines: Vec<u64> = (0..5).map(|i| mac.line_of(i)).collect();
        assert_eq!(lines, [1, 1, 2, 2, 3]);
    }
}
