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

    /// Edge ends in the table (each edge twice: at its source and its
    /// target).
    pub(crate) fn n_edge_ends(&self) -> usize {
        self.entries.len()
    }

    /// Edge ends at the nodes of `range`.
    pub(crate) fn n_edge_ends_in(&self, range: std::ops::Range<usize>) -> usize {
        let at = |node: usize| {
            let slot = (node * 2 * N_KINDS).min(self.offsets.len().saturating_sub(1));
            self.offsets.get(slot).copied().unwrap_or(0) as usize
        };
        at(range.end).saturating_sub(at(range.start))
    }

    /// `0..n_nodes` cut into at most `parts` consecutive ranges with about
    /// as many edge ends each (none empty).
    pub(crate) fn node_ranges(&self, n_nodes: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
        let total = self.n_edge_ends_in(0..n_nodes);
        let mut ranges = Vec::with_capacity(parts);
        let mut start = 0;
        for part in 1..parts {
            let goal = total * part / parts;
            // The first node whose edge ends before it reach the goal.
            let (mut end, mut above) = (start, n_nodes);
            while end < above {
                let middle = end + (above - end) / 2;
                if self.n_edge_ends_in(0..middle) < goal {
                    end = middle + 1;
                } else {
                    above = middle;
                }
            }
            if end > start {
                ranges.push(start..end);
                start = end;
            }
        }
        if start < n_nodes {
            ranges.push(start..n_nodes);
        }
        ranges
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fields, Graph};

    /// A graph of `n_nodes` countries and minerals with pseudo-random
    /// edges of several kinds, parallel edges and self-loops among them.
    fn tangled(n_nodes: usize, n_edges: usize) -> Graph {
        let mut graph = Graph::new();
        let nodes: Vec<NodeIndex> = (0..n_nodes)
            .map(|k| {
                let kind = if k % 3 == 0 {
                    NodeKind::Country
                } else {
                    NodeKind::Mineral
                };
                // Ids out of index order (`n10` sorts before `n2`).
                let id = format!("n{}", (k * 7) % n_nodes);
                graph.add_node(id, kind, format!("Node {k}"), Vec::new(), Fields::default())
            })
            .collect();
        let kinds = [EdgeKind::Produces, EdgeKind::ImportsFrom, EdgeKind::UsedIn];
        let mut seed: u64 = 7;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % bound
        };
        for _ in 0..n_edges {
            let (from, to, kind) = (next(n_nodes), next(n_nodes / 4 + 1), next(kinds.len()));
            graph.add_edge(nodes[from], nodes[to], kinds[kind], Fields::default());
        }
        graph
    }

    #[test]
    fn the_neighbour_index_is_the_same_built_in_any_number_of_parts() {
        let graph = tangled(60, 900);
        let index = graph.adjacency();
        let whole = NeighborIndex::build_in_parts(index, &index.node_kinds, 1);
        assert!(whole.runs(NodeIndex::new(0)).len() > 1);
        for parts in [2, 3, 5, 60, 200] {
            let built = NeighborIndex::build_in_parts(index, &index.node_kinds, parts);
            assert_eq!(built, whole, "{parts} parts");
        }
    }

    #[test]
    fn node_ranges_cover_every_node_once_with_about_equal_edge_ends() {
        let graph = tangled(60, 900);
        let index = graph.adjacency();
        for parts in [1, 2, 3, 7, 60, 200] {
            let ranges = index.node_ranges(60, parts);
            assert!(ranges.len() <= parts && !ranges.is_empty(), "{parts} parts");
            assert_eq!(ranges.first().map(|range| range.start), Some(0));
            assert_eq!(ranges.last().map(|range| range.end), Some(60));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert!(!pair[0].is_empty());
            }
        }
        let halves = index.node_ranges(60, 2);
        let ends: Vec<usize> = halves
            .iter()
            .map(|range| index.n_edge_ends_in(range.clone()))
            .collect();
        assert_eq!(ends.iter().sum::<usize>(), 1800);
        assert!(ends.iter().all(|&at| at > 600), "{ends:?}");
    }
}
