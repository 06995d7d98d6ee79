//! Timelines: the policies and events that touch a node, in date order.
//!
//! A node is touched by policies that restrict it, its group or its
//! elements (`member_of`), by policies it issued or is targeted by (a
//! country), by its own milestones (a policy), and by events that `affect`
//! it, its group or its elements, or are `caused_by` it.
//!
//! Invariant: timeline only reads the graph; entries are ordered by date,
//! then node id, then milestone.

use std::sync::Arc;

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex, NodeKind, PartialDate, Value};

use super::context::Context;

/// A dated line of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub date: PartialDate,
    /// The policy or event.
    pub node: NodeIndex,
    /// The edge that ties it to the asked node (`restricts`, `affects`,
    /// `issued_by`, `targets`, `caused_by`); `None` for the node's own dates.
    pub edge: Option<EdgeIndex>,
    pub fact: TimelineFact,
    /// For a material's timeline: the product made of it, or the traded
    /// item, through which the entry reaches it (`None` when direct).
    pub via: Option<NodeIndex>,
}

/// What happened on the entry's date.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineFact {
    Policy {
        milestone: PolicyMilestone,
        measure: Option<Arc<str>>,
        severity: Option<f64>,
        /// The date is one clause's (`restricts` edge), not the policy's.
        clause: bool,
        /// For an `effective` date: the suspension or lifting dated on or
        /// before it that kept it from taking effect.
        preempted: Option<Preemption>,
    },
    Event {
        metric: Option<Arc<str>>,
        value: Option<Value>,
        unit: Option<Arc<str>>,
        period: Option<Value>,
    },
}

/// Why an effective date did not happen: a suspension (until
/// `suspended_until`, if given, and that date is after the effective date)
/// or a lifting dated on or before it ("would have taken effect 2025-12-01;
/// suspended 2025-11-07").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preemption {
    pub by: PolicyMilestone,
    pub date: PartialDate,
    pub until: Option<PartialDate>,
}

/// The dates a policy carries, each its own timeline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyMilestone {
    Announced,
    Effective,
    Suspended,
    SuspendedUntil,
    Lifted,
}

impl PolicyMilestone {
    pub const ALL: [PolicyMilestone; 5] = [
        PolicyMilestone::Announced,
        PolicyMilestone::Effective,
        PolicyMilestone::Suspended,
        PolicyMilestone::SuspendedUntil,
        PolicyMilestone::Lifted,
    ];

    /// The node property holding the date (`effective`).
    pub fn prop(self) -> &'static str {
        match self {
            PolicyMilestone::Announced => "announced",
            PolicyMilestone::Effective => "effective",
            PolicyMilestone::Suspended => "suspended",
            PolicyMilestone::SuspendedUntil => "suspended_until",
            PolicyMilestone::Lifted => "lifted",
        }
    }
}

/// Entries touching `node` whose date period overlaps `from..=to` (both
/// optional, inclusive, partial dates covering their whole period) and
/// starts no later than `as of`. Undated events are left out.
pub fn timeline(
    ctx: &Context<'_>,
    node: NodeIndex,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
) -> Vec<TimelineEntry> {
    let mut entries = policy_entries(ctx, node);
    entries.extend(event_entries(ctx, node));
    entries.retain(|entry| in_window(ctx, entry.date, from, to));
    for entry in &mut entries {
        if let TimelineFact::Policy { preempted, .. } = &mut entry.fact {
            let unknown_then = preempted.is_some_and(|preemption| {
                ctx.as_of
                    .is_some_and(|day| preemption.date.first_day() > day)
            });
            if unknown_then {
                *preempted = None;
            }
        }
    }
    entries.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| ctx.id(a.node).cmp(ctx.id(b.node)))
            .then_with(|| milestone_of(a).cmp(&milestone_of(b)))
            .then_with(|| event_metric(a).cmp(&event_metric(b)))
    });
    entries.dedup_by(|a, b| a.date == b.date && a.node == b.node && a.fact == b.fact);
    entries
}

fn in_window(
    ctx: &Context<'_>,
    date: PartialDate,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
) -> bool {
    let after_from = from.is_none_or(|from| date.last_day() >= from.first_day());
    let before_to = to.is_none_or(|to| date.first_day() <= to.last_day());
    let known_then = ctx
        .as_of
        .is_none_or(|day| date.first_day() <= day.first_day());
    after_from && before_to && known_then
}

fn milestone_of(entry: &TimelineEntry) -> Option<PolicyMilestone> {
    match &entry.fact {
        TimelineFact::Policy { milestone, .. } => Some(*milestone),
        TimelineFact::Event { .. } => None,
    }
}

