//! The forms of the room's record: the session's details (`D`), a participant,
//! and the facilitator's entries for the decision log (a note, a parking-lot
//! question, an action), each back into the domain's own types.

use jiff::civil::Date;

use super::convert::date_problem;
use super::{EntryKind, Field, FieldId, FieldKind, Form, Target, YES_NO};
use crate::domain::change::Info;
use crate::domain::log::Event;
use crate::domain::{FailureModeId, Participant, Process, Session};

/// The rows of the details form, in the order `D` lists them.
pub const DETAIL_FIELDS: [FieldId; 5] = [
    FieldId::Title,
    FieldId::Organisation,
    FieldId::Scope,
    FieldId::Facilitator,
    FieldId::Dates,
];

const ABOUT: &[&str] = &["the selected failure mode", "the workshop"];

impl Form {
    /// The session's details, opened on the field of `row` (a row of `D`).
    pub fn for_details(session: &Session, row: usize) -> Form {
        let dates = session
            .dates
            .iter()
            .map(Date::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let fields = vec![
            Field::text(FieldId::Title, "Title", &session.title),
            Field::text(FieldId::Organisation, "Organisation", &session.organisation),
            Field::text(FieldId::Scope, "Scope (4.3)", &session.scope),
            Field::text(FieldId::Facilitator, "Facilitator", &session.facilitator),
            Field::text(FieldId::Dates, "Workshop dates", &dates),
        ];
        let mut form = Form::new(Target::Details { row }, fields);
        form.note = Some("Dates as YYYY-MM-DD, separated by commas.");
        if let Some(field) = DETAIL_FIELDS.get(row) {
            form.focus_on(*field);
        }
        form
    }

    /// A participant: name, role, present today. `index` is its place in the
    /// list (`None`: a new participant, present by default: they are in the room).
    pub fn for_participant(participant: Option<&Participant>, index: Option<usize>) -> Form {
        let blank = Participant::new("", "");
        let p = participant.unwrap_or(&blank);
        let present = participant.is_none_or(|p| p.present);
        let fields = vec![
            Field::text(FieldId::Name, "Name", &p.name),
            Field::text(FieldId::Role, "Role", &p.role),
            Field::choice(
                FieldId::Present,
                "Here today",
                YES_NO,
                usize::from(!present),
            ),
        ];
        let mut form = Form::new(Target::Participant(index), fields);
        form.note = Some("Roles e.g.: risk owner, asset owner, ISMS manager, IT, auditor, guest");
        form
    }

    /// A note, a parking-lot question or an action for the decision log, about
    /// `fm` when a failure mode is selected.
    pub fn for_entry(kind: EntryKind, fm: Option<FailureModeId>) -> Form {
        let label = match kind {
            EntryKind::Note => "Note",
            EntryKind::Question => "Question",
            EntryKind::Action => "Action",
        };
        let mut fields = vec![Field::text(FieldId::Entry, label, "")];
        if kind == EntryKind::Action {
            fields.push(Field::text(FieldId::TreatmentOwner, "Owner", ""));
            fields.push(Field::text(FieldId::Due, "Due", "").with_kind(FieldKind::Date));
        }
        if fm.is_some() {
            fields.push(Field::choice(FieldId::About, "About", ABOUT, 0));
        }
        let mut form = Form::new(Target::Entry { kind, fm }, fields);
        form.note = Some(match kind {
            EntryKind::Note => "Goes to the decision log and the minutes; u withdraws it.",
            EntryKind::Question => "Goes to the parking lot of the minutes; u withdraws it.",
            EntryKind::Action => "Due as YYYY-MM-DD. Goes to the minutes; u withdraws it.",
        });
        form
    }

    /// A process record: the header of the seed's FMEA worksheet.
    pub fn for_process(process: &Process) -> Form {
        let fields = vec![
            Field::text(FieldId::Name, "Process", &process.name),
            Field::text(FieldId::Team, "Core team", &process.team.join(", ")),
            Field::text(FieldId::Purpose, "Purpose", &process.purpose),
            Field::text(FieldId::Owner, "Owner", &process.owner),
        ];
        let mut form = Form::new(Target::Process(process.id), fields);
        form.note = Some("Core team: names separated by commas.");
        form
    }

    /// The process this form describes, or `None` with a message: a name, and
    /// one no other process has.
    pub fn to_process(&mut self, session: &Session) -> Option<Process> {
        let Target::Process(id) = self.target else {
            return None;
        };
        let name = self.text_of(FieldId::Name);
        if name.is_empty() {
            return self.refuse(FieldId::Name, "the process needs a name".into());
        }
        if session
            .processes
            .iter()
            .any(|p| p.id != id && p.name.trim() == name)
        {
            return self.refuse(
                FieldId::Name,
                format!("another process is called {name} already"),
            );
        }
        let mut process = Process::new(id, name);
        process.team = self
            .text_of(FieldId::Team)
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        process.purpose = self.text_of(FieldId::Purpose);
        process.owner = self.text_of(FieldId::Owner);
        Some(process)
    }

    pub(super) fn record_title(&self) -> String {
        match self.target {
            Target::Process(id) => format!("Process {id}: the worksheet's header"),
            Target::Details { .. } => "Session details".into(),
            Target::Participant(None) => "New participant".into(),
            Target::Participant(Some(_)) => "Edit participant".into(),
            Target::Entry { kind, fm } => {
                let what = match kind {
                    EntryKind::Note => "Note",
                    EntryKind::Question => "Parking-lot question",
                    EntryKind::Action => "Action agreed",
                };
                match self.entry_about(fm) {
                    Some(id) => format!("{what} on {id}"),
                    None => format!("{what} for the workshop"),
                }
            }
            _ => String::new(),
        }
    }

    /// The failure mode an entry is about: the selected one unless the About
    /// field says the workshop.
    fn entry_about(&self, fm: Option<FailureModeId>) -> Option<FailureModeId> {
        fm.filter(|_| self.choice_of(FieldId::About) == 0)
    }

    /// The details this form describes (participants as in `session`), or
    /// `None` with a message on the field at fault.
    pub fn to_info(&mut self, session: &Session) -> Option<Info> {
        let title = self.text_of(FieldId::Title);
        if title.is_empty() {
            return self.refuse(FieldId::Title, "the workshop needs a title".into());
        }
        let mut dates = Vec::new();
        for part in self
            .text_of(FieldId::Dates)
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<Date>() {
                Ok(date) => dates.push(date),
                Err(_) => return self.refuse(FieldId::Dates, date_problem(part)),
            }
        }
        dates.sort();
        dates.dedup();
        Some(Info {
            title,
            organisation: self.text_of(FieldId::Organisation),
            scope: self.text_of(FieldId::Scope),
            facilitator: self.text_of(FieldId::Facilitator),
            dates,
            participants: session.participants.clone(),
        })
    }

