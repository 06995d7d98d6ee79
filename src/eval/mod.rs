//! Evaluation: a parsed query + the graph → a [`QueryResult`] (typed rows
//! and the subgraph that supports them). Sources build the first table,
//! modifiers (`as of`, `assuming`) choose the view of the graph, stages
//! transform the table.
//!
//! Invariant: `eval` does no I/O and never prints; `| export` goes through
//! the [`ExportSink`] the caller hands in.

mod columns;
mod decimal;
mod derivation;
mod describe;
mod error;
mod expr;
mod functions;
mod group;
mod lazy_cell;
mod modifiers;
mod names;
mod result;
mod sources;
mod stages;

pub use derivation::Derivation;
pub use error::{EvalError, EvalErrorKind};
pub use names::Params;
pub use result::{Cell, Evidence, Explanation, FieldName, LazyCell, QueryResult, Row};
pub use stages::{Answer, ExportSink, SinkError};

use std::time::{Duration, Instant};

use crate::analysis::{AnalysisCache, Context, ExposureTarget, Scenario, Supplier};
use crate::model::{EdgeKind, Graph, NodeKind};
use crate::syntax::{Arg, Modifier, Query, Scenario as ScenarioAst, Source};

use columns::ColumnsRead;
use error::EvalErrorKind as Kind;
use names::{count, date, resolve_node};
use sources::concentration::StageChoice;

const MATERIAL: &[NodeKind] = &[NodeKind::Mineral, NodeKind::Product];

/// What evaluation needs besides the query.
pub struct Env<'a> {
    pub graph: &'a Graph,
    pub params: &'a Params,
    pub sink: Option<&'a mut dyn ExportSink>,
    /// Count facts marked `"confidence": "unsourced"` in shares,
    /// concentration, reliance and exposure (`--include-unsourced`,
    /// `.unsourced on`).
    pub include_unsourced: bool,
}

/// How long a query's phases took: building the source's table, and the
/// stages over it (`.timing`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Phases {
    pub source: Duration,
    pub stages: Duration,
}

/// Evaluates one query.
pub fn eval_query(env: &mut Env<'_>, query: &Query) -> Result<QueryResult, EvalError> {
    eval_query_in_run(env, query, None, &mut Phases::default())
}

/// Evaluates one query of a run of many (a shell, a batch file): trade
/// indexes and dependence tables are kept in `cache` for the next ones,
/// and the time of each phase is added to `phases`.
pub fn eval_query_in_run(
    env: &mut Env<'_>,
    query: &Query,
    cache: Option<&AnalysisCache>,
    phases: &mut Phases,
) -> Result<QueryResult, EvalError> {
    let started = Instant::now();
    let stages_before = phases.stages;
    let outcome = eval_with(env, query, cache, phases);
    let stages = phases.stages - stages_before;
    phases.source += started.elapsed().saturating_sub(stages);
    outcome
}

