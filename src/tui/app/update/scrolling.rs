//! The views that only scroll: the help (Context::Help), the history of a
//! failure mode (Context::History) and the cycle summary (Context::Cycles).

use super::super::{App, Mode};
use crate::tui::action::Action;

pub(super) fn help(app: &mut App, action: Action) {
    let Mode::Help { scroll } = &mut app.mode else {
        return;
    };
    let page = app.height.saturating_sub(4).max(1);
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = u16::MAX,
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
    // The view clamps the scroll to the text's length.
    if let Mode::Help { scroll } = &mut app.mode {
        *scroll = (*scroll).min(crate::tui::view::help::max_scroll(app.width, app.height));
    }
}

pub(super) fn report(app: &mut App, action: Action) {
    let area = ratatui::layout::Rect::new(0, 0, app.width, app.height);
    let page = crate::tui::view::report::popup(area)
        .height
        .saturating_sub(3)
        .max(1);
    let lines = match &app.mode {
        Mode::History { id, .. } => crate::tui::view::report::history_line_count(app, *id, area),
        _ => crate::tui::view::report::cycle_line_count(app, area),
    };
    let max = crate::tui::view::report::max_scroll(area, lines);
    // ← → walk the failure modes in the order of the list.
    if let (Mode::History { id, scroll }, Action::Left | Action::Right) = (&mut app.mode, action) {
        let rows = &app.failure_modes.rows;
        let at = rows.iter().position(|r| r == id);
        let next = match (at, action) {
            (Some(i), Action::Left) => i.checked_sub(1),
            (Some(i), _) => (i + 1 < rows.len()).then_some(i + 1),
            (None, _) => None,
        };
        match next.and_then(|i| rows.get(i).copied()) {
            Some(next) => {
                *id = next;
                *scroll = 0;
                app.failure_modes.select_id(next);
                app.clamp_views();
            }
            None => app.info("no further failure mode that way in the list"),
        }
        return;
    }
    let (Mode::History { scroll, .. } | Mode::Cycles { scroll }) = &mut app.mode else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Cancel => {
            app.mode = Mode::Normal;
            return;
        }
        _ => {}
    }
    *scroll = (*scroll).min(max);
}
