//! Frames to the terminal, in as few bytes as the change needs: over SSH every
//! byte is felt, and a room's screen changes by a row or two per key.
//!
//! ratatui's `Terminal::draw` diffs the new frame against the last and writes
//! each changed cell with crossterm. [`Painter`] keeps that idea (it diffs with
//! `Buffer::diff`) and adds three things:
//!
//! - when the failure-mode table scrolled by a few rows, the terminal moves the
//!   rows itself (a scroll region and line feeds, as vim does); our copy of the
//!   screen is shifted the same way, and the diff then writes only what is new;
//! - runs of blank cells are erased (`ECH`, `EL`) rather than written as spaces;
//! - one `SGR` sequence per style change with short colour codes, cursor moves
//!   only where the cells are not contiguous, and one write per frame.
//!
//! The terminal ends up showing exactly the rendered buffer: the tests feed the
//! bytes to a terminal emulator (`vt100`) over random key sequences and compare.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;

use super::app::{App, Mode};
use super::view::layout::Layout;

/// The scrolling part of the failure-mode table and its first row at a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TableRows {
    /// First and last screen row of the table's data rows.
    top: u16,
    bottom: u16,
    offset: usize,
}

impl TableRows {
    fn of(app: &App, area: Rect) -> Option<TableRows> {
        let layout = Layout::of(area.width, area.height);
        // Only a plain table scrolls: a dialog on top of it would move with it.
        if layout.too_small || !matches!(app.mode(), Mode::Normal | Mode::Filter(_)) {
            return None;
        }
        let fm = layout.failure_modes;
        (fm.height > 3).then(|| TableRows {
            top: fm.y + 2,
            bottom: fm.y + fm.height - 1,
            offset: app.failure_modes().offset,
        })
    }
}

/// What the terminal shows, as far as this program knows, and how to change it.
#[derive(Debug, Default)]
pub struct Painter {
    shown: Option<Buffer>,
    rows: Option<TableRows>,
}

/// The style of the cells being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }

    /// Whether an erased cell (which takes only the background) looks like a
    /// space written with this pen: not when a line or inverse video shows.
    fn erases_like_a_space(self) -> bool {
        !self
            .modifier
            .intersects(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::CROSSED_OUT)
    }
}

/// The 16 named colours as ANSI indexes, as ratatui's crossterm backend maps them.
fn ansi_index(color: Color) -> Option<u8> {
    Some(match color {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        _ => return None,
    })
}

