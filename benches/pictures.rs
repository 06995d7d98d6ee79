//! Picture benchmark: drawing the answers of the DESIGN.md conformance
//! examples (and one large neighbourhood) on the bundled graph as SVG and as
//! the HTML report. Prints the median of repeated drawings in milliseconds;
//! evaluation is not timed.
//!
//! `cargo bench --bench pictures`

use std::path::Path;
use std::time::Instant;

use critmin::eval::{Answer, Env, Params, eval_query};
use critmin::export::{ExportFormat, render_answer};
use critmin::load::load_bundled;
use critmin::picture::PictureConfig;
use critmin::syntax::{Stage, Statement, parse_script};

const RUNS: usize = 21;

fn main() {
    let graph = match load_bundled() {
        Ok(loaded) => loaded.graph,
        Err(failure) => {
            eprintln!("the bundled graph does not load: {failure}");
            std::process::exit(1);
        }
    };
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance");
    let mut texts: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cmq"))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    texts.sort();
    texts.push("neighbors china depth 4".to_string());
    println!(
        "{:<52} {:>6} {:>6} {:>9} {:>9} {:>9}",
        "query", "nodes", "edges", "svg ms", "html ms", "svg KB"
    );
    let params = Params::new();
    let config = PictureConfig::default();
    for text in texts {
        let Ok(statements) = parse_script(&text) else {
            continue;
        };
        let Some(Statement::Query(mut query)) = statements.into_iter().next() else {
            continue;
        };
        query
            .stages
            .retain(|stage| !matches!(stage, Stage::Export { .. }));
        let mut env = Env {
            graph: &graph,
            params: &params,
            sink: None,
            include_unsourced: false,
        };
        let Ok(result) = eval_query(&mut env, &query) else {
            continue;
        };
        let asked = query.to_string();
        let answer = Answer {
            result: &result,
            query: &asked,
            as_of: None,
        };
        let subgraph = result.subgraph();
        let time = |format: ExportFormat| -> (f64, usize) {
            let mut times = Vec::with_capacity(RUNS);
            let mut size = 0;
            for _ in 0..RUNS {
                let start = Instant::now();
                let files =
                    render_answer(&graph, &subgraph, &answer, &config, format, Path::new("x"));
                times.push(start.elapsed().as_secs_f64() * 1e3);
                size = files.iter().map(|(_, text)| text.len()).sum();
            }
            times.sort_by(f64::total_cmp);
            (times[times.len() / 2], size)
        };
        let (svg_ms, svg_size) = time(ExportFormat::Svg);
        let (html_ms, _) = time(ExportFormat::Html);
        let shown: String = asked.chars().take(52).collect();
        println!(
            "{shown:<52} {:>6} {:>6} {svg_ms:>9.2} {html_ms:>9.2} {:>9.1}",
            subgraph.nodes.len(),
            subgraph.edges.len(),
            svg_size as f64 / 1024.0
        );
    }
}
