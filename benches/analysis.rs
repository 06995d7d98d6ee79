//! Analysis benchmark: exposure and dependency queries on synthetic graphs of
//! 1M and 10M edges, through the real query path (parse + evaluate + render
//! to a table). Prints the build time, then the median and fastest of
//! repeated runs of each query.
//!
//! `cargo bench --bench analysis` (add `-- 10000000` for one size).
//!
//! The synthetic graph looks like bulk trade data on top of a supply chain:
//! 200 countries, minerals and products used in products and industries,
//! industries depending on industries (with cycles), producers by stage and
//! year, import reliance, and most edges in `imports_from` by item and year.

use std::sync::Arc;
use std::time::Instant;

use critmin::model::{EdgeKind, Fields, Graph, NodeIndex, NodeKind, Source, SourceIdx, Value};
use critmin::syntax::{Statement, parse_script};

mod support;

const COUNTRIES: usize = 200;
const INDUSTRIES: usize = 200;
const YEARS: [i32; 5] = [2020, 2021, 2022, 2023, 2024];
const RUNS: usize = 11;

const QUERIES: &[&str] = &[
    "exposure c0 to c1",
    "exposure c0 to policy:p0",
    "exposure c0 i0 to c1",
    "dependents m0",
    "depends i0",
    "concentration m0 stage refining",
];

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000_000, 10_000_000]
    } else {
        sizes
    };
    for edges in sizes {
        run_size(edges);
    }
}

fn run_size(target_edges: usize) {
    let started = Instant::now();
    let graph = synthetic(target_edges);
    println!(
        "\n{} nodes, {} edges, built in {:.1} s, peak RSS {:.0} MB",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64(),
        support::peak_rss_mb()
    );
    println!(
        "{:<36} {:>12} {:>12} {:>10} {:>6}",
        "query", "eval med ms", "+render ms", "min ms", "rows"
    );
    for text in QUERIES {
        let Ok(statements) = parse_script(text) else {
            println!("{text}: does not parse");
            continue;
        };
        let Some(Statement::Query(query)) = statements.into_iter().next() else {
            continue;
        };
        match support::time_query(&graph, &query, RUNS) {
            Ok(timing) => println!(
                "{text:<36} {:>12.2} {:>12.2} {:>10.2} {:>6}",
                timing.eval_median_ms, timing.total_median_ms, timing.min_ms, timing.rows
            ),
            Err(err) => println!("{text}: {err:?}"),
        }
    }
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        self.below(1000) as f64 / 1000.0
    }
}

struct Builder {
    graph: Graph,
    source: SourceIdx,
    rng: Rng,
    keys: [Arc<str>; 8],
}

impl Builder {
    fn node(&mut self, id: String, kind: NodeKind, props: Vec<(Arc<str>, Value)>) -> NodeIndex {
        let fields = Fields {
            props,
            sources: vec![self.source],
            ..Fields::default()
        };
        self.graph
            .add_node(id.clone(), kind, id, Vec::new(), fields)
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind, props: Vec<(usize, Value)>) {
        let props = props
            .into_iter()
            .map(|(key, value)| (Arc::clone(&self.keys[key]), value))
            .collect();
        let fields = Fields {
            props,
            sources: vec![self.source],
            ..Fields::default()
        };
        self.graph.add_edge(from, to, kind, fields);
    }
}

const STAGE: usize = 0;
const SHARE: usize = 1;
const YEAR: usize = 2;
const TONNES: usize = 3;
const ITEM: usize = 4;
const DEPENDENCE: usize = 5;
const SEVERITY: usize = 6;
const MEASURE: usize = 7;

/// About `target_edges` edges; the supply chain scales with the size, and
/// `imports_from` rows fill the rest.
fn synthetic(target_edges: usize) -> Graph {
    let mut graph = Graph::new();
    let source = graph.add_source(Source {
        id: "synthetic".into(),
        title: "synthetic benchmark data".into(),
        publisher: None,
        published: None,
        url: None,
        note: None,
    });
    let keys = [
        "stage",
        "share",
        "year",
        "tonnes",
        "item",
        "dependence",
        "severity",
        "measure",
    ]
    .map(Arc::from);
    let mut b = Builder {
        graph,
        source,
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        keys,
    };
    let n_minerals = (target_edges / 2_000).max(50);
    let n_products = n_minerals * 2;
    let countries: Vec<NodeIndex> = (0..COUNTRIES)
        .map(|k| b.node(format!("c{k}"), NodeKind::Country, Vec::new()))
        .collect();
    let minerals: Vec<NodeIndex> = (0..n_minerals)
        .map(|k| b.node(format!("m{k}"), NodeKind::Mineral, Vec::new()))
        .collect();
    let products: Vec<NodeIndex> = (0..n_products)
        .map(|k| b.node(format!("x{k}"), NodeKind::Product, Vec::new()))
        .collect();
    let industries: Vec<NodeIndex> = (0..INDUSTRIES)
        .map(|k| b.node(format!("i{k}"), NodeKind::Industry, Vec::new()))
        .collect();
    supply_chain(&mut b, &minerals, &products, &industries);
    production(&mut b, &countries, &minerals, &products);
    policies(&mut b, &countries, &minerals);
    trade(&mut b, &countries, &minerals, &products, target_edges);
    b.graph
}