/// SGR parameters for a colour; `base` is 30 for the foreground, 40 for the background.
fn color_params(out: &mut String, color: Color, base: u8) {
    if !out.is_empty() {
        out.push(';');
    }
    match (color, ansi_index(color)) {
        (_, Some(i)) if i < 8 => {
            let _ = write!(out, "{}", base + i);
        }
        (_, Some(i)) => {
            let _ = write!(out, "{}", base + 60 + i - 8);
        }
        (Color::Indexed(i), None) => {
            let _ = write!(out, "{};5;{i}", base + 8);
        }
        (Color::Rgb(r, g, b), None) => {
            let _ = write!(out, "{};2;{r};{g};{b}", base + 8);
        }
        _ => {
            let _ = write!(out, "{}", base + 9);
        }
    }
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// Builds the bytes of one frame.
struct Writer {
    out: String,
    pen: Pen,
    /// Where the cursor is, when known.
    at: Option<(u16, u16)>,
}

impl Writer {
    fn pen(&mut self, pen: Pen) {
        if pen == self.pen {
            return;
        }
        let mut params = String::new();
        // A modifier can only be switched off with its own code (and bold and
        // dim share one); starting again from nothing is simpler and as short.
        let removed = self.pen.modifier - pen.modifier;
        let (from, added) = if removed.is_empty() {
            (self.pen, pen.modifier - self.pen.modifier)
        } else {
            params.push('0');
            (Pen::RESET, pen.modifier)
        };
        for (modifier, code) in MODIFIER_CODES {
            if added.contains(modifier) {
                if !params.is_empty() {
                    params.push(';');
                }
                let _ = write!(params, "{code}");
            }
        }
        if pen.fg != from.fg {
            color_params(&mut params, pen.fg, 30);
        }
        if pen.bg != from.bg {
            color_params(&mut params, pen.bg, 40);
        }
        let _ = write!(self.out, "\x1b[{params}m");
        self.pen = pen;
    }

    fn move_to(&mut self, x: u16, y: u16) {
        match self.at {
            Some(at) if at == (x, y) => {}
            Some((ax, ay)) if ay == y && ax < x => {
                let _ = write!(self.out, "\x1b[{}C", x - ax);
            }
            _ => {
                let _ = write!(self.out, "\x1b[{};{}H", y + 1, x + 1);
            }
        }
        self.at = Some((x, y));
    }

    fn symbol(&mut self, symbol: &str, x: u16, y: u16) {
        let width = unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
        // The last edge before the terminal. The drawing helpers show what a
        // file holds as visible escapes; text that reached a cell some other
        // way with a control, bidi or zero-width character in it is shown as
        // `�` in its cells rather than sent.
        if crate::terminal_text::is_safe(symbol) {
            self.out.push_str(symbol);
        } else {
            self.out
                .extend(std::iter::repeat_n('\u{FFFD}', usize::from(width)));
        }
        self.at = Some((x + width, y));
    }
}

impl Painter {
    pub fn new() -> Painter {
        Painter::default()
    }

    /// Forget what the terminal shows: the next frame is painted whole.
    pub fn invalidate(&mut self) {
        self.shown = None;
        self.rows = None;
    }

    /// Renders the app at `area` and returns the bytes that bring the terminal
    /// from the last frame to this one (empty when nothing changed).
    pub fn frame(&mut self, app: &App, area: Rect) -> Vec<u8> {
        let mut next = Buffer::empty(area);
        app.render(area, &mut next);
        let rows = TableRows::of(app, area);
        let mut w = Writer {
            out: String::new(),
            pen: Pen::RESET,
            at: None,
        };
        let shown = match self.shown.take() {
            Some(shown) if shown.area == area => shown,
            _ => {
                // First frame, or a new size: clear and paint everything.
                w.out.push_str("\x1b[?25l\x1b[0m\x1b[H\x1b[2J");
                self.rows = None;
                Buffer::empty(area)
            }
        };
        let mut shown = shown;
        if let (Some(before), Some(now)) = (self.rows, rows)
            && (before.top, before.bottom) == (now.top, now.bottom)
        {
            scroll(&mut w, &mut shown, before, now);
        }
        forget_split_wide_cells(&mut shown, &next);
        let updates = shown.diff(&next);
        write_updates(&mut w, &next, &updates);
        if w.pen != Pen::RESET {
            w.pen(Pen::RESET);
        }
        self.shown = Some(next);
        self.rows = rows;
        w.out.into_bytes()
    }
}

/// When the table's rows moved by fewer than its height, lets the terminal move
/// them (a scroll region), and moves them the same way in `shown`.
fn scroll(w: &mut Writer, shown: &mut Buffer, before: TableRows, now: TableRows) {
    let height = usize::from(now.bottom - now.top) + 1;
    let up = now.offset > before.offset;
    let by = now.offset.abs_diff(before.offset);
    if by == 0 || by >= height {
        return;
    }
    let by = by as u16;
    // Lines scrolled in are blank in the default colours.
    w.pen(Pen::RESET);
    let _ = write!(w.out, "\x1b[{};{}r", now.top + 1, now.bottom + 1);
    if up {
        let _ = write!(w.out, "\x1b[{};1H", now.bottom + 1);
        w.out.extend(std::iter::repeat_n('\n', usize::from(by)));
    } else {
        let _ = write!(w.out, "\x1b[{};1H", now.top + 1);
        w.out.extend(std::iter::repeat_n("\x1bM", usize::from(by)));
    }
    w.out.push_str("\x1b[r");
    w.at = None;

    let width = shown.area.width;
    let blank = Cell::default();
    let rows: Vec<u16> = if up {
        (now.top..=now.bottom).collect()
    } else {
        (now.top..=now.bottom).rev().collect()
    };
    for y in rows {
        let from = if up {
            y.checked_add(by).filter(|f| *f <= now.bottom)
        } else {
            y.checked_sub(by).filter(|f| *f >= now.top)
        };
        for x in 0..width {
            let cell = match from {
                Some(f) => shown[(x, f)].clone(),
                None => blank.clone(),
            };
            shown[(x, y)] = cell;
        }
    }
}

/// Where a wide character (CJK) on the terminal is replaced by a narrower one,
/// what the terminal shows in its right half is up to the terminal: some blank it
/// with the old attributes, some keep them, emulators differ. ratatui's diff
/// assumes a clean blank and skips a right half that is a blank in the new
/// frame too; so those cells are marked unknown here and painted again.
fn forget_split_wide_cells(shown: &mut Buffer, next: &Buffer) {
    let area = next.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let was = unicode_width::UnicodeWidthStr::width(shown[(x, y)].symbol()) as u16;
            let now = unicode_width::UnicodeWidthStr::width(next[(x, y)].symbol()).max(1) as u16;
            if was > now {
                for half in (x + now)..(x + was).min(area.right()) {
                    // A style the screen never draws: never equal to a new cell.
                    shown[(half, y)].modifier = Modifier::all();
                }
            }
            x += was.max(1);
        }
    }
}

