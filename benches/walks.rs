//! Walk benchmark: `neighbors` (1 and 2 hops) and shortest `path` on a bulk
//! graph loaded once from a folder (the side-by-side data set,
//! `/work/scale-data/g1m` by default), through the real query path (parse +
//! evaluate + render to a table). Prints the median of 11 warm runs of
//! evaluation alone and with rendering, the fastest run, and the rows.
//!
//! `cargo bench --bench walks -- [DIR] [QUERY]...`

use std::path::PathBuf;
use std::time::Instant;

use critmin::syntax::{Statement, parse_script};

mod support;

const RUNS: usize = 11;
const DEFAULT_GRAPH: &str = "/work/scale-data/g1m";
const QUERIES: &[&str] = &[
    "neighbors china",
    "neighbors china depth 2",
    "path m0 to m1",
    "path m1 to i0",
    "path china to m1",
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let folder = args.first().map_or(DEFAULT_GRAPH, String::as_str);
    let queries: Vec<&str> = if args.len() > 1 {
        args[1..].iter().map(String::as_str).collect()
    } else {
        QUERIES.to_vec()
    };
    let started = Instant::now();
    let graph = match critmin::load::load_paths(&[PathBuf::from(folder)]) {
        Ok(loaded) => loaded.graph,
        Err(failure) => {
            eprintln!(
                "{folder} does not load: {} problems",
                failure.problems.len()
            );
            std::process::exit(1);
        }
    };
    println!(
        "{folder}: {} nodes, {} edges, loaded in {:.1} s",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<28} {:>12} {:>12} {:>10} {:>7}",
        "query", "eval med ms", "+render ms", "min ms", "rows"
    );
    for text in queries {
        let Ok(statements) = parse_script(text) else {
            println!("{text}: does not parse");
            continue;
        };
        let Some(Statement::Query(query)) = statements.into_iter().next() else {
            continue;
        };
        match support::time_query(&graph, &query, RUNS) {
            Ok(timing) => println!(
                "{text:<28} {:>12.2} {:>12.2} {:>10.2} {:>7}",
                timing.eval_median_ms, timing.total_median_ms, timing.min_ms, timing.rows
            ),
            Err(err) => println!("{text}: {err:?}"),
        }
    }
}
