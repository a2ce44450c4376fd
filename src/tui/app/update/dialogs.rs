//! The dialogs about files: export (Context::Export), the file changed on disk
//! (Context::Conflict) and save as (Context::SaveAs).

use tui_input::{Input, InputRequest};

use super::super::{App, Effect, Mode};
use crate::export;
use crate::tui::action::Action;

pub(super) fn export(app: &mut App, action: Action) {
    let Mode::Export(dialog) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            if std::mem::take(&mut dialog.selected_all)
                && matches!(
                    request,
                    InputRequest::InsertChar(_) | InputRequest::DeletePrevChar
                )
            {
                dialog.dir = Input::default();
            }
            dialog.dir.handle(request);
            dialog.result = None;
        }
        Action::NextDelimiter => {
            dialog.options.delimiter = match dialog.options.delimiter {
                b',' => b';',
                b';' => b'\t',
                _ => b',',
            };
            dialog.result = None;
        }
        Action::ToggleBom => {
            dialog.options.bom = !dialog.options.bom;
            dialog.result = None;
        }
        Action::ToggleFormat => {
            dialog.workbook = !dialog.workbook;
            dialog.result = None;
        }
        Action::Left => {
            dialog.selected_all = false;
            dialog.dir.handle(InputRequest::GoToPrevChar);
        }
        Action::Right => {
            dialog.selected_all = false;
            dialog.dir.handle(InputRequest::GoToNextChar);
        }
        Action::Submit if app.exporting.is_some() => {
            app.error("an export is being written; Enter again once it is done");
        }
        Action::Submit => {
            let dir = dialog.dir.value().trim();
            let dir = if dir.is_empty() {
                ".".into()
            } else {
                std::path::PathBuf::from(dir)
            };
            let options = dialog.options;
            let workbook = dialog.workbook;
            app.exporting = Some(dialog.clone());
            app.effects.push(Effect::Export {
                dir,
                options,
                workbook,
            });
            app.info(if workbook {
                "writing the workbook… (the screen goes on; Esc closes this dialog)"
            } else {
                "writing the CSV files… (the screen goes on; Esc closes this dialog)"
            });
        }
        Action::Cancel => app.mode = Mode::Normal,
        _ => {}
    }
}

pub(super) fn conflict(app: &mut App, action: Action) {
    match action {
        Action::Reload => app.effects.push(Effect::Reload),
        Action::Overwrite => {
            app.mode = Mode::Normal;
            app.effects.push(Effect::Overwrite);
        }
        Action::SaveAs => {
            let stem = export::stem_of(&app.path);
            let suggestion = app.path.with_file_name(format!("{stem}.mine.ron"));
            app.mode = Mode::SaveAs(Input::new(suggestion.display().to_string()));
        }
        Action::Cancel => {
            app.mode = Mode::Normal;
            app.error(
                "NOT SAVED: the file changed on disk; Ctrl-s decides (reload, save as, overwrite)",
            );
        }
        _ => {}
    }
}

pub(super) fn save_as(app: &mut App, action: Action) {
    let Mode::SaveAs(input) = &mut app.mode else {
        return;
    };
    match action {
        Action::Input(request) => {
            input.handle(request);
        }
        Action::Submit => {
            let path = std::path::PathBuf::from(input.value().trim());
            if path.as_os_str().is_empty() {
                app.error("give the file a name");
            } else {
                app.effects.push(Effect::SaveAs(path));
            }
        }
        Action::Cancel => app.mode = Mode::Conflict,
        _ => {}
    }
}
