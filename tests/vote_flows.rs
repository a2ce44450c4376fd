//! A blind rating vote driven in-process through the real keymap and update:
//! the facilitator opens a round, followers' ballots arrive as the room
//! reports them, the reveal, the adoption as one undoable step, and the
//! round's record in the decision log.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use riskroom::domain::log::Event;
use riskroom::domain::vote::{self, Ballot};
use riskroom::domain::*;
use riskroom::room::server::RoomEvent;
use riskroom::store;
use riskroom::tui::action::Outcome;
use riskroom::tui::app::{App, Mode};
use riskroom::tui::testing::{self, Screen, press, screen_text};
use riskroom::tui::theme::Theme;

const DEMO: &str = "sessions/ip-chamber.ron";

fn facilitator() -> Screen {
    let app = App::new(
        store::load(Path::new(DEMO)).unwrap(),
        DEMO.into(),
        Theme::dark(),
        120,
        40,
    );
    let mut screen = Screen::new(testing::fixed(app).facilitating("fac"));
    for (follower, name) in [(1, "ana"), (2, "bo"), (3, "chen")] {
        screen.report(Outcome::Room(RoomEvent::Joined {
            follower,
            name: name.into(),
        }));
    }
    screen
}

fn sod(s: u8, o: u8, d: u8) -> Ballot {
    Ballot {
        severity: Some(s),
        occurrence: Some(o),
        detection: Some(d),
    }
}

fn cast(screen: &mut Screen, follower: u64, name: &str, ballot: Ballot) {
    let round = screen.round_view().unwrap().id;
    screen.report(Outcome::Room(RoomEvent::Cast {
        follower,
        name: name.into(),
        round,
        ballot,
    }));
}

fn selected(screen: &Screen) -> FailureMode {
    let id = screen.failure_modes().selected_id().unwrap();
    screen.session().failure_mode(id).unwrap().clone()
}

/// The facilitator's screen before, during and after a round of three.
fn run_round(screen: &mut Screen) -> FailureModeId {
    if screen.focus() != riskroom::tui::pane::Pane::FailureModes {
        press(screen, &["Tab"]);
    }
    press(screen, &["Home"]);
    // Off the rating columns: the round asks S, O and D.
    for _ in 0..12 {
        press(screen, &["Left"]);
    }
    let id = selected(screen).id;
    press(screen, &["v"]);
    assert!(matches!(screen.mode(), Mode::Vote));
    assert_eq!(screen.round_view().unwrap().asked, vote::Asked::ALL);
    cast(screen, 1, "ana", sod(2, 4, 5));
    cast(screen, 2, "bo", sod(8, 4, 5));
    cast(screen, 3, "chen", sod(7, 5, 5));
    id
}

#[test]
fn a_round_of_three_is_hidden_until_the_reveal_and_adopted_as_one_undoable_step() {
    let mut screen = facilitator();
    let before_log = screen.session().log.len();
    let id = run_round(&mut screen);
    let before = screen.session().failure_mode(id).unwrap().clone();

    // Who has voted, never the values, until the reveal.
    let text = screen_text(&screen);
    assert!(text.contains("3 of 3"), "{text}");
    assert!(!text.contains("discuss"), "{text}");

    press(&mut screen, &["v"]);
    let text = screen_text(&screen);
    // Severity 2, 7, 8: median 7, a spread of 6 to talk about.
    assert!(text.contains("discuss: 2 vs 8"), "{text}");
    // Anonymous by default: no voter's name at the reveal.
    assert!(!text.contains("chen"), "{text}");

    press(&mut screen, &["Enter"]);
    assert!(matches!(screen.mode(), Mode::Normal));
    let after = screen.session().failure_mode(id).unwrap().clone();
    assert_eq!(
        (after.severity, after.occurrence, after.detection),
        (7, 4, 5)
    );

    // The record: every vote with its voter, the values agreed, who adopted.
    let log = &screen.session().log;
    assert_eq!(log.len(), before_log + 1);
    let Event::Vote {
        fm,
        votes,
        severity,
        occurrence,
        detection,
        by_hand,
        by,
        ..
    } = &log[before_log].event
    else {
        panic!("the round is logged as a vote: {:?}", log[before_log].event);
    };
    assert_eq!(*fm, id);
    let voters: Vec<&str> = votes.iter().map(|v| v.voter.as_str()).collect();
    assert_eq!(voters, ["ana", "bo", "chen"]);
    assert_eq!(votes[1].severity, Some(8));
    assert_eq!(
        (*severity, *occurrence, *detection),
        (Some(7), Some(4), Some(5))
    );
    assert!(!by_hand);
    assert_eq!(by, "fac");
    // The saver sees what the screen has.
    assert_eq!(screen.saver_copy().unwrap(), screen.session());

    // One undo puts the ratings back; the log keeps the round and says it
    // was withdrawn.
    press(&mut screen, &["u"]);
    let undone = screen.session().failure_mode(id).unwrap();
    assert_eq!(
        (undone.severity, undone.occurrence, undone.detection),
        (before.severity, before.occurrence, before.detection)
    );
    let log = &screen.session().log;
    assert_eq!(log.len(), before_log + 2);
    assert!(
        matches!(&log[before_log + 1].event, Event::Withdrawn { event, .. }
        if matches!(**event, Event::Vote { .. }))
    );
}

