//! Counts that describe a graph, for `critmin check` and `.schema`.

use std::collections::BTreeMap;

use super::graph::Graph;
use super::kinds::{EdgeKind, NodeKind};
use super::value::{PartialDate, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct GraphStats {
    pub nodes_by_kind: BTreeMap<NodeKind, usize>,
    pub edges_by_kind: BTreeMap<EdgeKind, usize>,
    pub sources: usize,
    pub nodes_with_sources: usize,
    pub edges_with_sources: usize,
    /// Earliest and latest date found in props and validity.
    pub date_range: Option<(PartialDate, PartialDate)>,
}

impl GraphStats {
    pub fn of(graph: &Graph) -> GraphStats {
        let mut stats = GraphStats {
            nodes_by_kind: NodeKind::ALL.iter().map(|kind| (*kind, 0)).collect(),
            edges_by_kind: EdgeKind::ALL.iter().map(|kind| (*kind, 0)).collect(),
            sources: graph.sources().len(),
            nodes_with_sources: 0,
            edges_with_sources: 0,
            date_range: None,
        };
        let mut dates: Vec<PartialDate> = Vec::new();
        for node_idx in graph.node_indices() {
            let node = graph.node(node_idx);
            *stats.nodes_by_kind.entry(node.kind).or_default() += 1;
            stats.nodes_with_sources += usize::from(!graph.node_sources(node_idx).is_empty());
            dates.extend(node.valid.from.into_iter().chain(node.valid.to));
            dates.extend(
                graph
                    .node_props(node_idx)
                    .filter_map(|(_, value)| Value::as_date(value)),
            );
        }
        for edge_idx in graph.edge_indices() {
            let edge = graph.edge(edge_idx);
            *stats.edges_by_kind.entry(edge.kind).or_default() += 1;
            stats.edges_with_sources += usize::from(!graph.edge_sources(edge_idx).is_empty());
            dates.extend(edge.valid.from.into_iter().chain(edge.valid.to));
            dates.extend(
                graph
                    .edge_props(edge_idx)
                    .filter_map(|(_, value)| Value::as_date(value)),
            );
        }
        let earliest = dates.iter().min().copied();
        let latest = dates.iter().max().copied();
        stats.date_range = earliest.zip(latest);
        stats
    }

    pub fn node_total(&self) -> usize {
        self.nodes_by_kind.values().sum()
    }

    pub fn edge_total(&self) -> usize {
        self.edges_by_kind.values().sum()
    }
}
