//! The workshop screen driven by keys, in-process, through the real keymap and
//! update: what a facilitator does, and what the room must see.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use riskroom::domain::*;
use riskroom::store;
use riskroom::tui::action::Outcome;
use riskroom::tui::app::{App, Clock, Mode};
use riskroom::tui::pane::Pane;
use riskroom::tui::runtime::{Exit, LoopEnd};
use riskroom::tui::testing::{self, Screen, press, screen_text, type_text};
use riskroom::tui::theme::Theme;

const DEMO: &str = "sessions/ip-chamber.ron";

fn demo() -> Screen {
    testing::app(store::load(Path::new(DEMO)).unwrap(), DEMO, 120, 40)
}

/// The demo as a second riskroom sees it while another holds the file.
fn demo_read_only() -> Screen {
    let app = App::new(
        store::load(Path::new(DEMO)).unwrap(),
        DEMO.into(),
        Theme::dark(),
        120,
        40,
    );
    Screen::new(testing::fixed(app).read_only("held by ana@jump1, process 4242"))
}

/// Selects the row at `index` of the failure-mode list with keys.
fn select_row(app: &mut Screen, index: usize) {
    press(app, &["Home"]);
    for _ in 0..index {
        press(app, &["Down"]);
    }
    assert_eq!(app.failure_modes().selected, index);
}

fn selected_fm(app: &App) -> &FailureMode {
    app.session()
        .failure_mode(app.failure_modes().selected_id().unwrap())
        .unwrap()
}

fn position_of(app: &App, id: u32) -> usize {
    app.failure_modes()
        .rows
        .iter()
        .position(|f| f.0 == id)
        .unwrap()
}

#[test]
fn a_failure_mode_added_with_10_10_10_goes_to_the_top_and_stays_selected() {
    let mut app = demo();
    let before = app.session().failure_modes.len();
    press(&mut app, &["Down", "Down", "a"]);
    type_text(&mut app, "Chamber admin console exposed to the internet");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Customer IP exfiltrated");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Firewall rule left open after maintenance");
    press(&mut app, &["Tab", "Tab"]); // the asset is pre-filled from the selected row
    type_text(&mut app, "Change review");
    press(&mut app, &["Tab", "0", "0", "0", "Enter"]);

    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.session().failure_modes.len(), before + 1);
    let fm = selected_fm(&app);
    assert_eq!(fm.mode, "Chamber admin console exposed to the internet");
    assert_eq!(
        (fm.severity, fm.occurrence, fm.detection, fm.rpn()),
        (10, 10, 10, 1000)
    );
    assert_eq!(fm.id, FailureModeId(42), "the next ID after next_ids");
    assert_eq!(app.failure_modes().selected, 0, "at the top, selected");
    let third = app.session().failure_mode(FailureModeId(39)).unwrap();
    assert_eq!(
        fm.asset, third.asset,
        "pre-filled asset of the row that was selected"
    );
    assert_eq!(fm.process, third.process, "pre-filled process");
    let screen = screen_text(&app);
    assert!(screen.contains("▶ FM-042"), "{screen}");
    assert!(app.message().as_ref().unwrap().text.contains("now #1"));
}

#[test]
fn an_inline_severity_change_moves_the_row_with_the_selection_and_undo_moves_it_back() {
    let mut app = demo();
    // FM-013: S5 O3 D8 = 120. Select it, cursor on S (the default column).
    let start = position_of(&app, 13);
    select_row(&mut app, start);
    press(&mut app, &["9"]);
    let fm = selected_fm(&app);
    assert_eq!((fm.id, fm.severity, fm.rpn()), (FailureModeId(13), 9, 216));
    let moved = app.failure_modes().selected;
    assert!(moved < start, "moved up from {start} to {moved}");
    assert_eq!(position_of(&app, 13), moved);
    // 216 ties with FM-007, FM-008 (S9) and FM-026 (S6): after the S9 ones by ID, before S6.
    assert_eq!(app.failure_modes().rows[moved - 1], FailureModeId(8));
    assert_eq!(app.failure_modes().rows[moved + 1], FailureModeId(26));
    assert!(screen_text(&app).contains("▶ FM-013"));

    press(&mut app, &["u"]);
    assert_eq!(selected_fm(&app).id, FailureModeId(13));
    assert_eq!(selected_fm(&app).severity, 5);
    assert_eq!(app.failure_modes().selected, start, "back where it was");
    press(&mut app, &["C-r"]);
    assert_eq!(
        (selected_fm(&app).severity, app.failure_modes().selected),
        (9, moved)
    );
}

#[test]
fn a_digit_outside_the_scale_is_refused_and_changes_nothing() {
    let mut app = demo();
    press(&mut app, &["Tab", "Right"]); // assets, cursor C -> I
    assert_eq!(app.assets().column, riskroom::tui::pane::Column::I);
    let before = app.session().clone();
    press(&mut app, &["5"]);
    assert_eq!(app.session(), &before);
    let message = app.message().cloned().unwrap();
    assert!(
        message.text.contains("5 refused: integrity is rated 1-3"),
        "{}",
        message.text
    );
    assert_eq!(app.save().generation, 0, "nothing to save");
    // 0 means 10, out of scale for confidentiality too.
    press(&mut app, &["Left", "0"]);
    assert_eq!(app.session(), &before);
    press(&mut app, &["4"]);
    assert_eq!(app.session().assets[0].confidentiality, 4);
}

#[test]
fn a_letter_with_no_key_says_so_and_changes_nothing() {
    let mut app = demo();
    let before = app.session().clone();
    press(&mut app, &["z"]);
    assert_eq!(app.session(), &before);
    assert_eq!(
        app.message().unwrap().text,
        "z does nothing here: ? lists every key"
    );
}

#[test]
fn digits_on_a_column_that_is_not_a_rating_say_how_to_rate() {
    let mut app = demo();
    press(&mut app, &["Home", "h", "h", "h", "h", "h", "7"]);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("move the column cursor onto S, O or D")
    );
}

#[test]
fn the_filter_narrows_the_focused_table_and_esc_clears_it() {
    let mut app = demo();
    press(&mut app, &["/"]);
    type_text(&mut app, "VPN");
    assert_eq!(app.failure_modes().rows.len(), 4);
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.failure_modes().rows.len(), 4, "Enter keeps the filter");
    assert!(screen_text(&app).contains("4 of 40, filter \"VPN\""));
    // Rating a filtered row keeps the filter and the order.
    press(&mut app, &["End", "0"]);
    assert_eq!(app.failure_modes().rows.len(), 4);
    assert_eq!(selected_fm(&app).severity, 10);
    press(&mut app, &["Esc"]);
    assert_eq!(app.failure_modes().rows.len(), 40);
    // The asset pane has its own filter; Chinese text matches too.
    press(&mut app, &["Tab", "/"]);
    type_text(&mut app, "資料");
    assert_eq!(app.assets().rows.len(), 1);
    press(&mut app, &["Esc"]);
    assert_eq!(app.assets().rows.len(), 20);
}

#[test]
fn the_stage_goes_round_a_whole_cycle_and_a_new_cycle_asks_first() {
    let mut app = demo();
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (2, Stage::Do)
    );
    press(&mut app, &["p", "p"]);
    assert_eq!(app.session().pdca.stage, Stage::Act);
    press(&mut app, &["p"]);
    assert!(matches!(app.mode(), Mode::Confirm(_)), "Act -> Plan asks");
    press(&mut app, &["n"]);
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (2, Stage::Act)
    );
    press(&mut app, &["p", "y"]);
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (3, Stage::Plan)
    );
    assert_eq!(app.session().pdca.closed_cycles.len(), 2);
    assert!(screen_text(&app).contains("[PLAN]"));
    assert!(screen_text(&app).contains("cycle 3"));
    for stage in [Stage::Do, Stage::Check, Stage::Act] {
        press(&mut app, &["p"]);
        assert_eq!(app.session().pdca.stage, stage);
    }
    press(&mut app, &["P"]);
    assert_eq!(app.session().pdca.stage, Stage::Check, "P steps back");
    let entries = app
        .session()
        .pdca
        .history
        .iter()
        .filter(|h| h.cycle == 3)
        .count();
    assert_eq!(entries, 5, "every stage change recorded with its time");
    assert!(
        app.session()
            .pdca
            .history
            .iter()
            .all(|h| h.at <= testing::fixed_now())
    );
    // Undo walks back through the stage changes and the cycle close.
    press(&mut app, &["u", "u", "u", "u", "u"]);
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (2, Stage::Act)
    );
}

