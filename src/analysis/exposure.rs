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

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Graph, NodeIndex, NodeKind, Subgraph};

use super::TOP_PATHS;
use super::context::Context;
use super::dependence::{ChainSearch, DependenceTable};
use super::supply::{
    RestrictionFactor, SupplyShare, TradeIndex, issued_policies, policy_factor, policy_issuers,
    policy_targets, restriction_by, supply_share_in,
};

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
    #[error("{id} is {}, expected {expected}", crate::model::with_article(found.as_str()))]
    WrongKind {
        id: String,
        found: NodeKind,
        expected: &'static str,
    },
}

/// Ranked rows (their subgraph: [`ExposureReport::subgraph`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureReport {
    pub rows: Vec<ExposureRow>,
}

impl ExposureReport {
    /// The subgraph behind the rows' kept paths: each row's industry and
    /// country, and each path's issuer, chain, supply and restriction edges.
    /// Built when asked (an answer's rows carry their own evidence).
    pub fn subgraph(&self, graph: &Graph) -> Subgraph {
        let mut subgraph = Subgraph::new();
        for row in &self.rows {
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
                    subgraph.add_edge(graph, edge_idx);
                }
            }
        }
        subgraph
    }
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
    /// How many materials contributed (each over all its chains).
    pub n_materials: usize,
    /// `Σ exposure(m) ÷ Σ D(I, m)` over every material the industry depends
    /// on (in scope): the dependence-weighted share of its inputs that the
    /// supplier provides, 0..1. Does not saturate as materials are added.
    pub input_share: f64,
    /// `Σ disruption(m) ÷ Σ D(I, m)`: the expected share of the inputs
    /// disrupted, 0..1.
    pub disrupted_share: f64,
    /// The largest single-material exposure, 0..1.
    pub strongest: f64,
    /// `Σ D(I, m)` over every material the industry depends on (in scope):
    /// the denominator of the two shares.
    pub dependence_total: f64,
    /// How many materials the industry depends on (in scope), supplied by
    /// the supplier or not.
    pub n_inputs: usize,
    /// Per material and issuer: what the score is combined from. The
    /// first [`TOP_PATHS`] are the leaders by exposure (by disruption under
    /// a scenario), largest first; the rest follow in no defined order.
    pub materials: Vec<MaterialExposure>,
    /// The strongest paths, at most [`TOP_PATHS`].
    pub paths: Vec<ExposurePath>,
}

/// The exposure through one material from one issuer, over all its paths.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialExposure {
    pub material: NodeIndex,
    pub issuer: NodeIndex,
    /// The industry's dependence on the material over all its chains
    /// (see [`super::dependence`]).
    pub dependence: f64,
    pub supply_share: f64,
    /// Restricted part of the supply (the severity, for a policy).
    pub restricted: f64,
    /// `dependence × supply_share` (× severity for a policy).
    pub exposure: f64,
    /// `exposure × restricted` (= exposure for a policy).
    pub disruption: f64,
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
    exposure_for(ctx, target, supplier, None)
}

/// Which materials an exposure question is about (`for gallium, germanium`):
/// the named items and the elements of a named group (`member_of`). `None`
/// is every material.
pub type MaterialScope<'a> = Option<&'a [NodeIndex]>;

