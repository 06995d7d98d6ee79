//! Production concentration: who produces an item at each stage, with what
//! share, and the Herfindahl–Hirschman index of those shares.
//!
//! Invariant: concentration reads `produces` edges only and never mutates the graph.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex};

use super::context::Context;
use super::memo::{ProductionGroups, StageName, StageYear, stage_name};
use super::production_scenario::apply_scenarios;

/// One producer's line in a concentration table.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducerShare {
    pub country: NodeIndex,
    /// Share of world production, 0..1; `None` when the source gives tonnes only.
    pub share: Option<f64>,
    pub tonnes: Option<f64>,
    /// The `produces` edge (its sources back the line).
    pub edge: EdgeIndex,
}

/// Producers of an item at one stage in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcentrationTable {
    pub item: NodeIndex,
    /// `mining`, `refining`, `manufacturing`, or `None` when not given.
    pub stage: Option<String>,
    pub year: Option<i32>,
    /// By share (largest first), then tonnes, then country id.
    pub producers: Vec<ProducerShare>,
    pub top_producer: Option<NodeIndex>,
    /// Sum of the three largest shares.
    pub top3_share: f64,
    /// 10 000 × Σ share² over the listed producers. Unlisted producers
    /// ("other") are not included, so with coverage below 1 this is a lower bound.
    pub hhi: f64,
    /// Sum of the listed shares: how much of world output the table covers.
    pub coverage: f64,
}

/// Concentration tables of `item`, one per (stage, year): for `year` when
/// given, else the latest year (not after `as of`) of each stage. `stage`
/// filters case-insensitively. Sorted by stage name (unnamed last), then
/// year, latest first.
pub fn concentration(
    ctx: &Context<'_>,
    item: NodeIndex,
    stage: Option<&str>,
    year: Option<i32>,
) -> Vec<ConcentrationTable> {
    let groups = production_groups(ctx, item);
    let mut latest_year: BTreeMap<&Option<Cow<'static, str>>, Option<i32>> = BTreeMap::new();
    for (group_stage, group_year) in groups.keys() {
        let entry = latest_year.entry(group_stage).or_insert(*group_year);
        *entry = (*entry).max(*group_year);
    }
    let mut tables: Vec<ConcentrationTable> = groups
        .iter()
        .filter(|((group_stage, _), _)| stage_matches(group_stage.as_deref(), stage))
        .filter(|((group_stage, group_year), _)| match year {
            Some(wanted) => *group_year == Some(wanted),
            None => latest_year.get(group_stage) == Some(group_year),
        })
        .map(|((group_stage, group_year), edges)| {
            let stage = group_stage.as_deref().map(str::to_string);
            table(ctx, item, stage, *group_year, edges)
        })
        .collect();
    tables.sort_by(|a, b| {
        (a.stage.is_none(), &a.stage)
            .cmp(&(b.stage.is_none(), &b.stage))
            .then(b.year.cmp(&a.year))
    });
    tables
}

/// HHI of a list of shares (0..1 each): 10 000 × Σ share².
pub fn hhi_of(shares: &[f64]) -> f64 {
    10_000.0 * shares.iter().map(|share| share * share).sum::<f64>()
}

/// Stages in supply-chain order: the default stage is the first of these
/// an item has figures for; other stage names follow by name.
pub const STAGE_ORDER: [&str; 3] = ["mining", "refining", "manufacturing"];

/// The stage a stage-taking function (`share`, `hhi`, `top_producer`,
/// `top_share`, `concentration`) reads when the caller names none: the
/// mining stage, as USGS names a "leading producer", else the first stage
/// of [`STAGE_ORDER`] the item (or the group standing for it) has visible
/// figures for, else the first other stage by name. A stage whose edges
/// carry neither tonnes nor a share (producers named, no figure) counts
/// only when no stage has figures. `None` when the item has no figures or
/// only figures without a stage.
pub fn default_stage(ctx: &Context<'_>, item: NodeIndex) -> Option<String> {
    default_stage_name(ctx, item).map(String::from)
}

