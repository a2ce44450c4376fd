//! The room's record on the screen: the session's details and participants
//! (`D`), the sign-off dialog (`Y`) and the decision log (`L`). Pure drawing;
//! every text from the file goes through `text::` (cell-safe, width-correct).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::super::app::{App, SignOffDialog};
use super::report::{date, popup};
use super::text;
use crate::domain::log::{Event, FieldChange, LogEntry, Via};
use crate::domain::sign_off::SignOffKind;
use crate::domain::{FailureMode, FailureModeId, ResidualSource, Session};
use crate::tui::form::DETAIL_FIELDS;

/// The sign of a sign-off that still holds.
pub const SIGNED: char = '✓';
/// The sign of a sign-off whose risk changed since: it needs re-approval.
pub const REAPPROVE: char = '↻';
/// The sign of a failure mode accepted at or above the threshold without
/// the risk owner's acceptance.
pub const UNSIGNED: char = '⚑';

/// The state of a failure mode's sign-off in a few cells, with its sign, for
/// the treatment view: `✓ Mei Ling Chan`, `↻ re-approve`, `⚑ sign-off`, or
/// `None` when there is nothing to say.
pub fn sign_off_cell(session: &Session, fm: &FailureMode) -> Option<(String, bool)> {
    match fm.sign_off.as_deref() {
        Some(s) if s.needs_reapproval(fm) => Some((format!("{REAPPROVE} re-approve"), true)),
        Some(s) => Some((format!("{SIGNED} {}", s.by), false)),
        None if session.threshold.needs_sign_off(fm) => {
            Some((format!("{UNSIGNED} sign-off"), true))
        }
        None => None,
    }
}

/// `↻ 1 needs re-approval`, `⚑ 2 accepted without sign-off` for the
/// treatment view's title. A pass over the failure modes, but only over a
/// field of each: cheap beside drawing a row.
pub fn sign_off_counts(session: &Session) -> Vec<String> {
    let (mut stale, mut unsigned) = (0, 0);
    for fm in &session.failure_modes {
        match fm.sign_off.as_deref() {
            Some(s) if s.needs_reapproval(fm) => stale += 1,
            _ if session.threshold.needs_sign_off(fm) => unsigned += 1,
            _ => {}
        }
    }
    let mut parts = Vec::new();
    if stale > 0 {
        parts.push(format!(
            "{REAPPROVE} {stale} need{} re-approval",
            if stale == 1 { "s" } else { "" }
        ));
    }
    if unsigned > 0 {
        parts.push(format!("{UNSIGNED} {unsigned} accepted without sign-off"));
    }
    parts
}

/// ` (S revised, O and D carried from now)`: where the residual ratings come from.
pub fn residual_sources_note(fm: &FailureMode) -> String {
    let Some(sources) = fm.residual_sources() else {
        return String::new();
    };
    let pick = |want: ResidualSource| {
        ["S", "O", "D"]
            .iter()
            .zip(sources)
            .filter(|(_, s)| *s == want)
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (revised, carried) = (pick(ResidualSource::Revised), pick(ResidualSource::Carried));
    if carried.is_empty() {
        " (all revised by the room)".into()
    } else {
        format!(" (revised by the room: {revised}; carried from now: {carried})")
    }
}

/// The sign-off in a sentence, for the detail line and the dialog.
pub fn sign_off_sentence(session: &Session, fm: &FailureMode) -> String {
    match fm.sign_off.as_deref() {
        Some(s) => {
            let signed = format!("{} {} on {}", session.signer(s), s.kind.name(), date(s.at));
            let since = s.changes_since(fm);
            if since.is_empty() {
                format!("{SIGNED} {signed}")
            } else {
                // What changed first: on a narrow screen it is what must show.
                let what: Vec<String> = since.iter().map(ToString::to_string).collect();
                format!(
                    "{REAPPROVE} needs re-approval: {} since {signed} (Y signs again)",
                    what.join(", ")
                )
            }
        }
        None if session.threshold.needs_sign_off(fm) => format!(
            "{UNSIGNED} Accept at or above the threshold ({}) without the risk owner's acceptance: Y signs off",
            session.threshold
        ),
        None => "not signed off (Y: a participant accepts or approves)".into(),
    }
}

fn boxed<'a>(app: &App, title: &str, bottom: &'a str, width: u16) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(text::truncate(
            &format!(" {title} "),
            usize::from(width.saturating_sub(4)),
        ))
        .title_bottom(bottom)
        .style(app.theme().dialog)
        .border_style(app.theme().border_focused)
}