#[test]
fn delete_asks_and_undo_brings_everything_back() {
    let mut app = demo();
    let before = app.session().clone();
    press(&mut app, &["d"]);
    assert!(matches!(app.mode(), Mode::Confirm(_)));
    press(&mut app, &["Esc"]);
    assert_eq!(app.session(), &before);
    press(&mut app, &["d", "y"]);
    assert_eq!(app.session().failure_modes.len(), 39);
    assert!(app.session().failure_mode(FailureModeId(3)).is_none());
    // Deleting an asset unlinks its failure modes in the same step.
    press(&mut app, &["Tab", "Down", "d", "y"]);
    assert!(app.session().asset(AssetId(2)).is_none());
    assert!(
        app.session()
            .failure_modes
            .iter()
            .all(|f| f.asset != Some(AssetId(2)))
    );
    press(&mut app, &["u", "u"]);
    // Everything is back; the decision log only grew: FM-003's sign-off went
    // with it and came back with the undo, and the log says both.
    let mut now = app.session().clone();
    let added = now.log.split_off(before.log.len());
    assert_eq!(&now, &before);
    let said: Vec<(&riskroom::domain::log::Event, riskroom::domain::log::Via)> =
        added.iter().map(|e| (&e.event, e.via)).collect();
    assert!(
        matches!(
            said.as_slice(),
            [
                (
                    riskroom::domain::log::Event::Revoked {
                        fm: FailureModeId(3),
                        ..
                    },
                    riskroom::domain::log::Via::Edit
                ),
                (
                    riskroom::domain::log::Event::SignedOff {
                        fm: FailureModeId(3),
                        ..
                    },
                    riskroom::domain::log::Via::Undo
                ),
            ]
        ),
        "{said:?}"
    );
}

#[test]
fn undo_goes_back_more_than_a_hundred_steps() {
    let mut app = demo();
    let before = app.session().clone();
    for i in 0..150 {
        press(&mut app, &[if i % 2 == 0 { "9" } else { "8" }, "Down"]);
    }
    for _ in 0..150 {
        press(&mut app, &["u"]);
    }
    assert_eq!(app.session(), &before);
    press(&mut app, &["u"]);
    assert_eq!(app.message().unwrap().text, "nothing to undo");
}

#[test]
fn editing_opens_on_the_column_under_the_cursor_and_esc_changes_nothing() {
    let mut app = demo();
    let before = app.session().clone();
    press(&mut app, &["Right", "e"]); // cursor on O
    let Mode::Form(form) = &app.mode() else {
        panic!("form expected")
    };
    assert_eq!(form.focused().label, "Occurrence");
    press(&mut app, &["2"]);
    press(&mut app, &["Esc"]);
    assert_eq!(app.session(), &before);
    press(&mut app, &["Enter", "2", "Enter"]);
    assert_eq!(
        app.session()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .occurrence,
        2
    );
}

#[test]
fn an_asset_added_in_a_form_gets_its_class() {
    let mut app = demo();
    press(&mut app, &["Tab", "a"]);
    type_text(&mut app, "Labor-Schlüsselkasten 鑰匙箱");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Facility manager");
    press(&mut app, &["Tab", "3", "2", "3", "s", "i", "Enter"]);
    let asset = app
        .session()
        .asset(app.assets().selected_id().unwrap())
        .unwrap();
    assert_eq!(asset.name, "Labor-Schlüsselkasten 鑰匙箱");
    assert_eq!(
        (asset.class_value(), asset.class_rank()),
        (18, ClassRank::A)
    );
    assert_eq!(asset.category, Category::Site);
    assert_eq!(asset.id, AssetId(21));
    assert_eq!(app.focus(), Pane::Assets);
}

#[test]
fn read_only_refuses_every_edit_and_says_why() {
    let mut app = demo_read_only();
    let before = app.session().clone();
    for keys in [
        &["9"][..],
        &["a"],
        &["e"],
        &["d"],
        &["p"],
        &["P"],
        &["u"],
        &["C-s"],
    ] {
        press(&mut app, keys);
        assert_eq!(app.session(), &before, "{keys:?}");
        let text = app.message().cloned().unwrap().text;
        assert!(
            text.contains("read-only, nothing can be changed (held by ana@jump1"),
            "{keys:?}: {text}"
        );
        assert!(matches!(app.mode(), Mode::Normal));
    }
    assert!(screen_text(&app).contains("READ-ONLY"));
    // Export still works: it changes nothing.
    press(&mut app, &["x"]);
    assert!(matches!(app.mode(), Mode::Export(_)));
}

#[test]
fn the_export_dialog_writes_the_workbook_after_ctrl_f() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let mut app = testing::app(store::load(&path).unwrap(), &path, 80, 24);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    press(&mut app, &["x", "C-u"]);
    type_text(&mut app, out.to_str().unwrap());
    press(&mut app, &["C-f"]);
    let screen = screen_text(&app);
    assert!(screen.contains("Export: Excel workbook"), "{screen}");
    assert!(screen.contains("ws.xlsx"), "{screen}");
    assert!(!screen.contains("ws-assets.csv"), "{screen}");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    let message = app.message().unwrap().text.clone();
    assert!(
        message.starts_with("exported the workbook (x shows it) to "),
        "{message}"
    );
    assert!(!out.join("ws-assets.csv").exists(), "no CSV beside it");
    // Our workbook, with both registers: the workbook import reads it.
    let bytes = std::fs::read(out.join("ws.xlsx")).unwrap();
    let sheets = riskroom::import::workbook::read("ws.xlsx", &bytes).unwrap();
    assert!(sheets.assets.is_some() && sheets.failure_modes.is_some());
    // The next x remembers the format; Ctrl-f goes back to CSV.
    press(&mut app, &["x"]);
    assert!(screen_text(&app).contains("Export: Excel workbook"));
    assert!(
        screen_text(&app).contains("ws.xlsx (40 rows)"),
        "{}",
        screen_text(&app)
    );
    press(&mut app, &["C-f"]);
    assert!(screen_text(&app).contains("Export: CSV files"));
}

#[test]
fn the_export_dialog_writes_both_files_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let mut app = testing::app(store::load(&path).unwrap(), &path, 120, 40);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    press(&mut app, &["x", "C-u"]);
    type_text(&mut app, out.to_str().unwrap());
    press(&mut app, &["Enter"]);
    assert!(out.join("ws-assets.csv").exists() && out.join("ws-failure-modes.csv").exists());
    // Written: the dialog closes and says so; x lists what it wrote.
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("exported 6 CSV files (x lists them) to ")
    );
    press(&mut app, &["x"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("ws-failure-modes.csv (40 rows)"),
        "{screen}"
    );
    assert!(screen.contains("ws-assets.csv (20 rows)"), "{screen}");
    assert!(
        screen.contains("ws-treatment-plan.csv (40 rows)"),
        "{screen}"
    );
    assert!(screen.contains("ws-controls.csv (93 rows)"), "{screen}");
    assert!(out.join("ws-treatment-plan.csv").exists() && out.join("ws-controls.csv").exists());
    assert!(
        std::fs::read(out.join("ws-assets.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFID,Name,")
    );
    // For Excel in German: `;` and, here, no byte-order mark.
    press(&mut app, &["C-d", "C-b"]);
    let screen = screen_text(&app);
    assert!(screen.contains("UTF-8, delimiter ';'"), "{screen}");
    press(&mut app, &["Enter"]);
    assert!(
        std::fs::read(out.join("ws-assets.csv"))
            .unwrap()
            .starts_with(b"ID;Name;")
    );
    // The next x keeps the directory and the options of the last export.
    press(&mut app, &["x"]);
    assert!(screen_text(&app).contains("UTF-8, delimiter ';'"));
    press(&mut app, &["C-d"]);
    assert!(screen_text(&app).contains("delimiter tab"));
    press(&mut app, &["C-d"]);
    assert!(screen_text(&app).contains("delimiter ','"));
    // A directory that does not exist: a clear message, nothing written.
    press(&mut app, &["C-u"]);
    type_text(&mut app, "/nonexistent/place");
    press(&mut app, &["Enter"]);
    assert!(screen_text(&app).contains("no such directory"));
}

#[test]
fn saving_clears_the_unsaved_mark_only_when_the_file_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let mut app = testing::app(store::load(&path).unwrap(), &path, 80, 24);
    assert!(screen_text(&app).contains("✓ saved"));
    press(&mut app, &["9"]);
    assert!(screen_text(&app).contains("● unsaved"));
    press(&mut app, &["C-s"]);
    assert!(screen_text(&app).contains("✓ saved"));
    assert_eq!(&store::load(&path).unwrap(), app.session());
}

fn fm(app: &App, n: u32) -> &FailureMode {
    app.session().failure_mode(FailureModeId(n)).unwrap()
}

