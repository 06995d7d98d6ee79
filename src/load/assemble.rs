//! Checks items against each other and assembles the graph.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::model::{
    ArcStr, EdgeKind, Fields, Graph, NodeIndex, NodeKind, Source, SourceIdx, SourceListIdx,
    Validity, Value,
};

use super::problem::Problem;
use super::raw::{Place, RawEdge, RawNode, RawSource, SourceIds, UNIT_PROPS, is_slug};

/// Producer shares of one item, stage and year may sum at most to this.
pub const SHARE_SUM_LIMIT: f64 = 1.05;
/// Below this the shares of an item are reported as incomplete.
pub const SHARE_SUM_LOW: f64 = 0.5;
/// Separates a share group's stage from its provenance in `stage_names`.
const PROVENANCE_MARK: char = '\u{1f}';
/// At most this many incomplete-share warnings are listed one by one.
const LOW_SHARE_WARNINGS: usize = 50;
/// Stages without provenance found by pointer (`plain_stages`).
const PLAIN_STAGES: usize = 8;
/// Share groups an item keeps in its own list before they move to a map.
const ITEM_GROUPS: usize = 32;

/// The graph under construction and everything found wrong so far.
#[derive(Default)]
pub struct Assembler<'f> {
    pub graph: Graph,
    pub problems: Vec<Problem>,
    /// `(kind, lowercased alias or name)` → id of the node that claimed it.
    claimed: HashMap<(NodeKind, String), String>,
    /// Per item (by node index), its share groups as `[stage and has-year,
    /// year, index in share_sums]`: an item's edges tend to come together,
    /// so its short list stays in cache where a big map would miss.
    item_groups: Vec<Vec<[u32; 3]>>,
    /// Items with more than `ITEM_GROUPS` groups, whose groups moved to
    /// `share_index`.
    item_spilled: Vec<bool>,
    /// Share groups of spilled items → index in `share_sums`.
    share_index: HashMap<SmallShareKey, u32>,
    /// Groups whose year does not fit an `i32`.
    share_index_wide: HashMap<ShareKey, u32>,
    share_sums: Vec<ShareSum<'f>>,
    /// Stage names of share groups; a group's `stage` is its index + 1.
    stage_names: Vec<ArcStr>,
    stage_by_name: HashMap<ArcStr, u32>,
    /// Stages without provenance by their interned name: found by pointer,
    /// without hashing the name for every edge.
    plain_stages: Vec<(ArcStr, u32)>,
    /// What each property key (by graph key index) means to the checks.
    key_roles: Vec<KeyRole>,
    /// The last CSV sources cell that resolved cleanly, and its list.
    last_source_cell: Option<(String, SourceListIdx)>,
    /// The last JSON sources list that resolved cleanly, and its list.
    last_source_list: Option<(Vec<String>, SourceListIdx)>,
    /// The sources of the last clean CSV edge, and their list.
    last_clean_sources: Option<(Box<[SourceIdx]>, SourceListIdx)>,
    /// Whether CSV edge rows found clean by a worker are checked again
    /// here, as every other row is (the oracle of the loader's tests).
    pub recheck_clean_rows: bool,
}

/// An edge's endpoints as looked up in the node ids, and whether its kind
/// allows them (`None`: not checked yet).
#[derive(Debug, Clone, Copy, Default)]
pub struct EdgeEnds {
    pub from: Option<NodeIndex>,
    pub to: Option<NodeIndex>,
    pub allowed: Option<bool>,
    /// For an import: whether its first `item` is the id of a mineral or
    /// product (`None`: not checked yet).
    pub item_is_material: Option<bool>,
}

/// A share group packed into 16 bytes: item (high 32 bits), whether there
/// is a year (bit 31) and stage symbol (low bits, 0 = none); the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShareKey {
    item_stage: u64,
    year: i64,
}

const HAS_YEAR: u64 = 1 << 31;

