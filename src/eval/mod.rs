//! Evaluation: a parsed query + the graph → a [`QueryResult`] (typed rows
//! and the subgraph that supports them). Sources build the first table,
//! modifiers (`as of`, `assuming`) choose the view of the graph, stages
//! transform the table.
//!
//! Invariant: `eval` does no I/O and never prints; `| export` goes through
//! the [`ExportSink`] the caller hands in.

mod describe;
mod error;
mod expr;
mod functions;
mod modifiers;
mod names;
mod result;
mod sources;
mod stages;

pub use error::{EvalError, EvalErrorKind};
pub use names::Params;
pub use result::{Cell, Explanation, QueryResult, Row};
pub use stages::{ExportSink, SinkError};

use crate::analysis::{Context, ExposureTarget, Scenario, Supplier};
use crate::model::{EdgeKind, Graph, NodeKind};
use crate::syntax::{Arg, Modifier, Query, Scenario as ScenarioAst, Source};

use error::EvalErrorKind as Kind;
use names::{count, date, resolve_node};
use sources::concentration::StageChoice;

const MATERIAL: &[NodeKind] = &[NodeKind::Mineral, NodeKind::Product];

/// What evaluation needs besides the query.
pub struct Env<'a> {
    pub graph: &'a Graph,
    pub params: &'a Params,
    pub sink: Option<&'a mut dyn ExportSink>,
}

/// Evaluates one query.
pub fn eval_query(env: &mut Env<'_>, query: &Query) -> Result<QueryResult, EvalError> {
    let graph = env.graph;
    let params = env.params;
    let mut ctx = Context::new(graph);
    let mut scenario: Option<(Scenario, crate::syntax::Span)> = None;
    let mut as_of_note = None;
    for modifier in &query.modifiers {
        match modifier {
            Modifier::AsOf { date: arg, .. } => {
                let period = date(params, arg)?;
                let day = period.last_day();
                if day != period {
                    as_of_note = Some(format!(
                        "as of {period} reads the graph on {day}, the last day of the period"
                    ));
                }
                ctx = ctx.with_as_of(Some(day));
            }
            Modifier::Assuming {
                scenario: ast,
                span,
            } => {
                let resolved = resolve_scenario(graph, params, ast)?;
                let shown = match &query.source {
                    Source::Show { node, .. } => Some(resolve_node(graph, params, node, &[])?),
                    _ => None,
                };
                modifiers::check_scenario(graph, query, &resolved, shown, *span)?;
                scenario = Some((resolved, *span));
            }
        }
    }
    let mut result = match (&query.source, scenario) {
        (source, None) => {
            let result = eval_source(&ctx, params, source, None)?;
            run_stages(&ctx, params, &mut env.sink, query, result, false)?
        }
        (
            Source::Exposure {
                target,
                industry,
                supplier,
                span,
            },
            Some((scenario, _)),
        ) => {
            let (target, supplier) =
                exposure_args(graph, params, target, industry.as_ref(), supplier)?;
            let result =
                sources::exposure::exposure_assuming(&ctx, target, supplier, scenario, *span)?;
            run_stages(&ctx, params, &mut env.sink, query, result, false)?
        }
        (source @ Source::Concentration { .. }, Some((scenario, span))) => {
            let what_if = ctx.clone().assuming(scenario);
            let result = eval_source(&what_if, params, source, Some(span))?;
            run_stages(&what_if, params, &mut env.sink, query, result, false)?
        }
        (source, Some((scenario, span))) => {
            eval_assuming(env, &ctx, query, source, scenario, span)?
        }
    };
    if let Some(note) = as_of_note {
        result.notes.insert(0, note);
    }
    result.notes.extend(ctx.take_default_stage_note());
    Ok(result)
}

/// A scenario on a source that reads it only through functions or status
/// (`list`, `match`, stages): evaluated with and without the scenario (no
/// export in these trial runs); when every row is the same, an error at
/// the modifier's `span`.
fn eval_assuming(
    env: &mut Env<'_>,
    ctx: &Context,
    query: &Query,
    source: &Source,
    scenario: Scenario,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let params = env.params;
    let baseline = eval_source(ctx, params, source, None)?;
    let baseline = run_stages(ctx, params, &mut None, query, baseline, true)?;
    let what_if = ctx.clone().assuming(scenario);
    let trial = eval_source(&what_if, params, source, None)?;
    let trial = run_stages(&what_if, params, &mut None, query, trial, true)?;
    if trial.columns == baseline.columns && trial.rows == baseline.rows {
        return Err(modifiers::changes_nothing(env.graph, &what_if, span));
    }
    let has_export = query
        .stages
        .iter()
        .any(|stage| matches!(stage, crate::syntax::Stage::Export { .. }));
    if !has_export {
        return Ok(trial);
    }
    let result = eval_source(&what_if, params, source, None)?;
    run_stages(&what_if, params, &mut env.sink, query, result, false)
}

