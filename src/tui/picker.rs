//! `riskroom` without a session: pick one of the sessions it knows (in
//! `./sessions` and in the user's data directory), newest first, or start a new
//! workshop by giving a title and a file name.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};
use tui_input::Input;

use super::action::Action;
use super::keymap::{self, Context};
use super::theme::Theme;
use super::view::form::input_spans;
use super::view::text;
use crate::domain::Session;
use crate::store;

#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    /// The session's title, or why it cannot be read.
    pub title: Result<String, String>,
    pub modified: Option<SystemTime>,
}

#[derive(Debug, Clone)]
pub struct NewWorkshop {
    pub title: Input,
    pub file: Input,
    /// Whether the file name was typed by hand (then the title stops changing it).
    pub file_edited: bool,
    pub on_file: bool,
    /// The file field was just entered: typing replaces the suggested name.
    pub file_selected: bool,
    pub error: Option<String>,
}

pub struct Picker {
    pub entries: Vec<Entry>,
    /// Index into entries; `entries.len()` is the "new workshop" line.
    pub selected: usize,
    pub new: Option<NewWorkshop>,
    /// Where new workshops go.
    pub new_dir: PathBuf,
    pub theme: Theme,
    pub chosen: Option<PathBuf>,
    pub quit: bool,
    pub clock: jiff::Timestamp,
    /// Why the highlighted session was not opened.
    pub message: Option<String>,
}

/// Session files in the given directories, newest first.
pub fn find_sessions(dirs: &[PathBuf]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = dirs
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(".recovered-"))
        })
        .map(|path| {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            let title = store::load(&path)
                .map(|s| s.title)
                .map_err(|e| first_line(&e.to_string()));
            Entry {
                path,
                title,
                modified,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        b.modified
            .cmp(&a.modified)
            .then_with(|| a.path.cmp(&b.path))
    });
    entries
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

/// A file name from a title: lower-case ASCII letters and digits joined by dashes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(|c| c.to_lowercase()) {
        // The common Latin letters people type in names, spelt the usual way.
        let ascii = match c {
            'ä' | 'æ' => "ae",
            'ö' | 'ø' | 'œ' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' => "o",
            'ù' | 'ú' | 'û' => "u",
            'ý' | 'ÿ' => "y",
            _ => "",
        };
        if !ascii.is_empty() {
            out.push_str(ascii);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "workshop".into()
    } else {
        out
    }
}

impl Picker {
    pub fn new(entries: Vec<Entry>, new_dir: PathBuf, theme: Theme) -> Picker {
        Picker {
            entries,
            selected: 0,
            new: None,
            new_dir,
            theme,
            chosen: None,
            quit: false,
            clock: jiff::Timestamp::now(),
            message: None,
        }
    }

    fn default_file(&self, title: &str) -> String {
        self.new_dir
            .join(format!("{}.ron", slug(title)))
            .display()
            .to_string()
    }

    pub fn context(&self) -> Context {
        if self.new.is_some() {
            Context::NewWorkshop
        } else {
            Context::Picker
        }
    }

    pub fn update(&mut self, action: Action) {
        if let Some(new) = &mut self.new {
            match action {
                Action::NextField | Action::PreviousField | Action::Up | Action::Down => {
                    new.on_file = !new.on_file;
                    new.file_selected = new.on_file;
                }
                Action::Input(request) => {
                    new.error = None;
                    if new.on_file {
                        if std::mem::take(&mut new.file_selected)
                            && matches!(
                                request,
                                tui_input::InputRequest::InsertChar(_)
                                    | tui_input::InputRequest::DeletePrevChar
                            )
                        {
                            new.file = Input::default();
                        }
                        new.file.handle(request);
                        new.file_edited = true;
                    } else {
                        new.title.handle(request);
                        if !new.file_edited {
                            let file = self
                                .new_dir
                                .join(format!("{}.ron", slug(new.title.value())));
                            new.file = Input::new(file.display().to_string());
                        }
                    }
                }
                Action::Submit => self.create(),
                Action::Cancel => self.new = None,
                Action::Quit => self.quit = true,
                _ => {}
            }
            return;
        }
        self.message = None;
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.entries.len()),
            Action::Top => self.selected = 0,
            // The last line is "+ New workshop…".
            Action::Bottom => self.selected = self.entries.len(),
            Action::Submit => match self.entries.get(self.selected) {
                // A file that cannot be read is not opened: the picker stays,
                // saying why, instead of ending at the shell with the message.
                Some(Entry {
                    path,
                    title: Err(e),
                    ..
                }) => {
                    self.message = Some(format!("{} cannot be opened: {e}", path.display()));
                }
                Some(entry) => self.chosen = Some(entry.path.clone()),
                None => {
                    self.new = Some(NewWorkshop {
                        title: Input::default(),
                        file: Input::new(self.default_file("")),
                        file_edited: false,
                        on_file: false,
                        file_selected: false,
                        error: None,
                    })
                }
            },
            Action::Cancel | Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn create(&mut self) {
        let Some(new) = &mut self.new else { return };
        let title = new.title.value().trim().to_string();
        let file = PathBuf::from(new.file.value().trim());
        if title.is_empty() {
            new.error = Some("give the workshop a title".into());
            new.on_file = false;
            return;
        }
        if file.as_os_str().is_empty() {
            new.error = Some("give the file a name".into());
            new.on_file = true;
            return;
        }
        let file = if file.extension().is_some_and(|x| x == "ron") {
            file
        } else {
            file.with_extension("ron")
        };
        if file.exists() {
            new.error = Some(format!(
                "{} exists already; choose another name",
                file.display()
            ));
            new.on_file = true;
            return;
        }
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let session = Session::new(title, crate::domain::pdca::now_in_seconds(self.clock));
        match store::save(&file, &session, false) {
            Ok(()) => self.chosen = Some(file),
            Err(e) => new.error = Some(e.to_string()),
        }
    }
}

