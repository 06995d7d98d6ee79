//! Analysis over the graph: dependency closures (`depends`, `dependents`),
//! exposure of countries and industries to suppliers and policies,
//! production concentration (shares, HHI), timelines of policies and events,
//! and what-if scenarios (`assuming`). Everything is evaluated through a
//! [`Context`]: the graph as it stood on an `as of` day, under a scenario.
//! The model, its formulas and its limits are written up in `docs/EXPOSURE.md`.
//!
//! Invariant: analysis does no I/O and never mutates the graph; scenarios are
//! small override lists read through the [`Context`], never written into it.
//! Output order is defined by scores and ids, never by `NodeIndex` or hash order.

mod closure;
mod concentration;
mod condition;
mod context;
mod dependence;
mod exposure;
mod memo;
mod policy_status;
mod production_scenario;
mod scenario;
mod scope;
pub mod selection;
mod session_cache;
mod supply;
mod tiers;
mod timeline;

#[cfg(test)]
mod fixture;

pub use closure::{Reach, dependents, depends, reach_subgraph};
pub(crate) use concentration::default_stage_name;
pub use concentration::{
    ConcentrationTable, ProducerShare, STAGE_ORDER, concentration, default_stage, hhi, hhi_of,
    item_stages, share, top_producer,
};
pub use condition::{
    Condition, DEFAULT_CONDITIONAL_COVERAGE, coverage_factor, restriction_condition,
};
pub use context::Context;
pub use exposure::{
    AnalysisError, DependenceLink, ExposurePath, ExposureReport, ExposureRow, ExposureTarget,
    MaterialExposure, MaterialScope, Supplier, exposure, exposure_for,
};
pub use policy_status::PolicyStatus;
pub use production_scenario::{ScenarioTable, apply_scenarios, removed_fraction};
pub use scenario::{
    ExposureChange, Scenario, ScenarioReport, exposure_diff, exposure_with_scenario,
    exposure_with_scenarios,
};
pub use scope::{material_suppliers, scope_items};
pub use session_cache::{AnalysisCache, CacheStats};
pub use supply::{
    RestrictionFactor, SupplyBasis, SupplyShare, WorldShare, import_reliance, supply_share,
};
pub use tiers::{
    MAX_TIERS, TierHop, TierRoute, TieredRow, TieredSupply, tiered_exposure, tiered_supply,
};
pub use timeline::{PolicyMilestone, Preemption, TimelineEntry, TimelineFact, timeline};

/// Dependence assumed for a `used_in` or `member_of` edge without a
/// `dependence` prop: "needed, but we do not know how badly".
pub const DEFAULT_DEPENDENCE: f64 = 0.5;

/// Dependence assumed for a `depends_on` edge without a `dependence` prop:
/// an umbrella industry (`defense`) is made of its branches.
pub const DEFAULT_UMBRELLA_DEPENDENCE: f64 = 1.0;

/// Severity assumed for a `restricts` edge without a `severity` prop whose
/// `measure` is `ban` or `suspension`.
pub const DEFAULT_BAN_SEVERITY: f64 = 1.0;

/// Severity assumed for any other `restricts` edge without `severity`
/// (`licensing`, `quota`, `tariff`, or no measure).
pub const DEFAULT_SEVERITY: f64 = 0.5;

/// Longest dependence chain (in edges) that exposure follows.
pub const MAX_PATH_HOPS: usize = 8;

/// An import breakdown that ended more than this many years before the
/// consumer's import-reliance figure is history, not today's supply mix:
/// the analysis falls back to world shares (tungsten's 1991–94 split).
pub const STALE_IMPORT_YEARS: i32 = 5;

/// Materials explained per exposure row, each by its strongest chain (the
/// score uses every material and every chain).
pub const TOP_PATHS: usize = 5;
