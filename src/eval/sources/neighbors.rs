//! `neighbors NODE [depth N] [via KINDS]`: a breadth-first walk over each
//! node's distinct neighbours (`model::NeighborIndex`), one step per
//! neighbour however many parallel edges join them. The walk records no
//! evidence: it leaves a trace (`model::NeighborTrace`) that tells each
//! row's edges when an export or a chart asks (read at once when `as of`
//! filters the edges, so that the trace needs no view). Its rows hold
//! lazy cells (`LazyCell`): texts are read from the graph when shown.

use std::sync::Arc;

use crate::analysis::Context;
use crate::model::{EdgeIndex, EdgeKind, KindMask, NeighborTrace, NodeIndex, kind_bit};

use super::super::result::{Cell, Evidence, LazyCell, QueryResult, Row};

/// Slot of a node no step has reached yet.
const UNREACHED: u32 = u32::MAX;

/// One row per node reached, in the order a breadth-first walk in walk
/// order first reaches it: per expanded node, its new neighbours by the
/// kind of their first step (the smallest kind, then the smallest edge of
/// that kind among the edges the view keeps), then id, with that edge.
/// Every edge the walk passes belongs to the evidence of the later-reached
/// of its two ends (the start node's to the answer's base).
pub fn neighbors(ctx: &Context, start: NodeIndex, depth: usize, via: &[EdgeKind]) -> QueryResult {
    let mut result = QueryResult::new(&["id", "name", "kind", "depth", "edge", "from", "detail"]);
    result.base.add_node(start);
    let kinds: KindMask = if via.is_empty() {
        crate::model::ALL_KINDS
    } else {
        via.iter().fold(0, |mask, kind| mask | kind_bit(*kind))
    };
    let index = Arc::clone(ctx.graph.adjacency().neighbors());
    let mut slot_of = vec![UNREACHED; ctx.graph.node_count()];
    let Some(start_slot) = slot_of.get_mut(start.index()) else {
        return result;
    };
    *start_slot = 0;
    let mut node_of = vec![start];
    // Per slot after the start's: the hop, the edge and the node it was
    // reached from (the rows are built once the walk is done).
    let mut reached_by: Vec<(usize, EdgeIndex, NodeIndex)> = Vec::new();
    let mut n_expanded = 0;
    // Per kind, the nodes one expansion reaches first, by id, with the edge.
    let mut by_kind: Vec<Vec<(NodeIndex, EdgeIndex)>> = vec![Vec::new(); EdgeKind::ALL.len()];
    let mut frontier = 0..node_of.len();
    for hop in 1..=depth {
        n_expanded = node_of.len();
        for slot in frontier.clone() {
            if node_of.len() == slot_of.len() {
                // Every node has its row: the rest of the walk adds none
                // (evidence is the trace's, which counts these as expanded).
                break;
            }
            let node_idx = node_of[slot];
            for run in index.runs(node_idx) {
                if slot_of[run.other.index()] != UNREACHED {
                    continue;
                }
                let first = index.first_step(run, kinds, |edge_idx| ctx.edge_active(edge_idx));
                if let Some((edge_idx, kind)) = first {
                    by_kind[kind as usize].push((run.other, edge_idx));
                }
            }
            for reached in &mut by_kind {
                for (other, edge_idx) in reached.drain(..) {
                    slot_of[other.index()] = node_of.len() as u32;
                    node_of.push(other);
                    reached_by.push((hop, edge_idx, node_idx));
                }
            }
        }
        frontier = frontier.end..node_of.len();
    }
    let trace = Arc::new(NeighborTrace {
        index,
        slot_of,
        node_of,
        n_expanded: n_expanded as u32,
        kinds,
    });
    let evidence = |slot: usize| evidence_of(ctx, &trace, slot);
    result.base.extend(&evidence(0).subgraph());
    result.rows.reserve_exact(reached_by.len());
    for (row_no, (hop, edge_idx, from)) in reached_by.into_iter().enumerate() {
        let slot = row_no + 1;
        let node_idx = trace.node_of[slot];
        result
            .rows
            .push(neighbor_row(node_idx, hop, edge_idx, from, evidence(slot)));
    }
    result
}

/// The evidence of a slot's row (the base's for slot 0): read from the
/// trace at once when the view filters edges (`as of`), else left to it.
fn evidence_of(ctx: &Context, trace: &Arc<NeighborTrace>, slot: usize) -> Evidence {
    if ctx.as_of.is_some() {
        Evidence::Known(trace.evidence(slot, |edge_idx| ctx.edge_active(edge_idx)))
    } else {
        Evidence::Walk {
            trace: Arc::clone(trace),
            slot: slot as u32,
        }
    }
}

/// The row of a node `neighbors` reached from `from` along `edge_idx`:
/// its texts are read from the graph when shown ([`LazyCell`]).
fn neighbor_row(
    node_idx: NodeIndex,
    hop: usize,
    edge_idx: EdgeIndex,
    from: NodeIndex,
    evidence: Evidence,
) -> Row {
    Row {
        cells: vec![
            Cell::Lazy(LazyCell::NodeId(node_idx)),
            Cell::Lazy(LazyCell::NodeName(node_idx)),
            Cell::Lazy(LazyCell::NodeKind(node_idx)),
            Cell::Num(hop as f64),
            Cell::Lazy(LazyCell::EdgeKind(edge_idx)),
            Cell::Node(from),
            Cell::Lazy(LazyCell::EdgeDetail(edge_idx)),
        ],
        node: Some(node_idx),
        evidence,
        explain: Default::default(),
    }
}
