//! The evaluation view: the graph as it stood on an `as of` day, under the
//! scenarios of an `assuming` clause. A `Context` only reads; scenario
//! overrides live in its own small list and are applied on read.
//!
//! Invariant: a `Context` never mutates the graph it views.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hash;
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{
    Direction, EdgeIndex, EdgeKind, Graph, NodeIndex, NodeKind, PartialDate, Value,
};

use super::dependence::DependenceTable;
use super::memo::QueryMemo;
use super::scenario::Scenario;
use super::session_cache::AnalysisCache;
use super::supply::TradeIndex;

/// A read-only view of a graph on one day under zero or more scenarios.
#[derive(Debug, Clone)]
pub struct Context<'g> {
    pub graph: &'g Graph,
    /// The evaluation day; `None` reads the graph's latest state ("now").
    pub as_of: Option<PartialDate>,
    /// What-if overrides, applied in order (a later one wins for a policy).
    pub scenarios: Vec<Scenario>,
    /// The default stages functions read because the caller named none,
    /// as stage → item ids, so that the answer can say so (shared by
    /// clones of this view; the only thing a view records).
    defaulted_stages: Rc<RefCell<BTreeMap<String, BTreeSet<String>>>>,
    /// Whether facts marked `"confidence": "unsourced"` count in shares,
    /// concentration, reliance and exposure (off by default).
    pub include_unsourced: bool,
    /// Production answers of this query (shared by clones of one view; a
    /// builder that changes the view starts a new one).
    memo: Rc<RefCell<QueryMemo>>,
    /// The property keys hot paths read, resolved once.
    pub(crate) keys: PropKeys,
    /// Trade indexes and dependence tables kept across the queries of one
    /// shell or batch run, when the caller keeps them.
    pub(crate) cache: Option<&'g AnalysisCache>,
}

/// Key indexes ([`Graph::key_index`]) of the properties read on every
/// production and trade fact; `None` when the graph has no such key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PropKeys {
    pub share: Option<u32>,
    pub tonnes: Option<u32>,
    pub stage: Option<u32>,
    pub year: Option<u32>,
    pub period: Option<u32>,
    pub confidence: Option<u32>,
}

impl PropKeys {
    fn of(graph: &Graph) -> PropKeys {
        PropKeys {
            share: graph.key_index("share"),
            tonnes: graph.key_index("tonnes"),
            stage: graph.key_index("stage"),
            year: graph.key_index("year"),
            period: graph.key_index("period"),
            confidence: graph.key_index("confidence"),
        }
    }
}

impl<'g> Context<'g> {
    /// The plain view: no `as of`, no scenario.
    pub fn new(graph: &'g Graph) -> Context<'g> {
        Context {
            graph,
            as_of: None,
            scenarios: Vec::new(),
            defaulted_stages: Rc::default(),
            include_unsourced: false,
            memo: Rc::default(),
            keys: PropKeys::of(graph),
            cache: None,
        }
    }

    /// The same view, counting unsourced facts or not.
    pub fn with_unsourced(mut self, include: bool) -> Context<'g> {
        self.include_unsourced = include;
        self.memo = Rc::default();
        self
    }

    /// The same view, keeping trade indexes and dependence tables in
    /// `cache` for later queries (a shell or batch run).
    pub fn with_cache(mut self, cache: &'g AnalysisCache) -> Context<'g> {
        self.cache = Some(cache);
        self
    }

    /// The consumer's trade facts by item, from the run's cache when there is one.
    pub(crate) fn trade_index(&self, consumer: NodeIndex) -> Arc<TradeIndex> {
        match self.cache {
            Some(cache) => cache.trade_index(self, consumer),
            None => Arc::new(TradeIndex::new(self, consumer)),
        }
    }

    /// The dependence table of `users`, from the run's cache when there is one.
    pub(crate) fn dependence_table(&self, users: &[NodeIndex]) -> Arc<DependenceTable> {
        match self.cache {
            Some(cache) => cache.dependence_table(self, users),
            None => Arc::new(DependenceTable::new(self, users)),
        }
    }

    /// This query's answer for `key` in the memo `slot`, computed by
    /// `compute` on first use; with a run's cache, the run's answer for
    /// this view. The memo is never borrowed while `compute` runs, so a
    /// computation may read other memoized answers.
    pub(crate) fn memoized<K: Hash + Eq, V: Clone>(
        &self,
        slot: for<'m> fn(&'m mut QueryMemo) -> &'m mut HashMap<K, V>,
        key: K,
        compute: impl FnOnce() -> V,
    ) -> V {
        if let Some(cache) = self.cache {
            return cache.memoized(self, slot, key, compute);
        }
        {
            let mut memo = self.memo.borrow_mut();
            memo.keep_for(self);
            if let Some(found) = slot(&mut memo).get(&key) {
                return found.clone();
            }
        }
        let value = compute();
        let mut memo = self.memo.borrow_mut();
        memo.keep_for(self);
        slot(&mut memo).insert(key, value.clone());
        value
    }

