//! Small boxes: a confirmation, the export dialog.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use tui_input::Input;

use super::super::app::{App, Confirm, ExportDialog, ImportDialog};
use super::super::keymap::{self, Context};
use super::form::input_spans;
use super::text;
use crate::export;

pub fn render_confirm(app: &App, confirm: &Confirm, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(72);
    let mut lines = vec![
        Line::from(Span::styled(confirm.question.clone(), t.header)),
        Line::default(),
    ];
    lines.extend(confirm.detail.iter().map(|d| Line::from(d.clone())));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(" y ", t.key),
        Span::raw(" yes    "),
        Span::styled(" n ", t.key),
        Span::raw(" no (Esc)"),
    ]));
    popup(app, area, width, lines, " Confirm ", t.border_focused, buf);
}

pub fn render_export(app: &App, dialog: &ExportDialog, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(100);
    let inner_width = usize::from(width.saturating_sub(2));
    let stem = export::stem_of(app.path());
    let dir = std::path::PathBuf::from(dialog.dir.value().trim());
    let targets = export::target_paths(&dir, &stem);
    let delimiter = match dialog.options.delimiter {
        b'\t' => "tab".to_string(),
        d => format!("'{}'", char::from(d)),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Directory ", t.header),
            // Said in words: reverse video alone does not show it in mono.
            Span::styled(
                if dialog.selected_all {
                    " all selected: typing replaces it, ← → keep it"
                } else {
                    ""
                },
                t.muted,
            ),
        ]),
        Line::from(input_spans(
            &dialog.dir,
            inner_width.saturating_sub(1),
            if dialog.selected_all {
                t.input_focused
                    .add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                t.input_focused
            },
            true,
        )),
        Line::default(),
        Line::from(vec![
            Span::styled("Format ", t.header),
            Span::raw(if dialog.workbook {
                "one Excel workbook (Ctrl-f: CSV files)"
            } else {
                "CSV files (Ctrl-f: one Excel workbook)"
            }),
        ]),
        Line::from(Span::styled("Writes", t.header)),
    ];
    let written_line = |path: &std::path::Path, what: &str| {
        let path = text::truncate(&format!("  {}", path.display()), inner_width);
        let room = inner_width.saturating_sub(text::width(&path));
        Line::from(vec![
            Span::raw(path),
            Span::styled(text::truncate(&format!("  {what}"), room), t.muted),
        ])
    };
    if dialog.workbook {
        lines.push(written_line(
            &export::workbook::workbook_path(&dir, &stem),
            "Summary, Assets, Failure modes, Treatment plan, Controls, Roadmap, Documents, Decision log",
        ));
        lines.push(Line::from(Span::styled(
            "  numbers as numbers, dates as dates, drop-downs for ratings and decisions",
            t.muted,
        )));
    } else {
        let what = [
            "asset register",
            "FMEA worksheet",
            "treatment plan",
            "Statement of Applicability draft",
            "ISMS roadmap",
            "mandatory documents",
        ];
        lines.extend(
            targets
                .iter()
                .zip(what)
                .map(|(p, what)| written_line(p, what)),
        );
        lines.push(Line::from(Span::styled(
            format!(
                "  UTF-8{}, delimiter {delimiter}, failure modes in RPN order",
                if dialog.options.bom { " with BOM" } else { "" }
            ),
            t.muted,
        )));
    }
    lines.extend([
        Line::from(Span::styled(
            format!(
                "  all {} assets and {} failure modes, not filtered; old files are replaced",
                app.session().assets.len(),
                app.session().failure_modes.len()
            ),
            t.muted,
        )),
        Line::default(),
    ]);
    match &dialog.result {
        _ if app.is_exporting() => lines.push(Line::from(vec![
            Span::styled("Writing… ", t.info),
            Span::raw("the screen goes on; "),
            Span::styled(" Esc ", t.key),
            Span::raw(" closes this dialog, not the export"),
        ])),
        None => lines.push(Line::from(vec![
            Span::styled(" Enter ", t.key),
            Span::raw(" write   "),
            Span::styled(" Esc ", t.key),
            Span::raw(" close"),
        ])),
        Some(Ok(written)) => {
            lines.push(Line::from(Span::styled("Written:", t.info)));
            for w in written {
                lines.push(Line::from(text::truncate(&format!("  {w}"), inner_width)));
            }
            lines.push(Line::from(vec![
                Span::styled(" Enter ", t.key),
                Span::raw(" write again   "),
                Span::styled(" Esc ", t.key),
                Span::raw(" close"),
            ]));
        }
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled("Not written:", t.error)));
            lines.push(Line::from(e.clone()));
            lines.push(Line::from(vec![
                Span::styled(" Enter ", t.key),
                Span::raw(" try again   "),
                Span::styled(" Esc ", t.key),
                Span::raw(" close"),
            ]));
        }
    }
    popup(
        app,
        area,
        width,
        lines,
        if dialog.workbook {
            " Export: Excel workbook "
        } else {
            " Export: CSV files "
        },
        t.border_focused,
        buf,
    );
}

