//! `R`: the ISMS programme in one view (SPEC 9.2, 9.3). Three lines at the top
//! answer "where are we?" for the roadmap, the mandatory documents and the
//! control groups at once; below them the part with the keys, row by row. The
//! selected row's full text is on the detail line; Enter opens its form.
//!
//! Everything is said in words or signs (`▶` the selection, `!` what is overdue
//! or missing, `↳` what the session itself holds), never by colour alone. The
//! lines of a part are built from the facts kept in the view state, so a frame
//! costs no pass over the failure modes; update uses the same lines
//! ([`body`]) to keep the selected row on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::super::app::App;
use super::super::app::programme::{Part, ProgrammeView, Row, row_of};
use super::super::theme::Theme;
use super::text;
use crate::domain::annex_a::ControlGroup;
use crate::domain::programme::coverage::{ControlUse, GroupCoverage};
use crate::domain::programme::documents::{DocumentView, Overdue, Review, Standing};
use crate::domain::programme::roadmap::{StepView, steps_list};
use crate::domain::programme::{Phase, STEP_COUNT, StepStatus, capitalised};

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

/// The lines of one row of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowLines {
    /// Its first line, with the heading above it if it opens a phase (or the
    /// part, for the first row).
    pub top: usize,
    /// Its own line, the one the selection marks.
    pub line: usize,
    /// The line after its last (what the session holds, the controls…).
    pub end: usize,
}

/// The body of the part with the keys, line by line, and where each row is.
pub struct Body {
    pub lines: Vec<Line<'static>>,
    pub rows: Vec<RowLines>,
}

impl Body {
    fn new() -> Body {
        Body {
            lines: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Lines wrapped to `width` after `indent` cells, the first after `lead`.
    fn wrapped(&mut self, lead: &str, indent: usize, text: &str, width: usize, style: Style) {
        let pad = " ".repeat(indent);
        let lead = format!("{lead:<indent$}");
        for (i, part) in text::wrap(text, width.saturating_sub(indent).max(10))
            .into_iter()
            .enumerate()
        {
            let head = if i == 0 { lead.clone() } else { pad.clone() };
            self.lines
                .push(Line::from(vec![Span::raw(head), Span::styled(part, style)]));
        }
    }

    /// Opens a row: its own line comes next.
    fn start_row(&mut self, top: usize) {
        let line = self.lines.len();
        self.rows.push(RowLines {
            top: top.min(line),
            line,
            end: line + 1,
        });
    }

    /// Closes the row opened last: whatever was added since belongs to it.
    fn end_row(&mut self) {
        let end = self.lines.len();
        if let Some(row) = self.rows.last_mut() {
            row.end = end.max(row.line + 1);
        }
    }
}

/// One cell of a row: its text fitted to its width, and its own style.
type Cell = (String, Style);

/// A row as the tables draw one: `▶ ` on the selection, the selection's
/// colours over the whole line, and warning letters in the selection's
/// foreground there (red on blue cannot be read from the back of the room).
fn row_line(theme: &Theme, selected: bool, cells: Vec<Cell>) -> Line<'static> {
    let row_style = if selected {
        theme.selected
    } else {
        Style::default()
    };
    let mut spans = vec![Span::styled(if selected { "▶ " } else { "  " }, row_style)];
    for (i, (text, style)) in cells.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", row_style));
        }
        let mut style = row_style.patch(style);
        if selected {
            style.fg = row_style.fg;
        }
        spans.push(Span::styled(text, style));
    }
    Line::from(spans).style(row_style)
}

/// A heading between rows: `─ Awareness (steps 1-5): 5 of 5 done ───`.
fn heading(theme: &Theme, text: &str, width: usize) -> Line<'static> {
    let text = text::truncate(text, width.saturating_sub(4));
    let rest = width.saturating_sub(text::width(&text) + 3);
    Line::from(vec![
        Span::styled("─ ", theme.border),
        Span::styled(text, theme.header),
        Span::styled(format!(" {}", "─".repeat(rest)), theme.border),
    ])
}

