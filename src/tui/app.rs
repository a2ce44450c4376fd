//! The state of the workshop screen. [`update`] (a child module, so the only code
//! that may write these fields) changes it; the views in [`super::view`] draw it
//! without changing it.

mod filters;
mod mode;
pub mod programme;
pub mod room;
pub mod update;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;

use super::history::History;
use super::keymap::Context;
use super::pane::{Column, Pane, PaneState};
use super::theme::Theme;
use crate::domain::Asset;
use crate::domain::flags::FlagCounts;
use crate::domain::matrix::MatrixCounts;
use crate::domain::ordering::RiskOrder;
use crate::domain::{AssetId, FailureMode, FailureModeId, Session};
use crate::export::CsvOptions;

pub use filters::{StatusFilter, TreatmentFilter, owners};
pub use mode::{
    Confirm, ControlsDialog, ExportDialog, FocusView, ImportDialog, MatrixView, MergeDialog, Mode,
    Pending, Record, SignOffDialog,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

/// Where the session stands against the file on disk.
#[derive(Debug, Clone, Default)]
pub struct SaveState {
    /// Counts changes; the file holds `saved` of them.
    pub generation: u64,
    pub saved: u64,
    /// When the oldest change not yet on disk was made.
    pub unsaved_since: Option<Instant>,
    /// A save is under way for this generation.
    pub in_flight: Option<u64>,
    pub last_error: Option<String>,
    /// The file changed on disk under us: no autosave until the user decides.
    pub conflict: bool,
}

impl SaveState {
    pub fn is_saved(&self) -> bool {
        self.saved == self.generation
    }
}

/// Why a follower changes nothing (said when an edit key is pressed).
pub const FOLLOWER: &str = "following: the facilitator changes it";

/// How long after a change the autosave writes it, unless the config file says
/// otherwise (within `config::AUTOSAVE_MS`). Well inside the two seconds that
/// SPEC 7 allows, while a burst of typing still makes one save, not ten.
pub const AUTOSAVE_DELAY: Duration = crate::config::AUTOSAVE_DEFAULT;

/// What the user's config file decides for the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub autosave_delay: Duration,
    /// The export dialog's delimiter and byte-order mark when it opens.
    pub csv: CsvOptions,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            autosave_delay: AUTOSAVE_DELAY,
            csv: CsvOptions::default(),
        }
    }
}

impl From<&crate::config::Config> for Settings {
    fn from(config: &crate::config::Config) -> Self {
        Settings {
            autosave_delay: config.autosave_delay,
            csv: config.csv,
        }
    }
}

/// The clock, fixed in tests so that stage changes and overdue flags are stable.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(self) -> Timestamp {
        match self {
            Clock::System => crate::domain::pdca::now_in_seconds(Timestamp::now()),
            Clock::Fixed(t) => t,
        }
    }

    /// Today's date, for due dates: where the program runs, or (fixed) in UTC.
    pub fn today(self) -> Date {
        match self {
            Clock::System => jiff::ZonedDateTime::now().date(),
            Clock::Fixed(t) => t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
        }
    }
}

/// Work the screen asks the runtime to do (files, the terminal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    SaveNow,
    Export {
        dir: PathBuf,
        options: CsvOptions,
        /// One workbook instead of the CSV files.
        workbook: bool,
    },
    Quit,
    /// Quit although saving failed: write the session to a recovery file first.
    QuitWithRecovery,
    /// Read the file again from disk (unsaved edits go to a recovery file first).
    Reload,
    /// Save under a new name and continue there.
    SaveAs(PathBuf),
    /// Save over a file that changed on disk.
    Overwrite,
    /// Read a recovery file into the screen.
    OpenRecovery(PathBuf),
    /// Read the files of an import, for its preview.
    ReadImport {
        assets: Option<PathBuf>,
        failure_modes: Option<PathBuf>,
    },
    /// A follower sends its ballot for round `round`.
    Cast {
        round: u64,
        ballot: crate::domain::vote::Ballot,
    },
    /// The facilitator tells a follower what became of its ballot.
    AnswerBallot {
        follower: crate::room::server::FollowerId,
        accepted: bool,
        text: String,
    },
}

/// The digit just typed into a rating cell of the tables: a second digit at
/// once into the same cell makes a two-digit number with it (SPEC 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TypedDigit {
    cell: Record,
    kind: crate::domain::RatingKind,
    digit: u8,
    /// It changed the rating (one step on the undo history to take back).
    took: bool,
}