/// The file changed on disk while riskroom had it open.
pub fn render_conflict(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let mut lines = vec![
        Line::from(Span::styled("The session file changed on disk", t.header)),
        Line::from(text::truncate(
            &format!("{}", app.path().display()),
            usize::from(area.width.saturating_sub(8)),
        )),
        Line::from("Someone else wrote it since riskroom read it (an editor, a git pull)."),
        Line::from(
            "riskroom does not overwrite it unless you say so. Your edits are safe on screen.",
        ),
        Line::default(),
    ];
    for binding in keymap::BINDINGS
        .iter()
        .filter(|b| b.context == Context::Conflict)
    {
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", binding.keys_text()), t.key),
            Span::raw(format!("  {}", binding.help)),
        ]));
    }
    let width = area.width.saturating_sub(4).min(90);
    popup(app, area, width, lines, " Not saved ", t.error, buf);
}

/// The new name for the session file after a conflict.
pub fn render_save_as(app: &App, input: &Input, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(90);
    let inner = usize::from(width.saturating_sub(2));
    let lines = vec![
        Line::from(Span::styled("Save your version as", t.header)),
        Line::from(input_spans(
            input,
            inner.saturating_sub(1),
            t.input_focused,
            true,
        )),
        Line::from(Span::styled(
            "riskroom continues on the new file; the changed one is left as it is.",
            t.muted,
        )),
    ];
    popup(app, area, width, lines, " Save as ", t.border_focused, buf);
}

/// `i`: two files, the options, and the preview of what the import changes.
pub fn render_import(app: &App, dialog: &ImportDialog, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = area.width.saturating_sub(2).min(110);
    let inner = usize::from(width.saturating_sub(2));
    let field = |label: &str, input: &Input, focused: bool| {
        let mut spans = vec![Span::styled(
            format!("{label:<15}"),
            if focused { t.header } else { t.dialog },
        )];
        let style = if focused { t.input_focused } else { t.input };
        spans.extend(input_spans(input, inner.saturating_sub(16), style, focused));
        Line::from(spans)
    };
    let o = &dialog.options;
    let unknown = match (o.keep_ids, o.new_ids) {
        (true, _) => "added under that ID",
        (false, true) => "added under a new ID",
        _ => "refused",
    };
    let mut lines = vec![
        field("Assets file", &dialog.assets, dialog.focus == 0),
        field("Failure modes", &dialog.failure_modes, dialog.focus == 1),
        Line::from(Span::styled(
            format!("Unknown IDs: {unknown} (Ctrl-t)"),
            t.muted,
        )),
        Line::from(Span::styled(
            format!(
                "Refused rows: {} (Ctrl-g) · nothing is ever deleted",
                if o.partial {
                    "import the good rows"
                } else {
                    "import nothing"
                }
            ),
            t.muted,
        )),
        Line::default(),
    ];
    let room = usize::from(area.height.saturating_sub(lines.len() as u16 + 6)).max(3);
    match &dialog.plan {
        None => lines.push(Line::from(
            "Enter: preview what the files would change (nothing changes yet).",
        )),
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled("Cannot import:", t.error)));
            lines.extend(super::text::wrap(e, inner).into_iter().map(Line::from));
        }
        Some(Ok(plan)) => {
            let all = plan.summary.lines();
            let shown = all.len().min(room);
            for line in &all[..shown] {
                let style = if line.starts_with("rejected") {
                    t.error
                } else {
                    t.dialog
                };
                lines.push(Line::from(Span::styled(text::truncate(line, inner), style)));
            }
            if all.len() > shown {
                lines.push(Line::from(Span::styled(
                    format!(
                        "… {} more lines (riskroom import --dry-run lists them all)",
                        all.len() - shown
                    ),
                    t.muted,
                )));
            }
            lines.push(Line::default());
            let last = if plan.summary.changes_anything() {
                Span::styled("Enter: import now, as one step that u undoes.", t.info)
            } else if plan.summary.is_blocked() {
                Span::styled(
                    "Rows were refused, so nothing would change: fix the file, or Ctrl-g.",
                    t.error,
                )
            } else {
                Span::styled("The files change nothing.", t.muted)
            };
            lines.push(Line::from(last));
        }
    }
    popup(
        app,
        area,
        width,
        lines,
        " Import from CSV ",
        t.border_focused,
        buf,
    );
}

/// A bordered box in the middle of `area`, as high as its lines need once they
/// wrap at its width (at most the screen), over whatever was drawn before.
pub(super) fn popup(
    app: &App,
    area: Rect,
    width: u16,
    lines: Vec<Line<'_>>,
    title: &str,
    border: ratatui::style::Style,
    buf: &mut Buffer,
) {
    let inner = width.saturating_sub(2).max(1);
    let height: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).max(1).div_ceil(inner))
        .sum::<u16>()
        + 2;
    let rect = super::centred(area, width, height.min(area.height));
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .style(app.theme().dialog)
        .border_style(border);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(rect, buf);
}
