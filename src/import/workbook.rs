//! Assets and failure modes from a workbook (`.xlsx`): ours, come back after
//! offline edits, or a register kept in Excel. Read with calamine; each sheet
//! becomes the same [`Table`] a CSV file does, so the column synonyms, the row
//! checks, the dry run and the all-or-nothing rule are the CSV import's own.
//!
//! Which sheets: the sheets named `Assets` and `Failure modes` (case and
//! spaces aside, as our workbook names them); for a kind with no such sheet,
//! the first visible sheet whose header row reads as that kind. A row's place
//! in messages is the spreadsheet's row number.
//!
//! Cells become the text a CSV file would hold: numbers as written (`7`,
//! `7.5`), dates as `2026-12-15`, text guarded as the CSV export guards it, so
//! that the one rule that takes a guard quote off ([`super::cells::restore`])
//! gives back exactly the text of the cell.

use std::io::Cursor;

use calamine::{Data, Range, Reader, SheetVisible, Xlsx};

use super::columns::{Columns, Field, FileKind};
use super::table::{Origin, Row, Table};
use super::{ImportError, Named};
use crate::export::neutralise;
use crate::export::workbook::{META_SHEET, WORKBOOK_FORMAT};

/// What the uncompressed parts of a workbook may add up to. A 100,000-row
/// register is well under it; a "zip bomb" (a small file that unpacks to
/// gigabytes) is refused before calamine unpacks it.
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;

/// The registers found in a workbook.
#[derive(Debug, Clone, Default)]
pub struct Sheets {
    pub assets: Option<Named>,
    pub failure_modes: Option<Named>,
}

/// Reads the workbook `name` (for messages) from its bytes and picks the
/// sheets to import.
pub fn read(name: &str, bytes: &[u8]) -> Result<Sheets, ImportError> {
    let error = |message: String| ImportError {
        file: name.to_string(),
        message,
    };
    check_unpacked_size(bytes).map_err(error)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        error(format!(
            "is not a workbook riskroom can read (.xlsx, as Excel and LibreOffice save it): {e}"
        ))
    })?;
    let sheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    if sheets.iter().any(|(n, _)| n == META_SHEET) {
        let meta = workbook
            .worksheet_range(META_SHEET)
            .map_err(|e| error(format!("has a sheet {META_SHEET} that cannot be read: {e}")))?;
        check_meta(&meta).map_err(error)?;
    }

    let mut found = Sheets::default();
    for kind in [FileKind::Assets, FileKind::FailureModes] {
        let by_name = sheets
            .iter()
            .find(|(n, _)| normalised(n) == normalised(sheet_name(kind)));
        let chosen = match by_name {
            Some((sheet, _)) => Some(read_sheet(&mut workbook, name, sheet, kind)?),
            None => {
                let mut chosen = None;
                for (sheet, visible) in &sheets {
                    if !visible || sheet == META_SHEET {
                        continue;
                    }
                    let named = read_sheet(&mut workbook, name, sheet, kind)?;
                    if header_reads_as(kind, &named.table.headers) {
                        chosen = Some(named);
                        break;
                    }
                }
                chosen
            }
        };
        match kind {
            FileKind::Assets => found.assets = chosen,
            FileKind::FailureModes => found.failure_modes = chosen,
        }
    }
    // A register sheet found twice (one sheet matching both kinds by its
    // header) is read as the kind its name or header says most clearly: assets
    // only when it has no failure-mode column.
    if let (Some(a), Some(f)) = (&found.assets, &found.failure_modes)
        && a.name == f.name
    {
        found.assets = None;
    }
    if found.assets.is_none() && found.failure_modes.is_none() {
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        return Err(error(format!(
            "has no sheet of assets or failure modes: no sheet is named Assets or Failure \
             modes, and no header row reads as one (sheets: {})",
            names.join(", ")
        )));
    }
    Ok(found)
}

fn sheet_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Assets => crate::export::workbook::ASSETS,
        FileKind::FailureModes => crate::export::workbook::FAILURE_MODES,
    }
}

/// Lower case, letters and digits only: `Failure-Modes` is `failuremodes`.
fn normalised(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a header row is one of `kind`'s: it maps, and has the columns that
/// make the kind (a name and a rating or category for assets; the failure mode
/// or its severity for failure modes).
fn header_reads_as(kind: FileKind, headers: &[String]) -> bool {
    let Ok(columns) = Columns::map(kind, "", headers, |_| false) else {
        return false;
    };
    let has = |f: Field| columns.get(f).is_some();
    match kind {
        FileKind::Assets => {
            let fm = Columns::map(FileKind::FailureModes, "", headers, |_| false);
            let is_fm = fm.is_ok_and(|c| c.get(Field::Mode).is_some());
            has(Field::Name) && (has(Field::Category) || has(Field::Confidentiality)) && !is_fm
        }
        FileKind::FailureModes => has(Field::Mode) || has(Field::Severity),
    }
}

fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    file: &str,
    sheet: &str,
    kind: FileKind,
) -> Result<Named, ImportError> {
    let range = workbook.worksheet_range(sheet).map_err(|e| ImportError {
        file: format!("{file} (sheet {sheet})"),
        message: format!("cannot be read: {e}"),
    })?;
    Ok(Named {
        name: format!("{file} (sheet {sheet})"),
        table: table_of(&range, kind),
    })
}

