//! One table as one worksheet: typed cells, header frozen, autofilter, widths
//! that fit, drop-down lists and the marks on RPN, AP and class. And the hidden
//! sheet that lets the workbook come back.

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation,
    DataValidationErrorStyle, ExcelDateTime, Format, FormatBorder, FormatPattern, Workbook,
    Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use jiff::civil::Date;

use super::super::cells::{Cell, Choices, FORMULA_STARTS, Kind};
use super::super::tables::Table;
use super::{META_SHEET, WORKBOOK_FORMAT};
use crate::domain::programme::{DocumentStatus, StepStatus, capitalised};
use crate::domain::session::FORMAT;
use crate::domain::{Category, Decision, RatingKind, Session, Status, Threshold};

/// Rows below the data that still get the drop-down lists, so rows added in the
/// spreadsheet (imported as new records) can be rated from the list too.
const SPARE_ROWS: u32 = 200;
/// Widest column, in characters: longer text is there in full, cut on screen.
const MAX_WIDTH: usize = 60;
const MIN_WIDTH: usize = 5;

/// The formats every sheet shares, and the threshold the RPN marks follow.
pub struct SheetStyle {
    threshold: Threshold,
    header: Format,
    text: Format,
    /// Text that a spreadsheet would otherwise take for a formula: shown and
    /// kept as text (Excel's "quote prefix", what typing `'=x` does).
    guarded: Format,
    number: Format,
    date: Format,
    pub(super) bold: Format,
}

/// Fills that go with a letter: a red one for H / class A / RPN at the
/// threshold, an amber one for M / class B.
fn high() -> Format {
    Format::new()
        .set_background_color(Color::RGB(0xF4_C7_C3))
        .set_font_color(Color::RGB(0x7F_00_00))
        .set_bold()
}

fn medium() -> Format {
    Format::new()
        .set_background_color(Color::RGB(0xFF_E5_99))
        .set_font_color(Color::RGB(0x5C_40_00))
}

