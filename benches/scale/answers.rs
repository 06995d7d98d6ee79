//! The critmin runner of the side-by-side comparison: loads a graph folder
//! once, asks each question `runs` times through the real query path
//! (parse, evaluate, render), and writes the timings and each answer in the
//! canonical form `bench/compare.py` checks the peers against.
//!
//! Invariant: the answers are read from critmin's own JSON rendering of
//! the result, never recomputed here.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Map, Value, json};

use critmin::analysis::AnalysisCache;
use critmin::eval::Params;
use critmin::load::GraphSpec;
use critmin::model::Graph;
use critmin::render::{OutputFormat, RenderOptions, render};
use critmin::syntax::{Statement, parse_script};

use crate::{flag, support};

/// The questions of issue 14, by the name every tool's answers use.
pub const QUESTIONS: &[(&str, &str)] = &[
    ("neighbors_1hop", "neighbors china"),
    ("neighbors_2hop", "neighbors china depth 2"),
    ("dependents", "dependents m0"),
    ("path", "path m1 to i0"),
    (
        "top_producers",
        "list minerals | select id, top_producer(), top_share(), hhi()",
    ),
    ("exposure", "exposure united-states to china"),
];

/// Repeated timings of one question, in milliseconds.
struct Timings {
    /// The first run: the run's caches (edge index, trade indexes,
    /// dependence tables) are built by whichever question needs them first.
    first_ms: f64,
    eval_ms: Vec<f64>,
    total_ms: Vec<f64>,
}

