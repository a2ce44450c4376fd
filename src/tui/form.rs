//! The add/edit forms of assets and failure modes: fields in the order of SPEC 3,
//! digit entry that moves on, choices, the asset field with suggestions, and the
//! conversion back into a record (with a message naming the field when it fails).

mod convert;
mod input;
#[cfg(test)]
mod tests;

use tui_input::Input;

use crate::domain::{
    Asset, AssetId, Category, Decision, FailureMode, FailureModeId, RatingKind, Session, Status,
    Threshold,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Name,
    Owner,
    Confidentiality,
    Integrity,
    Availability,
    Category,
    Location,
    Description,
    Mode,
    Effect,
    Cause,
    Asset,
    Controls,
    Severity,
    Occurrence,
    Detection,
    Process,
    Decision,
    Action,
    TreatmentOwner,
    Due,
    Status,
    ActionTaken,
    RevisedSeverity,
    RevisedOccurrence,
    RevisedDetection,
    ThresholdRpn,
    ThresholdApHigh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A rating; `optional` ones (revised ratings) can be left empty.
    Rating {
        kind: RatingKind,
        optional: bool,
    },
    Choice(&'static [&'static str]),
    /// An asset ID, typed as ID or name, with suggestions.
    Asset,
    Date,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub label: &'static str,
    pub kind: FieldKind,
    /// Text of Text, Asset and Date fields.
    pub input: Input,
    pub rating: Option<u8>,
    /// Index into the options of a Choice field.
    pub choice: usize,
    /// The value was copied from this failure mode (the selected row) and has not
    /// been edited since: the form says so beside it.
    pub copied_from: Option<FailureModeId>,
}

impl Field {
    fn text(id: FieldId, label: &'static str, value: &str) -> Field {
        Field {
            id,
            label,
            kind: FieldKind::Text,
            input: Input::new(value.to_string()),
            rating: None,
            choice: 0,
            copied_from: None,
        }
    }

    fn rating(id: FieldId, kind: RatingKind, value: Option<u8>, optional: bool) -> Field {
        let label = match (kind, optional) {
            (RatingKind::Confidentiality, _) => "Confidentiality",
            (RatingKind::Integrity, _) => "Integrity",
            (RatingKind::Availability, _) => "Availability",
            (RatingKind::Severity, false) => "Severity",
            (RatingKind::Occurrence, false) => "Occurrence",
            (RatingKind::Detection, false) => "Detection",
            (RatingKind::Severity, true) => "Revised S",
            (RatingKind::Occurrence, true) => "Revised O",
            (RatingKind::Detection, true) => "Revised D",
        };
        Field {
            id,
            label,
            kind: FieldKind::Rating { kind, optional },
            input: Input::default(),
            rating: value,
            choice: 0,
            copied_from: None,
        }
    }

    fn choice(
        id: FieldId,
        label: &'static str,
        options: &'static [&'static str],
        choice: usize,
    ) -> Field {
        Field {
            id,
            label,
            kind: FieldKind::Choice(options),
            input: Input::default(),
            rating: None,
            choice,
            copied_from: None,
        }
    }

    fn with_kind(mut self, kind: FieldKind) -> Field {
        self.kind = kind;
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn choice_text(&self) -> &'static str {
        match self.kind {
            FieldKind::Choice(options) => options.get(self.choice).copied().unwrap_or(""),
            _ => "",
        }
    }

    /// Whether the field edits text (and shows a text cursor).
    pub fn is_textual(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text | FieldKind::Asset | FieldKind::Date
        )
    }
}

/// What the form will change when saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    NewAsset,
    Asset(AssetId),
    NewFailureMode,
    FailureMode(FailureModeId),
    /// The session's decision threshold.
    Threshold,
}

