//! `show NODE`: the node card.

use crate::analysis::Context;
use crate::model::{Direction, NodeIndex, Subgraph};

use super::super::describe::{edge_detail, source_ids};
use super::super::expr::value_cell;
use super::super::result::{Cell, QueryResult};

pub fn show(ctx: &Context, node_idx: NodeIndex) -> QueryResult {
    let graph = ctx.graph;
    let node = graph.node(node_idx);
    let mut result = QueryResult::new(&["section", "field", "value", "sources"]);
    result.base.add_node(node_idx);
    let mut fact = |section: &str, field: &str, value: Cell, sources: &str| {
        let cells = vec![
            Cell::Text(section.into()),
            Cell::Text(field.into()),
            value,
            Cell::Text(sources.into()),
        ];
        result.push(None, cells, Subgraph::new());
    };
    fact("node", "id", Cell::Text(node.id.clone()), "");
    fact("node", "kind", Cell::Text(node.kind.to_string()), "");
    fact("node", "name", Cell::Text(node.name.clone()), "");
    if !node.aliases.is_empty() {
        fact("node", "aliases", Cell::Text(node.aliases.join(", ")), "");
    }
    if node.kind == crate::model::NodeKind::Policy {
        let status = super::list::policy_status(ctx, node_idx);
        let when = ctx
            .as_of
            .map_or_else(|| "latest record".to_string(), |day| day.to_string());
        fact(
            "node",
            "status",
            Cell::Text(format!("{status} ({when})")),
            "",
        );
    }
    if let Some(from) = node.valid.from {
        fact("node", "valid_from", Cell::Date(from), "");
    }
    if let Some(to) = node.valid.to {
        fact("node", "valid_to", Cell::Date(to), "");
    }
    let mut props: Vec<_> = graph.node_props(node_idx).collect();
    props.sort_by_key(|(key, _)| *key);
    for (key, value) in props {
        fact("prop", key, value_cell(value), "");
    }
    for source_idx in graph.node_sources(node_idx) {
        let source = graph.source(*source_idx);
        fact("source", &source.id, Cell::Text(source.title.clone()), "");
    }
    neighbours(ctx, node_idx, &mut result);
    result
}

/// One row per edge at the node (valid at the evaluation date), grouped by
/// edge kind and direction; the row's node is the neighbour.
fn neighbours(ctx: &Context, node_idx: NodeIndex, result: &mut QueryResult) {
    let graph = ctx.graph;
    let mut edges = graph.all_edges_at(node_idx);
    edges.retain(|(edge_idx, _, _)| ctx.edge_active(*edge_idx));
    edges.sort_by_cached_key(|(edge_idx, other, direction)| {
        (
            graph.edge(*edge_idx).kind,
            *direction == Direction::Incoming,
            graph.node(*other).id.clone(),
            *edge_idx,
        )
    });
    for (edge_idx, other, direction) in edges {
        let kind = graph.edge(edge_idx).kind;
        let section = match direction {
            Direction::Outgoing => format!("{kind} →"),
            Direction::Incoming => format!("← {kind}"),
        };
        let other_node = graph.node(other);
        let field = format!("{} ({})", other_node.id, other_node.kind);
        let mut evidence = Subgraph::new();
        evidence.add_edge(graph, edge_idx);
        let cells = vec![
            Cell::Text(section),
            Cell::Text(field),
            Cell::Text(detail_with_selection(graph, edge_idx)),
            Cell::Text(source_ids(graph, graph.edge_sources(edge_idx))),
        ];
        result.push(Some(other), cells, evidence);
    }
}

/// An edge's props, and for a superseded figure which one is used instead
/// (`superseded by USGS MCS 2025 (official)`): history stays visible.
fn detail_with_selection(graph: &crate::model::Graph, edge_idx: crate::model::EdgeIndex) -> String {
    let detail = edge_detail(graph, edge_idx);
    match crate::analysis::selection::superseded_by(graph, edge_idx) {
        Some(winner) => format!(
            "{detail} (superseded by {})",
            crate::analysis::selection::provenance_text(graph, winner)
        ),
        None => detail,
    }
}
