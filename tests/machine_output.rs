//! The machine formats as a contract (docs/OUTPUT.md):
//!
//! - every conformance query has golden files in JSON, JSON lines and CSV
//!   (`tests/conformance/machine/NAME.json|jsonl|csv`);
//! - every JSON golden (these, and the `.out` goldens run with
//!   `--format json`) validates against `schemas/result.schema.json`, and
//!   every JSON lines row against `schemas/row.schema.json`;
//! - the three formats give the same ids and numbers for the same query.
//!
//! `UPDATE_EXPECT=1 cargo test --test machine_output` rewrites the goldens.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

mod query_run;
use query_run::{case_files, root, run_binary};

const FORMATS: [&str; 3] = ["json", "jsonl", "csv"];

/// Runs a case's text on stdin with `--format FORMAT` (in an empty
/// folder, so that exports land there): `(stdout, stderr)`.
fn run(case: &Path, format: &str) -> (String, String) {
    let text = std::fs::read(case).unwrap();
    let (output, _workdir) = run_binary(case, &["--format".into(), format.into()], &text);
    assert!(output.status.success(), "{} failed", case.display());
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn golden_text(stdout: &str, stderr: &str) -> String {
    let mut text = stdout.to_string();
    if !stderr.is_empty() {
        text.push_str(&format!("--- stderr\n{stderr}"));
    }
    text
}

/// The stdout part of a golden file (before `--- stderr`, `--- exit`, …).
fn stdout_part(golden: &str) -> &str {
    match golden.find("\n--- ") {
        Some(end) => &golden[..=end],
        None if golden.starts_with("--- ") => "",
        None => golden,
    }
}

fn machine_golden(case: &Path, format: &str) -> PathBuf {
    let name = case.file_stem().unwrap().to_str().unwrap();
    root()
        .join("tests/conformance/machine")
        .join(format!("{name}.{format}"))
}

#[test]
fn conformance_examples_in_json_jsonl_and_csv() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let cases = case_files("tests/conformance");
    assert!(cases.len() >= 21);
    let mut failures = Vec::new();
    for case in &cases {
        for format in FORMATS {
            let (stdout, stderr) = run(case, format);
            let actual = golden_text(&stdout, &stderr);
            let path = machine_golden(case, format);
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "differ from golden files (UPDATE_EXPECT=1 rewrites them): {failures:?}"
    );
}

/// A schema from `schemas/`; the envelope's `$ref` to the row schema is
/// resolved by embedding it (a compound schema document: the row schema
/// keeps its `$id`, so its own `#/$defs/...` references still resolve).
fn validator(name: &str) -> jsonschema::Validator {
    let read = |file: &str| -> Json {
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas").join(file)).unwrap())
            .unwrap()
    };
    let mut schema = read(name);
    if let Some(items) = schema.pointer_mut("/properties/rows/items") {
        if items["$ref"] == "row.schema.json" {
            *items = read("row.schema.json");
        }
    }
    jsonschema::validator_for(&schema).unwrap()
}

/// Every JSON document in a golden's stdout (a script prints one per query).
fn documents(text: &str) -> Vec<Json> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Json>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|err| panic!("not JSON ({err}):\n{text}"))
}

fn errors(validator: &jsonschema::Validator, document: &Json) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|err| format!("{err} at {}", err.instance_path()))
        .collect()
}

/// The `.out` goldens whose case runs with `--format json`.
fn json_out_goldens() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for folder in ["tests/queries", "tests/conformance"] {
        for case in case_files(folder) {
            let text = std::fs::read_to_string(&case).unwrap();
            let json = text
                .lines()
                .take_while(|line| line.starts_with('#'))
                .any(|line| line.contains("--format json") && !line.contains("jsonl"));
            if json {
                found.push(case.with_extension("out"));
            }
        }
    }
    found
}

