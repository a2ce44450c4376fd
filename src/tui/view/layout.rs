//! Where everything goes, as a pure function of the terminal size, so that the
//! update code (paging, scrolling) and the drawing agree without talking.

use ratatui::layout::Rect;

use super::super::pane::{Column, Pane};

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
    /// The layout of the workshop view (both panes).
    pub fn of(width: u16, height: u16) -> Layout {
        Self::of_view(width, height, false)
    }

    /// In the treatment view the failure-mode pane takes the whole of the middle.
    pub fn of_view(width: u16, height: u16, treatment_view: bool) -> Layout {
        let mut layout = Self::workshop(width, height);
        if treatment_view {
            let main = height.saturating_sub(3);
            layout.assets = Rect::new(0, 1, width, 0);
            layout.failure_modes = Rect::new(0, 1, width, main);
        }
        layout
    }

    fn workshop(width: u16, height: u16) -> Layout {
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

/// The three tables: the asset register, and the failure modes with either
/// their ratings (workshop view) or their treatment (treatment view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Assets,
    FailureModes,
    Treatments,
}

impl Table {
    pub fn of(pane: Pane, treatment_view: bool) -> Table {
        match (pane, treatment_view) {
            (Pane::Assets, _) => Table::Assets,
            (Pane::FailureModes, false) => Table::FailureModes,
            (Pane::FailureModes, true) => Table::Treatments,
        }
    }
}

impl From<Pane> for Table {
    fn from(pane: Pane) -> Table {
        Table::of(pane, false)
    }
}

/// How wide the longest record IDs of a session are, in cells: the ID columns grow
/// to fit them (`FM-100000` in a consolidated register) and never cut an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdWidths {
    pub asset: u16,
    pub failure_mode: u16,
}

impl Default for IdWidths {
    /// Three digits, as IDs are written: `A-001`, `FM-001`.
    fn default() -> Self {
        IdWidths {
            asset: 5,
            failure_mode: 6,
        }
    }
}

impl IdWidths {
    pub fn of(session: &crate::domain::Session) -> IdWidths {
        let cells = |text: String| u16::try_from(text.len()).unwrap_or(u16::MAX);
        let mut widths = IdWidths::default();
        // Registers are kept in ID order: the last ID is the longest.
        if let Some(a) = session.assets.last() {
            widths.asset = widths.asset.max(cells(a.id.to_string()));
        }
        if let Some(f) = session.failure_modes.last() {
            widths.failure_mode = widths.failure_mode.max(cells(f.id.to_string()));
        }
        widths
    }
}

fn spec(table: impl Into<Table>, width: u16, ids: IdWidths) -> Vec<(Column, Width)> {
    use Column::*;
    use Width::{Fixed, Flex};
    // One cell to spare after the ID, as the narrowest layouts were drawn.
    let fm_id = Fixed(7.max(ids.failure_mode + 1));
    let asset_id = Fixed(6.max(ids.asset + 1));
    let pane = match table.into() {
        Table::Assets => Pane::Assets,
        Table::FailureModes => Pane::FailureModes,
        Table::Treatments => {
            let mut columns = vec![(FmId, fm_id), (Mode, Flex(3)), (Decision, Fixed(8))];
            if width >= 110 {
                columns.push((Action, Flex(3)));
            }
            columns.extend([
                (TreatmentOwner, Flex(2)),
                (Due, Fixed(11)),
                (TreatmentStatus, Fixed(11)),
                (Rpn, Fixed(4)),
                (ResidualRpn, Fixed(4)),
                (ApChange, Fixed(3)),
            ]);
            return columns;
        }
    };
    match pane {
        Pane::Assets => {
            let mut columns = vec![(AssetId, asset_id), (Name, Flex(3))];
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
                (FmId, fm_id),
                (
                    Asset,
                    if width >= 110 {
                        Fixed(18.max(ids.asset + 2))
                    } else {
                        asset_id
                    },
                ),
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

/// The columns a table shows at this terminal width, left to right.
pub fn visible_columns(table: impl Into<Table>, width: u16) -> Vec<Column> {
    spec(table, width, IdWidths::default())
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// Each shown column with its width in cells, for IDs of three digits; one space
/// separates columns.
pub fn column_widths(table: impl Into<Table>, width: u16) -> Vec<(Column, u16)> {
    column_widths_for(table, width, IdWidths::default())
}

/// [`column_widths`] with the ID columns wide enough for `ids`.
pub fn column_widths_for(table: impl Into<Table>, width: u16, ids: IdWidths) -> Vec<(Column, u16)> {
    let spec = spec(table, width, ids);
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
        for width in [80u16, 100, 109, 110, 119, 120, 160, 200] {
            for pane in [Table::Assets, Table::FailureModes, Table::Treatments] {
                let widths = column_widths(pane, width);
                let total: u16 =
                    widths.iter().map(|(_, w)| w).sum::<u16>() + widths.len() as u16 - 1 + MARKER;
                assert_eq!(total, width, "{pane:?} at {width}");
            }
        }
    }

    #[test]
    fn id_columns_grow_to_the_longest_id_and_the_columns_still_fill_the_width() {
        let long = IdWidths {
            asset: 7,        // A-10000
            failure_mode: 9, // FM-100000
        };
        for width in [80u16, 120, 200] {
            for table in [Table::Assets, Table::FailureModes, Table::Treatments] {
                let widths = column_widths_for(table, width, long);
                let total: u16 =
                    widths.iter().map(|(_, w)| w).sum::<u16>() + widths.len() as u16 - 1 + MARKER;
                assert_eq!(total, width, "{table:?} at {width}");
                let of = |column| widths.iter().find(|(c, _)| *c == column).map(|(_, w)| *w);
                if let Some(w) = of(Column::FmId) {
                    assert!(w > 9, "{table:?} at {width}: FM ID {w}");
                }
                if let Some(w) = of(Column::AssetId) {
                    assert!(w > 7, "{table:?} at {width}: asset ID {w}");
                }
                if let Some(w) = of(Column::Asset) {
                    assert!(w >= 7, "{table:?} at {width}: asset {w}");
                }
            }
        }
        // Three-digit IDs keep the layout the snapshots show.
        assert_eq!(
            column_widths_for(Table::FailureModes, 120, IdWidths::default()),
            column_widths(Table::FailureModes, 120)
        );
    }

    #[test]
    fn the_id_widths_of_a_session_are_its_longest_ids() {
        use crate::domain::{Asset, AssetId, Category, FailureMode, FailureModeId, Session};
        let mut s = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(IdWidths::of(&s), IdWidths::default());
        s.assets.push(Asset::new(AssetId(12), "a", Category::Site));
        s.assets
            .push(Asset::new(AssetId(12345), "b", Category::Site));
        s.failure_modes
            .push(FailureMode::new(FailureModeId(100_000), "m"));
        assert_eq!(
            IdWidths::of(&s),
            IdWidths {
                asset: 7,
                failure_mode: 9
            }
        );
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
    fn the_treatment_view_gives_the_failure_modes_the_whole_middle() {
        let l = Layout::of_view(80, 24, true);
        assert_eq!(l.asset_rows(), 0);
        assert_eq!(l.failure_mode_rows(), 19);
        let widths = column_widths(Table::Treatments, 80);
        let mode = widths
            .iter()
            .find(|(c, _)| *c == Column::Mode)
            .map(|(_, w)| *w);
        assert!(mode >= Some(12), "{widths:?}");
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
