//! `path A to B [all] [max N]` and `neighbors NODE [depth N] [via ...]`:
//! walks that treat edges as undirected but report their direction.

use std::collections::{BTreeSet, VecDeque};

use crate::analysis::Context;
use crate::model::{EdgeIndex, EdgeKind, NodeIndex, NodeKind, Subgraph};

use super::super::describe::{direction_word, edge_detail_cell, sources_cell};
use super::super::result::{Cell, QueryResult};

/// Most hops `path` looks at.
pub const DEFAULT_MAX_HOPS: usize = 6;
/// Most paths `path ... all` lists.
pub const MAX_ALL_PATHS: usize = 50;

/// The active edges at a node, in a stable order: `(edge, other end)`.
fn steps(ctx: &Context, node_idx: NodeIndex, via: &[EdgeKind]) -> Vec<(EdgeIndex, NodeIndex)> {
    let graph = ctx.graph;
    let mut found: Vec<(EdgeIndex, NodeIndex)> = graph
        .all_edges_at(node_idx)
        .into_iter()
        .filter(|(edge_idx, _, _)| ctx.edge_active(*edge_idx))
        .filter(|(edge_idx, _, _)| via.is_empty() || via.contains(&graph.edge(*edge_idx).kind))
        .map(|(edge_idx, other, _)| (edge_idx, other))
        .collect();
    found.sort_by_cached_key(|(edge_idx, other)| {
        (
            graph.edge(*edge_idx).kind,
            graph.node(*other).id.clone(),
            *edge_idx,
        )
    });
    found
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
            walk.shortest_path(from).into_iter().collect()
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
                ("kind".to_string(), Cell::Text(kind.to_string())),
                (
                    "direction".to_string(),
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
    fn steps(&self, node_idx: NodeIndex, from: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        let graph = self.ctx.graph;
        let mut found = steps(self.ctx, node_idx, &[]);
        if !self.hubs {
            let inside_event =
                node_idx != from && graph.node(node_idx).kind == NodeKind::Event && !self.causal;
            let free_events = self.causal;
            found.retain(|(edge_idx, other)| {
                let causal = free_events || is_causal(graph.edge(*edge_idx).kind);
                if inside_event && !causal {
                    return false;
                }
                *other == self.to
                    || match graph.node(*other).kind {
                        NodeKind::Country => false,
                        NodeKind::Event => causal,
                        _ => true,
                    }
            });
        }
        found
    }

    /// Breadth-first: the first path found with the fewest hops (`via
    /// events`: the fewest hops among the paths through at least one event).
    /// A state is a node and whether an event was passed.
    fn shortest_path(&self, from: NodeIndex) -> Option<Vec<EdgeIndex>> {
        type State = (NodeIndex, bool);
        let (to, max_hops) = (self.to, self.max_hops);
        let graph = self.ctx.graph;
        let is_event = |node: NodeIndex| graph.node(node).kind == NodeKind::Event;
        let start: State = (from, !self.causal || is_event(from));
        let mut came_from: std::collections::HashMap<State, (EdgeIndex, State)> =
            std::collections::HashMap::new();
        let mut visited: BTreeSet<State> = BTreeSet::from([start]);
        let mut queue = VecDeque::from([(start, 0usize)]);
        while let Some((state, hops)) = queue.pop_front() {
            let (node_idx, through_event) = state;
            if node_idx == to && through_event {
                let mut path = Vec::new();
                let mut at = state;
                while let Some((edge_idx, previous)) = came_from.get(&at) {
                    path.push(*edge_idx);
                    at = *previous;
                }
                path.reverse();
                return Some(path);
            }
            if hops == max_hops || (node_idx == to && hops > 0) {
                continue;
            }
            for (edge_idx, other) in self.steps(node_idx, from) {
                let next: State = (other, through_event || is_event(other));
                if visited.insert(next) {
                    came_from.insert(next, (edge_idx, state));
                    queue.push_back((next, hops + 1));
                }
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
        for (edge_idx, other) in self.steps(at, on_path[0]) {
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

pub fn neighbors(ctx: &Context, start: NodeIndex, depth: usize, via: &[EdgeKind]) -> QueryResult {
    let graph = ctx.graph;
    let mut result = QueryResult::new(&["id", "name", "kind", "depth", "edge", "from", "detail"]);
    result.base.add_node(start);
    // The row of each reached node; `None` for the start node.
    let mut row_of: std::collections::HashMap<NodeIndex, Option<usize>> =
        std::collections::HashMap::from([(start, None)]);
    let mut frontier = vec![start];
    for hop in 1..=depth {
        let mut next = Vec::new();
        for node_idx in frontier {
            for (edge_idx, other) in steps(ctx, node_idx, via) {
                if let Some(known) = row_of.get(&other) {
                    // An edge between two reached nodes belongs to the later one's row.
                    let row = (*known).max(row_of.get(&node_idx).copied().flatten());
                    match row {
                        Some(row) => result.rows[row].evidence.add_edge(graph, edge_idx),
                        None => result.base.add_edge(graph, edge_idx),
                    }
                    continue;
                }
                row_of.insert(other, Some(result.rows.len()));
                next.push(other);
                let node = graph.node(other);
                let cells = vec![
                    Cell::Text(node.id.clone()),
                    Cell::Text(node.name.clone()),
                    Cell::Text(node.kind.to_string()),
                    Cell::Num(hop as f64),
                    Cell::Text(graph.edge(edge_idx).kind.to_string()),
                    Cell::Node(node_idx),
                    edge_detail_cell(graph, edge_idx),
                ];
                let mut evidence = Subgraph::new();
                evidence.add_edge(graph, edge_idx);
                result.push(Some(other), cells, evidence);
            }
        }
        frontier = next;
    }
    result
}
