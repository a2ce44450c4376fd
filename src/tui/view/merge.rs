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
use crate::domain::{Conflict, FailureMode, FailureModeId, Side};
use crate::merge::resolve::edited_since;
use crate::terminal_text::one_line;

/// A conflict's value as a line shows it: a whole record is `(edited)`, a
/// record taken away `(deleted)`; the rest as the file keeps it (JSON),
/// hidden characters as visible escapes.
fn value(side: Option<&String>) -> String {
    match side {
        None => "(deleted)".to_string(),
        Some(v) if v.starts_with('{') => "(edited)".to_string(),
        Some(v) => one_line(v).into_owned(),
    }
}

/// One field of a record as the detail shows it: `(deleted)` where the
/// side deleted the whole record, `(absent)` where the record lacks the
/// field, `(present)` for a nested record (a failure mode in a cycle's record
/// on one side only), else its value as the file keeps it.
fn field_value(record: Option<&String>, field: Option<&String>) -> String {
    match (record, field) {
        (None, _) => "(deleted)".to_string(),
        (Some(_), None) => "(absent)".to_string(),
        (Some(_), Some(v)) if v.starts_with('{') => "(present)".to_string(),
        (Some(_), Some(v)) => one_line(v).into_owned(),
    }
}

/// The failure mode a conflict is about, as the session has it now.
fn failure_mode_of<'a>(app: &'a App, c: &Conflict) -> Option<&'a FailureMode> {
    (c.part == "failure_modes")
        .then(|| c.record.parse::<FailureModeId>().ok())
        .flatten()
        .and_then(|id| app.session().failure_mode(id))
}

/// `RPN 450, AP H`: the failure mode with `field` (a rating) set to `value`.
fn with_rating(fm: &FailureMode, field: &str, value: &str) -> Option<String> {
    let value: u8 = value.parse().ok()?;
    let mut rated = fm.clone();
    match field {
        "severity" => rated.severity = value,
        "occurrence" => rated.occurrence = value,
        "detection" => rated.detection = value,
        _ => return None,
    }
    Some(format!("RPN {}, AP {}", rated.rpn(), rated.ap()))
}

