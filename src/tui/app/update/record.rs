//! The room's record on the screen: the session's details and participants
//! (`D`, Context::Details), the facilitator's note, parking-lot question and
//! action (`n`, `Q`, `w`: forms that append to the decision log), and the risk
//! acceptance sign-off of a failure mode (`Y`, Context::SignOff). The log
//! itself (`L`) only scrolls: `scrolling`.
//!
//! Every edit here is a `Change` through `commit`, so the decision log's
//! recorder sees it (a participant taken off the list, a sign-off and its
//! revocation are logged by it) and `u` takes it back: a facilitator's entry by
//! a withdrawal, never by erasing it.

use super::super::{App, Mode, SignOffDialog};
use super::{commit, refuse_if_read_only, selected_failure_mode};
use crate::domain::change::Info;
use crate::domain::sign_off::SignOffKind;
use crate::domain::{Change, Decision, Participant};
use crate::tui::action::Action;
use crate::tui::form::{DETAIL_FIELDS, EntryKind, Form, Target};
use crate::tui::pane::Pane;

/// The rows of `D`: the details' fields, then each participant.
fn details_rows(app: &App) -> usize {
    DETAIL_FIELDS.len() + app.session.participants.len()
}

/// The participant on a row of `D`, by place in the list.
fn participant_at(app: &App, row: usize) -> Option<usize> {
    row.checked_sub(DETAIL_FIELDS.len())
        .filter(|i| *i < app.session.participants.len())
}

pub(super) fn open_details(app: &mut App) {
    app.mode = Mode::Details { selected: 0 };
}

/// The details with the participants replaced.
fn with_participants(app: &App, participants: Vec<Participant>) -> Change {
    Change::SetInfo(Box::new(Info {
        participants,
        ..app.session.info()
    }))
}

pub(super) fn details(app: &mut App, action: Action) {
    let Mode::Details { selected } = app.mode else {
        return;
    };
    let rows = details_rows(app);
    let selected = selected.min(rows.saturating_sub(1));
    let participant = participant_at(app, selected);
    match action {
        Action::Up => {
            app.mode = Mode::Details {
                selected: selected.saturating_sub(1),
            }
        }
        Action::Down => {
            app.mode = Mode::Details {
                selected: (selected + 1).min(rows.saturating_sub(1)),
            }
        }
        Action::Top => app.mode = Mode::Details { selected: 0 },
        Action::Bottom => {
            app.mode = Mode::Details {
                selected: rows.saturating_sub(1),
            }
        }
        Action::Edit if refuse_if_read_only(app) => {}
        Action::Edit => {
            let form = match participant {
                Some(i) => Form::for_participant(app.session.participants.get(i), Some(i)),
                None => Form::for_details(&app.session, selected),
            };
            app.mode = Mode::Form(Box::new(form));
        }
        Action::Add if refuse_if_read_only(app) => {}
        Action::Add => app.mode = Mode::Form(Box::new(Form::for_participant(None, None))),
        Action::TogglePresent => {
            let Some(i) = participant else {
                return app.error("select a participant (↓) to mark them here or not");
            };
            let mut participants = app.session.participants.clone();
            let p = &mut participants[i];
            p.present = !p.present;
            let text = format!(
                "{} {}",
                p.name,
                if p.present {
                    "is here today"
                } else {
                    "is not here today"
                }
            );
            let change = with_participants(app, participants);
            commit(app, change, "who is here today".into());
            if !app.is_read_only() {
                app.info(text);
            }
        }
        Action::Delete => {
            let Some(i) = participant else {
                return app.error("select a participant (↓) to take them off the list");
            };
            let mut participants = app.session.participants.clone();
            let gone = participants.remove(i);
            let change = with_participants(app, participants);
            commit(app, change, format!("taking {} off the list", gone.name));
            if !app.is_read_only() {
                app.mode = Mode::Details {
                    selected: selected.min(details_rows(app).saturating_sub(1)),
                };
                app.info(format!(
                    "{} is off the list; the log and any sign-off keep the name (u undoes)",
                    gone.name
                ));
            }
        }
        Action::Undo => super::undo::step(app, true),
        Action::Redo => super::undo::step(app, false),
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
}

/// Where a form of the record goes back to when it closes.
pub(super) fn after_form(target: Target, app: &App) -> Mode {
    match target {
        Target::Details { row } => Mode::Details { selected: row },
        Target::Participant(Some(i)) => Mode::Details {
            selected: DETAIL_FIELDS.len() + i,
        },
        Target::Participant(None) => Mode::Details {
            selected: details_rows(app).saturating_sub(1),
        },
        _ => Mode::Normal,
    }
}

pub(super) fn submit_details(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let target = form.target;
    let Some(info) = form.to_info(&app.session) else {
        return;
    };
    app.mode = after_form(target, app);
    if info == app.session.info() {
        return app.info("no changes");
    }
    commit(
        app,
        Change::SetInfo(Box::new(info)),
        "session details".into(),
    );
    app.info("details saved");
}

pub(super) fn submit_participant(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let Target::Participant(index) = form.target else {
        return;
    };
    let mut participants = app.session.participants.clone();
    let others: Vec<Participant> = participants
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != index)
        .map(|(_, p)| p.clone())
        .collect();
    let Some(participant) = form.to_participant(&others) else {
        return;
    };
    let name = participant.name.clone();
    match index.and_then(|i| participants.get_mut(i)) {
        Some(slot) if *slot == participant => {
            app.mode = after_form(Target::Participant(index), app);
            return app.info("no changes");
        }
        Some(slot) => *slot = participant,
        None => participants.push(participant),
    }
    let change = with_participants(app, participants);
    commit(
        app,
        change,
        format!(
            "{} {name}",
            if index.is_some() { "editing" } else { "adding" }
        ),
    );
    app.mode = after_form(Target::Participant(index), app);
    app.info(format!(
        "{name} {}",
        if index.is_some() {
            "saved"
        } else {
            "is on the list"
        }
    ));
}

