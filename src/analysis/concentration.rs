//! Production concentration: who produces an item at each stage, with what
//! share, and the Herfindahl–Hirschman index of those shares.
//!
//! Invariant: concentration reads `produces` edges only and never mutates the graph.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex};

use super::context::Context;

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
    let mut latest_year: BTreeMap<Option<Cow<'_, str>>, Option<i32>> = BTreeMap::new();
    for (group_stage, group_year) in groups.keys() {
        let entry = latest_year
            .entry(group_stage.clone())
            .or_insert(*group_year);
        *entry = (*entry).max(*group_year);
    }
    let mut tables: Vec<ConcentrationTable> = groups
        .into_iter()
        .filter(|((group_stage, _), _)| stage_matches(group_stage.as_deref(), stage))
        .filter(|((group_stage, group_year), _)| match year {
            Some(wanted) => *group_year == Some(wanted),
            None => latest_year.get(group_stage) == Some(group_year),
        })
        .map(|((group_stage, group_year), edges)| {
            let stage = group_stage.map(Cow::into_owned);
            table(ctx, item, stage, group_year, &edges)
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

/// `share(item, country[, stage])`: the country's world share of the item
/// in the latest year of the stage; without a stage, its largest share over
/// the stages (its grip where it is strongest: China refines 75% of cobalt
/// that the DRC mines). An element without figures of its own takes its
/// group's. `None` when there is no data or the country is not listed.
pub fn share(
    ctx: &Context<'_>,
    item: NodeIndex,
    country: NodeIndex,
    stage: Option<&str>,
) -> Option<f64> {
    concentration(ctx, production_item(ctx, item), stage, None)
        .into_iter()
        .flat_map(|table| table.producers)
        .filter(|producer| producer.country == country)
        .filter_map(|producer| producer.share)
        .reduce(f64::max)
}

/// The item whose production figures stand for `item`: itself when it has
/// any, else the first group (`member_of`, by id) that has (rare-earth
/// elements have no per-element output; they share the group's).
pub(crate) fn production_item(ctx: &Context<'_>, item: NodeIndex) -> NodeIndex {
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

/// `hhi(item[, stage])`: HHI of the latest year; without a stage, the
/// highest HHI over stages.
pub fn hhi(ctx: &Context<'_>, item: NodeIndex, stage: Option<&str>) -> Option<f64> {
    headline_table(ctx, production_item(ctx, item), stage).map(|table| table.hhi)
}

/// `top_producer(item[, stage])`: the largest producer in the latest year;
/// without a stage, at the most concentrated stage.
pub fn top_producer(ctx: &Context<'_>, item: NodeIndex, stage: Option<&str>) -> Option<NodeIndex> {
    headline_table(ctx, production_item(ctx, item), stage).and_then(|table| table.top_producer)
}

/// The table the single-number functions read: the given stage's latest
/// table, or the most concentrated stage's (ties go to the stage name first
/// in alphabetical order).
pub(crate) fn headline_table(
    ctx: &Context<'_>,
    item: NodeIndex,
    stage: Option<&str>,
) -> Option<ConcentrationTable> {
    let tables = concentration(ctx, item, stage, None);
    tables
        .into_iter()
        .filter(|table| !table.producers.is_empty())
        .reduce(|best, table| if table.hhi > best.hhi { table } else { best })
}

/// The `produces` edges behind the latest table of every stage.
pub(crate) fn latest_production_edges(ctx: &Context<'_>, item: NodeIndex) -> Vec<ProducerShare> {
    concentration(ctx, item, None, None)
        .into_iter()
        .flat_map(|table| table.producers)
        .collect()
}

type StageYear<'g> = (Option<Cow<'g, str>>, Option<i32>);

fn production_groups<'g>(
    ctx: &Context<'g>,
    item: NodeIndex,
) -> BTreeMap<StageYear<'g>, Vec<EdgeIndex>> {
    let mut groups: BTreeMap<StageYear<'g>, Vec<EdgeIndex>> = BTreeMap::new();
    for &(edge_idx, _) in ctx
        .graph
        .edges_slice(item, EdgeKind::Produces, Direction::Incoming)
    {
        if !ctx.fact_visible(edge_idx) {
            continue;
        }
        let stage = ctx.text(edge_idx, "stage").map(lowercase);
        let year = ctx.fact_date(edge_idx).map(|date| date.year());
        groups.entry((stage, year)).or_default().push(edge_idx);
    }
    groups
}

/// The text in lower case, borrowed when it already is.
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) || !text.is_ascii() {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
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
    let mut producers: Vec<ProducerShare> = edges
        .iter()
        .map(|edge_idx| ProducerShare {
            country: ctx.graph.endpoints(*edge_idx).0,
            share: ctx.number(*edge_idx, "share"),
            tonnes: ctx.number(*edge_idx, "tonnes"),
            edge: *edge_idx,
        })
        .collect();
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
    fn unspecified_stage_reads_the_most_concentrated_one() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let antimony = fixture.node("antimony");
        let china = fixture.node("china");
        assert_eq!(share(&ctx, antimony, china, None), Some(0.85));
        assert_eq!(share(&ctx, antimony, china, Some("mining")), Some(0.6));
        assert_eq!(top_producer(&ctx, antimony, None), Some(china));
        assert!(hhi(&ctx, antimony, None).unwrap() > hhi(&ctx, antimony, Some("mining")).unwrap());
        assert_eq!(share(&ctx, antimony, fixture.node("canada"), None), None);
    }
}
