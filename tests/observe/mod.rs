//! What a user can observe of a graph, as lines to compare two graphs by
//! (the round-trip tests of the exports and of the snapshot share it).

use critmin::model::Graph;

/// How strictly two graphs must agree.
#[allow(dead_code)] // each test crate compares in one of the two orders
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The same nodes, edges, properties (in order), property keys and
    /// sources, in the same index order: a snapshot keeps the graph as is.
    Exact,
    /// The same, whatever the order of items and of their properties: an
    /// export may write them in another order.
    Canonical,
}

/// Every node and edge with kind, names, aliases, validity, typed
/// properties and source ids, and the sources table.
pub fn observable(graph: &Graph, order: Order) -> Vec<String> {
    let canonical = order == Order::Canonical;
    let props_of = |props: Vec<String>| {
        let mut props = props;
        if canonical {
            props.sort();
        }
        props
    };
    let source_ids = |sources: &[critmin::model::SourceIdx]| -> Vec<String> {
        sources
            .iter()
            .map(|source| graph.source(*source).id.clone())
            .collect()
    };
    let mut lines = Vec::new();
    for node_idx in graph.node_indices() {
        let node = graph.node(node_idx);
        let props = props_of(
            graph
                .node_props(node_idx)
                .map(|(key, value)| format!("{key}={value:?}"))
                .collect(),
        );
        lines.push(format!(
            "node {} {} {:?} {:?} {props:?} {:?} {:?}",
            node.id,
            node.kind,
            node.name,
            node.aliases,
            source_ids(graph.node_sources(node_idx)),
            node.valid
        ));
    }
    for edge_idx in graph.edge_indices() {
        let edge = graph.edge(edge_idx);
        let (from, to) = graph.endpoints(edge_idx);
        let props = props_of(
            graph
                .edge_props(edge_idx)
                .map(|(key, value)| format!("{key}={value:?}"))
                .collect(),
        );
        lines.push(format!(
            "edge {} {} {} {props:?} {:?} {:?}",
            graph.node(from).id,
            edge.kind,
            graph.node(to).id,
            source_ids(graph.edge_sources(edge_idx)),
            edge.valid
        ));
    }
    lines.extend(
        graph
            .sources()
            .iter()
            .map(|source| format!("source {source:?}")),
    );
    if canonical {
        lines.sort();
    } else {
        lines.push(format!("keys {:?}", graph.prop_keys()));
    }
    lines
}