/// [`default_stage`] as a memo key (a known stage allocates nothing).
pub(crate) fn default_stage_name(ctx: &Context<'_>, item: NodeIndex) -> Option<StageName> {
    ctx.memoized(
        |memo| &mut memo.default_stage,
        item,
        || default_stage_of(ctx, item).as_deref().map(stage_name),
    )
}

fn default_stage_of(ctx: &Context<'_>, item: NodeIndex) -> Option<String> {
    let item = production_item(ctx, item);
    let groups = production_groups(ctx, item);
    let stages = stages_of(&groups);
    // A stage whose latest edges only name producers (a note, no tonnes or
    // share) has no figures: gallium's "no mine-stage data" edge must not
    // hide its refining shares.
    let has_figures = |stage: &str| {
        groups
            .iter()
            .filter(|((group_stage, _), _)| group_stage.as_deref() == Some(stage))
            .max_by_key(|((_, year), _)| *year)
            .is_some_and(|(_, edges)| {
                edges.iter().any(|&edge_idx| {
                    ctx.number_at(edge_idx, ctx.keys.share).is_some()
                        || ctx.number_at(edge_idx, ctx.keys.tonnes).is_some()
                })
            })
    };
    stages
        .iter()
        .find(|stage| has_figures(stage))
        .or(stages.first())
        .cloned()
}

/// The stages an item has visible figures for, in supply-chain order
/// ([`STAGE_ORDER`], then other names alphabetically), lower case.
pub fn item_stages(ctx: &Context<'_>, item: NodeIndex) -> Vec<String> {
    stages_of(&production_groups(ctx, item))
}

fn stages_of(groups: &ProductionGroups) -> Vec<String> {
    // Ranked as borrowed keys (an item has a group per stage and year):
    // only the distinct stages become strings.
    let mut stages: Vec<&str> = groups
        .keys()
        .filter_map(|(stage, _)| stage.as_deref())
        .collect();
    stages.sort_unstable_by_key(|stage| {
        let rank = STAGE_ORDER
            .iter()
            .position(|known| known == stage)
            .unwrap_or(STAGE_ORDER.len());
        (rank, *stage)
    });
    stages.dedup();
    stages.into_iter().map(str::to_string).collect()
}

/// `share(item, country[, stage])`: the country's world share of the item
/// in the latest year of the stage; without a stage, of the
/// [`default_stage`]. An element without figures of its own takes its
/// group's. `None` when there is no data or the country is not listed.
pub fn share(
    ctx: &Context<'_>,
    item: NodeIndex,
    country: NodeIndex,
    stage: Option<&str>,
) -> Option<f64> {
    headline_table(ctx, item, stage)?
        .producers
        .iter()
        .filter(|producer| producer.country == country)
        .filter_map(|producer| producer.share)
        .reduce(f64::max)
}

/// The item whose production figures stand for `item`: itself when it has
/// any, else the first group (`member_of`, by id) that has (rare-earth
/// elements have no per-element output; they share the group's).
pub(crate) fn production_item(ctx: &Context<'_>, item: NodeIndex) -> NodeIndex {
    ctx.memoized(
        |memo| &mut memo.production_item,
        item,
        || production_item_of(ctx, item),
    )
}

fn production_item_of(ctx: &Context<'_>, item: NodeIndex) -> NodeIndex {
    let has_figures = |node: NodeIndex| {
        ctx.graph
            .edges_of(node, EdgeKind::Produces, Direction::Incoming)
            .iter()
            .any(|(edge_idx, _)| ctx.fact_visible(*edge_idx))
    };
    if has_figures(item) {
        return item;
    }
    ctx.groups_of(item)
        .into_iter()
        .find(|group| has_figures(*group))
        .unwrap_or(item)
}

/// `hhi(item[, stage])`: HHI of the latest year of the stage (without a
/// stage, of the [`default_stage`]).
pub fn hhi(ctx: &Context<'_>, item: NodeIndex, stage: Option<&str>) -> Option<f64> {
    headline_table(ctx, item, stage).map(|table| table.hhi)
}

