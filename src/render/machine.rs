//! Formats for machines and reports: JSON (one object), JSON lines, CSV and
//! Markdown. JSON keeps types (numbers, dates as ISO text, nodes as ids).

use serde_json::{Map, Value as Json, json};

use crate::eval::QueryResult;
use crate::model::Graph;

fn row_objects(graph: &Graph, result: &QueryResult) -> Vec<Json> {
    result
        .rows
        .iter()
        .map(|row| {
            let mut object: Map<String, Json> = result
                .columns
                .iter()
                .zip(&row.cells)
                .map(|(column, cell)| (column.clone(), cell.to_json(graph)))
                .collect();
            if !row.explain.is_empty() {
                object.insert(
                    "explain".to_string(),
                    json!(
                        row.explain
                            .iter()
                            .map(|line| line.trim())
                            .collect::<Vec<_>>()
                    ),
                );
            }
            Json::Object(object)
        })
        .collect()
}

/// `{"columns": [...], "rows": [{...}], "notes": [...]}`
pub fn json(graph: &Graph, result: &QueryResult) -> String {
    let document = json!({
        "columns": result.columns,
        "rows": row_objects(graph, result),
        "notes": result.notes,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// One JSON object per row.
pub fn jsonl(graph: &Graph, result: &QueryResult) -> String {
    let mut text = String::new();
    for row in row_objects(graph, result) {
        text.push_str(&row.to_string());
        text.push('\n');
    }
    text
}

pub fn csv(graph: &Graph, result: &QueryResult) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(&result.columns);
    for row in &result.rows {
        let _ = writer.write_record(row.cells.iter().map(|cell| cell.display(graph)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn markdown(graph: &Graph, result: &QueryResult) -> String {
    let escape = |text: String| text.replace('|', "\\|").replace('\n', " ");
    let mut text = format!(
        "| {} |\n",
        result
            .columns
            .iter()
            .map(|c| escape(c.clone()))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    text.push_str(&format!("|{}\n", " --- |".repeat(result.columns.len())));
    for row in &result.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| escape(cell.display(graph)))
            .collect();
        text.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    for note in &result.notes {
        text.push_str(&format!("\n{note}\n"));
    }
    text
}
