//! What a key does in the focused field: text editing, a digit in a rating,
//! a choice stepped or picked by its first letter.

use tui_input::{Input, InputRequest};

use super::{FieldKind, Form};
use crate::domain::Session;

impl Form {
    /// Left and Right: the previous/next choice, a rating one down/up, or the text cursor.
    pub fn step(&mut self, forward: bool) {
        self.selected_all = false;
        self.one_waits = None;
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
    ///
    /// SPEC 3: in a 1-10 field a `1` waits for the next key; `0` then makes it
    /// 10 (so "10" typed from habit gives 10), any other key confirms the 1 and
    /// acts as usual: another character moves on and is typed into the next
    /// field, Tab or Enter just do what they do.
    pub fn input(&mut self, request: InputRequest, session: &Session) -> bool {
        self.message = None;
        let index = self.focus.min(self.fields.len() - 1);
        if self.one_waits.take() == Some(index)
            && let InputRequest::InsertChar(c) = request
        {
            if c == '0' {
                self.fields[index].rating = Some(10);
                self.next_field(session);
                return true;
            }
            self.next_field(session);
            self.input(request, session);
            return true;
        }
        let selected_all = std::mem::take(&mut self.selected_all);
        let field = &mut self.fields[index];
        match field.kind {
            FieldKind::Text | FieldKind::Asset | FieldKind::Date => {
                if selected_all {
                    match request {
                        InputRequest::InsertChar(_) => field.input = Input::default(),
                        InputRequest::DeletePrevChar | InputRequest::DeleteNextChar => {
                            field.input = Input::default();
                            field.copied_from = None;
                            return false;
                        }
                        _ => {}
                    }
                }
                if field.input.handle(request).is_some_and(|r| r.value) {
                    field.copied_from = None;
                }
                self.suggestion = 0;
                false
            }
            FieldKind::Rating { kind, optional } => match request {
                InputRequest::InsertChar(c) if c.is_ascii_digit() => match kind.from_digit(c) {
                    Ok(value) => {
                        field.rating = Some(value);
                        if c == '1' && kind.max() == 10 {
                            self.one_waits = Some(index);
                            return false;
                        }
                        self.next_field(session);
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
}
