//! Series of an answer as a time chart (SVG): the dated values of a
//! `timeline` (columns `date`, `kind`, `metric`, `value`, `unit`, `period`)
//! grouped into series by metric, unit and period length; up to three
//! panels on one time axis (monthly values as bars, the rest as lines with
//! dots, or dots alone where a date has several values: different grades), policy dates as labelled vertical markers across all panels, the
//! unit on each value axis and the sources in a footnote.
//!
//! A value given for a span (`2024-01/2024-08`) or an undated one is not
//! drawn; the footnote says how many were left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::svg::{self, escape, number, text_width, wrap};
use super::{Caption, PictureConfig};
use crate::eval::{Cell, QueryResult, Row};
use crate::model::{Graph, NodeIndex, PartialDate, SourceIdx};

/// One series: a metric in a unit, yearly or within the year.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric: String,
    pub unit: String,
    pub yearly: bool,
    /// Whether every point is one calendar month (drawn as bars).
    pub monthly: bool,
    pub points: Vec<(PartialDate, f64)>,
}

impl Series {
    /// The panel title: `china exports, kg (monthly)`.
    pub fn title(&self) -> String {
        let span = if self.yearly {
            "yearly"
        } else if self.monthly {
            "monthly"
        } else {
            "dated values"
        };
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(", {}", self.unit)
        };
        format!("{}{unit} ({span})", self.metric.replace('_', " "))
    }
}

/// A policy date drawn as a vertical line.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub date: PartialDate,
    pub label: String,
}

/// What a chart shows, read from an answer.
#[derive(Debug, Clone, Default)]
pub struct ChartData {
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    /// Series with one point, or beyond the panel limit: `metric (unit)`.
    pub not_drawn: Vec<String>,
    /// Values given for a span or without a date.
    pub skipped_values: usize,
    pub sources: Vec<SourceIdx>,
}

const MAX_PANELS: usize = 3;

/// The series and markers of `result`, or `None` when it has no series of
/// two or more dated values (then the answer is drawn as a graph).
pub fn chart_data(graph: &Graph, result: &QueryResult) -> Option<ChartData> {
    read(graph, result, MAX_PANELS)
}

/// Every series of `result` with two or more values, most values first
/// (what the terminal sketches as sparklines).
pub fn all_series(graph: &Graph, result: &QueryResult) -> Vec<Series> {
    read(graph, result, usize::MAX).map_or_else(Vec::new, |data| data.series)
}

pub(crate) fn read(graph: &Graph, result: &QueryResult, max_series: usize) -> Option<ChartData> {
    let column = |name: &str| result.column(name);
    let (date_col, metric_col, value_col) = (column("date")?, column("metric")?, column("value")?);
    let (kind_col, unit_col, period_col) = (column("kind"), column("unit"), column("period"));
    let text = |row: &Row, col: Option<usize>| match col.and_then(|col| row.cells.get(col)) {
        Some(cell @ (Cell::Text(_) | Cell::Lazy(_))) => cell.display(graph),
        Some(Cell::Date(date)) => date.to_string(),
        _ => String::new(),
    };
    let mut data = ChartData::default();
    let mut grouped: BTreeMap<(String, String, bool), Vec<(PartialDate, f64)>> = BTreeMap::new();
    let mut sources: BTreeSet<SourceIdx> = BTreeSet::new();
    for row in &result.rows {
        let Some(Cell::Date(date)) = row.cells.get(date_col) else {
            continue;
        };
        let kind = text(row, kind_col);
        if let Some(policy_state) = kind.strip_prefix("policy ") {
            if let Some(marker) = marker(graph, row.node, *date, policy_state) {
                data.markers.push(marker);
                sources.extend(row.evidence.subgraph().cited_sources(graph));
            }
            continue;
        }
        let Some(value) = row.cells.get(value_col).and_then(Cell::as_f64) else {
            continue;
        };
        let period = text(row, period_col);
        let point_date = if period.is_empty() {
            Some(*date)
        } else {
            PartialDate::parse(&period).ok()
        };
        let Some(point_date) = point_date else {
            data.skipped_values += 1;
            continue;
        };
        let metric = text(row, Some(metric_col));
        let yearly = point_date.month().is_none();
        grouped
            .entry((metric, text(row, unit_col), yearly))
            .or_default()
            .push((point_date, value));
        sources.extend(row.evidence.subgraph().cited_sources(graph));
    }
    let mut series: Vec<Series> = grouped
        .into_iter()
        .map(|((metric, unit, yearly), mut points)| {
            points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let monthly = points
                .iter()
                .all(|(date, _)| date.month().is_some() && date.day().is_none());
            Series {
                metric,
                unit,
                yearly,
                monthly,
                points,
            }
        })
        .collect();
    series.sort_by(|a, b| {
        b.points
            .len()
            .cmp(&a.points.len())
            .then(a.title().cmp(&b.title()))
    });
    for one in series {
        if one.points.len() >= 2 && data.series.len() < max_series {
            data.series.push(one);
        } else {
            data.not_drawn.push(one.title());
        }
    }
    if data.series.is_empty() {
        return None;
    }
    let mut sources: Vec<SourceIdx> = sources.into_iter().collect();
    sources.sort_by(|a, b| graph.source(*a).id.cmp(&graph.source(*b).id));
    data.sources = sources;
    Some(data)
}

