//! Two read-only views of the PDCA circle: the history of one failure mode across
//! the cycles (its RPN per cycle as bars and numbers, and what was done between
//! them), and the cycle summary for the room.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::super::app::App;
use super::tables::{OVERDUE, UNDECIDED, ap_style};
use super::text;
use crate::domain::annex_a::describe_links;
use crate::domain::cycles::{HistoryPoint, cycle_summaries, failure_mode_history};
use crate::domain::failure_mode::Sod;
use crate::domain::{FailureModeId, Treatment};

/// The dates of the session, as recorded (UTC), so that every screen agrees.
pub fn date(at: Timestamp) -> String {
    at.to_zoned_datetime(TimeZone::UTC).date().to_string()
}

/// Where both views go: every row between the title bar and the footer.
pub fn popup(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(2),
    )
}

/// The text width inside the box.
fn inner_width(area: Rect) -> usize {
    usize::from(popup(area).width.saturating_sub(2))
}

/// How far a text of `lines` lines can scroll in this area.
pub fn max_scroll(area: Rect, lines: usize) -> u16 {
    let inner = usize::from(popup(area).height.saturating_sub(2));
    u16::try_from(lines.saturating_sub(inner)).unwrap_or(u16::MAX)
}

/// A bar of `value` out of `max` in `cells` cells: at least one cell for any value.
fn bar(value: u32, max: u32, cells: usize) -> String {
    if max == 0 || cells == 0 {
        return String::new();
    }
    let n = (u64::from(value) * cells as u64).div_ceil(u64::from(max)) as usize;
    "█".repeat(n.clamp(1, cells))
}

fn sod_text(sod: Sod) -> String {
    format!(
        "S{} O{} D{} = RPN {} ({})",
        sod.severity,
        sod.occurrence,
        sod.detection,
        sod.rpn(),
        sod.ap()
    )
}

fn wrapped(lines: &mut Vec<Line<'static>>, prefix: &str, body: &str, width: usize) {
    let indent = " ".repeat(text::width(prefix));
    for (i, part) in text::wrap(body, width.saturating_sub(text::width(prefix)))
        .into_iter()
        .enumerate()
    {
        let lead = if i == 0 { prefix } else { indent.as_str() };
        lines.push(Line::from(format!("{lead}{part}")));
    }
}

fn stage_label(app: &App, point: &HistoryPoint) -> String {
    match point.closed {
        Some(at) => date(at),
        None => format!("now ({})", app.session().pdca.stage),
    }
}

/// The treatment of one cycle, as a heading line and its details.
fn treatment_lines(
    app: &App,
    lines: &mut Vec<Line<'static>>,
    point: &HistoryPoint,
    next: Option<&HistoryPoint>,
    width: usize,
) {
    let t: &Treatment = &point.treatment;
    let when = if point.is_current() {
        format!("Cycle {} (now, {})", point.cycle, app.session().pdca.stage)
    } else {
        format!("Cycle {}", point.cycle)
    };
    if t.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(when, app.theme().header),
            Span::styled(" · no treatment recorded", app.theme().muted),
        ]));
    } else {
        let mut head = format!(" · {} · {}", t.decision, t.status);
        if !t.owner.trim().is_empty() {
            head.push_str(&format!(" · owner {}", t.owner.trim()));
        }
        if let Some(due) = t.due {
            head.push_str(&format!(" · due {due}"));
        }
        let overdue = point.is_current() && t.is_overdue(app.clock().today());
        let flag = if overdue {
            format!(" {OVERDUE} overdue")
        } else {
            String::new()
        };
        if text::width(&when) + text::width(&head) + text::width(&flag) <= width {
            lines.push(Line::from(vec![
                Span::styled(when, app.theme().header),
                Span::raw(head),
                Span::styled(flag, app.theme().overdue),
            ]));
        } else {
            let style = if overdue {
                app.theme().overdue
            } else {
                app.theme().header
            };
            for part in text::wrap(&format!("{when}{head}{flag}"), width) {
                lines.push(Line::from(Span::styled(part, style)));
            }
        }
        if !t.action.trim().is_empty() {
            wrapped(lines, "  Action: ", t.action.trim(), width);
        }
        if !t.action_taken.trim().is_empty() {
            wrapped(lines, "  Taken:  ", t.action_taken.trim(), width);
        }
    }
    match (point.residual(), next) {
        (Some(r), Some(next)) if point.carried_over() => wrapped(
            lines,
            "  → ",
            &format!(
                "treatment {}: the revised ratings {} became the ratings of cycle {}",
                t.status.name().to_lowercase(),
                sod_text(r),
                next.cycle
            ),
            width,
        ),
        (None, Some(next)) if point.carried_over() => wrapped(
            lines,
            "  → ",
            &format!(
                "treatment {} without revised ratings: cycle {} kept the ratings",
                t.status.name().to_lowercase(),
                next.cycle
            ),
            width,
        ),
        (Some(r), Some(next)) => wrapped(
            lines,
            "  → ",
            &format!(
                "not done at the close: revised {} stayed a target, cycle {} kept the treatment",
                sod_text(r),
                next.cycle
            ),
            width,
        ),
        (Some(r), None) if t.status.is_closed() => wrapped(
            lines,
            "  → ",
            &format!(
                "residual {}: the ratings of the next cycle when this one closes",
                sod_text(r)
            ),
            width,
        ),
        (Some(r), None) => wrapped(
            lines,
            "  → ",
            &format!("residual once done: {}", sod_text(r)),
            width,
        ),
        _ => {}
    }
    if !point.annex_a.is_empty() {
        wrapped(lines, "  Annex A: ", &describe_links(&point.annex_a), width);
    }
}

