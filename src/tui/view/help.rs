//! `?`: every key, written from the keymap itself, and the rating guidance of the
//! method, so the room can agree a rating without leaving the screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::super::app::App;
use super::super::keymap::{self, BINDINGS, Context};
use super::super::theme::Theme;
use super::text::wrap;
use crate::domain::{ClassRank, RatingKind};

const KEYS: usize = 24;

/// The help text, line by line, wrapped to `width` cells.
pub fn lines(theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let text_width = usize::from(width).saturating_sub(4).max(20);
    let mut out = Vec::new();
    let heading = |text: String| Line::from(Span::styled(text, theme.header));
    // A key and what it does; the description wraps under itself.
    let entry = |out: &mut Vec<Line<'static>>, keys: String, what: &str, key_style| {
        for (i, part) in wrap(what, text_width.saturating_sub(KEYS))
            .into_iter()
            .enumerate()
        {
            let keys = if i == 0 {
                format!("  {keys:<w$}", w = KEYS - 2)
            } else {
                " ".repeat(KEYS)
            };
            out.push(Line::from(vec![
                Span::styled(keys, key_style),
                Span::raw(part),
            ]));
        }
    };
    let para = |out: &mut Vec<Line<'static>>, text: &str, indent: usize| {
        for part in wrap(text, text_width.saturating_sub(indent)) {
            out.push(Line::from(format!("{}{part}", " ".repeat(indent))));
        }
    };
    for context in Context::ALL {
        out.push(heading(context.title().to_string()));
        for binding in BINDINGS.iter().filter(|b| b.context == context) {
            entry(
                &mut out,
                binding.keys_text(),
                binding.help,
                theme.key.patch(theme.base),
            );
        }
        if context == Context::Form {
            for (keys, what) in keymap::TEXT_EDITING_HELP {
                entry(&mut out, keys.to_string(), what, theme.base);
            }
            para(
                &mut out,
                "In a rating field a digit sets it and moves on; in a choice field, ← → or the first letters pick.",
                2,
            );
        }
        out.push(Line::default());
    }

    out.push(heading("Rating guidance".into()));
    for kind in [
        RatingKind::Confidentiality,
        RatingKind::Integrity,
        RatingKind::Availability,
        RatingKind::Severity,
        RatingKind::Occurrence,
        RatingKind::Detection,
    ] {
        out.push(Line::from(Span::styled(
            format!("  {} ({}, 1-{})", kind.name(), kind.letter(), kind.max()),
            theme.base,
        )));
        for (levels, meaning) in kind.guidance() {
            for (i, part) in wrap(meaning, text_width.saturating_sub(11))
                .into_iter()
                .enumerate()
            {
                let levels = if i == 0 {
                    format!("{levels:>5}")
                } else {
                    String::new()
                };
                out.push(Line::from(format!("    {levels:>5}  {part}")));
            }
        }
    }
    out.push(Line::default());
    out.push(heading("Asset class (C x I x A)".into()));
    for (rank, values) in [
        (ClassRank::A, "18-36"),
        (ClassRank::B, "8-16"),
        (ClassRank::C, "1-6"),
    ] {
        para(
            &mut out,
            &format!("{rank}  {values:>5}  {}", rank.meaning()),
            2,
        );
    }
    out.push(Line::default());
    out.push(heading("Failure modes".into()));
    para(
        &mut out,
        "RPN = S x O x D (1-1000). The list is ordered by RPN, then severity, then ID.",
        2,
    );
    para(
        &mut out,
        "AP (action priority, AIAG-VDA 2019): H high, M medium, L low, from the S, O, D bands.",
        2,
    );
    para(
        &mut out,
        "D is how unlikely the current controls are to detect it: 10 = would go unnoticed.",
        2,
    );
    out.push(Line::default());
    out.push(heading("Treatment (t)".into()));
    for text in [
        "Decision (Reduce, Accept, Avoid, Transfer), action, owner, due date, status, action taken, and the revised S, O, D after the action: →RPN and AP show the residual risk (H→L).",
        "! overdue: due before today and not Done or Verified.",
        "? decide: at or above the decision threshold (T sets it) and still Undecided.",
        "s / o narrow the list by status (and overdue, needs a decision) and by action owner.",
        "Closing a cycle (p from Act) keeps every rating in the history (H, c); a Done or Verified treatment's revised ratings become the new ratings, and it starts afresh.",
    ] {
        para(&mut out, text, 2);
    }
    out.push(Line::default());
    out.push(heading("Annex A controls (A)".into()));
    for text in [
        "Type an ISO 27001:2022 ID (8.5), a 2013 ID (9.4.2) or words (authentication); Enter links the control as existing, again as planned, again unlinks it.",
        "Groups of the method: Policy (2013 A.5, A.7, A.18), Organisation (A.6, A.15), Process (A.12, A.13, A.16, A.17), Hardware (A.8, A.11), Software (A.9, A.10, A.14).",
    ] {
        para(&mut out, text, 2);
    }
    out.push(Line::default());
    out.push(heading("Saving".into()));
    para(
        &mut out,
        "Every change is saved within a second or two; the title bar says ✓ saved when it is.",
        2,
    );
    para(
        &mut out,
        "The file as it was when opened is kept as <file>.bak.",
        2,
    );
    out
}

fn area_of(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(2),
    )
}

/// The furthest the help can scroll at this size.
pub fn max_scroll(width: u16, height: u16) -> u16 {
    let inner = area_of(Rect::new(0, 0, width, height))
        .height
        .saturating_sub(2);
    (lines(&Theme::plain(), width).len() as u16).saturating_sub(inner)
}

pub fn render(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let popup = area_of(area);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Help: every key (↑ ↓ PgUp PgDn scroll, Esc closes) ")
        .style(app.theme().dialog)
        .border_style(app.theme().border_focused);
    Paragraph::new(lines(app.theme(), area.width))
        .scroll((scroll, 0))
        .block(block)
        .render(popup, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_help_line_fits_inside_the_box_at_80_and_wider() {
        for width in [80u16, 100, 120] {
            let inner = usize::from(width) - 2;
            for line in lines(&Theme::plain(), width) {
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                assert!(
                    crate::tui::view::text::width(&text) <= inner,
                    "{width} columns: {text:?} is cut"
                );
            }
        }
    }
}
