//! Blind rating votes (SPEC 9.2): everyone in the room gives their own severity,
//! occurrence or detection for one failure mode without seeing the others'; the
//! reveal shows the spread, and the room adopts the medians or agrees a value.
//!
//! This is the arithmetic of a round: who voted what, the tally per rating
//! (distribution, min, median, max), the spread that needs a discussion, and the
//! record a round leaves in the session. Who may vote and how votes travel are the
//! screen's and the room connection's business.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ids::FailureModeId;
use super::log::{Event, VoteCast};
use super::rating::RatingKind;

/// A spread (max - min) of this much or more is flagged for discussion.
pub const DISCUSS_SPREAD: u8 = 3;

/// The most voters a round takes (a room, not a crowd; bounds what a peer can grow).
pub const MAX_VOTERS: usize = 200;

/// Which of S, O, D a round asks for, in S, O, D order, each at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Asked {
    pub severity: bool,
    pub occurrence: bool,
    pub detection: bool,
}

impl Asked {
    pub const ALL: Asked = Asked {
        severity: true,
        occurrence: true,
        detection: true,
    };

    /// Only `kind` (one of S, O, D); `None` for an asset rating.
    pub fn only(kind: RatingKind) -> Option<Asked> {
        let mut asked = Asked {
            severity: false,
            occurrence: false,
            detection: false,
        };
        match kind {
            RatingKind::Severity => asked.severity = true,
            RatingKind::Occurrence => asked.occurrence = true,
            RatingKind::Detection => asked.detection = true,
            _ => return None,
        }
        Some(asked)
    }

    pub fn contains(self, kind: RatingKind) -> bool {
        match kind {
            RatingKind::Severity => self.severity,
            RatingKind::Occurrence => self.occurrence,
            RatingKind::Detection => self.detection,
            _ => false,
        }
    }

    /// The ratings asked, in S, O, D order.
    pub fn kinds(self) -> Vec<RatingKind> {
        RatingKind::FAILURE_MODE
            .into_iter()
            .filter(|k| self.contains(*k))
            .collect()
    }

    /// "S, O and D", "O".
    pub fn describe(self) -> String {
        let letters: Vec<String> = self
            .kinds()
            .iter()
            .map(|k| k.letter().to_string())
            .collect();
        match letters.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

/// One voter's ratings; `None` where a rating asked was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ballot {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<u8>,
}

/// Why a ballot cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotError {
    /// A rating outside 1-10.
    OutOfScale(RatingKind, u8),
    /// A rating the round does not ask for.
    NotAsked(RatingKind),
    /// Not one rating that the round asks for.
    Empty,
    /// The round is full.
    TooManyVoters,
    /// The votes are revealed: no more changes.
    Revealed,
}

impl std::fmt::Display for BallotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BallotError::OutOfScale(kind, value) => {
                write!(f, "{} {value} is not on the scale 1-10", kind.name())
            }
            BallotError::NotAsked(kind) => write!(f, "{} is not asked in this vote", kind.name()),
            BallotError::Empty => write!(f, "the vote holds none of the ratings asked"),
            BallotError::TooManyVoters => {
                write!(f, "the vote is full ({MAX_VOTERS} voters)")
            }
            BallotError::Revealed => write!(f, "the votes are revealed; no more changes"),
        }
    }
}

impl Ballot {
    pub fn get(&self, kind: RatingKind) -> Option<u8> {
        match kind {
            RatingKind::Severity => self.severity,
            RatingKind::Occurrence => self.occurrence,
            RatingKind::Detection => self.detection,
            _ => None,
        }
    }

    pub fn set(&mut self, kind: RatingKind, value: Option<u8>) {
        match kind {
            RatingKind::Severity => self.severity = value,
            RatingKind::Occurrence => self.occurrence = value,
            RatingKind::Detection => self.detection = value,
            _ => {}
        }
    }

    /// Checks the ballot against what the round asks: every value on the scale,
    /// nothing that was not asked, at least one rating.
    pub fn check(&self, asked: Asked) -> Result<(), BallotError> {
        let mut any = false;
        for kind in RatingKind::FAILURE_MODE {
            if let Some(value) = self.get(kind) {
                if !asked.contains(kind) {
                    return Err(BallotError::NotAsked(kind));
                }
                if !(1..=10).contains(&value) {
                    return Err(BallotError::OutOfScale(kind, value));
                }
                any = true;
            }
        }
        if any { Ok(()) } else { Err(BallotError::Empty) }
    }

    /// Whether every rating asked is given.
    pub fn is_complete(&self, asked: Asked) -> bool {
        asked.kinds().iter().all(|k| self.get(*k).is_some())
    }
}

