//! Edges by (node, direction, kind) in one compact table (CSR), built once
//! after loading on the first traversal: a hub country with a million trade
//! edges answers "its `issued_by` edges" without scanning them all. The
//! table also ranks the nodes by id, so that walks order their steps by
//! comparing integers and turn ids into strings only for output.
//!
//! Invariant: the index mirrors the graph it was built from; the graph
//! drops it on every mutation.

use std::sync::{Arc, OnceLock};

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::graph::{Edge, Node};
use super::kinds::{EdgeKind, NodeKind};
use super::neighbors::NeighborIndex;

const N_KINDS: usize = EdgeKind::ALL.len();

/// Per (node, direction, kind), the `(edge, other end)` pairs in edge order.
#[derive(Debug, Clone, Default)]
pub(crate) struct KindIndex {
    /// Start of each slot in `entries`, plus one end marker.
    offsets: Vec<u32>,
    entries: Vec<(EdgeIndex, NodeIndex)>,
    /// Each node's place in the order of ids (byte order): comparing ranks
    /// compares ids.
    rank: Vec<u32>,
    /// Each node's kind (the walks that avoid countries read it).
    node_kinds: Vec<NodeKind>,
    /// Each node's distinct neighbours, built on the first walk that asks.
    neighbors: OnceLock<Arc<NeighborIndex>>,
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
        KindIndex {
            offsets,
            entries,
            rank: rank_by_id(store),
            node_kinds: store.node_weights().map(|node| node.kind).collect(),
            neighbors: OnceLock::new(),
        }
    }

    /// Each node's distinct neighbours with the runs of their edges,
    /// built on first use.
    pub(crate) fn neighbors(&self) -> &Arc<NeighborIndex> {
        self.neighbors
            .get_or_init(|| Arc::new(NeighborIndex::build(self, &self.node_kinds)))
    }

    /// A node's place in the order of ids: `rank(a) < rank(b)` exactly when
    /// `a`'s id sorts before `b`'s.
    pub(crate) fn rank(&self, node: NodeIndex) -> u32 {
        self.rank.get(node.index()).copied().unwrap_or(u32::MAX)
    }

    /// The steps of a walk from `node`: its edges of every kind in both
    /// directions that `keep` accepts, as `(edge, other end)`, ordered by
    /// kind, then the other end's id, then edge order (a self-loop comes
    /// twice). `found` is cleared first; callers reuse it across nodes.
    pub(crate) fn walk_steps(
        &self,
        node: NodeIndex,
        mut keep: impl FnMut(EdgeKind, EdgeIndex, NodeIndex) -> bool,
        found: &mut Vec<(EdgeIndex, NodeIndex)>,
    ) {
        found.clear();
        for kind in EdgeKind::ALL {
            let start = found.len();
            for direction in [Direction::Outgoing, Direction::Incoming] {
                let entries = self.edges(node, kind, direction);
                found.extend(
                    entries
                        .iter()
                        .filter(|(edge, other)| keep(kind, *edge, *other)),
                );
            }
            found[start..].sort_unstable_by_key(|(edge, other)| (self.rank(*other), *edge));
        }
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

/// Each node's place in the order of ids.
fn rank_by_id(store: &DiGraph<Node, Edge>) -> Vec<u32> {
    let mut by_id: Vec<NodeIndex> = store.node_indices().collect();
    by_id.sort_unstable_by(|a, b| store[*a].id.cmp(&store[*b].id));
    let mut rank = vec![0u32; by_id.len()];
    for (place, node) in by_id.iter().enumerate() {
        rank[node.index()] = place as u32;
    }
    rank
}

fn slot(node: NodeIndex, direction: Direction, kind: EdgeKind) -> usize {
    let direction = match direction {
        Direction::Outgoing => 0,
        Direction::Incoming => 1,
    };
    (node.index() * 2 + direction) * N_KINDS + kind as usize
}
