//! The two bottom lines: the detail line (a message, the filter being typed, or
//! the full text of the cell under the cursor) and the key hints, which come from
//! the same keymap as the keys themselves.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::action::Action;
use super::super::app::{App, MessageKind, Mode};
use super::super::keymap;
use super::super::pane::{Column, Pane};
use super::tables::{OVERDUE, UNDECIDED};
use super::text;
use crate::domain::annex_a::describe_links;
use crate::domain::{Decision, FailureMode};

/// `: RPN 288 is at or above the threshold (RPN ≥ 200 or AP H), ? decide`, or "".
fn threshold_note(app: &App, fm: &FailureMode) -> String {
    let threshold = app.session().threshold;
    if threshold.needs_decision(fm) {
        format!(
            " · {UNDECIDED} RPN {} AP {} reaches the threshold ({threshold}): the room must decide",
            fm.rpn(),
            fm.ap()
        )
    } else {
        String::new()
    }
}

/// ` · ! overdue by 23 days`, ` · due in 5 days`, or "".
fn due_note(app: &App, fm: &FailureMode) -> String {
    let t = &fm.treatment;
    let Some(due) = t.due else {
        return String::new();
    };
    if t.status.is_closed() {
        return String::new();
    }
    let today = app.clock().today();
    let days = (due - today).get_days();
    let plural = |n: i32| if n.abs() == 1 { "" } else { "s" };
    if t.is_overdue(today) {
        format!(" · {OVERDUE} overdue by {} day{}", -days, plural(days))
    } else if days == 0 {
        " · due today".to_string()
    } else {
        format!(" · due in {days} day{}", plural(days))
    }
}

