//! The shortest `path` (not `all`, not `via events`) without a walk over
//! the whole graph: a bidirectional breadth-first search over distinct
//! neighbours (`model::NeighborIndex`; the search that avoids countries
//! reads only the runs to other nodes) finds the length, then the path a
//! one-way breadth-first search in walk order would find first is rebuilt
//! over the nodes that lie on shortest paths alone.
//!
//! Why that path is the same: in the one-way search, a node's parent is the
//! first node of the level before (in queue order) that may step to it, and
//! the parent of a node on a shortest path lies on one too; the queue order
//! of a level is the parent's order, then the step's kind, then the node's
//! id — so the queue order restricted to shortest-path nodes, and with it
//! every parent on the path, can be computed from those nodes alone.

use crate::analysis::Context;
use crate::model::{
    ALL_KINDS, EdgeIndex, EdgeKind, KindMask, NeighborIndex, NeighborRun, NodeIndex, NodeKind,
    kind_bit,
};

/// Not reached (a distance or an order).
const NONE: u32 = u32::MAX;

/// The kinds along which the walk may leave or enter an event.
fn causal_kinds() -> KindMask {
    kind_bit(EdgeKind::CausedBy) | kind_bit(EdgeKind::RespondsTo)
}

/// The first shortest path of at most `max_hops` from `from` to `to` that a
/// breadth-first walk in walk order finds (`hubs`: through countries and
/// events too; else into a country only at the end, into or out of an event
/// only along a causal edge), as edges.
pub fn shortest_path(
    ctx: &Context,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
    hubs: bool,
) -> Option<Vec<EdgeIndex>> {
    if from == to {
        return Some(Vec::new());
    }
    let index = ctx.graph.adjacency().neighbors();
    let search = Search {
        ctx,
        index,
        from,
        to,
        hubs,
    };
    let levels = search.levels(max_hops)?;
    let on_path = search.shortest_path_nodes(&levels);
    Some(search.first_path(&on_path))
}

/// The nodes each side reached, level by level, and each node's distance
/// from `from` and to `to` (where reached).
struct Levels {
    forward: Vec<Vec<NodeIndex>>,
    backward: Vec<Vec<NodeIndex>>,
    from_start: Vec<u32>,
    to_end: Vec<u32>,
}

struct Search<'a, 'g> {
    ctx: &'a Context<'g>,
    index: &'a NeighborIndex,
    from: NodeIndex,
    to: NodeIndex,
    hubs: bool,
}

impl Search<'_, '_> {
    /// The kinds along which the walk may step from `at` to `next`.
    fn kinds(&self, at: NodeIndex, next: NodeIndex) -> KindMask {
        if self.hubs {
            return ALL_KINDS;
        }
        let graph = self.ctx.graph;
        let into = match graph.node(next).kind {
            _ if next == self.to => ALL_KINDS,
            NodeKind::Country => 0,
            NodeKind::Event => causal_kinds(),
            _ => ALL_KINDS,
        };
        let out = if at != self.from && graph.node(at).kind == NodeKind::Event {
            causal_kinds()
        } else {
            ALL_KINDS
        };
        into & out
    }

    /// The first edge (by kind, then edge order) of a run between `at` and
    /// `next` along which the walk may step from `at` to `next`.
    fn step(&self, run: &NeighborRun, at: NodeIndex, next: NodeIndex) -> Option<EdgeIndex> {
        self.first_step(run, at, next).map(|(edge_idx, _)| edge_idx)
    }

    /// The runs of `node` the search may use: all of them with hubs, else
    /// those to nodes that are not countries, and the run to `end` (the
    /// node a country may be: the start or the goal) if it is one.
    fn runs(&self, node: NodeIndex, end: NodeIndex, visit: &mut impl FnMut(&NeighborRun)) {
        if self.hubs {
            self.index.runs(node).iter().for_each(visit);
            return;
        }
        self.index.plain_runs(node).for_each(&mut *visit);
        if self.ctx.graph.node(end).kind == NodeKind::Country {
            let adjacency = self.ctx.graph.adjacency();
            let runs = self.index.runs(node);
            let rank = adjacency.rank(end);
            if let Ok(at) = runs.binary_search_by_key(&rank, |run| adjacency.rank(run.other)) {
                visit(&runs[at]);
            }
        }
    }

