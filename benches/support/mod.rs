//! What the benchmarks share: timing one query through the real path
//! (evaluate, then render to a table) and the process's peak memory.
//! Each benchmark is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::time::Instant;

use critmin::analysis::AnalysisCache;
use critmin::eval::{Env, EvalError, Params, Phases, QueryResult, eval_query_in_run};
use critmin::model::Graph;
use critmin::render::{OutputFormat, RenderOptions, render};
use critmin::syntax::Query;

/// Medians and the fastest of repeated runs, in milliseconds.
pub struct Timing {
    pub eval_median_ms: f64,
    pub total_median_ms: f64,
    pub min_ms: f64,
    pub rows: usize,
}

/// Evaluates and renders `query` `runs` times (at least once).
pub fn time_query(graph: &Graph, query: &Query, runs: usize) -> Result<Timing, EvalError> {
    let params = Params::new();
    let mut eval_times = Vec::with_capacity(runs);
    let mut totals = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs.max(1) {
        let run = timed_run(graph, &params, query, None, "")?;
        eval_times.push(run.eval_ms);
        rows = run.result.rows.len();
        totals.push(run.total_ms);
    }
    eval_times.sort_by(f64::total_cmp);
    totals.sort_by(f64::total_cmp);
    Ok(Timing {
        eval_median_ms: eval_times[eval_times.len() / 2],
        total_median_ms: totals[totals.len() / 2],
        min_ms: totals[0],
        rows,
    })
}

/// One timed answer: the result, the time to evaluate it and the time to
/// evaluate and render it as a table (as the CLI prints it), in ms.
pub struct TimedRun {
    pub result: QueryResult,
    pub eval_ms: f64,
    pub total_ms: f64,
}

/// Evaluates `query` (with a run's `cache`, as the shell keeps one, or
/// none) and renders it as a table.
pub fn timed_run(
    graph: &Graph,
    params: &Params,
    query: &Query,
    cache: Option<&AnalysisCache>,
    text: &str,
) -> Result<TimedRun, EvalError> {
    let start = Instant::now();
    let mut env = Env {
        graph,
        params,
        sink: None,
        include_unsourced: false,
    };
    let result = eval_query_in_run(&mut env, query, cache, &mut Phases::default())?;
    let eval_ms = start.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(render(
        graph,
        &result,
        OutputFormat::Table,
        RenderOptions::default(),
        text,
    ));
    let total_ms = start.elapsed().as_secs_f64() * 1e3;
    Ok(TimedRun {
        result,
        eval_ms,
        total_ms,
    })
}

/// Peak resident memory of this process (`VmHWM`), in MB; NaN if unknown.
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
