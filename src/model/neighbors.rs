//! Each node's distinct neighbours (both directions, every kind), in the
//! order of their ids, each with the run of its parallel edges ordered by
//! kind, then edge order: a walk costs one step per neighbour, not per
//! edge (a hub country has a hundred thousand trade edges but a few
//! thousand neighbours). Built from the [`KindIndex`] on the first walk
//! that asks; shared (`Arc`) so that an answer's lazy evidence can read it
//! after the walk (see [`NeighborTrace`]).
//!
//! Invariant: the index mirrors the edge index it was built from; no edge
//! is left out or counted twice (a self-loop, like the edge index, twice).

use std::sync::Arc;

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};

use super::adjacency::KindIndex;
use super::kinds::{EdgeKind, NodeKind};
use super::subgraph::Subgraph;

/// A set of edge kinds, one bit per kind.
pub type KindMask = u32;

/// The mask of one kind.
pub fn kind_bit(kind: EdgeKind) -> KindMask {
    1 << (kind as u32)
}

/// Every kind.
pub const ALL_KINDS: KindMask = (1 << EdgeKind::ALL.len()) - 1;

/// One neighbour of a node: the other end and the kinds of the edges
/// between them; its edges are `steps[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeighborRun {
    pub other: NodeIndex,
    pub kinds: KindMask,
    start: u32,
    end: u32,
}

/// Per node, its neighbour runs by the other end's id, and the runs to
/// nodes that are not countries (the walks that avoid hubs read those).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NeighborIndex {
    /// Start of each node's runs in `runs`, plus an end marker.
    run_offsets: Vec<u32>,
    /// Every node's runs.
    runs: Vec<NeighborRun>,
    /// Each run's edges, by kind, then edge order.
    steps: Vec<(EdgeIndex, EdgeKind)>,
    /// Start of each node's non-country runs in `plain_runs`, plus an end.
    plain_offsets: Vec<u32>,
    /// Indexes into `runs` of the runs whose other end is not a country.
    plain_runs: Vec<u32>,
}

impl NeighborIndex {
    pub(crate) fn build(index: &KindIndex, node_kinds: &[NodeKind]) -> NeighborIndex {
        let n_nodes = node_kinds.len();
        let mut built = NeighborIndex {
            run_offsets: Vec::with_capacity(n_nodes + 1),
            plain_offsets: Vec::with_capacity(n_nodes + 1),
            ..NeighborIndex::default()
        };
        // (rank of the other end, kind, edge, other end) of one node.
        let mut at_node: Vec<(u32, u8, u32, u32)> = Vec::new();
        for node in 0..n_nodes {
            let node_idx = NodeIndex::new(node);
            at_node.clear();
            for kind in EdgeKind::ALL {
                for direction in [Direction::Outgoing, Direction::Incoming] {
                    for (edge_idx, other) in index.edges(node_idx, kind, direction) {
                        at_node.push((
                            index.rank(*other),
                            kind as u8,
                            edge_idx.index() as u32,
                            other.index() as u32,
                        ));
                    }
                }
            }
            at_node.sort_unstable();
            built.run_offsets.push(built.runs.len() as u32);
            built.plain_offsets.push(built.plain_runs.len() as u32);
            built.add_runs(&at_node, node_kinds);
        }
        built.run_offsets.push(built.runs.len() as u32);
        built.plain_offsets.push(built.plain_runs.len() as u32);
        built
    }

    /// Appends one node's runs from its edges sorted by (rank, kind, edge).
    fn add_runs(&mut self, sorted: &[(u32, u8, u32, u32)], node_kinds: &[NodeKind]) {
        let mut previous = None;
        for &(_, kind, edge, other) in sorted {
            let kind = EdgeKind::ALL[kind as usize];
            if previous != Some(other) {
                previous = Some(other);
                if node_kinds.get(other as usize) != Some(&NodeKind::Country) {
                    self.plain_runs.push(self.runs.len() as u32);
                }
                self.runs.push(NeighborRun {
                    other: NodeIndex::new(other as usize),
                    kinds: 0,
                    start: self.steps.len() as u32,
                    end: self.steps.len() as u32,
                });
            }
            self.steps.push((EdgeIndex::new(edge as usize), kind));
            if let Some(run) = self.runs.last_mut() {
                run.kinds |= kind_bit(kind);
                run.end = self.steps.len() as u32;
            }
        }
    }