fn row_of<'a>(screen: &'a str, id: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.chars().skip(2).collect::<String>().starts_with(id))
        .unwrap_or_else(|| panic!("{id} not on screen:\n{screen}"))
}

#[test]
fn linking_an_annex_a_control_through_the_picker() {
    let mut app = demo();
    assert_eq!(selected_fm(&app).id, FailureModeId(3));
    assert!(fm(&app, 3).link("A.8.5").is_none());
    press(&mut app, &["A"]);
    assert!(matches!(app.mode(), Mode::Controls(_)));
    // The linked controls first, with their titles and groups.
    let screen = screen_text(&app);
    assert!(
        screen.contains("A.5.32    Intellectual property rights"),
        "{screen}"
    );
    type_text(&mut app, "8.5");
    let screen = screen_text(&app);
    assert!(
        screen.contains("▶           A.8.5     Secure authentication"),
        "{screen}"
    );
    press(&mut app, &["Enter"]);
    assert_eq!(fm(&app, 3).link("A.8.5"), Some(ControlState::Existing));
    assert!(screen_text(&app).contains("▶ existing  A.8.5"));
    press(&mut app, &["Enter"]);
    assert_eq!(fm(&app, 3).link("A.8.5"), Some(ControlState::Planned));
    // A 2013 ID is found and linked as it is.
    for _ in 0..3 {
        press(&mut app, &["BS"]);
    }
    type_text(&mut app, "9.4.2");
    assert!(screen_text(&app).contains("A.9.4.2   Secure log-on procedures (2013)"));
    assert!(screen_text(&app).contains("A.9.4.2 (2013), now: A.8.5 Secure authentication"));
    // ... but not beside its 2022 successor, which would say the control twice
    // (and here once planned, once existing) in the Statement of Applicability.
    press(&mut app, &["Enter"]);
    assert!(fm(&app, 3).link("A.9.4.2").is_none());
    let message = &app.message().as_ref().unwrap().text;
    assert!(
        message
            .contains("FM-003 already has A.8.5 Secure authentication (planned): the same control"),
        "{message}"
    );
    // A 2013 control whose successor is not linked is linked as it is.
    for _ in 0..5 {
        press(&mut app, &["BS"]);
    }
    type_text(&mut app, "12.3.1");
    press(&mut app, &["Enter", "Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(fm(&app, 3).link("A.12.3.1"), Some(ControlState::Existing));
    assert!(
        app.message()
            .as_ref()
            .unwrap()
            .text
            .contains("5 Annex A controls linked")
    );

    // Editing the failure mode in its form keeps the links.
    press(&mut app, &["Left", "e", "End"]);
    type_text(&mut app, " (edited)");
    press(&mut app, &["Enter"]);
    assert!(fm(&app, 3).mode.ends_with("(edited)"));
    assert_eq!(fm(&app, 3).annex_a.len(), 5);
    // The treatment view shows the titles of the linked controls.
    press(&mut app, &["t", "Left", "Left"]);
    let detail = screen_text(&app);
    assert!(
        detail.contains("Annex A: A.5.31 Legal, statutory"),
        "{detail}"
    );
    // Undo takes the edit, then the links back one at a time.
    press(&mut app, &["u", "u"]);
    assert!(fm(&app, 3).link("A.12.3.1").is_none());
    assert_eq!(fm(&app, 3).link("A.8.5"), Some(ControlState::Planned));
}

#[test]
fn recording_a_treatment_in_the_treatment_view_clears_the_decision_flag() {
    let mut app = demo();
    press(&mut app, &["t"]);
    assert!(app.treatment_view());
    let screen = screen_text(&app);
    assert!(screen.contains(
        "Treatment plan by RPN (40, ? 3 need a decision, ! 2 overdue, ↻ 1 needs re-approval)"
    ));
    let row = row_of(&screen, "FM-039");
    assert!(row.contains("? decide"), "{row}");
    press(&mut app, &["Down", "Down"]);
    assert_eq!(selected_fm(&app).id, FailureModeId(39));
    press(&mut app, &["Enter"]);
    let Mode::Form(form) = &app.mode() else {
        panic!("the form opens")
    };
    assert_eq!(
        form.focused().label,
        "Decision",
        "on the column under the cursor"
    );
    press(&mut app, &["r", "Tab"]);
    type_text(
        &mut app,
        "Nightly job compares the register with AD groups and alerts",
    );
    press(&mut app, &["Tab"]);
    type_text(&mut app, "IP services manager");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "2026-12-01");
    press(&mut app, &["Tab", "i", "Tab"]);
    type_text(&mut app, "Job written, in test");
    press(&mut app, &["Tab", "8", "3", "4", "Enter"]);
    assert!(matches!(app.mode(), Mode::Normal), "{:?}", app.message());

    let t = &fm(&app, 39).treatment;
    assert_eq!(
        (t.decision, t.status, t.owner.as_str()),
        (Decision::Reduce, Status::InProgress, "IP services manager")
    );
    assert_eq!(t.due, Some(jiff::civil::date(2026, 12, 1)));
    let residual = fm(&app, 39).residual().unwrap();
    assert_eq!((residual.rpn(), residual.ap()), (96, ActionPriority::L));
    let screen = screen_text(&app);
    let row = row_of(&screen, "FM-039");
    assert!(row.contains("Reduce"), "{row}");
    assert!(
        row.contains("2026-12-01 In progress  288   96 H→L"),
        "{row}"
    );
    assert!(screen.contains("? 2 need a decision"), "{screen}");
}

#[test]
fn closing_the_cycle_makes_residuals_the_new_ratings_and_undo_reopens_it() {
    let mut app = demo();
    // FM-039: decide, do and re-rate it.
    let row = position_of(&app, 39);
    select_row(&mut app, row);
    press(&mut app, &["t", "Enter", "r"]);
    for _ in 0..4 {
        press(&mut app, &["Tab"]);
    }
    press(&mut app, &["d", "Tab", "Tab", "8", "3", "4", "Enter"]);
    assert_eq!(fm(&app, 39).treatment.status, Status::Done);
    let before = app.session().clone();

    press(&mut app, &["p", "p", "p"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("Close cycle 2 and start cycle 3 in Plan?"),
        "{screen}"
    );
    assert!(
        screen.contains("5 failure modes with a Done or Verified"),
        "{screen}"
    );
    assert!(
        screen.contains("Open: ? 2 still need a decision, ! 2 overdue."),
        "{screen}"
    );
    press(&mut app, &["y"]);
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (3, Stage::Plan)
    );
    // The revised ratings are the ratings now, and the treatment starts afresh.
    let f = fm(&app, 39);
    assert_eq!(
        (f.severity, f.occurrence, f.detection, f.rpn()),
        (8, 3, 4, 96)
    );
    assert!(f.treatment.is_empty());
    assert_eq!(fm(&app, 17).rpn(), 100, "FM-017 (Done) carried over too");
    assert_eq!(
        fm(&app, 3).rpn(),
        360,
        "FM-003 (in progress) kept its ratings"
    );
    assert_eq!(fm(&app, 3).treatment, before.failure_modes[2].treatment);
    let screen = screen_text(&app);
    assert!(
        screen.contains("[PLAN]") && screen.contains("cycle 3"),
        "{screen}"
    );
    let row = row_of(&screen, "FM-039");
    assert!(row.contains("–") && row.contains("  96 "), "{row}");

    // The history of FM-039 shows the three cycles and what was done.
    press(&mut app, &["H"]);
    let screen = screen_text(&app);
    assert!(screen.contains("History of FM-039"), "{screen}");
    assert!(
        screen.contains("    2  2026-11-23      8  6  6   288 H"),
        "{screen}"
    );
    assert!(
        screen.contains("    3  now (Plan)      8  3  4    96 L"),
        "{screen}"
    );
    assert!(
        screen.contains("the revised ratings S8 O3 D4 = RPN 96 (L) became the"),
        "{screen}"
    );
    // The cycle summary has a row per cycle.
    press(&mut app, &["Esc", "c"]);
    let screen = screen_text(&app);
    assert!(screen.contains("    2  2026-11-23       40"), "{screen}");
    assert!(screen.contains("    3  now (Plan)       40"), "{screen}");
    press(&mut app, &["Esc"]);

    // Undo reopens cycle 2 in Act with everything as it was.
    press(&mut app, &["u"]);
    assert_eq!(
        (app.session().pdca.cycle, app.session().pdca.stage),
        (2, Stage::Act)
    );
    assert_eq!(app.session().failure_modes, before.failure_modes);
    assert_eq!(app.session().pdca.closed_cycles.len(), 1);
    let screen = screen_text(&app);
    assert!(
        screen.contains("[ACT]") && screen.contains("cycle 2"),
        "{screen}"
    );
    let row = row_of(&screen, "FM-039");
    assert!(
        row.contains("Done") && row.contains("288   96 H→L"),
        "{row}"
    );
    // The selection stays on the failure mode it was on, though all were touched.
    assert_eq!(app.failure_modes().selected_id(), Some(FailureModeId(39)));
    assert!(
        app.message()
            .as_ref()
            .unwrap()
            .text
            .contains("undone: closing cycle 2")
    );
    // And redo closes it again.
    press(&mut app, &["C-r"]);
    assert_eq!(app.session().pdca.cycle, 3);
    assert_eq!(fm(&app, 39).rpn(), 96);
    assert_eq!(app.failure_modes().selected_id(), Some(FailureModeId(39)));
}

#[test]
fn overdue_follows_the_clock_and_is_flagged_with_more_than_colour() {
    let mut app = demo();
    press(&mut app, &["t"]);
    let screen = screen_text(&app);
    assert!(row_of(&screen, "FM-003").contains("!2026-10-31"));
    assert!(row_of(&screen, "FM-038").contains(" 2026-12-15"));
    // The status filter "overdue" on 2026-11-23: FM-003 and FM-007.
    press(&mut app, &["S", "S"]);
    assert_eq!(
        app.failure_modes().rows,
        [FailureModeId(3), FailureModeId(7)]
    );
    // A month later FM-038 (due 2026-12-15, in progress) is overdue too…
    app.report(Outcome::Clock(Clock::Fixed(
        jiff::Timestamp::from_second(1_798_016_400).unwrap(),
    ))); // 2026-12-23
    assert!(app.failure_modes().rows.contains(&FailureModeId(38)));
    assert!(screen_text(&app).contains("!2026-12-15"));
    // …while a done treatment never is (FM-017, due 2026-08-31).
    assert!(!app.failure_modes().rows.contains(&FailureModeId(17)));
    // On 2026-09-01 no open treatment was past its due date yet.
    app.report(Outcome::Clock(Clock::Fixed(
        jiff::Timestamp::from_second(1_788_220_800).unwrap(),
    ))); // 2026-09-01
    assert!(
        app.failure_modes().rows.is_empty(),
        "{:?}",
        app.failure_modes().rows
    );
    assert!(
        !screen_text(&app).contains("! "),
        "no overdue flag anywhere"
    );
}

#[test]
fn status_and_owner_filters_step_and_esc_clears_them() {
    let mut app = demo();
    press(&mut app, &["t", "s"]);
    let open = app
        .session()
        .failure_modes
        .iter()
        .filter(|f| f.treatment.status == Status::Open && !f.treatment.is_empty())
        .count();
    assert_eq!(app.failure_modes().rows.len(), open);
    assert!(
        (1..30).contains(&open),
        "the demo's open actions, not the failure modes without a treatment: {open}"
    );
    assert!(screen_text(&app).contains("status Open"));
    press(&mut app, &["s"]);
    assert!(
        app.failure_modes()
            .rows
            .iter()
            .all(|id| fm(&app, id.0).treatment.status == Status::InProgress)
    );
    // Owners step in alphabetical order and combine with the status.
    press(&mut app, &["Esc", "o"]);
    assert_eq!(
        app.treatment_filter().owner.as_deref(),
        Some("Chamber system administrator")
    );
    press(&mut app, &["O", "O"]);
    assert_eq!(
        app.treatment_filter().owner.as_deref(),
        Some(""),
        "no owner, last"
    );
    assert!(screen_text(&app).contains("no owner"));
    assert!(
        app.failure_modes()
            .rows
            .iter()
            .all(|id| fm(&app, id.0).treatment.owner.is_empty())
    );
    press(&mut app, &["Esc"]);
    assert_eq!(app.failure_modes().rows.len(), 40);
    // The keys are in the footer of the treatment view and in the help.
    let screen = screen_text(&app);
    assert!(
        screen.contains("s status") && screen.contains("o owner"),
        "{screen}"
    );
    press(&mut app, &["?"]);
    let mut help = String::new();
    for _ in 0..12 {
        help.push_str(&screen_text(&app));
        press(&mut app, &["PgDn"]);
    }
    for needle in [
        "failure modes of the next treatment status",
        "Annex A controls of the selected",
    ] {
        assert!(help.contains(needle), "{needle}");
    }
}

#[test]
fn the_threshold_decides_what_is_flagged_and_undo_restores_it() {
    let mut app = demo();
    press(&mut app, &["T"]);
    press(&mut app, &["C-u"]);
    type_text(&mut app, "150");
    press(&mut app, &["Tab", "n", "Enter"]);
    assert_eq!(
        app.session().threshold,
        Threshold {
            rpn: 150,
            ap_high: false
        }
    );
    // FM-002 (160, AP H) is still flagged by RPN; FM-034 (162) now too.
    let flagged: Vec<u32> = app
        .session()
        .failure_modes
        .iter()
        .filter(|f| app.session().threshold.needs_decision(f))
        .map(|f| f.id.0)
        .collect();
    assert_eq!(flagged, [2, 26, 27, 34, 39]);
    assert!(screen_text(&app).contains("? 5 need a decision"));
    press(&mut app, &["u"]);
    assert_eq!(app.session().threshold, Threshold::default());
    // A number out of range is refused in the form.
    press(&mut app, &["T", "C-u"]);
    type_text(&mut app, "5000");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(screen_text(&app).contains("write an RPN from 0 to 1000"));
}

#[test]
fn history_walks_the_list_with_left_and_right() {
    let mut app = demo();
    press(&mut app, &["H"]);
    assert!(screen_text(&app).contains("History of FM-003"));
    press(&mut app, &["Right"]);
    assert!(screen_text(&app).contains("History of FM-038"));
    assert_eq!(selected_fm(&app).id, FailureModeId(38), "the table follows");
    press(&mut app, &["Left", "Left"]);
    assert!(app.message().as_ref().unwrap().text.contains("no further"));
    press(&mut app, &["q"]);
    assert!(matches!(app.mode(), Mode::Normal));
    // From the asset pane, the history asks for a failure mode.
    press(&mut app, &["Tab", "H"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(
        app.message()
            .as_ref()
            .unwrap()
            .text
            .contains("select a failure mode")
    );
}

#[test]
fn read_only_lets_the_room_look_but_not_link() {
    let mut app = demo_read_only();
    let before = app.session().clone();
    press(&mut app, &["A"]);
    type_text(&mut app, "8.5");
    let footer = screen_text(&app).lines().last().unwrap_or("").to_string();
    assert!(!footer.contains("link"), "no link key offered: {footer}");
    press(
        &mut app,
        &["Enter", "Esc", "T", "H", "Esc", "c", "Esc", "t"],
    );
    assert_eq!(app.session(), &before);
    assert!(app.treatment_view());
}

#[test]
fn an_import_is_previewed_first_then_applied_as_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let session = store::load(&path).unwrap();
    riskroom::export::export(
        &session,
        dir.path(),
        "ws",
        riskroom::export::CsvOptions::default(),
    )
    .unwrap();
    // Someone edits the exported failure modes in a spreadsheet: a new rating for
    // FM-003 and a new row without an ID.
    let fm_csv = dir.path().join("ws-failure-modes.csv");
    let mut text = std::fs::read_to_string(&fm_csv).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("FM-003,"))
        .unwrap()
        .to_string();
    text = text.replace(&line, &line.replacen(",8,5,9,", ",8,2,9,", 1));
    text.push_str(",Backup and recovery,A-008,,Tape library firmware bricked,Restore impossible,Vendor update,None,6,3,5,,,,\r\n");
    std::fs::write(&fm_csv, text).unwrap();

    let mut app = testing::app(session.clone(), &path, 120, 40);
    press(&mut app, &["i"]);
    let Mode::Import(dialog) = &app.mode() else {
        panic!("import dialog expected")
    };
    assert!(
        dialog
            .failure_modes
            .value()
            .ends_with("ws-failure-modes.csv"),
        "the files beside the session"
    );
    press(&mut app, &["Enter"]);
    assert_eq!(app.session(), &session, "a preview changes nothing");
    let screen = screen_text(&app);
    assert!(
        screen.contains("failure modes: 1 added (FM-042), 1 updated (FM-003)"),
        "{screen}"
    );
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(
        app.session()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .occurrence,
        2
    );
    let new = app.session().failure_mode(FailureModeId(42)).unwrap();
    assert_eq!(
        (new.mode.as_str(), new.rpn()),
        ("Tape library firmware bricked", 90)
    );
    press(&mut app, &["u"]);
    assert_eq!(
        app.session().failure_modes,
        session.failure_modes,
        "one undo takes the whole import back"
    );
    assert_eq!(
        app.session().next_ids.failure_mode,
        43,
        "the ID given out is not given out again"
    );
}

#[test]
fn an_import_with_refused_rows_changes_nothing_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    std::fs::write(
        dir.path().join("ws-assets.csv"),
        "ID,Name,Category,Confidentiality,Integrity,Availability\nA-001,Renamed server,Hardware,2,2,3\n,Bad rating,Site,5,1,1\n",
    )
    .unwrap();
    let session = store::load(&path).unwrap();
    let mut app = testing::app(session.clone(), &path, 120, 40);
    press(&mut app, &["i", "Enter"]);
    let screen = screen_text(&app);
    assert!(screen.contains("rejected"), "{screen}");
    assert!(screen.contains("line 3"), "{screen}");
    press(&mut app, &["Enter"]);
    assert_eq!(
        app.session(),
        &session,
        "refused rows block the whole import"
    );
    press(&mut app, &["C-g", "Enter", "Enter"]);
    assert_eq!(
        app.session().asset(AssetId(1)).unwrap().name,
        "Renamed server",
        "the good row, when asked"
    );
}

