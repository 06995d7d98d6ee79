//! Formats for machines and reports: JSON (one envelope), JSON lines, CSV
//! and Markdown, all from the same typed rows (docs/OUTPUT.md is the
//! contract; `schemas/` holds its JSON Schemas).
//!
//! Every value is typed: numbers as numbers (the same digits in JSON and
//! CSV), dates as ISO text, nodes and sources as ids, lists as arrays,
//! props and path steps as objects. CSV writes arrays and objects as JSON
//! text in the cell. JSON carries notes and truncation in its envelope;
//! JSON lines and CSV keep stdout for rows and put them on stderr.

use std::borrow::Cow;

use serde_json::{Map, Value as Json, json};

use crate::eval::{Cell, QueryResult};
use crate::model::Graph;

use super::Rendered;

/// The envelope's `schema`: bump the number when a field changes meaning.
pub const RESULT_SCHEMA: &str = "critmin.result/1";

/// The columns and rows machines see: the `record` of a `show`, or every
/// column of the table (machine-only ones included).
fn machine_table(result: &QueryResult) -> (Vec<String>, Vec<Vec<&Cell>>) {
    match &result.record {
        Some(fields) => (
            fields.iter().map(|(key, _)| key.clone()).collect(),
            vec![fields.iter().map(|(_, cell)| cell).collect()],
        ),
        None => (
            result.columns.clone(),
            result
                .rows
                .iter()
                .map(|row| row.cells.iter().collect())
                .collect(),
        ),
    }
}

fn row_objects(graph: &Graph, result: &QueryResult) -> Vec<Json> {
    let (columns, rows) = machine_table(result);
    let explains: Vec<Cow<'_, [String]>> = match &result.record {
        Some(_) => vec![Cow::Borrowed(&[])],
        None => result
            .rows
            .iter()
            .map(|row| row.explain.lines(graph))
            .collect(),
    };
    rows.iter()
        .zip(explains)
        .map(|(cells, explain)| {
            let mut object: Map<String, Json> = columns
                .iter()
                .zip(cells)
                .map(|(column, cell)| (column.clone(), cell.to_json(graph)))
                .collect();
            if !explain.is_empty() {
                let lines: Vec<&str> = explain.iter().map(|line| line.trim()).collect();
                object.insert("explain".to_string(), json!(lines));
            }
            Json::Object(object)
        })
        .collect()
}

/// Notes for machines: the source's remarks, then what `export` wrote.
fn all_notes(result: &QueryResult) -> Vec<&str> {
    result
        .notes
        .iter()
        .chain(&result.exports)
        .map(String::as_str)
        .collect()
}

/// `{"schema": "critmin.result/1", "query": ..., "columns": [...],
/// "rows": [{...}], "notes": [...], "truncated": false}`
pub fn json(graph: &Graph, result: &QueryResult, query: &str) -> Rendered {
    let (columns, _) = machine_table(result);
    let document = json!({
        "schema": RESULT_SCHEMA,
        "query": query,
        "columns": columns,
        "rows": row_objects(graph, result),
        "notes": all_notes(result),
        "truncated": result.truncated,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    Rendered::stdout(text)
}

/// One JSON object per row on stdout; notes and truncation on stderr.
pub fn jsonl(graph: &Graph, result: &QueryResult) -> Rendered {
    let mut text = String::new();
    for row in row_objects(graph, result) {
        text.push_str(&row.to_string());
        text.push('\n');
    }
    Rendered {
        stdout: text,
        stderr: stderr_notes(result),
    }
}

/// The same columns and values as JSON, one line per row; arrays and
/// objects as JSON text; notes and truncation on stderr.
pub fn csv(graph: &Graph, result: &QueryResult) -> Rendered {
    let (columns, rows) = machine_table(result);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(&columns);
    for cells in rows {
        let _ = writer.write_record(cells.iter().map(|cell| csv_value(&cell.to_json(graph))));
    }
    let stdout = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    Rendered {
        stdout,
        stderr: stderr_notes(result),
    }
}

/// A CSV cell: text as is, null empty, numbers and bools as JSON writes
/// them, arrays and objects as JSON text.
fn csv_value(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `note: ...` lines, and a `warning:` line when the result is truncated.
fn stderr_notes(result: &QueryResult) -> String {
    let mut text = String::new();
    for note in all_notes(result) {
        text.push_str(&format!("note: {note}\n"));
    }
    if result.truncated {
        text.push_str(
            "warning: the result is truncated: a limit stopped the query before it found every row\n",
        );
    }
    text
}

/// A table, the notes, then the explanations (with their sources) under
/// `Explanation`.
/// Text for a Markdown table or paragraph: HTML special characters as
/// entities, `|` escaped, control characters visible.
fn markdown_text(text: &str) -> String {
    super::visible(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

pub fn markdown(graph: &Graph, result: &QueryResult) -> Rendered {
    let escape = |text: String| markdown_text(&text.replace('\n', " "));
    let shown = super::table::shown_columns(result);
    let header: Vec<String> = shown
        .iter()
        .map(|column| escape(result.columns[*column].clone()))
        .collect();
    let mut text = format!("| {} |\n", header.join(" | "));
    text.push_str(&format!("|{}\n", " --- |".repeat(shown.len())));
    for row in &result.rows {
        let cells: Vec<String> = shown
            .iter()
            .filter_map(|column| row.cells.get(*column))
            .map(|cell| escape(cell.display(graph)))
            .collect();
        text.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    for note in all_notes(result) {
        text.push_str(&format!("\n{}\n", markdown_text(note)));
    }
    let explained: Vec<Cow<'_, [String]>> = result
        .rows
        .iter()
        .filter(|row| !row.explain.is_empty())
        .map(|row| row.explain.lines(graph))
        .collect();
    if !explained.is_empty() {
        text.push_str("\n### Explanation\n");
        for explain in explained {
            text.push('\n');
            for line in explain.iter() {
                let depth = line.len() - line.trim_start().len();
                let line = markdown_text(line.trim());
                text.push_str(&format!("{}- {line}\n", " ".repeat(depth)));
            }
        }
    }
    if result.truncated {
        text.push_str(
            "\n**The result is truncated**: a limit stopped the query before it found every row.\n",
        );
    }
    Rendered::stdout(text)
}
