//! Exposure of a country, an industry, or a country's industry to a
//! supplier country or to one policy. The model and its formulas are in
//! `docs/EXPOSURE.md`; in short, for every dependence path from a material m
//! up to industry I:
//!
//! - `D(I, m) = 1 − Π(1 − dependence(path))` over the paths from m to I,
//! - `exposure(m) = D(I, m) × supply_share(T, m, S)` (× the policy's
//!   severity for a policy supplier), and
//! - `disruption(m) = exposure(m) × restricted(S, m, T)` (the part of that
//!   supply that policies in force and scenarios restrict),
//!
//! combined over materials as `1 − Π(1 − x)`.
//!
//! Invariant: exposure only reads the graph; scores always lie in 0..1.

use std::collections::BTreeMap;

use crate::model::{NodeIndex, NodeKind, Subgraph};

use super::closure::needs;
use super::context::Context;
use super::supply::{
    RestrictionFactor, SupplyShare, policy_factor, policy_issuers, policy_targets, restriction,
    supply_share,
};
use super::{MAX_PATH_HOPS, MAX_PATHS, TOP_PATHS};

/// Whose exposure: a country (every industry, from its point of view), an
/// industry (world view), or one country's industry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposureTarget {
    Country(NodeIndex),
    Industry(NodeIndex),
    CountryIndustry {
        country: NodeIndex,
        industry: NodeIndex,
    },
}

/// Exposure to what: a supplier country, or one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supplier {
    Country(NodeIndex),
    Policy(NodeIndex),
}

/// Why an exposure question cannot be asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// `exposure germanium to China` (germanium is no country or industry)
    #[error("{id} is a {found}, expected {expected}")]
    WrongKind {
        id: String,
        found: NodeKind,
        expected: &'static str,
    },
}

/// Ranked rows and the subgraph behind their kept paths.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureReport {
    pub rows: Vec<ExposureRow>,
    pub subgraph: Subgraph,
}

/// The exposure of one (country, industry).
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureRow {
    /// The consumer country; `None` for the world view of an industry.
    pub country: Option<NodeIndex>,
    pub industry: NodeIndex,
    /// `1 − Π(1 − exposure)` over [`ExposureRow::materials`], 0..1.
    pub score: f64,
    /// `1 − Π(1 − disruption)` over the materials, 0..1: the part
    /// restricted now (policies in force, scenarios). Equals `score` for a policy.
    pub disruption: f64,
    /// How many paths contributed (the score uses all of them).
    pub n_paths: usize,
    /// Per material and issuer, by exposure (largest first): what the
    /// score is combined from.
    pub materials: Vec<MaterialExposure>,
    /// The strongest paths, at most [`TOP_PATHS`].
    pub paths: Vec<ExposurePath>,
}

/// The exposure through one material from one issuer, over all its paths.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialExposure {
    pub material: NodeIndex,
    pub issuer: NodeIndex,
    /// `1 − Π(1 − dependence)` over the material's paths.
    pub dependence: f64,
    pub supply_share: f64,
    /// Restricted part of the supply (the severity, for a policy).
    pub restricted: f64,
    /// `dependence × supply_share` (× severity for a policy).
    pub exposure: f64,
    /// `exposure × restricted` (= exposure for a policy).
    pub disruption: f64,
    pub n_paths: usize,
}

/// One explained path: dependence chain × supply share (× restriction).
#[derive(Debug, Clone, PartialEq)]
pub struct ExposurePath {
    /// Where the supply is cut: the mineral or product at the chain's start.
    pub material: NodeIndex,
    /// The supplier country (the issuer, for a policy).
    pub issuer: NodeIndex,
    /// From the material up to the industry, each edge with its weight.
    pub chain: Vec<DependenceLink>,
    /// Product of the chain's weights.
    pub dependence: f64,
    pub supply: SupplyShare,
    /// Restricted part of the supply, 0..1 (the policy's severity for a policy).
    pub restricted: f64,
    pub restrictions: Vec<RestrictionFactor>,
    pub contribution: f64,
    pub disruption: f64,
}

/// One `used_in`, `depends_on` or `member_of` edge of a chain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DependenceLink {
    pub edge: crate::model::EdgeIndex,
    /// Its `dependence`, or the documented default.
    pub weight: f64,
}

/// A dependence chain from a material up to an industry.
#[derive(Debug, Clone, PartialEq)]
struct DependencePath {
    material: NodeIndex,
    chain: Vec<DependenceLink>,
    dependence: f64,
}

