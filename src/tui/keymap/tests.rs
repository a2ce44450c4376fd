//! The key contract of SPEC 3 and the table's own rules: no key bound twice,
//! every binding in the help, hints in every context.

use super::*;
use std::collections::HashSet;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

#[test]
fn the_spec_key_contract_holds_in_the_tables() {
    let n = KeyModifiers::NONE;
    let cases = [
        (press(Tab, n), Action::FocusNext),
        (press(BackTab, KeyModifiers::SHIFT), Action::FocusPrevious),
        (press(Up, n), Action::Up),
        (press(KeyCode::Char('j'), n), Action::Down),
        (press(PageDown, n), Action::PageDown),
        (press(Home, n), Action::Top),
        (press(End, n), Action::Bottom),
        (press(KeyCode::Char('h'), n), Action::Left),
        (press(Right, n), Action::Right),
        (press(KeyCode::Char('7'), n), Action::Rate(7)),
        (press(KeyCode::Char('0'), n), Action::Rate(0)),
        (press(KeyCode::Char('a'), n), Action::Add),
        (press(Enter, n), Action::Edit),
        (press(KeyCode::Char('e'), n), Action::Edit),
        (press(KeyCode::Char('d'), n), Action::Delete),
        (press(Delete, n), Action::Delete),
        (press(KeyCode::Char('u'), n), Action::Undo),
        (
            press(KeyCode::Char('r'), KeyModifiers::CONTROL),
            Action::Redo,
        ),
        (press(KeyCode::Char('/'), n), Action::Filter),
        (press(KeyCode::Char('p'), n), Action::AdvanceStage),
        (
            press(KeyCode::Char('P'), KeyModifiers::SHIFT),
            Action::StepBackStage,
        ),
        (press(KeyCode::Char('x'), n), Action::Export),
        (
            press(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Action::Save,
        ),
        (press(KeyCode::Char('?'), KeyModifiers::SHIFT), Action::Help),
        (press(KeyCode::Char('q'), n), Action::Quit),
        (
            press(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Action::Quit,
        ),
    ];
    for (event, action) in cases {
        assert_eq!(
            action_for(Context::Normal, &event),
            Some(action),
            "{event:?}"
        );
    }
}

#[test]
fn forms_take_text_and_their_own_keys() {
    let n = KeyModifiers::NONE;
    assert_eq!(
        action_for(Context::Form, &press(Enter, n)),
        Some(Action::Submit)
    );
    assert_eq!(
        action_for(Context::Form, &press(Esc, n)),
        Some(Action::Cancel)
    );
    assert_eq!(
        action_for(Context::Form, &press(Down, n)),
        Some(Action::NextField)
    );
    assert_eq!(
        action_for(Context::Form, &press(KeyCode::Char('q'), n)),
        Some(Action::Input(InputRequest::InsertChar('q')))
    );
    assert_eq!(
        action_for(Context::Filter, &press(KeyCode::Char('中'), n)),
        Some(Action::Input(InputRequest::InsertChar('中')))
    );
    assert_eq!(
        action_for(Context::Confirm, &press(KeyCode::Char('z'), n)),
        None
    );
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    let mut seen = HashSet::new();
    for b in BINDINGS {
        for k in b.keys {
            assert!(
                seen.insert((b.context, k.code, k.modifiers)),
                "{:?} {:?} bound twice",
                b.context,
                k
            );
        }
    }
}

#[test]
fn every_context_has_hints_and_the_footer_shows_help_in_the_tables() {
    for context in Context::ALL {
        assert!(!hints(context).is_empty(), "{context:?}");
    }
    assert!(hints(Normal).contains(&("?".to_string(), "help")));
    assert!(hint_priority(Action::Undo) < hint_priority(Action::Delete));
}

#[test]
fn the_help_lists_every_binding() {
    // Wide, so that no description wraps and each can be found whole.
    let text: String = crate::tui::view::help::lines(&crate::tui::theme::Theme::plain(), 400)
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    for b in BINDINGS {
        assert!(text.contains(b.help), "{:?} missing from the help", b.help);
        assert!(
            text.contains(&b.keys_text()),
            "{:?} missing from the help",
            b.keys_text()
        );
    }
}

#[test]
fn the_treatment_view_offers_its_own_keys_in_the_footer() {
    let workshop = hints_in(Normal, false);
    let treatment = hints_in(Normal, true);
    let words = |h: &[(String, &str)]| h.iter().map(|(_, w)| w.to_string()).collect::<Vec<_>>();
    assert!(words(&workshop).contains(&"rate".to_string()));
    assert!(!words(&treatment).contains(&"rate".to_string()));
    assert!(!words(&treatment).contains(&"pane".to_string()));
    for word in ["status", "owner", "Annex A", "history", "workshop", "help"] {
        assert!(words(&treatment).contains(&word.to_string()), "{word}");
    }
    assert!(words(&workshop).contains(&"treat".to_string()));
    // Whatever the view, the keys stay bound.
    let n = KeyModifiers::NONE;
    for (c, action) in [
        ('t', Action::ToggleTreatmentView),
        ('s', Action::NextStatusFilter),
        ('o', Action::NextOwnerFilter),
        ('c', Action::Cycles),
    ] {
        assert_eq!(
            action_for(Normal, &press(KeyCode::Char(c), n)),
            Some(action)
        );
    }
    for (c, action) in [
        ('A', Action::Controls),
        ('H', Action::History),
        ('T', Action::Threshold),
        ('S', Action::PreviousStatusFilter),
        ('O', Action::PreviousOwnerFilter),
    ] {
        assert_eq!(
            action_for(Normal, &press(KeyCode::Char(c), KeyModifiers::SHIFT)),
            Some(action)
        );
    }
    // The picker takes text: letters search, they are no commands there.
    assert_eq!(
        action_for(Controls, &press(KeyCode::Char('q'), n)),
        Some(Action::Input(InputRequest::InsertChar('q')))
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut event = press(KeyCode::Char('q'), KeyModifiers::NONE);
    event.kind = KeyEventKind::Release;
    assert_eq!(action_for(Context::Normal, &event), None);
}