/// What the file holds now for a conflict edited since the merge.
fn now_value(now: Option<&String>) -> String {
    match now {
        None => "deleted".to_string(),
        Some(v) if v.starts_with('{') => "edited".to_string(),
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
    // Borders, two header lines, a blank, the detail's title, a blank, keys:
    // the rest is the list's and the detail's. The list gets what it needs
    // (leaving the detail at least its three lines); a record's differences
    // get what is left.
    let selected = conflicts.get(dialog.selected);
    let differences = selected.map(Conflict::differences).unwrap_or_default();
    let room = usize::from(height.saturating_sub(2 + 2 + 1 + 1 + 1 + 2));
    let list_wants = conflicts.len().min(room.saturating_sub(3)).max(1);
    // A record's differences: one line a field where each fits; else each
    // field on lines of its own (base, ours, theirs one under the other, as
    // for a field) where they all fit; else one line a field, cut.
    let spare = room.saturating_sub(list_wants).max(3);
    let stacked = if selected.is_some_and(|c| c.base.is_some()) {
        3
    } else {
        2
    };
    let lines_of = |c: &Conflict, d: &crate::domain::conflict::Difference| {
        let mut values = Vec::new();
        // A record new on both sides (two closes of one cycle) has no base.
        if c.base.is_some() {
            values.push(format!(
                "base {}",
                field_value(c.base.as_ref(), d.base.as_ref())
            ));
        }
        values.push(format!(
            "ours {}",
            field_value(c.ours.as_ref(), d.ours.as_ref())
        ));
        values.push(format!(
            "theirs {}",
            field_value(c.theirs.as_ref(), d.theirs.as_ref())
        ));
        values
    };
    let field_lines: Vec<(String, Vec<String>)> = match selected {
        Some(c) => differences
            .iter()
            .map(|d| (one_line(&d.field).into_owned(), lines_of(c, d)))
            .collect(),
        None => Vec::new(),
    };
    let fits_a_line = field_lines
        .iter()
        .all(|(field, values)| text::width(&format!("  {field}: {}", values.join(" · "))) <= inner);
    let (detail, per_field) = if differences.is_empty() {
        (3, 0)
    } else if !fits_a_line && differences.len() * stacked <= spare {
        (differences.len() * stacked, stacked)
    } else {
        (differences.len().min(spare), 1)
    };
    let rows = room.saturating_sub(detail).max(1);
    let decided = dialog.choices.iter().flatten().count();
    let mut lines = vec![
        Line::from(Span::styled(
            text::truncate(
                "Two branches changed the same things: take ours or theirs for each",
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
        let edited = edited_since(app.session(), conflict);
        let side = |side: Side| {
            let v = value(conflict.value(side).map(str::to_string).as_ref());
            match &edited {
                // Taking the side the file holds keeps what it holds now.
                Some(now) if side == conflict.held => {
                    format!("{v} (now {})", now_value(now.as_ref()))
                }
                _ => v,
            }
        };
        let line = format!(
            "{marker}{taken} {}: ours {} · theirs {}",
            one_line(&conflict.subject()),
            side(Side::Ours),
            side(Side::Theirs)
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
    if let Some(c) = selected {
        let full = |label: &str, v: Option<&String>| {
            let v = v.map_or_else(|| "(none)".to_string(), |v| one_line(v).into_owned());
            Line::from(text::truncate(&format!("{label} {v}"), inner))
        };
        let edited = edited_since(app.session(), c);
        let key = match c.held {
            Side::Ours => "o",
            Side::Theirs => "t",
        };
        let holds = match &edited {
            Some(_) => format!("the file holds {}, edited since the merge", c.held),
            None => format!("the file holds {} until decided", c.held),
        };
        // The failure mode's own words after the rest: what the room knows
        // it by, where the line has room for it.
        let fm = failure_mode_of(app, c);
        let name = fm.map_or_else(String::new, |f| format!(" · {}", one_line(&f.mode)));
        lines.push(Line::from(Span::styled(
            text::truncate(
                &format!("{} — {holds}{name}", one_line(&c.subject())),
                inner,
            ),
            t.header,
        )));
        if differences.is_empty() {
            let now = |side: Side| match &edited {
                Some(now) if side == c.held => {
                    format!(", now {}: {key} keeps that", now_value(now.as_ref()))
                }
                _ => String::new(),
            };
            // A rating: what each value makes of the RPN and the AP.
            let rated = |v: &String| {
                fm.and_then(|f| with_rating(f, &c.field, v))
                    .map_or_else(String::new, |r| format!(" ({r})"))
            };
            lines.push(full("base:  ", c.base.as_ref()));
            let ours = c
                .ours
                .as_ref()
                .map(|v| format!("{v}{}{}", rated(v), now(Side::Ours)));
            let theirs = c
                .theirs
                .as_ref()
                .map(|v| format!("{v}{}{}", rated(v), now(Side::Theirs)));
            lines.push(full("ours:  ", ours.as_ref()));
            lines.push(full("theirs:", theirs.as_ref()));
        } else {
            // A whole record: the fields that differ.
            let shown = if differences.len() > detail {
                detail - 1
            } else {
                differences.len()
            };
            for (field, values) in field_lines.iter().take(shown) {
                if per_field == 1 {
                    let line = format!("  {field}: {}", values.join(" · "));
                    lines.push(Line::from(text::truncate(&line, inner)));
                } else {
                    let indent = " ".repeat(text::width(field) + 4);
                    for (k, value) in values.iter().enumerate() {
                        let line = if k == 0 {
                            format!("  {field}: {value}")
                        } else {
                            format!("{indent}{value}")
                        };
                        lines.push(Line::from(text::truncate(&line, inner)));
                    }
                }
            }
            if differences.len() > shown {
                lines.push(Line::from(Span::styled(
                    text::truncate(
                        &format!(
                            "  … and {} more fields differ (the file keeps both records whole)",
                            differences.len() - shown
                        ),
                        inner,
                    ),
                    t.muted,
                )));
            }
        }
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
