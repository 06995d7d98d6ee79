//! Items as read from a file, before the graph checks them against each other.

use std::sync::Arc;

use crate::model::{EdgeKind, NodeKind, PartialDate, Validity, Value};

use super::input::InputFile;
use super::problem::{At, Problem};

/// Where an item came from; turns into a [`Problem`] location on demand, so
/// that clean items cost nothing.
#[derive(Debug, Clone, Copy)]
pub enum Place<'f> {
    /// Item `index` of the JSON array `section`, starting at byte `offset`.
    Json {
        file: &'f InputFile,
        offset: usize,
        index: u32,
        section: Section,
    },
    /// A CSV record on `line`.
    Csv { file: &'f InputFile, line: u64 },
}

impl<'f> Place<'f> {
    pub fn file(&self) -> &'f InputFile {
        match self {
            Place::Json { file, .. } | Place::Csv { file, .. } => file,
        }
    }

    /// The location of `field` of this item (`""` for the item itself).
    pub fn at(&self, field: &str) -> At {
        match *self {
            Place::Json {
                file,
                section,
                index,
                offset,
            } => {
                let (line, column) = file.line_col(offset);
                let mut path = format!("$.{}[{index}]", section.name());
                if !field.is_empty() {
                    path.push('.');
                    path.push_str(field);
                }
                At::Json { path, line, column }
            }
            Place::Csv { line, .. } => At::Csv {
                line,
                column: (!field.is_empty())
                    .then(|| field.split('.').next_back().unwrap_or(field).to_string()),
            },
        }
    }

    pub fn error(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(&self.file().name, self.at(field), message)
    }
}

/// The arrays of a JSON graph file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Sources,
    Nodes,
    Edges,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Sources => "sources",
            Section::Nodes => "nodes",
            Section::Edges => "edges",
        }
    }
}

pub struct RawSource<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub published: Option<PartialDate>,
    pub url: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub struct RawNode<'a> {
    pub id: &'a str,
    pub kind: NodeKind,
    pub name: &'a str,
    /// Borrowed, or owned when a CSV cell had escapes (`\;`, `\\`).
    pub aliases: Vec<std::borrow::Cow<'a, str>>,
    pub props: Vec<(Arc<str>, Value)>,
    pub sources: Vec<&'a str>,
    pub valid: Validity,
}

pub struct RawEdge<'a, 'p> {
    pub from: &'a str,
    pub to: &'a str,
    pub kind: EdgeKind,
    /// Keys as indexes from [`super::assemble::Assembler::prop_key`]; string
    /// values interned in the graph.
    /// Taken by the graph when the edge is added.
    pub props: &'p mut Vec<(u32, Value)>,
    pub sources: SourceIds<'a>,
    pub valid: Validity,
}

/// The source ids an edge cites.
pub enum SourceIds<'a> {
    /// A CSV cell: ids separated by `;` (blank items ignored).
    Cell(&'a str),
    /// A JSON list.
    List(Vec<&'a str>),
}

/// Properties that must be dates wherever they appear.
pub const DATE_PROPS: &[&str] = &[
    "date",
    "announced",
    "effective",
    "suspended",
    "suspended_until",
    "lifted",
    "published",
];

/// Properties that must be numbers within 0..1.
pub const UNIT_PROPS: &[&str] = &["share", "dependence", "severity", "demand_share"];

/// Reads a node kind, with a suggestion when it is misspelt.
pub fn parse_node_kind(text: &str) -> Result<NodeKind, String> {
    NodeKind::parse(text)
        .filter(|kind| kind.as_str() == text.to_ascii_lowercase())
        .ok_or_else(|| {
            let names: Vec<&str> = NodeKind::ALL.iter().map(|kind| kind.as_str()).collect();
            unknown_word("node kind", text, &names)
        })
}

pub fn parse_edge_kind(text: &str) -> Result<EdgeKind, String> {
    EdgeKind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = EdgeKind::ALL.iter().map(|kind| kind.as_str()).collect();
        unknown_word("edge kind", text, &names)
    })
}

/// `unknown node kind "minerl" (did you mean "mineral"?)`, or with the list
/// of what is allowed when nothing is close.
pub fn unknown_word(what: &str, text: &str, allowed: &[&str]) -> String {
    match crate::model::closest(text, allowed.iter().copied()) {
        Some(close) => format!("unknown {what} \"{text}\" (did you mean \"{close}\"?)"),
        None => format!(
            "unknown {what} \"{text}\" (expected one of: {})",
            allowed.join(", ")
        ),
    }
}

/// A property value from text (CSV cells, or JSON strings), applying the
/// rule that date-shaped strings and date properties are dates.
pub fn text_value(key: &str, text: &str) -> Result<Value, String> {
    if DATE_PROPS.contains(&key) {
        return PartialDate::parse(text)
            .map(Value::Date)
            .map_err(|err| err.to_string());
    }
    Value::from_text(text).map_err(|err| err.to_string())
}

/// Whether an id is a slug: lowercase letters, digits, `-`, `_`, `.`.
pub fn is_slug(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}
