//! Graphviz DOT: `digraph critmin { ... }` for `dot -Tsvg`.
//!
//! A `//` comment header names the format (`critmin-graph version 1`) and
//! lists the cited sources; graph attributes `critmin_format`,
//! `critmin_version` and `critmin_sources` (ids, `;`-separated) carry the
//! same for tools. Nodes are quoted ids labelled with their names, shaped
//! and coloured by kind, with `kind` and `sources` attributes; edges are
//! labelled with their kind and, where present, one key property (`share`,
//! `dependence` or `severity`), with `kind` and `sources` attributes.
//!
//! Invariant: every string is a quoted, escaped DOT string; nodes by id,
//! edges by `(from id, kind, to id)`.

use std::fmt::Write;

use super::{Contents, key_prop};
use crate::model::{EdgeIndex, NodeIndex, NodeKind};

/// The contents as DOT text.
pub(crate) fn to_dot(contents: &Contents) -> String {
    let mut out = String::new();
    write_header(&mut out, contents);
    out.push_str("digraph critmin {\n");
    let source_ids = contents.source_ids(&contents.sources).join(";");
    let _ = writeln!(
        out,
        "  graph [critmin_format={}, critmin_version={}, critmin_sources={}, rankdir=LR];",
        quote(super::native::FORMAT_NAME),
        quote(&super::native::FORMAT_VERSION.to_string()),
        quote(&source_ids)
    );
    out.push_str("  node [style=filled, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for node_idx in &contents.nodes {
        write_node(&mut out, contents, *node_idx);
    }
    for (edge_idx, _) in &contents.edges {
        write_edge(&mut out, contents, *edge_idx);
    }
    out.push_str("}\n");
    out
}

/// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            ch if ch.is_control() => out.push(' '),
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}

/// Shape and fill colour of a node kind.
fn style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Mineral => ("ellipse", "#f4a261"),
        NodeKind::Product => ("box", "#e9c46a"),
        NodeKind::Industry => ("hexagon", "#8ecae6"),
        NodeKind::Country => ("octagon", "#b7e4c7"),
        NodeKind::Policy => ("note", "#f28482"),
        NodeKind::Event => ("diamond", "#cdb4db"),
    }
}

fn write_header(out: &mut String, contents: &Contents) {
    out.push_str("// critmin-graph version 1, DOT export (Graphviz)\n");
    out.push_str("// sources:\n");
    for source_idx in &contents.sources {
        let source = contents.graph.source(*source_idx);
        let mut line = format!("{}: {}", source.id, source.title);
        let details: Vec<String> = [
            source.publisher.clone(),
            source.published.map(|date| date.to_string()),
            source.url.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !details.is_empty() {
            let _ = write!(line, " ({})", details.join(", "));
        }
        let line: String = line
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect();
        let _ = writeln!(out, "//   {line}");
    }
}

fn write_node(out: &mut String, contents: &Contents, node_idx: NodeIndex) {
    let graph = contents.graph;
    let node = graph.node(node_idx);
    let (shape, colour) = style(node.kind);
    let sources = contents.source_ids(graph.node_sources(node_idx)).join(";");
    let _ = writeln!(
        out,
        "  {} [label={}, kind={}, shape={shape}, fillcolor={}, sources={}];",
        quote(&node.id),
        quote(&node.name),
        quote(node.kind.as_str()),
        quote(colour),
        quote(&sources)
    );
}

fn write_edge(out: &mut String, contents: &Contents, edge_idx: EdgeIndex) {
    let graph = contents.graph;
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let mut label = edge.kind.as_str().to_string();
    if let Some((key, value)) = key_prop(graph, edge_idx) {
        let _ = write!(label, "\n{key} {value}");
    }
    let sources = contents.source_ids(graph.edge_sources(edge_idx)).join(";");
    let _ = writeln!(
        out,
        "  {} -> {} [label={}, kind={}, sources={}];",
        quote(&graph.node(from).id),
        quote(&graph.node(to).id),
        quote(&label),
        quote(edge.kind.as_str()),
        quote(&sources)
    );
}
