//! Drawing the workshop screen: a pure function of [`App`]. Only the rows on
//! screen are built, whatever the size of the register.

pub mod big_text;
pub mod controls;
pub mod dialogs;
pub mod focus;
pub mod footer;
pub mod form;
pub mod help;
pub mod layout;
pub mod matrix;
pub mod merge;
pub mod pictures;
pub mod programme;
pub mod record;
pub mod report;
pub mod room;
pub mod tables;
pub mod text;
pub mod title_bar;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::app::{App, Mode};
use layout::{Layout, MIN_HEIGHT, MIN_WIDTH};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.theme().base);
        let layout = Layout::of_view(area.width, area.height, self.treatment_view());
        if layout.too_small {
            too_small(self, area, buf);
            return;
        }
        title_bar::render(self, layout.title, buf);
        if let Some(view) = self.programme() {
            programme::render(self, view, area, buf);
        } else {
            if !self.treatment_view() {
                tables::render_assets(self, layout.assets, buf);
            }
            tables::render_failure_modes(self, layout.failure_modes, buf);
        }
        footer::render_detail(self, layout.detail, buf);
        footer::render_hints(self, layout.footer, buf);
        match &self.mode() {
            Mode::Normal | Mode::Filter(_) => {}
            Mode::Form(form) => form::render(self, form, area, buf),
            Mode::Confirm(confirm) => dialogs::render_confirm(self, confirm, area, buf),
            Mode::Help { scroll, .. } => help::render(self, *scroll, area, buf),
            Mode::Export(dialog) => dialogs::render_export(self, dialog, area, buf),
            Mode::Conflict => dialogs::render_conflict(self, area, buf),
            Mode::SaveAs(input) => dialogs::render_save_as(self, input, area, buf),
            Mode::Import(dialog) => dialogs::render_import(self, dialog, area, buf),
            Mode::Controls(dialog) => controls::render(self, dialog, area, buf),
            Mode::History { id, scroll, .. } => {
                report::render_history(self, *id, *scroll, area, buf)
            }
            Mode::Cycles { scroll, .. } => report::render_cycles(self, *scroll, area, buf),
            Mode::Details { selected } => record::render_details(self, *selected, area, buf),
            Mode::SignOff(dialog) => record::render_sign_off(self, dialog, area, buf),
            Mode::Log { scroll, only, .. } => record::render_log(self, *scroll, *only, area, buf),
            Mode::Vote | Mode::Proxy => room::render_round(self, area, buf),
            Mode::Ballot => room::render_ballot(self, area, buf),
            Mode::Focus(view) => focus::render(self, view, area, buf),
            Mode::Matrix => matrix::render(self, area, buf),
            Mode::Merge(dialog) => merge::render(self, dialog, area, buf),
        }
    }
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    buf.set_style(area, app.theme().base);
    let text = vec![
        Line::from("Terminal too small").style(app.theme().error),
        Line::from(format!(
            "{}x{} now; riskroom needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window or use a smaller font."),
        // Only the workshop view quits on q here; a form or dialog waits, kept
        // as it is, for a larger window. A no-break space keeps the key with
        // what it does when the line wraps.
        Line::from(if app.context() == super::keymap::Context::Normal {
            "Nothing is lost; q\u{a0}quits (and saves)."
        } else {
            "Nothing is lost: what is open stays open until the window is larger."
        }),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .centered()
        .render(
            Rect::new(
                area.x,
                y,
                area.width,
                area.height.saturating_sub(y - area.y),
            ),
            buf,
        );
}

/// A rectangle of at most `width` x `height` in the middle of `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}