/// `n`, `Q`, `w`: the form of a facilitator's entry, about the selected
/// failure mode when the failure modes have the focus.
pub(super) fn open_entry(app: &mut App, kind: EntryKind) {
    if refuse_if_read_only(app) {
        return;
    }
    let fm = match app.focus {
        Pane::FailureModes => app.failure_modes.selected_id(),
        Pane::Assets => None,
    };
    app.mode = Mode::Form(Box::new(Form::for_entry(kind, fm)));
}

pub(super) fn submit_entry(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let Some(event) = form.to_entry() else {
        return;
    };
    let what = match &event {
        crate::domain::log::Event::Question { .. } => "parking-lot question",
        crate::domain::log::Event::Action { .. } => "action",
        _ => "note",
    };
    let change = app.session.log_change(app.clock.now(), event);
    app.mode = Mode::Normal;
    commit(app, change, what.to_string());
    app.info(format!(
        "{what} recorded in the log (L shows it; u withdraws it)"
    ));
}

/// `Y`: the sign-off dialog of the selected failure mode.
pub(super) fn open_sign_off(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some(id) = selected_failure_mode(app, "a sign-off") else {
        return;
    };
    let Some(fm) = app.session.failure_mode(id) else {
        return;
    };
    let people = &app.session.participants;
    if people.is_empty() {
        return app.error("no participants yet: D adds them (a risk owner signs off)");
    }
    // Whoever signed before; else the risk owner in the room; else anyone here.
    let signed = fm.sign_off.as_deref();
    let selected = signed
        .and_then(|s| people.iter().position(|p| p.name == s.by))
        .or_else(|| {
            people
                .iter()
                .position(|p| p.present && p.role.to_lowercase().contains("risk owner"))
        })
        .or_else(|| people.iter().position(|p| p.present))
        .unwrap_or(0);
    let kind = match (signed, fm.treatment.decision) {
        (Some(s), _) => s.kind,
        (None, Decision::Accept) => SignOffKind::AcceptResidual,
        (None, _) => SignOffKind::ApproveTreatment,
    };
    app.mode = Mode::SignOff(SignOffDialog { id, selected, kind });
}