/// The marker for a policy row (`policy effective`, `policy suspended`,
/// `policy lifted`); announcements are not marked.
fn marker(
    graph: &Graph,
    node: Option<NodeIndex>,
    date: PartialDate,
    state: &str,
) -> Option<Marker> {
    let word = match state {
        "effective" => "in force",
        "suspended" => "suspended",
        "lifted" => "lifted",
        _ => return None,
    };
    let name = node
        .map(|node_idx| short_name(graph, node_idx))
        .unwrap_or_default();
    Some(Marker {
        date,
        label: format!("{name} {word} {date}").trim().to_string(),
    })
}

/// A policy's short name: `No.23` from its number, else its first alias,
/// else its name cut to 28 characters.
fn short_name(graph: &Graph, node_idx: NodeIndex) -> String {
    let node = graph.node(node_idx);
    if let Some(number) = graph
        .node_prop(node_idx, "number")
        .and_then(|value| value.as_str())
    {
        let last = number.split_whitespace().last().unwrap_or(number);
        return if last.starts_with("No.") {
            last
        } else {
            number
        }
        .to_string();
    }
    if let Some(alias) = node.aliases.first() {
        return alias.clone();
    }
    wrap(&node.name, 28, 1).join("")
}

// ----- drawing -----

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 86.0;
const RIGHT: f64 = 30.0;
const PANEL_HEIGHT: f64 = 170.0;
const PANEL_GAP: f64 = 44.0;
const PAD: f64 = 16.0;
const SMALL: f64 = 11.0;

