//! Property tests of the analysis module on random graphs built through the
//! model API: exposure bounds and monotonicity, closure termination and
//! order independence, and HHI arithmetic.

use critmin::analysis::{
    Context, ExposureTarget, Scenario, Supplier, concentration, dependents, depends, exposure,
    exposure_for, exposure_with_scenario, exposure_with_scenarios, hhi_of, tiered_exposure,
};
use critmin::export::native;
use critmin::model::{EdgeKind, Fields, Graph, NodeIndex, NodeKind, Source, SourceIdx, Value};
use proptest::prelude::*;
use std::sync::Arc;

/// A random supply chain: minerals and products used in products and
/// industries (cycles allowed), industries depending on industries, and
/// two producer countries per material.
#[derive(Debug, Clone)]
struct Spec {
    n_minerals: usize,
    n_products: usize,
    n_industries: usize,
    /// (material index, user index, dependence); materials are minerals then
    /// products, users are products then industries.
    used_in: Vec<(usize, usize, f64)>,
    depends_on: Vec<(usize, usize, f64)>,
    /// (supplier share, other producer share) per material.
    shares: Vec<(f64, f64)>,
    /// Sort keys giving a permutation of the edges.
    order: Vec<u32>,
}

/// Variations of one spec, to compare two builds.
#[derive(Debug, Clone, Default)]
struct Build {
    supplier_bump: Option<(usize, f64)>,
    without_supplier: bool,
    extra_used_in: Option<(usize, usize, f64)>,
    permuted: bool,
}

#[derive(Debug, Clone)]
enum EdgeSpec {
    Link(String, EdgeKind, String, Vec<(Arc<str>, Value)>),
}

fn spec() -> impl Strategy<Value = Spec> {
    (1..4usize, 0..3usize, 1..4usize).prop_flat_map(|(m, p, i)| {
        let used_in = prop::collection::vec((0..m + p, 0..p + i, 0.0..=1.0f64), 0..12);
        let depends_on = prop::collection::vec((0..i, 0..i, 0.0..=1.0f64), 0..6);
        let shares = prop::collection::vec((0.0..0.5f64, 0.0..0.5f64), m + p);
        let order = prop::collection::vec(any::<u32>(), 64);
        (Just((m, p, i)), used_in, depends_on, shares, order).prop_map(
            |((m, p, i), used_in, depends_on, shares, order)| Spec {
                n_minerals: m,
                n_products: p,
                n_industries: i,
                used_in,
                depends_on,
                shares,
                order,
            },
        )
    })
}

impl Spec {
    fn material(&self, index: usize) -> String {
        if index < self.n_minerals {
            format!("m{index}")
        } else {
            format!("p{}", index - self.n_minerals)
        }
    }

    fn user(&self, index: usize) -> String {
        if index < self.n_products {
            format!("p{index}")
        } else {
            format!("i{}", index - self.n_products)
        }
    }

    fn edges(&self, build: &Build) -> Vec<EdgeSpec> {
        let mut edges = Vec::new();
        let mut used_in = self.used_in.clone();
        used_in.extend(build.extra_used_in);
        for (from, to, dependence) in used_in {
            let (from, to) = (self.material(from), self.user(to));
            if from != to {
                let props = vec![(Arc::from("dependence"), Value::Number(dependence))];
                edges.push(EdgeSpec::Link(from, EdgeKind::UsedIn, to, props));
            }
        }
        for (from, to, dependence) in &self.depends_on {
            let props = vec![(Arc::from("dependence"), Value::Number(*dependence))];
            edges.push(EdgeSpec::Link(
                format!("i{from}"),
                EdgeKind::DependsOn,
                format!("i{to}"),
                props,
            ));
        }
        for (index, (supplier, other)) in self.shares.iter().enumerate() {
            let bump = match build.supplier_bump {
                Some((bumped, amount)) if bumped == index => amount,
                _ => 0.0,
            };
            if !build.without_supplier {
                edges.push(produces("s", &self.material(index), supplier + bump));
            }
            edges.push(produces("o", &self.material(index), *other));
        }
        edges.push(produces("s2", "lonely", 0.9));
        if build.permuted {
            let mut keyed: Vec<(u32, usize, EdgeSpec)> = edges
                .into_iter()
                .enumerate()
                .map(|(position, edge)| (self.order[position % self.order.len()], position, edge))
                .collect();
            keyed.sort_by_key(|(key, position, _)| (*key, *position));
            edges = keyed.into_iter().map(|(_, _, edge)| edge).collect();
        }
        edges
    }