    /// A node's neighbour runs, by the other end's id.
    pub fn runs(&self, node: NodeIndex) -> &[NeighborRun] {
        let at = node.index();
        match (self.run_offsets.get(at), self.run_offsets.get(at + 1)) {
            (Some(start), Some(end)) => &self.runs[*start as usize..*end as usize],
            _ => &[],
        }
    }

    /// A node's neighbour runs whose other end is not a country, by id.
    pub fn plain_runs(&self, node: NodeIndex) -> impl Iterator<Item = &NeighborRun> + '_ {
        let at = node.index();
        let range = match (self.plain_offsets.get(at), self.plain_offsets.get(at + 1)) {
            (Some(start), Some(end)) => &self.plain_runs[*start as usize..*end as usize],
            _ => &[],
        };
        range.iter().map(|run| &self.runs[*run as usize])
    }

    /// The edges of a run (one of this index's), by kind, then edge order.
    pub fn steps(&self, run: &NeighborRun) -> &[(EdgeIndex, EdgeKind)] {
        self.steps
            .get(run.start as usize..run.end as usize)
            .unwrap_or(&[])
    }

    /// The first edge of a run, in (kind, edge) order, whose kind is in
    /// `kinds` and that `keep` accepts.
    pub fn first_step(
        &self,
        run: &NeighborRun,
        kinds: KindMask,
        mut keep: impl FnMut(EdgeIndex) -> bool,
    ) -> Option<(EdgeIndex, EdgeKind)> {
        if run.kinds & kinds == 0 {
            return None;
        }
        self.steps(run)
            .iter()
            .copied()
            .find(|(edge_idx, kind)| kinds & kind_bit(*kind) != 0 && keep(*edge_idx))
    }
}

/// What a `neighbors` walk leaves behind to tell each row's evidence later
/// (the edges between the row's node and the nodes reached before it, at
/// least one end expanded), so that the walk itself records none.
#[derive(Debug, PartialEq, Eq)]
pub struct NeighborTrace {
    pub index: Arc<NeighborIndex>,
    /// Per node: its slot (0 = the start node, row `n` = slot `n + 1`), or
    /// `u32::MAX` when the walk did not reach it.
    pub slot_of: Vec<u32>,
    /// The node of each slot.
    pub node_of: Vec<NodeIndex>,
    /// Slots below this were expanded (their edges walked).
    pub n_expanded: u32,
    /// The kinds the walk followed (`via`).
    pub kinds: KindMask,
}

impl NeighborTrace {
    /// The evidence of `slot`: its node, and every edge of a followed kind
    /// that `keep` accepts between it and a node of a slot no later, one
    /// of the two expanded, with that node.
    pub fn evidence(&self, slot: usize, mut keep: impl FnMut(EdgeIndex) -> bool) -> Subgraph {
        let Some(node) = self.node_of.get(slot).copied() else {
            return Subgraph::new();
        };
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for run in self.index.runs(node) {
            let other_slot = self
                .slot_of
                .get(run.other.index())
                .copied()
                .unwrap_or(u32::MAX);
            let held = other_slot != u32::MAX
                && other_slot as usize <= slot
                && other_slot < self.n_expanded;
            if !held || run.kinds & self.kinds == 0 {
                continue;
            }
            let before = edges.len();
            edges.extend(
                self.index
                    .steps(run)
                    .iter()
                    .filter(|(edge_idx, kind)| self.kinds & kind_bit(*kind) != 0 && keep(*edge_idx))
                    .map(|(edge_idx, _)| *edge_idx),
            );
            if edges.len() > before {
                nodes.push(run.other);
            }
        }
        if edges.is_empty() {
            return Subgraph::new();
        }
        nodes.push(node);
        Subgraph::from_lists(nodes, edges)
    }
}
