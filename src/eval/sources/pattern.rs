//! `match PATTERN [where COND] return ITEMS`: Cypher-like pattern matching.

use crate::analysis::Context;
use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex, NodeKind, Subgraph};
use crate::syntax::{
    BinaryOp, Direction as PatternDirection, EdgePattern, Expr, NodePattern, Pattern, Projection,
};

use super::super::error::{EvalError, EvalErrorKind};
use super::super::expr::{Binding, Scope, comparison_holds};
use super::super::names::Params;
use super::super::result::{Cell, QueryResult, Row};

/// Most rows a `match` returns.
pub const MAX_MATCHES: usize = 10_000;
/// Most walk steps a `match` explores before it stops (variable-length
/// edges through hubs grow fast: China alone has hundreds of edges).
pub const MAX_WALK_STEPS: usize = 300_000;
/// Most hops of an unbounded variable-length edge (`*`).
pub const MAX_VARIABLE_HOPS: u32 = 6;

struct Matcher<'a, 'g> {
    ctx: &'a Context<'g>,
    params: &'a Params,
    pattern: &'a Pattern,
    node_kinds: Vec<Option<NodeKind>>,
    edge_kinds: Vec<Vec<EdgeKind>>,
    found: Vec<(Vec<(String, Binding)>, Subgraph)>,
    capped: bool,
    steps_left: std::cell::Cell<usize>,
}

pub fn match_pattern(
    ctx: &Context,
    params: &Params,
    pattern: &Pattern,
    filter: Option<&Expr>,
    returns: &[Projection],
) -> Result<QueryResult, EvalError> {
    let mut matcher = Matcher {
        ctx,
        params,
        pattern,
        node_kinds: std::iter::once(&pattern.start)
            .chain(pattern.steps.iter().map(|step| &step.node))
            .map(node_kind)
            .collect::<Result<_, _>>()?,
        edge_kinds: pattern
            .steps
            .iter()
            .map(|step| edge_kinds(&step.edge))
            .collect::<Result<_, _>>()?,
        found: Vec::new(),
        capped: false,
        steps_left: std::cell::Cell::new(MAX_WALK_STEPS),
    };
    let graph = ctx.graph;
    let mut starts: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|n| ctx.node_active(*n))
        .collect();
    starts.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id));
    for start in starts {
        EvalError::check_cancelled(pattern.span)?;
        if matcher.capped || matcher.steps_left.get() == 0 {
            break;
        }
        if matcher.node_fits(0, &pattern.start, start)? {
            let mut bindings = Vec::new();
            bind(&mut bindings, &pattern.start, Binding::Node(start));
            let mut evidence = Subgraph::new();
            evidence.add_node(start);
            matcher.extend(0, start, bindings, evidence)?;
        }
    }
    let columns: Vec<String> = returns
        .iter()
        .map(|item| {
            item.alias
                .as_ref()
                .map_or_else(|| item.expr.to_string(), |alias| alias.value.clone())
        })
        .collect();
    let mut result = QueryResult {
        columns,
        ..QueryResult::default()
    };
    let aggregated = returns.iter().any(super::super::group::is_aggregate_item);
    if aggregated {
        return aggregate_matches(ctx, params, filter, returns, matcher, result);
    }
    for_each_kept_match(ctx, params, filter, &mut matcher, |scope, evidence| {
        let cells = returns
            .iter()
            .map(|item| scope.eval(&item.expr))
            .collect::<Result<Vec<_>, _>>()?;
        let node = scope
            .bindings
            .iter()
            .find_map(|(_, binding)| match binding {
                Binding::Node(node_idx) => Some(*node_idx),
                Binding::Edge(_) => None,
            });
        result.rows.push(Row {
            cells,
            node,
            evidence: evidence.into(),
            explain: Default::default(),
        });
        Ok(())
    })?;
    result.truncated = matcher.steps_left.get() == 0 || matcher.capped;
    if matcher.steps_left.get() == 0 {
        result.notes.push(format!(
            "stopped after exploring {MAX_WALK_STEPS} walk steps; name edge kinds or use fewer hops to see every match"
        ));
    }
    if matcher.capped {
        result
            .notes
            .push(format!("stopped after {MAX_MATCHES} matches"));
    }
    Ok(result)
}

