//! Short descriptions of nodes and edges for table cells and notes.

use crate::model::{EdgeIndex, Graph, SourceIdx};

use super::expr::value_cell;
use super::result::{Cell, FieldName};

/// The props that say most about an edge, in this order.
const KEY_PROPS: &[&str] = &[
    "stage",
    "share",
    "tonnes",
    "unit",
    "year",
    "period",
    "item",
    "dependence",
    "demand_share",
    "role",
    "substitutability",
    "measure",
    "severity",
    "scope",
    "threshold",
    "origin_content",
    "coverage",
    "effective",
    "metric",
    "value",
];

/// `stage=refining share=0.857 year=2022` — the edge's key props.
pub fn edge_detail(graph: &Graph, edge_idx: EdgeIndex) -> String {
    use std::fmt::Write;
    // The edge's own props (a handful), each placed by its key's rank in
    // KEY_PROPS: one pass over the props, no lookup per key.
    let mut found: Vec<(usize, &str, &crate::model::Value)> = graph
        .edge_props(edge_idx)
        .filter_map(|(key, value)| {
            let rank = KEY_PROPS.iter().position(|known| *known == key)?;
            Some((rank, key, value))
        })
        .collect();
    found.sort_unstable_by_key(|(rank, ..)| *rank);
    let mut text = String::new();
    for (_, key, value) in found {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "{key}={value}");
    }
    text
}

/// Every prop of an edge: the key props first in their order, then the
/// others by name, then `valid_from`/`valid_to` unless `year` or `period`
/// says it (what `show` prints, so no stored fact is hidden).
pub fn edge_detail_full(graph: &Graph, edge_idx: EdgeIndex) -> String {
    let mut parts = vec![edge_detail(graph, edge_idx)];
    let mut others: Vec<String> = graph
        .edge_props(edge_idx)
        .filter(|(key, _)| !KEY_PROPS.contains(key))
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    others.sort();
    parts.extend(others);
    // Validity not already said by the edge's `year` or `period`.
    let dated = ["year", "period"]
        .iter()
        .any(|key| graph.edge_prop(edge_idx, key).is_some());
    let valid = graph.edge(edge_idx).valid;
    if !dated {
        if let Some(from) = valid.from {
            parts.push(format!("valid_from={from}"));
        }
        if let Some(to) = valid.to {
            parts.push(format!("valid_to={to}"));
        }
    }
    parts.retain(|part| !part.is_empty());
    parts.join(" ")
}

/// [`edge_detail_full`] in tables, every prop as a record for machines.
pub fn edge_detail_full_cell(graph: &Graph, edge_idx: EdgeIndex) -> Cell {
    Cell::summary(
        edge_detail_full(graph, edge_idx),
        edge_record(graph, edge_idx),
    )
}

/// The ids of sources, `;`-separated.
pub fn source_ids(graph: &Graph, sources: &[SourceIdx]) -> String {
    sources
        .iter()
        .map(|source_idx| graph.source(*source_idx).id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// An edge's key props as a cell: the short text of [`edge_detail`] in
/// tables, every prop (and its validity) as a record for machines.
pub fn edge_detail_cell(graph: &Graph, edge_idx: EdgeIndex) -> Cell {
    Cell::summary(edge_detail(graph, edge_idx), edge_record(graph, edge_idx))
}

/// Every prop of an edge, by key, with `valid_from`/`valid_to` when set.
pub fn edge_record(graph: &Graph, edge_idx: EdgeIndex) -> Cell {
    let mut fields: Vec<(FieldName, Cell)> = graph
        .edge_props(edge_idx)
        .map(|(key, value)| (key.to_string().into(), value_cell(value)))
        .collect();
    let valid = graph.edge(edge_idx).valid;
    if let Some(from) = valid.from {
        fields.push(("valid_from".into(), Cell::Date(from)));
    }
    if let Some(to) = valid.to {
        fields.push(("valid_to".into(), Cell::Date(to)));
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Cell::Record(fields)
}

/// Source ids as a cell: `a;b` in tables, a list of ids for machines.
pub fn sources_cell(graph: &Graph, sources: &[SourceIdx]) -> Cell {
    Cell::summary(
        source_ids(graph, sources),
        Cell::texts(sources.iter().map(|s| graph.source(*s).id.as_str())),
    )
}

/// `forward` when an edge points the way a path walks it, else `backward`.
pub fn direction_word(forward: bool) -> &'static str {
    if forward { "forward" } else { "backward" }
}

/// A walk from `start` along `edges` as `a → b → c` (the ids of its nodes).
pub fn walk_text(graph: &Graph, start: crate::model::NodeIndex, edges: &[EdgeIndex]) -> String {
    let mut ids = vec![graph.node(start).id.as_str()];
    let mut at = start;
    for edge_idx in edges {
        let (from, to) = graph.endpoints(*edge_idx);
        at = if from == at { to } else { from };
        ids.push(graph.node(at).id.as_str());
    }
    ids.join(" → ")
}

/// A walk from `start` along `edges` as steps `{id, kind}`, each after the
/// first with the `edge` kind that reaches it and its `direction` along
/// the walk.
pub fn walk_cell(graph: &Graph, start: crate::model::NodeIndex, edges: &[EdgeIndex]) -> Cell {
    let step = |node_idx: crate::model::NodeIndex| {
        let node = graph.node(node_idx);
        let mut fields = Vec::with_capacity(4);
        fields.push(("id".into(), Cell::Text(node.id.clone())));
        fields.push(("kind".into(), Cell::Text(node.kind.as_str().to_string())));
        fields
    };
    let mut steps = Vec::with_capacity(edges.len() + 1);
    steps.push(Cell::Record(step(start)));
    let mut at = start;
    for edge_idx in edges {
        let (from, to) = graph.endpoints(*edge_idx);
        let forward = from == at;
        let next = if forward { to } else { from };
        let mut fields = step(next);
        fields.push((
            "edge".into(),
            Cell::Text(graph.edge(*edge_idx).kind.as_str().to_string()),
        ));
        fields.push((
            "direction".into(),
            Cell::Text(direction_word(forward).to_string()),
        ));
        steps.push(Cell::Record(fields));
        at = next;
    }
    Cell::List(steps)
}
