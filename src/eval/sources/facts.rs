//! `concentration NODE [stage S] [year Y]` and `timeline NODE [from] [to]`.

use crate::analysis::{self, Context, TimelineFact};
use crate::model::{NodeIndex, PartialDate, Subgraph, format_number};

use super::super::describe::source_ids;
use super::super::expr::value_cell;
use super::super::result::{Cell, QueryResult};

pub fn concentration(
    ctx: &Context,
    item: NodeIndex,
    stage: Option<&str>,
    year: Option<i32>,
) -> QueryResult {
    let graph = ctx.graph;
    let tables = analysis::concentration(ctx, item, stage, year);
    let mut result = QueryResult::new(&[
        "stage", "year", "rank", "producer", "tonnes", "share", "hhi", "sources",
    ]);
    result.base.add_node(item);
    for table in &tables {
        let has_shares = table
            .producers
            .iter()
            .any(|producer| producer.share.is_some());
        for (rank, producer) in table.producers.iter().enumerate() {
            let mut evidence = Subgraph::new();
            evidence.add_edge(graph, producer.edge);
            let cells = vec![
                table.stage.clone().map_or(Cell::Null, Cell::Text),
                table
                    .year
                    .map_or(Cell::Null, |year| Cell::Num(f64::from(year))),
                Cell::Num((rank + 1) as f64),
                Cell::Node(producer.country),
                producer.tonnes.map_or(Cell::Null, Cell::Num),
                producer.share.map_or(Cell::Null, Cell::Score),
                if has_shares {
                    Cell::Num(table.hhi.round())
                } else {
                    Cell::Null
                },
                Cell::Text(source_ids(graph, graph.edge_sources(producer.edge))),
            ];
            result.push(Some(producer.country), cells, evidence);
        }
        let mut provenance: Vec<String> = table
            .producers
            .iter()
            .map(|producer| crate::analysis::selection::provenance_text(graph, producer.edge))
            .collect();
        provenance.sort();
        provenance.dedup();
        let figures_from = format!("; figures: {}", provenance.join(" and "));
        let top = table
            .top_producer
            .map(|country| graph.node(country).name.clone())
            .unwrap_or_else(|| "-".into());
        if !has_shares {
            result.notes.push(format!(
                "{} {}: producers listed without shares (top producer {top}); no HHI{figures_from}",
                table.stage.as_deref().unwrap_or("all stages"),
                table.year.map_or("-".to_string(), |year| year.to_string()),
            ));
            continue;
        }
        result.notes.push(format!(
            "{} {}: HHI {} (0..10000), top producer {top}, top-3 share {:.1}%, listed shares cover {:.1}%{}{figures_from}",
            table.stage.as_deref().unwrap_or("all stages"),
            table.year.map_or("-".to_string(), |year| year.to_string()),
            format_number(table.hhi.round()),
            table.top3_share * 100.0 + 0.0,
            table.coverage * 100.0 + 0.0,
            if table.coverage < 0.999 { " (unlisted producers are left out, so HHI is a lower bound)" } else { "" }
        ));
    }
    if tables.is_empty() {
        let stage_text = stage
            .map(|stage| format!(" at stage {stage}"))
            .unwrap_or_default();
        result.notes.push(format!(
            "no production data for {}{stage_text}",
            graph.node(item).id
        ));
    }
    result
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
            } => (
                format!("policy {}", milestone.prop()),
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
                "event".to_string(),
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
            Cell::Text(source_ids(graph, sources)),
        ];
        result.push(Some(entry.node), cells, evidence);
    }
    result
}
