//! What riskroom writes to the terminal: after every key of random sessions of
//! keys, a terminal emulator (`vt100`) fed with the painter's bytes must show
//! exactly the frame that was rendered, cell by cell (text, colours, bold,
//! underline, inverse), whatever the painter did to save bytes (scroll regions,
//! erasing runs of blanks, skipping unchanged cells).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;
use riskroom::tui::app::App;
use riskroom::tui::paint::Painter;
use riskroom::tui::testing::{self, press};

fn expected_color(color: Color) -> vt100::Color {
    match color {
        Color::Reset => vt100::Color::Default,
        Color::Black => vt100::Color::Idx(0),
        Color::Red => vt100::Color::Idx(1),
        Color::Green => vt100::Color::Idx(2),
        Color::Yellow => vt100::Color::Idx(3),
        Color::Blue => vt100::Color::Idx(4),
        Color::Magenta => vt100::Color::Idx(5),
        Color::Cyan => vt100::Color::Idx(6),
        Color::Gray => vt100::Color::Idx(7),
        Color::DarkGray => vt100::Color::Idx(8),
        Color::LightRed => vt100::Color::Idx(9),
        Color::LightGreen => vt100::Color::Idx(10),
        Color::LightYellow => vt100::Color::Idx(11),
        Color::LightBlue => vt100::Color::Idx(12),
        Color::LightMagenta => vt100::Color::Idx(13),
        Color::LightCyan => vt100::Color::Idx(14),
        Color::White => vt100::Color::Idx(15),
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
    }
}

/// Every cell of the emulated screen against the rendered buffer. A blank cell
/// only shows its background (and a line or inverse video, if any).
fn assert_shows(parser: &vt100::Parser, frame: &Buffer, context: &str) {
    let screen = parser.screen();
    let area = frame.area;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let want = &frame[(x, y)];
            let got = screen.cell(y, x).unwrap();
            let where_ = format!("{context}: cell ({x}, {y})");
            let symbol = if got.has_contents() {
                got.contents()
            } else {
                " "
            };
            assert_eq!(symbol, want.symbol(), "{where_}");
            assert_eq!(
                got.bgcolor(),
                expected_color(want.bg),
                "{where_} background"
            );
            assert_eq!(
                got.underline(),
                want.modifier.contains(Modifier::UNDERLINED),
                "{where_} underline"
            );
            assert_eq!(
                got.inverse(),
                want.modifier.contains(Modifier::REVERSED),
                "{where_} inverse"
            );
            if want.symbol() != " " {
                assert_eq!(got.fgcolor(), expected_color(want.fg), "{where_} colour");
                assert_eq!(
                    got.bold(),
                    want.modifier.contains(Modifier::BOLD),
                    "{where_} bold"
                );
                assert_eq!(
                    got.italic(),
                    want.modifier.contains(Modifier::ITALIC),
                    "{where_} italic"
                );
            }
            x += unicode_width::UnicodeWidthStr::width(want.symbol()).max(1) as u16;
        }
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

fn rendered(app: &App) -> Buffer {
    let area = Rect::new(0, 0, app.width(), app.height());
    let mut buffer = Buffer::empty(area);
    app.render(area, &mut buffer);
    buffer
}

struct Term {
    painter: Painter,
    parser: vt100::Parser,
    written: Vec<usize>,
}

impl Term {
    fn new(app: &App) -> Term {
        Term {
            painter: Painter::new(),
            parser: vt100::Parser::new(nz(app.height()), nz(app.width()), 0),
            written: Vec::new(),
        }
    }

    fn paint(&mut self, app: &App, context: &str) {
        let area = Rect::new(0, 0, app.width(), app.height());
        let (rows, cols) = self.parser.screen().size();
        if (rows.get(), cols.get()) != (app.height(), app.width()) {
            self.parser
                .screen_mut()
                .set_size(nz(app.height()), nz(app.width()));
        }
        let bytes = self.painter.frame(app, area);
        self.written.push(bytes.len());
        self.parser.process(&bytes);
        assert_shows(&self.parser, &rendered(app), context);
    }
}

