//! Snapshots (issue 14): graph → snapshot → graph gives the same graph and
//! the same answers, on the bundled graph and on a generated one; a
//! damaged, truncated or other-version snapshot is refused with a clear
//! error; the `critmin snapshot` command and `--graph FILE.cms`.

use std::path::Path;
use std::process::{Command, Output};

use critmin::load::{self, GraphSpec, Loaded, load_texts};
use critmin::snapshot::{self, FORMAT_VERSION, HEADER_LEN, SnapshotError};
use serde_json::json;

mod observe;
use observe::{Order, observable};

/// Asserts that the snapshot of `loaded` opens as the same graph, with the
/// same warnings, files and edge origins, and writes the same bytes again.
fn assert_round_trip(loaded: &Loaded) {
    let bytes = snapshot::write(loaded);
    let opened = snapshot::read(&bytes).unwrap();
    let (before, after) = (
        observable(&loaded.graph, Order::Exact),
        observable(&opened.graph, Order::Exact),
    );
    assert_eq!(before.len(), after.len());
    for (line_before, line_after) in before.iter().zip(&after) {
        assert_eq!(line_before, line_after);
    }
    assert_eq!(opened.warnings, loaded.warnings);
    assert_eq!(opened.files, loaded.files);
    for edge_idx in loaded.graph.edge_indices() {
        assert_eq!(
            opened.edge_origins.place(edge_idx),
            loaded.edge_origins.place(edge_idx)
        );
    }
    for node_idx in loaded.graph.node_indices() {
        let node = loaded.graph.node(node_idx);
        assert_eq!(opened.graph.node_by_id(&node.id), Some(node_idx));
    }
    for source in loaded.graph.sources() {
        assert_eq!(
            opened.graph.source_by_id(&source.id),
            loaded.graph.source_by_id(&source.id)
        );
    }
    assert!(snapshot::write(&opened) == bytes, "a second write differs");
}

fn bundled_from_files() -> Loaded {
    load::load_sources(&GraphSpec::bundled()).unwrap()
}

#[test]
fn the_bundled_graph_round_trips() {
    let loaded = bundled_from_files();
    assert!(
        !loaded.warnings.is_empty(),
        "the warnings are part of the test"
    );
    assert_round_trip(&loaded);
}

/// The embedded snapshot is what `critmin snapshot` writes from the files
/// today, and it is the one critmin opens.
#[test]
fn the_embedded_bundled_snapshot_is_current() {
    let expected = snapshot::write_bundled(&bundled_from_files());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(snapshot::BUNDLED_PATH);
    let committed = std::fs::read(path).unwrap_or_default();
    assert!(
        committed == expected && snapshot::bundled_is_current(),
        "{} is stale; rewrite it with `{}`",
        snapshot::BUNDLED_PATH,
        snapshot::BUNDLED_COMMAND
    );
    let from_snapshot = load::load_bundled().unwrap();
    assert_eq!(
        observable(&from_snapshot.graph, Order::Exact),
        observable(&bundled_from_files().graph, Order::Exact)
    );
}

#[test]
fn a_generated_graph_round_trips() {
    let (json, nodes_csv, edges_csv) = generated(7, 300);
    let loaded = load_texts(&[
        ("gen.json", &json),
        ("more.nodes.csv", &nodes_csv),
        ("more.edges.csv", &edges_csv),
    ])
    .unwrap();
    assert!(loaded.graph.edge_count() > 300);
    assert_round_trip(&loaded);
}

