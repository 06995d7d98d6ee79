//! The native JSON format (docs/DATA_FORMAT.md): what `load` reads, written
//! back. A saved graph or subgraph loads again unchanged.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::model::{Graph, NodeIndex, SourceIdx, Subgraph, Validity, Value};

pub const FORMAT_NAME: &str = "critmin-graph";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct File<'g> {
    format: &'static str,
    version: u32,
    sources: Vec<SourceOut<'g>>,
    nodes: Vec<NodeOut<'g>>,
    edges: Vec<EdgeOut<'g>>,
}

#[derive(Serialize)]
struct SourceOut<'g> {
    id: &'g str,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'g str>,
}

#[derive(Serialize)]
struct NodeOut<'g> {
    id: &'g str,
    kind: &'static str,
    name: &'g str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'g [String],
    #[serde(skip_serializing_if = "Map::is_empty")]
    props: Map<String, Json>,
    sources: Vec<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_to: Option<String>,
}

#[derive(Serialize)]
struct EdgeOut<'g> {
    from: &'g str,
    to: &'g str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Map::is_empty")]
    props: Map<String, Json>,
    sources: Vec<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_to: Option<String>,
}

/// The whole graph, or only `subgraph`, as native JSON text (pretty-printed,
/// nodes by id, edges by endpoints, only the sources that are cited).
pub fn to_json(graph: &Graph, subgraph: Option<&Subgraph>) -> String {
    let all;
    let subgraph = match subgraph {
        Some(subgraph) => subgraph,
        None => {
            all = Subgraph::all(graph);
            &all
        }
    };
    let nodes = subgraph.sorted_nodes(graph);
    let edges = subgraph.sorted_edges(graph);
    let sources: Vec<SourceOut> = subgraph
        .cited_sources(graph)
        .iter()
        .map(|source_idx| source_out(graph, *source_idx))
        .collect();
    let file = File {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        sources,
        nodes: nodes
            .iter()
            .map(|node_idx| node_out(graph, *node_idx))
            .collect(),
        edges: edges
            .iter()
            .map(|edge_idx| edge_out(graph, *edge_idx))
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// A property value as JSON: dates as ISO strings.
pub fn value_json(value: &Value) -> Json {
    match value {
        Value::Number(number) => {
            serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number)
        }
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Str(text) => Json::String(text.to_string()),
        Value::Date(date) => Json::String(date.to_string()),
    }
}

fn props_json<'p>(props: impl Iterator<Item = (&'p str, &'p Value)>) -> Map<String, Json> {
    props
        .map(|(key, value)| (key.to_string(), value_json(value)))
        .collect()
}

fn source_ids<'g>(graph: &'g Graph, sources: &[SourceIdx]) -> Vec<&'g str> {
    sources
        .iter()
        .map(|source_idx| graph.source(*source_idx).id.as_str())
        .collect()
}

fn validity_strings(valid: Validity) -> (Option<String>, Option<String>) {
    (
        valid.from.map(|date| date.to_string()),
        valid.to.map(|date| date.to_string()),
    )
}

fn source_out(graph: &Graph, source_idx: SourceIdx) -> SourceOut<'_> {
    let source = graph.source(source_idx);
    SourceOut {
        id: &source.id,
        title: &source.title,
        publisher: source.publisher.as_deref(),
        published: source.published.map(|date| date.to_string()),
        url: source.url.as_deref(),
        note: source.note.as_deref(),
    }
}

fn node_out(graph: &Graph, node_idx: NodeIndex) -> NodeOut<'_> {
    let node = graph.node(node_idx);
    let (valid_from, valid_to) = validity_strings(node.valid);
    NodeOut {
        id: &node.id,
        kind: node.kind.as_str(),
        name: &node.name,
        aliases: &node.aliases,
        props: props_json(graph.node_props(node_idx)),
        sources: source_ids(graph, graph.node_sources(node_idx)),
        valid_from,
        valid_to,
    }
}

fn edge_out(graph: &Graph, edge_idx: crate::model::EdgeIndex) -> EdgeOut<'_> {
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let (valid_from, valid_to) = validity_strings(edge.valid);
    EdgeOut {
        from: &graph.node(from).id,
        to: &graph.node(to).id,
        kind: edge.kind.as_str(),
        props: props_json(graph.edge_props(edge_idx)),
        sources: source_ids(graph, graph.edge_sources(edge_idx)),
        valid_from,
        valid_to,
    }
}
