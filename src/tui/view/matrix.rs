//! `m`: the risk matrix. Severity down the side (worst at the top), occurrence
//! along the bottom (most frequent at the right), the number of failure modes
//! in each cell, for the current ratings or after treatment. Built from the
//! counts the app keeps change by change (a pass over 1,000 counters a frame).
//!
//! It reads without colour: each cell is shaded by how full it is next to the
//! busiest one (`░ ▒ ▓ █`), its corner letter is its zone (the highest action
//! priority a failure mode there can reach), and under the count stand how many
//! are AP H now and the worst detection among them. The cursor cell is marked
//! `▶ n ◀` as well as by its style. Colour only repeats the zone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::super::app::{App, MatrixView};
use super::tables::ap_style;
use super::text;
use crate::domain::matrix::{Basis, CellFilter, Grid, Matrix};

/// Where the matrix goes: between the title bar and the detail line (which
/// says what the cell under the cursor holds).
pub fn area(screen: Rect) -> Rect {
    super::focus::area(screen)
}

const SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];

/// The cell under the cursor as a filter of the failure-mode table.
pub fn cell_filter(view: MatrixView) -> CellFilter {
    CellFilter {
        grid: view.grid,
        basis: view.basis,
        row: view.row,
        column: view.column,
    }
}

/// What the cell under the cursor holds, in at most `room` cells: the parts
/// at the end are left out where the whole does not fit.
pub fn cell_summary(app: &App, room: usize) -> String {
    let view = app.matrix();
    let matrix = app.matrix_counts().matrix(view.grid, view.basis);
    let place = cell_filter(view).describe();
    let Some(c) = matrix.cell(view.row, view.column).filter(|c| c.count > 0) else {
        return format!("{place}: no failure mode");
    };
    let mut parts = vec![
        format!(
            "{place}: {} failure mode{}",
            c.count,
            if c.count == 1 { "" } else { "s" }
        ),
        format!("AP H {} M {} L {}", c.ap_high, c.ap_medium, c.ap_low),
        format!("worst D {}", c.worst_detection.unwrap_or(0)),
        format!("highest RPN {}", c.highest_rpn),
        format!("Enter lists {}", if c.count == 1 { "it" } else { "them" }),
    ];
    while parts.len() > 2 && text::width(&parts.join(" · ")) > room {
        parts.pop();
    }
    parts.join(" · ")
}

/// How the moves between current and residual read, in one sentence of at
/// most `room` cells where the long one does not fit.
pub fn moved_text(app: &App, view: MatrixView, room: usize) -> String {
    let counts = app.matrix_counts();
    let moves = counts.moves(view.grid);
    let revised = counts.revised();
    let (moved, lower, same, higher) = (moves.moved(), moves.lower, moves.same, moves.higher);
    let [long, short] = match (view.basis, revised) {
        (_, 0) => [
            "After treatment: nothing moves, no failure mode has revised ratings yet.".to_string(),
            "After treatment: nothing moves, none has revised ratings yet.".to_string(),
        ],
        (Basis::Current, _) => [
            format!(
                "r shows them after treatment: {moved} of {revised} revised failure modes \
                 change cell ({lower} to a lower RPN, {same} at the same, {higher} higher)."
            ),
            format!(
                "r: after treatment {moved} of {revised} revised change cell \
                 ({lower} lower RPN, {same} same, {higher} higher)"
            ),
        ],
        (Basis::Residual, _) => [
            format!(
                "After treatment {moved} of {revised} revised failure modes moved cell \
                 ({lower} to a lower RPN, {same} at the same, {higher} higher); \
                 the others stay as rated."
            ),
            format!(
                "After treatment {moved} of {revised} revised moved cell \
                 ({lower} lower RPN, {same} same, {higher} higher)"
            ),
        ],
    };
    if text::width(&long) <= room {
        long
    } else {
        short
    }
}

/// `12`, or `100k` where the cell is too narrow for every digit.
fn count_text(n: usize, room: usize) -> String {
    let full = n.to_string();
    if full.len() <= room {
        return full;
    }
    if n >= 1_000_000 {
        format!("{}M", n / 1_000_000)
    } else {
        format!("{}k", n / 1000)
    }
}

/// The sizes of the grid in an inner area.
struct Geometry {
    label: u16,
    cell_w: u16,
    cell_h: u16,
    /// Columns on the right for the legend, 0 when it goes underneath.
    side: u16,
    /// Rows above the grid.
    top: u16,
}

fn geometry(grid: Grid, inner: Rect) -> Geometry {
    let rows = grid.rows().len() as u16;
    let columns = grid.columns().len() as u16;
    let label = match grid {
        Grid::Bands => 8,
        Grid::Levels => 6,
    };
    let side = if inner.width >= 110 { 32 } else { 0 };
    // Underneath: the occurrence labels, the moved line, and (without a side
    // panel) one line of legend.
    let below = if side > 0 { 2 } else { 3 };
    let top = if inner.height >= 30 { 2 } else { 1 };
    let cap_h = match grid {
        Grid::Bands => 5,
        Grid::Levels => 3,
    };
    let cell_h = (inner.height.saturating_sub(top + below) / rows).clamp(1, cap_h);
    let cap_w = match grid {
        Grid::Bands => 18,
        Grid::Levels => 9,
    };
    let cell_w = (inner.width.saturating_sub(label + side) / columns).clamp(2, cap_w);
    Geometry {
        label,
        cell_w,
        cell_h,
        side,
        top,
    }
}