/// Exposure of `target` to `supplier` in `ctx` (its `as of` and scenarios).
///
/// Rows: one for a country's industry; one for an industry (per targeted
/// country when the supplier is a policy aimed at some countries); for a
/// country, one per industry with a non-zero score or disruption. Sorted by
/// score, then disruption (largest first), then industry and country id.
pub fn exposure(
    ctx: &Context<'_>,
    target: ExposureTarget,
    supplier: Supplier,
) -> Result<ExposureReport, AnalysisError> {
    check_supplier(ctx, supplier)?;
    let (units, keep_zero) = evaluation_units(ctx, target, supplier)?;
    let mut rows: Vec<ExposureRow> = units
        .into_iter()
        .map(|(country, industry)| exposure_row(ctx, country, industry, supplier))
        .filter(|row| keep_zero || row.score > 0.0 || row.disruption > 0.0)
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.disruption.total_cmp(&a.disruption))
            .then_with(|| ctx.id(a.industry).cmp(ctx.id(b.industry)))
            .then_with(|| {
                a.country
                    .map(|c| ctx.id(c))
                    .cmp(&b.country.map(|c| ctx.id(c)))
            })
    });
    let subgraph = report_subgraph(ctx, &rows);
    Ok(ExposureReport { rows, subgraph })
}

fn check_supplier(ctx: &Context<'_>, supplier: Supplier) -> Result<(), AnalysisError> {
    match supplier {
        Supplier::Country(country) => expect_kind(ctx, country, &[NodeKind::Country], "a country"),
        Supplier::Policy(policy) => expect_kind(ctx, policy, &[NodeKind::Policy], "a policy"),
    }
}

fn expect_kind(
    ctx: &Context<'_>,
    node: NodeIndex,
    kinds: &[NodeKind],
    expected: &'static str,
) -> Result<(), AnalysisError> {
    if kinds.contains(&ctx.kind(node)) {
        return Ok(());
    }
    Err(AnalysisError::WrongKind {
        id: ctx.id(node).to_string(),
        found: ctx.kind(node),
        expected,
    })
}

type Unit = (Option<NodeIndex>, NodeIndex);

/// The (country, industry) pairs to score, and whether zero rows are kept.
fn evaluation_units(
    ctx: &Context<'_>,
    target: ExposureTarget,
    supplier: Supplier,
) -> Result<(Vec<Unit>, bool), AnalysisError> {
    const USERS: &[NodeKind] = &[NodeKind::Industry, NodeKind::Product];
    match target {
        ExposureTarget::CountryIndustry { country, industry } => {
            expect_kind(ctx, country, &[NodeKind::Country], "a country")?;
            expect_kind(ctx, industry, USERS, "an industry or product")?;
            Ok((vec![(Some(country), industry)], true))
        }
        ExposureTarget::Industry(industry) => {
            expect_kind(ctx, industry, USERS, "an industry or product")?;
            let targets = match supplier {
                Supplier::Policy(policy) => policy_targets(ctx, policy),
                Supplier::Country(_) => Vec::new(),
            };
            if targets.is_empty() {
                return Ok((vec![(None, industry)], true));
            }
            Ok((
                targets.into_iter().map(|c| (Some(c), industry)).collect(),
                true,
            ))
        }
        ExposureTarget::Country(country) => {
            expect_kind(ctx, country, &[NodeKind::Country], "a country")?;
            let industries = ctx
                .graph
                .node_indices()
                .filter(|node| ctx.kind(*node) == NodeKind::Industry && ctx.node_active(*node))
                .map(|industry| (Some(country), industry))
                .collect();
            Ok((industries, false))
        }
    }
}

fn exposure_row(
    ctx: &Context<'_>,
    country: Option<NodeIndex>,
    industry: NodeIndex,
    supplier: Supplier,
) -> ExposureRow {
    let mut paths: Vec<ExposurePath> = dependence_paths(ctx, industry)
        .iter()
        .flat_map(|path| score_path(ctx, path, country, supplier))
        .filter(|path| path.contribution > 0.0)
        .collect();
    let materials = material_exposures(ctx, &paths, supplier);
    let score = noisy_or(materials.iter().map(|material| material.exposure));
    let disruption = noisy_or(materials.iter().map(|material| material.disruption));
    let n_paths = paths.len();
    sort_paths(ctx, &mut paths);
    paths.truncate(TOP_PATHS);
    ExposureRow {
        country,
        industry,
        score,
        disruption,
        n_paths,
        materials,
        paths,
    }
}

