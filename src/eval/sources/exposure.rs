//! `exposure TARGET to SUPPLIER`: ranked exposure rows with their
//! explaining paths, and the baseline/scenario comparison of `assuming`.

use crate::analysis::{
    self, Context, ExposurePath, ExposureRow, ExposureTarget, MaterialExposure, Scenario, Supplier,
};
use std::sync::Arc;

use crate::model::{Graph, NodeIndex, Subgraph};
use crate::parallel::map_in_parallel;

use super::super::decimal::Fixed4;
use super::super::describe::walk_cell;
use super::super::error::EvalError;
use super::super::result::{Cell, LazyCell, QueryResult};
use super::exposure_explain::ExposureDerivation;

pub fn exposure(
    ctx: &Context,
    target: ExposureTarget,
    supplier: Supplier,
    scope: analysis::MaterialScope<'_>,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let report = analysis::exposure_for(ctx, target, supplier, scope)
        .map_err(|err| analysis_error(err, span))?;
    let graph = ctx.graph;
    let mut result = QueryResult::new(&[
        "industry",
        "country",
        "score",
        "disruption",
        "input_share",
        "disrupted_share",
        "strongest",
        "materials",
        "top_path",
        FACTORS,
    ]);
    result.machine_only.push(FACTORS.to_string());
    let policy = matches!(supplier, Supplier::Policy(_));
    let no_rows = report.rows.is_empty();
    // A row's evidence reads the graph and the row alone: on every core.
    let evidence = map_in_parallel(&report.rows, |row| row_evidence(graph, row));
    for (row, evidence) in report.rows.into_iter().zip(evidence) {
        let row = Arc::new(row);
        let cells = vec![
            Cell::Node(row.industry),
            row.country.map_or(Cell::Null, Cell::Node),
            Cell::Score(row.score),
            Cell::Num(row.disruption),
            Cell::Num(row.input_share),
            Cell::Num(row.disrupted_share),
            Cell::Num(row.strongest),
            Cell::Num(row.n_materials as f64),
            Cell::Lazy(LazyCell::ExposurePath(Arc::clone(&row))),
            Cell::Lazy(LazyCell::ExposureFactors(Arc::clone(&row))),
        ];
        result.push(Some(row.industry), cells, evidence);
        if let Some(last) = result.rows.last_mut() {
            last.explain = ExposureDerivation::of(ctx, row, policy);
        }
    }
    if let Supplier::Policy(policy) = supplier {
        if let Some(note) = halted_clauses_note(ctx, policy) {
            result.notes.push(note);
        }
        if let Some(note) = pending_clauses_note(ctx, policy) {
            result.notes.push(note);
        }
        if !ctx.policy_in_force(policy) {
            let status = ctx.policy_status(policy).as_str();
            let when = ctx
                .as_of
                .map_or("in the latest state of the record".to_string(), |day| {
                    format!("on {day}")
                });
            result.notes.push(format!(
                "{} is {status} {when}, so it restricts nothing; ask `... as of DATE` for a day it was in force, or `... assuming policy:{} in force`",
                graph.node(policy).id,
                graph.node(policy).id
            ));
        }
    }
    if no_rows {
        result
            .notes
            .push("no exposure: no dependency path reaches a supply of this supplier".to_string());
    }
    result.notes.push(evaluation_day(ctx));
    Ok(result)
}

/// `cn-mofcom-2024-46 clause 2 (gallium, germanium, …) is suspended …`
/// when the policy is in force but some of its clauses are halted.
/// "… applies some restrictions later: graphite-natural (from 2026-01-01)".
fn pending_clauses_note(ctx: &Context, policy: NodeIndex) -> Option<String> {
    if !ctx.policy_in_force(policy) {
        return None;
    }
    let graph = ctx.graph;
    let mut pending: Vec<String> = ctx
        .pending_clauses(policy)
        .into_iter()
        .map(|(edge_idx, item)| {
            let from = graph
                .edge_prop(edge_idx, "effective")
                .map(|value| value.to_string())
                .unwrap_or_default();
            format!("{} (from {from})", graph.node(item).id)
        })
        .collect();
    if pending.is_empty() {
        return None;
    }
    pending.sort();
    Some(format!(
        "{} is in force, but some of its restrictions apply later: {}; the rows leave them out",
        graph.node(policy).id,
        pending.join(", ")
    ))
}