impl Widget for &Picker {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = &self.theme;
        buf.set_style(area, t.base);
        Line::from(Span::styled(" riskroom · open a workshop", t.title))
            .render(Rect::new(area.x, area.y, area.width, 1), buf);
        buf.set_style(Rect::new(area.x, area.y, area.width, 1), t.title);
        let body = Rect::new(
            area.x + 1,
            area.y + 2,
            area.width.saturating_sub(2),
            area.height.saturating_sub(4),
        );
        let width = usize::from(body.width);
        if let Some(new) = &self.new {
            let block = Block::default()
                .borders(Borders::ALL)
                .title(" New workshop ")
                .title_bottom(" Tab: title / file · Enter creates it · Esc goes back ")
                .border_style(t.border_focused);
            let body = Rect::new(body.x, body.y, body.width, body.height.min(8));
            let inner = block.inner(body);
            block.render(body, buf);
            let field_width = usize::from(inner.width).saturating_sub(10);
            let rows = [
                ("Title", &new.title, !new.on_file),
                ("File", &new.file, new.on_file),
            ];
            for (i, (label, input, focused)) in rows.into_iter().enumerate() {
                let style = if focused { t.input_focused } else { t.input };
                let mut spans = vec![Span::styled(
                    format!("{label:>7}  "),
                    if focused { t.header } else { t.base },
                )];
                spans.extend(input_spans(input, field_width, style, focused));
                Line::from(spans).render(
                    Rect::new(inner.x, inner.y + i as u16 * 2, inner.width, 1),
                    buf,
                );
            }
            if let Some(error) = &new.error {
                Line::from(Span::styled(
                    text::truncate(error, usize::from(inner.width)),
                    t.error,
                ))
                .render(Rect::new(inner.x, inner.y + 5, inner.width, 1), buf);
            }
        } else {
            let mut y = body.y;
            if self.entries.is_empty() {
                Line::from(Span::styled(
                    "No sessions found here, in ./sessions or in your data folder.",
                    t.muted,
                ))
                .render(Rect::new(body.x, y, body.width, 1), buf);
                y += 2;
            }
            let visible = usize::from(body.height.saturating_sub(1)).max(1);
            let first = self.selected.saturating_sub(visible.saturating_sub(1));
            for (i, entry) in self.entries.iter().enumerate().skip(first).take(visible) {
                let selected = i == self.selected;
                let style = if selected { t.selected } else { t.base };
                let marker = if selected { "▶ " } else { "  " };
                let title = match &entry.title {
                    Ok(title) => title.clone(),
                    Err(e) => format!("(cannot open: {e})"),
                };
                let when = entry
                    .modified
                    .and_then(|m| jiff::Timestamp::try_from(m).ok())
                    .map(|m| m.strftime("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                let path = entry.path.display().to_string();
                let right = format!("  {when}  {path}");
                let room = width.saturating_sub(text::width(&right) + 2).max(10);
                let line = format!("{marker}{}{}", text::fit(&title, room), right);
                Line::from(Span::styled(text::fit(&line, width), style))
                    .render(Rect::new(body.x, y, body.width, 1), buf);
                y += 1;
            }
            let selected = self.selected == self.entries.len();
            let style = if selected { t.selected } else { t.base };
            let marker = if selected { "▶ " } else { "  " };
            if y < body.y + body.height {
                Line::from(Span::styled(
                    text::fit(&format!("{marker}+ New workshop…"), width),
                    style,
                ))
                .render(Rect::new(body.x, y, body.width, 1), buf);
            }
            if let Some(message) = &self.message {
                let y = area.y + area.height.saturating_sub(2);
                Line::from(Span::styled(text::fit(message, width), t.error))
                    .render(Rect::new(body.x, y, body.width, 1), buf);
            }
        }
        let hints: Vec<Span> = keymap::hints(self.context())
            .into_iter()
            .flat_map(|(k, w)| {
                [
                    Span::styled(format!(" {k} "), t.key),
                    Span::styled(format!(" {w}  "), t.hint),
                ]
            })
            .collect();
        Line::from(hints).render(
            Rect::new(
                area.x,
                area.y + area.height.saturating_sub(1),
                area.width,
                1,
            ),
            buf,
        );
    }
}

/// Shows the picker until a session is chosen (or created) or the user quits.
pub fn run(picker: &mut Picker) -> Result<Option<PathBuf>, String> {
    let mut terminal = super::runtime::init_terminal()?;
    let result = (|| -> std::io::Result<Option<PathBuf>> {
        loop {
            terminal.draw(|frame| frame.render_widget(&*picker, frame.area()))?;
            if let Event::Key(key) = event::read()?
                && let Some(action) = keymap::action_for(picker.context(), &key)
            {
                picker.update(action);
            }
            if picker.quit {
                return Ok(None);
            }
            if let Some(path) = &picker.chosen {
                return Ok(Some(path.clone()));
            }
        }
    })();
    super::runtime::restore_terminal();
    super::runtime::release_terminal(terminal);
    result.map_err(|e| format!("the terminal failed: {e}"))
}

/// Where new workshops go: `./sessions` when it exists, else the data directory.
pub fn new_dir(data_dir: Option<&Path>) -> PathBuf {
    let local = PathBuf::from("sessions");
    if local.is_dir() {
        return local;
    }
    data_dir.map_or(local, Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(
            slug("Q3 Risk Workshop: VPN & Cloud"),
            "q3-risk-workshop-vpn-cloud"
        );
        assert_eq!(slug("資訊安全"), "workshop");
        assert_eq!(slug("  --Größe--  "), "groesse");
        assert_eq!(
            slug("Mini workshop Müller GmbH"),
            "mini-workshop-mueller-gmbh"
        );
    }

    #[test]
    fn sessions_are_listed_newest_first_with_their_titles() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.ron");
        let new = dir.path().join("new.ron");
        store::save(
            &old,
            &Session::new("Old one", jiff::Timestamp::UNIX_EPOCH),
            false,
        )
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        store::save(
            &new,
            &Session::new("New one", jiff::Timestamp::UNIX_EPOCH),
            false,
        )
        .unwrap();
        std::fs::write(dir.path().join("broken.ron"), "(").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let entries = find_sessions(&[dir.path().to_path_buf()]);
        let titles: Vec<String> = entries
            .iter()
            .map(|e| e.title.clone().unwrap_or_else(|_| "broken".into()))
            .collect();
        assert_eq!(titles, ["broken", "New one", "Old one"]);
    }

