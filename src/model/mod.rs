//! The graph model: node and edge kinds, typed values, the petgraph-backed
//! [`Graph`] with its id/name/alias indexes, sources, and name resolution.
//!
//! Invariant: `model` does no I/O and knows no file format; a `NodeIndex`
//! never leaves the process (ids do).

mod adjacency;
mod graph;
mod kinds;
mod name_match;
mod neighbors;
mod normalize;
mod parts;
mod resolve;
mod stats;
mod subgraph;
mod value;
mod value_table;

pub use graph::{Edge, Fields, Graph, Node, Source, SourceIdx};
pub(crate) use graph::{SourceListIdx, same};
pub use kinds::{EdgeKind, NodeKind, with_article};
pub use name_match::{MatchQuality, NameMatch};
pub use neighbors::{ALL_KINDS, KindMask, NeighborIndex, NeighborRun, NeighborTrace, kind_bit};
pub use normalize::nfc;
pub(crate) use parts::{EdgeParts, GraphParts, NodeParts, PartsError};
pub use petgraph::Direction;
pub use petgraph::graph::{EdgeIndex, NodeIndex};
pub use resolve::{ResolveError, SUGGEST_MAX_CHARS, closest, suggestion_work};
pub use stats::GraphStats;
pub use subgraph::Subgraph;
pub use value::{ArcStr, DateError, PartialDate, Validity, Value, format_number};
