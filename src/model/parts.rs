//! The raw parts of a [`Graph`]: its tables as plain data (nodes, edge
//! endpoints with kinds and validity, property shapes, the property
//! values and the arena of value slots, sources, source lists, interned
//! strings), without the indexes built from them.
//!
//! [`Graph::parts`] borrows what it can and [`Graph::edge_parts`] streams
//! the edges; [`Graph::from_parts`] takes the tables back with the edges
//! one by one, checks that every index in them points inside its table,
//! and rebuilds the indexes (id, name and alias maps, the petgraph store,
//! the source, key and shape look-ups; the value index when first needed). It does not re-run the loader's data
//! rules: the parts came from a graph that passed them. The snapshot
//! format (`crate::snapshot`) is a file image of these parts.
//!
//! This is a thin mapping of `graph.rs`'s private storage: when that
//! storage changes, this file changes with it, and nothing else does.
//!
//! Invariant: no I/O and no file format here; a table with an index out of
//! range is an error, never a panic.

use std::borrow::Cow;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::graph::{Edge, Graph, Node, PropRange, Source, SourceIdx, SourceListIdx};
use super::kinds::{EdgeKind, NodeKind};
use super::value::{ArcStr, Validity, Value};
use super::value_table::ValueTable;

/// A graph's tables but its edges, which go one by one
/// ([`Graph::edge_parts`], [`Graph::from_parts`]): a snapshot decodes each
/// edge as it is added, with no table of them in between. Node positions
/// are their indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphParts<'g> {
    pub nodes: Vec<NodeParts>,
    pub sources: Cow<'g, [Source]>,
    /// Deduplicated lists of sources; nodes and edges name one by index.
    pub source_lists: Cow<'g, [Box<[SourceIdx]>]>,
    /// Property key names; shapes hold indexes into this table.
    pub prop_keys: Cow<'g, [Arc<str>]>,
    /// Key lists (shape 0 has no keys): a node or edge names its shape and
    /// owns as many slots of `prop_slots` from its start.
    pub shapes: Cow<'g, [Box<[u32]>]>,
    /// The property values (equal values mostly share one: see `ValueTable`).
    pub values: Cow<'g, [Value]>,
    /// The property arena: each property's place in `values`.
    pub prop_slots: Cow<'g, [u32]>,
    /// The interned strings (every string property value is one of them),
    /// sorted so that the same graph gives the same parts.
    pub strings: Vec<ArcStr>,
}

/// A node's row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeParts {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub valid: Validity,
    pub prop_start: u32,
    /// Index into [`GraphParts::shapes`].
    pub shape: u32,
    /// Index into [`GraphParts::source_lists`].
    pub sources: u32,
}

/// An edge's row: endpoints are node positions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EdgeParts {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
    pub valid: Validity,
    pub prop_start: u32,
    /// Index into [`GraphParts::shapes`].
    pub shape: u32,
    /// Index into [`GraphParts::source_lists`].
    pub sources: u32,
}

/// Why parts do not make a graph: an index points outside its table, or
/// two nodes share an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct PartsError(pub String);

