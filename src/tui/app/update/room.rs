//! The room: blind rating votes and following the facilitator.
//!
//! - `v` in the tables (Context::Normal): the facilitator opens a round on the
//!   selected failure mode; a follower opens its ballot. `F`: a follower that
//!   browsed freely follows the facilitator again.
//! - Context::Vote (the facilitator's round): `v` reveals, Enter adopts, digits
//!   set an agreed value by hand, `n` types a vote for someone in the room, Esc
//!   closes the round without a change.
//! - Context::Ballot (a follower's ballot): digits, Enter sends, Esc hides.
//! - What the room reports (`Outcome::Room`, `Outcome::Followed`) lands here too.

use super::super::room::{Facilitating, Following, OpenRound, ProxyBallot, Room};
use super::super::{App, Effect, Mode};
use super::commit;
use crate::domain::vote::{Asked, Ballot, Voter};
use crate::domain::{Change, RatingKind};
use crate::room::client::FromRoom;
use crate::room::follow::{Followed, Status};
use crate::room::server::RoomEvent;
use crate::room::{RoundView, ToFollower, ViewState};
use crate::tui::action::Action;
use crate::tui::pane::Pane;

/// `v` in the tables.
pub(super) fn vote(app: &mut App) {
    match &app.room {
        Room::Following(_) => open_ballot(app),
        Room::Facilitating(_) => open_round(app),
        Room::Closed => {
            let why = match app.read_only.as_deref() {
                Some(reason) => format!("no vote in a read-only window ({reason})"),
                None => {
                    "votes need the room: riskroom serves followers when it holds the session file"
                        .into()
                }
            };
            app.error(why);
        }
    }
}

fn open_round(app: &mut App) {
    if super::refuse_if_read_only(app) {
        return;
    }
    if app.focus != Pane::FailureModes || app.treatment_view {
        app.error("a vote is on a failure mode: select one in the workshop view (Tab, t)");
        return;
    }
    let Some(fm) = app.selected_failure_mode() else {
        app.error("no failure mode selected");
        return;
    };
    let id = fm.id;
    // On S, O or D the round asks that rating only; elsewhere all three.
    let asked = app
        .failure_modes
        .column
        .rating()
        .and_then(Asked::only)
        .unwrap_or(Asked::ALL);
    let now = app.clock.now();
    let Room::Facilitating(room) = &mut app.room else {
        return;
    };
    room.rounds += 1;
    room.round = Some(OpenRound::new(room.rounds, id, asked, now));
    let followers = room.followers.len();
    app.mode = Mode::Vote;
    app.info(format!(
        "vote on {id} ({}) open: {followers} following; v reveals",
        asked.describe()
    ));
}

