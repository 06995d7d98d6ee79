//! Evaluation plus rendering of parsed queries on the bundled graph, in
//! every output format. `| export` stages run against a sink that refuses.
#![no_main]

use std::sync::OnceLock;

use critmin::eval::{Env, Params, eval_query};
use critmin::model::Graph;
use critmin::render::{OutputFormat, RenderOptions, render};
use critmin::syntax::{Statement, parse_script_each};
use libfuzzer_sys::fuzz_target;

fn graph() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| match critmin::load::load_bundled() {
        Ok(loaded) => loaded.graph,
        Err(failure) => panic!("the bundled graph does not load: {failure}"),
    })
}

const FORMATS: [OutputFormat; 5] = [
    OutputFormat::Table,
    OutputFormat::Json,
    OutputFormat::Jsonl,
    OutputFormat::Csv,
    OutputFormat::Markdown,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let graph = graph();
    let params = Params::new();
    for statement in parse_script_each(text).into_iter().take(4) {
        let Ok(Statement::Query(query)) = statement else {
            continue;
        };
        let mut env = Env {
            graph,
            params: &params,
            sink: None,
            include_unsourced: false,
        };
        let Ok(result) = eval_query(&mut env, &query) else {
            continue;
        };
        for format in FORMATS {
            let _ = render(graph, &result, format, RenderOptions { width: 60, ..RenderOptions::default() }, text);
        }
    }
});
