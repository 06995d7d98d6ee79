//! Cypher scripts: `CREATE` statements for Neo4j and Memgraph, and the
//! Kuzu/LadybugDB dialect, whose tables are declared first.
//!
//! Both dialects write one statement a line, each ending in `;`, after a
//! `//` header that names the format (`critmin-graph version 1`). Sources
//! are `:Source` nodes (`id`, `title`, `publisher`, `published`, `url`,
//! `note`); every node has a `:CITES` relationship to each source it cites,
//! and every node and relationship lists the ids of its sources in a
//! `sources` list property (relationships cannot point at nodes, so a
//! relationship's sources are found with `MATCH (s:Source) WHERE s.id IN
//! r.sources`). Nodes are labelled by kind (`:Mineral`) and carry `id`,
//! `name`, `kind`, `aliases`, `sources`, `valid_from`/`valid_to` and their
//! properties; relationships are typed by kind upper-cased (`:PRODUCES`) and
//! carry `sources`, validity and properties. A property whose key is one of
//! those fields is written as `prop_<key>`.
//!
//! Types: a property key has one type across every label and relationship
//! type, from all its values: `INT64` (whole numbers), `DOUBLE` (any
//! fraction: then `1.0`, not `1`), `BOOLEAN`, `DATE` (`date('2025-06-30')`,
//! only when every value is a full date), else `STRING` (partial dates
//! such as `2025-06` are ISO text); lists are `STRING[]`.
//!
//! Neo4j: `CREATE CONSTRAINT … REQUIRE n.id IS UNIQUE` for every label
//! (which indexes `id`) and `CREATE INDEX … ON (n.name)`, then the data.
//! Kuzu: one `NODE TABLE` per node kind present (primary key `id`), one
//! `REL TABLE` per edge kind present with a `FROM … TO …` pair for each pair
//! of node kinds it joins, and `CITES`; then `CREATE` for nodes and
//! `MATCH … CREATE` for relationships.
//!
//! Invariant: every string is a single-quoted, escaped literal; every name
//! that is not a plain identifier is back-quoted; nodes by id, edges by
//! `(from id, kind, to id)`, then the citations.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::{Contents, is_whole, prop_field};
use crate::model::{EdgeIndex, NodeIndex, NodeKind, PartialDate, SourceIdx, Validity, Value};

/// Which database the script is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Neo4j and Memgraph: schema-free `CREATE`.
    Neo4j,
    /// Kuzu/LadybugDB: `CREATE NODE TABLE` / `CREATE REL TABLE` first.
    Kuzu,
}

/// The contents as a Cypher script in `dialect`.
pub(crate) fn to_cypher(contents: &Contents, dialect: Dialect) -> String {
    let sources: Vec<Row> = contents
        .sources
        .iter()
        .map(|source_idx| source_row(contents, *source_idx))
        .collect();
    let nodes: Vec<Row> = contents
        .nodes
        .iter()
        .map(|node_idx| node_row(contents, *node_idx))
        .collect();
    let edges: Vec<(Row, String, String)> = contents
        .edges
        .iter()
        .map(|(edge_idx, _)| edge_row(contents, *edge_idx))
        .collect();
    let types = global_types(
        sources
            .iter()
            .chain(&nodes)
            .chain(edges.iter().map(|(row, _, _)| row)),
    );
    let cites = citations(contents);
    let mut out = String::new();
    write_header(&mut out, dialect);
    match dialect {
        Dialect::Kuzu => write_tables(&mut out, &sources, &nodes, &edges, &types, &cites),
        Dialect::Neo4j => write_constraints(&mut out, &nodes),
    }
    let literal = |row: &Row| properties(row, &types);
    for row in sources.iter().chain(&nodes) {
        let _ = writeln!(out, "CREATE (:{} {});", name(&row.table), literal(row));
    }
    for (row, from, to) in &edges {
        let (from_label, from_id) = split_end(from);
        let (to_label, to_id) = split_end(to);
        let _ = writeln!(
            out,
            "MATCH (a:{} {{id: {}}}), (b:{} {{id: {}}}) CREATE (a)-[:{} {}]->(b);",
            name(from_label),
            string(from_id),
            name(to_label),
            string(to_id),
            name(&row.table),
            literal(row)
        );
    }
    for (from, source) in &cites {
        let (from_label, from_id) = split_end(from);
        let _ = writeln!(
            out,
            "MATCH (a:{} {{id: {}}}), (s:Source {{id: {}}}) CREATE (a)-[:CITES]->(s);",
            name(from_label),
            string(from_id),
            string(source)
        );
    }
    match dialect {
        Dialect::Kuzu => kuzu_literals(&out),
        Dialect::Neo4j => out,
    }
}

