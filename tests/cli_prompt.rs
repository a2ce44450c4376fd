//! Commands that ask on a terminal: `riskroom new PATH` without `--title`.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::time::Duration;

use pty::Pty;

#[test]
fn new_without_a_title_asks_for_it_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let wait = Duration::from_secs(10);
    let mut term = Pty::spawn(&["new", "q3.ron"], dir.path(), 80, 24, &[]);
    term.wait_for("Title of the workshop [q3]: ", wait);
    term.send("Jahresworkshop 信息安全\r");
    assert_eq!(term.wait_exit(wait), Some(0), "{}", term.screen());
    let text = std::fs::read_to_string(dir.path().join("q3.ron")).unwrap();
    assert!(
        text.contains("title: \"Jahresworkshop 信息安全\""),
        "{text}"
    );

    // Enter alone takes the file's name.
    let mut term = Pty::spawn(&["new", "plain.ron"], dir.path(), 80, 24, &[]);
    term.wait_for("Title of the workshop [plain]: ", wait);
    term.send("\r");
    assert_eq!(term.wait_exit(wait), Some(0), "{}", term.screen());
    let text = std::fs::read_to_string(dir.path().join("plain.ron")).unwrap();
    assert!(text.contains("title: \"plain\""), "{text}");

    // End of input (Ctrl-d) writes nothing.
    let mut term = Pty::spawn(&["new", "never.ron"], dir.path(), 80, 24, &[]);
    term.wait_for("Title of the workshop", wait);
    term.send("\x04");
    assert_eq!(term.wait_exit(wait), Some(1), "{}", term.screen());
    term.wait_for("no title given; nothing was written", wait);
    assert!(!dir.path().join("never.ron").exists());
}
