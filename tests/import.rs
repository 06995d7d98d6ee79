//! The USGS MCS importer: quirks of the release on small excerpts, the
//! byte-for-byte re-import of the bundled `graph/usgs-mcs-2025/`, the spot
//! checks in `tests/data/spot_checks_usgs.tsv`, and `critmin check` on the
//! bundled graph (no errors; every figure conflict explained in
//! graph/README.md).

use std::path::Path;
use std::process::Command;

use critmin::import::import_usgs_mcs;
use critmin::load::{load_bundled_without, load_texts};
use critmin::model::{Direction, EdgeIndex, EdgeKind, Graph, Value};

mod query_run;
mod support;
use query_run::{bundled, root};
use support::{edges_matching, value_matches};

const SPOT_CHECKS: &str = include_str!("data/spot_checks_usgs.tsv");

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A release folder with one excerpt of each table, quirks included: BOM,
/// CRLF, `PROD_EST_ 2024`, `Gemanium`, non-breaking spaces, footnote
/// digits, blank withheld cells, `>` bounds, several TYPEs of one
/// commodity, `W`/`NA`/`E` codes.
fn excerpt_release() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let world = "\u{feff}SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_2023,PROD_EST_ 2024,PROD_NOTES,CAP_2023,CAP_EST_ 2024,CAP_NOTES,RESERVES_2024,RESERVE_NOTES\r\n\
MCS2025,Antimony,China,\"Mine production, antimony content\",metric tons,62300,60000,estimated 2023,,,,670000,\r\n\
MCS2025,Antimony,Tajikistan ,\"Mine production, antimony content\",metric tons,17000,17000,,,,,50000,\r\n\
MCS2025,Antimony,Other Countries,\"Mine production, antimony content\",metric tons,5000,5000,,,,,NA,\r\n\
MCS2025,Antimony,World total (rounded) 10,\"Mine production, antimony content\",metric tons,106000,100000,,,,,>2000000,\r\n\
MCS2025,Gemanium,China,Primary and secondary refinery production,kilograms,,,,,,,,\r\n\
MCS2025,Gemanium,World total (rounded),Primary and secondary refinery production,kilograms,,,,,,,,\r\n\
MCS2025,Copper ,Chile,\"Mine production, recoverable copper content\",thousand metric tons,5250,5300,,,,,190000,\r\n\
MCS2025,Copper ,Burma,\"Mine production, recoverable copper content\",thousand metric tons,W,W,W for 23-24,,,,,\r\n\
MCS2025,Copper ,Peru,\"Mine production, recoverable copper content\",thousand metric tons,,,W for 23-24,,,,,\r\n\
MCS2025,Copper ,World total (rounded),\"Mine production, recoverable copper content\",thousand metric tons,22900,23000,,,,,980000,\r\n\
MCS2025,Copper ,China,\"Refinery production, copper\",thousand metric tons,12000,12000,,,,,,\r\n\
MCS2025,Copper ,World total (rounded),\"Refinery production, copper\",thousand metric tons,27000,27000,,,,,,\r\n\
MCS2025,Kyanite and Related Minerals,United\u{a0}States (kyanite),Mine production,metric tons,90000,90000,,,,,,\r\n\
MCS2025,Kyanite and Related Minerals,World total (rounded),Mine production,metric tons,450000,450000,,,,,,\r\n";
    write(dir.path(), "MCS2025_World_Data.csv", world);
    let reliance = "\u{feff}Source,Import_Share_Order,Commodity,Net_Import_Reliance_pct_2024,Major_Import_Sources_2020_2023,Notes\r\n\
MCS2025,5,\"GALLIUM, metal\",100,\"Japan, China, Germany, Canada\",Descending order of import share.\r\n\
MCS2025,42,GERMANIUM,>50,\"Belgium, Canada, China3 , Germany\",Descending order of import share.\r\n\
MCS2025,61,TELLURIUM,<25,\"Canada, Philippines\",Descending order of import share.\r\n\
MCS2025,62,\"ZINC, refined\",E,Republic of Korea,Descending order of import share.\r\n";
    write(dir.path(), "MCS2025_Fig2_Net_Import_Reliance.csv", reliance);
    let salient = "\u{feff}DataSource,Commodity,Year,USprod_Smelter-primary_t,Price_Metal_dlb,NIR_pct\r\n\
MCS2025,Antimony,2023,W,6.2,82\r\n\
MCS2025,Antimony,2024,W,9.5,85\r\n\
MCS2025,Antimony,2022,NA,5.9,E\r\n";
    let nested = dir.path().join("salient");
    std::fs::create_dir(&nested).unwrap();
    write(&nested, "mcs2025-antim_salient.csv", salient);
    dir
}

