//! What the report says, gathered from the session as plain data for the
//! templates: text as the session has it (the templates escape it), numbers,
//! and the charts' geometry.

use jiff::civil::Date;

use super::chart::{self, Frame, ParetoChart, TrendChart};
use crate::domain::matrix::{Basis, Grid, Matrix};
use crate::domain::ordering::RiskOrder;
use crate::domain::pareto::Pareto;
use crate::domain::programme::capitalised;
use crate::domain::programme::coverage::coverage;
use crate::domain::programme::documents::{Review, Standing, documents};
use crate::domain::programme::roadmap::roadmap;
use crate::domain::trend::{Measure, Trend};
use crate::domain::{
    ActionPriority, ClassRank, Decision, FailureMode, Participant, RatingKind, Session,
};
use crate::export::overview::Overview;

/// How many rows a list of the report shows at most (top risks, overdue
/// actions, accepted risks); the rest is counted.
pub const TOP: usize = 10;
/// Assets named per class.
const ASSETS_NAMED: usize = 5;
/// Bars in the Pareto chart.
const PARETO_BARS: usize = 20;

pub struct Report {
    pub title: String,
    pub organisation: String,
    pub scope: String,
    pub facilitator: String,
    pub participants: Vec<String>,
    pub date: Date,
    pub stage: &'static str,
    pub threshold: String,
    pub o: Overview,
    /// The method's scales: name, range, levels.
    pub scales: Vec<(String, String)>,
    pub classes: Vec<ClassGroup>,
    pub matrices: Vec<MatrixView>,
    pub pareto: ParetoChart,
    pub pareto_rows: Vec<ParetoLine>,
    pub vital_few: usize,
    pub total_rpn: u64,
    pub top: Vec<RiskRow>,
    pub accepted: Vec<RiskRow>,
    pub accepted_more: usize,
    pub overdue: Vec<RiskRow>,
    pub overdue_more: usize,
    pub groups: Vec<(String, String)>,
    pub roadmap_summary: String,
    pub phases: Vec<(String, String)>,
    pub steps: Vec<StepRow>,
    pub documents_summary: String,
    pub documents: Vec<DocumentRow>,
    pub trend: TrendChart,
    pub trend_rows: Vec<TrendRow>,
}

pub struct ClassGroup {
    pub letter: char,
    pub meaning: &'static str,
    pub count: usize,
    /// The class's assets, highest class value first, the first few.
    pub assets: Vec<AssetRow>,
    pub more: usize,
}

pub struct AssetRow {
    pub id: String,
    pub name: String,
    pub category: &'static str,
    pub owner: String,
    pub cia: String,
    pub value: u8,
}

pub struct MatrixView {
    pub title: &'static str,
    /// Occurrence bands, left to right.
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
    pub placed: usize,
}

pub struct MatrixRow {
    /// The severity band.
    pub label: String,
    pub cells: Vec<MatrixCell>,
}

pub struct MatrixCell {
    pub count: usize,
    /// The cell's zone: the highest AP a failure mode in it can have.
    pub zone: char,
    /// CSS class of the zone's shade (`zh`, `zm`, `zl`).
    pub shade: &'static str,
}

pub struct ParetoLine {
    pub rank: usize,
    pub id: String,
    pub mode: String,
    pub rpn: u16,
    pub cumulative: String,
}

pub struct RiskRow {
    pub rank: usize,
    pub id: String,
    pub mode: String,
    pub asset: String,
    pub rpn: u16,
    pub ap: char,
    pub decision: &'static str,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    /// `RPN → residual` when a rating was revised, `–` otherwise.
    pub residual: String,
    /// Days past the due date, for overdue actions.
    pub days_overdue: i64,
}

pub struct StepRow {
    pub step: u8,
    pub name: String,
    pub status: &'static str,
    pub owner: String,
    pub due: String,
    /// `overdue`, `behind` (an earlier phase still open), or both.
    pub flag: String,
}

pub struct DocumentRow {
    pub clause: &'static str,
    pub name: String,
    pub status: &'static str,
    pub owner: String,
    pub review: String,
}

pub struct TrendRow {
    pub cycle: String,
    pub count: usize,
    pub ap_high: usize,
    pub highest_rpn: u16,
    pub total_rpn: u64,
}

