//! Node-link JSON: what D3 force layouts and `networkx.node_link_graph`
//! read.
//!
//! Layout: `{"directed": true, "multigraph": true, "graph": {"name":
//! "critmin", "critmin": {format, version, export, sources}}, "nodes":
//! [{"id", "name", "kind", "aliases", "sources", valid_from/valid_to,
//! props...}], "edges": [{"source", "target", "key", "kind", "sources",
//! validity, props...}], "links": [the same]}`. The edges sit under both
//! `edges` (networkx 3.4 and later) and `links` (D3, networkx before 3.4),
//! so `networkx.node_link_graph(data)` loads the file with its default
//! arguments in every version. `key` is the edge id
//! `from|kind|to|n`, unique, the multigraph key. A property whose key is one
//! of those fields is written as `prop_<key>`.
//!
//! Invariant: nodes by id, links by `(source id, kind, target id)`, keys sorted.

use serde_json::{Map, Value as Json};

use super::cytoscape::insert_validity;
use super::{Contents, ExportFormat, prop_field, prop_json};
use crate::model::{EdgeIndex, NodeIndex};

const NODE_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
const LINK_FIELDS: &[&str] = &[
    "source",
    "target",
    "key",
    "kind",
    "sources",
    "valid_from",
    "valid_to",
];

/// The contents as node-link JSON text (pretty-printed).
pub(crate) fn to_node_link(contents: &Contents) -> String {
    let mut graph_data = Map::new();
    graph_data.insert("name".into(), Json::from("critmin"));
    graph_data.insert(
        "critmin".into(),
        contents.metadata_json(ExportFormat::NodeLink),
    );
    let nodes = contents
        .nodes
        .iter()
        .map(|node_idx| Json::Object(node_object(contents, *node_idx)))
        .collect();
    let links = contents
        .edges
        .iter()
        .map(|(edge_idx, id)| Json::Object(link_object(contents, *edge_idx, id)))
        .collect();
    let mut file = Map::new();
    file.insert("directed".into(), Json::Bool(true));
    file.insert("multigraph".into(), Json::Bool(true));
    file.insert("graph".into(), Json::Object(graph_data));
    file.insert("nodes".into(), Json::Array(nodes));
    // The same edges under both names, so that networkx's defaults load
    // the file: `edges` (3.4 and later), `links` (before 3.4, and D3).
    file.insert("edges".into(), Json::Array(links));
    file.insert("links".into(), file["edges"].clone());
    let mut text = serde_json::to_string_pretty(&Json::Object(file)).unwrap_or_default();
    text.push('\n');
    text
}

fn node_object(contents: &Contents, node_idx: NodeIndex) -> Map<String, Json> {
    let graph = contents.graph;
    let node = graph.node(node_idx);
    let mut object = Map::new();
    object.insert("id".into(), Json::from(node.id.as_str()));
    object.insert("name".into(), Json::from(node.name.as_str()));
    object.insert("kind".into(), Json::from(node.kind.as_str()));
    if !node.aliases.is_empty() {
        object.insert("aliases".into(), Json::from(node.aliases.clone()));
    }
    let sources = contents.source_ids(graph.node_sources(node_idx));
    object.insert("sources".into(), Json::from(sources));
    insert_validity(&mut object, node.valid);
    for (key, value) in graph.node_props(node_idx) {
        object.insert(prop_field(key, NODE_FIELDS), prop_json(value));
    }
    object
}

fn link_object(contents: &Contents, edge_idx: EdgeIndex, id: &str) -> Map<String, Json> {
    let graph = contents.graph;
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let mut object = Map::new();
    object.insert("source".into(), Json::from(graph.node(from).id.as_str()));
    object.insert("target".into(), Json::from(graph.node(to).id.as_str()));
    object.insert("key".into(), Json::from(id));
    object.insert("kind".into(), Json::from(edge.kind.as_str()));
    let sources = contents.source_ids(graph.edge_sources(edge_idx));
    object.insert("sources".into(), Json::from(sources));
    insert_validity(&mut object, edge.valid);
    for (key, value) in graph.edge_props(edge_idx) {
        object.insert(prop_field(key, LINK_FIELDS), prop_json(value));
    }
    object
}
