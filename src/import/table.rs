//! A CSV file (or a sheet of a workbook) as a header and rows, each row with the
//! physical line (the spreadsheet row) it starts on.

use super::text::{self, Encoding, LineIndex};

/// One data row: its cells as written (quotes undone by the CSV reader, nothing
/// else) and the line of the file it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in `column`; a row shorter than the header has empty cells there,
    /// as a spreadsheet shows it.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    pub origin: Origin,
}

/// Where a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Csv {
        delimiter: u8,
        encoding: Encoding,
    },
    /// A sheet of a workbook: a row's `line` is the spreadsheet's row number.
    Sheet,
}

impl Origin {
    /// What messages call the place of a row: a line of a file, a row of a sheet.
    pub fn unit(self) -> &'static str {
        match self {
            Origin::Csv { .. } => "line",
            Origin::Sheet => "row",
        }
    }
}

/// Reads the whole file. `delimiter` overrides the one found in the file.
/// Errors are worded for the user, without the file name.
pub fn read(bytes: &[u8], delimiter: Option<u8>) -> Result<Table, String> {
    let (text, encoding) = text::decode(bytes).map_err(|e| e.0)?;
    // Line numbers count the `sep=` line too: it is a line of the file.
    let (found, body, skipped) = match text::sep_line(&text) {
        Some((d, rest)) => (d, rest, text.len() - rest.len()),
        None => (text::detect_delimiter(&text), text.as_str(), 0),
    };
    let delimiter = delimiter.unwrap_or(found);
    let index = LineIndex::new(&text);
    if let Some(open) = unclosed_quote(body.as_bytes(), delimiter) {
        return Err(format!(
            "has a quoted cell on line {} whose closing quote (\") is missing, so the rest \
             of the file would read as one cell; close the quote, or save the file again \
             from the spreadsheet",
            index.line_of(skipped + open)
        ));
    }

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("is not readable as CSV: {e}"))?;
        // The reader's position is just after the previous record; blank lines
        // it skipped come before this record's first byte.
        let after_previous = record.position().map_or(0, |p| p.byte()) as usize;
        let start = body.as_bytes()[after_previous.min(body.len())..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(body.len(), |n| after_previous + n);
        let line = index.line_of(skipped + start);
        let cells: Vec<String> = record.iter().map(String::from).collect();
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push(Row { line, cells });
        }
    }
    let headers = headers.ok_or_else(|| "is empty: no header row".to_string())?;
    Ok(Table {
        headers,
        rows,
        origin: Origin::Csv {
            delimiter,
            encoding,
        },
    })
}

/// Where a quoted cell opens that is never closed, if one is. The CSV reader
/// would take the rest of the file into that cell without a word.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut quoted = None;
    let mut field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = None;
                }
            }
        } else if b == b'"' && field_start {
            quoted = Some(i);
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
            i += 1;
            continue;
        }
        field_start = false;
        i += 1;
    }
    quoted
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unclosed_quote_is_found_and_closed_ones_are_not() {
        assert_eq!(super::unclosed_quote(b"a,\"b\nc", b','), Some(2));
        assert_eq!(super::unclosed_quote(b"a,\"b\"\"x\"\n\"c\"", b','), None);
        assert_eq!(
            super::unclosed_quote(b"a,b\"c\n", b','),
            None,
            "a quote inside a cell"
        );
        let err = super::read(b"ID,Name\nA-1,\"x\nA-2,y\n", None).unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("closing quote"),
            "{err}"
        );
    }

    use super::*;

    fn lines(table: &Table) -> Vec<u64> {
        table.rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn quoted_newlines_and_blank_lines_keep_line_numbers_physical() {
        let t = read(
            b"ID,Name\r\nA-1,\"two\r\nlines\"\r\n\r\n\r\nA-2,x\r\nA-3,\"a\nb\nc\"\nA-4,y",
            None,
        )
        .unwrap();
        assert_eq!(t.headers, ["ID", "Name"]);
        assert_eq!(lines(&t), [2, 6, 7, 10]);
        assert_eq!(t.rows[0].cells[1], "two\r\nlines");
        assert_eq!(t.rows[2].cells[1], "a\nb\nc");
    }

    #[test]
    fn bom_sep_line_and_short_rows() {
        let t = read(b"\xEF\xBB\xBFsep=;\nID;Name;Owner\nA-1;x\n", None).unwrap();
        assert_eq!(
            t.origin,
            Origin::Csv {
                delimiter: b';',
                encoding: Encoding::Utf8Bom
            }
        );
        assert_eq!(t.headers, ["ID", "Name", "Owner"]);
        assert_eq!(lines(&t), [3]);
        assert_eq!((t.rows[0].cell(1), t.rows[0].cell(2)), ("x", ""));
    }

    #[test]
    fn given_delimiter_wins_and_empty_files_are_refused() {
        let t = read(b"ID;Name,Owner\n", Some(b',')).unwrap();
        assert_eq!(t.headers, ["ID;Name", "Owner"]);
        assert_eq!(read(b"", None).unwrap_err(), "is empty: no header row");
        assert_eq!(
            read(b"\r\n\r\n", None).unwrap_err(),
            "is empty: no header row"
        );
    }

    #[test]
    fn header_after_blank_lines_is_on_its_own_line() {
        let t = read(b"\n\nID,Name\nA-1,x\n", None).unwrap();
        assert_eq!(t.headers, ["ID", "Name"]);
        assert_eq!(lines(&t), [4]);
    }
}
