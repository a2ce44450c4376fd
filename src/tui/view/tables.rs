//! The asset register and the failure-mode table. Only the rows on screen are
//! built: a register of 100,000 rows costs what a register of 30 does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::app::{App, Column, Pane};
use super::layout::{MARKER, column_widths};
use super::text::{fit, fit_centre, fit_right};
use crate::domain::{ActionPriority, Asset, ClassRank, FailureMode};

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
        ClassRank::A => app.theme.class_a,
        ClassRank::B => app.theme.class_b,
        ClassRank::C => app.theme.class_c,
    }
}

pub fn ap_style(app: &App, ap: ActionPriority) -> Style {
    match ap {
        ActionPriority::H => app.theme.ap_high,
        ActionPriority::M => app.theme.ap_medium,
        ActionPriority::L => app.theme.ap_low,
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
                let name = app.session.asset(id).map_or("?", |a| a.name.as_str());
                (format!("{id} {name}"), plain)
            }
            Some(id) => (id.to_string(), plain),
            None => ("–".into(), app.theme.muted),
        },
        Column::Process => (fm.process.clone(), plain),
        Column::Mode => (fm.mode.clone(), plain),
        Column::Effect => (fm.effect.clone(), plain),
        Column::S => (fm.severity.to_string(), plain),
        Column::O => (fm.occurrence.to_string(), plain),
        Column::D => (fm.detection.to_string(), plain),
        Column::Rpn => (fm.rpn().to_string(), plain),
        Column::Ap => (fm.ap().to_string(), ap_style(app, fm.ap())),
        Column::Status => {
            if fm.treatment.is_empty() {
                ("–".into(), app.theme.muted)
            } else {
                (fm.treatment.status.name().to_string(), plain)
            }
        }
        _ => (String::new(), plain),
    }
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

fn render_frame(app: &App, view: &PaneView, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    // The rule with the pane's title: heavy and marked when focused.
    let (rule, rule_style, marker) = if view.focused {
        ("━", t.border_focused, "▶ ")
    } else {
        ("─", t.border, "─ ")
    };
    let title = format!("{marker}{} ", view.title);
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
    let t = &app.theme;
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
        if is_selected && view.focused && *column == view.cursor {
            cell_style = cell_style.patch(t.cursor);
        }
        spans.push(Span::styled(align(&text, *width, a), cell_style));
    }
    buf.set_style(area, row_style);
    Line::from(spans).render(area, buf);
}

fn filter_title(name: &str, filter: &str, shown: usize, total: usize) -> String {
    if filter.is_empty() {
        format!("{name} ({total})")
    } else {
        format!("{name} ({shown} of {total}, filter \"{filter}\")")
    }
}

pub fn render_assets(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.assets;
    let view = PaneView {
        title: filter_title(
            "Assets",
            &pane.filter,
            pane.rows.len(),
            app.session.assets.len(),
        ),
        focused: app.focus == Pane::Assets,
        columns: column_widths(Pane::Assets, area.width),
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
        let Some(asset) = app.session.asset(pane.rows[index]) else {
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
    let pane = &app.failure_modes;
    let columns = column_widths(Pane::FailureModes, area.width);
    let wide_asset = columns.iter().any(|(c, w)| *c == Column::Asset && *w > 8);
    let view = PaneView {
        title: filter_title(
            "Failure modes by RPN",
            &pane.filter,
            pane.rows.len(),
            app.session.failure_modes.len(),
        ),
        focused: app.focus == Pane::FailureModes,
        columns,
        cursor: pane.column,
        offset: pane.offset,
        selected: pane.selected,
        total: pane.rows.len(),
        empty: if pane.filter.is_empty() {
            "No failure modes yet: press a to add one."
        } else {
            "No failure mode matches the filter (Esc clears it)."
        },
    };
    render_frame(app, &view, area, buf);
    let height = usize::from(area.height.saturating_sub(2));
    for (line, index) in (view.offset..pane.rows.len()).take(height).enumerate() {
        let Some(fm) = app.session.failure_mode(pane.rows[index]) else {
            continue;
        };
        let cells = view
            .columns
            .iter()
            .map(|(c, _)| failure_mode_cell(app, fm, *c, wide_asset))
            .collect();
        let row = Rect::new(area.x, area.y + 2 + line as u16, area.width, 1);
        render_row(app, &view, cells, index == view.selected, row, buf);
    }
}