/// The script with every `\n`, `\r`, `\t` and `\uXXXX` escape inside a
/// string literal rewritten for Kuzu, which decodes only `\\` and `\'`
/// (`'two\nlines'` would arrive as `twonlines`): the character is spliced
/// in as `' + decode(BLOB('\\x0A')) + '`, which Kuzu decodes to the byte.
fn kuzu_literals(script: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        Code,
        Text,
        Name,
        Comment,
    }
    let mut out = String::with_capacity(script.len());
    let mut state = State::Code;
    let mut chars = script.chars().peekable();
    while let Some(ch) = chars.next() {
        match (&state, ch) {
            (State::Code, '\'') => state = State::Text,
            (State::Code, '`') => state = State::Name,
            (State::Code, '/') if chars.peek() == Some(&'/') => state = State::Comment,
            (State::Comment, '\n') | (State::Text, '\'') | (State::Name, '`') => {
                state = State::Code;
            }
            (State::Text, '\\') => {
                let escaped = chars.next().unwrap_or('\\');
                let decoded = match escaped {
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                    }
                    _ => None,
                };
                match decoded {
                    Some(decoded) => splice_byte_string(&mut out, decoded),
                    None => {
                        out.push('\\');
                        out.push(escaped);
                    }
                }
                continue;
            }
            _ => {}
        }
        out.push(ch);
    }
    out
}

fn splice_byte_string(out: &mut String, ch: char) {
    let mut bytes = [0u8; 4];
    out.push_str("' + decode(BLOB('");
    for byte in ch.encode_utf8(&mut bytes).bytes() {
        let _ = write!(out, "\\\\x{byte:02X}");
    }
    out.push_str("')) + '");
}

/// `(Label:id, source id)` for every source a node cites: the `:CITES`
/// relationships. (A relationship's sources stay in its `sources` list:
/// relationships cannot point at nodes.)
fn citations(contents: &Contents) -> Vec<(String, String)> {
    let graph = contents.graph;
    contents
        .nodes
        .iter()
        .flat_map(|node_idx| {
            let node = graph.node(*node_idx);
            let end = format!("{}:{}", label(node.kind), node.id);
            contents
                .source_ids(graph.node_sources(*node_idx))
                .into_iter()
                .map(move |source| (end.clone(), source.to_string()))
        })
        .collect()
}

/// Neo4j: a uniqueness constraint on `id` (which also indexes it) for
/// every label, and an index on `name`.
fn write_constraints(out: &mut String, nodes: &[Row]) {
    let labels: BTreeSet<&str> = std::iter::once("Source")
        .chain(nodes.iter().map(|row| row.table.as_str()))
        .collect();
    for table in &labels {
        let lower = table.to_ascii_lowercase();
        let _ = writeln!(
            out,
            "CREATE CONSTRAINT {lower}_id IF NOT EXISTS FOR (n:{}) REQUIRE n.id IS UNIQUE;",
            name(table)
        );
    }
    for table in labels.iter().filter(|table| **table != "Source") {
        let lower = table.to_ascii_lowercase();
        let _ = writeln!(
            out,
            "CREATE INDEX {lower}_name IF NOT EXISTS FOR (n:{}) ON (n.name);",
            name(table)
        );
    }
}