impl Report {
    pub fn of(session: &Session, today: Date) -> Report {
        let o = Overview::of(session, today);
        let order = RiskOrder::of(session);
        let risk_rows = |filter: &dyn Fn(&FailureMode) -> bool| -> (Vec<RiskRow>, usize) {
            let mut rows = Vec::new();
            let mut more = 0;
            for (rank, id) in order.ids().enumerate() {
                let Some(f) = session.failure_mode(id) else {
                    continue;
                };
                if !filter(f) {
                    continue;
                }
                if rows.len() < TOP {
                    rows.push(risk_row(session, f, rank + 1, today));
                } else {
                    more += 1;
                }
            }
            (rows, more)
        };
        let (top, _) = risk_rows(&|_| true);
        let (accepted, accepted_more) = risk_rows(&|f| f.treatment.decision == Decision::Accept);
        let (mut overdue, overdue_more) = risk_rows(&|f| f.treatment.is_overdue(today));
        overdue.sort_by_key(|r| std::cmp::Reverse(r.days_overdue));

        let pareto = Pareto::of(&order, PARETO_BARS);
        let pareto_rows: Vec<ParetoLine> = pareto
            .rows
            .iter()
            .map(|r| ParetoLine {
                rank: r.rank,
                id: r.id.to_string(),
                mode: session
                    .failure_mode(r.id)
                    .map(|f| f.mode.clone())
                    .unwrap_or_default(),
                rpn: r.rpn,
                cumulative: r.cumulative.to_string(),
            })
            .collect();
        let bars: Vec<(String, u64, f64)> = pareto
            .rows
            .iter()
            .map(|r| (r.id.to_string(), u64::from(r.rpn), r.cumulative.fraction()))
            .collect();

        let trend = Trend::of(session);
        let cycle_label = |p: &crate::domain::trend::TrendPoint| {
            if p.closed.is_none() {
                format!("{} (now)", p.cycle)
            } else {
                p.cycle.to_string()
            }
        };
        let columns: Vec<String> = trend.points.iter().map(cycle_label).collect();
        let trend_chart = chart::trend(
            Frame::new(640.0, 150.0),
            &columns,
            &[(
                Measure::TotalRpn.name().to_string(),
                trend.series(Measure::TotalRpn),
            )],
        );
        let trend_rows = trend
            .points
            .iter()
            .map(|p| TrendRow {
                cycle: cycle_label(p),
                count: p.count,
                ap_high: p.ap_high,
                highest_rpn: p.highest_rpn,
                total_rpn: p.total_rpn,
            })
            .collect();

        let coverage = coverage(session);
        let groups = coverage
            .groups
            .iter()
            .map(|g| (g.group.name().to_string(), g.summary()))
            .collect();

        let road = roadmap(session, today);
        let steps = road
            .steps
            .iter()
            .filter(|s| s.overdue || road.behind.contains(&s.step))
            .map(|s| StepRow {
                step: s.step,
                name: capitalised(s.name),
                status: s.record.status.name(),
                owner: s.record.owner.clone(),
                due: s.record.due.map(|d| d.to_string()).unwrap_or_default(),
                flag: match (s.overdue, road.behind.contains(&s.step)) {
                    (true, true) => "overdue; earlier phase".into(),
                    (true, false) => "overdue".into(),
                    _ => "earlier phase still open".into(),
                },
            })
            .collect();
        let docs = documents(session, today);
        // Approved and reviewed in time, or held by the session: counted in the
        // summary line; the rest is listed.
        let document_rows = docs
            .rows
            .iter()
            .filter(|d| {
                !matches!(
                    (d.standing, d.review),
                    (Standing::Approved, Review::Current) | (Standing::InSession, _)
                )
            })
            .map(|d| DocumentRow {
                clause: d.clause.cited(),
                name: capitalised(d.clause.name),
                status: d.standing.name(),
                owner: d.record.owner.clone(),
                review: d.review.describe(),
            })
            .collect();

        Report {
            title: session.title.clone(),
            organisation: session.organisation.clone(),
            scope: session.scope.clone(),
            facilitator: session.facilitator.clone(),
            participants: session
                .participants
                .iter()
                .map(Participant::label)
                .collect(),
            date: today,
            stage: o.stage.name(),
            threshold: session.threshold.to_string(),
            scales: scales(),
            classes: classes(session),
            matrices: vec![
                matrix_view(
                    session,
                    Basis::Current,
                    "Before treatment (current ratings)",
                ),
                matrix_view(
                    session,
                    Basis::Residual,
                    "After treatment (revised ratings where given)",
                ),
            ],
            pareto: chart::pareto(Frame::new(640.0, 190.0), &bars),
            pareto_rows,
            vital_few: pareto.vital_few,
            total_rpn: pareto.total_rpn,
            top,
            accepted,
            accepted_more,
            overdue,
            overdue_more,
            groups,
            roadmap_summary: road.summary(),
            phases: road
                .phases
                .iter()
                .map(|p| (p.phase.name().to_string(), p.describe()))
                .collect(),
            steps,
            documents_summary: docs.summary(),
            documents: document_rows,
            trend: trend_chart,
            trend_rows,
            o,
        }
    }

