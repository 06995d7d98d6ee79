//! Tiered sourcing: exposure that follows `imports_from` through
//! intermediate countries to their own suppliers (`exposure US to "DR Congo"
//! tiers 2`: US ← Norway (refined) ← DR Congo (feed)).
//!
//! For a consumer T, material m and supplier S, with at most `tiers` tiers:
//!
//! - tier 1 is today's supply share σ(T, m, S) (docs/EXPOSURE.md);
//! - a route adds, for each intermediate C that T's import breakdown names
//!   (C ≠ S, C ≠ T): `r_T × import share of C` × σ(C, m, S), where σ(C, m, S)
//!   comes from C's own trade data (its reliance and import breakdown, or
//!   reliance × world share); deeper tiers repeat this from C;
//! - a C without a reliance figure for m has an **unknown feed**: the route
//!   stops there and is reported, never assumed to be domestic supply.
//!
//! Restriction: the direct part is restricted as for T; a route's part as
//! S's supply to the country that buys from S (a ban aimed at T does not
//! reach Norway's purchases). With one tier the answer is today's exposure.
//!
//! Invariant: only reads the graph; shares stay in 0..1.

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex, NodeKind};

use super::context::Context;
use super::supply::{SupplyBasis, issued_policies, restriction_by, supply_share};

/// Most tiers a question may ask for.
pub const MAX_TIERS: usize = 4;

/// One hop of a route: `buyer` gets `share` of its supply of the item from
/// `seller`, as the listed edges state.
#[derive(Debug, Clone, PartialEq)]
pub struct TierHop {
    pub buyer: NodeIndex,
    pub seller: NodeIndex,
    pub share: f64,
    pub edges: Vec<EdgeIndex>,
}

/// A route from the supplier to the consumer through intermediates.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRoute {
    /// From the consumer outwards: T ← C1 ← … ← S.
    pub hops: Vec<TierHop>,
    /// Product of the hop shares.
    pub share: f64,
    /// Part of S's supply to the last buyer that is restricted.
    pub restricted: f64,
}

/// The supplier's share of the consumer's supply of one item, over tiers.
#[derive(Debug, Clone, PartialEq)]
pub struct TieredSupply {
    /// Tier 1: σ(T, m, S) as in plain exposure.
    pub direct: f64,
    pub direct_restricted: f64,
    pub routes: Vec<TierRoute>,
    /// Intermediates whose own feed of the item is unknown (no reliance
    /// figure), with the share of the consumer's supply they stand for.
    pub unknown_feed: Vec<(NodeIndex, f64)>,
}

impl TieredSupply {
    /// `direct + Σ route shares`, at most 1.
    pub fn value(&self) -> f64 {
        (self.direct + self.routes.iter().map(|route| route.share).sum::<f64>()).clamp(0.0, 1.0)
    }

    /// The restricted part of [`TieredSupply::value`].
    pub fn restricted_value(&self) -> f64 {
        let routes: f64 = self
            .routes
            .iter()
            .map(|route| route.share * route.restricted)
            .sum();
        (self.direct * self.direct_restricted + routes).clamp(0.0, 1.0)
    }
}

/// The tiered supply of `item` from `supplier` to `consumer`.
pub fn tiered_supply(
    ctx: &Context<'_>,
    consumer: NodeIndex,
    item: NodeIndex,
    supplier: NodeIndex,
    tiers: usize,
) -> TieredSupply {
    let policies = issued_policies(ctx, supplier);
    let restricted_to =
        |buyer: NodeIndex| restriction_by(ctx, &policies, supplier, item, Some(buyer)).0;
    let direct = supply_share(ctx, Some(consumer), item, supplier).map_or(0.0, |share| share.value);
    let mut tiered = TieredSupply {
        direct,
        direct_restricted: restricted_to(consumer),
        routes: Vec::new(),
        unknown_feed: Vec::new(),
    };
    let mut hops = Vec::new();
    extend_routes(
        ctx,
        consumer,
        item,
        supplier,
        tiers.clamp(1, MAX_TIERS),
        1.0,
        &mut hops,
        &mut tiered,
        &restricted_to,
    );
    tiered
}

