//! The two panes of the workshop view, their columns, and what each pane shows:
//! its rows, selection, column cursor and filter. Plain types that the state, the
//! update code and the drawing all use (kept out of `app.rs` so that the layout,
//! which `App` uses, needs nothing from `App`).

use crate::domain::RatingKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Assets,
    FailureModes,
}

impl Pane {
    pub fn index(self) -> usize {
        match self {
            Pane::Assets => 0,
            Pane::FailureModes => 1,
        }
    }

    pub fn other(self) -> Pane {
        match self {
            Pane::Assets => Pane::FailureModes,
            Pane::FailureModes => Pane::Assets,
        }
    }
}

/// The columns of the two tables. Some only show when the terminal is wide enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    AssetId,
    Name,
    Category,
    Owner,
    C,
    I,
    A,
    ClassValue,
    ClassRank,
    FmId,
    Asset,
    Process,
    Mode,
    Effect,
    S,
    O,
    D,
    Rpn,
    Ap,
    Status,
    // The treatment view.
    Decision,
    TreatmentOwner,
    Due,
    TreatmentStatus,
    Action,
    /// The RPN after the treatment (revised ratings).
    ResidualRpn,
    /// The AP now and after the treatment: `H→M`.
    ApChange,
}

impl Column {
    pub fn rating(self) -> Option<RatingKind> {
        match self {
            Column::C => Some(RatingKind::Confidentiality),
            Column::I => Some(RatingKind::Integrity),
            Column::A => Some(RatingKind::Availability),
            Column::S => Some(RatingKind::Severity),
            Column::O => Some(RatingKind::Occurrence),
            Column::D => Some(RatingKind::Detection),
            _ => None,
        }
    }
}

/// Per pane: the rows shown (filtered, in display order), the selection, the
/// first row on screen, the column cursor and the filter text.
#[derive(Debug, Clone)]
pub struct PaneState<Id> {
    pub rows: Vec<Id>,
    pub selected: usize,
    pub offset: usize,
    pub column: Column,
    pub filter: String,
}

impl<Id: Copy + PartialEq> PaneState<Id> {
    pub fn new(column: Column) -> Self {
        Self {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            column,
            filter: String::new(),
        }
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.rows.get(self.selected).copied()
    }

    /// Puts the selection on `id` if it is shown.
    pub fn select_id(&mut self, id: Id) -> bool {
        match self.rows.iter().position(|r| *r == id) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Keeps the selection inside the rows and on screen for a view of `height` rows.
    pub fn clamp(&mut self, height: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(height));
    }
}
