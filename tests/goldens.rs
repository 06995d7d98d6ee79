//! The golden suite: query files run through the real binary.
//!
//! - `tests/queries/NAME.cmq` → `NAME.out`, against the fixture graph
//!   `tests/fixtures/graph/`;
//! - `tests/conformance/NAME.cmq` → `NAME.out`, against the bundled graph
//!   (the DESIGN.md conformance examples, verbatim);
//! - `tests/query_errors/NAME.cmq` → `NAME.err`, against the fixture graph.
//!
//! Each file runs as piped standard input in a fresh temporary folder.
//! Leading comment lines may hold directives: `# args: --format json` adds
//! arguments; `# graph: tests/fixtures/x.json` loads that file (from the
//! repository root) beside the case's graph; `# files: ge.json` appends the
//! named output files. An `.out`
//! holds stdout, then `--- stderr` and `--- exit N` when not empty/zero.
//! `UPDATE_EXPECT=1 cargo test --test goldens` rewrites the expectations.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use critmin::syntax::{Statement, WalkSpans, parse_script};

mod query_run;
use query_run::{case_files, root, run_binary};

fn directive<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .take_while(|line| line.starts_with('#'))
        .filter_map(|line| line.strip_prefix('#').map(str::trim))
        .filter_map(|line| {
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
        })
        .flat_map(|rest| rest.split_whitespace())
        .collect()
}

/// Runs one case; returns what the expectation file should hold.
fn run(case: &Path, graph: Option<&Path>, as_argument: bool, extra: &[&str]) -> String {
    let text = std::fs::read(case).unwrap();
    let text_str = String::from_utf8_lossy(&text).to_string();
    let mut args: Vec<OsString> = Vec::new();
    if let Some(graph) = graph {
        args.extend(["--graph".into(), graph.into()]);
    }
    for extra in directive(&text_str, "graph") {
        args.extend(["--graph".into(), root().join(extra).into()]);
    }
    args.extend(directive(&text_str, "args").into_iter().map(OsString::from));
    args.extend(extra.iter().map(OsString::from));
    // Small valid queries go through `-e` (as a user types them); big or
    // non-UTF-8 ones through standard input.
    let via_argument = as_argument && text.len() < 64 * 1024 && std::str::from_utf8(&text).is_ok();
    let stdin_bytes: &[u8] = if via_argument {
        args.extend(["-e".into(), text_str.as_str().into()]);
        b""
    } else {
        &text
    };
    let (output, workdir) = run_binary(case, &args, stdin_bytes);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{} panicked:\n{stderr}",
        case.display()
    );
    let mut expected = String::from_utf8_lossy(&output.stdout).to_string();
    for file in directive(&text_str, "files") {
        let content = std::fs::read_to_string(workdir.path().join(file))
            .unwrap_or_else(|_| "(missing)\n".into());
        expected.push_str(&format!("--- file {file}\n{content}"));
    }
    if !stderr.is_empty() {
        expected.push_str(&format!("--- stderr\n{stderr}"));
    }
    let code = output.status.code().unwrap_or(-1);
    if code != 0 {
        expected.push_str(&format!("--- exit {code}\n"));
    }
    expected
}

fn check_folder(folder: &str, graph: Option<&Path>, extension: &str, minimum: usize) {
    check_folder_with(folder, graph, extension, minimum, &[]);
}

/// Like [`check_folder`], with `extra` arguments for every case.
fn check_folder_with(
    folder: &str,
    graph: Option<&Path>,
    extension: &str,
    minimum: usize,
    extra: &[&str],
) {
    let as_argument = extension == "err";
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let cases = case_files(folder);
    assert!(
        cases.len() >= minimum,
        "{folder} has only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in cases {
        let actual = run(&case, graph, as_argument, extra);
        let expected_path = case.with_extension(extension);
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "=== {}\n--- expected\n{expected}--- actual\n{actual}",
                expected_path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/graph")
}

#[test]
fn queries_against_the_fixture_graph() {
    check_folder("tests/queries", Some(&fixture()), "out", 20);
}

#[test]
fn conformance_examples_against_the_bundled_graph() {
    check_folder("tests/conformance", None, "out", 21);
}

/// The conformance examples and the readability cases (`tests/readable`)
/// at 80 columns too (`NAME.out80`); `tests/readable.rs` checks widths.
#[test]
fn conformance_examples_at_80_columns() {
    check_folder_with("tests/conformance", None, "out80", 21, &["--width", "80"]);
}

#[test]
fn readable_cases_at_80_and_100_columns() {
    check_folder("tests/readable", None, "out", 3);
    check_folder_with("tests/readable", None, "out80", 3, &["--width", "80"]);
}

#[test]
fn query_errors_are_located_and_explained() {
    check_folder("tests/query_errors", Some(&fixture()), "err", 30);
    for case in case_files("tests/query_errors") {
        let expected = std::fs::read_to_string(case.with_extension("err")).unwrap_or_default();
        assert!(
            expected.contains("--- exit 1"),
            "{} should fail with exit 1",
            case.display()
        );
    }
}

#[test]
fn every_golden_query_round_trips_through_display() {
    for folder in ["tests/queries", "tests/conformance"] {
        for case in case_files(folder) {
            let text = std::fs::read_to_string(&case).unwrap();
            let statements =
                parse_script(&text).unwrap_or_else(|err| panic!("{}: {err:?}", case.display()));
            for statement in statements {
                let Statement::Query(query) = &statement else {
                    continue;
                };
                let printed = query.to_string();
                let reparsed =
                    parse_script(&printed).unwrap_or_else(|err| panic!("{printed}: {err:?}"));
                assert_eq!(reparsed.len(), 1, "{printed}");
                assert_eq!(
                    reparsed[0].without_spans(),
                    statement.without_spans(),
                    "{}: {printed}",
                    case.display()
                );
            }
        }
    }
}