/// Whether the key ends the screen (the runtime's quit path, in place).
fn quits_on(app: &mut Screen, key: &str) -> bool {
    press(app, &[key]);
    app.ended().is_some()
}

fn resize(app: &mut Screen, width: u16, height: u16) {
    testing::resize(app, width, height);
}

#[test]
fn too_small_promises_q_only_where_q_quits() {
    let mut app = demo();
    press(&mut app, &["e"]);
    resize(&mut app, 60, 20);
    let screen = screen_text(&app);
    assert!(screen.contains("Terminal too small"), "{screen}");
    assert!(!screen.contains("quits"), "{screen}");
    assert!(screen.contains("what is open stays open"), "{screen}");
    // q does not quit while a form is open behind the notice, and the form stays.
    let mode_before = std::mem::discriminant(app.mode());
    assert!(!quits_on(&mut app, "q"), "q does not quit from a form");
    assert_eq!(std::mem::discriminant(app.mode()), mode_before);
    resize(&mut app, 120, 40);
    press(&mut app, &["Esc"]);
    resize(&mut app, 60, 20);
    let screen = screen_text(&app);
    assert!(screen.contains("q\u{a0}quits (and saves)"), "{screen}");
    assert!(quits_on(&mut app, "q"), "q quits from the workshop view");
}