fn register(failure_modes: usize, width: u16, height: u16) -> testing::Screen {
    let session = riskroom::generate::large_session(20, failure_modes, 5);
    testing::app(session, "register.ron", width, height)
}

const KEYS: &[&str] = &[
    "Down", "Down", "Down", "Up", "PgDn", "PgUp", "End", "Home", "Left", "Right", "Tab", "1", "9",
    "0", "3", "u", "C-r", "/", "z", "BS", "Esc", "?", "a", "e", "t", "A", "Enter", "H", "c", "p",
    "f", "m", "r",
];

fn run(keys: &[usize], width: u16, height: u16) {
    let mut app = register(300, width, height);
    let mut term = Term::new(&app);
    term.paint(&app, "first frame");
    for (n, &k) in keys.iter().enumerate() {
        press(&mut app, &[KEYS[k]]);
        term.paint(&app, &format!("key {n} ({})", KEYS[k]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_terminal_shows_every_frame_exactly_at_120x40(
        keys in proptest::collection::vec(0..KEYS.len(), 1..60)
    ) {
        run(&keys, 120, 40);
    }

    #[test]
    fn the_terminal_shows_every_frame_exactly_at_80x24(
        keys in proptest::collection::vec(0..KEYS.len(), 1..60)
    ) {
        run(&keys, 80, 24);
    }
}

#[test]
fn a_resize_repaints_the_whole_screen_right() {
    let mut app = register(200, 120, 40);
    let mut term = Term::new(&app);
    term.paint(&app, "first");
    press(&mut app, &["Down", "Down"]);
    term.paint(&app, "moved");
    for (w, h) in [(80, 24), (60, 20), (100, 30), (120, 40)] {
        testing::resize(&mut app, w, h);
        term.paint(&app, &format!("{w}x{h}"));
    }
}

#[test]
fn scrolling_the_demo_and_a_register_with_wide_text_stays_exact() {
    let mut app = testing::app(
        riskroom::store::load(std::path::Path::new("sessions/ip-chamber.ron")).unwrap(),
        "sessions/ip-chamber.ron",
        120,
        40,
    );
    let mut term = Term::new(&app);
    term.paint(&app, "demo");
    for n in 0..45 {
        press(&mut app, &["Down"]);
        term.paint(&app, &format!("demo down {n}"));
    }
    for n in 0..45 {
        press(&mut app, &["Up"]);
        term.paint(&app, &format!("demo up {n}"));
    }
}

/// The budgets themselves are measured by `bench/compare.sh`; this keeps the
/// painter honest about the order of magnitude (a repaint of the table is
/// several kilobytes, a scrolled row a few hundred bytes).
#[test]
fn a_down_key_writes_a_few_hundred_bytes_not_the_table() {
    let mut app = register(2000, 120, 40);
    let mut term = Term::new(&app);
    term.paint(&app, "first");
    for n in 0..60 {
        press(&mut app, &["Down"]);
        term.paint(&app, &format!("down {n}"));
    }
    let downs = &term.written[1..];
    assert!(downs.iter().all(|b| *b < 1500), "{downs:?}");
}

/// The room's views key by key at both sizes: the focus view walking the demo
/// and rating, the matrix moving, toggling and listing a cell, the cycle
/// summary's trend and Pareto.
#[test]
fn the_focus_view_the_matrix_and_the_pareto_stay_exact() {
    let keys: &[&str] = &[
        "f", "Down", "Down", "Right", "3", "Down", "Up", "0", "PgDn", "PgUp", "u", "Tab", "f",
        "Down", "Esc", "Tab", "m", "Left", "Down", "r", "z", "Left", "Up", "z", "r", "Up", "Right",
        "Enter", "f", "Down", "Esc", "Esc", "Esc", "c", "Down", "Down", "PgDn", "Esc",
    ];
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = testing::app(
            riskroom::store::load(std::path::Path::new("sessions/ip-chamber.ron")).unwrap(),
            "sessions/ip-chamber.ron",
            w,
            h,
        );
        let mut term = Term::new(&app);
        term.paint(&app, "demo");
        for (n, key) in keys.iter().enumerate() {
            press(&mut app, &[key]);
            term.paint(&app, &format!("{w}x{h} key {n} ({key})"));
        }
    }
}