/// How far down a sheet the header row is looked for: registers kept in a
/// spreadsheet often have a title and a blank line or two above it.
const HEADER_SEARCH_ROWS: usize = 20;

/// The sheet as a table. The header is the first row (of the first
/// [`HEADER_SEARCH_ROWS`]) that reads as `kind`, or else the first row that
/// holds anything, so that the column check says what it misses.
pub fn table_of(range: &Range<Data>, kind: FileKind) -> Table {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    // A sheet whose used range starts right of column A still has its cells
    // where the header says: pad the left.
    let pad = first_col as usize;
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            line: u64::from(first_row) + i as u64 + 1,
            cells: std::iter::repeat_n(String::new(), pad)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect();
    let header_of =
        |r: &Row| -> Vec<String> { r.cells.iter().map(|c| c.trim().to_string()).collect() };
    let header_at = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| header_reads_as(kind, &header_of(r)))
        .or_else(|| rows.iter().position(|r| !r.is_blank()));
    let Some(at) = header_at else {
        return Table {
            headers: Vec::new(),
            rows: Vec::new(),
            origin: Origin::Sheet,
        };
    };
    let rest = rows.split_off(at + 1);
    let headers = rows.last().map(header_of).unwrap_or_default();
    Table {
        headers,
        rows: rest,
        origin: Origin::Sheet,
    }
}

/// One cell as CSV text (see the module's note).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => neutralise(s).into_owned(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => match serial_date(d.as_f64()) {
            Some(date) if d.is_datetime() => date.to_string(),
            _ => number_text(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `7` for 7.0, `7.5` for 7.5: as a spreadsheet shows it, so a rating of 7.5
/// is refused as not whole, and 7.0 taken as 7.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The date of an Excel serial day number (1900 system).
fn serial_date(serial: f64) -> Option<jiff::civil::Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// Refuses a workbook from a newer riskroom, whose layout this one would
/// misread.
fn check_meta(meta: &Range<Data>) -> Result<(), String> {
    let value = |key: &str| {
        meta.rows()
            .find(|r| matches!(r.first(), Some(Data::String(k)) if k == key))
            .and_then(|r| r.get(1).map(cell_text))
    };
    let format = value("workbook format").unwrap_or_default();
    match format.trim().parse::<u32>() {
        Ok(n) if n <= WORKBOOK_FORMAT => Ok(()),
        Ok(n) => Err(format!(
            "was written by a newer riskroom (workbook format {n}; this one reads up to \
             {WORKBOOK_FORMAT}); import it with that version"
        )),
        // Not ours after all (a sheet that happens to be called riskroom).
        Err(_) => Ok(()),
    }
}

/// Adds up the uncompressed sizes the zip directory declares, and refuses a
/// workbook past [`MAX_UNPACKED_BYTES`]. The zip reader stops at the declared
/// size, so a part cannot unpack to more than it says.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!(
            "is not a workbook riskroom can read (.xlsx, as Excel and LibreOffice save it): {e}"
        )
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("is a damaged workbook: {e}"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "unpacks to {} MB, more than riskroom reads ({} MB); it is not a register",
            total >> 20,
            MAX_UNPACKED_BYTES >> 20
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_spreadsheet_shows_them() {
        assert_eq!(number_text(7.0), "7");
        assert_eq!(number_text(7.5), "7.5");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(cell_text(&Data::Float(10.0)), "10");
        assert_eq!(cell_text(&Data::Int(4)), "4");
    }

    #[test]
    fn text_is_guarded_so_restore_gives_the_cell_back() {
        for text in ["=1+1", "'=x", "-", "plain", "'quoted", "@SUM(A1)"] {
            let cell = cell_text(&Data::String(text.into()));
            assert_eq!(super::super::cells::restore(&cell), text);
        }
    }

    #[test]
    fn serial_days_are_dates() {
        assert_eq!(serial_date(46_371.0), Some(jiff::civil::date(2026, 12, 15)));
        assert_eq!(serial_date(0.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }

    #[test]
    fn sheet_names_ignore_case_spaces_and_punctuation() {
        assert_eq!(normalised("Failure-Modes "), "failuremodes");
        assert_eq!(normalised("ASSETS"), normalised("Assets"));
    }

    #[test]
    fn headers_read_as_their_kind() {
        let h = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let assets = h(&["ID", "Name", "Category", "C", "I", "A"]);
        let fms = h(&["ID", "Asset name", "Failure mode", "S", "O", "D"]);
        assert!(header_reads_as(FileKind::Assets, &assets));
        assert!(!header_reads_as(FileKind::FailureModes, &assets));
        assert!(header_reads_as(FileKind::FailureModes, &fms));
        assert!(!header_reads_as(FileKind::Assets, &fms));
        assert!(!header_reads_as(FileKind::Assets, &h(&["Step", "Phase"])));
    }
}