/// Shortest way over a run of blanks: erase them (and step over) when the run
/// is long enough to pay for the two sequences.
const ERASE_AT_LEAST: usize = 8;

fn write_updates(w: &mut Writer, next: &Buffer, updates: &[(u16, u16, &Cell)]) {
    let width = next.area.width;
    let mut i = 0;
    while i < updates.len() {
        let (x, y, cell) = updates[i];
        let pen = Pen::of(cell);
        if cell.symbol() == " " && pen.erases_like_a_space() {
            // The run of blank updates with this pen, contiguous on this row.
            let mut end = i + 1;
            while end < updates.len() {
                let (ex, ey, ec) = updates[end];
                if ey != y || ex != x + (end - i) as u16 || ec.symbol() != " " || Pen::of(ec) != pen
                {
                    break;
                }
                end += 1;
            }
            let run = end - i;
            // Up to the end of the line everything is blank in this pen?
            let to_eol = (x..width).all(|cx| {
                let c = &next[(cx, y)];
                c.symbol() == " " && Pen::of(c) == pen
            });
            if to_eol && run >= 3 {
                w.move_to(x, y);
                w.pen(pen);
                w.out.push_str("\x1b[K");
                // The rest of this row's updates are blanks already erased.
                while i < updates.len() && updates[i].1 == y {
                    i += 1;
                }
                w.at = Some((x, y));
                continue;
            }
            if run >= ERASE_AT_LEAST {
                w.move_to(x, y);
                w.pen(pen);
                let _ = write!(w.out, "\x1b[{run}X");
                w.at = Some((x, y));
                i = end;
                continue;
            }
        }
        // A short gap on the same row: writing the unchanged cells between is
        // shorter than moving the cursor over them.
        if let Some((ax, ay)) = w.at
            && ay == y
            && ax < x
            && x - ax <= 3
            && (ax..x).all(|gx| {
                let c = &next[(gx, y)];
                Pen::of(c) == w.pen && c.symbol().len() == 1
            })
        {
            for gx in ax..x {
                let symbol = next[(gx, y)].symbol().to_string();
                w.symbol(&symbol, gx, y);
            }
        }
        w.move_to(x, y);
        w.pen(pen);
        w.symbol(cell.symbol(), x, y);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::Theme;

    /// A session whose text tries escape codes, a bidi override and hidden
    /// characters on the screen.
    fn hostile() -> App {
        let text = std::fs::read_to_string("sessions/ip-chamber.ron")
            .expect("the demo session")
            .replacen(
                "title: \"Secure",
                "title: \"\\u{1b}]0;owned\\u{7}\\u{202E}Secure",
                1,
            )
            .replace("VPN", "VPN\\u{1b}]52;c;eA==\\u{7}\\u{200D}\\u{2066}");
        let session =
            crate::store::parse(&text, std::path::Path::new("h.ron")).expect("the session loads");
        App::new(session, "h.ron".into(), Theme::mono(), 120, 40)
    }

    #[test]
    fn no_control_bidi_or_zero_width_character_reaches_the_terminal() {
        let app = hostile();
        let bytes = Painter::new().frame(&app, Rect::new(0, 0, 120, 40));
        let text = String::from_utf8(bytes).expect("UTF-8");
        // Every ESC is one of the painter's own sequences (CSI), never an OSC.
        assert!(!text.contains("\u{1b}]"), "an OSC went out");
        for c in ['\u{7}', '\u{202E}', '\u{200D}', '\u{2066}'] {
            assert!(!text.contains(c), "U+{:04X} went out raw", u32::from(c));
        }
        // The drawing helpers show them for what they are.
        assert!(
            text.contains("\\u{202E}Secure"),
            "the title shows the override"
        );
        assert!(text.contains("\\u{1B}]52;c;"), "a cell shows the code");
    }

    /// The focus view shows every text of a record in full, wrapped: the
    /// asset "VPN gateway" and its failure modes, escape codes in each.
    #[test]
    fn the_focus_view_shows_hostile_text_for_what_it_is() {
        use crate::tui::action::Action;
        use crate::tui::app::update::update;
        let mut app = hostile();
        update(&mut app, Action::FocusNext);
        update(&mut app, Action::Down);
        update(&mut app, Action::Down);
        update(&mut app, Action::Focus);
        let bytes = Painter::new().frame(&app, Rect::new(0, 0, 120, 40));
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.contains("Focus: A-003"), "{text}");
        assert!(!text.contains("\u{1b}]"), "an OSC went out");
        for c in ['\u{7}', '\u{202E}', '\u{200D}', '\u{2066}'] {
            assert!(!text.contains(c), "U+{:04X} went out raw", u32::from(c));
        }
        // The name (heading, wrapped) and a failure mode on it (cut to fit).
        assert!(text.contains("VPN\\u{1B}]52;c;eA==\\u{7}"), "{text}");
    }

    /// "資" replaced by "e" and a blank: the blank right half is painted again,
    /// with its own style, whatever the terminal left there.
    #[test]
    fn the_right_half_of_a_replaced_wide_character_is_painted_again() {
        let area = Rect::new(0, 0, 4, 1);
        let mut shown = Buffer::empty(area);
        shown.set_string(0, 0, "資", ratatui::style::Style::default());
        let mut next = Buffer::empty(area);
        next.set_string(0, 0, "e", ratatui::style::Style::default());
        assert_eq!(shown.diff(&next).len(), 1, "ratatui's diff skips the half");
        forget_split_wide_cells(&mut shown, &next);
        let updates: Vec<(u16, u16)> = shown.diff(&next).iter().map(|u| (u.0, u.1)).collect();
        assert_eq!(updates, vec![(0, 0), (1, 0)]);
        // An unchanged wide character keeps its right half alone.
        let mut again = next.clone();
        again.set_string(0, 0, "資", ratatui::style::Style::default());
        let mut shown = again.clone();
        forget_split_wide_cells(&mut shown, &again);
        assert!(shown.diff(&again).is_empty());
    }

    #[test]
    fn a_symbol_that_escaped_the_helpers_is_replaced_in_its_cells() {
        let mut w = Writer {
            out: String::new(),
            pen: Pen::RESET,
            at: None,
        };
        w.symbol("a\u{200D}", 0, 0);
        w.symbol("\u{1b}", 1, 0);
        w.symbol("字", 2, 0);
        assert_eq!(w.out, "\u{FFFD}\u{FFFD}字");
        assert_eq!(w.at, Some((4, 0)));
    }
}
