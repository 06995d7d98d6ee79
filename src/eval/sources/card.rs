//! `show NODE`: the node card.

use crate::analysis::Context;
use crate::model::{Direction, NodeIndex, Subgraph};

use super::super::describe::{edge_detail_full_cell, edge_record, sources_cell};
use super::super::expr::value_cell;
use super::super::result::{Cell, FieldName, QueryResult};

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
        fact(
            "node",
            "aliases",
            Cell::summary(node.aliases.join(", "), Cell::texts(&node.aliases)),
            "",
        );
    }
    if node.kind == crate::model::NodeKind::Policy {
        let status = ctx.policy_status(node_idx).as_str();
        let mut when = ctx
            .as_of
            .map_or_else(|| "latest record".to_string(), |day| day.to_string());
        if ctx
            .scenarios
            .iter()
            .any(|scenario| scenario.policy_state(node_idx).is_some())
        {
            when.push_str(", assumed");
        }
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
    result.record = Some(record(ctx, node_idx));
    result
}

/// The node as one object: `id`, `kind`, `name`, `aliases`, `status`
/// (policies), `valid_from`, `valid_to`, `props`, `sources`, and `edges`
/// grouped by kind, then `out`/`in`, each edge with its other end, all its
/// props and its sources.
fn record(ctx: &Context, node_idx: NodeIndex) -> Vec<(String, Cell)> {
    let graph = ctx.graph;
    let node = graph.node(node_idx);
    let optional_date =
        |date: Option<crate::model::PartialDate>| date.map_or(Cell::Null, Cell::Date);
    let status = match node.kind {
        crate::model::NodeKind::Policy => {
            Cell::Text(ctx.policy_status(node_idx).as_str().to_string())
        }
        _ => Cell::Null,
    };
    let mut props: Vec<(FieldName, Cell)> = graph
        .node_props(node_idx)
        .map(|(key, value)| (key.to_string().into(), value_cell(value)))
        .collect();
    props.sort_by(|a, b| a.0.cmp(&b.0));
    vec![
        ("id".into(), Cell::Text(node.id.clone())),
        ("kind".into(), Cell::Text(node.kind.to_string())),
        ("name".into(), Cell::Text(node.name.clone())),
        ("aliases".into(), Cell::texts(&node.aliases)),
        ("status".into(), status),
        ("valid_from".into(), optional_date(node.valid.from)),
        ("valid_to".into(), optional_date(node.valid.to)),
        ("props".into(), Cell::Record(props)),
        (
            "sources".into(),
            sources_cell(graph, graph.node_sources(node_idx)),
        ),
        ("edges".into(), edge_groups(ctx, node_idx)),
    ]
}

/// `{"produces": {"in": [...]}, "used_in": {"out": [...]}}`: the edges
/// valid at the evaluation date, in the card's order.
fn edge_groups(ctx: &Context, node_idx: NodeIndex) -> Cell {
    let graph = ctx.graph;
    let mut groups: Vec<(FieldName, Cell)> = Vec::new();
    for (edge_idx, other, direction) in sorted_edges(ctx, node_idx) {
        let kind = graph.edge(edge_idx).kind.to_string();
        let side = match direction {
            Direction::Outgoing => "out",
            Direction::Incoming => "in",
        };
        let other_node = graph.node(other);
        let entry = Cell::Record(vec![
            ("node".into(), Cell::Text(other_node.id.clone())),
            ("node_kind".into(), Cell::Text(other_node.kind.to_string())),
            ("props".into(), edge_record(graph, edge_idx)),
            (
                "sources".into(),
                sources_cell(graph, graph.edge_sources(edge_idx)),
            ),
        ]);
        if groups.last().is_none_or(|(last, _)| *last != kind) {
            groups.push((kind.clone().into(), Cell::Record(Vec::new())));
        }
        if let Some((_, Cell::Record(sides))) = groups.last_mut() {
            if sides.last().is_none_or(|(last, _)| last != side) {
                sides.push((side.into(), Cell::List(Vec::new())));
            }
            if let Some((_, Cell::List(entries))) = sides.last_mut() {
                entries.push(entry);
            }
        }
    }
    Cell::Record(groups)
}

/// The edges at the node valid at the evaluation date, by kind, then
/// outgoing before incoming, then the other end's id.
fn sorted_edges(
    ctx: &Context,
    node_idx: NodeIndex,
) -> Vec<(crate::model::EdgeIndex, NodeIndex, Direction)> {
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
    edges
}

/// One row per edge at the node (valid at the evaluation date), grouped by
/// edge kind and direction; the row's node is the neighbour.
fn neighbours(ctx: &Context, node_idx: NodeIndex, result: &mut QueryResult) {
    let graph = ctx.graph;
    let edges = sorted_edges(ctx, node_idx);
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
            edge_detail_with_selection(graph, edge_idx),
            sources_cell(graph, graph.edge_sources(edge_idx)),
        ];
        result.push(Some(other), cells, evidence);
    }
}

/// An edge's props, and for a superseded figure which one is used instead
/// (`superseded by USGS MCS 2025 (official)`): history stays visible.
fn edge_detail_with_selection(
    graph: &crate::model::Graph,
    edge_idx: crate::model::EdgeIndex,
) -> Cell {
    let cell = edge_detail_full_cell(graph, edge_idx);
    match crate::analysis::selection::superseded_by(graph, edge_idx) {
        Some(winner) => {
            let note = format!(
                "superseded by {}",
                crate::analysis::selection::provenance_text(graph, winner)
            );
            match cell {
                Cell::Summary { text, value } => {
                    let value = match *value {
                        Cell::Record(mut fields) => {
                            fields.push(("superseded_by".into(), Cell::Text(note.clone())));
                            fields.sort_by(|a, b| a.0.cmp(&b.0));
                            Cell::Record(fields)
                        }
                        other => other,
                    };
                    Cell::summary(format!("{text} ({note})"), value)
                }
                other => other,
            }
        }
        None => cell,
    }
}