fn event_metric(entry: &TimelineEntry) -> Option<Arc<str>> {
    match &entry.fact {
        TimelineFact::Event { metric, .. } => metric.clone(),
        TimelineFact::Policy { .. } => None,
    }
}

/// The node with its groups and elements.
fn touched(ctx: &Context<'_>, node: NodeIndex) -> Vec<NodeIndex> {
    let mut nodes = vec![node];
    for direction in [Direction::Outgoing, Direction::Incoming] {
        for (_, other) in ctx.edges(node, EdgeKind::MemberOf, direction) {
            nodes.push(other);
        }
    }
    nodes
}

fn policy_entries(ctx: &Context<'_>, node: NodeIndex) -> Vec<TimelineEntry> {
    let mut links: Vec<(NodeIndex, Option<EdgeIndex>)> = Vec::new();
    for item in touched(ctx, node) {
        for (edge, policy) in ctx.edges(item, EdgeKind::Restricts, Direction::Incoming) {
            links.push((policy, Some(edge)));
        }
    }
    if ctx.kind(node) == NodeKind::Country {
        for kind in [EdgeKind::IssuedBy, EdgeKind::Targets] {
            for (edge, policy) in ctx.edges(node, kind, Direction::Incoming) {
                links.push((policy, Some(edge)));
            }
        }
    }
    if ctx.kind(node) == NodeKind::Policy {
        links.push((node, None));
    }
    let mut entries = Vec::new();
    let mut dated: Vec<NodeIndex> = Vec::new();
    for (policy, edge) in strongest_first(ctx, links) {
        if !dated.contains(&policy) {
            dated.push(policy);
            entries.extend(policy_milestones(ctx, policy, edge));
        }
        entries.extend(
            edge.into_iter()
                .flat_map(|edge| clause_milestones(ctx, policy, edge)),
        );
    }
    entries
}

/// The links with each policy's strongest `restricts` edge first, so that
/// the policy's own dates are listed once, with its strongest measure.
fn strongest_first(
    ctx: &Context<'_>,
    mut links: Vec<(NodeIndex, Option<EdgeIndex>)>,
) -> Vec<(NodeIndex, Option<EdgeIndex>)> {
    let severity = |edge: &Option<EdgeIndex>| {
        edge.and_then(|edge| ctx.number(edge, "severity"))
            .unwrap_or(0.0)
    };
    links.sort_by(|a, b| {
        ctx.id(a.0)
            .cmp(ctx.id(b.0))
            .then(severity(&b.1).total_cmp(&severity(&a.1)))
            .then(a.1.cmp(&b.1))
    });
    links
}

/// A clause's own dates: `effective`, `suspended`, `suspended_until` and
/// `lifted` on its `restricts` edge (MOFCOM 2024 No.46 suspended clause 2
/// only; Section 301 tariffs on graphite apply from 2026-01-01).
fn clause_milestones(ctx: &Context<'_>, policy: NodeIndex, edge: EdgeIndex) -> Vec<TimelineEntry> {
    if ctx.graph.edge(edge).kind != EdgeKind::Restricts {
        return Vec::new();
    }
    let measure = text_prop(ctx, edge, "measure");
    let severity = ctx.number(edge, "severity");
    let edge_date = |key: &str| ctx.graph.edge_prop(edge, key).and_then(|v| v.as_date());
    let clause_dates = [
        PolicyMilestone::Effective,
        PolicyMilestone::Suspended,
        PolicyMilestone::SuspendedUntil,
        PolicyMilestone::Lifted,
    ];
    clause_dates
        .into_iter()
        .filter_map(|milestone| {
            let date = edge_date(milestone.prop())?;
            let preempted = (milestone == PolicyMilestone::Effective)
                .then(|| {
                    preemption(date, &edge_date)
                        .or_else(|| preemption(date, &|key| ctx.node_date(policy, key)))
                })
                .flatten();
            Some(TimelineEntry {
                via: None,
                date,
                node: policy,
                edge: Some(edge),
                fact: TimelineFact::Policy {
                    milestone,
                    measure: measure.clone(),
                    severity,
                    clause: true,
                    preempted,
                },
            })
        })
        .collect()
}

/// The suspension or lifting (read through `date`) that kept `effective`
/// from happening: dated on or before it, and for a suspension, not over
/// before it.
fn preemption(
    effective: PartialDate,
    date: &dyn Fn(&str) -> Option<PartialDate>,
) -> Option<Preemption> {
    let on_or_before = |other: PartialDate| other.first_day() <= effective.first_day();
    if let Some(lifted) = date("lifted").filter(|lifted| on_or_before(*lifted)) {
        return Some(Preemption {
            by: PolicyMilestone::Lifted,
            date: lifted,
            until: None,
        });
    }
    let suspended = date("suspended").filter(|suspended| on_or_before(*suspended))?;
    let until = date("suspended_until");
    let still_suspended = until.is_none_or(|until| until.last_day() >= effective.first_day());
    still_suspended.then_some(Preemption {
        by: PolicyMilestone::Suspended,
        date: suspended,
        until,
    })
}

