//! The room's record driven by keys, in-process, through the real keymap and
//! update: the session's details and participants (D), a note, a parking-lot
//! question and an action (n, Q, w), a risk acceptance sign-off and its
//! re-approval (Y), and the decision log on screen (L).

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::Path;

use riskroom::domain::log::Event;
use riskroom::domain::sign_off::SignOffKind;
use riskroom::domain::*;
use riskroom::store;
use riskroom::tui::app::Mode;
use riskroom::tui::testing::{self, Screen, press, screen_text, type_text};

const DEMO: &str = "sessions/ip-chamber.ron";

fn demo(width: u16, height: u16) -> Screen {
    testing::app(store::load(Path::new(DEMO)).unwrap(), DEMO, width, height)
}

/// A small session with one failure mode accepted at RPN 240 (above the
/// threshold) and nobody on the list yet.
fn small() -> Screen {
    let mut s = Session::new("Kleine Runde", testing::fixed_now());
    let mut fm = FailureMode::new(FailureModeId(1), "Schlüssel im Klartext gespeichert");
    (fm.severity, fm.occurrence, fm.detection) = (8, 6, 5);
    fm.treatment.decision = Decision::Accept;
    s.failure_modes.push(fm);
    s.next_ids.failure_mode = 2;
    testing::app(s, "/tmp/never-written.ron", 80, 24)
}

fn log_len(app: &Screen) -> usize {
    app.session().log.len()
}

