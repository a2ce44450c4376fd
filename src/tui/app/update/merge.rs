//! The merge conflicts a `git merge` left in the session (Context::Merge):
//! each with both values; `o` or `t` takes ours or theirs for the highlighted
//! one, Enter takes every choice once each conflict has one, as one change (so
//! one undo brings the conflicts back). While one is undecided nothing is
//! taken: the file keeps its conflicts, as git's conflict markers would.

use super::super::{App, MergeDialog, Mode};
use super::commit;
use crate::domain::Side;
use crate::merge::resolve::resolve;
use crate::tui::action::Action;

/// `M`, and on opening a session that holds conflicts.
pub(super) fn open(app: &mut App) {
    match MergeDialog::of(&app.session) {
        Some(mut dialog) => {
            // The sides picked before for these same conflicts, if any.
            if let Some((conflicts, picks)) = &app.merge_picks
                && *conflicts == app.session.conflicts
            {
                dialog.choices = picks.clone();
                dialog.selected = picks.iter().position(Option::is_none).unwrap_or(0);
            }
            app.mode = Mode::Merge(dialog);
        }
        None => app.info("no merge conflicts: the file holds none"),
    }
}

/// Keeps the sides picked so far for the session's conflicts.
fn keep_picks(app: &mut App, choices: Vec<Option<Side>>) {
    app.merge_picks = Some((app.session.conflicts.clone(), choices));
}

pub(super) fn update(app: &mut App, action: Action) {
    let Mode::Merge(dialog) = &mut app.mode else {
        return;
    };
    let last = dialog.choices.len().saturating_sub(1);
    match action {
        Action::Up => dialog.selected = dialog.selected.saturating_sub(1),
        Action::Down => dialog.selected = (dialog.selected + 1).min(last),
        Action::Top => dialog.selected = 0,
        Action::Bottom => dialog.selected = last,
        Action::TakeOurs | Action::TakeTheirs => {
            let side = if action == Action::TakeOurs {
                Side::Ours
            } else {
                Side::Theirs
            };
            if let Some(choice) = dialog.choices.get_mut(dialog.selected) {
                *choice = Some(side);
            }
            // On to the next one still open below, else the first still open
            // above; where every one is decided, stay.
            let open = |i: &usize| dialog.choices[*i].is_none();
            let below = (dialog.selected + 1..dialog.choices.len()).find(open);
            if let Some(next) = below.or_else(|| (0..dialog.selected).find(open)) {
                dialog.selected = next;
            }
        }
        Action::Undo => {
            if let Some(choice) = dialog.choices.get_mut(dialog.selected) {
                *choice = None;
            }
        }
        Action::Submit => {
            let choices = dialog.choices.clone();
            match resolve(&app.session, &choices) {
                Ok(change) => {
                    // An undo brings these conflicts back: with these sides.
                    keep_picks(app, choices.clone());
                    app.mode = Mode::Normal;
                    let n = choices.len();
                    commit(app, change, format!("decide {n} merge conflicts"));
                    if app.session.conflicts.is_empty() {
                        app.info(format!(
                            "{n} merge conflict{} decided (u undoes); once saved, `git add` the file",
                            if n == 1 { "" } else { "s" }
                        ));
                    }
                }
                Err(e) => app.error(e.to_string()),
            }
        }
        Action::Cancel => {
            let choices = dialog.choices.clone();
            keep_picks(app, choices);
            app.mode = Mode::Normal;
            app.info("merge conflicts left as they are: the file keeps them; M shows them again");
        }
        _ => {}
    }
}
