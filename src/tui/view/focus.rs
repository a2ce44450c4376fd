//! `f`: one record in full, large and calm, for the room. A failure mode shows
//! its mode, the three ratings with what each level means, the RPN and AP in
//! large figures, effect, cause, controls, asset and process, the treatment and
//! residual, its Annex A controls and its RPN across the cycles; an asset its
//! ratings, class, details and its failure modes. Every text in full (wrapped;
//! PgDn when it is longer than the screen); the figures in the small font at
//! 80x24 and the large one where the screen allows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

mod asset;

use super::super::app::{App, FocusView, Record};
use super::big_text::{self, Size};
use super::report::date;
use super::tables::{OVERDUE, UNDECIDED, ap_style};
use super::text;
use crate::domain::annex_a::describe_links;
use crate::domain::cycles::failure_mode_history;
use crate::domain::{FailureMode, RatingKind};

/// Where the view goes: every row between the title bar and the detail line
/// (which keeps saying what a digit did).
pub fn area(screen: Rect) -> Rect {
    let popup = super::report::popup(screen);
    Rect {
        height: popup.height.saturating_sub(1),
        ..popup
    }
}

/// The text inside the box: one cell of air on either side.
fn inner(screen: Rect) -> Rect {
    let a = area(screen);
    Rect::new(
        a.x + 2,
        a.y + 1,
        a.width.saturating_sub(4),
        a.height.saturating_sub(2),
    )
}

/// The large font where a projector's screen has room for it.
fn size_for(inner: Rect) -> Size {
    if inner.width >= 100 && inner.height >= 30 {
        Size::Large
    } else {
        Size::Small
    }
}

/// One row of the large figures: pieces of text, each with its style.
type FigureRow = Vec<(String, Style)>;

/// The lines of the view and, beside the ratings, the large figures.
pub struct Card {
    pub lines: Vec<Line<'static>>,
    /// The line the figures start on, and their rows (text and style), drawn
    /// at the right of the ratings.
    pub figures: Option<(usize, Vec<FigureRow>)>,
}

/// Label column of the fields: the longest label ("Description") and a space.
const LABEL: usize = 12;

fn muted(app: &App, text: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(text.into(), app.theme().muted))
}

/// `Effect     text…` wrapped under itself; "—" when the text is empty.
fn field(app: &App, lines: &mut Vec<Line<'static>>, label: &str, body: &str, width: usize) {
    let label_style = app.theme().muted;
    let body = body.trim();
    if body.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL$}"), label_style),
            Span::styled("—", app.theme().muted),
        ]));
        return;
    }
    for (i, part) in text::wrap(body, width.saturating_sub(LABEL))
        .into_iter()
        .enumerate()
    {
        let lead = if i == 0 { label } else { "" };
        lines.push(Line::from(vec![
            Span::styled(format!("{lead:<LABEL$}"), label_style),
            Span::raw(part),
        ]));
    }
}

/// A heading text (the mode, an asset's name) wrapped, bold.
fn heading(app: &App, lines: &mut Vec<Line<'static>>, body: &str, width: usize) {
    let style = app.theme().base.add_modifier(Modifier::BOLD);
    for part in text::wrap(body.trim(), width) {
        lines.push(Line::from(Span::styled(part, style)));
    }
}

/// One rating line: `▶ Severity    8  external disclosure…`, the marked one
/// being the rating that digits set.
fn rating_line(
    app: &App,
    kind: RatingKind,
    value: u8,
    marked: bool,
    width: usize,
) -> Line<'static> {
    let t = app.theme();
    let name = if width >= 90 {
        // "confidentiality" and a space.
        format!("{:<16}", kind.name())
    } else {
        format!("{}  ", kind.letter())
    };
    let meaning = kind.level_meaning(value).unwrap_or("off the scale");
    let used = 2 + text::width(&name) + 4;
    vec![
        Span::styled(if marked { "▶ " } else { "  " }, t.cursor),
        Span::styled(name, t.base),
        Span::styled(
            format!("{value:>2}"),
            if marked {
                t.cursor
            } else {
                t.base.add_modifier(Modifier::BOLD)
            },
        ),
        Span::raw("  "),
        Span::styled(text::truncate(meaning, width.saturating_sub(used)), t.base),
    ]
    .into()
}

