//! The raw parts of a [`Graph`]: its tables as plain data (nodes, edge
//! endpoints with kinds and validity, the property arena, sources, source
//! lists, interned strings), without the indexes built from them.
//!
//! [`Graph::parts`] borrows what it can; [`Graph::from_parts`] takes the
//! tables back, checks that every index in them points inside its table,
//! and rebuilds the indexes (id, name and alias maps, the petgraph store,
//! the source and key look-ups). It does not re-run the loader's data
//! rules: the parts came from a graph that passed them. The snapshot
//! format (`crate::snapshot`) is a file image of these parts.
//!
//! This is a thin mapping of `graph.rs`'s private storage: when that
//! storage changes, this file changes with it, and nothing else does.
//!
//! Invariant: no I/O and no file format here; a table with an index out of
//! range is an error, never a panic.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::graph::{Edge, Graph, Node, PropRange, Source, SourceIdx, SourceListIdx};
use super::kinds::{EdgeKind, NodeKind};
use super::value::{ArcStr, Validity, Value};

/// A graph's tables. Node and edge positions are their indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphParts<'g> {
    pub nodes: Vec<NodeParts>,
    pub edges: Vec<EdgeParts>,
    pub sources: Cow<'g, [Source]>,
    /// Deduplicated lists of sources; nodes and edges name one by index.
    pub source_lists: Cow<'g, [Box<[SourceIdx]>]>,
    /// Property key names; the arena holds indexes into this table.
    pub prop_keys: Cow<'g, [Arc<str>]>,
    /// The property arena: key index and value side by side; a node or
    /// edge owns the range `props` of both.
    pub prop_key_idx: Cow<'g, [u32]>,
    pub prop_values: Cow<'g, [Value]>,
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
    pub props: Range<u32>,
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
    pub prop_len: u32,
    /// Index into [`GraphParts::source_lists`].
    pub sources: u32,
}

/// Why parts do not make a graph: an index points outside its table, or
/// two nodes share an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct PartsError(pub String);

