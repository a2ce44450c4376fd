//! Snapshots of the room's record on screen at 80x24 (SSH, no colour) and
//! 120x40 (a projector): the details and participants (D), the sign-off
//! dialog (Y), a needs-re-approval row and its detail line, a note's form,
//! and the decision log (L). Text only; the mono theme check says that the
//! selection and the choices are marked by signs, not colour.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use insta::assert_snapshot;
use ratatui::style::Color;
use riskroom::store;
use riskroom::tui::app::App;
use riskroom::tui::testing::{self, press, screen_text};
use riskroom::tui::theme::Theme;

const DEMO: &str = "sessions/ip-chamber.ron";
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn demo(width: u16, height: u16) -> testing::Screen {
    testing::app(store::load(Path::new(DEMO)).unwrap(), DEMO, width, height)
}

fn name(what: &str, width: u16, height: u16) -> String {
    format!("{what}_{width}x{height}")
}

#[test]
fn the_details_and_participants() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        // On the Chinese name: its width must not push the role out of line.
        press(&mut app, &["D", "End"]);
        assert_snapshot!(name("details", w, h), screen_text(&app));
        press(&mut app, &["Enter"]);
        assert_snapshot!(name("participant_form", w, h), screen_text(&app));
        press(&mut app, &["Esc", "Home", "Enter"]);
        assert_snapshot!(name("details_form", w, h), screen_text(&app));
    }
}

#[test]
fn the_sign_off_dialog_and_a_sign_off_needing_re_approval() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["t", "Y"]);
        assert_snapshot!(name("sign_off", w, h), screen_text(&app));
        // FM-005's acceptance needs re-approval in the demo: its row and the
        // detail line on its decision.
        press(&mut app, &["Esc", "/"]);
        testing::type_text(&mut app, "FM-005");
        press(&mut app, &["Enter"]);
        for _ in 0..8 {
            press(&mut app, &["Left"]);
        }
        press(&mut app, &["Right", "Right"]);
        let text = screen_text(&app);
        assert!(text.contains("↻ needs re-approval"), "{text}");
        assert_snapshot!(name("re_approval", w, h), text);
    }
}

#[test]
fn a_note_and_the_decision_log() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["w"]);
        assert_snapshot!(name("action_form", w, h), screen_text(&app));
        press(&mut app, &["Esc", "L"]);
        assert_snapshot!(name("log_end", w, h), screen_text(&app));
        press(&mut app, &["Home"]);
        assert_snapshot!(name("log_start", w, h), screen_text(&app));
    }
}

#[test]
fn the_record_in_the_mono_theme_is_marked_without_colour() {
    let session = store::load(Path::new(DEMO)).unwrap();
    let app = testing::fixed(App::new(session, DEMO.into(), Theme::mono(), 80, 24));
    let mut app = testing::Screen::new(app);
    let steps: [(&[&str], &[&str]); 3] = [
        (
            &["D", "Down"],
            &["▶ Organisation", "[x]  Mei Ling Chan", "[ ]  Ho Siu Ming"],
        ),
        (
            &["Esc", "t", "Y"],
            &[
                "(•) approved the treatment plan",
                "▶ Priya Raman",
                "✓ Priya Raman",
            ],
        ),
        (&["Esc", "L"], &["Decision log"]),
    ];
    for (keys, expected) in steps {
        press(&mut app, keys);
        let terminal = testing::render(&app);
        for cell in terminal.backend().buffer().content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "colour in mono after {keys:?}: {cell:?}"
            );
        }
        let text = screen_text(&app);
        for want in expected {
            assert!(text.contains(want), "{want:?} after {keys:?}:\n{text}");
        }
    }
}