#[test]
fn every_json_golden_validates_against_the_result_schema() {
    let envelope = validator("result.schema.json");
    let row = validator("row.schema.json");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut json_goldens = json_out_goldens();
    json_goldens.extend(
        case_files("tests/conformance")
            .iter()
            .map(|case| machine_golden(case, "json")),
    );
    for path in json_goldens {
        let golden = std::fs::read_to_string(&path).unwrap();
        for document in documents(stdout_part(&golden)) {
            checked += 1;
            for error in errors(&envelope, &document) {
                failures.push(format!("{}: {error}", path.display()));
            }
        }
    }
    for case in case_files("tests/conformance") {
        let path = machine_golden(&case, "jsonl");
        let golden = std::fs::read_to_string(&path).unwrap();
        for line in stdout_part(&golden).lines() {
            let document: Json = serde_json::from_str(line).unwrap();
            checked += 1;
            for error in errors(&row, &document) {
                failures.push(format!("{}: {error}", path.display()));
            }
        }
    }
    assert!(checked > 40, "only {checked} documents checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let envelope = validator("result.schema.json");
    let good = serde_json::json!({
        "schema": "critmin.result/1", "query": "q", "columns": ["sources"],
        "rows": [{"sources": ["a", "b"]}], "notes": [], "truncated": false
    });
    assert!(errors(&envelope, &good).is_empty());
    for bad in [
        serde_json::json!({"columns": [], "rows": [], "notes": []}),
        serde_json::json!({
            "schema": "critmin.result/1", "query": "q", "columns": ["sources"],
            "rows": [{"sources": "a;b"}], "notes": [], "truncated": false
        }),
        serde_json::json!({
            "schema": "critmin.result/1", "query": "q", "columns": ["edge"],
            "rows": [{"edge": {"kind": "used_in", "direction": "->"}}],
            "notes": [], "truncated": false
        }),
    ] {
        assert!(!errors(&envelope, &bad).is_empty(), "accepted {bad}");
    }
}

/// A JSON value as the CSV cell text the contract promises.
fn csv_text(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[test]
fn json_jsonl_and_csv_give_the_same_ids_and_numbers() {
    let mut compared = 0;
    for case in case_files("tests/conformance") {
        let json_golden = std::fs::read_to_string(machine_golden(&case, "json")).unwrap();
        let jsonl_golden = std::fs::read_to_string(machine_golden(&case, "jsonl")).unwrap();
        let csv_golden = std::fs::read_to_string(machine_golden(&case, "csv")).unwrap();
        let envelopes = documents(stdout_part(&json_golden));
        let json_rows: Vec<Json> = envelopes
            .iter()
            .flat_map(|envelope| envelope["rows"].as_array().unwrap().clone())
            .collect();
        let jsonl_rows: Vec<Json> = stdout_part(&jsonl_golden)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(json_rows, jsonl_rows, "{}", case.display());
        // One CSV table per query, each with its header.
        let mut csv_rows = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(stdout_part(&csv_golden).as_bytes());
        let mut records = reader.records().map(|record| record.unwrap());
        for envelope in &envelopes {
            let columns: Vec<String> = envelope["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            let header = records.next().unwrap();
            assert_eq!(header.iter().collect::<Vec<_>>(), columns);
            for _ in envelope["rows"].as_array().unwrap() {
                csv_rows.push((columns.clone(), records.next().unwrap()));
            }
        }
        assert_eq!(csv_rows.len(), json_rows.len(), "{}", case.display());
        for (json_row, (columns, record)) in json_rows.iter().zip(&csv_rows) {
            for (column, cell) in columns.iter().zip(record.iter()) {
                assert_eq!(
                    csv_text(&json_row[column]),
                    cell,
                    "{} column {column}",
                    case.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "only {compared} cells compared");
}

#[test]
fn check_json_validates_against_the_check_schema() {
    let schema = validator("check.schema.json");
    let broken = root().join("tests/data_errors/alias_claimed_twice.json");
    for args in [
        vec!["check", "--format", "json"],
        vec![
            "check",
            "--format",
            "json",
            "--graph",
            broken.to_str().unwrap(),
        ],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
            .args(&args)
            .output()
            .unwrap();
        let report: Json = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["schema"], "critmin.check/1");
        let failures = errors(&schema, &report);
        assert!(failures.is_empty(), "{args:?}: {failures:?}");
    }
}
