//! Running queries the way the answer tests do: the graphs they ask (the
//! bundled graph, alone or with extra files; files of the repository), a
//! query parsed, evaluated and rendered in process, and for the tests that
//! run the binary, the case files they walk and one run of it.
//!
//! A panic here names the query, or the graph, and what went wrong.

// Each test crate uses a few of these and none uses them all: every item
// is unused in some crate, so the allowance is the module's, not each
// item's.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use critmin::eval::{Env, EvalError, Params, QueryResult, eval_query};
use critmin::load::{GraphSpec, LoadFailure, Loaded, load, load_texts};
use critmin::model::Graph;
use critmin::render::{OutputFormat, RenderOptions, render};
use critmin::syntax::{Query, Statement, parse_statement};
use tempfile::TempDir;

/// A query without `$name` parameters needs none.
static NO_PARAMS: Params = Params::new();

/// The repository's root, where `tests/`, `graph/` and `schemas/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The query files (`NAME.cmq`) of a folder of the repository, by name.
pub fn case_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(folder))
        .unwrap_or_else(|err| panic!("{folder}: {err}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cmq"))
        .collect();
    files.sort();
    files
}

/// The bundled graph.
pub fn bundled() -> Graph {
    graph_or_panic(load(&GraphSpec::bundled()), "the bundled graph")
}

/// The bundled graph with `files` (name, text) beside it, read from a
/// temporary folder as a user's `--graph` files are.
pub fn bundled_with(files: &[(&str, &str)]) -> Graph {
    let folder = tempfile::tempdir().unwrap();
    let paths = files
        .iter()
        .map(|(name, text)| {
            let path = folder.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let spec = GraphSpec {
        bundled: true,
        paths,
        ..GraphSpec::default()
    };
    graph_or_panic(load(&spec), "the bundled graph with extra files")
}

/// The graph of repository files (paths from the root), each loaded as a
/// text named by its file name.
pub fn repo_graph(paths: &[&str]) -> Graph {
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            let full = root().join(path);
            let text = std::fs::read_to_string(&full)
                .unwrap_or_else(|err| panic!("{}: {err}", full.display()));
            let name = full.file_name().unwrap().to_string_lossy().to_string();
            (name, text)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    graph_or_panic(load_texts(&borrowed), &paths.join(", "))
}

/// What a plain query is evaluated in: no parameters, no export sink,
/// sourced facts only.
pub fn env(graph: &Graph) -> Env<'_> {
    Env {
        graph,
        params: &NO_PARAMS,
        sink: None,
        include_unsourced: false,
    }
}

/// The one statement of `text`, which must be a query.
pub fn parse_query(text: &str) -> Query {
    match parse_statement(text) {
        Ok(Statement::Query(query)) => query,
        Ok(other) => panic!("{text}: not a query: {other:?}"),
        Err(err) => panic!("{text}: {err:?}"),
    }
}

/// `query` evaluated on `graph` in [`env`].
pub fn eval(graph: &Graph, query: &Query) -> Result<QueryResult, EvalError> {
    eval_query(&mut env(graph), query)
}

/// The answer to `query`, which must have one.
pub fn answer_query(graph: &Graph, query: &Query) -> QueryResult {
    eval(graph, query).unwrap_or_else(|err| panic!("{query}: {err:?}"))
}

/// The answer to `text`, which must be one query that has one.
pub fn answer(graph: &Graph, text: &str) -> QueryResult {
    eval(graph, &parse_query(text)).unwrap_or_else(|err| panic!("{text}: {err:?}"))
}

/// What `format` prints of `result` at `width` columns, without colour:
/// the stdout part (`asked` is the query text the JSON envelope quotes).
pub fn rendered(
    graph: &Graph,
    result: &QueryResult,
    format: OutputFormat,
    width: u16,
    asked: &str,
) -> String {
    let options = RenderOptions {
        width,
        ..RenderOptions::default()
    };
    render(graph, result, format, options, asked).stdout
}

/// The binary run for a case file with `args` and `stdin` piped in, in a
/// fresh empty folder (returned, so that the files it wrote can be read),
/// with `NO_COLOR` set and no `COLUMNS`. A binary that stops before
/// reading all of its input (an early error) closes the pipe: its output
/// is still the answer to check.
pub fn run_binary(case: &Path, args: &[OsString], stdin: &[u8]) -> (Output, TempDir) {
    let workdir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .current_dir(workdir.path())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    match child.stdin.take().unwrap().write_all(stdin) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(err) => panic!("{}: writing the query: {err}", case.display()),
    }
    (child.wait_with_output().unwrap(), workdir)
}

fn graph_or_panic(loaded: Result<Loaded, LoadFailure>, what: &str) -> Graph {
    match loaded {
        Ok(loaded) => loaded.graph,
        Err(failure) => {
            let problems: Vec<String> = failure.problems.iter().map(ToString::to_string).collect();
            panic!("{what} does not load:\n{}", problems.join("\n"));
        }
    }
}
