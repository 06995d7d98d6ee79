//! `path A to B [all] [max N]`: walks that treat edges as undirected but
//! report their direction (`neighbors` is in `sources::neighbors`).

use std::collections::VecDeque;

use crate::analysis::Context;
use crate::model::{EdgeIndex, EdgeKind, NodeIndex, NodeKind, Subgraph};

use super::super::describe::{direction_word, edge_detail_cell, sources_cell};
use super::super::result::{Cell, QueryResult};

/// Most hops `path` looks at.
pub const DEFAULT_MAX_HOPS: usize = 6;
/// Most paths `path ... all` lists.
pub const MAX_ALL_PATHS: usize = 50;

/// The walk order of a node's active edges: `(edge, other end)` by kind,
/// then the other end's id, then edge order; `keep` filters further.
fn steps(
    ctx: &Context,
    node_idx: NodeIndex,
    mut keep: impl FnMut(EdgeKind, EdgeIndex, NodeIndex) -> bool,
    found: &mut Vec<(EdgeIndex, NodeIndex)>,
) {
    ctx.graph.adjacency().walk_steps(
        node_idx,
        |kind, edge_idx, other| ctx.edge_active(edge_idx) && keep(kind, edge_idx, other),
        found,
    );
}

pub fn path(
    ctx: &Context,
    from: NodeIndex,
    to: NodeIndex,
    all: bool,
    max_hops: Option<usize>,
    causal: bool,
) -> QueryResult {
    let max_hops = max_hops.unwrap_or(DEFAULT_MAX_HOPS);
    let mut columns = vec!["path", "step", "from", "edge", "to"];
    if causal {
        columns.push("date");
    }
    columns.extend(["detail", "sources"]);
    let mut result = QueryResult::new(&columns);
    result.base.add_node(from);
    result.base.add_node(to);
    let search = |hubs: bool, notes: &mut Vec<String>| -> (Vec<Vec<EdgeIndex>>, bool) {
        let walk = Walk {
            ctx,
            to,
            max_hops,
            hubs,
            causal,
            steps_left: std::cell::Cell::new(MAX_ALL_STEPS),
            capped: std::cell::Cell::new(false),
        };
        let paths = if all {
            walk.all_paths(from, notes)
        } else if causal {
            // The story: of the shortest paths through events, the one
            // with the most cause-and-response links.
            match walk.shortest_path(from) {
                Some(shortest) => {
                    let story = Walk {
                        ctx,
                        to,
                        max_hops: shortest.len(),
                        hubs,
                        causal,
                        steps_left: std::cell::Cell::new(MAX_ALL_STEPS),
                        capped: std::cell::Cell::new(false),
                    };
                    let mut quiet = Vec::new();
                    let mut best = (causal_links(ctx.graph, &shortest), shortest);
                    for path in story.all_paths(from, &mut quiet) {
                        let links = causal_links(ctx.graph, &path);
                        if path.len() == best.1.len() && links > best.0 {
                            best = (links, path);
                        }
                    }
                    vec![best.1]
                }
                None => Vec::new(),
            }
        } else {
            super::shortest::shortest_path(ctx, from, to, max_hops, hubs)
                .into_iter()
                .collect()
        };
        (paths, walk.capped.get())
    };
    let (mut paths, mut truncated) = search(false, &mut result.notes);
    if paths.is_empty() {
        (paths, truncated) = search(true, &mut result.notes);
        if !paths.is_empty() {
            result.notes.push(
                "no path avoids countries and events, so these pass through them".to_string(),
            );
        }
    }
    if paths.is_empty() {
        result
            .notes
            .push(format!("no path of at most {max_hops} hops"));
    }
    if causal {
        result.notes.push(
            "via events: the walk passes through events along caused_by, responds_to and affects; date = the date of the step's `to` node (an event's date, a policy's effective date, else announced, else the edge's period)".to_string(),
        );
    }
    result.truncated = truncated;
    for (path_no, path) in paths.iter().enumerate() {
        push_path(ctx, &mut result, path_no + 1, from, path, causal);
    }
    result
}

