//! Text charts for the terminal (`| chart`): each series of an answer as a
//! block chart six rows high, one column per month (monthly series), per
//! year (yearly) or per value, the value range on the left axis, the time
//! span under it and the policy dates marked `1`, `2`, … with a key.

use super::chart::{Marker, Series, read};
use super::svg::number;
use crate::eval::QueryResult;
use crate::model::{Graph, PartialDate};

const HEIGHT: usize = 6;
const MAX_COLUMNS: usize = 72;
const EIGHTHS: [char; 7] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// The chart lines for every series of `result` (none when it has none).
pub fn text_charts(graph: &Graph, result: &QueryResult) -> Vec<String> {
    let Some(data) = read(graph, result, usize::MAX) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for series in &data.series {
        lines.extend(text_chart(series, &data.markers));
    }
    lines
}

/// One series as lines: title, six rows of bars, axis, markers, span.
pub fn text_chart(series: &Series, markers: &[Marker]) -> Vec<String> {
    let slots = slots(series);
    if slots.is_empty() {
        return vec![series.title()];
    }
    let mut values: Vec<Option<f64>> = vec![None; slots.len()];
    for (date, value) in &series.points {
        if let Some(slot) = slots.iter().position(|slot| slot.contains(*date)) {
            values[slot] = Some(values[slot].map_or(*value, |seen: f64| seen.max(*value)));
        }
    }
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let low = present.iter().copied().fold(0.0, f64::min);
    let high = present.iter().copied().fold(low, f64::max);
    let eighths: Vec<Option<usize>> = values
        .iter()
        .map(|value| {
            value.map(|value| {
                let share = if high > low {
                    (value - low) / (high - low)
                } else {
                    1.0
                };
                (share * (HEIGHT * 8) as f64).round() as usize
            })
        })
        .collect();
    let (top_label, bottom_label) = (number(high), number(low));
    let label_width = top_label.chars().count().max(bottom_label.chars().count());
    let mut lines = vec![series.title()];
    for row in 0..HEIGHT {
        let floor = (HEIGHT - 1 - row) * 8;
        let label = match row {
            0 => top_label.clone(),
            _ if row == HEIGHT - 1 => bottom_label.clone(),
            _ => String::new(),
        };
        let bars: String = eighths
            .iter()
            .map(|level| match level {
                None => ' ',
                Some(level) if *level >= floor + 8 => '█',
                Some(level) if *level > floor => EIGHTHS[level - floor - 1],
                Some(_) if row == HEIGHT - 1 => '▁',
                Some(_) => ' ',
            })
            .collect();
        lines.push(
            format!("{label:>label_width$} ┤{bars}")
                .trim_end()
                .to_string(),
        );
    }
    let pad = " ".repeat(label_width);
    lines.push(format!("{pad} └{}", "─".repeat(slots.len())));
    let marked: Vec<(usize, &Marker)> = markers
        .iter()
        .filter_map(|marker| {
            let slot = slots.iter().position(|slot| slot.contains(marker.date))?;
            Some((slot, marker))
        })
        .collect();
    if !marked.is_empty() {
        let mut row: Vec<char> = vec![' '; slots.len()];
        for (number, (slot, _)) in marked.iter().enumerate() {
            row[*slot] = key(number);
        }
        let row: String = row.into_iter().collect();
        lines.push(format!("{pad}  {}", row.trim_end()));
    }
    let (first, last) = (slots[0].label(), slots[slots.len() - 1].label());
    let gap = (slots.len() + 2)
        .saturating_sub(first.len() + last.len())
        .max(1);
    lines.push(format!("{pad}  {first}{}{last}", " ".repeat(gap)));
    for (number, (_, marker)) in marked.iter().enumerate() {
        lines.push(format!("{pad}  {} {}", key(number), marker.label));
    }
    lines
}

/// The mark of the `number`th policy date: 1..9, then a..z, then `▲`.
fn key(number: usize) -> char {
    match number {
        0..=8 => char::from(b'1' + number as u8),
        9..=34 => char::from(b'a' + (number - 9) as u8),
        _ => '▲',
    }
}

/// A column of a text chart: a month, a year, or one value's own date.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Period(PartialDate),
    Point(PartialDate),
}

impl Slot {
    fn contains(self, date: PartialDate) -> bool {
        match self {
            Slot::Period(period) => period.contains(date),
            Slot::Point(point) => point == date,
        }
    }

    fn label(self) -> String {
        match self {
            Slot::Period(date) | Slot::Point(date) => date.to_string(),
        }
    }
}

/// Every month (or year) from the first value to the last; one slot per
/// distinct date when the series is neither, or spans too long.
fn slots(series: &Series) -> Vec<Slot> {
    let (Some(first), Some(last)) = (series.points.first(), series.points.last()) else {
        return Vec::new();
    };
    let (first, last) = (first.0, last.0);
    let periods: Vec<PartialDate> = if series.monthly {
        let months = |date: PartialDate| date.year() * 12 + date.month().unwrap_or(1) as i32 - 1;
        (months(first)..=months(last))
            .filter_map(|month| {
                PartialDate::year_month(month.div_euclid(12), month.rem_euclid(12) as u32 + 1)
            })
            .collect()
    } else if series.yearly {
        (first.year()..=last.year())
            .filter_map(PartialDate::year_only)
            .collect()
    } else {
        Vec::new()
    };
    if !periods.is_empty() && periods.len() <= MAX_COLUMNS {
        return periods.into_iter().map(Slot::Period).collect();
    }
    let mut dates: Vec<PartialDate> = series.points.iter().map(|(date, _)| *date).collect();
    dates.dedup();
    dates.into_iter().map(Slot::Point).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn a_monthly_series_gets_one_column_per_month_and_marked_policies() {
        let series = Series {
            metric: "china_exports".into(),
            unit: "kg".into(),
            yearly: false,
            monthly: true,
            points: vec![
                (date("2023-07"), 8630.0),
                (date("2023-08"), 0.0),
                (date("2023-11"), 721.0),
            ],
        };
        let markers = [Marker {
            date: date("2023-08-01"),
            label: "No.23 in force 2023-08-01".into(),
        }];
        let lines = text_chart(&series, &markers);
        assert_eq!(
            lines,
            [
                "china exports, kg (monthly)",
                "8630 ┤█",
                "     ┤█",
                "     ┤█",
                "     ┤█",
                "     ┤█",
                "   0 ┤█▁  ▄",
                "     └─────",
                "       1",
                "      2023-07 2023-11",
                "      1 No.23 in force 2023-08-01",
            ]
        );
    }
}
