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
    let (badge, badge_style) = save_badge(app);
    circle.push(Span::styled(badge, badge_style));
    let right = Line::from(circle);
    let right_width = right.width() as u16;

    let title_room = usize::from(area.width.saturating_sub(right_width + 2));
    let title = format!(" {}", text::truncate(&app.session().title, title_room));
    Line::from(Span::styled(title, t.title)).render(area, buf);
    let x = area.x + area.width.saturating_sub(right_width);
    right.render(Rect::new(x, area.y, right_width.min(area.width), 1), buf);
}