/// Wide enough for the owner and the overdue flag in words (a projector).
fn is_wide(width: usize) -> bool {
    width >= 110
}

struct RoadmapColumns {
    name: usize,
    owner: usize,
    flag: usize,
}

fn roadmap_columns(width: usize) -> RoadmapColumns {
    // The flag and the gap before it: `! overdue`, or `!` where room is short.
    let (owner, flag) = if is_wide(width) { (22, 10) } else { (12, 2) };
    // marker, step, status, due and the gaps between them
    let fixed = 2 + 2 + 1 + 14 + 1 + 1 + owner + 1 + 10 + flag;
    RoadmapColumns {
        name: width.saturating_sub(fixed).max(8),
        owner,
        flag,
    }
}

fn step_status_style(theme: &Theme, status: StepStatus) -> Style {
    match status {
        StepStatus::NotStarted | StepStatus::NotApplicable => theme.muted,
        StepStatus::InProgress => theme.ap_medium,
        StepStatus::Done => theme.base,
    }
}

fn step_line(theme: &Theme, step: &StepView, selected: bool, width: usize) -> Line<'static> {
    let c = roadmap_columns(width);
    let r = &step.record;
    let flag = match (step.overdue, is_wide(width)) {
        (false, _) => String::new(),
        (true, true) => "! overdue".to_string(),
        (true, false) => "!".to_string(),
    };
    let due_style = if step.overdue {
        theme.overdue
    } else {
        theme.base
    };
    row_line(
        theme,
        selected,
        vec![
            (format!("{:>2}", step.step), theme.base),
            (
                text::fit(r.status.name(), 14),
                step_status_style(theme, r.status),
            ),
            (text::fit(&capitalised(step.name), c.name), theme.base),
            (text::fit(&r.owner, c.owner), theme.base),
            (
                text::fit(&r.due.map(|d| d.to_string()).unwrap_or_default(), 10),
                due_style,
            ),
        ]
        .into_iter()
        .chain((c.flag > 0 && !flag.is_empty()).then(|| (flag, theme.overdue)))
        .collect(),
    )
}

fn roadmap_body(app: &App, view: &ProgrammeView, width: usize) -> Body {
    let t = app.theme();
    let roadmap = &view.facts.roadmap;
    let selected = view.selected_index();
    let mut body = Body::new();
    for progress in &roadmap.phases {
        let phase = progress.phase;
        let (first, last) = phase.steps();
        let top = body.lines.len();
        let here = if roadmap.current == Some(phase) {
            " · the programme is here"
        } else {
            ""
        };
        body.lines.push(heading(
            t,
            &format!(
                "{} (steps {first}-{last}): {}{here}",
                phase.name(),
                progress.describe()
            ),
            width,
        ));
        for step in roadmap.steps.iter().filter(|s| s.phase == phase) {
            let top = if step.step == first { top } else { usize::MAX };
            body.start_row(top);
            let index = usize::from(step.step) - 1;
            body.lines
                .push(step_line(t, step, index == selected, width));
            if let Some(held) = &step.from_session {
                body.wrapped("     ↳ ", 7, held, width, t.info);
            }
            body.end_row();
        }
    }
    body
}

struct DocumentColumns {
    name: usize,
    owner: usize,
}

fn document_columns(width: usize) -> DocumentColumns {
    let owner = if is_wide(width) { 20 } else { 0 };
    // marker, clause, status, last review, review and the gaps between them
    let fixed = 2 + 7 + 1 + 10 + 1 + 1 + 10 + 1 + 20 + if owner > 0 { owner + 1 } else { 0 };
    DocumentColumns {
        name: width.saturating_sub(fixed).max(8),
        owner,
    }
}