/// The facilitator's round dialog.
pub(super) fn round(app: &mut App, action: Action) {
    if action == Action::NameVoters {
        let on = !app.session.name_voters;
        let label = if on {
            "voters named at a reveal"
        } else {
            "voters anonymous at a reveal"
        };
        super::commit(app, Change::SetNameVoters(on), label.into());
        app.info(format!("{label} in this session (u undoes)"));
        return;
    }
    let Room::Facilitating(room) = &mut app.room else {
        app.mode = Mode::Normal;
        return;
    };
    let Some(open) = &mut room.round else {
        app.mode = Mode::Normal;
        return;
    };
    let kinds = open.round.asked.kinds();
    match action {
        Action::Vote => {
            if open.round.revealed {
                app.info("the votes are shown: Enter adopts, a digit sets a value, Esc closes");
            } else if open.round.ballots.is_empty() {
                app.error("nobody has voted yet; the round stays open");
            } else {
                open.round.revealed = true;
                let n = open.round.ballots.len();
                app.info(format!(
                    "{n} vote{} revealed: Enter adopts the medians, a digit sets a value by hand",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        Action::Rate(digit) if open.round.revealed => {
            let kind = kinds[open.cursor.min(kinds.len() - 1)];
            let value = if digit == 0 { 10 } else { digit };
            // "1" then "0" is 10 here too: a 1 on a 10 already typed as 1 becomes 10.
            let value = match (open.by_hand.get(kind), digit) {
                (Some(1), 0) => 10,
                _ => value,
            };
            open.by_hand.set(kind, Some(value));
            if value != 1 && open.cursor + 1 < kinds.len() {
                open.cursor += 1;
            }
            app.info(format!("agreed {} {value} (Enter adopts)", kind.name()));
        }
        Action::Rate(_) => app.error("the votes are hidden until v reveals them"),
        Action::Left | Action::PreviousField => open.cursor = open.cursor.saturating_sub(1),
        Action::Right | Action::NextField => {
            open.cursor = (open.cursor + 1).min(kinds.len() - 1);
        }
        Action::ProxyVote => {
            if open.round.revealed {
                app.error("the votes are revealed; no more votes in this round");
            } else {
                open.proxy = Some(ProxyBallot::default());
                app.mode = Mode::Proxy;
            }
        }
        Action::Submit if !open.round.revealed => {
            app.error("reveal the votes first (v); Esc closes the round without a change");
        }
        Action::Submit => adopt(app),
        Action::Cancel => {
            room.round = None;
            app.mode = Mode::Normal;
            app.info("vote closed; nothing changed");
        }
        _ => {}
    }
}

/// Enter after the reveal: the agreed values become the failure mode's ratings,
/// one undoable step.
fn adopt(app: &mut App) {
    let Room::Facilitating(room) = &mut app.room else {
        return;
    };
    let Some(open) = room.round.take() else {
        return;
    };
    let room_me = room.me.clone();
    app.mode = Mode::Normal;
    let agreed = open.agreed();
    let id = open.round.failure_mode;
    let Some(mut fm) = app.session.failure_mode(id).cloned() else {
        app.error(format!("{id} is gone; nothing adopted"));
        return;
    };
    let mut said = Vec::new();
    for kind in open.round.asked.kinds() {
        if let Some(value) = agreed.get(kind) {
            let _ = fm.set_rating(kind, value);
            said.push(format!("{} {value}", kind.letter()));
        }
    }
    let rpn = fm.rpn();
    // The ratings and the round's record in one step: an undo puts the
    // ratings back and withdraws the record (the log keeps both entries).
    let by_hand = open
        .round
        .asked
        .kinds()
        .iter()
        .any(|k| open.by_hand.get(*k).is_some());
    let record = open.round.record(agreed, by_hand, room_me);
    let logged = app.session.log_change(app.clock.now(), record);
    commit(
        app,
        Change::Batch(vec![Change::PutFailureMode(fm), logged]),
        format!("ratings of {id} agreed in a vote"),
    );
    app.failure_modes.select_id(id);
    app.clamp_views();
    app.info(format!(
        "{id}: {} agreed, RPN {rpn} (u undoes)",
        said.join(" ")
    ));
}

/// `n` in the round: a vote typed in for a participant without a terminal.
/// Field 0 is the name; then one field per rating asked, where digits rate.
pub(super) fn proxy(app: &mut App, action: Action) {
    let Room::Facilitating(Facilitating {
        round: Some(open), ..
    }) = &mut app.room
    else {
        app.mode = Mode::Normal;
        return;
    };
    let kinds = open.round.asked.kinds();
    let Some(draft) = &mut open.proxy else {
        app.mode = Mode::Vote;
        return;
    };
    match action {
        Action::Cancel => {
            open.proxy = None;
            app.mode = Mode::Vote;
        }
        Action::NextField => draft.field = (draft.field + 1).min(kinds.len()),
        Action::PreviousField => draft.field = draft.field.saturating_sub(1),
        Action::Input(tui_input::InputRequest::InsertChar(c)) if draft.field >= 1 => {
            let Some(digit) = c.to_digit(10) else {
                app.error("digits rate here (0 = 10); Shift-Tab goes back to the name");
                return;
            };
            let kind = kinds[(draft.field - 1).min(kinds.len() - 1)];
            // 0 is 10, and a 1 followed by a 0 is 10 (SPEC 3).
            let value = match (draft.ballot.get(kind), digit) {
                (Some(1), 0) if draft.pending_one => 10,
                (_, 0) => 10,
                (_, d) => u8::try_from(d).unwrap_or(10),
            };
            draft.ballot.set(kind, Some(value));
            draft.pending_one = value == 1;
            if value != 1 && draft.field < kinds.len() {
                draft.field += 1;
            }
        }
        Action::Input(tui_input::InputRequest::DeletePrevChar) if draft.field >= 1 => {
            let kind = kinds[(draft.field - 1).min(kinds.len() - 1)];
            draft.ballot.set(kind, None);
            draft.pending_one = false;
        }
        Action::Input(request) if draft.field == 0 => {
            draft.name.handle(request);
        }
        Action::Submit => {
            let name = draft.name.value().trim().to_string();
            if name.is_empty() {
                app.error("whose vote is it? type their name first");
                return;
            }
            let ballot = draft.ballot;
            match open.round.cast(Voter::Proxy(name.clone()), ballot) {
                Ok(()) => {
                    open.proxy = None;
                    app.mode = Mode::Vote;
                    app.info(format!("vote of {name} counted (entered by you)"));
                }
                Err(e) => app.error(format!("not counted: {e}")),
            }
        }
        _ => {}
    }
}

/// A follower's `v`: its ballot for the round open now.
fn open_ballot(app: &mut App) {
    let Room::Following(following) = &app.room else {
        return;
    };
    if following.round.is_some() {
        app.mode = Mode::Ballot;
    } else {
        app.error("no vote is open; the facilitator opens one with v");
    }
}

/// A follower's ballot dialog.
pub(super) fn ballot(app: &mut App, action: Action) {
    let Room::Following(following) = &mut app.room else {
        app.mode = Mode::Normal;
        return;
    };
    let Some(round) = following.round.clone() else {
        app.mode = Mode::Normal;
        return;
    };
    let kinds = round.asked.kinds();
    match action {
        Action::Rate(_) | Action::Submit if round.revealed.is_some() => {
            app.error("the votes are revealed; the facilitator agrees the value now");
        }
        Action::Rate(digit) => {
            type_digit(following, &kinds, digit);
        }
        Action::Left | Action::PreviousField => {
            following.pending_one = false;
            following.cursor = following.cursor.saturating_sub(1);
        }
        Action::Right | Action::NextField => {
            following.pending_one = false;
            following.cursor = (following.cursor + 1).min(kinds.len() - 1);
        }
        Action::Input(tui_input::InputRequest::DeletePrevChar) => {
            following.pending_one = false;
            let kind = kinds[following.cursor.min(kinds.len() - 1)];
            following.ballot.set(kind, None);
        }
        Action::Submit => {
            following.pending_one = false;
            if let Err(e) = following.ballot.check(round.asked) {
                app.error(format!("not sent: {e}"));
                return;
            }
            let ballot = following.ballot;
            following.sent = Some(ballot);
            following.answer = None;
            app.effects.push(Effect::Cast {
                round: round.id,
                ballot,
            });
            app.info("sent; you can change it until the facilitator reveals the votes");
        }
        Action::Cancel => {
            following.pending_one = false;
            app.mode = Mode::Normal;
            app.info("ballot hidden; v opens it again");
        }
        _ => {}
    }
}

/// A digit into the ballot: 0 is 10, a 1 waits for a 0 (SPEC 3); the cursor
/// moves on to the next rating asked.
fn type_digit(following: &mut Following, kinds: &[RatingKind], digit: u8) {
    let at = following.cursor.min(kinds.len() - 1);
    if following.pending_one {
        following.pending_one = false;
        if digit == 0 {
            following.ballot.set(kinds[at], Some(10));
            following.cursor = (at + 1).min(kinds.len() - 1);
            return;
        }
        // The 1 stands; this digit goes to the next rating.
        following.cursor = (at + 1).min(kinds.len() - 1);
        if at + 1 >= kinds.len() {
            return;
        }
    }
    let at = following.cursor.min(kinds.len() - 1);
    let value = if digit == 0 { 10 } else { digit };
    following.ballot.set(kinds[at], Some(value));
    if digit == 1 {
        following.pending_one = true;
    } else {
        following.cursor = (at + 1).min(kinds.len() - 1);
    }
}

/// `F`: follow the facilitator again after browsing.
pub(super) fn follow_again(app: &mut App) {
    let Room::Following(following) = &mut app.room else {
        app.error("F follows the facilitator in `riskroom follow`");
        return;
    };
    following.browsing = false;
    let view = following.view.clone();
    apply_view(app, &view);
    app.info("following the facilitator again");
}

/// A follower moved on its own: it browses freely until `F`.
pub(super) fn browsing(app: &mut App) {
    if let Room::Following(following) = &mut app.room
        && !following.browsing
    {
        following.browsing = true;
    }
}

/// What the room tells the facilitator.
pub(super) fn room_event(app: &mut App, event: RoomEvent) {
    let Room::Facilitating(room) = &mut app.room else {
        return;
    };
    match event {
        RoomEvent::Joined { follower, name } => {
            room.followers.push((follower, name.clone()));
            let text = format!("{name} follows ({} following)", room.followers.len());
            app.info(text);
        }
        RoomEvent::Left {
            follower,
            name,
            why,
        } => {
            room.followers.retain(|(id, _)| *id != follower);
            let left = room.followers.len();
            match why {
                Some(why) => app.error(format!("{name} dropped: {why}")),
                None => app.info(format!("{name} left ({left} following)")),
            }
        }
        RoomEvent::Cast {
            follower,
            name,
            round,
            ballot,
        } => {
            let (accepted, text) = match &mut room.round {
                Some(open) if open.id == round => {
                    match open.round.cast(Voter::User(name), ballot) {
                        Ok(()) => (
                            true,
                            "counted; you can change it until the reveal".to_string(),
                        ),
                        Err(e) => (false, format!("not counted: {e}")),
                    }
                }
                _ => (false, "not counted: that vote is closed".to_string()),
            };
            app.effects.push(Effect::AnswerBallot {
                follower,
                accepted,
                text,
            });
        }
        RoomEvent::Refused(text) => app.error(text),
        // The runtime answers this one itself (a copy of the session).
        RoomEvent::NeedSnapshot => {}
    }
}

/// What the room tells a follower.
pub(super) fn followed(app: &mut App, item: Followed) {
    let Room::Following(following) = &mut app.room else {
        return;
    };
    match item {
        Followed::Status(status) => {
            let note = match &status {
                Status::Live { facilitator, .. } => format!("following {facilitator}, live"),
                Status::Gone {
                    facilitator, why, ..
                } => format!("{facilitator} has gone ({why}); the last state stays on screen"),
                Status::Nobody => "nobody has the session open: showing the saved file".to_string(),
                Status::Refused(why) => why.clone(),
            };
            let refused = matches!(status, Status::Refused(_));
            if !matches!(status, Status::Live { .. }) {
                following.round = None;
                if matches!(app.mode, Mode::Ballot) {
                    app.mode = Mode::Normal;
                }
            }
            following.status = status;
            if refused {
                app.error(note);
            } else {
                app.info(note);
            }
        }
        Followed::FileChanged => app.effects.push(Effect::Reload),
        Followed::Room(FromRoom::Snapshot(session)) => {
            app.session = *session;
            app.recount_flags();
            app.history.clear();
            app.order = crate::domain::ordering::RiskOrder::of(&app.session);
            app.rebuild_rows();
            super::scrolling::measure(app);
        }
        Followed::Room(FromRoom::Message(message)) => message_from_facilitator(app, message),
        Followed::Room(FromRoom::Gone(_)) => {}
    }
}

fn message_from_facilitator(app: &mut App, message: ToFollower) {
    let Room::Following(following) = &mut app.room else {
        return;
    };
    match message {
        ToFollower::Changes { changes } => {
            for change in changes {
                let touched = super::touched(&change);
                // As the facilitator recorded it: its log entries are in it.
                app.apply_received(change);
                super::refresh_after(app, touched.as_deref());
            }
            if let Mode::History { .. } | Mode::Cycles { .. } = app.mode {
                super::scrolling::measure(app);
            }
        }
        ToFollower::View(view) => {
            following.view = view.clone();
            if !following.browsing {
                apply_view(app, &view);
            }
        }
        ToFollower::Vote { round } => vote_from_facilitator(app, round),
        ToFollower::Ballot { accepted, text } => {
            following.answer = Some(text.clone());
            if accepted {
                app.info(text);
            } else {
                app.error(text);
            }
        }
        ToFollower::Welcome { .. } | ToFollower::Bye { .. } => {}
    }
}

fn vote_from_facilitator(app: &mut App, round: Option<RoundView>) {
    let Room::Following(following) = &mut app.room else {
        return;
    };
    let new = match (&following.round, &round) {
        (Some(old), Some(now)) => old.id != now.id,
        (None, Some(_)) => true,
        _ => false,
    };
    match &round {
        None if following.round.is_some() => {
            following.round = None;
            if matches!(app.mode, Mode::Ballot) {
                app.mode = Mode::Normal;
            }
            app.info("the vote is closed");
        }
        None => {}
        Some(now) => {
            following.round = round.clone();
            if new {
                following.ballot = Ballot::default();
                following.cursor = 0;
                following.sent = None;
                following.answer = None;
                following.pending_one = false;
                app.info(format!(
                    "vote on {} ({}): type your rating, Enter sends",
                    now.failure_mode,
                    now.asked.describe()
                ));
            }
            // A new round or the reveal shows the ballot over whatever is open,
            // except a help the follower is reading.
            if matches!(
                app.mode,
                Mode::Normal | Mode::History { .. } | Mode::Cycles { .. }
            ) {
                app.mode = Mode::Ballot;
            }
        }
    }
}

/// Shows what the facilitator shows: the same view and the same selection.
fn apply_view(app: &mut App, view: &ViewState) {
    // The follower's own help or ballot stays open; the view changes under it.
    let overlay = matches!(app.mode, Mode::Help { .. } | Mode::Ballot);
    app.treatment_view = view.view == "treatment";
    app.focus = if view.focus == "assets" {
        Pane::Assets
    } else {
        Pane::FailureModes
    };
    if let Some(id) = view.asset {
        app.assets.select_id(id);
    }
    if let Some(id) = view.failure_mode {
        app.failure_modes.select_id(id);
    }
    app.clamp_views();
    if !overlay {
        app.mode = match (view.view.as_str(), view.failure_mode) {
            ("history", Some(id)) => Mode::History {
                id,
                scroll: 0,
                max: 0,
            },
            ("cycles", _) => Mode::Cycles { scroll: 0, max: 0 },
            _ => Mode::Normal,
        };
        super::scrolling::measure(app);
    }
}

impl App {
    /// What this screen shows, for followers to show the same.
    pub fn view_state(&self) -> ViewState {
        let view = match &self.mode {
            Mode::History { .. } => "history",
            Mode::Cycles { .. } => "cycles",
            _ if self.treatment_view => "treatment",
            _ => "workshop",
        };
        let failure_mode = match &self.mode {
            Mode::History { id, .. } => Some(*id),
            _ => self.failure_modes.selected_id(),
        };
        ViewState {
            view: view.into(),
            focus: match self.focus {
                Pane::Assets => "assets".into(),
                Pane::FailureModes => "failure_modes".into(),
            },
            asset: self.assets.selected_id(),
            failure_mode,
        }
    }

    /// The vote round as followers may see it.
    pub fn round_view(&self) -> Option<RoundView> {
        match &self.room {
            Room::Facilitating(room) => room
                .round
                .as_ref()
                .map(|open| open.view(room.followers.len(), self.names_voters())),
            _ => None,
        }
    }

    /// Whether the reveal names voters on screen (the record always keeps the
    /// names). Anonymous by default.
    pub fn names_voters(&self) -> bool {
        self.session.name_voters
    }

    pub fn room(&self) -> &Room {
        &self.room
    }

    /// A `riskroom follow` screen: it writes nothing at all.
    pub fn is_follower(&self) -> bool {
        matches!(self.room, Room::Following(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(digits: &[u8], kinds: &[RatingKind]) -> Ballot {
        let mut following = Following::new();
        for d in digits {
            type_digit(&mut following, kinds, *d);
        }
        following.ballot
    }

    #[test]
    fn ten_typed_from_habit_is_ten_in_every_rating() {
        let sod = RatingKind::FAILURE_MODE;
        let b = typed(&[1, 0, 1, 0, 1, 0], &sod);
        assert_eq!(
            (b.severity, b.occurrence, b.detection),
            (Some(10), Some(10), Some(10))
        );
        let b = typed(&[7, 1, 0, 3], &sod);
        assert_eq!(
            (b.severity, b.occurrence, b.detection),
            (Some(7), Some(10), Some(3))
        );
        // A 1 followed by another digit keeps the 1 and rates the next.
        let b = typed(&[1, 4, 5], &sod);
        assert_eq!(
            (b.severity, b.occurrence, b.detection),
            (Some(1), Some(4), Some(5))
        );
        let b = typed(&[0, 0, 0], &sod);
        assert_eq!(
            (b.severity, b.occurrence, b.detection),
            (Some(10), Some(10), Some(10))
        );
    }

    #[test]
    fn one_rating_asked_takes_the_last_digits() {
        let only_o = [RatingKind::Occurrence];
        assert_eq!(typed(&[1, 0], &only_o).occurrence, Some(10));
        assert_eq!(typed(&[4], &only_o).occurrence, Some(4));
        assert_eq!(typed(&[4, 6], &only_o).occurrence, Some(6));
        assert_eq!(typed(&[1], &only_o).occurrence, Some(1));
        assert_eq!(typed(&[1, 5], &only_o).occurrence, Some(1));
    }
}
