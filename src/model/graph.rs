//! The graph: petgraph storage plus the indexes queries need.

use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, OnceLock};

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::adjacency::KindIndex;
use super::kinds::{EdgeKind, NodeKind};
use super::value::{ArcStr, Validity, Value};
use super::value_table::ValueTable;

/// Index of a source in [`Graph::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceIdx(pub u32);

/// An entry of the sources table: the publication a fact comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<super::PartialDate>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// A node's data. Properties live out of line in the graph's arena.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub valid: Validity,
    pub(super) props: PropRange,
    pub(super) sources: SourceListIdx,
}

/// An edge's data, kept small: bulk graphs hold millions of them (24
/// bytes, and petgraph's 16 around it).
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub kind: EdgeKind,
    pub valid: Validity,
    pub(super) props: PropRange,
    pub(super) sources: SourceListIdx,
}

const _: () = assert!(std::mem::size_of::<Edge>() == 24);

/// Where an item's property slots start in the arena, and its shape:
/// the list of their keys, shared by every item with the same keys.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PropRange {
    pub(super) start: u32,
    pub(super) shape: u32,
}

/// Up to this many shapes are searched in order rather than hashed.
const FEW_SHAPES: usize = 16;

/// Index of a deduplicated source list (crate-internal: the loader caches it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SourceListIdx(pub(super) u32);

/// What a node or edge is made of before it enters the graph.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub props: Vec<(Arc<str>, Value)>,
    pub sources: Vec<SourceIdx>,
    pub valid: Validity,
}

