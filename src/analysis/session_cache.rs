//! What exposure questions build and a run of many questions reuses: each
//! consumer's trade index (its reliance and import facts by item), the
//! dependence table of a set of industries (every material upstream of
//! them, within the hop limit), each item's production facts grouped by
//! stage and year (world shares, concentration, `list` columns), each
//! item's production answers (the item standing for it, its default stage,
//! its headline tables: a query's [`QueryMemo`] kept for the run), and the
//! supply channels to each supplier (per consumer and material). A shell or batch run keeps one
//! [`AnalysisCache`] across its statements and hands it to each query's
//! [`Context`](super::Context).
//!
//! Invariant: an entry is only ever read back for the same graph and the
//! same view (`as of` day, scenarios, unsourced switch) it was built for;
//! anything else is a miss. The caller clears the cache when it replaces
//! the graph (`.load`); the graph's address and size are checked as well.

use std::cell::RefCell;
use std::hash::Hash;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Graph, NodeIndex};

use super::context::Context;
use super::dependence::DependenceTable;
use super::exposure::{Supplier, SupplyMemo};
use super::memo::{ProductionGroups, QueryMemo, View};
use super::supply::TradeIndex;

/// Views kept at once (a run that switches `as of` back and forth keeps
/// both); the least recently used goes first.
const MAX_VIEWS: usize = 4;

/// Dependence tables kept per view (one per set of industries asked
/// about), and supply memos (one per supplier).
const MAX_TABLES: usize = 4;

/// Trade indexes and dependence tables kept across the queries of a run.
#[derive(Debug, Default)]
pub struct AnalysisCache {
    entries: RefCell<Entries>,
}

/// Hits and misses since they were last taken (for `.timing`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub trade_hits: u32,
    pub trade_misses: u32,
    pub dependence_hits: u32,
    pub dependence_misses: u32,
    pub production_hits: u32,
    pub production_misses: u32,
    pub supply_hits: u32,
    pub supply_misses: u32,
}

impl CacheStats {
    /// Whether the cache was consulted at all.
    pub fn is_empty(&self) -> bool {
        *self == CacheStats::default()
    }
}

#[derive(Debug, Default)]
struct Entries {
    /// The graph the entries were built from: its address and size.
    graph: Option<(usize, usize, usize)>,
    /// Most recently used last.
    views: Vec<(View, ViewEntries)>,
    stats: CacheStats,
}

#[derive(Debug, Default)]
struct ViewEntries {
    trade: HashMap<NodeIndex, Arc<TradeIndex>>,
    /// By the users, in the order asked; most recently used last.
    dependence: Vec<(Vec<NodeIndex>, Arc<DependenceTable>)>,
    production: HashMap<NodeIndex, Arc<ProductionGroups>>,
    /// Supply channels by supplier; most recently used last.
    supply: Vec<(Supplier, SupplyMemo)>,
    /// Per-item production answers, as one query's memo holds them (its
    /// `view` is unused: the entry is the view's).
    answers: QueryMemo,
}

impl AnalysisCache {
    pub fn new() -> AnalysisCache {
        AnalysisCache::default()
    }

    /// Forgets everything (the graph was replaced).
    pub fn clear(&self) {
        let mut entries = self.entries.borrow_mut();
        let stats = entries.stats;
        *entries = Entries {
            stats,
            ..Entries::default()
        };
    }

    /// The hits and misses since the last call.
    pub fn take_stats(&self) -> CacheStats {
        std::mem::take(&mut self.entries.borrow_mut().stats)
    }

    /// The consumer's trade index under the view of `ctx`, built on a miss.
    pub(crate) fn trade_index(&self, ctx: &Context<'_>, consumer: NodeIndex) -> Arc<TradeIndex> {
        self.per_node(
            ctx,
            consumer,
            |view| &mut view.trade,
            |stats| (&mut stats.trade_hits, &mut stats.trade_misses),
            || TradeIndex::new(ctx, consumer),
        )
    }

    /// The item's production groups under the view of `ctx`, built by
    /// `build` on a miss.
    pub(crate) fn production_groups(
        &self,
        ctx: &Context<'_>,
        item: NodeIndex,
        build: impl FnOnce() -> ProductionGroups,
    ) -> Arc<ProductionGroups> {
        self.per_node(
            ctx,
            item,
            |view| &mut view.production,
            |stats| (&mut stats.production_hits, &mut stats.production_misses),
            build,
        )
    }

