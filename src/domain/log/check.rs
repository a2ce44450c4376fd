//! What `check` says about a decision log that was edited by hand or merged
//! badly. None of it stops a session from loading: the log is kept as it is,
//! nothing in it is dropped or reordered, and each finding names the entry.

use std::collections::HashSet;
use std::fmt;

use jiff::Timestamp;

use super::{Event, LogEntry};
use crate::domain::session::Session;

/// A finding about one entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogProblem {
    /// The entry's place in the log, from 1.
    pub entry: usize,
    pub at: Timestamp,
    pub message: String,
}

impl fmt::Display for LogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "log entry {} ({}): {}",
            self.entry, self.at, self.message
        )
    }
}

/// Every finding, in log order: an entry out of time order (earlier than the
/// entry before it, leaving out entries dated in the future), dated after
/// `now`, in a cycle the session has not reached, naming someone who is not a
/// participant (nor one the log says was taken off the list), or withdrawing
/// an entry the log does not hold.
pub fn check_log(session: &Session, now: Timestamp) -> Vec<LogProblem> {
    let mut problems = Vec::new();
    // Someone the log says was taken off the list was a participant: entries
    // before that name them rightly, and their sign-offs stay theirs.
    let former: HashSet<&str> = session
        .log
        .iter()
        .filter_map(|e| match &e.event {
            Event::ParticipantRemoved { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // The last entry not dated in the future, with its place: one entry with
    // a wrong clock is reported once, not again for every entry after it.
    let mut previous: Option<(usize, &LogEntry)> = None;
    for (i, entry) in session.log.iter().enumerate() {
        let mut say = |message: String| {
            problems.push(LogProblem {
                entry: i + 1,
                at: entry.at,
                message,
            });
        };
        if let Some((place, previous)) = previous
            && entry.at < previous.at
        {
            say(format!(
                "out of order: recorded before entry {place} ({})",
                previous.at
            ));
        }
        if entry.at > now {
            say(format!("dated in the future (it is now {now})"));
        }
        if entry.cycle > session.pdca.cycle || entry.cycle == 0 {
            say(format!(
                "names cycle {} but the session is in cycle {}",
                entry.cycle, session.pdca.cycle
            ));
        }
        let known = |name: &str| session.participant(name).is_some() || former.contains(name);
        for name in &entry.present {
            if !known(name) {
                say(format!(
                    "{name:?} is named present but is not a participant"
                ));
            }
        }
        match &entry.event {
            Event::SignedOff { sign_off, .. } if !known(&sign_off.by) => {
                say(format!(
                    "signed off by {:?}, who is not a participant",
                    sign_off.by
                ));
            }
            Event::Withdrawn { at, event } => {
                let earlier = &session.log[..i];
                if !earlier.iter().any(|e| e.at == *at && e.event == **event) {
                    say(format!(
                        "withdraws an entry of {at} that is not in the log before it"
                    ));
                }
            }
            _ => {}
        }
        if entry.at <= now {
            previous = Some((i + 1, entry));
        }
    }
    problems
}
