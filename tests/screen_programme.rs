//! The ISMS programme view (`R`): snapshots at the two sizes people use, and
//! what a facilitator does there with keys, in-process through the real keymap
//! and update.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use insta::assert_snapshot;
use ratatui::style::Color;
use riskroom::domain::Session;
use riskroom::domain::programme::{DocumentRecord, DocumentStatus, StepRecord, StepStatus};
use riskroom::store;
use riskroom::tui::app::programme::{Part, ProgrammeView, Row};
use riskroom::tui::app::{App, Mode};
use riskroom::tui::keymap::Context;
use riskroom::tui::testing::{self, press, screen_text, type_text};
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
fn the_programme_view() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["R"]);
        assert_snapshot!(name("programme_roadmap", w, h), screen_text(&app));
        press(&mut app, &["Tab"]);
        assert_snapshot!(name("programme_documents", w, h), screen_text(&app));
        press(&mut app, &["Tab"]);
        assert_snapshot!(name("programme_groups", w, h), screen_text(&app));
        // Step 17, overdue: its row keeps the flag whole at either width, and
        // the detail line says the rest.
        press(&mut app, &["Tab", "Home"]);
        for _ in 0..16 {
            press(&mut app, &["Down"]);
        }
        let text = screen_text(&app);
        let row = text.lines().find(|l| l.starts_with("▶ 17")).unwrap();
        let flag = if w >= 120 {
            "2026-11-15 ! overdue"
        } else {
            "2026-11-15 !"
        };
        assert!(row.ends_with(flag), "{row}");
        assert_snapshot!(name("programme_step_17", w, h), text);
        press(&mut app, &["Enter"]);
        assert_snapshot!(name("programme_step_form", w, h), screen_text(&app));
        press(&mut app, &["Esc", "Tab", "End", "e"]);
        assert_snapshot!(name("programme_document_form", w, h), screen_text(&app));
    }
}

#[test]
fn without_colour_every_part_still_marks_its_selection_and_warnings() {
    for (w, h) in SIZES {
        let session = store::load(Path::new(DEMO)).unwrap();
        let app = App::new(session, DEMO.into(), Theme::mono(), w, h);
        let mut app = testing::Screen::new(testing::fixed(app));
        for keys in [&["R"][..], &["Tab"], &["Tab"]] {
            press(&mut app, keys);
            let terminal = testing::render(&app);
            for cell in terminal.backend().buffer().content() {
                assert!(
                    matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                    "colour in mono: {cell:?}"
                );
            }
            let text = screen_text(&app);
            let part = app.programme().unwrap().part;
            let summary = format!("▶ {}", part.name());
            assert!(text.contains(&summary), "the part with the keys:\n{text}");
            assert_eq!(
                text.lines().skip(4).filter(|l| l.starts_with('▶')).count(),
                1,
                "one selected row:\n{text}"
            );
            assert!(text.contains("! "), "warnings in signs:\n{text}");
        }
    }
}

fn step(app: &App, n: u8) -> StepRecord {
    app.session().programme.step(n)
}

fn document(app: &App, clause: &str) -> DocumentRecord {
    app.session().programme.document(clause)
}

fn message(app: &App) -> String {
    app.message().map(|m| m.text.clone()).unwrap_or_default()
}

/// Opens the programme and selects a row of the part with the keys, by keys.
fn select(app: &mut testing::Screen, row: usize) {
    press(app, &["Home"]);
    for _ in 0..row {
        press(app, &["Down"]);
    }
    assert_eq!(app.programme().unwrap().selected_index(), row);
}

#[test]
fn r_opens_the_programme_and_esc_goes_back_to_the_tables_where_r_finds_it_again() {
    let mut app = demo(120, 40);
    press(&mut app, &["R"]);
    assert_eq!(app.context(), Context::Programme);
    let view = app.programme().unwrap();
    assert_eq!((view.part, view.selected_index()), (Part::Roadmap, 0));
    press(&mut app, &["Tab", "Down", "Down", "Esc"]);
    assert_eq!(app.context(), Context::Normal);
    assert!(app.programme().is_none());
    let text = screen_text(&app);
    assert!(text.contains("▶ FM-003"), "the tables are back:\n{text}");
    press(&mut app, &["R"]);
    let view = app.programme().unwrap();
    assert_eq!((view.part, view.selected_index()), (Part::Documents, 2));
    assert!(screen_text(&app).contains("▶ 6.1.2"));
    // q and R close it too; q does not quit from here.
    press(&mut app, &["q"]);
    assert!(app.programme().is_none() && app.ended().is_none());
    press(&mut app, &["R", "R"]);
    assert!(app.programme().is_none());
}

