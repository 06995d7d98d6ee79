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
        let estimated = year >= out.edition - 1;
        let mut event_props = json!({
            "date": year.to_string(),
            "summary": format!("US salient statistics for {name}, {year}, from USGS Mineral Commodity Summaries {}", out.edition),
            "event_type": "statistics",
        });
        if estimated {
            event_props["estimate"] = json!(true);
        }
        // One row is one event: its file and row are the event's, and
        // every statistic of the row (an edge) shares them.
        event_props["source_file"] = json!(table.file);
        event_props["source_row"] = json!(line);
        out.event(
            OutFile::Salient,
            json!({
                "id": event_id,
                "kind": "event",
                "name": format!("US salient statistics: {name}, {year}"),
                "props": event_props,
                "sources": [source],
                "valid_from": year.to_string(),
            }),
        );
        for &index in &metrics {
            let header = &table.header[index];
            let (metric, unit) = split_unit(header);
            let mut props = Props::new();
            props.insert("metric".into(), json!(metric));
            match parse_cell(&cell(index)) {
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
                Cell::Unknown => {
                    summary.skip("salient statistics: blank or NA cell");
                    continue;
                }
                Cell::Text(text) => {
                    props.insert("value".into(), json!(text));
                }
            }
            if let Some(unit) = unit {
                props.insert("unit".into(), json!(unit));
            }
            out.edge(
                OutFile::Salient,
                (&event_id, "affects", item),
                props,
                &source,
                (None, None),
            );
        }
    }
    Ok(())
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