/// Groups paths by (material, issuer): the paths' dependences combine
/// first, `1 − Π(1 − dependence)`, and only then meet the supply share, so
/// that one supply is never counted twice and a material's exposure never
/// exceeds the supplier's share of it.
fn material_exposures(
    ctx: &Context<'_>,
    paths: &[ExposurePath],
    supplier: Supplier,
) -> Vec<MaterialExposure> {
    let mut groups: BTreeMap<(&str, &str), Vec<&ExposurePath>> = BTreeMap::new();
    for path in paths {
        let key = (ctx.id(path.material), ctx.id(path.issuer));
        groups.entry(key).or_default().push(path);
    }
    let mut materials: Vec<MaterialExposure> = groups
        .into_values()
        .filter_map(|group| {
            let first = group.first()?;
            let dependence = noisy_or(group.iter().map(|path| path.dependence));
            let (severity, restricted) = match supplier {
                Supplier::Policy(_) => (first.restricted, 1.0),
                Supplier::Country(_) => (1.0, first.restricted),
            };
            let exposure = (dependence * first.supply.value * severity).clamp(0.0, 1.0);
            Some(MaterialExposure {
                material: first.material,
                issuer: first.issuer,
                dependence,
                supply_share: first.supply.value,
                restricted: first.restricted,
                exposure,
                disruption: exposure * restricted,
                n_paths: group.len(),
            })
        })
        .collect();
    materials.sort_by(|a, b| {
        b.exposure
            .total_cmp(&a.exposure)
            .then(b.disruption.total_cmp(&a.disruption))
            .then_with(|| ctx.id(a.material).cmp(ctx.id(b.material)))
            .then_with(|| ctx.id(a.issuer).cmp(ctx.id(b.issuer)))
    });
    materials
}

/// `1 − Π(1 − x)`: the chance that at least one channel is hit, if the
/// channels were independent; stays in 0..1 and never falls as x are added.
fn noisy_or(values: impl Iterator<Item = f64>) -> f64 {
    let untouched: f64 = values.map(|value| 1.0 - value.clamp(0.0, 1.0)).product();
    (1.0 - untouched).clamp(0.0, 1.0)
}

/// Paths by the number the question is about (disruption under a scenario,
/// else contribution), then the other, then material id and chain ids.
fn sort_paths(ctx: &Context<'_>, paths: &mut [ExposurePath]) {
    let what_if = !ctx.scenarios.is_empty();
    paths.sort_by(|a, b| {
        let (first, second) = if what_if {
            (
                b.disruption.total_cmp(&a.disruption),
                b.contribution.total_cmp(&a.contribution),
            )
        } else {
            (
                b.contribution.total_cmp(&a.contribution),
                b.disruption.total_cmp(&a.disruption),
            )
        };
        first
            .then(second)
            .then_with(|| ctx.id(a.material).cmp(ctx.id(b.material)))
            .then_with(|| chain_ids(ctx, &a.chain).cmp(&chain_ids(ctx, &b.chain)))
            .then_with(|| ctx.id(a.issuer).cmp(ctx.id(b.issuer)))
    });
}

fn chain_ids<'g>(ctx: &Context<'g>, chain: &[DependenceLink]) -> Vec<&'g str> {
    chain
        .iter()
        .map(|link| ctx.id(ctx.graph.endpoints(link.edge).1))
        .collect()
}

fn score_path(
    ctx: &Context<'_>,
    path: &DependencePath,
    country: Option<NodeIndex>,
    supplier: Supplier,
) -> Vec<ExposurePath> {
    match supplier {
        Supplier::Country(issuer) => country_path(ctx, path, country, issuer)
            .into_iter()
            .collect(),
        Supplier::Policy(policy) => policy_issuers(ctx, policy)
            .into_iter()
            .filter_map(|issuer| policy_path(ctx, path, country, policy, issuer))
            .collect(),
    }
}

fn country_path(
    ctx: &Context<'_>,
    path: &DependencePath,
    country: Option<NodeIndex>,
    issuer: NodeIndex,
) -> Option<ExposurePath> {
    let supply = supply_share(ctx, country, path.material, issuer)?;
    let (restricted, restrictions) = restriction(ctx, issuer, path.material, country);
    let contribution = (path.dependence * supply.value).clamp(0.0, 1.0);
    Some(ExposurePath {
        material: path.material,
        issuer,
        chain: path.chain.clone(),
        dependence: path.dependence,
        supply,
        restricted,
        restrictions,
        contribution,
        disruption: contribution * restricted,
    })
}