/// The screen's state. Its fields are private: the views, the runtime and the
/// tests read them through the accessors below, and only [`update`] (a child
/// module) writes them.
pub struct App {
    session: Session,
    path: PathBuf,
    /// Why nothing may be changed, when that is so.
    read_only: Option<String>,
    theme: Theme,
    width: u16,
    height: u16,
    focus: Pane,
    /// The failure-mode pane shows the treatment columns and fills the screen.
    treatment_view: bool,
    treatment_filter: TreatmentFilter,
    assets: PaneState<AssetId>,
    failure_modes: PaneState<FailureModeId>,
    order: RiskOrder,
    mode: Mode,
    history: History,
    message: Option<Message>,
    save: SaveState,
    clock: Clock,
    effects: Vec<Effect>,
    /// The session file as we last read or wrote it.
    disk: Option<crate::store::DiskState>,
    /// Every change applied to the session since the runtime last took them, so
    /// that the saver can keep its own copy of the session up to date instead of
    /// receiving a clone of the whole session per save. `None` while read-only:
    /// nothing is saved, so nothing is recorded.
    journal: Option<Vec<crate::domain::Change>>,
    /// The export dialog as it last wrote the files (directory, options, what
    /// was written): `x` opens it so again.
    exported: Option<ExportDialog>,
    /// The export dialog as it was when Enter started an export still being
    /// written (on the saver's thread): another Enter waits for it.
    exporting: Option<ExportDialog>,
    /// The digit the last key typed into a rating cell, if it was one.
    typed_digit: Option<TypedDigit>,
    /// Failure modes flagged (undecided above the threshold, overdue), kept up to
    /// date by [`App::apply`]: counting 100,000 per frame would cost the frame.
    flags: FlagCounts,
    /// Followers and votes, or what this follower follows.
    room: room::Room,
    /// What the user's config file decides for the screen.
    settings: Settings,
    /// The ISMS programme view (`R`), kept when closed for the next `R`.
    programme: Option<Box<programme::ProgrammeView>>,
    /// How many failure modes have each S x O x D, now and after treatment:
    /// the risk matrix is built from them, kept like the flag counts.
    matrix_counts: MatrixCounts,
    /// The risk matrix's grid, basis and cursor, kept while it is closed.
    matrix: MatrixView,
    /// The sides picked in the conflict view, kept for the conflicts they
    /// were picked for: Esc ("later") or an undo of the decision does not
    /// make the room pick them all again.
    merge_picks: Option<(
        Vec<crate::domain::Conflict>,
        Vec<Option<crate::domain::Side>>,
    )>,
}

impl App {
    pub fn new(session: Session, path: PathBuf, theme: Theme, width: u16, height: u16) -> App {
        let order = RiskOrder::of(&session);
        let clock = Clock::System;
        let flags = FlagCounts::of(&session, clock.today());
        let matrix_counts = MatrixCounts::of(&session);
        let mut app = App {
            session,
            path,
            read_only: None,
            theme,
            width,
            height,
            focus: Pane::FailureModes,
            treatment_view: false,
            treatment_filter: TreatmentFilter::default(),
            assets: PaneState::new(Column::C),
            failure_modes: PaneState::new(Column::S),
            order,
            mode: Mode::Normal,
            history: History::default(),
            message: None,
            save: SaveState::default(),
            clock,
            effects: Vec::new(),
            disk: None,
            journal: Some(Vec::new()),
            exported: None,
            exporting: None,
            typed_digit: None,
            flags,
            room: room::Room::Closed,
            settings: Settings::default(),
            programme: None,
            matrix_counts,
            matrix: MatrixView::default(),
            merge_picks: None,
        };
        app.rebuild_rows();
        // A session a `git merge` left conflicts in opens on them.
        if let Some(dialog) = MergeDialog::of(&app.session) {
            app.mode = Mode::Merge(dialog);
        }
        app
    }