fn imported_graph(dir: &Path) -> (Graph, critmin::import::Summary) {
    let import = import_usgs_mcs(dir, &|_| false).unwrap();
    let texts: Vec<(&str, &str)> = import
        .files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let graph = match load_texts(&texts) {
        Ok(loaded) => loaded.graph,
        Err(failure) => panic!("the import does not load: {:?}", failure.problems),
    };
    (graph, import.summary)
}

fn number(graph: &Graph, edge_idx: EdgeIndex, key: &str) -> Option<f64> {
    graph.edge_number(edge_idx, key)
}

#[test]
fn excerpt_quirks_are_read() {
    let dir = excerpt_release();
    let (graph, summary) = imported_graph(dir.path());
    // world total row with glued footnote digits is the denominator
    let china = edges_matching(
        &graph,
        "china",
        EdgeKind::Produces,
        "antimony",
        &[("year", "2024")],
    );
    assert_eq!(china.len(), 1);
    assert_eq!(number(&graph, china[0], "share"), Some(0.6));
    assert_eq!(number(&graph, china[0], "world_amount"), Some(100_000.0));
    assert_eq!(
        graph.edge_prop(china[0], "estimate"),
        Some(&Value::Bool(true))
    );
    // "estimated 2023" flags the 2023 figure
    let china_2023 = edges_matching(
        &graph,
        "china",
        EdgeKind::Produces,
        "antimony",
        &[("year", "2023")],
    );
    assert_eq!(
        graph.edge_prop(china_2023[0], "estimate"),
        Some(&Value::Bool(true))
    );
    // trailing space in the country name
    assert_eq!(
        edges_matching(&graph, "tajikistan", EdgeKind::Produces, "antimony", &[]).len(),
        2
    );
    // ">2000000" world reserves: a bound, and no share computed from it
    let reserves = edges_matching(&graph, "china", EdgeKind::Reserves, "antimony", &[]);
    assert_eq!(number(&graph, reserves[0], "share"), None);
    // Gemanium is germanium; its blank cells are no figures, never 0
    assert!(graph.node_by_id("germanium").is_some());
    assert!(edges_matching(&graph, "china", EdgeKind::Produces, "germanium", &[]).is_empty());
    // W: withheld, no amount
    let burma = edges_matching(
        &graph,
        "myanmar",
        EdgeKind::Produces,
        "copper",
        &[("year", "2024")],
    );
    assert_eq!(
        graph.edge_prop(burma[0], "withheld"),
        Some(&Value::Bool(true))
    );
    assert_eq!(number(&graph, burma[0], "amount"), None);
    // blank cells that the note says are withheld
    let peru = edges_matching(
        &graph,
        "peru",
        EdgeKind::Produces,
        "copper",
        &[("year", "2023")],
    );
    assert_eq!(
        graph.edge_prop(peru[0], "withheld"),
        Some(&Value::Bool(true))
    );
    // two TYPEs of copper: two stages, each with its own world total
    let refining = edges_matching(
        &graph,
        "china",
        EdgeKind::Produces,
        "copper",
        &[("stage", "refining"), ("year", "2024")],
    );
    assert_eq!(number(&graph, refining[0], "share"), Some(0.4444));
    assert_eq!(number(&graph, refining[0], "tonnes"), Some(12_000_000.0));
    // non-breaking space and a qualifier in parentheses
    let kyanite = edges_matching(
        &graph,
        "united-states",
        EdgeKind::Produces,
        "kyanite",
        &[("year", "2024")],
    );
    assert_eq!(
        graph.edge_prop(kyanite[0], "qualifier"),
        Some(&Value::Str("kyanite".into()))
    );
    // Other Countries is not a country
    assert!(
        summary
            .skipped
            .keys()
            .any(|reason| reason.contains("Other countries"))
    );
}