/// A Cypher string literal: single-quoted, with `\`, `'` and control
/// characters escaped; other characters (`Türkiye`) as they are.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if ch.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(ch));
            }
            ch => out.push(ch),
        }
    }
    out.push('\'');
    out
}

/// A label, type or property name: as it is when it is a plain
/// identifier, else back-quoted.
pub fn name(text: &str) -> String {
    let mut chars = text.chars();
    let plain = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
    if plain {
        text.to_string()
    } else {
        format!("`{}`", text.replace('`', "``"))
    }
}

/// One node or relationship to write: its label or type and its fields.
struct Row {
    table: String,
    cells: Vec<(String, Cell)>,
}

enum Cell {
    Text(String),
    List(Vec<String>),
    Value(Value),
}

/// A Kuzu column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Int,
    Double,
    Bool,
    Date,
    Text,
    List,
}

type Schema = BTreeMap<String, Column>;

const NODE_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
const EDGE_FIELDS: &[&str] = &["sources", "valid_from", "valid_to"];
const SOURCE_FIELDS: &[&str] = &["id", "title", "publisher", "published", "url", "note"];

fn write_header(out: &mut String, dialect: Dialect) {
    match dialect {
        Dialect::Neo4j => {
            out.push_str("// critmin-graph version 1, Cypher export for Neo4j and Memgraph\n");
            out.push_str("// Run on an empty database: cypher-shell -f FILE (Neo4j), mgconsole < FILE (Memgraph)\n");
        }
        Dialect::Kuzu => {
            out.push_str("// critmin-graph version 1, Cypher export for Kuzu/LadybugDB\n");
            out.push_str("// Run on an empty database: tables first, then data\n");
        }
    }
    out.push_str(
        "// Sources are :Source nodes; nodes -[:CITES]-> them; `sources` on every node and relationship lists their ids\n",
    );
}

fn label(kind: NodeKind) -> String {
    super::cypher_label(kind)
}

fn source_row(contents: &Contents, source_idx: SourceIdx) -> Row {
    let source = contents.graph.source(source_idx);
    let mut cells = vec![
        ("id".to_string(), Cell::Text(source.id.clone())),
        ("title".to_string(), Cell::Text(source.title.clone())),
    ];
    let mut optional = |key: &str, cell: Option<Cell>| {
        if let Some(cell) = cell {
            cells.push((key.to_string(), cell));
        }
    };
    optional("publisher", source.publisher.clone().map(Cell::Text));
    optional(
        "published",
        source.published.map(|date| Cell::Value(Value::Date(date))),
    );
    optional("url", source.url.clone().map(Cell::Text));
    optional("note", source.note.clone().map(Cell::Text));
    Row {
        table: "Source".to_string(),
        cells,
    }
}

fn node_row(contents: &Contents, node_idx: NodeIndex) -> Row {
    let graph = contents.graph;
    let node = graph.node(node_idx);
    let mut cells = vec![
        ("id".to_string(), Cell::Text(node.id.clone())),
        ("name".to_string(), Cell::Text(node.name.clone())),
        (
            "kind".to_string(),
            Cell::Text(node.kind.as_str().to_string()),
        ),
    ];
    if !node.aliases.is_empty() {
        cells.push(("aliases".to_string(), Cell::List(node.aliases.clone())));
    }
    let sources = contents.source_ids(graph.node_sources(node_idx));
    cells.push(("sources".to_string(), list(&sources)));
    push_validity(&mut cells, node.valid);
    push_props(&mut cells, graph.node_props(node_idx), NODE_FIELDS);
    Row {
        table: label(node.kind),
        cells,
    }
}

/// A relationship's row and its ends as `Label:id`.
fn edge_row(contents: &Contents, edge_idx: EdgeIndex) -> (Row, String, String) {
    let graph = contents.graph;
    let edge = graph.edge(edge_idx);
    let (from, to) = graph.endpoints(edge_idx);
    let end = |node_idx: NodeIndex| {
        let node = graph.node(node_idx);
        format!("{}:{}", label(node.kind), node.id)
    };
    let mut cells = Vec::new();
    let sources = contents.source_ids(graph.edge_sources(edge_idx));
    cells.push(("sources".to_string(), list(&sources)));
    push_validity(&mut cells, edge.valid);
    push_props(&mut cells, graph.edge_props(edge_idx), EDGE_FIELDS);
    let row = Row {
        table: edge.kind.as_str().to_ascii_uppercase(),
        cells,
    };
    (row, end(from), end(to))
}

