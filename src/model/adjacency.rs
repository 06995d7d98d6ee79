//! Edges by (node, direction, kind) in one compact table (CSR), built once
//! after loading on the first traversal: a hub country with a million trade
//! edges answers "its `issued_by` edges" without scanning them all.
//!
//! Invariant: the index mirrors the graph it was built from; the graph
//! drops it on every mutation.

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::graph::{Edge, Node};
use super::kinds::EdgeKind;

const N_KINDS: usize = EdgeKind::ALL.len();

/// Per (node, direction, kind), the `(edge, other end)` pairs in edge order.
#[derive(Debug, Clone, Default)]
pub(crate) struct KindIndex {
    /// Start of each slot in `entries`, plus one end marker.
    offsets: Vec<u32>,
    entries: Vec<(EdgeIndex, NodeIndex)>,
}

impl KindIndex {
    pub(crate) fn build(store: &DiGraph<Node, Edge>) -> KindIndex {
        let n_slots = store.node_count() * 2 * N_KINDS;
        let mut counts = vec![0u32; n_slots + 1];
        for edge_ref in store.edge_references() {
            let kind = edge_ref.weight().kind;
            counts[slot(edge_ref.source(), Direction::Outgoing, kind)] += 1;
            counts[slot(edge_ref.target(), Direction::Incoming, kind)] += 1;
        }
        let mut offsets = Vec::with_capacity(n_slots + 1);
        let mut total = 0u32;
        for count in &counts {
            offsets.push(total);
            total += count;
        }
        let mut next = offsets.clone();
        let placeholder = (EdgeIndex::end(), NodeIndex::end());
        let mut entries = vec![placeholder; total as usize];
        for edge_ref in store.edge_references() {
            let kind = edge_ref.weight().kind;
            let ends = [
                (edge_ref.source(), Direction::Outgoing, edge_ref.target()),
                (edge_ref.target(), Direction::Incoming, edge_ref.source()),
            ];
            for (node, direction, other) in ends {
                let position = &mut next[slot(node, direction, kind)];
                entries[*position as usize] = (edge_ref.id(), other);
                *position += 1;
            }
        }
        KindIndex { offsets, entries }
    }

    /// The edges of `kind` at `node` in `direction`, in edge order.
    pub(crate) fn edges(
        &self,
        node: NodeIndex,
        kind: EdgeKind,
        direction: Direction,
    ) -> &[(EdgeIndex, NodeIndex)] {
        let at = slot(node, direction, kind);
        match (self.offsets.get(at), self.offsets.get(at + 1)) {
            (Some(start), Some(end)) => &self.entries[*start as usize..*end as usize],
            _ => &[],
        }
    }
}

fn slot(node: NodeIndex, direction: Direction, kind: EdgeKind) -> usize {
    let direction = match direction {
        Direction::Outgoing => 0,
        Direction::Incoming => 1,
    };
    (node.index() * 2 + direction) * N_KINDS + kind as usize
}
