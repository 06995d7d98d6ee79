//! `list KIND [where COND]`: nodes of a kind with their key fields. A key
//! field (or the name) the query never reads ([`ColumnsRead`]) is not computed.

use crate::analysis::{self, Context};
use crate::model::{NodeIndex, NodeKind, Subgraph};

use super::super::columns::ColumnsRead;
use super::super::error::EvalError;
use super::super::expr::{Scope, value_cell};
use super::super::names::Params;
use super::super::result::{Cell, QueryResult, Row};
use crate::syntax::Expr;

/// The columns shown for each kind (after `id` and `name`).
fn extra_columns(kind: Option<NodeKind>) -> &'static [&'static str] {
    match kind {
        Some(NodeKind::Mineral | NodeKind::Product) => {
            &["aliases", "stage", "top_producer", "top_share", "hhi"]
        }
        Some(NodeKind::Country) => &["aliases"],
        Some(NodeKind::Policy) => &["announced", "effective", "status"],
        Some(NodeKind::Event) => &["date"],
        Some(NodeKind::Industry) => &[],
        None => &["kind"],
    }
}

pub fn list(
    ctx: &Context,
    params: &Params,
    kind: Option<NodeKind>,
    filter: Option<&Expr>,
    read: &ColumnsRead,
) -> Result<QueryResult, EvalError> {
    let graph = ctx.graph;
    let extra = extra_columns(kind);
    let computed: Vec<bool> = extra.iter().map(|column| read.reads(column)).collect();
    let name_read = read.reads("name");
    let mut columns = vec!["id", "name"];
    columns.extend(extra);
    let mut result = QueryResult::new(&columns);
    let mut nodes: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|node_idx| {
            kind.is_none_or(|kind| graph.node(*node_idx).kind == kind) && ctx.node_active(*node_idx)
        })
        .collect();
    nodes.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id));
    for node_idx in nodes {
        EvalError::check_cancelled(crate::syntax::Span::default())?;
        let node = graph.node(node_idx);
        let name = if name_read {
            Cell::Text(node.name.clone())
        } else {
            Cell::Null
        };
        let mut cells = vec![Cell::Text(node.id.clone()), name];
        cells.extend(extra.iter().zip(&computed).map(|(column, computed)| {
            if *computed {
                key_field(ctx, node_idx, column)
            } else {
                Cell::Null
            }
        }));
        let mut evidence = Subgraph::new();
        evidence.add_node(node_idx);
        let row = Row {
            cells,
            node: Some(node_idx),
            evidence: evidence.into(),
            explain: Default::default(),
        };
        if let Some(filter) = filter {
            let scope = Scope {
                ctx,
                params,
                columns: &result.columns,
                row: Some(&row),
                bindings: &[],
            };
            if !scope.holds(filter)? {
                continue;
            }
        }
        result.rows.push(row);
    }
    Ok(result)
}

fn key_field(ctx: &Context, node_idx: NodeIndex, column: &str) -> Cell {
    let graph = ctx.graph;
    let node = graph.node(node_idx);
    let number = |value: Option<f64>| value.map_or(Cell::Null, Cell::Num);
    match column {
        "kind" => Cell::Text(node.kind.to_string()),
        "aliases" => Cell::summary(short_list(&node.aliases), Cell::texts(&node.aliases)),
        "stage" => analysis::default_stage(ctx, node_idx).map_or(Cell::Null, Cell::Text),
        "top_producer" => {
            analysis::top_producer(ctx, node_idx, None).map_or(Cell::Null, Cell::Node)
        }
        "top_share" => {
            let top = analysis::top_producer(ctx, node_idx, None);
            number(top.and_then(|country| analysis::share(ctx, node_idx, country, None)))
        }
        "hhi" => number(analysis::hhi(ctx, node_idx, None).map(f64::round)),
        "status" => Cell::Text(ctx.policy_status(node_idx).as_str().to_string()),
        other => graph
            .node_prop(node_idx, other)
            .map_or(Cell::Null, value_cell),
    }
}

/// At most three items, then `…`.
fn short_list(items: &[String]) -> String {
    let mut text = items.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 3 {
        text.push_str(", …");
    }
    text
}
