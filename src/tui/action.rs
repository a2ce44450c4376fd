//! Everything the workshop screen can do, as one vocabulary. Keys become actions in
//! [`super::keymap`]; [`super::update`] is the only code that carries them out.

use std::path::PathBuf;

use tui_input::InputRequest;

use crate::domain::Session;
use crate::export::{ExportError, Written};
use crate::store::{DiskState, SaveError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Normal view.
    FocusNext,
    FocusPrevious,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    /// A digit typed on a rating column: 1-9, and 0 for 10.
    Rate(u8),
    Add,
    Edit,
    Delete,
    Undo,
    Redo,
    Filter,
    AdvanceStage,
    StepBackStage,
    Export,
    Save,
    Help,
    Quit,
    /// The failure-mode pane shows the treatment columns (and fills the screen).
    ToggleTreatmentView,
    /// Narrow the failure modes by treatment status / action owner.
    NextStatusFilter,
    PreviousStatusFilter,
    NextOwnerFilter,
    PreviousOwnerFilter,
    /// The Annex A picker of the selected failure mode.
    Controls,
    /// The selected failure mode across the PDCA cycles.
    History,
    /// The room's risks per cycle.
    Cycles,
    /// The decision threshold form.
    Threshold,
    // The room's record (app/update/record.rs).
    /// `D`: the session's details and participants.
    Details,
    /// `L`: the decision log.
    DecisionLog,
    /// A note, a parking-lot question, an agreed action: to the decision log.
    Note,
    Question,
    AgreeAction,
    /// Risk acceptance sign-off of the selected failure mode (or its revocation).
    SignOff,
    /// A participant is in the room today, or not.
    TogglePresent,
    /// The failure modes of the next (previous) process only.
    NextProcessFilter,
    PreviousProcessFilter,
    /// The process form (the seed worksheet's header) of the selected failure mode.
    ProcessForm,
    /// `v`: open a rating vote (facilitator), open the ballot (follower); in
    /// the round, reveal the votes.
    Vote,
    /// `n` in a round: type in the vote of someone without a terminal.
    ProxyVote,
    /// Turns naming the voters at a reveal on or off for this session.
    NameVoters,
    /// `F`: a follower that browsed freely follows the facilitator again.
    FollowAgain,
    /// `R`: the ISMS programme (roadmap, mandatory documents, control groups).
    Programme,
    /// In the programme: the selected step's or document's status, forwards
    /// or backwards.
    NextStatus,
    PreviousStatus,
    /// `f`: the selected record in full, large (the focus view).
    Focus,
    /// `m`: the risk matrix.
    Matrix,
    /// In the matrix: current ratings / residual (after treatment).
    ToggleBasis,
    /// In the matrix: 5 x 5 on the AP bands / 10 x 10 levels.
    ToggleGrid,
    /// A letter that no binding of the workshop view has: said so, rather than
    /// leave the facilitator wondering whether the key was heard.
    Unbound(char),

    // Forms and dialogs.
    NextField,
    PreviousField,
    /// Enter: save the form, apply the filter, write the export…
    Submit,
    /// Esc: close the form or dialog without changing anything.
    Cancel,
    /// Ctrl-n / Ctrl-p in a field with suggestions (the asset field).
    NextSuggestion,
    PreviousSuggestion,
    /// y / n in a confirmation.
    Yes,
    No,
    /// Text editing in a field.
    Input(InputRequest),

    // The file changed on disk under us.
    Reload,
    SaveAs,
    Overwrite,

    // CSV options in the export dialog.
    /// `,` → `;` (German and French Excel) → tab → `,`.
    NextDelimiter,
    /// UTF-8 byte-order mark on or off.
    ToggleBom,
    /// CSV files or one Excel workbook.
    ToggleFormat,

    // Import from spreadsheet files.
    Import,
    /// How rows with an ID the session does not know are treated.
    ToggleUnknownIds,
    /// Whether the good rows go in when others are rejected.
    TogglePartial,

    // Merge conflicts a `git merge` left in the session.
    /// `M`: show them.
    MergeConflicts,
    /// This branch's value for the highlighted conflict.
    TakeOurs,
    /// The merged branch's value for it.
    TakeTheirs,
}

impl Action {
    /// Whether the action changes the session (refused when read-only).
    pub fn is_edit(self) -> bool {
        matches!(
            self,
            Action::Rate(_)
                | Action::Add
                | Action::Edit
                | Action::Delete
                | Action::Undo
                | Action::Redo
                | Action::AdvanceStage
                | Action::StepBackStage
                | Action::NextStatus
                | Action::PreviousStatus
                | Action::Save
                | Action::Note
                | Action::Question
                | Action::AgreeAction
                | Action::SignOff
                | Action::TogglePresent
        )
    }
}

/// What the outside world reports back to the screen: the results of work the
/// runtime did on the screen's behalf. They go through [`super::update`] too.
#[derive(Debug)]
pub enum Outcome {
    Resized {
        width: u16,
        height: u16,
    },
    /// The saver took this generation to write.
    SaveStarted {
        generation: u64,
    },
    Saved {
        generation: u64,
        result: Result<DiskState, SaveError>,
    },
    Exported(Result<Vec<Written>, ExportError>),
    /// The file was read again from disk (after it changed there). `recovery` is
    /// where the edits that were not saved went first. `took_over`: the riskroom
    /// that held the file has gone, this window holds it now and may edit.
    Reloaded {
        session: Box<Session>,
        disk: Option<DiskState>,
        recovery: Option<PathBuf>,
        took_over: bool,
    },
    /// The session was saved under a new name and continues there.
    SavedAs {
        path: PathBuf,
        disk: DiskState,
    },
    /// A recovery file was read; its session replaces the one on screen.
    Recovered {
        session: Box<Session>,
        from: PathBuf,
    },
    /// Something the runtime tried failed; the text says what.
    Failed(String),
    /// Quitting waits: the session could not be saved (why).
    QuitBlocked {
        reason: String,
    },
    /// The clock the screen reads the day from (tests move a fixed one).
    Clock(crate::tui::app::Clock),
    /// Something the runtime noticed on its own, said unless the key said more.
    Note(&'static str),
    /// This screen serves followers now (it holds the session file).
    /// The room's socket is open; `me` is the facilitator's login name.
    RoomOpened {
        me: String,
    },
    /// What the room tells the facilitator (followers coming and going, ballots).
    Room(crate::room::server::RoomEvent),
    /// What a follower hears: the facilitator's session, changes, view, votes.
    Followed(crate::room::follow::Followed),
    /// The files of an import, read (name and bytes, or why not).
    ImportRead {
        assets: Option<(String, Result<Vec<u8>, String>)>,
        failure_modes: Option<(String, Result<Vec<u8>, String>)>,
    },
}
