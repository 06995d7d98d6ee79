//! load → save → load gives the same graph, through JSON and through CSV.

use critmin::export::{csv::to_csv, native::to_json};
use critmin::load::{Loaded, load_texts};
use critmin::model::{Subgraph, Value};

mod observe;
use observe::{Order, observable};

const FIXTURE: &str = include_str!("fixtures/roundtrip.json");

fn load_fixture() -> Loaded {
    load_texts(&[("roundtrip.json", FIXTURE)]).unwrap()
}

#[test]
fn json_round_trip_keeps_ids_props_sources_and_validity() {
    let original = load_fixture().graph;
    let saved = to_json(&original, None);
    let reloaded = load_texts(&[("saved.json", &saved)]).unwrap().graph;
    assert_eq!(
        observable(&original, Order::Canonical),
        observable(&reloaded, Order::Canonical)
    );
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
    assert_eq!(
        observable(&original, Order::Canonical),
        observable(&reloaded, Order::Canonical)
    );
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
