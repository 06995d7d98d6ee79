//! `exposure TARGET to SUPPLIER`: ranked exposure rows with their
//! explaining paths, and the baseline/scenario comparison of `assuming`.

use crate::analysis::{
    self, Context, ExposurePath, ExposureRow, ExposureTarget, Scenario, Supplier, SupplyBasis,
};
use crate::model::{Graph, Subgraph};

use super::super::describe::source_ids;
use super::super::error::EvalError;
use super::super::result::{Cell, QueryResult};

/// Paths explained per row in the notes.
const EXPLAINED_PATHS: usize = 3;

pub fn exposure(
    ctx: &Context,
    target: ExposureTarget,
    supplier: Supplier,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let report =
        analysis::exposure(ctx, target, supplier).map_err(|err| analysis_error(err, span))?;
    let graph = ctx.graph;
    let mut result = QueryResult::new(&[
        "industry",
        "country",
        "score",
        "disruption",
        "paths",
        "top_path",
    ]);
    for row in &report.rows {
        let cells = vec![
            Cell::Node(row.industry),
            row.country.map_or(Cell::Null, Cell::Node),
            Cell::Score(row.score),
            Cell::Num(row.disruption),
            Cell::Num(row.n_paths as f64),
            row.paths
                .first()
                .map_or(Cell::Null, |path| Cell::Text(path_text(graph, path))),
        ];
        result.push(Some(row.industry), cells, row_evidence(graph, row));
        if let Some(last) = result.rows.last_mut() {
            last.explain = explain(graph, row);
        }
    }
    if let Supplier::Policy(policy) = supplier {
        if !ctx.policy_in_force(policy) {
            let status = super::list::policy_status(ctx, policy);
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
    if report.rows.is_empty() {
        result
            .notes
            .push("no exposure: no dependency path reaches a supply of this supplier".to_string());
    }
    Ok(result)
}

pub fn exposure_assuming(
    ctx: &Context,
    target: ExposureTarget,
    supplier: Supplier,
    scenario: Scenario,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let report = analysis::exposure_with_scenario(ctx, target, supplier, scenario)
        .map_err(|err| analysis_error(err, span))?;
    let graph = ctx.graph;
    let columns = [
        "industry",
        "country",
        "score",
        "baseline_disruption",
        "scenario_disruption",
        "change",
        "top_path",
    ];
    let mut result = QueryResult::new(&columns);
    for change in &report.changes {
        let disruption = |row: &Option<ExposureRow>| row.as_ref().map_or(0.0, |row| row.disruption);
        let shown = change.scenario.as_ref().or(change.baseline.as_ref());
        let cells = vec![
            Cell::Node(change.industry),
            change.country.map_or(Cell::Null, Cell::Node),
            Cell::Score(shown.map_or(0.0, |row| row.score)),
            Cell::Num(disruption(&change.baseline)),
            Cell::Num(disruption(&change.scenario)),
            Cell::Num(change.disruption_change),
            shown
                .and_then(|row| row.paths.first())
                .map_or(Cell::Null, |path| Cell::Text(path_text(graph, path))),
        ];
        let evidence = shown
            .map(|row| row_evidence(graph, row))
            .unwrap_or_default();
        result.push(Some(change.industry), cells, evidence);
        if let (Some(last), Some(row)) = (result.rows.last_mut(), shown) {
            last.explain = explain(graph, row);
        }
    }
    result.notes.push(
        "score = structural exposure; disruption = the part of it cut by restrictions (policies in force, and the scenario)".to_string(),
    );
    Ok(result)
}

fn analysis_error(err: analysis::AnalysisError, span: crate::syntax::Span) -> EvalError {
    EvalError::new(
        super::super::error::EvalErrorKind::WrongKind,
        span,
        err.to_string(),
    )
}

fn row_evidence(graph: &Graph, row: &ExposureRow) -> Subgraph {
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

/// `antimony → defense-munitions → defense (dep 0.9) × supply 0.536 = 0.482`
pub fn path_text(graph: &Graph, path: &ExposurePath) -> String {
    let mut ids = vec![graph.node(path.material).id.clone()];
    for link in &path.chain {
        let (_, to) = graph.endpoints(link.edge);
        let (from, _) = graph.endpoints(link.edge);
        let next = if graph.node(to).id == *ids.last().unwrap_or(&String::new()) {
            from
        } else {
            to
        };
        ids.push(graph.node(next).id.clone());
    }
    format!(
        "{} (dep {:.3}) × supply {:.3} = {:.4}",
        ids.join(" → "),
        path.dependence,
        path.supply.value,
        path.contribution
    )
}

/// The factors of a path with the sources of each, for the notes.
fn path_factors(graph: &Graph, path: &ExposurePath) -> String {
    let mut parts = Vec::new();
    for link in &path.chain {
        let sources = source_ids(graph, graph.edge_sources(link.edge));
        let (from, to) = graph.endpoints(link.edge);
        parts.push(format!(
            "{}→{} dependence {} [{sources}]",
            graph.node(from).id,
            graph.node(to).id,
            link.weight
        ));
    }
    let sourced = |edge| source_ids(graph, graph.edge_sources(edge));
    match &path.supply.basis {
        SupplyBasis::Imports {
            reliance,
            reliance_edge,
            import_share,
            import_edges,
            domestic,
        } => {
            parts.push(format!(
                "import reliance {reliance} [{}]",
                sourced(*reliance_edge)
            ));
            let import_sources: Vec<String> =
                import_edges.iter().map(|edge| sourced(*edge)).collect();
            parts.push(format!(
                "share of imports {import_share} [{}]",
                import_sources.join(";")
            ));
            if *domestic > 0.0 {
                parts.push(format!("domestic {domestic}"));
            }
        }
        SupplyBasis::RelianceAndWorld {
            reliance,
            reliance_edge,
            world,
            ..
        } => {
            parts.push(format!(
                "import reliance {reliance} [{}]",
                sourced(*reliance_edge)
            ));
            parts.push(world_text(graph, world));
        }
        SupplyBasis::World(world) => {
            parts.push(world_text(graph, world));
        }
    }
    for factor in &path.restrictions {
        match factor {
            analysis::RestrictionFactor::Policy {
                policy,
                severity,
                restricts_edge,
            } => {
                parts.push(format!(
                    "{} severity {severity} [{}]",
                    graph.node(*policy).id,
                    sourced(*restricts_edge)
                ));
            }
            analysis::RestrictionFactor::Scenario { fraction } => {
                parts.push(format!("scenario cuts {fraction}"))
            }
        }
    }
    parts.join(" × ")
}

/// The row's headline and its top paths, each with its factors and sources.
fn explain(graph: &Graph, row: &ExposureRow) -> Vec<String> {
    if row.paths.is_empty() {
        return Vec::new();
    }
    let who = match row.country {
        Some(country) => format!("{} {}", graph.node(country).id, graph.node(row.industry).id),
        None => graph.node(row.industry).id.clone(),
    };
    let mut lines = vec![format!(
        "{who}: score {:.4} from {} path(s); top paths:",
        row.score, row.n_paths
    )];
    for path in row.paths.iter().take(EXPLAINED_PATHS) {
        lines.push(format!("  {}", path_text(graph, path)));
        lines.push(format!("    {}", path_factors(graph, path)));
    }
    lines
}

/// `world share 0.857 (refining 2022) [usgs-ofr-2024-1057]`
fn world_text(graph: &Graph, world: &analysis::WorldShare) -> String {
    let stage = world.stage.as_deref().unwrap_or("any stage");
    let year = world
        .year
        .map(|year| format!(" {year}"))
        .unwrap_or_default();
    let sources = source_ids(graph, graph.edge_sources(world.edge));
    format!("world share {} ({stage}{year}) [{sources}]", world.share)
}
