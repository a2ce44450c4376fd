//! The lines of the programme view's three parts: the roadmap by phase, the
//! mandatory documents, the control groups, each row with the lines that belong
//! to it (what the session holds, the controls), and their column headers. The
//! view draws the ones on screen; update asks where the selected row lies.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::super::app::App;
use super::super::super::app::programme::{Part, ProgrammeView};
use super::super::super::theme::Theme;
use super::super::text;
use crate::domain::annex_a::ControlGroup;
use crate::domain::programme::StepStatus;
use crate::domain::programme::capitalised;
use crate::domain::programme::coverage::GroupCoverage;
use crate::domain::programme::documents::{DocumentView, Overdue, Review, Standing};
use crate::domain::programme::roadmap::StepView;

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
}

fn roadmap_columns(width: usize) -> RoadmapColumns {
    // The flag and the gap before it: `! overdue`, or `!` where room is short.
    let (owner, flag) = if is_wide(width) { (22, 10) } else { (12, 2) };
    // marker, step, status, due and the gaps between them
    let fixed = 2 + 2 + 1 + 14 + 1 + 1 + owner + 1 + 10 + flag;
    RoadmapColumns {
        name: width.saturating_sub(fixed).max(8),
        owner,
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
        .chain((!flag.is_empty()).then_some((flag, theme.overdue)))
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
        Standing::Missing => "? Missing",
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
            .filter(|u| !u.linked(planned).is_empty())
            .map(|u| u.describe(planned, 3))
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
                    view.facts.coverage.without_control_summary()
                ),
                width,
                app.theme().base,
            );
        }
        body.end_row();
    }
    body
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
pub(super) fn header(view: &ProgrammeView, width: usize) -> String {
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
