//! The saver keeps its own copy of the session and is told each change the screen
//! applies (the journal), never sent the whole session. Here random key sequences
//! drive the real keymap and update, and the saver's copy (the runtime's own
//! saver, run in place) must equal the screen's session after every key, ID
//! counters included: a change that bypassed the journal would be lost on disk.
//! The same keys check the flag counts kept change by change against a full count.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use proptest::prelude::*;
use riskroom::domain::flags::FlagCounts;
use riskroom::store;
use riskroom::tui::testing::{self, press};

const DEMO: &str = "sessions/ip-chamber.ron";

/// Keys that edit, undo, add, delete, close cycles, filter and cancel. Not `x`:
/// the export dialog's directory can be typed away to the working directory.
const KEYS: &[&str] = &[
    "Down", "Up", "PgDn", "End", "Home", "Left", "Right", "Tab", "1", "3", "5", "7", "9", "0", "u",
    "C-r", "a", "e", "Enter", "Esc", "d", "y", "n", "p", "P", "/", "z", "BS", "C-s",
];

fn run(keys: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.ron");
    std::fs::copy(DEMO, &path).unwrap();
    let session = store::load(&path).unwrap();
    let mut app = testing::app(session, &path, 120, 40);
    for &k in keys {
        press(&mut app, &[KEYS[k]]);
        // The saver's own copy, fed only by the journal.
        assert_eq!(app.saver_copy(), Some(app.session()), "after {:?}", KEYS[k]);
        // The flag counts the pane title shows are kept change by change; they
        // must be what counting them all gives.
        assert_eq!(
            app.flags(),
            FlagCounts::of(app.session(), app.clock().today()),
            "flag counts after {:?}",
            KEYS[k]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn the_journal_carries_every_change(keys in proptest::collection::vec(0..KEYS.len(), 1..80)) {
        run(&keys);
    }
}

#[test]
fn closing_a_cycle_and_undoing_it_reaches_the_copy() {
    // p three times to Act, p again asks, y closes the cycle; u undoes it.
    let idx = |k: &str| KEYS.iter().position(|x| *x == k).unwrap();
    run(&[
        idx("p"),
        idx("p"),
        idx("p"),
        idx("p"),
        idx("y"),
        idx("u"),
        idx("C-r"),
    ]);
}

#[test]
fn adding_a_record_reaches_the_copy_with_its_id_counter_and_undo_keeps_it() {
    // a: a new failure mode; z its text; Enter goes to the ratings, 5 5 5 rate
    // it, Enter saves it; u takes it back (the counter stays past its ID).
    let idx = |k: &str| KEYS.iter().position(|x| *x == k).unwrap();
    run(&[
        idx("a"),
        idx("z"),
        idx("Enter"),
        idx("5"),
        idx("5"),
        idx("5"),
        idx("Enter"),
        idx("u"),
        idx("C-r"),
    ]);
}
