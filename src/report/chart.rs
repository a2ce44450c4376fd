//! The geometry of the report's two charts, as numbers a template draws: the
//! Pareto of RPN (bars, highest first, and the cumulative share as a line) and
//! the trend over PDCA cycles (one line per measure). The SVG itself is written
//! by the report's template, so every label goes through its escaping.
//!
//! Hand-written rather than plotters' SVG backend: plotters lays text out
//! through a font engine (system fonts via fontconfig, or a font file compiled
//! in), which a jump host may not have, and its output is not stable enough to
//! snapshot; two charts of bars and lines are a page of arithmetic, tested here.

use std::fmt;

/// A coordinate in SVG user units, written with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Px(pub f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = (self.0 * 10.0).round() / 10.0;
        if rounded.fract() == 0.0 {
            write!(f, "{}", rounded as i64)
        } else {
            write!(f, "{rounded:.1}")
        }
    }
}

/// The drawing: its size and the plot area inside the margins for the axes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: Px,
    pub height: Px,
    pub left: Px,
    pub right: Px,
    pub top: Px,
    pub bottom: Px,
}

impl Frame {
    pub fn new(width: f64, height: f64) -> Frame {
        Frame {
            width: Px(width),
            height: Px(height),
            left: Px(48.0),
            right: Px(width - 44.0),
            top: Px(12.0),
            bottom: Px(height - 40.0),
        }
    }

    fn plot_width(&self) -> f64 {
        self.right.0 - self.left.0
    }

    fn plot_height(&self) -> f64 {
        self.bottom.0 - self.top.0
    }

    /// The y of `value` on a scale from 0 (bottom) to `top`.
    fn y(&self, value: f64, top: f64) -> Px {
        if top <= 0.0 {
            return self.bottom;
        }
        Px(self.bottom.0 - self.plot_height() * (value / top).clamp(0.0, 1.0))
    }
}

/// A labelled line across the plot at `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub y: Px,
    pub label: String,
}

/// The scale's top and step for values up to `max`: 1, 2 or 5 times a power of
/// ten, at most five steps, so the ticks read as round numbers.
pub fn nice_scale(max: u64) -> (u64, u64) {
    if max == 0 {
        return (1, 1);
    }
    let mut power = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * power;
            let top = max.div_ceil(step) * step;
            if top / step <= 5 {
                return (top, step);
            }
        }
        power = power.saturating_mul(10);
    }
}

fn ticks(frame: &Frame, top: u64, step: u64) -> Vec<Tick> {
    (0..=top / step)
        .map(|i| {
            let value = i * step;
            Tick {
                y: frame.y(value as f64, top as f64),
                label: value.to_string(),
            }
        })
        .collect()
}

/// One bar of the Pareto.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: Px,
    pub y: Px,
    pub width: Px,
    pub height: Px,
    /// The centre, for the label under it.
    pub middle: Px,
    pub label: String,
    pub value: u64,
}

/// The Pareto: bars of RPN in risk order, the cumulative share of the whole
/// register's RPN as a line on the right-hand scale (0-100 %).
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoChart {
    pub frame: Frame,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    /// 0 %, 50 %, 80 %, 100 % on the right.
    pub share_ticks: Vec<Tick>,
    /// `x,y x,y …` of the cumulative share, at each bar's centre.
    pub cumulative: String,
    /// Where the cumulative share reaches 80 %, when it does among the bars.
    pub vital_x: Option<Px>,
}

/// `bars`: label, RPN and cumulative share (0.0-1.0) of each bar, in order.
pub fn pareto(frame: Frame, bars: &[(String, u64, f64)]) -> ParetoChart {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    let (top, step) = nice_scale(max);
    let slot = frame.plot_width() / bars.len().max(1) as f64;
    let gap = (slot * 0.2).min(6.0);
    let mut out = Vec::with_capacity(bars.len());
    let mut points = Vec::with_capacity(bars.len());
    let mut vital_x = None;
    for (i, (label, value, cumulative)) in bars.iter().enumerate() {
        let x = frame.left.0 + slot * i as f64 + gap / 2.0;
        let y = frame.y(*value as f64, top as f64);
        let middle = Px(x + (slot - gap) / 2.0);
        out.push(Bar {
            x: Px(x),
            y,
            width: Px(slot - gap),
            height: Px(frame.bottom.0 - y.0),
            middle,
            label: label.clone(),
            value: *value,
        });
        let share_y = frame.y(*cumulative, 1.0);
        points.push(format!("{middle},{share_y}"));
        if vital_x.is_none() && *cumulative >= 0.8 {
            vital_x = Some(middle);
        }
    }
    let share_ticks = [0u64, 50, 80, 100]
        .iter()
        .map(|p| Tick {
            y: frame.y(*p as f64, 100.0),
            label: format!("{p}%"),
        })
        .collect();
    ParetoChart {
        ticks: ticks(&frame, top, step),
        frame,
        bars: out,
        share_ticks,
        cumulative: points.join(" "),
        vital_x,
    }
}

/// One measure's line over the cycles.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// `x,y x,y …`
    pub points: String,
    /// Each point, for its marker and value.
    pub marks: Vec<(Px, Px, u64)>,
    /// Where the name is written, at the line's end.
    pub end: (Px, Px),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub frame: Frame,
    pub series: Vec<Series>,
    pub ticks: Vec<Tick>,
    /// Cycle labels along the bottom.
    pub columns: Vec<(Px, String)>,
}