impl Target {
    pub fn is_asset(self) -> bool {
        matches!(self, Target::NewAsset | Target::Asset(_))
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub target: Target,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save was refused, or what a key could not do.
    pub message: Option<String>,
    /// The highlighted suggestion of the asset field.
    pub suggestion: usize,
    /// The focused text was just entered by Tab and is all selected, as in a
    /// browser: typing replaces it, Backspace clears it, a cursor key keeps it.
    pub selected_all: bool,
    /// Letters typed into the focused choice field (type-ahead).
    typed: String,
    /// Something was typed or chosen since the form opened.
    pub edited: bool,
    /// Esc was pressed once on an edited form: the next Esc discards it.
    pub discard_armed: bool,
    /// What the form is about, shown under the fields while there is no message.
    pub note: Option<&'static str>,
    /// The field where a `1` was typed into a 1-10 rating and waits: a `0`
    /// next makes it 10 (SPEC 3).
    one_waits: Option<usize>,
}

const YES_NO: &[&str] = &["yes", "no"];

/// One match of the asset field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: AssetId,
    pub name: String,
}

/// The assets a text names: an exact ID, or IDs starting with it, or names
/// containing it (case-insensitive), in ID order. At most `limit`.
pub fn asset_suggestions(session: &Session, text: &str, limit: usize) -> Vec<Suggestion> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return Vec::new();
    }
    if let Ok(id) = wanted.to_uppercase().parse::<AssetId>()
        && let Some(asset) = session.asset(id)
    {
        return vec![Suggestion {
            id,
            name: asset.name.clone(),
        }];
    }
    session
        .assets
        .iter()
        .filter(|a| {
            a.id.to_string().to_lowercase().starts_with(&wanted)
                || a.name.to_lowercase().contains(&wanted)
        })
        .take(limit)
        .map(|a| Suggestion {
            id: a.id,
            name: a.name.clone(),
        })
        .collect()
}

impl Form {
    fn new(target: Target, fields: Vec<Field>) -> Form {
        let selected_all = fields
            .first()
            .is_some_and(|f| f.is_textual() && !f.value().is_empty());
        Form {
            target,
            fields,
            focus: 0,
            message: None,
            suggestion: 0,
            selected_all,
            typed: String::new(),
            edited: false,
            discard_armed: false,
            note: None,
            one_waits: None,
        }
    }

    /// The decision threshold: from which RPN, and whether AP H, a failure mode
    /// needs a treatment decision.
    pub fn for_threshold(threshold: &Threshold) -> Form {
        let fields = vec![
            Field::text(
                FieldId::ThresholdRpn,
                "RPN from",
                &threshold.rpn.to_string(),
            ),
            Field::choice(
                FieldId::ThresholdApHigh,
                "Or AP H",
                YES_NO,
                usize::from(!threshold.ap_high),
            ),
        ];
        let mut form = Form::new(Target::Threshold, fields);
        form.note = Some("Needs a decision from here on (? flags it). RPN 0: only AP H counts.");
        form
    }

    /// SPEC 3: name, owner, confidentiality, integrity, availability, category,
    /// location, description.
    pub fn for_asset(asset: Option<&Asset>) -> Form {
        let blank = Asset::new(AssetId(0), "", Category::Hardware);
        let a = asset.unwrap_or(&blank);
        let category = Category::ALL
            .iter()
            .position(|c| *c == a.category)
            .unwrap_or(0);
        // A new asset starts unrated: the room must agree each rating.
        let rating = |v: u8| asset.map(|_| v);
        let fields = vec![
            Field::text(FieldId::Name, "Name", &a.name),
            Field::text(FieldId::Owner, "Owner", &a.owner),
            Field::rating(
                FieldId::Confidentiality,
                RatingKind::Confidentiality,
                rating(a.confidentiality),
                false,
            ),
            Field::rating(
                FieldId::Integrity,
                RatingKind::Integrity,
                rating(a.integrity),
                false,
            ),
            Field::rating(
                FieldId::Availability,
                RatingKind::Availability,
                rating(a.availability),
                false,
            ),
            Field::choice(FieldId::Category, "Category", &Category::NAMES, category),
            Field::text(FieldId::Location, "Location", &a.location),
            Field::text(FieldId::Description, "Description", &a.description),
        ];
        let target = asset.map_or(Target::NewAsset, |a| Target::Asset(a.id));
        Form::new(target, fields)
    }

