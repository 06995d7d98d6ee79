//! What-if scenarios (`assuming`): bans and cuts of a country's supply, and
//! policies forced lifted or in force. A scenario is an override read through
//! the [`Context`]; the baseline and the scenario are two contexts over the
//! same graph, and [`exposure_with_scenario`] diffs them row by row.
//!
//! Invariant: scenarios never write into the graph.

use std::collections::BTreeMap;

use crate::model::NodeIndex;

use super::context::Context;
use super::exposure::{
    AnalysisError, ExposureReport, ExposureRow, ExposureTarget, MaterialScope, Supplier,
    exposure_for,
};

/// One what-if assumption.
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    /// `China bans antimony [to US]`: the issuer's supply of the item (and of
    /// the elements of a group item) to `to`, or to everyone, is fully
    /// restricted.
    Ban {
        issuer: NodeIndex,
        item: NodeIndex,
        to: Option<NodeIndex>,
    },
    /// `China cuts gallium by 50% [to US]`: the same, for `fraction` (0..1)
    /// of the supply.
    Cut {
        issuer: NodeIndex,
        item: NodeIndex,
        fraction: f64,
        to: Option<NodeIndex>,
    },
    /// `POLICY lifted`: the policy is not in force.
    Lifted(NodeIndex),
    /// `POLICY in force`: the policy is in force whatever its dates say.
    InForce(NodeIndex),
}

/// A row of the baseline and the scenario side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureChange {
    pub country: Option<NodeIndex>,
    pub industry: NodeIndex,
    pub baseline: Option<ExposureRow>,
    pub scenario: Option<ExposureRow>,
    /// Scenario score − baseline score.
    pub score_change: f64,
    /// Scenario disruption − baseline disruption: the headline of a what-if.
    pub disruption_change: f64,
    /// With several scenarios: the disruption change each one makes alone,
    /// in the order given (empty for one scenario). Their combination is
    /// `disruption_change`, never less than the largest of them.
    pub by_scenario: Vec<f64>,
}

/// The two evaluations and their difference.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioReport {
    pub baseline: ExposureReport,
    pub scenario: ExposureReport,
    /// Every row present in either, by disruption change, then score change
    /// (largest first), then id.
    pub changes: Vec<ExposureChange>,
}

impl Scenario {
    /// The forced state of a policy, if this scenario sets one.
    pub fn policy_state(&self, policy_idx: NodeIndex) -> Option<bool> {
        match self {
            Scenario::Lifted(policy) if *policy == policy_idx => Some(false),
            Scenario::InForce(policy) if *policy == policy_idx => Some(true),
            _ => None,
        }
    }

    /// The fraction of `issuer`'s supply of `item` to `consumer` that this
    /// scenario restricts (`consumer` `None` = the world market, hit only by
    /// scenarios without a destination).
    pub fn restricted_fraction(
        &self,
        issuer: NodeIndex,
        item: NodeIndex,
        consumer: Option<NodeIndex>,
    ) -> Option<f64> {
        let (scenario_issuer, scenario_item, to, fraction) = match self {
            Scenario::Ban { issuer, item, to } => (*issuer, *item, *to, 1.0),
            Scenario::Cut {
                issuer,
                item,
                fraction,
                to,
            } => (*issuer, *item, *to, fraction.clamp(0.0, 1.0)),
            _ => return None,
        };
        let destination_matches = to.is_none() || to == consumer;
        (scenario_issuer == issuer && scenario_item == item && destination_matches)
            .then_some(fraction)
    }
}

/// Evaluates exposure on `ctx` (the baseline) and on `ctx` plus `scenario`,
/// and pairs the rows.
pub fn exposure_with_scenario(
    ctx: &Context<'_>,
    target: ExposureTarget,
    supplier: Supplier,
    scenario: Scenario,
) -> Result<ScenarioReport, AnalysisError> {
    exposure_with_scenarios(ctx, target, supplier, &[scenario], None)
}