#[test]
fn s_moves_a_step_on_and_u_takes_it_back_and_ctrl_r_does_it_again() {
    let mut app = demo(120, 40);
    press(&mut app, &["R"]);
    select(&mut app, 16); // step 17, in progress and overdue
    assert_eq!(step(&app, 17).status, StepStatus::InProgress);
    assert!(screen_text(&app).contains("! 1 overdue (step 17)"));
    press(&mut app, &["s"]);
    assert_eq!(step(&app, 17).status, StepStatus::Done);
    assert_eq!(app.save().generation, 1);
    assert!(message(&app).contains("step 17: Done"), "{}", message(&app));
    let text = screen_text(&app);
    assert!(text.contains("▶ 17 Done"), "{text}");
    assert!(
        !text.contains("overdue (step 17)"),
        "a done step is not overdue:\n{text}"
    );
    assert!(text.contains("22 of 24 done"), "{text}");

    // Elsewhere in the list, undo brings the step back into view and says so.
    press(&mut app, &["Home", "u"]);
    assert_eq!(step(&app, 17).status, StepStatus::InProgress);
    assert_eq!(app.programme().unwrap().selected_index(), 16);
    assert_eq!(message(&app), "undone: status of step 17");
    assert!(screen_text(&app).contains("▶ 17 In progress"));
    press(&mut app, &["C-r"]);
    assert_eq!(step(&app, 17).status, StepStatus::Done);
    // S goes back the other way, round.
    press(&mut app, &["S", "S", "S"]);
    assert_eq!(step(&app, 17).status, StepStatus::NotApplicable);
    // Every edit reached the saver's copy as it would a save.
    assert_eq!(app.saver_copy().unwrap().programme, app.session().programme);
}

#[test]
fn a_step_form_edits_owner_due_evidence_and_note_as_one_change() {
    let mut app = demo(80, 24);
    press(&mut app, &["R", "End", "Enter"]);
    let Mode::Form(form) = app.mode() else {
        panic!("a form: {:?}", app.mode());
    };
    assert_eq!(form.title(), "Roadmap step 24: Top management recognition");
    press(&mut app, &["Right", "Tab", "C-u"]);
    type_text(&mut app, "Müller 陳");
    press(&mut app, &["Tab", "C-u"]);
    type_text(&mut app, "2027-02-30");
    press(&mut app, &["Enter"]);
    // A day that does not exist is refused on its field; nothing changed.
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert_eq!(step(&app, 24).status, StepStatus::NotStarted);
    assert!(screen_text(&app).contains("February 2027 has 28 days"));
    // The field at fault has the focus, its text ready to be typed over.
    type_text(&mut app, "2027-02-28");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "https://intranet/isms/recognition");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.context(), Context::Programme, "back in the programme");
    let record = step(&app, 24);
    assert_eq!(record.status, StepStatus::InProgress);
    assert_eq!(record.owner, "Müller 陳");
    assert_eq!(record.due.unwrap().to_string(), "2027-02-28");
    assert_eq!(record.evidence, "https://intranet/isms/recognition");
    assert_eq!(record.note, "Staff event planned with the new year.");
    let text = screen_text(&app);
    assert!(text.contains("▶ 24 In progress"), "{text}");
    assert!(text.contains("Müller 陳"), "{text}");
    // One u takes the whole form back.
    press(&mut app, &["u"]);
    assert_eq!(step(&app, 24), demo(80, 24).session().programme.step(24));
    // A form saved unchanged changes nothing.
    press(&mut app, &["Enter", "Enter"]);
    assert_eq!(message(&app), "no changes");
    assert_eq!(app.save().generation, 2, "the form and its undo");
}

#[test]
fn a_document_reviewed_today_is_no_longer_overdue_and_a_review_tomorrow_is_refused() {
    let mut app = demo(120, 40);
    press(&mut app, &["R", "Tab"]);
    select(&mut app, 10); // 9.1 Monitoring and measurement: draft, overdue
    assert!(screen_text(&app).contains("! 3 reviews overdue"));
    press(&mut app, &["e", "Right", "Tab", "Tab", "Tab", "C-u"]);
    type_text(&mut app, "2026-11-24");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)), "a review tomorrow");
    assert!(screen_text(&app).contains("cannot be in the future"));
    type_text(&mut app, "2026-11-23");
    press(&mut app, &["Enter"]);
    let record = document(&app, "9.1");
    assert_eq!(record.status, DocumentStatus::Approved);
    assert_eq!(record.last_review.unwrap().to_string(), "2026-11-23");
    let text = screen_text(&app);
    assert!(text.contains("! 2 reviews overdue"), "{text}");
    assert!(text.contains("▶ 9.1     Approved"), "{text}");
    assert!(message(&app).contains("document 9.1 saved: Approved"));
    // s on a document: Approved → Missing, round; u back.
    press(&mut app, &["s"]);
    assert_eq!(document(&app, "9.1").status, DocumentStatus::Missing);
    assert!(screen_text(&app).contains("▶ 9.1     ? Missing"));
    press(&mut app, &["u", "u"]);
    assert_eq!(
        document(&app, "9.1"),
        demo(120, 40).session().programme.document("9.1")
    );
    assert_eq!(app.programme().unwrap().part, Part::Documents);
}

