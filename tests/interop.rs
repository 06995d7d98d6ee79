//! Interop: the real consumers load what critmin writes, with their default
//! arguments — networkx (node-link, Cytoscape, GraphML), pandas (result CSV
//! and the pandas-csv export), Graphviz `dot`, and Kuzu (the Kuzu script,
//! with node and edge counts equal to critmin's).
//!
//! These tests need python3 with networkx, pandas and kuzu, and graphviz,
//! so they are `#[ignore]`d: a plain `cargo test` lists them as ignored
//! (never as passed). `.ci/run` installs the tools and runs them with
//! `cargo test --test interop -- --ignored`; there a missing tool is a
//! failure, not a skip. No embedded engine for Neo4j's Cypher is available
//! to CI, so the Neo4j script is checked for shape in
//! `tests/export_formats.rs` only.

use std::path::Path;
use std::process::Command;

use critmin::export::{ExportFormat, render};
use critmin::load::load_texts;
use critmin::model::{Graph, Subgraph};

mod query_run;
use query_run::bundled;

const FIXTURE: &str = include_str!("fixtures/roundtrip.json");

const NEEDS: &str =
    "needs python3 with networkx, pandas and kuzu, and graphviz; .ci/run runs it with --ignored";

fn fixture() -> Graph {
    load_texts(&[("roundtrip.json", FIXTURE)]).unwrap().graph
}

/// Writes `format` of the whole graph as `folder/name.<extension>`.
fn write(graph: &Graph, folder: &Path, name: &str, format: ExportFormat) {
    let path = folder.join(format!("{name}.{}", format.extension()));
    for (file, text) in render(graph, &Subgraph::all(graph), format, &path) {
        std::fs::write(file, text).unwrap();
    }
}

/// Runs a Python script with arguments; its stdout, or a panic that says
/// what is missing.
fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("cannot run python3 ({err}); {NEEDS}"));
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

const NETWORKX: &str = r#"
import json, sys
import networkx as nx
folder = sys.argv[1]
def load(name):
    with open(f"{folder}/{name}", encoding="utf-8") as f:
        return json.load(f)
graphs = {
    "node-link": nx.node_link_graph(load("g.nodelink.json")),
    # The key networkx used before 3.4 (and D3): the same edges under `links`.
    "node-link-links": nx.node_link_graph(load("g.nodelink.json"), edges="links"),
    "cytoscape": nx.cytoscape_graph(load("g.cyjs")),
    "graphml": nx.read_graphml(f"{folder}/g.graphml"),
}
for fmt, g in graphs.items():
    print(fmt, g.number_of_nodes(), g.number_of_edges(), g.is_directed())
g = graphs["graphml"]
print("label", g.nodes["germanium"]["label"])
shares = [d["share"] for _, _, d in g.edges(data=True) if "share" in d]
print("share", type(shares[0]).__name__)
"#;

#[test]
#[ignore = "needs python3 with networkx; .ci/run runs it with --ignored"]
fn networkx_reads_node_link_cytoscape_and_graphml_with_default_arguments() {
    let graph = fixture();
    let folder = tempfile::tempdir().unwrap();
    for format in [
        ExportFormat::NodeLink,
        ExportFormat::Cytoscape,
        ExportFormat::GraphMl,
    ] {
        write(&graph, folder.path(), "g", format);
    }
    let stdout = python(NETWORKX, &[folder.path()]);
    let counts = format!("{} {} True", graph.node_count(), graph.edge_count());
    for fmt in ["node-link", "node-link-links", "cytoscape", "graphml"] {
        assert!(stdout.contains(&format!("{fmt} {counts}")), "{stdout}");
    }
    assert!(stdout.contains("label Germanium"), "{stdout}");
    assert!(stdout.contains("share float"), "typed attribute: {stdout}");
}

const PANDAS: &str = r#"
import io, subprocess, sys
import pandas as pd
binary, folder = sys.argv[1], sys.argv[2]
out = subprocess.run([binary, "--format", "csv", "-e", "concentration gallium stage refining"],
                     capture_output=True, text=True, check=True).stdout
result = pd.read_csv(io.StringIO(out))
t = pd.api.types
print("result", t.is_integer_dtype(result["year"]), t.is_float_dtype(result["share"]),
      t.is_string_dtype(result["producer"]))
edges = pd.read_csv(f"{folder}/g.edges.csv")
nodes = pd.read_csv(f"{folder}/g.nodes.csv")
print("edges", t.is_float_dtype(edges["share"]), t.is_string_dtype(edges["valid_from"]),
      t.is_string_dtype(edges["kind"]))
print("dates", pd.to_datetime(edges["valid_from"].dropna()).dt.year.tolist())
print("nodes", len(nodes), len(edges))
"#;

#[test]
#[ignore = "needs python3 with pandas; .ci/run runs it with --ignored"]
fn pandas_reads_result_csv_and_the_pandas_csv_export_with_the_right_dtypes() {
    let graph = fixture();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("g.csv");
    for (file, text) in render(
        &graph,
        &Subgraph::all(&graph),
        ExportFormat::PandasCsv,
        &path,
    ) {
        std::fs::write(file, text).unwrap();
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_critmin"));
    let stdout = python(PANDAS, &[binary, folder.path()]);
    assert!(
        stdout.contains("result True True True"),
        "ids as text, years as integers, shares as floats: {stdout}"
    );
    assert!(
        stdout.contains("edges True True True"),
        "valid_from is ISO text, never a float: {stdout}"
    );
    assert!(stdout.contains("dates [2022]"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "nodes {} {}",
            graph.node_count(),
            graph.edge_count()
        )),
        "{stdout}"
    );
}

#[test]
#[ignore = "needs graphviz (dot); .ci/run runs it with --ignored"]
fn graphviz_renders_the_dot_export() {
    let graph = bundled();
    let folder = tempfile::tempdir().unwrap();
    write(&graph, folder.path(), "g", ExportFormat::Dot);
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(folder.path().join("g.dot"))
        .output()
        .unwrap_or_else(|err| panic!("cannot run dot ({err}); {NEEDS}"));
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "dot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

const KUZU: &str = r#"
import sys
import kuzu
db = kuzu.Database(":memory:")
conn = kuzu.Connection(db)
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("//"):
            conn.execute(line)
def count(query):
    return conn.execute(query).get_next()[0]
print("nodes", count("MATCH (n) WHERE label(n) <> 'Source' RETURN count(n)"))
print("sources", count("MATCH (s:Source) RETURN count(s)"))
print("edges", count("MATCH ()-[r]->() WHERE label(r) <> 'CITES' RETURN count(r)"))
print("cites", count("MATCH ()-[r:CITES]->(:Source) RETURN count(r)"))
"#;

#[test]
#[ignore = "needs python3 with kuzu; .ci/run runs it with --ignored"]
fn kuzu_loads_the_kuzu_script_with_critmin_counts() {
    let graph = bundled();
    let all = Subgraph::all(&graph);
    let folder = tempfile::tempdir().unwrap();
    write(&graph, folder.path(), "g", ExportFormat::Kuzu);
    let script = folder.path().join("g.kuzu.cypher");
    let stdout = python(KUZU, &[&script]);
    let citations: usize = graph
        .node_indices()
        .map(|node_idx| graph.node_sources(node_idx).len())
        .sum();
    let expected = format!(
        "nodes {}\nsources {}\nedges {}\ncites {citations}\n",
        graph.node_count(),
        all.cited_sources(&graph).len(),
        graph.edge_count()
    );
    assert_eq!(stdout, expected);
}