    /// The run's answer for `key` in the memo `slot` of the view of `ctx`,
    /// computed by `compute` on a miss (see [`Context::memoized`]). The
    /// cache is not borrowed while `compute` runs.
    pub(crate) fn memoized<K: Hash + Eq, V: Clone>(
        &self,
        ctx: &Context<'_>,
        slot: for<'m> fn(&'m mut QueryMemo) -> &'m mut HashMap<K, V>,
        key: K,
        compute: impl FnOnce() -> V,
    ) -> V {
        {
            let mut entries = self.entries.borrow_mut();
            let answers = &mut entries.view_entries(ctx).answers;
            if let Some(found) = slot(answers).get(&key) {
                return found.clone();
            }
        }
        let value = compute();
        let mut entries = self.entries.borrow_mut();
        slot(&mut entries.view_entries(ctx).answers).insert(key, value.clone());
        value
    }

    /// The entry for `node` in the per-node map `slot` of the view of
    /// `ctx`, counted in `counts` (hits, misses) and built by `build` on a
    /// miss. The cache is not borrowed while `build` runs: it may read
    /// other entries.
    fn per_node<T>(
        &self,
        ctx: &Context<'_>,
        node: NodeIndex,
        slot: fn(&mut ViewEntries) -> &mut HashMap<NodeIndex, Arc<T>>,
        counts: fn(&mut CacheStats) -> (&mut u32, &mut u32),
        build: impl FnOnce() -> T,
    ) -> Arc<T> {
        {
            let mut entries = self.entries.borrow_mut();
            let found = slot(entries.view_entries(ctx)).get(&node).map(Arc::clone);
            let (hits, misses) = counts(&mut entries.stats);
            if let Some(found) = found {
                *hits += 1;
                return found;
            }
            *misses += 1;
        }
        let built = Arc::new(build());
        let mut entries = self.entries.borrow_mut();
        slot(entries.view_entries(ctx)).insert(node, Arc::clone(&built));
        built
    }

    /// The supply memo of `supplier` under the view of `ctx`, taken out of
    /// the cache while a question fills it ([`AnalysisCache::keep_supply`]
    /// puts it back); `None` on a miss.
    pub(crate) fn take_supply(&self, ctx: &Context<'_>, supplier: Supplier) -> Option<SupplyMemo> {
        let mut entries = self.entries.borrow_mut();
        let memos = &mut entries.view_entries(ctx).supply;
        let found = memos
            .iter()
            .position(|(known, _)| *known == supplier)
            .map(|position| memos.remove(position).1);
        match found {
            Some(_) => entries.stats.supply_hits += 1,
            None => entries.stats.supply_misses += 1,
        }
        found
    }

    /// Keeps the supply memo of `supplier` for the view of `ctx`.
    pub(crate) fn keep_supply(&self, ctx: &Context<'_>, supplier: Supplier, memo: SupplyMemo) {
        let mut entries = self.entries.borrow_mut();
        let memos = &mut entries.view_entries(ctx).supply;
        memos.retain(|(known, _)| *known != supplier);
        if memos.len() >= MAX_TABLES {
            memos.remove(0);
        }
        memos.push((supplier, memo));
    }

    /// The dependence table of `users` under the view of `ctx`, built on a miss.
    pub(crate) fn dependence_table(
        &self,
        ctx: &Context<'_>,
        users: &[NodeIndex],
    ) -> Arc<DependenceTable> {
        // In the order given: the table's order of materials follows it,
        // and scores add their terms in that order.
        let key = users.to_vec();
        {
            let mut entries = self.entries.borrow_mut();
            let tables = &mut entries.view_entries(ctx).dependence;
            let found = tables.iter().position(|(known, _)| *known == key);
            if let Some(position) = found {
                let entry = tables.remove(position);
                let table = Arc::clone(&entry.1);
                tables.push(entry);
                entries.stats.dependence_hits += 1;
                return table;
            }
            entries.stats.dependence_misses += 1;
        }
        let built = Arc::new(DependenceTable::new(ctx, users));
        let mut entries = self.entries.borrow_mut();
        let tables = &mut entries.view_entries(ctx).dependence;
        if tables.len() >= MAX_TABLES {
            tables.remove(0);
        }
        tables.push((key, Arc::clone(&built)));
        built
    }
}

impl Entries {
    /// The entries for the view of `ctx` (made most recently used), after
    /// forgetting everything if the graph is not the one they were built from.
    fn view_entries(&mut self, ctx: &Context<'_>) -> &mut ViewEntries {
        let graph = graph_mark(ctx.graph);
        if self.graph != Some(graph) {
            self.views.clear();
            self.graph = Some(graph);
        }
        let position = match self.views.iter().position(|(known, _)| known.is_of(ctx)) {
            Some(position) => position,
            None => {
                if self.views.len() >= MAX_VIEWS {
                    self.views.remove(0);
                }
                self.views.push((View::of(ctx), ViewEntries::default()));
                self.views.len() - 1
            }
        };
        let last = self.views.len() - 1;
        if position != last {
            let entry = self.views.remove(position);
            self.views.push(entry);
        }
        &mut self.views[last].1
    }
}

fn graph_mark(graph: &Graph) -> (usize, usize, usize) {
    (
        std::ptr::from_ref(graph) as usize,
        graph.node_count(),
        graph.edge_count(),
    )
}