/// Calls `keep` with the scope and evidence of every match found that
/// passes the `where` filter, in the order found.
fn for_each_kept_match(
    ctx: &Context,
    params: &Params,
    filter: Option<&Expr>,
    matcher: &mut Matcher<'_, '_>,
    mut keep: impl FnMut(&Scope, Subgraph) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    for (bindings, evidence) in std::mem::take(&mut matcher.found) {
        let scope = Scope {
            ctx,
            params,
            columns: &[],
            row: None,
            bindings: &bindings,
        };
        if let Some(filter) = filter {
            if !scope.holds(filter)? {
                continue;
            }
        }
        keep(&scope, evidence)?;
    }
    Ok(())
}

fn bind(bindings: &mut Vec<(String, Binding)>, pattern: &NodePattern, binding: Binding) {
    if let Some(var) = &pattern.var {
        bindings.push((var.value.clone(), binding));
    }
}

fn node_kind(pattern: &NodePattern) -> Result<Option<NodeKind>, EvalError> {
    let Some(word) = &pattern.kind else {
        return Ok(None);
    };
    NodeKind::parse(&word.value).map(Some).ok_or_else(|| {
        EvalError::new(
            EvalErrorKind::UnknownWord,
            word.span,
            format!("unknown node kind `{}`", word.value),
        )
    })
}

fn edge_kinds(pattern: &EdgePattern) -> Result<Vec<EdgeKind>, EvalError> {
    pattern
        .kinds
        .iter()
        .map(|word| {
            EdgeKind::parse(&word.value).ok_or_else(|| {
                EvalError::new(
                    EvalErrorKind::UnknownWord,
                    word.span,
                    format!("unknown edge kind `{}`", word.value),
                )
            })
        })
        .collect()
}