    /// Breadth-first from both ends, the smaller frontier first, until
    /// they meet (the length is then known) or cannot within `max_hops`.
    fn levels(&self, max_hops: usize) -> Option<Levels> {
        let n_nodes = self.ctx.graph.node_count();
        let mut levels = Levels {
            forward: vec![vec![self.from]],
            backward: vec![vec![self.to]],
            from_start: vec![NONE; n_nodes],
            to_end: vec![NONE; n_nodes],
        };
        levels.from_start[self.from.index()] = 0;
        levels.to_end[self.to.index()] = 0;
        while levels.forward.len() + levels.backward.len() - 2 < max_hops {
            let forward = levels.forward.last()?.len() <= levels.backward.last()?.len();
            let (met, next) = if forward {
                self.expand_forward(&mut levels)
            } else {
                self.expand_backward(&mut levels)
            };
            if next.is_empty() {
                return None;
            }
            if forward {
                levels.forward.push(next);
            } else {
                levels.backward.push(next);
            }
            if met {
                return Some(levels);
            }
        }
        None
    }

    /// The next forward level, and whether it meets the backward side.
    fn expand_forward(&self, levels: &mut Levels) -> (bool, Vec<NodeIndex>) {
        let distance = levels.forward.len() as u32;
        let mut next = Vec::new();
        let mut met = false;
        for at in levels.forward.last().into_iter().flatten() {
            self.runs(*at, self.to, &mut |run: &NeighborRun| {
                let other = run.other;
                if levels.from_start[other.index()] != NONE || self.step(run, *at, other).is_none()
                {
                    return;
                }
                levels.from_start[other.index()] = distance;
                met |= levels.to_end[other.index()] != NONE;
                next.push(other);
            });
        }
        (met, next)
    }

    /// The next backward level (the nodes that may step to the last one),
    /// and whether it meets the forward side.
    fn expand_backward(&self, levels: &mut Levels) -> (bool, Vec<NodeIndex>) {
        let distance = levels.backward.len() as u32;
        let mut next = Vec::new();
        let mut met = false;
        for at in levels.backward.last().into_iter().flatten() {
            self.runs(*at, self.from, &mut |run: &NeighborRun| {
                let other = run.other;
                if levels.to_end[other.index()] != NONE || self.step(run, other, *at).is_none() {
                    return;
                }
                levels.to_end[other.index()] = distance;
                met |= levels.from_start[other.index()] != NONE;
                next.push(other);
            });
        }
        (met, next)
    }

    /// Per level `k` of a shortest path (`0` = `from`, last = `to`), the
    /// nodes at distance `k` from `from` and `length - k` from `to`.
    fn shortest_path_nodes(&self, levels: &Levels) -> Vec<Vec<NodeIndex>> {
        let meet = levels.forward.len() - 1;
        let length = meet + levels.backward.len() - 1;
        let mut on_path: Vec<Vec<NodeIndex>> = vec![Vec::new(); length + 1];
        let mut marked = vec![false; self.ctx.graph.node_count()];
        on_path[meet] = levels.forward[meet]
            .iter()
            .copied()
            .filter(|node| levels.to_end[node.index()] == (length - meet) as u32)
            .collect();
        for node in &on_path[meet] {
            marked[node.index()] = true;
        }
        // Towards `from`: a node of level k steps to a marked node of k + 1.
        for level in (0..meet).rev() {
            let found = self.stepping(&levels.forward[level], &marked, true);
            found.iter().for_each(|node| marked[node.index()] = true);
            on_path[level] = found;
        }
        // Towards `to`: a node of level k is stepped to from one of k - 1.
        for (level, nodes) in on_path.iter_mut().enumerate().skip(meet + 1) {
            let found = self.stepping(&levels.backward[length - level], &marked, false);
            found.iter().for_each(|node| marked[node.index()] = true);
            *nodes = found;
        }
        on_path
    }

    /// The `candidates` joined to a marked node of the next level (`out`:
    /// stepping to it) or of the level before (stepping from it). A
    /// candidate's runs were read by the search already.
    fn stepping(&self, candidates: &[NodeIndex], marked: &[bool], out: bool) -> Vec<NodeIndex> {
        let mut found = Vec::new();
        for candidate in candidates {
            let end = if out { self.to } else { self.from };
            let mut joined = false;
            self.runs(*candidate, end, &mut |run: &NeighborRun| {
                if joined || !marked[run.other.index()] {
                    return;
                }
                let (at, next) = if out {
                    (*candidate, run.other)
                } else {
                    (run.other, *candidate)
                };
                joined = self.step(run, at, next).is_some();
            });
            if joined {
                found.push(*candidate);
            }
        }
        found
    }