/// The policy's own dates; its `effective` date is left out when the
/// clause that links it to the asked node has its own (that clause's
/// entry says when it applies).
fn policy_milestones(
    ctx: &Context<'_>,
    policy: NodeIndex,
    edge: Option<EdgeIndex>,
) -> Vec<TimelineEntry> {
    let restricts = edge.filter(|edge| ctx.graph.edge(*edge).kind == EdgeKind::Restricts);
    let measure = restricts.and_then(|edge| text_prop(ctx, edge, "measure"));
    let severity = restricts.and_then(|edge| ctx.number(edge, "severity"));
    let node_date = |key: &str| ctx.node_date(policy, key);
    let clause_has_own_start = restricts.is_some_and(|edge| {
        ctx.graph
            .edge_prop(edge, "effective")
            .is_some_and(|value| value.as_date().is_some())
    });
    PolicyMilestone::ALL
        .into_iter()
        .filter(|milestone| !(clause_has_own_start && *milestone == PolicyMilestone::Effective))
        .filter_map(|milestone| {
            let date = node_date(milestone.prop())?;
            let preempted = (milestone == PolicyMilestone::Effective)
                .then(|| preemption(date, &node_date))
                .flatten();
            Some(TimelineEntry {
                via: None,
                date,
                node: policy,
                edge,
                fact: TimelineFact::Policy {
                    milestone,
                    measure: measure.clone(),
                    severity,
                    clause: false,
                    preempted,
                },
            })
        })
        .collect()
}

fn event_entries(ctx: &Context<'_>, node: NodeIndex) -> Vec<TimelineEntry> {
    let mut entries = Vec::new();
    for item in touched(ctx, node) {
        for (edge, event) in ctx.edges(item, EdgeKind::Affects, Direction::Incoming) {
            entries.extend(event_entry(ctx, event, Some(edge)));
        }
    }
    for (edge, event) in ctx.edges(node, EdgeKind::CausedBy, Direction::Incoming) {
        entries.extend(event_entry(ctx, event, Some(edge)));
    }
    if ctx.is_material(node) {
        let listed: Vec<NodeIndex> = entries.iter().map(|entry| entry.node).collect();
        let mut downstream = downstream_event_entries(ctx, node);
        downstream.retain(|entry| !listed.contains(&entry.node));
        entries.extend(downstream);
    }
    entries
}

/// How many `used_in` hops a material's timeline follows into products.
const PRODUCT_HOPS: usize = 2;

/// For a material: the events that affect the products made of it (along
/// `used_in` into products, at most [`PRODUCT_HOPS`] hops), and trade
/// events in it or those products (an `affects` edge whose `item` names
/// one of them, such as China's magnet exports to the US). Each entry
/// says through which item it came (`via`). Events already on the
/// material's own timeline are not repeated.
fn downstream_event_entries(ctx: &Context<'_>, node: NodeIndex) -> Vec<TimelineEntry> {
    let direct = touched(ctx, node);
    let mut products: Vec<NodeIndex> = Vec::new();
    let mut frontier = direct.clone();
    for _ in 0..PRODUCT_HOPS {
        let mut next = Vec::new();
        for item in frontier {
            for (_, user) in ctx.edges(item, EdgeKind::UsedIn, Direction::Outgoing) {
                if ctx.kind(user) == NodeKind::Product
                    && !direct.contains(&user)
                    && !products.contains(&user)
                {
                    products.push(user);
                    next.push(user);
                }
            }
        }
        frontier = next;
    }
    let mut entries = Vec::new();
    for product in &products {
        for (edge, event) in ctx.edges(*product, EdgeKind::Affects, Direction::Incoming) {
            entries.extend(
                event_entry(ctx, event, Some(edge)).map(|entry| TimelineEntry {
                    via: Some(*product),
                    ..entry
                }),
            );
        }
    }
    let items: Vec<(&str, NodeIndex)> = direct
        .iter()
        .chain(&products)
        .map(|item| (ctx.id(*item), *item))
        .collect();
    for edge in ctx.graph.edge_indices() {
        if ctx.graph.edge(edge).kind != EdgeKind::Affects || !ctx.edge_active(edge) {
            continue;
        }
        let Some(Value::Str(item)) = ctx.graph.edge_prop(edge, "item") else {
            continue;
        };
        let Some((_, item_idx)) = items.iter().find(|(id, _)| **id == **item) else {
            continue;
        };
        let (event, target) = ctx.graph.endpoints(edge);
        if direct.contains(&target) || products.contains(&target) {
            continue; // already listed as an event on the item itself
        }
        let via = (*item_idx != node).then_some(*item_idx);
        entries.extend(
            event_entry(ctx, event, Some(edge)).map(|entry| TimelineEntry { via, ..entry }),
        );
    }
    entries
}

