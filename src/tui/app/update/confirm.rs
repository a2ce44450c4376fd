//! Questions answered with y or n (Context::Confirm): deleting, closing a cycle,
//! quitting unsaved, opening a recovery file.

use super::super::{App, Confirm, Effect, Mode, Pending};
use super::{commit, refuse_if_read_only};
use crate::domain::Change;
use crate::tui::action::Action;
use crate::tui::pane::Pane;

pub(super) fn ask_delete(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let confirm = match app.focus {
        Pane::Assets => {
            let Some(asset) = app.selected_asset() else {
                app.error("no asset selected");
                return;
            };
            let linked = app.session.failure_modes_of(asset.id).count();
            let mut detail = vec![asset.name.clone()];
            if linked > 0 {
                detail.push(format!(
                    "{linked} failure mode{} refer to it; they are kept, without the asset.",
                    if linked == 1 { "" } else { "s" }
                ));
            }
            detail.push("u undoes it.".into());
            Confirm {
                question: format!("Delete asset {}?", asset.id),
                detail,
                pending: Pending::DeleteAsset(asset.id),
            }
        }
        Pane::FailureModes => {
            let Some(fm) = app.selected_failure_mode() else {
                app.error("no failure mode selected");
                return;
            };
            Confirm {
                question: format!("Delete failure mode {}?", fm.id),
                detail: vec![
                    fm.mode.clone(),
                    format!("RPN {}, AP {}. u undoes it.", fm.rpn(), fm.ap()),
                ],
                pending: Pending::DeleteFailureMode(fm.id),
            }
        }
    };
    app.mode = Mode::Confirm(confirm);
}

/// Quitting found the session unsaved and saving failed: ask before leaving it
/// to a recovery file.
pub(super) fn quit_unsaved(app: &mut App, reason: String) {
    app.message = None;
    app.mode = Mode::Confirm(Confirm {
        question: "The session could not be saved. Quit anyway?".into(),
        detail: vec![
            reason,
            "y: write it to a recovery file (beside it, or in your data folder) and quit".into(),
            "n: stay; riskroom keeps trying to save".into(),
        ],
        pending: Pending::QuitUnsaved,
    });
}

impl App {
    /// Set-up: a recovery file of an earlier run exists; ask whether to open it.
    pub fn offering_recovery(mut self, recovered: std::path::PathBuf) -> App {
        self.mode = Mode::Confirm(Confirm {
            question: "A recovery file from an earlier run exists. Open it?".into(),
            detail: vec![
                recovered.display().to_string(),
                "y: its session replaces this one (u undoes; the file's old version stays in .bak)"
                    .into(),
                "n: keep working on the file; the recovery file stays where it is".into(),
            ],
            pending: Pending::OpenRecovery(recovered),
        });
        self
    }
}

pub(super) fn update(app: &mut App, action: Action) {
    let Mode::Confirm(confirm) = &app.mode else {
        return;
    };
    let pending = confirm.pending.clone();
    match action {
        Action::Yes => {
            app.mode = Mode::Normal;
            match pending {
                Pending::DeleteAsset(id) => {
                    let change = app.session.delete_asset_change(id);
                    commit(app, change, format!("deleting {id}"));
                    app.info(format!("{id} deleted (u undoes)"));
                }
                Pending::DeleteFailureMode(id) => {
                    commit(app, Change::RemoveFailureMode(id), format!("deleting {id}"));
                    app.info(format!("{id} deleted (u undoes)"));
                }
                Pending::StartNextCycle => {
                    let change = match app.session.close_cycle_change(app.clock.now()) {
                        Ok(change) => change,
                        Err(limit) => return app.error(limit.to_string()),
                    };
                    let closed = app.session.pdca.cycle;
                    commit(app, change, format!("closing cycle {closed}"));
                    app.info(format!(
                        "cycle {closed} closed and kept in the history; cycle {} starts in Plan (u undoes)",
                        app.session.pdca.cycle
                    ));
                }
                Pending::QuitUnsaved => app.effects.push(Effect::QuitWithRecovery),
                Pending::OpenRecovery(path) => app.effects.push(Effect::OpenRecovery(path)),
            }
        }
        Action::No | Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("nothing changed");
        }
        _ => {}
    }
}
