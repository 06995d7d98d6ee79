//! Query benchmark: every DESIGN.md conformance example on the bundled graph.
//! Prints the median and the fastest of repeated evaluations (parse + eval +
//! render to a table), in milliseconds.
//!
//! `cargo bench --bench queries`

use std::time::Instant;

use critmin::load::load_bundled;
use critmin::syntax::{Statement, parse_script};

mod support;

const RUNS: usize = 21;

fn main() {
    let started = Instant::now();
    let graph = match load_bundled() {
        Ok(loaded) => loaded.graph,
        Err(failure) => {
            eprintln!("the bundled graph does not load: {failure}");
            std::process::exit(1);
        }
    };
    println!(
        "bundled graph: {} nodes, {} edges, loaded in {:.1} ms",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cmq"))
        .collect();
    files.sort();
    println!(
        "{:<62} {:>10} {:>10} {:>6}",
        "query", "median ms", "min ms", "rows"
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let Ok(statements) = parse_script(&text) else {
            continue;
        };
        let Some(Statement::Query(query)) = statements.into_iter().next() else {
            continue;
        };
        if !query
            .stages
            .iter()
            .all(|stage| !matches!(stage, critmin::syntax::Stage::Export { .. }))
        {
            continue;
        }
        let shown: String = query.to_string().chars().take(62).collect();
        match support::time_query(&graph, &query, RUNS) {
            Ok(timing) => println!(
                "{shown:<62} {:>10.3} {:>10.3} {:>6}",
                timing.total_median_ms, timing.min_ms, timing.rows
            ),
            Err(err) => println!("{shown}: {err}"),
        }
    }
}