    /// SPEC 3: mode, effect, cause, asset, controls, severity, occurrence,
    /// detection, process, then the treatment. `process` is the name of the
    /// failure mode's process (or, for a new one, the one to pre-fill); the form
    /// edits the name, and saving finds or makes its process record.
    pub fn for_failure_mode(
        fm: Option<&FailureMode>,
        prefill_asset: Option<AssetId>,
        process: &str,
    ) -> Form {
        let mut blank = FailureMode::new(FailureModeId(0), "");
        blank.asset = prefill_asset;
        let f = fm.unwrap_or(&blank);
        let t = &f.treatment;
        let new = fm.is_none();
        // A new failure mode starts with its ratings empty: the room must agree them.
        let rating = |v: u8| if new { None } else { Some(v) };
        let decision = Decision::ALL
            .iter()
            .position(|d| *d == t.decision)
            .unwrap_or(0);
        let status = Status::ALL.iter().position(|s| *s == t.status).unwrap_or(0);
        let asset_text = f.asset.map(|a| a.to_string()).unwrap_or_default();
        let fields = vec![
            Field::text(FieldId::Mode, "Failure mode", &f.mode),
            Field::text(FieldId::Effect, "Effect", &f.effect),
            Field::text(FieldId::Cause, "Cause", &f.cause),
            Field::text(FieldId::Asset, "Asset", &asset_text).with_kind(FieldKind::Asset),
            Field::text(FieldId::Controls, "Controls", &f.controls),
            Field::rating(
                FieldId::Severity,
                RatingKind::Severity,
                rating(f.severity),
                false,
            ),
            Field::rating(
                FieldId::Occurrence,
                RatingKind::Occurrence,
                rating(f.occurrence),
                false,
            ),
            Field::rating(
                FieldId::Detection,
                RatingKind::Detection,
                rating(f.detection),
                false,
            ),
            Field::text(FieldId::Process, "Process", process),
            Field::choice(FieldId::Decision, "Decision", &Decision::NAMES, decision),
            Field::text(FieldId::Action, "Action", &t.action),
            Field::text(FieldId::TreatmentOwner, "Action owner", &t.owner),
            Field::text(
                FieldId::Due,
                "Due",
                &t.due.map(|d| d.to_string()).unwrap_or_default(),
            )
            .with_kind(FieldKind::Date),
            Field::choice(FieldId::Status, "Status", &Status::NAMES, status),
            Field::text(FieldId::ActionTaken, "Action taken", &t.action_taken),
            Field::rating(
                FieldId::RevisedSeverity,
                RatingKind::Severity,
                t.revised_severity,
                true,
            ),
            Field::rating(
                FieldId::RevisedOccurrence,
                RatingKind::Occurrence,
                t.revised_occurrence,
                true,
            ),
            Field::rating(
                FieldId::RevisedDetection,
                RatingKind::Detection,
                t.revised_detection,
                true,
            ),
        ];
        let target = fm.map_or(Target::NewFailureMode, |f| Target::FailureMode(f.id));
        Form::new(target, fields)
    }

    /// Marks the pre-filled asset and process as copied from `row`, so that the
    /// form shows where they came from until they are edited.
    pub fn copied_from(mut self, row: FailureModeId) -> Form {
        for field in &mut self.fields {
            if matches!(field.id, FieldId::Asset | FieldId::Process) && !field.value().is_empty() {
                field.copied_from = Some(row);
            }
        }
        self
    }

    /// A `1` typed into a 1-10 rating waits for a `0`: any key but text input
    /// confirms it as 1 (SPEC 3).
    pub fn confirm_waiting_one(&mut self) {
        self.one_waits = None;
    }

