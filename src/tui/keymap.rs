//! The one table of key bindings. It maps keys to actions (by mode and focus), and
//! the same table writes the footer hints and the `?` help, so they cannot drift
//! from what the keys really do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::InputRequest;

use super::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The tables (either pane).
    Normal,
    Form,
    Filter,
    Confirm,
    Help,
    Export,
    Picker,
    /// The picker's "new workshop" form.
    NewWorkshop,
    /// The file changed on disk.
    Conflict,
    SaveAs,
    Import,
    /// The Annex A picker of a failure mode.
    Controls,
    /// The history of a failure mode across the cycles.
    History,
    /// The cycle summary of the room.
    Cycles,
    /// The session's details and participants (after D).
    Details,
    /// A risk acceptance sign-off (after Y).
    SignOff,
    /// The decision log (after L).
    Log,
    /// The facilitator's rating vote (after v).
    Vote,
    /// A follower's ballot (a vote the facilitator opened).
    Ballot,
    /// The facilitator types in the vote of someone without a terminal.
    Proxy,
    /// The ISMS programme (roadmap, documents, control groups).
    Programme,
    /// One record in full, large (the focus view).
    Focus,
    /// The risk matrix.
    Matrix,
    /// The merge conflicts a `git merge` left in the session.
    Merge,
}

impl Context {
    /// Every context, in the order the help lists them: the tables first, the
    /// session picker last.
    pub const ALL: [Context; 24] = [
        Context::Normal,
        Context::Focus,
        Context::Matrix,
        Context::Form,
        Context::Filter,
        Context::Confirm,
        Context::Export,
        Context::Import,
        Context::Controls,
        Context::History,
        Context::Cycles,
        Context::Details,
        Context::SignOff,
        Context::Log,
        Context::Vote,
        Context::Proxy,
        Context::Ballot,
        Context::Programme,
        Context::Merge,
        Context::Help,
        Context::Conflict,
        Context::SaveAs,
        Context::Picker,
        Context::NewWorkshop,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Normal => "Tables",
            Context::Form => "Forms",
            Context::Filter => "Filter (after /)",
            Context::Confirm => "Confirmations",
            Context::Help => "This help",
            Context::Export => "Export dialog (after x)",
            Context::Picker => "Session picker",
            Context::NewWorkshop => "New workshop (in the picker)",
            Context::Conflict => "When the file changed on disk",
            Context::SaveAs => "Save as (after the file changed on disk)",
            Context::Import => "Import dialog (after i)",
            Context::Controls => "Annex A controls (after A)",
            Context::History => "History of a failure mode (after H)",
            Context::Cycles => "Cycle summary, trend and Pareto (after c)",
            Context::Focus => "Focus view (after f)",
            Context::Matrix => "Risk matrix (after m)",
            Context::Details => "Session details and participants (after D)",
            Context::SignOff => "Risk acceptance sign-off (after Y)",
            Context::Log => "Decision log (after L)",
            Context::Vote => "Rating vote, facilitator (after v)",
            Context::Ballot => "Your vote, follower (riskroom follow)",
            Context::Proxy => "A vote for someone in the room (n in a vote)",
            Context::Programme => "ISMS programme (after R)",
            Context::Merge => "Merge conflicts (on opening a session that holds them, and after M)",
        }
    }

    /// Contexts where unbound printable keys are typed into a text field.
    fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Form
                | Context::Filter
                | Context::Export
                | Context::NewWorkshop
                | Context::SaveAs
                | Context::Import
                | Context::Controls
                | Context::Proxy
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// How the key is written in hints and help.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::Backspace => "Backspace".into(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        let mut modifiers = event.modifiers;
        // Shift is part of the character itself ('P', '?'), and BackTab implies it.
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let code = match event.code {
            // Some terminals report Ctrl-letters in upper case.
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            code => code,
        };
        code == self.code && modifiers == self.modifiers
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// What it does, for the help screen.
    pub help: &'static str,
    /// A short word for the footer; bindings without one show only in the help.
    pub hint: Option<&'static str>,
    /// How the keys are written when listing them one by one would be too long.
    pub keys_label: Option<&'static str>,
    /// The footer word in the treatment view when it differs from `hint` (`None`
    /// inside: not offered there).
    pub treatment_hint: Option<Option<&'static str>>,
    /// The footer word while a new record still waits for its ratings and the
    /// key takes the form to them (the fast path: `a`, text, Enter, digits, Enter).
    pub ratings_hint: Option<&'static str>,
}

