//! GraphML: what Gephi, yEd and `networkx.read_graphml` read.
//!
//! A directed graph (`edgedefault="directed"`, parallel edges allowed, each
//! with the id `from|kind|to|n`). Every attribute is declared as a `<key>`
//! with a type: numbers `long` (when whole) or `double`, booleans `boolean`, strings and dates
//! (which may be partial, `2025-06`) `string`; a property whose values
//! disagree in type is a `string`. Nodes carry `label` (the name, which
//! Gephi and yEd show), `kind`, `name`, `aliases` and
//! `sources` (both `;`-separated), `valid_from`/`valid_to` and their
//! properties; edges `label` (the kind), `kind`, `sources`, validity and
//! properties. A property
//! whose key is one of those names is written as `prop_<key>`. The
//! `critmin-graph` metadata sits in graph-level `<data>`: `critmin_format`,
//! `critmin_version` (`int`), `critmin_export`, and `critmin_sources`, the
//! cited sources as a JSON array of `{id, title, publisher, published, url,
//! note}`.
//!
//! Invariant: text is XML-escaped; keys are declared in a fixed order
//! (fixed fields, then properties by name); nodes by id, edges by
//! `(from id, kind, to id)`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Contents, ExportFormat, is_whole, prop_field};
use crate::model::{EdgeIndex, NodeIndex, Validity, Value};

const NODE_FIELDS: &[&str] = &[
    "label",
    "kind",
    "name",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
const EDGE_FIELDS: &[&str] = &["label", "kind", "sources", "valid_from", "valid_to"];

/// Declared attributes of one domain (`node` or `edge`): name → (key id, type).
struct Keys {
    by_name: BTreeMap<String, (String, &'static str)>,
}

/// The contents as GraphML text.
pub(crate) fn to_graphml(contents: &Contents) -> String {
    let graph = contents.graph;
    let node_keys = declare(
        "n",
        NODE_FIELDS,
        contents
            .nodes
            .iter()
            .flat_map(|node_idx| graph.node_props(*node_idx)),
    );
    let edge_keys = declare(
        "e",
        EDGE_FIELDS,
        contents
            .edges
            .iter()
            .flat_map(|(edge_idx, _)| graph.edge_props(*edge_idx)),
    );
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<!-- critmin-graph version 1, GraphML export -->\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, name, kind) in GRAPH_KEYS {
        write_key(&mut out, id, "graph", name, kind);
    }
    write_keys(&mut out, "node", &node_keys, NODE_FIELDS);
    write_keys(&mut out, "edge", &edge_keys, EDGE_FIELDS);
    out.push_str("  <graph id=\"critmin\" edgedefault=\"directed\">\n");
    write_graph_data(&mut out, contents);
    for node_idx in &contents.nodes {
        write_node(&mut out, contents, &node_keys, *node_idx);
    }
    for (edge_idx, id) in &contents.edges {
        write_edge(&mut out, contents, &edge_keys, *edge_idx, id);
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// Escapes text for XML content and attribute values; characters XML 1.0
/// cannot hold (control characters) become U+FFFD.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", u32::from(ch));
            }
            ch if ch < ' ' || ch == '\u{FFFE}' || ch == '\u{FFFF}' => out.push('\u{FFFD}'),
            ch => out.push(ch),
        }
    }
    out
}

const GRAPH_KEYS: [(&str, &str, &str); 4] = [
    ("g0", "critmin_format", "string"),
    ("g1", "critmin_version", "int"),
    ("g2", "critmin_export", "string"),
    ("g3", "critmin_sources", "string"),
];

fn declare<'p>(
    prefix: &str,
    fields: &[&str],
    props: impl Iterator<Item = (&'p str, &'p Value)>,
) -> Keys {
    let mut types: BTreeMap<String, &'static str> = BTreeMap::new();
    for (key, value) in props {
        let kind = match value {
            Value::Number(number) if is_whole(*number) => "long",
            Value::Number(_) => "double",
            Value::Bool(_) => "boolean",
            Value::Str(_) | Value::Date(_) => "string",
        };
        types
            .entry(prop_field(key, fields))
            .and_modify(|seen| {
                *seen = match (*seen, kind) {
                    (a, b) if a == b => a,
                    ("long", "double") | ("double", "long") => "double",
                    _ => "string",
                };
            })
            .or_insert(kind);
    }
    let names = fields
        .iter()
        .map(|field| (field.to_string(), "string"))
        .chain(types);
    let by_name = names
        .enumerate()
        .map(|(n, (name, kind))| (name, (format!("{prefix}{n}"), kind)))
        .collect();
    Keys { by_name }
}

