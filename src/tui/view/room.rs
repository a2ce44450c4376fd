//! The room on screen: the facilitator's vote round (who has voted, then the
//! spread), the vote typed in for someone in the room, and a follower's ballot.
//! Numbers and words carry everything: a histogram is counts under the levels,
//! the rating being typed is in brackets, nothing is told by colour alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::app::room::{OpenRound, Room};
use super::dialogs::popup;
use super::text;
use crate::domain::vote::{Asked, Ballot, Tally};
use crate::domain::{FailureMode, FailureModeId, RatingKind};
use crate::room::RoundView;

/// The failure mode a round is about, as two lines: its text, its ratings now.
fn subject(app: &App, id: FailureModeId, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    match app.session().failure_mode(id) {
        Some(fm) => vec![
            Line::from(Span::styled(
                text::truncate(&format!("{id}  {}", fm.mode), width),
                t.header,
            )),
            Line::from(Span::styled(now_rated(fm), t.muted)),
        ],
        None => vec![Line::from(format!("{id} (no longer in the session)"))],
    }
}

fn now_rated(fm: &FailureMode) -> String {
    let show = |v: u8| {
        if v == 0 {
            "–".to_string()
        } else {
            v.to_string()
        }
    };
    format!(
        "now S {} O {} D {}, RPN {} {}",
        show(fm.severity),
        show(fm.occurrence),
        show(fm.detection),
        fm.rpn(),
        fm.ap().letter()
    )
}

/// `S [7]  O 4  D –`: the ratings asked, the one at `cursor` in brackets.
fn ballot_spans(
    ballot: &Ballot,
    asked: Asked,
    cursor: Option<usize>,
    t: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, kind) in asked.kinds().into_iter().enumerate() {
        let value = ballot.get(kind).map_or("–".to_string(), |v| v.to_string());
        let cell = if cursor == Some(i) {
            format!("{} [{value:>2}]  ", kind.letter())
        } else {
            format!("{}  {value:>2}   ", kind.letter())
        };
        spans.push(if cursor == Some(i) {
            Span::styled(cell, t)
        } else {
            Span::raw(cell)
        });
    }
    spans
}