/// Evaluates exposure on `ctx` (the baseline) and with every scenario
/// applied together (restrictions combine as `1 − Π(1 − f)`), and pairs
/// the rows. With several scenarios each is also evaluated alone, and every
/// change records what each one moves on its own ([`ExposureChange::by_scenario`]).
pub fn exposure_with_scenarios(
    ctx: &Context<'_>,
    target: ExposureTarget,
    supplier: Supplier,
    scenarios: &[Scenario],
    scope: MaterialScope<'_>,
) -> Result<ScenarioReport, AnalysisError> {
    let baseline = exposure_for(ctx, target, supplier, scope)?;
    let what_if = scenarios.iter().fold(ctx.clone(), |view, scenario| {
        view.assuming(scenario.clone())
    });
    let combined = exposure_for(&what_if, target, supplier, scope)?;
    let mut changes = exposure_diff(ctx, &baseline, &combined);
    if scenarios.len() > 1 {
        for scenario in scenarios {
            let alone = ctx.clone().assuming(scenario.clone());
            let solo = exposure_for(&alone, target, supplier, scope)?;
            let moved: BTreeMap<RowKey<'_>, f64> = exposure_diff(ctx, &baseline, &solo)
                .into_iter()
                .map(|change| {
                    let key = (change.country.map(|c| ctx.id(c)), ctx.id(change.industry));
                    (key, change.disruption_change)
                })
                .collect();
            for change in &mut changes {
                let key = (change.country.map(|c| ctx.id(c)), ctx.id(change.industry));
                change
                    .by_scenario
                    .push(moved.get(&key).copied().unwrap_or(0.0));
            }
        }
    }
    Ok(ScenarioReport {
        baseline,
        scenario: combined,
        changes,
    })
}

type RowKey<'g> = (Option<&'g str>, &'g str);
type PairedRows = (
    Option<NodeIndex>,
    NodeIndex,
    (Option<ExposureRow>, Option<ExposureRow>),
);

/// Pairs the rows of two reports by (country, industry).
pub fn exposure_diff(
    ctx: &Context<'_>,
    baseline: &ExposureReport,
    scenario: &ExposureReport,
) -> Vec<ExposureChange> {
    let mut paired: BTreeMap<RowKey<'_>, PairedRows> = BTreeMap::new();
    for (side, report) in [(0, baseline), (1, scenario)] {
        for row in &report.rows {
            let key = (row.country.map(|c| ctx.id(c)), ctx.id(row.industry));
            let entry = paired
                .entry(key)
                .or_insert((row.country, row.industry, (None, None)));
            if side == 0 {
                entry.2.0 = Some(row.clone());
            } else {
                entry.2.1 = Some(row.clone());
            }
        }
    }
    let mut changes: Vec<ExposureChange> = paired
        .into_values()
        .map(|(country, industry, (before, after))| change(country, industry, before, after))
        .collect();
    // Largest change first whatever its sign (a lifted policy lowers
    // disruption: its most relieved industries lead).
    changes.sort_by(|a, b| {
        b.disruption_change
            .abs()
            .total_cmp(&a.disruption_change.abs())
            .then(b.score_change.abs().total_cmp(&a.score_change.abs()))
            .then(b.disruption_change.total_cmp(&a.disruption_change))
            .then_with(|| ctx.id(a.industry).cmp(ctx.id(b.industry)))
            .then_with(|| {
                a.country
                    .map(|c| ctx.id(c))
                    .cmp(&b.country.map(|c| ctx.id(c)))
            })
    });
    changes
}

