//! The Annex A picker: a search field, the list (linked controls by group while
//! the search is empty, matches otherwise), the highlighted control in full, and
//! what Enter does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::super::annex;
use super::super::app::{App, ControlsDialog, MessageKind};
use super::form::input_spans;
use super::text;
use crate::domain::{Control, Edition, catalogue};

/// Columns of a row: marker, state, ID, title, group.
const STATE: usize = 9;
const ID: usize = 9;
const GROUP: usize = 12;

/// Where the picker goes: between the title bar and the footer, centred.
pub fn popup(area: Rect) -> Rect {
    let room = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    );
    super::centred(
        room,
        room.width.saturating_sub(2).min(110),
        room.height.min(26),
    )
}

/// How many rows of the list fit in the picker at this size.
pub fn list_rows(area: Rect) -> usize {
    // Borders, search field, list header, detail and key lines.
    usize::from(popup(area).height.saturating_sub(2 + 2 + 2))
}

/// The first row shown, so that the highlighted one is on screen.
pub fn first_row(selected: usize, rows: usize) -> usize {
    selected.saturating_sub(rows.saturating_sub(1))
}

/// `A.9.4.2 (2013), now: A.8.5 Secure authentication · Access control · group Software`
pub fn describe(control: &Control) -> String {
    let others: Vec<String> = control
        .counterparts
        .iter()
        .map(|id| match catalogue().get(id) {
            Some(c) => format!("{} {}", c.id, c.title),
            None => id.clone(),
        })
        .collect();
    let other_edition = match control.edition {
        Edition::Iso2022 if others.is_empty() => "new in 2022".to_string(),
        Edition::Iso2022 => format!("in 2013: {}", control.counterparts.join(", ")),
        Edition::Iso2013 => format!("now: {}", others.join("; ")),
    };
    format!(
        "{} ({}), {other_edition} · {} · group {}",
        control.id,
        control.edition.year(),
        control.section_title,
        control.group.name(),
    )
}

pub fn render(app: &App, dialog: &ControlsDialog, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let popup = popup(area);
    if popup.height < 4 || popup.width < 20 {
        return;
    }
    Clear.render(popup, buf);
    let fm = app.session().failure_mode(dialog.id);
    let title = match fm {
        Some(fm) => format!(" Annex A controls · {} {} ", fm.id, fm.mode),
        None => " Annex A controls ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(text::truncate(
            &title,
            usize::from(popup.width.saturating_sub(4)),
        ))
        .style(t.dialog)
        .border_style(t.border_focused);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let width = usize::from(inner.width);
    let line_at = |n: u16| Rect::new(inner.x, inner.y + n, inner.width, 1);

    // The search field.
    let label = "Search ";
    let mut spans = vec![Span::styled(label, t.header)];
    spans.extend(input_spans(
        &dialog.query,
        width.saturating_sub(label.len() + 1).min(40),
        t.input_focused,
        true,
    ));
    spans.push(Span::styled(
        text::truncate("  an ID (8.5, A.9.4.2) or words", width.saturating_sub(48)),
        t.muted,
    ));
    Line::from(spans).render(line_at(0), buf);

    let rows = annex::rows(app.session(), dialog);
    let searching = !dialog.query.value().trim().is_empty();
    let title_width = width.saturating_sub(2 + STATE + 1 + ID + 1 + 1 + GROUP);
    let heading = if searching {
        format!(
            "{} match{}",
            rows.len(),
            if rows.len() == 1 { "" } else { "es" }
        )
    } else {
        format!("Linked to {} ({}), by control group", dialog.id, rows.len())
    };
    Line::from(vec![Span::styled(
        format!(
            "  {} {} {} {}",
            text::fit("State", STATE),
            text::fit("Control", ID),
            text::fit(&heading, title_width),
            text::fit("Group", GROUP)
        ),
        t.header,
    )])
    .render(line_at(1), buf);

    let list_height = usize::from(inner.height.saturating_sub(4));
    if rows.is_empty() && list_height > 0 {
        let empty = if searching {
            "No control matches: try an ID such as 8.5 or A.9.4.2, or one word."
        } else {
            "No Annex A control linked yet: type an ID (8.5) or words (authentication)."
        };
        Line::from(Span::styled(
            text::truncate(&format!("  {empty}"), width),
            t.muted,
        ))
        .render(line_at(2), buf);
    }
    let first = first_row(dialog.selected, list_height);
    for (line, (index, control)) in rows
        .iter()
        .enumerate()
        .skip(first)
        .take(list_height)
        .enumerate()
    {
        let selected = index == dialog.selected;
        let state = fm.and_then(|f| f.link(&control.id));
        let style = if selected {
            t.selected
        } else {
            Style::default()
        };
        let title = match control.edition {
            Edition::Iso2022 => control.title.clone(),
            Edition::Iso2013 => format!("{} (2013)", control.title),
        };
        let spans = vec![
            Span::styled(if selected { "▶ " } else { "  " }, style),
            Span::styled(
                text::fit(state.map_or("", |s| s.name()), STATE),
                style.patch(t.header),
            ),
            Span::styled(" ", style),
            Span::styled(text::fit(&control.id, ID), style),
            Span::styled(" ", style),
            Span::styled(text::fit(&title, title_width), style),
            Span::styled(" ", style),
            Span::styled(text::fit(control.group.short_name(), GROUP), style),
        ];
        let area = line_at(2 + line as u16);
        buf.set_style(area, style);
        Line::from(spans).render(area, buf);
    }

    // The highlighted control in full, then what the keys do (or what just happened).
    let detail = rows
        .get(dialog.selected)
        .map(|c| describe(c))
        .unwrap_or_default();
    Line::from(Span::styled(text::truncate(&detail, width), t.muted))
        .render(line_at(inner.height.saturating_sub(2)), buf);
    let last = line_at(inner.height.saturating_sub(1));
    match &app.message() {
        Some(message) => {
            let style = match message.kind {
                MessageKind::Info => t.info,
                MessageKind::Error => t.error,
            };
            Line::from(Span::styled(text::truncate(&message.text, width), style)).render(last, buf);
        }
        None => Line::from(vec![
            Span::styled(" Enter ", t.key),
            Span::raw(text::truncate(
                " not linked → existing → planned → not linked   ",
                width.saturating_sub(7 + 11),
            )),
            Span::styled(" Esc ", t.key),
            Span::raw(" close"),
        ])
        .render(last, buf),
    }
}
