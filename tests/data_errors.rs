//! Golden catalogue of broken graphs: `tests/data_errors/NAME.json` (or a
//! folder `NAME/` of CSV files) with `NAME.err`, the exact stderr of
//! `critmin check --graph NAME` followed by `exit: CODE`. A `NAME.err` with
//! no input checks a file that is not there.
//!
//! `UPDATE_EXPECT=1 cargo test --test data_errors` rewrites the `.err` files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name()?.to_str()?.to_string();
            match name.strip_suffix(".err") {
                Some(stem)
                    if !folder.join(format!("{stem}.json")).exists()
                        && !folder.join(stem).is_dir() =>
                {
                    Some(format!("{stem}.json"))
                }
                Some(_) => None,
                None => Some(name),
            }
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_broken_graph_gets_its_exact_message() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data_errors");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let names = cases(&folder);
    assert!(
        names.len() >= 20,
        "the catalogue has only {} cases",
        names.len()
    );
    let mut failures = Vec::new();
    for name in names {
        let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
            .current_dir(&folder)
            .args(["check", "--graph", &name])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        assert!(
            output.stdout.is_empty(),
            "{name} printed to stdout on failure"
        );
        let actual = format!("{stderr}exit: {}\n", output.status.code().unwrap_or(-1));
        let stem = name.strip_suffix(".json").unwrap_or(&name);
        let expected_path = folder.join(format!("{stem}.err"));
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {stem}.err (expected)\n{expected}+++ actual\n{actual}"
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
