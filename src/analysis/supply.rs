//! Supply shares and restrictions: how much of a consumer's supply of an
//! item comes from a supplier country, and how much of that supply is
//! restricted by the supplier's policies in force or by a scenario.
//!
//! Invariant: supply reads the graph through the [`Context`] and never mutates it.

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex};

use super::concentration::{latest_production_edges, production_item};
use super::condition::coverage_factor;
use super::context::Context;
use super::{DEFAULT_BAN_SEVERITY, DEFAULT_SEVERITY, STALE_IMPORT_YEARS};

/// The share of a consumer's supply of an item that comes from a supplier.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyShare {
    /// 0..1.
    pub value: f64,
    pub basis: SupplyBasis,
}

/// How a supply share was found, with the numbers and edges used.
#[derive(Debug, Clone, PartialEq)]
pub enum SupplyBasis {
    /// `reliance × import_share + domestic` from the consumer's trade data.
    Imports {
        reliance: f64,
        reliance_edge: EdgeIndex,
        import_share: f64,
        import_edges: Vec<EdgeIndex>,
        /// `1 − reliance` when the supplier is the consumer itself, else 0.
        domestic: f64,
    },
    /// `reliance × world share + domestic`: reliance is known, the origin of
    /// the imports is not, so they are assumed to follow world production.
    RelianceAndWorld {
        reliance: f64,
        reliance_edge: EdgeIndex,
        world: WorldShare,
        domestic: f64,
    },
    /// The supplier's world production share (no consumer, or no trade data).
    World(WorldShare),
}

/// A supplier's world production share at one stage in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldShare {
    pub share: f64,
    /// Whose production table: the item, or the group of an element
    /// without figures of its own.
    pub item: NodeIndex,
    pub stage: Option<String>,
    pub year: Option<i32>,
    pub edge: EdgeIndex,
}

/// Why part of a supply counts as restricted.
#[derive(Debug, Clone, PartialEq)]
pub enum RestrictionFactor {
    /// A policy in force that restricts the item (or its group).
    Policy {
        policy: NodeIndex,
        severity: f64,
        restricts_edge: EdgeIndex,
    },
    /// A scenario ban or cut (`fraction` 1 for a ban).
    Scenario { fraction: f64 },
}

impl SupplyShare {
    /// Every edge the share was computed from.
    pub fn edges(&self) -> Vec<EdgeIndex> {
        match &self.basis {
            SupplyBasis::Imports {
                reliance_edge,
                import_edges,
                ..
            } => std::iter::once(*reliance_edge)
                .chain(import_edges.iter().copied())
                .collect(),
            SupplyBasis::RelianceAndWorld {
                reliance_edge,
                world,
                ..
            } => vec![*reliance_edge, world.edge],
            SupplyBasis::World(world) => vec![world.edge],
        }
    }
}

/// `import_reliance(country, item)`: the latest net import reliance (0..1).
pub fn import_reliance(ctx: &Context<'_>, country: NodeIndex, item: NodeIndex) -> Option<f64> {
    let edges: Vec<(EdgeIndex, NodeIndex)> = ctx
        .graph
        .edges_of(country, EdgeKind::ImportReliance, Direction::Outgoing)
        .into_iter()
        .filter(|(_, to)| *to == item)
        .collect();
    reliance_edge(ctx, &edges).map(|(_, reliance)| reliance)
}

/// The share of `consumer`'s supply of `item` that comes from `supplier`
/// (see `docs/EXPOSURE.md`): trade data where the consumer has it, else the
/// supplier's world share at its strongest stage. `None` when nothing links
/// the supplier to the item.
pub fn supply_share(
    ctx: &Context<'_>,
    consumer: Option<NodeIndex>,
    item: NodeIndex,
    supplier: NodeIndex,
) -> Option<SupplyShare> {
    let trade = consumer.map(|consumer| TradeIndex::new(ctx, consumer));
    supply_share_in(ctx, trade.as_ref(), item, supplier)
}

/// A consumer's trade facts by item, gathered in one pass over its edges,
/// so that a question over many items does not rescan a hub country.
#[derive(Debug)]
pub(crate) struct TradeIndex {
    consumer: NodeIndex,
    reliance: HashMap<NodeIndex, Vec<(EdgeIndex, NodeIndex)>>,
    /// `imports_from` edges with a `share`, by the item they carry, with
    /// the origin country.
    imports: HashMap<NodeIndex, Vec<(EdgeIndex, NodeIndex)>>,
}