/// The rating block: one line per rating, as many lines as the figures are
/// high; the figures' rows (RPN and AP, or class value and rank).
fn rating_block(
    app: &App,
    lines: &mut Vec<Line<'static>>,
    ratings: [(RatingKind, u8); 3],
    marked: RatingKind,
    figures: [(String, Style); 2],
    size: Size,
    width: usize,
) -> (usize, Vec<FigureRow>) {
    let [(number, number_style), (letter, letter_style)] = figures;
    let big_number = big_text::render(&number, size);
    let big_letter = big_text::render(&letter, size);
    let figures_width = big_text::width(&number, size) + 4 + big_text::width(&letter, size);
    // Below 60 cells the figures would crowd the meanings out: plain text only.
    let show = width >= 60;
    let room = if show {
        width.saturating_sub(figures_width + 2)
    } else {
        width
    };
    let start = lines.len();
    for row in 0..size.height().max(3) {
        match ratings.get(row) {
            Some((kind, value)) => {
                lines.push(rating_line(app, *kind, *value, *kind == marked, room))
            }
            None => lines.push(Line::default()),
        }
    }
    let rows = big_number
        .into_iter()
        .zip(big_letter)
        .map(|(n, l)| {
            vec![
                (n, number_style),
                ("    ".to_string(), Style::default()),
                (l, letter_style),
            ]
        })
        .collect();
    (start, if show { rows } else { Vec::new() })
}

/// A sparkline of `values`: `▁` to `█` against the highest.
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if max == 0 || *v == 0 {
                ' '
            } else {
                let i = (v * 8).div_ceil(max).clamp(1, 8) - 1;
                BARS[usize::try_from(i).unwrap_or(7)]
            }
        })
        .collect()
}

fn failure_mode_card(
    app: &App,
    fm: &FailureMode,
    view: &FocusView,
    width: usize,
    size: Size,
) -> Card {
    let t = app.theme();
    let session = app.session();
    let mut lines = Vec::new();
    heading(app, &mut lines, &fm.mode, width);
    lines.push(Line::default());
    let (start, figures) = rating_block(
        app,
        &mut lines,
        [
            (RatingKind::Severity, fm.severity),
            (RatingKind::Occurrence, fm.occurrence),
            (RatingKind::Detection, fm.detection),
        ],
        view.rating,
        [
            (fm.rpn().to_string(), t.base.add_modifier(Modifier::BOLD)),
            (fm.ap().to_string(), ap_style(app, fm.ap())),
        ],
        size,
        width,
    );
    lines.push(Line::from(vec![
        Span::styled(
            format!(
                "RPN {} = S {} x O {} x D {} · action priority ",
                fm.rpn(),
                fm.severity,
                fm.occurrence,
                fm.detection
            ),
            t.muted,
        ),
        Span::styled(
            format!("{} ({})", fm.ap(), fm.ap().name()),
            ap_style(app, fm.ap()),
        ),
    ]));
    let threshold = session.threshold;
    if threshold.needs_decision(fm) {
        for part in text::wrap(
            &format!("{UNDECIDED} at or above the threshold ({threshold}) and no decision yet"),
            width,
        ) {
            lines.push(Line::from(Span::styled(part, t.overdue)));
        }
    }
    lines.push(Line::default());
    field(app, &mut lines, "Effect", &fm.effect, width);
    field(app, &mut lines, "Cause", &fm.cause, width);
    field(app, &mut lines, "Controls", &fm.controls, width);
    let asset = match fm.asset {
        Some(id) => match session.asset(id) {
            Some(a) => format!(
                "{} {} · {} · class {} ({})",
                a.id,
                a.name,
                a.category,
                a.class_rank(),
                a.class_value()
            ),
            None => format!("{id} (not in the register)"),
        },
        None => String::new(),
    };
    field(app, &mut lines, "Asset", &asset, width);
    field(
        app,
        &mut lines,
        "Process",
        app.session().process_name(fm.process),
        width,
    );
    lines.push(Line::default());
    treatment(app, &mut lines, fm, width);
    let links = if fm.annex_a.is_empty() {
        String::new()
    } else {
        describe_links(&fm.annex_a)
    };
    field(app, &mut lines, "Annex A", &links, width);
    history(app, &mut lines, fm, width);
    Card {
        lines,
        figures: Some((start, figures)),
    }
}