/// The demo copied into a temporary directory, opened as the binary opens it
/// (with the file's state, so a change on disk is noticed).
fn demo_copy() -> (tempfile::TempDir, std::path::PathBuf, Screen) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let app = App::new(
        store::load(&path).unwrap(),
        path.clone(),
        Theme::dark(),
        120,
        40,
    )
    .with_disk(store::disk_state(&path));
    (dir, path, Screen::new(testing::fixed(app)))
}

#[test]
fn quitting_in_process_saves_through_the_runtimes_own_saver() {
    let (_dir, path, mut app) = demo_copy();
    press(&mut app, &["9"]);
    assert!(!app.save().is_saved());
    press(&mut app, &["q"]);
    assert_eq!(app.ended(), Some(LoopEnd::Quit), "saved, so q quits");
    let session = app.session().clone();
    match app.finish().unwrap() {
        Exit::Normal { path: saved, .. } => assert_eq!(saved, path),
        other => panic!("{other:?}"),
    }
    assert_eq!(store::load(&path).unwrap(), session);
    // The saver's first save of a run keeps the file as opened.
    assert_eq!(
        std::fs::read(store::backup_path(&path)).unwrap(),
        std::fs::read(DEMO).unwrap(),
        "the .bak is the file as it was opened"
    );
}

#[test]
fn quitting_when_saving_fails_asks_and_yes_leaves_a_recovery_file() {
    let (_dir, path, mut app) = demo_copy();
    press(&mut app, &["9"]);
    // Someone else writes the file meanwhile: riskroom must not overwrite it.
    let theirs = [std::fs::read(DEMO).unwrap().as_slice(), b"\n"].concat();
    std::fs::write(&path, &theirs).unwrap();
    press(&mut app, &["q"]);
    assert_eq!(app.ended(), None, "not saved: q asks first");
    let screen = screen_text(&app);
    assert!(
        screen.contains("could not be saved. Quit anyway?"),
        "{screen}"
    );
    press(&mut app, &["y"]);
    assert_eq!(app.ended(), Some(LoopEnd::QuitWithRecovery));
    let session = app.session().clone();
    let recovery = match app.finish().unwrap() {
        Exit::Recovered(recovery) => recovery,
        other => panic!("{other:?}"),
    };
    assert_eq!(store::load(&recovery).unwrap(), session);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        theirs,
        "their file is left as they wrote it"
    );
}

/// The form on screen.
fn form_of(app: &Screen) -> &riskroom::tui::form::Form {
    match app.mode() {
        Mode::Form(form) => form,
        other => panic!("a form expected, not {other:?}"),
    }
}

#[test]
fn ten_and_one_then_tab_in_every_one_to_ten_field_through_the_keys() {
    use riskroom::tui::form::FieldId::*;
    // From Severity (where `e` opens the form with the cursor on S), Tabs to
    // each 1-10 field; and the field after it.
    let fields = [
        (0, Severity, Occurrence),
        (1, Occurrence, Detection),
        (2, Detection, Process),
        (10, RevisedSeverity, RevisedOccurrence),
        (11, RevisedOccurrence, RevisedDetection),
        (12, RevisedDetection, Mode),
    ];
    for (tabs, field, next) in fields {
        for (second, value) in [("0", 10), ("Tab", 1)] {
            let mut app = demo();
            press(&mut app, &["e"]);
            for _ in 0..tabs {
                press(&mut app, &["Tab"]);
            }
            assert_eq!(form_of(&app).focused().id, field);
            let next_before = form_of(&app).field(next).unwrap().clone();
            press(&mut app, &["1", second]);
            let form = form_of(&app);
            assert_eq!(
                form.field(field).unwrap().rating,
                Some(value),
                "1 then {second} in {field:?}"
            );
            assert_eq!(form.focused().id, next, "1 then {second} in {field:?}");
            let next_after = form.field(next).unwrap();
            assert_eq!(
                (next_after.rating, next_after.value()),
                (next_before.rating, next_before.value()),
                "1 then {second} in {field:?} leaves {next:?} alone"
            );
        }
    }
}

#[test]
fn eleven_on_a_rating_cell_is_refused_and_one_zero_is_ten() {
    let mut app = demo();
    // FM-013: S5 O3 D8 = 120.
    let row = position_of(&app, 13);
    select_row(&mut app, row);
    press(&mut app, &["1", "1"]);
    assert_eq!(fm(&app, 13).severity, 5, "the first 1 is taken back");
    assert_eq!(
        app.message().unwrap().text,
        "11 is not on the scale: severity is rated 1-10, it stays 5"
    );
    assert_eq!(selected_fm(&app).id, FailureModeId(13));
    press(&mut app, &["u"]);
    assert_eq!(
        app.message().unwrap().text,
        "nothing to undo",
        "nothing of it is left to undo"
    );
    press(&mut app, &["1", "0"]);
    assert_eq!(fm(&app, 13).severity, 10);
    press(&mut app, &["u"]);
    assert_eq!(fm(&app, 13).severity, 5, "10 is one step");
    // Not at once (another key between): the second digit is a rating of its own.
    press(&mut app, &["4", "Right", "Left", "6"]);
    assert_eq!(fm(&app, 13).severity, 6);
    // On a 1-4 scale any two digits at once are off it.
    press(&mut app, &["Tab", "Home"]);
    let before = app.session().assets[0].confidentiality;
    press(&mut app, &["1", "0"]);
    assert_eq!(app.session().assets[0].confidentiality, before);
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("10 is not on the scale")
    );
}

