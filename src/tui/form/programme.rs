//! The forms of the ISMS programme view: a roadmap step (status, owner, due date,
//! evidence, note) and a mandatory document (status, owner, evidence, last
//! review), and the records they make.

use jiff::civil::Date;

use super::convert::date_problem;
use super::{Field, FieldId, FieldKind, Form, Target};
use crate::domain::programme::{
    Clause, DocumentRecord, DocumentStatus, StepRecord, StepStatus, capitalised, clause, step_name,
};

fn date_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

impl Form {
    /// A roadmap step as recorded (blank when nothing is).
    pub fn for_step(record: &StepRecord) -> Form {
        let status = StepStatus::ALL
            .iter()
            .position(|s| *s == record.status)
            .unwrap_or(0);
        let fields = vec![
            Field::choice(FieldId::Status, "Status", &StepStatus::NAMES, status),
            Field::text(FieldId::Owner, "Owner", &record.owner),
            Field::text(FieldId::Due, "Due", &date_text(record.due)).with_kind(FieldKind::Date),
            Field::text(FieldId::Evidence, "Evidence", &record.evidence),
            Field::text(FieldId::Note, "Note", &record.note),
        ];
        let mut form = Form::new(Target::Step(record.step), fields);
        form.note =
            Some("Evidence: a path or URL. Due YYYY-MM-DD; an open step past it is overdue.");
        form
    }

    /// A mandatory document as recorded (blank when nothing is).
    pub fn for_document(clause: Clause, record: &DocumentRecord) -> Form {
        let status = DocumentStatus::ALL
            .iter()
            .position(|s| *s == record.status)
            .unwrap_or(0);
        let fields = vec![
            Field::choice(FieldId::Status, "Status", &DocumentStatus::NAMES, status),
            Field::text(FieldId::Owner, "Owner", &record.owner),
            Field::text(FieldId::Evidence, "Evidence", &record.evidence),
            Field::text(
                FieldId::LastReview,
                "Last review",
                &date_text(record.last_review),
            )
            .with_kind(FieldKind::Date),
        ];
        let mut form = Form::new(Target::Document(clause.id), fields);
        form.note = Some(if clause.held_by_session() {
            "This session is evidence here; record a document too if there is one."
        } else {
            "Evidence: path or URL. Review due yearly and after each cycle close."
        });
        form
    }

    /// `Roadmap step 17: Measure QISM effectiveness`, `Document 9.2: Internal
    /// audit programme and results`.
    pub(super) fn programme_title(&self) -> String {
        match self.target {
            Target::Step(step) => format!(
                "Roadmap step {step}: {}",
                capitalised(step_name(step).unwrap_or(""))
            ),
            Target::Document(id) => match clause(id) {
                Some(c) => format!("Document {}: {}", c.cited(), capitalised(c.name)),
                None => format!("Document {id}"),
            },
            _ => String::new(),
        }
    }

    /// The date in a date field: `None` when empty, or a message on the field.
    fn date_of(&mut self, id: FieldId) -> Result<Option<Date>, ()> {
        let text = self.text_of(id);
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<Date>() {
            Ok(date) => Ok(Some(date)),
            Err(_) => {
                self.refuse::<()>(id, date_problem(&text));
                Err(())
            }
        }
    }

    /// The step record this form describes, or `None` with the focus on the
    /// field at fault and a message saying why.
    pub fn to_step(&mut self, step: u8) -> Option<StepRecord> {
        let due = self.date_of(FieldId::Due).ok()?;
        Some(StepRecord {
            step,
            status: StepStatus::ALL[self.choice_of(FieldId::Status) % StepStatus::ALL.len()],
            owner: self.text_of(FieldId::Owner),
            due,
            evidence: self.text_of(FieldId::Evidence),
            note: self.text_of(FieldId::Note),
        })
    }

    /// The document record this form describes, or `None` with a message. A
    /// last review after `today` has not happened yet and is refused.
    pub fn to_document(&mut self, clause: &str, today: Date) -> Option<DocumentRecord> {
        let last_review = self.date_of(FieldId::LastReview).ok()?;
        if let Some(day) = last_review.filter(|d| *d > today) {
            return self.refuse(
                FieldId::LastReview,
                format!("{day} is after today ({today}): a last review cannot be in the future"),
            );
        }
        Some(DocumentRecord {
            clause: clause.to_string(),
            status: DocumentStatus::ALL
                [self.choice_of(FieldId::Status) % DocumentStatus::ALL.len()],
            owner: self.text_of(FieldId::Owner),
            evidence: self.text_of(FieldId::Evidence),
            last_review,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::date;
    use tui_input::InputRequest;

    use super::*;
    use crate::domain::Session;

    fn typed(form: &mut Form, field: FieldId, text: &str) {
        form.focus_on(field);
        let session = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        for c in text.chars() {
            form.input(InputRequest::InsertChar(c), &session);
        }
    }

    #[test]
    fn a_step_form_gives_back_the_record_it_was_opened_with() {
        let record = StepRecord {
            step: 17,
            status: StepStatus::InProgress,
            owner: "Kenneth Lau".into(),
            due: Some(date(2026, 11, 15)),
            evidence: "isms/metrics.xlsx".into(),
            note: "監控 KPI".into(),
        };
        let mut form = Form::for_step(&record);
        assert_eq!(form.to_step(17), Some(record));
        assert_eq!(form.title(), "Roadmap step 17: Measure QISM effectiveness");
        let mut blank = Form::for_step(&StepRecord::blank(3));
        assert_eq!(blank.to_step(3), Some(StepRecord::blank(3)));
    }

    #[test]
    fn a_bad_due_date_is_refused_on_its_field() {
        let mut form = Form::for_step(&StepRecord::blank(5));
        typed(&mut form, FieldId::Due, "2026-02-30");
        form.focus_on(FieldId::Owner);
        assert_eq!(form.to_step(5), None);
        assert_eq!(form.focused().id, FieldId::Due);
        assert_eq!(
            form.message.as_deref(),
            Some("2026-02-30: February 2026 has 28 days")
        );
    }

    #[test]
    fn a_document_form_takes_a_review_date_but_not_one_in_the_future() {
        let c = clause("9.2").unwrap();
        let mut form = Form::for_document(c, &DocumentRecord::blank("9.2"));
        assert_eq!(
            form.title(),
            "Document 9.2: Internal audit programme and results"
        );
        typed(&mut form, FieldId::LastReview, "2026-11-20");
        let record = form.to_document("9.2", date(2026, 11, 23)).unwrap();
        assert_eq!(record.last_review, Some(date(2026, 11, 20)));
        assert_eq!(record.status, DocumentStatus::Missing);

        let mut form = Form::for_document(c, &DocumentRecord::blank("9.2"));
        typed(&mut form, FieldId::LastReview, "2026-11-24");
        assert_eq!(form.to_document("9.2", date(2026, 11, 23)), None);
        assert_eq!(form.focused().id, FieldId::LastReview);
        assert!(
            form.message
                .as_deref()
                .unwrap()
                .contains("cannot be in the future"),
            "{:?}",
            form.message
        );
    }
}