impl TradeIndex {
    pub(crate) fn new(ctx: &Context<'_>, consumer: NodeIndex) -> TradeIndex {
        let mut reliance: HashMap<NodeIndex, Vec<(EdgeIndex, NodeIndex)>> = HashMap::default();
        for (edge_idx, item) in
            ctx.graph
                .edges_of(consumer, EdgeKind::ImportReliance, Direction::Outgoing)
        {
            reliance.entry(item).or_default().push((edge_idx, item));
        }
        let mut imports: HashMap<NodeIndex, Vec<(EdgeIndex, NodeIndex)>> = HashMap::default();
        for (edge_idx, origin) in
            ctx.graph
                .edges_of(consumer, EdgeKind::ImportsFrom, Direction::Outgoing)
        {
            if ctx.number(edge_idx, "share").is_none() {
                continue;
            }
            let item = ctx
                .text(edge_idx, "item")
                .and_then(|id| ctx.graph.node_by_id(id));
            if let Some(item) = item {
                imports.entry(item).or_default().push((edge_idx, origin));
            }
        }
        TradeIndex {
            consumer,
            reliance,
            imports,
        }
    }
}

/// [`supply_share`] with the consumer's trade facts already gathered
/// (`None`: the world view).
pub(crate) fn supply_share_in(
    ctx: &Context<'_>,
    trade: Option<&TradeIndex>,
    item: NodeIndex,
    supplier: NodeIndex,
) -> Option<SupplyShare> {
    let world = world_share(ctx, item, supplier);
    let Some(trade) = trade else {
        return world.map(world_basis);
    };
    let trade_item = trade_item(ctx, trade, item);
    let reliance_edges = trade
        .reliance
        .get(&trade_item)
        .map_or(&[][..], Vec::as_slice);
    let Some((reliance_edge, reliance)) = reliance_edge(ctx, reliance_edges) else {
        return world.map(world_basis);
    };
    let domestic = if trade.consumer == supplier {
        1.0 - reliance
    } else {
        0.0
    };
    let reliance_year = ctx.fact_date(reliance_edge).map(|date| date.year());
    let basis = match import_share(ctx, trade, trade_item, supplier, reliance_year) {
        Some((import_share, import_edges)) => SupplyBasis::Imports {
            reliance,
            reliance_edge,
            import_share,
            import_edges,
            domestic,
        },
        None => SupplyBasis::RelianceAndWorld {
            reliance,
            reliance_edge,
            world: world?,
            domestic,
        },
    };
    let value = match &basis {
        SupplyBasis::Imports { import_share, .. } => reliance * import_share + domestic,
        SupplyBasis::RelianceAndWorld { world, .. } => reliance * world.share + domestic,
        SupplyBasis::World(world) => world.share,
    };
    Some(SupplyShare {
        value: value.clamp(0.0, 1.0),
        basis,
    })
}

/// The policies `issuer` issued (active on the evaluation day).
pub(crate) fn issued_policies(ctx: &Context<'_>, issuer: NodeIndex) -> Vec<NodeIndex> {
    ctx.edges(issuer, EdgeKind::IssuedBy, Direction::Incoming)
        .into_iter()
        .map(|(_, policy)| policy)
        .collect()
}

/// The part (0..1) of `issuer`'s supply of `item` to `consumer` that is
/// restricted: `policies` (those the issuer issued, [`issued_policies`]) in
/// force, restricting the item or a group it belongs to, aimed at the
/// consumer or at everyone; plus scenario bans and cuts. Combined as
/// `1 − Π(1 − severity)`.
pub(crate) fn restriction_by(
    ctx: &Context<'_>,
    policies: &[NodeIndex],
    issuer: NodeIndex,
    item: NodeIndex,
    consumer: Option<NodeIndex>,
) -> (f64, Vec<RestrictionFactor>) {
    let mut factors = Vec::new();
    for &policy in policies {
        if let Some(factor) = policy_factor(ctx, policy, item, consumer) {
            factors.push(factor);
        }
    }
    for scenario in &ctx.scenarios {
        let fraction = item_and_groups(ctx, item)
            .into_iter()
            .filter_map(|covered| scenario.restricted_fraction(issuer, covered, consumer))
            .reduce(f64::max);
        if let Some(fraction) = fraction {
            factors.push(RestrictionFactor::Scenario { fraction });
        }
    }
    (combined_fraction(&factors), factors)
}

/// A policy's restriction of `item` for `consumer`, if it is in force, aims
/// at the consumer (or at everyone) and restricts the item or its group.
pub fn policy_factor(
    ctx: &Context<'_>,
    policy: NodeIndex,
    item: NodeIndex,
    consumer: Option<NodeIndex>,
) -> Option<RestrictionFactor> {
    if !ctx.policy_in_force(policy) || !policy_applies_to(ctx, policy, consumer) {
        return None;
    }
    let covered = item_and_groups(ctx, item);
    ctx.edges(policy, EdgeKind::Restricts, Direction::Outgoing)
        .into_iter()
        .filter(|(_, restricted)| covered.contains(restricted))
        .filter(|(edge_idx, _)| ctx.clause_in_force(policy, *edge_idx))
        .map(|(edge_idx, _)| (edge_idx, severity(ctx, edge_idx)))
        .reduce(|best, next| if next.1 > best.1 { next } else { best })
        .map(|(restricts_edge, severity)| RestrictionFactor::Policy {
            policy,
            severity,
            restricts_edge,
        })
}

