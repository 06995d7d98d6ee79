//! A set of nodes and edges: the evidence behind a query result.

use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::graph::{Graph, SourceIdx};

/// Nodes and edges of a graph; edges bring their endpoints along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    pub nodes: BTreeSet<NodeIndex>,
    pub edges: BTreeSet<EdgeIndex>,
}

impl Subgraph {
    pub fn new() -> Subgraph {
        Subgraph::default()
    }

    /// The whole graph.
    pub fn all(graph: &Graph) -> Subgraph {
        Subgraph {
            nodes: graph.node_indices().collect(),
            edges: graph.edge_indices().collect(),
        }
    }

    /// A subgraph from lists gathered in any order, with repeats: each list
    /// is sorted once and the sets are built in bulk (evidence recorded once
    /// per answer, not per step). Edges bring no endpoints here: `nodes`
    /// must hold them.
    pub fn from_lists(mut nodes: Vec<NodeIndex>, mut edges: Vec<EdgeIndex>) -> Subgraph {
        nodes.sort_unstable();
        nodes.dedup();
        edges.sort_unstable();
        edges.dedup();
        Subgraph {
            nodes: nodes.into_iter().collect(),
            edges: edges.into_iter().collect(),
        }
    }

    pub fn add_node(&mut self, node_idx: NodeIndex) {
        self.nodes.insert(node_idx);
    }

    /// Adds an edge and both its endpoints.
    pub fn add_edge(&mut self, graph: &Graph, edge_idx: EdgeIndex) {
        let (from, to) = graph.endpoints(edge_idx);
        self.nodes.insert(from);
        self.nodes.insert(to);
        self.edges.insert(edge_idx);
    }

    /// Adds every edge whose two ends are already in the subgraph and that
    /// `keep` accepts (a node list's export brings the edges among its nodes).
    pub fn add_edges_among(&mut self, graph: &Graph, keep: impl Fn(EdgeIndex) -> bool) {
        let mut found = Vec::new();
        for node_idx in &self.nodes {
            for (edge_idx, other, direction) in graph.all_edges_at(*node_idx) {
                if direction == super::Direction::Outgoing
                    && self.nodes.contains(&other)
                    && keep(edge_idx)
                {
                    found.push(edge_idx);
                }
            }
        }
        self.edges.extend(found);
    }

    pub fn extend(&mut self, other: &Subgraph) {
        self.nodes.extend(other.nodes.iter().copied());
        self.edges.extend(other.edges.iter().copied());
    }

    /// The sources cited by the nodes and edges, ordered by source id.
    pub fn cited_sources(&self, graph: &Graph) -> Vec<SourceIdx> {
        let mut cited: BTreeSet<SourceIdx> = BTreeSet::new();
        for node_idx in &self.nodes {
            cited.extend(graph.node_sources(*node_idx));
        }
        for edge_idx in &self.edges {
            cited.extend(graph.edge_sources(*edge_idx));
        }
        let mut cited: Vec<SourceIdx> = cited.into_iter().collect();
        cited.sort_by(|a, b| graph.source(*a).id.cmp(&graph.source(*b).id));
        cited
    }

    /// The edges ordered by (from id, kind, to id), then load order.
    pub fn sorted_edges(&self, graph: &Graph) -> Vec<EdgeIndex> {
        let mut edges: Vec<EdgeIndex> = self.edges.iter().copied().collect();
        edges.sort_by_cached_key(|edge_idx| {
            let (from, to) = graph.endpoints(*edge_idx);
            (
                graph.node(from).id.clone(),
                graph.edge(*edge_idx).kind,
                graph.node(to).id.clone(),
                *edge_idx,
            )
        });
        edges
    }

    /// The nodes ordered by id.
    pub fn sorted_nodes(&self, graph: &Graph) -> Vec<NodeIndex> {
        let mut nodes: Vec<NodeIndex> = self.nodes.iter().copied().collect();
        nodes.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id));
        nodes
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }
}
