//! Property test: on random graphs (random kinds, directions, repeated
//! edges and loops), `neighbors` and shortest `path`, which walk each
//! node's distinct neighbours with ids compared as ranks (and `path` as a
//! bidirectional search), give the same rows, order and evidence as a
//! naive walk over the petgraph that sorts by id strings. The second pair
//! adds countries and events (the hubs `path` avoids first), causal edge
//! kinds, validity windows read through `as of`, and ties (parallel edges,
//! several shortest paths).

use std::collections::{BTreeSet, HashMap, VecDeque};

use critmin::eval::{Cell, QueryResult};
use critmin::model::{
    Direction, EdgeIndex, EdgeKind, Fields, Graph, NodeIndex, NodeKind, PartialDate, Validity,
};
use petgraph::visit::EdgeRef;
use proptest::prelude::*;

mod query_run;
use query_run::answer;

const KINDS: [EdgeKind; 4] = [
    EdgeKind::UsedIn,
    EdgeKind::Feeds,
    EdgeKind::DependsOn,
    EdgeKind::Produces,
];

/// Nodes named so that id order differs from index order (`n10` < `n2`).
fn build(n_nodes: usize, edges: &[(usize, usize, usize)]) -> Graph {
    let mut graph = Graph::new();
    let kinds = [NodeKind::Mineral, NodeKind::Product, NodeKind::Industry];
    let nodes: Vec<NodeIndex> = (0..n_nodes)
        .map(|k| {
            let id = format!("n{}", (k * 7) % n_nodes.max(1) + k / n_nodes.max(1));
            graph.add_node(
                format!("{id}-{k}"),
                kinds[k % 3],
                format!("Node {k}"),
                Vec::new(),
                Fields::default(),
            )
        })
        .collect();
    for (from, to, kind) in edges {
        graph.add_edge(
            nodes[from % n_nodes],
            nodes[to % n_nodes],
            KINDS[kind % KINDS.len()],
            Fields::default(),
        );
    }
    graph
}

/// Like [`build`], with countries and events among the nodes, causal edge
/// kinds, and edges valid from and to random years (2020–2025, 0 = open).
fn build_with_hubs(n_nodes: usize, edges: &[HubEdge]) -> Graph {
    let mut graph = Graph::new();
    let kinds = [
        NodeKind::Mineral,
        NodeKind::Country,
        NodeKind::Product,
        NodeKind::Event,
        NodeKind::Industry,
    ];
    let nodes: Vec<NodeIndex> = (0..n_nodes)
        .map(|k| {
            let id = format!("n{}", (k * 7) % n_nodes.max(1) + k / n_nodes.max(1));
            graph.add_node(
                format!("{id}-{k}"),
                kinds[k % kinds.len()],
                format!("Node {k}"),
                Vec::new(),
                Fields::default(),
            )
        })
        .collect();
    for (from, to, kind, (valid_from, valid_to)) in edges {
        let year = |year: i32| (year != 0).then(|| PartialDate::year_only(year)).flatten();
        let fields = Fields {
            valid: Validity {
                from: year(*valid_from),
                to: year(*valid_to),
            },
            ..Fields::default()
        };
        graph.add_edge(
            nodes[from % n_nodes],
            nodes[to % n_nodes],
            HUB_KINDS[kind % HUB_KINDS.len()],
            fields,
        );
    }
    graph
}

const HUB_KINDS: [EdgeKind; 6] = [
    EdgeKind::UsedIn,
    EdgeKind::Produces,
    EdgeKind::CausedBy,
    EdgeKind::Feeds,
    EdgeKind::RespondsTo,
    EdgeKind::ImportsFrom,
];

