//! The room's risk picture in the cycle summary (`c`): the trend of the four
//! measures over the cycles as sparklines, and the RPN Pareto of the top
//! failure modes with each one's share and the share of all above it. The
//! numbers come from the domain (`trend`, `pareto`), which the report and the
//! workbook share.

use ratatui::text::{Line, Span};

use super::super::app::App;
use super::focus::sparkline;
use super::tables::ap_style;
use super::text;
use crate::domain::matrix::Basis;
use crate::domain::pareto::Pareto;
use crate::domain::trend::{Measure, Trend, TrendPoint};

/// How many failure modes the Pareto lists.
pub const PARETO_TOP: usize = 10;

/// The trend of count, AP H, highest and total RPN, cycle by cycle.
pub fn trend_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let session = app.session();
    let now = TrendPoint::now(session.pdca.cycle, app.matrix_counts().cube(Basis::Current));
    let trend = Trend::with_now(Trend::closed(session), now);
    let points = &trend.points;
    let first = points.first().map_or(session.pdca.cycle, |p| p.cycle);
    let mut lines = vec![Line::from(Span::styled(
        if points.len() > 1 {
            format!("Trend, cycle {first} to {} (now)", session.pdca.cycle)
        } else {
            "Trend: one cycle so far; it starts when this cycle closes".to_string()
        },
        t.header,
    ))];
    // The latest cycles, as many as fit beside the figures.
    let spark_cells = width.saturating_sub(44).clamp(2, 40);
    let shown = &points[points.len().saturating_sub(spark_cells)..];
    for measure in Measure::ALL {
        let series: Vec<u64> = shown.iter().map(|p| p.value(measure)).collect();
        let now = trend.points.last().map_or(0, |p| p.value(measure));
        let figures = match (trend.change(measure), points.len()) {
            (Some(change), n) if n > 1 => {
                let before = points[n - 2].value(measure);
                format!("{before:>7} → {now:<7} {change:+}")
            }
            _ => format!("{:>7}   {now:<7}", ""),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<14}", measure.name())),
            Span::styled(
                format!("{:<w$}", sparkline(&series), w = spark_cells),
                t.info,
            ),
            Span::raw(format!("  {figures}")),
        ]));
    }
    lines
}

/// The RPN Pareto of the top failure modes, with a line where four fifths of
/// the total RPN is reached.
pub fn pareto_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let pareto = Pareto::of(app.order(), PARETO_TOP);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "RPN Pareto: the top {} of {} failure modes",
            pareto.rows.len(),
            pareto.count
        ),
        t.header,
    ))];
    if pareto.rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "No failure mode yet: a in the failure-mode table adds one.",
            t.muted,
        )));
        return lines;
    }
    let vital = format!(
        "The top {} carr{} {}% of the total RPN {} (the vital few the room should spend its time on).",
        pareto.vital_few,
        if pareto.vital_few == 1 { "ies" } else { "y" },
        Pareto::VITAL_PERCENT,
        pareto.total_rpn
    );
    for part in text::wrap(&vital, width) {
        lines.push(Line::from(Span::styled(part, t.muted)));
    }
    let id_width = pareto
        .rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(6);
    let lead = |rank: &str, id: &str, rpn: &str, share: &str, cumulative: &str| {
        format!("{rank:>4}  {id:<id_width$}  {rpn:>5} {share:>7} {cumulative:>7}  ")
    };
    let head = lead("#", "ID", "RPN", "Share", "Cum.");
    let bar_cells = 10usize.min(width.saturating_sub(text::width(&head) + 12));
    lines.push(Line::from(Span::styled(
        format!("{head}{:<bar_cells$}  Failure mode", ""),
        t.header,
    )));
    let top = pareto.rows.first().map_or(1, |r| r.rpn).max(1);
    for row in &pareto.rows {
        let fm = app.session().failure_mode(row.id);
        let start = lead(
            &row.rank.to_string(),
            &row.id.to_string(),
            &row.rpn.to_string(),
            &row.share.to_string(),
            &row.cumulative.to_string(),
        );
        let n = (usize::from(row.rpn) * bar_cells).div_ceil(usize::from(top));
        let bar = "█".repeat(n.clamp(usize::from(row.rpn > 0), bar_cells.max(1)));
        let rest = width.saturating_sub(text::width(&start) + bar_cells + 2);
        let (mode, ap) = fm.map_or((String::new(), None), |f| {
            (
                text::truncate(&f.mode, rest.saturating_sub(2)),
                Some(f.ap()),
            )
        });
        let mut spans = vec![
            Span::raw(start),
            Span::styled(format!("{bar:<bar_cells$}  "), t.info),
        ];
        if let Some(ap) = ap.filter(|_| rest > 4) {
            spans.push(Span::styled(format!("{ap} "), ap_style(app, ap)));
        }
        spans.push(Span::raw(mode));
        lines.push(Line::from(spans));
        if row.rank == pareto.vital_few && row.rank < pareto.count {
            lines.push(Line::from(Span::styled(
                format!(
                    "{:>4}  {}",
                    "",
                    text::truncate(
                        &format!("── above: {}% of the total RPN ──", Pareto::VITAL_PERCENT),
                        width.saturating_sub(6)
                    )
                ),
                t.muted,
            )));
        }
    }
    let (others, rpn) = pareto.rest();
    if others > 0 {
        let share = crate::domain::pareto::Share::of(rpn, pareto.total_rpn);
        let text = format!("The other {others}: RPN {rpn} together, {share} of the total.");
        for part in text::wrap(&text, width.saturating_sub(6)) {
            lines.push(Line::from(Span::styled(
                format!("{:>4}  {part}", ""),
                t.muted,
            )));
        }
    }
    lines
}
