//! What a query evaluates to: a table of typed rows plus the subgraph that
//! supports it.

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::{Graph, NeighborTrace, NodeIndex, PartialDate, Subgraph, format_number};

pub use super::lazy_cell::LazyCell;

use super::derivation::Derivation;

/// The name of a [`Cell::Record`] field: a fixed name borrowed, a data
/// key (a property's) owned.
pub type FieldName = Cow<'static, str>;

/// One value of a result table, or of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Num(f64),
    /// A 0..1 score, rendered with a bar in tables.
    Score(f64),
    Text(String),
    Bool(bool),
    Date(PartialDate),
    Node(NodeIndex),
    List(Vec<Cell>),
    /// Named fields: an edge's props, a path step, an exposure factor.
    /// Tables show `key=value` pairs; machine formats an object. A fixed
    /// field name is borrowed ([`FieldName`]): an answer has thousands.
    Record(Vec<(FieldName, Cell)>),
    /// A structured value tables show as a short text (`stage=refining
    /// share=0.857`, `a;b`, `-[used_in]->`) and machine formats as `value`.
    Summary {
        text: String,
        value: Box<Cell>,
    },
    /// A cell made from the graph (a node's or an edge's text, an exposure
    /// row's chain or factors) only when a format shows it or an
    /// expression reads it ([`Cell::resolved`]): answers of thousands of
    /// rows hold these instead of the cells.
    Lazy(LazyCell),
}

impl Cell {
    /// The cell itself, or the one a [`Cell::Lazy`] stands for: what
    /// expressions, comparisons and aggregates work on.
    pub fn resolved(&self, graph: &Graph) -> Cell {
        match self {
            Cell::Lazy(lazy) => lazy.resolve(graph),
            other => other.clone(),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Num(number) | Cell::Score(number) => Some(*number),
            Cell::Summary { value, .. } => value.as_f64(),
            _ => None,
        }
    }

    /// The type's name in messages (`number`, `date`, `node`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Cell::Null => "null",
            Cell::Num(_) | Cell::Score(_) => "number",
            Cell::Text(_) => "string",
            Cell::Bool(_) => "bool",
            Cell::Date(_) => "date",
            Cell::Node(_) => "node",
            Cell::List(_) => "list",
            Cell::Record(_) => "record",
            Cell::Summary { value, .. } => value.type_name(),
            Cell::Lazy(lazy) => lazy.type_name(),
        }
    }

    /// Plain text for tables and CSV: nodes by name, numbers without noise.
    pub fn display(&self, graph: &Graph) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Num(number) => short_number(*number),
            Cell::Score(score) => super::decimal::Fixed4(*score).to_string(),
            Cell::Text(text) => text.clone(),
            Cell::Bool(flag) => flag.to_string(),
            Cell::Date(date) => date.to_string(),
            Cell::Node(node_idx) => graph.node(*node_idx).name.clone(),
            Cell::List(items) => items
                .iter()
                .map(|item| item.display(graph))
                .collect::<Vec<_>>()
                .join("; "),
            Cell::Record(fields) => fields
                .iter()
                .map(|(key, value)| format!("{key}={}", value.display(graph)))
                .collect::<Vec<_>>()
                .join(" "),
            Cell::Summary { text, .. } => text.clone(),
            Cell::Lazy(lazy) => lazy.display(graph),
        }
    }

    /// A summary: `text` in tables, `value` for machines.
    pub fn summary(text: impl Into<String>, value: Cell) -> Cell {
        Cell::Summary {
            text: text.into(),
            value: Box::new(value),
        }
    }

    /// A list of texts (source ids, aliases).
    pub fn texts<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Cell {
        Cell::List(
            items
                .into_iter()
                .map(|item| Cell::Text(item.as_ref().to_string()))
                .collect(),
        )
    }

    /// Structured value for JSON output: nodes as ids.
    pub fn to_json(&self, graph: &Graph) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            Cell::Null => Json::Null,
            Cell::Num(number) | Cell::Score(number)
                if number.fract() == 0.0 && number.abs() < 9e15 =>
            {
                Json::Number((*number as i64).into())
            }
            Cell::Num(number) | Cell::Score(number) => {
                serde_json::Number::from_f64(round_for_display(*number))
                    .map_or(Json::Null, Json::Number)
            }
            Cell::Text(text) => Json::String(text.clone()),
            Cell::Bool(flag) => Json::Bool(*flag),
            Cell::Date(date) => Json::String(date.to_string()),
            Cell::Node(node_idx) => Json::String(graph.node(*node_idx).id.clone()),
            Cell::List(items) => {
                Json::Array(items.iter().map(|item| item.to_json(graph)).collect())
            }
            Cell::Record(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(key, value)| (key.to_string(), value.to_json(graph)))
                    .collect(),
            ),
            Cell::Summary { value, .. } => value.to_json(graph),
            Cell::Lazy(lazy) => lazy.to_json(graph),
        }
    }
}

