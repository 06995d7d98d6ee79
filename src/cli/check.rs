//! `critmin check`: validate a dataset and print its statistics.

use std::process::ExitCode;

use serde_json::json;

use critmin::analysis::selection::{self, FigureConflict, Supersession};
use critmin::load::{self, GraphSpec, Loaded, Problem};
use critmin::model::{EdgeIndex, Graph, GraphStats};

use super::output;

/// The report's format: a table for people or JSON for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    Table,
    Json,
}

pub fn run(spec: &GraphSpec, format: CheckFormat) -> ExitCode {
    match (load::load_sources(spec), format) {
        (Ok(loaded), CheckFormat::Table) => {
            output::print(&table(&loaded));
            ExitCode::SUCCESS
        }
        (Ok(loaded), CheckFormat::Json) => {
            let stats = GraphStats::of(&loaded.graph);
            let mut report = json_report(Some(&stats), &loaded.files, &loaded.warnings);
            report["figure_conflicts"] = json!(
                selection::conflicts(&loaded.graph)
                    .iter()
                    .map(|conflict| conflict_text(&loaded, conflict))
                    .collect::<Vec<_>>()
            );
            output::println(&report.to_string());
            ExitCode::SUCCESS
        }
        (Err(failure), CheckFormat::Table) => {
            super::print_problems(&failure.problems);
            let errors = failure.error_count();
            let warnings = failure.problems.len() - errors;
            output::eprintln(&format!(
                "check failed: {errors} error(s), {warnings} warning(s)"
            ));
            ExitCode::from(super::exit_code_of(&failure))
        }
        (Err(failure), CheckFormat::Json) => {
            output::println(&json_report(None, &[], &failure.problems).to_string());
            ExitCode::from(super::exit_code_of(&failure))
        }
    }
}

fn table(loaded: &Loaded) -> String {
    let stats = GraphStats::of(&loaded.graph);
    let mut text = format!(
        "ok: {} nodes, {} edges, {} sources from {} file(s)\n\nnodes by kind\n",
        stats.node_total(),
        stats.edge_total(),
        stats.sources,
        loaded.files.len()
    );
    for (kind, count) in &stats.nodes_by_kind {
        text.push_str(&format!("  {:<16}{count:>8}\n", kind.as_str()));
    }
    text.push_str("\nedges by kind\n");
    for (kind, count) in &stats.edges_by_kind {
        text.push_str(&format!("  {:<16}{count:>8}\n", kind.as_str()));
    }
    text.push_str(&format!(
        "\nsources cited by {} of nodes and {} of edges\n",
        percent(stats.nodes_with_sources, stats.node_total()),
        percent(stats.edges_with_sources, stats.edge_total())
    ));
    if let Some((earliest, latest)) = stats.date_range {
        text.push_str(&format!("dates from {earliest} to {latest}\n"));
    }
    text.push_str(&format!("warnings: {}\n", loaded.warnings.len()));
    for warning in &loaded.warnings {
        text.push_str(&format!("  {warning}\n"));
    }
    let conflicts = selection::conflicts(&loaded.graph);
    text.push_str(&format!(
        "figure conflicts (superseded figures that differ): {}\n",
        conflicts.len()
    ));
    for conflict in &conflicts {
        text.push_str(&format!("  warning: {}\n", conflict_text(loaded, conflict)));
    }
    text
}

/// One superseded figure beside the one used, each with its provenance
/// and where it comes from (sources, and the release file and row).
fn conflict_text(loaded: &Loaded, conflict: &FigureConflict) -> String {
    let graph = &loaded.graph;
    let found = conflict.superseded;
    let why = match found.why {
        Supersession::OlderEdition => "an older edition's figure is shadowed",
        Supersession::CuratedUnderOfficial => "the official figure supersedes a curated one",
        Supersession::OfficialOverridden => "a curated figure overrides the official one",
    };
    let override_reason = graph
        .edge_prop(found.winner, "overrides")
        .and_then(|value| value.as_str())
        .map(|reason| format!(" (overrides: {reason})"))
        .unwrap_or_default();
    format!(
        "{}: {why}: uses {} {} [{}]{override_reason}, not {} {} [{}]",
        fact_text(graph, found.winner),
        selection::provenance_text(graph, found.winner),
        conflict.values.0,
        evidence_text(loaded, found.winner),
        selection::provenance_text(graph, found.loser),
        conflict.values.1,
        evidence_text(loaded, found.loser),
    )
}

