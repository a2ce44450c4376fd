//! The Summary sheet: what the workshop is (details, scope, date, cycle,
//! stage), what it holds (counts), and the method's scales, so that a reader
//! with only the workbook knows what a 7 or an H means.

use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::super::cells::Cell;
use super::super::overview::Overview;
use super::sheet::SheetStyle;
use super::{ASSETS, CONTROLS, DOCUMENTS, FAILURE_MODES, ROADMAP, SUMMARY, TREATMENT_PLAN};
use crate::domain::{ClassRank, Participant, RatingKind, Session};

/// One line of the sheet: a label and a value, or a section title.
enum Line<'a> {
    Section(&'static str),
    Item(String, Cell<'a>),
}

fn item<'a>(label: impl Into<String>, value: Cell<'a>) -> Line<'a> {
    Line::Item(label.into(), value)
}

fn lines(session: &Session, today: Date) -> Vec<Line<'_>> {
    let o = Overview::of(session, today);
    let n = |v: usize| Cell::number(v as i64);
    let mut lines = vec![
        Line::Section("Workshop"),
        item("Title", Cell::text(&session.title)),
        item("Organisation", Cell::text(&session.organisation)),
        item("Scope", Cell::text(&session.scope)),
        item("Facilitator", Cell::text(&session.facilitator)),
        item(
            "Participants",
            Cell::owned(
                session
                    .participants
                    .iter()
                    .map(Participant::label)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ),
        item("Exported", Cell::Date(today)),
        item("PDCA cycle", n(o.cycle as usize)),
        item("Stage", Cell::text(o.stage.name())),
        item("Stage since", Cell::optional(o.stage_since.map(Cell::Date))),
        item(
            "Decision threshold",
            Cell::owned(session.threshold.to_string()),
        ),
        Line::Section("Counts"),
        item("Assets", n(o.assets)),
        item("Assets by class", Cell::owned(o.classes_text())),
        item("Failure modes", n(o.failure_modes)),
        item("Failure modes by AP", Cell::owned(o.ap_text())),
        item("Highest RPN", n(usize::from(o.highest_rpn))),
        item("At or above the threshold", n(o.at_threshold)),
        item("Need a decision", n(o.need_decision)),
        item("Decisions", Cell::owned(o.decisions_text())),
        item("Treatments done or verified", n(o.closed)),
        item("Treatments overdue", n(o.overdue)),
        item("With an Annex A control", n(o.with_controls)),
        Line::Section("Method: InfoSec FMEA circle"),
        item(
            "Asset class value",
            Cell::text("Confidentiality x Integrity x Availability (1..36)"),
        ),
    ];
    for rank in [ClassRank::A, ClassRank::B, ClassRank::C] {
        let range = match rank {
            ClassRank::A => "class value 18 or more",
            ClassRank::B => "class value 8 to 16",
            ClassRank::C => "class value 6 or less",
        };
        lines.push(item(
            format!("Class {rank}"),
            Cell::owned(format!("{range}: {}", rank.meaning())),
        ));
    }
    lines.push(item(
        "RPN",
        Cell::text(
            "Severity x Occurrence x Detection (1..1000); failure modes by RPN, highest first",
        ),
    ));
    lines.push(item(
        "RPN ▲",
        Cell::owned(format!(
            "at or above the decision threshold ({})",
            session.threshold
        )),
    ));
    lines.push(item(
        "AP",
        Cell::text("Action Priority (AIAG-VDA 2019) from S, O and D: H high, M medium, L low"),
    ));
    for kind in RatingKind::ASSET
        .into_iter()
        .chain(RatingKind::FAILURE_MODE)
    {
        let scale = kind
            .guidance()
            .iter()
            .map(|(levels, meaning)| format!("{levels} {meaning}"))
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(item(
            format!("{} (1-{})", kind.name(), kind.max()),
            Cell::owned(scale),
        ));
    }
    lines.push(Line::Section("Sheets"));
    for (sheet, what) in [
        (ASSETS, "the information asset register"),
        (FAILURE_MODES, "the InfoSec FMEA worksheet, by RPN"),
        (
            TREATMENT_PLAN,
            "decision, action, owner, due date, status and residual risk, by RPN",
        ),
        (
            CONTROLS,
            "draft Statement of Applicability: every ISO 27001:2022 Annex A control",
        ),
        (ROADMAP, "the 24 steps of the QISM implementation roadmap"),
        (
            DOCUMENTS,
            "the mandatory documented information of ISO/IEC 27001",
        ),
    ] {
        lines.push(item(sheet, Cell::text(what)));
    }
    lines.push(item(
        "Offline changes",
        Cell::text(
            "ratings and texts changed in Assets and Failure modes go back with \
             riskroom import SESSION --workbook FILE.xlsx; the other sheets are reports",
        ),
    ));
    lines
}

pub fn write(
    workbook: &mut Workbook,
    style: &SheetStyle,
    session: &Session,
    today: Date,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(SUMMARY)?;
    let mut width = 0;
    sheet.write_string_with_format(0, 0, "Item", &style.bold)?;
    sheet.write_string_with_format(0, 1, "Value", &style.bold)?;
    for (i, line) in lines(session, today).iter().enumerate() {
        let row = i as u32 + 1;
        match line {
            Line::Section(title) => {
                sheet.write_string_with_format(row, 0, *title, &style.bold)?;
            }
            Line::Item(label, value) => {
                style.write_cell(sheet, row, 0, &Cell::text(label))?;
                width = width.max(style.write_cell(sheet, row, 1, value)?);
            }
        }
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, width.clamp(20, 100) as f64)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