/// Countries a policy aims at (`targets`), sorted by id; empty = everyone.
pub fn policy_targets(ctx: &Context<'_>, policy: NodeIndex) -> Vec<NodeIndex> {
    let mut targets: Vec<NodeIndex> = ctx
        .edges(policy, EdgeKind::Targets, Direction::Outgoing)
        .into_iter()
        .map(|(_, country)| country)
        .collect();
    targets.sort_by_key(|country| ctx.id(*country));
    targets.dedup();
    targets
}

/// Countries that issued a policy, sorted by id.
pub fn policy_issuers(ctx: &Context<'_>, policy: NodeIndex) -> Vec<NodeIndex> {
    let mut issuers: Vec<NodeIndex> = ctx
        .edges(policy, EdgeKind::IssuedBy, Direction::Outgoing)
        .into_iter()
        .map(|(_, country)| country)
        .collect();
    issuers.sort_by_key(|country| ctx.id(*country));
    issuers.dedup();
    issuers
}

/// The item and the groups it is a member of (`member_of`).
pub fn item_and_groups(ctx: &Context<'_>, item: NodeIndex) -> Vec<NodeIndex> {
    let mut covered = vec![item];
    for (_, group) in ctx.edges(item, EdgeKind::MemberOf, Direction::Outgoing) {
        covered.push(group);
    }
    covered
}

fn policy_applies_to(ctx: &Context<'_>, policy: NodeIndex, consumer: Option<NodeIndex>) -> bool {
    let targets = policy_targets(ctx, policy);
    targets.is_empty() || consumer.is_some_and(|consumer| targets.contains(&consumer))
}

/// The edge's severity (or the default for its measure) times the part of
/// the flow its condition covers ([`coverage_factor`]: 1 when unconditional).
fn severity(ctx: &Context<'_>, restricts_edge: EdgeIndex) -> f64 {
    let severity = match ctx.number(restricts_edge, "severity") {
        Some(severity) => severity.clamp(0.0, 1.0),
        None => match ctx.text(restricts_edge, "measure") {
            Some("ban" | "suspension") => DEFAULT_BAN_SEVERITY,
            _ => DEFAULT_SEVERITY,
        },
    };
    severity * coverage_factor(ctx.graph, restricts_edge)
}

fn combined_fraction(factors: &[RestrictionFactor]) -> f64 {
    let untouched: f64 = factors
        .iter()
        .map(|factor| match factor {
            RestrictionFactor::Policy { severity, .. } => 1.0 - severity,
            RestrictionFactor::Scenario { fraction } => 1.0 - fraction,
        })
        .product();
    1.0 - untouched
}

fn world_basis(world: WorldShare) -> SupplyShare {
    SupplyShare {
        value: world.share,
        basis: SupplyBasis::World(world),
    }
}

/// The supplier's largest share over the latest table of every stage: its
/// grip on the item at the stage it dominates. An element without figures
/// of its own (a rare earth) takes its group's.
fn world_share(ctx: &Context<'_>, item: NodeIndex, supplier: NodeIndex) -> Option<WorldShare> {
    let of = production_item(ctx, item);
    latest_production_edges(ctx, of)
        .into_iter()
        .filter(|producer| producer.country == supplier)
        .filter_map(|producer| {
            Some(WorldShare {
                share: producer.share?.clamp(0.0, 1.0),
                item: of,
                stage: ctx.text(producer.edge, "stage").map(str::to_lowercase),
                year: ctx.fact_date(producer.edge).map(|date| date.year()),
                edge: producer.edge,
            })
        })
        .reduce(|best, next| if next.share > best.share { next } else { best })
}

/// The item whose trade figures stand for `item`: itself when the consumer
/// has a reliance figure for it, else the first group (by id) it has one
/// for (US reliance on rare-earth compounds stands for neodymium's).
fn trade_item(ctx: &Context<'_>, trade: &TradeIndex, item: NodeIndex) -> NodeIndex {
    if trade.reliance.contains_key(&item) {
        return item;
    }
    ctx.groups_of(item)
        .into_iter()
        .find(|group| trade.reliance.contains_key(group))
        .unwrap_or(item)
}