impl ShareKey {
    fn new(item: NodeIndex, stage: u32, year: Option<i64>) -> ShareKey {
        let has_year = if year.is_some() { HAS_YEAR } else { 0 };
        ShareKey {
            item_stage: ((item.index() as u64) << 32) | has_year | u64::from(stage),
            year: year.unwrap_or(0),
        }
    }

    fn item(self) -> NodeIndex {
        NodeIndex::new((self.item_stage >> 32) as usize)
    }

    /// 0 for none, else the index in `stage_names` + 1.
    fn stage(self) -> u32 {
        (self.item_stage & (HAS_YEAR - 1)) as u32
    }

    fn year(self) -> Option<i64> {
        (self.item_stage & HAS_YEAR != 0).then_some(self.year)
    }
}

/// A share key whose year fits an `i32`, in 12 bytes (so that a map entry
/// takes 16): item, stage and has-year bit, year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SmallShareKey([u32; 3]);

impl ShareKey {
    fn small(self) -> Option<SmallShareKey> {
        let year = i32::try_from(self.year).ok()?;
        let (item, rest) = ((self.item_stage >> 32) as u32, self.item_stage as u32);
        Some(SmallShareKey([item, rest, year as u32]))
    }
}

impl SmallShareKey {
    fn wide(self) -> ShareKey {
        let [item, rest, year] = self.0;
        ShareKey {
            item_stage: (u64::from(item) << 32) | u64::from(rest),
            year: i64::from(year as i32),
        }
    }
}

struct ShareSum<'f> {
    total: f64,
    count: u32,
    /// The first edge of the group, located only if a problem is reported.
    first: Place<'f>,
}

/// A share group as reported: sorted by item, stage name, year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ShareGroup {
    item: NodeIndex,
    stage: Option<ArcStr>,
    year: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyRole {
    Other,
    /// `share` (also a unit property).
    Share,
    /// Another property that must lie within 0..1.
    Unit,
    Year,
    Stage,
    Publication,
    Edition,
    Origin,
    /// An import's `item`.
    Item,
}

impl<'f> Assembler<'f> {
    pub fn add_source(&mut self, place: Place<'f>, raw: RawSource) {
        if !is_slug(raw.id) {
            self.problems.push(place.error("id", slug_message(raw.id)));
            return;
        }
        if self.graph.source_by_id(raw.id).is_some() {
            self.problems
                .push(place.error("id", format!("duplicate source id \"{}\"", raw.id)));
            return;
        }
        if raw.title.trim().is_empty() {
            self.problems
                .push(place.error("title", "source title is empty"));
        }
        self.graph.add_source(Source {
            id: raw.id.to_string(),
            title: raw.title.to_string(),
            publisher: raw.publisher.map(str::to_string),
            published: raw.published,
            url: raw.url.map(str::to_string),
            note: raw.note.map(str::to_string),
        });
    }

