//! The bundled dataset (`graph/`): it loads, it is complete enough, every
//! node and edge cites a source, the facts the issue names exist with their
//! exact values, and the spot checks in `tests/data/spot_checks.tsv` hold.

use std::collections::HashSet;

use critmin::load::{Loaded, load_bundled};
use critmin::model::{
    Direction, EdgeIndex, EdgeKind, Graph, NodeIndex, NodeKind, PartialDate, Value,
};

mod support;
use support::{edges_matching, value_matches};

const SPOT_CHECKS: &str = include_str!("data/spot_checks.tsv");
const GRAPH_README: &str = include_str!("../graph/README.md");
/// The checks of the gap-filling files (issue 11, gaps 1-7).
const SPOT_CHECKS_GAPS: &str = include_str!("data/spot_checks_gaps.tsv");

/// Every policy of facts.md §4 (China, US, EU, Japan, DRC, Indonesia).
const SECTION_4_POLICIES: &[&str] = &[
    // China
    "cn-mofcom-2010-07-ree-quota-cut",
    "cn-2010-09-ree-halt-japan",
    "wto-ds431",
    "cn-2015-export-quota-abolition",
    "cn-export-control-law-2020",
    "cn-mofcom-2023-23",
    "cn-mofcom-2023-10-graphite",
    "cn-2023-12-tech-catalogue",
    "cn-mofcom-2024-33",
    "cn-2024-10-ree-administration",
    "cn-2024-dual-use-regulations",
    "cn-mofcom-2024-46",
    "cn-mofcom-2025-10",
    "cn-mofcom-2025-18",
    "cn-2025-05-anti-smuggling",
    "cn-mofcom-2025-55",
    "cn-mofcom-2025-56",
    "cn-mofcom-2025-57",
    "cn-mofcom-2025-58",
    "cn-mofcom-2025-61",
    "cn-mofcom-2025-62",
    "cn-mofcom-2025-70",
    "cn-mofcom-2025-11-09-suspension",
    "cn-mofcom-2026-silver-licensing",
    "cn-miit-ree-w-mining-quotas",
    // United States
    "us-dod-2022-12-perpetua-antimony",
    "us-dod-2024-04-ge-wafers",
    "us-dod-2024-05-co-ni-plant",
    "us-dod-2024-09-tin-smelter",
    "us-ustr-301-review-2024",
    "us-ustr-2024-12-tungsten-301",
    "us-wh-2025-01-energy-emergency",
    "us-wh-2025-03-20-mineral-production-eo",
    "us-wh-2025-04-15-sec232-eo",
    "us-commerce-2025-anode-graphite-adcvd",
    "us-dod-2025-07-10-mp-materials",
    "us-dla-2025-stockpile-buys",
    "us-2025-critical-minerals-list",
    "us-au-2025-10-20-framework",
    "us-jp-2025-10-28-framework",
    "us-cn-2025-11-01-busan-truce",
    "us-ndaa-2027-tungsten-procurement-ban",
    // EU, Japan, DRC, Indonesia
    "eu-crma-2024-1252",
    "eu-2025-03-25-strategic-projects",
    "eu-2025-06-04-strategic-projects-abroad",
    "jp-2010-ree-supply-response",
    "drc-2025-02-cobalt-export-suspension",
    "drc-2025-10-cobalt-export-quotas",
    "id-2020-nickel-ore-export-ban",
];

fn bundled() -> Loaded {
    match load_bundled() {
        Ok(loaded) => loaded,
        Err(failure) => {
            let lines: Vec<String> = failure.problems.iter().map(|p| p.to_string()).collect();
            panic!("bundled graph does not load:\n{}", lines.join("\n"));
        }
    }
}

fn node(graph: &Graph, id: &str) -> NodeIndex {
    graph
        .node_by_id(id)
        .unwrap_or_else(|| panic!("node {id} is missing"))
}

