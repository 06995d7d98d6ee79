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

/// Edge ends below which the index is built on one thread.
const PARALLEL_FROM: usize = 1 << 18;

impl NeighborIndex {
    /// Per node: its edges in (kind, edge) order, then placed by their
    /// other end (ordered by id) without a sort of the edges themselves —
    /// only the distinct other ends are sorted. A large graph is built in
    /// one part per core (ranges of nodes with about as many edge ends
    /// each), joined in node order.
    pub(crate) fn build(index: &KindIndex, node_kinds: &[NodeKind]) -> NeighborIndex {
        let parts = if index.n_edge_ends() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |cores| cores.get().min(8))
        };
        NeighborIndex::build_in_parts(index, node_kinds, parts)
    }

    /// [`NeighborIndex::build`] in `parts` ranges of nodes, each on its own
    /// thread: the same index whatever the number of parts.
    pub(super) fn build_in_parts(
        index: &KindIndex,
        node_kinds: &[NodeKind],
        parts: usize,
    ) -> NeighborIndex {
        let ranges = index.node_ranges(node_kinds.len(), parts.max(1));
        if ranges.len() <= 1 {
            let whole = NeighborIndex::build_range(index, node_kinds, 0..node_kinds.len());
            return NeighborIndex::join(vec![whole]);
        }
        let built = crate::parallel::map_on(ranges.len(), &ranges, |range| {
            NeighborIndex::build_range(index, node_kinds, range.clone())
        });
        NeighborIndex::join(built)
    }

    /// The runs of the nodes in `range`, as an index of its own (offsets
    /// from its own start, no end markers).
    fn build_range(
        index: &KindIndex,
        node_kinds: &[NodeKind],
        range: std::ops::Range<usize>,
    ) -> NeighborIndex {
        let mut built = NeighborIndex {
            run_offsets: Vec::with_capacity(range.len()),
            plain_offsets: Vec::with_capacity(range.len()),
            steps: Vec::with_capacity(index.n_edge_ends_in(range.clone())),
            ..NeighborIndex::default()
        };
        let mut scratch = Scratch {
            run_of: vec![u32::MAX; node_kinds.len()],
            ..Scratch::default()
        };
        for node in range {
            built.run_offsets.push(built.runs.len() as u32);
            built.plain_offsets.push(built.plain_runs.len() as u32);
            scratch.edges_in_order(index, NodeIndex::new(node));
            built.add_runs(index, node_kinds, &mut scratch);
        }
        built
    }

    /// The parts of consecutive node ranges as one index, with its end
    /// markers.
    fn join(mut parts: Vec<NeighborIndex>) -> NeighborIndex {
        if parts.len() == 1 {
            if let Some(mut whole) = parts.pop() {
                whole.run_offsets.push(whole.runs.len() as u32);
                whole.plain_offsets.push(whole.plain_runs.len() as u32);
                return whole;
            }
        }
        let count = |field: fn(&NeighborIndex) -> usize| parts.iter().map(field).sum::<usize>();
        let mut joined = NeighborIndex {
            run_offsets: Vec::with_capacity(count(|part| part.run_offsets.len()) + 1),
            runs: Vec::with_capacity(count(|part| part.runs.len())),
            steps: Vec::with_capacity(count(|part| part.steps.len())),
            plain_offsets: Vec::with_capacity(count(|part| part.plain_offsets.len()) + 1),
            plain_runs: Vec::with_capacity(count(|part| part.plain_runs.len())),
        };
        for part in parts {
            let run_base = joined.runs.len() as u32;
            let step_base = joined.steps.len() as u32;
            let plain_base = joined.plain_runs.len() as u32;
            joined
                .run_offsets
                .extend(part.run_offsets.iter().map(|at| at + run_base));
            joined.runs.extend(part.runs.iter().map(|run| NeighborRun {
                start: run.start + step_base,
                end: run.end + step_base,
                ..*run
            }));
            joined.steps.extend_from_slice(&part.steps);
            joined
                .plain_offsets
                .extend(part.plain_offsets.iter().map(|at| at + plain_base));
            joined
                .plain_runs
                .extend(part.plain_runs.iter().map(|run| run + run_base));
        }
        joined.run_offsets.push(joined.runs.len() as u32);
        joined.plain_offsets.push(joined.plain_runs.len() as u32);
        joined
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