/// Products made of three minerals or products, used in two industries;
/// five minerals used by each industry directly; industries depending on
/// three others (cycles allowed).
fn supply_chain(
    b: &mut Builder,
    minerals: &[NodeIndex],
    products: &[NodeIndex],
    industries: &[NodeIndex],
) {
    for (k, &product) in products.iter().enumerate() {
        for _ in 0..3 {
            let input = if k > 0 && b.rng.below(4) == 0 {
                products[b.rng.below(k)]
            } else {
                minerals[b.rng.below(minerals.len())]
            };
            let dependence = 0.2 + 0.8 * b.rng.unit();
            b.edge(
                input,
                product,
                EdgeKind::UsedIn,
                vec![(DEPENDENCE, Value::Number(dependence))],
            );
        }
        for _ in 0..2 {
            let industry = industries[b.rng.below(industries.len())];
            let dependence = 0.2 + 0.8 * b.rng.unit();
            b.edge(
                product,
                industry,
                EdgeKind::UsedIn,
                vec![(DEPENDENCE, Value::Number(dependence))],
            );
        }
    }
    for &industry in industries {
        for _ in 0..5 {
            let mineral = minerals[b.rng.below(minerals.len())];
            let dependence = 0.2 + 0.8 * b.rng.unit();
            b.edge(
                mineral,
                industry,
                EdgeKind::UsedIn,
                vec![(DEPENDENCE, Value::Number(dependence))],
            );
        }
        for _ in 0..3 {
            let other = industries[b.rng.below(industries.len())];
            if other != industry {
                let dependence = 0.2 + 0.6 * b.rng.unit();
                b.edge(
                    industry,
                    other,
                    EdgeKind::DependsOn,
                    vec![(DEPENDENCE, Value::Number(dependence))],
                );
            }
        }
    }
}

/// Ten producers per mineral and product, mining and refining, five years;
/// c1 always among them. Import reliance of every country on every mineral.
fn production(
    b: &mut Builder,
    countries: &[NodeIndex],
    minerals: &[NodeIndex],
    products: &[NodeIndex],
) {
    for &item in minerals.iter().chain(products) {
        for producer in 0..10 {
            let country = if producer == 0 {
                countries[1]
            } else {
                countries[b.rng.below(countries.len())]
            };
            for stage in ["mining", "refining"] {
                for year in YEARS {
                    b.edge(
                        country,
                        item,
                        EdgeKind::Produces,
                        vec![
                            (STAGE, Value::Str(stage.into())),
                            (SHARE, Value::Number(0.09)),
                            (YEAR, Value::Number(f64::from(year))),
                            (TONNES, Value::Number(1000.0)),
                        ],
                    );
                }
            }
        }
    }
    for &country in countries.iter().take(20) {
        for &mineral in minerals {
            let reliance = b.rng.unit();
            b.edge(
                country,
                mineral,
                EdgeKind::ImportReliance,
                vec![
                    (SHARE, Value::Number(reliance)),
                    (YEAR, Value::Number(2024.0)),
                ],
            );
        }
    }
}

/// Fifty policies, each issued by one country and restricting ten minerals;
/// p0 is c1's ban on minerals to c0.
fn policies(b: &mut Builder, countries: &[NodeIndex], minerals: &[NodeIndex]) {
    for k in 0..50 {
        let policy = b.node(format!("p{k}"), NodeKind::Policy, Vec::new());
        let issuer = if k == 0 {
            countries[1]
        } else {
            countries[b.rng.below(countries.len())]
        };
        b.edge(policy, issuer, EdgeKind::IssuedBy, Vec::new());
        if k == 0 {
            b.edge(policy, countries[0], EdgeKind::Targets, Vec::new());
        }
        for _ in 0..10 {
            let mineral = minerals[b.rng.below(minerals.len())];
            b.edge(
                policy,
                mineral,
                EdgeKind::Restricts,
                vec![
                    (MEASURE, Value::Str("ban".into())),
                    (SEVERITY, Value::Number(1.0)),
                ],
            );
        }
    }
}

/// `imports_from` rows (importer → exporter, item, share, year) until the
/// graph has `target_edges` edges; c0 imports every mineral from c1.
fn trade(
    b: &mut Builder,
    countries: &[NodeIndex],
    minerals: &[NodeIndex],
    products: &[NodeIndex],
    target_edges: usize,
) {
    let items: Vec<NodeIndex> = minerals.iter().chain(products).copied().collect();
    let item_ids: Vec<critmin::model::ArcStr> = items
        .iter()
        .map(|&item| b.graph.node(item).id.as_str().into())
        .collect();
    for id in item_ids.iter().take(minerals.len()) {
        b.edge(
            countries[0],
            countries[1],
            EdgeKind::ImportsFrom,
            vec![
                (ITEM, Value::Str(id.clone())),
                (SHARE, Value::Number(0.4)),
                (YEAR, Value::Number(2024.0)),
            ],
        );
    }
    while b.graph.edge_count() < target_edges {
        let importer = countries[b.rng.below(countries.len())];
        let exporter = countries[b.rng.below(countries.len())];
        if importer == exporter {
            continue;
        }
        let item = b.rng.below(items.len());
        let year = YEARS[b.rng.below(YEARS.len())];
        let share = b.rng.unit() * 0.1;
        b.edge(
            importer,
            exporter,
            EdgeKind::ImportsFrom,
            vec![
                (ITEM, Value::Str(item_ids[item].clone())),
                (SHARE, Value::Number(share)),
                (YEAR, Value::Number(f64::from(year))),
            ],
        );
    }
}