fn halted_clauses_note(ctx: &Context, policy: NodeIndex) -> Option<String> {
    if !ctx.policy_in_force(policy) {
        return None;
    }
    let graph = ctx.graph;
    let mut halted: Vec<String> = ctx
        .halted_clauses(policy)
        .into_iter()
        .map(|(edge_idx, item)| {
            let id = &graph.node(item).id;
            match ctx.text(edge_idx, "clause") {
                Some(clause) => format!("{id} (clause {clause})"),
                None => id.clone(),
            }
        })
        .collect();
    if halted.is_empty() {
        return None;
    }
    halted.sort();
    let when = ctx
        .as_of
        .map_or("in the latest state of the record".to_string(), |day| {
            format!("on {day}")
        });
    Some(format!(
        "{} is in force {when}, but some of its restrictions are suspended or lifted: {}; the rows count only the restrictions that still apply",
        graph.node(policy).id,
        halted.join(", ")
    ))
}

pub fn exposure_assuming(
    ctx: &Context,
    target: ExposureTarget,
    supplier: Supplier,
    scenarios: &[(Scenario, crate::syntax::Span)],
    scope: analysis::MaterialScope<'_>,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let given: Vec<Scenario> = scenarios.iter().map(|(s, _)| s.clone()).collect();
    let report = analysis::exposure_with_scenarios(ctx, target, supplier, &given, scope)
        .map_err(|err| analysis_error(err, span))?;
    let graph = ctx.graph;
    let several = given.len() > 1;
    if several {
        // Every clause must move some row on its own (docs/LANGUAGE.md).
        for (index, (scenario, clause_span)) in scenarios.iter().enumerate() {
            let moves = report
                .changes
                .iter()
                .any(|change| change.by_scenario.get(index).is_some_and(|d| *d != 0.0));
            if !moves {
                let alone = ctx.clone().assuming(scenario.clone());
                return Err(crate::eval::modifiers::changes_nothing(
                    graph,
                    &alone,
                    *clause_span,
                ));
            }
        }
    }
    let mut columns = vec![
        "industry",
        "country",
        "score",
        "baseline_disruption",
        "scenario_disruption",
        "change",
    ];
    if several {
        columns.push("moved_by");
    }
    columns.extend(["top_path", FACTORS]);
    let mut result = QueryResult::new(&columns);
    result.machine_only.push(FACTORS.to_string());
    let (changed, unchanged): (Vec<_>, Vec<_>) = report
        .changes
        .iter()
        .partition(|change| change.score_change != 0.0 || change.disruption_change != 0.0);
    let unchanged = unchanged.len();
    for change in changed {
        let disruption = |row: &Option<ExposureRow>| row.as_ref().map_or(0.0, |row| row.disruption);
        let shown = change.scenario.as_ref().or(change.baseline.as_ref());
        let cells = vec![
            Cell::Node(change.industry),
            change.country.map_or(Cell::Null, Cell::Node),
            Cell::Score(shown.map_or(0.0, |row| row.score)),
            Cell::Num(disruption(&change.baseline)),
            Cell::Num(disruption(&change.scenario)),
            Cell::Num(change.disruption_change),
        ];
        let mut cells = cells;
        if several {
            cells.push(moved_by(graph, &given, &change.by_scenario));
        }
        cells.extend([
            changed_path(graph, change),
            shown.map_or(Cell::Null, |row| factors(graph, row)),
        ]);
        let evidence = shown
            .map(|row| row_evidence(graph, row))
            .unwrap_or_default();
        result.push(Some(change.industry), cells, evidence);
        if let (Some(last), Some(row)) = (result.rows.last_mut(), shown) {
            let policy = matches!(supplier, Supplier::Policy(_));
            last.explain = ExposureDerivation::of(ctx, Arc::new(row.clone()), policy);
        }
    }
    result.notes.push(
        "score = structural exposure; disruption = the part of it cut by restrictions (policies in force, and the scenario)".to_string(),
    );
    result.notes.push(evaluation_day(ctx));
    if unchanged > 0 {
        result.notes.push(format!(
            "{unchanged} more row(s) with exposure are not changed by the scenario"
        ));
    }
    Ok(result)
}