fn treatment(app: &App, lines: &mut Vec<Line<'static>>, fm: &FailureMode, width: usize) {
    let t = &fm.treatment;
    if t.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$}", "Treatment"), app.theme().muted),
            Span::styled(
                "none recorded yet (in the treatment view, t, Enter records it)",
                app.theme().muted,
            ),
        ]));
        return;
    }
    let mut head = vec![t.decision.to_string(), t.status.to_string()];
    if !t.owner.trim().is_empty() {
        head.push(format!("owner {}", t.owner.trim()));
    }
    if let Some(due) = t.due {
        head.push(format!("due {due}"));
    }
    let today = app.clock().today();
    if let Some(due) = t.due.filter(|_| t.is_overdue(today)) {
        let days = (today - due).get_days();
        head.push(format!(
            "{OVERDUE} overdue by {days} day{}",
            if days == 1 { "" } else { "s" }
        ));
    }
    field(app, lines, "Treatment", &head.join(" · "), width);
    if !t.action.trim().is_empty() {
        field(app, lines, "Action", &t.action, width);
    }
    if !t.action_taken.trim().is_empty() {
        field(app, lines, "Taken", &t.action_taken, width);
    }
    let residual = match fm.residual() {
        Some(r) => format!(
            "S {} x O {} x D {} = RPN {} · AP {}{}",
            r.severity,
            r.occurrence,
            r.detection,
            r.rpn(),
            r.ap(),
            if t.status.is_closed() {
                ""
            } else {
                " (once done)"
            }
        ),
        None => "no revised ratings yet".into(),
    };
    field(app, lines, "Residual", &residual, width);
}

/// `History    ▆█  cycle 1 288 → now 360`.
fn history(app: &App, lines: &mut Vec<Line<'static>>, fm: &FailureMode, width: usize) {
    let points = failure_mode_history(app.session(), fm.id);
    if points.len() < 2 {
        field(
            app,
            lines,
            "History",
            "first cycle: no closed cycle holds it yet (H shows its history)",
            width,
        );
        return;
    }
    let rpns: Vec<u64> = points.iter().map(|p| u64::from(p.sod.rpn())).collect();
    let steps: Vec<String> = points
        .iter()
        .map(|p| match p.closed {
            Some(at) => format!("{} ({})", p.sod.rpn(), date(at)),
            None => format!("{} now", p.sod.rpn()),
        })
        .collect();
    let body = format!(
        "{}  RPN per cycle {}-{}: {}",
        sparkline(&rpns),
        points[0].cycle,
        points[points.len() - 1].cycle,
        steps.join(" → ")
    );
    field(app, lines, "History", &body, width);
}

/// The view's lines for an inner area of `inner`.
fn card(app: &App, view: &FocusView, inner: Rect) -> Card {
    let width = usize::from(inner.width);
    let size = size_for(inner);
    let gone = |what: &str| Card {
        lines: vec![muted(
            app,
            format!("This {what} no longer exists (u brings it back)."),
        )],
        figures: None,
    };
    let card = match view.record {
        Record::FailureMode(id) => match app.session().failure_mode(id) {
            Some(fm) => failure_mode_card(app, fm, view, width, size),
            None => gone("failure mode"),
        },
        Record::Asset(id) => match app.session().asset(id) {
            Some(asset) => asset::card(app, asset, view, width, size),
            None => gone("asset"),
        },
    };
    if size == Size::Large {
        spaced(card, usize::from(inner.height))
    } else {
        card
    }
}

/// Whether a line starts a field: its first piece is a label, the width of
/// the label column and not blank (what [`field`] writes first).
fn starts_field(line: &Line) -> bool {
    line.spans
        .first()
        .is_some_and(|s| text::width(&s.content) == LABEL && !s.content.trim().is_empty())
}

/// On a projector, where the screen has the room, a blank line between the
/// fields: calmer to read from the back of the room. Left as it is when the
/// room is not there (the figures come before every field and stay put).
fn spaced(card: Card, height: usize) -> Card {
    let gaps = card
        .lines
        .windows(2)
        .filter(|w| starts_field(&w[1]) && !w[0].spans.is_empty())
        .count();
    if card.lines.len() + gaps > height {
        return card;
    }
    let mut lines: Vec<Line<'static>> = Vec::with_capacity(card.lines.len() + gaps);
    for line in card.lines {
        if starts_field(&line) && lines.last().is_some_and(|l| !l.spans.is_empty()) {
            lines.push(Line::default());
        }
        lines.push(line);
    }
    Card { lines, ..card }
}

