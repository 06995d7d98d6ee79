//! Cytoscape.js JSON: what Cytoscape desktop and Cytoscape.js import and
//! `networkx.cytoscape_graph` reads.
//!
//! Layout: `{"data": {"name": "critmin", "critmin": {format, version,
//! export, sources}}, "directed": true, "multigraph": true, "elements":
//! {"nodes": [...], "edges": [...]}}`. A node's `data` holds `id`, `value`
//! (the id again: networkx keys nodes by it), `name`, `label` (the name),
//! `kind`, `aliases`, `sources`, `valid_from`/`valid_to` and its properties;
//! an edge's holds `id` and `key` (`from|kind|to|n`, unique, networkx's
//! multigraph key), `source`, `target`, `kind`, `sources`, validity and
//! properties. A property whose key is one of those fields is written as
//! `prop_<key>`.
//!
//! Invariant: nodes by id, edges by `(from id, kind, to id)`, keys sorted.

use serde_json::{Map, Value as Json};

use super::{Contents, ExportFormat, prop_field, prop_json};
use crate::model::{EdgeIndex, NodeIndex, Validity};

const NODE_FIELDS: &[&str] = &[
    "id",
    "value",
    "name",
    "label",
    "kind",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
const EDGE_FIELDS: &[&str] = &[
    "id",
    "key",
    "source",
    "target",
    "kind",
    "sources",
    "valid_from",
    "valid_to",
];

/// The contents as Cytoscape.js JSON text (pretty-printed).
pub(crate) fn to_cytoscape(contents: &Contents) -> String {
    let mut data = Map::new();
    data.insert("name".into(), Json::from("critmin"));
    data.insert(
        "critmin".into(),
        contents.metadata_json(ExportFormat::Cytoscape),
    );
    let nodes = contents
        .nodes
        .iter()
        .map(|node_idx| wrap(node_data(contents, *node_idx)))
        .collect();
    let edges = contents
        .edges
        .iter()
        .map(|(edge_idx, id)| wrap(edge_data(contents, *edge_idx, id)))
        .collect();
    let mut elements = Map::new();
    elements.insert("nodes".into(), Json::Array(nodes));
    elements.insert("edges".into(), Json::Array(edges));
    let mut file = Map::new();
    file.insert("data".into(), Json::Object(data));
    file.insert("directed".into(), Json::Bool(true));
    file.insert("multigraph".into(), Json::Bool(true));
    file.insert("elements".into(), Json::Object(elements));
    let mut text = serde_json::to_string_pretty(&Json::Object(file)).unwrap_or_default();
    text.push('\n');
    text
}

fn wrap(data: Map<String, Json>) -> Json {
    let mut element = Map::new();
    element.insert("data".into(), Json::Object(data));
    Json::Object(element)
}

fn node_data(contents: &Contents, node_idx: NodeIndex) -> Map<String, Json> {
    let graph = contents.graph;
    let node = graph.node(node_idx);
    let mut data = Map::new();
    data.insert("id".into(), Json::from(node.id.as_str()));
    data.insert("value".into(), Json::from(node.id.as_str()));
    data.insert("name".into(), Json::from(node.name.as_str()));
    data.insert("label".into(), Json::from(node.name.as_str()));
    data.insert("kind".into(), Json::from(node.kind.as_str()));
    if !node.aliases.is_empty() {
        data.insert("aliases".into(), Json::from(node.aliases.clone()));
    }
    let sources = contents.source_ids(graph.node_sources(node_idx));
    data.insert("sources".into(), Json::from(sources));
    insert_validity(&mut data, node.valid);
    for (key, value) in graph.node_props(node_idx) {
        data.insert(prop_field(key, NODE_FIELDS), prop_json(value));
    }
    data
}

fn edge_data(contents: &Contents, edge_idx: EdgeIndex, id: &str) -> Map<String, Json> {
    let graph = contents.graph;
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let mut data = Map::new();
    data.insert("id".into(), Json::from(id));
    data.insert("key".into(), Json::from(id));
    data.insert("source".into(), Json::from(graph.node(from).id.as_str()));
    data.insert("target".into(), Json::from(graph.node(to).id.as_str()));
    data.insert("kind".into(), Json::from(edge.kind.as_str()));
    let sources = contents.source_ids(graph.edge_sources(edge_idx));
    data.insert("sources".into(), Json::from(sources));
    insert_validity(&mut data, edge.valid);
    for (key, value) in graph.edge_props(edge_idx) {
        data.insert(prop_field(key, EDGE_FIELDS), prop_json(value));
    }
    data
}

/// `valid_from` / `valid_to` as ISO strings where present.
pub(crate) fn insert_validity(data: &mut Map<String, Json>, valid: Validity) {
    if let Some(from) = valid.from {
        data.insert("valid_from".into(), Json::from(from.to_string()));
    }
    if let Some(to) = valid.to {
        data.insert("valid_to".into(), Json::from(to.to_string()));
    }
}
