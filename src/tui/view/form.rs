//! The add/edit form as a box over the tables.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use tui_input::Input;

use super::super::app::App;
use super::super::form::{FieldKind, Form, asset_suggestions};
use super::text;

/// The visible part of a text input, with a drawn cursor (a reversed cell) when
/// focused: no terminal cursor to move, so nothing extra goes down the wire.
pub fn input_spans(input: &Input, width: usize, style: Style, focused: bool) -> Vec<Span<'static>> {
    let width = width.max(1);
    if !focused {
        // Not being edited: the start of the text, cut with an ellipsis.
        return vec![Span::styled(text::fit(input.value(), width), style)];
    }
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let mut spans = Vec::new();
    let mut used = 0;
    let mut skipped = 0;
    let cursor = input.visual_cursor();
    let mut position = 0;
    let mut cursor_drawn = false;
    for c in input.value().chars() {
        let c = if c.is_control() { ' ' } else { c };
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if skipped < scroll {
            skipped += w;
            position += w;
            continue;
        }
        if used + w > width {
            break;
        }
        let at_cursor = focused && position == cursor;
        let s = if at_cursor {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        cursor_drawn |= at_cursor;
        spans.push(Span::styled(c.to_string(), s));
        used += w;
        position += w;
    }
    if focused && !cursor_drawn && used < width {
        spans.push(Span::styled(" ", style.add_modifier(Modifier::REVERSED)));
        used += 1;
    }
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), style));
    }
    spans
}

const LABEL: usize = 15;