    /// `Plan`, `Do`… with the date it was entered.
    pub fn stage_line(&self) -> String {
        match self.o.stage_since {
            Some(d) => format!("{} since {d}", self.stage),
            None => self.stage.to_string(),
        }
    }

    pub fn participants_line(&self) -> String {
        self.participants.join(", ")
    }

    /// The share of the total RPN the vital few carry, in words.
    pub fn vital_line(&self) -> String {
        if self.total_rpn == 0 {
            return "No failure mode is rated yet.".into();
        }
        format!(
            "{} of {} failure modes carry {}% of the total RPN ({}).",
            self.vital_few,
            self.o.failure_modes,
            Pareto::VITAL_PERCENT,
            self.total_rpn
        )
    }
}

fn risk_row(session: &Session, f: &FailureMode, rank: usize, today: Date) -> RiskRow {
    let t = &f.treatment;
    let asset = f
        .asset
        .and_then(|id| session.asset(id))
        .map(|a| format!("{} {}", a.id, a.name))
        .unwrap_or_default();
    let residual = match f.residual() {
        Some(r) => format!("{} {}", r.rpn(), r.ap().letter()),
        None => "–".into(),
    };
    let days_overdue = match t.due {
        Some(due) if t.is_overdue(today) => due.until(today).map_or(0, |s| i64::from(s.get_days())),
        _ => 0,
    };
    RiskRow {
        rank,
        id: f.id.to_string(),
        mode: f.mode.clone(),
        asset,
        rpn: f.rpn(),
        ap: f.ap().letter(),
        decision: t.decision.name(),
        action: t.action.clone(),
        owner: t.owner.clone(),
        due: t.due.map(|d| d.to_string()).unwrap_or_default(),
        status: t.recorded_status().map_or("", |s| s.name()),
        residual,
        days_overdue,
    }
}

/// The failure-mode scales' guidance (the asset scales are in the method's
/// paragraph).
fn scales() -> Vec<(String, String)> {
    RatingKind::FAILURE_MODE
        .into_iter()
        .map(|kind| {
            let levels = kind
                .guidance()
                .iter()
                .map(|(levels, meaning)| format!("{levels} {meaning}"))
                .collect::<Vec<_>>()
                .join("; ");
            (
                format!("{} (1-{})", capitalised(kind.name()), kind.max()),
                levels,
            )
        })
        .collect()
}

fn classes(session: &Session) -> Vec<ClassGroup> {
    [ClassRank::A, ClassRank::B, ClassRank::C]
        .into_iter()
        .map(|rank| {
            let mut assets: Vec<_> = session
                .assets
                .iter()
                .filter(|a| a.class_rank() == rank)
                .collect();
            assets.sort_by_key(|a| (std::cmp::Reverse(a.class_value()), a.id));
            let count = assets.len();
            ClassGroup {
                letter: rank.letter(),
                meaning: rank.meaning(),
                count,
                more: count.saturating_sub(ASSETS_NAMED),
                assets: assets
                    .into_iter()
                    .take(ASSETS_NAMED)
                    .map(|a| AssetRow {
                        id: a.id.to_string(),
                        name: a.name.clone(),
                        category: a.category.name(),
                        owner: a.owner.clone(),
                        cia: format!("{} {} {}", a.confidentiality, a.integrity, a.availability),
                        value: a.class_value(),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn matrix_view(session: &Session, basis: Basis, title: &'static str) -> MatrixView {
    let grid = Grid::Bands;
    let m = Matrix::of(session, grid, basis);
    let band = |b: &crate::domain::matrix::Band| b.to_string();
    MatrixView {
        title,
        columns: grid.columns().iter().map(band).collect(),
        rows: grid
            .rows()
            .iter()
            .enumerate()
            .map(|(row, b)| MatrixRow {
                label: band(b),
                cells: (0..m.columns())
                    .map(|column| {
                        let zone = grid.zone(row, column).unwrap_or(ActionPriority::L);
                        MatrixCell {
                            count: m.cell(row, column).map_or(0, |c| c.count),
                            zone: zone.letter(),
                            shade: match zone {
                                ActionPriority::H => "zh",
                                ActionPriority::M => "zm",
                                ActionPriority::L => "zl",
                            },
                        }
                    })
                    .collect(),
            })
            .collect(),
        placed: m.placed,
    }
}