fn zone_style(app: &App, grid: Grid, row: usize, column: usize) -> Style {
    grid.zone(row, column)
        .map_or(app.theme().muted, |ap| ap_style(app, ap))
}

/// One cell at (x, y), `w` wide (one more column stays empty as the gap) and
/// `h` high.
#[allow(clippy::too_many_arguments)]
fn draw_cell(
    app: &App,
    matrix: &Matrix,
    row: usize,
    column: usize,
    cursor: bool,
    (x, y, w, h): (u16, u16, u16, u16),
    buf: &mut Buffer,
) {
    let t = app.theme();
    let cell = matrix.cell(row, column).copied().unwrap_or_default();
    let shade = SHADES[usize::from(matrix.shade(row, column).min(4))];
    let zone = zone_style(app, matrix.grid, row, column);
    let fill: String = std::iter::repeat_n(shade, usize::from(w)).collect();
    for dy in 0..h {
        buf.set_string(x, y + dy, &fill, zone);
    }
    let letter = matrix.grid.zone(row, column);
    if let Some(ap) = letter {
        buf.set_string(x, y, ap.to_string(), zone.add_modifier(Modifier::BOLD));
    }
    // On a cell one row high the zone letter shares the row with the count
    // (without colour it is all that tells the zones apart): the count is
    // centred in the rest.
    let (x, w) = if h == 1 && letter.is_some() {
        (x + 1, w.saturating_sub(1))
    } else {
        (x, w)
    };
    let room = usize::from(w.saturating_sub(2));
    let count = count_text(cell.count, room.saturating_sub(if cursor { 2 } else { 0 }));
    let label = if cursor && text::width(&count) + 4 <= usize::from(w) {
        format!("▶ {count} ◀")
    } else if text::width(&count) + 2 <= usize::from(w) {
        format!(" {count} ")
    } else {
        count
    };
    let style = if cursor {
        t.selected
    } else if cell.count == 0 {
        t.muted
    } else {
        t.base.add_modifier(Modifier::BOLD)
    };
    let mid = if h >= 3 { (h - 1) / 2 } else { h - 1 };
    let centre = |s: &str| x + w.saturating_sub(text::width(s) as u16) / 2;
    buf.set_stringn(centre(&label), y + mid, &label, usize::from(w), style);
    if cell.count == 0 {
        return;
    }
    let mut extra = Vec::new();
    if h >= 3 {
        let long = format!(
            " {} H · D {} ",
            cell.ap_high,
            cell.worst_detection.unwrap_or(0)
        );
        let short = format!(" {}H D{} ", cell.ap_high, cell.worst_detection.unwrap_or(0));
        extra.push(if text::width(&long) <= usize::from(w) {
            long
        } else {
            short
        });
    }
    if h >= 5 {
        extra.push(format!(" RPN ≤ {} ", cell.highest_rpn));
    }
    for (i, line) in extra.iter().enumerate() {
        let dy = mid + 1 + i as u16;
        if dy < h && text::width(line) <= usize::from(w) {
            buf.set_string(centre(line), y + dy, line, t.base);
        }
    }
}

/// The legend, wrapped to `width`.
fn legend(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let mut lines = vec![Line::from(Span::styled("How to read it", t.header))];
    let items = [
        ("rows", "severity, worst at the top"),
        ("columns", "occurrence, most often at the right"),
        (
            "H M L",
            "corner: the cell's zone, the highest action priority it can reach",
        ),
        ("░▒▓█", "how full the cell is next to the busiest"),
        ("3 H", "of them, AP H now"),
        (
            "D 8",
            "the worst detection among them (10: nobody would notice)",
        ),
    ];
    for (key, what) in items {
        for (i, part) in text::wrap(what, width.saturating_sub(9))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { key } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{lead:<9}"), t.muted),
                Span::raw(part),
            ]));
        }
    }
    lines
}