/// Who cast a ballot: the Unix user of a follower, or a participant in the room
/// whose vote the facilitator typed in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Voter {
    /// The login name of the follower's process owner (from the operating system).
    User(String),
    /// A participant without a terminal; the facilitator entered the vote.
    Proxy(String),
}

impl Voter {
    pub fn name(&self) -> &str {
        match self {
            Voter::User(name) | Voter::Proxy(name) => name,
        }
    }

    /// "ana", "Mr Lee (entered by the facilitator)".
    pub fn describe(&self) -> String {
        match self {
            Voter::User(name) => name.clone(),
            Voter::Proxy(name) => format!("{name} (entered by the facilitator)"),
        }
    }
}

/// The tally of one rating after the reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub kind: RatingKind,
    /// `counts[v - 1]`: how many voted `v`.
    pub counts: [u32; 10],
    pub min: u8,
    pub median: u8,
    pub max: u8,
}

impl Tally {
    /// The tally of `values` (each 1-10); `None` when nobody gave this rating.
    pub fn of(kind: RatingKind, values: &[u8]) -> Option<Tally> {
        let mut sorted: Vec<u8> = values
            .iter()
            .copied()
            .filter(|v| (1..=10).contains(v))
            .collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_unstable();
        let mut counts = [0u32; 10];
        for v in &sorted {
            counts[usize::from(*v - 1)] += 1;
        }
        Some(Tally {
            kind,
            counts,
            min: sorted[0],
            median: median_half_up(&sorted),
            max: sorted[sorted.len() - 1],
        })
    }

    pub fn voters(&self) -> u32 {
        self.counts.iter().sum()
    }

    pub fn spread(&self) -> u8 {
        self.max - self.min
    }

    /// The room should talk before agreeing: "discuss: 2 vs 8".
    pub fn needs_discussion(&self) -> bool {
        self.spread() >= DISCUSS_SPREAD
    }
}

/// The median of sorted ratings; between two middle values, the mean with a half
/// rounded up (3 and 4 give 4; 2 and 8 give 5).
pub fn median_half_up(sorted: &[u8]) -> u8 {
    let n = sorted.len();
    if n == 0 {
        return 0;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        let sum = u16::from(sorted[n / 2 - 1]) + u16::from(sorted[n / 2]);
        // (a + b + 1) / 2 is the mean with .5 rounded up; both are at most 10.
        u8::try_from(sum.div_ceil(2)).unwrap_or(u8::MAX)
    }
}

/// A round in progress: asked on one failure mode, ballots coming in, hidden until
/// the reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub failure_mode: FailureModeId,
    pub asked: Asked,
    pub opened: Timestamp,
    pub ballots: BTreeMap<Voter, Ballot>,
    pub revealed: bool,
}

impl Round {
    pub fn open(failure_mode: FailureModeId, asked: Asked, opened: Timestamp) -> Round {
        Round {
            failure_mode,
            asked,
            opened,
            ballots: BTreeMap::new(),
            revealed: false,
        }
    }

    /// Takes or replaces a voter's ballot (a voter may change it until the reveal).
    pub fn cast(&mut self, voter: Voter, ballot: Ballot) -> Result<(), BallotError> {
        if self.revealed {
            return Err(BallotError::Revealed);
        }
        ballot.check(self.asked)?;
        if !self.ballots.contains_key(&voter) && self.ballots.len() >= MAX_VOTERS {
            return Err(BallotError::TooManyVoters);
        }
        self.ballots.insert(voter, ballot);
        Ok(())
    }

    /// Who has voted, by name, without their values.
    pub fn voters(&self) -> Vec<&Voter> {
        self.ballots.keys().collect()
    }

    /// The tallies of the ratings asked, in S, O, D order (a rating nobody gave
    /// has none).
    pub fn tallies(&self) -> Vec<Tally> {
        self.asked
            .kinds()
            .into_iter()
            .filter_map(|kind| {
                let values: Vec<u8> = self.ballots.values().filter_map(|b| b.get(kind)).collect();
                Tally::of(kind, &values)
            })
            .collect()
    }

    /// The medians of the ratings asked, as a ballot (what Enter adopts).
    pub fn medians(&self) -> Ballot {
        let mut ballot = Ballot::default();
        for tally in self.tallies() {
            ballot.set(tally.kind, Some(tally.median));
        }
        ballot
    }

