//! The programme view's handlers on their own: what each does to the state,
//! the change it records, and the facts it keeps.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use jiff::civil::date;

use super::super::super::programme::Part;
use super::super::super::{App, Clock, Mode};
use super::super::update;
use crate::domain::programme::{DocumentStatus, StepStatus};
use crate::domain::{Change, Session};
use crate::store;
use crate::tui::action::{Action, Outcome};
use crate::tui::testing::{self, Screen, fixed_now};
use crate::tui::view::programme as view;

fn demo(width: u16, height: u16) -> Screen {
    let path = "sessions/ip-chamber.ron";
    testing::app(store::load(Path::new(path)).unwrap(), path, width, height)
}

fn open(app: &mut App) {
    update(app, Action::Programme);
    assert!(app.programme().is_some());
}

fn select(app: &mut App, part: Part, index: usize) {
    let p = app.programme.as_deref_mut().unwrap();
    p.part = part;
    p.selected[part.index()] = index;
    super::keep_in_view(app);
}

fn scroll(app: &App) -> usize {
    app.programme().unwrap().scroll
}

#[test]
fn a_status_step_is_one_put_step_whose_inverse_is_the_record_before() {
    let mut app = demo(120, 40);
    open(&mut app);
    select(&mut app, Part::Roadmap, 23); // step 24, not started
    let before = app.session.programme.step(24);
    update(&mut app, Action::NextStatus);
    assert_eq!(
        app.session.programme.step(24).status,
        StepStatus::InProgress
    );
    assert_eq!(app.save.generation, 1);
    let undo = app.history.take_undo().unwrap();
    assert_eq!(undo.change, Change::PutStep(before));
    assert_eq!(undo.label, "status of step 24");
    assert!(app.history.take_undo().is_none(), "one change, one step");
}

#[test]
fn a_document_status_goes_round_and_back() {
    let mut app = demo(80, 24);
    open(&mut app);
    select(&mut app, Part::Documents, 0); // 4.3, approved
    update(&mut app, Action::NextStatus);
    assert_eq!(
        app.session.programme.document("4.3").status,
        DocumentStatus::Missing
    );
    update(&mut app, Action::PreviousStatus);
    update(&mut app, Action::PreviousStatus);
    assert_eq!(
        app.session.programme.document("4.3").status,
        DocumentStatus::Draft
    );
}

#[test]
fn undo_selects_what_it_took_back_in_its_own_part() {
    let mut app = demo(120, 40);
    open(&mut app);
    select(&mut app, Part::Documents, 13); // 10.1
    update(&mut app, Action::NextStatus);
    select(&mut app, Part::Roadmap, 0);
    update(&mut app, Action::Undo);
    let p = app.programme().unwrap();
    assert_eq!((p.part, p.selected_index()), (Part::Documents, 13));
    assert_eq!(
        app.session.programme.document("10.1").status,
        DocumentStatus::Draft
    );
    // An undo of something outside the programme leaves the view where it is.
    select(&mut app, Part::Roadmap, 5);
    let fm = app.session.failure_modes[0].clone();
    let mut changed = fm.clone();
    changed.severity = if fm.severity == 1 { 2 } else { 1 };
    super::super::commit(&mut app, Change::PutFailureMode(changed), "severity".into());
    update(&mut app, Action::Undo);
    let p = app.programme().unwrap();
    assert_eq!((p.part, p.selected_index()), (Part::Roadmap, 5));
    assert_eq!(app.session.failure_modes[0], fm);
}

#[test]
fn the_facts_are_worked_out_again_after_a_change_a_new_day_or_a_reload() {
    let mut app = demo(120, 40);
    open(&mut app);
    let facts = |app: &App| app.programme().unwrap().facts.clone();
    assert_eq!(facts(&app).roadmap.overdue, vec![17]);
    // A key that changes nothing keeps the facts as they were.
    update(&mut app, Action::Down);
    assert!(facts(&app).is_current(0, before_day()));
    // A day past the due dates of steps 22 and 24: they are overdue too.
    update_clock(&mut app, 58);
    assert_eq!(app.clock.today(), date(2027, 1, 20));
    assert_eq!(facts(&app).roadmap.overdue, vec![17, 22, 24]);
    // A change made while the view was closed shows when it opens again.
    update(&mut app, Action::Cancel);
    let mut record = app.session.programme.step(17);
    record.status = StepStatus::Done;
    super::super::commit(&mut app, Change::PutStep(record), "step".into());
    open(&mut app);
    assert_eq!(facts(&app).roadmap.overdue, vec![22, 24]);
}

#[test]
fn a_reload_starts_the_change_count_afresh_and_the_facts_follow_the_new_session() {
    let mut app = demo(120, 40);
    open(&mut app);
    assert_eq!(app.save.generation, 0);
    update_outcome_reloaded(&mut app, Session::new("Neu", fixed_now()));
    assert_eq!(app.save.generation, 0);
    assert!(app.programme().unwrap().facts.roadmap.nothing_started());
}

fn before_day() -> jiff::civil::Date {
    date(2026, 11, 23)
}

