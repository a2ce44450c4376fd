//! Snapshots of every screen and dialog at the two sizes people use: 80x24 (SSH
//! on a jump host) and 120x40 (a projector). Text only; styles are tested below
//! where they carry meaning (the mono theme has no colour at all).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use insta::assert_snapshot;
use ratatui::style::Color;
use riskroom::domain::*;
use riskroom::store;
use riskroom::tui::app::App;
use riskroom::tui::picker::{Entry, Picker};
use riskroom::tui::testing::{self, press, screen_text, type_text};
use riskroom::tui::theme::Theme;

const DEMO: &str = "sessions/ip-chamber.ron";
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn demo(width: u16, height: u16) -> testing::Screen {
    let session = store::load(Path::new(DEMO)).unwrap();
    testing::app(session, DEMO, width, height)
}

fn name(what: &str, width: u16, height: u16) -> String {
    format!("{what}_{width}x{height}")
}

#[test]
fn the_demo_session() {
    for (w, h) in SIZES {
        assert_snapshot!(name("demo", w, h), screen_text(&demo(w, h)));
    }
}

#[test]
fn the_asset_form() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["Tab", "e"]);
        assert_snapshot!(name("asset_form_edit", w, h), screen_text(&app));
        press(&mut app, &["Esc", "a"]);
        type_text(&mut app, "Müller's laptop 💻");
        press(&mut app, &["Tab", "Tab", "5"]);
        assert_snapshot!(
            name("asset_form_new_refused_digit", w, h),
            screen_text(&app)
        );
    }
}

#[test]
fn the_failure_mode_form() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["a"]);
        type_text(&mut app, "VPN token shared between engineers");
        press(&mut app, &["Tab", "Tab", "Tab"]);
        type_text(&mut app, "tape");
        assert_snapshot!(name("failure_mode_form_new", w, h), screen_text(&app));
        // Something was typed: the first Esc only warns, the second discards.
        press(&mut app, &["Esc"]);
        assert_snapshot!(
            name("failure_mode_form_discard_warning", w, h),
            screen_text(&app)
        );
        press(&mut app, &["Esc", "e"]);
        assert_snapshot!(name("failure_mode_form_edit", w, h), screen_text(&app));
    }
}

#[test]
fn the_help() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["?"]);
        assert_snapshot!(name("help", w, h), screen_text(&app));
        press(&mut app, &["PgDn", "PgDn", "PgDn"]);
        assert_snapshot!(name("help_scrolled", w, h), screen_text(&app));
    }
}

#[test]
fn the_export_dialog() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["x"]);
        assert_snapshot!(name("export_dialog", w, h), screen_text(&app));
    }
}

#[test]
fn the_import_dialog() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["i"]);
        type_text(&mut app, "tests/fixtures/libreoffice/no-such-file.csv");
        press(&mut app, &["Enter"]);
        assert_snapshot!(name("import_dialog_error", w, h), screen_text(&app));
    }
}

#[test]
fn a_confirmation() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["d"]);
        assert_snapshot!(name("confirm_delete", w, h), screen_text(&app));
        press(&mut app, &["n", "p", "p", "p"]);
        assert_snapshot!(name("confirm_new_cycle", w, h), screen_text(&app));
    }
}

#[test]
fn the_filter() {
    let mut app = demo(80, 24);
    press(&mut app, &["/"]);
    type_text(&mut app, "vpn");
    assert_snapshot!("filter_typing_80x24", screen_text(&app));
}

#[test]
fn the_picker() {
    let entries = vec![
        Entry {
            path: "sessions/ip-chamber.ron".into(),
            title: Ok("Secure Virtual IP Chamber: InfoSec FMEA Circle".into()),
            modified: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_424_400)),
        },
        Entry {
            path: "sessions/broken.ron".into(),
            title: Err("sessions/broken.ron:3:5: Expected comma".into()),
            modified: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000)),
        },
    ];
    for (w, h) in SIZES {
        let picker = Picker::new(entries.clone(), "sessions".into(), Theme::dark());
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| f.render_widget(&picker, f.area()))
            .unwrap();
        assert_snapshot!(name("picker", w, h), terminal.backend());
    }
}

#[test]
fn too_small_notice_and_no_panic_at_any_size() {
    let mut app = demo(60, 20);
    assert_snapshot!("too_small_60x20", screen_text(&app));
    // Every size from nothing to wide, in every mode: never a panic.
    for keys in [
        &[][..],
        &["a"],
        &["?"],
        &["x"],
        &["d"],
        &["/"],
        &["t"],
        &["A"],
        &["H"],
        &["c"],
        &["T"],
    ] {
        app = demo(80, 24);
        press(&mut app, keys);
        for w in [0u16, 1, 2, 10, 40, 79, 80, 81, 119, 120, 200] {
            for h in [0u16, 1, 2, 5, 23, 24, 25, 40, 60] {
                testing::resize(&mut app, w, h);
                let _ = screen_text(&app);
            }
        }
    }
}