/// Draws `data` as an SVG chart.
pub fn draw(
    graph: &Graph,
    data: &ChartData,
    caption: &Caption<'_>,
    config: &PictureConfig,
) -> String {
    let (start, end) = time_span(data);
    let plot_width = WIDTH - LEFT - RIGHT;
    let x_of = |day: i64| LEFT + (day - start) as f64 / (end - start).max(1) as f64 * plot_width;
    let mut out = String::new();
    let mut body = String::new();
    let mut y = PAD;
    for line in wrap(&caption.title(), chars(15.0), 3) {
        y += 18.0;
        let _ = writeln!(
            body,
            r##"<text x="{PAD}" y="{y:.1}" font-size="15" font-weight="bold" fill="#1d3557">{}</text>"##,
            escape(&line)
        );
    }
    y += 16.0;
    let _ = writeln!(
        body,
        r##"<text x="{PAD}" y="{y:.1}" font-size="11" fill="#555555">{}</text>"##,
        escape(&caption.subtitle(config))
    );
    let marker_rows = marker_rows(&data.markers, &x_of);
    let n_marker_rows = marker_rows
        .iter()
        .map(|(_, row, _)| row + 1)
        .max()
        .unwrap_or(0);
    let markers_top = y + 8.0;
    let panels_top = markers_top + n_marker_rows as f64 * 15.0 + 10.0;
    let mut panel_top = panels_top;
    for (panel_number, series) in data.series.iter().enumerate() {
        let last = panel_number + 1 == data.series.len();
        write_panel(&mut body, series, panel_top, &x_of, (start, end), last);
        panel_top += PANEL_HEIGHT + PANEL_GAP;
    }
    let panels_bottom = panel_top - PANEL_GAP;
    for (marker, (x, row, leftward)) in data.markers.iter().zip(marker_rows) {
        let label_y = markers_top + 11.0 + row as f64 * 15.0;
        let (text_x, anchor) = if leftward {
            (x - 3.0, "end")
        } else {
            (x + 3.0, "start")
        };
        let _ = writeln!(
            body,
            r##"<g class="marker"><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{panels_bottom:.1}" stroke="#c1121f" stroke-width="1.2" stroke-dasharray="4 3"/><text x="{text_x:.1}" y="{label_y:.1}" font-size="{SMALL}" text-anchor="{anchor}" fill="#c1121f">{}</text></g>"##,
            label_y + 3.0,
            escape(&marker.label)
        );
    }
    let mut y = panels_bottom + 44.0;
    for line in footnote(graph, data) {
        let _ = writeln!(
            body,
            r##"<text x="{PAD}" y="{y:.1}" font-size="{SMALL}" fill="#444444">{}</text>"##,
            escape(&line)
        );
        y += 15.0;
    }
    let height = y + PAD;
    svg::open(&mut out, WIDTH, height, &caption.title());
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

fn chars(size: f64) -> usize {
    ((WIDTH - 2.0 * PAD) / (size * 0.62)).floor() as usize
}

fn day_number(date: PartialDate) -> i64 {
    let first = date.first_day();
    chrono::NaiveDate::from_ymd_opt(
        first.year(),
        first.month().unwrap_or(1),
        first.day().unwrap_or(1),
    )
    .map(|day| i64::from(chrono::Datelike::num_days_from_ce(&day)))
    .unwrap_or(0)
}

/// Where a point sits in time: the middle of its month or year, or its day.
fn mid_day(date: PartialDate) -> i64 {
    (day_number(date) + day_number(date.last_day())) / 2
}

/// The time axis: whole years around every point and marker.
fn time_span(data: &ChartData) -> (i64, i64) {
    let years = data
        .series
        .iter()
        .flat_map(|series| series.points.iter().map(|(date, _)| date.year()))
        .chain(data.markers.iter().map(|marker| marker.date.year()));
    let (low, high) = years.fold((i32::MAX, i32::MIN), |(low, high), year| {
        (low.min(year), high.max(year))
    });
    let first = PartialDate::year_only(low).map_or(0, day_number);
    let last = PartialDate::year_only(high.saturating_add(1)).map_or(first + 365, day_number);
    (first, last)
}

/// Each marker's x, label row and whether its label runs left of the line
/// (near the right edge); a label moves down a row while it would overlap
/// another label in that row.
fn marker_rows(markers: &[Marker], x_of: &dyn Fn(i64) -> f64) -> Vec<(f64, usize, bool)> {
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    markers
        .iter()
        .map(|marker| {
            let x = x_of(day_number(marker.date));
            let width = text_width(&marker.label, SMALL) + 8.0;
            let leftward = x + width > WIDTH - PAD;
            let span = if leftward {
                (x - width, x)
            } else {
                (x, x + width)
            };
            let free = |row: &Vec<(f64, f64)>| {
                row.iter()
                    .all(|(start, end)| span.1 <= *start || *end <= span.0)
            };
            let row = rows.iter().position(free).unwrap_or(rows.len());
            if row == rows.len() {
                rows.push(Vec::new());
            }
            rows[row].push(span);
            (x, row, leftward)
        })
        .collect()
}

fn write_panel(
    out: &mut String,
    series: &Series,
    top: f64,
    x_of: &dyn Fn(i64) -> f64,
    (start, end): (i64, i64),
    last: bool,
) {
    let (low, high, step) = value_axis(series);
    let bottom = top + PANEL_HEIGHT;
    let y_of = |value: f64| bottom - (value - low) / (high - low) * PANEL_HEIGHT;
    let _ = writeln!(
        out,
        r#"<g class="panel" data-metric="{}">"#,
        escape(&series.metric)
    );
    let _ = writeln!(
        out,
        r##"<text x="{LEFT}" y="{:.1}" font-size="12" font-weight="bold" fill="#1b1b1b">{}</text>"##,
        top - 8.0,
        escape(&series.title())
    );
    let mut tick = low;
    while tick <= high + step / 2.0 {
        let y = y_of(tick);
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" font-size="{SMALL}" text-anchor="end" fill="#444444">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&number(tick))
        );
        tick += step;
    }
    let unit_x = 14.0;
    let unit_y = top + PANEL_HEIGHT / 2.0;
    let _ = writeln!(
        out,
        r##"<text x="{unit_x}" y="{unit_y:.1}" font-size="{SMALL}" text-anchor="middle" fill="#444444" transform="rotate(-90 {unit_x} {unit_y:.1})">{}</text>"##,
        escape(&series.unit)
    );
    let _ = writeln!(
        out,
        r##"<line x1="{LEFT}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#333333"/>"##,
        WIDTH - RIGHT
    );
    write_time_ticks(out, bottom, x_of, (start, end), last);
    if series.monthly {
        for (date, value) in &series.points {
            let x0 = x_of(day_number(*date)) + 1.0;
            let x1 = x_of(day_number(date.last_day()) + 1) - 1.0;
            let (y0, y1) = (y_of(value.max(low)), y_of(0f64.max(low)));
            let _ = writeln!(
                out,
                r##"<rect class="bar" x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#457b9d"><title>{date}: {} {}</title></rect>"##,
                y0.min(y1),
                (x1 - x0).max(1.0),
                (y1 - y0).abs(),
                escape(&number(*value)),
                escape(&series.unit)
            );
        }
    } else {
        let one_per_date = series.points.windows(2).all(|pair| pair[0].0 != pair[1].0);
        let points: Vec<String> = series
            .points
            .iter()
            .map(|(date, value)| format!("{:.1},{:.1}", x_of(mid_day(*date)), y_of(*value)))
            .collect();
        if one_per_date {
            let _ = writeln!(
                out,
                r##"<polyline points="{}" fill="none" stroke="#e76f51" stroke-width="2"/>"##,
                points.join(" ")
            );
        }
        for (date, value) in &series.points {
            let _ = writeln!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="#e76f51"><title>{date}: {} {}</title></circle>"##,
                x_of(mid_day(*date)),
                y_of(*value),
                escape(&number(*value)),
                escape(&series.unit)
            );
        }
    }
    out.push_str("</g>\n");
}