/// `columns`: the cycle labels; `series`: a name and one value per column.
/// Each series is drawn on the same scale, so measures of like size belong
/// together.
pub fn trend(frame: Frame, columns: &[String], series: &[(String, Vec<u64>)]) -> TrendChart {
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let (top, step) = nice_scale(max);
    let n = columns.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            Px(frame.left.0 + frame.plot_width() / 2.0)
        } else {
            Px(frame.left.0 + 16.0 + (frame.plot_width() - 32.0) * i as f64 / (n - 1) as f64)
        }
    };
    let series = series
        .iter()
        .map(|(name, values)| {
            let marks: Vec<(Px, Px, u64)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (x(i), frame.y(*v as f64, top as f64), *v))
                .collect();
            let points = marks
                .iter()
                .map(|(x, y, _)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" ");
            let end = marks
                .last()
                .map_or((frame.right, frame.bottom), |(x, y, _)| (*x, *y));
            Series {
                name: name.clone(),
                points,
                marks,
                end,
            }
        })
        .collect();
    TrendChart {
        ticks: ticks(&frame, top, step),
        columns: columns
            .iter()
            .enumerate()
            .map(|(i, c)| (x(i), c.clone()))
            .collect(),
        frame,
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_on_round_numbers_in_at_most_five_steps() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(1), (1, 1));
        assert_eq!(nice_scale(4), (4, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(480), (500, 100));
        assert_eq!(nice_scale(1000), (1000, 200));
        assert_eq!(nice_scale(1001), (1500, 500));
        assert_eq!(nice_scale(23_456), (25_000, 5_000));
        for max in 1..5000 {
            let (top, step) = nice_scale(max);
            assert!(top >= max && top / step <= 5 && top % step == 0, "{max}");
            let lead = step / 10u64.pow(step.ilog10());
            assert!([1, 2, 5].contains(&lead), "{max}: step {step}");
        }
    }

    #[test]
    fn pixels_print_with_one_decimal_at_most() {
        assert_eq!(Px(12.0).to_string(), "12");
        assert_eq!(Px(12.345).to_string(), "12.3");
        assert_eq!(Px(-0.04).to_string(), "0");
    }

    #[test]
    fn pareto_bars_are_proportional_inside_the_plot_and_the_line_reaches_100() {
        let frame = Frame::new(600.0, 240.0);
        let bars = [
            ("FM-1".to_string(), 500, 0.5),
            ("FM-2".to_string(), 300, 0.8),
            ("FM-3".to_string(), 200, 1.0),
        ];
        let c = pareto(frame, &bars);
        assert_eq!(c.bars.len(), 3);
        // Scale 0-500: the first bar fills the plot's height, the others in proportion.
        let full = frame.bottom.0 - frame.top.0;
        assert!((c.bars[0].height.0 - full).abs() < 1e-9);
        assert!((c.bars[1].height.0 - full * 0.6).abs() < 1e-9);
        for b in &c.bars {
            assert!(b.x.0 >= frame.left.0 && b.x.0 + b.width.0 <= frame.right.0 + 1e-9);
            assert!((b.y.0 + b.height.0 - frame.bottom.0).abs() < 1e-9);
        }
        // Bars left to right in order, not overlapping.
        assert!(c.bars[0].x.0 + c.bars[0].width.0 < c.bars[1].x.0);
        // The cumulative line ends at the top (100 %), and 80 % is reached at bar 2.
        assert!(c.cumulative.ends_with(&format!(",{}", frame.top)));
        assert_eq!(c.vital_x, Some(c.bars[1].middle));
        assert_eq!(c.ticks.first().map(|t| t.label.as_str()), Some("0"));
        assert_eq!(c.ticks.last().map(|t| t.label.as_str()), Some("500"));
        assert_eq!(c.ticks.last().map(|t| t.y), Some(frame.top));
    }

    #[test]
    fn an_empty_pareto_draws_nothing_and_does_not_divide_by_zero() {
        let c = pareto(Frame::new(600.0, 240.0), &[]);
        assert!(c.bars.is_empty() && c.cumulative.is_empty() && c.vital_x.is_none());
    }

    #[test]
    fn trend_points_spread_over_the_cycles_on_one_scale() {
        let frame = Frame::new(600.0, 240.0);
        let columns = ["1".to_string(), "2".to_string(), "3 (now)".to_string()];
        let c = trend(
            frame,
            &columns,
            &[
                ("Total".to_string(), vec![900, 600, 300]),
                ("AP H".to_string(), vec![9, 4, 0]),
            ],
        );
        assert_eq!(c.ticks.last().map(|t| t.label.as_str()), Some("1000"));
        let total = &c.series[0].marks;
        assert!(total[0].0 < total[1].0 && total[1].0 < total[2].0);
        assert!(total[0].1 < total[1].1, "900 is higher up than 600");
        assert_eq!(c.series[1].marks[2].1, frame.bottom, "0 on the axis");
        assert_eq!(c.columns[2].1, "3 (now)");
        // One cycle: in the middle, no division by zero.
        let one = trend(frame, &columns[..1], &[("x".to_string(), vec![5])]);
        assert_eq!(one.series[0].marks.len(), 1);
        assert!(one.series[0].marks[0].0 > frame.left && one.series[0].marks[0].0 < frame.right);
    }
}
