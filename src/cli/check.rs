//! `critmin check`: validate a dataset and print its statistics.

use std::process::ExitCode;

use serde_json::json;

use critmin::load::{self, GraphSpec, Loaded, Problem};
use critmin::model::GraphStats;

use super::output;

/// The report's format: a table for people or JSON for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    Table,
    Json,
}

pub fn run(spec: &GraphSpec, format: CheckFormat) -> ExitCode {
    match (load::load(spec), format) {
        (Ok(loaded), CheckFormat::Table) => {
            output::print(&table(&loaded));
            ExitCode::SUCCESS
        }
        (Ok(loaded), CheckFormat::Json) => {
            let stats = GraphStats::of(&loaded.graph);
            output::println(
                &json_report(Some(&stats), &loaded.files, &loaded.warnings).to_string(),
            );
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
    text
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