impl Matcher<'_, '_> {
    fn node_fits(
        &self,
        position: usize,
        pattern: &NodePattern,
        node_idx: NodeIndex,
    ) -> Result<bool, EvalError> {
        let graph = self.ctx.graph;
        if self.node_kinds[position].is_some_and(|kind| graph.node(node_idx).kind != kind)
            || !self.ctx.node_active(node_idx)
        {
            return Ok(false);
        }
        let scope = Scope {
            ctx: self.ctx,
            params: self.params,
            columns: &[],
            row: None,
            bindings: &[],
        };
        for constraint in &pattern.props {
            let actual = scope
                .node_field(node_idx, &constraint.key.value, constraint.key.span)
                .unwrap_or(Cell::Null);
            let wanted = scope.eval(&constraint.value)?;
            if !comparison_holds(&scope, BinaryOp::Eq, &actual, &wanted, constraint.span)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Matches steps from `step` on, starting at `at`.
    fn extend(
        &mut self,
        step: usize,
        at: NodeIndex,
        bindings: Vec<(String, Binding)>,
        evidence: Subgraph,
    ) -> Result<(), EvalError> {
        let Some(pattern_step) = self.pattern.steps.get(step) else {
            if self.found.len() >= MAX_MATCHES {
                self.capped = true;
            } else {
                self.found.push((bindings, evidence));
            }
            return Ok(());
        };
        let (min, max) = hop_range(&pattern_step.edge);
        for (end, walked) in self.walks(step, at, min, max) {
            EvalError::check_cancelled(self.pattern.span)?;
            if self.capped {
                break;
            }
            if !self.node_fits(step + 1, &pattern_step.node, end)? {
                continue;
            }
            let mut bindings = bindings.clone();
            if let (Some(var), Some(last)) = (&pattern_step.edge.var, walked.last()) {
                bindings.push((var.value.clone(), Binding::Edge(*last)));
            }
            bind(&mut bindings, &pattern_step.node, Binding::Node(end));
            let mut evidence = evidence.clone();
            for edge_idx in &walked {
                evidence.add_edge(self.ctx.graph, *edge_idx);
            }
            self.extend(step + 1, end, bindings, evidence)?;
        }
        Ok(())
    }

    /// Every walk of `min..=max` hops along matching edges from `at`, as
    /// (end node, edges), never revisiting a node within one walk.
    fn walks(
        &self,
        step: usize,
        at: NodeIndex,
        min: u32,
        max: u32,
    ) -> Vec<(NodeIndex, Vec<EdgeIndex>)> {
        let mut out = Vec::new();
        let mut stack = vec![(at, Vec::<EdgeIndex>::new(), vec![at])];
        while let Some((node_idx, edges, seen)) = stack.pop() {
            let Some(left) = self.steps_left.get().checked_sub(1) else {
                break;
            };
            self.steps_left.set(left);
            if edges.len() as u32 >= min && !edges.is_empty() || (min == 0 && edges.is_empty()) {
                out.push((node_idx, edges.clone()));
            }
            if edges.len() as u32 >= max {
                continue;
            }
            for (edge_idx, other) in self.moves(step, node_idx).into_iter().rev() {
                if seen.contains(&other) {
                    continue;
                }
                let mut edges = edges.clone();
                edges.push(edge_idx);
                let mut seen = seen.clone();
                seen.push(other);
                stack.push((other, edges, seen));
            }
        }
        out
    }

    fn moves(&self, step: usize, node_idx: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        let graph = self.ctx.graph;
        let kinds = &self.edge_kinds[step];
        let mut moves: Vec<(EdgeIndex, NodeIndex)> = graph
            .all_edges_at(node_idx)
            .into_iter()
            .filter(|(edge_idx, _, direction)| {
                let wanted = match self.pattern.steps[step].edge.direction {
                    PatternDirection::Out => *direction == Direction::Outgoing,
                    PatternDirection::In => *direction == Direction::Incoming,
                    PatternDirection::Either => true,
                };
                wanted
                    && (kinds.is_empty() || kinds.contains(&graph.edge(*edge_idx).kind))
                    && self.ctx.edge_active(*edge_idx)
            })
            .map(|(edge_idx, other, _)| (edge_idx, other))
            .collect();
        moves.sort_by_cached_key(|(edge_idx, other)| (graph.node(*other).id.clone(), *edge_idx));
        moves
    }
}

fn hop_range(edge: &EdgePattern) -> (u32, u32) {
    match &edge.hops {
        None => (1, 1),
        Some(hops) if !hops.range => {
            let exact = hops.min.unwrap_or(1);
            if hops.min.is_some() {
                (exact, exact)
            } else {
                (1, MAX_VARIABLE_HOPS)
            }
        }
        Some(hops) => (
            hops.min.unwrap_or(1),
            hops.max
                .unwrap_or(MAX_VARIABLE_HOPS)
                .min(MAX_VARIABLE_HOPS.max(hops.min.unwrap_or(1))),
        ),
    }
}

/// `match … return KEY, ..., AGG(…), ...`: the return items that are not
/// aggregates are the grouping keys (as in Cypher); one row per distinct
/// key, the columns in the order written.
fn aggregate_matches(
    ctx: &Context,
    params: &Params,
    filter: Option<&Expr>,
    returns: &[Projection],
    mut matcher: Matcher<'_, '_>,
    mut result: QueryResult,
) -> Result<QueryResult, EvalError> {
    use super::super::group::{Aggregate, Groups, is_aggregate_item};
    type Items<'q> = Vec<(usize, &'q Projection)>;
    let (aggregate_items, key_items): (Items<'_>, Items<'_>) = returns
        .iter()
        .enumerate()
        .partition(|(_, item)| is_aggregate_item(item));
    let specs = aggregate_items
        .iter()
        .map(|(_, item)| Aggregate::of(item))
        .collect::<Result<Vec<_>, _>>()?;
    let mut groups = Groups::default();
    for_each_kept_match(ctx, params, filter, &mut matcher, |scope, evidence| {
        let keys = key_items
            .iter()
            .map(|(_, item)| scope.eval(&item.expr))
            .collect::<Result<Vec<_>, _>>()?;
        let inputs = specs
            .iter()
            .map(|spec| spec.input(scope))
            .collect::<Result<Vec<_>, _>>()?;
        let row = Row {
            cells: Vec::new(),
            node: None,
            evidence: evidence.into(),
            explain: Default::default(),
        };
        groups.add(keys, inputs, &row);
        Ok(())
    })?;
    let scope = Scope {
        ctx,
        params,
        columns: &[],
        row: None,
        bindings: &[],
    };
    // Groups hold keys first, then aggregates: put the cells back in the
    // order the return items were written.
    let order: Vec<usize> = key_items
        .iter()
        .chain(&aggregate_items)
        .map(|(index, _)| *index)
        .collect();
    for mut row in groups.finish(&scope, &specs)? {
        let mut cells = vec![Cell::Null; returns.len()];
        for (cell, index) in row.cells.drain(..).zip(&order) {
            cells[*index] = cell;
        }
        row.cells = cells;
        result.rows.push(row);
    }
    result.truncated = matcher.steps_left.get() == 0 || matcher.capped;
    if result.truncated {
        result.notes.push(
            "the match stopped at a cap (see `.help match`): the groups count only the matches found".to_string(),
        );
    }
    Ok(result)
}