/// The review state in a few words; the detail line says it in full.
fn review_words(review: Review) -> String {
    match review {
        Review::NothingToReview => String::new(),
        Review::Current => "current".into(),
        Review::Live => "kept live".into(),
        Review::NeverReviewed => "no review recorded".into(),
        Review::Overdue(Overdue::OlderThanAYear) => "! overdue (> 1 year)".into(),
        Review::Overdue(Overdue::BeforeCycleClose { cycle, .. }) => {
            format!("! overdue (cycle {cycle})")
        }
    }
}

fn standing_style(theme: &Theme, standing: Standing) -> Style {
    match standing {
        Standing::Missing => theme.overdue,
        Standing::Draft => theme.ap_medium,
        Standing::Approved => theme.base,
        Standing::InSession => theme.info,
    }
}

fn document_line(theme: &Theme, doc: &DocumentView, selected: bool, width: usize) -> Line<'static> {
    let c = document_columns(width);
    let r = &doc.record;
    let standing = match doc.standing {
        Standing::Missing => "! Missing",
        other => other.name(),
    };
    let review_style = if doc.review.is_overdue() {
        theme.overdue
    } else {
        theme.muted
    };
    let mut cells = vec![
        (text::fit(doc.clause.cited(), 7), theme.base),
        (text::fit(standing, 10), standing_style(theme, doc.standing)),
        (text::fit(&capitalised(doc.clause.name), c.name), theme.base),
    ];
    if c.owner > 0 {
        cells.push((text::fit(&r.owner, c.owner), theme.base));
    }
    cells.push((
        text::fit(
            &r.last_review.map(|d| d.to_string()).unwrap_or_default(),
            10,
        ),
        review_style,
    ));
    cells.push((text::fit(&review_words(doc.review), 20), review_style));
    row_line(theme, selected, cells)
}

fn documents_body(app: &App, view: &ProgrammeView, width: usize) -> Body {
    let t = app.theme();
    let selected = view.selected_index();
    let mut body = Body::new();
    body.wrapped(
        " ",
        1,
        &format!(
            "The session is the evidence for 6.1.2, 8.2, 8.3 and 6.1.3 d: {}",
            view.facts.evidence
        ),
        width,
        t.info,
    );
    for (index, doc) in view.facts.documents.rows.iter().enumerate() {
        body.start_row(if index == 0 { 0 } else { usize::MAX });
        body.lines
            .push(document_line(t, doc, index == selected, width));
        if let Some(held) = &doc.session {
            body.wrapped("     ↳ ", 7, &held.text, width, t.info);
        }
        body.end_row();
    }
    body
}

/// `A.8.5 Secure authentication (FM-001, FM-003, +4; via A.9.4.2)`: at most
/// three IDs a control, so that a register of 100,000 stays a few lines.
fn control_text(usage: &ControlUse, planned: bool) -> String {
    let ids = if planned {
        &usage.planned
    } else {
        &usage.existing
    };
    let mut shown: Vec<String> = ids.iter().take(3).map(ToString::to_string).collect();
    if ids.len() > 3 {
        shown.push(format!("+{}", ids.len() - 3));
    }
    let via = if usage.via.is_empty() {
        String::new()
    } else {
        format!("; via {}", usage.via.join(", "))
    };
    format!(
        "{} {} ({}{via})",
        usage.control.id,
        usage.control.title,
        shown.join(", ")
    )
}

fn group_name(group: ControlGroup, width: usize) -> (&'static str, usize) {
    if is_wide(width) {
        (group.name(), 22)
    } else {
        (group.short_name(), 12)
    }
}

