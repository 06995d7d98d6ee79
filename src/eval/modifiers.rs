//! Which sources an `assuming` scenario applies to. A scenario changes
//! production figures (bans and cuts: `share`, `hhi`, `top_producer`,
//! `top_share`, `concentration`), exposure (every scenario) and policy
//! status (`lifted`, `in force`: `status`). A query where nothing reads what
//! the scenario changes is refused with an error naming the modifier and
//! the source, never answered as if the scenario held (docs/LANGUAGE.md,
//! "Every modifier applies or is refused").

use crate::analysis::Scenario;
use crate::model::{Graph, NodeIndex, NodeKind};
use crate::syntax::{Expr, Query, Source, Span, Stage};

use super::error::{EvalError, EvalErrorKind};

/// What a scenario changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Changes {
    /// A ban or a cut: production shares (and exposure).
    Supply,
    /// A policy forced lifted or in force: policy status (and exposure).
    PolicyState,
}

/// Functions whose value a ban or cut changes.
const SUPPLY_FUNCTIONS: &[&str] = &["share", "hhi", "top_producer", "top_share", "exposure"];
/// Functions whose value a forced policy state changes.
const POLICY_FUNCTIONS: &[&str] = &["status", "exposure"];

/// `Ok` when the scenario changes something the query reads; otherwise
/// an error at `span` (the `assuming` modifier) saying why.
/// `shown` is the node of a `show` source, resolved.
pub fn check_scenario(
    graph: &Graph,
    query: &Query,
    scenario: &Scenario,
    shown: Option<NodeIndex>,
    span: Span,
) -> Result<(), EvalError> {
    let changes = match scenario {
        Scenario::Ban { .. } | Scenario::Cut { .. } => Changes::Supply,
        Scenario::Lifted(_) | Scenario::InForce(_) => Changes::PolicyState,
    };
    let modifier = format!("assuming {}", scenario_text(graph, scenario));
    let source = source_word(&query.source);
    match (&query.source, changes) {
        (Source::Exposure { .. }, _) => return Ok(()),
        (Source::Concentration { .. }, Changes::Supply) => {
            if !has_destination(scenario) {
                return Ok(());
            }
            return Err(refused(
                span,
                format!(
                    "`{modifier}` does not apply to `concentration`: a ban or cut to one destination moves trade, not world production"
                ),
                "drop `to …` to take the output off the world market, or ask `exposure COUNTRY to SUPPLIER` with this scenario",
            ));
        }
        (Source::Concentration { .. }, Changes::PolicyState) => {
            return Err(refused(
                span,
                format!(
                    "`{modifier}` does not apply to `concentration`: production figures do not depend on a policy's state"
                ),
                "ask `exposure COUNTRY to POLICY` with this scenario, or `… | select status(POLICY)`",
            ));
        }
        _ => {}
    }
    let reads = match changes {
        Changes::Supply => reads_supply(query, has_destination(scenario)),
        Changes::PolicyState => reads_policy_state(query, scenario, shown),
    };
    if reads {
        return Ok(());
    }
    let (what, hint) = match changes {
        Changes::Supply if has_destination(scenario) => (
            "a ban or cut to one destination moves trade, which only `exposure` reads",
            "drop `to …` to change production shares, or ask `exposure TARGET to SUPPLIER assuming …`",
        ),
        Changes::Supply => (
            "a ban or cut changes production shares (`share`, `hhi`, `top_producer`, `top_share`, `concentration`) and `exposure`",
            "drop the scenario, or read what it changes: `concentration ITEM assuming …`, `| select name, top_share()`",
        ),
        Changes::PolicyState => (
            "a policy forced lifted or in force changes `status` and `exposure`",
            "drop the scenario, or read what it changes: `| select name, status(POLICY)`, `exposure TARGET to POLICY assuming …`",
        ),
    };
    Err(refused(
        span,
        format!(
            "`{modifier}` does not apply to `{source}`: {what}, and nothing in this query reads them"
        ),
        hint,
    ))
}

fn refused(span: Span, message: String, hint: &str) -> EvalError {
    EvalError::new(EvalErrorKind::Invalid, span, message).with_hint(Some(hint.to_string()))
}

/// The scenario as the user would write it, with node ids.
pub fn scenario_text(graph: &Graph, scenario: &Scenario) -> String {
    let id = |node: NodeIndex| graph.node(node).id.clone();
    let to = |to: &Option<NodeIndex>| to.map(|to| format!(" to {}", id(to))).unwrap_or_default();
    match scenario {
        Scenario::Ban {
            issuer,
            item,
            to: dest,
        } => {
            format!("{} bans {}{}", id(*issuer), id(*item), to(dest))
        }
        Scenario::Cut {
            issuer,
            item,
            fraction,
            to: dest,
        } => format!(
            "{} cuts {} by {}%{}",
            id(*issuer),
            id(*item),
            crate::model::format_number((fraction * 1000.0).round() / 10.0),
            to(dest)
        ),
        Scenario::Lifted(policy) => format!("{} lifted", id(*policy)),
        Scenario::InForce(policy) => format!("{} in force", id(*policy)),
    }
}