#[test]
fn the_control_groups_are_worked_out_so_edits_there_say_where_they_come_from() {
    let mut app = demo(120, 40);
    press(&mut app, &["R", "BackTab"]);
    assert_eq!(app.programme().unwrap().part, Part::Groups);
    let before = app.session().clone();
    for key in ["e", "Enter", "s", "S"] {
        press(&mut app, &[key]);
        assert!(matches!(app.mode(), Mode::Normal));
        assert!(
            message(&app).contains("Annex A links"),
            "{key}: {}",
            message(&app)
        );
    }
    assert_eq!(app.session(), &before);
    assert_eq!(app.save().generation, 0);
}

#[test]
fn read_only_the_programme_can_be_read_but_not_changed() {
    let session = store::load(Path::new(DEMO)).unwrap();
    let app = App::new(session, DEMO.into(), Theme::dark(), 80, 24);
    let mut app = testing::Screen::new(testing::fixed(app).read_only("held by ana@jump1"));
    press(&mut app, &["R", "Down", "Tab", "Tab", "Tab", "s"]);
    assert!(message(&app).contains("read-only"), "{}", message(&app));
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(message(&app).contains("read-only"));
    assert_eq!(app.save().generation, 0);
    let text = screen_text(&app);
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("Tab part"), "{footer}");
    for edit in ["s status", "e edit", "u undo"] {
        assert!(!footer.contains(edit), "edits not offered: {footer}");
    }
}

#[test]
fn a_brand_new_session_shows_every_step_not_started_and_every_document_missing() {
    let session = Session::new("Neu", testing::fixed_now());
    let mut app = testing::app(session, "sessions/neu.ron", 80, 24);
    press(&mut app, &["R"]);
    let text = screen_text(&app);
    assert!(text.contains("not started: all 24 steps"), "{text}");
    assert_eq!(text.matches("Not started").count(), 12, "{text}");
    press(&mut app, &["Tab"]);
    let text = screen_text(&app);
    assert!(text.contains("14 missing"), "{text}");
    assert!(text.contains("0 decisions"), "{text}");
    press(&mut app, &["Tab"]);
    let text = screen_text(&app);
    assert!(text.contains("! no control at all"), "{text}");
    // The first step edited makes it the Awareness phase.
    press(&mut app, &["Tab", "s"]);
    assert!(screen_text(&app).contains("Awareness (1 of 4)"));
}

#[test]
fn paging_and_resizing_keep_the_selected_row_on_screen() {
    for (w, h) in [(80, 24), (120, 40), (100, 30)] {
        let mut app = demo(w, h);
        press(&mut app, &["R"]);
        for part in 0..3 {
            let rows = app.programme().unwrap().part;
            let mut last = 0;
            for _ in 0..30 {
                press(&mut app, &["PgDn"]);
                let view = app.programme().unwrap();
                let marked = format!("▶ {}", row_label(view));
                assert!(
                    screen_text(&app).contains(&marked),
                    "{w}x{h} {rows:?}: {marked} on screen\n{}",
                    screen_text(&app)
                );
                assert!(view.selected_index() >= last);
                last = view.selected_index();
            }
            assert_eq!(
                last,
                app.programme().unwrap().part.rows() - 1,
                "part {part}"
            );
            press(&mut app, &["PgUp", "Up"]);
            testing::resize(&mut app, 80, 24);
            let view = app.programme().unwrap();
            assert!(screen_text(&app).contains(&format!("▶ {}", row_label(view))));
            testing::resize(&mut app, w, h);
            press(&mut app, &["Tab"]);
        }
    }
}

/// The start of the selected row's line as the view writes it.
fn row_label(view: &ProgrammeView) -> String {
    match view.row() {
        Row::Step(n) => format!("{n:>2} "),
        Row::Document(c) => format!("{:<7} ", c.cited()),
        Row::Group(g) => g.short_name().to_string(),
    }
}

#[test]
fn any_size_any_key_no_panic() {
    for keys in [
        &["R"][..],
        &["R", "Tab"],
        &["R", "BackTab"],
        &["R", "Enter"],
        &["R", "?"],
    ] {
        let mut app = demo(80, 24);
        press(&mut app, keys);
        for w in [0u16, 1, 2, 10, 40, 79, 80, 81, 119, 120, 200] {
            for h in [0u16, 1, 2, 5, 23, 24, 25, 40, 60] {
                testing::resize(&mut app, w, h);
                let _ = screen_text(&app);
                press(&mut app, &["End", "PgUp", "PgDn"]);
                let _ = screen_text(&app);
            }
        }
    }
}

#[test]
fn help_from_the_programme_opens_at_its_keys_and_esc_comes_back() {
    for (w, h) in SIZES {
        let mut app = demo(w, h);
        press(&mut app, &["R", "Tab", "?"]);
        let text = screen_text(&app);
        let first = text.lines().nth(2).unwrap();
        assert!(first.contains("ISMS programme (after R)"), "{text}");
        assert!(text.contains("next status"), "{text}");
        press(&mut app, &["Esc"]);
        assert_eq!(app.context(), Context::Programme);
        assert_eq!(app.programme().unwrap().part, Part::Documents);
    }
}