/// Whole numbers as they are; others with at most 4 decimals (tables only:
/// JSON keeps the precision).
pub(crate) fn short_number(number: f64) -> String {
    if number.fract() == 0.0 {
        return format_number(number);
    }
    let text = super::decimal::Fixed4(number).to_string();
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" || trimmed == "0" && number != 0.0 {
        format_number(round_for_display(number))
    } else {
        trimmed.to_string()
    }
}

/// Rounds away binary noise (0.1 + 0.2) while keeping 10 significant digits.
fn round_for_display(number: f64) -> f64 {
    if number == 0.0 || !number.is_finite() {
        return number;
    }
    let digits = 10 - number.abs().log10().ceil() as i32;
    let factor = 10f64.powi(digits.clamp(-300, 300));
    (number * factor).round() / factor
}

/// One row: its cells, the node it is about (if any), and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The node `where`/`sort` fields and `share(China)` refer to.
    pub node: Option<NodeIndex>,
    pub evidence: Evidence,
    /// How the row's numbers came about (exposure paths with their factors
    /// and sources), shown after the table: the first line sums the row up,
    /// the second is the leading material's factors (the one-line "why").
    /// Kept as data; the lines are made when a format prints them.
    pub explain: Derivation,
}

impl Row {
    /// Whether two rows say the same: equal, with lazy cells compared by
    /// what they stand for.
    pub fn same_as(&self, other: &Row, graph: &Graph) -> bool {
        self.node == other.node
            && (self.explain == other.explain
                || self.explain.lines(graph) == other.explain.lines(graph))
            && self.evidence.same_as(&other.evidence)
            && self.cells.len() == other.cells.len()
            && self.cells.iter().zip(&other.cells).all(|(mine, theirs)| {
                mine == theirs || mine.resolved(graph) == theirs.resolved(graph)
            })
    }
}

/// The nodes and edges behind a row: a subgraph, a `neighbors` walk's
/// trace that tells the row's subgraph when asked (a walk records no
/// evidence, an export or a chart reads it from the trace), or several
/// rows' together.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    Known(Subgraph),
    Walk {
        trace: Arc<NeighborTrace>,
        slot: u32,
    },
    /// Several rows' evidence together (a group's row, a count's), merged
    /// only when asked.
    Union(Vec<Evidence>),
}

impl Default for Evidence {
    fn default() -> Evidence {
        Evidence::Known(Subgraph::new())
    }
}

impl From<Subgraph> for Evidence {
    fn from(subgraph: Subgraph) -> Evidence {
        Evidence::Known(subgraph)
    }
}