fn policy_path(
    ctx: &Context<'_>,
    path: &DependencePath,
    country: Option<NodeIndex>,
    policy: NodeIndex,
    issuer: NodeIndex,
) -> Option<ExposurePath> {
    let factor = policy_factor(ctx, policy, path.material, country)?;
    let RestrictionFactor::Policy { severity, .. } = factor else {
        return None;
    };
    let supply = supply_share(ctx, country, path.material, issuer)?;
    let contribution = (path.dependence * supply.value * severity).clamp(0.0, 1.0);
    Some(ExposurePath {
        material: path.material,
        issuer,
        chain: path.chain.clone(),
        dependence: path.dependence,
        supply,
        restricted: severity,
        restrictions: vec![factor],
        contribution,
        disruption: contribution,
    })
}

/// Every simple chain (at most [`MAX_PATH_HOPS`] edges, at most
/// [`MAX_PATHS`] chains) from a material up to `industry`.
fn dependence_paths(ctx: &Context<'_>, industry: NodeIndex) -> Vec<DependencePath> {
    let mut walk = PathWalk {
        ctx,
        on_path: vec![industry],
        links: Vec::new(),
        found: Vec::new(),
    };
    walk.walk(industry, 1.0);
    walk.found
}

struct PathWalk<'a, 'g> {
    ctx: &'a Context<'g>,
    on_path: Vec<NodeIndex>,
    links: Vec<DependenceLink>,
    found: Vec<DependencePath>,
}

impl PathWalk<'_, '_> {
    fn walk(&mut self, node: NodeIndex, dependence: f64) {
        if self.links.len() >= MAX_PATH_HOPS {
            return;
        }
        for step in needs(self.ctx, node) {
            if self.found.len() >= MAX_PATHS || self.on_path.contains(&step.next) {
                continue;
            }
            let next_dependence = dependence * step.weight;
            self.on_path.push(step.next);
            self.links.push(DependenceLink {
                edge: step.edge,
                weight: step.weight,
            });
            if self.ctx.is_material(step.next) {
                self.found.push(DependencePath {
                    material: step.next,
                    chain: self.links.iter().rev().copied().collect(),
                    dependence: next_dependence,
                });
            }
            self.walk(step.next, next_dependence);
            self.on_path.pop();
            self.links.pop();
        }
    }
}