pub fn render(app: &App, screen: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let view = app.matrix();
    let outer = area(screen);
    Clear.render(outer, buf);
    let basis = match view.basis {
        Basis::Current => "current ratings",
        Basis::Residual => "after treatment (residual)",
    };
    let title = format!(" Risk matrix: severity x occurrence, {basis} ");
    Block::default()
        .borders(Borders::ALL)
        .title(text::truncate(
            &title,
            usize::from(outer.width.saturating_sub(4)),
        ))
        .style(t.base)
        .border_style(t.border_focused)
        .render(outer, buf);
    let inner = Rect::new(
        outer.x + 1,
        outer.y + 1,
        outer.width.saturating_sub(2),
        outer.height.saturating_sub(2),
    );
    if inner.height < 4 || inner.width < 20 {
        return;
    }
    let matrix = app.matrix_counts().matrix(view.grid, view.basis);
    let g = geometry(view.grid, inner);
    let width = usize::from(inner.width);

    let grid_name = match view.grid {
        Grid::Bands => "5 x 5 on the action-priority bands (z: 10 x 10)",
        Grid::Levels => "10 x 10, one row and column a level (z: 5 x 5)",
    };
    let mut info = format!(
        "{} failure mode{} · {grid_name}",
        matrix.placed,
        if matrix.placed == 1 { "" } else { "s" }
    );
    if matrix.outside > 0 {
        info.push_str(&format!(
            " · {} rated off the scale, in no cell",
            matrix.outside
        ));
    }
    buf.set_string(inner.x, inner.y, text::truncate(&info, width), t.muted);

    let grid_top = inner.y + g.top;
    let grid_left = inner.x + g.label;
    for (r, band) in view.grid.rows().iter().enumerate() {
        let y = grid_top + r as u16 * g.cell_h;
        let mid = if g.cell_h >= 3 {
            (g.cell_h - 1) / 2
        } else {
            g.cell_h - 1
        };
        buf.set_string(inner.x, y + mid, format!("S {band}"), t.base);
        for (c, _) in view.grid.columns().iter().enumerate() {
            let x = grid_left + c as u16 * g.cell_w;
            let cursor = (r, c) == (view.row, view.column);
            draw_cell(
                app,
                &matrix,
                r,
                c,
                cursor,
                (x, y, g.cell_w - 1, g.cell_h),
                buf,
            );
        }
    }
    let below = grid_top + view.grid.rows().len() as u16 * g.cell_h;
    for (c, band) in view.grid.columns().iter().enumerate() {
        let x = grid_left + c as u16 * g.cell_w;
        let label = format!("O {band}");
        let label = if text::width(&label) < usize::from(g.cell_w) {
            label
        } else {
            band.to_string()
        };
        let w = g.cell_w - 1;
        let at = x + w.saturating_sub(text::width(&label) as u16) / 2;
        buf.set_string(at, below, label, t.base);
    }
    let text_width = usize::from(inner.width.saturating_sub(g.side));
    let legend_rows = if g.side == 0 { 1 } else { 0 };
    let bottom = inner.bottom();
    let first = below + 1;
    let rows = usize::from(bottom.saturating_sub(first + legend_rows));
    let moved = moved_text(app, view, text_width * rows.max(1));
    let lines = if rows <= 1 {
        vec![text::truncate(&moved, text_width)]
    } else {
        text::wrap(&moved, text_width)
    };
    for (y, line) in (first..).zip(lines.into_iter().take(rows)) {
        buf.set_string(inner.x, y, line, t.info);
    }
    if g.side == 0 {
        let short = "H M L: zone · ░▒▓█: how full · 3 H: AP H now · D 8: worst detection";
        buf.set_string(
            inner.x,
            bottom.saturating_sub(1),
            text::truncate(short, width),
            t.muted,
        );
    } else {
        let x = inner.right() - g.side + 2;
        let w = usize::from(g.side - 2);
        let mut y = grid_top;
        for line in legend(app, w) {
            if y >= bottom {
                break;
            }
            buf.set_line(x, y, &line, g.side - 2);
            y += 1;
        }
        y += 1;
        let summary = text::wrap(&cell_summary(app, usize::MAX), w);
        for part in summary {
            if y >= bottom {
                break;
            }
            buf.set_string(x, y, part, t.base);
            y += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_that_do_not_fit_are_shortened_never_cut() {
        assert_eq!(count_text(12, 5), "12");
        assert_eq!(count_text(100_000, 6), "100000");
        assert_eq!(count_text(100_000, 5), "100k");
        assert_eq!(count_text(2_500_000, 4), "2M");
    }

    #[test]
    fn the_grid_fits_the_smallest_screen_and_grows_on_a_projector() {
        // 80x24: the box inside rows 1-21, 78 x 19 inside its border.
        let small = Rect::new(1, 2, 78, 19);
        let g = geometry(Grid::Bands, small);
        assert_eq!((g.cell_w, g.cell_h, g.side), (14, 3, 0));
        assert!(g.top + 5 * g.cell_h + 3 <= small.height);
        let g = geometry(Grid::Levels, small);
        assert_eq!((g.cell_w, g.cell_h), (7, 1));
        assert!(g.label + 10 * g.cell_w <= small.width);
        // 120x40.
        let large = Rect::new(1, 2, 118, 35);
        let g = geometry(Grid::Bands, large);
        assert_eq!((g.cell_h, g.side), (5, 32));
        assert!(g.label + 5 * g.cell_w + g.side <= large.width);
        assert!(g.top + 5 * g.cell_h + 2 <= large.height);
        let g = geometry(Grid::Levels, large);
        assert_eq!(g.cell_h, 3);
        assert!(g.top + 10 * g.cell_h + 2 <= large.height);
    }
}