impl Evidence {
    /// The row's subgraph.
    pub fn subgraph(&self) -> Cow<'_, Subgraph> {
        match self {
            Evidence::Known(subgraph) => Cow::Borrowed(subgraph),
            Evidence::Walk { trace, slot } => Cow::Owned(trace.evidence(*slot as usize, |_| true)),
            Evidence::Union(parts) => {
                let mut merged = Subgraph::new();
                for part in parts {
                    merged.extend(&part.subgraph());
                }
                Cow::Owned(merged)
            }
        }
    }

    /// Adds another row's evidence (a group's row holds its members'),
    /// kept apart until asked.
    pub fn extend(&mut self, other: &Evidence) {
        match self {
            Evidence::Union(parts) => parts.push(other.clone()),
            Evidence::Known(known) if known.nodes.is_empty() && known.edges.is_empty() => {
                *self = other.clone();
            }
            _ => {
                let mine = std::mem::take(self);
                *self = Evidence::Union(vec![mine, other.clone()]);
            }
        }
    }

    /// Whether two evidences hold the same nodes and edges.
    pub fn same_as(&self, other: &Evidence) -> bool {
        self == other || self.subgraph() == other.subgraph()
    }
}

/// A query's answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryResult {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Explanations and remarks printed after the table (paths, caps hit).
    pub notes: Vec<String>,
    /// Evidence that belongs to the query as a whole (the start node).
    pub base: Subgraph,
    /// The answer as one object, for machine formats (`show`: the node
    /// with its props and its edges grouped by kind and direction). Stages
    /// other than `export` drop it: they work on the rows.
    pub record: Option<Vec<(String, Cell)>>,
    /// Columns machine formats carry but tables leave out, because the
    /// explanation under the table says the same (exposure's `factors`).
    pub machine_only: Vec<String>,
    /// A cap stopped the source before it found every row (`match` after
    /// 10 000 matches, `path ... all` after 50 paths): the notes say which.
    pub truncated: bool,
    /// One line per file `| export` wrote.
    pub exports: Vec<String>,
    /// How much of the rows' `explain` a table shows.
    pub explanation: Explanation,
    /// `select` chose the columns: tables print them all, even constant
    /// or repeated ones.
    pub columns_chosen: bool,
}

/// How much of each row's explanation a table shows (machine formats
/// always carry all of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explanation {
    /// One line per row: its leading material and the factors.
    #[default]
    Why,
    /// The full derivation (`| explain`, `.explain on`).
    Full,
    /// None: `select` chose the columns.
    Hidden,
}

impl QueryResult {
    pub fn new(columns: &[&str]) -> QueryResult {
        QueryResult {
            columns: columns.iter().map(|name| name.to_string()).collect(),
            ..QueryResult::default()
        }
    }

    /// The evidence of the whole answer (the base's and every row's), as
    /// one row's: what a `count` keeps. The rows are left without theirs.
    pub fn take_evidence(&mut self) -> Evidence {
        let mut parts = vec![Evidence::Known(std::mem::take(&mut self.base))];
        parts.extend(
            self.rows
                .iter_mut()
                .map(|row| std::mem::take(&mut row.evidence)),
        );
        Evidence::Union(parts)
    }

    /// The subgraph behind the remaining rows: what `export` writes.
    pub fn subgraph(&self) -> Subgraph {
        let mut subgraph = self.base.clone();
        for row in &self.rows {
            subgraph.extend(&row.evidence.subgraph());
        }
        subgraph
    }

    /// Whether two answers have the same columns and rows
    /// ([`Row::same_as`]).
    pub fn same_rows_as(&self, other: &QueryResult, graph: &Graph) -> bool {
        self.columns == other.columns
            && self.rows.len() == other.rows.len()
            && self
                .rows
                .iter()
                .zip(&other.rows)
                .all(|(mine, theirs)| mine.same_as(theirs, graph))
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| column.eq_ignore_ascii_case(name))
    }

    pub fn push(&mut self, node: Option<NodeIndex>, cells: Vec<Cell>, evidence: Subgraph) {
        self.rows.push(Row {
            cells,
            node,
            evidence: Evidence::Known(evidence),
            explain: Derivation::None,
        });
    }
}
