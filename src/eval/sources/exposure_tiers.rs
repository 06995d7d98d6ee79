//! `exposure COUNTRY [INDUSTRY] to COUNTRY tiers N`: exposure through
//! intermediate countries' imports (`analysis::tiers`), each route and
//! each unknown feed in the explanation.

use crate::analysis::{self, Context, TierRoute, TieredRow, TieredSupply};
use crate::model::{Graph, NodeIndex, NodeKind, Subgraph};

use super::super::derivation::Derivation;
use super::super::describe::source_ids;
use super::super::result::{Cell, QueryResult};
use super::exposure::evaluation_day;

/// Materials explained per row.
const EXPLAINED: usize = 5;

pub fn tiered(
    ctx: &Context,
    country: NodeIndex,
    industry: Option<NodeIndex>,
    supplier: NodeIndex,
    scope: analysis::MaterialScope<'_>,
    tiers: usize,
) -> QueryResult {
    let graph = ctx.graph;
    let industries: Vec<NodeIndex> = match industry {
        Some(industry) => vec![industry],
        None => graph
            .node_indices()
            .filter(|node| ctx.kind(*node) == NodeKind::Industry && ctx.node_active(*node))
            .collect(),
    };
    let tiers = tiers.clamp(1, analysis::MAX_TIERS);
    let rows = analysis::tiered_exposure(ctx, country, &industries, supplier, scope, tiers);
    let mut result = QueryResult::new(&[
        "industry",
        "country",
        "score",
        "disruption",
        "direct_score",
        "through_others",
        "materials",
        "unknown_feed",
    ]);
    for row in &rows {
        let unknown = unknown_feed(row);
        let cells = vec![
            Cell::Node(row.industry),
            Cell::Node(country),
            Cell::Score(row.score),
            Cell::Num(row.disruption),
            Cell::Num(row.direct_score),
            Cell::Num((row.score - row.direct_score).max(0.0)),
            Cell::Num(row.materials.len() as f64),
            Cell::List(unknown.into_iter().map(Cell::Node).collect()),
        ];
        result.push(Some(row.industry), cells, evidence(graph, row));
        if let Some(last) = result.rows.last_mut() {
            last.explain = Derivation::Lines(explain(graph, country, row));
        }
    }
    result.notes.push(format!(
        "tiers {tiers}: supply share = direct share + Σ over routes (T ← intermediate ← … ← supplier) of the product of each hop's share; a route is restricted as the supplier's sales to the country that buys from it; an intermediate without a reliance figure has an unknown feed and stops its route (docs/EXPOSURE.md, \"Tiered sourcing\")"
    ));
    if rows.is_empty() {
        result
            .notes
            .push("no exposure: no dependency path reaches a supply of this supplier".to_string());
    }
    result.notes.push(evaluation_day(ctx));
    result
}

fn unknown_feed(row: &TieredRow) -> Vec<NodeIndex> {
    let mut unknown: Vec<NodeIndex> = row
        .materials
        .iter()
        .flat_map(|(_, _, supply)| supply.unknown_feed.iter().map(|(country, _)| *country))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    unknown
}

fn evidence(graph: &Graph, row: &TieredRow) -> Subgraph {
    let mut evidence = Subgraph::new();
    evidence.add_node(row.industry);
    for (_, _, supply) in &row.materials {
        for route in &supply.routes {
            for hop in &route.hops {
                for edge in &hop.edges {
                    evidence.add_edge(graph, *edge);
                }
            }
        }
    }
    evidence
}

fn explain(graph: &Graph, country: NodeIndex, row: &TieredRow) -> Vec<String> {
    let id = |node: NodeIndex| graph.node(node).id.as_str();
    let mut lines = vec![format!(
        "{} {}: score {:.4} = 1 − Π(1 − D × tiered share) over {} material(s); {:.4} from direct supply alone",
        id(country),
        id(row.industry),
        row.score,
        row.materials.len(),
        row.direct_score
    )];
    for (material, dependence, supply) in row.materials.iter().take(EXPLAINED) {
        lines.push(format!(
            "  {}: dependence {:.4} × share {:.4} (direct {:.4} + routes {:.4}) = {:.4}; restricted part {:.4}",
            id(*material),
            dependence,
            supply.value(),
            supply.direct,
            supply.value() - supply.direct,
            dependence * supply.value(),
            supply.restricted_value()
        ));
        for route in &supply.routes {
            lines.push(format!("    route {}", route_text(graph, route)));
        }
        lines.extend(unknown_lines(graph, supply));
    }
    if row.materials.len() > EXPLAINED {
        lines.push(format!(
            "  {} more material(s) not explained",
            row.materials.len() - EXPLAINED
        ));
    }
    lines
}

/// `united-states ← norway 0.2 [src] ← dr-congo 0.6 [src] = 0.12; restricted 0.5`
fn route_text(graph: &Graph, route: &TierRoute) -> String {
    let mut text = route
        .hops
        .first()
        .map(|hop| graph.node(hop.buyer).id.clone())
        .unwrap_or_default();
    for hop in &route.hops {
        let mut sources: Vec<String> = hop
            .edges
            .iter()
            .map(|edge| source_ids(graph, graph.edge_sources(*edge)))
            .filter(|ids| !ids.is_empty())
            .collect();
        sources.sort();
        sources.dedup();
        text.push_str(&format!(
            " ← {} {:.4} [{}]",
            graph.node(hop.seller).id,
            hop.share,
            sources.join("; ")
        ));
    }
    format!(
        "{text} = {:.4}; restricted {:.4}",
        route.share, route.restricted
    )
}

fn unknown_lines(graph: &Graph, supply: &TieredSupply) -> Vec<String> {
    supply
        .unknown_feed
        .iter()
        .map(|(country, share)| {
            format!(
                "    feed unknown: {} ({:.4} of the supply) has no reliance figure for this item, so where its supply comes from is not known; not counted",
                graph.node(*country).id,
                share
            )
        })
        .collect()
}
