//! The asset register and the failure-mode table. Only the rows on screen are
//! built: a register of 100,000 rows costs what a register of 30 does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::app::{App, Mode};
use super::super::pane::{Column, Pane};
use super::layout::{IdWidths, MARKER, Table, column_widths_for};
use super::text::{fit, fit_centre, fit_right};
use crate::domain::{ActionPriority, Asset, ClassRank, Decision, FailureMode};

#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
    Centre,
}

pub fn header(column: Column) -> (&'static str, Align) {
    use Align::*;
    match column {
        Column::AssetId | Column::FmId => ("ID", Left),
        Column::Name => ("Name", Left),
        Column::Category => ("Category", Left),
        Column::Owner => ("Owner", Left),
        Column::C => ("C", Centre),
        Column::I => ("I", Centre),
        Column::A => ("A", Centre),
        Column::ClassValue => ("Value", Right),
        Column::ClassRank => ("Class", Centre),
        Column::Asset => ("Asset", Left),
        Column::Process => ("Process", Left),
        Column::Mode => ("Failure mode", Left),
        Column::Effect => ("Effect", Left),
        Column::S => ("S", Centre),
        Column::O => ("O", Centre),
        Column::D => ("D", Centre),
        Column::Rpn => ("RPN", Right),
        Column::Ap => ("AP", Centre),
        Column::Status => ("Treatment", Left),
        Column::Decision => ("Decision", Left),
        Column::TreatmentOwner => ("Owner", Left),
        Column::Due => ("Due", Right),
        Column::TreatmentStatus => ("Status", Left),
        Column::Action => ("Action", Left),
        Column::ResidualRpn => ("→RPN", Right),
        Column::ApChange => ("AP", Centre),
    }
}

fn align(text: &str, width: u16, align: Align) -> String {
    let w = usize::from(width);
    match align {
        Align::Left => fit(text, w),
        Align::Right => fit_right(text, w),
        Align::Centre => fit_centre(text, w),
    }
}

pub fn class_style(app: &App, rank: ClassRank) -> Style {
    match rank {
        ClassRank::A => app.theme().class_a,
        ClassRank::B => app.theme().class_b,
        ClassRank::C => app.theme().class_c,
    }
}

pub fn ap_style(app: &App, ap: ActionPriority) -> Style {
    match ap {
        ActionPriority::H => app.theme().ap_high,
        ActionPriority::M => app.theme().ap_medium,
        ActionPriority::L => app.theme().ap_low,
    }
}

/// The text of one asset cell and the style it adds.
pub fn asset_cell(app: &App, asset: &Asset, column: Column) -> (String, Style) {
    let plain = Style::default();
    match column {
        Column::AssetId => (asset.id.to_string(), plain),
        Column::Name => (asset.name.clone(), plain),
        Column::Category => (asset.category.name().to_string(), plain),
        Column::Owner => (asset.owner.clone(), plain),
        Column::C => (asset.confidentiality.to_string(), plain),
        Column::I => (asset.integrity.to_string(), plain),
        Column::A => (asset.availability.to_string(), plain),
        Column::ClassValue => (asset.class_value().to_string(), plain),
        Column::ClassRank => (
            asset.class_rank().to_string(),
            class_style(app, asset.class_rank()),
        ),
        _ => (String::new(), plain),
    }
}

/// The text of one failure-mode cell and the style it adds.
pub fn failure_mode_cell(
    app: &App,
    fm: &FailureMode,
    column: Column,
    wide_asset: bool,
) -> (String, Style) {
    let plain = Style::default();
    match column {
        Column::FmId => (fm.id.to_string(), plain),
        Column::Asset => match fm.asset {
            Some(id) if wide_asset => {
                let name = app.session().asset(id).map_or("?", |a| a.name.as_str());
                (format!("{id} {name}"), plain)
            }
            Some(id) => (id.to_string(), plain),
            None => ("–".into(), app.theme().muted),
        },
        Column::Process => (app.session().process_name(fm.process).to_string(), plain),
        Column::Mode => (fm.mode.clone(), plain),
        Column::Effect => (fm.effect.clone(), plain),
        Column::S => (fm.severity.to_string(), plain),
        Column::O => (fm.occurrence.to_string(), plain),
        Column::D => (fm.detection.to_string(), plain),
        Column::Rpn => (fm.rpn().to_string(), plain),
        Column::Ap => (fm.ap().to_string(), ap_style(app, fm.ap())),
        Column::Status => {
            if fm.treatment.is_overdue(app.clock().today()) {
                (format!("{OVERDUE} overdue"), app.theme().overdue)
            } else if app.session().threshold.needs_decision(fm) {
                (format!("{UNDECIDED} decide"), app.theme().overdue)
            } else {
                match fm.treatment.recorded_status() {
                    Some(status) => (status.name().to_string(), plain),
                    None => ("–".into(), app.theme().muted),
                }
            }
        }
        _ => (String::new(), plain),
    }
}

