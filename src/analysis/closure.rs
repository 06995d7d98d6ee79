//! Dependency closures: `depends` walks upstream (what a node needs, down to
//! raw minerals and who produces them), `dependents` downstream (everything
//! that needs a node). Each reached node keeps its strongest path.
//!
//! Invariant: closures only read the graph; they terminate on any graph,
//! cycles included, and their result does not depend on edge order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex, NodeKind, Subgraph};

use super::concentration::latest_production_edges;
use super::context::Context;
use super::{DEFAULT_DEPENDENCE, DEFAULT_UMBRELLA_DEPENDENCE};

/// A node reached by a closure, with its strongest path from the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    pub node: NodeIndex,
    /// Edges on the strongest path (fewest among equally strong ones).
    pub depth: usize,
    /// Product of the path's weights (`dependence`, or `share` for a
    /// `produces` edge, `severity` for a `restricts` edge), 0..1.
    pub weight: f64,
    /// The path's edges in walking order, starting at the start node.
    pub path: Vec<EdgeIndex>,
}

/// One move of a walk: the edge, the node it leads to, and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub edge: EdgeIndex,
    pub next: NodeIndex,
    pub weight: f64,
}

/// Everything `node` needs, up to `max_depth` edges away (`None` = no limit):
/// materials it is made of (`used_in` backwards), industries it depends on
/// (`depends_on`), elements of a group mineral (`member_of` backwards), and
/// the producers of every material reached (latest year of each stage,
/// weighted by their share). By weight (largest first), then id.
pub fn depends(ctx: &Context<'_>, node: NodeIndex, max_depth: Option<usize>) -> Vec<Reach> {
    closure(ctx, node, max_depth, upstream_steps)
}

/// Everything that needs `node`, up to `max_depth` edges away: its users
/// (`used_in`), industries depending on it (`depends_on` backwards), the
/// groups it belongs to (`member_of`). From a country the walk starts along
/// its latest `produces` edges (weight = share); from a policy along its
/// `restricts` edges (weight = severity). By weight, then id.
pub fn dependents(ctx: &Context<'_>, node: NodeIndex, max_depth: Option<usize>) -> Vec<Reach> {
    closure(ctx, node, max_depth, downstream_steps)
}

/// The start node, every reached node and every edge on the kept paths.
pub fn reach_subgraph(ctx: &Context<'_>, start: NodeIndex, reaches: &[Reach]) -> Subgraph {
    let mut subgraph = Subgraph::new();
    subgraph.add_node(start);
    for reach in reaches {
        subgraph.add_node(reach.node);
        for edge_idx in &reach.path {
            subgraph.add_edge(ctx.graph, *edge_idx);
        }
    }
    subgraph
}

/// What a node needs directly, without producers: the steps exposure follows.
pub(crate) fn needs(ctx: &Context<'_>, node: NodeIndex) -> Vec<Step> {
    let mut steps = Vec::new();
    for (edge, next) in ctx.edges(node, EdgeKind::UsedIn, Direction::Incoming) {
        steps.push(step(ctx, edge, next, DEFAULT_DEPENDENCE));
    }
    for (edge, next) in ctx.edges(node, EdgeKind::DependsOn, Direction::Outgoing) {
        steps.push(step(ctx, edge, next, DEFAULT_UMBRELLA_DEPENDENCE));
    }
    for (edge, next) in ctx.edges(node, EdgeKind::MemberOf, Direction::Incoming) {
        steps.push(step(ctx, edge, next, DEFAULT_DEPENDENCE));
    }
    steps
}

fn upstream_steps(ctx: &Context<'_>, node: NodeIndex) -> Vec<Step> {
    let mut steps = needs(ctx, node);
    if ctx.is_material(node) {
        for producer in latest_production_edges(ctx, node) {
            steps.push(Step {
                edge: producer.edge,
                next: producer.country,
                weight: producer.share.unwrap_or(0.0),
            });
        }
    }
    steps
}

fn downstream_steps(ctx: &Context<'_>, node: NodeIndex) -> Vec<Step> {
    let mut steps = Vec::new();
    for (edge, next) in ctx.edges(node, EdgeKind::UsedIn, Direction::Outgoing) {
        steps.push(step(ctx, edge, next, DEFAULT_DEPENDENCE));
    }
    for (edge, next) in ctx.edges(node, EdgeKind::DependsOn, Direction::Incoming) {
        steps.push(step(ctx, edge, next, DEFAULT_UMBRELLA_DEPENDENCE));
    }
    for (edge, next) in ctx.edges(node, EdgeKind::MemberOf, Direction::Outgoing) {
        steps.push(step(ctx, edge, next, DEFAULT_DEPENDENCE));
    }
    match ctx.kind(node) {
        NodeKind::Country => steps.extend(production_steps(ctx, node)),
        NodeKind::Policy => steps.extend(restriction_steps(ctx, node)),
        _ => {}
    }
    steps
}

fn production_steps(ctx: &Context<'_>, country: NodeIndex) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut items: Vec<NodeIndex> = ctx
        .edges(country, EdgeKind::Produces, Direction::Outgoing)
        .into_iter()
        .map(|(_, item)| item)
        .collect();
    items.dedup();
    for item in items {
        for producer in latest_production_edges(ctx, item) {
            if producer.country == country {
                steps.push(Step {
                    edge: producer.edge,
                    next: item,
                    weight: producer.share.unwrap_or(0.0),
                });
            }
        }
    }
    steps
}

