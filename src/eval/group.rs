//! Grouping and aggregates: `| group by KEY, ... aggregate count() as n,
//! sum(x), avg(x), min(x), max(x), collect(x)`, and aggregates in `match …
//! return` (the other return items are the keys, as in Cypher).
//!
//! Groups come in the order their first row came (sort after grouping for
//! another order); a row's evidence joins its group's.

use std::cmp::Ordering;

use rustc_hash::FxHashMap as HashMap;

use crate::syntax::{Expr, Projection, Span};

use super::error::{EvalError, EvalErrorKind};
use super::expr::{Scope, compare};
use super::result::{Cell, QueryResult, Row};

const AGGREGATES: &[&str] = &["count", "sum", "avg", "min", "max", "collect"];

/// Whether `name` is an aggregate function.
pub fn is_aggregate(name: &str) -> bool {
    AGGREGATES.iter().any(|agg| agg.eq_ignore_ascii_case(name))
}

/// Whether a projection is an aggregate call (`count()`, `sum(x) as total`).
pub fn is_aggregate_item(item: &Projection) -> bool {
    matches!(&item.expr, Expr::Call { name, .. } if is_aggregate(&name.value))
}

/// A projection's column name: its alias, else its text.
pub fn column_name(item: &Projection) -> String {
    item.alias
        .as_ref()
        .map_or_else(|| item.expr.to_string(), |alias| alias.value.clone())
}

/// One aggregate to compute: the function and its argument (none for `count()`).
pub struct Aggregate<'q> {
    name: String,
    arg: Option<&'q Expr>,
    span: Span,
}