/// The edges of a `path` answer, in walking order.
fn path_edges(result: &QueryResult) -> Vec<EdgeIndex> {
    result
        .rows
        .iter()
        .flat_map(|row| {
            row.evidence
                .subgraph()
                .edges
                .iter()
                .copied()
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A node's edges in both directions that hold on `day` (every edge
/// without one), by kind, then the other end's id (a string), then edge
/// order: the walk order, the slow way.
fn naive_steps_on(
    graph: &Graph,
    node: NodeIndex,
    via: &[EdgeKind],
    day: Option<PartialDate>,
) -> Vec<(EdgeIndex, NodeIndex)> {
    let store = graph.petgraph();
    let mut found: Vec<(EdgeIndex, NodeIndex)> = Vec::new();
    for direction in [Direction::Outgoing, Direction::Incoming] {
        for edge in store.edges_directed(node, direction) {
            let other = match direction {
                Direction::Outgoing => edge.target(),
                Direction::Incoming => edge.source(),
            };
            let holds = day.is_none_or(|day| edge.weight().valid.holds_on(day));
            if holds && (via.is_empty() || via.contains(&edge.weight().kind)) {
                found.push((edge.id(), other));
            }
        }
    }
    found.sort_by_key(|(edge, other)| (store[*edge].kind, store[*other].id.clone(), *edge));
    found
}

/// Per row: (node, depth, first edge, from) and the row's evidence edges;
/// then the base's edges.
type NaiveRows = (
    Vec<(NodeIndex, usize, EdgeIndex, NodeIndex, BTreeSet<EdgeIndex>)>,
    BTreeSet<EdgeIndex>,
);

fn naive_neighbors(graph: &Graph, start: NodeIndex, depth: usize, via: &[EdgeKind]) -> NaiveRows {
    naive_neighbors_on(graph, start, depth, via, None)
}

fn naive_neighbors_on(
    graph: &Graph,
    start: NodeIndex,
    depth: usize,
    via: &[EdgeKind],
    day: Option<PartialDate>,
) -> NaiveRows {
    let mut rows: Vec<(NodeIndex, usize, EdgeIndex, NodeIndex, BTreeSet<EdgeIndex>)> = Vec::new();
    let mut base = BTreeSet::new();
    let mut row_of: HashMap<NodeIndex, Option<usize>> = HashMap::from([(start, None)]);
    let mut frontier = vec![start];
    for hop in 1..=depth {
        let mut next = Vec::new();
        for node in frontier {
            for (edge, other) in naive_steps_on(graph, node, via, day) {
                if let Some(known) = row_of.get(&other) {
                    match (*known).max(row_of[&node]) {
                        Some(row) => rows[row].4.insert(edge),
                        None => base.insert(edge),
                    };
                    continue;
                }
                row_of.insert(other, Some(rows.len()));
                next.push(other);
                rows.push((other, hop, edge, node, BTreeSet::from([edge])));
            }
        }
        frontier = next;
    }
    (rows, base)
}

/// Breadth-first in walk order: the first shortest path, as edges.
fn naive_path(
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
) -> Option<Vec<EdgeIndex>> {
    naive_bfs(graph, from, to, max_hops, None, |_, _, _| true)
}

/// `path`'s rule the slow way: breadth-first in walk order, first without
/// passing through countries or events (a country only as the goal, an
/// event entered and left only along `caused_by`/`responds_to`), then
/// through them.
fn naive_hub_path(
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
    day: Option<PartialDate>,
) -> Option<Vec<EdgeIndex>> {
    let causal = |kind: EdgeKind| matches!(kind, EdgeKind::CausedBy | EdgeKind::RespondsTo);
    let avoiding_hubs = |at: NodeIndex, edge: EdgeIndex, next: NodeIndex| {
        let kind = graph.edge(edge).kind;
        if at != from && graph.node(at).kind == NodeKind::Event && !causal(kind) {
            return false;
        }
        next == to
            || match graph.node(next).kind {
                NodeKind::Country => false,
                NodeKind::Event => causal(kind),
                _ => true,
            }
    };
    naive_bfs(graph, from, to, max_hops, day, avoiding_hubs)
        .or_else(|| naive_bfs(graph, from, to, max_hops, day, |_, _, _| true))
}

/// Breadth-first in walk order over the edges that hold on `day`, taking a
/// step only where `may_step(at, edge, next)`: the first shortest path.
fn naive_bfs(
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
    day: Option<PartialDate>,
    may_step: impl Fn(NodeIndex, EdgeIndex, NodeIndex) -> bool,
) -> Option<Vec<EdgeIndex>> {
    let mut came_from: HashMap<NodeIndex, (EdgeIndex, NodeIndex)> = HashMap::new();
    let mut visited = BTreeSet::from([from]);
    let mut queue = VecDeque::from([(from, 0usize)]);
    while let Some((node, hops)) = queue.pop_front() {
        if node == to {
            let mut path = Vec::new();
            let mut at = node;
            while let Some((edge, previous)) = came_from.get(&at) {
                path.push(*edge);
                at = *previous;
            }
            path.reverse();
            return Some(path);
        }
        if hops == max_hops {
            continue;
        }
        for (edge, other) in naive_steps_on(graph, node, &[], day) {
            if may_step(node, edge, other) && visited.insert(other) {
                came_from.insert(other, (edge, node));
                queue.push_back((other, hops + 1));
            }
        }
    }
    None
}

/// An edge of a hub graph: ends, kind, and valid (from, to) years.
type HubEdge = (usize, usize, usize, (i32, i32));

fn hub_graph_strategy() -> impl Strategy<Value = (usize, Vec<HubEdge>)> {
    let years = prop_oneof![Just((0, 0)), Just((0, 0)), (2020i32..2026, 2020i32..2026)]
        .prop_map(|(a, b)| if a == 0 { (0, 0) } else { (a.min(b), a.max(b)) });
    (2usize..30).prop_flat_map(move |n_nodes| {
        (
            Just(n_nodes),
            proptest::collection::vec((0..n_nodes, 0..n_nodes, 0usize..6, years.clone()), 0..90),
        )
    })
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, usize)>)> {
    (2usize..24).prop_flat_map(|n_nodes| {
        (
            Just(n_nodes),
            proptest::collection::vec((0..n_nodes, 0..n_nodes, 0usize..4), 0..80),
        )
    })
}

/// Every cell of `result` shows, exports and types as the cell it stands
/// for: a walk's rows hold lazy cells (`Cell::Lazy`), read when shown.
fn lazy_cells_agree(graph: &Graph, result: &QueryResult) -> Result<(), TestCaseError> {
    for cell in result.rows.iter().flat_map(|row| &row.cells) {
        let eager = cell.resolved(graph);
        prop_assert!(!matches!(eager, Cell::Lazy(_)));
        prop_assert_eq!(cell.display(graph), eager.display(graph));
        prop_assert_eq!(cell.to_json(graph), eager.to_json(graph));
        prop_assert_eq!(cell.type_name(), eager.type_name());
        prop_assert_eq!(cell.as_f64(), eager.as_f64());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn neighbors_match_a_naive_walk(
        (n_nodes, edges) in graph_strategy(),
        start in 0usize..24,
        depth in 1usize..4,
        via_kind in proptest::option::of(0usize..4),
    ) {
        let graph = build(n_nodes, &edges);
        let start = NodeIndex::new(start % n_nodes);
        let via: Vec<EdgeKind> = via_kind.map(|kind| KINDS[kind]).into_iter().collect();
        let via_text = via.first().map_or(String::new(), |kind| format!(" via {kind}"));
        let id = &graph.node(start).id;
        let result = answer(&graph, &format!("neighbors \"{id}\" depth {depth}{via_text}"));
        let (rows, base) = naive_neighbors(&graph, start, depth, &via);
        prop_assert_eq!(result.rows.len(), rows.len());
        for (row, (node, hop, edge, from, evidence)) in result.rows.iter().zip(&rows) {
            prop_assert_eq!(row.node, Some(*node));
            prop_assert_eq!(&row.cells[3], &Cell::Num(*hop as f64));
            prop_assert_eq!(row.cells[4].resolved(&graph), Cell::Text(graph.edge(*edge).kind.to_string()));
            prop_assert_eq!(&row.cells[5], &Cell::Node(*from));
            prop_assert_eq!(&row.evidence.subgraph().edges, evidence);
            let ends: BTreeSet<NodeIndex> = evidence
                .iter()
                .flat_map(|edge| { let (a, b) = graph.endpoints(*edge); [a, b] })
                .collect();
            prop_assert_eq!(&row.evidence.subgraph().nodes, &ends);
        }
        prop_assert_eq!(&result.base.edges, &base);
        lazy_cells_agree(&graph, &result)?;
    }

    #[test]
    fn closure_rows_show_what_their_lazy_cells_stand_for(
        (n_nodes, edges) in graph_strategy(),
        start in 0usize..24,
    ) {
        let graph = build(n_nodes, &edges);
        let id = &graph.node(NodeIndex::new(start % n_nodes)).id;
        for source in ["depends", "dependents"] {
            let result = answer(&graph, &format!("{source} \"{id}\""));
            lazy_cells_agree(&graph, &result)?;
        }
    }

    #[test]
    fn shortest_paths_match_a_naive_walk(
        (n_nodes, edges) in graph_strategy(),
        from in 0usize..24,
        to in 0usize..24,
    ) {
        let graph = build(n_nodes, &edges);
        let (from, to) = (NodeIndex::new(from % n_nodes), NodeIndex::new(to % n_nodes));
        let (from_id, to_id) = (&graph.node(from).id, &graph.node(to).id);
        let result = answer(&graph, &format!("path \"{from_id}\" to \"{to_id}\""));
        let walked = path_edges(&result);
        let expected = naive_path(&graph, from, to, 6).unwrap_or_default();
        prop_assert_eq!(walked, expected);
    }

    #[test]
    fn hub_avoiding_paths_match_a_naive_walk(
        (n_nodes, edges) in hub_graph_strategy(),
        from in 0usize..30,
        to in 0usize..30,
        max_hops in 1usize..7,
        day in proptest::option::of(2020i32..2026),
    ) {
        let graph = build_with_hubs(n_nodes, &edges);
        let (from, to) = (NodeIndex::new(from % n_nodes), NodeIndex::new(to % n_nodes));
        let (from_id, to_id) = (&graph.node(from).id, &graph.node(to).id);
        let as_of = day.map_or(String::new(), |year| format!(" as of {year}-06-01"));
        let date = day.and_then(|year| PartialDate::parse(&format!("{year}-06-01")).ok());
        let result = answer(&graph, &format!("path \"{from_id}\" to \"{to_id}\" max {max_hops}{as_of}"));
        let walked = path_edges(&result);
        let expected = naive_hub_path(&graph, from, to, max_hops, date).unwrap_or_default();
        prop_assert_eq!(walked, expected);
    }

    #[test]
    fn neighbors_on_a_day_match_a_naive_walk(
        (n_nodes, edges) in hub_graph_strategy(),
        start in 0usize..30,
        depth in 1usize..4,
        via_kind in proptest::option::of(0usize..6),
        day in 2020i32..2026,
    ) {
        let graph = build_with_hubs(n_nodes, &edges);
        let start = NodeIndex::new(start % n_nodes);
        let via: Vec<EdgeKind> = via_kind.map(|kind| HUB_KINDS[kind]).into_iter().collect();
        let via_text = via.first().map_or(String::new(), |kind| format!(" via {kind}"));
        let id = &graph.node(start).id;
        let date = PartialDate::parse(&format!("{day}-06-01")).ok();
        let result = answer(
            &graph,
            &format!("neighbors \"{id}\" depth {depth}{via_text} as of {day}-06-01"),
        );
        let (rows, base) = naive_neighbors_on(&graph, start, depth, &via, date);
        prop_assert_eq!(result.rows.len(), rows.len());
        for (row, (node, hop, edge, from, evidence)) in result.rows.iter().zip(&rows) {
            prop_assert_eq!(row.node, Some(*node));
            prop_assert_eq!(&row.cells[3], &Cell::Num(*hop as f64));
            prop_assert_eq!(row.cells[4].resolved(&graph), Cell::Text(graph.edge(*edge).kind.to_string()));
            prop_assert_eq!(&row.cells[5], &Cell::Node(*from));
            prop_assert_eq!(&row.evidence.subgraph().edges, evidence);
        }
        prop_assert_eq!(&result.base.edges, &base);
        lazy_cells_agree(&graph, &result)?;
    }
}
