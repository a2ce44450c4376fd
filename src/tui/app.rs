//! The state of the workshop screen. [`super::update`] changes it; the views in
//! [`super::view`] draw it without changing it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;
use tui_input::Input;

use super::form::Form;
use super::history::History;
use super::keymap::Context;
use super::theme::Theme;
use crate::domain::flags::FlagCounts;
use crate::domain::ordering::RiskOrder;
use crate::domain::{AssetId, FailureMode, FailureModeId, RatingKind, Session, Status, Threshold};
use crate::export::CsvOptions;

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
    fn new(column: Column) -> Self {
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

#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Filter(Input),
    Form(Box<Form>),
    Confirm(Confirm),
    Help {
        scroll: u16,
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
    },
    /// The room's risks per cycle.
    Cycles {
        scroll: u16,
    },
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
        }
    }
}

/// What `s` narrows the failure modes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Status(Status),
    /// Due before today and not Done or Verified.
    Overdue,
    /// At or above the threshold without a decision.
    NeedsDecision,
}

impl StatusFilter {
    /// The order `s` steps through (after "all").
    pub const CYCLE: [StatusFilter; 6] = [
        StatusFilter::Status(Status::Open),
        StatusFilter::Status(Status::InProgress),
        StatusFilter::Status(Status::Done),
        StatusFilter::Status(Status::Verified),
        StatusFilter::Overdue,
        StatusFilter::NeedsDecision,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StatusFilter::Status(status) => status.name(),
            StatusFilter::Overdue => "overdue",
            StatusFilter::NeedsDecision => "needs a decision",
        }
    }
}

/// The treatment filters of the failure-mode list (both views).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreatmentFilter {
    pub status: Option<StatusFilter>,
    /// An action owner; `Some("")` means "no owner".
    pub owner: Option<String>,
}

impl TreatmentFilter {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner.is_none()
    }

    pub fn matches(&self, fm: &FailureMode, threshold: &Threshold, today: Date) -> bool {
        let status = match self.status {
            None => true,
            Some(StatusFilter::Status(status)) => fm.treatment.recorded_status() == Some(status),
            Some(StatusFilter::Overdue) => fm.treatment.is_overdue(today),
            Some(StatusFilter::NeedsDecision) => threshold.needs_decision(fm),
        };
        let owner = match &self.owner {
            None => true,
            Some(owner) => fm.treatment.owner.trim().eq_ignore_ascii_case(owner),
        };
        status && owner
    }

    /// `status Open, owner CISO`, for the pane's title.
    pub fn describe(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status {}", status.name()));
        }
        match self.owner.as_deref() {
            Some("") => parts.push("no owner".to_string()),
            Some(owner) => parts.push(format!("owner {owner}")),
            None => {}
        }
        parts
    }
}

/// The action owners of a session, each once (ignoring case), sorted; `""` last
/// when some failure mode has none.
pub fn owners(session: &Session) -> Vec<String> {
    let mut owners: Vec<String> = Vec::new();
    let mut unowned = false;
    for fm in &session.failure_modes {
        let owner = fm.treatment.owner.trim();
        if owner.is_empty() {
            unowned = true;
        } else if !owners.iter().any(|o| o.eq_ignore_ascii_case(owner)) {
            owners.push(owner.to_string());
        }
    }
    owners.sort_by_key(|o| o.to_lowercase());
    if unowned {
        owners.push(String::new());
    }
    owners
}

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
}

pub struct App {
    pub session: Session,
    pub path: PathBuf,
    /// Why nothing may be changed, when that is so.
    pub read_only: Option<String>,
    pub theme: Theme,
    pub width: u16,
    pub height: u16,
    pub focus: Pane,
    /// The failure-mode pane shows the treatment columns and fills the screen.
    pub treatment_view: bool,
    pub treatment_filter: TreatmentFilter,
    pub assets: PaneState<AssetId>,
    pub failure_modes: PaneState<FailureModeId>,
    pub order: RiskOrder,
    pub mode: Mode,
    pub history: History,
    pub message: Option<Message>,
    pub save: SaveState,
    pub clock: Clock,
    pub effects: Vec<Effect>,
    /// The session file as we last read or wrote it.
    pub disk: Option<crate::store::DiskState>,
    /// Every change applied to the session since the runtime last took them, so
    /// that the background saver can keep its own copy of the session up to date
    /// instead of receiving a clone of the whole session per save. `None` (the
    /// default) records nothing: only the runtime has a saver to feed.
    pub journal: Option<Vec<crate::domain::Change>>,
    /// Failure modes flagged (undecided above the threshold, overdue), kept up to
    /// date by [`App::apply`]: counting 100,000 per frame would cost the frame.
    pub flags: FlagCounts,
    pub settings: Settings,
}

impl App {
    pub fn new(session: Session, path: PathBuf, theme: Theme, width: u16, height: u16) -> App {
        let order = RiskOrder::of(&session);
        let clock = Clock::System;
        let flags = FlagCounts::of(&session, clock.today());
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
            journal: None,
            flags,
            settings: Settings::default(),
        };
        app.rebuild_rows();
        app
    }

    pub fn context(&self) -> Context {
        self.mode.context()
    }

    /// Applies a change to the session (and to the journal, when kept) and
    /// returns its inverse. Every edit of the session goes through here.
    pub fn apply(&mut self, change: crate::domain::Change) -> crate::domain::Change {
        if let Some(journal) = &mut self.journal {
            journal.push(change.clone());
        }
        self.flags.apply(&mut self.session, change)
    }

    /// Sets the clock (tests fix it) and judges "overdue" by its day.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
        self.recount_flags();
    }

    /// Counts the flagged failure modes afresh: after the session was replaced
    /// wholesale, or on a new day.
    pub fn recount_flags(&mut self) {
        self.flags = FlagCounts::of(&self.session, self.clock.today());
    }

    /// Recomputes the shown rows of both panes from the session, the risk order and
    /// the filters, keeping each selection on the record it was on.
    pub fn rebuild_rows(&mut self) {
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
            self.order
                .ids()
                .filter(|id| {
                    session.failure_mode(*id).is_some_and(|f| {
                        (needle.is_empty()
                            || super::filter::failure_mode_matches(session, f, &needle))
                            && treatment.matches(f, &session.threshold, today)
                    })
                })
                .collect()
        };
        if let Some(id) = keep_fm {
            self.failure_modes.select_id(id);
        }
        self.clamp_views();
    }

    /// Keeps both selections inside their rows and on screen.
    pub fn clamp_views(&mut self) {
        let layout =
            super::view::layout::Layout::of_view(self.width, self.height, self.treatment_view);
        self.assets.clamp(layout.asset_rows());
        self.failure_modes.clamp(layout.failure_mode_rows());
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Info,
            text: text.into(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
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
    pub fn save_deadline(&self) -> Option<Instant> {
        if self.read_only.is_some() || self.save.in_flight.is_some() || self.save.conflict {
            return None;
        }
        self.save
            .unsaved_since
            .map(|since| since + self.settings.autosave_delay)
    }
}