pub(super) fn sign_off(app: &mut App, action: Action) {
    let Mode::SignOff(dialog) = &mut app.mode else {
        return;
    };
    let people = app.session.participants.len();
    match action {
        Action::Up => dialog.selected = dialog.selected.saturating_sub(1),
        Action::Down => dialog.selected = (dialog.selected + 1).min(people.saturating_sub(1)),
        Action::Right | Action::Left => {
            dialog.kind = match dialog.kind {
                SignOffKind::AcceptResidual => SignOffKind::ApproveTreatment,
                SignOffKind::ApproveTreatment => SignOffKind::AcceptResidual,
            }
        }
        Action::Submit => {
            let SignOffDialog { id, selected, kind } = dialog.clone();
            let Some(by) = app
                .session
                .participants
                .get(selected)
                .map(|p| p.name.clone())
            else {
                return;
            };
            let again = app
                .session
                .failure_mode(id)
                .is_some_and(|f| f.sign_off.is_some());
            match app.session.sign_off_change(id, &by, kind, app.clock.now()) {
                Ok(change) => {
                    app.mode = Mode::Normal;
                    commit(app, change, format!("sign-off of {id}"));
                    let signer = app
                        .session
                        .participant(&by)
                        .map_or(by.clone(), Participant::label);
                    app.info(format!(
                        "{id}: {signer} {}{}",
                        kind.name(),
                        if again { " (again)" } else { "" }
                    ));
                }
                Err(why) => {
                    app.mode = Mode::Normal;
                    app.error(format!("no sign-off: {why}"));
                }
            }
        }
        Action::Delete => {
            let id = dialog.id;
            app.mode = Mode::Normal;
            match app.session.revoke_change(id) {
                Some(change) => {
                    commit(app, change, format!("revoking the sign-off of {id}"));
                    app.info(format!("{id}: sign-off revoked (logged; u puts it back)"));
                }
                None => app.error(format!("{id} has no sign-off to revoke")),
            }
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("no sign-off: nothing changed");
        }
        _ => {}
    }
}

/// `b`, `B`: the failure modes of the next (previous) process only, then all.
pub(super) fn step_process_filter(app: &mut App, forward: bool) {
    let all: Vec<_> = app.session.processes.iter().map(|p| p.id).collect();
    if all.is_empty() {
        return app.info("no processes yet: a failure mode's Process field makes one");
    }
    let at = app
        .treatment_filter
        .process
        .and_then(|p| all.iter().position(|x| *x == p));
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => Some(all.len() - 1),
        (Some(i), true) => (i + 1 < all.len()).then_some(i + 1),
        (Some(i), false) => i.checked_sub(1),
    };
    app.treatment_filter.process = next.map(|i| all[i]);
    app.focus = Pane::FailureModes;
    app.rebuild_rows();
    let shown = app.failure_modes.rows.len();
    match app.treatment_filter.process {
        Some(id) => {
            let name = app.session.process_name(Some(id)).to_string();
            app.info(format!(
                "process {name}: {shown} failure mode{} (b next, B back, W its form, Esc clears)",
                if shown == 1 { "" } else { "s" }
            ));
        }
        None => app.info("process filter off"),
    }
}

/// `W`: the process form of the selected failure mode (or of the process the
/// table is filtered to).
pub(super) fn open_process_form(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let of_selected = app.selected_failure_mode().and_then(|f| f.process);
    let id = match (app.focus, of_selected, app.treatment_filter.process) {
        (Pane::FailureModes, Some(id), _) | (_, _, Some(id)) => id,
        (Pane::FailureModes, None, None) => {
            return app.error(
                "this failure mode has no process: e, then its Process field, gives it one",
            );
        }
        (Pane::Assets, _, None) => {
            return app.error("select a failure mode (Tab) to open its process");
        }
    };
    let Some(process) = app.session.process(id) else {
        return;
    };
    app.mode = Mode::Form(Box::new(Form::for_process(process)));
}

pub(super) fn submit_process(app: &mut App) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let Some(process) = form.to_process(&app.session) else {
        return;
    };
    app.mode = Mode::Normal;
    if app.session.process(process.id) == Some(&process) {
        return app.info("no changes");
    }
    let text = format!("process {} saved", process.name);
    let id = process.id;
    commit(app, Change::PutProcess(process), format!("process {id}"));
    app.info(text);
}