/// The tallies of a reveal: per rating, how many chose each level, then min,
/// median and max, and "discuss" where the room is far apart.
fn tally_lines(app: &App, tallies: &[Tally]) -> Vec<Line<'static>> {
    let t = app.theme();
    let mut lines = vec![Line::from(Span::styled(
        "      1  2  3  4  5  6  7  8  9 10   min median max".to_string(),
        t.muted,
    ))];
    for tally in tallies {
        let counts: String = tally
            .counts
            .iter()
            .map(|c| {
                if *c == 0 {
                    "  ·".to_string()
                } else {
                    format!("{c:>3}")
                }
            })
            .collect();
        let mut spans = vec![
            Span::styled(format!("  {} ", tally.kind.letter()), t.header),
            Span::raw(counts),
            Span::raw(format!(
                "   {:>3} {:>6} {:>3}",
                tally.min, tally.median, tally.max
            )),
        ];
        if tally.needs_discussion() {
            spans.push(Span::styled(
                format!("  discuss: {} vs {}", tally.min, tally.max),
                t.error,
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn tallies_of(asked: Asked, ballots: &[Ballot]) -> Vec<Tally> {
    asked
        .kinds()
        .into_iter()
        .filter_map(|kind| {
            let values: Vec<u8> = ballots.iter().filter_map(|b| b.get(kind)).collect();
            Tally::of(kind, &values)
        })
        .collect()
}

/// The facilitator's round (Context::Vote), and over it the vote typed in for
/// someone (Context::Proxy).
pub fn render_round(app: &App, area: Rect, buf: &mut Buffer) {
    let Room::Facilitating(room) = app.room() else {
        return;
    };
    let Some(open) = &room.round else {
        return;
    };
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(78);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = subject(app, open.round.failure_mode, inner);
    lines.push(Line::default());
    let voters: Vec<String> = open.round.voters().iter().map(|v| v.describe()).collect();
    let following = room.followers.len();
    let expected = following.max(voters.len());
    if open.round.revealed {
        let ballots: Vec<Ballot> = open.round.ballots.values().copied().collect();
        lines.extend(tally_lines(app, &tallies_of(open.round.asked, &ballots)));
        if app.names_voters() {
            for (voter, ballot) in &open.round.ballots {
                let mut spans = vec![Span::raw(format!(
                    "  {:<16}",
                    text::truncate(&voter.describe(), 16)
                ))];
                spans.extend(ballot_spans(ballot, open.round.asked, None, t.key));
                lines.push(Line::from(spans));
            }
        }
        lines.push(Line::default());
        let mut spans = vec![Span::styled("Agreed  ".to_string(), t.header)];
        spans.extend(ballot_spans(
            &open.agreed(),
            open.round.asked,
            Some(open.cursor),
            t.cursor,
        ));
        lines.push(Line::from(spans));
        lines.push(Line::from(Span::styled(agreed_note(open), t.muted)));
    } else {
        lines.push(Line::from(vec![
            Span::styled(format!("{} of {expected} voted", voters.len()), t.header),
            Span::raw(if voters.is_empty() {
                String::new()
            } else {
                format!(
                    ": {}",
                    text::truncate(&voters.join(", "), inner.saturating_sub(16))
                )
            }),
        ]));
        lines.push(Line::from(Span::styled(
            format!("{following} following. The votes stay hidden until you reveal them (v).",),
            t.muted,
        )));
    }
    lines.push(Line::default());
    lines.push(if open.round.revealed {
        key_line(
            app,
            &[
                ("Enter", "adopt"),
                ("0-9", "set by hand"),
                ("Esc", "close, no change"),
            ],
        )
    } else {
        key_line(
            app,
            &[
                ("v", "reveal"),
                ("n", "vote for someone here"),
                ("N", "names on/off"),
                ("Esc", "close"),
            ],
        )
    });
    let title = format!(" Vote: {} ", open.round.asked.describe());
    popup(app, area, width, lines, &title, t.border_focused, buf);
    if let Some(proxy) = &open.proxy {
        let kinds = open.round.asked.kinds();
        let mut name_spans = vec![Span::styled("Name  ".to_string(), t.header)];
        name_spans.push(Span::styled(
            format!("[{}]", text::truncate(proxy.name.value(), 30)),
            if proxy.field == 0 {
                t.input_focused
            } else {
                t.input
            },
        ));
        let mut rating = vec![Span::styled("Vote  ".to_string(), t.header)];
        rating.extend(ballot_spans(
            &proxy.ballot,
            open.round.asked,
            (proxy.field >= 1).then(|| (proxy.field - 1).min(kinds.len() - 1)),
            t.cursor,
        ));
        let lines = vec![
            Line::from(name_spans),
            Line::from(rating),
            Line::default(),
            key_line(
                app,
                &[("Tab", "next"), ("Enter", "count it"), ("Esc", "back")],
            ),
        ];
        popup(
            app,
            area,
            width.min(60),
            lines,
            " A vote for someone in the room ",
            t.border_focused,
            buf,
        );
    }
}

fn agreed_note(open: &OpenRound) -> String {
    let kinds = open.round.asked.kinds();
    let by_hand: Vec<&str> = kinds
        .iter()
        .filter(|k| open.by_hand.get(**k).is_some())
        .map(|k| k.name())
        .collect();
    if by_hand.is_empty() {
        "the medians (a half rounds up); a digit sets the one in [ ] by hand".into()
    } else {
        format!(
            "{} set by hand, the rest the medians",
            by_hand.join(" and ")
        )
    }
}

fn key_line(app: &App, keys: &[(&str, &str)]) -> Line<'static> {
    let t = app.theme();
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key} "), t.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}

/// A follower's ballot (Context::Ballot).
pub fn render_ballot(app: &App, area: Rect, buf: &mut Buffer) {
    let Room::Following(following) = app.room() else {
        return;
    };
    let Some(round) = &following.round else {
        return;
    };
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(78);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = subject(app, round.failure_mode, inner);
    lines.push(Line::default());
    match &round.revealed {
        Some(revealed) => {
            let ballots: Vec<Ballot> = revealed.iter().map(|(_, b)| *b).collect();
            lines.extend(tally_lines(app, &tallies_of(round.asked, &ballots)));
            for (name, ballot) in revealed {
                if let Some(name) = name {
                    let mut spans = vec![Span::raw(format!("  {:<16}", text::truncate(name, 16)))];
                    spans.extend(ballot_spans(ballot, round.asked, None, t.key));
                    lines.push(Line::from(spans));
                }
            }
            if let Some(sent) = &following.sent {
                let mut spans = vec![Span::styled("Yours   ".to_string(), t.header)];
                spans.extend(ballot_spans(sent, round.asked, None, t.key));
                lines.push(Line::from(spans));
            }
            lines.push(Line::from(Span::styled(
                "The facilitator agrees the values with the room now.".to_string(),
                t.muted,
            )));
        }
        None => {
            let mut spans = vec![Span::styled("Your vote  ".to_string(), t.header)];
            spans.extend(ballot_spans(
                &following.ballot,
                round.asked,
                Some(following.cursor),
                t.cursor,
            ));
            lines.push(Line::from(spans));
            let kinds = round.asked.kinds();
            let kind = kinds[following.cursor.min(kinds.len() - 1)];
            lines.extend(guidance(app, kind, following.ballot.get(kind), inner));
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                sent_line(following.sent.as_ref(), following.answer.as_deref(), round),
                t.muted,
            )));
        }
    }
    lines.push(Line::default());
    lines.push(if round.revealed.is_some() {
        key_line(app, &[("Esc", "hide")])
    } else {
        key_line(
            app,
            &[("0-9", "rate (0 = 10)"), ("Enter", "send"), ("Esc", "hide")],
        )
    });
    let title = format!(" Your vote: {} ", round.asked.describe());
    popup(app, area, width, lines, &title, t.border_focused, buf);
}