    /// Set-up before the screen runs: the clock (tests fix it).
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self.recount_flags();
        self
    }

    /// Set-up: nothing may be changed, for this reason (said at once).
    pub fn read_only(mut self, reason: impl Into<String>) -> App {
        let reason = reason.into();
        self.error(format!("read-only: {reason}"));
        self.read_only = Some(reason);
        self.journal = None;
        self
    }

    /// Set-up: this screen serves followers (it holds the session file).
    /// `me` is the facilitator's login name, which the vote records keep.
    pub fn facilitating(mut self, me: impl Into<String>) -> App {
        self.room = room::Room::Facilitating(room::Facilitating {
            me: me.into(),
            ..Default::default()
        });
        self
    }

    /// Set-up: this screen follows the facilitator of its session
    /// (`riskroom follow`); it never changes the session itself.
    pub fn following(mut self) -> App {
        self.read_only = Some(FOLLOWER.into());
        self.journal = None;
        self.room = room::Room::Following(room::Following::new());
        self
    }

    /// Set-up: what the user's config file decides (autosave delay, the export
    /// dialog's CSV options).
    pub fn with_settings(mut self, settings: Settings) -> App {
        self.settings = settings;
        self
    }

    /// Set-up: a problem to show on the first screen (a broken config file).
    pub fn with_error(mut self, text: impl Into<String>) -> App {
        self.error(text);
        self
    }

    /// Set-up: something to say on the first screen (a save's effect on who
    /// shares the file, say).
    pub fn with_note(mut self, note: impl Into<String>) -> App {
        self.info(note);
        self
    }

    /// Set-up: the session file as it was when it was read.
    pub fn with_disk(mut self, disk: Option<crate::store::DiskState>) -> App {
        self.disk = disk;
        self
    }

    // What the views, the runtime and the tests read.

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why nothing may be changed, when that is so.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn width(&self) -> u16 {
        self.width
    }

    pub fn height(&self) -> u16 {
        self.height
    }

    /// The pane with the focus.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// The failure-mode pane shows the treatment columns and fills the screen.
    pub fn treatment_view(&self) -> bool {
        self.treatment_view
    }

    pub fn treatment_filter(&self) -> &TreatmentFilter {
        &self.treatment_filter
    }

    pub fn assets(&self) -> &PaneState<AssetId> {
        &self.assets
    }

    pub fn failure_modes(&self) -> &PaneState<FailureModeId> {
        &self.failure_modes
    }

    pub fn order(&self) -> &RiskOrder {
        &self.order
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    pub fn save(&self) -> &SaveState {
        &self.save
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The session file as we last read or wrote it.
    pub fn disk(&self) -> Option<crate::store::DiskState> {
        self.disk
    }

    /// The flagged failure modes (undecided above the threshold, overdue).
    pub fn flags(&self) -> FlagCounts {
        self.flags
    }

    /// The counts behind the risk matrix, kept change by change.
    pub fn matrix_counts(&self) -> &MatrixCounts {
        &self.matrix_counts
    }

    /// The risk matrix's grid, basis and cursor.
    pub fn matrix(&self) -> MatrixView {
        self.matrix
    }

    // The outbox: what the runtime takes after each action.

    pub fn has_effects(&self) -> bool {
        !self.effects.is_empty()
    }

    /// The work asked of the runtime since it last looked.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The changes applied since the runtime last looked, for the saver's copy.
    pub fn take_journal(&mut self) -> Vec<crate::domain::Change> {
        self.journal
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub fn context(&self) -> Context {
        match (&self.mode, self.programme()) {
            (Mode::Normal, Some(_)) => Context::Programme,
            (mode, _) => mode.context(),
        }
    }

    /// The ISMS programme view, while it is open (under any form or dialog).
    pub fn programme(&self) -> Option<&programme::ProgrammeView> {
        self.programme.as_deref().filter(|p| p.open)
    }

    /// The asset selected in the register (whichever pane has the focus).
    pub fn selected_asset(&self) -> Option<&Asset> {
        self.session.asset(self.assets.selected_id()?)
    }

    /// The failure mode selected in its pane (whichever pane has the focus).
    pub fn selected_failure_mode(&self) -> Option<&FailureMode> {
        self.session.failure_mode(self.failure_modes.selected_id()?)
    }

    /// The column cursor of the focused pane.
    pub fn focused_column(&self) -> Column {
        match self.focus {
            Pane::Assets => self.assets.column,
            Pane::FailureModes => self.failure_modes.column,
        }
    }

    /// The text filter of the focused pane.
    pub fn focused_filter(&self) -> &str {
        match self.focus {
            Pane::Assets => &self.assets.filter,
            Pane::FailureModes => &self.failure_modes.filter,
        }
    }

    /// The focused pane's selected row and its number of rows.
    pub fn focused_selection(&self) -> (usize, usize) {
        match self.focus {
            Pane::Assets => (self.assets.selected, self.assets.rows.len()),
            Pane::FailureModes => (self.failure_modes.selected, self.failure_modes.rows.len()),
        }
    }

    fn set_focused_column(&mut self, column: Column) {
        match self.focus {
            Pane::Assets => self.assets.column = column,
            Pane::FailureModes => self.failure_modes.column = column,
        }
    }

    fn set_focused_filter(&mut self, text: String) {
        match self.focus {
            Pane::Assets => self.assets.filter = text,
            Pane::FailureModes => self.failure_modes.filter = text,
        }
        self.rebuild_rows();
    }

    fn set_focused_selection(&mut self, row: usize) {
        match self.focus {
            Pane::Assets => self.assets.selected = row,
            Pane::FailureModes => self.failure_modes.selected = row,
        }
        self.clamp_views();
    }

    /// Applies a change to the session (and to the journal, when kept) and
    /// returns its inverse. Every edit of the session goes through here, and
    /// through the decision log's recorder on the way: what the edit (or its
    /// undo or redo, as `via` says) records is appended in the same change, so
    /// the saver's copy and the file see it too.
    fn apply(
        &mut self,
        change: crate::domain::Change,
        via: crate::domain::log::Via,
    ) -> crate::domain::Change {
        let change = crate::domain::log::recorded(&self.session, change, self.clock.now(), via);
        if let Some(journal) = &mut self.journal {
            journal.push(change.clone());
        }
        if let Some(programme) = &mut self.programme {
            programme.facts.note(&change);
        }
        crate::domain::tally::apply(
            &mut self.session,
            change,
            &mut [&mut self.flags, &mut self.matrix_counts],
        )
    }

    /// Applies a change a follower received from the facilitator: already
    /// recorded there (its decision-log entries are part of it), so it is not
    /// recorded again, and a follower keeps no journal.
    fn apply_received(&mut self, change: crate::domain::Change) -> crate::domain::Change {
        if let Some(programme) = &mut self.programme {
            programme.facts.note(&change);
        }
        crate::domain::tally::apply(
            &mut self.session,
            change,
            &mut [&mut self.flags, &mut self.matrix_counts],
        )
    }

    /// Counts the flagged failure modes afresh: after the session was replaced
    /// wholesale, or on a new day.
    fn recount_flags(&mut self) {
        self.flags = FlagCounts::of(&self.session, self.clock.today());
    }

    /// Recomputes the shown rows of both panes from the session, the risk order and
    /// the filters, keeping each selection on the record it was on.
    fn rebuild_rows(&mut self) {
        let keep_asset = self.assets.selected_id();
        let needle = self.assets.filter.to_lowercase();
        self.assets.rows = self
            .session
            .assets
            .iter()
            .filter(|a| needle.is_empty() || super::filter::asset_matches(a, &needle))
            .map(|a| a.id)
            .collect();
        if let Some(id) = keep_asset {
            self.assets.select_id(id);
        }

        let keep_fm = self.failure_modes.selected_id();
        let needle = self.failure_modes.filter.to_lowercase();
        let session = &self.session;
        let treatment = &self.treatment_filter;
        let today = self.clock.today();
        self.failure_modes.rows = if needle.is_empty() && treatment.is_empty() {
            self.order.ids().collect()
        } else {
            // The records in file order (one pass through memory), then the
            // risk order kept to those: looking each ID of the order up in the
            // session instead was a binary search through 100,000 large
            // records per row, 130 ms a key with a filter (BENCHMARKS.md).
            let matching: std::collections::HashSet<crate::domain::FailureModeId> = session
                .failure_modes
                .iter()
                .filter(|f| {
                    (needle.is_empty() || super::filter::failure_mode_matches(session, f, &needle))
                        && treatment.matches(f, &session.threshold, today)
                })
                .map(|f| f.id)
                .collect();
            self.order
                .ids()
                .filter(|id| matching.contains(id))
                .collect()
        };
        if let Some(id) = keep_fm {
            self.failure_modes.select_id(id);
        }
        self.clamp_views();
    }

    /// Keeps both selections inside their rows and on screen.
    fn clamp_views(&mut self) {
        let layout =
            super::view::layout::Layout::of_view(self.width, self.height, self.treatment_view);
        self.assets.clamp(layout.asset_rows());
        self.failure_modes.clamp(layout.failure_mode_rows());
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Info,
            text: text.into(),
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Error,
            text: text.into(),
        });
    }

    /// Whether the autosave should write now.
    pub fn save_due(&self, now: Instant) -> bool {
        self.read_only.is_none()
            && !self.save.conflict
            && self.save.in_flight.is_none()
            && self
                .save
                .unsaved_since
                .is_some_and(|since| now >= since + self.settings.autosave_delay)
    }

    /// When the runtime should wake up to autosave, if anything is waiting.
    /// Whether an export the dialog started is still being written.
    pub fn is_exporting(&self) -> bool {
        self.exporting.is_some()
    }

    pub fn save_deadline(&self) -> Option<Instant> {
        if self.read_only.is_some() || self.save.in_flight.is_some() || self.save.conflict {
            return None;
        }
        self.save
            .unsaved_since
            .map(|since| since + self.settings.autosave_delay)
    }
}
