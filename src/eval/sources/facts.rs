//! `timeline NODE [from] [to]`.

use crate::analysis::{self, Context, TimelineFact};
use crate::model::{NodeIndex, PartialDate, Subgraph};

use super::super::describe::sources_cell;
use super::super::expr::value_cell;
use super::super::result::{Cell, QueryResult};

/// "cn-mofcom-2025-61 would have taken effect 2025-12-01; suspended
/// 2025-11-07 until 2026-11-10".
fn preemption_note(
    ctx: &Context,
    entry: &analysis::TimelineEntry,
    clause: bool,
    preemption: &analysis::Preemption,
) -> String {
    let graph = ctx.graph;
    let clause_text = match (clause, entry.edge) {
        (true, Some(edge)) => format!(
            " (its clause on {})",
            graph.node(graph.endpoints(edge).1).id
        ),
        _ => String::new(),
    };
    let until = preemption
        .until
        .map(|until| format!(" until {until}"))
        .unwrap_or_default();
    format!(
        "{}{clause_text} would have taken effect {}; {} {}{until}",
        graph.node(entry.node).id,
        entry.date,
        preemption.by.prop(),
        preemption.date,
    )
}

pub fn timeline(
    ctx: &Context,
    node_idx: NodeIndex,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
) -> QueryResult {
    let graph = ctx.graph;
    let mut result = QueryResult::new(&[
        "date", "kind", "id", "what", "metric", "value", "unit", "period", "sources",
    ]);
    result.base.add_node(node_idx);
    for entry in analysis::timeline(ctx, node_idx, from, to) {
        let node = graph.node(entry.node);
        let mut evidence = Subgraph::new();
        evidence.add_node(entry.node);
        if let Some(edge_idx) = entry.edge {
            evidence.add_edge(graph, edge_idx);
        }
        let sources = match entry.edge {
            Some(edge_idx) => graph.edge_sources(edge_idx),
            None => graph.node_sources(entry.node),
        };
        let (kind, metric, value, unit, period) = match &entry.fact {
            TimelineFact::Policy {
                milestone,
                measure,
                severity,
                clause,
                preempted,
            } => (
                {
                    let who = if *clause { "clause" } else { "policy" };
                    if let Some(preemption) = preempted {
                        result
                            .notes
                            .push(preemption_note(ctx, &entry, *clause, preemption));
                        format!("{who} {} (pre-empted)", milestone.prop())
                    } else {
                        format!("{who} {}", milestone.prop())
                    }
                },
                measure
                    .as_deref()
                    .map_or(Cell::Null, |m| Cell::Text(m.to_string())),
                severity.map_or(Cell::Null, Cell::Num),
                if severity.is_some() {
                    Cell::Text("severity".into())
                } else {
                    Cell::Null
                },
                Cell::Null,
            ),
            TimelineFact::Event {
                metric,
                value,
                unit,
                period,
            } => (
                entry.via.map_or("event".to_string(), |via| {
                    format!("event via {}", graph.node(via).id)
                }),
                metric
                    .as_deref()
                    .map_or(Cell::Null, |m| Cell::Text(m.to_string())),
                value.as_ref().map_or(Cell::Null, value_cell),
                unit.as_deref()
                    .map_or(Cell::Null, |u| Cell::Text(u.to_string())),
                period.as_ref().map_or(Cell::Null, value_cell),
            ),
        };
        let cells = vec![
            Cell::Date(entry.date),
            Cell::Text(kind),
            Cell::Text(node.id.clone()),
            Cell::Text(node.name.clone()),
            metric,
            value,
            unit,
            period,
            sources_cell(graph, sources),
        ];
        result.push(Some(entry.node), cells, evidence);
    }
    result
}