/// Which clauses moved a row, each with the disruption change it makes
/// alone: `china bans gallium to united-states +0.1780`; a record per
/// clause for machines (`scenario`, `change`).
fn moved_by(graph: &Graph, scenarios: &[Scenario], alone: &[f64]) -> Cell {
    let moved: Vec<(String, f64)> = scenarios
        .iter()
        .zip(alone)
        .filter(|(_, change)| **change != 0.0)
        .map(|(scenario, change)| {
            (
                crate::eval::modifiers::scenario_text(graph, scenario),
                *change,
            )
        })
        .collect();
    let text = moved
        .iter()
        .map(|(scenario, change)| format!("{scenario} {change:+.4}"))
        .collect::<Vec<_>>()
        .join("; ");
    let value = Cell::List(
        moved
            .into_iter()
            .map(|(scenario, change)| {
                Cell::Record(vec![
                    ("scenario".into(), Cell::Text(scenario)),
                    ("change".into(), Cell::Num(change)),
                ])
            })
            .collect(),
    );
    Cell::summary(text, value)
}

/// The machine-only column with the numbers behind each row's score.
const FACTORS: &str = "factors";

/// Per material and issuer, by exposure: `material`, `issuer`,
/// `dependence`, `supply`, `severity` (the restricted part), `exposure`,
/// `disruption`; for the explained leaders also the strongest `chain` and
/// the `sources` of each factor (`null` for the others).
pub(crate) fn factors(graph: &Graph, row: &ExposureRow) -> Cell {
    let mut materials: Vec<&MaterialExposure> = row.materials.iter().collect();
    materials.sort_by(|a, b| {
        b.exposure
            .total_cmp(&a.exposure)
            .then_with(|| graph.node(a.material).id.cmp(&graph.node(b.material).id))
            .then_with(|| graph.node(a.issuer).id.cmp(&graph.node(b.issuer).id))
    });
    let records = materials
        .into_iter()
        .map(|material| {
            let path = row
                .paths
                .iter()
                .find(|path| path.material == material.material && path.issuer == material.issuer);
            let number = |value: f64| Cell::Num(value);
            Cell::Record(vec![
                ("material".into(), Cell::Node(material.material)),
                ("issuer".into(), Cell::Node(material.issuer)),
                ("dependence".into(), number(material.dependence)),
                ("supply".into(), number(material.supply_share)),
                ("severity".into(), number(material.restricted)),
                ("exposure".into(), number(material.exposure)),
                ("disruption".into(), number(material.disruption)),
                (
                    "chain".into(),
                    path.map_or(Cell::Null, |path| chain_cell(graph, path)),
                ),
                (
                    "sources".into(),
                    path.map_or(Cell::Null, |path| factor_sources(graph, path)),
                ),
            ])
        })
        .collect();
    Cell::List(records)
}

/// The chain as steps `{id, kind}`, each after the first with the `edge`
/// kind that reaches it and its `direction` along the chain.
fn chain_cell(graph: &Graph, path: &ExposurePath) -> Cell {
    let edges: Vec<crate::model::EdgeIndex> = path.chain.iter().map(|link| link.edge).collect();
    walk_cell(graph, path.material, &edges)
}

