//! Rendering: query results as text (table, json, jsonl, csv, markdown) and
//! every error as a located diagnostic.
//!
//! Invariant: `render` builds strings; it never writes to a terminal or a
//! file, and output never depends on hash order or petgraph indices.

mod columns;
mod diagnostic;
mod escape;
mod layout;
mod machine;
mod records;
mod table;
mod tree;
mod widths;

pub use crate::syntax::OutputFormat;
pub use diagnostic::{Diagnostic, render_diagnostic, render_diagnostic_styled};
pub use escape::{MAX_ECHO_CHARS, shorten, shorten_quoted, visible, visible_lines};
pub use machine::RESULT_SCHEMA;

use crate::eval::QueryResult;
use crate::model::Graph;

/// How tables look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Terminal width the table should fit.
    pub width: u16,
    /// Full derivations under every table (`.explain on`), not one line
    /// per row.
    pub explain: bool,
    /// The shell's row cap (`.maxrows`); batch output is never capped.
    pub max_rows: Option<usize>,
    /// Bold headers and coloured score bars (a terminal without NO_COLOR).
    pub color: bool,
    /// `depends`/`dependents` as a tree (`.tree on`).
    pub tree: bool,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            width: 100,
            explain: false,
            max_rows: None,
            color: false,
            tree: false,
        }
    }
}

/// A rendered result: `stdout` carries the result; `stderr` the notes and
/// truncation warnings of the line formats (JSON lines, CSV), which keep
/// stdout for rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub stdout: String,
    pub stderr: String,
}

impl Rendered {
    fn stdout(text: String) -> Rendered {
        Rendered {
            stdout: text,
            stderr: String::new(),
        }
    }
}

/// A result in the chosen format, ending with a newline; `query` is the
/// query's text, which the JSON envelope repeats.
pub fn render(
    graph: &Graph,
    result: &QueryResult,
    format: OutputFormat,
    options: RenderOptions,
    query: &str,
) -> Rendered {
    match format {
        // Control characters from data files never reach a terminal raw.
        // Colour is painted last, so only critmin's own escapes reach it.
        OutputFormat::Table => {
            let plain = table::table(graph, result, options);
            let safe = visible_lines(&plain);
            Rendered::stdout(if options.color {
                table::paint(&safe)
            } else {
                safe.into_owned()
            })
        }
        OutputFormat::Json => machine::json(graph, result, query),
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