fn push_path(
    ctx: &Context,
    result: &mut QueryResult,
    path_no: usize,
    start: NodeIndex,
    path: &[EdgeIndex],
    causal: bool,
) {
    let graph = ctx.graph;
    let mut at = start;
    for (step, edge_idx) in path.iter().enumerate() {
        let (from, to) = graph.endpoints(*edge_idx);
        let forward = from == at;
        let next = if forward { to } else { from };
        let kind = graph.edge(*edge_idx).kind;
        let arrow = if forward {
            format!("-[{kind}]->")
        } else {
            format!("<-[{kind}]-")
        };
        let arrow = Cell::summary(
            arrow,
            Cell::Record(vec![
                ("kind".into(), Cell::Text(kind.to_string())),
                (
                    "direction".into(),
                    Cell::Text(direction_word(forward).to_string()),
                ),
            ]),
        );
        let mut evidence = Subgraph::new();
        evidence.add_edge(graph, *edge_idx);
        let mut cells = vec![
            Cell::Num(path_no as f64),
            Cell::Num((step + 1) as f64),
            Cell::Node(at),
            arrow,
            Cell::Node(next),
        ];
        if causal {
            cells.push(step_date(ctx, next, *edge_idx).map_or(Cell::Null, Cell::Date));
        }
        cells.extend([
            edge_detail_cell(graph, *edge_idx),
            sources_cell(graph, graph.edge_sources(*edge_idx)),
        ]);
        result.push(Some(next), cells, evidence);
        at = next;
    }
}

/// When a step's node happened: an event's `date`, a policy's `effective`
/// (else `announced`) date, else the edge's `period`.
fn step_date(ctx: &Context, node: NodeIndex, edge: EdgeIndex) -> Option<crate::model::PartialDate> {
    ["date", "effective", "announced"]
        .iter()
        .find_map(|key| ctx.node_date(node, key))
        .or_else(|| {
            ctx.graph
                .edge_prop(edge, "period")
                .and_then(|period| period.as_date())
        })
}

/// A path search. Countries and events link almost everything (China
/// produces half the table), so paths first avoid passing through them —
/// they may still be the ends — and only fall back to them when needed.
/// An event is no hub where it is a link of a causal chain: the walk may
/// enter it along `caused_by` or `responds_to` and leave it the same way
/// (tariffs → Geneva deal → London deal → magnet rebound).
struct Walk<'a, 'g> {
    ctx: &'a Context<'g>,
    to: NodeIndex,
    max_hops: usize,
    hubs: bool,
    /// `via events`: events are links, entered and left along any edge.
    causal: bool,
    /// Steps `all` may still explore before it gives up (see [`MAX_ALL_STEPS`]).
    steps_left: std::cell::Cell<usize>,
    /// Set when `all` stopped at a cap.
    capped: std::cell::Cell<bool>,
}

/// Most steps `path ... all` explores: simple paths multiply fast.
pub const MAX_ALL_STEPS: usize = 300_000;

impl Walk<'_, '_> {
    /// The steps the search may take from `node_idx` (a walk from `from`),
    /// in walk order, that `keep` also accepts.
    fn steps(
        &self,
        node_idx: NodeIndex,
        from: NodeIndex,
        mut keep: impl FnMut(NodeIndex) -> bool,
        found: &mut Vec<(EdgeIndex, NodeIndex)>,
    ) {
        let graph = self.ctx.graph;
        let inside_event = !self.hubs
            && node_idx != from
            && graph.node(node_idx).kind == NodeKind::Event
            && !self.causal;
        steps(
            self.ctx,
            node_idx,
            |kind, _, other| self.may_step(inside_event, kind, other) && keep(other),
            found,
        );
    }

    /// Whether the search may step along an edge of `kind` to `other`:
    /// without hubs, not into a country (but the end), not into an event
    /// but along a causal edge, and out of an event only along one.
    fn may_step(&self, inside_event: bool, kind: EdgeKind, other: NodeIndex) -> bool {
        if self.hubs {
            return true;
        }
        let causal = self.causal || is_causal(kind);
        if inside_event && !causal {
            return false;
        }
        other == self.to
            || match self.ctx.graph.node(other).kind {
                NodeKind::Country => false,
                NodeKind::Event => causal,
                _ => true,
            }
    }