/// From `buyer` (reached with `share` of the consumer's supply along
/// `hops`), adds a route through each intermediate its breakdown names.
#[allow(clippy::too_many_arguments)]
fn extend_routes(
    ctx: &Context<'_>,
    buyer: NodeIndex,
    item: NodeIndex,
    supplier: NodeIndex,
    tiers_left: usize,
    share: f64,
    hops: &mut Vec<TierHop>,
    tiered: &mut TieredSupply,
    restricted_to: &dyn Fn(NodeIndex) -> f64,
) {
    if tiers_left < 2 {
        return;
    }
    for (seller, hop_share, edges) in import_breakdown(ctx, buyer, item) {
        let on_route = seller == supplier
            || seller == buyer
            || hops
                .iter()
                .any(|hop| hop.buyer == seller || hop.seller == seller);
        if on_route || hop_share <= 0.0 {
            continue;
        }
        let reached = share * hop_share;
        hops.push(TierHop {
            buyer,
            seller,
            share: hop_share,
            edges,
        });
        match supply_share(ctx, Some(seller), item, supplier) {
            Some(feed) if !matches!(feed.basis, SupplyBasis::World(_)) => {
                let mut feed_edges = Vec::new();
                if let SupplyBasis::Imports {
                    reliance_edge,
                    import_edges,
                    ..
                } = &feed.basis
                {
                    feed_edges.push(*reliance_edge);
                    feed_edges.extend(import_edges);
                } else if let SupplyBasis::RelianceAndWorld {
                    reliance_edge,
                    world,
                    ..
                } = &feed.basis
                {
                    feed_edges.extend([*reliance_edge, world.edge]);
                }
                if feed.value > 0.0 {
                    let mut route_hops = hops.clone();
                    route_hops.push(TierHop {
                        buyer: seller,
                        seller: supplier,
                        share: feed.value,
                        edges: feed_edges,
                    });
                    tiered.routes.push(TierRoute {
                        hops: route_hops,
                        share: reached * feed.value,
                        restricted: restricted_to(seller),
                    });
                }
                extend_routes(
                    ctx,
                    seller,
                    item,
                    supplier,
                    tiers_left - 1,
                    reached,
                    hops,
                    tiered,
                    restricted_to,
                );
            }
            _ => tiered.unknown_feed.push((seller, reached)),
        }
        hops.pop();
    }
}

/// The countries `buyer`'s import breakdown names for `item`, each with its
/// share of the buyer's supply (`reliance × import share`) and the edges
/// that state it. Only shares from the breakdown count: where the buyer has
/// none, no intermediate is known.
fn import_breakdown(
    ctx: &Context<'_>,
    buyer: NodeIndex,
    item: NodeIndex,
) -> Vec<(NodeIndex, f64, Vec<EdgeIndex>)> {
    let mut origins: Vec<NodeIndex> = ctx
        .edges(buyer, EdgeKind::ImportsFrom, Direction::Outgoing)
        .into_iter()
        .filter(|(edge, _)| ctx.number(*edge, "share").is_some())
        .map(|(_, origin)| origin)
        .filter(|origin| ctx.kind(*origin) == NodeKind::Country)
        .collect();
    origins.sort_by_key(|origin| ctx.id(*origin));
    origins.dedup();
    origins
        .into_iter()
        .filter_map(|origin| {
            let share = supply_share(ctx, Some(buyer), item, origin)?;
            match share.basis {
                SupplyBasis::Imports {
                    reliance,
                    reliance_edge,
                    import_share,
                    import_edges,
                    ..
                } => {
                    let mut edges = vec![reliance_edge];
                    edges.extend(import_edges);
                    Some((origin, reliance * import_share, edges))
                }
                _ => None,
            }
        })
        .collect()
}

/// Tiered exposure of one country's industry: per material with a
/// dependence, `D × tiered σ` (exposure) and `D × restricted part`
/// (disruption), combined as `1 − Π(1 − x)` like plain exposure.
#[derive(Debug, Clone, PartialEq)]
pub struct TieredRow {
    pub industry: NodeIndex,
    pub score: f64,
    pub disruption: f64,
    /// The score from tier 1 alone (today's exposure).
    pub direct_score: f64,
    /// Per material: dependence and its tiered supply, by exposure.
    pub materials: Vec<(NodeIndex, f64, TieredSupply)>,
}

