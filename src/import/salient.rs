//! Per-commodity US salient statistics (`mcs<year>-<code>_salient.csv`):
//! one event per commodity and year ("US salient statistics, gallium,
//! 2024"; dated by its `date`, `estimate` for the release's estimated
//! year) with one `affects` edge per column (metric, value, unit), so
//! that `timeline` lists them by year. The event carries the file and row
//! and the date; its edges carry no copy of them (it keeps the largest
//! table of the release small enough to load fast).

use serde_json::json;

use super::emit::{OutFile, Output, Props};
use super::names;
use super::text::{Cell, Table, clean, parse_cell, slug};
use super::world::number;
use super::{ImportError, Summary, source_id};

/// Units by a column name's suffix (`USprod_Primary_kg`).
const UNIT_SUFFIXES: &[(&str, &str)] = &[
    ("t", "t"),
    ("kt", "thousand t"),
    ("mmt", "million t"),
    ("kg", "kg"),
    ("g", "g"),
    ("dkg", "$/kg"),
    ("dlb", "$/lb"),
    ("dt", "$/t"),
    ("dst", "$/short ton"),
    ("dto", "$/troy oz"),
    ("dtoz", "$/troy oz"),
    ("dg", "$/g"),
    ("ctslb", "cents/lb"),
    ("pct", "%"),
    // germanium's `NIR_ct` is its `NIR_pct`
    ("ct", "%"),
    ("mct", "million carats"),
    ("mcm", "million m3"),
    ("mdol", "$ million"),
    ("msqft", "million sq ft"),
    ("num", "count"),
    ("index", "index"),
];

pub fn import(table: &Table, out: &mut Output, summary: &mut Summary) -> Result<(), ImportError> {
    summary
        .rows_read
        .insert(table.file.clone(), table.rows.len());
    let source = source_id(out.edition, "salient");
    let commodity_col = table.column("Commodity")?;
    let year_col = table.column("Year")?;
    let code = table
        .file
        .split_once('-')
        .map_or("", |(_, rest)| rest.trim_end_matches("_salient.csv"))
        .to_string();
    let metrics: Vec<usize> = (0..table.header.len())
        .filter(|index| {
            ![commodity_col, year_col].contains(index)
                && !table.header[*index].eq_ignore_ascii_case("DataSource")
        })
        .collect();
    for (line, row) in &table.rows {
        let cell = |index: usize| clean(row.get(index).map_or("", String::as_str));
        let name = cell(commodity_col);
        let Ok(year) = cell(year_col).parse::<i32>() else {
            summary.skip("salient statistics: row without a year");
            continue;
        };
        let Some(spec) = names::commodity(&name) else {
            summary.skip(&format!("salient statistics: unknown commodity \"{name}\""));
            continue;
        };
        let item = out.node(spec, &source);
        let event_id = format!("usgs-mcs-{}-salient-{}-{year}", out.edition, slug(&code));
        let event = row_event(
            out.edition,
            &event_id,
            (&name, year),
            (&table.file, *line),
            &source,
        );
        out.event(OutFile::Salient, event);
        for &index in &metrics {
            let Some(props) = statistic(&table.header[index], &cell(index)) else {
                summary.skip("salient statistics: blank or NA cell");
                continue;
            };
            let ends = (event_id.as_str(), "affects", item);
            out.edge(OutFile::Salient, ends, props, &source, (None, None));
        }
    }
    Ok(())
}

/// The event standing for one row: one commodity's statistics in one year.
/// One row is one event: its file and row are the event's, and every
/// statistic of the row (an edge) shares them.
fn row_event(
    edition: i32,
    event_id: &str,
    (name, year): (&str, i32),
    (file, line): (&str, usize),
    source: &str,
) -> serde_json::Value {
    let mut props = json!({
        "date": year.to_string(),
        "summary": format!("US salient statistics for {name}, {year}, from USGS Mineral Commodity Summaries {edition}"),
        "event_type": "statistics",
    });
    if year >= edition - 1 {
        props["estimate"] = json!(true);
    }
    props["source_file"] = json!(file);
    props["source_row"] = json!(line);
    json!({
        "id": event_id,
        "kind": "event",
        "name": format!("US salient statistics: {name}, {year}"),
        "props": props,
        "sources": [source],
        "valid_from": year.to_string(),
    })
}

/// One statistic (a cell under `header`) as `affects` props, or `None`
/// for a blank or `NA` cell: `W` is withheld, `E` net exporter, `>50` a
/// lower bound.
fn statistic(header: &str, text: &str) -> Option<Props> {
    let (metric, unit) = split_unit(header);
    let mut props = Props::new();
    props.insert("metric".into(), json!(metric));
    match parse_cell(text) {
        Cell::Figure { value, bound } => {
            props.insert("value".into(), number(value));
            if let Some(bound) = bound {
                props.insert("bound".into(), json!(bound));
            }
        }
        Cell::Withheld => {
            props.insert("withheld".into(), json!(true));
        }
        Cell::NetExporter => {
            props.insert("net_exporter".into(), json!(true));
        }
        Cell::Unknown => return None,
        Cell::Text(text) => {
            props.insert("value".into(), json!(text));
        }
    }
    if let Some(unit) = unit {
        props.insert("unit".into(), json!(unit));
    }
    Some(props)
}

/// `USprod_Primary_kg` → (`US production, primary`, `kg`): the metric in
/// words and the unit its suffix names.
fn split_unit(header: &str) -> (String, Option<&'static str>) {
    let (stem, unit) = match header.rsplit_once('_') {
        Some((stem, suffix)) => match UNIT_SUFFIXES.iter().find(|(code, _)| *code == suffix) {
            Some((_, unit)) => (stem, Some(*unit)),
            None => (header, None),
        },
        None => (header, None),
    };
    let words = stem
        .trim_end_matches('_')
        .replace("USprod", "US production")
        .replace("Consump", "apparent consumption")
        .replace("NIR", "net import reliance")
        .replace('_', ", ")
        .replace('-', " ");
    (words, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_give_metric_and_unit() {
        assert_eq!(
            split_unit("USprod_Primary_kg"),
            ("US production, Primary".into(), Some("kg"))
        );
        assert_eq!(
            split_unit("Price_High-purity_dkg"),
            ("Price, High purity".into(), Some("$/kg"))
        );
        assert_eq!(
            split_unit("NIR_pct"),
            ("net import reliance".into(), Some("%"))
        );
        assert_eq!(
            split_unit("NIR_ct"),
            ("net import reliance".into(), Some("%"))
        );
        assert_eq!(split_unit("Employment_"), ("Employment".into(), None));
    }
}