fn restriction_steps(ctx: &Context<'_>, policy: NodeIndex) -> Vec<Step> {
    ctx.edges(policy, EdgeKind::Restricts, Direction::Outgoing)
        .into_iter()
        .map(|(edge, next)| {
            let weight = ctx
                .number(edge, "severity")
                .unwrap_or(super::DEFAULT_SEVERITY);
            Step {
                edge,
                next,
                weight: weight.clamp(0.0, 1.0),
            }
        })
        .collect()
}

fn step(ctx: &Context<'_>, edge: EdgeIndex, next: NodeIndex, default: f64) -> Step {
    let weight = ctx.number(edge, "dependence").unwrap_or(default);
    Step {
        edge,
        next,
        weight: weight.clamp(0.0, 1.0),
    }
}

/// Hop-bounded best-path relaxation (Bellman–Ford by rounds): after round
/// k every node holds its strongest path of at most k edges. Weights are at
/// most 1, so a cycle never strengthens a path and rounds stop at the
/// number of nodes.
fn closure(
    ctx: &Context<'_>,
    start: NodeIndex,
    max_depth: Option<usize>,
    steps_of: fn(&Context<'_>, NodeIndex) -> Vec<Step>,
) -> Vec<Reach> {
    let limit = max_depth.unwrap_or(usize::MAX).min(ctx.graph.node_count());
    let origin = Reach {
        node: start,
        depth: 0,
        weight: 1.0,
        path: Vec::new(),
    };
    let mut best: BTreeMap<NodeIndex, Reach> = BTreeMap::new();
    let mut frontier = vec![origin];
    for _round in 0..limit {
        // Ctrl-C: stop early; `eval` turns the partial answer into an error.
        if crate::cancel::requested() {
            break;
        }
        let mut improved: BTreeMap<NodeIndex, Reach> = BTreeMap::new();
        for from in &frontier {
            for step in steps_of(ctx, from.node) {
                if step.next == start {
                    continue;
                }
                let mut path = from.path.clone();
                path.push(step.edge);
                let candidate = Reach {
                    node: step.next,
                    depth: from.depth + 1,
                    weight: from.weight * step.weight,
                    path,
                };
                if is_better(ctx, &candidate, best.get(&step.next)) {
                    best.insert(step.next, candidate.clone());
                    improved.insert(step.next, candidate);
                }
            }
        }
        if improved.is_empty() {
            break;
        }
        frontier = improved.into_values().collect();
    }
    let mut reaches: Vec<Reach> = best.into_values().collect();
    reaches.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| ctx.id(a.node).cmp(ctx.id(b.node)))
    });
    reaches
}

/// Stronger wins; then fewer edges; then the path whose node ids come first.
fn is_better(ctx: &Context<'_>, candidate: &Reach, current: Option<&Reach>) -> bool {
    let Some(current) = current else {
        return true;
    };
    let order = candidate
        .weight
        .total_cmp(&current.weight)
        .then(current.depth.cmp(&candidate.depth))
        .then_with(|| path_ids(ctx, &current.path).cmp(&path_ids(ctx, &candidate.path)));
    order == Ordering::Greater
}

fn path_ids<'g>(ctx: &Context<'g>, path: &[EdgeIndex]) -> Vec<(&'g str, &'g str, EdgeKind)> {
    path.iter()
        .map(|edge_idx| {
            let (from, to) = ctx.graph.endpoints(*edge_idx);
            (ctx.id(from), ctx.id(to), ctx.graph.edge(*edge_idx).kind)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    fn ids(ctx: &Context<'_>, reaches: &[Reach]) -> Vec<String> {
        reaches
            .iter()
            .map(|reach| ctx.id(reach.node).to_string())
            .collect()
    }

    #[test]
    fn defense_depends_on_minerals_and_their_producers() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let reaches = depends(&ctx, fixture.node("defense"), Some(3));
        let found = ids(&ctx, &reaches);
        for expected in ["def-ir", "germanium", "antimony", "gallium", "china"] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected} missing: {found:?}"
            );
        }
        let germanium = reaches
            .iter()
            .find(|r| ctx.id(r.node) == "germanium")
            .unwrap();
        assert_eq!(germanium.depth, 2);
        assert!((germanium.weight - 0.9).abs() < 1e-12);
        assert!(
            reaches
                .windows(2)
                .all(|pair| pair[0].weight >= pair[1].weight)
        );
    }

    #[test]
    fn dependents_of_germanium_reach_defense_through_the_strongest_path() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let reaches = dependents(&ctx, fixture.node("germanium"), None);
        let defense = reaches
            .iter()
            .find(|r| ctx.id(r.node) == "defense")
            .unwrap();
        assert!((defense.weight - 0.9).abs() < 1e-12);
        assert_eq!(defense.depth, 2);
    }

    #[test]
    fn dysprosium_users_include_group_users() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let found = ids(&ctx, &dependents(&ctx, fixture.node("dysprosium"), None));
        assert!(found.contains(&"rare-earths".to_string()));
        assert!(found.contains(&"magnets".to_string()));
    }

    #[test]
    fn as_of_hides_edges_not_yet_valid() {
        let fixture = Fixture::new();
        let early = Context::new(&fixture.graph).with_as_of(Some(day("2019-01-01")));
        let found = ids(&early, &dependents(&early, fixture.node("germanium"), None));
        assert!(!found.contains(&"fiber".to_string()));
        let now = Context::new(&fixture.graph);
        let found = ids(&now, &dependents(&now, fixture.node("germanium"), None));
        assert!(found.contains(&"fiber".to_string()));
    }
}
