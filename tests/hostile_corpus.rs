//! Replays the corpus of inputs that once hung or failed
//! (`tests/hostile/corpus/`, and crash inputs copied there from `fuzz/`)
//! through the same paths as the fuzz targets, on the stable toolchain. Each
//! input's work is bounded by counting edit-distance cells
//! (`critmin::model::suggestion_work`), never by timing.
//!
//! - `query/*`: parse, print and reparse, evaluate on the bundled graph and
//!   render in every format;
//! - `json/*`: load as one JSON file;
//! - `csv/*`: nodes, edges and sources CSV separated by NUL bytes.

use std::path::{Path, PathBuf};

use critmin::load::load_texts;
use critmin::model::{Graph, suggestion_work};
use critmin::render::OutputFormat;
use critmin::syntax::{Statement, WalkSpans, parse_script_each, parse_statement};

mod query_run;
use query_run::{bundled, eval, rendered, root};

/// Edit-distance cells one input may cost (a typo's suggestions cost
/// thousands; the hangs this corpus records cost billions).
const WORK_PER_INPUT: u64 = 2_000_000;

fn corpus(kind: &str) -> Vec<PathBuf> {
    let folder = root().join("tests/hostile/corpus").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn bounded(file: &Path, run: impl FnOnce()) {
    let before = suggestion_work();
    run();
    let work = suggestion_work() - before;
    assert!(work < WORK_PER_INPUT, "{}: {work} cells", file.display());
}

fn run_query_text(graph: &Graph, text: &str) {
    for statement in parse_script_each(text).into_iter().take(4) {
        let Ok(Statement::Query(query)) = statement else {
            continue;
        };
        if let Ok(reparsed) = parse_statement(&query.to_string()) {
            let original = Statement::Query(query.clone());
            assert_eq!(
                original.without_spans(),
                reparsed.without_spans(),
                "{text:.200}"
            );
        }
        let Ok(result) = eval(graph, &query) else {
            continue;
        };
        for format in [
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Csv,
            OutputFormat::Markdown,
        ] {
            rendered(graph, &result, format, 60, text);
        }
    }
}

#[test]
fn queries_that_once_hung_are_bounded() {
    let graph = bundled();
    let files = corpus("query");
    assert!(!files.is_empty());
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_string();
        bounded(&file, || run_query_text(&graph, &text));
    }
}

#[test]
fn json_files_that_once_failed_load_or_are_refused() {
    for file in corpus("json") {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_string();
        bounded(&file, || match load_texts(&[("corpus.json", &text)]) {
            Ok(loaded) => drop(critmin::export::native::to_json(&loaded.graph, None)),
            Err(failure) => assert!(!failure.problems.is_empty()),
        });
    }
}

#[test]
fn csv_files_that_once_failed_load_or_are_refused() {
    for file in corpus("csv") {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_string();
        let mut parts = text.splitn(3, '\0');
        let nodes = parts.next().unwrap_or("");
        let edges = parts.next().unwrap_or("x");
        let sources = parts.next().unwrap_or("x");
        let files = [
            ("nodes.csv", nodes),
            ("edges.csv", edges),
            ("sources.csv", sources),
        ];
        bounded(&file, || match load_texts(&files) {
            Ok(loaded) => drop(critmin::export::native::to_json(&loaded.graph, None)),
            Err(failure) => assert!(!failure.problems.is_empty()),
        });
    }
}