#[test]
fn details_are_edited_and_participants_added_marked_present_and_removed_from_d() {
    let mut app = small();
    press(&mut app, &["D"]);
    assert!(matches!(app.mode(), Mode::Details { .. }));
    // Title: Enter edits it; the field is all selected, typing replaces it.
    press(&mut app, &["Enter"]);
    type_text(&mut app, "Risikoworkshop Reinraum");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Müller & Söhne GmbH");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Reinraum, Labor-IT");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Jürgen Weiß");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "2026-11-24, 2026-11-23");
    press(&mut app, &["Enter"]);
    assert!(
        matches!(app.mode(), Mode::Details { .. }),
        "saving goes back to D"
    );
    let s = app.session();
    assert_eq!(s.title, "Risikoworkshop Reinraum");
    assert_eq!(s.organisation, "Müller & Söhne GmbH");
    assert_eq!(s.scope, "Reinraum, Labor-IT");
    assert_eq!(s.facilitator, "Jürgen Weiß");
    assert_eq!(
        s.dates,
        vec!["2026-11-23".parse().unwrap(), "2026-11-24".parse().unwrap()],
        "dates sorted"
    );

    // Two participants: a adds, present by default.
    press(&mut app, &["a"]);
    type_text(&mut app, "Grete Köhler");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "risk owner");
    press(&mut app, &["Enter", "a"]);
    type_text(&mut app, "王小明");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "auditor");
    press(&mut app, &["Enter"]);
    let names: Vec<(&str, &str, bool)> = app
        .session()
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_str(), p.present))
        .collect();
    assert_eq!(
        names,
        [
            ("Grete Köhler", "risk owner", true),
            ("王小明", "auditor", true)
        ]
    );
    // The same name twice is refused: the log names people by it.
    press(&mut app, &["a"]);
    type_text(&mut app, "王小明");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)), "refused, still open");
    assert!(screen_text(&app).contains("already on the list"));
    press(&mut app, &["Esc", "Esc"]);
    assert!(matches!(app.mode(), Mode::Details { .. }));
    assert_eq!(app.session().participants.len(), 2);

    // Space: 王小明 (the selected, last row) is not here today; u takes it back.
    press(&mut app, &["End"]);
    press(&mut app, &[" "]);
    assert!(!app.session().participants[1].present);
    assert_eq!(app.session().present(), ["Grete Köhler"]);
    // The line under the box answers the key.
    assert!(
        screen_text(&app).contains("王小明 is not here today"),
        "{}",
        screen_text(&app)
    );
    press(&mut app, &["u"]);
    assert!(app.session().participants[1].present);
    press(&mut app, &[" "]);

    // d takes 王小明 off the list: the log keeps the name; u brings them back
    // and the log only grows.
    let before = log_len(&app);
    press(&mut app, &["d"]);
    assert_eq!(app.session().participants.len(), 1);
    assert!(matches!(
        &app.session().log.last().unwrap().event,
        Event::ParticipantRemoved { name, .. } if name == "王小明"
    ));
    press(&mut app, &["u"]);
    assert_eq!(app.session().participants.len(), 2);
    assert!(log_len(&app) > before);
    press(&mut app, &["Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn a_bad_date_in_the_details_is_refused_with_the_field_named() {
    let mut app = small();
    press(&mut app, &["D", "Down", "Down", "Down", "Down", "Enter"]);
    type_text(&mut app, "2026-02-30");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(
        screen_text(&app).contains("February 2026 has 28 days"),
        "{}",
        screen_text(&app)
    );
    assert!(app.session().dates.is_empty());
}

#[test]
fn a_note_a_question_and_an_action_go_to_the_log_and_undo_withdraws_them() {
    let mut app = demo(120, 40);
    let before = log_len(&app);
    let fm = app.failure_modes().selected_id().unwrap();

    press(&mut app, &["n"]);
    type_text(
        &mut app,
        "Vendor says the console is firewalled; to be verified",
    );
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    let last = app.session().log.last().unwrap();
    assert_eq!(
        last.event,
        Event::Note {
            fm: Some(fm),
            text: "Vendor says the console is firewalled; to be verified".into()
        }
    );
    assert_eq!(last.present, app.session().present(), "who was there");

    // A question about the workshop: the About field says so.
    press(&mut app, &["Q"]);
    type_text(&mut app, "Who owns the backup tapes?");
    press(&mut app, &["Tab", "Right", "Enter"]);
    assert_eq!(
        app.session().log.last().unwrap().event,
        Event::Question {
            fm: None,
            text: "Who owns the backup tapes?".into()
        }
    );

    // An action needs an owner; a due date in the right form.
    press(&mut app, &["w"]);
    type_text(&mut app, "Scan the chamber network");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)), "no owner: refused");
    assert!(screen_text(&app).contains("needs an owner"));
    type_text(&mut app, "Wong Ka Fai");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "2026-12-05");
    press(&mut app, &["Enter"]);
    assert_eq!(
        app.session().log.last().unwrap().event,
        Event::Action {
            fm: Some(fm),
            text: "Scan the chamber network".into(),
            owner: "Wong Ka Fai".into(),
            due: Some("2026-12-05".parse().unwrap()),
        }
    );
    assert_eq!(log_len(&app), before + 3);

    // u withdraws the action: one more entry, nothing erased; it no longer stands.
    press(&mut app, &["u"]);
    assert_eq!(log_len(&app), before + 4);
    assert!(matches!(
        &app.session().log.last().unwrap().event,
        Event::Withdrawn { event, .. } if matches!(**event, Event::Action { .. })
    ));
    let standing = app.session().standing_entries();
    assert!(!standing.iter().any(
        |e| matches!(&e.event, Event::Action { text, .. } if text == "Scan the chamber network")
    ));
    // Ctrl-r reinstates it.
    press(&mut app, &["C-r"]);
    assert_eq!(log_len(&app), before + 5);
    assert!(app.session().standing_entries().iter().any(
        |e| matches!(&e.event, Event::Action { text, .. } if text == "Scan the chamber network")
    ));

    // L shows them, the latest at the bottom of the box.
    press(&mut app, &["L"]);
    assert!(matches!(app.mode(), Mode::Log { .. }));
    let screen = screen_text(&app);
    assert!(screen.contains("action on"), "{screen}");
    assert!(screen.contains("Scan the chamber network"), "{screen}");
    assert!(screen.contains("withdrawn: action"), "{screen}");
    assert!(screen.contains("Who owns the backup tapes?"), "{screen}");
    // Tab: only what was said about the selected failure mode.
    press(&mut app, &["Tab"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains(&format!("Only the entries about {fm}")),
        "{screen}"
    );
    assert!(screen.contains("to be verified"), "{screen}");
    assert!(!screen.contains("Who owns the backup tapes?"), "{screen}");
    press(&mut app, &["Tab"]);
    assert!(screen_text(&app).contains("Who owns the backup tapes?"));
    press(&mut app, &["Esc"]);
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn a_sign_off_is_given_shows_needs_re_approval_after_a_re_rating_and_is_given_again() {
    let mut app = small();
    // Nobody on the list: Y says who must be added first.
    press(&mut app, &["Y"]);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(screen_text(&app).contains("D adds them"));
    // Accept at RPN 240, above the threshold, unsigned: flagged.
    press(&mut app, &["t"]);
    assert!(
        screen_text(&app).contains("Accept ⚑"),
        "{}",
        screen_text(&app)
    );
    assert!(screen_text(&app).contains("⚑ 1 accepted without sign-off"));
    press(&mut app, &["t", "D", "a"]);
    type_text(&mut app, "Gast");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "guest");
    press(&mut app, &["Enter", "a"]);
    type_text(&mut app, "Grete Köhler");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "risk owner");
    press(&mut app, &["Enter", "Esc"]);

    // Y picks the risk owner in the room, accepting the residual risk.
    let before = log_len(&app);
    press(&mut app, &["Y"]);
    let Mode::SignOff(dialog) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(
        (dialog.selected, dialog.kind),
        (1, SignOffKind::AcceptResidual)
    );
    press(&mut app, &["Enter"]);
    let fm = &app.session().failure_modes[0];
    let s = fm.sign_off.as_deref().unwrap();
    assert_eq!(
        (s.by.as_str(), s.role.as_str()),
        ("Grete Köhler", "risk owner")
    );
    assert!(!s.needs_reapproval(fm));
    assert!(matches!(
        &app.session().log.last().unwrap().event,
        Event::SignedOff { .. }
    ));
    assert!(log_len(&app) > before);
    press(&mut app, &["t"]);
    let screen = screen_text(&app);
    assert!(screen.contains("Accept ✓"), "{screen}");
    assert!(!screen.contains("⚑"), "{screen}");
    press(&mut app, &["t"]);

    // The room re-rates the severity: the acceptance needs re-approval.
    press(&mut app, &["Home", "9"]);
    assert_eq!(app.session().failure_modes[0].severity, 9);
    press(&mut app, &["t"]);
    let screen = screen_text(&app);
    assert!(screen.contains("Accept ↻"), "{screen}");
    assert!(screen.contains("↻ 1 needs re-approval"), "{screen}");
    // The detail line on the decision says what changed.
    press(
        &mut app,
        &[
            "Left", "Left", "Left", "Left", "Left", "Left", "Right", "Right",
        ],
    );
    let screen = screen_text(&app);
    assert!(
        screen.contains("needs re-approval: severity 8 → 9"),
        "{screen}"
    );

    // Y again, Enter: signed again on the state as it is now.
    press(&mut app, &["Y", "Enter"]);
    let fm = &app.session().failure_modes[0];
    assert!(!fm.sign_off.as_deref().unwrap().needs_reapproval(fm));
    assert!(screen_text(&app).contains("Accept ✓"));

    // r in the dialog revokes it (logged); u gives it back.
    press(&mut app, &["Y", "r"]);
    assert!(app.session().failure_modes[0].sign_off.is_none());
    assert!(matches!(
        &app.session().log.last().unwrap().event,
        Event::Revoked { by, .. } if by == "Grete Köhler"
    ));
    press(&mut app, &["u"]);
    assert!(app.session().failure_modes[0].sign_off.is_some());
}

