//! Rendering: query results as text (table, json, jsonl, csv, markdown) and
//! every error as a located diagnostic.
//!
//! Invariant: `render` builds strings; it never writes to a terminal or a
//! file, and output never depends on hash order or petgraph indices.

mod diagnostic;
mod layout;
mod machine;
mod table;

pub use crate::syntax::OutputFormat;
pub use diagnostic::{Diagnostic, render_diagnostic};

use crate::eval::QueryResult;
use crate::model::Graph;

/// How tables look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Terminal width the table should fit.
    pub width: u16,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions { width: 100 }
    }
}

/// A result in the chosen format, ending with a newline.
pub fn render(
    graph: &Graph,
    result: &QueryResult,
    format: OutputFormat,
    options: RenderOptions,
) -> String {
    match format {
        OutputFormat::Table => table::table(graph, result, options),
        OutputFormat::Json => machine::json(graph, result),
        OutputFormat::Jsonl => machine::jsonl(graph, result),
        OutputFormat::Csv => machine::csv(graph, result),
        OutputFormat::Markdown => machine::markdown(graph, result),
    }
}

/// Parses a format name (`table`, `json`, `jsonl`, `csv`, `markdown`).
pub fn parse_format(name: &str) -> Option<OutputFormat> {
    Some(match name.to_ascii_lowercase().as_str() {
        "table" => OutputFormat::Table,
        "json" => OutputFormat::Json,
        "jsonl" => OutputFormat::Jsonl,
        "csv" => OutputFormat::Csv,
        "markdown" | "md" => OutputFormat::Markdown,
        _ => return None,
    })
}