fn split_end(end: &str) -> (&str, &str) {
    end.split_once(':').unwrap_or((end, ""))
}

fn list(items: &[&str]) -> Cell {
    Cell::List(items.iter().map(|item| item.to_string()).collect())
}

fn push_validity(cells: &mut Vec<(String, Cell)>, valid: Validity) {
    if let Some(from) = valid.from {
        cells.push(("valid_from".to_string(), Cell::Value(Value::Date(from))));
    }
    if let Some(to) = valid.to {
        cells.push(("valid_to".to_string(), Cell::Value(Value::Date(to))));
    }
}

fn push_props<'p>(
    cells: &mut Vec<(String, Cell)>,
    props: impl Iterator<Item = (&'p str, &'p Value)>,
    fields: &[&str],
) {
    let props: BTreeMap<String, &Value> = props
        .map(|(key, value)| (prop_field(key, fields), value))
        .collect();
    cells.extend(
        props
            .into_iter()
            .map(|(key, value)| (key, Cell::Value(value.clone()))),
    );
}

fn is_full(date: PartialDate) -> bool {
    date.day().is_some()
}

/// A property map literal; every value follows its key's one type.
fn properties(row: &Row, types: &Schema) -> String {
    let entries: Vec<String> = row
        .cells
        .iter()
        .map(|(key, cell)| {
            let column = types.get(key).copied().unwrap_or(Column::Text);
            format!("{}: {}", name(key), literal(cell, column))
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

fn list_literal(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| string(item)).collect();
    format!("[{}]", items.join(", "))
}

fn number(value: f64, integral: bool) -> String {
    if integral && is_whole(value) {
        format!("{}", value as i64)
    } else {
        format!("{value:?}")
    }
}

/// A value as a literal of its key's column type: `1.0` in a `DOUBLE`
/// column, `date('2024-12-03')` in a `DATE` one, text otherwise.
fn literal(cell: &Cell, column: Column) -> String {
    match (cell, column) {
        (Cell::List(items), _) => list_literal(items),
        (Cell::Value(Value::Number(value)), Column::Int) => number(*value, true),
        (Cell::Value(Value::Number(value)), Column::Double) => number(*value, false),
        (Cell::Value(Value::Bool(flag)), Column::Bool) => flag.to_string(),
        (Cell::Value(Value::Date(date)), Column::Date) => format!("date('{date}')"),
        (Cell::Text(text), _) => string(text),
        (Cell::Value(value), _) => string(&value.to_string()),
    }
}

/// One type per property key across every label and relationship type
/// (`valid_from` is a `DATE` everywhere or a `STRING` everywhere).
fn global_types<'r>(rows: impl Iterator<Item = &'r Row>) -> Schema {
    let mut types = Schema::new();
    for row in rows {
        for (key, cell) in &row.cells {
            let column = cell_column(cell);
            types
                .entry(key.clone())
                .and_modify(|seen| *seen = merge(*seen, column))
                .or_insert(column);
        }
    }
    types
}

fn cell_column(cell: &Cell) -> Column {
    match cell {
        Cell::Text(_) => Column::Text,
        Cell::List(_) => Column::List,
        Cell::Value(Value::Number(value)) if is_whole(*value) => Column::Int,
        Cell::Value(Value::Number(_)) => Column::Double,
        Cell::Value(Value::Bool(_)) => Column::Bool,
        Cell::Value(Value::Date(date)) if is_full(*date) => Column::Date,
        Cell::Value(_) => Column::Text,
    }
}

/// Column types of each table, from the rows' values.
fn schemas<'r>(rows: impl Iterator<Item = &'r Row>) -> BTreeMap<String, Schema> {
    let mut schemas: BTreeMap<String, Schema> = BTreeMap::new();
    for row in rows {
        let schema = schemas.entry(row.table.clone()).or_default();
        for (key, cell) in &row.cells {
            let column = cell_column(cell);
            schema
                .entry(key.clone())
                .and_modify(|seen| *seen = merge(*seen, column))
                .or_insert(column);
        }
    }
    schemas
}