/// `china produces antimony (mining, 2024)`.
fn fact_text(graph: &Graph, edge_idx: EdgeIndex) -> String {
    let (from, to) = graph.endpoints(edge_idx);
    let mut details: Vec<String> = ["stage", "item", "form", "basis", "year", "period"]
        .into_iter()
        .filter_map(|key| {
            graph
                .edge_prop(edge_idx, key)
                .map(|value| value.to_string())
        })
        .collect();
    details.dedup();
    format!(
        "{} {} {} ({})",
        graph.node(from).id,
        graph.edge(edge_idx).kind,
        graph.node(to).id,
        details.join(", ")
    )
}

/// Where the edge was read (file and JSON path or CSV row), its source
/// ids, and its release file and row when it has them.
fn evidence_text(loaded: &Loaded, edge_idx: EdgeIndex) -> String {
    let graph = &loaded.graph;
    let mut parts: Vec<String> = loaded.edge_origins.place(edge_idx).into_iter().collect();
    parts.extend(
        graph
            .edge_sources(edge_idx)
            .iter()
            .map(|source_idx| graph.source(*source_idx).id.clone()),
    );
    let file = graph
        .edge_prop(edge_idx, "source_file")
        .map(|value| value.to_string());
    let row = graph.edge_number(edge_idx, "source_row");
    if let (Some(file), Some(row)) = (file, row) {
        parts.push(format!("{file} row {row}"));
    }
    parts.join(", ")
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!("{:.1}%", 100.0 * part as f64 / whole as f64)
}

/// The `schema` of `check --format json` (schemas/check.schema.json).
const CHECK_SCHEMA: &str = "critmin.check/1";

fn json_report(
    stats: Option<&GraphStats>,
    files: &[String],
    problems: &[Problem],
) -> serde_json::Value {
    let problem_json = |problem: &Problem| {
        json!({
            "severity": if problem.is_error() { "error" } else { "warning" },
            "file": &*problem.file,
            "location": location_json(&problem.at),
            "message": problem.message,
        })
    };
    let errors: Vec<_> = problems
        .iter()
        .filter(|p| p.is_error())
        .map(problem_json)
        .collect();
    let warnings: Vec<_> = problems
        .iter()
        .filter(|p| !p.is_error())
        .map(problem_json)
        .collect();
    let mut report = json!({ "schema": CHECK_SCHEMA, "ok": stats.is_some(), "files": files, "errors": errors, "warnings": warnings });
    if let Some(stats) = stats {
        let by_kind = |pairs: Vec<(&str, usize)>| {
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect::<serde_json::Map<_, _>>()
        };
        report["nodes"] = json!({
            "total": stats.node_total(),
            "by_kind": by_kind(stats.nodes_by_kind.iter().map(|(k, v)| (k.as_str(), *v)).collect()),
            "with_sources": stats.nodes_with_sources,
        });
        report["edges"] = json!({
            "total": stats.edge_total(),
            "by_kind": by_kind(stats.edges_by_kind.iter().map(|(k, v)| (k.as_str(), *v)).collect()),
            "with_sources": stats.edges_with_sources,
        });
        report["sources"] = json!(stats.sources);
        report["dates"] = stats.date_range.map_or(
            json!(null),
            |(a, b)| json!({"from": a.to_string(), "to": b.to_string()}),
        );
    }
    report
}

fn location_json(at: &load::At) -> serde_json::Value {
    match at {
        load::At::File => json!(null),
        load::At::Position { line, column } => json!({"line": line, "column": column}),
        load::At::Json { path, line, column } => {
            json!({"path": path, "line": line, "column": column})
        }
        load::At::Csv { line, column } => json!({"line": line, "column": column}),
    }
}
