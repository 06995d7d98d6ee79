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
    /// Per node: its edges in (kind, edge) order, then placed by their
    /// other end (ordered by id) without a sort of the edges themselves —
    /// only the distinct other ends are sorted.
    pub(crate) fn build(index: &KindIndex, node_kinds: &[NodeKind]) -> NeighborIndex {
        let n_nodes = node_kinds.len();
        let mut built = NeighborIndex {
            run_offsets: Vec::with_capacity(n_nodes + 1),
            plain_offsets: Vec::with_capacity(n_nodes + 1),
            ..NeighborIndex::default()
        };
        let mut scratch = Scratch {
            run_of: vec![u32::MAX; n_nodes],
            ..Scratch::default()
        };
        for node in 0..n_nodes {
            built.run_offsets.push(built.runs.len() as u32);
            built.plain_offsets.push(built.plain_runs.len() as u32);
            scratch.edges_in_order(index, NodeIndex::new(node));
            built.add_runs(index, node_kinds, &mut scratch);
        }
        built.run_offsets.push(built.runs.len() as u32);
        built.plain_offsets.push(built.plain_runs.len() as u32);
        built
    }

    /// Appends one node's runs from its edges in (kind, edge) order.
    fn add_runs(&mut self, index: &KindIndex, node_kinds: &[NodeKind], scratch: &mut Scratch) {
        let Scratch {
            run_of,
            at_node,
            others,
            next,
        } = scratch;
        others.clear();
        for (_, _, other) in at_node.iter() {
            if run_of[other.index()] == u32::MAX {
                run_of[other.index()] = 0;
                others.push(*other);
            }
        }
        others.sort_unstable_by_key(|other| index.rank(*other));
        let first_run = self.runs.len();
        for (place, other) in others.iter().enumerate() {
            run_of[other.index()] = place as u32;
            if node_kinds.get(other.index()) != Some(&NodeKind::Country) {
                self.plain_runs.push((first_run + place) as u32);
            }
            self.runs.push(NeighborRun {
                other: *other,
                kinds: 0,
                start: 0,
                end: 0,
            });
        }
        for (_, kind, other) in at_node.iter() {
            let run = &mut self.runs[first_run + run_of[other.index()] as usize];
            run.end += 1;
            run.kinds |= kind_bit(*kind);
        }
        let mut start = self.steps.len() as u32;
        next.clear();
        for run in &mut self.runs[first_run..] {
            let count = run.end;
            run.start = start;
            run.end = start + count;
            next.push(start);
            start += count;
        }
        self.steps
            .resize(start as usize, (EdgeIndex::end(), EdgeKind::Produces));
        for (edge_idx, kind, other) in at_node.iter() {
            let place = &mut next[run_of[other.index()] as usize];
            self.steps[*place as usize] = (*edge_idx, *kind);
            *place += 1;
        }
        for other in others.iter() {
            run_of[other.index()] = u32::MAX;
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

/// Reused buffers of [`NeighborIndex::build`].
#[derive(Default)]
struct Scratch {
    /// Per node: its run among the current node's, or `u32::MAX`.
    run_of: Vec<u32>,
    /// The current node's edges in (kind, edge) order, with the other end.
    at_node: Vec<(EdgeIndex, EdgeKind, NodeIndex)>,
    /// The current node's distinct other ends.
    others: Vec<NodeIndex>,
    /// Per run: where its next edge goes.
    next: Vec<u32>,
}

impl Scratch {
    /// `node`'s edges of every kind in both directions, by kind, then edge
    /// order (each slot of the edge index is in edge order: a merge).
    fn edges_in_order(&mut self, index: &KindIndex, node: NodeIndex) {
        self.at_node.clear();
        for kind in EdgeKind::ALL {
            let outgoing = index.edges(node, kind, Direction::Outgoing);
            let incoming = index.edges(node, kind, Direction::Incoming);
            let (mut out_at, mut in_at) = (0, 0);
            while out_at < outgoing.len() || in_at < incoming.len() {
                let take_out = match (outgoing.get(out_at), incoming.get(in_at)) {
                    (Some(out), Some(inc)) => out.0 <= inc.0,
                    (Some(_), None) => true,
                    _ => false,
                };
                let (edge_idx, other) = if take_out {
                    out_at += 1;
                    outgoing[out_at - 1]
                } else {
                    in_at += 1;
                    incoming[in_at - 1]
                };
                self.at_node.push((edge_idx, kind, other));
            }
        }
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
