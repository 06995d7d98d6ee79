//! Pipeline stages: `where`, `sort`, `take`, `select`, `count`, `chart`
//! (series sketched into the notes by `picture::text_chart`), `export`.

use std::cmp::Ordering;

use crate::analysis::Context;
use crate::syntax::{Arg, ExportFormat, SortKey, Stage};

use super::error::{EvalError, EvalErrorKind};
use super::expr::{Scope, compare};
use super::names::{self, Params};
use super::result::{Cell, Explanation, QueryResult, Row};

/// Where `| export` writes: handed in by the caller, so evaluation does no I/O.
pub trait ExportSink {
    /// Writes `subgraph` to `file`; returns a one-line report. Pictures
    /// (`.svg`, `.html`) also draw from `answer`: its table, series and query.
    fn export(
        &mut self,
        graph: &crate::model::Graph,
        subgraph: &crate::model::Subgraph,
        answer: &Answer<'_>,
        file: &str,
        format: Option<ExportFormat>,
        force: bool,
    ) -> Result<String, SinkError>;
}

/// The answer being exported, for the formats that show more than the
/// subgraph (pictures and the HTML report).
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub result: &'a QueryResult,
    /// The query up to the export stage, in canonical text.
    pub query: &'a str,
    /// The `as of` date of the view, if the query gave one.
    pub as_of: Option<crate::model::PartialDate>,
}

/// Why an export did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// The request itself is refused (the file exists and `force` is
    /// missing; the format cannot be told from the name).
    Refused(String),
    /// Writing failed (no such folder, no permission, disk full).
    Io(String),
}

pub fn apply(
    ctx: &Context,
    params: &Params,
    sink: &mut Option<&mut dyn ExportSink>,
    stage: &Stage,
    asked: &str,
    mut result: QueryResult,
) -> Result<QueryResult, EvalError> {
    if !matches!(stage, Stage::Export { .. }) {
        result.record = None;
    }
    match stage {
        Stage::Where { cond, span } => {
            let mut kept = Vec::with_capacity(result.rows.len());
            for row in std::mem::take(&mut result.rows) {
                EvalError::check_cancelled(*span)?;
                let scope = Scope {
                    ctx,
                    params,
                    columns: &result.columns,
                    row: Some(&row),
                    bindings: &[],
                };
                if scope.holds(cond)? {
                    kept.push(row);
                }
            }
            result.rows = kept;
        }
        Stage::Sort { keys, .. } => sort(ctx, params, keys, &mut result)?,
        Stage::Take { count, .. } => {
            let count = names::count(params, count)?;
            result
                .rows
                .truncate(usize::try_from(count).unwrap_or(usize::MAX));
        }
        Stage::Select { items, .. } => {
            let columns: Vec<String> = items
                .iter()
                .map(|item| {
                    item.alias
                        .as_ref()
                        .map_or_else(|| item.expr.to_string(), |alias| alias.value.clone())
                })
                .collect();
            let mut rows = Vec::with_capacity(result.rows.len());
            for row in &result.rows {
                EvalError::check_cancelled(stage.span())?;
                let scope = Scope {
                    ctx,
                    params,
                    columns: &result.columns,
                    row: Some(row),
                    bindings: &[],
                };
                let cells = items
                    .iter()
                    .map(|item| scope.eval(&item.expr))
                    .collect::<Result<Vec<_>, _>>()?;
                rows.push(Row {
                    cells,
                    node: row.node,
                    evidence: row.evidence.clone(),
                    explain: row.explain.clone(),
                });
            }
            result.columns = columns;
            result.rows = rows;
            result.machine_only.clear();
            result.explanation = Explanation::Hidden;
            result.columns_chosen = true;
        }
        Stage::Group {
            keys, aggregates, ..
        } => {
            result = super::group::group_stage(ctx, params, keys, aggregates, result)?;
        }
        Stage::Explain { .. } => result.explanation = Explanation::Full,
        Stage::Count { .. } => {
            let evidence = result.take_evidence();
            let count = result.rows.len();
            let notes = std::mem::take(&mut result.notes);
            let truncated = result.truncated;
            // A count of a truncated result is only a lower bound, and says so
            // in its column name in every format.
            result = QueryResult::new(&[if truncated { "count_at_least" } else { "count" }]);
            result.notes = notes;
            result.truncated = truncated;
            result.rows.push(Row {
                cells: vec![Cell::Num(count as f64)],
                node: None,
                evidence,
                explain: Default::default(),
            });
        }
        Stage::Chart { .. } => {
            let charts = crate::picture::text_chart::text_charts(ctx.graph, &result);
            if charts.is_empty() {
                result
                    .notes
                    .push("chart: no series of two or more dated values to sketch".to_string());
            }
            result.notes.extend(charts);
        }
        Stage::Export {
            file,
            format,
            force,
            span,
        } => {
            let file_name = match file {
                Arg::Lit(text) => text.value.clone(),
                Arg::Param(param) => names::param_text(params, param)?.to_string(),
            };
            let Some(sink) = sink.as_mut() else {
                return Err(EvalError::new(
                    EvalErrorKind::Export,
                    *span,
                    "export is not available here",
                ));
            };
            let mut subgraph = result.subgraph();
            if subgraph.edges.is_empty() {
                // A list of nodes: export the edges among them too.
                subgraph.add_edges_among(ctx.graph, |edge_idx| ctx.edge_active(edge_idx));
            }
            let answer = Answer {
                result: &result,
                query: asked,
                as_of: ctx.as_of,
            };
            let report = sink
                .export(
                    ctx.graph,
                    &subgraph,
                    &answer,
                    &file_name,
                    format.as_ref().map(|f| f.value),
                    *force,
                )
                .map_err(|failure| match failure {
                    SinkError::Refused(message) => {
                        EvalError::new(EvalErrorKind::Export, *span, message)
                    }
                    SinkError::Io(message) => {
                        EvalError::new(EvalErrorKind::ExportIo, *span, message)
                    }
                })?;
            result.exports.push(report);
        }
    }
    Ok(result)
}

fn sort(
    ctx: &Context,
    params: &Params,
    keys: &[SortKey],
    result: &mut QueryResult,
) -> Result<(), EvalError> {
    let mut keyed = Vec::with_capacity(result.rows.len());
    for row in std::mem::take(&mut result.rows) {
        let scope = Scope {
            ctx,
            params,
            columns: &result.columns,
            row: Some(&row),
            bindings: &[],
        };
        let values = keys
            .iter()
            .map(|key| scope.eval(&key.expr))
            .collect::<Result<Vec<_>, _>>()?;
        keyed.push((values, row));
    }
    let scope = Scope {
        ctx,
        params,
        columns: &result.columns,
        row: None,
        bindings: &[],
    };
    // Check every key is comparable first, so sorting itself cannot fail.
    for (index, key) in keys.iter().enumerate() {
        for pair in keyed.windows(2) {
            compare(&scope, &pair[0].0[index], &pair[1].0[index], key.span)?;
        }
    }
    keyed.sort_by(|a, b| {
        for (index, key) in keys.iter().enumerate() {
            let (left, right) = (&a.0[index], &b.0[index]);
            let ordering = match (left, right) {
                (Cell::Null, Cell::Null) => Ordering::Equal,
                (Cell::Null, _) => Ordering::Greater,
                (_, Cell::Null) => Ordering::Less,
                _ => {
                    let ordering = compare(&scope, left, right, key.span)
                        .ok()
                        .flatten()
                        .unwrap_or(Ordering::Equal);
                    if key.descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                }
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });
    result.rows = keyed.into_iter().map(|(_, row)| row).collect();
    Ok(())
}
