//! What one query learns about items' production, kept for the rest of
//! that query: the item's visible `produces` edges grouped by (stage, year),
//! the item standing for it, its default stage and its headline tables.
//! `list minerals` asks for the stage, the top producer, its share and the
//! HHI of every mineral; each is read from the same production table, so
//! the table is built once per item instead of once per column and per call.
//!
//! A run that keeps an [`AnalysisCache`](super::AnalysisCache) keeps these
//! answers per view across its queries instead (the cache holds one memo
//! per view), so a repeated `list minerals | select …` reads every table
//! it read before.
//!
//! Invariant: a memo only ever holds answers for one view (its `as of`
//! day, scenarios and unsourced switch); [`Context`](super::Context) clears
//! it when asked under another view, and without a run's cache it never
//! outlives a query.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{EdgeIndex, NodeIndex, PartialDate};

use super::concentration::ConcentrationTable;
use super::context::Context;
use super::scenario::Scenario;

/// A `produces` edge group's key: stage (lower case; the known stages
/// borrowed from [`STAGE_ORDER`](super::STAGE_ORDER), others owned) and year.
pub(crate) type StageYear = (Option<Cow<'static, str>>, Option<i32>);

/// A stage name as a memo key: a known stage borrowed from
/// [`STAGE_ORDER`](super::STAGE_ORDER) (no allocation per look-up), another owned.
pub(crate) type StageName = Cow<'static, str>;

/// `stage` as a [`StageName`], exactly as written.
pub(crate) fn stage_name(stage: &str) -> StageName {
    match super::STAGE_ORDER.iter().find(|known| **known == stage) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(stage.to_string()),
    }
}

/// An item's visible `produces` edges by (stage, year), each group in edge order.
pub(crate) type ProductionGroups = BTreeMap<StageYear, Vec<EdgeIndex>>;

/// The view a memo's answers hold for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct View {
    pub as_of: Option<PartialDate>,
    pub scenarios: Vec<Scenario>,
    pub include_unsourced: bool,
}

impl View {
    /// The view `ctx` answers under.
    pub fn of(ctx: &Context<'_>) -> View {
        View {
            as_of: ctx.as_of,
            scenarios: ctx.scenarios.clone(),
            include_unsourced: ctx.include_unsourced,
        }
    }

    /// Whether `ctx` answers under this view (compared field by field,
    /// without building a [`View`] on every look-up).
    pub fn is_of(&self, ctx: &Context<'_>) -> bool {
        self.as_of == ctx.as_of
            && self.include_unsourced == ctx.include_unsourced
            && self.scenarios == ctx.scenarios
    }
}

/// The per-query memo of production answers (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct QueryMemo {
    /// The view the entries hold for; `None` while empty.
    pub view: Option<View>,
    pub production_item: HashMap<NodeIndex, NodeIndex>,
    pub groups: HashMap<NodeIndex, Arc<ProductionGroups>>,
    pub default_stage: HashMap<NodeIndex, Option<StageName>>,
    /// Keyed by the item standing for the asked one and the stage read.
    pub headline: HashMap<(NodeIndex, Option<StageName>), Option<Arc<ConcentrationTable>>>,
}

impl QueryMemo {
    /// Forgets every entry unless they hold for the view of `ctx`.
    pub fn keep_for(&mut self, ctx: &Context<'_>) {
        if !self.view.as_ref().is_some_and(|view| view.is_of(ctx)) {
            *self = QueryMemo {
                view: Some(View::of(ctx)),
                ..QueryMemo::default()
            };
        }
    }
}
