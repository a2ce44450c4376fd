//! The top line: session title, PDCA circle with the current stage in brackets,
//! and whether everything is on disk.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::app::App;
use super::text;
use crate::domain::Stage;

/// The save state in words: never only a colour.
pub fn save_badge(app: &App) -> (String, ratatui::style::Style) {
    let t = app.theme();
    if let Some(reason) = &app.read_only_reason() {
        let _ = reason;
        return (" READ-ONLY ".into(), t.read_only);
    }
    if app.save().last_error.is_some() && !app.save().is_saved() {
        return (" ✗ NOT SAVED ".into(), t.error);
    }
    if app.save().is_saved() {
        (" ✓ saved ".into(), t.saved)
    } else {
        (" ● unsaved ".into(), t.unsaved)
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    buf.set_style(area, t.title);
    let pdca = &app.session().pdca;
    let mut circle: Vec<Span> = Vec::new();
    for (i, stage) in Stage::ALL.iter().enumerate() {
        if i > 0 {
            circle.push(Span::styled(" → ", t.stage));
        }
        if *stage == pdca.stage {
            circle.push(Span::styled(
                format!("[{}]", stage.name().to_uppercase()),
                t.stage_current,
            ));
        } else {
            circle.push(Span::styled(stage.name(), t.stage));
        }
    }
    circle.push(Span::styled(format!(" ↻ cycle {} ", pdca.cycle), t.stage));
    let circle_width: usize = circle.iter().map(|s| s.width()).sum();
    // A follower's badge says whom it follows and how fresh it is; the
    // facilitator's save badge says how many follow beside it.
    let room = usize::from(area.width).saturating_sub(circle_width + 12);
    match super::room::badge(app, room) {
        Some((badge, style)) if matches!(app.room(), crate::tui::app::room::Room::Following(_)) => {
            circle.push(Span::styled(badge, style));
        }
        following => {
            // Conflicts a merge left, undecided: said until they are decided,
            // not only in a message that the next key clears.
            let conflicts = app.session().conflicts.len();
            if conflicts > 0 {
                circle.push(Span::styled(
                    format!(
                        " ⚠ {conflicts} conflict{} (M) ",
                        if conflicts == 1 { "" } else { "s" }
                    ),
                    t.error,
                ));
            }
            let (badge, badge_style) = save_badge(app);
            circle.push(Span::styled(badge, badge_style));
            if let Some((badge, style)) = following {
                circle.push(Span::styled(badge, style));
            }
        }
    }
    // In the programme view the roadmap's phase sits beside the PDCA line,
    // where the title keeps a readable width.
    if let Some(note) = super::programme::title_note(app) {
        let needed = Line::from(circle.clone()).width() + text::width(&note) + 24;
        if usize::from(area.width) >= needed {
            circle.insert(0, Span::styled(note, t.stage));
        }
    }
    let right = Line::from(circle);
    let right_width = right.width() as u16;

    let title_room = usize::from(area.width.saturating_sub(right_width + 2));
    let title = format!(" {}", text::truncate(&app.session().title, title_room));
    Line::from(Span::styled(title, t.title)).render(area, buf);
    let x = area.x + area.width.saturating_sub(right_width);
    right.render(Rect::new(x, area.y, right_width.min(area.width), 1), buf);
}