    /// Whether the focused rating holds a `1` that a `0` would make 10.
    pub fn one_waits(&self) -> bool {
        self.one_waits == Some(self.focus)
    }

    /// Whether Enter goes to a rating still to give instead of saving: a new
    /// record whose ratings are not all given. The footer says so.
    pub fn enter_goes_to_ratings(&self) -> bool {
        matches!(self.target, Target::NewAsset | Target::NewFailureMode)
            && self.fields.iter().any(|f| {
                matches!(
                    f.kind,
                    FieldKind::Rating {
                        optional: false,
                        ..
                    }
                ) && f.rating.is_none()
            })
    }

    pub fn title(&self) -> String {
        match self.target {
            Target::NewAsset => "New asset".into(),
            Target::Asset(id) => format!("Edit asset {id}"),
            Target::NewFailureMode => {
                let copied = |id| self.field(id).and_then(|f| f.copied_from);
                match (copied(FieldId::Asset), copied(FieldId::Process)) {
                    (Some(row), Some(_)) => {
                        format!("New failure mode · asset and process as {row}")
                    }
                    (Some(row), None) => format!("New failure mode · asset as {row}"),
                    (None, Some(row)) => format!("New failure mode · process as {row}"),
                    (None, None) => "New failure mode".into(),
                }
            }
            Target::FailureMode(id) => format!("Edit failure mode {id}"),
            Target::Threshold => "Decision threshold".into(),
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    fn focused_mut(&mut self) -> &mut Field {
        let i = self.focus.min(self.fields.len() - 1);
        &mut self.fields[i]
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn focus_on(&mut self, id: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
            self.select_all();
        }
    }

    fn select_all(&mut self) {
        self.one_waits = None;
        self.typed.clear();
        let field = self.focused();
        self.selected_all = field.is_textual() && !field.value().is_empty();
    }

    /// Moves to the next field (wrapping), resolving the asset field on the way out.
    pub fn next_field(&mut self, session: &Session) {
        self.leave_field(session);
        self.focus = (self.focus + 1) % self.fields.len();
        self.select_all();
    }

    pub fn previous_field(&mut self, session: &Session) {
        self.leave_field(session);
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.select_all();
    }

    /// Leaving the asset field turns what was typed into the chosen asset's ID.
    fn leave_field(&mut self, session: &Session) {
        self.one_waits = None;
        self.suggestion_clamp(session);
        if self.focused().kind == FieldKind::Asset {
            let suggestions = asset_suggestions(session, self.focused().value(), 50);
            if let Some(s) = suggestions.get(self.suggestion) {
                self.focused_mut().input = Input::new(s.id.to_string());
            }
        }
        self.suggestion = 0;
    }

    fn suggestion_clamp(&mut self, session: &Session) {
        let n = asset_suggestions(session, self.focused().value(), 50).len();
        self.suggestion = self.suggestion.min(n.saturating_sub(1));
    }

    pub fn move_suggestion(&mut self, session: &Session, forward: bool) {
        if self.focused().kind != FieldKind::Asset {
            return;
        }
        let n = asset_suggestions(session, self.focused().value(), 50).len();
        if n > 0 {
            self.suggestion = if forward {
                (self.suggestion + 1) % n
            } else {
                (self.suggestion + n - 1) % n
            };
        }
    }

    /// The process name typed (trimmed); the caller finds or makes its record.
    pub fn process_name(&self) -> String {
        self.text_of(FieldId::Process)
    }

    fn text_of(&self, id: FieldId) -> String {
        self.field(id)
            .map(|f| f.value().trim().to_string())
            .unwrap_or_default()
    }

    fn rating_of(&self, id: FieldId) -> Option<u8> {
        self.field(id).and_then(|f| f.rating)
    }

    fn choice_of(&self, id: FieldId) -> usize {
        self.field(id).map_or(0, |f| f.choice)
    }

    fn refuse<T>(&mut self, id: FieldId, message: String) -> Option<T> {
        self.focus_on(id);
        self.message = Some(message);
        None
    }
}