impl Graph {
    /// The graph's tables but its edges (the large ones borrowed).
    pub(crate) fn parts(&self) -> GraphParts<'_> {
        let nodes = self
            .store
            .node_weights()
            .map(|node| NodeParts {
                id: node.id.clone(),
                kind: node.kind,
                name: node.name.clone(),
                aliases: node.aliases.clone(),
                valid: node.valid,
                prop_start: node.props.start,
                shape: node.props.shape,
                sources: node.sources.0,
            })
            .collect();
        let mut strings: Vec<ArcStr> = self.strings.keys().cloned().collect();
        strings.sort_unstable();
        GraphParts {
            nodes,
            sources: Cow::Borrowed(&self.sources),
            source_lists: Cow::Borrowed(&self.source_lists),
            prop_keys: Cow::Borrowed(&self.prop_keys),
            shapes: Cow::Borrowed(&self.prop_shapes),
            values: Cow::Borrowed(self.values.values()),
            prop_slots: Cow::Borrowed(&self.prop_arena),
            strings,
        }
    }

    /// The graph's edges in index order.
    pub(crate) fn edge_parts(&self) -> impl ExactSizeIterator<Item = EdgeParts> + '_ {
        self.store.raw_edges().iter().map(|raw| EdgeParts {
            from: raw.source().index() as u32,
            to: raw.target().index() as u32,
            kind: raw.weight.kind,
            valid: raw.weight.valid,
            prop_start: raw.weight.props.start,
            shape: raw.weight.props.shape,
            sources: raw.weight.sources.0,
        })
    }

    /// Rebuilds a graph from its tables and its edges; every index is
    /// checked (an edge's as it is added). `edges` says how many there
    /// are before the first: the store is allocated once, exactly.
    pub(crate) fn from_parts(
        parts: GraphParts<'_>,
        edges: impl ExactSizeIterator<Item = Result<EdgeParts, PartsError>>,
    ) -> Result<Graph, PartsError> {
        let bounds = check(&parts, edges.len())?;
        let mut graph = Graph::new();
        graph.store = DiGraph::with_capacity(parts.nodes.len(), edges.len());
        graph.add_node_parts(parts.nodes)?;
        for (at, edge) in edges.enumerate() {
            let edge = edge?;
            if !bounds.edge_fits(&edge) {
                return Err(PartsError(format!("edge {at} points outside the tables")));
            }
            graph.store.add_edge(
                NodeIndex::new(edge.from as usize),
                NodeIndex::new(edge.to as usize),
                Edge {
                    kind: edge.kind,
                    valid: edge.valid,
                    props: PropRange {
                        start: edge.prop_start,
                        shape: edge.shape,
                    },
                    sources: SourceListIdx(edge.sources),
                },
            );
        }
        graph.rebuild_lookups(
            parts.sources.into_owned(),
            parts.source_lists.into_owned(),
            parts.prop_keys.into_owned(),
            parts.strings,
        );
        graph.prop_shape_by_keys = parts
            .shapes
            .iter()
            .enumerate()
            .map(|(at, keys)| (keys.clone(), at as u32))
            .collect();
        graph.prop_shapes = parts.shapes.into_owned();
        graph.values = ValueTable::from_values(parts.values.into_owned());
        graph.prop_arena = parts.prop_slots.into_owned();
        Ok(graph)
    }

    /// Adds the nodes (checked by [`check`]) and their id, name and alias
    /// look-ups; two nodes with one id are an error.
    fn add_node_parts(&mut self, nodes: Vec<NodeParts>) -> Result<(), PartsError> {
        let by_id = Arc::make_mut(&mut self.by_id);
        by_id.reserve(nodes.len());
        self.by_name.reserve(nodes.len());
        for node in nodes {
            let node_idx = self.store.add_node(Node {
                id: node.id.clone(),
                kind: node.kind,
                name: node.name.clone(),
                aliases: node.aliases.clone(),
                valid: node.valid,
                props: PropRange {
                    start: node.prop_start,
                    shape: node.shape,
                },
                sources: SourceListIdx(node.sources),
            });
            if by_id.insert(node.id, node_idx).is_some() {
                let id = &self.store[node_idx].id;
                return Err(PartsError(format!("two nodes have the id \"{id}\"")));
            }
            self.by_name
                .entry(node.name.to_lowercase())
                .or_default()
                .push(node_idx);
            for alias in node.aliases {
                self.by_alias
                    .entry(alias.to_lowercase())
                    .or_default()
                    .push(node_idx);
            }
        }
        Ok(())
    }

    /// Installs the small tables and the look-ups built from them.
    fn rebuild_lookups(
        &mut self,
        sources: Vec<Source>,
        source_lists: Vec<Box<[SourceIdx]>>,
        prop_keys: Vec<Arc<str>>,
        strings: Vec<ArcStr>,
    ) {
        self.source_by_id = sources
            .iter()
            .enumerate()
            .map(|(at, source)| (source.id.clone(), SourceIdx(at as u32)))
            .collect();
        self.source_list_by_value = source_lists
            .iter()
            .enumerate()
            .map(|(at, list)| (list.clone(), SourceListIdx(at as u32)))
            .collect();
        self.prop_key_by_name = prop_keys
            .iter()
            .enumerate()
            .map(|(at, key)| (Arc::clone(key), at as u32))
            .collect();
        self.strings = strings.into_iter().map(|text| (text, ())).collect();
        self.sources = sources;
        self.source_lists = source_lists;
        self.prop_keys = prop_keys;
    }
}