#[test]
fn a_session_with_chinese_and_german_names_keeps_columns_aligned() {
    let mut s = Session::new(
        "資訊安全風險工作坊 · Risikoworkshop Größenordnung",
        testing::fixed_now(),
    );
    let names = [
        "客戶IP資料庫",
        "機房門禁系統（大埔）",
        "Größe der Datenbank — Übersicht",
        "📦 Lieferkette",
    ];
    for (n, name) in names.iter().enumerate() {
        let id = s.allocate_asset_id().unwrap();
        let mut a = Asset::new(id, *name, Category::ALL[n % 7]);
        a.owner = "資訊科技部".into();
        (a.confidentiality, a.integrity, a.availability) = (4, 3, (n % 3 + 1) as u8);
        s.assets.push(a);
        let fid = s.allocate_failure_mode_id().unwrap();
        let mut fm = FailureMode::new(fid, format!("{name} 資料外洩 durch Fehlkonfiguration"));
        fm.asset = Some(id);
        fm.process = s.intern_process("遠端存取 Fernzugriff").unwrap();
        (fm.severity, fm.occurrence, fm.detection) = (9, (n + 2) as u8, 7);
        s.failure_modes.push(fm);
    }
    for (w, h) in SIZES {
        let app = testing::app(s.clone(), "sessions/zh.ron", w, h);
        let text = screen_text(&app);
        assert_snapshot!(name("chinese_names", w, h), text);
        // Every row of a table ends its last column at the same display width.
        let rows = || {
            text.lines()
                .filter(|l| l.starts_with("  FM-") || l.starts_with("▶ FM-"))
        };
        assert_eq!(rows().count(), 4);
        for line in rows() {
            let status_at = unicode_width::UnicodeWidthStr::width(line.trim_end());
            assert!(status_at <= usize::from(w), "{line}");
        }
        let rpn_columns: Vec<usize> = rows()
            .map(|l| {
                let i = l.find(" H ").or_else(|| l.find(" M ")).unwrap();
                unicode_width::UnicodeWidthStr::width(&l[..i])
            })
            .collect();
        assert!(
            rpn_columns.windows(2).all(|p| p[0] == p[1]),
            "AP column misaligned: {rpn_columns:?}"
        );
    }
}

#[test]
fn the_mono_theme_has_no_colour_and_still_marks_everything() {
    let session = store::load(Path::new(DEMO)).unwrap();
    for (w, h) in SIZES {
        let app = testing::fixed(App::new(session.clone(), DEMO.into(), Theme::mono(), w, h));
        let terminal = testing::render(&app);
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "colour in mono: {cell:?}"
            );
        }
        let text = screen_text(&app);
        assert!(text.contains("[DO]"), "the stage is marked by brackets");
        assert!(
            text.contains("▶ FM-003"),
            "the selection is marked by a sign"
        );
        assert_snapshot!(name("mono", w, h), text);
    }
}

#[test]
fn the_treatment_view() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["t"]);
        assert_snapshot!(name("treatment_view", w, h), screen_text(&app));
        // Filtered by status and by owner, the cursor on the residual RPN.
        press(
            &mut app,
            &["s", "s", "o", "Right", "Right", "Right", "Right", "Right"],
        );
        assert_snapshot!(name("treatment_view_filtered", w, h), screen_text(&app));
    }
}

#[test]
fn the_history_view() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["H"]);
        assert_snapshot!(name("history", w, h), screen_text(&app));
        // FM-001: a treatment done in cycle 1 whose revised ratings carried over.
        press(&mut app, &["Esc", "/"]);
        type_text(&mut app, "FM-001");
        press(&mut app, &["Enter", "H"]);
        assert_snapshot!(name("history_carried_over", w, h), screen_text(&app));
    }
}

#[test]
fn the_cycle_summary() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["c"]);
        assert_snapshot!(name("cycle_summary", w, h), screen_text(&app));
    }
}

#[test]
fn the_annex_a_picker() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["A"]);
        assert_snapshot!(name("controls_linked", w, h), screen_text(&app));
        type_text(&mut app, "authentication");
        assert_snapshot!(name("controls_search", w, h), screen_text(&app));
    }
}

#[test]
fn the_threshold_form() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["T"]);
        assert_snapshot!(name("threshold_form", w, h), screen_text(&app));
    }
}

/// Warning letters (AP H, `! overdue`, a due date in red) keep their letters on
/// the selected row but take the selection's foreground: red on the selection's
/// blue or yellow cannot be read from the back of the room.
#[test]
fn the_selected_row_is_written_in_the_selection_colour_in_every_colour_theme() {
    for theme in ["dark", "light", "high-contrast"] {
        for treatment_view in [false, true] {
            let session = store::load(Path::new(DEMO)).unwrap();
            let mut app = testing::Screen::new(testing::fixed(App::new(
                session,
                DEMO.into(),
                Theme::built_in(theme).unwrap(),
                120,
                40,
            )));
            if treatment_view {
                press(&mut app, &["t"]);
            }
            let text = screen_text(&app);
            let y = text
                .lines()
                .position(|l| l.starts_with("▶ FM-003"))
                .unwrap_or_else(|| panic!("{theme}: FM-003 selected\n{text}"));
            let row = text.lines().nth(y).unwrap();
            assert!(
                row.contains(" H") && row.contains('!'),
                "{theme}: the row carries its warnings: {row}"
            );
            let terminal = testing::render(&app);
            let buffer = terminal.backend().buffer();
            let selected = app.theme().selected.fg;
            let cursor = app.theme().cursor.fg;
            for x in 0..120u16 {
                let cell = &buffer[(x, y as u16)];
                if cell.symbol().trim().is_empty() {
                    continue;
                }
                assert!(
                    Some(cell.fg) == selected || Some(cell.fg) == cursor,
                    "{theme} (treatment view {treatment_view}): {:?} at column {x} is {:?}",
                    cell.symbol(),
                    cell.fg
                );
            }
        }
    }
}
