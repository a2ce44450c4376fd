//! Where everything goes, as a pure function of the terminal size, so that the
//! update code (paging, scrolling) and the drawing agree without talking.

use ratatui::layout::Rect;

use super::super::app::{Column, Pane};

/// The smallest terminal riskroom draws its screen in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub too_small: bool,
    pub title: Rect,
    pub assets: Rect,
    pub failure_modes: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

impl Layout {
    pub fn of(width: u16, height: u16) -> Layout {
        let too_small = width < MIN_WIDTH || height < MIN_HEIGHT;
        let main = height.saturating_sub(3);
        let assets_height = (main / 3).max(4);
        let fm_height = main.saturating_sub(assets_height);
        let row = |y: u16, h: u16| Rect::new(0, y, width, h);
        Layout {
            too_small,
            title: row(0, 1),
            assets: row(1, assets_height),
            failure_modes: row(1 + assets_height, fm_height),
            detail: row(height.saturating_sub(2), 1),
            footer: row(height.saturating_sub(1), 1),
        }
    }

    /// Data rows that fit in a pane: its height less the rule and the header.
    fn data_rows(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(2))
    }

    pub fn asset_rows(&self) -> usize {
        Self::data_rows(self.assets)
    }

    pub fn failure_mode_rows(&self) -> usize {
        Self::data_rows(self.failure_modes)
    }
}

/// Width of the selection marker at the start of every row.
pub const MARKER: u16 = 2;

/// How a column takes its share of the width.
#[derive(Debug, Clone, Copy)]
enum Width {
    Fixed(u16),
    /// Shares what is left, in proportion to the weight.
    Flex(u16),
}

fn spec(pane: Pane, width: u16) -> Vec<(Column, Width)> {
    use Column::*;
    use Width::{Fixed, Flex};
    match pane {
        Pane::Assets => {
            let mut columns = vec![(AssetId, Fixed(6)), (Name, Flex(3))];
            if width >= 100 {
                columns.push((Category, Fixed(11)));
            }
            if width >= 110 {
                columns.push((Owner, Flex(2)));
            }
            columns.extend([
                (C, Fixed(3)),
                (I, Fixed(3)),
                (A, Fixed(3)),
                (ClassValue, Fixed(5)),
                (ClassRank, Fixed(5)),
            ]);
            columns
        }
        Pane::FailureModes => {
            let mut columns = vec![
                (FmId, Fixed(7)),
                (Asset, Fixed(if width >= 110 { 18 } else { 6 })),
            ];
            if width >= 120 {
                columns.push((Process, Flex(2)));
            }
            columns.push((Mode, Flex(4)));
            if width >= 150 {
                columns.push((Effect, Flex(3)));
            }
            columns.extend([
                (S, Fixed(3)),
                (O, Fixed(3)),
                (D, Fixed(3)),
                (Rpn, Fixed(4)),
                (Ap, Fixed(3)),
                (Status, Fixed(12)),
            ]);
            columns
        }
    }
}

/// The columns a pane shows at this terminal width, left to right.
pub fn visible_columns(pane: Pane, width: u16) -> Vec<Column> {
    spec(pane, width).into_iter().map(|(c, _)| c).collect()
}

/// Each shown column with its width in cells; one space separates columns.
pub fn column_widths(pane: Pane, width: u16) -> Vec<(Column, u16)> {
    let spec = spec(pane, width);
    let gaps = spec.len().saturating_sub(1) as u16;
    let fixed: u16 = spec
        .iter()
        .map(|(_, w)| match w {
            Width::Fixed(n) => *n,
            Width::Flex(_) => 0,
        })
        .sum();
    let weights: u16 = spec
        .iter()
        .map(|(_, w)| match w {
            Width::Flex(n) => *n,
            Width::Fixed(_) => 0,
        })
        .sum();
    let free = width.saturating_sub(MARKER + gaps + fixed);
    let mut given = 0;
    let flex_count = spec
        .iter()
        .filter(|(_, w)| matches!(w, Width::Flex(_)))
        .count();
    let mut flex_seen = 0;
    spec.into_iter()
        .map(|(column, w)| match w {
            Width::Fixed(n) => (column, n),
            Width::Flex(weight) => {
                flex_seen += 1;
                // The last flexible column takes the rounding remainder.
                let share = if flex_seen == flex_count {
                    free - given
                } else {
                    free * weight / weights.max(1)
                };
                given += share;
                (column, share)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_exactly() {
        for width in [80u16, 100, 119, 120, 160, 200] {
            for pane in [Pane::Assets, Pane::FailureModes] {
                let widths = column_widths(pane, width);
                let total: u16 =
                    widths.iter().map(|(_, w)| w).sum::<u16>() + widths.len() as u16 - 1 + MARKER;
                assert_eq!(total, width, "{pane:?} at {width}");
            }
        }
    }

    #[test]
    fn at_80x24_both_panes_show_rows() {
        let l = Layout::of(80, 24);
        assert!(!l.too_small);
        assert!(l.asset_rows() >= 5, "{}", l.asset_rows());
        assert!(l.failure_mode_rows() >= 11, "{}", l.failure_mode_rows());
        assert_eq!(l.footer.y, 23);
        assert!(Layout::of(79, 24).too_small && Layout::of(80, 23).too_small);
    }

    #[test]
    fn tiny_sizes_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (5, 3), (80, 2)] {
            let l = Layout::of(w, h);
            let _ = (
                l.asset_rows(),
                l.failure_mode_rows(),
                column_widths(Pane::FailureModes, w),
            );
        }
    }
}
