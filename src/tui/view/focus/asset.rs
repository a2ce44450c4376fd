//! The focus view of an asset: its ratings with what each level means, the
//! class value and rank in large figures, its details, and its worst failure
//! modes.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::super::tables::ap_style;
use super::super::text;
use super::{Card, LABEL, Size, field, heading, muted, rating_block};
use crate::domain::ordering::risk_cmp;
use crate::domain::{Asset, FailureMode, RatingKind};
use crate::tui::app::{App, FocusView};

pub(super) fn card(app: &App, asset: &Asset, view: &FocusView, width: usize, size: Size) -> Card {
    let t = app.theme();
    let mut lines = Vec::new();
    heading(app, &mut lines, &asset.name, width);
    lines.push(Line::default());
    let rank = asset.class_rank();
    let rank_style = match rank.letter() {
        'A' => t.class_a,
        'B' => t.class_b,
        _ => t.class_c,
    };
    let (start, figures) = rating_block(
        app,
        &mut lines,
        [
            (RatingKind::Confidentiality, asset.confidentiality),
            (RatingKind::Integrity, asset.integrity),
            (RatingKind::Availability, asset.availability),
        ],
        view.rating,
        [
            (
                asset.class_value().to_string(),
                t.base.add_modifier(Modifier::BOLD),
            ),
            (rank.to_string(), rank_style),
        ],
        size,
        width,
    );
    lines.push(muted(
        app,
        format!(
            "class value {} = C {} x I {} x A {} · class {}: {}",
            asset.class_value(),
            asset.confidentiality,
            asset.integrity,
            asset.availability,
            rank,
            rank.meaning()
        ),
    ));
    lines.push(Line::default());
    field(
        app,
        &mut lines,
        "Category",
        &asset.category.to_string(),
        width,
    );
    field(app, &mut lines, "Owner", &asset.owner, width);
    field(app, &mut lines, "Location", &asset.location, width);
    field(app, &mut lines, "Description", &asset.description, width);
    lines.push(Line::default());
    // The asset's failure modes, worst first: a pass over the register, made
    // only while an asset is in focus.
    let mut on_it: Vec<&FailureMode> = app
        .session()
        .failure_modes
        .iter()
        .filter(|f| f.asset == Some(asset.id))
        .collect();
    on_it.sort_by(|a, b| risk_cmp(a, b));
    let count = match on_it.len() {
        0 => "no failure mode on this asset".to_string(),
        1 => "1 on this asset".to_string(),
        n => format!("{n} on this asset, worst first"),
    };
    // A heading of its own: the label is longer than the label column.
    lines.push(Line::from(vec![
        Span::styled("Failure modes ", app.theme().muted),
        Span::raw(text::truncate(&count, width.saturating_sub(14))),
    ]));
    for fm in on_it.iter().take(5) {
        let lead = format!("{:<LABEL$}{}  {:>4} ", "", fm.id, fm.rpn());
        let rest = width.saturating_sub(text::width(&lead) + 3);
        lines.push(Line::from(vec![
            Span::raw(lead),
            Span::styled(format!("{:<2} ", fm.ap()), ap_style(app, fm.ap())),
            Span::raw(text::truncate(&fm.mode, rest)),
        ]));
    }
    if on_it.len() > 5 {
        lines.push(muted(
            app,
            format!("{:<LABEL$}… and {} more", "", on_it.len() - 5),
        ));
    }
    Card {
        lines,
        figures: Some((start, figures)),
    }
}
