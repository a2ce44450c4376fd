//! `R`: the ISMS programme in one view (SPEC 9.2, 9.3). Three lines at the top
//! answer "where are we?" for the roadmap, the mandatory documents and the
//! control groups at once; below them the part with the keys, row by row. The
//! selected row's full text is on the detail line; Enter opens its form.
//!
//! Everything is said in words or signs (`▶` the selection, `!` what is overdue
//! or has no control, `?` a missing document, `↳` what the session itself holds),
//! never by colour alone, as `riskroom isms` says it. The lines of a part are
//! built from the facts kept in the view state, so a frame costs no pass over
//! the failure modes; update uses the same lines ([`body`]) to keep the selected
//! row on screen.

mod parts;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::super::app::App;
use super::super::app::programme::{Part, ProgrammeView, Row};
use super::text;
use crate::domain::programme::documents::{Review, Standing};
use crate::domain::programme::roadmap::steps_list;
use crate::domain::programme::{Phase, STEP_COUNT, StepStatus, capitalised};
use parts::header;
pub use parts::{Body, RowLines, body};

/// Rows above the body: the three summary lines and the part's column header.
const CHROME: u16 = 4;

/// Where the view goes: between the title bar and the detail line.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    pub summaries: Rect,
    pub header: Rect,
    pub body: Rect,
}

pub fn areas(width: u16, height: u16) -> Areas {
    let room = height.saturating_sub(3);
    let row = |y: u16, h: u16| Rect::new(0, y, width, h);
    Areas {
        summaries: row(1, room.min(3)),
        header: row(4, u16::from(room > 3)),
        body: row(1 + CHROME, room.saturating_sub(CHROME)),
    }
}

/// Lines of a part's body that fit on screen.
pub fn body_rows(width: u16, height: u16) -> usize {
    usize::from(areas(width, height).body.height)
}

/// `Validation (4 of 4) · 21 of 24 done · ! 1 overdue · 2 in progress · …`:
/// what matters most first, as the line is cut at 80 columns.
fn roadmap_summary(view: &ProgrammeView) -> String {
    let r = &view.facts.roadmap;
    let count = |status| r.steps.iter().filter(|s| s.record.status == status).count();
    let mut parts = vec![match r.current {
        None => format!("not started: all {STEP_COUNT} steps"),
        Some(phase) => format!(
            "{} ({} of {})",
            phase.name(),
            phase.number(),
            Phase::ALL.len()
        ),
    }];
    if r.current.is_some() {
        parts.push(format!("{} of {STEP_COUNT} done", count(StepStatus::Done)));
    }
    if !r.overdue.is_empty() {
        parts.push(format!(
            "! {} overdue ({})",
            r.overdue.len(),
            steps_list(&r.overdue)
        ));
    }
    let in_progress = count(StepStatus::InProgress);
    if in_progress > 0 {
        parts.push(format!("{in_progress} in progress"));
    }
    if !r.behind.is_empty() {
        parts.push(format!(
            "still open from earlier phases: {}",
            steps_list(&r.behind)
        ));
    }
    let not_applicable = count(StepStatus::NotApplicable);
    if not_applicable > 0 {
        parts.push(format!("{not_applicable} not applicable"));
    }
    parts.join(" · ")
}

/// `! 3 reviews overdue · 2 missing · 2 draft · 6 approved · 4 in the session`
fn documents_summary(view: &ProgrammeView) -> String {
    let d = &view.facts.documents;
    let mut parts = Vec::new();
    match d.overdue() {
        0 => {}
        1 => parts.push("! 1 review overdue".to_string()),
        n => parts.push(format!("! {n} reviews overdue")),
    }
    for (standing, words) in [
        (Standing::Missing, "missing"),
        (Standing::Draft, "draft"),
        (Standing::Approved, "approved"),
        (Standing::InSession, "held by the session"),
    ] {
        let n = d.count(standing);
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    parts.join(" · ")
}

/// `! no control at all: Hardware · 4 of 5 groups with controls · …`
fn groups_summary(view: &ProgrammeView) -> String {
    let c = &view.facts.coverage;
    let empty: Vec<&str> = c.empty_groups().iter().map(|g| g.short_name()).collect();
    let mut parts = Vec::new();
    if !empty.is_empty() {
        parts.push(format!("! no control at all: {}", empty.join(", ")));
    }
    parts.push(format!(
        "{} of {} groups with controls",
        c.groups.len() - empty.len(),
        c.groups.len()
    ));
    match c.without_control.len() {
        0 => {}
        1 => parts.push("1 failure mode without any".to_string()),
        n => parts.push(format!("{n} failure modes without any")),
    }
    parts.join(" · ")
}

fn summary_line(app: &App, view: &ProgrammeView, part: Part, width: usize) -> Line<'static> {
    let t = app.theme();
    let focused = part == view.part;
    let (marker, name_style) = if focused {
        ("▶ ", t.header)
    } else {
        ("  ", t.base)
    };
    let text = match part {
        Part::Roadmap => roadmap_summary(view),
        Part::Documents => documents_summary(view),
        Part::Groups => groups_summary(view),
    };
    let lead = 2 + 14 + 1;
    Line::from(vec![
        Span::styled(marker, t.border_focused),
        Span::styled(text::fit(part.name(), 14), name_style),
        Span::raw(" "),
        Span::styled(text::truncate(&text, width.saturating_sub(lead)), t.base),
    ])
}

