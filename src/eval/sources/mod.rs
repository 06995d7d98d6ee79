//! One file per family of sources.

pub mod card;
pub mod closure;
pub mod concentration;
pub mod exposure;
pub mod exposure_explain;
pub mod exposure_scope;
pub mod exposure_tiers;
pub mod facts;
pub mod find;
pub mod list;
pub mod neighbors;
pub mod paths;
pub mod pattern;
pub mod shortest;
