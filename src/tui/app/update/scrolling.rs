//! The views that only scroll: the help (Context::Help), the history of a
//! failure mode (Context::History) and the cycle summary (Context::Cycles).
//!
//! How far each may scroll is worked out once, when it opens, moves to another
//! failure mode, or the terminal changes size (`measure`), and kept in its mode:
//! never by building every line again at each key or frame.

use ratatui::layout::Rect;

use super::super::{App, Mode};
use crate::domain::FailureModeId;
use crate::tui::action::Action;
use crate::tui::view::{help, report};

/// Opens the help.
pub(super) fn open_help(app: &mut App) {
    app.mode = Mode::Help { scroll: 0, max: 0 };
    measure(app);
}

/// Opens the history of a failure mode.
pub(super) fn open_history(app: &mut App, id: FailureModeId) {
    app.mode = Mode::History {
        id,
        scroll: 0,
        max: 0,
    };
    measure(app);
}

/// Opens the cycle summary.
pub(super) fn open_cycles(app: &mut App) {
    app.mode = Mode::Cycles { scroll: 0, max: 0 };
    measure(app);
}

/// Works out how far the open help or report scrolls at this size.
pub(super) fn measure(app: &mut App) {
    let area = Rect::new(0, 0, app.width, app.height);
    let furthest = match &app.mode {
        Mode::Help { .. } => help::max_scroll(app.width, app.height),
        Mode::History { id, .. } => {
            report::max_scroll(area, report::history_line_count(app, *id, area))
        }
        Mode::Cycles { .. } => report::max_scroll(area, report::cycle_line_count(app, area)),
        _ => return,
    };
    if let Mode::Help { scroll, max }
    | Mode::History { scroll, max, .. }
    | Mode::Cycles { scroll, max } = &mut app.mode
    {
        *max = furthest;
        *scroll = (*scroll).min(furthest);
    }
}

pub(super) fn help(app: &mut App, action: Action) {
    let page = app.height.saturating_sub(4).max(1);
    let Mode::Help { scroll, max } = &mut app.mode else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = u16::MAX,
        Action::Cancel => {
            app.mode = Mode::Normal;
            return;
        }
        _ => {}
    }
    *scroll = (*scroll).min(*max);
}

pub(super) fn report(app: &mut App, action: Action) {
    let area = Rect::new(0, 0, app.width, app.height);
    let page = report::popup(area).height.saturating_sub(3).max(1);
    // ← → walk the failure modes in the order of the list.
    if let (Mode::History { id, .. }, Action::Left | Action::Right) = (&app.mode, action) {
        let rows = &app.failure_modes.rows;
        let at = rows.iter().position(|r| r == id);
        let next = match (at, action) {
            (Some(i), Action::Left) => i.checked_sub(1),
            (Some(i), _) => (i + 1 < rows.len()).then_some(i + 1),
            (None, _) => None,
        };
        match next.and_then(|i| rows.get(i).copied()) {
            Some(next) => {
                open_history(app, next);
                app.failure_modes.select_id(next);
                app.clamp_views();
            }
            None => app.info("no further failure mode that way in the list"),
        }
        return;
    }
    let (Mode::History { scroll, max, .. } | Mode::Cycles { scroll, max }) = &mut app.mode else {
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
    *scroll = (*scroll).min(*max);
}