/// `top_producer(item[, stage])`: the largest producer in the latest year
/// of the stage (without a stage, of the [`default_stage`]).
pub fn top_producer(ctx: &Context<'_>, item: NodeIndex, stage: Option<&str>) -> Option<NodeIndex> {
    headline_table(ctx, item, stage).and_then(|table| table.top_producer)
}

/// The table the single-number functions read: the latest table of the
/// given stage, or of the [`default_stage`], for the item or the group
/// standing for it — recomputed under the context's bans and cuts
/// ([`apply_scenarios`]).
///
/// Built once per query for each (item, stage), or once per view of a run
/// that keeps an [`AnalysisCache`](super::AnalysisCache): `list minerals`
/// reads the stage, top producer, top share and HHI of each item from one table.
pub(crate) fn headline_table(
    ctx: &Context<'_>,
    item: NodeIndex,
    stage: Option<&str>,
) -> Option<Arc<ConcentrationTable>> {
    let item = production_item(ctx, item);
    let stage = match stage {
        Some(stage) => Some(stage_name(stage)),
        None => default_stage_name(ctx, item),
    };
    ctx.memoized(
        |memo| &mut memo.headline,
        (item, stage.clone()),
        || {
            let table = concentration(ctx, item, stage.as_deref(), None)
                .into_iter()
                .find(|table| !table.producers.is_empty())?;
            Some(Arc::new(match apply_scenarios(ctx, &table) {
                Some(what_if) => what_if.scenario,
                None => table,
            }))
        },
    )
}

/// The `produces` edges behind the latest table of every stage.
pub(crate) fn latest_production_edges(ctx: &Context<'_>, item: NodeIndex) -> Vec<ProducerShare> {
    concentration(ctx, item, None, None)
        .into_iter()
        .flat_map(|table| table.producers)
        .collect()
}

/// The item's visible `produces` edges by (stage, year): built once per
/// query, or once per view of a run that keeps an [`AnalysisCache`](super::AnalysisCache).
fn production_groups(ctx: &Context<'_>, item: NodeIndex) -> Arc<ProductionGroups> {
    match ctx.cache {
        Some(cache) => cache.production_groups(ctx, item, || production_groups_of(ctx, item)),
        None => ctx.memoized(
            |memo| &mut memo.groups,
            item,
            || Arc::new(production_groups_of(ctx, item)),
        ),
    }
}

fn production_groups_of(ctx: &Context<'_>, item: NodeIndex) -> ProductionGroups {
    // Edges of one table usually come one after another: group runs of
    // the same (stage, year) first, then merge the runs by key.
    let mut runs: Vec<(StageYear, Vec<EdgeIndex>)> = Vec::new();
    for &(edge_idx, _) in ctx
        .graph
        .edges_slice(item, EdgeKind::Produces, Direction::Incoming)
    {
        if !ctx.fact_visible(edge_idx) {
            continue;
        }
        let stage = ctx.text_at(edge_idx, ctx.keys.stage);
        let year = ctx.fact_date(edge_idx).map(|date| date.year());
        match runs.last_mut() {
            Some(((run_stage, run_year), edges))
                if *run_year == year && same_stage(run_stage.as_deref(), stage) =>
            {
                edges.push(edge_idx);
            }
            _ => runs.push(((stage.map(stage_key), year), vec![edge_idx])),
        }
    }
    let mut groups: ProductionGroups = BTreeMap::new();
    for (key, edges) in runs {
        groups.entry(key).or_default().extend(edges);
    }
    groups
}

/// Whether a stage as written names the stage key `key` (lower case).
fn same_stage(key: Option<&str>, stage: Option<&str>) -> bool {
    match (key, stage) {
        (None, None) => true,
        (Some(key), Some(stage)) => key == stage || key == &*stage_key(stage),
        _ => false,
    }
}

/// A stage in lower case: a known stage borrowed, another owned.
fn stage_key(text: &str) -> Cow<'static, str> {
    if let Some(known) = STAGE_ORDER.iter().find(|known| **known == text) {
        return Cow::Borrowed(known);
    }
    let lower = text.to_lowercase();
    match STAGE_ORDER.iter().find(|known| **known == lower) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(lower),
    }
}