fn merge(seen: Column, column: Column) -> Column {
    match (seen, column) {
        (a, b) if a == b => a,
        (Column::Int, Column::Double) | (Column::Double, Column::Int) => Column::Double,
        _ => Column::Text,
    }
}

fn column_type(column: Column) -> &'static str {
    match column {
        Column::Int => "INT64",
        Column::Double => "DOUBLE",
        Column::Bool => "BOOLEAN",
        Column::Date => "DATE",
        Column::Text => "STRING",
        Column::List => "STRING[]",
    }
}

/// Columns in a fixed order: the format's fields first, then properties by name.
fn column_defs(schema: &Schema, fields: &[&str]) -> Vec<String> {
    let mut columns: Vec<(&String, &Column)> = schema.iter().collect();
    columns.sort_by_key(|(key, _)| {
        (
            fields
                .iter()
                .position(|field| field == key)
                .unwrap_or(usize::MAX),
            key.to_string(),
        )
    });
    columns
        .into_iter()
        .map(|(key, column)| format!("{} {}", name(key), column_type(*column)))
        .collect()
}

/// Declares the Kuzu tables, each column with its key's one type, and
/// the `CITES` table from every node label to `Source`.
fn write_tables(
    out: &mut String,
    sources: &[Row],
    nodes: &[Row],
    edges: &[(Row, String, String)],
    types: &Schema,
    cites: &[(String, String)],
) {
    let typed = |schemas: BTreeMap<String, Schema>| -> BTreeMap<String, Schema> {
        schemas
            .into_iter()
            .map(|(table, schema)| {
                let schema = schema
                    .into_keys()
                    .map(|key| {
                        let column = types.get(&key).copied().unwrap_or(Column::Text);
                        (key, column)
                    })
                    .collect();
                (table, schema)
            })
            .collect()
    };
    let mut node_schemas = typed(schemas(sources.iter().chain(nodes)));
    node_schemas.entry("Source".to_string()).or_default();
    for (table, schema) in &node_schemas {
        let fields = if table == "Source" {
            SOURCE_FIELDS
        } else {
            NODE_FIELDS
        };
        let mut defs = column_defs(schema, fields);
        if defs.is_empty() {
            defs.push("id STRING".to_string());
        }
        defs.push("PRIMARY KEY (id)".to_string());
        let _ = writeln!(
            out,
            "CREATE NODE TABLE {}({});",
            name(table),
            defs.join(", ")
        );
    }
    let edge_schemas = typed(schemas(edges.iter().map(|(row, _, _)| row)));
    let mut pairs: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (row, from, to) in edges {
        pairs
            .entry(&row.table)
            .or_default()
            .insert((split_end(from).0, split_end(to).0));
    }
    for (table, schema) in &edge_schemas {
        let mut defs: Vec<String> = pairs
            .get(table.as_str())
            .into_iter()
            .flatten()
            .map(|(from, to)| format!("FROM {} TO {}", name(from), name(to)))
            .collect();
        defs.extend(column_defs(schema, EDGE_FIELDS));
        let _ = writeln!(
            out,
            "CREATE REL TABLE {}({});",
            name(table),
            defs.join(", ")
        );
    }
    let citing: BTreeSet<&str> = cites.iter().map(|(from, _)| split_end(from).0).collect();
    if !citing.is_empty() {
        let defs: Vec<String> = citing
            .iter()
            .map(|from| format!("FROM {} TO Source", name(from)))
            .collect();
        let _ = writeln!(out, "CREATE REL TABLE CITES({});", defs.join(", "));
    }
}
