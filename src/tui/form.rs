//! The add/edit forms of assets and failure modes: fields in the order of SPEC 3,
//! digit entry that moves on, choices, the asset field with suggestions, and the
//! conversion back into a record (with a message naming the field when it fails).

use jiff::civil::Date;
use tui_input::{Input, InputRequest};

use crate::domain::{
    Asset, AssetId, Category, Decision, FailureMode, FailureModeId, RatingKind, Session, Status,
    Threshold, Treatment,
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
    /// A `1` just set a 1-10 rating and moved here: the field it set, and this
    /// one. A `0` typed next is most likely someone typing "10".
    after_one: Option<(usize, usize)>,
}

const CATEGORIES: &[&str] = &[
    "Hardware",
    "Software",
    "Service",
    "Network",
    "Information",
    "People",
    "Site",
];
const DECISIONS: &[&str] = &["Undecided", "Reduce", "Accept", "Avoid", "Transfer"];
const STATUSES: &[&str] = &["Open", "In progress", "Done", "Verified"];
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
            after_one: None,
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

    /// The threshold this form describes, or `None` with a message.
    pub fn to_threshold(&mut self) -> Option<Threshold> {
        let text = self.text_of(FieldId::ThresholdRpn);
        let rpn = match text.parse::<u16>() {
            Ok(rpn) if rpn <= 1000 => rpn,
            _ => {
                return self.refuse(
                    FieldId::ThresholdRpn,
                    format!("{text:?}: write an RPN from 0 to 1000 (0: RPN does not count)"),
                );
            }
        };
        Some(Threshold {
            rpn,
            ap_high: self.choice_of(FieldId::ThresholdApHigh) == 0,
        })
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
            Field::choice(FieldId::Category, "Category", CATEGORIES, category),
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
            Field::choice(FieldId::Decision, "Decision", DECISIONS, decision),
            Field::text(FieldId::Action, "Action", &t.action),
            Field::text(FieldId::TreatmentOwner, "Action owner", &t.owner),
            Field::text(
                FieldId::Due,
                "Due",
                &t.due.map(|d| d.to_string()).unwrap_or_default(),
            )
            .with_kind(FieldKind::Date),
            Field::choice(FieldId::Status, "Status", STATUSES, status),
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

    pub fn title(&self) -> String {
        match self.target {
            Target::NewAsset => "New asset".into(),
            Target::Asset(id) => format!("Edit asset {id}"),
            Target::NewFailureMode => "New failure mode".into(),
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
        self.after_one = None;
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

    /// Left and Right: the previous/next choice, a rating one down/up, or the text cursor.
    pub fn step(&mut self, forward: bool) {
        self.selected_all = false;
        let field = self.focused_mut();
        match field.kind {
            FieldKind::Choice(options) => {
                let n = options.len();
                field.choice = if forward {
                    (field.choice + 1) % n
                } else {
                    (field.choice + n - 1) % n
                };
            }
            FieldKind::Rating { kind, .. } => {
                let current = field.rating.unwrap_or(0);
                let next = if forward {
                    current.saturating_add(1).min(kind.max())
                } else {
                    current.saturating_sub(1).max(1)
                };
                field.rating = Some(next);
            }
            _ => {
                field.input.handle(if forward {
                    InputRequest::GoToNextChar
                } else {
                    InputRequest::GoToPrevChar
                });
            }
        }
    }

    /// A key typed into the focused field. Returns true when the form moved on to
    /// the next field (a rating was set by its digit).
    pub fn input(&mut self, request: InputRequest, session: &Session) -> bool {
        self.message = None;
        let selected_all = std::mem::take(&mut self.selected_all);
        let after_one = self.after_one.take();
        let index = self.focus.min(self.fields.len() - 1);
        let field = &mut self.fields[index];
        match field.kind {
            FieldKind::Text | FieldKind::Asset | FieldKind::Date => {
                if selected_all {
                    match request {
                        InputRequest::InsertChar(_) => field.input = Input::default(),
                        InputRequest::DeletePrevChar | InputRequest::DeleteNextChar => {
                            field.input = Input::default();
                            return false;
                        }
                        _ => {}
                    }
                }
                field.input.handle(request);
                self.suggestion = 0;
                false
            }
            FieldKind::Rating { kind, optional } => match request {
                InputRequest::InsertChar(c) if c.is_ascii_digit() => match kind.from_digit(c) {
                    Ok(value) => {
                        field.rating = Some(value);
                        self.next_field(session);
                        // "1 0" sets this rating to 1 and the next to 10, as the
                        // form's contract says; say so, since "ten" was likely meant.
                        match after_one {
                            Some((set, here)) if c == '0' && here == index => {
                                if let FieldKind::Rating { kind: first, .. } = self.fields[set].kind
                                {
                                    self.message = Some(format!(
                                        "{} 1 and {} 10: for a 10 type 0 alone (Shift-Tab: back)",
                                        first.name(),
                                        kind.name()
                                    ));
                                }
                            }
                            _ if c == '1' && kind.max() == 10 && self.focus != index => {
                                self.after_one = Some((index, self.focus));
                            }
                            _ => {}
                        }
                        true
                    }
                    Err(_) => {
                        self.message = Some(format!(
                            "{} is rated 1-{}{}",
                            kind.name(),
                            kind.max(),
                            if kind.max() == 10 {
                                " (0 means 10)"
                            } else {
                                ""
                            }
                        ));
                        false
                    }
                },
                InputRequest::DeletePrevChar
                | InputRequest::DeleteNextChar
                | InputRequest::DeleteLine
                    if optional =>
                {
                    field.rating = None;
                    false
                }
                InputRequest::InsertChar(_) => {
                    self.message = Some(format!(
                        "type a digit for {} (1-{})",
                        kind.name(),
                        kind.max()
                    ));
                    false
                }
                _ => false,
            },
            FieldKind::Choice(options) => {
                if let InputRequest::InsertChar(c) = request {
                    if c == ' ' {
                        field.choice = (field.choice + 1) % options.len();
                        self.typed.clear();
                    } else {
                        // Type-ahead as in a drop-down list: "si" picks Site; the
                        // same letter again moves to the next option with it.
                        let c = c.to_lowercase().next().unwrap_or(c);
                        self.typed.push(c);
                        let repeated = self.typed.chars().all(|t| t == c);
                        let n = options.len();
                        let starts =
                            |i: usize, prefix: &str| options[i].to_lowercase().starts_with(prefix);
                        let found = if repeated {
                            (1..=n)
                                .map(|step| (field.choice + step) % n)
                                .find(|&i| starts(i, &c.to_string()))
                        } else {
                            (0..n).find(|&i| starts(i, &self.typed))
                        };
                        match found {
                            Some(i) => field.choice = i,
                            None => self.typed.clear(),
                        }
                    }
                }
                false
            }
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

    /// The asset this form describes, or `None` with the focus on the field at
    /// fault and a message saying why.
    pub fn to_asset(&mut self, id: AssetId) -> Option<Asset> {
        let name = self.text_of(FieldId::Name);
        if name.is_empty() {
            return self.refuse(FieldId::Name, "the asset needs a name".into());
        }
        let mut asset = Asset::new(
            id,
            name,
            Category::ALL[self.choice_of(FieldId::Category) % Category::ALL.len()],
        );
        asset.owner = self.text_of(FieldId::Owner);
        asset.location = self.text_of(FieldId::Location);
        asset.description = self.text_of(FieldId::Description);
        for (field, kind) in [
            (FieldId::Confidentiality, RatingKind::Confidentiality),
            (FieldId::Integrity, RatingKind::Integrity),
            (FieldId::Availability, RatingKind::Availability),
        ] {
            match self.rating_of(field) {
                Some(value) if asset.set_rating(kind, value).is_ok() => {}
                _ => return self.refuse(field, format!("rate {} (1-{})", kind.name(), kind.max())),
            }
        }
        Some(asset)
    }

    /// The failure mode this form describes (keeping `base`'s other fields), or
    /// `None` with the focus on the field at fault and a message saying why.
    pub fn to_failure_mode(&mut self, id: FailureModeId, session: &Session) -> Option<FailureMode> {
        let mode = self.text_of(FieldId::Mode);
        if mode.is_empty() {
            return self.refuse(FieldId::Mode, "describe the failure mode".into());
        }
        let mut fm = FailureMode::new(id, mode);
        fm.effect = self.text_of(FieldId::Effect);
        fm.cause = self.text_of(FieldId::Cause);
        fm.controls = self.text_of(FieldId::Controls);
        // The process name becomes a record at the save (see `process_name`).

        let asset_text = self.text_of(FieldId::Asset);
        if !asset_text.is_empty() {
            let suggestions = asset_suggestions(session, &asset_text, 50);
            let picked = if self.focused().id == FieldId::Asset {
                suggestions.get(self.suggestion)
            } else {
                suggestions.first()
            };
            match picked {
                Some(s) => fm.asset = Some(s.id),
                None => {
                    return self.refuse(
                        FieldId::Asset,
                        format!("no asset matches {asset_text:?} (leave it empty for none)"),
                    );
                }
            }
        }
        for (field, kind) in [
            (FieldId::Severity, RatingKind::Severity),
            (FieldId::Occurrence, RatingKind::Occurrence),
            (FieldId::Detection, RatingKind::Detection),
        ] {
            match self.rating_of(field) {
                Some(value) if fm.set_rating(kind, value).is_ok() => {}
                _ => {
                    return self.refuse(field, format!("rate {} (1-10; 0 means 10)", kind.name()));
                }
            }
        }

        let due_text = self.text_of(FieldId::Due);
        let due = if due_text.is_empty() {
            None
        } else {
            match due_text.parse::<Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    return self.refuse(FieldId::Due, date_problem(&due_text));
                }
            }
        };
        fm.treatment = Treatment {
            decision: Decision::ALL[self.choice_of(FieldId::Decision) % Decision::ALL.len()],
            action: self.text_of(FieldId::Action),
            owner: self.text_of(FieldId::TreatmentOwner),
            due,
            status: Status::ALL[self.choice_of(FieldId::Status) % Status::ALL.len()],
            action_taken: self.text_of(FieldId::ActionTaken),
            revised_severity: self.rating_of(FieldId::RevisedSeverity),
            revised_occurrence: self.rating_of(FieldId::RevisedOccurrence),
            revised_detection: self.rating_of(FieldId::RevisedDetection),
        };
        Some(fm)
    }
}

/// Why `text` is not a due date, in words: a wrong layout, or a day that the
/// month does not have (`2026-02-30`), which is in the right layout already.
fn date_problem(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match (parts.as_slice(), numbers.as_deref()) {
        ([y, m, d], Some(&[year, month, day])) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            if !(1..=12).contains(&month) {
                format!("{text}: there is no month {month}")
            } else {
                let days = i16::try_from(year)
                    .ok()
                    .and_then(|y| Date::new(y, month as i8, 1).ok())
                    .map(|first| first.days_in_month());
                match days {
                    Some(days) if day > i32::from(days) || day < 1 => {
                        let name = Date::new(2000, month as i8, 1)
                            .map(|d| d.strftime("%B").to_string())
                            .unwrap_or_default();
                        format!("{text}: {name} {year} has {days} days")
                    }
                    _ => format!("{text} is not a date"),
                }
            }
        }
        _ => format!("{text:?} is not a date: write it as YYYY-MM-DD"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn session() -> Session {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.assets
            .push(Asset::new(AssetId(1), "VPN gateway", Category::Network));
        s.assets.push(Asset::new(
            AssetId(2),
            "客戶IP資料庫",
            Category::Information,
        ));
        s.assets
            .push(Asset::new(AssetId(12), "Backup tapes", Category::Hardware));
        s
    }

    fn type_text(form: &mut Form, s: &Session, text: &str) {
        for c in text.chars() {
            form.input(InputRequest::InsertChar(c), s);
        }
    }

    #[test]
    fn field_order_follows_the_spec() {
        let ids: Vec<FieldId> = Form::for_asset(None).fields.iter().map(|f| f.id).collect();
        use FieldId::*;
        assert_eq!(
            ids,
            [
                Name,
                Owner,
                Confidentiality,
                Integrity,
                Availability,
                Category,
                Location,
                Description
            ]
        );
        let ids: Vec<FieldId> = Form::for_failure_mode(None, None, "")
            .fields
            .iter()
            .map(|f| f.id)
            .take(9)
            .collect();
        assert_eq!(
            ids,
            [
                Mode, Effect, Cause, Asset, Controls, Severity, Occurrence, Detection, Process
            ]
        );
    }

    #[test]
    fn a_digit_sets_the_rating_and_moves_on_and_out_of_scale_is_refused() {
        let s = session();
        let mut form = Form::for_asset(None);
        form.focus_on(FieldId::Integrity);
        assert!(!form.input(InputRequest::InsertChar('5'), &s));
        assert_eq!(form.focused().id, FieldId::Integrity);
        assert!(
            form.message
                .as_deref()
                .unwrap_or("")
                .contains("integrity is rated 1-3")
        );
        assert!(form.input(InputRequest::InsertChar('3'), &s));
        assert_eq!(form.focused().id, FieldId::Availability);
        assert_eq!(form.field(FieldId::Integrity).unwrap().rating, Some(3));
    }

    #[test]
    fn typing_one_zero_is_taken_as_the_form_says_and_the_form_says_so() {
        let s = session();
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(FieldId::Severity);
        type_text(&mut form, &s, "10");
        assert_eq!(form.rating_of(FieldId::Severity), Some(1));
        assert_eq!(form.rating_of(FieldId::Occurrence), Some(10));
        assert_eq!(
            form.message.as_deref(),
            Some("severity 1 and occurrence 10: for a 10 type 0 alone (Shift-Tab: back)")
        );
        // The next key clears the warning; a 1 followed by another digit says nothing.
        type_text(&mut form, &s, "1");
        assert_eq!(form.message, None);
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(FieldId::Severity);
        type_text(&mut form, &s, "15");
        assert_eq!(form.message, None);
        // Moving away in between is not typing "10".
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(FieldId::Severity);
        type_text(&mut form, &s, "1");
        form.next_field(&s);
        form.previous_field(&s);
        type_text(&mut form, &s, "0");
        assert_eq!(form.message, None);
    }

    #[test]
    fn zero_means_ten_in_failure_mode_ratings() {
        let s = session();
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(FieldId::Severity);
        form.input(InputRequest::InsertChar('0'), &s);
        assert_eq!(form.field(FieldId::Severity).unwrap().rating, Some(10));
        assert_eq!(form.focused().id, FieldId::Occurrence);
    }

    #[test]
    fn asset_field_completes_on_id_or_name() {
        let s = session();
        assert_eq!(asset_suggestions(&s, "a-012", 5)[0].id, AssetId(12));
        assert_eq!(
            asset_suggestions(&s, "A-1", 5)[0].id,
            AssetId(1),
            "an exact ID wins"
        );
        assert_eq!(asset_suggestions(&s, "a-0", 5).len(), 3, "an ID prefix");
        assert_eq!(asset_suggestions(&s, "資料", 5)[0].id, AssetId(2));
        assert_eq!(asset_suggestions(&s, "vpn", 5)[0].id, AssetId(1));
        assert!(asset_suggestions(&s, "nothing", 5).is_empty());

        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(FieldId::Asset);
        type_text(&mut form, &s, "tape");
        form.next_field(&s);
        assert_eq!(form.field(FieldId::Asset).unwrap().value(), "A-012");
    }

    #[test]
    fn saving_refuses_missing_text_and_ratings_with_the_focus_on_the_field() {
        let s = session();
        let mut form = Form::for_failure_mode(None, Some(AssetId(1)), "Remote access");
        assert!(form.to_failure_mode(FailureModeId(1), &s).is_none());
        assert_eq!(form.focused().id, FieldId::Mode);
        type_text(&mut form, &s, "Stolen VPN token");
        assert!(form.to_failure_mode(FailureModeId(1), &s).is_none());
        assert_eq!(form.focused().id, FieldId::Severity);
        for d in ['8', '4', '6'] {
            form.input(InputRequest::InsertChar(d), &s);
        }
        let fm = form.to_failure_mode(FailureModeId(1), &s).unwrap();
        assert_eq!((fm.severity, fm.occurrence, fm.detection), (8, 4, 6));
        assert_eq!(fm.asset, Some(AssetId(1)), "pre-filled");
        assert_eq!(form.process_name(), "Remote access", "pre-filled");
    }

    #[test]
    fn a_date_in_the_right_layout_but_not_in_the_calendar_says_why() {
        assert_eq!(
            date_problem("2026-02-30"),
            "2026-02-30: February 2026 has 28 days"
        );
        assert_eq!(
            date_problem("2028-02-30"),
            "2028-02-30: February 2028 has 29 days"
        );
        assert_eq!(
            date_problem("2026-04-31"),
            "2026-04-31: April 2026 has 30 days"
        );
        assert_eq!(
            date_problem("2026-13-01"),
            "2026-13-01: there is no month 13"
        );
        assert_eq!(
            date_problem("2026-01-00"),
            "2026-01-00: January 2026 has 31 days"
        );
        assert_eq!(
            date_problem("30.2.2026"),
            "\"30.2.2026\" is not a date: write it as YYYY-MM-DD"
        );
        assert_eq!(
            date_problem("next week"),
            "\"next week\" is not a date: write it as YYYY-MM-DD"
        );
    }

    #[test]
    fn a_bad_date_or_unknown_asset_is_refused() {
        let s = session();
        let mut fm = FailureMode::new(FailureModeId(3), "m");
        fm.severity = 5;
        let mut form = Form::for_failure_mode(Some(&fm), None, "");
        form.focus_on(FieldId::Due);
        type_text(&mut form, &s, "31.12.2026");
        assert!(form.to_failure_mode(FailureModeId(3), &s).is_none());
        assert!(form.message.as_deref().unwrap().contains("YYYY-MM-DD"));
        form.fields
            .iter_mut()
            .find(|f| f.id == FieldId::Due)
            .unwrap()
            .input = Input::new("2026-12-31".into());
        form.focus_on(FieldId::Asset);
        type_text(&mut form, &s, "zzz");
        assert!(form.to_failure_mode(FailureModeId(3), &s).is_none());
        assert_eq!(form.focused().id, FieldId::Asset);
    }

    #[test]
    fn tabbing_into_a_filled_field_selects_it_so_typing_replaces() {
        let s = session();
        let mut form = Form::for_failure_mode(None, Some(AssetId(1)), "Remote access");
        form.focus_on(FieldId::Cause);
        form.next_field(&s);
        assert_eq!(form.focused().id, FieldId::Asset);
        assert!(form.selected_all);
        type_text(&mut form, &s, "tape");
        assert_eq!(form.focused().value(), "tape");
        form.next_field(&s); // Controls, empty
        form.previous_field(&s); // back to Asset, now "A-012"
        form.step(true); // a cursor key keeps the text
        type_text(&mut form, &s, "x");
        assert_eq!(form.focused().value(), "A-012x");
        form.next_field(&s);
        form.previous_field(&s);
        form.input(InputRequest::DeletePrevChar, &s);
        assert_eq!(
            form.focused().value(),
            "",
            "Backspace clears a selected field"
        );
    }

    #[test]
    fn choices_cycle_and_jump_by_letter() {
        let s = session();
        let mut form = Form::for_asset(None);
        form.focus_on(FieldId::Category);
        form.input(InputRequest::InsertChar('s'), &s);
        assert_eq!(form.focused().choice_text(), "Software");
        form.input(InputRequest::InsertChar('s'), &s);
        assert_eq!(form.focused().choice_text(), "Service");
        form.step(false);
        assert_eq!(form.focused().choice_text(), "Software");
        form.next_field(&s);
        form.previous_field(&s);
        form.input(InputRequest::InsertChar('s'), &s);
        form.input(InputRequest::InsertChar('i'), &s);
        assert_eq!(form.focused().choice_text(), "Site", "type-ahead");
    }

    #[test]
    fn the_threshold_form_reads_a_number_and_a_choice() {
        let s = session();
        let mut form = Form::for_threshold(&Threshold::default());
        assert_eq!(form.to_threshold(), Some(Threshold::default()));
        type_text(&mut form, &s, "150");
        form.next_field(&s);
        form.input(InputRequest::InsertChar('n'), &s);
        assert_eq!(
            form.to_threshold(),
            Some(Threshold {
                rpn: 150,
                ap_high: false
            })
        );
        form.focus_on(FieldId::ThresholdRpn);
        type_text(&mut form, &s, "1200");
        assert_eq!(form.to_threshold(), None);
        assert!(form.message.as_deref().unwrap_or("").contains("0 to 1000"));
    }

    #[test]
    fn editing_keeps_every_value() {
        let s = session();
        let mut fm = FailureMode::new(FailureModeId(4), "Mode");
        fm.asset = Some(AssetId(2));
        (fm.severity, fm.occurrence, fm.detection) = (9, 3, 2);
        fm.treatment.decision = Decision::Transfer;
        fm.treatment.status = Status::InProgress;
        fm.treatment.due = Some(jiff::civil::date(2026, 12, 1));
        fm.treatment.revised_occurrence = Some(1);
        let mut form = Form::for_failure_mode(Some(&fm), None, "");
        assert_eq!(form.to_failure_mode(FailureModeId(4), &s).unwrap(), fm);
    }
}