/// How far the view scrolls at this screen size.
pub fn max_scroll(app: &App, view: &FocusView, screen: Rect) -> u16 {
    let inner = inner(screen);
    let lines = card(app, view, inner).lines.len();
    u16::try_from(lines.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// The box's title: which record, and where it stands.
fn titles(app: &App, view: &FocusView) -> (String, String) {
    match view.record {
        Record::FailureMode(id) => {
            let order = app.order();
            let place = order
                .position(id)
                .map(|p| format!(" · #{} of {} by RPN", p + 1, order.len()))
                .unwrap_or_default();
            let rows = &app.failure_modes().rows;
            let list = if rows.len() == order.len() {
                String::new()
            } else {
                match rows.iter().position(|r| *r == id) {
                    Some(i) => format!(" {} of {} in the list ", i + 1, rows.len()),
                    None => " not in the list now ".to_string(),
                }
            };
            (format!(" Focus: {id}{place} "), list)
        }
        Record::Asset(id) => {
            let rows = &app.assets().rows;
            let place = rows
                .iter()
                .position(|r| *r == id)
                .map(|i| format!(" · asset {} of {}", i + 1, rows.len()))
                .unwrap_or_default();
            (format!(" Focus: {id}{place} "), String::new())
        }
    }
}

pub fn render(app: &App, view: &FocusView, screen: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let outer = area(screen);
    let inner = inner(screen);
    Clear.render(outer, buf);
    let card = card(app, view, inner);
    let scroll = usize::from(view.scroll.min(max_scroll(app, view, screen)));
    let (title, right) = titles(app, view);
    let room = usize::from(outer.width.saturating_sub(4));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(text::truncate(&title, room))
        .style(t.base)
        .border_style(t.border_focused);
    if !right.is_empty() && text::width(&title) + text::width(&right) + 6 <= room {
        block = block.title_top(Line::from(right).right_aligned());
    }
    let more = card.lines.len() > scroll + usize::from(inner.height);
    if scroll > 0 || more {
        let hint = match (scroll > 0, more) {
            (true, true) => " ▲▼ PgUp PgDn ",
            (false, true) => " ▼ more: PgDn ",
            _ => " ▲ PgUp ",
        };
        block = block.title_bottom(Line::from(hint).right_aligned());
    }
    block.render(outer, buf);
    let shown: Vec<Line<'static>> = card.lines.into_iter().skip(scroll).collect();
    Paragraph::new(shown).render(inner, buf);
    // The large figures at the right of the ratings, where those are on screen.
    if let Some((start, rows)) = card.figures {
        for (i, row) in rows.iter().enumerate() {
            let Some(y) = (start + i).checked_sub(scroll) else {
                continue;
            };
            if y >= usize::from(inner.height) {
                continue;
            }
            let width: usize = row.iter().map(|(s, _)| text::width(s)).sum();
            let x = inner.x + inner.width.saturating_sub(width as u16);
            let y = inner.y + y as u16;
            let mut x = x;
            for (part, style) in row {
                buf.set_stringn(
                    x,
                    y,
                    part,
                    usize::from(inner.right().saturating_sub(x)),
                    *style,
                );
                x += text::width(part) as u16;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_spaced_only_where_the_screen_has_the_room() {
        let label = |l: &str, body: &str| {
            Line::from(vec![
                Span::raw(format!("{l:<LABEL$}")),
                Span::raw(body.to_string()),
            ])
        };
        let lines = vec![
            Line::from("heading"),
            Line::default(),
            label("Effect", "a"),
            label("", "continued"),
            label("Cause", "b"),
            Line::default(),
            label("Treatment", "c"),
        ];
        let card = |lines: &Vec<Line<'static>>| Card {
            lines: lines.clone(),
            figures: None,
        };
        let texts = |c: Card| -> Vec<String> { c.lines.iter().map(|l| l.to_string()).collect() };
        // One gap is wanted (before Cause): 8 lines.
        assert_eq!(texts(spaced(card(&lines), 7)), texts(card(&lines)));
        let roomy = texts(spaced(card(&lines), 8));
        assert_eq!(roomy.len(), 8);
        assert_eq!(roomy[4], "");
        assert!(roomy[5].starts_with("Cause"));
    }

    #[test]
    fn a_sparkline_rises_with_the_values_and_leaves_nothing_blank_that_is_not_zero() {
        assert_eq!(sparkline(&[1, 2, 4, 8]), "▁▂▄█");
        assert_eq!(sparkline(&[576, 360]), "█▅");
        assert_eq!(sparkline(&[0, 1000, 1]), " █▁");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }
}