    /// Whether a statistical fact may be used at all: it is the figure
    /// selected for its fact (`analysis::selection`: newest edition, then
    /// official over curated unless overridden), and it is sourced unless
    /// unsourced facts were asked for.
    pub fn fact_counts(&self, edge_idx: EdgeIndex) -> bool {
        let unsourced = || {
            self.keys.confidence.and_then(|key| {
                self.graph
                    .edge_prop_at(edge_idx, key)
                    .and_then(|value| value.as_str())
            }) == Some("unsourced")
        };
        super::selection::is_selected(self.graph, edge_idx)
            && (self.include_unsourced || !unsourced())
    }

    /// Records that a function read `stage` for `item` by default.
    pub fn note_default_stage(&self, stage: &str, item: NodeIndex) {
        let id = self.id(item);
        let mut recorded = self.defaulted_stages.borrow_mut();
        // Each (stage, item) is recorded once; later calls allocate nothing.
        if recorded.get(stage).is_some_and(|items| items.contains(id)) {
            return;
        }
        recorded
            .entry(stage.to_string())
            .or_default()
            .insert(id.to_string());
    }

    /// The note for an answer that used default stages, then forgets them:
    /// `no stage given: read the default stage, mining (antimony, cobalt)`.
    pub fn take_default_stage_note(&self) -> Option<String> {
        let recorded = std::mem::take(&mut *self.defaulted_stages.borrow_mut());
        if recorded.is_empty() {
            return None;
        }
        let parts: Vec<String> = recorded
            .iter()
            .map(|(stage, items)| {
                let shown: Vec<&str> = items.iter().take(5).map(String::as_str).collect();
                let more = items.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(", +{more} more")
                } else {
                    String::new()
                };
                format!("{stage} ({}{more})", shown.join(", "))
            })
            .collect();
        Some(format!(
            "no stage given: read the default stage (mining, else the first stage with figures): {}",
            parts.join("; ")
        ))
    }

    /// The same view on another day.
    pub fn with_as_of(mut self, as_of: Option<PartialDate>) -> Context<'g> {
        self.as_of = as_of;
        self.memo = Rc::default();
        self
    }

    /// The same view with one more scenario.
    pub fn assuming(mut self, scenario: Scenario) -> Context<'g> {
        self.scenarios.push(scenario);
        self.memo = Rc::default();
        self
    }

    /// Whether a node holds on the evaluation day (always, without `as of`).
    /// A policy exists from its `announced` date too (when it has no
    /// earlier `valid_from`): `as of D` never shows a policy announced later.
    pub fn node_active(&self, node_idx: NodeIndex) -> bool {
        let Some(day) = self.as_of else {
            return true;
        };
        let node = self.graph.node(node_idx);
        node.valid.holds_on(day)
            && (node.kind != NodeKind::Policy
                || self
                    .node_date(node_idx, "announced")
                    .is_none_or(|announced| announced.first_day() <= day))
    }

    /// Whether an edge and both its ends hold on the evaluation day.
    pub fn edge_active(&self, edge_idx: EdgeIndex) -> bool {
        let Some(day) = self.as_of else {
            return true;
        };
        let (from, to) = self.graph.endpoints(edge_idx);
        self.graph.edge(edge_idx).valid.holds_on(day)
            && self.node_active(from)
            && self.node_active(to)
    }

    /// Active edges of `kind` at a node, as `(edge, other end)`.
    pub fn edges(
        &self,
        node_idx: NodeIndex,
        kind: EdgeKind,
        direction: Direction,
    ) -> Vec<(EdgeIndex, NodeIndex)> {
        let mut found = self.graph.edges_of(node_idx, kind, direction);
        found.retain(|(edge_idx, _)| self.edge_active(*edge_idx));
        found
    }

    pub fn id(&self, node_idx: NodeIndex) -> &'g str {
        &self.graph.node(node_idx).id
    }

    pub fn kind(&self, node_idx: NodeIndex) -> NodeKind {
        self.graph.node(node_idx).kind
    }

    /// Minerals and products: the things that are produced, traded and used.
    pub fn is_material(&self, node_idx: NodeIndex) -> bool {
        matches!(self.kind(node_idx), NodeKind::Mineral | NodeKind::Product)
    }

    pub fn number(&self, edge_idx: EdgeIndex, key: &str) -> Option<f64> {
        self.graph.edge_number(edge_idx, key)
    }

    /// [`Context::number`] by a key index from [`PropKeys`].
    pub(crate) fn number_at(&self, edge_idx: EdgeIndex, key: Option<u32>) -> Option<f64> {
        self.graph
            .edge_prop_at(edge_idx, key?)
            .and_then(Value::as_f64)
    }

    /// [`Context::text`] by a key index from [`PropKeys`].
    pub(crate) fn text_at(&self, edge_idx: EdgeIndex, key: Option<u32>) -> Option<&'g str> {
        self.graph
            .edge_prop_at(edge_idx, key?)
            .and_then(|value| value.as_str())
    }

    pub fn text(&self, edge_idx: EdgeIndex, key: &str) -> Option<&'g str> {
        self.graph
            .edge_prop(edge_idx, key)
            .and_then(|value| value.as_str())
    }

    pub fn node_date(&self, node_idx: NodeIndex, key: &str) -> Option<PartialDate> {
        self.graph
            .node_prop(node_idx, key)
            .and_then(|value| value.as_date())
    }

    /// The groups `item` is a member of (`member_of`), by id.
    pub fn groups_of(&self, item: NodeIndex) -> Vec<NodeIndex> {
        let mut groups: Vec<NodeIndex> = self
            .edges(item, EdgeKind::MemberOf, Direction::Outgoing)
            .into_iter()
            .map(|(_, group)| group)
            .collect();
        groups.sort_by_key(|group| self.id(*group));
        groups
    }

    /// Whether a policy is in force on the evaluation day.
    ///
    /// A scenario (`lifted`, `in force`) decides first. Otherwise the policy
    /// applies from `effective` (or `announced` when there is no `effective`;
    /// from always when neither is given) and stops on `lifted`, and while
    /// `suspended` (until `suspended_until`, if given). Without `as of`, the
    /// latest state of the record counts: in force unless it carries a
    /// `suspended` or `lifted` date (the clock is never read).
    pub fn policy_in_force(&self, policy_idx: NodeIndex) -> bool {
        if let Some(forced) = self.scenario_policy_state(policy_idx) {
            return forced;
        }
        if !self.node_active(policy_idx) {
            return false;
        }
        let Some(day) = self.as_of else {
            return self.node_date(policy_idx, "suspended").is_none()
                && self.node_date(policy_idx, "lifted").is_none();
        };
        let day = day.first_day();
        let start = self
            .node_date(policy_idx, "effective")
            .or_else(|| self.node_date(policy_idx, "announced"));
        let started = start.is_none_or(|start| start.first_day() <= day);
        started && !self.halted_on(policy_idx, day)
    }

    /// Whether the policy is lifted or suspended on `day`.
    fn halted_on(&self, policy_idx: NodeIndex, day: PartialDate) -> bool {
        halted(|key| self.node_date(policy_idx, key), day)
    }

    /// The clauses (`restricts` edges, with what they restrict) of a policy
    /// that are halted (suspended or lifted) on the evaluation day while the
    /// policy itself may be in force: MOFCOM 2024 No.46's clause 2 from
    /// 2025-11-09. A clause not yet effective is pending, not halted.
    pub fn halted_clauses(&self, policy_idx: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        if self.scenario_policy_state(policy_idx) == Some(true) {
            return Vec::new();
        }
        self.edges(policy_idx, EdgeKind::Restricts, Direction::Outgoing)
            .into_iter()
            .filter(|(edge_idx, _)| self.clause_halted(*edge_idx))
            .collect()
    }

    /// The clauses of a policy whose own `effective` date (on the
    /// `restricts` edge) is after the evaluation day: Section 301 tariffs on
    /// graphite and magnets from 2026-01-01 under a review in force from
    /// 2024-09-27. Empty without `as of`.
    pub fn pending_clauses(&self, policy_idx: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        if self.scenario_policy_state(policy_idx) == Some(true) {
            return Vec::new();
        }
        self.edges(policy_idx, EdgeKind::Restricts, Direction::Outgoing)
            .into_iter()
            .filter(|(edge_idx, _)| !self.clause_started(*edge_idx))
            .collect()
    }

    /// Whether one clause of a policy in force (a `restricts` edge) applies:
    /// a clause may carry its own `effective` date (it applies later than its
    /// policy) and its own `suspended`, `suspended_until` and `lifted` dates
    /// (MOFCOM 2024 No.46 suspended its clause 2 only). A scenario that puts
    /// the policy in force puts every clause in force.
    pub fn clause_in_force(&self, policy_idx: NodeIndex, restricts_edge: EdgeIndex) -> bool {
        if self.scenario_policy_state(policy_idx) == Some(true) {
            return true;
        }
        self.clause_started(restricts_edge) && !self.clause_halted(restricts_edge)
    }

    /// The clause's own `effective` date is reached (always without `as of`,
    /// like a policy's, and when it has none).
    fn clause_started(&self, restricts_edge: EdgeIndex) -> bool {
        let effective = self
            .graph
            .edge_prop(restricts_edge, "effective")
            .and_then(|value| value.as_date());
        match (self.as_of, effective) {
            (Some(day), Some(effective)) => effective.first_day() <= day,
            _ => true,
        }
    }

    /// The clause's own `suspended`/`lifted` dates halt it on the day.
    fn clause_halted(&self, restricts_edge: EdgeIndex) -> bool {
        let date = |key: &str| {
            self.graph
                .edge_prop(restricts_edge, key)
                .and_then(|value| value.as_date())
        };
        match self.as_of {
            None => date("suspended").is_some() || date("lifted").is_some(),
            Some(day) => halted(date, day.first_day()),
        }
    }

    pub(crate) fn scenario_policy_state(&self, policy_idx: NodeIndex) -> Option<bool> {
        self.scenarios
            .iter()
            .rev()
            .find_map(|scenario| scenario.policy_state(policy_idx))
    }

    /// The day a time-varying fact refers to: its `year` (a number, or a
    /// date as untyped CSV cells give), else its `period`
    /// (a date, or text starting with a year such as `2020-2023`), else the
    /// start of its validity.
    pub fn fact_date(&self, edge_idx: EdgeIndex) -> Option<PartialDate> {
        let prop = |key: Option<u32>| key.and_then(|key| self.graph.edge_prop_at(edge_idx, key));
        match prop(self.keys.year) {
            Some(Value::Number(year)) => return PartialDate::year_only(*year as i32),
            Some(Value::Date(date)) => return Some(*date),
            _ => {}
        }
        if let Some(period) = prop(self.keys.period) {
            let date = period
                .as_date()
                .or_else(|| period.as_str().and_then(leading_year));
            if date.is_some() {
                return date;
            }
        }
        self.graph.edge(edge_idx).valid.from
    }

    /// Whether a statistical fact (`produces`, `import_reliance`,
    /// `imports_from`) is known on the evaluation day: its ends are active,
    /// it starts and is dated no later than that day. Its `valid_to` only
    /// closes the period the figure measures: a 2022 share stays the latest
    /// figure in 2025 until a newer one exists.
    pub fn fact_visible(&self, edge_idx: EdgeIndex) -> bool {
        if !self.fact_counts(edge_idx) {
            return false;
        }
        let (from, to) = self.graph.endpoints(edge_idx);
        let started = self.as_of.is_none_or(|day| {
            self.graph
                .edge(edge_idx)
                .valid
                .from
                .is_none_or(|start| start.first_day() <= day.first_day())
        });
        started
            && self.node_active(from)
            && self.node_active(to)
            && self.as_of.is_none_or(|day| {
                self.fact_date(edge_idx)
                    .is_none_or(|date| date.first_day() <= day.first_day())
            })
    }

    /// The facts among `edges` with both ends active that share the earliest
    /// fact date, whatever the evaluation day (for a day before all of them).
    pub fn earliest_facts(&self, edges: &[(EdgeIndex, NodeIndex)]) -> Vec<(EdgeIndex, NodeIndex)> {
        let active: Vec<(EdgeIndex, NodeIndex)> = edges
            .iter()
            .copied()
            .filter(|(edge_idx, _)| {
                let (from, to) = self.graph.endpoints(*edge_idx);
                self.fact_counts(*edge_idx) && self.node_active(from) && self.node_active(to)
            })
            .collect();
        let earliest = active
            .iter()
            .filter_map(|(edge_idx, _)| self.fact_date(*edge_idx))
            .min();
        active
            .into_iter()
            .filter(|(edge_idx, _)| self.fact_date(*edge_idx) == earliest)
            .collect()
    }

    /// The visible facts among `edges` that share the latest fact date.
    pub fn latest_facts(&self, edges: &[(EdgeIndex, NodeIndex)]) -> Vec<(EdgeIndex, NodeIndex)> {
        let visible: Vec<(EdgeIndex, NodeIndex)> = edges
            .iter()
            .copied()
            .filter(|(edge_idx, _)| self.fact_visible(*edge_idx))
            .collect();
        let latest = visible
            .iter()
            .map(|(edge_idx, _)| self.fact_date(*edge_idx))
            .max()
            .flatten();
        visible
            .into_iter()
            .filter(|(edge_idx, _)| self.fact_date(*edge_idx) == latest)
            .collect()
    }
}