/// The sign of an overdue treatment, beside the word or the date.
pub const OVERDUE: char = '!';
/// The sign of a failure mode at or above the threshold without a decision.
pub const UNDECIDED: char = '?';

/// The text of one cell of the treatment view and the style it adds.
pub fn treatment_cell(app: &App, fm: &FailureMode, column: Column) -> (String, Style) {
    let plain = Style::default();
    let t = &fm.treatment;
    let muted = |text: &str| (text.to_string(), app.theme().muted);
    match column {
        Column::Decision => match t.decision {
            Decision::Undecided if app.session().threshold.needs_decision(fm) => {
                (format!("{UNDECIDED} decide"), app.theme().overdue)
            }
            Decision::Undecided => muted("–"),
            decision => (decision.name().to_string(), plain),
        },
        Column::TreatmentOwner if t.owner.trim().is_empty() => muted("–"),
        Column::TreatmentOwner => (t.owner.clone(), plain),
        Column::Action if t.action.trim().is_empty() => muted("–"),
        Column::Action => (t.action.clone(), plain),
        Column::Due => match t.due {
            None => muted("–"),
            Some(due) if t.is_overdue(app.clock().today()) => {
                (format!("{OVERDUE}{due}"), app.theme().overdue)
            }
            Some(due) => (due.to_string(), plain),
        },
        Column::TreatmentStatus => match t.recorded_status() {
            Some(status) => (status.name().to_string(), plain),
            None => muted("–"),
        },
        Column::ResidualRpn => match fm.residual() {
            Some(r) => (r.rpn().to_string(), plain),
            None => muted("–"),
        },
        Column::ApChange => match fm.residual() {
            Some(r) => (format!("{}→{}", fm.ap(), r.ap()), ap_style(app, r.ap())),
            None => (fm.ap().to_string(), ap_style(app, fm.ap())),
        },
        _ => failure_mode_cell(app, fm, column, false),
    }
}

/// `? 3 need a decision, ! 2 overdue` for a pane title; empty when nothing is flagged.
pub fn flag_counts(app: &App) -> Vec<String> {
    let (undecided, overdue) = (app.flags().undecided, app.flags().overdue);
    let mut parts = Vec::new();
    if undecided > 0 {
        parts.push(format!(
            "{UNDECIDED} {undecided} need{} a decision",
            if undecided == 1 { "s" } else { "" }
        ));
    }
    if overdue > 0 {
        parts.push(format!("{OVERDUE} {overdue} overdue"));
    }
    parts
}

struct PaneView<'a> {
    title: String,
    focused: bool,
    columns: Vec<(Column, u16)>,
    cursor: Column,
    offset: usize,
    selected: usize,
    total: usize,
    empty: &'a str,
}

/// Whether keys go to the tables. While a dialog or form is open over them the
/// tables show their selection as unfocused (`›`), so that the dialog's own `▶`
/// is the only one on screen.
fn table_has_the_keys(app: &App) -> bool {
    matches!(app.mode(), Mode::Normal | Mode::Filter(_))
}

fn render_frame(app: &App, view: &PaneView, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    // The rule with the pane's title: heavy and marked when focused.
    let (rule, rule_style, marker) = if view.focused {
        ("━", t.border_focused, "▶ ")
    } else {
        ("─", t.border, "─ ")
    };
    let title = format!(
        "{marker}{} ",
        super::text::truncate(&view.title, usize::from(area.width).saturating_sub(5))
    );
    let mut line = vec![
        Span::styled(rule.to_string(), rule_style),
        Span::styled(title.clone(), rule_style),
    ];
    let used = 1 + super::text::width(&title);
    line.push(Span::styled(
        rule.repeat(usize::from(area.width).saturating_sub(used)),
        rule_style,
    ));
    Line::from(line).render(Rect::new(area.x, area.y, area.width, 1), buf);

    if area.height < 2 {
        return;
    }
    let mut spans = vec![Span::raw(" ".repeat(usize::from(MARKER)))];
    for (i, (column, width)) in view.columns.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let (name, a) = header(*column);
        // The column cursor is marked by brackets too: bold and underline alone
        // vanish without colour.
        let (label, style) = if view.focused && *column == view.cursor {
            let bracketed = if super::text::width(name) + 2 <= usize::from(*width) {
                format!("[{name}]")
            } else {
                format!("›{name}")
            };
            (bracketed, t.header.patch(t.cursor))
        } else {
            (name.to_string(), t.header)
        };
        spans.push(Span::styled(align(&label, *width, a), style));
    }
    Line::from(spans).render(Rect::new(area.x, area.y + 1, area.width, 1), buf);

    if view.total == 0 && area.height > 2 {
        Line::from(Span::styled(format!("  {}", view.empty), t.muted))
            .render(Rect::new(area.x, area.y + 2, area.width, 1), buf);
    }
}