    fn build(&self, build: &Build) -> Graph {
        let mut graph = Graph::new();
        let source = graph.add_source(Source {
            id: "prop".into(),
            title: "property test".into(),
            publisher: None,
            published: None,
            url: None,
            note: None,
        });
        let mut nodes: Vec<(String, NodeKind)> = Vec::new();
        nodes.extend((0..self.n_minerals).map(|k| (format!("m{k}"), NodeKind::Mineral)));
        nodes.extend((0..self.n_products).map(|k| (format!("p{k}"), NodeKind::Product)));
        nodes.extend((0..self.n_industries).map(|k| (format!("i{k}"), NodeKind::Industry)));
        nodes.push(("lonely".into(), NodeKind::Mineral));
        for country in ["t", "s", "o", "s2"] {
            nodes.push((country.into(), NodeKind::Country));
        }
        for (id, kind) in nodes {
            let fields = Fields {
                sources: vec![source],
                ..Fields::default()
            };
            graph.add_node(id.clone(), kind, id, Vec::new(), fields);
        }
        for edge in self.edges(build) {
            add(&mut graph, source, edge);
        }
        graph
    }
}

fn produces(country: &str, item: &str, share: f64) -> EdgeSpec {
    let props = vec![
        (Arc::from("stage"), Value::Str("refining".into())),
        (Arc::from("share"), Value::Number(share)),
        (Arc::from("year"), Value::Number(2024.0)),
    ];
    EdgeSpec::Link(country.into(), EdgeKind::Produces, item.into(), props)
}

fn add(graph: &mut Graph, source: SourceIdx, edge: EdgeSpec) {
    let EdgeSpec::Link(from, kind, to, props) = edge;
    let from = graph.node_by_id(&from).unwrap();
    let to = graph.node_by_id(&to).unwrap();
    let fields = Fields {
        props,
        sources: vec![source],
        ..Fields::default()
    };
    graph.add_edge(from, to, kind, fields);
}

fn node(graph: &Graph, id: &str) -> NodeIndex {
    graph.node_by_id(id).unwrap()
}

/// Score of every industry of `t` to `supplier`, by industry id.
fn scores(graph: &Graph, spec: &Spec, supplier: &str) -> Vec<f64> {
    let ctx = Context::new(graph);
    (0..spec.n_industries)
        .map(|k| {
            let target = ExposureTarget::CountryIndustry {
                country: node(graph, "t"),
                industry: node(graph, &format!("i{k}")),
            };
            let report = exposure(&ctx, target, Supplier::Country(node(graph, supplier))).unwrap();
            report.rows[0].score
        })
        .collect()
}

type Closure = Vec<(String, usize, f64)>;

fn closure_sets(graph: &Graph, start: &str) -> (Closure, Closure) {
    let ctx = Context::new(graph);
    let start = node(graph, start);
    let view = |reaches: Vec<critmin::analysis::Reach>| {
        let mut view: Closure = reaches
            .into_iter()
            .map(|r| (graph.node(r.node).id.clone(), r.depth, r.weight))
            .collect();
        view.sort_by(|a, b| a.0.cmp(&b.0));
        view
    };
    (
        view(depends(&ctx, start, None)),
        view(dependents(&ctx, start, None)),
    )
}

fn same_closure(a: &Closure, b: &Closure) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.0 == y.0 && x.1 == y.1 && (x.2 - y.2).abs() < 1e-12)
}