fn count(graph: &Graph, kind: NodeKind) -> usize {
    graph
        .node_indices()
        .filter(|n| graph.node(*n).kind == kind)
        .count()
}

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).unwrap_or_else(|_| panic!("{text} is not a date"))
}

/// Does a property value equal the expected text (typed comparison)?
fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_string(), |v| format!("{v:?}"))
}

/// The curated edges `from -kind-> to` whose props equal every filter: the
/// USGS import's official copies are checked by tests/import.rs.
fn curated_edges_matching(
    graph: &Graph,
    from: &str,
    kind: EdgeKind,
    to: &str,
    filters: &[(&str, &str)],
) -> Vec<EdgeIndex> {
    edges_matching(graph, from, kind, to, filters)
        .into_iter()
        .filter(|edge_idx| {
            graph
                .edge_prop(*edge_idx, "origin")
                .and_then(|value| value.as_str())
                != Some("official")
        })
        .collect()
}

fn one_edge(
    graph: &Graph,
    from: &str,
    kind: EdgeKind,
    to: &str,
    filters: &[(&str, &str)],
) -> EdgeIndex {
    let found = curated_edges_matching(graph, from, kind, to, filters);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {from} -{}-> {to} {filters:?}, found {}",
        kind.as_str(),
        found.len()
    );
    found[0]
}

fn assert_edge(
    graph: &Graph,
    edge: (&str, EdgeKind, &str, &[(&str, &str)]),
    prop: &str,
    want: &str,
) {
    let (from, kind, to, filters) = edge;
    let edge_idx = one_edge(graph, from, kind, to, filters);
    let got = graph.edge_prop(edge_idx, prop);
    assert!(
        got.is_some_and(|value| value_matches(value, want)),
        "{from} -{}-> {to} {filters:?}: {prop} is {}, expected {want}",
        kind.as_str(),
        show(got)
    );
}

fn assert_node(graph: &Graph, id: &str, prop: &str, want: &str) {
    let got = graph.node_prop(node(graph, id), prop);
    assert!(
        got.is_some_and(|value| value_matches(value, want)),
        "node {id}: {prop} is {}, expected {want}",
        show(got)
    );
}

#[test]
fn loads_with_only_incomplete_share_warnings() {
    let loaded = bundled();
    for warning in &loaded.warnings {
        let text = warning.to_string();
        assert!(
            text.contains("the data is incomplete"),
            "unexpected warning: {text}"
        );
    }
}

#[test]
fn has_the_required_counts() {
    let graph = bundled().graph;
    let minerals_and_products = count(&graph, NodeKind::Mineral) + count(&graph, NodeKind::Product);
    assert!(
        minerals_and_products >= 33,
        "{minerals_and_products} minerals+products"
    );
    assert!(count(&graph, NodeKind::Industry) >= 15);
    assert!(count(&graph, NodeKind::Country) >= 25);
    assert!(count(&graph, NodeKind::Event) >= 35);
    // Narrative events alone (no price points, no monthly trade records) reach 35 too.
    let narrative = graph
        .node_indices()
        .filter(|n| graph.node(*n).kind == NodeKind::Event)
        .filter(|n| graph.node_prop(*n, "event_type").is_none())
        .count();
    assert!(narrative >= 35, "{narrative} narrative events");
    for id in SECTION_4_POLICIES {
        let idx = node(&graph, id);
        assert_eq!(graph.node(idx).kind, NodeKind::Policy, "{id} is a policy");
        assert!(
            !graph
                .edges_of(idx, EdgeKind::IssuedBy, Direction::Outgoing)
                .is_empty(),
            "{id} has an issuer"
        );
    }
}