impl Binding {
    /// The same binding with another footer word (or none) in the treatment view.
    const fn in_treatment_view(self, hint: Option<&'static str>) -> Binding {
        Binding {
            treatment_hint: Some(hint),
            ..self
        }
    }

    /// The footer word in the workshop view or in the treatment view.
    pub fn hint_in(&self, treatment_view: bool) -> Option<&'static str> {
        match (treatment_view, self.treatment_hint) {
            (true, Some(hint)) => hint,
            _ => self.hint,
        }
    }
}

const DIGITS: [Key; 10] = [
    ch('1'),
    ch('2'),
    ch('3'),
    ch('4'),
    ch('5'),
    ch('6'),
    ch('7'),
    ch('8'),
    ch('9'),
    ch('0'),
];

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
        hint,
        keys_label: None,
        treatment_hint: None,
        ratings_hint: None,
    }
}

use Context::{
    Ballot, Confirm, Conflict, Controls, Cycles, Details, Export, Filter, Focus, Form, Help,
    History, Import, Log, Matrix, Merge, NewWorkshop, Normal, Picker, Programme, Proxy, SaveAs,
    SignOff, Vote,
};
use KeyCode::{
    BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

/// Every binding, in the order the help lists them and the footer offers them.
#[rustfmt::skip] // one binding a line: this table is read more than it is written
pub const BINDINGS: &[Binding] = &[
    // The tables. Handled in app/update/normal.rs; digits in rating.rs, a/e in form.rs,
    // d in confirm.rs, u/Ctrl-r in undo.rs, A in controls.rs, i in import.rs.
    bind(Normal, &[key(Tab)], Action::FocusNext, "focus the next pane", Some("pane")).in_treatment_view(None),
    bind(Normal, &[key(BackTab)], Action::FocusPrevious, "focus the previous pane", None),
    bind(Normal, &[key(Up), ch('k')], Action::Up, "select the row above", None),
    bind(Normal, &[key(Down), ch('j')], Action::Down, "select the row below", None),
    bind(Normal, &[key(PageUp)], Action::PageUp, "one page up", None),
    bind(Normal, &[key(PageDown)], Action::PageDown, "one page down", None),
    bind(Normal, &[key(Home), ch('g')], Action::Top, "first row", None),
    bind(Normal, &[key(End), ch('G')], Action::Bottom, "last row", None),
    bind(Normal, &[key(Left), ch('h')], Action::Left, "column cursor left", None),
    bind(Normal, &[key(Right), ch('l')], Action::Right, "column cursor right", Some("column")).in_treatment_view(None),
    Binding { keys_label: Some("0-9"), ..bind(Normal, &DIGITS, Action::Rate(0), "set the rating under the column cursor (C I A, S O D); 0 = 10", Some("rate")) }.in_treatment_view(None),
    bind(Normal, &[ch('a')], Action::Add, "add a record to the focused pane", Some("add")).in_treatment_view(None),
    bind(Normal, &[ch('e'), key(Enter)], Action::Edit, "edit the selected record (in the treatment view: its treatment)", Some("edit")),
    bind(Normal, &[ch('t')], Action::ToggleTreatmentView, "treatment view on/off: decision, owner, due, status, RPN → residual RPN", Some("treat")).in_treatment_view(Some("workshop")),
    bind(Normal, &[ch('s')], Action::NextStatusFilter, "failure modes of the next treatment status (then overdue, needs a decision, all)", None).in_treatment_view(Some("status")),
    bind(Normal, &[ch('S')], Action::PreviousStatusFilter, "the same, backwards", None),
    bind(Normal, &[ch('o')], Action::NextOwnerFilter, "failure modes of the next action owner (then no owner, all)", None).in_treatment_view(Some("owner")),
    bind(Normal, &[ch('O')], Action::PreviousOwnerFilter, "the same, backwards", None),
    bind(Normal, &[ch('A')], Action::Controls, "Annex A controls of the selected failure mode: link, existing or planned", None).in_treatment_view(Some("Annex A")),
    bind(Normal, &[ch('H')], Action::History, "history of the selected failure mode across the PDCA cycles", None).in_treatment_view(Some("history")),
    // The room's record: app/update/record.rs.
    bind(Normal, &[ch('D')], Action::Details, "session details: title, organisation, scope, facilitator, dates; participants, their roles, who is here today", Some("details")),
    bind(Normal, &[ch('n')], Action::Note, "a note on the selected failure mode (or the workshop), for the decision log", Some("note")),
    bind(Normal, &[ch('Q')], Action::Question, "an open question for the parking lot", None),
    bind(Normal, &[ch('w')], Action::AgreeAction, "an action agreed in the room: what, who, by when", None),
    bind(Normal, &[ch('Y')], Action::SignOff, "risk acceptance: a participant accepts the residual risk or approves the treatment plan of the selected failure mode (or revokes it)", None).in_treatment_view(Some("sign off")),
    bind(Normal, &[ch('b')], Action::NextProcessFilter, "failure modes of the next process (the seed's worksheet), then all", None),
    bind(Normal, &[ch('B')], Action::PreviousProcessFilter, "the same, backwards", None),
    bind(Normal, &[ch('W')], Action::ProcessForm, "the process of the selected failure mode: name, core team, purpose, owner (the worksheet's header)", None),
    bind(Normal, &[ch('L')], Action::DecisionLog, "the decision log: decisions, sign-offs, notes, parking lot, actions", Some("log")),
    bind(Normal, &[ch('v')], Action::Vote, "rating vote on the selected failure mode: everyone following votes blind (S, O, D, or the one under the column cursor); a follower: your ballot", Some("vote")),
    bind(Normal, &[ch('F')], Action::FollowAgain, "follower: follow the facilitator again after moving on your own", None),
    bind(Normal, &[ch('R')], Action::Programme, "the ISMS programme: roadmap steps, mandatory documents, control groups", None),
    bind(Normal, &[ch('c')], Action::Cycles, "cycle summary: failure modes, AP H, highest and total RPN per cycle; the trend and the RPN Pareto", None).in_treatment_view(Some("cycles")),
    bind(Normal, &[ch('f')], Action::Focus, "focus view: the selected record in full and large, for the room (↑ ↓ walk the list, digits rate)", Some("focus")),
    bind(Normal, &[ch('m')], Action::Matrix, "risk matrix: failure modes per severity x occurrence cell (Enter on a cell lists them)", Some("matrix")),
    bind(Normal, &[ch('M')], Action::MergeConflicts, "the merge conflicts a git merge left in the file: ours or theirs for each", None),
    bind(Normal, &[ch('T')], Action::Threshold, "decision threshold: from which RPN (or AP H) a failure mode needs a decision", None),
    bind(Normal, &[ch('d'), key(Delete)], Action::Delete, "delete the selected record (asks first)", Some("del")),
    bind(Normal, &[ch('u')], Action::Undo, "undo the last change", Some("undo")),
    bind(Normal, &[ctrl('r')], Action::Redo, "redo what was undone", Some("redo")),
    bind(Normal, &[ch('/')], Action::Filter, "filter the focused table by text", Some("filter")),
    bind(Normal, &[key(Esc)], Action::Cancel, "clear the filters of the focused table (text, status, owner)", None),
    bind(Normal, &[ch('p')], Action::AdvanceStage, "next PDCA stage (Act -> Plan starts a new cycle)", Some("stage")),
    bind(Normal, &[ch('P')], Action::StepBackStage, "previous PDCA stage", None),
    bind(Normal, &[ch('x')], Action::Export, "export CSV", Some("export")),
    bind(Normal, &[ch('i')], Action::Import, "import assets and failure modes from CSV (previewed first)", None),
    bind(Normal, &[ctrl('s')], Action::Save, "save now (it also saves by itself)", None),
    bind(Normal, &[ch('?')], Action::Help, "this help", Some("help")),
    bind(Normal, &[ch('q'), ctrl('c')], Action::Quit, "quit (saves first)", Some("quit")),
    // Forms: app/update/form.rs.
    bind(Form, &[key(Tab), key(Down)], Action::NextField, "next field", Some("next")),
    bind(Form, &[key(BackTab), key(Up)], Action::PreviousField, "previous field", Some("prev")),
    Binding { ratings_hint: Some("to ratings"), ..bind(Form, &[key(Enter)], Action::Submit, "save the record (from any field); a new one still unrated: go to its first rating", Some("save")) },
    bind(Form, &[key(Esc)], Action::Cancel, "cancel, change nothing (asks again when something was typed)", Some("cancel")),
    bind(Form, &[ctrl('c')], Action::Quit, "says how to leave the form first (nothing typed is lost)", None),
    bind(Form, &[ctrl('n')], Action::NextSuggestion, "asset field: next suggestion", None),
    bind(Form, &[ctrl('p')], Action::PreviousSuggestion, "asset field: previous suggestion", None),
    bind(Form, &[key(Left)], Action::Left, "choice field: previous choice; text: cursor left", None),
    bind(Form, &[key(Right)], Action::Right, "choice field: next choice; text: cursor right", None),
    // Filter: app/update/normal.rs (`filter`).
    bind(Filter, &[key(Enter)], Action::Submit, "keep the filter and go back to the table", Some("keep")),
    bind(Filter, &[key(Esc)], Action::Cancel, "clear the filter", Some("clear")),
    // Confirmations: app/update/confirm.rs.
    bind(Confirm, &[ch('y')], Action::Yes, "yes, do it", Some("yes")),
    bind(Confirm, &[ch('n'), key(Esc)], Action::No, "no, change nothing", Some("no")),
    // Help: app/update/scrolling.rs.
    bind(Help, &[key(Up), ch('k')], Action::Up, "scroll up", None),
    bind(Help, &[key(Down), ch('j')], Action::Down, "scroll down", Some("scroll")),
    bind(Help, &[key(PageUp)], Action::PageUp, "page up", None),
    bind(Help, &[key(PageDown), ch(' ')], Action::PageDown, "page down", None),
    bind(Help, &[key(Home), ch('g')], Action::Top, "to the top", None),
    bind(Help, &[key(End), ch('G')], Action::Bottom, "to the end", None),
    bind(Help, &[key(Esc), ch('?'), ch('q')], Action::Cancel, "close the help", Some("close")),
    // Export dialog: app/update/dialogs.rs.
    bind(Export, &[key(Enter)], Action::Submit, "write the files", Some("write")),
    bind(Export, &[ctrl('d')], Action::NextDelimiter, "delimiter: , (Excel in English) → ; (Excel in German, French…) → tab", Some("delimiter")),
    bind(Export, &[ctrl('f')], Action::ToggleFormat, "format: CSV files → one Excel workbook (.xlsx, every sheet, drop-downs for the ratings)", Some("format")),
    bind(Export, &[ctrl('b')], Action::ToggleBom, "byte-order mark on/off (on: Excel reads UTF-8 accents and Chinese right)", Some("BOM")),
    bind(Export, &[key(Esc)], Action::Cancel, "close the dialog", Some("close")),
    // Import dialog: app/update/import.rs.
    bind(Import, &[key(Tab), key(Down), key(BackTab), key(Up)], Action::NextField, "the other file", Some("file")),
    bind(Import, &[key(Enter)], Action::Submit, "preview the files; once previewed, import (one undoable step)", Some("preview/import")),
    bind(Import, &[ctrl('t')], Action::ToggleUnknownIds, "rows with an unknown ID: refuse / add under that ID / add under a new ID", Some("IDs")),
    bind(Import, &[ctrl('g')], Action::TogglePartial, "when rows are refused: import nothing / import the good rows", Some("partial")),
    bind(Import, &[key(Esc)], Action::Cancel, "close, change nothing", Some("cancel")),
    // The file changed on disk, and save as: app/update/dialogs.rs.
    bind(Conflict, &[ch('r')], Action::Reload, "reload the file (unsaved edits go to a recovery file first)", Some("reload")),
    bind(Conflict, &[ch('s')], Action::SaveAs, "save yours under a new name and continue there", Some("save as")),
    bind(Conflict, &[ch('o')], Action::Overwrite, "overwrite the file with yours", Some("overwrite")),
    bind(Conflict, &[key(Esc)], Action::Cancel, "decide later (nothing is saved meanwhile)", Some("later")),
    bind(SaveAs, &[key(Enter)], Action::Submit, "save under this name", Some("save")),
    bind(SaveAs, &[key(Esc)], Action::Cancel, "back", Some("cancel")),
    // Annex A controls: app/update/controls.rs.
    bind(Controls, &[key(Up)], Action::Up, "previous control", None),
    bind(Controls, &[key(Down)], Action::Down, "next control", Some("choose")),
    bind(Controls, &[key(PageUp)], Action::PageUp, "page up", None),
    bind(Controls, &[key(PageDown)], Action::PageDown, "page down", None),
    bind(Controls, &[key(Enter)], Action::Submit, "link the control: not linked → existing → planned → not linked", Some("link")),
    bind(Controls, &[key(Esc)], Action::Cancel, "close (every link is already kept; u undoes them one by one)", Some("close")),
    // History of a failure mode: app/update/scrolling.rs.
    bind(History, &[key(Up), ch('k')], Action::Up, "scroll up", None),
    bind(History, &[key(Down), ch('j')], Action::Down, "scroll down", Some("scroll")),
    bind(History, &[key(PageUp)], Action::PageUp, "page up", None),
    bind(History, &[key(PageDown), ch(' ')], Action::PageDown, "page down", None),
    bind(History, &[key(Left), ch('h')], Action::Left, "the failure mode above in the list", Some("previous")),
    bind(History, &[key(Right), ch('l')], Action::Right, "the failure mode below in the list", Some("next")),
    bind(History, &[key(Esc), ch('q'), ch('H')], Action::Cancel, "close", Some("close")),
    // Cycle summary: app/update/scrolling.rs.
    bind(Cycles, &[key(Up), ch('k')], Action::Up, "scroll up", None),
    bind(Cycles, &[key(Down), ch('j')], Action::Down, "scroll down", Some("scroll")),
    bind(Cycles, &[key(PageUp)], Action::PageUp, "page up", None),
    bind(Cycles, &[key(PageDown), ch(' ')], Action::PageDown, "page down", None),
    bind(Cycles, &[key(Esc), ch('q'), ch('c')], Action::Cancel, "close", Some("close")),
    // Details: app/update/record.rs.
    bind(Details, &[key(Up), ch('k')], Action::Up, "the line above", None),
    bind(Details, &[key(Down), ch('j')], Action::Down, "the line below", None),
    bind(Details, &[key(Home), ch('g')], Action::Top, "the title", None),
    bind(Details, &[key(End), ch('G')], Action::Bottom, "the last participant", None),
    bind(Details, &[key(Enter), ch('e')], Action::Edit, "edit the selected detail or participant", Some("edit")),
    bind(Details, &[ch(' ')], Action::TogglePresent, "the selected participant is here today / is not", Some("present")),
    bind(Details, &[ch('a')], Action::Add, "add a participant", Some("add")),
    bind(Details, &[ch('d'), key(Delete)], Action::Delete, "take the selected participant off the list (the log and their sign-offs keep the name)", Some("remove")),
    bind(Details, &[ch('u')], Action::Undo, "undo the last change", Some("undo")),
    bind(Details, &[ctrl('r')], Action::Redo, "redo what was undone", None),
    bind(Details, &[key(Esc), ch('q'), ch('D')], Action::Cancel, "close", Some("close")),
    // Sign-off: app/update/record.rs.
    bind(SignOff, &[key(Up), ch('k')], Action::Up, "the participant above", None),
    bind(SignOff, &[key(Down), ch('j')], Action::Down, "the participant below", Some("who")),
    bind(SignOff, &[key(Left), key(Right), key(Tab), ch('h'), ch('l')], Action::Right, "accept the residual risk / approve the treatment plan", Some("kind")),
    bind(SignOff, &[key(Enter)], Action::Submit, "sign off: who, when and the risk state now go in the record and the log", Some("sign")),
    bind(SignOff, &[ch('r')], Action::Delete, "revoke the sign-off there is (logged)", Some("revoke")),
    bind(SignOff, &[key(Esc)], Action::Cancel, "close, change nothing", Some("cancel")),
    // Decision log: app/update/scrolling.rs.
    bind(Log, &[key(Up), ch('k')], Action::Up, "scroll up", None),
    bind(Log, &[key(Down), ch('j')], Action::Down, "scroll down", Some("scroll")),
    bind(Log, &[key(PageUp)], Action::PageUp, "page up", None),
    bind(Log, &[key(PageDown), ch(' ')], Action::PageDown, "page down", None),
    bind(Log, &[key(Home), ch('g')], Action::Top, "the first entry", None),
    bind(Log, &[key(End), ch('G')], Action::Bottom, "the latest entry", None),
    bind(Log, &[key(Tab)], Action::FocusNext, "only the entries about the selected failure mode / all entries", Some("this FM/all")),
    bind(Log, &[key(Esc), ch('q'), ch('L')], Action::Cancel, "close", Some("close")),
    // The facilitator's vote round: app/update/room.rs (`round`).
    bind(Vote, &[ch('v')], Action::Vote, "reveal the votes: spread, median, who disagrees", Some("reveal")),
    bind(Vote, &[key(Enter)], Action::Submit, "after the reveal: adopt the medians (a half rounds up) and what you typed (one undoable step)", Some("adopt")),
    Binding { keys_label: Some("0-9"), ..bind(Vote, &DIGITS, Action::Rate(0), "after the reveal: the value the room agreed, by hand (0 = 10)", Some("set")) },
    bind(Vote, &[key(Left), key(BackTab)], Action::Left, "the rating before (S, O, D)", None),
    bind(Vote, &[key(Right), key(Tab)], Action::Right, "the rating after", None),
    bind(Vote, &[ch('n')], Action::ProxyVote, "type in the vote of someone in the room without a terminal (name, ratings, Enter)", Some("vote for")),
    bind(Vote, &[ch('N')], Action::NameVoters, "name the voters at the reveal, or not (this session; anonymous unless turned on; the log keeps the names)", None),
    bind(Vote, &[key(Esc)], Action::Cancel, "close the vote, change nothing", Some("close")),
    // A vote typed in for someone: app/update/room.rs (`proxy`).
    bind(Proxy, &[key(Tab), key(Down)], Action::NextField, "next field (name, then the ratings)", Some("next")),
    bind(Proxy, &[key(BackTab), key(Up)], Action::PreviousField, "previous field", None),
    bind(Proxy, &[key(Enter)], Action::Submit, "count this vote", Some("count")),
    bind(Proxy, &[key(Esc)], Action::Cancel, "back to the vote, nothing counted", Some("back")),
    // A follower's ballot: app/update/room.rs (`ballot`).
    Binding { keys_label: Some("0-9"), ..bind(Ballot, &DIGITS, Action::Rate(0), "your rating (0 = 10; 1 then 0 is 10)", Some("rate")) },
    bind(Ballot, &[key(Left), key(BackTab)], Action::Left, "the rating before", None),
    bind(Ballot, &[key(Right), key(Tab)], Action::Right, "the rating after", None),
    bind(Ballot, &[key(Backspace)], Action::Input(InputRequest::DeletePrevChar), "clear the rating", None),
    bind(Ballot, &[key(Enter)], Action::Submit, "send your vote (you can change it until the reveal)", Some("send")),
    bind(Ballot, &[key(Esc)], Action::Cancel, "hide the ballot (v shows it again)", Some("hide")),
    // The ISMS programme: app/update/programme.rs.
    bind(Programme, &[key(Up), ch('k')], Action::Up, "the row above", None),
    bind(Programme, &[key(Down), ch('j')], Action::Down, "the row below", None),
    bind(Programme, &[key(PageUp)], Action::PageUp, "one page up", None),
    bind(Programme, &[key(PageDown), ch(' ')], Action::PageDown, "one page down", None),
    bind(Programme, &[key(Home), ch('g')], Action::Top, "first row of the part", None),
    bind(Programme, &[key(End), ch('G')], Action::Bottom, "last row of the part", None),
    bind(Programme, &[key(Tab), key(Right), ch('l')], Action::FocusNext, "next part: roadmap → documents → control groups", Some("part")),
    bind(Programme, &[key(BackTab), key(Left), ch('h')], Action::FocusPrevious, "previous part", None),
    bind(Programme, &[ch('e'), key(Enter)], Action::Edit, "edit the selected step (status, owner, due, evidence, note) or document (status, owner, evidence, last review)", Some("edit")),
    bind(Programme, &[ch('s')], Action::NextStatus, "next status: step not started → in progress → done → not applicable; document missing → draft → approved", Some("status")),
    bind(Programme, &[ch('S')], Action::PreviousStatus, "the same, backwards", None),
    bind(Programme, &[ch('u')], Action::Undo, "undo the last change", Some("undo")),
    bind(Programme, &[ctrl('r')], Action::Redo, "redo what was undone", Some("redo")),
    bind(Programme, &[ctrl('s')], Action::Save, "save now (it also saves by itself)", None),
    bind(Programme, &[ch('?')], Action::Help, "this help", Some("help")),
    bind(Programme, &[key(Esc), ch('q'), ch('R')], Action::Cancel, "close, back to the tables", Some("close")),
    bind(Programme, &[ctrl('c')], Action::Quit, "quit riskroom (saves first)", None),
    // Focus view: app/update/focus.rs (digits through rating.rs, u/Ctrl-r through undo.rs).
    bind(Focus, &[key(Up), ch('k')], Action::Up, "the failure mode above in the list (by RPN); on an asset, the asset above", None),
    bind(Focus, &[key(Down), ch('j')], Action::Down, "the failure mode below in the list (by RPN; after a rating moved this one, the one that followed it); on an asset, the asset below", Some("next")),
    bind(Focus, &[key(Left), ch('h')], Action::Left, "the rating the digits set: back (D → O → S, A → I → C)", None),
    bind(Focus, &[key(Right), ch('l')], Action::Right, "the rating the digits set: on (S → O → D, C → I → A)", Some("S/O/D")),
    Binding { keys_label: Some("0-9"), ..bind(Focus, &DIGITS, Action::Rate(0), "set the rating marked ▶ (0 = 10; 1 then 0 gives 10)", Some("rate")) },
    bind(Focus, &[key(PageUp)], Action::PageUp, "scroll up (a long text)", None),
    bind(Focus, &[key(PageDown), ch(' ')], Action::PageDown, "scroll down (a long text)", None),
    bind(Focus, &[ch('u')], Action::Undo, "undo the last change", Some("undo")),
    bind(Focus, &[ctrl('r')], Action::Redo, "redo what was undone", None),
    bind(Focus, &[key(Esc), ch('q'), ch('f')], Action::Cancel, "back to the table, on this record", Some("close")),
    // Risk matrix: app/update/matrix.rs.
    bind(Matrix, &[key(Up), ch('k')], Action::Up, "the cell above (higher severity)", None),
    bind(Matrix, &[key(Down), ch('j')], Action::Down, "the cell below", None),
    bind(Matrix, &[key(Left), ch('h')], Action::Left, "the cell to the left (lower occurrence)", None),
    bind(Matrix, &[key(Right), ch('l')], Action::Right, "the cell to the right", Some("cell")),
    bind(Matrix, &[key(Enter)], Action::Submit, "list the cell's failure modes in the table (Esc there comes back here)", Some("list")),
    bind(Matrix, &[ch('r')], Action::ToggleBasis, "current ratings / residual after treatment (and how many moved)", Some("residual")),
    bind(Matrix, &[ch('z')], Action::ToggleGrid, "5 x 5 on the action-priority bands / 10 x 10 levels", Some("10x10")),
    bind(Matrix, &[key(Esc), ch('q'), ch('m')], Action::Cancel, "close", Some("close")),
    // Merge conflicts: app/update/merge.rs.
    bind(Merge, &[key(Up), ch('k')], Action::Up, "previous conflict", None),
    bind(Merge, &[key(Down), ch('j')], Action::Down, "next conflict", Some("choose")),
    bind(Merge, &[key(Home), ch('g')], Action::Top, "first conflict", None),
    bind(Merge, &[key(End), ch('G')], Action::Bottom, "last conflict", None),
    bind(Merge, &[ch('o')], Action::TakeOurs, "take ours (this branch's value) for this conflict", Some("ours")),
    bind(Merge, &[ch('t')], Action::TakeTheirs, "take theirs (the merged branch's value) for this conflict", Some("theirs")),
    bind(Merge, &[ch('u')], Action::Undo, "forget the side picked for this conflict", None),
    bind(Merge, &[key(Enter)], Action::Submit, "once every conflict has its side: take them all (one undoable step)", Some("take")),
    bind(Merge, &[key(Esc)], Action::Cancel, "decide later (the file keeps the conflicts; M shows them again)", Some("later")),
    // Session picker: picker.rs (its own loop, before the workshop opens).
    bind(Picker, &[key(Up)], Action::Up, "previous session", None),
    bind(Picker, &[key(Down)], Action::Down, "next session", None),
    bind(Picker, &[key(Home), ch('g')], Action::Top, "first session", None),
    bind(Picker, &[key(End), ch('G')], Action::Bottom, "last line: + New workshop…", None),
    bind(Picker, &[key(Enter)], Action::Submit, "open it (or start a new workshop)", Some("open")),
    bind(Picker, &[key(Esc), ch('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
    bind(NewWorkshop, &[key(Tab), key(Down)], Action::NextField, "title / file name", Some("next field")),
    bind(NewWorkshop, &[key(BackTab), key(Up)], Action::PreviousField, "file name / title", None),
    bind(NewWorkshop, &[key(Enter)], Action::Submit, "create the workshop and open it", Some("create")),
    bind(NewWorkshop, &[key(Esc)], Action::Cancel, "back to the list", Some("back")),
];

/// The action a key press stands for in a context, if any. Unbound printable keys
/// in a text field become text input.
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if let Some(binding) = BINDINGS
        .iter()
        .find(|b| b.context == context && b.keys.iter().any(|k| k.matches(event)))
    {
        return Some(match (binding.action, event.code) {
            (Action::Rate(_), KeyCode::Char(c)) => Action::Rate(c.to_digit(10).unwrap_or(0) as u8),
            (action, _) => action,
        });
    }
    if context.takes_text() {
        return text_input(event).map(Action::Input);
    }
    match event.code {
        KeyCode::Char(c)
            if matches!(context, Context::Normal | Context::Programme)
                && !event
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Unbound(c))
        }
        _ => None,
    }
}

/// Editing keys common to every text field.
fn text_input(event: &KeyEvent) -> Option<InputRequest> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    Some(match event.code {
        KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// The text-editing keys, for the help (they are not in [`BINDINGS`] because any
/// printable key types itself).
pub const TEXT_EDITING_HELP: &[(&str, &str)] = &[
    ("← → Home End", "move in the text (Ctrl-← → by word)"),
    (
        "Backspace Delete",
        "delete a character (Ctrl-Backspace, Ctrl-w: a word)",
    ),
    ("Ctrl-u / Ctrl-k", "delete to the start / to the end"),
];

impl Binding {
    /// Whether the key changes the session, and so is refused (and not offered)
    /// when read-only. Enter in the Annex A picker links a control.
    pub fn edits(&self) -> bool {
        // A follower's digits are its ballot, not the session.
        (self.action.is_edit() && self.context != Context::Ballot)
            || (matches!(self.context, Context::Controls | Context::Merge)
                && self.action == Action::Submit)
    }

    /// The keys as shown to people: "↑/k", "1-9 0".
    pub fn keys_text(&self) -> String {
        match self.keys_label {
            Some(label) => label.to_string(),
            None => self
                .keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("/"),
        }
    }

    /// The first key only, for the footer.
    pub fn first_key_text(&self) -> String {
        match self.keys_label {
            Some(label) => label.to_string(),
            None => self.keys.first().map(|k| k.label()).unwrap_or_default(),
        }
    }
}

/// The footer hints of a context: (key, word, action) in table order.
pub fn hints(context: Context) -> Vec<(String, &'static str)> {
    hint_bindings(context, false)
        .map(|b| (b.first_key_text(), b.hint.unwrap_or("")))
        .collect()
}

/// The footer hints of a context in the workshop or the treatment view.
pub fn hints_in(context: Context, treatment_view: bool) -> Vec<(String, &'static str)> {
    let treatment_view = treatment_view && context == Context::Normal;
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .filter_map(|b| {
            b.hint_in(treatment_view)
                .map(|hint| (b.first_key_text(), hint))
        })
        .collect()
}

/// The bindings of a context that have a footer hint in this view, in table order.
pub fn hint_bindings(
    context: Context,
    treatment_view: bool,
) -> impl Iterator<Item = &'static Binding> {
    let treatment_view = treatment_view && context == Context::Normal;
    BINDINGS
        .iter()
        .filter(move |b| b.context == context && b.hint_in(treatment_view).is_some())
}

/// Which hints the footer keeps when not all fit: lower comes first. The keys a
/// facilitator uses most in front of the room win over navigation, which `?` lists.
pub fn hint_priority(action: Action) -> u8 {
    match action {
        Action::Help | Action::Quit => 0,
        Action::Rate(_) | Action::ToggleTreatmentView => 1,
        Action::Add | Action::NextStatusFilter | Action::NextStatus | Action::ToggleBasis => 2,
        Action::Edit | Action::Focus | Action::ToggleGrid => 3,
        Action::Undo => 4,
        Action::Filter | Action::NextOwnerFilter | Action::Matrix => 5,
        Action::AdvanceStage | Action::Controls => 6,
        Action::Export | Action::History => 7,
        Action::FocusNext | Action::Cycles => 8,
        Action::Right => 9,
        Action::Delete => 10,
        _ => 11,
    }
}

#[cfg(test)]
mod tests;
