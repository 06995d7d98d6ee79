//! End-to-end behaviour of the binary: help, version, check, graph
//! selection, output formats and exit codes.

use std::process::{Command, Output, Stdio};

mod query_run;
use query_run::bundled;

fn critmin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn help_and_version_work_and_document_exit_codes() {
    let help = critmin(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    assert!(
        text.contains("Exit codes:") && text.contains("--graph") && text.contains("check"),
        "{text}"
    );
    let version = critmin(&["--version"]);
    let version = stdout(&version);
    assert!(
        version.starts_with(&format!(
            "critmin {} (bundled dataset: events to 20",
            env!("CARGO_PKG_VERSION")
        )),
        "{version}"
    );
}

#[test]
fn the_bundled_graph_validates_with_zero_errors() {
    let output = critmin(&["check", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    let nodes = report["nodes"]["total"].as_u64().unwrap();
    assert!(nodes > 300, "{nodes} nodes");
    assert_eq!(report["nodes"]["with_sources"].as_u64(), Some(nodes));
    assert_eq!(report["edges"]["with_sources"], report["edges"]["total"]);
}

#[test]
fn check_prints_statistics_as_a_table() {
    let output = critmin(&["check"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "nodes by kind",
        "edges by kind",
        "sources cited by 100.0% of nodes and 100.0% of edges",
        "dates from",
        "warnings:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn graph_paths_replace_or_add_to_the_bundled_graph() {
    let fixture = "tests/fixtures/graph";
    let replaced = critmin(&[
        "--graph",
        fixture,
        "-e",
        "list nodes | count",
        "--format",
        "csv",
    ]);
    assert_eq!(stdout(&replaced), "count\n25\n");
    let added = critmin(&[
        "--graph",
        "+tests/fixtures/starter.json",
        "-e",
        "list nodes | count",
        "--format",
        "csv",
    ]);
    // starter.json re-declares bundled ids, so adding it must fail with duplicates.
    assert_eq!(added.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&added.stderr).contains("duplicate"));
}

#[test]
fn a_missing_graph_file_is_an_io_error() {
    let output = critmin(&["check", "--graph", "no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("no/such/file.json: no such file or folder")
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(critmin(&["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(
        critmin(&["--format", "xml", "-e", "show germanium"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        critmin(&["check", "--format", "csv"]).status.code(),
        Some(2)
    );
}

#[test]
fn query_errors_exit_1_with_a_located_message() {
    let output = critmin(&["-e", "show germanum"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("<query>:1:6")
            && stderr.contains("^^^^^^^^")
            && stderr.contains("did you mean")
            && stderr.contains("`germanium`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn json_output_is_typed() {
    let output = critmin(&[
        "-e",
        "concentration gallium stage refining",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let first = &value["rows"][0];
    assert_eq!(first["producer"], "china");
    assert_eq!(first["tonnes"], 750);
    assert_eq!(first["share"], 0.9868);
    assert_eq!(first["year"], 2024);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(["-e", "list nodes", "-e", "list nodes", "-e", "list nodes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn no_arguments_with_empty_stdin_prints_what_was_loaded() {
    let output = critmin(&[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("nodes"), "{}", stdout(&output));
}

#[test]
fn explosive_patterns_and_path_searches_stop_and_say_so() {
    // One rare end keeps the matches below their own cap (10,000) while the
    // walks explode, so the step cap is what stops the search.
    let output = critmin(&[
        "-e",
        r#"match (a:mineral)-[*1..6]-(b:country {name: "Latvia"}) return a.id | count"#,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("stopped after exploring 300000 walk steps"),
        "{}",
        stdout(&output)
    );
    let output = critmin(&["-e", "path germanium to ev-2025-06-ge-exports all max 30"]);
    assert!(
        stdout(&output).contains("stopped after 50 paths"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn run_executes_files_in_order_and_stops_at_the_first_error() {
    let folder = tempfile::tempdir().unwrap();
    let first = folder.path().join("first.cmq");
    let second = folder.path().join("second.cmq");
    std::fs::write(
        &first,
        "# counts\nlist industries | count\nshow germanum\nlist countries | count\n",
    )
    .unwrap();
    std::fs::write(&second, "list policies | count\n").unwrap();
    let paths = [first.to_str().unwrap(), second.to_str().unwrap()];
    let output = critmin(&["run", paths[0], paths[1], "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("first.cmq:3:6"), "{stderr}");
    assert!(stderr.contains("did you mean"), "{stderr}");
    // Only the statement before the error ran.
    assert_eq!(
        stdout(&output).matches("count").count(),
        1,
        "{}",
        stdout(&output)
    );

    let output = critmin(&["run", "--keep-going", paths[0], paths[1], "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).matches("count").count(),
        3,
        "{}",
        stdout(&output)
    );
}

#[test]
fn run_reports_a_missing_file_before_running_anything() {
    let output = critmin(&["run", "no-such-file.cmq"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read no-such-file.cmq"), "{stderr}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn an_export_that_cannot_be_written_is_an_io_error() {
    let output = critmin(&[
        "-e",
        "neighbors germanium | export \"/nonexistent-critmin-dir/ge.json\" force",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent-critmin-dir/ge.json"),
        "{stderr}"
    );
}

#[test]
fn export_writes_the_subgraph_of_a_query_and_keeps_existing_files() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("magnets.graphml");
    let file_text = file.to_str().unwrap();
    let query = "neighbors \"rare earth magnets\" depth 1";
    let output = critmin(&["export", query, "-o", file_text]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("<graphml") && written.contains("ndfeb-magnets"));
    assert!(
        stdout(&output).is_empty(),
        "export prints no result table: {}",
        stdout(&output)
    );
    let confirmation = String::from_utf8_lossy(&output.stderr);
    assert!(
        confirmation.starts_with("exported ") && confirmation.lines().count() == 1,
        "{confirmation}"
    );
    let again = critmin(&["export", query, "-o", file_text, "--as", "dot"]);
    assert_eq!(again.status.code(), Some(2), "a refused write is exit 2");
    let refusal = String::from_utf8_lossy(&again.stderr);
    assert!(
        refusal.contains("already exists (add --force to replace it)"),
        "{refusal}"
    );
    assert!(
        !refusal.contains("| export"),
        "no caret under text the user never typed: {refusal}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    let forced = critmin(&["export", query, "-o", file_text, "--force"]);
    assert_eq!(forced.status.code(), Some(0));
}

#[test]
fn export_query_errors_exit_1_and_write_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("x.json");
    let output = critmin(&["export", "show germanum", "-o", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean"));
    assert!(!file.exists());
}

#[test]
fn export_to_a_dash_writes_standard_output() {
    let folder = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_critmin"))
        .current_dir(folder.path())
        .args([
            "export",
            "neighbors germanium",
            "-o",
            "-",
            "--as",
            "graphml",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("<?xml"), "{}", stdout(&output));
    assert!(!folder.path().join("-").exists(), "no file named -");
    let json = critmin(&["export", "neighbors germanium", "-o", "-"]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(parsed["format"], "critmin-graph");
}

#[test]
fn export_all_writes_the_whole_graph_and_a_node_list_brings_its_edges() {
    let folder = tempfile::tempdir().unwrap();
    let all = folder.path().join("all.json");
    let output = critmin(&["export", "--all", "-o", all.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let text = std::fs::read_to_string(&all).unwrap();
    let graph: serde_json::Value = serde_json::from_str(&text).unwrap();
    let bundled = bundled();
    assert_eq!(
        graph["nodes"].as_array().unwrap().len(),
        bundled.node_count()
    );
    assert_eq!(
        graph["edges"].as_array().unwrap().len(),
        bundled.edge_count()
    );
    let listed = folder.path().join("listed.json");
    let query = format!("list minerals | export \"{}\"", listed.display());
    assert_eq!(critmin(&["-e", &query]).status.code(), Some(0));
    let listed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&listed).unwrap()).unwrap();
    assert!(
        !listed["edges"].as_array().unwrap().is_empty(),
        "the edges among the listed minerals (member_of) come along"
    );
}

#[test]
fn run_dash_reads_standard_input() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(["--format", "csv", "run", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        b"list minerals | where id = germanium | select id\n",
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "id\ngermanium\n");
}

#[test]
fn csv_and_jsonl_say_on_stderr_that_a_result_is_truncated() {
    let query = "match (a)-[*1..4]-(b) return a.name, b.name | count";
    for format in ["csv", "jsonl"] {
        let output = critmin(&["--format", format, "-e", query]);
        assert_eq!(output.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("note: stopped after 10000 matches")
                && stderr.contains("warning: the result is truncated"),
            "{format}: {stderr}"
        );
        assert!(!stdout(&output).contains("stopped"), "stdout is rows only");
    }
    let json = critmin(&["--format", "json", "-e", query]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(parsed["truncated"], true);
    assert_eq!(parsed["schema"], "critmin.result/1");
}

#[test]
fn a_query_given_as_a_subcommand_gets_a_hint_to_use_e() {
    let output = critmin(&["show germanium"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("hint: to run a query, use -e: critmin -e 'show germanium'"),
        "{stderr}"
    );
    let unknown = critmin(&["bogus"]);
    assert!(!String::from_utf8_lossy(&unknown.stderr).contains("hint: to run a query"));
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let output = critmin(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("critmin"), "{shell}");
    }
    let man = critmin(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(
        page.contains(".TH critmin 1") && page.contains("completions"),
        "{page}"
    );
    let help = stdout(&critmin(&["--help"]));
    assert!(help.contains("Examples:") && help.contains("critmin -e 'show germanium'"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_without_no_color() {
    let query = ["-e", "concentration gallium stage refining"];
    let always = critmin(&["--color", "always", query[0], query[1]]);
    assert!(stdout(&always).contains("\u{1b}["), "{}", stdout(&always));
    // Piped (auto) and never: no escape codes.
    for args in [
        vec![query[0], query[1]],
        vec!["--color", "never", query[0], query[1]],
    ] {
        assert!(!stdout(&critmin(&args)).contains('\u{1b}'));
    }
    let error = critmin(&["--color", "always", "-e", "show germanum"]);
    assert!(String::from_utf8_lossy(&error.stderr).contains("\u{1b}["));
}