/// What the detail line says about the selected cell, when there is no message.
pub fn cell_detail(app: &App) -> Option<String> {
    if let Some(view) = app.programme() {
        return Some(super::programme::detail(view));
    }
    match app.mode() {
        Mode::Matrix => {
            let room = usize::from(app.width()).saturating_sub(1);
            return Some(super::matrix::cell_summary(app, room));
        }
        Mode::Focus(_) => return None,
        _ => {}
    }
    match app.focus() {
        Pane::Assets => {
            let asset = app.session().asset(app.assets().selected_id()?)?;
            let column = app.assets().column;
            let what = match column {
                Column::C | Column::I | Column::A => {
                    let kind = column.rating()?;
                    let value = asset.rating(kind)?;
                    format!(
                        "{} {value}: {}",
                        kind.name(),
                        kind.level_meaning(value).unwrap_or("")
                    )
                }
                Column::ClassValue | Column::ClassRank => format!(
                    "class {} (C{} x I{} x A{} = {}): {}",
                    asset.class_rank(),
                    asset.confidentiality,
                    asset.integrity,
                    asset.availability,
                    asset.class_value(),
                    asset.class_rank().meaning()
                ),
                Column::Category => format!("category: {}", asset.category),
                Column::Owner => format!("owner: {}", asset.owner),
                _ => {
                    // Empty owner or location are left out, not shown as "· ·".
                    let mut parts = vec![asset.name.clone(), asset.category.to_string()];
                    if !asset.owner.trim().is_empty() {
                        parts.push(format!("owner {}", asset.owner));
                    }
                    if !asset.location.trim().is_empty() {
                        parts.push(asset.location.clone());
                    }
                    parts.join(" · ")
                }
            };
            Some(format!("{} · {what}", asset.id))
        }
        Pane::FailureModes => {
            let fm = app
                .session()
                .failure_mode(app.failure_modes().selected_id()?)?;
            let column = app.failure_modes().column;
            let what = match column {
                Column::S | Column::O | Column::D => {
                    let kind = column.rating()?;
                    let value = fm.rating(kind)?;
                    format!(
                        "{} {value}: {}",
                        kind.name(),
                        kind.level_meaning(value).unwrap_or("")
                    )
                }
                Column::Rpn | Column::Ap => format!(
                    "S{} x O{} x D{} = RPN {}, action priority {} ({})",
                    fm.severity,
                    fm.occurrence,
                    fm.detection,
                    fm.rpn(),
                    fm.ap(),
                    fm.ap().name()
                ),
                Column::Asset => match fm.asset.and_then(|id| app.session().asset(id)) {
                    Some(a) => format!("asset {} {} (class {})", a.id, a.name, a.class_rank()),
                    None => "no asset".into(),
                },
                Column::Process => match fm.process.and_then(|id| app.session().process(id)) {
                    Some(p) => {
                        let mut parts = vec![format!("process {}", p.name)];
                        if !p.owner.trim().is_empty() {
                            parts.push(format!("owner {}", p.owner));
                        }
                        if !p.team.is_empty() {
                            parts.push(format!("team {}", p.team.join(", ")));
                        }
                        parts.push("W its form, b filters by process".into());
                        parts.join(" · ")
                    }
                    None => "no process (e sets one)".into(),
                },
                Column::Effect => format!("effect: {}", fm.effect),
                Column::Status => {
                    let t = &fm.treatment;
                    if t.is_empty() {
                        format!("no treatment yet (e edits){}", threshold_note(app, fm))
                    } else {
                        let mut parts = vec![t.decision.to_string(), t.status.to_string()];
                        if !t.action.trim().is_empty() {
                            parts.push(t.action.clone());
                        }
                        if !t.owner.trim().is_empty() {
                            parts.push(format!("owner {}", t.owner));
                        }
                        if fm.sign_off.is_some() || app.session().threshold.needs_sign_off(fm) {
                            parts.push(super::record::sign_off_sentence(app.session(), fm));
                        }
                        format!("{}{}", parts.join(" · "), due_note(app, fm))
                    }
                }
                Column::Decision => match fm.treatment.decision {
                    Decision::Undecided => format!("no decision yet{}", threshold_note(app, fm)),
                    decision => format!(
                        "decision {decision} · {}",
                        super::record::sign_off_sentence(app.session(), fm)
                    ),
                },
                Column::TreatmentOwner if fm.treatment.owner.trim().is_empty() => {
                    "no action owner yet (Enter edits; o filters by owner)".into()
                }
                Column::TreatmentOwner => format!("action owner: {}", fm.treatment.owner),
                Column::Action => format!("action: {}", fm.treatment.action),
                Column::Due => match fm.treatment.due {
                    Some(due) => format!("due {due}{}", due_note(app, fm)),
                    None => "no due date (Enter edits)".into(),
                },
                Column::TreatmentStatus => {
                    let t = &fm.treatment;
                    if t.action_taken.trim().is_empty() {
                        format!("status {}{}", t.status, due_note(app, fm))
                    } else {
                        format!("status {}; action taken: {}", t.status, t.action_taken)
                    }
                }
                Column::ResidualRpn | Column::ApChange => match fm.residual() {
                    Some(r) => format!(
                        "now S{} O{} D{} = RPN {} ({}) → after the treatment S{} O{} D{} = RPN {} ({}){}",
                        fm.severity,
                        fm.occurrence,
                        fm.detection,
                        fm.rpn(),
                        fm.ap(),
                        r.severity,
                        r.occurrence,
                        r.detection,
                        r.rpn(),
                        r.ap(),
                        super::record::residual_sources_note(fm)
                    ),
                    None => "no revised ratings yet: Enter edits Revised S, O, D".into(),
                },
                Column::Mode if app.treatment_view() => {
                    if fm.annex_a.is_empty() {
                        format!("{} · no Annex A control linked (A links)", fm.mode)
                    } else {
                        format!("Annex A: {}", describe_links(&fm.annex_a))
                    }
                }
                _ if app.treatment_view() && !fm.annex_a.is_empty() => {
                    format!("Annex A: {}", describe_links(&fm.annex_a))
                }
                _ => format!("{} → {}", fm.mode, fm.effect),
            };
            Some(format!("{} · {what}", fm.id))
        }
    }
}