#[test]
fn excerpt_reliance_codes_and_ranked_sources() {
    let dir = excerpt_release();
    let (graph, _) = imported_graph(dir.path());
    let reliance = |item: &str| {
        edges_matching(&graph, "united-states", EdgeKind::ImportReliance, item, &[])[0]
    };
    assert_eq!(number(&graph, reliance("gallium"), "share"), Some(1.0));
    assert_eq!(number(&graph, reliance("germanium"), "share"), Some(0.5));
    assert_eq!(
        graph.edge_prop(reliance("germanium"), "bound"),
        Some(&Value::Str("lower".into()))
    );
    assert_eq!(
        graph.edge_prop(reliance("tellurium"), "bound"),
        Some(&Value::Str("upper".into()))
    );
    assert_eq!(
        graph.edge_prop(reliance("zinc"), "net_exporter"),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        graph.edge_prop(reliance("zinc"), "form"),
        Some(&Value::Str("refined".into()))
    );
    // "China3 " is China, third; ranks carry no share
    let china = edges_matching(
        &graph,
        "united-states",
        EdgeKind::ImportsFrom,
        "china",
        &[("item", "germanium")],
    );
    assert_eq!(number(&graph, china[0], "rank"), Some(3.0));
    assert_eq!(number(&graph, china[0], "share"), None);
    assert_eq!(
        edges_matching(
            &graph,
            "united-states",
            EdgeKind::ImportsFrom,
            "south-korea",
            &[("item", "zinc")]
        )
        .len(),
        1
    );
    // salient statistics: W withheld, NA left out, E net exporter, dated
    let antimony = graph.node_by_id("antimony").unwrap();
    let facts: Vec<(String, String)> = graph
        .edges_of(antimony, EdgeKind::Affects, Direction::Incoming)
        .into_iter()
        .map(|(edge_idx, event)| {
            let date = graph
                .node_prop(event, "date")
                .map_or(String::new(), |v| v.to_string());
            let text = |key: &str| {
                graph
                    .edge_prop(edge_idx, key)
                    .map_or(String::new(), |v| v.to_string())
            };
            (
                format!("{date} {}", text("metric")),
                format!(
                    "{} {} {}",
                    text("value"),
                    text("withheld"),
                    text("net_exporter")
                ),
            )
        })
        .collect();
    assert!(
        facts.contains(&(
            "2024 US production, Smelter primary".into(),
            " true ".into()
        )),
        "{facts:?}"
    );
    assert!(
        facts.contains(&("2024 net import reliance".into(), "85  ".into())),
        "{facts:?}"
    );
    assert!(
        facts.contains(&("2022 net import reliance".into(), "  true".into())),
        "{facts:?}"
    );
    assert!(
        !facts
            .iter()
            .any(|(what, _)| what == "2022 US production, Smelter primary")
    );
}

#[test]
fn the_same_release_gives_the_same_bytes() {
    let dir = excerpt_release();
    let first = import_usgs_mcs(dir.path(), &|_| false).unwrap();
    let second = import_usgs_mcs(dir.path(), &|_| false).unwrap();
    assert_eq!(first.files, second.files);
}

