//! Exposure scoped to materials (`exposure US to China for germanium`) and
//! exposure to a material from all its suppliers (`exposure US to
//! germanium`): which items a scope covers, and who supplies them.

use crate::model::{Direction, EdgeKind, NodeIndex, NodeKind};

use super::context::Context;
use super::supply::supply_share;

/// The items a scope covers: each named item and, for a group
/// (`rare-earths`), its elements (`member_of`). Sorted, for binary search.
pub fn scope_items(ctx: &Context<'_>, named: &[NodeIndex]) -> Vec<NodeIndex> {
    let mut items: Vec<NodeIndex> = named.to_vec();
    for item in named {
        for (_, element) in ctx.edges(*item, EdgeKind::MemberOf, Direction::Incoming) {
            items.push(element);
        }
    }
    items.sort_unstable();
    items.dedup();
    items
}

/// The countries with a non-zero share of `consumer`'s supply (the world
/// market, for `None`) of any of `items`, by id: the suppliers an exposure
/// to a material is split over.
pub fn material_suppliers(
    ctx: &Context<'_>,
    consumer: Option<NodeIndex>,
    items: &[NodeIndex],
) -> Vec<NodeIndex> {
    let mut suppliers: Vec<NodeIndex> = ctx
        .graph
        .node_indices()
        .filter(|node| ctx.kind(*node) == NodeKind::Country && ctx.node_active(*node))
        .filter(|country| {
            items.iter().any(|item| {
                supply_share(ctx, consumer, *item, *country).is_some_and(|share| share.value > 0.0)
            })
        })
        .collect();
    suppliers.sort_by_key(|country| ctx.id(*country));
    suppliers
}
