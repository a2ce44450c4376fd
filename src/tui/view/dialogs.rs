//! Small boxes: a confirmation, the export dialog.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::super::app::{App, Confirm, ExportDialog};
use super::form::input_spans;
use super::text;
use crate::export;

pub fn render_confirm(app: &App, confirm: &Confirm, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let width = area.width.saturating_sub(4).min(72);
    let mut lines = vec![
        Line::from(Span::styled(confirm.question.clone(), t.header)),
        Line::default(),
    ];
    lines.extend(confirm.detail.iter().map(|d| Line::from(d.clone())));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(" y ", t.key),
        Span::raw(" yes    "),
        Span::styled(" n ", t.key),
        Span::raw(" no (Esc)"),
    ]));
    let inner_width = width.saturating_sub(2).max(1);
    let height: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).max(1).div_ceil(inner_width))
        .sum::<u16>()
        + 2;
    let popup = super::centred(area, width, height);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Confirm ")
        .style(t.dialog)
        .border_style(t.border_focused);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(popup, buf);
}

pub fn render_export(app: &App, dialog: &ExportDialog, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let width = area.width.saturating_sub(4).min(100);
    let inner_width = usize::from(width.saturating_sub(2));
    let stem = export::stem_of(&app.path);
    let dir = std::path::PathBuf::from(dialog.dir.value().trim());
    let targets = export::target_paths(&dir, &stem);
    let delimiter = match dialog.options.delimiter {
        b'\t' => "tab".to_string(),
        d => format!("'{}'", char::from(d)),
    };
    let mut lines = vec![
        Line::from(vec![Span::styled("Directory ", t.header)]),
        Line::from(input_spans(
            &dialog.dir,
            inner_width.saturating_sub(1),
            t.input_focused,
            true,
        )),
        Line::default(),
        Line::from(Span::styled("Writes", t.header)),
    ];
    let what = [
        "asset register",
        "FMEA worksheet",
        "treatment plan",
        "Statement of Applicability draft",
    ];
    lines.extend(targets.iter().zip(what).map(|(p, what)| {
        let path = text::truncate(&format!("  {}", p.display()), inner_width);
        let room = inner_width.saturating_sub(text::width(&path));
        Line::from(vec![
            Span::raw(path),
            Span::styled(text::truncate(&format!("  {what}"), room), t.muted),
        ])
    }));
    lines.extend([
        Line::from(Span::styled(
            format!(
                "  UTF-8{}, delimiter {delimiter}, failure modes in RPN order",
                if dialog.options.bom { " with BOM" } else { "" }
            ),
            t.muted,
        )),
        Line::default(),
    ]);
    match &dialog.result {
        None => lines.push(Line::from(vec![
            Span::styled(" Enter ", t.key),
            Span::raw(" write   "),
            Span::styled(" Esc ", t.key),
            Span::raw(" close"),
        ])),
        Some(Ok(written)) => {
            lines.push(Line::from(Span::styled("Written:", t.info)));
            for w in written {
                lines.push(Line::from(text::truncate(&format!("  {w}"), inner_width)));
            }
            lines.push(Line::from(vec![
                Span::styled(" Esc ", t.key),
                Span::raw(" close"),
            ]));
        }
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled("Not written:", t.error)));
            lines.push(Line::from(e.clone()));
            lines.push(Line::from(vec![
                Span::styled(" Enter ", t.key),
                Span::raw(" try again   "),
                Span::styled(" Esc ", t.key),
                Span::raw(" close"),
            ]));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = super::centred(area, width, height);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Export CSV ")
        .style(t.dialog)
        .border_style(t.border_focused);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(popup, buf);
}