/// Tiered exposure of `country`'s `industries` to `supplier`, through the
/// materials of `scope` (every material when `None`), rows by score.
pub fn tiered_exposure(
    ctx: &Context<'_>,
    country: NodeIndex,
    industries: &[NodeIndex],
    supplier: NodeIndex,
    scope: Option<&[NodeIndex]>,
    tiers: usize,
) -> Vec<TieredRow> {
    let table = ctx.dependence_table(industries);
    let mut memo: Vec<(NodeIndex, TieredSupply)> = Vec::new();
    let mut rows: Vec<TieredRow> = industries
        .iter()
        .map(|industry| {
            let mut materials = Vec::new();
            for (material, dependence) in table.of(*industry) {
                if scope.is_some_and(|items| items.binary_search(&material).is_err()) {
                    continue;
                }
                let supply = match memo.iter().find(|(known, _)| *known == material) {
                    Some((_, supply)) => supply.clone(),
                    None => {
                        let supply = tiered_supply(ctx, country, material, supplier, tiers);
                        memo.push((material, supply.clone()));
                        supply
                    }
                };
                if supply.value() > 0.0 || !supply.unknown_feed.is_empty() {
                    materials.push((material, dependence, supply));
                }
            }
            let term = |f: &dyn Fn(&TieredSupply) -> f64| {
                let untouched: f64 = materials
                    .iter()
                    .map(|(_, d, supply)| 1.0 - (d * f(supply)).clamp(0.0, 1.0))
                    .product();
                (1.0 - untouched).clamp(0.0, 1.0)
            };
            let score = term(&TieredSupply::value);
            let disruption = term(&TieredSupply::restricted_value);
            let direct_score = term(&|supply: &TieredSupply| supply.direct);
            materials.sort_by(|a, b| {
                (b.1 * b.2.value())
                    .total_cmp(&(a.1 * a.2.value()))
                    .then_with(|| ctx.id(a.0).cmp(ctx.id(b.0)))
            });
            TieredRow {
                industry: *industry,
                score,
                disruption,
                direct_score,
                materials,
            }
        })
        .filter(|row| row.score > 0.0)
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.disruption.total_cmp(&a.disruption))
            .then_with(|| ctx.id(a.industry).cmp(ctx.id(b.industry)))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    /// docs/EXPOSURE.md, "Tiered sourcing", worked example: US germanium
    /// from Russia, directly and through Canada; China's feed is unknown.
    #[test]
    fn us_germanium_from_russia_through_canada_matches_the_docs() {
        let mut fixture = Fixture::new();
        fixture.edge(
            "canada",
            EdgeKind::ImportReliance,
            "germanium",
            &[("share", "0.4"), ("year", "2024")],
        );
        fixture.edge(
            "canada",
            EdgeKind::ImportsFrom,
            "russia",
            &[
                ("item", "germanium"),
                ("share", "0.5"),
                ("period", "2020-2023"),
            ],
        );
        let ctx = Context::new(&fixture.graph);
        let (us, germanium, russia) = (
            fixture.node("us"),
            fixture.node("germanium"),
            fixture.node("russia"),
        );
        // Tier 1: the US breakdown (China 0.54, Canada 0.2) names no
        // Russian share, so Russia supplies the US nothing directly.
        let one = tiered_supply(&ctx, us, germanium, russia, 1);
        assert_eq!(one.value(), 0.0);
        assert!(one.routes.is_empty());
        // Tier 2: + US ← Canada (0.5 × 0.2 = 0.1) ← Russia (0.4 × 0.5 = 0.2).
        let two = tiered_supply(&ctx, us, germanium, russia, 2);
        assert_eq!(two.routes.len(), 1);
        let route = &two.routes[0];
        let ids: Vec<&str> = route
            .hops
            .iter()
            .map(|hop| fixture.graph.node(hop.seller).id.as_str())
            .collect();
        assert_eq!(ids, ["canada", "russia"]);
        assert!((route.hops[0].share - 0.1).abs() < 1e-12);
        assert!((route.hops[1].share - 0.2).abs() < 1e-12);
        assert!((route.share - 0.02).abs() < 1e-12);
        assert!((two.value() - 0.02).abs() < 1e-12, "{}", two.value());
        // China (0.5 × 0.54 = 0.27 of US supply) has no reliance figure:
        // its feed is unknown and not assumed domestic.
        assert_eq!(two.unknown_feed, vec![(fixture.node("china"), 0.5 * 0.54)]);
        // def-ir depends on germanium 0.9: exposure 0.9 × 0.02 = 0.018,
        // all of it through Canada.
        let def_ir = fixture.node("def-ir");
        let rows = tiered_exposure(&ctx, us, &[def_ir], russia, None, 2);
        assert!((rows[0].score - 0.018).abs() < 1e-12, "{}", rows[0].score);
        assert_eq!(rows[0].direct_score, 0.0);
    }
}