#[test]
fn a_sign_off_of_an_undecided_failure_mode_is_refused() {
    let mut s = small().session().clone();
    s.failure_modes[0].treatment.decision = Decision::Undecided;
    s.participants.push(Participant::new("Ana", "risk owner"));
    let mut app = testing::app(s, "/tmp/never-written.ron", 80, 24);
    press(&mut app, &["Y", "Enter"]);
    assert!(app.session().failure_modes[0].sign_off.is_none());
    assert!(app.session().log.is_empty(), "nothing logged");
    assert!(
        screen_text(&app).contains("decide first"),
        "{}",
        screen_text(&app)
    );
}

#[test]
fn read_only_refuses_every_record_key_but_shows_d_and_l() {
    let app = demo(120, 40);
    let s = app.session().clone();
    let mut app = Screen::new(
        testing::fixed(riskroom::tui::app::App::new(
            s.clone(),
            DEMO.into(),
            riskroom::tui::theme::Theme::dark(),
            120,
            40,
        ))
        .read_only("held by ana@jump1"),
    );
    for key in ["n", "Q", "w", "Y"] {
        press(&mut app, &[key]);
        assert!(matches!(app.mode(), Mode::Normal), "{key}");
    }
    press(&mut app, &["D", " ", "d", "a"]);
    assert!(matches!(app.mode(), Mode::Details { .. }));
    press(&mut app, &["Esc", "L"]);
    assert!(matches!(app.mode(), Mode::Log { .. }));
    assert_eq!(app.session(), &s, "nothing changed");
}