/// The sizes an item's indexes must stay within, and each shape's length.
struct Bounds {
    n_nodes: u64,
    n_lists: u64,
    n_slots: u64,
    shape_lens: Vec<u32>,
}

impl Bounds {
    /// Whether an item's shape, property slots and source list exist.
    fn item_fits(&self, prop_start: u32, shape: u32, sources: u32) -> bool {
        let Some(len) = self.shape_lens.get(shape as usize) else {
            return false;
        };
        u64::from(prop_start) + u64::from(*len) <= self.n_slots && u64::from(sources) < self.n_lists
    }

    fn edge_fits(&self, edge: &EdgeParts) -> bool {
        let ends_fit = u64::from(edge.from) < self.n_nodes && u64::from(edge.to) < self.n_nodes;
        ends_fit && self.item_fits(edge.prop_start, edge.shape, edge.sources)
    }
}

/// Every index in the tables points inside its table (edges are checked
/// as they come, against the bounds returned).
fn check(parts: &GraphParts<'_>, n_edges: usize) -> Result<Bounds, PartsError> {
    if parts.nodes.len() >= u32::MAX as usize || n_edges >= u32::MAX as usize {
        return Err(PartsError(
            "it has more items than a graph holds".to_string(),
        ));
    }
    let n_keys = parts.prop_keys.len() as u32;
    if parts.shapes.first().is_some_and(|keys| !keys.is_empty()) {
        return Err(PartsError(
            "the first property shape is not empty".to_string(),
        ));
    }
    if parts.shapes.iter().flatten().any(|key| *key >= n_keys) {
        return Err(PartsError("a property shape names no key".to_string()));
    }
    let n_values = parts.values.len() as u32;
    if let Some(at) = parts.prop_slots.iter().position(|slot| *slot >= n_values) {
        return Err(PartsError(format!("property {at} has no value")));
    }
    let n_sources = parts.sources.len() as u32;
    for list in parts.source_lists.iter() {
        if list.iter().any(|source| source.0 >= n_sources) {
            return Err(PartsError("a source list names no source".to_string()));
        }
    }
    let bounds = Bounds {
        n_nodes: parts.nodes.len() as u64,
        n_lists: parts.source_lists.len() as u64,
        n_slots: parts.prop_slots.len() as u64,
        shape_lens: parts.shapes.iter().map(|keys| keys.len() as u32).collect(),
    };
    for (at, node) in parts.nodes.iter().enumerate() {
        if !bounds.item_fits(node.prop_start, node.shape, node.sources) {
            return Err(PartsError(format!("node {at} points outside the tables")));
        }
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fields;

    fn small_graph() -> Graph {
        let mut graph = Graph::new();
        let source = graph.add_source(Source {
            id: "s1".to_string(),
            title: "A report".to_string(),
            publisher: None,
            published: None,
            url: None,
            note: None,
        });
        let stage = graph.intern("mining");
        let fields = |props: Vec<(Arc<str>, Value)>| Fields {
            props,
            sources: vec![source],
            valid: Validity::default(),
        };
        let china = graph.add_node(
            "china".to_string(),
            NodeKind::Country,
            "China".to_string(),
            vec!["PRC".to_string()],
            fields(vec![]),
        );
        let gallium = graph.add_node(
            "gallium".to_string(),
            NodeKind::Mineral,
            "Gallium".to_string(),
            vec![],
            fields(vec![(Arc::from("symbol"), Value::Str("Ga".into()))]),
        );
        graph.add_edge(
            china,
            gallium,
            EdgeKind::Produces,
            fields(vec![
                (Arc::from("share"), Value::Number(0.98)),
                (Arc::from("stage"), Value::Str(stage)),
            ]),
        );
        graph
    }

    fn rebuilt(parts: GraphParts<'_>, edges: Vec<EdgeParts>) -> Result<Graph, PartsError> {
        Graph::from_parts(parts, edges.into_iter().map(Ok))
    }

    fn edges(graph: &Graph) -> Vec<EdgeParts> {
        graph.edge_parts().collect()
    }

    #[test]
    fn parts_make_the_same_graph() {
        let graph = small_graph();
        let parts = graph.parts();
        let rebuilt = rebuilt(parts.clone(), edges(&graph)).unwrap();
        assert_eq!(rebuilt.parts(), parts);
        assert_eq!(edges(&rebuilt), edges(&graph));
        assert_eq!(rebuilt.node_by_id("gallium"), graph.node_by_id("gallium"));
        let edge = rebuilt.edge_indices().next().unwrap();
        assert_eq!(
            rebuilt.edge_prop(edge, "stage").unwrap().as_str(),
            Some("mining")
        );
        assert_eq!(rebuilt.source_by_id("s1"), Some(SourceIdx(0)));
    }

    #[test]
    fn a_rebuilt_graph_finds_its_values_when_it_grows() {
        let graph = small_graph();
        let mut rebuilt = rebuilt(graph.parts(), edges(&graph)).unwrap();
        let (china, gallium) = (NodeIndex::new(0), NodeIndex::new(1));
        let n_values = rebuilt.values.values().len();
        let share = rebuilt.prop_key("share");
        let sources = SourceListIdx(0);
        let props = [(share, Value::Number(0.98))].into_iter();
        let added = rebuilt.add_edge_indexed(
            china,
            gallium,
            EdgeKind::Produces,
            Validity::default(),
            props,
            sources,
        );
        assert_eq!(
            rebuilt.values.values().len(),
            n_values,
            "0.98 is a share already"
        );
        assert_eq!(rebuilt.edge_number(added, "share"), Some(0.98));
        let props = [(share, Value::Number(0.5))].into_iter();
        rebuilt.add_edge_indexed(
            china,
            gallium,
            EdgeKind::Produces,
            Validity::default(),
            props,
            sources,
        );
        assert_eq!(rebuilt.values.values().len(), n_values + 1);
    }

    #[test]
    fn an_index_out_of_range_is_an_error() {
        let graph = small_graph();
        let parts = graph.parts();
        let mut bad_edges = edges(&graph);
        bad_edges[0].to = 7;
        assert!(rebuilt(parts.clone(), bad_edges).is_err());
        let mut bad_edges = edges(&graph);
        bad_edges[0].prop_start = 2;
        assert!(rebuilt(parts.clone(), bad_edges).is_err());
        let mut bad_edges = edges(&graph);
        bad_edges[0].shape = 9;
        assert!(rebuilt(parts.clone(), bad_edges).is_err());
        let mut bad = parts.clone();
        bad.nodes[1].id = "china".to_string();
        assert!(rebuilt(bad, edges(&graph)).is_err());
        let mut bad = parts.clone();
        bad.shapes.to_mut()[1] = Box::from([99]);
        assert!(rebuilt(bad, edges(&graph)).is_err());
        let mut bad = parts.clone();
        bad.prop_slots.to_mut()[0] = 99;
        assert!(rebuilt(bad, edges(&graph)).is_err());
        let mut bad = parts.clone();
        bad.shapes.to_mut()[0] = Box::from([0]);
        assert!(rebuilt(bad, edges(&graph)).is_err());
    }
}