#[test]
fn a_complete_failure_mode_by_the_fast_path_takes_five_keys_besides_text_and_digits() {
    let mut app = demo();
    // FM-003 is selected: its asset and process are what the new one gets.
    let source = selected_fm(&app).clone();
    let before = app.session().failure_modes.len();
    press(&mut app, &["a"]);
    type_text(&mut app, "Evaluation desktop left unlocked");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Another customer's engineer sees the IP");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Shared desk in the evaluation room");
    // The footer shows the fast path: Enter goes to the ratings.
    let footer = screen_text(&app).lines().last().unwrap().to_string();
    assert!(footer.contains("Enter to ratings"), "{footer}");
    press(&mut app, &["Enter"]);
    assert_eq!(
        form_of(&app).focused().id,
        riskroom::tui::form::FieldId::Severity
    );
    type_text(&mut app, "7104");
    // On the process now, copied from the selected row and saying so.
    let form = form_of(&app);
    assert_eq!(form.focused().id, riskroom::tui::form::FieldId::Process);
    let screen = screen_text(&app);
    assert!(
        screen.contains(&format!("copied from {}", source.id)),
        "{screen}"
    );
    assert!(
        screen.contains("type to replace it, Backspace clears it"),
        "{screen}"
    );
    let footer = screen.lines().last().unwrap();
    assert!(footer.contains("Enter save"), "{footer}");
    press(&mut app, &["Enter"]);
    // a, Tab, Tab, Enter, Enter: five keys.
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.session().failure_modes.len(), before + 1);
    let new = selected_fm(&app);
    assert_eq!(new.mode, "Evaluation desktop left unlocked");
    assert_eq!(new.effect, "Another customer's engineer sees the IP");
    assert_eq!(new.cause, "Shared desk in the evaluation room");
    assert_eq!((new.severity, new.occurrence, new.detection), (7, 10, 4));
    assert_eq!((new.asset, &new.process), (source.asset, &source.process));
}

#[test]
fn a_copied_process_is_one_key_from_changed() {
    let mut app = demo();
    press(&mut app, &["a"]);
    type_text(&mut app, "Badge cloned");
    press(&mut app, &["Enter"]);
    type_text(&mut app, "555");
    // Backspace clears the copied process; typing would replace it.
    press(&mut app, &["BS", "Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(selected_fm(&app).mode, "Badge cloned");
    assert_eq!(selected_fm(&app).process, None, "no process");
    press(&mut app, &["a"]);
    type_text(&mut app, "Badge lost");
    press(&mut app, &["Enter"]);
    type_text(&mut app, "555Physical access");
    press(&mut app, &["Enter"]);
    let process = selected_fm(&app).process;
    assert_eq!(app.session().process_name(process), "Physical access");
}

#[test]
fn after_x_enter_the_export_dialog_closes_and_its_message_fits_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let mut app = testing::app(store::load(&path).unwrap(), &path, 80, 24);
    press(&mut app, &["x", "Enter"]);
    assert!(dir.path().join("ws-assets.csv").exists());
    assert!(matches!(app.mode(), Mode::Normal), "the dialog closes");
    let message = app.message().unwrap().text.clone();
    let screen = screen_text(&app);
    let detail = screen.lines().nth(22).unwrap().trim();
    assert_eq!(detail, message, "the whole message is on screen");
    assert!(message.len() < 80);
}

#[test]
fn a_process_name_typed_in_the_form_becomes_a_process_record_and_undo_takes_both_back() {
    let mut app = demo();
    let processes = app.session().processes.len();
    press(&mut app, &["a"]);
    type_text(&mut app, "Supplier leaks the chamber's network plan");
    // Effect, cause, asset (pre-filled), controls, then S O D: each digit moves
    // on, the last one to the process, whose pre-filled name typing replaces.
    press(
        &mut app,
        &["Tab", "Tab", "Tab", "Tab", "Tab", "6", "3", "5"],
    );
    type_text(&mut app, "Vendor management");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal), "{:?}", app.message());
    let fm = selected_fm(&app).clone();
    assert_eq!(app.session().processes.len(), processes + 1);
    assert_eq!(app.session().process_name(fm.process), "Vendor management");

    // The next one is pre-filled with it; typed again in other letters, it is
    // the same record.
    press(&mut app, &["a"]);
    type_text(&mut app, "Supplier goes bankrupt");
    press(
        &mut app,
        &["Tab", "Tab", "Tab", "Tab", "Tab", "5", "2", "4"],
    );
    type_text(&mut app, "VENDOR MANAGEMENT");
    press(&mut app, &["Enter"]);
    assert_eq!(selected_fm(&app).process, fm.process);
    assert_eq!(app.session().processes.len(), processes + 1);

    press(&mut app, &["u", "u"]);
    assert_eq!(
        app.session().processes.len(),
        processes,
        "one undo, both gone"
    );
    assert!(app.session().failure_mode(fm.id).is_none());
}

#[test]
fn a_decision_made_on_the_screen_is_logged_and_its_undo_is_logged_too() {
    use riskroom::domain::log::{Event, TreatmentField, Via};
    let mut app = demo();
    let entries = app.session().log.len();
    // FM-039 (288, AP H) still needs a decision: the third row.
    select_row(&mut app, 2);
    assert_eq!(selected_fm(&app).id, FailureModeId(39));
    // The form opens on S (the column cursor); four fields on is the decision.
    press(&mut app, &["e", "Tab", "Tab", "Tab", "Tab", "r", "Enter"]);
    assert_eq!(selected_fm(&app).treatment.decision, Decision::Reduce);
    let log = &app.session().log;
    assert_eq!(log.len(), entries + 1);
    let entry = log.last().unwrap();
    assert_eq!(entry.at, testing::fixed_now());
    assert_eq!(
        (entry.cycle, entry.stage, entry.via),
        (2, Stage::Do, Via::Edit)
    );
    assert_eq!(entry.present, app.session().present());
    assert!(matches!(
        &entry.event,
        Event::Treatment { fm: FailureModeId(39), changes }
            if changes[0].field == TreatmentField::Decision && changes[0].to == "Reduce"
    ));
    press(&mut app, &["u"]);
    assert_eq!(selected_fm(&app).treatment.decision, Decision::Undecided);
    let log = &app.session().log;
    assert_eq!(
        log.len(),
        entries + 2,
        "the undo adds an entry, takes none out"
    );
    assert_eq!(log.last().unwrap().via, Via::Undo);
}

/// The record the focus view shows.
fn focused(app: &App) -> riskroom::tui::app::Record {
    match app.mode() {
        Mode::Focus(view) => view.record,
        other => panic!("not in the focus view: {other:?}"),
    }
}

fn focused_fm(app: &App) -> FailureModeId {
    match focused(app) {
        riskroom::tui::app::Record::FailureMode(id) => id,
        other => panic!("not a failure mode: {other:?}"),
    }
}

/// Where a failure mode stands in the whole risk order, from 1.
fn rank_of(app: &App, id: u32) -> usize {
    app.order().position(FailureModeId(id)).unwrap() + 1
}

#[test]
fn rating_from_the_focus_view_moves_the_rpn_and_the_position_and_the_view_stays() {
    let mut app = demo();
    // FM-003 heads the list: S8 O5 D9 = 360.
    press(&mut app, &["f"]);
    assert_eq!(focused_fm(&app), FailureModeId(3));
    let text = screen_text(&app);
    assert!(text.contains("Focus: FM-003 · #1 of 40 by RPN"), "{text}");
    // Digits set severity (the column cursor's rating): 2 makes RPN 90.
    press(&mut app, &["2"]);
    assert_eq!(fm(&app, 3).severity, 2);
    assert_eq!(focused_fm(&app), FailureModeId(3), "the view stays on it");
    let rank = rank_of(&app, 3);
    assert!(rank > 1, "RPN 90 sinks in the list: #{rank}");
    let text = screen_text(&app);
    assert!(text.contains(&format!("#{rank} of 40 by RPN")), "{text}");
    assert!(text.contains("RPN 90 = S 2 x O 5 x D 9"), "{text}");
    assert!(
        app.message()
            .unwrap()
            .text
            .contains(&format!("RPN 90, now #{rank} of 40")),
        "{:?}",
        app.message()
    );
    // (Another key before the next digit, or the two would make 21.)
    press(&mut app, &["Right", "Left"]);
    // 1 then 0 at once gives 10, as in the table: back to the top.
    press(&mut app, &["1", "0"]);
    assert_eq!(fm(&app, 3).severity, 10);
    assert_eq!(rank_of(&app, 3), 1);
    // 1 then 1 is off the scale: the first 1 is taken back.
    press(&mut app, &["Right", "1", "1"]);
    assert_eq!(fm(&app, 3).occurrence, 5);
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("11 is not on the scale")
    );
    // → moved to occurrence; 0 is 10 there.
    press(&mut app, &["Right", "Left", "0"]);
    assert_eq!(fm(&app, 3).occurrence, 10);
    // ↓ walks the list in RPN order without leaving the view.
    let second = app.order().get(1).unwrap();
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), second);
    assert_eq!(app.failure_modes().selected_id(), Some(second));
    press(&mut app, &["Up", "Up"]);
    assert_eq!(focused_fm(&app), FailureModeId(3));
    assert_eq!(
        app.message().unwrap().text,
        "the first failure mode of the list: the highest RPN"
    );
    // u takes the last rating back, still in the view.
    press(&mut app, &["u"]);
    assert_eq!(fm(&app, 3).occurrence, 5);
    assert_eq!(focused_fm(&app), FailureModeId(3));
    // Esc: back to the table, on the record shown.
    press(&mut app, &["Down", "Down", "Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(
        app.failure_modes().selected_id(),
        app.order().get(2),
        "the table is on the record the view showed"
    );
}

