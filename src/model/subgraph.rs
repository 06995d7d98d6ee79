//! A set of nodes and edges: the evidence behind a query result.

use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::graph::Graph;

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

    pub fn extend(&mut self, other: &Subgraph) {
        self.nodes.extend(other.nodes.iter().copied());
        self.edges.extend(other.edges.iter().copied());
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }
}