/// An event dated by its `date`, else its edge's `period`, else its validity.
fn event_entry(
    ctx: &Context<'_>,
    event: NodeIndex,
    edge: Option<EdgeIndex>,
) -> Option<TimelineEntry> {
    let affects = edge.filter(|edge| ctx.graph.edge(*edge).kind == EdgeKind::Affects);
    let prop = |key: &str| {
        affects
            .and_then(|edge| ctx.graph.edge_prop(edge, key))
            .cloned()
    };
    let date = ctx
        .node_date(event, "date")
        .or_else(|| prop("period").and_then(|period| period.as_date()))
        .or(ctx.graph.node(event).valid.from)?;
    Some(TimelineEntry {
        via: None,
        date,
        node: event,
        edge,
        fact: TimelineFact::Event {
            metric: affects.and_then(|edge| text_prop(ctx, edge, "metric")),
            value: prop("value"),
            unit: affects.and_then(|edge| text_prop(ctx, edge, "unit")),
            period: prop("period"),
        },
    })
}

fn text_prop(ctx: &Context<'_>, edge: EdgeIndex, key: &str) -> Option<Arc<str>> {
    match ctx.graph.edge_prop(edge, key) {
        Some(Value::Str(text)) => Some(Arc::from(text.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    fn summary(ctx: &Context<'_>, entries: &[TimelineEntry]) -> Vec<String> {
        entries
            .iter()
            .map(|entry| {
                let what = match &entry.fact {
                    TimelineFact::Policy {
                        milestone,
                        preempted,
                        ..
                    } => {
                        let mark = if preempted.is_some() {
                            " (pre-empted)"
                        } else {
                            ""
                        };
                        format!("{}{mark}", milestone.prop())
                    }
                    TimelineFact::Event { metric, .. } => {
                        metric.as_deref().unwrap_or("").to_string()
                    }
                };
                format!("{} {} {what}", entry.date, ctx.id(entry.node))
            })
            .collect()
    }

    #[test]
    fn germanium_timeline_is_in_date_order_within_the_window() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let from = Some(day("2023"));
        let to = Some(day("2025-12"));
        let entries = timeline(&ctx, fixture.node("germanium"), from, to);
        assert_eq!(
            summary(&ctx, &entries),
            [
                "2023-07-03 cn-mofcom-2023-23 announced",
                "2023-08 ev-ge-exports-zero exports",
                "2023-08-01 cn-mofcom-2023-23 effective",
                "2024-12-03 cn-mofcom-2024-46 announced",
                "2024-12-03 cn-mofcom-2024-46 effective",
                "2025-11-09 cn-mofcom-2024-46 suspended",
            ]
        );
    }

    #[test]
    fn as_of_cuts_the_timeline_before_the_suspension() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph).with_as_of(Some(day("2025-07-01")));
        let entries = timeline(&ctx, fixture.node("germanium"), None, None);
        let lines = summary(&ctx, &entries);
        assert!(lines.iter().all(|line| !line.contains("suspended")));
        assert!(
            lines
                .iter()
                .any(|line| line.contains("cn-mofcom-2024-46 effective"))
        );
    }

    #[test]
    fn a_suspension_before_the_effective_date_preempts_it() {
        let day = PartialDate::parse;
        let date = |key: &str| match key {
            "suspended" => day("2025-11-07").ok(),
            "suspended_until" => day("2026-11-10").ok(),
            _ => None,
        };
        let effective = day("2025-12-01").unwrap();
        let preempted = preemption(effective, &date).unwrap();
        assert_eq!(preempted.by, PolicyMilestone::Suspended);
        assert!(preemption(day("2026-12-01").unwrap(), &date).is_none());
        assert!(preemption(day("2025-11-01").unwrap(), &date).is_none());
    }

    #[test]
    fn group_policies_show_on_element_timelines() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let entries = timeline(&ctx, fixture.node("dysprosium"), None, None);
        let lines = summary(&ctx, &entries);
        assert_eq!(lines, ["2025-04-04 cn-mofcom-2025-18 effective"]);
    }
}