fn change(
    country: Option<NodeIndex>,
    industry: NodeIndex,
    baseline: Option<ExposureRow>,
    scenario: Option<ExposureRow>,
) -> ExposureChange {
    let score = |row: &Option<ExposureRow>| row.as_ref().map_or(0.0, |row| row.score);
    let disruption = |row: &Option<ExposureRow>| row.as_ref().map_or(0.0, |row| row.disruption);
    ExposureChange {
        country,
        industry,
        score_change: score(&scenario) - score(&baseline),
        disruption_change: disruption(&scenario) - disruption(&baseline),
        by_scenario: Vec::new(),
        baseline,
        scenario,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    #[test]
    fn ban_matches_its_destination_only() {
        let fixture = Fixture::new();
        let (china, antimony, us, canada) = (
            fixture.node("china"),
            fixture.node("antimony"),
            fixture.node("us"),
            fixture.node("canada"),
        );
        let ban = Scenario::Ban {
            issuer: china,
            item: antimony,
            to: Some(us),
        };
        assert_eq!(
            ban.restricted_fraction(china, antimony, Some(us)),
            Some(1.0)
        );
        assert_eq!(ban.restricted_fraction(china, antimony, Some(canada)), None);
        assert_eq!(ban.restricted_fraction(china, antimony, None), None);
        assert_eq!(ban.restricted_fraction(us, antimony, Some(us)), None);
    }

    #[test]
    fn antimony_ban_raises_us_munitions_disruption() {
        let fixture = Fixture::new();
        let (china, antimony, us) = (
            fixture.node("china"),
            fixture.node("antimony"),
            fixture.node("us"),
        );
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2024-06-01")));
        let ban = Scenario::Ban {
            issuer: china,
            item: antimony,
            to: Some(us),
        };
        let report = exposure_with_scenario(
            &ctx,
            ExposureTarget::Country(us),
            Supplier::Country(china),
            ban,
        )
        .unwrap();
        let munitions = fixture.node("def-munitions");
        let top = &report.changes[0];
        assert!(top.industry == munitions || top.industry == fixture.node("defense"));
        assert!(top.disruption_change > 0.0);
        assert!(
            report
                .changes
                .iter()
                .all(|change| change.score_change.abs() < 1e-12)
        );
    }

    #[test]
    fn lifting_an_in_force_policy_removes_its_exposure() {
        let fixture = Fixture::new();
        let ban = fixture.node("cn-mofcom-2024-46");
        let (us, defense) = (fixture.node("us"), fixture.node("defense"));
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2025-07-01")));
        let target = ExposureTarget::CountryIndustry {
            country: us,
            industry: defense,
        };
        let report =
            exposure_with_scenario(&ctx, target, Supplier::Policy(ban), Scenario::Lifted(ban))
                .unwrap();
        assert!(report.baseline.rows[0].score > 0.0);
        assert_eq!(report.scenario.rows[0].score, 0.0);
    }

    #[test]
    fn two_bans_together_disrupt_at_least_as_much_as_either_alone() {
        let fixture = Fixture::new();
        let (china, us) = (fixture.node("china"), fixture.node("us"));
        let ban = |item: &str| Scenario::Ban {
            issuer: china,
            item: fixture.node(item),
            to: Some(us),
        };
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2024-06-01")));
        let report = exposure_with_scenarios(
            &ctx,
            ExposureTarget::Country(us),
            Supplier::Country(china),
            &[ban("gallium"), ban("germanium")],
            None,
        )
        .unwrap();
        let defense = report
            .changes
            .iter()
            .find(|change| change.industry == fixture.node("defense"))
            .unwrap();
        let (gallium, germanium) = (defense.by_scenario[0], defense.by_scenario[1]);
        assert!(gallium > 0.0 && germanium > 0.0);
        assert!(defense.disruption_change >= gallium.max(germanium));
        // Each ban alone cuts its material's whole exposure; together both.
        let exposure_of = |item: &str| {
            defense
                .scenario
                .as_ref()
                .unwrap()
                .materials
                .iter()
                .find(|m| m.material == fixture.node(item))
                .map_or(0.0, |m| m.exposure)
        };
        let (ga, ge) = (exposure_of("gallium"), exposure_of("germanium"));
        assert!((ga - 0.178038).abs() < 1e-4, "{ga}");
        assert!((ge - 0.25029).abs() < 1e-4, "{ge}");
    }
}