#[test]
fn a_value_typed_after_the_reveal_is_adopted_by_hand() {
    let mut screen = facilitator();
    let id = run_round(&mut screen);
    press(&mut screen, &["v", "6", "Enter"]);
    let fm = screen.session().failure_mode(id).unwrap();
    assert_eq!((fm.severity, fm.occurrence, fm.detection), (6, 4, 5));
    let Some(Event::Vote {
        by_hand, severity, ..
    }) = screen.session().log.last().map(|e| &e.event)
    else {
        panic!("a vote is logged");
    };
    assert!(*by_hand);
    assert_eq!(*severity, Some(6));
}

#[test]
fn on_a_rating_column_the_round_asks_that_rating_only() {
    let mut screen = facilitator();
    if screen.focus() != riskroom::tui::pane::Pane::FailureModes {
        press(&mut screen, &["Tab"]);
    }
    for _ in 0..12 {
        press(&mut screen, &["Left"]);
    }
    while screen.focused_column().rating() != Some(RatingKind::Occurrence) {
        press(&mut screen, &["Right"]);
    }
    let before = selected(&screen);
    press(&mut screen, &["v"]);
    let only_o = Ballot {
        occurrence: Some(9),
        ..Ballot::default()
    };
    cast(&mut screen, 1, "ana", only_o);
    cast(&mut screen, 2, "bo", sod(1, 9, 1));
    press(&mut screen, &["v", "Enter"]);
    let after = screen.session().failure_mode(before.id).unwrap();
    assert_eq!(
        (after.severity, after.occurrence, after.detection),
        (before.severity, 9, before.detection)
    );
}

#[test]
fn esc_closes_a_round_and_changes_nothing() {
    let mut screen = facilitator();
    let before = screen.session().clone();
    run_round(&mut screen);
    press(&mut screen, &["v", "Esc"]);
    assert!(matches!(screen.mode(), Mode::Normal));
    assert_eq!(screen.session(), &before);
}

#[test]
fn naming_voters_is_a_setting_of_the_session_and_undoable() {
    let mut screen = facilitator();
    run_round(&mut screen);
    press(&mut screen, &["N"]);
    assert!(screen.session().name_voters);
    press(&mut screen, &["v"]);
    let text = screen_text(&screen);
    assert!(text.contains("chen"), "{text}");
    press(&mut screen, &["Esc", "u"]);
    assert!(!screen.session().name_voters);
}

#[test]
fn a_ballot_outside_the_scale_or_for_another_round_is_refused() {
    let mut screen = facilitator();
    run_round(&mut screen);
    let round = screen.round_view().unwrap().id;
    screen.report(Outcome::Room(RoomEvent::Cast {
        follower: 1,
        name: "ana".into(),
        round,
        ballot: sod(11, 4, 5),
    }));
    screen.report(Outcome::Room(RoomEvent::Cast {
        follower: 2,
        name: "bo".into(),
        round: round + 7,
        ballot: sod(1, 1, 1),
    }));
    press(&mut screen, &["v"]);
    let text = screen_text(&screen);
    // Still the three good ballots: 2, 8, 7 for severity.
    assert!(text.contains("discuss: 2 vs 8"), "{text}");
}

#[test]
fn a_follower_is_offered_no_export_and_every_edit_says_why() {
    let app = App::new(
        store::load(Path::new(DEMO)).unwrap(),
        DEMO.into(),
        Theme::dark(),
        80,
        24,
    );
    let mut screen = Screen::new(testing::fixed(app).following());
    let before = screen.session().clone();
    let text = screen_text(&screen);
    assert!(!text.contains("x export"), "{text}");
    for key in ["e", "x", "d", "5"] {
        press(&mut screen, &[key]);
        let said = screen.message().map(|m| m.text.clone()).unwrap_or_default();
        assert!(
            said.contains("follow") && said.chars().count() <= 80,
            "{key}: {said}"
        );
        press(&mut screen, &["Esc"]);
    }
    assert_eq!(screen.session(), &before);
}