// D: the details and participants.

pub fn render_details(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let s = app.session();
    // The line under the box stays: it answers the keys (marked here, taken
    // off the list, what cannot be done).
    let mut popup = popup(area);
    popup.height = popup.height.saturating_sub(1);
    Clear.render(popup, buf);
    let block = boxed(app, "Session details and participants", "", popup.width);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let width = usize::from(inner.width);
    let rows = DETAIL_FIELDS.len() + s.participants.len();
    let selected = selected.min(rows.saturating_sub(1));
    let marker = |row: usize| if row == selected { "▶ " } else { "  " };
    let style = |row: usize| {
        if row == selected {
            t.selected
        } else {
            Style::default()
        }
    };
    let dates = if s.dates.is_empty() {
        "–".to_string()
    } else {
        s.dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let values = [
        ("Title", s.title.as_str()),
        ("Organisation", s.organisation.as_str()),
        ("Scope (4.3)", s.scope.as_str()),
        ("Facilitator", s.facilitator.as_str()),
        ("Workshop dates", dates.as_str()),
    ];
    let mut lines = Vec::new();
    for (row, (label, value)) in values.iter().enumerate() {
        let value = if value.trim().is_empty() {
            "–"
        } else {
            value
        };
        lines.push(Line::from(vec![
            Span::styled(marker(row), t.border_focused),
            Span::styled(format!("{} ", text::fit(label, 15)), t.header),
            Span::styled(text::fit(value, width.saturating_sub(18)), style(row)),
        ]));
    }
    lines.push(Line::default());
    let here = s.participants.iter().filter(|p| p.present).count();
    lines.push(Line::from(Span::styled(
        text::truncate(
            &format!(
                "Participants: {} on the list, {here} here today",
                s.participants.len()
            ),
            width,
        ),
        t.header,
    )));
    let name_width = (width.saturating_sub(10) / 2).clamp(8, 32);
    let role_width = width.saturating_sub(10 + name_width + 1);
    lines.push(Line::from(Span::styled(
        format!(
            "  Here {} {}",
            text::fit("Name", name_width),
            text::fit("Role", role_width)
        ),
        t.muted,
    )));
    if s.participants.is_empty() {
        lines.push(Line::from(Span::styled(
            "  nobody yet: a adds a participant",
            t.muted,
        )));
    }
    // The participants that fit, keeping the selected one in view.
    let room = usize::from(inner.height).saturating_sub(lines.len()).max(1);
    let at = selected.saturating_sub(DETAIL_FIELDS.len());
    let first = if selected < DETAIL_FIELDS.len() {
        0
    } else {
        at.saturating_sub(room - 1)
    };
    for (i, p) in s.participants.iter().enumerate().skip(first).take(room) {
        let row = DETAIL_FIELDS.len() + i;
        lines.push(Line::from(vec![
            Span::styled(marker(row), t.border_focused),
            Span::styled(
                format!(
                    "{}  {} {}",
                    if p.present { "[x]" } else { "[ ]" },
                    text::fit(&p.name, name_width),
                    text::fit(if p.role.is_empty() { "–" } else { &p.role }, role_width)
                ),
                style(row),
            ),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);
}

// Y: the sign-off dialog.

pub fn render_sign_off(app: &App, dialog: &SignOffDialog, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let s = app.session();
    let Some(fm) = s.failure_mode(dialog.id) else {
        return;
    };
    let room = popup(area);
    let people = s.participants.len();
    let wanted = (9 + people).min(usize::from(room.height)) as u16;
    let popup = super::centred(room, room.width.saturating_sub(4).min(100), wanted);
    Clear.render(popup, buf);
    let block = boxed(
        app,
        &format!("Risk acceptance sign-off of {}", fm.id),
        " Enter signs · ←→ kind · r revokes · Esc ",
        popup.width,
    );
    let inner = block.inner(popup);
    block.render(popup, buf);
    let width = usize::from(inner.width);
    let residual = match fm.residual() {
        Some(r) => format!(
            "residual S{} O{} D{} = {}",
            r.severity,
            r.occurrence,
            r.detection,
            r.rpn()
        ),
        None => "no residual ratings".into(),
    };
    let mut lines = vec![
        Line::from(Span::styled(
            text::truncate(&format!("{} {}", fm.id, fm.mode), width),
            t.header,
        )),
        Line::from(text::truncate(
            &format!(
                "{} · S{} O{} D{} = RPN {} · {residual}",
                fm.treatment.decision,
                fm.severity,
                fm.occurrence,
                fm.detection,
                fm.rpn()
            ),
            width,
        )),
    ];
    for part in text::wrap(&sign_off_sentence(s, fm), width)
        .into_iter()
        .take(2)
    {
        lines.push(Line::from(part));
    }
    lines.push(Line::default());
    let kinds: Vec<Span> = SignOffKind::ALL
        .iter()
        .flat_map(|k| {
            let chosen = *k == dialog.kind;
            [
                Span::styled(
                    format!("{} {}", if chosen { "(•)" } else { "( )" }, k.name()),
                    if chosen { t.selected } else { Style::default() },
                ),
                Span::raw("  "),
            ]
        })
        .collect();
    lines.push(Line::from(kinds));
    lines.push(Line::from(Span::styled("Who signs:", t.header)));
    let room = usize::from(inner.height).saturating_sub(lines.len()).max(1);
    let first = dialog.selected.saturating_sub(room - 1);
    let name_width = (width.saturating_sub(12) / 2).clamp(8, 32);
    for (i, p) in s.participants.iter().enumerate().skip(first).take(room) {
        let chosen = i == dialog.selected;
        lines.push(Line::from(vec![
            Span::styled(if chosen { "▶ " } else { "  " }, t.border_focused),
            Span::styled(
                text::fit(
                    &format!(
                        "{} {} {}",
                        text::fit(&p.name, name_width),
                        if p.present { "here" } else { "away" },
                        if p.role.is_empty() { "–" } else { &p.role },
                    ),
                    width.saturating_sub(2),
                ),
                if chosen { t.selected } else { Style::default() },
            ),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);
}

// L: the decision log.

fn change_text(c: &FieldChange) -> String {
    let value = |v: &str| {
        if v.is_empty() {
            "–".to_string()
        } else {
            v.to_string()
        }
    };
    if c.from.is_empty() {
        format!("{} → {}", c.field.name(), value(&c.to))
    } else {
        format!("{} {} → {}", c.field.name(), value(&c.from), value(&c.to))
    }
}

/// What an entry says, in one sentence.
pub fn event_text(event: &Event) -> String {
    let on = |fm: &Option<FailureModeId>| match fm {
        Some(id) => format!(" on {id}"),
        None => String::new(),
    };
    match event {
        Event::Treatment { fm, changes } => format!(
            "{fm} {}",
            changes
                .iter()
                .map(change_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::Stage { from, to } => format!("stage {from} → {to}"),
        Event::CycleClosed { cycle } => format!("cycle {cycle} closed; the next one begins"),
        Event::CycleReopened { cycle } => format!("cycle {cycle} open again"),
        Event::SignedOff { fm, sign_off } => {
            let role = if sign_off.role.is_empty() {
                String::new()
            } else {
                format!(" ({})", sign_off.role)
            };
            format!(
                "{fm} {SIGNED} {}{role} {}",
                sign_off.by,
                sign_off.kind.name()
            )
        }
        Event::Revoked { fm, by, .. } => format!("{fm} sign-off by {by} revoked"),
        Event::ParticipantRemoved { name, role } if role.is_empty() => {
            format!("{name} taken off the list of participants")
        }
        Event::ParticipantRemoved { name, role } => {
            format!("{name} ({role}) taken off the list of participants")
        }
        Event::Note { fm, text } => format!("note{}: {text}", on(fm)),
        Event::Question { fm, text } => format!("parking lot{}: {text}", on(fm)),
        Event::Action {
            fm,
            text,
            owner,
            due,
        } => {
            let due = due.map_or(String::new(), |d| format!(", due {d}"));
            format!("action{}: {text} (owner {owner}{due})", on(fm))
        }
        Event::Vote {
            fm,
            votes,
            severity,
            occurrence,
            detection,
            by_hand,
            ..
        } => {
            let agreed: Vec<String> = [("S", severity), ("O", occurrence), ("D", detection)]
                .into_iter()
                .filter_map(|(letter, value)| value.map(|v| format!("{letter} {v}")))
                .collect();
            let how = if *by_hand { "typed" } else { "medians" };
            format!(
                "{fm} vote: {} agreed ({how}), {} vote{}",
                agreed.join(" "),
                votes.len(),
                if votes.len() == 1 { "" } else { "s" }
            )
        }
        Event::Withdrawn { event, .. } => format!("withdrawn: {}", event_text(event)),
    }
}

fn entry_lines(lines: &mut Vec<Line<'static>>, app: &App, e: &LogEntry, width: usize) {
    let stamp = format!(
        "{} C{} {:<5} ",
        e.at.strftime("%Y-%m-%d %H:%M"),
        e.cycle,
        e.stage.to_string()
    );
    let via = match e.via {
        Via::Edit => "",
        Via::Undo => " (undo)",
        Via::Redo => " (redo)",
    };
    let body = format!("{}{via}", event_text(&e.event));
    let indent = text::width(&stamp);
    let style = if e.event.is_facilitators() {
        app.theme().header
    } else {
        Style::default()
    };
    for (i, part) in text::wrap(&body, width.saturating_sub(indent).max(10))
        .into_iter()
        .enumerate()
    {
        let lead = if i == 0 {
            Span::styled(stamp.clone(), app.theme().muted)
        } else {
            Span::raw(" ".repeat(indent))
        };
        lines.push(Line::from(vec![lead, Span::styled(part, style)]));
    }
}

/// The decision log (or the entries about `only`), line by line, for a box
/// `width` cells wide.
pub fn log_lines(app: &App, only: Option<FailureModeId>, width: usize) -> Vec<Line<'static>> {
    let s = app.session();
    let standing = s.standing_entries();
    let count = |f: fn(&Event) -> bool| standing.iter().filter(|e| f(&e.event)).count();
    let mut lines = vec![Line::from(Span::styled(
        text::truncate(
            &format!(
                "{} entries · {} notes · {} in the parking lot · {} actions · signed off: {}",
                s.log.len(),
                count(|e| matches!(e, Event::Note { .. })),
                count(|e| matches!(e, Event::Question { .. })),
                count(|e| matches!(e, Event::Action { .. })),
                s.failure_modes
                    .iter()
                    .filter(|f| f.sign_off.is_some())
                    .count()
            ),
            width,
        ),
        app.theme().header,
    ))];
    let scope = match only {
        Some(id) => format!("Only the entries about {id} (Tab: all). "),
        None => String::new(),
    };
    lines.push(Line::from(Span::styled(
        text::truncate(
            &format!("{scope}Times in UTC; `riskroom minutes` writes the minutes as Markdown."),
            width,
        ),
        app.theme().muted,
    )));
    lines.push(Line::default());
    if s.log.is_empty() {
        lines.push(Line::from(
            "Nothing recorded yet: decisions, sign-offs and stage changes log themselves; n, Q, w add a note, a question, an action.",
        ));
    }
    for e in s
        .log
        .iter()
        .filter(|e| only.is_none() || e.event.failure_mode() == only)
    {
        entry_lines(&mut lines, app, e, width);
    }
    lines
}

fn inner_width(area: Rect) -> usize {
    usize::from(popup(area).width.saturating_sub(2))
}

pub fn log_line_count(app: &App, only: Option<FailureModeId>, area: Rect) -> usize {
    log_lines(app, only, inner_width(area)).len()
}

pub fn render_log(
    app: &App,
    scroll: u16,
    only: Option<FailureModeId>,
    area: Rect,
    buf: &mut Buffer,
) {
    let lines = log_lines(app, only, inner_width(area));
    let popup = popup(area);
    Clear.render(popup, buf);
    let block = boxed(app, "Decision log", "", popup.width);
    let scroll = scroll.min(super::report::max_scroll(area, lines.len()));
    Paragraph::new(lines)
        .scroll((scroll, 0))
        .block(block)
        .render(popup, buf);
}
