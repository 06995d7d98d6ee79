//! CSV export: `sources.csv`, `nodes.csv`, `edges.csv` in the bulk format
//! that `load` reads (docs/DATA_FORMAT.md), with typed property columns.

use std::collections::BTreeMap;

use crate::load::{EDGE_COLUMNS, NODE_COLUMNS, SOURCE_COLUMNS};
use crate::model::{EdgeIndex, Graph, NodeIndex, SourceIdx, Subgraph, Validity, Value};

/// The three CSV files of a graph or subgraph, as `(file name, text)`.
pub fn to_csv(graph: &Graph, subgraph: &Subgraph) -> Vec<(&'static str, String)> {
    let nodes = subgraph.sorted_nodes(graph);
    let edges = subgraph.sorted_edges(graph);
    let cited = subgraph.cited_sources(graph);
    vec![
        ("sources.csv", sources_csv(graph, &cited)),
        ("nodes.csv", nodes_csv(graph, &nodes)),
        ("edges.csv", edges_csv(graph, &edges)),
    ]
}

fn sources_csv(graph: &Graph, cited: &[SourceIdx]) -> String {
    let mut rows = vec![strings(SOURCE_COLUMNS)];
    for source_idx in cited {
        let source = graph.source(*source_idx);
        rows.push(vec![
            source.id.clone(),
            source.title.clone(),
            source.publisher.clone().unwrap_or_default(),
            source
                .published
                .map(|date| date.to_string())
                .unwrap_or_default(),
            source.url.clone().unwrap_or_default(),
            source.note.clone().unwrap_or_default(),
        ]);
    }
    write_rows(rows)
}

fn nodes_csv(graph: &Graph, nodes: &[NodeIndex]) -> String {
    let columns = prop_columns(
        nodes
            .iter()
            .flat_map(|node_idx| graph.node_props(*node_idx)),
    );
    let mut header = strings(NODE_COLUMNS);
    header.extend(columns.iter().map(|(key, kind)| typed_header(key, kind)));
    let mut rows = vec![header];
    for node_idx in nodes {
        let node = graph.node(*node_idx);
        let mut row = vec![
            node.id.clone(),
            node.kind.to_string(),
            node.name.clone(),
            escaped_join(&node.aliases),
        ];
        row.push(source_cell(graph, graph.node_sources(*node_idx)));
        row.extend(validity_cells(node.valid));
        row.extend(prop_cells(&columns, graph.node_props(*node_idx)));
        rows.push(row);
    }
    write_rows(rows)
}

fn edges_csv(graph: &Graph, edges: &[EdgeIndex]) -> String {
    let columns = prop_columns(
        edges
            .iter()
            .flat_map(|edge_idx| graph.edge_props(*edge_idx)),
    );
    let mut header = strings(EDGE_COLUMNS);
    header.extend(columns.iter().map(|(key, kind)| typed_header(key, kind)));
    let mut rows = vec![header];
    for edge_idx in edges {
        let edge = graph.edge(*edge_idx);
        let (from, to) = graph.endpoints(*edge_idx);
        let mut row = vec![
            graph.node(from).id.clone(),
            graph.node(to).id.clone(),
            edge.kind.to_string(),
        ];
        row.push(source_cell(graph, graph.edge_sources(*edge_idx)));
        row.extend(validity_cells(edge.valid));
        row.extend(prop_cells(&columns, graph.edge_props(*edge_idx)));
        rows.push(row);
    }
    write_rows(rows)
}

/// Every property key with its type, or `None` when rows disagree.
fn prop_columns<'p>(
    props: impl Iterator<Item = (&'p str, &'p Value)>,
) -> Vec<(String, Option<&'static str>)> {
    let mut columns: BTreeMap<String, Option<&'static str>> = BTreeMap::new();
    for (key, value) in props {
        let kind = value.type_name();
        columns
            .entry(key.to_string())
            .and_modify(|seen| {
                if *seen != Some(kind) {
                    *seen = None;
                }
            })
            .or_insert(Some(kind));
    }
    columns.into_iter().collect()
}

fn typed_header(key: &str, kind: &Option<&'static str>) -> String {
    match kind {
        Some(kind) => format!("{key}:{kind}"),
        None => key.to_string(),
    }
}

fn prop_cells<'p>(
    columns: &[(String, Option<&'static str>)],
    props: impl Iterator<Item = (&'p str, &'p Value)>,
) -> Vec<String> {
    let props: BTreeMap<&str, &Value> = props.collect();
    columns
        .iter()
        .map(|(key, _)| {
            props
                .get(key.as_str())
                .map(|value| value.to_string())
                .unwrap_or_default()
        })
        .collect()
}

fn source_cell(graph: &Graph, sources: &[SourceIdx]) -> String {
    let ids: Vec<&str> = sources
        .iter()
        .map(|source_idx| graph.source(*source_idx).id.as_str())
        .collect();
    ids.join(";")
}

fn validity_cells(valid: Validity) -> [String; 2] {
    let text = |date: Option<crate::model::PartialDate>| {
        date.map(|date| date.to_string()).unwrap_or_default()
    };
    [text(valid.from), text(valid.to)]
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn write_rows(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A list cell the loader splits back into the same items: `\\` and `;`
/// inside an item are escaped as `\\\\` and `\;`.
pub fn escaped_join(items: &[String]) -> String {
    items
        .iter()
        .map(|item| item.replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(";")
}

/// CSV text with every cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, and not a
/// number) prefixed with `'`, as OWASP advises. For spreadsheets only: the
/// result no longer loads back unchanged.
pub fn spreadsheet_safe(text: &str) -> String {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut writer = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::with_capacity(text.len()));
    for record in reader.records() {
        let Ok(record) = record else {
            return text.to_string();
        };
        let cells = record.iter().map(|cell| match is_formula(cell) {
            true => format!("'{cell}"),
            false => cell.to_string(),
        });
        if writer.write_record(cells).is_err() {
            return text.to_string();
        }
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| text.to_string())
}

fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.trim().parse::<f64>().is_err()
}
