//! Short descriptions of nodes and edges for table cells and notes.

use crate::model::{EdgeIndex, Graph, SourceIdx};

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
    let mut parts = Vec::new();
    for key in KEY_PROPS {
        if let Some(value) = graph.edge_prop(edge_idx, key) {
            parts.push(format!("{key}={value}"));
        }
    }
    parts.join(" ")
}

/// The ids of sources, `;`-separated.
pub fn source_ids(graph: &Graph, sources: &[SourceIdx]) -> String {
    sources
        .iter()
        .map(|source_idx| graph.source(*source_idx).id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}