impl SheetStyle {
    pub fn new(threshold: Threshold) -> SheetStyle {
        SheetStyle {
            threshold,
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9_E1_F2))
                .set_pattern(FormatPattern::Solid)
                .set_border_bottom(FormatBorder::Thin),
            text: Format::new().set_num_format("@"),
            guarded: Format::new().set_num_format("@").set_quote_prefix(),
            number: Format::new().set_num_format("0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            bold: Format::new().set_bold(),
        }
    }

    /// Writes `table` into `sheet` (new, in constant-memory mode) and names it.
    pub fn write_table(
        &self,
        sheet: &mut Worksheet,
        name: &str,
        table: &Table<'_>,
        id_first: bool,
    ) -> Result<(), XlsxError> {
        sheet.set_name(name)?;
        let mut widths: Vec<usize> = table.headers.iter().map(|h| h.width()).collect();
        for (col, header) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *header, &self.header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let row_number = r as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let width = self.write_cell(sheet, row_number, col as u16, cell)?;
                if let Some(w) = widths.get_mut(col) {
                    *w = (*w).max(width);
                }
            }
        }
        let last_row = table.rows.len() as u32;
        let last_col = table.headers.len().saturating_sub(1) as u16;
        for (col, kind) in table.kinds.iter().enumerate() {
            self.decorate(sheet, col as u16, *kind, last_row)?;
        }
        for (col, width) in widths.iter().enumerate() {
            let width = (*width).clamp(MIN_WIDTH, MAX_WIDTH) + 2;
            sheet.set_column_width(col as u16, width as f64)?;
        }
        sheet.set_freeze_panes(1, u16::from(id_first))?;
        sheet.autofilter(0, 0, last_row.max(1), last_col)?;
        Ok(())
    }

    /// One cell; returns how wide it shows, in characters.
    pub(super) fn write_cell(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        cell: &Cell<'_>,
    ) -> Result<usize, XlsxError> {
        match cell {
            Cell::Empty => Ok(0),
            Cell::Text(text) => {
                let format = if text
                    .trim_start_matches('\'')
                    .starts_with(FORMULA_STARTS.as_slice())
                {
                    &self.guarded
                } else {
                    &self.text
                };
                sheet.write_string_with_format(row, col, text.as_ref(), format)?;
                Ok(text.lines().map(|l| l.width()).max().unwrap_or(0))
            }
            Cell::Number(n) => {
                sheet.write_number_with_format(row, col, *n as f64, &self.number)?;
                Ok(n.to_string().len())
            }
            Cell::Date(date) => {
                match excel_date(*date) {
                    Some(d) => sheet.write_datetime_with_format(row, col, d, &self.date)?,
                    None => {
                        sheet.write_string_with_format(row, col, date.to_string(), &self.text)?
                    }
                };
                Ok(10)
            }
        }
    }

    /// Drop-down lists and marks for one column of data rows `1..=last_row`.
    fn decorate(
        &self,
        sheet: &mut Worksheet,
        col: u16,
        kind: Kind,
        last_row: u32,
    ) -> Result<(), XlsxError> {
        let editable_to = last_row + SPARE_ROWS;
        match kind {
            Kind::Rating(rating) => {
                let levels: Vec<String> = (1..=rating.max()).map(|n| n.to_string()).collect();
                let validation = DataValidation::new()
                    .allow_list_strings(&levels)?
                    .set_error_title(capitalised(rating.name()))?
                    .set_error_message(format!(
                        "{} is a whole number from 1 to {}.",
                        capitalised(rating.name()),
                        rating.max()
                    ))?;
                let validation = with_guidance(validation, rating);
                sheet.add_data_validation(1, col, editable_to, col, &validation)?;
            }
            Kind::Choice(choices) => {
                let names = choice_names(choices);
                let validation = DataValidation::new()
                    .allow_list_strings(&names)?
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_message(format!("Choose one of: {}.", names.join(", ")))?;
                sheet.add_data_validation(1, col, editable_to, col, &validation)?;
            }
            Kind::Rpn if self.threshold.rpn > 0 && last_row > 0 => {
                // At or above the decision threshold: filled, and `▲` after
                // the number, which stays a number.
                let format = ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::GreaterThanOrEqualTo(
                        self.threshold.rpn,
                    ))
                    .set_format(high().set_num_format("0\" ▲\""));
                sheet.add_conditional_format(1, col, last_row, col, &format)?;
            }
            Kind::Ap if last_row > 0 => {
                letter_fills(sheet, col, last_row, "H", "M")?;
            }
            Kind::Class if last_row > 0 => {
                letter_fills(sheet, col, last_row, "A", "B")?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// A red fill on cells reading `red`, an amber one on cells reading `amber`;
/// the letter itself says the same.
fn letter_fills(
    sheet: &mut Worksheet,
    col: u16,
    last_row: u32,
    red: &str,
    amber: &str,
) -> Result<(), XlsxError> {
    for (letter, format) in [(red, high()), (amber, medium())] {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(letter))
            .set_format(format);
        sheet.add_conditional_format(1, col, last_row, col, &rule)?;
    }
    Ok(())
}

/// The scale's guidance as the cell's input message (Excel shows it when the
/// cell is selected), when it fits Excel's 255 characters.
fn with_guidance(validation: DataValidation, rating: RatingKind) -> DataValidation {
    let text = rating
        .guidance()
        .iter()
        .map(|(levels, meaning)| format!("{levels} {meaning}"))
        .collect::<Vec<_>>()
        .join("; ");
    match validation.clone().set_input_message(text) {
        Ok(v) => v
            .set_input_title(capitalised(rating.name()))
            .unwrap_or(validation),
        Err(_) => validation,
    }
}

/// What a drop-down list offers.
pub fn choice_names(choices: Choices) -> Vec<&'static str> {
    match choices {
        Choices::Category => Category::ALL.iter().map(|c| c.name()).collect(),
        Choices::Decision => Decision::ALL.iter().map(|d| d.name()).collect(),
        Choices::Status => Status::ALL.iter().map(|s| s.name()).collect(),
        Choices::StepStatus => StepStatus::ALL.iter().map(|s| s.name()).collect(),
        Choices::DocumentStatus => DocumentStatus::ALL.iter().map(|s| s.name()).collect(),
    }
}

/// A date Excel can hold (1900-01-01 to 9999-12-31); `None` otherwise.
fn excel_date(date: Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

/// The hidden, protected sheet: that this is a riskroom workbook, of which
/// layout, from which session, and the IDs each register sheet held, so an
/// import can say which records were taken out of the workbook.
pub fn write_meta(
    workbook: &mut Workbook,
    session: &Session,
    today: Date,
    asset_ids: &[String],
    failure_mode_ids: &[String],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(META_SHEET)?;
    let text = Format::new().set_num_format("@");
    let pairs: [(&str, String); 5] = [
        ("workbook", "riskroom".to_string()),
        ("workbook format", WORKBOOK_FORMAT.to_string()),
        ("session format", FORMAT.to_string()),
        ("session title", session.title.clone()),
        ("exported", today.to_string()),
    ];
    for (row, (key, value)) in pairs.iter().enumerate() {
        sheet.write_string_with_format(row as u32, 0, *key, &text)?;
        sheet.write_string_with_format(row as u32, 1, value, &text)?;
    }
    let header_row = pairs.len() as u32 + 1;
    sheet.write_string_with_format(header_row, 0, super::ASSETS, &text)?;
    sheet.write_string_with_format(header_row, 1, super::FAILURE_MODES, &text)?;
    for i in 0..asset_ids.len().max(failure_mode_ids.len()) {
        let row = header_row + 1 + i as u32;
        if let Some(id) = asset_ids.get(i) {
            sheet.write_string_with_format(row, 0, id, &text)?;
        }
        if let Some(id) = failure_mode_ids.get(i) {
            sheet.write_string_with_format(row, 1, id, &text)?;
        }
    }
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 40)?;
    sheet.protect();
    sheet.set_hidden(true);
    Ok(())
}