#[test]
fn the_table_is_filtered_by_process_and_the_process_form_is_one_key_away() {
    let mut app = demo(120, 40);
    let fm = app.selected_failure_mode().unwrap().clone();
    let process = app.session().process(fm.process.unwrap()).unwrap().clone();
    let of_it = app
        .session()
        .failure_modes
        .iter()
        .filter(|f| f.process == Some(process.id))
        .count();

    // b steps to the first process; step on until it is this one.
    let mut steps = 0;
    while app.treatment_filter().process != Some(process.id) {
        press(&mut app, &["b"]);
        steps += 1;
        assert!(
            steps <= app.session().processes.len(),
            "b reaches every process"
        );
    }
    assert_eq!(app.failure_modes().rows.len(), of_it);
    assert!(
        app.failure_modes()
            .rows
            .iter()
            .all(|id| { app.session().failure_mode(*id).unwrap().process == Some(process.id) })
    );
    assert!(screen_text(&app).contains(&format!("process {}", process.name)));

    // W: the worksheet's header; the core team as a list, the purpose, the owner.
    press(&mut app, &["W"]);
    let Mode::Form(form) = app.mode() else {
        panic!("the process form opens: {:?}", app.mode())
    };
    assert!(form.title().contains(&process.id.to_string()));
    press(&mut app, &["Tab"]);
    type_text(&mut app, "Mei Ling Chan, 陳志明 ,, Wong Ka Fai");
    press(&mut app, &["Tab", "Tab"]);
    type_text(&mut app, "Ho Siu Ming");
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Normal));
    let saved = app.session().process(process.id).unwrap();
    assert_eq!(saved.team, ["Mei Ling Chan", "陳志明", "Wong Ka Fai"]);
    assert_eq!(saved.owner, "Ho Siu Ming");
    assert_eq!(saved.purpose, process.purpose, "untouched");
    // One u takes it back; Esc clears the filter.
    press(&mut app, &["u"]);
    assert_eq!(app.session().process(process.id), Some(&process));
    press(&mut app, &["Esc"]);
    assert_eq!(
        app.failure_modes().rows.len(),
        app.session().failure_modes.len()
    );

    // Another process's name is refused.
    let other = app
        .session()
        .processes
        .iter()
        .find(|p| p.id != process.id)
        .unwrap()
        .name
        .clone();
    press(&mut app, &["W"]);
    type_text(&mut app, &other);
    press(&mut app, &["Enter"]);
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(
        screen_text(&app).contains("is called"),
        "{}",
        screen_text(&app)
    );
}

