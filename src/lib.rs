//! critmin: a knowledge-graph query tool for critical-mineral supply chains.
//!
//! Data flows one way: `load` (files → validated [`model::Graph`]) → `syntax`
//! (query text → AST with spans) → `eval` and `analysis` (AST + graph → result
//! rows and a supporting subgraph) → `render` (result → text or export files).
//! The binary (`src/main.rs` and `src/cli/`) is a thin shell over this library.
//!
//! Invariant: the library never prints and never exits; only the binary does.

#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod analysis;
pub mod cancel;
pub mod eval;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
mod parallel;
pub mod picture;
pub mod render;
pub mod snapshot;
pub mod syntax;