/// `{"dependence": [...], "supply": [...], "severity": [...]}`: the source
/// ids behind each factor of a path.
fn factor_sources(graph: &Graph, path: &ExposurePath) -> Cell {
    let ids = |edges: &mut dyn Iterator<Item = crate::model::EdgeIndex>| {
        let mut ids: Vec<&str> = edges
            .flat_map(|edge| graph.edge_sources(edge).iter())
            .map(|source| graph.source(*source).id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Cell::texts(ids)
    };
    let restricts = path.restrictions.iter().filter_map(|factor| match factor {
        analysis::RestrictionFactor::Policy { restricts_edge, .. } => Some(*restricts_edge),
        analysis::RestrictionFactor::Scenario { .. } => None,
    });
    Cell::Record(vec![
        (
            "dependence".into(),
            ids(&mut path.chain.iter().map(|link| link.edge)),
        ),
        ("supply".into(), ids(&mut path.supply.edges().into_iter())),
        ("severity".into(), ids(&mut restricts.into_iter())),
    ])
}

/// Which day the numbers are for: `as of`, or the record's latest state.
pub(super) fn evaluation_day(ctx: &Context) -> String {
    match ctx.as_of {
        Some(day) => format!("as of {day}: facts and policies in force on that day"),
        None => "latest state of the record: the newest figures, and policies in force unless suspended or lifted (add `as of DATE` for another day)".to_string(),
    }
}

pub(super) fn analysis_error(err: analysis::AnalysisError, span: crate::syntax::Span) -> EvalError {
    EvalError::new(
        super::super::error::EvalErrorKind::WrongKind,
        span,
        err.to_string(),
    )
}

pub(super) fn row_evidence(graph: &Graph, row: &ExposureRow) -> Subgraph {
    let mut evidence = Subgraph::new();
    evidence.add_node(row.industry);
    for path in &row.paths {
        for edge_idx in path_edges(path) {
            evidence.add_edge(graph, edge_idx);
        }
    }
    evidence
}

fn path_edges(path: &ExposurePath) -> Vec<crate::model::EdgeIndex> {
    let mut edges: Vec<_> = path.chain.iter().map(|link| link.edge).collect();
    edges.extend(path.supply.edges());
    edges.extend(path.restrictions.iter().filter_map(|factor| match factor {
        analysis::RestrictionFactor::Policy { restricts_edge, .. } => Some(*restricts_edge),
        analysis::RestrictionFactor::Scenario { .. } => None,
    }));
    edges
}

/// The leading material's strongest chain and the material's exposure:
/// `antimony → antimony-trisulfide → defense-munitions (0.4819)`.
pub(crate) fn top_path(graph: &Graph, row: &ExposureRow) -> Cell {
    path_cell(graph, row, row.paths.first())
}

pub(super) fn path_cell(graph: &Graph, row: &ExposureRow, path: Option<&ExposurePath>) -> Cell {
    let Some(path) = path else {
        return Cell::Null;
    };
    let text = match material_of(row, path) {
        Some(material) => format!(
            "{} ({})",
            chain_text(graph, path),
            Fixed4(material.exposure)
        ),
        None => chain_text(graph, path),
    };
    Cell::summary(text, chain_cell(graph, path))
}

pub(super) fn material_of<'r>(
    row: &'r ExposureRow,
    path: &ExposurePath,
) -> Option<&'r MaterialExposure> {
    row.materials
        .iter()
        .find(|m| m.material == path.material && m.issuer == path.issuer)
}

/// Under a scenario, the chain of the material whose disruption the
/// scenario raised most (the leading one when none changed).
fn changed_path(graph: &Graph, change: &analysis::ExposureChange) -> Cell {
    let Some(scenario) = change.scenario.as_ref().or(change.baseline.as_ref()) else {
        return Cell::Null;
    };
    let before = |path: &ExposurePath| {
        change
            .baseline
            .as_ref()
            .and_then(|row| material_of(row, path))
            .map_or(0.0, |m| m.disruption)
    };
    let rise = |path: &ExposurePath| {
        material_of(scenario, path).map_or(0.0, |m| m.disruption) - before(path)
    };
    let most = scenario
        .paths
        .iter()
        .filter(|path| rise(path) > 1e-12)
        .max_by(|a, b| rise(a).total_cmp(&rise(b)));
    match (most.or(scenario.paths.first()), change.baseline.as_ref()) {
        (Some(path), _) => path_cell(graph, scenario, Some(path)),
        // The scenario removed every channel (`POLICY lifted`): show what
        // the baseline rested on.
        (None, Some(baseline)) => path_cell(graph, baseline, baseline.paths.first()),
        (None, None) => Cell::Null,
    }
}

/// `antimony → antimony-trisulfide → defense-munitions`
pub fn chain_text(graph: &Graph, path: &ExposurePath) -> String {
    let mut last = graph.node(path.material).id.as_str();
    let mut text = String::with_capacity(16 * (path.chain.len() + 1));
    text.push_str(last);
    for link in &path.chain {
        let (from, to) = graph.endpoints(link.edge);
        let next = if graph.node(to).id == last { from } else { to };
        last = graph.node(next).id.as_str();
        text.push_str(" → ");
        text.push_str(last);
    }
    text
}