pub fn render(app: &App, view: &ProgrammeView, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let a = areas(area.width, area.height);
    let width = usize::from(area.width);
    let middle = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    );
    Clear.render(middle, buf);
    buf.set_style(middle, t.base);
    for (i, part) in Part::ALL.into_iter().enumerate() {
        if (i as u16) < a.summaries.height {
            summary_line(app, view, part, width).render(
                Rect::new(area.x, a.summaries.y + i as u16, area.width, 1),
                buf,
            );
        }
    }
    if a.header.height > 0 {
        Line::from(Span::styled(
            text::fit(&header(view, width), width),
            t.header,
        ))
        .render(a.header, buf);
    }
    let body = body(app, view, area.width);
    for (y, line) in body
        .lines
        .into_iter()
        .skip(view.scroll)
        .take(usize::from(a.body.height))
        .enumerate()
    {
        line.render(Rect::new(area.x, a.body.y + y as u16, area.width, 1), buf);
    }
}

/// The selected row in full, for the detail line.
pub fn detail(view: &ProgrammeView) -> String {
    let joined = |parts: Vec<String>| {
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let labelled = |label: &str, value: &str| {
        if value.trim().is_empty() {
            String::new()
        } else {
            format!("{label} {}", value.trim())
        }
    };
    match view.row() {
        Row::Step(n) => {
            let Some(step) = view.facts.roadmap.step(n) else {
                return String::new();
            };
            let r = &step.record;
            let due = match (r.due, step.overdue) {
                (Some(due), true) => format!("! overdue: due {due}"),
                (Some(due), false) => format!("due {due}"),
                (None, _) => String::new(),
            };
            joined(vec![
                format!("Step {n}: {}", capitalised(step.name)),
                r.status.name().to_string(),
                due,
                labelled("owner", &r.owner),
                labelled("evidence", &r.evidence),
                labelled("note", &r.note),
            ])
        }
        Row::Document(clause) => {
            let Some(doc) = view
                .facts
                .documents
                .rows
                .iter()
                .find(|d| d.clause == clause)
            else {
                return String::new();
            };
            let r = &doc.record;
            joined(vec![
                format!("{}: {}", clause.cited(), capitalised(clause.name)),
                doc.standing.name().to_string(),
                match doc.review {
                    Review::Overdue(_) => format!("! {}", doc.review.describe()),
                    Review::Current => format!(
                        "reviewed {}",
                        r.last_review.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    other => other.describe(),
                },
                labelled("owner", &r.owner),
                labelled("evidence", &r.evidence),
            ])
        }
        Row::Group(group) => match view.facts.coverage.group(group) {
            Some(g) => format!("{}: {}", group.name(), g.summary()),
            None => group.name().to_string(),
        },
    }
}

/// The roadmap's phase for the title bar, beside the PDCA line.
pub fn title_note(app: &App) -> Option<String> {
    let view = app.programme()?;
    Some(match view.facts.roadmap.current {
        Some(phase) => format!(
            "Roadmap: {} ({}/{}) │ ",
            phase.name(),
            phase.number(),
            Phase::ALL.len()
        ),
        None => "Roadmap: not started │ ".to_string(),
    })
}

/// Where the selected row lies in the part's lines (for update's scrolling).
pub fn selected_lines(app: &App, view: &ProgrammeView) -> (RowLines, usize) {
    let b = body(app, view, app.width());
    let rows = b.rows;
    let at = view.selected_index().min(rows.len().saturating_sub(1));
    let row = rows.get(at).copied().unwrap_or(RowLines {
        top: 0,
        line: 0,
        end: 0,
    });
    (row, b.lines.len())
}

/// The row index of `part` whose own line is at or before `line` (for paging).
pub fn row_at_line(app: &App, view: &ProgrammeView, line: usize) -> usize {
    let b = body(app, view, app.width());
    b.rows.iter().rposition(|r| r.line <= line).unwrap_or(0)
}