/// Keys of the record and of editing, pressed at random: whatever they do, the
/// decision log only grows (an undo adds, never takes out, every entry before
/// stays as it was), and the saver's copy, fed by the journal, stays the
/// session on screen.
const RECORD_KEYS: &[&str] = &[
    "Down", "Up", "Home", "End", "Left", "Right", "Tab", "3", "7", "u", "C-r", "a", "e", "Enter",
    "Esc", "d", "y", "D", " ", "n", "Q", "w", "Y", "r", "L", "b", "W", "t", "x", "Z", "p",
];

fn run_record_keys(keys: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let mut app = testing::app(store::load(&path).unwrap(), &path, 80, 24);
    for &k in keys {
        let before = app.session().log.clone();
        press(&mut app, &[RECORD_KEYS[k]]);
        let log = &app.session().log;
        assert!(
            log.len() >= before.len() && log[..before.len()] == before[..],
            "the log lost or changed an entry after {:?}",
            RECORD_KEYS[k]
        );
        assert_eq!(
            app.saver_copy(),
            Some(app.session()),
            "after {:?}",
            RECORD_KEYS[k]
        );
        // Drawing never panics, whatever is open.
        screen_text(&app);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]
    #[test]
    fn the_log_only_grows_and_the_saver_keeps_up_whatever_the_keys(
        keys in proptest::collection::vec(0..RECORD_KEYS.len(), 1..80)
    ) {
        run_record_keys(&keys);
    }
}

#[test]
fn the_workshop_view_shows_a_sign_off_to_give_again_where_the_room_rates() {
    let mut app = small();
    press(&mut app, &["D", "a"]);
    type_text(&mut app, "Grete Köhler");
    press(&mut app, &["Tab"]);
    type_text(&mut app, "risk owner");
    press(&mut app, &["Enter", "Esc"]);
    let row = |app: &Screen| {
        screen_text(app)
            .lines()
            .find(|l| l.contains("FM-001"))
            .unwrap()
            .to_string()
    };
    assert!(row(&app).contains("⚑ sign-off"), "{}", row(&app));
    press(&mut app, &["Y", "Enter"]);
    assert!(
        !row(&app).contains('⚑') && !row(&app).contains('↻'),
        "{}",
        row(&app)
    );
    press(&mut app, &["Home", "Right", "4"]);
    assert_eq!(app.session().failure_modes[0].occurrence, 4);
    assert!(row(&app).contains("↻ re-approve"), "{}", row(&app));
}

#[test]
fn a_long_list_of_participants_scrolls_to_the_selected_one_at_80x24() {
    let mut s = small().session().clone();
    for i in 1..=30 {
        let mut p = Participant::new(format!("Teilnehmerin Nr. {i} Größe"), "guest");
        p.present = i % 2 == 0;
        s.participants.push(p);
    }
    let mut app = testing::app(s, "/tmp/never-written.ron", 80, 24);
    press(&mut app, &["D", "End"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("▶ [x]  Teilnehmerin Nr. 30 Größe"),
        "{screen}"
    );
    assert!(screen.contains("30 on the list, 15 here today"), "{screen}");
    // Space on it, Enter edits that one, not another.
    press(&mut app, &[" "]);
    assert!(!app.session().participants[29].present);
    press(&mut app, &["Up", "Enter"]);
    let Mode::Form(form) = app.mode() else {
        panic!("{:?}", app.mode())
    };
    assert_eq!(form.fields[0].value(), "Teilnehmerin Nr. 29 Größe");
}