/// The knowledge graph. Nodes and edges are addressed by petgraph indices
/// inside the process; ids are what users and files see.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub(super) store: DiGraph<Node, Edge>,
    pub(super) sources: Vec<Source>,
    pub(super) source_by_id: HashMap<String, SourceIdx>,
    pub(super) source_lists: Vec<Box<[SourceIdx]>>,
    pub(super) source_list_by_value: HashMap<Box<[SourceIdx]>, SourceListIdx>,
    pub(super) prop_keys: Vec<Arc<str>>,
    pub(super) prop_key_by_name: HashMap<Arc<str>, u32>,
    /// Key lists (indexes into `prop_keys`) of the items' properties: bulk
    /// edges share a handful, so a property costs its value's slot alone.
    pub(super) prop_shapes: Vec<Box<[u32]>>,
    pub(super) prop_shape_by_keys: HashMap<Box<[u32]>, u32>,
    /// The property slots of every item, one range per item: a slot is
    /// a value's place in `values` (4 bytes a property).
    pub(super) prop_arena: Vec<u32>,
    /// Every distinct property value, once.
    pub(super) values: ValueTable,
    /// The keys of the item being added.
    shape_scratch: Vec<u32>,
    pub(super) strings: HashMap<ArcStr, ()>,
    /// Shared so that the loader can resolve edge endpoints on another
    /// thread while edges are added (nodes are all in by then).
    pub(super) by_id: Arc<HashMap<String, NodeIndex>>,
    pub(super) by_name: HashMap<String, Vec<NodeIndex>>,
    pub(super) by_alias: HashMap<String, Vec<NodeIndex>>,
    /// Edges by (node, direction, kind), built on the first traversal.
    adjacency: OnceLock<KindIndex>,
    /// Figures another figure of the same fact supersedes (loser → winner),
    /// computed on first use by the analysis's fact selection.
    superseded: OnceLock<HashMap<EdgeIndex, EdgeIndex>>,
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    // ----- reading -----

    pub fn node_count(&self) -> usize {
        self.store.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.store.edge_count()
    }

    pub fn node(&self, node_idx: NodeIndex) -> &Node {
        &self.store[node_idx]
    }

    pub fn edge(&self, edge_idx: EdgeIndex) -> &Edge {
        &self.store[edge_idx]
    }

    /// `(from, to)` of an edge.
    pub fn endpoints(&self, edge_idx: EdgeIndex) -> (NodeIndex, NodeIndex) {
        // Every EdgeIndex handed out by this graph is valid: edges are never removed.
        self.store
            .edge_endpoints(edge_idx)
            .unwrap_or((NodeIndex::end(), NodeIndex::end()))
    }

    pub fn node_indices(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.store.node_indices()
    }

    pub fn edge_indices(&self) -> impl Iterator<Item = EdgeIndex> + '_ {
        self.store.edge_indices()
    }

    pub fn node_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// The superseded figures (loser → winner), computed by `compute` on
    /// the first call after the graph last changed. The rule that decides
    /// lives in `analysis::selection`; the graph only keeps its answer.
    pub fn superseded_with(
        &self,
        compute: impl FnOnce(&Graph) -> HashMap<EdgeIndex, EdgeIndex>,
    ) -> &HashMap<EdgeIndex, EdgeIndex> {
        self.superseded.get_or_init(|| compute(self))
    }

    /// Edges of `kind` leaving (`Outgoing`) or entering (`Incoming`) a node,
    /// as `(edge, other end)`, in insertion order.
    /// [`Graph::edges_of`] without collecting: for tight traversal loops.
    pub fn edges_slice(
        &self,
        node_idx: NodeIndex,
        kind: EdgeKind,
        direction: Direction,
    ) -> &[(EdgeIndex, NodeIndex)] {
        self.adjacency().edges(node_idx, kind, direction)
    }

    /// The edge index (and node ranks by id), built on first use.
    pub(crate) fn adjacency(&self) -> &KindIndex {
        self.adjacency.get_or_init(|| KindIndex::build(&self.store))
    }

    pub fn edges_of(
        &self,
        node_idx: NodeIndex,
        kind: EdgeKind,
        direction: Direction,
    ) -> Vec<(EdgeIndex, NodeIndex)> {
        self.edges_slice(node_idx, kind, direction).to_vec()
    }

    /// Every edge at a node in either direction, as `(edge, other end, direction)`.
    pub fn all_edges_at(&self, node_idx: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, Direction)> {
        let mut found = Vec::new();
        for direction in [Direction::Outgoing, Direction::Incoming] {
            for edge_ref in self.store.edges_directed(node_idx, direction) {
                let other = match direction {
                    Direction::Outgoing => edge_ref.target(),
                    Direction::Incoming => edge_ref.source(),
                };
                found.push((edge_ref.id(), other, direction));
            }
        }
        found.sort_by_key(|(edge_idx, _, _)| *edge_idx);
        found
    }

    pub fn node_props(&self, node_idx: NodeIndex) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.props_of(self.store[node_idx].props)
    }

    pub fn edge_props(&self, edge_idx: EdgeIndex) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.props_of(self.store[edge_idx].props)
    }

    pub fn node_prop(&self, node_idx: NodeIndex, key: &str) -> Option<&Value> {
        self.prop_in(self.store[node_idx].props, key)
    }

    pub fn edge_prop(&self, edge_idx: EdgeIndex, key: &str) -> Option<&Value> {
        self.prop_in(self.store[edge_idx].props, key)
    }

    /// The index of a property key, for lookups on hot paths
    /// ([`Graph::edge_prop_at`]); `None` when no node or edge has the key.
    pub(crate) fn key_index(&self, key: &str) -> Option<u32> {
        self.prop_key_by_name.get(key).copied()
    }

    /// [`Graph::edge_prop`] by a key index from [`Graph::key_index`].
    pub(crate) fn edge_prop_at(&self, edge_idx: EdgeIndex, key_idx: u32) -> Option<&Value> {
        self.prop_at(self.store[edge_idx].props, key_idx)
    }

    /// A numeric edge property, if present and a number.
    pub fn edge_number(&self, edge_idx: EdgeIndex, key: &str) -> Option<f64> {
        self.edge_prop(edge_idx, key).and_then(Value::as_f64)
    }

    pub fn node_sources(&self, node_idx: NodeIndex) -> &[SourceIdx] {
        &self.source_lists[self.store[node_idx].sources.0 as usize]
    }

    pub fn edge_sources(&self, edge_idx: EdgeIndex) -> &[SourceIdx] {
        &self.source_lists[self.store[edge_idx].sources.0 as usize]
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, source_idx: SourceIdx) -> &Source {
        &self.sources[source_idx.0 as usize]
    }

    pub fn source_by_id(&self, id: &str) -> Option<SourceIdx> {
        self.source_by_id.get(id).copied()
    }

    /// Every property key in use, sorted (for completion and `.schema`).
    pub fn prop_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.prop_keys.iter().map(|key| &**key).collect();
        keys.sort_unstable();
        keys
    }

    /// The petgraph store, for algorithms that want it directly.
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.store
    }

    // ----- building (the loader validates before it calls these) -----

    /// Adds a source; the caller has checked the id is new.
    pub fn add_source(&mut self, source: Source) -> SourceIdx {
        let source_idx = SourceIdx(self.sources.len() as u32);
        self.source_by_id.insert(source.id.clone(), source_idx);
        self.sources.push(source);
        source_idx
    }

    /// Adds a node; the caller has checked the id is new.
    pub fn add_node(
        &mut self,
        id: String,
        kind: NodeKind,
        name: String,
        aliases: Vec<String>,
        fields: Fields,
    ) -> NodeIndex {
        let props = self.store_props(fields.props);
        let sources = self.store_sources(fields.sources);
        let node = Node {
            id: id.clone(),
            kind,
            name: name.clone(),
            aliases: aliases.clone(),
            valid: fields.valid,
            props,
            sources,
        };
        self.adjacency = OnceLock::new();
        let node_idx = self.store.add_node(node);
        Arc::make_mut(&mut self.by_id).insert(id, node_idx);
        self.by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(node_idx);
        for alias in aliases {
            self.by_alias
                .entry(alias.to_lowercase())
                .or_default()
                .push(node_idx);
        }
        node_idx
    }

    pub fn add_edge(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        fields: Fields,
    ) -> EdgeIndex {
        let edge = Edge {
            kind,
            valid: fields.valid,
            props: self.store_props(fields.props),
            sources: self.store_sources(fields.sources),
        };
        self.adjacency = OnceLock::new();
        self.superseded = OnceLock::new();
        self.store.add_edge(from, to, edge)
    }

    /// Shares equal strings so repeated values cost one allocation.
    pub fn intern(&mut self, text: &str) -> ArcStr {
        if let Some((existing, ())) = self.strings.get_key_value(text) {
            return existing.clone();
        }
        let shared = ArcStr::from(text);
        self.strings.insert(shared.clone(), ());
        shared
    }

    fn store_props(&mut self, props: Vec<(Arc<str>, Value)>) -> PropRange {
        let start = self.prop_arena.len() as u32;
        let mut keys = std::mem::take(&mut self.shape_scratch);
        keys.clear();
        for (key, value) in props {
            let key_idx = self.prop_key(&key);
            keys.push(key_idx);
            let value = match value {
                Value::Str(text) => Value::Str(self.intern(&text)),
                other => other,
            };
            let slot = self.value_slot(key_idx, value);
            self.prop_arena.push(slot);
        }
        let shape = self.prop_shape(&keys);
        self.shape_scratch = keys;
        PropRange { start, shape }
    }

    /// The shape with these keys, registered if new. Bulk rows use a
    /// handful of shapes, which are found without hashing.
    pub(super) fn prop_shape(&mut self, keys: &[u32]) -> u32 {
        if self.prop_shapes.is_empty() {
            // Shape 0 has no keys: the default range of an item.
            self.prop_shapes.push(Box::from([]));
            self.prop_shape_by_keys.insert(Box::from([]), 0);
        }
        if self.prop_shapes.len() <= FEW_SHAPES {
            if let Some(shape) = self.prop_shapes.iter().position(|known| same(known, keys)) {
                return shape as u32;
            }
        }
        if let Some(shape) = self.prop_shape_by_keys.get(keys) {
            return *shape;
        }
        let shape = self.prop_shapes.len() as u32;
        self.prop_shapes.push(Box::from(keys));
        self.prop_shape_by_keys.insert(Box::from(keys), shape);
        shape
    }

    /// The keys of a shape.
    pub(super) fn shape_keys(&self, shape: u32) -> &[u32] {
        self.prop_shapes
            .get(shape as usize)
            .map_or(&[], |keys| keys)
    }

    // ----- bulk building (crate-internal fast path of the loader) -----

    /// Makes room for this many more nodes, edges and edge properties
    /// (slots: distinct values take room as they come).
    pub(crate) fn reserve(&mut self, nodes: usize, edges: usize, props: usize) {
        self.store.reserve_nodes(nodes);
        Arc::make_mut(&mut self.by_id).reserve(nodes);
        self.by_name.reserve(nodes);
        self.store.reserve_edges(edges);
        self.prop_arena.reserve(props);
    }

    /// The id → node index, shared read-only (edges do not change it).
    pub(crate) fn id_index(&self) -> Arc<HashMap<String, NodeIndex>> {
        Arc::clone(&self.by_id)
    }

    /// Every node's kind, by node index.
    pub(crate) fn node_kinds(&self) -> Vec<NodeKind> {
        self.store.node_weights().map(|node| node.kind).collect()
    }

    /// The name of a key index handed out by [`Graph::prop_key`].
    pub(crate) fn prop_key_name(&self, key_idx: u32) -> &str {
        &self.prop_keys[key_idx as usize]
    }

    /// The deduplicated list holding these sources.
    pub(crate) fn source_list(&mut self, sources: &[SourceIdx]) -> SourceListIdx {
        if let Some(existing) = self.source_list_by_value.get(sources) {
            return *existing;
        }
        self.store_sources(sources.to_vec())
    }

    /// Adds an edge whose property keys are already indexes (from
    /// [`Graph::prop_key`]) and whose string values are already interned.
    pub(crate) fn add_edge_indexed(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        valid: Validity,
        props: impl Iterator<Item = (u32, Value)>,
        sources: SourceListIdx,
    ) -> EdgeIndex {
        self.index_values();
        // The table is moved out for the call (no allocation), so that
        // slots are found as the arena takes them.
        let mut values = std::mem::take(&mut self.values);
        let slotted = props.map(|(key_idx, value)| (key_idx, values.slot(key_idx, value)));
        let edge_idx = self.add_edge_slotted(from, to, kind, valid, slotted, sources);
        self.values = values;
        edge_idx
    }

    /// The slot of a value of property key `key_idx`, for
    /// [`Graph::add_edge_slotted`]: equal values of a key (strings: the same
    /// interned string) share one. A loader that remembers the slots of
    /// repeated cells adds them without a look-up.
    pub(crate) fn value_slot(&mut self, key_idx: u32, value: Value) -> u32 {
        self.index_values();
        self.values.slot(key_idx, value)
    }

    /// [`Graph::value_slot`] for a column whose values seldom repeat: once
    /// the key has many values, each takes a slot of its own (see
    /// `ValueTable::slot_unless_rare`).
    pub(crate) fn value_slot_unless_rare(&mut self, key_idx: u32, value: Value) -> u32 {
        self.index_values();
        self.values.slot_unless_rare(key_idx, value)
    }

    /// The value in a slot handed out by [`Graph::value_slot`].
    pub(crate) fn slot_value(&self, slot: u32) -> Option<&Value> {
        self.values.get(slot)
    }

    /// Makes the value table's index whole (after a snapshot opened, the
    /// first value added pays for it).
    fn index_values(&mut self) {
        if self.values.is_indexed() {
            return;
        }
        let (store, shapes, arena) = (&self.store, &self.prop_shapes, &self.prop_arena);
        let ranges = store.node_weights().map(|node| node.props);
        let ranges = ranges.chain(store.edge_weights().map(|edge| edge.props));
        let used = ranges.flat_map(|range| {
            let keys: &[u32] = shapes.get(range.shape as usize).map_or(&[], |keys| keys);
            let start = range.start as usize;
            let slots = arena.get(start..start + keys.len()).unwrap_or_default();
            keys.iter().copied().zip(slots.iter().copied())
        });
        self.values.index(used);
    }

    /// [`Graph::add_edge_indexed`] with values given by their slots (from
    /// [`Graph::value_slot`]): the bulk loader's fastest entry.
    pub(crate) fn add_edge_slotted(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        valid: Validity,
        props: impl Iterator<Item = (u32, u32)>,
        sources: SourceListIdx,
    ) -> EdgeIndex {
        let start = self.prop_arena.len() as u32;
        let mut keys = std::mem::take(&mut self.shape_scratch);
        keys.clear();
        for (key_idx, slot) in props {
            keys.push(key_idx);
            self.prop_arena.push(slot);
        }
        let shape = self.prop_shape(&keys);
        self.shape_scratch = keys;
        let edge = Edge {
            kind,
            valid,
            props: PropRange { start, shape },
            sources,
        };
        self.adjacency = OnceLock::new();
        self.superseded = OnceLock::new();
        self.store.add_edge(from, to, edge)
    }

    /// The index of a property key, registering it if new.
    pub(crate) fn prop_key(&mut self, key: &str) -> u32 {
        if let Some(key_idx) = self.prop_key_by_name.get(key) {
            return *key_idx;
        }
        let key_idx = self.prop_keys.len() as u32;
        let shared: Arc<str> = Arc::from(key);
        self.prop_keys.push(Arc::clone(&shared));
        self.prop_key_by_name.insert(shared, key_idx);
        key_idx
    }

    fn store_sources(&mut self, sources: Vec<SourceIdx>) -> SourceListIdx {
        let list = sources.into_boxed_slice();
        if let Some(existing) = self.source_list_by_value.get(&list) {
            return *existing;
        }
        let list_idx = SourceListIdx(self.source_lists.len() as u32);
        self.source_lists.push(list.clone());
        self.source_list_by_value.insert(list, list_idx);
        list_idx
    }

    fn props_of(&self, range: PropRange) -> impl Iterator<Item = (&str, &Value)> + '_ {
        let keys = self.shape_keys(range.shape);
        let start = range.start as usize;
        let slots = self
            .prop_arena
            .get(start..start + keys.len())
            .unwrap_or_default();
        keys.iter().zip(slots).filter_map(|(key_idx, slot)| {
            let value = self.values.get(*slot)?;
            Some((&*self.prop_keys[*key_idx as usize], value))
        })
    }

    fn prop_in(&self, range: PropRange, key: &str) -> Option<&Value> {
        self.prop_at(range, *self.prop_key_by_name.get(key)?)
    }

    fn prop_at(&self, range: PropRange, key_idx: u32) -> Option<&Value> {
        let at = self
            .shape_keys(range.shape)
            .iter()
            .position(|candidate| *candidate == key_idx)?;
        let slot = self.prop_arena.get(range.start as usize + at)?;
        self.values.get(*slot)
    }
}

/// Whether two short lists are equal, compared in a loop the compiler
/// inlines (`==` on slices calls `memcmp`, which costs more than a bulk
/// loader's few keys or sources are worth).
pub(crate) fn same<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a == b)
}