impl Graph {
    /// The graph's tables (property arena, sources and lists borrowed).
    pub(crate) fn parts(&self) -> GraphParts<'_> {
        let nodes = self
            .store
            .node_weights()
            .map(|node| self.node_parts(node))
            .collect();
        let edges = self
            .store
            .raw_edges()
            .iter()
            .map(|raw| EdgeParts {
                from: raw.source().index() as u32,
                to: raw.target().index() as u32,
                kind: raw.weight.kind,
                valid: raw.weight.valid,
                prop_start: raw.weight.props.start,
                prop_len: self.shape_keys(raw.weight.props.shape).len() as u32,
                sources: raw.weight.sources.0,
            })
            .collect();
        let mut strings: Vec<ArcStr> = self.strings.keys().cloned().collect();
        strings.sort_unstable();
        GraphParts {
            nodes,
            edges,
            sources: Cow::Borrowed(&self.sources),
            source_lists: Cow::Borrowed(&self.source_lists),
            prop_keys: Cow::Borrowed(&self.prop_keys),
            prop_key_idx: Cow::Owned(self.prop_key_per_value()),
            prop_values: Cow::Borrowed(&self.prop_arena),
            strings,
        }
    }

    /// Rebuilds a graph from its tables; every index is checked first.
    pub(crate) fn from_parts(parts: GraphParts<'_>) -> Result<Graph, PartsError> {
        check(&parts)?;
        let mut graph = Graph::new();
        graph.store = DiGraph::with_capacity(parts.nodes.len(), parts.edges.len());
        let keys = &parts.prop_key_idx;
        let node_props: Vec<PropRange> = parts
            .nodes
            .iter()
            .map(|node| graph.prop_range(node.props.start, node.props.end, keys))
            .collect();
        let by_id = Arc::make_mut(&mut graph.by_id);
        by_id.reserve(parts.nodes.len());
        graph.by_name.reserve(parts.nodes.len());
        for (node, props) in parts.nodes.into_iter().zip(node_props) {
            let node_idx = graph.store.add_node(Node {
                id: node.id.clone(),
                kind: node.kind,
                name: node.name.clone(),
                aliases: node.aliases.clone(),
                valid: node.valid,
                props,
                sources: SourceListIdx(node.sources),
            });
            if by_id.insert(node.id, node_idx).is_some() {
                let id = &graph.store[node_idx].id;
                return Err(PartsError(format!("two nodes have the id \"{id}\"")));
            }
            graph
                .by_name
                .entry(node.name.to_lowercase())
                .or_default()
                .push(node_idx);
            for alias in node.aliases {
                graph
                    .by_alias
                    .entry(alias.to_lowercase())
                    .or_default()
                    .push(node_idx);
            }
        }
        for edge in parts.edges {
            let props = graph.prop_range(edge.prop_start, edge.prop_start + edge.prop_len, keys);
            graph.store.add_edge(
                NodeIndex::new(edge.from as usize),
                NodeIndex::new(edge.to as usize),
                Edge {
                    kind: edge.kind,
                    valid: edge.valid,
                    props,
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
        graph.prop_arena = parts.prop_values.into_owned();
        Ok(graph)
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

impl Graph {
    fn node_parts(&self, node: &Node) -> NodeParts {
        let len = self.shape_keys(node.props.shape).len() as u32;
        NodeParts {
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            aliases: node.aliases.clone(),
            valid: node.valid,
            props: node.props.start..node.props.start + len,
            sources: node.sources.0,
        }
    }

    /// The key of every value in the arena (the graph keeps one key list
    /// per shape; the parts, one key per value).
    fn prop_key_per_value(&self) -> Vec<u32> {
        let mut keys = vec![0; self.prop_arena.len()];
        let ranges = self.store.node_weights().map(|node| node.props);
        let ranges = ranges.chain(self.store.edge_weights().map(|edge| edge.props));
        for range in ranges {
            let start = range.start as usize;
            let shape = self.shape_keys(range.shape);
            if let Some(slots) = keys.get_mut(start..start + shape.len()) {
                slots.copy_from_slice(shape);
            }
        }
        keys
    }

    /// The range of the values `start..end`, whose keys are those of the
    /// parts (checked to lie inside them), as a start and a shape.
    fn prop_range(&mut self, start: u32, end: u32, keys: &[u32]) -> PropRange {
        let keys = keys.get(start as usize..end as usize).unwrap_or_default();
        PropRange {
            start,
            shape: self.prop_shape(keys),
        }
    }
}

/// Every index in the parts points inside its table.
fn check(parts: &GraphParts<'_>) -> Result<(), PartsError> {
    let n_nodes = parts.nodes.len() as u64;
    let n_lists = parts.source_lists.len() as u64;
    let n_props = parts.prop_values.len() as u64;
    if parts.prop_key_idx.len() as u64 != n_props {
        return Err(PartsError(
            "the property keys and values differ in length".to_string(),
        ));
    }
    let n_keys = parts.prop_keys.len() as u32;
    if let Some(at) = parts.prop_key_idx.iter().position(|key| *key >= n_keys) {
        return Err(PartsError(format!("property {at} has no key")));
    }
    let n_sources = parts.sources.len() as u32;
    for list in parts.source_lists.iter() {
        if list.iter().any(|source| source.0 >= n_sources) {
            return Err(PartsError("a source list names no source".to_string()));
        }
    }
    let props_fit = |start: u32, len: u32| u64::from(start) + u64::from(len) <= n_props;
    for (at, node) in parts.nodes.iter().enumerate() {
        let fits = node.props.start <= node.props.end && props_fit(node.props.end, 0);
        if !fits || u64::from(node.sources) >= n_lists {
            return Err(PartsError(format!("node {at} points outside the tables")));
        }
    }
    for (at, edge) in parts.edges.iter().enumerate() {
        let ends_fit = u64::from(edge.from) < n_nodes && u64::from(edge.to) < n_nodes;
        let fits = ends_fit && props_fit(edge.prop_start, edge.prop_len);
        if !fits || u64::from(edge.sources) >= n_lists {
            return Err(PartsError(format!("edge {at} points outside the tables")));
        }
    }
    Ok(())
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

    #[test]
    fn parts_make_the_same_graph() {
        let graph = small_graph();
        let parts = graph.parts();
        let rebuilt = Graph::from_parts(parts.clone()).unwrap();
        assert_eq!(rebuilt.parts(), parts);
        assert_eq!(rebuilt.node_by_id("gallium"), graph.node_by_id("gallium"));
        let edge = rebuilt.edge_indices().next().unwrap();
        assert_eq!(
            rebuilt.edge_prop(edge, "stage").unwrap().as_str(),
            Some("mining")
        );
        assert_eq!(rebuilt.source_by_id("s1"), Some(SourceIdx(0)));
    }

    #[test]
    fn an_index_out_of_range_is_an_error() {
        let graph = small_graph();
        let mut parts = graph.parts();
        parts.edges[0].to = 7;
        assert!(Graph::from_parts(parts).is_err());
        let mut parts = graph.parts();
        parts.edges[0].prop_len = 9;
        assert!(Graph::from_parts(parts).is_err());
        let mut parts = graph.parts();
        parts.nodes[1].id = "china".to_string();
        assert!(Graph::from_parts(parts).is_err());
        let mut parts = graph.parts();
        parts.prop_key_idx.to_mut()[0] = 99;
        assert!(Graph::from_parts(parts).is_err());
    }
}