fn source_word(source: &Source) -> &'static str {
    match source {
        Source::Show { .. } => "show",
        Source::Find { .. } => "find",
        Source::List { .. } => "list",
        Source::Depends { .. } => "depends",
        Source::Dependents { .. } => "dependents",
        Source::Exposure { .. } => "exposure",
        Source::Path { .. } => "path",
        Source::Neighbors { .. } => "neighbors",
        Source::Concentration { .. } => "concentration",
        Source::Timeline { .. } => "timeline",
        Source::Match { .. } => "match",
        Source::Graph { .. } => "graph",
    }
}

/// A ban or cut aimed at one destination (`… to T`): it moves trade, so
/// only exposure reads it, never world production figures.
fn has_destination(scenario: &Scenario) -> bool {
    matches!(
        scenario,
        Scenario::Ban { to: Some(_), .. } | Scenario::Cut { to: Some(_), .. }
    )
}

fn reads_supply(query: &Query, destination: bool) -> bool {
    if destination {
        return query_exprs(query).any(|expr| calls_any(expr, &["exposure"], false));
    }
    let default_columns = match &query.source {
        Source::List { kind, .. } => matches!(
            NodeKind::parse(&kind.value),
            Some(NodeKind::Mineral | NodeKind::Product)
        ),
        _ => false,
    };
    default_columns || query_exprs(query).any(|expr| calls_any(expr, SUPPLY_FUNCTIONS, false))
}

fn reads_policy_state(query: &Query, scenario: &Scenario, shown: Option<NodeIndex>) -> bool {
    let policy = match scenario {
        Scenario::Lifted(policy) | Scenario::InForce(policy) => Some(*policy),
        _ => None,
    };
    let shows_policy = shown.is_some_and(|node| Some(node) == policy);
    let default_columns = match &query.source {
        Source::List { kind, .. } => NodeKind::parse(&kind.value) == Some(NodeKind::Policy),
        _ => false,
    };
    shows_policy
        || default_columns
        || query_exprs(query).any(|expr| calls_any(expr, POLICY_FUNCTIONS, true))
}

/// Every expression the query evaluates per row: the `list`/`match`
/// filter, `match` returns, and the `where`, `sort` and `select` stages.
fn query_exprs(query: &Query) -> impl Iterator<Item = &Expr> {
    let mut exprs: Vec<&Expr> = Vec::new();
    match &query.source {
        Source::List {
            filter: Some(filter),
            ..
        } => exprs.push(filter),
        Source::Match {
            filter, returns, ..
        } => {
            exprs.extend(filter.iter());
            exprs.extend(returns.iter().map(|item| &item.expr));
        }
        _ => {}
    }
    for stage in &query.stages {
        match stage {
            Stage::Where { cond, .. } => exprs.push(cond),
            Stage::Sort { keys, .. } => exprs.extend(keys.iter().map(|key| &key.expr)),
            Stage::Select { items, .. } => exprs.extend(items.iter().map(|item| &item.expr)),
            Stage::Group {
                keys, aggregates, ..
            } => exprs.extend(keys.iter().chain(aggregates).map(|item| &item.expr)),
            _ => {}
        }
    }
    exprs.into_iter()
}

/// Whether the expression calls one of `functions` (or, with
/// `status_field`, reads a `status` field: `status`, `p.status`).
fn calls_any(expr: &Expr, functions: &[&str], status_field: bool) -> bool {
    let recurse = |expr: &Expr| calls_any(expr, functions, status_field);
    match expr {
        Expr::Call { name, args, .. } => {
            functions
                .iter()
                .any(|function| name.value.eq_ignore_ascii_case(function))
                || args.iter().any(recurse)
        }
        Expr::Ident(word) => {
            status_field && {
                let field = word.value.rsplit('.').next().unwrap_or("");
                field.eq_ignore_ascii_case("status")
            }
        }
        Expr::Unary { operand, .. } => recurse(operand),
        Expr::Logical { operands, .. } => operands.iter().any(recurse),
        Expr::Binary { lhs, rhs, .. } => recurse(lhs) || recurse(rhs),
        Expr::In { operand, list, .. } => recurse(operand) || list.iter().any(recurse),
        _ => false,
    }
}

/// The error for a scenario that leaves every row of the answer as it is
/// (`list minerals where id = "antimony" assuming China cuts gallium by 50%`).
pub fn changes_nothing(graph: &Graph, what_if: &crate::analysis::Context, span: Span) -> EvalError {
    let modifier = what_if
        .scenarios
        .last()
        .map(|scenario| scenario_text(graph, scenario))
        .unwrap_or_default();
    refused(
        span,
        format!(
            "`assuming {modifier}` changes nothing in this answer: every row is the same without it"
        ),
        "the scenario touches items or policies this answer does not show; widen the query (drop a `where`) to see its effect",
    )
}