#[test]
fn the_focus_view_in_read_only_rates_nothing() {
    let mut app = demo_read_only();
    let before = app.session().clone();
    press(&mut app, &["f", "2", "u"]);
    assert_eq!(app.session(), &before);
    assert!(app.message().unwrap().text.starts_with("read-only"));
    assert!(!screen_text(&app).contains(" rate "), "no rate hint");
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), app.order().get(1).unwrap());
}

#[test]
fn a_rating_that_takes_the_record_out_of_a_matrix_cell_keeps_it_in_the_focus_view() {
    let mut app = demo();
    let in_cell = |app: &App| -> Vec<FailureModeId> {
        app.order()
            .ids()
            .filter(|id| {
                let f = app.session().failure_mode(*id).unwrap();
                f.severity >= 9 && f.occurrence >= 8
            })
            .collect()
    };
    let mut s = app.session().clone();
    // Two failure modes in the top right cell for this test: FM-002 and FM-017.
    for id in [2, 17] {
        let i = s.failure_mode_index(FailureModeId(id)).unwrap();
        s.failure_modes[i].occurrence = 9;
    }
    app = testing::app(s, DEMO, 120, 40);
    let cell = in_cell(&app);
    assert!(cell.len() >= 2, "{cell:?}");
    press(&mut app, &["m", "Enter", "f"]);
    assert_eq!(app.failure_modes().rows, cell);
    let first = focused_fm(&app);
    // O 1: out of the cell; the view stays on it and says where it went.
    press(&mut app, &["Right", "1"]);
    assert_eq!(focused_fm(&app), first);
    assert_eq!(app.failure_modes().rows.len(), cell.len() - 1);
    assert!(
        app.message().unwrap().text.contains("outside the filter"),
        "{:?}",
        app.message()
    );
    assert!(screen_text(&app).contains("not in the list now"));
    // ↓ goes on with the one that followed it.
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), cell[1]);
}

#[test]
fn enter_on_a_matrix_cell_lists_its_failure_modes_and_esc_comes_back() {
    let mut app = demo();
    let in_cell = |app: &App, s: std::ops::RangeInclusive<u8>, o: std::ops::RangeInclusive<u8>| {
        app.order()
            .ids()
            .filter(|id| {
                let f = app.session().failure_mode(*id).unwrap();
                s.contains(&f.severity) && o.contains(&f.occurrence)
            })
            .collect::<Vec<FailureModeId>>()
    };
    press(&mut app, &["m"]);
    assert!(matches!(app.mode(), Mode::Matrix));
    // The demo has nothing at S 9-10 x O 6-10: the cursor starts on the
    // occupied cell nearest the top right, S 9-10 x O 4-5, three of them.
    assert!(in_cell(&app, 9..=10, 6..=10).is_empty());
    let top_right = in_cell(&app, 9..=10, 4..=5);
    assert_eq!(top_right.len(), 3);
    assert_eq!((app.matrix().row, app.matrix().column), (0, 2));
    let detail = screen_text(&app);
    assert!(
        detail.contains("S 9-10, O 4-5 (current): 3 failure modes"),
        "{detail}"
    );
    // "What are the three in the top right?": one key.
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.focus(), Pane::FailureModes);
    assert_eq!(
        app.failure_modes().rows,
        top_right,
        "one key: the cell's list"
    );
    assert_eq!(app.failure_modes().selected, 0);
    assert!(screen_text(&app).contains("matrix S 9-10, O 4-5 (current)"));
    // Esc clears the list and goes back to the matrix, on the same cell.
    press(&mut app, &["Esc"]);
    assert!(matches!(app.mode(), Mode::Matrix));
    assert_eq!(app.failure_modes().rows.len(), 40);
    assert_eq!((app.matrix().row, app.matrix().column), (0, 2));
    // Another cell: S 7-8 x O 2-3 (one down, one left).
    press(&mut app, &["Down", "Left", "Enter"]);
    let expected = in_cell(&app, 7..=8, 2..=3);
    assert!(!expected.is_empty());
    assert_eq!(app.failure_modes().rows, expected);
    // Esc, then Esc again closes the matrix: the whole table.
    press(&mut app, &["Esc", "Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(app.failure_modes().rows.len(), 40);
    // The matrix opens again where it was left, even on an empty cell:
    // S 1 x O 1 (bottom left) lists nothing and says so.
    press(&mut app, &["m"]);
    assert_eq!((app.matrix().row, app.matrix().column), (1, 1));
    for _ in 0..5 {
        press(&mut app, &["Down", "Left"]);
    }
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Matrix));
    assert_eq!(
        app.message().unwrap().text,
        "no failure mode in S 1, O 1 (current)"
    );
    press(&mut app, &["Esc", "m"]);
    assert_eq!((app.matrix().row, app.matrix().column), (4, 0));
}

#[test]
fn the_matrix_counts_follow_every_edit_and_residual_says_how_many_moved() {
    use riskroom::domain::matrix::{Grid, MatrixCounts};
    let mut app = demo();
    press(&mut app, &["m", "r"]);
    let counts = MatrixCounts::of(app.session());
    let moves = counts.moves(Grid::Bands);
    assert!(moves.moved() > 0);
    let message = &app.message().unwrap().text;
    assert!(
        message.contains(&format!(
            "After treatment {} of {} revised",
            moves.moved(),
            counts.revised()
        )),
        "{message}"
    );
    assert!(screen_text(&app).contains("after treatment (residual)"));
    // A rating typed in the table reaches the matrix at once.
    press(&mut app, &["Esc", "0"]);
    assert_eq!(app.matrix_counts(), &MatrixCounts::of(app.session()));
    press(&mut app, &["u"]);
    assert_eq!(app.matrix_counts(), &MatrixCounts::of(app.session()));
}

#[test]
fn after_a_rating_moves_the_record_down_goes_on_with_the_one_that_followed_it() {
    let mut app = demo();
    let before: Vec<FailureModeId> = app.order().ids().take(4).collect();
    press(&mut app, &["f"]);
    assert_eq!(focused_fm(&app), before[0]);
    // #1 rated down to #18: ↓ is the old #2 (now #1), not #19.
    press(&mut app, &["3"]);
    assert!(rank_of(&app, before[0].0) > 10);
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), before[1]);
    assert_eq!(app.failure_modes().selected_id(), Some(before[1]));
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), before[2]);
    // The old #3 (now #2) rated up to #1: ↓ is the old #4, and ↑ from there
    // the old #2, above it now.
    press(&mut app, &["0"]);
    assert_eq!(rank_of(&app, before[2].0), 1);
    press(&mut app, &["Down"]);
    assert_eq!(focused_fm(&app), before[3]);
    press(&mut app, &["Up"]);
    assert_eq!(focused_fm(&app), before[1]);
    // Unmoved, ↑ and ↓ are the rows above and below.
    let here = app.failure_modes().selected;
    press(&mut app, &["Up"]);
    assert_eq!(app.failure_modes().selected, here - 1);
    press(&mut app, &["Down", "Down"]);
    assert_eq!(app.failure_modes().selected, here + 1);
}

/// The demo as two branches left it after `git merge`: FM-003's severity
/// changed to two values and its action owner on one side only.
fn merged_demo() -> Session {
    let base = store::load(Path::new(DEMO)).unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let i = base.failure_mode_index(FailureModeId(3)).unwrap();
    ours.failure_modes[i].severity = 10;
    theirs.failure_modes[i].severity = 2;
    theirs.failure_modes[i].treatment.owner = "Wong Ka Fai".into();
    let merged = riskroom::merge::merge(base, ours, theirs).session;
    assert_eq!(merged.conflicts.len(), 1);
    merged
}

