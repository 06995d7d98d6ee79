//! `assuming` on production figures: a ban or cut by a producer country
//! (without a destination) takes that part of its output off the world
//! market, and the concentration table is recomputed — tonnes, shares,
//! world total, top producer, top-3 share and HHI (docs/EXPOSURE.md,
//! "Concentration under a scenario").
//!
//! Invariant: the baseline table is read from the graph; the scenario table
//! is a new value, never written back.

use crate::model::NodeIndex;

use super::concentration::{ConcentrationTable, ProducerShare, ranked_table};
use super::context::Context;
use super::supply::item_and_groups;

/// A concentration table before and after the scenarios of a context.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioTable {
    pub baseline: ConcentrationTable,
    /// Producers re-ranked by their new shares.
    pub scenario: ConcentrationTable,
    /// The fraction (0..1) of each producer's output taken off, for the
    /// producers a scenario touched, by country id.
    pub removed: Vec<(NodeIndex, f64)>,
    /// World output in tonnes before and after, when the table lets it be
    /// derived (a producer with both tonnes and share: tonnes ÷ share).
    pub world_tonnes: Option<(f64, f64)>,
}

/// The fraction of `country`'s output of the table's item that the
/// context's scenarios take off the world market: bans and cuts by that
/// country of the item or a group it belongs to, without a destination
/// (several combine as `1 − Π(1 − fraction)`). 0 when none applies.
pub fn removed_fraction(ctx: &Context<'_>, country: NodeIndex, item: NodeIndex) -> f64 {
    let covered = item_and_groups(ctx, item);
    let untouched: f64 = ctx
        .scenarios
        .iter()
        .filter_map(|scenario| {
            covered
                .iter()
                .filter_map(|covered| scenario.restricted_fraction(country, *covered, None))
                .reduce(f64::max)
        })
        .map(|fraction| 1.0 - fraction)
        .product();
    1.0 - untouched
}

/// The table under the context's scenarios; `None` when no scenario
/// touches any of its producers.
///
/// With `f` the fraction removed from producer `i`: tonnes become
/// `t·(1 − f)`, shares `s·(1 − f) / (1 − Σ s_k·f_k)` (the world shrinks by
/// what is removed), so unlisted producers keep their output; HHI,
/// coverage, top-3 and the top producer are recomputed from the new shares.
pub fn apply_scenarios(ctx: &Context<'_>, baseline: &ConcentrationTable) -> Option<ScenarioTable> {
    let removed: Vec<(NodeIndex, f64)> = baseline
        .producers
        .iter()
        .map(|producer| {
            (
                producer.country,
                removed_fraction(ctx, producer.country, baseline.item),
            )
        })
        .filter(|(_, fraction)| *fraction > 0.0)
        .collect();
    if removed.is_empty() {
        return None;
    }
    let fraction_of = |country: NodeIndex| {
        removed
            .iter()
            .find(|(removed_country, _)| *removed_country == country)
            .map_or(0.0, |(_, fraction)| *fraction)
    };
    let world_before = world_tonnes(baseline);
    let share_removed: f64 = baseline
        .producers
        .iter()
        .map(|producer| {
            let share = producer
                .share
                .or_else(|| Some(producer.tonnes? / world_before?))
                .unwrap_or(0.0);
            share * fraction_of(producer.country)
        })
        .sum();
    // Nothing left (every listed producer banned, shares summing to 1 or
    // more): shares of an empty world are undefined, not infinite.
    let world_left = 1.0 - share_removed;
    let defined = world_left > 1e-9;
    let producers: Vec<ProducerShare> = baseline
        .producers
        .iter()
        .map(|producer| {
            let kept = 1.0 - fraction_of(producer.country);
            ProducerShare {
                share: producer
                    .share
                    .filter(|_| defined)
                    .map(|share| share * kept / world_left),
                tonnes: producer.tonnes.map(|tonnes| tonnes * kept),
                ..producer.clone()
            }
        })
        .collect();
    let scenario = ranked_table(
        ctx,
        baseline.item,
        baseline.stage.clone(),
        baseline.year,
        producers,
    );
    Some(ScenarioTable {
        baseline: baseline.clone(),
        scenario,
        removed,
        world_tonnes: world_before.map(|world| (world, (world * world_left).max(0.0))),
    })
}

/// World output implied by the largest producer with both tonnes and a
/// share (`tonnes ÷ share`).
fn world_tonnes(table: &ConcentrationTable) -> Option<f64> {
    table
        .producers
        .iter()
        .filter_map(|producer| match (producer.tonnes, producer.share) {
            (Some(tonnes), Some(share)) if share > 0.0 => Some((share, tonnes / share)),
            _ => None,
        })
        .reduce(|best, next| if next.0 > best.0 { next } else { best })
        .map(|(_, world)| world)
}

#[cfg(test)]
mod tests {
    use super::super::concentration::concentration;
    use super::super::fixture::Fixture;
    use super::super::scenario::Scenario;
    use super::*;

    #[test]
    fn a_cut_shrinks_the_producer_and_the_world() {
        let fixture = Fixture::new();
        let (china, gallium) = (fixture.node("china"), fixture.node("gallium"));
        let ctx = Context::new(&fixture.graph).assuming(Scenario::Cut {
            issuer: china,
            item: gallium,
            fraction: 0.5,
            to: None,
        });
        let baseline = concentration(&ctx, gallium, Some("refining"), None).remove(0);
        let what_if = apply_scenarios(&ctx, &baseline).unwrap();
        let china_share = |table: &ConcentrationTable| {
            table
                .producers
                .iter()
                .find(|producer| producer.country == china)
                .and_then(|producer| producer.share)
                .unwrap()
        };
        // 0.98 → 0.49 / (1 − 0.49)
        assert!((china_share(&what_if.scenario) - 0.49 / 0.51).abs() < 1e-12);
        assert!(what_if.scenario.hhi < baseline.hhi);
        assert_eq!(what_if.removed, vec![(china, 0.5)]);
    }

    #[test]
    fn a_scenario_with_a_destination_leaves_world_output_alone() {
        let fixture = Fixture::new();
        let (china, gallium, us) = (
            fixture.node("china"),
            fixture.node("gallium"),
            fixture.node("us"),
        );
        let ctx = Context::new(&fixture.graph).assuming(Scenario::Ban {
            issuer: china,
            item: gallium,
            to: Some(us),
        });
        let baseline = concentration(&ctx, gallium, Some("refining"), None).remove(0);
        assert!(apply_scenarios(&ctx, &baseline).is_none());
    }
}