fn write_time_ticks(
    out: &mut String,
    bottom: f64,
    x_of: &dyn Fn(i64) -> f64,
    (start, end): (i64, i64),
    labelled: bool,
) {
    for year in years_between(start, end) {
        for month in [1u32, 4, 7, 10] {
            let Some(date) = PartialDate::year_month(year, month) else {
                continue;
            };
            let x = x_of(day_number(date));
            let length = if month == 1 { 8.0 } else { 4.0 };
            let _ = writeln!(
                out,
                r##"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333333"/>"##,
                bottom + length
            );
        }
        if labelled {
            let middle = PartialDate::year_only(year).map_or(0, mid_day);
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="{SMALL}" text-anchor="middle" fill="#333333">{year}</text>"##,
                x_of(middle),
                bottom + 20.0
            );
        }
    }
}

fn years_between(start: i64, end: i64) -> impl Iterator<Item = i32> {
    let year_of = |day: i64| {
        chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).unwrap_or(1))
            .map_or(1, |date| chrono::Datelike::year(&date))
    };
    year_of(start)..year_of(end - 1) + 1
}

/// Low, high and step of a value axis with about five round ticks; zero
/// is included when all values are positive.
fn value_axis(series: &Series) -> (f64, f64, f64) {
    let values = series.points.iter().map(|(_, value)| *value);
    let (mut low, mut high) = values.fold((f64::MAX, f64::MIN), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    if low >= 0.0 {
        low = 0.0;
    }
    if high <= low {
        high = low + 1.0;
    }
    let raw_step = (high - low) / 5.0;
    let magnitude = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|step| *step >= raw_step)
        .unwrap_or(10.0 * magnitude);
    (
        (low / step).floor() * step,
        (high / step).ceil() * step,
        step,
    )
}

fn footnote(graph: &Graph, data: &ChartData) -> Vec<String> {
    let mut notes = Vec::new();
    if data.skipped_values > 0 {
        notes.push(format!(
            "{} values given for a span or without a date are not drawn.",
            data.skipped_values
        ));
    }
    if !data.not_drawn.is_empty() {
        notes.push(format!(
            "Not charted (one value, or more than {MAX_PANELS} series): {}.",
            data.not_drawn.join("; ")
        ));
    }
    notes.push("Dashed red lines: policy dates. Hover a bar or dot for its value.".to_string());
    let sources: Vec<String> = data
        .sources
        .iter()
        .map(|source_idx| {
            let source = graph.source(*source_idx);
            match &source.publisher {
                Some(publisher) => format!("{} ({publisher})", source.title),
                None => source.title.clone(),
            }
        })
        .collect();
    let mut lines = wrap(&notes.join(" "), chars(SMALL), 4);
    lines.extend(wrap(
        &format!("Sources: {}", sources.join("; ")),
        chars(SMALL),
        8,
    ));
    lines
}