    /// Breadth-first: the first path found with the fewest hops among the
    /// paths through at least one event (`via events`; other shortest
    /// paths are `sources::shortest`'s).
    /// A state is a node and whether an event was passed; the search ends
    /// when the goal state is first reached, whose path is then fixed.
    fn shortest_path(&self, from: NodeIndex) -> Option<Vec<EdgeIndex>> {
        let (to, max_hops) = (self.to, self.max_hops);
        let graph = self.ctx.graph;
        let is_event = |node: NodeIndex| graph.node(node).kind == NodeKind::Event;
        let state =
            |node: NodeIndex, through_event: bool| node.index() * 2 + usize::from(through_event);
        let goal = state(to, true);
        let start = state(from, !self.causal || is_event(from));
        if start == goal {
            return Some(Vec::new());
        }
        // Per state: how it was reached (edge, previous state), once visited.
        let mut came_from: Vec<Option<(EdgeIndex, usize)>> = vec![None; graph.node_count() * 2];
        let mut visited = vec![false; graph.node_count() * 2];
        visited[start] = true;
        let mut queue = VecDeque::from([(start, 0usize)]);
        let mut found = Vec::new();
        while let Some((at, hops)) = queue.pop_front() {
            let node_idx = NodeIndex::new(at / 2);
            let through_event = at % 2 == 1;
            if hops == max_hops || (node_idx == to && hops > 0) {
                continue;
            }
            let next_state = |other: NodeIndex| state(other, through_event || is_event(other));
            self.steps(
                node_idx,
                from,
                |other| !visited[next_state(other)],
                &mut found,
            );
            for (edge_idx, other) in found.iter().copied() {
                let next = next_state(other);
                if visited[next] {
                    continue;
                }
                visited[next] = true;
                came_from[next] = Some((edge_idx, at));
                if next == goal {
                    return Some(walk_back(&came_from, goal));
                }
                queue.push_back((next, hops + 1));
            }
        }
        None
    }

    /// Every simple path up to `max_hops`, stopping at [`MAX_ALL_PATHS`].
    fn all_paths(&self, from: NodeIndex, notes: &mut Vec<String>) -> Vec<Vec<EdgeIndex>> {
        let mut found = Vec::new();
        let mut on_path = vec![from];
        let mut edges = Vec::new();
        let mut capped = false;
        self.extend_paths(&mut on_path, &mut edges, &mut found, &mut capped);
        found.sort_by_key(|path: &Vec<EdgeIndex>| path.len());
        if capped {
            self.capped.set(true);
            notes.push(format!(
                "stopped after {MAX_ALL_PATHS} paths or {MAX_ALL_STEPS} steps; narrow the search with `max N`"
            ));
        }
        found
    }

    fn extend_paths(
        &self,
        on_path: &mut Vec<NodeIndex>,
        edges: &mut Vec<EdgeIndex>,
        found: &mut Vec<Vec<EdgeIndex>>,
        capped: &mut bool,
    ) {
        let Some(&at) = on_path.last() else { return };
        let (to, max_hops) = (self.to, self.max_hops);
        if at == to {
            let graph = self.ctx.graph;
            let through_event = !self.causal
                || on_path
                    .iter()
                    .any(|node| graph.node(*node).kind == NodeKind::Event);
            if through_event {
                found.push(edges.clone());
            }
            return;
        }
        if edges.len() == max_hops || *capped {
            return;
        }
        let Some(left) = self.steps_left.get().checked_sub(1) else {
            *capped = true;
            return;
        };
        self.steps_left.set(left);
        let mut next_steps = Vec::new();
        self.steps(at, on_path[0], |_| true, &mut next_steps);
        for (edge_idx, other) in next_steps {
            if found.len() >= MAX_ALL_PATHS {
                *capped = true;
                return;
            }
            if on_path.contains(&other) {
                continue;
            }
            on_path.push(other);
            edges.push(edge_idx);
            self.extend_paths(on_path, edges, found, capped);
            on_path.pop();
            edges.pop();
        }
    }
}

/// The edges that led to `state`, from the start.
fn walk_back(came_from: &[Option<(EdgeIndex, usize)>], state: usize) -> Vec<EdgeIndex> {
    let mut path = Vec::new();
    let mut at = state;
    while let Some(Some((edge_idx, previous))) = came_from.get(at) {
        path.push(*edge_idx);
        at = *previous;
    }
    path.reverse();
    path
}

/// How many of a path's links are causes or responses (a story has more).
fn causal_links(graph: &crate::model::Graph, path: &[EdgeIndex]) -> usize {
    path.iter()
        .filter(|edge| is_causal(graph.edge(**edge).kind))
        .count()
}

/// Edges that tell why something happened: a response or a cause.
fn is_causal(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::CausedBy | EdgeKind::RespondsTo)
}