    #[test]
    fn a_file_that_cannot_be_read_is_not_opened_and_the_picker_says_why() {
        let entries = vec![
            Entry {
                path: PathBuf::from("broken.ron"),
                title: Err("broken.ron:1:2: unexpected end of file".into()),
                modified: None,
            },
            Entry {
                path: PathBuf::from("good.ron"),
                title: Ok("Good".into()),
                modified: None,
            },
        ];
        let mut picker = Picker::new(entries, PathBuf::from("."), Theme::plain());
        picker.update(Action::Submit);
        assert_eq!((picker.chosen.as_ref(), picker.quit), (None, false));
        assert_eq!(
            picker.message.as_deref(),
            Some("broken.ron cannot be opened: broken.ron:1:2: unexpected end of file")
        );
        // End goes to "+ New workshop…", Home back to the first; the next key
        // clears the message.
        picker.update(Action::Bottom);
        assert_eq!((picker.selected, picker.message.as_ref()), (2, None));
        picker.update(Action::Top);
        picker.update(Action::Down);
        picker.update(Action::Submit);
        assert_eq!(picker.chosen, Some(PathBuf::from("good.ron")));
    }

    #[test]
    fn a_new_workshop_is_created_with_its_title_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let mut picker = Picker::new(Vec::new(), dir.path().to_path_buf(), Theme::plain());
        picker.update(Action::Submit); // the "new workshop" line
        for c in "Cloud Review 2026".chars() {
            picker.update(Action::Input(tui_input::InputRequest::InsertChar(c)));
        }
        assert!(
            picker
                .new
                .as_ref()
                .unwrap()
                .file
                .value()
                .ends_with("cloud-review-2026.ron")
        );
        picker.update(Action::Submit);
        let path = picker.chosen.clone().unwrap();
        assert_eq!(store::load(&path).unwrap().title, "Cloud Review 2026");

        let mut again = Picker::new(Vec::new(), dir.path().to_path_buf(), Theme::plain());
        again.update(Action::Submit);
        for c in "Cloud Review 2026".chars() {
            again.update(Action::Input(tui_input::InputRequest::InsertChar(c)));
        }
        again.update(Action::Submit);
        assert!(again.chosen.is_none());
        assert!(again.new.unwrap().error.unwrap().contains("exists already"));
    }
}