    /// What the decision log keeps of the round once the room agreed
    /// `agreed` (typed by the facilitator when `by_hand`), adopted by `by`:
    /// every ballot with its voter, and the values agreed for the ratings asked.
    pub fn record(&self, agreed: Ballot, by_hand: bool, by: String) -> Event {
        let only_asked = |kind: RatingKind| {
            if self.asked.contains(kind) {
                agreed.get(kind)
            } else {
                None
            }
        };
        Event::Vote {
            fm: self.failure_mode,
            opened: self.opened,
            votes: self
                .ballots
                .iter()
                .map(|(voter, ballot)| VoteCast {
                    voter: voter.name().to_owned(),
                    proxy: matches!(voter, Voter::Proxy(_)),
                    severity: ballot.severity,
                    occurrence: ballot.occurrence,
                    detection: ballot.detection,
                })
                .collect(),
            severity: only_asked(RatingKind::Severity),
            occurrence: only_asked(RatingKind::Occurrence),
            detection: only_asked(RatingKind::Detection),
            by_hand,
            by,
        }
    }
}

/// The tallies of a round as the log keeps it (for the minutes): one per rating
/// agreed, over the votes cast for it.
pub fn logged_tallies(votes: &[VoteCast], agreed: [Option<u8>; 3]) -> Vec<Tally> {
    RatingKind::FAILURE_MODE
        .into_iter()
        .zip(agreed)
        .filter(|(_, value)| value.is_some())
        .filter_map(|(kind, _)| {
            let values: Vec<u8> = votes
                .iter()
                .filter_map(|v| match kind {
                    RatingKind::Severity => v.severity,
                    RatingKind::Occurrence => v.occurrence,
                    _ => v.detection,
                })
                .collect();
            Tally::of(kind, &values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts() -> Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn sod(s: u8, o: u8, d: u8) -> Ballot {
        Ballot {
            severity: Some(s),
            occurrence: Some(o),
            detection: Some(d),
        }
    }

    #[test]
    fn median_of_odd_counts_is_the_middle_value() {
        assert_eq!(median_half_up(&[7]), 7);
        assert_eq!(median_half_up(&[2, 5, 9]), 5);
        assert_eq!(median_half_up(&[1, 1, 10, 10, 10]), 10);
    }

    #[test]
    fn median_of_even_counts_rounds_a_half_up() {
        assert_eq!(median_half_up(&[3, 4]), 4);
        assert_eq!(median_half_up(&[2, 8]), 5);
        assert_eq!(median_half_up(&[6, 6]), 6);
        assert_eq!(median_half_up(&[1, 2, 3, 4]), 3); // 2.5 -> 3
        assert_eq!(median_half_up(&[9, 10]), 10);
        assert_eq!(median_half_up(&[1, 2]), 2);
    }

    #[test]
    fn median_half_up_for_every_pair() {
        for a in 1..=10u8 {
            for b in a..=10u8 {
                let expected = (f64::from(a) + f64::from(b)) / 2.0;
                assert_eq!(
                    f64::from(median_half_up(&[a, b])),
                    (expected + 0.5).floor(),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn tally_counts_min_max_and_flags_a_spread_of_three() {
        let t = Tally::of(RatingKind::Severity, &[2, 8, 5, 5]).unwrap();
        assert_eq!(t.counts, [0, 1, 0, 0, 2, 0, 0, 1, 0, 0]);
        assert_eq!((t.min, t.median, t.max), (2, 5, 8));
        assert_eq!(t.voters(), 4);
        assert!(t.needs_discussion());
        let close = Tally::of(RatingKind::Severity, &[4, 6, 5]).unwrap();
        assert_eq!(close.spread(), 2);
        assert!(!close.needs_discussion());
        let edge = Tally::of(RatingKind::Severity, &[4, 7]).unwrap();
        assert!(edge.needs_discussion());
        assert_eq!(Tally::of(RatingKind::Severity, &[]), None);
    }

    #[test]
    fn ballots_are_checked_against_the_round() {
        let only_o = Asked::only(RatingKind::Occurrence).unwrap();
        assert_eq!(
            sod(1, 2, 3).check(only_o),
            Err(BallotError::NotAsked(RatingKind::Severity))
        );
        let o = Ballot {
            occurrence: Some(11),
            ..Ballot::default()
        };
        assert_eq!(
            o.check(only_o),
            Err(BallotError::OutOfScale(RatingKind::Occurrence, 11))
        );
        let zero = Ballot {
            occurrence: Some(0),
            ..Ballot::default()
        };
        assert_eq!(
            zero.check(only_o),
            Err(BallotError::OutOfScale(RatingKind::Occurrence, 0))
        );
        assert_eq!(Ballot::default().check(only_o), Err(BallotError::Empty));
        let ok = Ballot {
            occurrence: Some(10),
            ..Ballot::default()
        };
        assert_eq!(ok.check(only_o), Ok(()));
        assert!(ok.is_complete(only_o));
        assert!(!ok.is_complete(Asked::ALL));
        assert_eq!(Asked::only(RatingKind::Integrity), None);
    }

    #[test]
    fn asked_describes_itself_in_words() {
        assert_eq!(Asked::ALL.describe(), "S, O and D");
        assert_eq!(Asked::only(RatingKind::Detection).unwrap().describe(), "D");
        let so = Asked {
            detection: false,
            ..Asked::ALL
        };
        assert_eq!(so.describe(), "S and O");
    }

    #[test]
    fn a_voter_may_change_the_vote_until_the_reveal() {
        let mut round = Round::open(FailureModeId(3), Asked::ALL, ts());
        round.cast(Voter::User("ana".into()), sod(2, 2, 2)).unwrap();
        round.cast(Voter::User("ana".into()), sod(8, 8, 8)).unwrap();
        round
            .cast(Voter::Proxy("Mr Lee".into()), sod(4, 5, 6))
            .unwrap();
        assert_eq!(round.voters().len(), 2);
        round.revealed = true;
        assert_eq!(
            round.cast(Voter::User("ana".into()), sod(1, 1, 1)),
            Err(BallotError::Revealed)
        );
        let medians = round.medians();
        assert_eq!(medians, sod(6, 7, 7)); // (8+4)/2, (8+5)/2 = 6.5 -> 7, (8+6)/2
    }

    #[test]
    fn a_round_takes_at_most_max_voters() {
        let mut round = Round::open(FailureModeId(1), Asked::ALL, ts());
        for i in 0..MAX_VOTERS {
            round
                .cast(Voter::User(format!("u{i}")), sod(5, 5, 5))
                .unwrap();
        }
        assert_eq!(
            round.cast(Voter::User("late".into()), sod(5, 5, 5)),
            Err(BallotError::TooManyVoters)
        );
        // One already in may still change theirs.
        round.cast(Voter::User("u0".into()), sod(6, 6, 6)).unwrap();
    }

    #[test]
    fn medians_cover_only_what_was_given() {
        let mut round = Round::open(FailureModeId(1), Asked::ALL, ts());
        round
            .cast(
                Voter::User("ana".into()),
                Ballot {
                    severity: Some(7),
                    ..Ballot::default()
                },
            )
            .unwrap();
        let medians = round.medians();
        assert_eq!(medians.severity, Some(7));
        assert_eq!(medians.occurrence, None);
        assert_eq!(round.tallies().len(), 1);
    }

    #[test]
    fn the_record_keeps_every_ballot_with_its_voter_and_only_the_ratings_asked() {
        let mut round = Round::open(FailureModeId(9), Asked::ALL, ts());
        round.cast(Voter::User("bo".into()), sod(2, 3, 4)).unwrap();
        round.cast(Voter::User("ana".into()), sod(8, 3, 4)).unwrap();
        round
            .cast(Voter::Proxy("Mr Lee".into()), sod(9, 3, 4))
            .unwrap();
        let Event::Vote {
            fm,
            votes,
            severity,
            occurrence,
            detection,
            by_hand,
            by,
            ..
        } = round.record(round.medians(), false, "fac".into())
        else {
            panic!("a vote round records a Vote");
        };
        assert_eq!(fm, FailureModeId(9));
        let voters: Vec<(&str, bool)> = votes.iter().map(|v| (v.voter.as_str(), v.proxy)).collect();
        assert_eq!(voters, [("ana", false), ("bo", false), ("Mr Lee", true)]);
        assert_eq!(
            (severity, occurrence, detection),
            (Some(8), Some(3), Some(4))
        );
        assert!(!by_hand);
        assert_eq!(by, "fac");
        let tallies = logged_tallies(&votes, [severity, occurrence, detection]);
        assert_eq!(tallies, round.tallies());

        let mut only_s = Round::open(
            FailureModeId(9),
            Asked::only(RatingKind::Severity).unwrap(),
            ts(),
        );
        only_s
            .cast(
                Voter::User("bo".into()),
                Ballot {
                    severity: Some(2),
                    ..Ballot::default()
                },
            )
            .unwrap();
        let Event::Vote {
            severity,
            occurrence,
            detection,
            ..
        } = only_s.record(sod(6, 6, 6), true, "fac".into())
        else {
            panic!("a vote round records a Vote");
        };
        assert_eq!((severity, occurrence, detection), (Some(6), None, None));
    }
}