/// The history of one failure mode, line by line, for a box `width` cells wide.
pub fn history_lines(app: &App, id: FailureModeId, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let mut lines = Vec::new();
    let Some(fm) = app.session().failure_mode(id) else {
        lines.push(Line::from("This failure mode no longer exists."));
        return lines;
    };
    lines.push(Line::from(Span::styled(
        text::truncate(&format!("{} {}", fm.id, fm.mode), width),
        t.header,
    )));
    let asset = fm
        .asset
        .and_then(|a| app.session().asset(a))
        .map_or("no asset".to_string(), |a| format!("{} {}", a.id, a.name));
    lines.push(Line::from(Span::styled(
        text::truncate(
            &format!("{asset} · {}", app.session().process_name(fm.process)),
            width,
        ),
        t.muted,
    )));
    let threshold = app.session().threshold;
    if threshold.needs_decision(fm) {
        lines.push(Line::from(Span::styled(
            format!("{UNDECIDED} at or above the threshold ({threshold}) and no decision yet"),
            t.overdue,
        )));
    }
    lines.push(Line::default());

    let points = failure_mode_history(app.session(), id);
    let max = points
        .iter()
        .map(|p| u32::from(p.sod.rpn()))
        .chain(
            points
                .iter()
                .filter_map(|p| p.residual())
                .map(|r| u32::from(r.rpn())),
        )
        .max()
        .unwrap_or(0);
    // Cycle 5, ended 14, S O D 9, RPN 4, AP 2: 40 cells before the bar.
    let bar_cells = width.saturating_sub(42).min(50);
    lines.push(Line::from(Span::styled(
        format!(
            "{:>5}  {:<14} {:>2} {:>2} {:>2}  {:>4} {:<2}  RPN per cycle",
            "Cycle", "Ended", "S", "O", "D", "RPN", "AP"
        ),
        t.header,
    )));
    for point in &points {
        let sod = point.sod;
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:>5}  {:<14} {:>2} {:>2} {:>2}  {:>4} ",
                point.cycle,
                stage_label(app, point),
                sod.severity,
                sod.occurrence,
                sod.detection,
                sod.rpn()
            )),
            Span::styled(
                format!("{:<2}", sod.ap().to_string()),
                ap_style(app, sod.ap()),
            ),
            Span::raw("  "),
            Span::styled(bar(u32::from(sod.rpn()), max, bar_cells), t.info),
        ]));
        if point.is_current()
            && let Some(r) = point.residual()
        {
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{:>5}  {:<14} {:>2} {:>2} {:>2}  {:>4} ",
                        "",
                        "residual",
                        r.severity,
                        r.occurrence,
                        r.detection,
                        r.rpn()
                    ),
                    t.muted,
                ),
                Span::styled(format!("{:<2}", r.ap().to_string()), ap_style(app, r.ap())),
                Span::raw("  "),
                Span::styled(
                    bar(u32::from(r.rpn()), max, bar_cells).replace('█', "░"),
                    t.muted,
                ),
            ]));
        }
    }
    if points.len() == 1 {
        lines.push(Line::from(Span::styled(
            "No closed cycle holds this failure mode yet: p from Act closes the cycle.",
            t.muted,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("What was done", t.header)));
    for (i, point) in points.iter().enumerate() {
        treatment_lines(app, &mut lines, point, points.get(i + 1), width);
    }
    lines
}

/// The cycle summary, line by line, for a box `width` cells wide.
pub fn cycle_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let pdca = &app.session().pdca;
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{} cycle{} · now cycle {} in {} · decision threshold {}",
                pdca.closed_cycles.len() + 1,
                if pdca.closed_cycles.is_empty() {
                    ""
                } else {
                    "s"
                },
                pdca.cycle,
                pdca.stage,
                app.session().threshold
            ),
            t.muted,
        )),
        Line::default(),
    ];
    let summaries = cycle_summaries(app.session());
    let max = summaries.iter().map(|s| s.total_rpn).max().unwrap_or(0);
    // Cycle 5, ended 14, FMs 4, AP H 4, max 7, total 7, closed 6: 53 cells with gaps.
    let bar_cells = width.saturating_sub(56).min(40);
    lines.push(Line::from(Span::styled(
        format!(
            "{:>5}  {:<14} {:>4} {:>4} {:>7} {:>7} {:>6}  Total RPN",
            "Cycle", "Ended", "FMs", "AP H", "Highest", "Total", "Closed"
        ),
        t.header,
    )));
    for s in &summaries {
        let ended = match s.closed {
            Some(at) => date(at),
            None => format!("now ({})", pdca.stage),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:>5}  {:<14} {:>4} {:>4} {:>7} {:>7} {:>6}  ",
                s.cycle,
                ended,
                s.failure_modes,
                s.ap_high,
                s.highest_rpn,
                s.total_rpn,
                s.treatments_closed
            )),
            Span::styled(bar(s.total_rpn, max, bar_cells), t.info),
        ]));
    }
    lines.push(Line::default());
    for note in [
        "FMs: failure modes in the cycle's record. AP H: those with action priority High.",
        "Highest / Total: the highest RPN and the sum of all RPNs at the end of the cycle.",
        "Closed: treatments Done or Verified at the close (so far, for the current cycle); \
         their revised ratings became the next cycle's ratings.",
    ] {
        for part in text::wrap(note, width) {
            lines.push(Line::from(Span::styled(part, t.muted)));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Stages", t.header)));
    for s in &summaries {
        let mut stages: Vec<String> = s
            .stages
            .iter()
            .map(|(stage, at)| format!("{stage} {}", date(*at)))
            .collect();
        if let Some(closed) = s.closed {
            stages.push(format!("closed {}", date(closed)));
        }
        if stages.is_empty() {
            stages.push("no stage change recorded".into());
        }
        wrapped(
            &mut lines,
            &format!("Cycle {}: ", s.cycle),
            &stages.join(" · "),
            width,
        );
    }
    lines
}

fn render_box(
    app: &App,
    title: String,
    lines: Vec<Line<'static>>,
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let popup = popup(area);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(text::truncate(
            &title,
            usize::from(popup.width.saturating_sub(4)),
        ))
        .style(app.theme().dialog)
        .border_style(app.theme().border_focused);
    let scroll = scroll.min(max_scroll(area, lines.len()));
    Paragraph::new(lines)
        .style(Style::default())
        .scroll((scroll, 0))
        .block(block)
        .render(popup, buf);
}

pub fn history_line_count(app: &App, id: FailureModeId, area: Rect) -> usize {
    history_lines(app, id, inner_width(area)).len()
}

pub fn cycle_line_count(app: &App, area: Rect) -> usize {
    cycle_lines(app, inner_width(area)).len()
}

pub fn render_history(app: &App, id: FailureModeId, scroll: u16, area: Rect, buf: &mut Buffer) {
    let lines = history_lines(app, id, inner_width(area));
    let title = format!(" History of {id} across the PDCA cycles ");
    render_box(app, title, lines, scroll, area, buf);
}

pub fn render_cycles(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let lines = cycle_lines(app, inner_width(area));
    render_box(
        app,
        " Cycle summary: the room's risks per PDCA cycle ".to_string(),
        lines,
        scroll,
        area,
        buf,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_never_empty_for_a_value() {
        assert_eq!(bar(10, 10, 5), "█████");
        assert_eq!(bar(1, 1000, 5), "█");
        assert_eq!(bar(5, 10, 10).chars().count(), 5);
        assert_eq!(bar(0, 0, 10), "");
        assert_eq!(bar(7, 10, 0), "");
    }
}