    /// The one-way search's path over the shortest-path nodes: level by
    /// level, each node's parent is the earliest node of the level before
    /// that may step to it, and a level's order is (parent's order, kind of
    /// the step, id).
    fn first_path(&self, on_path: &[Vec<NodeIndex>]) -> Vec<EdgeIndex> {
        let graph = self.ctx.graph;
        let adjacency = graph.adjacency();
        let n_nodes = graph.node_count();
        let mut order = vec![NONE; n_nodes];
        let mut came_from: Vec<Option<Parent>> = vec![None; n_nodes];
        order[self.from.index()] = 0;
        for pair in on_path.windows(2) {
            let (level, next_level) = (&pair[0], &pair[1]);
            let cost = |nodes: &[NodeIndex]| -> usize {
                nodes.iter().map(|node| self.index.runs(*node).len()).sum()
            };
            if cost(level) <= cost(next_level) {
                self.parents_from_level(level, next_level, &order, &mut came_from);
            } else {
                self.parents_from_next(next_level, &order, &mut came_from);
            }
            let mut ranked: Vec<(u32, EdgeKind, u32, NodeIndex)> = next_level
                .iter()
                .filter_map(|next| {
                    let parent = came_from[next.index()]?;
                    Some((parent.order, parent.kind, adjacency.rank(*next), *next))
                })
                .collect();
            ranked.sort_unstable();
            for (place, (.., node)) in ranked.iter().enumerate() {
                order[node.index()] = place as u32;
            }
        }
        let mut path = Vec::new();
        let mut at = self.to;
        while let Some(parent) = came_from[at.index()] {
            path.push(parent.edge);
            at = parent.node;
        }
        path.reverse();
        path
    }

    /// Parents found from the level's side: its nodes in order, each
    /// claiming the next level's nodes it steps to first.
    fn parents_from_level(
        &self,
        level: &[NodeIndex],
        next_level: &[NodeIndex],
        order: &[u32],
        came_from: &mut [Option<Parent>],
    ) {
        let mut in_next = vec![false; order.len()];
        next_level
            .iter()
            .for_each(|node| in_next[node.index()] = true);
        let mut by_order: Vec<(u32, NodeIndex)> = level
            .iter()
            .map(|node| (order[node.index()], *node))
            .collect();
        by_order.sort_unstable();
        for (parent_order, parent) in by_order {
            self.runs(parent, self.to, &mut |run: &NeighborRun| {
                let next = run.other;
                if !in_next[next.index()] || came_from[next.index()].is_some() {
                    return;
                }
                if let Some(step) = self.first_step(run, parent, next) {
                    came_from[next.index()] = Some(Parent::new(parent, parent_order, step));
                }
            });
        }
    }

    /// Parents found from the next level's side: each node takes the
    /// earliest node of the level before that may step to it.
    fn parents_from_next(
        &self,
        next_level: &[NodeIndex],
        order: &[u32],
        came_from: &mut [Option<Parent>],
    ) {
        for next in next_level {
            let mut choice: Option<Parent> = None;
            self.runs(*next, self.from, &mut |run: &NeighborRun| {
                let parent = run.other;
                let parent_order = order[parent.index()];
                if parent_order == NONE || choice.is_some_and(|known| known.order <= parent_order) {
                    return;
                }
                if let Some(step) = self.first_step(run, parent, *next) {
                    choice = Some(Parent::new(parent, parent_order, step));
                }
            });
            came_from[next.index()] = choice;
        }
    }

    /// The first step (kind, then edge order) from `at` to `next` of a run
    /// between them.
    fn first_step(
        &self,
        run: &NeighborRun,
        at: NodeIndex,
        next: NodeIndex,
    ) -> Option<(EdgeIndex, EdgeKind)> {
        self.index
            .first_step(run, self.kinds(at, next), |edge_idx| {
                self.ctx.edge_active(edge_idx)
            })
    }
}

/// How the one-way search reached a node: from `node` (the `order`-th of
/// its level) along `edge` of `kind`.
#[derive(Debug, Clone, Copy)]
struct Parent {
    node: NodeIndex,
    order: u32,
    kind: EdgeKind,
    edge: EdgeIndex,
}

impl Parent {
    fn new(node: NodeIndex, order: u32, (edge, kind): (EdgeIndex, EdgeKind)) -> Parent {
        Parent {
            node,
            order,
            kind,
            edge,
        }
    }
}