    pub fn add_node(&mut self, place: Place<'f>, raw: RawNode) {
        let mut addable = true;
        if !is_slug(raw.id) {
            self.problems.push(place.error("id", slug_message(raw.id)));
            addable = false;
        } else if self.graph.node_by_id(raw.id).is_some() {
            self.problems
                .push(place.error("id", format!("duplicate node id \"{}\"", raw.id)));
            addable = false;
        }
        if raw.name.trim().is_empty() {
            self.problems
                .push(place.error("name", "node name is empty"));
        }
        // Names and aliases are stored and compared in NFC.
        let name = crate::model::nfc(raw.name);
        self.claim(place, raw.kind, raw.id, "name", &name);
        let aliases: Vec<String> = raw
            .aliases
            .iter()
            .map(|alias| crate::model::nfc(alias).into_owned())
            .collect();
        for (index, alias) in aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                self.problems
                    .push(place.error(&format!("aliases[{index}]"), "alias is empty"));
            }
            self.claim(place, raw.kind, raw.id, &format!("aliases[{index}]"), alias);
        }
        let fields = self.fields(place, "node", raw.props, &raw.sources, raw.valid);
        // A node with other problems still enters (the load fails anyway), so
        // that edges pointing at it do not report it missing as well.
        if addable {
            let id = raw.id.to_string();
            self.graph
                .add_node(id, raw.kind, name.into_owned(), aliases, fields);
        }
    }

    /// The graph's index for a property key (edges carry keys as indexes).
    pub fn prop_key(&mut self, key: &str) -> u32 {
        self.graph.prop_key(key)
    }

    /// A value ready for [`RawEdge::props`]: strings interned.
    pub fn intern_value(&mut self, value: Value) -> Value {
        match value {
            Value::Str(text) => Value::Str(self.graph.intern(&text)),
            other => other,
        }
    }

    pub fn add_edge(&mut self, place: Place<'f>, raw: RawEdge) {
        let ends = EdgeEnds {
            from: self.graph.node_by_id(raw.from),
            to: self.graph.node_by_id(raw.to),
            ..EdgeEnds::default()
        };
        self.add_edge_resolved(place, raw, ends);
    }

    /// Adds an edge whose endpoints were looked up already (`ends`).
    pub fn add_edge_resolved(&mut self, place: Place<'f>, raw: RawEdge, ends: EdgeEnds) {
        let problems_before = self.problems.len();
        let from = self.endpoint(place, "from", raw.from, ends.from);
        let to = self.endpoint(place, "to", raw.to, ends.to);
        for (key_idx, value) in raw.props.iter() {
            let in_unit = value
                .as_f64()
                .is_some_and(|number| (0.0..=1.0).contains(&number));
            if !in_unit && matches!(self.key_role(*key_idx), KeyRole::Unit | KeyRole::Share) {
                let key = self.graph.prop_key_name(*key_idx).to_string();
                self.check_unit_range(place, &key, value);
            }
        }
        self.check_validity(place, raw.valid);
        let sources = self.edge_sources(place, &raw.sources);
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        let allowed = ends.allowed.unwrap_or_else(|| {
            raw.kind
                .allows(self.graph.node(from).kind, self.graph.node(to).kind)
        });
        if !allowed {
            let (from_kind, to_kind) = (self.graph.node(from).kind, self.graph.node(to).kind);
            let (froms, tos) = raw.kind.endpoints();
            let message = format!(
                "a {} edge cannot run from a {from_kind} to a {to_kind} (it runs from {} to {})",
                raw.kind,
                kinds_list(froms),
                kinds_list(tos)
            );
            self.problems.push(place.error("kind", message));
        }
        if raw.kind == EdgeKind::ImportsFrom {
            self.check_import(place, from, to, raw.props, ends.item_is_material);
        }
        let Some(sources) = sources else { return };
        if self.problems.len() > problems_before {
            return;
        }
        if raw.kind == EdgeKind::Produces {
            self.count_share(place, to, raw.props, raw.valid);
        }
        self.graph
            .add_edge_indexed(from, to, raw.kind, raw.valid, raw.props.drain(..), sources);
    }

    /// Adds an edge that a CSV worker found clean: every check of
    /// [`Assembler::add_edge_resolved`] passed, its sources are resolved,
    /// and its values' slots found (`props`: key index and value slot, in
    /// prop order). Only what needs the whole graph is left: the share sums.
    pub fn add_clean_edge(
        &mut self,
        place: Place<'f>,
        (from, to): (NodeIndex, NodeIndex),
        kind: EdgeKind,
        valid: Validity,
        props: &[(u32, u32)],
        sources: &[SourceIdx],
    ) {
        let list = match &self.last_clean_sources {
            Some((last, list)) if crate::model::same(last, sources) => *list,
            _ => {
                let list = self.graph.source_list(sources);
                self.last_clean_sources = Some((sources.into(), list));
                list
            }
        };
        if kind == EdgeKind::Produces {
            self.count_share_slotted(place, to, props, valid);
        }
        self.graph
            .add_edge_slotted(from, to, kind, valid, props.iter().copied(), list);
    }

    /// An `imports_from` edge joins two different countries, and its `item`
    /// (when given) is the id of a mineral or product.
    fn check_import(
        &mut self,
        place: Place<'f>,
        from: NodeIndex,
        to: NodeIndex,
        props: &[(u32, Value)],
        item_is_material: Option<bool>,
    ) {
        if from == to {
            let message = "an imports_from edge cannot run from a country to itself";
            self.problems.push(place.error("to", message));
        }
        let item = props
            .iter()
            .find(|(key_idx, _)| self.key_role(*key_idx) == KeyRole::Item);
        let Some((_, value)) = item else { return };
        let is_material = item_is_material.unwrap_or_else(|| match value {
            Value::Str(id) => self.graph.node_by_id(id).is_some_and(|node_idx| {
                matches!(
                    self.graph.node(node_idx).kind,
                    NodeKind::Mineral | NodeKind::Product
                )
            }),
            _ => false,
        });
        if !is_material {
            let message = format!(
                "item: {} is not the id of a mineral or product",
                crate::render::shorten(&value.to_string())
            );
            self.problems.push(place.error("item", message));
        }
    }

    /// Checks that all was consistent: the share sums, once every edge is in.
    pub fn finish(mut self) -> (Graph, Vec<Problem>) {
        let stage_names = std::mem::take(&mut self.stage_names);
        let sums = std::mem::take(&mut self.share_sums);
        let small = std::mem::take(&mut self.share_index);
        let wide = std::mem::take(&mut self.share_index_wide);
        let listed = std::mem::take(&mut self.item_groups);
        let listed = listed.into_iter().enumerate().flat_map(|(item, list)| {
            list.into_iter()
                .map(move |[rest, year, slot]| (SmallShareKey([item as u32, rest, year]), slot))
        });
        let mut groups: Vec<(ShareGroup, &ShareSum)> = small
            .into_iter()
            .chain(listed)
            .map(|(key, slot)| (key.wide(), slot))
            .chain(wide)
            .map(|(key, slot)| (key, &sums[slot as usize]))
            .filter(|(_, sum)| sum.total > SHARE_SUM_LIMIT || sum.total < SHARE_SUM_LOW)
            .map(|(key, sum)| {
                let stage = key.stage();
                let group = ShareGroup {
                    item: key.item(),
                    stage: (stage != 0).then(|| stage_names[stage as usize - 1].clone()),
                    year: key.year(),
                };
                (group, sum)
            })
            .collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut low_reported = 0;
        for (group, sum) in groups {
            if sum.total < SHARE_SUM_LOW {
                low_reported += 1;
                if low_reported > LOW_SHARE_WARNINGS {
                    continue;
                }
            }
            let item = &self.graph.node(group.item).id;
            let (stage, provenance) = match group.stage.as_deref() {
                Some(name) => match name.split_once(PROVENANCE_MARK) {
                    Some((stage, provenance)) => (stage, format!(" ({provenance})")),
                    None => (name, String::new()),
                },
                None => ("", String::new()),
            };
            let stage = if stage.is_empty() {
                String::new()
            } else {
                format!(" {stage}")
            };
            let year = group
                .year
                .map(|year| format!(" in {year}{provenance}"))
                .unwrap_or(provenance);
            let total = crate::model::format_number((sum.total * 1000.0).round() / 1000.0);
            let (file, at) = (&sum.first.file().name, sum.first.at("props.share"));
            if sum.total > SHARE_SUM_LIMIT {
                let message = format!(
                    "{stage} shares of \"{item}\"'s producers{year} sum to {total}, above {SHARE_SUM_LIMIT}"
                );
                self.problems
                    .push(Problem::error(file, at, message.trim_start().to_string()));
            } else if sum.total < SHARE_SUM_LOW {
                let message = format!(
                    "{stage} shares of \"{item}\"'s producers{year} sum to only {total} ({} producer(s) listed): the data is incomplete",
                    sum.count
                );
                self.problems
                    .push(Problem::warning(file, at, message.trim_start().to_string()));
            }
        }
        if low_reported > LOW_SHARE_WARNINGS {
            let message = format!(
                "and {} more items whose producer shares sum below {SHARE_SUM_LOW}",
                low_reported - LOW_SHARE_WARNINGS
            );
            if let Some(first) = self.problems.iter().find(|p| !p.is_error()).cloned() {
                self.problems.push(Problem { message, ..first });
            }
        }
        (self.graph, self.problems)
    }

    fn claim(&mut self, place: Place, kind: NodeKind, id: &str, field: &str, spelling: &str) {
        let key = (kind, spelling.to_lowercase());
        match self.claimed.entry(key) {
            std::collections::hash_map::Entry::Occupied(owner) if owner.get() != id => {
                let owner = owner.get();
                let message =
                    format!("\"{spelling}\" is already the name or an alias of {kind} \"{owner}\"");
                self.problems.push(place.error(field, message));
            }
            std::collections::hash_map::Entry::Occupied(_) => {}
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id.to_string());
            }
        }
    }

    /// Makes room for this many more nodes (names, ids) in the indexes.
    pub fn reserve_nodes(&mut self, nodes: usize) {
        self.claimed.reserve(nodes);
        self.graph.reserve(nodes, 0, 0);
    }

    /// Reports an endpoint that is not a node (`found` is its lookup).
    fn endpoint(
        &mut self,
        place: Place,
        field: &str,
        id: &str,
        found: Option<NodeIndex>,
    ) -> Option<NodeIndex> {
        if found.is_none() {
            let ids = self
                .graph
                .node_indices()
                .map(|node_idx| self.graph.node(node_idx).id.as_str());
            let hint = crate::model::closest(id, ids)
                .map(|close| format!(" (did you mean \"{close}\"?)"))
                .unwrap_or_default();
            self.problems
                .push(place.error(field, format!("edge endpoint \"{id}\" is not a node{hint}")));
        }
        found
    }

    /// Checks a node's props, sources and validity.
    fn fields(
        &mut self,
        place: Place,
        what: &str,
        props: Vec<(Arc<str>, Value)>,
        source_ids: &[&str],
        valid: Validity,
    ) -> Fields {
        for (key, value) in &props {
            if UNIT_PROPS.contains(&&**key) {
                self.check_unit_range(place, key, value);
            }
        }
        self.check_validity(place, valid);
        if source_ids.is_empty() {
            self.problems.push(place.error(
                "sources",
                format!("{what} cites no source (every fact needs one)"),
            ));
        }
        let sources = self.resolve_sources(place, source_ids);
        Fields {
            props,
            sources,
            valid,
        }
    }

    fn check_validity(&mut self, place: Place, valid: Validity) {
        if let (Some(from), Some(to)) = (valid.from, valid.to) {
            if to.last_day() < from.first_day() {
                self.problems.push(place.error(
                    "valid_to",
                    format!("valid_to {to} is before valid_from {from}"),
                ));
            }
        }
    }

    /// Resolves an edge's sources to a list, reusing the last clean result
    /// when the same cell or list comes again (bulk files repeat them).
    /// `None` if a problem was found.
    fn edge_sources(&mut self, place: Place, ids: &SourceIds) -> Option<SourceListIdx> {
        match ids {
            SourceIds::Cell(cell) => {
                if let Some((last, list)) = &self.last_source_cell {
                    if last == cell {
                        return Some(*list);
                    }
                }
                let ids: Vec<&str> = cell
                    .split(';')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .collect();
                let list = self.resolve_edge_sources(place, &ids)?;
                self.last_source_cell = Some((cell.to_string(), list));
                Some(list)
            }
            SourceIds::List(ids) => {
                if let Some((last, list)) = &self.last_source_list {
                    if last.len() == ids.len() && last.iter().zip(ids).all(|(a, b)| a == b) {
                        return Some(*list);
                    }
                }
                let list = self.resolve_edge_sources(place, ids)?;
                let owned = ids.iter().map(|id| id.to_string()).collect();
                self.last_source_list = Some((owned, list));
                Some(list)
            }
        }
    }

    fn resolve_edge_sources(&mut self, place: Place, ids: &[&str]) -> Option<SourceListIdx> {
        let problems_before = self.problems.len();
        if ids.is_empty() {
            self.problems.push(place.error(
                "sources",
                "edge cites no source (every fact needs one)".to_string(),
            ));
        }
        let resolved = self.resolve_sources(place, ids);
        (self.problems.len() == problems_before).then(|| self.graph.source_list(&resolved))
    }

    fn key_role(&mut self, key_idx: u32) -> KeyRole {
        while self.key_roles.len() <= key_idx as usize {
            let name = self.graph.prop_key_name(self.key_roles.len() as u32);
            let role = match name {
                "share" => KeyRole::Share,
                "year" => KeyRole::Year,
                "stage" => KeyRole::Stage,
                "publication" => KeyRole::Publication,
                "edition" => KeyRole::Edition,
                "origin" => KeyRole::Origin,
                "item" => KeyRole::Item,
                _ if UNIT_PROPS.contains(&name) => KeyRole::Unit,
                _ => KeyRole::Other,
            };
            self.key_roles.push(role);
        }
        self.key_roles[key_idx as usize]
    }

    fn check_unit_range(&mut self, place: Place, key: &str, value: &Value) {
        if value
            .as_f64()
            .is_some_and(|number| (0.0..=1.0).contains(&number))
        {
            return;
        }
        let field = format!("props.{key}");
        match value.as_f64() {
            Some(number) if (0.0..=1.0).contains(&number) => {}
            Some(number) => {
                let message = format!(
                    "{key} {} is outside 0..1 (write 85% as 0.85)",
                    crate::model::format_number(number)
                );
                self.problems.push(place.error(&field, message));
            }
            None => {
                let message = format!(
                    "{key} must be a number within 0..1, found a {}",
                    value.type_name()
                );
                self.problems.push(place.error(&field, message));
            }
        }
    }

    fn resolve_sources(&mut self, place: Place, source_ids: &[&str]) -> Vec<SourceIdx> {
        let mut resolved = Vec::with_capacity(source_ids.len());
        for (index, source_id) in source_ids.iter().enumerate() {
            match self.graph.source_by_id(source_id) {
                Some(source_idx) => resolved.push(source_idx),
                None => {
                    let known = self.graph.sources().iter().map(|source| source.id.as_str());
                    let hint = crate::model::closest(source_id, known)
                        .map(|close| format!(" (did you mean \"{close}\"?)"))
                        .unwrap_or_default();
                    let message = format!("cites unknown source \"{source_id}\"{hint}");
                    self.problems
                        .push(place.error(&format!("sources[{index}]"), message));
                }
            }
        }
        resolved
    }

    fn count_share(
        &mut self,
        place: Place<'f>,
        item: NodeIndex,
        props: &[(u32, Value)],
        valid: Validity,
    ) {
        let fields = self.share_fields(props.iter().map(|(key_idx, value)| (*key_idx, value)));
        let Some(share) = fields.share.and_then(Value::as_f64) else {
            return;
        };
        let year = share_year(fields.year, valid);
        let stage = self.share_stage_symbol(
            fields.stage,
            fields.publication,
            fields.edition,
            fields.origin,
        );
        self.add_share(place, item, stage, year, share);
    }

    /// [`Assembler::count_share`] for props given by value slots: a plain
    /// stage (no publication) is found by pointer without a copy of any
    /// value.
    fn count_share_slotted(
        &mut self,
        place: Place<'f>,
        item: NodeIndex,
        props: &[(u32, u32)],
        valid: Validity,
    ) {
        let fields = self.share_fields(props.iter().copied());
        let graph = &self.graph;
        let value = |slot: Option<u32>| slot.and_then(|slot| graph.slot_value(slot));
        let Some(share) = value(fields.share).and_then(Value::as_f64) else {
            return;
        };
        let year = share_year(value(fields.year), valid);
        let plain_stage = match (fields.publication, value(fields.stage)) {
            (None, Some(Value::Str(name))) => self.plain_stage_symbol(name),
            _ => None,
        };
        let stage = match plain_stage {
            Some(symbol) => symbol,
            None => {
                let [stage, publication, edition, origin] = [
                    fields.stage,
                    fields.publication,
                    fields.edition,
                    fields.origin,
                ]
                .map(|slot| value(slot).cloned());
                self.share_stage_symbol(
                    stage.as_ref(),
                    publication.as_ref(),
                    edition.as_ref(),
                    origin.as_ref(),
                )
            }
        };
        self.add_share(place, item, stage, year, share);
    }

    /// The first prop of each role a share group is made of.
    fn share_fields<T>(&mut self, props: impl Iterator<Item = (u32, T)>) -> ShareFields<T> {
        let mut fields = ShareFields {
            share: None,
            year: None,
            stage: None,
            publication: None,
            edition: None,
            origin: None,
        };
        for (key_idx, value) in props {
            let field = match self.key_role(key_idx) {
                KeyRole::Share => &mut fields.share,
                KeyRole::Year => &mut fields.year,
                KeyRole::Stage => &mut fields.stage,
                KeyRole::Publication => &mut fields.publication,
                KeyRole::Edition => &mut fields.edition,
                KeyRole::Origin => &mut fields.origin,
                _ => continue,
            };
            if field.is_none() {
                *field = Some(value);
            }
        }
        fields
    }

    /// Adds a share to its group's sum.
    fn add_share(
        &mut self,
        place: Place<'f>,
        item: NodeIndex,
        stage: u32,
        year: Option<i64>,
        share: f64,
    ) {
        let key = ShareKey::new(item, stage, year);
        let next = self.share_sums.len() as u32;
        let slot = match key.small() {
            Some(small) => self.share_slot(small, next),
            None => *self.share_index_wide.entry(key).or_insert(next),
        };
        if slot == next {
            self.share_sums.push(ShareSum {
                total: 0.0,
                count: 0,
                first: place,
            });
        }
        let sum = &mut self.share_sums[slot as usize];
        sum.total += share;
        sum.count += 1;
    }
}