/// `scale run --graph DIR [--runs N] [--answers FILE] [--only NAME,…]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let folder = PathBuf::from(flag(args, "--graph").ok_or("run needs --graph DIR")?);
    let runs: usize = flag(args, "--runs")
        .unwrap_or("5")
        .parse()
        .map_err(|err| format!("--runs: {err}"))?;
    let only: Option<Vec<&str>> = flag(args, "--only").map(|list| list.split(',').collect());
    let start = Instant::now();
    // No file-size limit: a 10M-edge edges.csv is over the CLI's default.
    let spec = GraphSpec {
        paths: vec![folder.clone()],
        max_file_bytes: Some(1 << 40),
        ..GraphSpec::default()
    };
    let loaded = critmin::load::load(&spec).map_err(|failure| {
        let problems: Vec<String> = failure
            .problems
            .iter()
            .take(5)
            .map(|p| p.to_string())
            .collect();
        format!("cannot load {}: {}", folder.display(), problems.join("; "))
    })?;
    let load_s = start.elapsed().as_secs_f64();
    let load_peak_mb = support::peak_rss_mb();
    let graph = loaded.graph;
    eprintln!(
        "critmin: loaded {} ({} nodes, {} edges) in {load_s:.3} s, peak {load_peak_mb:.0} MB",
        folder.display(),
        graph.node_count(),
        graph.edge_count()
    );
    // One cache for the whole run, as a shell or a batch file keeps it.
    let cache = AnalysisCache::new();
    let mut questions = Map::new();
    for (name, text) in QUESTIONS {
        if only.as_ref().is_some_and(|only| !only.contains(name)) {
            continue;
        }
        let entry = match ask(&graph, &cache, text, runs) {
            Ok((timings, rendered)) => {
                let answer = canonical(name, &rendered)?;
                let summary = summary(&timings);
                eprintln!(
                    "critmin: {name:<15} median {:>10.3} ms",
                    summary["median_ms"]
                );
                let mut entry = summary;
                entry["query"] = json!(text);
                entry["answer"] = answer;
                entry
            }
            Err(message) => json!({ "query": text, "error": message }),
        };
        questions.insert((*name).to_string(), entry);
    }
    let report = json!({
        "tool": "critmin",
        "graph": folder.display().to_string(),
        "load_s": load_s,
        "load_peak_rss_mb": load_peak_mb,
        "peak_rss_mb": support::peak_rss_mb(),
        "runs": runs,
        "questions": questions,
    });
    let text = serde_json::to_string_pretty(&report).map_err(|err| err.to_string())?;
    match flag(args, "--answers") {
        Some(path) => {
            std::fs::write(path, text + "\n").map_err(|err| format!("cannot write {path}: {err}"))
        }
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

/// Parses `text`, then evaluates and renders it (as a table, as the CLI
/// does) once cold and `runs` times warm, with the run's `cache` (as the
/// shell does); returns the timings and the last result as JSON.
fn ask(
    graph: &Graph,
    cache: &AnalysisCache,
    text: &str,
    runs: usize,
) -> Result<(Timings, Value), String> {
    let statements = parse_script(text).map_err(|err| format!("{err:?}"))?;
    let Some(Statement::Query(query)) = statements.into_iter().next() else {
        return Err(format!("`{text}` is not a query"));
    };
    let params = Params::new();
    let mut timings = Timings {
        first_ms: f64::NAN,
        eval_ms: Vec::new(),
        total_ms: Vec::new(),
    };
    let mut last = None;
    for run in 0..=runs.max(1) {
        let timed = support::timed_run(graph, &params, &query, Some(cache), text)
            .map_err(|err| err.to_string())?;
        if run == 0 {
            timings.first_ms = timed.total_ms;
        } else {
            timings.eval_ms.push(timed.eval_ms);
            timings.total_ms.push(timed.total_ms);
        }
        last = Some(timed.result);
    }
    let result = last.ok_or("no run")?;
    let rendered = render(
        graph,
        &result,
        OutputFormat::Json,
        RenderOptions::default(),
        text,
    );
    let value: Value =
        serde_json::from_str(&rendered.stdout).map_err(|err| format!("JSON output: {err}"))?;
    if value["truncated"] == json!(true) {
        return Err("the JSON answer is truncated".to_string());
    }
    Ok((timings, value))
}

fn summary(timings: &Timings) -> Value {
    let sorted = |values: &[f64]| {
        let mut values = values.to_vec();
        values.sort_by(f64::total_cmp);
        values
    };
    let total = sorted(&timings.total_ms);
    let eval = sorted(&timings.eval_ms);
    json!({
        "median_ms": median(&total),
        "min_ms": total.first().copied().unwrap_or(f64::NAN),
        "max_ms": total.last().copied().unwrap_or(f64::NAN),
        "eval_median_ms": median(&eval),
        "first_ms": timings.first_ms,
        "all_ms": timings.total_ms,
    })
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The answer in the form every tool writes (see `bench/README.md`).
fn canonical(name: &str, rendered: &Value) -> Result<Value, String> {
    let rows = rendered["rows"].as_array().ok_or("no rows")?;
    let text = |row: &Value, key: &str| row[key].as_str().map(str::to_string);
    let number = |row: &Value, key: &str| row[key].as_f64();
    Ok(match name {
        "neighbors_1hop" | "neighbors_2hop" | "neighbors" => {
            let mut ids: Vec<String> = rows.iter().filter_map(|row| text(row, "id")).collect();
            ids.sort();
            ids.dedup();
            json!(ids)
        }
        "dependents" => {
            let map: Map<String, Value> = rows
                .iter()
                .filter_map(|row| Some((text(row, "id")?, json!(number(row, "dependence")?))))
                .collect();
            json!(map)
        }
        "path" => {
            let steps = rows.iter().filter(|row| row["path"] == json!(1)).count();
            let from = rows.first().and_then(|row| text(row, "from"));
            let to = rows
                .iter()
                .rev()
                .find(|row| row["path"] == json!(1))
                .and_then(|row| text(row, "to"));
            json!({ "length": steps, "from": from, "to": to })
        }
        "top_producers" => {
            let map: Map<String, Value> = rows
                .iter()
                .filter_map(|row| {
                    let producer = text(row, "top_producer()")?;
                    let share = number(row, "top_share()")?;
                    let hhi = number(row, "hhi()")?;
                    Some((text(row, "id")?, json!([producer, share, hhi])))
                })
                .collect();
            json!(map)
        }
        "exposure" => {
            let map: Map<String, Value> = rows
                .iter()
                .filter_map(|row| {
                    let scores = json!({
                        "score": number(row, "score")?,
                        "input_share": number(row, "input_share")?,
                        "strongest": number(row, "strongest")?,
                    });
                    Some((text(row, "industry")?, scores))
                })
                .collect();
            json!(map)
        }
        other => return Err(format!("no canonical form for `{other}`")),
    })
}