fn group_lines(app: &App, body: &mut Body, g: &GroupCoverage, selected: bool, width: usize) {
    let t = app.theme();
    let (name, name_width) = group_name(g.group, width);
    let indent = 2 + name_width + 1;
    let (summary, style) = if g.has_no_control() {
        (format!("! {}", g.summary()), t.overdue)
    } else {
        (g.summary(), t.base)
    };
    let parts = text::wrap(&summary, width.saturating_sub(indent).max(10));
    let first = parts.first().cloned().unwrap_or_default();
    body.lines.push(row_line(
        t,
        selected,
        vec![
            (text::fit(name, name_width), t.header),
            (text::fit(&first, width.saturating_sub(indent)), style),
        ],
    ));
    for part in parts.iter().skip(1) {
        body.lines.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(part.clone(), style),
        ]));
    }
    for (label, planned) in [("existing ", false), ("planned  ", true)] {
        let uses: Vec<String> = g
            .controls
            .iter()
            .filter(|u| !(if planned { &u.planned } else { &u.existing }).is_empty())
            .map(|u| control_text(u, planned))
            .collect();
        if !uses.is_empty() {
            let lead = format!("{}{label}", " ".repeat(indent));
            body.wrapped(&lead, indent + 9, &uses.join("; "), width, t.muted);
        }
    }
}

fn groups_body(app: &App, view: &ProgrammeView, width: usize) -> Body {
    let selected = view.selected_index();
    let coverage = &view.facts.coverage;
    let mut body = Body::new();
    for (index, group) in ControlGroup::ALL.into_iter().enumerate() {
        let Some(g) = coverage.group(group) else {
            continue;
        };
        body.start_row(if index == 0 { 0 } else { usize::MAX });
        group_lines(app, &mut body, g, index == selected, width);
        if index + 1 == ControlGroup::ALL.len() {
            // The last row takes the closing line with it, so that it shows.
            body.lines.push(Line::default());
            body.wrapped(
                " ",
                1,
                &format!(
                    "Failure modes with no Annex A control linked: {}",
                    without_control(view)
                ),
                width,
                app.theme().base,
            );
        }
        body.end_row();
    }
    body
}

/// `3 (highest untreated RPN 120, FM-010)`, `none`.
fn without_control(view: &ProgrammeView) -> String {
    let c = &view.facts.coverage;
    match (c.without_control.len(), c.highest_without_control) {
        (0, _) => "none".to_string(),
        (n, Some((id, rpn))) => format!("{n} (highest untreated RPN {rpn}, {id})"),
        (n, None) => format!("{n} (none left untreated)"),
    }
}

/// The body of the part with the keys at this width.
pub fn body(app: &App, view: &ProgrammeView, width: u16) -> Body {
    let width = usize::from(width);
    match view.part {
        Part::Roadmap => roadmap_body(app, view, width),
        Part::Documents => documents_body(app, view, width),
        Part::Groups => groups_body(app, view, width),
    }
}

/// The column names of a part, as the tables write theirs.
fn header(view: &ProgrammeView, width: usize) -> String {
    match view.part {
        Part::Roadmap => {
            let c = roadmap_columns(width);
            format!(
                "  {:>2} {} {} {} {}",
                "#",
                text::fit("Status", 14),
                text::fit("Roadmap step", c.name),
                text::fit("Owner", c.owner),
                text::fit("Due", 10)
            )
        }
        Part::Documents => {
            let c = document_columns(width);
            let owner = if c.owner > 0 {
                format!("{} ", text::fit("Owner", c.owner))
            } else {
                String::new()
            };
            format!(
                "  {} {} {} {owner}{} {}",
                text::fit("Clause", 7),
                text::fit("Status", 10),
                text::fit("Mandatory document", c.name),
                text::fit("Reviewed", 10),
                text::fit("Review", 20)
            )
        }
        Part::Groups => {
            let (_, name_width) = group_name(ControlGroup::Policy, width);
            format!(
                "  {} Annex A controls linked, failure modes treated, highest untreated RPN",
                text::fit("Group", name_width)
            )
        }
    }
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

/// The selected row of a part by its index (tests, messages).
pub fn row_name(part: Part, index: usize) -> String {
    match row_of(part, index) {
        Row::Step(n) => format!("step {n}"),
        Row::Document(c) => format!("document {}", c.cited()),
        Row::Group(g) => g.name().to_string(),
    }
}
