//! CSV for other tools, in two flavours (the `csv` format is critmin's own
//! bulk format, which loads back; see [`super::csv`]):
//!
//! - `neo4j-csv`: the header conventions of `neo4j-admin database import`.
//!   `<stem>.nodes.csv` (`id:ID(Node)`, `:LABEL`, `name`, `kind`,
//!   `aliases:string[]`, `sources:string[]`, `valid_from`, `valid_to`,
//!   props), `<stem>.sources.csv` (`id:ID(Source)`, `:LABEL`, `title`, …),
//!   `<stem>.relationships.csv` (`:START_ID(Node)`, `:END_ID(Node)`,
//!   `:TYPE`, `sources:string[]`, validity, props) and `<stem>.cites.csv`
//!   (`:START_ID(Node)`, `:END_ID(Source)`, `:TYPE` = `CITES`). Arrays are
//!   `;`-separated (the tool's default). A property key has one type
//!   everywhere: `:long`, `:double`, `:boolean`, `:date` (only when every
//!   value is a full date), else text. Load with `neo4j-admin database
//!   import full --nodes=S.nodes.csv --nodes=S.sources.csv
//!   --relationships=S.relationships.csv --relationships=S.cites.csv`.
//! - `pandas-csv`: plain headers (`pd.read_csv` with default arguments
//!   gives numbers, booleans and text the right dtypes).
//!   `<stem>.nodes.csv` (`id`, `kind`, `name`, `aliases`, `sources`,
//!   `valid_from`, `valid_to`, props), `<stem>.edges.csv` (`id`, `from`,
//!   `to`, `kind`, `sources`, validity, props), `<stem>.sources.csv`. Lists
//!   are `;`-separated; `valid_from`/`valid_to` are full ISO days (the first
//!   and the last day the fact holds: `2022` becomes `2022-01-01` and
//!   `2022-12-31`), so they parse as dates and never as numbers.
//!
//! Invariant: nodes by id, edges by `(from id, kind, to id)`, columns in a
//! fixed order (fixed fields, then properties by name).

use std::collections::BTreeMap;

use super::{Contents, is_whole, prop_field};
use crate::model::{PartialDate, Validity, Value};

/// Which tool the CSV files are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Neo4j,
    Pandas,
}

/// The files of `flavour`, as `(file name suffix, text)`.
pub(crate) fn to_tables(contents: &Contents, flavour: Flavour) -> Vec<(&'static str, String)> {
    match flavour {
        Flavour::Neo4j => vec![
            ("nodes.csv", nodes(contents, flavour)),
            ("sources.csv", sources(contents, flavour)),
            ("relationships.csv", edges(contents, flavour)),
            ("cites.csv", cites(contents)),
        ],
        Flavour::Pandas => vec![
            ("nodes.csv", nodes(contents, flavour)),
            ("edges.csv", edges(contents, flavour)),
            ("sources.csv", sources(contents, flavour)),
        ],
    }
}

/// A property column's one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Long,
    Double,
    Bool,
    Date,
    Text,
}

fn column_of(value: &Value) -> Column {
    match value {
        Value::Number(number) if is_whole(*number) => Column::Long,
        Value::Number(_) => Column::Double,
        Value::Bool(_) => Column::Bool,
        Value::Date(date) if date.day().is_some() => Column::Date,
        Value::Date(_) | Value::Str(_) => Column::Text,
    }
}

fn merge(seen: Column, column: Column) -> Column {
    match (seen, column) {
        (a, b) if a == b => a,
        (Column::Long, Column::Double) | (Column::Double, Column::Long) => Column::Double,
        _ => Column::Text,
    }
}

/// Property columns (field name → type), from every value they hold.
fn prop_columns<'p>(
    props: impl Iterator<Item = (&'p str, &'p Value)>,
    fields: &[&str],
) -> BTreeMap<String, Column> {
    let mut columns: BTreeMap<String, Column> = BTreeMap::new();
    for (key, value) in props {
        let column = column_of(value);
        columns
            .entry(prop_field(key, fields))
            .and_modify(|seen| *seen = merge(*seen, column))
            .or_insert(column);
    }
    columns
}

/// `name:double` for neo4j-admin; the plain name for pandas.
fn header(name: &str, column: Column, flavour: Flavour) -> String {
    let suffix = match (flavour, column) {
        (Flavour::Pandas, _) | (Flavour::Neo4j, Column::Text) => "",
        (Flavour::Neo4j, Column::Long) => ":long",
        (Flavour::Neo4j, Column::Double) => ":double",
        (Flavour::Neo4j, Column::Bool) => ":boolean",
        (Flavour::Neo4j, Column::Date) => ":date",
    };
    format!("{name}{suffix}")
}

/// One cell per property column, empty where the item lacks the property.
fn prop_cells<'p>(
    props: impl Iterator<Item = (&'p str, &'p Value)>,
    fields: &[&str],
    columns: &BTreeMap<String, Column>,
) -> Vec<String> {
    let props: BTreeMap<String, &Value> = props
        .map(|(key, value)| (prop_field(key, fields), value))
        .collect();
    columns
        .iter()
        .map(|(key, column)| {
            props
                .get(key)
                .map(|value| value_text(value, *column))
                .unwrap_or_default()
        })
        .collect()
}

fn value_text(value: &Value, column: Column) -> String {
    match (value, column) {
        (Value::Number(number), Column::Long) => format!("{}", *number as i64),
        (Value::Number(number), _) => format!("{number}"),
        (other, _) => other.to_string(),
    }
}