fn eval_with(
    env: &mut Env<'_>,
    query: &Query,
    cache: Option<&AnalysisCache>,
    phases: &mut Phases,
) -> Result<QueryResult, EvalError> {
    let graph = env.graph;
    let params = env.params;
    let mut ctx = Context::new(graph).with_unsourced(env.include_unsourced);
    if let Some(cache) = cache {
        ctx = ctx.with_cache(cache);
    }
    let mut scenarios: Vec<(Scenario, crate::syntax::Span)> = Vec::new();
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
                if scenarios.iter().any(|(known, _)| *known == resolved) {
                    return Err(EvalError::new(
                        Kind::Invalid,
                        *span,
                        format!(
                            "the scenario `assuming {}` is given twice",
                            modifiers::scenario_text(graph, &resolved)
                        ),
                    )
                    .with_hint(Some("drop one of them".to_string())));
                }
                scenarios.push((resolved, *span));
            }
        }
    }
    let mut result = match &query.source {
        _ if scenarios.is_empty() => {
            let result = eval_source(&ctx, params, query, None)?;
            run_stages(&ctx, params, &mut env.sink, query, result, false, phases)?
        }
        source @ Source::Exposure { span, .. } => {
            let question = exposure_question(&ctx, params, source)?;
            let ExposureSupplier::Given(supplier) = question.supplier else {
                return Err(scenario_refused(
                    scenarios[0].1,
                    "`exposure … to MATERIAL` lists every supplier; a scenario needs one",
                    "ask `exposure TARGET to SUPPLIER for MATERIAL assuming …`",
                ));
            };
            if question.tiers.is_some() {
                return Err(scenario_refused(
                    scenarios[0].1,
                    "`tiers` does not compare a baseline with a scenario",
                    "drop `tiers`, or drop the scenario",
                ));
            }
            if question.by_material {
                return Err(scenario_refused(
                    scenarios[0].1,
                    "`by material` does not compare a baseline with a scenario",
                    "drop `by material`; the scenario table's `factors` and explanation give each material",
                ));
            }
            let result = sources::exposure::exposure_assuming(
                &ctx,
                question.target,
                supplier,
                &scenarios,
                question.scope.as_deref(),
                *span,
            )?;
            run_stages(&ctx, params, &mut env.sink, query, result, false, phases)?
        }
        Source::Concentration { .. } => {
            if scenarios.len() > 1 {
                // Each clause must take output off a listed producer on
                // its own (else an error at its span).
                for (scenario, span) in &scenarios {
                    let alone = ctx.clone().assuming(scenario.clone());
                    eval_source(&alone, params, query, Some(*span))?;
                }
            }
            let span = scenarios[0].1;
            let what_if = with_scenarios(&ctx, &scenarios);
            let result = eval_source(&what_if, params, query, Some(span))?;
            run_stages(
                &what_if,
                params,
                &mut env.sink,
                query,
                result,
                false,
                phases,
            )?
        }
        _ => eval_assuming(env, &ctx, query, &scenarios, phases)?,
    };
    if let Some(note) = as_of_note {
        result.notes.insert(0, note);
    }
    result.notes.extend(ctx.take_default_stage_note());
    Ok(result)
}

/// `ctx` with every scenario added, in order.
fn with_scenarios<'g>(
    ctx: &Context<'g>,
    scenarios: &[(Scenario, crate::syntax::Span)],
) -> Context<'g> {
    scenarios
        .iter()
        .fold(ctx.clone(), |what_if, (scenario, _)| {
            what_if.assuming(scenario.clone())
        })
}

/// Scenarios on a source that reads them only through functions or status
/// (`list`, `match`, stages): evaluated with and without them (no export in
/// these trial runs); when every row is the same, an error at the first
/// modifier's span. With several scenarios, each must change the answer
/// on its own too (else an error at its span).
fn eval_assuming(
    env: &mut Env<'_>,
    ctx: &Context,
    query: &Query,
    scenarios: &[(Scenario, crate::syntax::Span)],
    phases: &mut Phases,
) -> Result<QueryResult, EvalError> {
    let params = env.params;
    let baseline = eval_source(ctx, params, query, None)?;
    let baseline = run_stages(ctx, params, &mut None, query, baseline, true, phases)?;
    let what_if = with_scenarios(ctx, scenarios);
    let has_export = query
        .stages
        .iter()
        .any(|stage| matches!(stage, crate::syntax::Stage::Export { .. }));
    let trial = eval_source(&what_if, params, query, None)?;
    // The source's rows, kept for the run that exports once the scenario
    // has been shown to change the answer.
    let for_export = has_export.then(|| trial.clone());
    let trial = run_stages(&what_if, params, &mut None, query, trial, true, phases)?;
    if trial.same_rows_as(&baseline, env.graph) {
        return Err(modifiers::changes_nothing(
            env.graph,
            &what_if,
            scenarios[0].1,
        ));
    }
    if scenarios.len() > 1 {
        for (scenario, span) in scenarios {
            let alone = ctx.clone().assuming(scenario.clone());
            let solo = eval_source(&alone, params, query, None)?;
            let solo = run_stages(&alone, params, &mut None, query, solo, true, phases)?;
            if solo.same_rows_as(&baseline, env.graph) {
                return Err(modifiers::changes_nothing(env.graph, &alone, *span));
            }
        }
    }
    match for_export {
        None => Ok(trial),
        Some(result) => run_stages(
            &what_if,
            params,
            &mut env.sink,
            query,
            result,
            false,
            phases,
        ),
    }
}