#[test]
fn a_folder_without_the_world_table_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = import_usgs_mcs(dir.path(), &|_| false).unwrap_err();
    assert!(
        err.to_string().contains("no MCS<year>_World_Data.csv"),
        "{err}"
    );
}

/// Re-importing the repository's copy of the release reproduces the
/// checked-in graph files byte for byte (run the command in
/// docs/IMPORT.md to regenerate them).
#[test]
fn reimport_reproduces_the_bundled_files() {
    let base = load_bundled_without("usgs-mcs-2025").unwrap().graph;
    let existing = |id: &str| base.node_by_id(id).is_some();
    let import = import_usgs_mcs(&root().join("data/usgs-mcs-2025"), &existing).unwrap();
    let folder = root().join("graph/usgs-mcs-2025");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let names: Vec<String> = import.files.iter().map(|(name, _)| name.clone()).collect();
    assert_eq!(names, on_disk);
    for (name, text) in &import.files {
        let checked_in = std::fs::read_to_string(folder.join(name)).unwrap();
        assert!(
            &checked_in == text,
            "graph/usgs-mcs-2025/{name} differs from a fresh import: run `critmin import usgs-mcs data/usgs-mcs-2025 -o graph/usgs-mcs-2025`"
        );
    }
}

#[test]
fn the_import_command_writes_the_files_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("usgs-mcs-2025");
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(["import", "usgs-mcs"])
        .arg(root().join("data/usgs-mcs-2025"))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("rows read: 1795"), "{stdout}");
    assert!(stdout.contains("facts written:"), "{stdout}");
    assert!(
        stdout.contains("\"Other countries\" row (not a country)"),
        "{stdout}"
    );
    for name in ["nodes.json", "production.edges.csv", "reliance.edges.csv"] {
        let fresh = std::fs::read_to_string(target.join(name)).unwrap();
        let bundled =
            std::fs::read_to_string(root().join("graph/usgs-mcs-2025").join(name)).unwrap();
        assert!(fresh == bundled, "{name} differs");
    }
}

/// `from kind to filters prop expected`, one official fact each.
#[test]
fn usgs_spot_checks_hold() {
    let graph = bundled();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (line_no, line) in SPOT_CHECKS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [from, kind, to, filters, prop, expected] = cols[..] else {
            panic!("spot_checks_usgs.tsv:{}: expected 6 columns", line_no + 1);
        };
        let kind = EdgeKind::parse(kind).unwrap();
        let mut filters: Vec<(&str, &str)> = filters
            .split(';')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap())
            .collect();
        filters.push(("origin", "official"));
        filters.push(("edition", "2025"));
        let found = edges_matching(&graph, from, kind, to, &filters);
        checked += 1;
        let place = format!(
            "spot_checks_usgs.tsv:{}: {from} -{}-> {to} {filters:?}",
            line_no + 1,
            kind.as_str()
        );
        if found.len() != 1 {
            failures.push(format!("{place}: {} edges match, expected 1", found.len()));
            continue;
        }
        let value = graph.edge_prop(found[0], prop);
        if !value.is_some_and(|value| value_matches(value, expected)) {
            failures.push(format!("{place}: {prop} is {value:?}, expected {expected}"));
        }
        let source = graph
            .edge_sources(found[0])
            .iter()
            .map(|s| graph.source(*s).id.clone())
            .collect::<Vec<_>>();
        if !source.iter().all(|id| id.starts_with("usgs-mcs-2025-")) {
            failures.push(format!("{place}: cites {source:?}, not the release"));
        }
    }
    assert!(checked >= 27, "only {checked} spot checks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every one of the release's production series has country shares for
/// 2024 or 2023, except where the release gives no world total (boron, iron
/// oxide pigments, kyanite: `World total` blank, noted `XX`/`NA`).
/// Germanium (every cell blank: withheld) and the capacity-only series
/// (abrasives, titanium dioxide pigment) have no production edges at all.
#[test]
fn every_commodity_with_production_figures_has_shares() {
    let graph = bundled();
    let mut items_with_shares = std::collections::BTreeSet::new();
    let mut items = std::collections::BTreeSet::new();
    for edge_idx in graph.edge_indices() {
        let official =
            graph.edge_prop(edge_idx, "origin").and_then(Value::as_str) == Some("official");
        if !official || graph.edge(edge_idx).kind != EdgeKind::Produces {
            continue;
        }
        let item = graph.node(graph.endpoints(edge_idx).1).id.clone();
        items.insert(item.clone());
        if graph.edge_number(edge_idx, "share").is_some() {
            items_with_shares.insert(item);
        }
    }
    let missing: Vec<&str> = items
        .difference(&items_with_shares)
        .map(String::as_str)
        .collect();
    assert_eq!(missing, ["boron", "iron-oxide-pigments", "kyanite"]);
    assert!(items.len() >= 75, "{} items with production", items.len());
}

#[test]
fn check_on_the_bundled_graph_lists_every_conflict_and_the_readme_explains_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let readme = std::fs::read_to_string(root().join("graph/README.md")).unwrap();
    let conflicts: Vec<&str> = stdout
        .lines()
        .skip_while(|line| !line.starts_with("figure conflicts"))
        .skip(1)
        .filter_map(|line| line.trim().strip_prefix("warning: "))
        // an older edition shadowed by a newer one is expected, not explained
        .filter(|line| !line.contains("an older edition's figure is shadowed"))
        .collect();
    assert!(!conflicts.is_empty());
    for conflict in conflicts {
        let fact = conflict.split(": ").next().unwrap();
        assert!(
            readme.contains(fact),
            "graph/README.md does not explain `{fact}`"
        );
    }
}