/// The props that decide an edge's share group, each the first of its role.
struct ShareFields<T> {
    share: Option<T>,
    year: Option<T>,
    stage: Option<T>,
    publication: Option<T>,
    edition: Option<T>,
    origin: Option<T>,
}

/// A share's year: its `year` prop (a number or a date's year), else the
/// year its validity starts.
fn share_year(year: Option<&Value>, valid: Validity) -> Option<i64> {
    year.and_then(|value| {
        value
            .as_f64()
            .map(|year| year as i64)
            .or_else(|| value.as_date().map(|d| i64::from(d.year())))
    })
    .or_else(|| valid.from.map(|from| i64::from(from.year())))
}

impl Assembler<'_> {
    /// The symbol of a share group's stage and provenance: shares are
    /// summed per stage within one publication, edition and origin
    /// (curated facts, without `publication` or `origin`, form their own
    /// group), so an official table and a curated copy of the same figures
    /// — even one citing the same edition — are never added together.
    fn share_stage_symbol(
        &mut self,
        stage: Option<&Value>,
        publication: Option<&Value>,
        edition: Option<&Value>,
        origin: Option<&Value>,
    ) -> u32 {
        let stage = match stage {
            Some(Value::Str(name)) => Some(name),
            _ => None,
        };
        let plain = publication.and_then(Value::as_str).is_none();
        if let (Some(stage), true) = (stage, plain) {
            if let Some(symbol) = self.plain_stage_symbol(stage) {
                return symbol;
            }
        }
        let origin = origin
            .and_then(Value::as_str)
            .map(|origin| format!(", {origin}"))
            .unwrap_or_default();
        let provenance = publication.and_then(Value::as_str).map(|publication| {
            match edition.and_then(Value::as_f64) {
                Some(edition) => format!(
                    "{publication} {}{origin}",
                    crate::model::format_number(edition)
                ),
                None => format!("{publication}{origin}"),
            }
        });
        let name: ArcStr = match (stage, provenance) {
            (None, None) => return 0,
            (Some(stage), None) => stage.clone(),
            (stage, Some(provenance)) => ArcStr::from(format!(
                "{}{PROVENANCE_MARK}{provenance}",
                stage.map_or("", |stage| &**stage)
            )),
        };
        if let Some(symbol) = self.stage_by_name.get(&*name) {
            if plain && self.plain_stages.len() < PLAIN_STAGES {
                self.plain_stages.push((name.clone(), *symbol));
            }
            return *symbol;
        }
        self.stage_names.push(name.clone());
        let symbol = self.stage_names.len() as u32;
        if plain && self.plain_stages.len() < PLAIN_STAGES {
            self.plain_stages.push((name.clone(), symbol));
        }
        self.stage_by_name.insert(name, symbol);
        symbol
    }

    /// The symbol of a stage without provenance seen before, found by
    /// pointer (strings are interned) without hashing its name.
    fn plain_stage_symbol(&self, stage: &ArcStr) -> Option<u32> {
        self.plain_stages
            .iter()
            .find(|(name, _)| ArcStr::ptr_eq(name, stage))
            .map(|(_, symbol)| *symbol)
    }

    /// The `share_sums` index of a group, `next` if it is new.
    fn share_slot(&mut self, key: SmallShareKey, next: u32) -> u32 {
        let [item, rest, year] = key.0;
        let item = item as usize;
        if self.item_groups.len() <= item {
            self.item_groups.resize_with(item + 1, Vec::new);
            self.item_spilled.resize(item + 1, false);
        }
        if self.item_spilled[item] {
            return *self.share_index.entry(key).or_insert(next);
        }
        let list = &mut self.item_groups[item];
        if let Some(found) = list
            .iter()
            .find(|entry| entry[0] == rest && entry[1] == year)
        {
            return found[2];
        }
        if list.len() < ITEM_GROUPS {
            list.push([rest, year, next]);
            return next;
        }
        let moved = std::mem::take(list);
        self.item_spilled[item] = true;
        for [rest, year, slot] in moved {
            self.share_index
                .insert(SmallShareKey([item as u32, rest, year]), slot);
        }
        *self.share_index.entry(key).or_insert(next)
    }
}

