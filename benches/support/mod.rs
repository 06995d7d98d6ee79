//! What the benchmarks share: timing one query through the real path
//! (evaluate, then render to a table) and the process's peak memory.
//! Each benchmark is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::time::Instant;

use critmin::eval::{Env, EvalError, Params, eval_query};
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
        let start = Instant::now();
        let mut env = Env {
            graph,
            params: &params,
            sink: None,
            include_unsourced: false,
        };
        let result = eval_query(&mut env, query)?;
        eval_times.push(start.elapsed().as_secs_f64() * 1e3);
        rows = result.rows.len();
        std::hint::black_box(render(
            graph,
            &result,
            OutputFormat::Table,
            RenderOptions::default(),
            "",
        ));
        totals.push(start.elapsed().as_secs_f64() * 1e3);
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