#[test]
fn every_node_and_edge_cites_a_known_source() {
    let graph = bundled().graph;
    let mut used = HashSet::new();
    for node_idx in graph.node_indices() {
        let sources = graph.node_sources(node_idx);
        assert!(
            !sources.is_empty(),
            "node {} has no source",
            graph.node(node_idx).id
        );
        used.extend(sources.iter().copied());
    }
    for edge_idx in graph.edge_indices() {
        let sources = graph.edge_sources(edge_idx);
        let (from, to) = graph.endpoints(edge_idx);
        assert!(
            !sources.is_empty(),
            "edge {} -> {} has no source",
            graph.node(from).id,
            graph.node(to).id
        );
        used.extend(sources.iter().copied());
    }
    for source in graph.sources() {
        assert!(
            source.url.is_some() || source.note.is_some(),
            "{} says where it was read",
            source.id
        );
    }
    assert_eq!(
        used.len(),
        graph.sources().len(),
        "every source is cited at least once"
    );
}

/// The `confidence` of a node or edge, if it has one.
fn confidence(value: Option<&Value>) -> Option<&str> {
    match value {
        Some(Value::Str(text)) => Some(&**text),
        _ => None,
    }
}

/// Issue 11, correction 12: no fact is still `recalled`. Each former
/// `recalled` fact now cites a source that states it, or is marked
/// `unsourced`; an unsourced fact says why in its `note` and is listed in
/// graph/README.md, so the list of what is left out stays current.
#[test]
fn no_fact_is_recalled_and_every_unsourced_fact_is_listed() {
    let graph = bundled().graph;
    let mut problems = Vec::new();
    let mut unsourced = 0;
    for node_idx in graph.node_indices() {
        let id = &graph.node(node_idx).id;
        match confidence(graph.node_prop(node_idx, "confidence")) {
            None => {}
            Some("unsourced") => {
                unsourced += 1;
                if graph.node_prop(node_idx, "note").is_none() {
                    problems.push(format!("node {id} is unsourced without a note saying why"));
                }
                if !GRAPH_README.contains(&format!("`{id}`")) {
                    problems.push(format!(
                        "node {id} is unsourced but graph/README.md does not list it"
                    ));
                }
            }
            Some("recalled") => problems.push(format!("node {id} is still recalled")),
            Some(_) => {}
        }
    }
    for edge_idx in graph.edge_indices() {
        let (from, to) = graph.endpoints(edge_idx);
        let label = format!(
            "{} -{}-> {}",
            graph.node(from).id,
            graph.edge(edge_idx).kind.as_str(),
            graph.node(to).id
        );
        match confidence(graph.edge_prop(edge_idx, "confidence")) {
            None => {}
            Some("unsourced") => {
                unsourced += 1;
                if graph.edge_prop(edge_idx, "note").is_none() {
                    problems.push(format!("{label} is unsourced without a note saying why"));
                }
                if !GRAPH_README.contains(&format!("`{label}`")) {
                    problems.push(format!(
                        "{label} is unsourced but graph/README.md does not list it"
                    ));
                }
            }
            Some("recalled") => problems.push(format!("{label} is still recalled")),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The scandium shares and gallium's IR-detector role: no source states them.
    assert!(unsourced >= 3, "only {unsourced} unsourced facts");
}

/// Issue 11, correction 8: an export figure (item, destination, period,
/// value) is stated on one node only, not once in events.json and again in
/// trade.json.
#[test]
fn no_export_figure_is_stated_twice() {
    let graph = bundled().graph;
    let mut seen: HashSet<(String, String, String, String, String)> = HashSet::new();
    let mut twice = Vec::new();
    for edge_idx in graph.edge_indices() {
        if graph.edge(edge_idx).kind != EdgeKind::Affects {
            continue;
        }
        let text = |key: &str| {
            graph
                .edge_prop(edge_idx, key)
                .map_or_else(String::new, |value| format!("{value:?}"))
        };
        let metric = text("metric");
        if !metric.contains("china_exports") || text("value").is_empty() {
            continue;
        }
        let (from, to) = graph.endpoints(edge_idx);
        // A destination edge names its item; a total points at the item.
        let item = graph
            .edge_prop(edge_idx, "item")
            .map_or_else(|| graph.node(to).id.clone(), |value| format!("{value:?}"));
        let key = (
            item,
            graph.node(to).id.clone(),
            text("period"),
            text("unit"),
            text("value"),
        );
        if !seen.insert(key.clone()) {
            twice.push(format!("{key:?} (again on {})", graph.node(from).id));
        }
    }
    assert!(twice.is_empty(), "stated twice:\n{}", twice.join("\n"));
}

/// What the binary prints for a query on the bundled graph.
fn run_query(text: &str) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(["-e", text])
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|err| panic!("critmin does not run: {err}"));
    assert!(output.status.success(), "{text}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Issue 11, correction 2: MOFCOM 2025 No.57 (erbium) was to take effect on
/// Nov 8 2025 and was suspended on Nov 7, so it restricts nothing on Oct 20
/// or on Nov 8; the controls in force on those days still show.
#[test]
fn the_oct_9_package_never_applied() {
    let graph = bundled().graph;
    for day in ["2025-10-20", "2025-11-08"] {
        let notes = run_query(&format!(
            "exposure US fiber-optics to China as of {day} | explain"
        ));
        assert!(notes.contains("erbium"), "{day}: {notes}");
        assert!(
            notes.contains("cn-2025-05-anti-smuggling"),
            "{day}: {notes}"
        );
        assert!(!notes.contains("cn-mofcom-2025-57"), "{day}: {notes}");
    }
    assert_node(&graph, "cn-mofcom-2025-57", "effective", "2025-11-08");
    assert_node(&graph, "cn-mofcom-2025-57", "suspended", "2025-11-07");
}

/// Issue 11, correction 10: the magnesium market source names its author.
#[test]
fn magnesium_source_names_its_author() {
    let graph = bundled().graph;
    let idx = graph
        .source_by_id("lightmetalage-magnesium-2024")
        .unwrap_or_else(|| panic!("the Light Metal Age source is missing"));
    let source = graph.source(idx);
    assert!(source.title.contains("J.P. Weiler"), "{}", source.title);
    assert!(source.title.contains("Meridian Lightweight Technologies"));
    assert!(!source.title.contains("Meridian International Research"));
}

#[test]
fn names_and_aliases_resolve() {
    let graph = bundled().graph;
    let cases = [
        ("Ge", "germanium"),
        ("Sb", "antimony"),
        ("In", "indium"),
        ("IN", "india"),
        ("CN", "china"),
        ("CHN", "china"),
        ("USA", "united-states"),
        ("U.S.", "united-states"),
        ("Burma", "myanmar"),
        ("Turkey", "turkiye"),
        ("DRC", "dr-congo"),
        ("rare earth magnets", "ndfeb-magnets"),
        ("NdFeB magnets", "ndfeb-magnets"),
        ("MOFCOM 2024 No.46", "cn-mofcom-2024-46"),
        ("MOFCOM 2023 No.23", "cn-mofcom-2023-23"),
        ("MOFCOM 2025 No.18", "cn-mofcom-2025-18"),
        ("semis", "semiconductors"),
    ];
    for (name, id) in cases {
        match graph.resolve(name, &[]) {
            Ok(idx) => assert_eq!(graph.node(idx).id, id, "{name}"),
            Err(err) => panic!("{name} does not resolve: {err:?}"),
        }
    }
}

#[test]
fn production_facts_the_issue_names() {
    let graph = bundled().graph;
    let ga = (
        "china",
        EdgeKind::Produces,
        "gallium",
        &[("stage", "refining"), ("year", "2024")][..],
    );
    assert_edge(&graph, ga, "tonnes", "750");
    assert_edge(&graph, ga, "world_tonnes", "760");
    assert_edge(&graph, ga, "calc", "true");
    let sb = (
        "china",
        EdgeKind::Produces,
        "antimony",
        &[("stage", "mining"), ("year", "2024")][..],
    );
    assert_edge(&graph, sb, "tonnes", "60000");
    assert_edge(&graph, sb, "world_tonnes", "100000");
    assert_edge(&graph, sb, "share", "0.6");
    assert_edge(&graph, sb, "calc", "true");
    let w = (
        "china",
        EdgeKind::Produces,
        "tungsten",
        &[("stage", "mining"), ("year", "2024")][..],
    );
    assert_edge(&graph, w, "share", "0.827");
    // Germanium: both values with their sources; the undated CRMA estimate
    // carries no year, so it does not replace the dated USGS share.
    let ofr = one_edge(
        &graph,
        "china",
        EdgeKind::Produces,
        "germanium",
        &[("year", "2022")],
    );
    let crma = one_edge(
        &graph,
        "china",
        EdgeKind::Produces,
        "germanium",
        &[("estimate", "true")],
    );
    assert_eq!(graph.edge_number(ofr, "share"), Some(0.857));
    assert_eq!(graph.edge_number(crma, "share"), Some(0.6));
    assert_eq!(graph.edge_prop(crma, "year"), None);
    assert_ne!(graph.edge_sources(ofr), graph.edge_sources(crma));
    // Year-bound edges carry the year as validity.
    let edge = graph.edge(one_edge(&graph, w.0, w.1, w.2, w.3));
    assert_eq!(edge.valid.from, Some(date("2024")));
    assert_eq!(edge.valid.to, Some(date("2024")));
}

#[test]
fn us_import_reliance_on_gallium_is_total() {
    let graph = bundled().graph;
    let edge = (
        "united-states",
        EdgeKind::ImportReliance,
        "gallium",
        &[("year", "2024")][..],
    );
    assert_edge(&graph, edge, "share", "1");
}

#[test]
fn mofcom_2024_46_and_its_suspension() {
    let graph = bundled().graph;
    let id = "cn-mofcom-2024-46";
    assert_node(&graph, id, "announced", "2024-12-03");
    assert_node(&graph, id, "effective", "2024-12-03");
    assert_node(&graph, id, "issuer", "MOFCOM");
    assert_eq!(
        graph.node(node(&graph, id)).valid.from,
        Some(date("2024-12-03"))
    );
    // Clause 2 (the ban on Ga, Ge, Sb to the US) is suspended from
    // 2025-11-09 to 2026-11-27; clause 1 (no dual-use exports to US
    // military users) stays.
    for mineral in ["gallium", "germanium", "antimony"] {
        let ban = (id, EdgeKind::Restricts, mineral, &[("clause", "2")][..]);
        assert_edge(&graph, ban, "measure", "ban");
        assert_edge(&graph, ban, "severity", "1");
        assert_edge(&graph, ban, "suspended", "2025-11-09");
        assert_edge(&graph, ban, "suspended_until", "2026-11-27");
        let military = (id, EdgeKind::Restricts, mineral, &[("clause", "1")][..]);
        assert_edge(&graph, military, "severity", "0.5");
        assert_edge(&graph, military, "scope", "US military users and uses");
    }
    one_edge(&graph, id, EdgeKind::Targets, "united-states", &[]);
    one_edge(&graph, id, EdgeKind::IssuedBy, "china", &[]);
    let suspension = "cn-mofcom-2025-11-09-suspension";
    assert_node(&graph, suspension, "effective", "2025-11-09");
    assert_edge(
        &graph,
        (suspension, EdgeKind::RespondsTo, id, &[][..]),
        "action",
        "suspends",
    );
    // The Nov 7 2025 suspension covers the whole Oct 9 package.
    for n in ["55", "56", "57", "58", "61", "62"] {
        let target = format!("cn-mofcom-2025-{n}");
        one_edge(
            &graph,
            "cn-mofcom-2025-70",
            EdgeKind::RespondsTo,
            &target,
            &[],
        );
        assert_node(&graph, &target, "suspended", "2025-11-07");
    }
}

#[test]
fn mofcom_2025_18_restricts_seven_rare_earths() {
    let graph = bundled().graph;
    let id = "cn-mofcom-2025-18";
    assert_node(&graph, id, "announced", "2025-04-04");
    assert_node(&graph, id, "effective", "2025-04-04");
    assert!(graph.node_prop(node(&graph, id), "suspended").is_none());
    for element in [
        "samarium",
        "gadolinium",
        "terbium",
        "dysprosium",
        "lutetium",
        "scandium",
        "yttrium",
    ] {
        assert_edge(
            &graph,
            (id, EdgeKind::Restricts, element, &[][..]),
            "measure",
            "licensing",
        );
        one_edge(&graph, element, EdgeKind::MemberOf, "rare-earths", &[]);
    }
    let policy = graph.resolve("MOFCOM 2025 No.18", &[NodeKind::Policy]);
    assert!(policy.is_ok_and(|idx| graph.node(idx).id == id));
}

#[test]
fn june_2025_customs_data_keeps_its_corrected_meaning() {
    let graph = bundled().graph;
    let magnets = "ev-2025-06-magnet-exports";
    let to_us = (
        magnets,
        EdgeKind::Affects,
        "united-states",
        &[("metric", "china_exports")][..],
    );
    assert_edge(&graph, to_us, "value", "353");
    assert_edge(&graph, to_us, "unit", "t");
    assert_edge(&graph, to_us, "change_mom", "6.6");
    assert_edge(&graph, to_us, "item", "ndfeb-magnets");
    let total = (
        magnets,
        EdgeKind::Affects,
        "ndfeb-magnets",
        &[("metric", "china_exports")][..],
    );
    assert_edge(&graph, total, "value", "3188");
    assert_edge(&graph, total, "change_yoy", "-0.381");
    // The -38.1% y/y belongs to the total, not to the US-bound series.
    let us_edge = one_edge(&graph, to_us.0, to_us.1, to_us.2, to_us.3);
    assert!(graph.edge_prop(us_edge, "change_yoy").is_none());
    // Germanium -95% is June compared with January, not a first-half figure.
    let ge = (
        "ev-2025-06-ge-exports",
        EdgeKind::Affects,
        "germanium",
        &[("metric", "china_exports_change")][..],
    );
    assert_edge(&graph, ge, "value", "-0.95");
    assert_edge(&graph, ge, "period", "2025-06 vs 2025-01");
    // Antimony: the first half fell ~74% year on year.
    let sb = (
        "ev-2025-06-sb-exports",
        EdgeKind::Affects,
        "antimony",
        &[("period", "2025-H1 vs 2024-H1")][..],
    );
    assert_edge(&graph, sb, "value", "-0.74");
    assert_node(
        &graph,
        "ev-2025-07-20-gac-june-trade-data",
        "date",
        "2025-07-20",
    );
}

#[test]
fn spot_checks_hold() {
    spot_checks_in(SPOT_CHECKS, "spot_checks.tsv");
}

#[test]
fn spot_checks_of_the_gaps_hold() {
    spot_checks_in(SPOT_CHECKS_GAPS, "spot_checks_gaps.tsv");
}

/// Runs every row of a spot-check table (at least 40) against the bundled graph.
fn spot_checks_in(table: &str, name: &str) {
    let graph = bundled().graph;
    let mut checked = 0;
    let mut failures = Vec::new();
    for (number, line) in table.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let at = format!("{name}:{}", number + 1);
        let outcome = match fields.as_slice() {
            ["node", id, prop, want] => check_node(&graph, id, prop, want),
            ["edge", from, kind, to, filters, prop, want] => {
                check_edge(&graph, (from, kind, to, filters), prop, want)
            }
            _ => Err(format!("malformed row: {line:?}")),
        };
        if let Err(message) = outcome {
            failures.push(format!("{at}: {message}"));
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} spot checks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn validity_value(valid: &critmin::model::Validity, prop: &str) -> Option<Value> {
    match prop {
        "valid_from" => valid.from.map(Value::Date),
        "valid_to" => valid.to.map(Value::Date),
        _ => None,
    }
}

fn check_node(graph: &Graph, id: &str, prop: &str, want: &str) -> Result<(), String> {
    let idx = graph
        .node_by_id(id)
        .ok_or_else(|| format!("no node {id}"))?;
    let got = validity_value(&graph.node(idx).valid, prop)
        .or_else(|| graph.node_prop(idx, prop).cloned());
    match got {
        Some(value) if value_matches(&value, want) => Ok(()),
        other => Err(format!(
            "node {id}: {prop} is {}, expected {want}",
            show(other.as_ref())
        )),
    }
}

fn check_edge(
    graph: &Graph,
    (from, kind, to, filters): (&str, &str, &str, &str),
    prop: &str,
    want: &str,
) -> Result<(), String> {
    let edge_kind = EdgeKind::parse(kind).ok_or_else(|| format!("unknown edge kind {kind}"))?;
    for id in [from, to] {
        graph
            .node_by_id(id)
            .ok_or_else(|| format!("no node {id}"))?;
    }
    let mut pairs = Vec::new();
    if filters != "-" {
        for pair in filters.split(',') {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("bad filter {pair:?}"))?;
            pairs.push((key, value));
        }
    }
    let found = curated_edges_matching(graph, from, edge_kind, to, &pairs);
    let [edge_idx] = found.as_slice() else {
        return Err(format!(
            "{from} -{kind}-> {to} [{filters}]: {} edges match, expected 1",
            found.len()
        ));
    };
    let got = validity_value(&graph.edge(*edge_idx).valid, prop)
        .or_else(|| graph.edge_prop(*edge_idx, prop).cloned());
    match got {
        Some(value) if value_matches(&value, want) => Ok(()),
        other => Err(format!(
            "{from} -{kind}-> {to} [{filters}]: {prop} is {}, expected {want}",
            show(other.as_ref())
        )),
    }
}

/// Issue 11: a fact no source states (`"confidence": "unsourced"`) stays
/// out of the headline metrics — concentration, `share`, HHI, top producer
/// — unless the user asks for it (`--include-unsourced`), and then it is
/// counted. Checked on every unsourced `produces` edge of the bundled graph.
#[test]
fn unsourced_figures_stay_out_of_headline_metrics_unless_asked_for() {
    use critmin::analysis::{Context, concentration};
    let loaded = bundled();
    let graph = &loaded.graph;
    let unsourced: Vec<EdgeIndex> = graph
        .edge_indices()
        .filter(|&edge| graph.edge(edge).kind == EdgeKind::Produces)
        .filter(|&edge| {
            graph
                .edge_prop(edge, "confidence")
                .and_then(|value| value.as_str())
                == Some("unsourced")
        })
        .collect();
    assert!(
        !unsourced.is_empty(),
        "the bundled graph has unsourced production figures (scandium) to check"
    );
    for edge in unsourced {
        let (_, item) = graph.endpoints(edge);
        let stage = graph
            .edge_prop(edge, "stage")
            .and_then(|value| value.as_str())
            .map(str::to_string);
        let counted = |ctx: &Context| {
            concentration(ctx, item, stage.as_deref(), None)
                .iter()
                .flat_map(|table| &table.producers)
                .any(|producer| producer.edge == edge)
        };
        let default = Context::new(graph);
        let asked = Context::new(graph).with_unsourced(true);
        let id = &graph.node(item).id;
        assert!(
            !counted(&default),
            "unsourced figure of {id} counted by default"
        );
        assert!(
            counted(&asked),
            "unsourced figure of {id} left out when asked for"
        );
    }
}