impl<'q> Aggregate<'q> {
    /// The aggregate of a projection, or an error saying the item must be one.
    pub fn of(item: &'q Projection) -> Result<Aggregate<'q>, EvalError> {
        match &item.expr {
            Expr::Call { name, args, span } if is_aggregate(&name.value) => {
                if let Some(nested) = args.iter().find(|arg| contains_aggregate(arg)) {
                    return Err(EvalError::new(
                        EvalErrorKind::Invalid,
                        nested.span(),
                        "an aggregate cannot contain another aggregate",
                    ));
                }
                Ok(Aggregate {
                    name: name.value.to_ascii_lowercase(),
                    arg: args.first(),
                    span: *span,
                })
            }
            other => Err(EvalError::new(
                EvalErrorKind::Invalid,
                other.span(),
                format!("`{other}` is not an aggregate"),
            )
            .with_hint(Some(
                "after `aggregate` write count(), count(x), sum(x), avg(x), min(x), max(x) or collect(x); put keys after `group by`".to_string(),
            ))),
        }
    }

    /// The argument's value in one row's scope (`Null` for `count()`).
    pub fn input(&self, scope: &Scope) -> Result<Cell, EvalError> {
        match self.arg {
            Some(expr) => scope.eval(expr),
            None => Ok(Cell::Bool(true)),
        }
    }

    /// Combines one group's inputs.
    fn fold(&self, scope: &Scope, values: Vec<Cell>) -> Result<Cell, EvalError> {
        let present: Vec<Cell> = values
            .into_iter()
            .filter(|value| *value != Cell::Null)
            .collect();
        match self.name.as_str() {
            "count" => Ok(Cell::Num(present.len() as f64)),
            "collect" => Ok(Cell::List(present)),
            "sum" | "avg" => {
                let mut total = 0.0;
                for value in &present {
                    total += value.as_f64().ok_or_else(|| {
                        EvalError::new(
                            EvalErrorKind::TypeMismatch,
                            self.span,
                            format!(
                                "{}() needs numbers, found a {}",
                                self.name,
                                value.type_name()
                            ),
                        )
                    })?;
                }
                Ok(match (self.name.as_str(), present.len()) {
                    ("avg", 0) => Cell::Null,
                    ("avg", n) => Cell::Num(total / n as f64),
                    _ => Cell::Num(total),
                })
            }
            _ => {
                let want = if self.name == "min" {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best: Option<Cell> = None;
                for value in present {
                    let better = match &best {
                        None => true,
                        Some(current) => compare(scope, &value, current, self.span)? == Some(want),
                    };
                    if better {
                        best = Some(value);
                    }
                }
                Ok(best.unwrap_or(Cell::Null))
            }
        }
    }
}

fn contains_aggregate(expr: &Expr) -> bool {
    match expr {
        Expr::Call { name, args, .. } => {
            is_aggregate(&name.value) || args.iter().any(contains_aggregate)
        }
        Expr::Unary { operand, .. } => contains_aggregate(operand),
        Expr::Logical { operands, .. } => operands.iter().any(contains_aggregate),
        Expr::Binary { lhs, rhs, .. } => contains_aggregate(lhs) || contains_aggregate(rhs),
        Expr::In { operand, list, .. } => {
            contains_aggregate(operand) || list.iter().any(contains_aggregate)
        }
        _ => false,
    }
}

/// Rows gathered into groups by their key cells.
#[derive(Default)]
pub struct Groups {
    order: Vec<(Vec<Cell>, Row, Vec<Vec<Cell>>)>,
    index: HashMap<String, usize>,
}

impl Groups {
    /// Adds one input: its keys (also the row's first cells), the inputs of
    /// each aggregate, and the row whose node and evidence it brings.
    pub fn add(&mut self, keys: Vec<Cell>, inputs: Vec<Cell>, row: &Row) {
        let signature = format!("{keys:?}");
        let slot = *self.index.entry(signature).or_insert_with(|| {
            self.order.push((
                keys.clone(),
                Row {
                    cells: Vec::new(),
                    node: single_node(&keys),
                    evidence: Default::default(),
                    explain: Default::default(),
                },
                vec![Vec::new(); inputs.len()],
            ));
            self.order.len() - 1
        });
        let (_, group_row, columns) = &mut self.order[slot];
        group_row.evidence.extend(&row.evidence);
        for (column, input) in columns.iter_mut().zip(inputs) {
            column.push(input);
        }
    }

    /// One row per group: keys, then aggregates.
    pub fn finish(self, scope: &Scope, aggregates: &[Aggregate]) -> Result<Vec<Row>, EvalError> {
        let mut rows = Vec::with_capacity(self.order.len());
        for (keys, mut row, columns) in self.order {
            let mut cells = keys;
            for (aggregate, values) in aggregates.iter().zip(columns) {
                cells.push(aggregate.fold(scope, values)?);
            }
            row.cells = cells;
            rows.push(row);
        }
        Ok(rows)
    }
}

/// A group's node: its key when there is one key and it is a node.
fn single_node(keys: &[Cell]) -> Option<crate::model::NodeIndex> {
    match keys {
        [Cell::Node(node_idx)] => Some(*node_idx),
        _ => None,
    }
}

/// `| group by KEY, ... [aggregate AGG, ...]` over a table.
pub fn group_stage(
    ctx: &crate::analysis::Context,
    params: &super::names::Params,
    keys: &[Projection],
    aggregates: &[Projection],
    result: QueryResult,
) -> Result<QueryResult, EvalError> {
    let specs = aggregates
        .iter()
        .map(Aggregate::of)
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(item) = keys.iter().find(|item| contains_aggregate(&item.expr)) {
        return Err(EvalError::new(
            EvalErrorKind::Invalid,
            item.span,
            "a `group by` key cannot be an aggregate",
        )
        .with_hint(Some("put aggregates after `aggregate`".to_string())));
    }
    let mut groups = Groups::default();
    for row in &result.rows {
        let scope = Scope {
            ctx,
            params,
            columns: &result.columns,
            row: Some(row),
            bindings: &[],
        };
        let key_cells = keys
            .iter()
            .map(|item| scope.eval(&item.expr))
            .collect::<Result<Vec<_>, _>>()?;
        let inputs = specs
            .iter()
            .map(|spec| spec.input(&scope))
            .collect::<Result<Vec<_>, _>>()?;
        groups.add(key_cells, inputs, row);
    }
    let scope = Scope {
        ctx,
        params,
        columns: &result.columns,
        row: None,
        bindings: &[],
    };
    let rows = groups.finish(&scope, &specs)?;
    let mut grouped = QueryResult {
        columns: keys.iter().chain(aggregates).map(column_name).collect(),
        notes: result.notes,
        truncated: result.truncated,
        base: result.base,
        ..QueryResult::default()
    };
    grouped.rows = rows;
    Ok(grouped)
}