pub fn render_detail(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = usize::from(area.width);
    let line = if let Mode::Filter(input) = &app.mode() {
        let shown = match app.focus() {
            Pane::Assets => app.assets().rows.len(),
            Pane::FailureModes => app.failure_modes().rows.len(),
        };
        let prefix = "/ ";
        let suffix = format!("  ({shown} shown)");
        let room = width.saturating_sub(prefix.len() + suffix.len() + 1);
        let spans = super::form::input_spans(input, room, t.input_focused, true);
        let mut all = vec![Span::styled(prefix, t.key)];
        all.extend(spans);
        all.push(Span::styled(suffix, t.muted));
        Line::from(all)
    } else if let Some(message) = &app.message() {
        let style = match message.kind {
            MessageKind::Info => t.info,
            MessageKind::Error => t.error,
        };
        Line::from(Span::styled(
            text::truncate(&format!(" {}", message.text), width),
            style,
        ))
    } else {
        match cell_detail(app) {
            Some(detail) => Line::from(Span::styled(
                text::truncate(&format!(" {detail}"), width),
                t.muted,
            )),
            None => Line::default(),
        }
    };
    line.render(area, buf);
}

fn is_scroll(action: crate::tui::action::Action) -> bool {
    use crate::tui::action::Action;
    matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
    )
}

/// Whether the help or report on screen is longer than its box: if not, the
/// footer does not offer to scroll it.
fn can_scroll(app: &App) -> bool {
    match app.mode() {
        Mode::Help { max, .. }
        | Mode::History { max, .. }
        | Mode::Cycles { max, .. }
        | Mode::Log { max, .. } => *max > 0,
        _ => true,
    }
}

pub fn render_hints(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    // A new record still unrated: Enter takes the form to its first rating.
    let to_ratings = matches!(app.mode(), Mode::Form(form) if form.enter_goes_to_ratings());
    let word = |b: &keymap::Binding| match b.ratings_hint {
        Some(word) if to_ratings => Some(word),
        _ => b.hint_in(app.treatment_view()),
    };
    let width = usize::from(area.width);
    // Read-only: no hints for keys that would be refused.
    let scrolls = can_scroll(app);
    let bindings: Vec<&keymap::Binding> =
        keymap::hint_bindings(app.context(), app.treatment_view())
            .filter(|b| app.read_only_reason().is_none() || !b.edits())
            // A follower writes nothing at all, exports neither.
            .filter(|b| !(app.is_follower() && matches!(b.action, Action::Export | Action::Import)))
            .filter(|b| scrolls || !is_scroll(b.action))
            .collect();
    let cost = |b: &keymap::Binding| {
        text::width(&b.first_key_text()) + text::width(word(b).unwrap_or("")) + 3
    };
    // Keep the most used keys that fit, then show them in the keymap's order.
    let mut by_priority: Vec<usize> = (0..bindings.len()).collect();
    by_priority.sort_by_key(|&i| keymap::hint_priority(bindings[i].action));
    let mut shown = vec![false; bindings.len()];
    let mut used = 1;
    for i in by_priority {
        if used + cost(bindings[i]) <= width {
            used += cost(bindings[i]);
            shown[i] = true;
        }
    }
    // Help and quit (or close) go at the right, the others from the left.
    let pinned = |b: &keymap::Binding| {
        matches!(
            word(b),
            Some("help" | "quit" | "cancel" | "close" | "back" | "later")
        )
    };
    let mut left = vec![Span::raw(" ")];
    let mut right = Vec::new();
    for (b, _) in bindings.iter().zip(&shown).filter(|(_, s)| **s) {
        let spans = [
            Span::styled(format!(" {} ", b.first_key_text()), t.key),
            Span::styled(format!("{} ", word(b).unwrap_or("")), t.hint),
        ];
        if pinned(b) {
            right.extend(spans)
        } else {
            left.extend(spans)
        }
    }
    left.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    left.extend(right);
    Line::from(left).render(area, buf);
}
