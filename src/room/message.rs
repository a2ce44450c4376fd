//! What the facilitator and the followers say to each other (JSON in
//! [`super::frame::KIND_MESSAGE`] frames). A follower's messages are few and
//! small; everything it sends is checked by the facilitator before use.

use serde::{Deserialize, Serialize};

use crate::domain::vote::{Asked, Ballot};
use crate::domain::{AssetId, Change, FailureModeId};

/// Facilitator to follower.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ToFollower {
    /// The first message: who holds the session, and who the follower is as the
    /// facilitator's kernel reports it (the name votes are recorded under).
    Welcome {
        protocol: u32,
        facilitator: String,
        you: String,
    },
    /// Changes applied to the session since the snapshot, in order.
    Changes { changes: Vec<Change> },
    /// What the facilitator shows now.
    View(ViewState),
    /// The vote round, as followers may see it (`None`: no round open).
    Vote { round: Option<RoundView> },
    /// The facilitator answers a ballot ("counted", or why not).
    Ballot { accepted: bool, text: String },
    /// The facilitator is going (quit, or this follower is dropped).
    Bye { reason: String },
}

/// Follower to facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum FromFollower {
    Hello {
        protocol: u32,
    },
    /// A ballot for round `round` (replaces an earlier one until the reveal).
    Cast {
        round: u64,
        ballot: Ballot,
    },
}

/// The facilitator's screen, as much as a follower needs to show the same thing.
/// `view` is a name, not an enum, so a follower built before a new view existed
/// shows the workshop view instead of refusing the message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ViewState {
    /// "workshop", "treatment", "history", "cycles", "matrix", "focus", …
    pub view: String,
    /// Which pane has the keys: "assets" or "failure_modes".
    pub focus: String,
    pub asset: Option<AssetId>,
    pub failure_mode: Option<FailureModeId>,
}

/// A vote round as every follower sees it: what is asked, how many voted, and
/// after the reveal the tallies (with names only when the session says so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    /// Numbers rounds within one facilitator's run, so a late ballot for a closed
    /// round is not counted in the next.
    pub id: u64,
    pub failure_mode: FailureModeId,
    pub asked: Asked,
    /// How many have voted, and how many followers are connected (plus proxies).
    pub voted: u32,
    pub expected: u32,
    /// After the reveal: each ballot, with its voter's name when the session names
    /// voters on screen (else `None`).
    pub revealed: Option<Vec<(Option<String>, Ballot)>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_as_written() {
        let messages = vec![
            ToFollower::Welcome {
                protocol: 1,
                facilitator: "ana".into(),
                you: "bo".into(),
            },
            ToFollower::View(ViewState {
                view: "workshop".into(),
                focus: "failure_modes".into(),
                asset: None,
                failure_mode: Some(FailureModeId(7)),
            }),
            ToFollower::Vote {
                round: Some(RoundView {
                    id: 3,
                    failure_mode: FailureModeId(7),
                    asked: Asked::ALL,
                    voted: 1,
                    expected: 3,
                    revealed: Some(vec![(
                        None,
                        Ballot {
                            severity: Some(4),
                            ..Ballot::default()
                        },
                    )]),
                }),
            },
            ToFollower::Changes {
                changes: vec![Change::RemoveFailureMode(FailureModeId(2))],
            },
        ];
        for message in messages {
            let json = serde_json::to_vec(&message).unwrap();
            let back: ToFollower = serde_json::from_slice(&json).unwrap();
            assert_eq!(back, message);
        }
    }

    #[test]
    fn a_follower_message_with_unknown_fields_or_types_is_refused() {
        assert!(serde_json::from_str::<FromFollower>(r#"{"t":"hello","protocol":1}"#).is_ok());
        assert!(serde_json::from_str::<FromFollower>(r#"{"t":"delete_everything"}"#).is_err());
        assert!(
            serde_json::from_str::<FromFollower>(
                r#"{"t":"cast","round":1,"ballot":{"severity":"x"}}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<FromFollower>(
                r#"{"t":"cast","round":1,"ballot":{"severity":300}}"#
            )
            .is_err()
        );
    }
}
