//! What the screen is doing besides showing the tables: a form, a dialog, a
//! question, a help or report. One [`Mode`] at a time; the keymap's context
//! follows it.

use std::path::PathBuf;

use tui_input::Input;

use crate::domain::matrix::{Basis, Grid};
use crate::domain::{AssetId, FailureModeId, RatingKind, Session, Side};
use crate::export::CsvOptions;
use crate::tui::form::Form;
use crate::tui::keymap::Context;

/// A question the facilitator must answer with y or n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    DeleteAsset(AssetId),
    DeleteFailureMode(FailureModeId),
    StartNextCycle,
    /// Saving failed on the way out: quit anyway (the session goes to a recovery file)?
    QuitUnsaved,
    /// A recovery file of an earlier run exists: open it?
    OpenRecovery(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub detail: Vec<String>,
    pub pending: Pending,
}

#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub dir: Input,
    /// The suggested directory is selected: typing replaces it.
    pub selected_all: bool,
    pub options: CsvOptions,
    /// One Excel workbook (`<stem>.xlsx`) instead of the CSV files.
    pub workbook: bool,
    /// What the last attempt wrote, or why it failed.
    pub result: Option<Result<Vec<String>, String>>,
}

/// `i`: import from spreadsheet files, previewed before anything changes.
#[derive(Debug, Clone)]
pub struct ImportDialog {
    pub assets: Input,
    pub failure_modes: Input,
    /// 0: the assets file, 1: the failure-modes file.
    pub focus: usize,
    pub options: crate::import::Options,
    /// The preview of the files as they were last read, or why they cannot be.
    pub plan: Option<Result<crate::import::Plan, String>>,
}

/// The Annex A picker of one failure mode: a search field over both reference
/// lists, or (while the search is empty) the controls already linked.
#[derive(Debug, Clone)]
pub struct ControlsDialog {
    pub id: FailureModeId,
    pub query: Input,
    /// The highlighted row of the list.
    pub selected: usize,
}

/// `Y`: who signs off the selected failure mode, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffDialog {
    pub id: FailureModeId,
    /// The highlighted participant.
    pub selected: usize,
    pub kind: crate::domain::sign_off::SignOffKind,
}

/// The merge conflicts a `git merge` left in the session: the highlighted
/// one, and the side taken for each so far (`None`: not yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeDialog {
    pub selected: usize,
    pub choices: Vec<Option<Side>>,
}

impl MergeDialog {
    /// The dialog for the session's conflicts, if it holds any.
    pub fn of(session: &Session) -> Option<MergeDialog> {
        (!session.conflicts.is_empty()).then(|| MergeDialog {
            selected: 0,
            choices: vec![None; session.conflicts.len()],
        })
    }
}

#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Filter(Input),
    Form(Box<Form>),
    Confirm(Confirm),
    /// `max`: how far it scrolls at this size (worked out when it opens or
    /// the size changes).
    Help {
        scroll: u16,
        max: u16,
    },
    Export(ExportDialog),
    /// The file changed on disk: reload, save as, or overwrite?
    Conflict,
    /// Typing the new name of the session file.
    SaveAs(Input),
    Import(Box<ImportDialog>),
    Controls(ControlsDialog),
    /// One failure mode across the PDCA cycles.
    History {
        id: FailureModeId,
        scroll: u16,
        max: u16,
    },
    /// The room's risks per cycle.
    Cycles {
        scroll: u16,
        max: u16,
    },
    /// `D`: the details and participants; `selected` is a row: the details'
    /// fields (`form::DETAIL_FIELDS`), then each participant in list order.
    Details {
        selected: usize,
    },
    SignOff(SignOffDialog),
    /// `L`: the decision log, scrolled; `only` the entries about one failure mode.
    Log {
        scroll: u16,
        max: u16,
        only: Option<FailureModeId>,
    },
    /// The facilitator's vote round (its state is the room's: `App::room`).
    Vote,
    /// A follower's ballot for the round open now.
    Ballot,
    /// The facilitator types in a vote for someone in the room (over the round).
    Proxy,
    /// `f`: one record in full, large.
    Focus(FocusView),
    /// `m`: the risk matrix (its cursor, grid and basis are kept in the app).
    Matrix,
    /// The merge conflicts of the session: ours or theirs for each.
    Merge(MergeDialog),
}

/// One record of either register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Asset(AssetId),
    FailureMode(FailureModeId),
}

/// The focus view: the record it shows (kept even when a rating takes it out
/// of a filtered list), where in the list the view came to it, the rating
/// digits set, and how far it scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FocusView {
    pub record: Record,
    /// The record's row in its list when the view came to it: ↑ ↓ go on from
    /// there, so a rating that moves it does not lose the room its place.
    pub at: usize,
    pub rating: RatingKind,
    pub scroll: u16,
    pub max: u16,
}

/// Where the risk matrix stands: its grid, its basis and the cell under the
/// cursor (row 0 is the highest severity, the last column the highest
/// occurrence). Kept while the matrix is closed, so `m` and Esc from a cell's
/// list come back to the same cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixView {
    pub grid: Grid,
    pub basis: Basis,
    pub row: usize,
    pub column: usize,
    /// The cursor has been placed: the first `m` puts it on the occupied cell
    /// nearest the top right, later ones leave it where it was.
    pub placed: bool,
}

impl Default for MatrixView {
    /// The top right cell: the worst risks, where the room looks first.
    fn default() -> Self {
        let grid = Grid::Bands;
        MatrixView {
            grid,
            basis: Basis::Current,
            row: 0,
            column: grid.columns().len() - 1,
            placed: false,
        }
    }
}

impl Mode {
    pub fn context(&self) -> Context {
        match self {
            Mode::Normal => Context::Normal,
            Mode::Filter(_) => Context::Filter,
            Mode::Form(_) => Context::Form,
            Mode::Confirm(_) => Context::Confirm,
            Mode::Help { .. } => Context::Help,
            Mode::Export(_) => Context::Export,
            Mode::Conflict => Context::Conflict,
            Mode::SaveAs(_) => Context::SaveAs,
            Mode::Import(_) => Context::Import,
            Mode::Controls(_) => Context::Controls,
            Mode::History { .. } => Context::History,
            Mode::Cycles { .. } => Context::Cycles,
            Mode::Details { .. } => Context::Details,
            Mode::SignOff(_) => Context::SignOff,
            Mode::Log { .. } => Context::Log,
            Mode::Vote => Context::Vote,
            Mode::Ballot => Context::Ballot,
            Mode::Proxy => Context::Proxy,
            Mode::Focus(_) => Context::Focus,
            Mode::Matrix => Context::Matrix,
            Mode::Merge(_) => Context::Merge,
        }
    }
}
