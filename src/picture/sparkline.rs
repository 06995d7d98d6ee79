//! Sparklines for the terminal: a series as `▁▂▄▆█`, one character per
//! value, lowest to highest; one line per series of an answer.

use super::chart::all_series;
use super::svg::number;
use crate::eval::QueryResult;
use crate::model::Graph;

/// One line per series of `result` (those a chart would draw): its title,
/// time span, sparkline, range and count, e.g.
/// `china exports, kg (monthly) 2023-07..2025-07 █▁▁▄▂▄▂▁▁▁ 0..8,630 (10 values)`.
pub fn series_lines(graph: &Graph, result: &QueryResult) -> Vec<String> {
    all_series(graph, result)
        .iter()
        .map(|series| {
            let values: Vec<f64> = series.points.iter().map(|(_, value)| *value).collect();
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let (first, last) = (series.points[0].0, series.points[series.points.len() - 1].0);
            format!(
                "{} {first}..{last} {} {}..{} ({} values)",
                series.title(),
                sparkline(&values),
                number(low),
                number(high),
                values.len()
            )
        })
        .collect()
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One bar per value, scaled from the smallest to the largest; a flat
/// series is drawn at mid height. Non-finite values are left out.
pub fn sparkline(values: &[f64]) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(low) = finite.iter().copied().reduce(f64::min) else {
        return String::new();
    };
    let high = finite.iter().copied().fold(low, f64::max);
    finite
        .iter()
        .map(|value| {
            if high == low {
                return BARS[3];
            }
            let step = ((value - low) / (high - low) * 7.0).round() as usize;
            BARS[step.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn scales_from_lowest_to_highest() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(sparkline(&[3.0, 3.0]), "▄▄");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[f64::NAN, 1.0, 2.0]), "▁█");
    }
}
