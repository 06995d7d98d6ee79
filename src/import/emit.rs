//! The importer's output under construction: sources, the nodes it creates,
//! and the edges of each output file, written as native graph JSON
//! (docs/DATA_FORMAT.md) in a fixed order, so one input gives one output.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use super::names::NodeSpec;
use crate::load::{EDGE_COLUMNS, NODE_COLUMNS};

/// Properties of one edge or node, in insertion order.
pub type Props = Map<String, Json>;

/// Where an edge is written (one output file each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutFile {
    Production,
    Reliance,
    Salient,
    EndUses,
}

impl OutFile {
    /// The file's base name; the big tables are CSV (`.edges.csv`,
    /// `.nodes.csv`: they load several times faster than JSON), the small
    /// ones JSON.
    pub fn base_name(self) -> &'static str {
        match self {
            OutFile::Production => "production",
            OutFile::Reliance => "reliance",
            OutFile::Salient => "salient",
            OutFile::EndUses => "end_uses",
        }
    }

    fn is_csv(self) -> bool {
        self != OutFile::EndUses
    }
}

/// Property types of the CSV columns (docs/DATA_FORMAT.md): a column not
/// listed is untyped (a number if it parses as one, a date if date-shaped).
const CSV_TYPES: &[(&str, &str)] = &[
    ("amount", "number"),
    ("amount_unit", "string"),
    ("basis", "string"),
    ("bound", "string"),
    ("calc", "bool"),
    ("column", "string"),
    ("edition", "number"),
    ("estimate", "bool"),
    ("event_type", "string"),
    ("form", "string"),
    ("item", "string"),
    ("metric", "string"),
    ("net_exporter", "bool"),
    ("note", "string"),
    ("origin", "string"),
    ("publication", "string"),
    ("qualifier", "string"),
    ("rank", "number"),
    ("share", "number"),
    ("source_file", "string"),
    ("source_row", "number"),
    ("stage", "string"),
    ("summary", "string"),
    ("tonnes", "number"),
    ("unit", "string"),
    ("usgs_commodity", "string"),
    ("usgs_type", "string"),
    ("withheld", "bool"),
    ("world_amount", "number"),
    ("year", "number"),
];

/// Everything written so far.
pub struct Output<'a> {
    existing: &'a dyn Fn(&str) -> bool,
    pub edition: i32,
    pub sources: Vec<Json>,
    /// Created nodes by id: kind, name, aliases, props, sources.
    nodes: BTreeMap<String, CreatedNode>,
    events: BTreeMap<OutFile, Vec<Json>>,
    edges: BTreeMap<OutFile, Vec<Map<String, Json>>>,
    /// Facts written, by edge kind.
    pub facts: BTreeMap<&'static str, usize>,
}

struct CreatedNode {
    spec: NodeSpec,
    props: Props,
    sources: BTreeSet<String>,
}

impl<'a> Output<'a> {
    pub fn new(edition: i32, existing: &'a dyn Fn(&str) -> bool) -> Output<'a> {
        Output {
            existing,
            edition,
            sources: Vec::new(),
            nodes: BTreeMap::new(),
            events: BTreeMap::new(),
            edges: BTreeMap::new(),
            facts: BTreeMap::new(),
        }
    }

    /// The node's id; the node is created (citing `source`) unless the base
    /// graph already has it.
    pub fn node(&mut self, spec: NodeSpec, source: &str) -> &'static str {
        if !(self.existing)(spec.id) {
            let entry = self
                .nodes
                .entry(spec.id.to_string())
                .or_insert_with(|| CreatedNode {
                    spec,
                    props: node_props(spec, self.edition),
                    sources: BTreeSet::new(),
                });
            entry.sources.insert(source.to_string());
        }
        spec.id
    }

    /// Sets a property of a node the importer creates; existing nodes are
    /// defined once, in their own file, and are left as they are.
    pub fn set_node_prop(&mut self, id: &str, key: &str, value: Json) -> bool {
        match self.nodes.get_mut(id) {
            Some(node) => {
                node.props.insert(key.to_string(), value);
                true
            }
            None => false,
        }
    }

    /// Adds an event node to a file.
    /// Adds an event node (with the release's provenance props) to a file.
    pub fn event(&mut self, file: OutFile, mut node: Json) {
        if let Some(Json::Object(props)) = node.get_mut("props") {
            provenance(props, self.edition);
        }
        self.events.entry(file).or_default().push(node);
    }