/// The query's stages over `result`; `skip_export` leaves out `| export`
/// (a trial run that must not write).
fn run_stages(
    ctx: &Context,
    params: &Params,
    sink: &mut Option<&mut dyn ExportSink>,
    query: &Query,
    mut result: QueryResult,
    skip_export: bool,
) -> Result<QueryResult, EvalError> {
    // A source whose loops stopped early at Ctrl-C ends here, before any
    // stage (or export) sees its partial rows.
    EvalError::check_cancelled(query.source.span())?;
    for stage in &query.stages {
        if skip_export && matches!(stage, crate::syntax::Stage::Export { .. }) {
            continue;
        }
        result = stages::apply(ctx, params, sink, stage, result)?;
    }
    Ok(result)
}

/// `scenario_span`: the `assuming` modifier's span, when the context holds its scenario.
fn eval_source(
    ctx: &Context,
    params: &Params,
    source: &Source,
    scenario_span: Option<crate::syntax::Span>,
) -> Result<QueryResult, EvalError> {
    let graph = ctx.graph;
    let depth_of = |depth: &Option<Arg<crate::syntax::Count>>| -> Result<Option<usize>, EvalError> {
        depth
            .as_ref()
            .map(|arg| count(params, arg).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))
            .transpose()
    };
    Ok(match source {
        Source::Show { node, .. } => {
            sources::card::show(ctx, resolve_node(graph, params, node, &[])?)
        }
        Source::Find { text, .. } => sources::find::find(ctx, &names::node_text(params, text)?),
        Source::Graph { .. } => sources::list::list(ctx, params, None, None)?,
        Source::List { kind, filter, .. } => {
            let node_kind = match kind.value.as_str() {
                "node" | "nodes" => None,
                word => Some(NodeKind::parse(word).ok_or_else(|| {
                    EvalError::new(
                        Kind::UnknownWord,
                        kind.span,
                        format!("unknown node kind `{word}`"),
                    )
                })?),
            };
            sources::list::list(ctx, params, node_kind, filter.as_ref())?
        }
        Source::Depends { node, depth, .. } => sources::closure::closure(
            ctx,
            resolve_node(graph, params, node, &[])?,
            depth_of(depth)?,
            true,
        ),
        Source::Dependents { node, depth, .. } => sources::closure::closure(
            ctx,
            resolve_node(graph, params, node, &[])?,
            depth_of(depth)?,
            false,
        ),
        Source::Exposure {
            target,
            industry,
            supplier,
            span,
        } => {
            let (target, supplier) =
                exposure_args(graph, params, target, industry.as_ref(), supplier)?;
            sources::exposure::exposure(ctx, target, supplier, *span)?
        }
        Source::Path {
            from, to, all, max, ..
        } => {
            let (from, to) = (
                resolve_node(graph, params, from, &[])?,
                resolve_node(graph, params, to, &[])?,
            );
            sources::paths::path(ctx, from, to, *all, depth_of(max)?)
        }
        Source::Neighbors {
            node, depth, via, ..
        } => {
            let kinds = via
                .iter()
                .map(|word| {
                    EdgeKind::parse(&word.value).ok_or_else(|| {
                        EvalError::new(
                            Kind::UnknownWord,
                            word.span,
                            format!("unknown edge kind `{}`", word.value),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            sources::paths::neighbors(
                ctx,
                resolve_node(graph, params, node, &[])?,
                depth_of(depth)?.unwrap_or(1),
                &kinds,
            )
        }
        Source::Concentration {
            node, stage, year, ..
        } => {
            let item = resolve_node(graph, params, node, MATERIAL)?;
            let year = year
                .as_ref()
                .map(|arg| count(params, arg).map(|y| i32::try_from(y).unwrap_or(i32::MAX)))
                .transpose()?;
            let stage = match stage {
                Some(word) if word.value.eq_ignore_ascii_case("all") => StageChoice::All,
                Some(word) => {
                    let stage = functions::check_stage(ctx, item, &word.value, word.span)?;
                    StageChoice::Given(functions::check_item_stage(ctx, item, stage, word.span)?)
                }
                None => StageChoice::Default,
            };
            sources::concentration::concentration(ctx, item, stage, year, scenario_span)?
        }
        Source::Timeline {
            node,
            from,
            to,
            span,
        } => {
            let from = from.as_ref().map(|arg| date(params, arg)).transpose()?;
            let to = to.as_ref().map(|arg| date(params, arg)).transpose()?;
            if let (Some(start), Some(end)) = (from, to) {
                if start.first_day() > end.last_day() {
                    return Err(EvalError::new(
                        Kind::Invalid,
                        *span,
                        format!("the range runs backwards: from {start} is after to {end}"),
                    )
                    .with_hint(Some(format!("did you mean `from {end} to {start}`?"))));
                }
            }
            sources::facts::timeline(ctx, resolve_node(graph, params, node, &[])?, from, to)
        }
        Source::Match {
            pattern,
            filter,
            returns,
            ..
        } => sources::pattern::match_pattern(ctx, params, pattern, filter.as_ref(), returns)?,
    })
}

fn exposure_args(
    graph: &Graph,
    params: &Params,
    target: &crate::syntax::NodeArg,
    industry: Option<&crate::syntax::NodeArg>,
    supplier: &crate::syntax::NodeArg,
) -> Result<(ExposureTarget, Supplier), EvalError> {
    let target = match industry {
        Some(industry) => ExposureTarget::CountryIndustry {
            country: resolve_node(graph, params, target, &[NodeKind::Country])?,
            industry: resolve_node(graph, params, industry, &[NodeKind::Industry])?,
        },
        None => {
            let node_idx = resolve_node(
                graph,
                params,
                target,
                &[NodeKind::Country, NodeKind::Industry],
            )?;
            match graph.node(node_idx).kind {
                NodeKind::Country => ExposureTarget::Country(node_idx),
                _ => ExposureTarget::Industry(node_idx),
            }
        }
    };
    let supplier_idx = resolve_node(
        graph,
        params,
        supplier,
        &[NodeKind::Country, NodeKind::Policy],
    )?;
    let supplier = match graph.node(supplier_idx).kind {
        NodeKind::Country => Supplier::Country(supplier_idx),
        _ => Supplier::Policy(supplier_idx),
    };
    Ok((target, supplier))
}

fn resolve_scenario(
    graph: &Graph,
    params: &Params,
    ast: &ScenarioAst,
) -> Result<Scenario, EvalError> {
    let country = |arg| resolve_node(graph, params, arg, &[NodeKind::Country]);
    let destination = |arg: &Option<crate::syntax::NodeArg>| {
        arg.as_ref()
            .map(|arg| resolve_node(graph, params, arg, &[NodeKind::Country]))
            .transpose()
    };
    Ok(match ast {
        ScenarioAst::Ban {
            country: issuer,
            item,
            destination: to,
            ..
        } => Scenario::Ban {
            issuer: country(issuer)?,
            item: resolve_node(graph, params, item, MATERIAL)?,
            to: destination(to)?,
        },
        ScenarioAst::Cut {
            country: issuer,
            item,
            fraction,
            destination: to,
            ..
        } => Scenario::Cut {
            issuer: country(issuer)?,
            item: resolve_node(graph, params, item, MATERIAL)?,
            fraction: fraction_value(params, fraction)?,
            to: destination(to)?,
        },
        ScenarioAst::Lifted { policy, .. } => {
            Scenario::Lifted(resolve_node(graph, params, policy, &[NodeKind::Policy])?)
        }
        ScenarioAst::InForce { policy, .. } => {
            Scenario::InForce(resolve_node(graph, params, policy, &[NodeKind::Policy])?)
        }
    })
}

fn fraction_value(params: &Params, arg: &Arg<crate::syntax::Number>) -> Result<f64, EvalError> {
    match arg {
        Arg::Lit(number) => Ok(number.value),
        Arg::Param(param) => {
            let text = names::param_text(params, param)?.trim();
            let parsed = match text.strip_suffix('%') {
                Some(percent) => percent.parse::<f64>().map(|p| p / 100.0),
                None => text.parse::<f64>(),
            };
            parsed
                .ok()
                .filter(|f| (0.0..=1.0).contains(f))
                .ok_or_else(|| {
                    EvalError::new(
                        Kind::TypeMismatch,
                        param.span,
                        format!(
                            "parameter `${}` is \"{text}\", expected a fraction such as 50% or 0.5",
                            param.name
                        ),
                    )
                })
        }
    }
}
