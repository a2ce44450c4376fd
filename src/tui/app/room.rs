//! The room as the screen knows it: a facilitator's followers and vote round, or
//! a follower's facilitator, what it follows and its ballot. The connection
//! itself is the runtime's (`crate::room`); this is only state, changed by
//! `update` like every other.

use jiff::Timestamp;

use crate::domain::FailureModeId;
use crate::domain::vote::{Asked, Ballot, Round};
use crate::room::follow::Status;
use crate::room::server::FollowerId;
use crate::room::{RoundView, ViewState};

/// Who this screen is in the room.
#[derive(Debug, Clone, Default)]
pub enum Room {
    /// No room: a read-only window, the in-process tests, a single user.
    #[default]
    Closed,
    /// The facilitator, serving followers.
    Facilitating(Facilitating),
    /// A follower of the facilitator.
    Following(Following),
}

#[derive(Debug, Clone, Default)]
pub struct Facilitating {
    /// The facilitator's login name (who adopts a round's values).
    pub me: String,
    /// The followers connected, in the order they came.
    pub followers: Vec<(FollowerId, String)>,
    /// The vote round open on screen, if any.
    pub round: Option<OpenRound>,
    /// Rounds opened so far (the next one's number).
    pub rounds: u64,
}

/// A round the facilitator opened.
#[derive(Debug, Clone)]
pub struct OpenRound {
    pub id: u64,
    pub round: Round,
    /// Values the facilitator typed after the reveal (the room agreed on
    /// something other than the median).
    pub by_hand: Ballot,
    /// Which asked rating a digit sets (index into `round.asked.kinds()`).
    pub cursor: usize,
    /// A vote the facilitator is typing for someone in the room.
    pub proxy: Option<ProxyBallot>,
}

/// A ballot typed in for a participant without a terminal.
#[derive(Debug, Clone, Default)]
pub struct ProxyBallot {
    pub name: tui_input::Input,
    pub ballot: Ballot,
    /// 0: the name; 1..: the ratings asked.
    pub field: usize,
    /// A `1` just typed may become 10 with a `0`.
    pub pending_one: bool,
}

#[derive(Debug, Clone)]
pub struct Following {
    pub status: Status,
    /// Browsing freely: the facilitator's selection and view are not followed
    /// until `F`.
    pub browsing: bool,
    /// The facilitator's view as last heard.
    pub view: ViewState,
    /// The round as the facilitator shows it to followers.
    pub round: Option<RoundView>,
    /// This follower's ballot as typed (per round).
    pub ballot: Ballot,
    /// Which asked rating the next digit sets.
    pub cursor: usize,
    /// The ballot as last sent, and what the facilitator answered.
    pub sent: Option<Ballot>,
    pub answer: Option<String>,
    /// A `1` typed into a 1-10 rating waits for a `0` (SPEC 3).
    pub pending_one: bool,
}

impl Following {
    pub fn new() -> Following {
        Following {
            status: Status::Nobody,
            browsing: false,
            view: ViewState::default(),
            round: None,
            ballot: Ballot::default(),
            cursor: 0,
            sent: None,
            answer: None,
            pending_one: false,
        }
    }

    /// The facilitator's name, once known.
    pub fn facilitator(&self) -> Option<&str> {
        match &self.status {
            Status::Live { facilitator, .. } | Status::Gone { facilitator, .. } => {
                Some(facilitator)
            }
            Status::Nobody | Status::Refused(_) => None,
        }
    }

    pub fn is_live(&self) -> bool {
        matches!(self.status, Status::Live { .. })
    }

    /// "ana gone since 10:42" in the time zone of this screen.
    pub fn gone_since(since: Timestamp) -> String {
        since
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%H:%M")
            .to_string()
    }
}

impl Default for Following {
    fn default() -> Self {
        Following::new()
    }
}

impl OpenRound {
    pub fn new(id: u64, failure_mode: FailureModeId, asked: Asked, now: Timestamp) -> OpenRound {
        OpenRound {
            id,
            round: Round::open(failure_mode, asked, now),
            by_hand: Ballot::default(),
            cursor: 0,
            proxy: None,
        }
    }

    /// What Enter adopts: the medians, with what the facilitator typed over them.
    pub fn agreed(&self) -> Ballot {
        let mut agreed = self.round.medians();
        for kind in self.round.asked.kinds() {
            if let Some(value) = self.by_hand.get(kind) {
                agreed.set(kind, Some(value));
            }
        }
        agreed
    }

    /// The round as followers see it: how many voted, and after the reveal the
    /// ballots (named when `names` says so).
    pub fn view(&self, expected: usize, names: bool) -> RoundView {
        let voted = self.round.ballots.len();
        RoundView {
            id: self.id,
            failure_mode: self.round.failure_mode,
            asked: self.round.asked,
            voted: u32::try_from(voted).unwrap_or(u32::MAX),
            expected: u32::try_from(expected.max(voted)).unwrap_or(u32::MAX),
            revealed: self.round.revealed.then(|| {
                self.round
                    .ballots
                    .iter()
                    .map(|(voter, ballot)| (names.then(|| voter.describe()), *ballot))
                    .collect()
            }),
        }
    }
}