/// [`exposure`] through the materials of `scope` only (their chains, shares
/// and restrictions exactly as in the unscoped answer; the other materials
/// are left out of every row).
pub fn exposure_for(
    ctx: &Context<'_>,
    target: ExposureTarget,
    supplier: Supplier,
    scope: MaterialScope<'_>,
) -> Result<ExposureReport, AnalysisError> {
    check_supplier(ctx, supplier)?;
    let (units, keep_zero) = evaluation_units(ctx, target, supplier)?;
    let users: Vec<NodeIndex> = units.iter().map(|(_, industry)| *industry).collect();
    let table = ctx.dependence_table(&users);
    // The supply channels to this supplier, kept by the run's cache for the
    // next question in the same view (an empty memo without a cache).
    let mut supply = ctx
        .cache
        .and_then(|cache| cache.take_supply(ctx, supplier))
        .unwrap_or_default();
    let mut chains = ChainSearch::new(&table);
    let mut rows: Vec<ExposureRow> = Vec::with_capacity(units.len());
    rows.extend(
        units
            .into_iter()
            .map(|unit| exposure_row(ctx, &table, &mut chains, &mut supply, unit, supplier, scope))
            .filter(|row| keep_zero || row.score > 0.0 || row.disruption > 0.0),
    );
    if let Some(cache) = ctx.cache {
        cache.keep_supply(ctx, supplier, supply);
    }
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
    Ok(ExposureReport { rows })
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
    table: &DependenceTable,
    chains: &mut ChainSearch<'_>,
    supply: &mut SupplyMemo,
    (country, industry): Unit,
    supplier: Supplier,
    scope: MaterialScope<'_>,
) -> ExposureRow {
    let mut exposed: Vec<(MaterialExposure, usize)> = Vec::new();
    let (mut total_dependence, mut n_inputs) = (0.0, 0usize);
    for (material, dependence) in table.of(industry) {
        if scope.is_some_and(|items| items.binary_search(&material).is_err()) {
            continue;
        }
        total_dependence += dependence;
        n_inputs += 1;
        for slot in supply.channels(ctx, country, material, supplier) {
            let channel = &supply.arena[slot];
            let (severity, cut) = match supplier {
                Supplier::Policy(_) => (channel.restricted, 1.0),
                Supplier::Country(_) => (1.0, channel.restricted),
            };
            let exposure = (dependence * channel.supply.value * severity).clamp(0.0, 1.0);
            if exposure <= 0.0 {
                continue;
            }
            let line = MaterialExposure {
                material,
                issuer: channel.issuer,
                dependence,
                supply_share: channel.supply.value,
                restricted: channel.restricted,
                exposure,
                disruption: exposure * cut,
            };
            exposed.push((line, slot));
        }
    }
    // Combined in the table's order, before ranking: a baseline and a
    // scenario then add the same terms in the same order, so a row the
    // scenario does not touch scores bit for bit the same.
    let score = noisy_or(exposed.iter().map(|(line, _)| line.exposure));
    let disruption = noisy_or(exposed.iter().map(|(line, _)| line.disruption));
    let share_of_inputs = |sum: f64| {
        if total_dependence > 0.0 {
            (sum / total_dependence).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let input_share = share_of_inputs(exposed.iter().map(|(line, _)| line.exposure).sum());
    let disrupted_share = share_of_inputs(exposed.iter().map(|(line, _)| line.disruption).sum());
    let strongest = exposed
        .iter()
        .map(|(line, _)| line.exposure)
        .fold(0.0, f64::max);
    sort_materials(ctx, &mut exposed);
    let leading: Vec<&Channel> = exposed
        .iter()
        .take(TOP_PATHS)
        .map(|(_, slot)| &supply.arena[*slot])
        .collect();
    let paths = explaining_paths(ctx, chains, industry, &leading, supplier);
    let materials: Vec<MaterialExposure> = exposed.into_iter().map(|(line, _)| line).collect();
    ExposureRow {
        country,
        industry,
        score,
        disruption,
        n_materials: materials.len(),
        input_share,
        disrupted_share,
        strongest,
        dependence_total: total_dependence,
        n_inputs,
        materials,
        paths,
    }
}

/// The leading [`TOP_PATHS`] first, ranked by the number the question is
/// about (disruption under a scenario, else exposure), then the other, then
/// material and issuer id; the rest after them (a row of a dense graph has
/// thousands of materials, and only the leaders are shown).
fn sort_materials(ctx: &Context<'_>, exposed: &mut [(MaterialExposure, usize)]) {
    let what_if = !ctx.scenarios.is_empty();
    let rank = |(a, _): &(MaterialExposure, usize), (b, _): &(MaterialExposure, usize)| {
        let (first, second) = if what_if {
            (
                b.disruption.total_cmp(&a.disruption),
                b.exposure.total_cmp(&a.exposure),
            )
        } else {
            (
                b.exposure.total_cmp(&a.exposure),
                b.disruption.total_cmp(&a.disruption),
            )
        };
        first
            .then(second)
            .then_with(|| ctx.id(a.material).cmp(ctx.id(b.material)))
            .then_with(|| ctx.id(a.issuer).cmp(ctx.id(b.issuer)))
    };
    if exposed.len() > TOP_PATHS {
        exposed.select_nth_unstable_by(TOP_PATHS, rank);
    }
    let leading = exposed.len().min(TOP_PATHS);
    exposed[..leading].sort_unstable_by(rank);
}

/// The strongest chain of each leading material, scored with its supply,
/// in the materials' order.
fn explaining_paths(
    ctx: &Context<'_>,
    search: &mut ChainSearch<'_>,
    industry: NodeIndex,
    channels: &[&Channel],
    supplier: Supplier,
) -> Vec<ExposurePath> {
    if channels.is_empty() {
        return Vec::new();
    }
    let wanted: Vec<NodeIndex> = channels.iter().map(|channel| channel.material).collect();
    let chains = search.chains(ctx, industry, &wanted);
    let mut paths: Vec<ExposurePath> = channels
        .iter()
        .filter_map(|channel| {
            let chain = chains.get(&channel.material)?;
            let dependence: f64 = chain.iter().map(|link| link.weight).product();
            let severity = match supplier {
                Supplier::Policy(_) => channel.restricted,
                Supplier::Country(_) => 1.0,
            };
            let contribution = (dependence * channel.supply.value * severity).clamp(0.0, 1.0);
            let disruption = match supplier {
                Supplier::Policy(_) => contribution,
                Supplier::Country(_) => contribution * channel.restricted,
            };
            Some(ExposurePath {
                material: channel.material,
                issuer: channel.issuer,
                chain: chain.clone(),
                dependence,
                supply: channel.supply.clone(),
                restricted: channel.restricted,
                restrictions: channel.restrictions.clone(),
                contribution,
                disruption,
            })
        })
        .filter(|path| path.contribution > 0.0)
        .collect();
    paths.truncate(TOP_PATHS);
    paths
}

/// `1 − Π(1 − x)`: the chance that at least one channel is hit, if the
/// channels were independent; stays in 0..1 and never falls as x are added.
fn noisy_or(values: impl Iterator<Item = f64>) -> f64 {
    let untouched: f64 = values.map(|value| 1.0 - value.clamp(0.0, 1.0)).product();
    (1.0 - untouched).clamp(0.0, 1.0)
}

/// One way a supplier reaches a material: who ships it, what share of the
/// consumer's supply that is, and how much of it is restricted.
#[derive(Debug, Clone)]
struct Channel {
    material: NodeIndex,
    issuer: NodeIndex,
    supply: SupplyShare,
    /// The restricted part (a policy supplier: the policy's severity).
    restricted: f64,
    restrictions: Vec<RestrictionFactor>,
}

/// Supply channels to one supplier computed once per (consumer, material)
/// for a question that asks about many industries (and, in a run that keeps
/// an [`AnalysisCache`](super::AnalysisCache), for the next questions in the
/// same view); each consumer's trade facts and each issuer's policies are
/// gathered once.
#[derive(Debug, Default)]
pub(crate) struct SupplyMemo {
    /// Every channel found, addressed by slot.
    arena: Vec<Channel>,
    /// The slots of each (consumer, material).
    channels: HashMap<(Option<NodeIndex>, NodeIndex), std::ops::Range<usize>>,
    trade: HashMap<NodeIndex, Arc<TradeIndex>>,
    policies: HashMap<NodeIndex, Vec<NodeIndex>>,
}

impl SupplyMemo {
    /// The arena slots of the channels from the supplier to `country`'s
    /// supply of `material`, computed on first use.
    fn channels(
        &mut self,
        ctx: &Context<'_>,
        country: Option<NodeIndex>,
        material: NodeIndex,
        supplier: Supplier,
    ) -> std::ops::Range<usize> {
        if let Some(known) = self.channels.get(&(country, material)) {
            return known.clone();
        }
        if let Some(country) = country {
            self.trade
                .entry(country)
                .or_insert_with(|| ctx.trade_index(country));
        }
        let trade = country.and_then(|country| self.trade.get(&country).map(|trade| &**trade));
        let found: Vec<Channel> = match supplier {
            Supplier::Country(issuer) => {
                let policies = self
                    .policies
                    .entry(issuer)
                    .or_insert_with(|| issued_policies(ctx, issuer));
                supply_share_in(ctx, trade, material, issuer)
                    .map(|supply| {
                        let (restricted, restrictions) =
                            restriction_by(ctx, policies, issuer, material, country);
                        Channel {
                            material,
                            issuer,
                            supply,
                            restricted,
                            restrictions,
                        }
                    })
                    .into_iter()
                    .collect()
            }
            Supplier::Policy(policy) => policy_issuers(ctx, policy)
                .into_iter()
                .filter_map(|issuer| {
                    let factor = policy_factor(ctx, policy, material, country)?;
                    let RestrictionFactor::Policy { severity, .. } = factor else {
                        return None;
                    };
                    let supply = supply_share_in(ctx, trade, material, issuer)?;
                    Some(Channel {
                        material,
                        issuer,
                        supply,
                        restricted: severity,
                        restrictions: vec![factor],
                    })
                })
                .collect(),
        };
        let start = self.arena.len();
        self.arena.extend(found);
        let slots = start..self.arena.len();
        self.channels.insert((country, material), slots.clone());
        slots
    }
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
        // Both gallium chains run through def-radar → defense (0.9): that
        // channel's weight applies once, to their combination.
        let gallium = 0.9 * (1.0 - (1.0 - 0.9) * (1.0 - 0.6 * 0.7)) * (1.0 * 0.21);
        let expected = 1.0 - (1.0 - antimony) * (1.0 - germanium) * (1.0 - gallium);
        assert!((expected - 0.6478).abs() < 5e-5, "{expected}");
        assert_eq!(row.n_materials, 3);
        assert!(
            (row.score - expected).abs() < 1e-4,
            "{} vs {expected}",
            row.score
        );
        assert_eq!(fixture.graph.node(row.paths[0].material).id, "antimony");
        assert!((row.paths[0].contribution - 0.4284).abs() < 1e-9);
        assert!((row.materials[0].exposure - 0.4284).abs() < 1e-9);
        // The non-saturating columns: Σ exposure ÷ Σ D over the 6 inputs of
        // defense (D: antimony 0.8, germanium 0.927, gallium 0.8478, and
        // through def-radar → magnets 0.9 × 0.3 = 0.27: magnets 0.27,
        // dysprosium 0.27 × 0.6 = 0.162, rare-earths 0.27 × 0.5 = 0.135).
        assert_eq!(row.n_inputs, 6);
        let dependence_total = 0.8 + 0.927 + 0.8478 + 0.27 + 0.162 + 0.135;
        assert!((row.dependence_total - dependence_total).abs() < 1e-9);
        let input_share = (antimony + germanium + gallium) / dependence_total;
        assert!((input_share - 0.2727).abs() < 5e-5, "{input_share}");
        assert!((row.input_share - input_share).abs() < 1e-9);
        assert!((row.strongest - antimony).abs() < 1e-9);
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
        assert!((row.score - 0.8710).abs() < 5e-5, "{}", row.score);
        let materials: Vec<(&str, f64)> = row
            .materials
            .iter()
            .map(|m| (graph.node(m.material).id.as_str(), m.exposure))
            .collect();
        assert_eq!(materials.len(), 3);
        assert_eq!(materials[0].0, "antimony");
        assert!((materials[0].1 - 0.5334).abs() < 5e-5);
        assert!((materials[1].1 - 0.5292).abs() < 5e-5);
        assert!((materials[2].1 - 0.4126).abs() < 5e-5);
        let before = ctx.with_as_of(Some(day("2023-01-01")));
        assert_eq!(exposure(&before, target, ban).unwrap().rows[0].score, 0.0);
        // After the Nov 2025 suspension of clause 2, clause 1 (no dual-use
        // exports to US military users, severity 0.5) still applies.
        let latest = Context::new(graph);
        let row = &exposure(&latest, target, ban).unwrap().rows[0];
        assert!((row.score - 0.5720).abs() < 5e-5, "{}", row.score);
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
        assert!(!report.subgraph(&fixture.graph).is_empty());
        let wrong = exposure(
            &ctx,
            ExposureTarget::Country(fixture.node("germanium")),
            china,
        );
        assert!(matches!(wrong, Err(AnalysisError::WrongKind { .. })));
    }
}