fn report_subgraph(ctx: &Context<'_>, rows: &[ExposureRow]) -> Subgraph {
    let mut subgraph = Subgraph::new();
    for row in rows {
        subgraph.add_node(row.industry);
        if let Some(country) = row.country {
            subgraph.add_node(country);
        }
        for path in &row.paths {
            subgraph.add_node(path.issuer);
            let chain = path.chain.iter().map(|link| link.edge);
            let restricts = path.restrictions.iter().filter_map(|factor| match factor {
                RestrictionFactor::Policy { restricts_edge, .. } => Some(*restricts_edge),
                RestrictionFactor::Scenario { .. } => None,
            });
            for edge_idx in chain.chain(path.supply.edges()).chain(restricts) {
                subgraph.add_edge(ctx.graph, edge_idx);
            }
        }
    }
    subgraph
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    fn us_defense(fixture: &Fixture) -> ExposureTarget {
        ExposureTarget::CountryIndustry {
            country: fixture.node("us"),
            industry: fixture.node("defense"),
        }
    }

    /// The hand computation of `docs/EXPOSURE.md` on the fixture.
    #[test]
    fn us_defense_exposure_to_the_2024_ban_matches_the_hand_computation() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2025-07-01")));
        let ban = Supplier::Policy(fixture.node("cn-mofcom-2024-46"));
        let report = exposure(&ctx, us_defense(&fixture), ban).unwrap();
        let row = &report.rows[0];
        let antimony: f64 = 0.8 * (0.85 * 0.63);
        let germanium = (1.0 - (1.0 - 0.9) * (1.0 - 0.9 * 0.6 * 0.5)) * (0.5 * 0.54);
        let gallium = (1.0 - (1.0 - 0.9 * 0.9) * (1.0 - 0.9 * 0.6 * 0.7)) * (1.0 * 0.21);
        let expected = 1.0 - (1.0 - antimony) * (1.0 - germanium) * (1.0 - gallium);
        assert!((expected - 0.6508).abs() < 5e-5, "{expected}");
        assert_eq!(row.n_paths, 5);
        assert!(
            (row.score - expected).abs() < 1e-4,
            "{} vs {expected}",
            row.score
        );
        assert_eq!(fixture.graph.node(row.paths[0].material).id, "antimony");
        assert!((row.paths[0].contribution - 0.4284).abs() < 1e-9);
    }

    /// Worked example 1 of `docs/EXPOSURE.md`, on the bundled graph.
    #[test]
    fn bundled_us_defense_exposure_to_mofcom_2024_46_matches_the_docs() {
        let loaded = crate::load::load_bundled().unwrap();
        let graph = &loaded.graph;
        let node = |id: &str| graph.node_by_id(id).unwrap();
        let ctx = Context::new(graph).with_as_of(Some(day("2025-07-01")));
        let target = ExposureTarget::CountryIndustry {
            country: node("united-states"),
            industry: node("defense"),
        };
        let ban = Supplier::Policy(node("cn-mofcom-2024-46"));
        let row = &exposure(&ctx, target, ban).unwrap().rows[0];
        assert!((row.score - 0.8422).abs() < 5e-5, "{}", row.score);
        let materials: Vec<(&str, f64)> = row
            .materials
            .iter()
            .map(|m| (graph.node(m.material).id.as_str(), m.exposure))
            .collect();
        assert_eq!(materials.len(), 3);
        assert_eq!(materials[0].0, "gallium");
        assert!((materials[0].1 - 0.5292).abs() < 5e-5);
        assert!((materials[1].1 - 0.5286).abs() < 5e-5);
        assert!((materials[2].1 - 0.2889).abs() < 5e-5);
        let before = ctx.with_as_of(Some(day("2023-01-01")));
        assert_eq!(exposure(&before, target, ban).unwrap().rows[0].score, 0.0);
    }

    #[test]
    fn before_august_2023_no_chinese_germanium_control_applies() {
        let fixture = Fixture::new();
        let china = Supplier::Country(fixture.node("china"));
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2023-07-31")));
        let report = exposure(&ctx, us_defense(&fixture), china).unwrap();
        assert!(report.rows[0].score > 0.0);
        assert_eq!(report.rows[0].disruption, 0.0);
        let later = ctx.with_as_of(Some(day("2023-08-01")));
        let report = exposure(&later, us_defense(&fixture), china).unwrap();
        assert!(report.rows[0].disruption > 0.0);
    }

    #[test]
    fn suspended_policy_no_longer_exposes() {
        let fixture = Fixture::new();
        let ban = Supplier::Policy(fixture.node("cn-mofcom-2024-46"));
        let at = |text: &str| {
            let ctx = Context::new(&fixture.graph).with_as_of(Some(day(text)));
            exposure(&ctx, us_defense(&fixture), ban).unwrap().rows[0].score
        };
        assert!(at("2025-01-01") > 0.0);
        assert_eq!(at("2025-11-10"), 0.0);
        assert_eq!(at("2024-12-01"), 0.0);
    }

    #[test]
    fn industry_view_of_a_targeted_policy_reports_the_targeted_country() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2025-07-01")));
        let ban = Supplier::Policy(fixture.node("cn-mofcom-2024-46"));
        let target = ExposureTarget::Industry(fixture.node("defense"));
        let report = exposure(&ctx, target, ban).unwrap();
        assert_eq!(report.rows.len(), 1);
        assert_eq!(report.rows[0].country, Some(fixture.node("us")));
    }

    #[test]
    fn country_view_ranks_industries_and_rejects_wrong_kinds() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let china = Supplier::Country(fixture.node("china"));
        let report = exposure(&ctx, ExposureTarget::Country(fixture.node("us")), china).unwrap();
        assert!(report.rows.len() >= 4);
        assert!(
            report
                .rows
                .windows(2)
                .all(|pair| pair[0].score >= pair[1].score)
        );
        assert!(report.rows.iter().all(|row| row.paths.len() <= TOP_PATHS));
        assert!(!report.subgraph.is_empty());
        let wrong = exposure(
            &ctx,
            ExposureTarget::Country(fixture.node("germanium")),
            china,
        );
        assert!(matches!(wrong, Err(AnalysisError::WrongKind { .. })));
    }
}