/// What the levels of the rating being typed mean (SPEC 1.2's guidance).
fn guidance(app: &App, kind: RatingKind, value: Option<u8>, width: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let meaning = value.and_then(|v| kind.level_meaning(v).map(|m| (v, m)));
    match meaning {
        Some((v, m)) => vec![Line::from(Span::styled(
            text::truncate(&format!("{} {v}: {m}", kind.name()), width),
            t.info,
        ))],
        None => kind
            .guidance()
            .into_iter()
            .map(|(levels, m)| {
                Line::from(Span::styled(
                    text::truncate(&format!("  {levels:>5}  {m}"), width),
                    t.muted,
                ))
            })
            .collect(),
    }
}

fn sent_line(sent: Option<&Ballot>, answer: Option<&str>, round: &RoundView) -> String {
    let count = format!("{} of {} have voted", round.voted, round.expected);
    match (sent, answer) {
        (None, _) => format!("not sent yet · {count}"),
        (Some(_), Some(answer)) => format!("sent: {answer} · {count}"),
        (Some(_), None) => format!("sent · {count}"),
    }
}

/// How the room stands, for the title bar: the facilitator's followers, or
/// whom a follower follows and how fresh it is. `None`: no room.
pub fn badge(app: &App, room: usize) -> Option<(String, Style)> {
    let t = app.theme();
    match app.room() {
        Room::Closed => None,
        Room::Facilitating(f) if f.followers.is_empty() => None,
        Room::Facilitating(f) => Some((format!(" {} following ", f.followers.len()), t.stage)),
        Room::Following(following) => {
            use crate::room::follow::Status;
            let (long, short, style) = match &following.status {
                Status::Live { facilitator, .. } => (
                    format!(" ◉ following {facilitator}, live "),
                    format!(" ◉ {facilitator} live "),
                    t.saved,
                ),
                Status::Gone {
                    facilitator, since, ..
                } => {
                    let at = super::super::app::room::Following::gone_since(*since);
                    (
                        format!(" ✗ {facilitator} gone since {at} "),
                        format!(" ✗ gone {at} "),
                        t.error,
                    )
                }
                Status::Nobody => (
                    " nobody has it open: showing the saved file ".to_string(),
                    " saved file ".to_string(),
                    t.read_only,
                ),
                Status::Refused(_) => (
                    " ✗ not following ".to_string(),
                    " ✗ not following ".to_string(),
                    t.error,
                ),
            };
            let text = if text::width(&long) <= room {
                long
            } else {
                short
            };
            Some((crate::terminal_text::one_line(&text).into_owned(), style))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sent_line_says_what_was_answered_and_who_voted() {
        let round = RoundView {
            id: 1,
            failure_mode: FailureModeId(3),
            asked: Asked::ALL,
            voted: 2,
            expected: 3,
            revealed: None,
        };
        assert_eq!(
            sent_line(None, None, &round),
            "not sent yet · 2 of 3 have voted"
        );
        assert_eq!(
            sent_line(Some(&Ballot::default()), Some("counted"), &round),
            "sent: counted · 2 of 3 have voted"
        );
    }
}