#[test]
fn check_warns_about_a_shadowed_older_edition() {
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .current_dir(root())
        .arg("check")
        .arg("--graph")
        .arg("tests/fixtures/graph")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("warning: china produces tellurium (refining, 2023): an older edition's figure is shadowed: uses USGS MCS 2025 (official) share 0.69, tonnes 690 [tests/fixtures/graph/editions.json $.edges[1], fixture-mcs-2025], not USGS MCS 2024 (official) share 0.65, tonnes 650 [tests/fixtures/graph/editions.json $.edges[0], fixture-mcs-2024]"),
        "{stdout}"
    );
}

/// Every commodity of Figure 2 has a US reliance figure and ranked import
/// sources.
#[test]
fn every_reliance_commodity_has_ranked_import_sources() {
    let graph = bundled();
    let us = graph.node_by_id("united-states").unwrap();
    let official = |edge_idx: EdgeIndex| {
        graph.edge_prop(edge_idx, "origin").and_then(Value::as_str) == Some("official")
    };
    let reliance: Vec<EdgeIndex> = graph
        .edges_of(us, EdgeKind::ImportReliance, Direction::Outgoing)
        .into_iter()
        .map(|(edge_idx, _)| edge_idx)
        .filter(|edge_idx| official(*edge_idx))
        .collect();
    assert_eq!(reliance.len(), 64);
    let imports: Vec<EdgeIndex> = graph
        .edges_of(us, EdgeKind::ImportsFrom, Direction::Outgoing)
        .into_iter()
        .map(|(edge_idx, _)| edge_idx)
        .filter(|edge_idx| official(*edge_idx))
        .collect();
    for edge_idx in reliance {
        let item = &graph.node(graph.endpoints(edge_idx).1).id;
        let form = graph
            .edge_prop(edge_idx, "form")
            .map(|value| value.to_string());
        let ranked = imports.iter().any(|import| {
            graph.edge_prop(*import, "item").and_then(Value::as_str) == Some(item.as_str())
                && graph
                    .edge_prop(*import, "form")
                    .map(|value| value.to_string())
                    == form
                && graph.edge_number(*import, "rank") == Some(1.0)
        });
        assert!(ranked, "no ranked import sources for {item} {form:?}");
    }
}