fn slug_message(id: &str) -> String {
    format!("id \"{id}\" is not a slug (use lowercase letters, digits, '-', '_' and '.')")
}

fn kinds_list(kinds: &[NodeKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    names.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_keys_pack_and_unpack() {
        let item = NodeIndex::new(123_456);
        for (stage, year) in [(0, None), (3, Some(2024)), (7, Some(-5)), (1, Some(0))] {
            let key = ShareKey::new(item, stage, year);
            let back = key.small().map(SmallShareKey::wide);
            assert_eq!(back, Some(key));
            assert_eq!(
                (back.map(ShareKey::item), key.stage(), key.year()),
                (Some(item), stage, year)
            );
        }
        let wide = ShareKey::new(item, 2, Some(i64::from(i32::MAX) + 1));
        assert_eq!(wide.small(), None);
        assert_eq!(wide.year(), Some(i64::from(i32::MAX) + 1));
    }

    #[test]
    fn share_groups_of_an_item_with_many_groups_still_sum() {
        let mut edges = String::from("from,to,kind,sources,stage,share,year\n");
        for year in 2000..2040 {
            edges.push_str(&format!("c,m,produces,s,mining,0.6,{year}\n"));
        }
        edges.push_str("c,m,produces,s,mining,0.6,2001\nc,m,produces,s,mining,0.6,2035\n");
        let texts = [
            ("sources.csv", "id,title\ns,S\n"),
            (
                "nodes.csv",
                "id,kind,name,aliases,sources\nc,country,C,,s\nm,mineral,M,,s\n",
            ),
            ("edges.csv", edges.as_str()),
        ];
        let Err(failure) = crate::load::load_texts(&texts) else {
            panic!("shares above 1.05 must fail the load");
        };
        let messages: Vec<&str> = failure
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "mining shares of \"m\"'s producers in 2001 sum to 1.2, above 1.05",
                "mining shares of \"m\"'s producers in 2035 sum to 1.2, above 1.05",
            ]
        );
    }
}