proptest! {
    #[test]
    fn exposure_stays_within_zero_and_one(spec in spec()) {
        let graph = spec.build(&Build::default());
        let ctx = Context::new(&graph);
        let supplier = Supplier::Country(node(&graph, "s"));
        let report = exposure(&ctx, ExposureTarget::Country(node(&graph, "t")), supplier).unwrap();
        for row in &report.rows {
            prop_assert!((0.0..=1.0).contains(&row.score));
            prop_assert!((0.0..=1.0).contains(&row.disruption));
        }
        let world = exposure(&ctx, ExposureTarget::Industry(node(&graph, "i0")), supplier).unwrap();
        prop_assert!((0.0..=1.0).contains(&world.rows[0].score));
    }

    #[test]
    fn adding_a_path_never_lowers_exposure(
        spec in spec(),
        extra in (0..6usize, 0..6usize, 0.0..=1.0f64),
    ) {
        let n_materials = spec.n_minerals + spec.n_products;
        let n_users = spec.n_products + spec.n_industries;
        let extra = (extra.0 % n_materials, extra.1 % n_users, extra.2);
        let before = scores(&spec.build(&Build::default()), &spec, "s");
        let with_path = Build { extra_used_in: Some(extra), ..Build::default() };
        let after = scores(&spec.build(&with_path), &spec, "s");
        for (old, new) in before.iter().zip(&after) {
            prop_assert!(new + 1e-12 >= *old, "{old} fell to {new}");
        }
    }

    #[test]
    fn raising_the_supplier_share_never_lowers_exposure(
        spec in spec(),
        material in 0..6usize,
        bump in 0.0..0.5f64,
    ) {
        let material = material % spec.shares.len();
        let before = scores(&spec.build(&Build::default()), &spec, "s");
        let raised = Build { supplier_bump: Some((material, bump)), ..Build::default() };
        let after = scores(&spec.build(&raised), &spec, "s");
        for (old, new) in before.iter().zip(&after) {
            prop_assert!(new + 1e-12 >= *old, "{old} fell to {new}");
        }
    }

    #[test]
    fn removing_the_supplier_edges_zeroes_exposure(spec in spec()) {
        let without = Build { without_supplier: true, ..Build::default() };
        let graph = spec.build(&without);
        prop_assert!(scores(&graph, &spec, "s").iter().all(|score| *score == 0.0));
        let ctx = Context::new(&graph);
        let supplier = Supplier::Country(node(&graph, "s"));
        let report = exposure(&ctx, ExposureTarget::Country(node(&graph, "t")), supplier).unwrap();
        prop_assert!(report.rows.is_empty());
    }

    #[test]
    fn a_supplier_without_a_path_has_no_exposure(spec in spec()) {
        let graph = spec.build(&Build::default());
        prop_assert!(scores(&graph, &spec, "s2").iter().all(|score| *score == 0.0));
    }

    #[test]
    fn closures_terminate_and_ignore_edge_order(spec in spec()) {
        let graph = spec.build(&Build::default());
        let shuffled = spec.build(&Build { permuted: true, ..Build::default() });
        let starts = ["m0", "i0", "s"];
        for start in starts {
            let (up, down) = closure_sets(&graph, start);
            let (up_shuffled, down_shuffled) = closure_sets(&shuffled, start);
            prop_assert!(same_closure(&up, &up_shuffled), "{up:?} vs {up_shuffled:?}");
            prop_assert!(same_closure(&down, &down_shuffled), "{down:?} vs {down_shuffled:?}");
        }
    }

    #[test]
    fn assuming_leaves_the_loaded_graph_unchanged(
        spec in spec(),
        material in 0..6usize,
        fraction in 0.0..=1.0f64,
        ban in any::<bool>(),
    ) {
        let graph = spec.build(&Build::default());
        let before = native::to_json(&graph, None);
        let material = node(&graph, &spec.material(material % (spec.n_minerals + spec.n_products)));
        let (supplier, target) = (node(&graph, "s"), node(&graph, "t"));
        let scenario = if ban {
            Scenario::Ban { issuer: supplier, item: material, to: Some(target) }
        } else {
            Scenario::Cut { issuer: supplier, item: material, fraction, to: None }
        };
        let ctx = Context::new(&graph);
        let report = exposure_with_scenario(
            &ctx,
            ExposureTarget::Country(target),
            Supplier::Country(supplier),
            scenario,
        );
        prop_assert!(report.is_ok());
        prop_assert_eq!(before, native::to_json(&graph, None));
    }

    #[test]
    fn two_scenarios_together_never_disrupt_less_than_either_alone(
        spec in spec(),
        first in 0..6usize,
        second in 0..6usize,
        fraction in 0.0..=1.0f64,
    ) {
        let graph = spec.build(&Build::default());
        let n = spec.n_minerals + spec.n_products;
        let (supplier, target) = (node(&graph, "s"), node(&graph, "t"));
        let ban = Scenario::Ban {
            issuer: supplier,
            item: node(&graph, &spec.material(first % n)),
            to: Some(target),
        };
        let cut = Scenario::Cut {
            issuer: supplier,
            item: node(&graph, &spec.material(second % n)),
            fraction,
            to: None,
        };
        let ctx = Context::new(&graph);
        let report = exposure_with_scenarios(
            &ctx,
            ExposureTarget::Country(target),
            Supplier::Country(supplier),
            &[ban, cut],
            None,
        )
        .unwrap();
        for change in &report.changes {
            let combined = change.scenario.as_ref().map_or(0.0, |row| row.disruption);
            let baseline = change.baseline.as_ref().map_or(0.0, |row| row.disruption);
            prop_assert_eq!(change.by_scenario.len(), 2);
            for alone in &change.by_scenario {
                prop_assert!(
                    combined + 1e-12 >= baseline + alone,
                    "combined {combined} below baseline {baseline} + one scenario {alone}"
                );
            }
        }
    }

    #[test]
    fn tiered_exposure_with_one_tier_is_todays_exposure(spec in spec(), tiers in 1..3usize) {
        let graph = spec.build(&Build::default());
        let ctx = Context::new(&graph);
        let (target, supplier) = (node(&graph, "t"), node(&graph, "s"));
        let industries: Vec<NodeIndex> = (0..spec.n_industries)
            .map(|index| node(&graph, &format!("i{index}")))
            .collect();
        let today = exposure(&ctx, ExposureTarget::Country(target), Supplier::Country(supplier)).unwrap();
        let tiered = tiered_exposure(&ctx, target, &industries, supplier, None, 1);
        let scored: Vec<_> = today.rows.iter().filter(|row| row.score > 0.0).collect();
        prop_assert_eq!(scored.len(), tiered.len());
        for (plain, tier) in scored.iter().zip(&tiered) {
            prop_assert_eq!(plain.industry, tier.industry);
            prop_assert!((plain.score - tier.score).abs() < 1e-12, "{} vs {}", plain.score, tier.score);
            prop_assert!((plain.disruption - tier.disruption).abs() < 1e-12);
        }
        // More tiers never lower a score (routes only add supply).
        let more = tiered_exposure(&ctx, target, &industries, supplier, None, tiers + 1);
        for row in &tiered {
            let deeper = more.iter().find(|other| other.industry == row.industry);
            prop_assert!(deeper.is_some_and(|other| other.score + 1e-12 >= row.score));
        }
    }

    #[test]
    fn scoping_exposure_to_every_material_changes_nothing(spec in spec()) {
        let graph = spec.build(&Build::default());
        let ctx = Context::new(&graph);
        let target = ExposureTarget::Country(node(&graph, "t"));
        let supplier = Supplier::Country(node(&graph, "s"));
        let mut every: Vec<NodeIndex> = (0..spec.n_minerals + spec.n_products)
            .map(|index| node(&graph, &spec.material(index)))
            .collect();
        every.sort_unstable();
        let unscoped = exposure(&ctx, target, supplier).unwrap();
        let scoped = exposure_for(&ctx, target, supplier, Some(&every)).unwrap();
        prop_assert_eq!(unscoped, scoped);
    }

    #[test]
    fn hhi_is_ten_thousand_times_the_sum_of_squared_shares(
        shares in prop::collection::vec(0.0..=1.0f64, 0..8),
    ) {
        let expected: f64 = 10_000.0 * shares.iter().map(|s| s * s).sum::<f64>();
        prop_assert!((hhi_of(&shares) - expected).abs() < 1e-9);
    }

    #[test]
    fn hhi_falls_as_equal_producers_are_added(n_producers in 1..12usize) {
        let hhi_for = |n: usize| {
            let mut graph = Graph::new();
            let source = graph.add_source(Source {
                id: "prop".into(), title: "hhi".into(), publisher: None,
                published: None, url: None, note: None,
            });
            let fields = || Fields { sources: vec![source], ..Fields::default() };
            let item = graph.add_node("x".into(), NodeKind::Mineral, "x".into(), Vec::new(), fields());
            for k in 0..n {
                let id = format!("c{k}");
                graph.add_node(id.clone(), NodeKind::Country, id.clone(), Vec::new(), fields());
                add(&mut graph, source, produces(&id, "x", 1.0 / n as f64));
            }
            let ctx = Context::new(&graph);
            concentration(&ctx, item, None, None)[0].hhi
        };
        let hhi = hhi_for(n_producers);
        prop_assert!((hhi - 10_000.0 / n_producers as f64).abs() < 1e-6);
        prop_assert!(hhi_for(n_producers + 1) < hhi);
        if n_producers == 1 {
            prop_assert!((hhi - 10_000.0).abs() < 1e-9);
        }
    }
}
