//! `RISKROOM_KEY_TRACE=FILE`: how long each key took inside this process, from
//! the input thread reading it to the frame that answers it having been
//! written, one number of microseconds a line, written to FILE when the screen
//! ends. For benchmarks (`bench/follow.sh`): a probe outside the process also
//! times the terminal and its own wake-ups, which on a busy machine are most
//! of what it sees; this is the facilitator's own part.
//!
//! Kept in memory while the screen runs (no I/O on the key path) and written
//! once at the end. FILE must not exist yet: it is created, never followed or
//! overwritten, so a name in a shared folder cannot be turned against anyone.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The environment variable that turns the trace on.
pub const VARIABLE: &str = "RISKROOM_KEY_TRACE";

/// At most this many keys are kept (a day's workshop is far fewer).
const MAX_KEYS: usize = 1_000_000;

#[derive(Debug)]
pub struct KeyTrace {
    file: std::fs::File,
    path: PathBuf,
    /// The oldest key not yet answered by a frame.
    pending: Option<Instant>,
    took: Vec<Duration>,
}

impl KeyTrace {
    /// The trace the environment asks for, if any; an error names the file
    /// and why it cannot be written (before the screen starts).
    pub fn from_env() -> Result<Option<KeyTrace>, String> {
        match std::env::var_os(VARIABLE) {
            Some(path) => KeyTrace::create(PathBuf::from(path)).map(Some),
            None => Ok(None),
        }
    }

    /// A trace into `path`, which must not exist yet.
    fn create(path: PathBuf) -> Result<KeyTrace, String> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                format!(
                    "{VARIABLE}: cannot create {} ({e}); it must be a new file",
                    crate::terminal_text::one_line(&path.display().to_string())
                )
            })?;
        Ok(KeyTrace {
            file,
            path,
            pending: None,
            took: Vec::new(),
        })
    }

    /// A key read at `at` changed the screen; its frame is next.
    pub fn key(&mut self, at: Instant) {
        self.pending.get_or_insert(at);
    }

    /// A frame was written: it answers the keys pending.
    pub fn drawn(&mut self) {
        if let Some(at) = self.pending.take()
            && self.took.len() < MAX_KEYS
        {
            self.took.push(at.elapsed());
        }
    }

    /// Writes the trace; an error says where, for the screen's last words.
    pub fn finish(mut self) -> Result<(), String> {
        let mut text = String::with_capacity(self.took.len() * 8);
        for took in &self.took {
            text.push_str(&took.as_micros().to_string());
            text.push('\n');
        }
        self.file.write_all(text.as_bytes()).map_err(|e| {
            format!(
                "{VARIABLE}: cannot write {} ({e})",
                crate::terminal_text::one_line(&self.path.display().to_string())
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(dir: &std::path::Path) -> KeyTrace {
        KeyTrace::create(dir.join("trace")).unwrap()
    }

    #[test]
    fn a_frame_answers_the_oldest_pending_key_and_a_frame_without_a_key_counts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = trace(dir.path());
        t.drawn();
        assert!(t.took.is_empty(), "a frame no key asked for");
        let first = Instant::now() - Duration::from_millis(50);
        t.key(first);
        t.key(Instant::now());
        t.drawn();
        assert_eq!(t.took.len(), 1, "two keys, one frame: one answer");
        assert!(
            t.took[0] >= Duration::from_millis(50),
            "timed from the first"
        );
        t.drawn();
        assert_eq!(t.took.len(), 1);
        t.finish().unwrap();
        let written = std::fs::read_to_string(dir.path().join("trace")).unwrap();
        let micros: Vec<u128> = written.lines().map(|l| l.parse().unwrap()).collect();
        assert_eq!(micros.len(), 1);
        assert!(micros[0] >= 50_000, "{written}");
    }

    #[test]
    fn an_existing_file_or_a_planted_link_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept");
        std::fs::write(&kept, "precious").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&kept, &link).unwrap();
        for path in [&kept, &link] {
            let refused = KeyTrace::create(path.clone()).unwrap_err();
            assert!(refused.contains("must be a new file"), "{refused}");
        }
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "precious");
    }
}
