//! The merge conflicts a `git merge` left in the session (Context::Merge): one
//! line each with the side taken so far (in words, not by colour), the
//! highlighted one with its base, ours and theirs in full below, and the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::super::app::{App, MergeDialog};
use super::super::keymap::{self, Context};
use super::text;
use crate::domain::{Conflict, Side};
use crate::terminal_text::one_line;

/// A conflict's value as a line shows it: a whole record is `(edited)`, a
/// record taken away `(deleted)`; the rest as the file keeps it (JSON),
/// hidden characters as visible escapes.
fn value(conflict: &Conflict, side: Option<&String>) -> String {
    match side {
        None => "(deleted)".to_string(),
        Some(v) if conflict.field.is_empty() && v.starts_with('{') => "(edited)".to_string(),
        Some(v) => one_line(v).into_owned(),
    }
}

/// The first row of the list shown, so that the highlighted one is on screen.
fn first_row(selected: usize, rows: usize) -> usize {
    selected.saturating_sub(rows.saturating_sub(1))
}

pub fn render(app: &App, dialog: &MergeDialog, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let conflicts = &app.session().conflicts;
    let width = area.width.saturating_sub(2).min(110);
    let inner = usize::from(width.saturating_sub(2));
    let height = area.height.saturating_sub(2).min(30);
    // Borders, two header lines, a blank, four detail lines, a blank, keys.
    let rows = usize::from(height.saturating_sub(2 + 2 + 1 + 4 + 1 + 2)).max(1);
    let decided = dialog.choices.iter().flatten().count();
    let mut lines = vec![
        Line::from(Span::styled(
            text::truncate(
                "git merged two branches that changed the same thing: take ours or theirs for each",
                inner,
            ),
            t.header,
        )),
        Line::from(Span::styled(
            text::truncate(
                &format!(
                    "{decided} of {} decided; Enter takes them all once each has its side",
                    conflicts.len()
                ),
                inner,
            ),
            t.muted,
        )),
    ];
    let first = first_row(dialog.selected, rows);
    for (i, (conflict, choice)) in conflicts
        .iter()
        .zip(&dialog.choices)
        .enumerate()
        .skip(first)
        .take(rows)
    {
        let taken = match choice {
            Some(Side::Ours) => "[ours]  ",
            Some(Side::Theirs) => "[theirs]",
            None => "[ ?  ]  ",
        };
        let marker = if i == dialog.selected { "▶ " } else { "  " };
        let line = format!(
            "{marker}{taken} {}: ours {} · theirs {}",
            one_line(&conflict.subject()),
            value(conflict, conflict.ours.as_ref()),
            value(conflict, conflict.theirs.as_ref())
        );
        let style = if i == dialog.selected {
            t.selected
        } else {
            t.base
        };
        lines.push(Line::from(Span::styled(
            text::truncate(&line, inner),
            style,
        )));
    }
    lines.push(Line::default());
    if let Some(c) = conflicts.get(dialog.selected) {
        let full = |label: &str, v: Option<&String>| {
            let v = v.map_or_else(|| "(none)".to_string(), |v| one_line(v).into_owned());
            Line::from(text::truncate(&format!("{label} {v}"), inner))
        };
        lines.push(Line::from(Span::styled(
            text::truncate(
                &format!(
                    "{} — the file holds {} until decided",
                    one_line(&c.subject()),
                    c.held
                ),
                inner,
            ),
            t.header,
        )));
        lines.push(full("base:  ", c.base.as_ref()));
        lines.push(full("ours:  ", c.ours.as_ref()));
        lines.push(full("theirs:", c.theirs.as_ref()));
    }
    lines.push(Line::default());
    let keys: Vec<Span> = keymap::BINDINGS
        .iter()
        .filter(|b| b.context == Context::Merge)
        .filter_map(|b| b.hint.map(|hint| (b, hint)))
        .flat_map(|(b, hint)| {
            [
                Span::styled(format!(" {} ", b.first_key_text()), t.key),
                Span::raw(format!(" {hint}  ")),
            ]
        })
        .collect();
    lines.push(Line::from(keys));
    let tall = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = super::centred(area, width, tall.min(height));
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Merge conflicts ")
        .style(t.dialog)
        .border_style(t.border_focused);
    Paragraph::new(lines).block(block).render(rect, buf);
}
