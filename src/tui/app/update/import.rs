//! The import dialog (Context::Import): files named, previewed, then imported
//! as one change.

use tui_input::Input;

use super::super::{App, ImportDialog, Mode};
use super::{commit, refuse_if_read_only};
use crate::export;
use crate::tui::action::Action;
use crate::tui::app::Effect;

/// `i`: the import dialog, with the CSV files beside the session filled in when
/// they are there (the round trip of an export someone edited).
pub(super) fn open(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let dir = export::default_dir(&app.path);
    let stem = export::stem_of(&app.path);
    let [assets, failure_modes, ..] = export::target_paths(&dir, &stem);
    let existing = |p: std::path::PathBuf| {
        if p.exists() {
            p.display().to_string()
        } else {
            String::new()
        }
    };
    app.mode = Mode::Import(Box::new(ImportDialog {
        assets: Input::new(existing(assets)),
        failure_modes: Input::new(existing(failure_modes)),
        focus: 0,
        options: crate::import::Options::default(),
        plan: None,
    }));
}

pub(super) fn update(app: &mut App, action: Action) {
    let Mode::Import(dialog) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            let field = if dialog.focus == 0 {
                &mut dialog.assets
            } else {
                &mut dialog.failure_modes
            };
            field.handle(request);
            dialog.plan = None;
        }
        Action::NextField => dialog.focus = 1 - dialog.focus.min(1),
        Action::ToggleUnknownIds => {
            let o = &mut dialog.options;
            (o.keep_ids, o.new_ids) = match (o.keep_ids, o.new_ids) {
                (false, false) => (true, false),
                (true, false) => (false, true),
                _ => (false, false),
            };
            dialog.plan = None;
        }
        Action::TogglePartial => {
            dialog.options.partial = !dialog.options.partial;
            dialog.plan = None;
        }
        Action::Submit => match &dialog.plan {
            Some(Ok(plan)) if plan.summary.changes_anything() => {
                let plan = plan.clone();
                app.mode = Mode::Normal;
                commit(app, plan.change, "import".into());
                let counts: Vec<String> = plan
                    .summary
                    .counts()
                    .iter()
                    .map(|(what, counts)| format!("{what} {counts}"))
                    .collect();
                app.info(format!("imported: {} (u undoes it)", counts.join("; ")));
            }
            _ => {
                let path = |input: &Input| {
                    let text = input.value().trim();
                    (!text.is_empty()).then(|| std::path::PathBuf::from(text))
                };
                let (assets, failure_modes) = (path(&dialog.assets), path(&dialog.failure_modes));
                app.effects.push(Effect::ReadImport {
                    assets,
                    failure_modes,
                });
            }
        },
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.info("import closed: nothing changed");
        }
        _ => {}
    }
}

pub(super) fn app_import_options(app: &App) -> crate::import::Options {
    match &app.mode {
        Mode::Import(dialog) => dialog.options,
        _ => crate::import::Options::default(),
    }
}

type ReadFile = Option<(String, Result<Vec<u8>, String>)>;

/// The preview of an import: what the files would change, worked out on a copy.
pub(super) fn plan_import(
    session: &crate::domain::Session,
    assets: ReadFile,
    failure_modes: ReadFile,
    options: crate::import::Options,
) -> Result<crate::import::Plan, String> {
    if assets.is_none() && failure_modes.is_none() {
        return Err("give an assets file, a failure-modes file, or both".into());
    }
    let assets = assets
        .map(|(name, bytes)| bytes.map(|b| (name, b)))
        .transpose()?;
    let failure_modes = failure_modes
        .map(|(name, bytes)| bytes.map(|b| (name, b)))
        .transpose()?;
    fn source(f: &Option<(String, Vec<u8>)>) -> Option<crate::import::Source<'_>> {
        f.as_ref().map(|(name, bytes)| crate::import::Source {
            name: name.as_str(),
            bytes: bytes.as_slice(),
        })
    }
    crate::import::plan(session, source(&assets), source(&failure_modes), &options)
        .map_err(|e| e.to_string())
}