fn stage_matches(stage: Option<&str>, wanted: Option<&str>) -> bool {
    match wanted {
        None => true,
        Some(wanted) => stage.is_some_and(|stage| stage.eq_ignore_ascii_case(wanted)),
    }
}

fn table(
    ctx: &Context<'_>,
    item: NodeIndex,
    stage: Option<String>,
    year: Option<i32>,
    edges: &[EdgeIndex],
) -> ConcentrationTable {
    let producers: Vec<ProducerShare> = edges
        .iter()
        .map(|edge_idx| ProducerShare {
            country: ctx.graph.endpoints(*edge_idx).0,
            share: ctx.number_at(*edge_idx, ctx.keys.share),
            tonnes: ctx.number_at(*edge_idx, ctx.keys.tonnes),
            edge: *edge_idx,
        })
        .collect();
    ranked_table(ctx, item, stage, year, producers)
}

/// A table of `producers` ranked by share, then tonnes, then id, with its
/// top producer, top-3 share, HHI and coverage: the baseline tables and
/// the ones a scenario recomputes.
pub(crate) fn ranked_table(
    ctx: &Context<'_>,
    item: NodeIndex,
    stage: Option<String>,
    year: Option<i32>,
    mut producers: Vec<ProducerShare>,
) -> ConcentrationTable {
    producers.sort_by(|a, b| {
        let key = |value: Option<f64>| value.unwrap_or(-1.0);
        key(b.share)
            .total_cmp(&key(a.share))
            .then(key(b.tonnes).total_cmp(&key(a.tonnes)))
            .then_with(|| ctx.id(a.country).cmp(ctx.id(b.country)))
    });
    let shares: Vec<f64> = producers.iter().filter_map(|p| p.share).collect();
    ConcentrationTable {
        item,
        stage,
        year,
        top_producer: producers.first().map(|producer| producer.country),
        top3_share: shares.iter().take(3).sum(),
        hhi: hhi_of(&shares),
        coverage: shares.iter().sum(),
        producers,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    #[test]
    fn gallium_refining_table_is_sorted_with_hhi_and_coverage() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let gallium = fixture.node("gallium");
        let tables = concentration(&ctx, gallium, Some("Refining"), None);
        assert_eq!(tables.len(), 1);
        let table = &tables[0];
        assert_eq!(table.year, Some(2024));
        assert_eq!(table.top_producer, Some(fixture.node("china")));
        assert!((table.hhi - 10_000.0 * (0.98f64.powi(2) + 0.01f64.powi(2))).abs() < 1e-9);
        assert!((table.coverage - 0.99).abs() < 1e-12);
        assert!((table.top3_share - 0.99).abs() < 1e-12);
    }

    #[test]
    fn as_of_picks_the_latest_year_not_after_it() {
        let fixture = Fixture::new();
        let germanium = fixture.node("germanium");
        let china = fixture.node("china");
        let now = Context::new(&fixture.graph);
        let then = Context::new(&fixture.graph).with_as_of(Some(day("2022-12-31")));
        assert_eq!(share(&now, germanium, china, Some("refining")), Some(0.83));
        assert_eq!(
            share(&then, germanium, china, Some("refining")),
            Some(0.857)
        );
    }

    #[test]
    fn unspecified_stage_reads_the_mining_stage() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let antimony = fixture.node("antimony");
        let china = fixture.node("china");
        assert_eq!(default_stage(&ctx, antimony).as_deref(), Some("mining"));
        assert_eq!(share(&ctx, antimony, china, None), Some(0.6));
        assert_eq!(share(&ctx, antimony, china, Some("refining")), Some(0.85));
        assert_eq!(
            hhi(&ctx, antimony, None),
            hhi(&ctx, antimony, Some("mining"))
        );
        assert_eq!(share(&ctx, antimony, fixture.node("canada"), None), None);
    }

    #[test]
    fn an_item_that_is_not_mined_defaults_to_its_first_stage() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let gallium = fixture.node("gallium");
        assert_eq!(default_stage(&ctx, gallium).as_deref(), Some("refining"));
        assert_eq!(
            top_producer(&ctx, gallium, None),
            Some(fixture.node("china"))
        );
    }
}