/// The clock `days` after the test screens' moment.
fn update_clock(app: &mut App, days: i64) {
    let at = jiff::Timestamp::from_second(fixed_now().as_second() + days * 86_400).unwrap();
    super::super::update_outcome(app, Outcome::Clock(Clock::Fixed(at)));
}

fn update_outcome_reloaded(app: &mut App, session: Session) {
    super::super::update_outcome(
        app,
        Outcome::Reloaded {
            session: Box::new(session),
            disk: None,
            recovery: None,
            took_over: false,
        },
    );
}

#[test]
fn the_selected_row_and_its_lines_stay_on_screen() {
    let mut app = demo(80, 24);
    open(&mut app);
    let rows = view::body_rows(80, 24);
    for index in (0..24).chain((0..24).rev()) {
        select(&mut app, Part::Roadmap, index);
        let p = app.programme().unwrap();
        let (row, _) = view::selected_lines(&app, p);
        assert!(
            row.line >= scroll(&app) && row.end <= scroll(&app) + rows,
            "{index}"
        );
    }
    // Up to the first step, the phase's heading above it shows too.
    select(&mut app, Part::Roadmap, 0);
    assert_eq!(scroll(&app), 0);
}

#[test]
fn a_row_taller_than_the_screen_shows_from_its_own_line() {
    // 80x24 leaves 16 lines; the process group's controls take more.
    let mut app = demo(80, 24);
    open(&mut app);
    select(&mut app, Part::Groups, 2);
    let p = app.programme().unwrap();
    let (row, _) = view::selected_lines(&app, p);
    assert!(row.end - row.top > view::body_rows(80, 24), "{row:?}");
    assert_eq!(scroll(&app), row.line);
}

#[test]
fn paging_moves_a_screenful_and_stops_at_either_end() {
    let mut app = demo(80, 24);
    open(&mut app);
    update(&mut app, Action::PageDown);
    let after_one = app.programme().unwrap().selected_index();
    assert!(after_one > 5 && after_one < 23, "{after_one}");
    for _ in 0..10 {
        update(&mut app, Action::PageDown);
    }
    assert_eq!(app.programme().unwrap().selected_index(), 23);
    update(&mut app, Action::PageUp);
    assert!(app.programme().unwrap().selected_index() < 23);
    for _ in 0..10 {
        update(&mut app, Action::PageUp);
    }
    assert_eq!(app.programme().unwrap().selected_index(), 0);
    assert_eq!(scroll(&app), 0);
}

#[test]
fn a_form_saved_unchanged_records_nothing() {
    let mut app = demo(80, 24);
    open(&mut app);
    update(&mut app, Action::Edit);
    assert!(matches!(app.mode, Mode::Form(_)));
    update(&mut app, Action::Submit);
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.message().unwrap().text, "no changes");
    assert!(!app.history.can_undo());
    assert_eq!(app.save.generation, 0);
}

#[test]
fn save_and_quit_are_the_tables_own() {
    let mut app = demo(80, 24);
    open(&mut app);
    update(&mut app, Action::Save);
    assert_eq!(app.message().unwrap().text, "everything is saved");
    update(&mut app, Action::Quit);
    assert!(
        app.effects
            .iter()
            .any(|e| matches!(e, super::super::super::Effect::Quit))
    );
}

#[test]
fn an_edit_of_a_step_works_out_the_records_again_and_a_failure_mode_the_whole() {
    let mut app = demo(120, 40);
    open(&mut app);
    let without = |app: &App| {
        app.programme()
            .unwrap()
            .facts
            .coverage
            .without_control
            .len()
    };
    assert_eq!(without(&app), 6);
    // Marked so that a recount would show: the coverage is kept while only the
    // programme's own records change.
    app.programme
        .as_deref_mut()
        .unwrap()
        .facts
        .coverage
        .without_control
        .clear();
    select(&mut app, Part::Roadmap, 23);
    update(&mut app, Action::NextStatus);
    let facts = &app.programme().unwrap().facts;
    assert_eq!(
        facts.roadmap.step(24).unwrap().record.status,
        StepStatus::InProgress
    );
    assert_eq!(without(&app), 0, "not counted again");
    // A failure mode's last Annex A link removed (as undo in the view may do):
    // everything is worked out again.
    let linked = app
        .session
        .failure_modes
        .iter()
        .find(|f| !f.annex_a.is_empty())
        .unwrap()
        .clone();
    let mut unlinked = linked.clone();
    unlinked.annex_a.clear();
    super::super::commit(&mut app, Change::PutFailureMode(unlinked), "links".into());
    super::refresh(&mut app);
    assert_eq!(without(&app), 7);
    // Closed, the view still hears of changes: R shows them.
    update(&mut app, Action::Cancel);
    super::super::commit(&mut app, Change::PutFailureMode(linked), "links".into());
    open(&mut app);
    assert_eq!(without(&app), 6);
}

#[test]
fn a_reload_while_the_view_is_closed_shows_when_it_opens_again() {
    let mut app = demo(120, 40);
    open(&mut app);
    update(&mut app, Action::Cancel);
    update_outcome_reloaded(&mut app, Session::new("Neu", fixed_now()));
    open(&mut app);
    assert!(app.programme().unwrap().facts.roadmap.nothing_started());
}