#[test]
fn a_session_with_merge_conflicts_opens_on_them_and_a_few_keys_decide_them_in_one_undoable_step() {
    let mut app = testing::app(merged_demo(), DEMO, 120, 40);
    assert!(
        matches!(app.mode(), Mode::Merge(_)),
        "opens on the conflicts"
    );
    let text = screen_text(&app);
    assert!(text.contains("Merge conflicts"), "{text}");
    assert!(
        text.contains("FM-003 severity: ours 10 · theirs 2"),
        "{text}"
    );
    assert!(text.contains("[ ?  ]"), "undecided, said in words: {text}");

    // Nothing is taken while one is undecided.
    press(&mut app, &["Enter"]);
    assert_eq!(app.session().conflicts.len(), 1);
    assert!(matches!(app.mode(), Mode::Merge(_)));

    press(&mut app, &["t"]);
    assert!(screen_text(&app).contains("[theirs]"));
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(app.session().conflicts.is_empty());
    let fm = app.session().failure_mode(FailureModeId(3)).unwrap();
    assert_eq!(
        (fm.severity, fm.treatment.owner.as_str()),
        (2, "Wong Ka Fai")
    );

    // One undo brings the conflicts back, as they were.
    press(&mut app, &["u"]);
    assert_eq!(app.session().conflicts.len(), 1);
    assert_eq!(
        app.session()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );
    // M shows them again; Esc leaves them in the file.
    press(&mut app, &["M"]);
    assert!(matches!(app.mode(), Mode::Merge(_)));
    press(&mut app, &["o", "Enter"]);
    assert!(app.session().conflicts.is_empty());
    assert_eq!(
        app.session()
            .failure_mode(FailureModeId(3))
            .unwrap()
            .severity,
        10
    );
}

#[test]
fn merge_conflicts_fit_at_80x24_without_colour() {
    let app = testing::app(merged_demo(), DEMO, 80, 24);
    let text = screen_text(&app);
    assert!(
        text.contains("FM-003 severity: ours 10 · theirs 2"),
        "{text}"
    );
    for line in [
        "base:   8",
        "ours:   10",
        "theirs: 2",
        "o  ours",
        "t  theirs",
    ] {
        assert!(text.contains(line), "{line:?} not on the screen:\n{text}");
    }
}

/// The demo after two workshops on two branches each closed its cycle: FM-003's
/// severity set to two values (live and in the cycle's record), its detection
/// on one side only, and FM-005 deleted on one side and edited on the other.
fn merged_demo_with_records() -> Session {
    let base = store::load(Path::new(DEMO)).unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let i = base.failure_mode_index(FailureModeId(3)).unwrap();
    ours.failure_modes[i].severity = 10;
    theirs.failure_modes[i].severity = 2;
    theirs.failure_modes[i].detection = 2;
    let gone = ours.failure_mode_index(FailureModeId(5)).unwrap();
    ours.failure_modes.remove(gone);
    let j = theirs.failure_mode_index(FailureModeId(5)).unwrap();
    theirs.failure_modes[j].cause = "no second approver".into();
    let at = |s: i64| jiff::Timestamp::from_second(1_800_000_000 + s).unwrap();
    for (side, from) in [(&mut ours, 0), (&mut theirs, 100)] {
        let cycle = side.pdca.cycle;
        let mut step = 0;
        while side.pdca.cycle == cycle {
            step += 1;
            let change = side.advance_stage_change(at(from + step)).unwrap();
            side.apply(change);
        }
    }
    let merged = riskroom::merge::merge(base, ours, theirs).session;
    let subjects: Vec<String> = merged.conflicts.iter().map(Conflict::subject).collect();
    assert_eq!(
        subjects,
        [
            "cycle 2 record: FM-003 severity",
            "FM-003 severity",
            "FM-005"
        ]
    );
    merged
}

#[test]
fn a_conflict_over_a_whole_record_is_shown_field_by_field_at_80x24() {
    let mut app = testing::app(merged_demo_with_records(), DEMO, 80, 24);
    // The cycle both sides closed: merged field by field, the one rating both
    // rooms set differently a conflict of its own (detection landed).
    let text = screen_text(&app);
    assert!(
        text.contains("cycle 2 record: FM-003 severity: ours 10 · theirs 2"),
        "{text}"
    );
    // FM-005: edited against deleted; the detail says what the delete loses.
    press(&mut app, &["Down", "Down"]);
    let text = screen_text(&app);
    assert!(
        text.contains("FM-005: ours (deleted) · theirs (edited)"),
        "{text}"
    );
    // A long value: base, ours and theirs one under the other.
    for line in [
        "cause: base \"The fibres",
        "       ours (deleted)",
        "       theirs \"no second approver\"",
    ] {
        assert!(text.contains(line), "{line:?} not on the screen:\n{text}");
    }
    assert!(!text.contains("{\""), "no record as JSON: {text}");
    // Deciding works as for a field: theirs for both, one step.
    press(&mut app, &["g", "t", "t", "t", "Enter"]);
    assert!(app.session().conflicts.is_empty());
    assert_eq!(
        app.session().failure_mode(FailureModeId(5)).unwrap().cause,
        "no second approver"
    );
    let record = app.session().pdca.closed_cycles.last().unwrap();
    let fm3 = record
        .failure_modes
        .iter()
        .find(|f| f.id == FailureModeId(3))
        .unwrap();
    assert_eq!((fm3.severity, fm3.detection), (2, 2));
}

#[test]
fn a_reload_that_brings_merge_conflicts_opens_on_them() {
    // The file changed on disk under the screen: `git merge` in another
    // window. Ctrl-s → reload reads it; the screen opens on its conflicts as
    // it does when the file is opened.
    let mut app = demo();
    app.report(Outcome::Reloaded {
        session: Box::new(merged_demo()),
        disk: None,
        recovery: None,
        took_over: false,
    });
    assert!(matches!(app.mode(), Mode::Merge(_)), "{:?}", app.mode());
    let text = screen_text(&app);
    assert!(
        text.contains("FM-003 severity: ours 10 · theirs 2"),
        "{text}"
    );
    assert!(
        text.contains("reloaded from disk; it holds 1 merge conflict to decide"),
        "{text}"
    );
    // A reload without conflicts goes back to the list.
    press(&mut app, &["Esc"]);
    app.report(Outcome::Reloaded {
        session: Box::new(store::load(Path::new(DEMO)).unwrap()),
        disk: None,
        recovery: None,
        took_over: false,
    });
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn a_conflicted_value_edited_after_the_merge_shows_what_the_file_holds_now() {
    // The room pressed Esc on the conflicts, then set FM-003's severity to 7.
    let mut merged = merged_demo();
    let i = merged.failure_mode_index(FailureModeId(3)).unwrap();
    merged.failure_modes[i].severity = 7;
    let mut app = testing::app(merged, DEMO, 80, 24);
    let text = screen_text(&app);
    for line in [
        "FM-003 severity: ours 10 (now 7) · theirs 2",
        "FM-003 severity — the file holds ours, edited since the merge · VDI",
        "ours:   10 (RPN 450, AP H), now 7: o keeps that",
        "theirs: 2 (RPN 90, AP L)",
    ] {
        assert!(text.contains(line), "{line:?} not on the screen:\n{text}");
    }
    press(&mut app, &["o", "Enter"]);
    assert!(app.session().conflicts.is_empty());
    let fm = app.session().failure_mode(FailureModeId(3)).unwrap();
    assert_eq!(fm.severity, 7, "the edit made after the merge is kept");
}

#[test]
fn picks_survive_later_and_an_undo_and_the_title_says_conflicts_are_open() {
    let mut app = testing::app(merged_demo_with_records(), DEMO, 80, 24);
    // The first pick moves on to the next one below.
    press(&mut app, &["t"]);
    let Mode::Merge(dialog) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(
        (dialog.selected, dialog.choices.clone()),
        (1, vec![Some(Side::Theirs), None, None])
    );
    // Later: the list, with the conflicts said in the title bar.
    press(&mut app, &["Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
    press(&mut app, &["j", "j"]);
    let title = screen_text(&app).lines().next().unwrap_or("").to_string();
    assert!(title.contains("⚠ 3 conflicts (M)"), "{title}");
    // M: the pick is still there, the cursor on the one still open.
    press(&mut app, &["M"]);
    let Mode::Merge(dialog) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(
        (dialog.selected, dialog.choices.clone()),
        (1, vec![Some(Side::Theirs), None, None])
    );
    // u forgets the highlighted one's pick.
    press(&mut app, &["o", "k", "u"]);
    let Mode::Merge(dialog) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(dialog.choices, vec![Some(Side::Theirs), None, None]);
    press(&mut app, &["o", "o", "Enter"]);
    assert!(app.session().conflicts.is_empty());
    let title = screen_text(&app).lines().next().unwrap_or("").to_string();
    assert!(!title.contains("conflict"), "{title}");
    // Undone: the conflicts are back, and M shows them with both picks.
    press(&mut app, &["u", "M"]);
    let Mode::Merge(dialog) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(
        dialog.choices,
        vec![Some(Side::Theirs), Some(Side::Ours), Some(Side::Ours)]
    );
}