/// `valid_from`, `valid_to` for a flavour: as written for neo4j-admin
/// (a date column only when both are full dates everywhere is not
/// guaranteed, so text), full ISO days for pandas.
fn validity(valid: Validity, flavour: Flavour) -> [String; 2] {
    let day = |date: Option<PartialDate>, last: bool| match (date, flavour) {
        (None, _) => String::new(),
        (Some(date), Flavour::Neo4j) => date.to_string(),
        (Some(date), Flavour::Pandas) if last => date.last_day().to_string(),
        (Some(date), Flavour::Pandas) => date.first_day().to_string(),
    };
    [day(valid.from, false), day(valid.to, true)]
}

const NODE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
    "label",
];
const EDGE_FIELDS: &[&str] = &[
    "id",
    "from",
    "to",
    "kind",
    "sources",
    "valid_from",
    "valid_to",
    "type",
];

fn nodes(contents: &Contents, flavour: Flavour) -> String {
    let graph = contents.graph;
    let columns = prop_columns(
        contents
            .nodes
            .iter()
            .flat_map(|node_idx| graph.node_props(*node_idx)),
        NODE_FIELDS,
    );
    let mut head: Vec<String> = match flavour {
        Flavour::Neo4j => ["id:ID(Node)", ":LABEL", "name", "kind"]
            .map(String::from)
            .to_vec(),
        Flavour::Pandas => ["id", "kind", "name"].map(String::from).to_vec(),
    };
    head.extend(list_headers(flavour, &["aliases", "sources"]));
    head.extend(["valid_from".to_string(), "valid_to".to_string()]);
    head.extend(
        columns
            .iter()
            .map(|(key, column)| header(key, *column, flavour)),
    );
    let mut rows = vec![head];
    for node_idx in &contents.nodes {
        let node = graph.node(*node_idx);
        let mut row = match flavour {
            Flavour::Neo4j => vec![
                node.id.clone(),
                super::cypher_label(node.kind),
                node.name.clone(),
                node.kind.to_string(),
            ],
            Flavour::Pandas => vec![node.id.clone(), node.kind.to_string(), node.name.clone()],
        };
        row.push(node.aliases.join(";"));
        row.push(contents.source_ids(graph.node_sources(*node_idx)).join(";"));
        row.extend(validity(node.valid, flavour));
        row.extend(prop_cells(
            graph.node_props(*node_idx),
            NODE_FIELDS,
            &columns,
        ));
        rows.push(row);
    }
    write_rows(rows)
}

fn list_headers(flavour: Flavour, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|name| match flavour {
            Flavour::Neo4j => format!("{name}:string[]"),
            Flavour::Pandas => name.to_string(),
        })
        .collect()
}

fn edges(contents: &Contents, flavour: Flavour) -> String {
    let graph = contents.graph;
    let columns = prop_columns(
        contents
            .edges
            .iter()
            .flat_map(|(edge_idx, _)| graph.edge_props(*edge_idx)),
        EDGE_FIELDS,
    );
    let mut head: Vec<String> = match flavour {
        Flavour::Neo4j => [":START_ID(Node)", ":END_ID(Node)", ":TYPE"]
            .map(String::from)
            .to_vec(),
        Flavour::Pandas => ["id", "from", "to", "kind"].map(String::from).to_vec(),
    };
    head.extend(list_headers(flavour, &["sources"]));
    head.extend(["valid_from".to_string(), "valid_to".to_string()]);
    head.extend(
        columns
            .iter()
            .map(|(key, column)| header(key, *column, flavour)),
    );
    let mut rows = vec![head];
    for (edge_idx, id) in &contents.edges {
        let edge = graph.edge(*edge_idx);
        let (from, to) = graph.endpoints(*edge_idx);
        let (from, to) = (graph.node(from).id.clone(), graph.node(to).id.clone());
        let mut row = match flavour {
            Flavour::Neo4j => vec![from, to, edge.kind.as_str().to_ascii_uppercase()],
            Flavour::Pandas => vec![id.clone(), from, to, edge.kind.to_string()],
        };
        row.push(contents.source_ids(graph.edge_sources(*edge_idx)).join(";"));
        row.extend(validity(edge.valid, flavour));
        row.extend(prop_cells(
            graph.edge_props(*edge_idx),
            EDGE_FIELDS,
            &columns,
        ));
        rows.push(row);
    }
    write_rows(rows)
}

fn sources(contents: &Contents, flavour: Flavour) -> String {
    let mut head: Vec<String> = match flavour {
        Flavour::Neo4j => ["id:ID(Source)", ":LABEL"].map(String::from).to_vec(),
        Flavour::Pandas => vec!["id".to_string()],
    };
    head.extend(["title", "publisher", "published", "url", "note"].map(String::from));
    let mut rows = vec![head];
    for source_idx in &contents.sources {
        let source = contents.graph.source(*source_idx);
        let mut row = vec![source.id.clone()];
        if flavour == Flavour::Neo4j {
            row.push("Source".to_string());
        }
        row.extend([
            source.title.clone(),
            source.publisher.clone().unwrap_or_default(),
            source
                .published
                .map(|date| date.to_string())
                .unwrap_or_default(),
            source.url.clone().unwrap_or_default(),
            source.note.clone().unwrap_or_default(),
        ]);
        rows.push(row);
    }
    write_rows(rows)
}

/// `(node)-[:CITES]->(source)` for every source a node cites.
fn cites(contents: &Contents) -> String {
    let graph = contents.graph;
    let mut rows = vec![
        [":START_ID(Node)", ":END_ID(Source)", ":TYPE"]
            .map(String::from)
            .to_vec(),
    ];
    for node_idx in &contents.nodes {
        for source in contents.source_ids(graph.node_sources(*node_idx)) {
            rows.push(vec![
                graph.node(*node_idx).id.clone(),
                source.to_string(),
                "CITES".to_string(),
            ]);
        }
    }
    write_rows(rows)
}

fn write_rows(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let _ = writer.write_record(&row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
