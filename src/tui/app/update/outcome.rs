//! What the runtime reports back (a resize, a finished save, a file read again…),
//! carried into the state like any key.

use std::time::{Duration, Instant};

use super::super::{App, ExportDialog, MergeDialog, Mode};
use super::commit;
use crate::domain::Change;
use crate::tui::action::Outcome;

/// After a failed save, wait this long before the autosave tries again.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(3);

/// What the runtime reports back: a resize, a save started or finished, an
/// export, a file read again, quitting blocked.
pub fn update_outcome(app: &mut App, outcome: Outcome) {
    match outcome {
        Outcome::Resized { width, height } => {
            app.width = width;
            app.height = height;
            app.clamp_views();
            super::scrolling::measure(app);
        }
        Outcome::SaveStarted { generation } => app.save.in_flight = Some(generation),
        Outcome::Saved { generation, result } => {
            app.save.in_flight = None;
            match result {
                Ok(disk) => {
                    app.disk = Some(disk);
                    app.save.conflict = false;
                    app.save.saved = app.save.saved.max(generation);
                    app.save.last_error = None;
                    app.save.unsaved_since = if app.save.is_saved() {
                        None
                    } else {
                        Some(Instant::now())
                    };
                }
                Err(crate::store::SaveError::ChangedOnDisk) => {
                    app.save.conflict = true;
                    app.save.last_error = Some("the file changed on disk".into());
                    app.mode = Mode::Conflict;
                }
                Err(error) => {
                    // The cause first: the line is read at a glance and cut at the right.
                    let text = match &error {
                        crate::store::SaveError::Write(e) => format!(
                            "NOT SAVED: {} (could not {}); edits kept, retrying",
                            plain_io(&e.source),
                            e.step
                        ),
                        other => format!("NOT SAVED: {other}"),
                    };
                    app.save.last_error = Some(error.to_string());
                    app.save.unsaved_since = Some(Instant::now() + RETRY_AFTER_ERROR);
                    app.error(text);
                }
            }
        }
        Outcome::Exported(Ok(files)) => {
            // Written: the dialog closes and says so in a line that fits 80
            // columns; `x` lists the files again.
            let dir = files.first().and_then(|f| f.path.parent());
            let place = match dir {
                Some(dir) if dir == crate::export::default_dir(&app.path) => {
                    "beside the session".to_string()
                }
                Some(dir) => format!("to {}", dir.display()),
                None => String::new(),
            };
            let lines: Vec<String> = files
                .iter()
                .map(|f| format!("{} ({} rows)", f.path.display(), f.rows))
                .collect();
            // Kept for the next `x`: the same directory and options, whether
            // the dialog is still open or was closed while the files were written.
            let started = app.exporting.take();
            let dialog = match &app.mode {
                Mode::Export(dialog) => Some(dialog.clone()),
                _ => started,
            };
            if let Some(dialog) = dialog {
                app.exported = Some(ExportDialog {
                    result: Some(Ok(lines)),
                    selected_all: true,
                    ..dialog
                });
            }
            if matches!(app.mode, Mode::Export(_)) {
                app.mode = Mode::Normal;
            }
            let what = match files.as_slice() {
                [one] if one.path.extension().is_some_and(|e| e == "xlsx") => {
                    "the workbook (x shows it)".to_string()
                }
                _ => format!("{} CSV files (x lists them)", files.len()),
            };
            app.info(format!("exported {what} {place}"));
        }
        Outcome::Exported(Err(error)) => {
            app.exporting = None;
            let text = error.to_string();
            app.error(text.clone());
            if let Mode::Export(dialog) = &mut app.mode {
                dialog.result = Some(Err(text));
            }
        }
        Outcome::Reloaded {
            session,
            disk,
            recovery,
            took_over,
        } => {
            if took_over {
                // From here on the saver is fed: it gets the whole session below.
                app.read_only = None;
                app.journal = Some(Vec::new());
            }
            app.session = *session;
            app.recount_flags();
            app.matrix_counts = crate::domain::matrix::MatrixCounts::of(&app.session);
            if let Some(journal) = &mut app.journal {
                // The saver's copy follows. A reload reads the whole file on this
                // thread anyway; the copy costs about as much again, once.
                journal.push(Change::ReplaceSession(Box::new(app.session.clone())));
            }
            app.disk = disk;
            app.history.clear();
            app.order = crate::domain::ordering::RiskOrder::of(&app.session);
            app.save = Default::default();
            app.rebuild_rows();
            super::programme::session_replaced(app);
            let mut said = match recovery {
                Some(path) => format!(
                    "reloaded from disk; your unsaved edits are in {}",
                    path.display()
                ),
                None => "reloaded from disk".to_string(),
            };
            // A `git merge` in another window left conflicts in the file: the
            // screen opens on them, as when the file is opened.
            app.mode = match MergeDialog::of(&app.session) {
                Some(dialog) => {
                    let n = dialog.choices.len();
                    said.push_str(&format!(
                        "; it holds {n} merge conflict{} to decide",
                        if n == 1 { "" } else { "s" }
                    ));
                    Mode::Merge(dialog)
                }
                None => Mode::Normal,
            };
            app.info(said);
        }
        Outcome::SavedAs { path, disk } => {
            let old = std::mem::replace(&mut app.path, path);
            app.disk = Some(disk);
            app.save.conflict = false;
            app.save.last_error = None;
            app.save.saved = app.save.generation;
            app.save.unsaved_since = None;
            app.mode = Mode::Normal;
            app.info(format!(
                "saved as {}; riskroom now works on it ({} was left as it is)",
                app.path.display(),
                old.display()
            ));
        }
        Outcome::Recovered { session, from } => {
            app.mode = Mode::Normal;
            commit(
                app,
                Change::ReplaceSession(session),
                "opening the recovery file".into(),
            );
            app.info(format!("recovered from {} (u undoes it)", from.display()));
        }
        Outcome::Failed(text) => app.error(text),
        Outcome::QuitBlocked { reason } => super::confirm::quit_unsaved(app, reason),
        Outcome::Clock(clock) => {
            app.clock = clock;
            app.recount_flags();
            app.rebuild_rows();
        }
        Outcome::Note(text) => {
            if app.message.is_none() {
                app.info(text);
            }
        }
        Outcome::RoomOpened { me } => {
            if matches!(app.room, super::super::room::Room::Closed) {
                app.room =
                    super::super::room::Room::Facilitating(super::super::room::Facilitating {
                        me,
                        ..Default::default()
                    });
            }
        }
        Outcome::Room(event) => super::room::room_event(app, event),
        Outcome::Followed(item) => super::room::followed(app, item),
        Outcome::ImportRead {
            assets,
            failure_modes,
        } => {
            let plan = super::import::plan_import(
                &app.session,
                assets,
                failure_modes,
                super::import::app_import_options(app),
            );
            if let Mode::Import(dialog) = &mut app.mode {
                dialog.plan = Some(plan);
            }
        }
    }
    super::programme::refresh(app);
}

/// An I/O error as people read it: "Permission denied", without "(os error 13)".
fn plain_io(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