/// A seeded graph of countries and minerals with every kind of value:
/// numbers, strings, bools, dates, validity, aliases, several sources.
/// Returns a JSON file and a pair of CSV files.
fn generated(seed: u64, n_edges: usize) -> (String, String, String) {
    let mut state = seed;
    let mut next = move |below: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % below
    };
    let sources: Vec<_> = (0..4)
        .map(|at| json!({"id": format!("s{at}"), "title": format!("Report {at}"), "published": format!("202{at}-0{}", at + 1)}))
        .collect();
    let mut nodes = Vec::new();
    for country in 0..20 {
        nodes.push(json!({"id": format!("c{country}"), "kind": "country", "name": format!("Country {country}"), "aliases": [format!("C{country}"), format!("Land {country}")], "sources": ["s0"]}));
    }
    for mineral in 0..30 {
        let mut node = json!({"id": format!("m{mineral}"), "kind": "mineral", "name": format!("Mineral {mineral}"), "props": {"symbol": format!("M{}", mineral % 7), "critical": mineral % 2 == 0}, "sources": [format!("s{}", mineral % 4)]});
        if mineral % 3 == 0 {
            node["valid_from"] = json!(format!("{}", 1990 + mineral));
        }
        nodes.push(node);
    }
    let mut edges = Vec::new();
    for _ in 0..n_edges {
        let (country, mineral, year) = (next(20), next(30), 2000 + next(25));
        let mut edge = if next(2) == 0 {
            let stage = ["mining", "refining"][next(2)];
            json!({"from": format!("c{country}"), "to": format!("m{mineral}"), "kind": "produces", "props": {"stage": stage, "tonnes": next(9000), "year": year}})
        } else {
            let other = (country + 1 + next(19)) % 20;
            json!({"from": format!("c{country}"), "to": format!("c{other}"), "kind": "imports_from", "props": {"item": format!("m{mineral}"), "share": next(100) as f64 / 100.0, "period": format!("{year}-0{}", 1 + next(9))}})
        };
        if next(3) == 0 {
            edge["valid_from"] = json!(format!("{year}-0{}-1{}", 1 + next(9), next(10)));
            edge["valid_to"] = json!(format!("{}", year + 1));
        }
        let first = next(4);
        let cited: Vec<String> = (0..1 + next(3))
            .map(|at| format!("s{}", (first + at) % 4))
            .collect();
        edge["sources"] = json!(cited);
        edges.push(edge);
    }
    let file = json!({"sources": sources, "nodes": nodes, "edges": edges});
    let nodes_csv = "id,kind,name,aliases,sources,valid_from,valid_to,grade:number\nx0,mineral,Extra Zero,X0;Zero,s1,2020,,0.5\nx1,industry,Extra Industry,,s3,,2030-06,\n";
    let edges_csv = "from,to,kind,sources,valid_from,valid_to,note,since:date\nx0,x1,used_in,s2,,,\"a, quoted note\",2021-03\nm0,x1,used_in,s0;s1,,,,\n";
    (
        file.to_string(),
        nodes_csv.to_string(),
        edges_csv.to_string(),
    )
}

// ----- refusals -----

fn bundled_snapshot() -> Vec<u8> {
    snapshot::write(&bundled_from_files())
}

fn refusal(bytes: &[u8]) -> SnapshotError {
    match snapshot::read(bytes) {
        Ok(_) => panic!("a bad snapshot was opened"),
        Err(err) => err,
    }
}

#[test]
fn a_flipped_byte_is_refused() {
    let bytes = bundled_snapshot();
    for at in (HEADER_LEN..bytes.len()).step_by(bytes.len() / 97) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        assert_eq!(refusal(&damaged), SnapshotError::Checksum, "byte {at}");
    }
    let mut damaged = bytes.clone();
    damaged[24] ^= 1;
    assert_eq!(refusal(&damaged), SnapshotError::Checksum);
    let mut damaged = bytes;
    damaged[1] = b'X';
    assert_eq!(refusal(&damaged), SnapshotError::NotASnapshot);
}

#[test]
fn a_truncated_snapshot_is_refused() {
    let bytes = bundled_snapshot();
    for len in [
        0,
        3,
        8,
        20,
        HEADER_LEN,
        HEADER_LEN + 1,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let err = refusal(&bytes[..len]);
        let expected = match len {
            0..8 => SnapshotError::NotASnapshot,
            8..HEADER_LEN => SnapshotError::Truncated {
                expected: HEADER_LEN as u64,
                found: len as u64,
            },
            _ => SnapshotError::Truncated {
                expected: bytes.len() as u64,
                found: len as u64,
            },
        };
        assert_eq!(err, expected, "cut at {len}");
    }
    let mut longer = bytes;
    longer.push(0);
    assert!(matches!(refusal(&longer), SnapshotError::Damaged(_)));
}

#[test]
fn a_snapshot_of_another_format_version_is_refused() {
    // The next version, and every earlier one (format 1 stored a `Value`
    // per property; format 2 stores distinct values and slots).
    for version in (1..FORMAT_VERSION).chain([FORMAT_VERSION + 1]) {
        let mut bytes = bundled_snapshot();
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        let err = refusal(&bytes);
        assert_eq!(err, SnapshotError::OtherVersion { found: version });
        let message = err.to_string();
        assert!(message.contains(&format!("format {version}")), "{message}");
        assert!(message.contains("critmin snapshot"), "{message}");
    }
}