fn render_row(
    app: &App,
    view: &PaneView,
    cells: Vec<(String, Style)>,
    is_selected: bool,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = app.theme();
    let row_style = if is_selected && view.focused {
        t.selected
    } else {
        Style::default()
    };
    let marker = match (is_selected, view.focused) {
        (true, true) => "▶ ",
        (true, false) => "› ",
        _ => "  ",
    };
    let mut spans = vec![Span::styled(marker, row_style)];
    for (i, ((column, width), (text, style))) in view.columns.iter().zip(cells).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", row_style));
        }
        let (_, a) = header(*column);
        let mut cell_style = row_style.patch(style);
        if is_selected && view.focused {
            // Red or amber letters (AP H, class A, overdue) would sink into the
            // selection's background: on the selected row they take its
            // foreground and keep their letters and emphasis.
            cell_style.fg = row_style.fg;
        }
        if is_selected && view.focused && *column == view.cursor {
            cell_style = cell_style.patch(t.cursor);
        }
        spans.push(Span::styled(align(&text, *width, a), cell_style));
    }
    buf.set_style(area, row_style);
    Line::from(spans).render(area, buf);
}

fn filter_title(name: &str, filter: &str, shown: usize, total: usize) -> String {
    titled(name, filter, &[], shown, total)
}

/// `Name (5 of 40, filter "vpn", status Open, ? 3 need a decision)`.
fn titled(name: &str, filter: &str, more: &[String], shown: usize, total: usize) -> String {
    let mut parts = Vec::new();
    let filtered = !filter.is_empty() || shown != total;
    parts.push(if filtered {
        format!("{shown} of {total}")
    } else {
        total.to_string()
    });
    if !filter.is_empty() {
        parts.push(format!("filter \"{filter}\""));
    }
    parts.extend(more.iter().cloned());
    format!("{name} ({})", parts.join(", "))
}

pub fn render_assets(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.assets();
    let view = PaneView {
        title: filter_title(
            "Assets",
            &pane.filter,
            pane.rows.len(),
            app.session().assets.len(),
        ),
        focused: app.focus() == Pane::Assets && table_has_the_keys(app),
        columns: column_widths_for(Pane::Assets, area.width, IdWidths::of(app.session())),
        cursor: pane.column,
        offset: pane.offset,
        selected: pane.selected,
        total: pane.rows.len(),
        empty: if pane.filter.is_empty() {
            "No assets yet: Tab here and press a to add one."
        } else {
            "No asset matches the filter (Esc clears it)."
        },
    };
    render_frame(app, &view, area, buf);
    let height = usize::from(area.height.saturating_sub(2));
    for (line, index) in (view.offset..pane.rows.len()).take(height).enumerate() {
        let Some(asset) = app.session().asset(pane.rows[index]) else {
            continue;
        };
        let cells = view
            .columns
            .iter()
            .map(|(c, _)| asset_cell(app, asset, *c))
            .collect();
        let row = Rect::new(area.x, area.y + 2 + line as u16, area.width, 1);
        render_row(app, &view, cells, index == view.selected, row, buf);
    }
}

pub fn render_failure_modes(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.failure_modes();
    let table = Table::of(Pane::FailureModes, app.treatment_view());
    let columns = column_widths_for(table, area.width, IdWidths::of(app.session()));
    let wide_asset = columns.iter().any(|(c, w)| *c == Column::Asset && *w > 8);
    let mut more = app.treatment_filter().describe();
    more.extend(flag_counts(app));
    let filtered = !pane.filter.is_empty() || !app.treatment_filter().is_empty();
    let view = PaneView {
        title: titled(
            if app.treatment_view() {
                "Treatment plan by RPN"
            } else {
                "Failure modes by RPN"
            },
            &pane.filter,
            &more,
            pane.rows.len(),
            app.session().failure_modes.len(),
        ),
        focused: app.focus() == Pane::FailureModes && table_has_the_keys(app),
        columns,
        cursor: pane.column,
        offset: pane.offset,
        selected: pane.selected,
        total: pane.rows.len(),
        empty: if !filtered {
            "No failure modes yet: press a to add one."
        } else {
            "No failure mode matches the filters (Esc clears them)."
        },
    };
    render_frame(app, &view, area, buf);
    let height = usize::from(area.height.saturating_sub(2));
    for (line, index) in (view.offset..pane.rows.len()).take(height).enumerate() {
        let Some(fm) = app.session().failure_mode(pane.rows[index]) else {
            continue;
        };
        let cells = view
            .columns
            .iter()
            .map(|(c, _)| {
                if app.treatment_view() {
                    treatment_cell(app, fm, *c)
                } else {
                    failure_mode_cell(app, fm, *c, wide_asset)
                }
            })
            .collect();
        let row = Rect::new(area.x, area.y + 2 + line as u16, area.width, 1);
        render_row(app, &view, cells, index == view.selected, row, buf);
    }
}