fn write_key(out: &mut String, id: &str, domain: &str, name: &str, kind: &str) {
    let _ = writeln!(
        out,
        "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{}\" attr.type=\"{kind}\"/>",
        escape_xml(name)
    );
}

fn write_keys(out: &mut String, domain: &str, keys: &Keys, fields: &[&str]) {
    let mut declared: Vec<(&String, &(String, &str))> = keys.by_name.iter().collect();
    // Fixed fields first, in their order, then properties by name.
    declared.sort_by_key(|(name, _)| {
        (
            fields
                .iter()
                .position(|field| field == name)
                .unwrap_or(usize::MAX),
            name.to_string(),
        )
    });
    for (name, (id, kind)) in declared {
        write_key(out, id, domain, name, kind);
    }
}

fn write_data(out: &mut String, keys: &Keys, name: &str, text: &str) {
    if let Some((id, _)) = keys.by_name.get(name) {
        let _ = writeln!(out, "      <data key=\"{id}\">{}</data>", escape_xml(text));
    }
}

fn write_graph_data(out: &mut String, contents: &Contents) {
    let sources = serde_json::to_string(&contents.sources_json()).unwrap_or_default();
    let values = [
        super::native::FORMAT_NAME.to_string(),
        super::native::FORMAT_VERSION.to_string(),
        ExportFormat::GraphMl.name().to_string(),
        sources,
    ];
    for ((id, _, _), value) in GRAPH_KEYS.iter().zip(values) {
        let _ = writeln!(out, "    <data key=\"{id}\">{}</data>", escape_xml(&value));
    }
}

fn write_validity(out: &mut String, keys: &Keys, valid: Validity) {
    if let Some(from) = valid.from {
        write_data(out, keys, "valid_from", &from.to_string());
    }
    if let Some(to) = valid.to {
        write_data(out, keys, "valid_to", &to.to_string());
    }
}

fn write_node(out: &mut String, contents: &Contents, keys: &Keys, node_idx: NodeIndex) {
    let graph = contents.graph;
    let node = graph.node(node_idx);
    let _ = writeln!(out, "    <node id=\"{}\">", escape_xml(&node.id));
    write_data(out, keys, "label", &node.name);
    write_data(out, keys, "kind", node.kind.as_str());
    write_data(out, keys, "name", &node.name);
    if !node.aliases.is_empty() {
        write_data(out, keys, "aliases", &node.aliases.join(";"));
    }
    let sources = contents.source_ids(graph.node_sources(node_idx));
    write_data(out, keys, "sources", &sources.join(";"));
    write_validity(out, keys, node.valid);
    let props: BTreeMap<String, &Value> = graph
        .node_props(node_idx)
        .map(|(key, value)| (prop_field(key, NODE_FIELDS), value))
        .collect();
    for (name, value) in props {
        write_data(out, keys, &name, &value.to_string());
    }
    out.push_str("    </node>\n");
}

fn write_edge(out: &mut String, contents: &Contents, keys: &Keys, edge_idx: EdgeIndex, id: &str) {
    let graph = contents.graph;
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let _ = writeln!(
        out,
        "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
        escape_xml(id),
        escape_xml(&graph.node(from).id),
        escape_xml(&graph.node(to).id)
    );
    write_data(out, keys, "label", edge.kind.as_str());
    write_data(out, keys, "kind", edge.kind.as_str());
    let sources = contents.source_ids(graph.edge_sources(edge_idx));
    write_data(out, keys, "sources", &sources.join(";"));
    write_validity(out, keys, edge.valid);
    let props: BTreeMap<String, &Value> = graph
        .edge_props(edge_idx)
        .map(|(key, value)| (prop_field(key, EDGE_FIELDS), value))
        .collect();
    for (name, value) in props {
        write_data(out, keys, &name, &value.to_string());
    }
    out.push_str("    </edge>\n");
}