#[test]
fn a_text_file_is_not_a_snapshot() {
    let text = b"{\"nodes\": [], \"edges\": []}\n".repeat(3);
    assert_eq!(refusal(&text), SnapshotError::NotASnapshot);
}

// ----- the command line -----

fn critmin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// The exit code and stdout (stderr differs: a folder's load warnings are
/// printed on every load, a snapshot's only when it is written).
fn answer(output: &Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).to_string(),
    )
}

fn write_generated(folder: &Path) {
    let (json, nodes_csv, edges_csv) = generated(11, 2000);
    std::fs::write(folder.join("gen.json"), json).unwrap();
    std::fs::write(folder.join("more.nodes.csv"), nodes_csv).unwrap();
    std::fs::write(folder.join("more.edges.csv"), edges_csv).unwrap();
}

const QUERIES: &[&str] = &[
    "show c3",
    "neighbors c3",
    "neighbors m4 depth 2 | take 20",
    "path c1 to x1",
    "list minerals | take 10",
    "dependents m0",
    "exposure c2 to c5",
    "concentration m7",
    "match (c:country)-[e:imports_from]->(d:country) where e.share > 0.9 return c.id, d.id, e.item | take 15",
];

#[test]
fn a_snapshot_answers_as_its_files_do() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    std::fs::create_dir(&data).unwrap();
    write_generated(&data);
    let file = folder.path().join("gen.cms");
    let (data, file) = (data.to_str().unwrap(), file.to_str().unwrap());
    let written = critmin(&["snapshot", "--graph", data, "-o", file]);
    assert!(written.status.success(), "{written:?}");
    let report = String::from_utf8_lossy(&written.stderr);
    assert!(
        report.contains("wrote") && report.contains("snapshot format"),
        "{report}"
    );
    let mut answered = 0;
    for query in QUERIES {
        let from_files = critmin(&["--graph", data, "--format", "json", "-e", query]);
        let from_snapshot = critmin(&["--graph", file, "--format", "json", "-e", query]);
        assert_eq!(answer(&from_snapshot), answer(&from_files), "{query}");
        answered += usize::from(from_files.status.success());
    }
    assert!(answered >= QUERIES.len() - 2, "most queries should answer");
    let check_files = stdout(&critmin(&["--graph", data, "check"]));
    let check_snapshot = stdout(&critmin(&["--graph", file, "check"]));
    assert_eq!(check_snapshot, check_files);
}

#[test]
fn the_bundled_snapshot_answers_as_the_bundled_files_do() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("bundled.cms");
    let file = file.to_str().unwrap();
    assert!(critmin(&["snapshot", "-o", file]).status.success());
    for query in [
        "show germanium",
        "exposure US to China | take 8",
        "neighbors china | take 30",
        "list minerals | take 12",
        "timeline germanium from 2023 to 2025-12",
        "concentration gallium",
    ] {
        let bundled = critmin(&["--width", "100", "-e", query]);
        let snapshot = critmin(&["--width", "100", "--graph", file, "-e", query]);
        assert_eq!(stdout(&snapshot), stdout(&bundled), "{query}");
    }
}

#[test]
fn the_command_line_refuses_bad_snapshots_and_clobbering() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("g.cms");
    let name = file.to_str().unwrap();
    assert!(critmin(&["snapshot", "-o", name]).status.success());
    let again = critmin(&["snapshot", "-o", name]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert!(
        critmin(&["snapshot", "-o", name, "--force"])
            .status
            .success()
    );

    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    let opened = critmin(&["--graph", name, "-e", "show germanium"]);
    assert_eq!(opened.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&opened.stderr);
    assert!(
        stderr.contains(name) && stderr.contains("damaged"),
        "{stderr}"
    );

    std::fs::write(&file, &bytes[..middle]).unwrap();
    let opened = critmin(&["--graph", name, "check"]);
    assert_eq!(opened.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&opened.stderr).contains("truncated"));

    let mixed = critmin(&["--graph", &format!("+{name}"), "-e", "show germanium"]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("alone"));

    let to_stdout = critmin(&["snapshot", "-o", "-"]);
    assert_eq!(to_stdout.status.code(), Some(2));
}