    /// Adds an edge with the release's provenance props.
    pub fn edge(
        &mut self,
        file: OutFile,
        (from, kind, to): (&str, &'static str, &str),
        mut props: Props,
        source: &str,
        valid: (Option<String>, Option<String>),
    ) {
        provenance(&mut props, self.edition);
        let mut edge = Map::new();
        edge.insert("from".into(), json!(from));
        edge.insert("to".into(), json!(to));
        edge.insert("kind".into(), json!(kind));
        edge.insert("props".into(), Json::Object(props));
        edge.insert("sources".into(), json!([source]));
        if let Some(from) = valid.0 {
            edge.insert("valid_from".into(), json!(from));
        }
        if let Some(to) = valid.1 {
            edge.insert("valid_to".into(), json!(to));
        }
        self.edges.entry(file).or_default().push(edge);
        *self.facts.entry(kind).or_default() += 1;
    }

    /// The output files, by name, in name order.
    pub fn into_files(self) -> Vec<(String, String)> {
        let mut files = vec![(
            "sources.json".to_string(),
            graph_file(&self.sources, &[], &[]),
        )];
        let nodes: Vec<Json> = self
            .nodes
            .into_values()
            .map(|node| {
                let mut out = Map::new();
                out.insert("id".into(), json!(node.spec.id));
                out.insert("kind".into(), json!(node.spec.kind));
                out.insert("name".into(), json!(node.spec.name));
                if !node.spec.aliases.is_empty() {
                    out.insert("aliases".into(), json!(node.spec.aliases));
                }
                if !node.props.is_empty() {
                    out.insert("props".into(), Json::Object(node.props));
                }
                out.insert("sources".into(), json!(node.sources));
                Json::Object(out)
            })
            .collect();
        files.push(("nodes.json".to_string(), graph_file(&[], &nodes, &[])));
        let mut names: BTreeSet<OutFile> = self.edges.keys().copied().collect();
        names.extend(self.events.keys().copied());
        for file in names {
            let events = self.events.get(&file).map_or(&[][..], Vec::as_slice);
            let edges = self.edges.get(&file).map_or(&[][..], Vec::as_slice);
            let base = file.base_name();
            if file.is_csv() {
                if !events.is_empty() {
                    files.push((format!("{base}.nodes.csv"), csv_table(NODE_COLUMNS, events)));
                }
                let edges: Vec<Json> = edges.iter().cloned().map(Json::Object).collect();
                if !edges.is_empty() {
                    files.push((format!("{base}.edges.csv"), csv_table(EDGE_COLUMNS, &edges)));
                }
            } else {
                let edges: Vec<Json> = edges.iter().cloned().map(Json::Object).collect();
                files.push((format!("{base}.json"), graph_file(&[], events, &edges)));
            }
        }
        files.sort();
        files
    }
}

/// Items as a CSV table: the fixed columns, then one column per property
/// (in order of first appearance), typed where [`CSV_TYPES`] says.
fn csv_table(fixed: &[&str], items: &[Json]) -> String {
    let empty = Map::new();
    let items: Vec<&Map<String, Json>> = items
        .iter()
        .map(|item| item.as_object().unwrap_or(&empty))
        .collect();
    let mut props: Vec<String> = Vec::new();
    for item in items.iter() {
        if let Some(Json::Object(item_props)) = item.get("props") {
            for key in item_props.keys() {
                if !props.contains(key) {
                    props.push(key.clone());
                }
            }
        }
    }
    let mut rows = Vec::with_capacity(items.len() + 1);
    let mut header: Vec<String> = fixed.iter().map(|name| name.to_string()).collect();
    header.extend(
        props
            .iter()
            .map(|key| match CSV_TYPES.iter().find(|(name, _)| name == key) {
                Some((_, kind)) => format!("{key}:{kind}"),
                None => key.clone(),
            }),
    );
    rows.push(header);
    for item in items.iter() {
        let mut row: Vec<String> = fixed
            .iter()
            .map(|name| cell_text(item.get(*name)))
            .collect();
        let item_props = item.get("props").and_then(Json::as_object);
        row.extend(
            props
                .iter()
                .map(|key| cell_text(item_props.and_then(|p| p.get(key)))),
        );
        rows.push(row);
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&row);
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// A JSON value as a CSV cell: lists joined by `;`, strings as they are.
fn cell_text(value: Option<&Json>) -> String {
    match value {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(text)) => text.clone(),
        Some(Json::Array(items)) => items
            .iter()
            .map(|item| cell_text(Some(item)))
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

/// `publication`, `edition` and `origin` (the shared data contract) on
/// everything the importer writes.
fn provenance(props: &mut Props, edition: i32) {
    props.insert("publication".into(), json!("USGS MCS"));
    props.insert("edition".into(), json!(edition));
    props.insert("origin".into(), json!("official"));
}

fn node_props(spec: NodeSpec, edition: i32) -> Props {
    let mut props = Map::new();
    provenance(&mut props, edition);
    if spec.kind == "country" && spec.aliases.len() >= 2 {
        props.insert("iso_alpha2".into(), json!(spec.aliases[0]));
        props.insert("iso_alpha3".into(), json!(spec.aliases[1]));
        props.insert(
            "confidence_note".into(),
            json!("ISO 3166-1 codes are standard codes from the importer's country table, not stated by USGS"),
        );
    }
    props
}

/// One native graph file: every item on its own line, so diffs stay small.
fn graph_file(sources: &[Json], nodes: &[Json], edges: &[Json]) -> String {
    let mut text = String::from("{\n  \"format\": \"critmin-graph\",\n  \"version\": 1");
    for (key, items) in [("sources", sources), ("nodes", nodes), ("edges", edges)] {
        if items.is_empty() {
            continue;
        }
        text.push_str(&format!(",\n  \"{key}\": [\n"));
        let lines: Vec<String> = items.iter().map(|item| format!("    {item}")).collect();
        text.push_str(&lines.join(",\n"));
        text.push_str("\n  ]");
    }
    text.push_str("\n}\n");
    text
}