/// The query's stages over `result`; `skip_export` leaves out `| export`
/// (a trial run that must not write).
fn run_stages(
    ctx: &Context,
    params: &Params,
    sink: &mut Option<&mut dyn ExportSink>,
    query: &Query,
    result: QueryResult,
    skip_export: bool,
    phases: &mut Phases,
) -> Result<QueryResult, EvalError> {
    let started = Instant::now();
    let outcome = apply_stages(ctx, params, sink, query, result, skip_export);
    phases.stages += started.elapsed();
    outcome
}

fn apply_stages(
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
    for (stage_number, stage) in query.stages.iter().enumerate() {
        let asked = match stage {
            crate::syntax::Stage::Export { .. } if skip_export => continue,
            crate::syntax::Stage::Export { .. } => asked_before(query, stage_number),
            _ => String::new(),
        };
        result = stages::apply(ctx, params, sink, stage, &asked, result)?;
    }
    Ok(result)
}

/// The query's canonical text without stage `stage_number` and those after
/// it: what a picture's caption says was asked.
fn asked_before(query: &Query, stage_number: usize) -> String {
    let asked = Query {
        stages: query.stages[..stage_number].to_vec(),
        ..query.clone()
    };
    asked.to_string()
}

/// `scenario_span`: the `assuming` modifier's span, when the context holds its scenario.
fn eval_source(
    ctx: &Context,
    params: &Params,
    query: &Query,
    scenario_span: Option<crate::syntax::Span>,
) -> Result<QueryResult, EvalError> {
    let graph = ctx.graph;
    let source = &query.source;
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
        Source::Graph { .. } => {
            sources::list::list(ctx, params, None, None, &ColumnsRead::of(query))?
        }
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
            sources::list::list(
                ctx,
                params,
                node_kind,
                filter.as_ref(),
                &ColumnsRead::of(query),
            )?
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
        Source::Exposure { span, .. } => {
            let question = exposure_question(ctx, params, source)?;
            let scope = question.scope.as_deref();
            if let (Some((tiers, _)), ExposureSupplier::Given(Supplier::Country(supplier))) =
                (question.tiers, &question.supplier)
            {
                let (country, industry) = match question.target {
                    ExposureTarget::Country(country) => (country, None),
                    ExposureTarget::CountryIndustry { country, industry } => {
                        (country, Some(industry))
                    }
                    ExposureTarget::Industry(_) => unreachable_target(*span)?,
                };
                return Ok(sources::exposure_tiers::tiered(
                    ctx, country, industry, *supplier, scope, tiers,
                ));
            }
            match question.supplier {
                ExposureSupplier::Material(material) => {
                    sources::exposure_scope::to_material(ctx, question.target, material, *span)?
                }
                ExposureSupplier::Given(supplier) if question.by_material => {
                    sources::exposure_scope::by_material(
                        ctx,
                        question.target,
                        supplier,
                        scope,
                        *span,
                    )?
                }
                ExposureSupplier::Given(supplier) => {
                    sources::exposure::exposure(ctx, question.target, supplier, scope, *span)?
                }
            }
        }
        Source::Path {
            from,
            to,
            all,
            max,
            causal,
            ..
        } => {
            let (from, to) = (
                resolve_node(graph, params, from, &[])?,
                resolve_node(graph, params, to, &[])?,
            );
            sources::paths::path(ctx, from, to, *all, depth_of(max)?, *causal)
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
            sources::neighbors::neighbors(
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

fn unreachable_target<T>(span: crate::syntax::Span) -> Result<T, EvalError> {
    Err(EvalError::new(
        Kind::Invalid,
        span,
        "`tiers` needs a target country".to_string(),
    ))
}

fn scenario_refused(span: crate::syntax::Span, why: &str, hint: &str) -> EvalError {
    EvalError::new(
        Kind::Invalid,
        span,
        format!("`assuming` does not apply here: {why}"),
    )
    .with_hint(Some(hint.to_string()))
}

/// Whom an exposure question is about.
enum ExposureSupplier {
    /// A country or a policy.
    Given(Supplier),
    /// A material: every supplier country of it.
    Material(crate::model::NodeIndex),
}

/// An `exposure` source, resolved.
struct ExposureQuestion {
    target: ExposureTarget,
    supplier: ExposureSupplier,
    /// `for …`: the covered items (groups expanded), sorted.
    scope: Option<Vec<crate::model::NodeIndex>>,
    by_material: bool,
    /// `tiers N`, with its span.
    tiers: Option<(usize, crate::syntax::Span)>,
}

fn exposure_question(
    ctx: &Context,
    params: &Params,
    source: &Source,
) -> Result<ExposureQuestion, EvalError> {
    let Source::Exposure {
        target,
        industry,
        supplier,
        materials,
        by_material,
        tiers,
        span,
    } = source
    else {
        return Err(EvalError::new(
            Kind::Invalid,
            source.span(),
            "not an exposure question".to_string(),
        ));
    };
    let graph = ctx.graph;
    let (target, supplier) = exposure_args(graph, params, target, industry.as_ref(), supplier)?;
    let scope = if materials.is_empty() {
        None
    } else {
        let named = materials
            .iter()
            .map(|arg| resolve_node(graph, params, arg, MATERIAL))
            .collect::<Result<Vec<_>, _>>()?;
        Some(crate::analysis::scope_items(ctx, &named))
    };
    if matches!(supplier, ExposureSupplier::Material(_)) && (scope.is_some() || *by_material) {
        return Err(EvalError::new(
            Kind::Invalid,
            *span,
            "`for` and `by material` need a supplier country or policy; the supplier here is already a material".to_string(),
        )
        .with_hint(Some(
            "ask `exposure TARGET to COUNTRY for MATERIAL`, or drop the clause".to_string(),
        )));
    }
    let tiers = match tiers {
        Some(arg) => {
            let n = count(params, arg)?;
            let tier_span = match arg {
                Arg::Lit(lit) => lit.span,
                Arg::Param(param) => param.span,
            };
            let max = crate::analysis::MAX_TIERS;
            if n as usize > max {
                return Err(EvalError::new(
                    Kind::Invalid,
                    tier_span,
                    format!("at most {max} tiers are followed, asked for {n}"),
                ));
            }
            let country_target = !matches!(target, ExposureTarget::Industry(_));
            let country_supplier =
                matches!(supplier, ExposureSupplier::Given(Supplier::Country(_)));
            if !country_target || !country_supplier || *by_material {
                return Err(EvalError::new(
                    Kind::Invalid,
                    *span,
                    "`tiers` follows one country's imports to a supplier country: it needs `exposure COUNTRY [INDUSTRY] to COUNTRY`, without `by material`".to_string(),
                )
                .with_hint(Some("`exposure US to \"DR Congo\" tiers 2`".to_string())));
            }
            Some((usize::try_from(n).unwrap_or(usize::MAX), tier_span))
        }
        None => None,
    };
    Ok(ExposureQuestion {
        target,
        supplier,
        scope,
        by_material: *by_material,
        tiers,
    })
}

fn exposure_args(
    graph: &Graph,
    params: &Params,
    target: &crate::syntax::NodeArg,
    industry: Option<&crate::syntax::NodeArg>,
    supplier: &crate::syntax::NodeArg,
) -> Result<(ExposureTarget, ExposureSupplier), EvalError> {
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
        &[
            NodeKind::Country,
            NodeKind::Policy,
            NodeKind::Mineral,
            NodeKind::Product,
        ],
    )?;
    let supplier = match graph.node(supplier_idx).kind {
        NodeKind::Country => ExposureSupplier::Given(Supplier::Country(supplier_idx)),
        NodeKind::Policy => ExposureSupplier::Given(Supplier::Policy(supplier_idx)),
        _ => ExposureSupplier::Material(supplier_idx),
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
