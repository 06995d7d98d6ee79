//! Cells made only when they are shown ([`super::Cell::Lazy`]): a row
//! keeps what a cell is made from — a node, an edge, a walk, an exposure
//! row — and a format (or an expression, through `Cell::resolved`) makes
//! the cell. Answers of thousands of rows print a few of them, or none.
//!
//! Invariant: a lazy cell displays, exports and types exactly as the cell
//! [`LazyCell::resolve`] makes.

use std::sync::Arc;

use crate::analysis::ExposureRow;
use crate::model::{EdgeIndex, Graph, NodeIndex};

use super::describe;
use super::result::Cell;
use super::sources::exposure;

/// What a [`Cell::Lazy`] stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum LazyCell {
    /// The node's id, as text.
    NodeId(NodeIndex),
    /// The node's name, as text.
    NodeName(NodeIndex),
    /// The node's kind (`country`), as text.
    NodeKind(NodeIndex),
    /// The edge's kind (`produces`), as text.
    EdgeKind(EdgeIndex),
    /// The edge's key props in tables, every prop for machines
    /// (`describe::edge_detail_cell`).
    EdgeDetail(EdgeIndex),
    /// A walk from `start` along `edges`: `a → b → c` in tables, its
    /// steps for machines (a closure row's `via`).
    Walk {
        start: NodeIndex,
        edges: Arc<[EdgeIndex]>,
    },
    /// An exposure row's `top_path`: its strongest chain, or null.
    ExposurePath(Arc<ExposureRow>),
    /// An exposure row's `factors` (machine formats print them).
    ExposureFactors(Arc<ExposureRow>),
}

impl LazyCell {
    /// The cell it stands for.
    pub fn resolve(&self, graph: &Graph) -> Cell {
        match self {
            LazyCell::NodeId(_)
            | LazyCell::NodeName(_)
            | LazyCell::NodeKind(_)
            | LazyCell::EdgeKind(_) => Cell::Text(self.display(graph)),
            LazyCell::EdgeDetail(edge_idx) => describe::edge_detail_cell(graph, *edge_idx),
            LazyCell::Walk { start, edges } => Cell::summary(
                describe::walk_text(graph, *start, edges),
                describe::walk_cell(graph, *start, edges),
            ),
            LazyCell::ExposurePath(row) => exposure::top_path(graph, row),
            LazyCell::ExposureFactors(row) => exposure::factors(graph, row),
        }
    }

    /// What tables and CSV show ([`Cell::display`]).
    pub(super) fn display(&self, graph: &Graph) -> String {
        match self {
            LazyCell::NodeId(node_idx) => graph.node(*node_idx).id.clone(),
            LazyCell::NodeName(node_idx) => graph.node(*node_idx).name.clone(),
            LazyCell::NodeKind(node_idx) => graph.node(*node_idx).kind.as_str().to_string(),
            LazyCell::EdgeKind(edge_idx) => graph.edge(*edge_idx).kind.as_str().to_string(),
            LazyCell::EdgeDetail(edge_idx) => describe::edge_detail(graph, *edge_idx),
            LazyCell::Walk { start, edges } => describe::walk_text(graph, *start, edges),
            LazyCell::ExposurePath(_) | LazyCell::ExposureFactors(_) => {
                self.resolve(graph).display(graph)
            }
        }
    }

    /// What machine formats write ([`Cell::to_json`]).
    pub(super) fn to_json(&self, graph: &Graph) -> serde_json::Value {
        match self {
            LazyCell::NodeId(_)
            | LazyCell::NodeName(_)
            | LazyCell::NodeKind(_)
            | LazyCell::EdgeKind(_) => serde_json::Value::String(self.display(graph)),
            LazyCell::EdgeDetail(edge_idx) => {
                describe::edge_record(graph, *edge_idx).to_json(graph)
            }
            other => other.resolve(graph).to_json(graph),
        }
    }

    /// The type's name in messages ([`Cell::type_name`]), without making
    /// the cell.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            LazyCell::NodeId(_)
            | LazyCell::NodeName(_)
            | LazyCell::NodeKind(_)
            | LazyCell::EdgeKind(_) => "string",
            LazyCell::EdgeDetail(_) => "record",
            LazyCell::ExposurePath(row) if row.paths.is_empty() => "null",
            LazyCell::Walk { .. } | LazyCell::ExposurePath(_) | LazyCell::ExposureFactors(_) => {
                "list"
            }
        }
    }
}