    /// The participant this form describes, or `None` with a message: a name
    /// is needed, and one no other participant has (the log names people by it).
    pub fn to_participant(&mut self, others: &[Participant]) -> Option<Participant> {
        let name = self.text_of(FieldId::Name);
        if name.is_empty() {
            return self.refuse(FieldId::Name, "the participant needs a name".into());
        }
        if others.iter().any(|p| p.name == name) {
            return self.refuse(
                FieldId::Name,
                format!("{name} is already on the list (the log tells people apart by name)"),
            );
        }
        let mut participant = Participant::new(name, self.text_of(FieldId::Role));
        participant.present = self.choice_of(FieldId::Present) == 0;
        Some(participant)
    }

    /// The log event this form describes, or `None` with a message.
    pub fn to_entry(&mut self) -> Option<Event> {
        let Target::Entry { kind, fm } = self.target else {
            return None;
        };
        let fm = self.entry_about(fm);
        let text = self.text_of(FieldId::Entry);
        if text.is_empty() {
            return self.refuse(FieldId::Entry, "write what is to be recorded".into());
        }
        Some(match kind {
            EntryKind::Note => Event::Note { fm, text },
            EntryKind::Question => Event::Question { fm, text },
            EntryKind::Action => {
                let owner = self.text_of(FieldId::TreatmentOwner);
                if owner.is_empty() {
                    return self.refuse(
                        FieldId::TreatmentOwner,
                        "an action needs an owner: who does it?".into(),
                    );
                }
                let due = self.due()?;
                Event::Action {
                    fm,
                    text,
                    owner,
                    due,
                }
            }
        })
    }
}