/// Lifted, or suspended and not yet past `suspended_until`, on `day`.
pub(crate) fn halted(date: impl Fn(&str) -> Option<PartialDate>, day: PartialDate) -> bool {
    let reached = |key: &str| date(key).is_some_and(|date| date.first_day() <= day);
    let suspension_over = date("suspended_until").is_some_and(|until| until.last_day() < day);
    reached("lifted") || (reached("suspended") && !suspension_over)
}

fn leading_year(text: &str) -> Option<PartialDate> {
    let head = text.get(0..4)?;
    if head.bytes().all(|byte| byte.is_ascii_digit()) {
        PartialDate::year_only(head.parse().ok()?)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::*;

    #[test]
    fn germanium_control_applies_from_its_effective_day() {
        let fixture = Fixture::new();
        let control = fixture.node("cn-mofcom-2023-23");
        let before = Context::new(&fixture.graph).with_as_of(Some(day("2023-07-31")));
        let on = Context::new(&fixture.graph).with_as_of(Some(day("2023-08-01")));
        assert!(!before.policy_in_force(control));
        assert!(on.policy_in_force(control));
    }

    #[test]
    fn suspension_ends_force_until_suspended_until() {
        let fixture = Fixture::new();
        let ban = fixture.node("cn-mofcom-2024-46");
        let at = |text: &str| {
            Context::new(&fixture.graph)
                .with_as_of(Some(day(text)))
                .policy_in_force(ban)
        };
        assert!(!at("2024-12-02"));
        assert!(at("2024-12-03"));
        assert!(at("2025-07-01"));
        assert!(!at("2025-11-09"));
        assert!(!at("2026-11-27"));
        assert!(at("2026-11-28"));
        assert!(!Context::new(&fixture.graph).policy_in_force(ban));
    }

    #[test]
    fn scenarios_override_policy_state_without_touching_the_graph() {
        let fixture = Fixture::new();
        let ban = fixture.node("cn-mofcom-2024-46");
        let control = fixture.node("cn-mofcom-2023-23");
        let now = Context::new(&fixture.graph);
        assert!(
            now.clone()
                .assuming(Scenario::InForce(ban))
                .policy_in_force(ban)
        );
        assert!(
            !now.clone()
                .assuming(Scenario::Lifted(control))
                .policy_in_force(control)
        );
        assert!(now.policy_in_force(control));
    }

    #[test]
    fn facts_dated_after_as_of_are_hidden() {
        let fixture = Fixture::new();
        let china = fixture.node("china");
        let germanium = fixture.node("germanium");
        let edges = fixture
            .graph
            .edges_of(china, EdgeKind::Produces, Direction::Outgoing);
        let germanium_edges: Vec<_> = edges
            .into_iter()
            .filter(|(_, to)| *to == germanium)
            .collect();
        let old = Context::new(&fixture.graph).with_as_of(Some(day("2022-06-01")));
        let latest = old.latest_facts(&germanium_edges);
        assert!(
            latest
                .iter()
                .all(|(edge_idx, _)| old.number(*edge_idx, "year") == Some(2022.0))
        );
    }
}