/// The consumer's latest import reliance on the item, as of the evaluation
/// day. Reliance is structural: when no figure is dated on or before that
/// day, the earliest later one stands in (the explanation says so), rather
/// than switching the model to world shares for want of an older figure.
fn reliance_edge(ctx: &Context<'_>, edges: &[(EdgeIndex, NodeIndex)]) -> Option<(EdgeIndex, f64)> {
    let mut candidates = ctx.latest_facts(edges);
    if candidates.is_empty() {
        candidates = ctx.earliest_facts(edges);
    }
    candidates
        .into_iter()
        .filter_map(|(edge_idx, _)| {
            Some((edge_idx, ctx.number(edge_idx, "share")?.clamp(0.0, 1.0)))
        })
        .reduce(|best, next| if next.1 > best.1 { next } else { best })
}

/// The supplier's share of the consumer's imports of the item in the latest
/// period with shares (`imports_from` edges without a `share`, such as
/// tonnes-only trade notes, are ignored); `None` when the consumer has no
/// import breakdown for the item, or only one that ended more than
/// [`STALE_IMPORT_YEARS`] before the reliance figure's year.
fn import_share(
    ctx: &Context<'_>,
    trade: &TradeIndex,
    item: NodeIndex,
    supplier: NodeIndex,
    reliance_year: Option<i32>,
) -> Option<(f64, Vec<EdgeIndex>)> {
    // Only figures with a share make a breakdown: a rank (USGS lists the
    // major sources in order, without shares) is never read as a share.
    let with_share: Vec<(EdgeIndex, NodeIndex)> = trade
        .imports
        .get(&item)?
        .iter()
        .copied()
        .filter(|(edge_idx, _)| ctx.number(*edge_idx, "share").is_some())
        .collect();
    let latest = ctx.latest_facts(&with_share);
    let ended = latest
        .iter()
        .filter_map(|(edge_idx, _)| period_end_year(ctx, *edge_idx))
        .max();
    if let (Some(ended), Some(reliance_year)) = (ended, reliance_year) {
        if ended + STALE_IMPORT_YEARS < reliance_year {
            return None;
        }
    }
    if latest.is_empty() {
        return None;
    }
    let from_supplier: Vec<EdgeIndex> = latest
        .into_iter()
        .filter(|(_, origin)| *origin == supplier)
        .map(|(edge_idx, _)| edge_idx)
        .collect();
    let total: f64 = from_supplier
        .iter()
        .filter_map(|edge_idx| ctx.number(*edge_idx, "share"))
        .sum();
    Some((total.clamp(0.0, 1.0), from_supplier))
}

/// The last year a trade figure covers: its validity's end, else its date.
fn period_end_year(ctx: &Context<'_>, edge_idx: EdgeIndex) -> Option<i32> {
    ctx.graph
        .edge(edge_idx)
        .valid
        .to
        .or_else(|| ctx.fact_date(edge_idx))
        .map(|date| date.year())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    #[test]
    fn trade_data_wins_over_world_share() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let (us, china, germanium) = (
            fixture.node("us"),
            fixture.node("china"),
            fixture.node("germanium"),
        );
        let supply = supply_share(&ctx, Some(us), germanium, china).unwrap();
        assert!((supply.value - 0.5 * 0.54).abs() < 1e-12);
        assert!(matches!(supply.basis, SupplyBasis::Imports { .. }));
        let world = supply_share(&ctx, None, germanium, china).unwrap();
        assert!((world.value - 0.83).abs() < 1e-12);
    }

    #[test]
    fn restriction_follows_policy_dates() {
        let fixture = Fixture::new();
        let (us, china, germanium) = (
            fixture.node("us"),
            fixture.node("china"),
            fixture.node("germanium"),
        );
        let at = |text: &str| {
            let ctx = Context::new(&fixture.graph).with_as_of(Some(day(text)));
            restriction_by(
                &ctx,
                &issued_policies(&ctx, china),
                china,
                germanium,
                Some(us),
            )
            .0
        };
        assert_eq!(at("2023-07-31"), 0.0);
        assert!((at("2023-08-01") - 0.5).abs() < 1e-12);
        assert!((at("2025-01-01") - 1.0).abs() < 1e-12);
        assert!((at("2025-12-01") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn group_policies_cover_their_elements() {
        let fixture = Fixture::new();
        let (us, china, dysprosium) = (
            fixture.node("us"),
            fixture.node("china"),
            fixture.node("dysprosium"),
        );
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2025-06-01")));
        let policies = issued_policies(&ctx, china);
        let (fraction, factors) = restriction_by(&ctx, &policies, china, dysprosium, Some(us));
        assert!((fraction - 0.5).abs() < 1e-12);
        assert_eq!(factors.len(), 1);
    }
}