pub fn render(app: &App, form: &Form, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    // Over the tables; the title bar and the footer stay visible.
    let room = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    );
    let wanted = form.fields.len() as u16 + 3;
    // The tables behind would show through around the box and distract the
    // room from the record being written: blank them.
    Clear.render(room, buf);
    buf.set_style(room, t.base);
    let popup = super::centred(room, room.width.saturating_sub(4).min(100), wanted);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.title()))
        .title_bottom(if form.enter_goes_to_ratings() {
            " Enter: to the ratings · Esc cancels · Tab/↓ next field "
        } else {
            " Enter saves · Esc cancels · Tab/↓ next field "
        })
        .style(t.dialog)
        .border_style(t.border_focused);
    let inner = block.inner(popup);
    block.render(popup, buf);
    if inner.height == 0 {
        return;
    }

    // Scroll the fields when they do not all fit, keeping the focused one shown.
    let rows = usize::from(inner.height.saturating_sub(1));
    let first = form.focus.saturating_sub(rows.saturating_sub(1));
    let value_width = usize::from(inner.width).saturating_sub(LABEL + 3);
    for (line, (i, field)) in form
        .fields
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let focused = i == form.focus;
        let label_style = if focused { t.header } else { t.dialog };
        let marker = if focused { "▶" } else { " " };
        let mut spans = vec![
            Span::styled(marker, t.border_focused),
            Span::styled(
                format!("{} ", text::fit_right(field.label, LABEL)),
                label_style,
            ),
        ];
        let value_style = if focused { t.input_focused } else { t.input };
        // A field entered by Tab is all selected: typing replaces it.
        let text_style = if focused && form.selected_all {
            value_style.add_modifier(Modifier::REVERSED)
        } else {
            value_style
        };
        match field.kind {
            FieldKind::Text => match field.copied_from {
                // Where the value came from, beside it, until it is edited.
                Some(row) => {
                    let note = format!("  ← copied from {row}");
                    let input_width = value_width.saturating_sub(text::width(&note)).max(1);
                    spans.extend(input_spans(&field.input, input_width, text_style, focused));
                    spans.push(Span::styled(
                        text::truncate(&note, value_width - input_width.min(value_width)),
                        t.muted,
                    ));
                }
                None => spans.extend(input_spans(&field.input, value_width, text_style, focused)),
            },
            FieldKind::Date => {
                if field.value().is_empty() && !focused {
                    spans.push(Span::styled(text::fit("YYYY-MM-DD", value_width), t.muted));
                } else {
                    spans.extend(input_spans(
                        &field.input,
                        value_width.min(12),
                        text_style,
                        focused,
                    ));
                    spans.push(Span::styled(" YYYY-MM-DD", t.muted));
                }
            }
            FieldKind::Asset => {
                let input_width = value_width.min(20);
                spans.extend(input_spans(&field.input, input_width, text_style, focused));
                let suggestions = asset_suggestions(app.session(), field.value(), 50);
                let note = match suggestions.get(if focused { form.suggestion } else { 0 }) {
                    _ if field.value().trim().is_empty() => "  (none)".to_string(),
                    Some(s) if suggestions.len() > 1 && focused => {
                        format!(
                            "  → {} {}  ({}/{}, Ctrl-n next)",
                            s.id,
                            s.name,
                            form.suggestion + 1,
                            suggestions.len()
                        )
                    }
                    Some(s) => format!("  → {} {}", s.id, s.name),
                    None => "  no asset matches".to_string(),
                };
                // Copied from the selected row: said first, so that it is not the
                // part a narrow screen cuts off.
                let note = match (field.copied_from, suggestions.first()) {
                    (Some(row), Some(s)) => format!("  ← copied from {row}: {}", s.name),
                    (Some(row), None) => format!("  ← copied from {row}"),
                    (None, _) => note,
                };
                let room = value_width.saturating_sub(input_width);
                spans.push(Span::styled(text::truncate(&note, room), t.muted));
            }
            FieldKind::Rating { kind, optional } => {
                let (value, meaning) = match field.rating {
                    Some(1) if focused && form.one_waits() => (
                        " 1".to_string(),
                        format!(
                            "{} · 0 next makes it 10",
                            kind.level_meaning(1).unwrap_or("")
                        ),
                    ),
                    Some(v) => (
                        format!("{v:>2}"),
                        kind.level_meaning(v).unwrap_or("").to_string(),
                    ),
                    None if optional => (
                        " –".to_string(),
                        "not rated (digit sets it, Backspace clears)".into(),
                    ),
                    None => (
                        " ?".to_string(),
                        format!(
                            "type 1-{}",
                            if kind.max() == 10 {
                                "9, 0 = 10".to_string()
                            } else {
                                kind.max().to_string()
                            }
                        ),
                    ),
                };
                spans.push(Span::styled(format!(" {value} "), value_style));
                spans.push(Span::styled(
                    text::truncate(&format!("  {meaning}"), value_width.saturating_sub(4)),
                    t.muted,
                ));
            }
            FieldKind::Choice(_) => {
                spans.push(Span::styled(
                    format!("◂ {} ▸", field.choice_text()),
                    value_style,
                ));
                if focused {
                    spans.push(Span::styled("  ← → or first letter", t.muted));
                }
            }
        }
        Line::from(spans).render(
            Rect::new(inner.x, inner.y + line as u16, inner.width, 1),
            buf,
        );
    }
    let last = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
    match &form.message {
        Some(message) => Line::from(Span::styled(
            text::truncate(&format!(" {message}"), usize::from(inner.width)),
            t.error,
        ))
        .render(last, buf),
        None if form.focused().copied_from.is_some() => {
            let row = form
                .focused()
                .copied_from
                .map(|r| r.to_string())
                .unwrap_or_default();
            Line::from(Span::styled(
                text::truncate(
                    &format!(" copied from {row}: type to replace it, Backspace clears it"),
                    usize::from(inner.width),
                ),
                t.info,
            ))
            .render(last, buf);
        }
        None if form.note.is_some() && !matches!(form.focused().kind, FieldKind::Rating { .. }) => {
            let note = form.note.unwrap_or_default();
            Line::from(Span::styled(
                text::truncate(&format!(" {note}"), usize::from(inner.width)),
                t.muted,
            ))
            .render(last, buf);
        }
        None => {
            if let FieldKind::Rating { kind, .. } = form.focused().kind {
                let bands: Vec<String> = kind
                    .guidance()
                    .iter()
                    .map(|(l, m)| format!("{l} {m}"))
                    .collect();
                let text = format!(" {}: {}", kind.name(), bands.join(" · "));
                Line::from(Span::styled(
                    text::truncate(&text, usize::from(inner.width)),
                    t.muted,
                ))
                .render(last, buf);
            }
        }
    }
}
