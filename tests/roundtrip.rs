//! load → save → load gives the same graph, through JSON and through CSV.

use critmin::export::{csv::to_csv, native::to_json};
use critmin::load::{Loaded, load_texts};
use critmin::model::{Graph, Subgraph, Value};

const FIXTURE: &str = include_str!("fixtures/roundtrip.json");

fn load_fixture() -> Loaded {
    load_texts(&[("roundtrip.json", FIXTURE)]).unwrap()
}

/// Everything a user can observe of a graph, in a canonical order.
fn observable(graph: &Graph) -> Vec<String> {
    let mut lines = Vec::new();
    for node_idx in graph.node_indices() {
        let node = graph.node(node_idx);
        let props: Vec<String> = graph
            .node_props(node_idx)
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        let sources: Vec<&str> = graph
            .node_sources(node_idx)
            .iter()
            .map(|s| graph.source(*s).id.as_str())
            .collect();
        let mut props = props;
        props.sort();
        lines.push(format!(
            "node {} {} {:?} {:?} {props:?} {sources:?} {:?}",
            node.id, node.kind, node.name, node.aliases, node.valid
        ));
    }
    for edge_idx in graph.edge_indices() {
        let edge = graph.edge(edge_idx);
        let (from, to) = graph.endpoints(edge_idx);
        let mut props: Vec<String> = graph
            .edge_props(edge_idx)
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        props.sort();
        let sources: Vec<&str> = graph
            .edge_sources(edge_idx)
            .iter()
            .map(|s| graph.source(*s).id.as_str())
            .collect();
        lines.push(format!(
            "edge {} {} {} {props:?} {sources:?} {:?}",
            graph.node(from).id,
            edge.kind,
            graph.node(to).id,
            edge.valid
        ));
    }
    for source in graph.sources() {
        lines.push(format!("source {source:?}"));
    }
    lines.sort();
    lines
}

#[test]
fn json_round_trip_keeps_ids_props_sources_and_validity() {
    let original = load_fixture().graph;
    let saved = to_json(&original, None);
    let reloaded = load_texts(&[("saved.json", &saved)]).unwrap().graph;
    assert_eq!(observable(&original), observable(&reloaded));
    assert_eq!(saved, to_json(&reloaded, None), "saving is deterministic");
    let policy = reloaded.node_by_id("cn-mofcom-2024-46").unwrap();
    assert_eq!(
        reloaded
            .node_prop(policy, "suspended")
            .and_then(Value::as_date)
            .map(|d| d.to_string()),
        Some("2025-11-09".into())
    );
}

#[test]
fn csv_round_trip_keeps_ids_props_sources_and_validity() {
    let original = load_fixture().graph;
    let files = to_csv(&original, &Subgraph::all(&original));
    let texts: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (*name, text.as_str()))
        .collect();
    let reloaded = load_texts(&texts).unwrap().graph;
    assert_eq!(observable(&original), observable(&reloaded));
}

#[test]
fn a_subgraph_exports_with_only_the_sources_it_cites() {
    let graph = load_fixture().graph;
    let germanium = graph.node_by_id("germanium").unwrap();
    let mut subgraph = Subgraph::new();
    subgraph.add_node(germanium);
    let saved = to_json(&graph, Some(&subgraph));
    assert!(saved.contains("\"usgs-mcs-2025\"") && !saved.contains("mofcom-2024-46"));
    let reloaded = load_texts(&[("sub.json", &saved)]).unwrap().graph;
    assert_eq!(reloaded.node_count(), 1);
}
