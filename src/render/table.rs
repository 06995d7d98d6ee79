//! Aligned tables for people: numbers right-aligned, scores with a bar,
//! notes after the table. Layout and wrapping rules are in
//! [`super::layout`].

use crate::eval::{Cell, QueryResult};
use crate::model::Graph;

use super::RenderOptions;
use super::layout::{LaidCell, fit_widths, text_width, wrap_header};

/// Padding around each column (one space each side).
const COLUMN_OVERHEAD: usize = 2;

/// Rows whose explanation follows the table.
const EXPLAINED_ROWS: usize = 5;

/// Width of a score bar in characters.
const BAR_WIDTH: usize = 10;

pub fn table(graph: &Graph, result: &QueryResult, options: RenderOptions) -> String {
    let mut out = String::new();
    let incomplete = match result.truncated {
        true => ", incomplete: a limit stopped the query before it found every row",
        false => "",
    };
    if result.rows.is_empty() {
        out.push_str(&format!("(no rows{incomplete})\n"));
    } else {
        let shown = shown_columns(result);
        let rows: Vec<Vec<(LaidCell, Alignment)>> = result
            .rows
            .iter()
            .map(|row| {
                shown
                    .iter()
                    .filter_map(|column| row.cells.get(*column))
                    .map(|cell| laid_cell(graph, cell))
                    .collect()
            })
            .collect();
        let headers: Vec<String> = shown
            .iter()
            .map(|column| result.columns[*column].clone())
            .collect();
        out.push_str(&grid(&headers, &rows, usize::from(options.width)));
        let plural = if result.rows.len() == 1 { "" } else { "s" };
        out.push_str(&format!(
            "({} row{plural}{incomplete})\n",
            result.rows.len()
        ));
    }
    for note in result.notes.iter().chain(&result.exports) {
        out.push_str(note);
        out.push('\n');
    }
    for row in result
        .rows
        .iter()
        .filter(|row| !row.explain.is_empty())
        .take(EXPLAINED_ROWS)
    {
        for line in &row.explain {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The columns people see: all but the machine-only ones.
pub(super) fn shown_columns(result: &QueryResult) -> Vec<usize> {
    (0..result.columns.len())
        .filter(|column| !result.machine_only.contains(&result.columns[*column]))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alignment {
    Left,
    Right,
}

/// Header, rule and rows, each line without trailing spaces: every column
/// padded by one space each side, columns separated by one space.
fn grid(headers: &[String], rows: &[Vec<(LaidCell, Alignment)>], total: usize) -> String {
    let cells: Vec<Vec<LaidCell>> = rows
        .iter()
        .map(|row| row.iter().map(|(cell, _)| cell.clone()).collect())
        .collect();
    let widths = fit_widths(headers, &cells, total);
    let mut out = String::new();
    let header: Vec<(Vec<String>, Alignment)> = headers
        .iter()
        .zip(&widths)
        .map(|(header, width)| (wrap_header(header, *width), Alignment::Left))
        .collect();
    push_lines(&mut out, &header, &widths);
    let rule: Vec<String> = widths
        .iter()
        .map(|width| "─".repeat(width + COLUMN_OVERHEAD))
        .collect();
    out.push_str(&rule.join(" "));
    out.push('\n');
    for row in rows {
        let wrapped: Vec<(Vec<String>, Alignment)> = widths
            .iter()
            .enumerate()
            .map(|(column, width)| match row.get(column) {
                Some((cell, alignment)) => (cell.wrap(*width), *alignment),
                None => (Vec::new(), Alignment::Left),
            })
            .collect();
        push_lines(&mut out, &wrapped, &widths);
    }
    out
}

/// One table row, as many lines as its tallest cell.
fn push_lines(out: &mut String, cells: &[(Vec<String>, Alignment)], widths: &[usize]) {
    let height = cells
        .iter()
        .map(|(lines, _)| lines.len())
        .max()
        .unwrap_or(0)
        .max(1);
    for index in 0..height {
        let mut line = String::new();
        for (column, ((lines, alignment), width)) in cells.iter().zip(widths).enumerate() {
            if column > 0 {
                line.push(' ');
            }
            let text = lines.get(index).map_or("", String::as_str);
            let pad = " ".repeat(width.saturating_sub(text_width(text)));
            line.push(' ');
            match alignment {
                Alignment::Left => {
                    line.push_str(text);
                    line.push_str(&pad);
                }
                Alignment::Right => {
                    line.push_str(&pad);
                    line.push_str(text);
                }
            }
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn laid_cell(graph: &Graph, cell: &Cell) -> (LaidCell, Alignment) {
    let text = match cell {
        Cell::Score(score) => format!("{score:.4} {}", bar(*score)),
        other => super::visible(&other.display(graph)).into_owned(),
    };
    let atomic = matches!(
        cell,
        Cell::Num(_) | Cell::Score(_) | Cell::Date(_) | Cell::Bool(_) | Cell::Null
    );
    let alignment = match cell {
        Cell::Num(_) => Alignment::Right,
        _ => Alignment::Left,
    };
    (LaidCell::new(text, atomic), alignment)
}

/// `█████▌    ` for 0.55: eighths of a block, padded to [`BAR_WIDTH`].
pub fn bar(score: f64) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (score.clamp(0.0, 1.0) * (BAR_WIDTH * 8) as f64).round() as usize;
    let mut text = "█".repeat(eighths / 8);
    text.push_str(PARTS[eighths % 8]);
    let used = eighths / 8 + usize::from(eighths % 8 != 0);
    text.push_str(&" ".repeat(BAR_WIDTH - used.min(BAR_WIDTH)));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_table_wraps_text_and_keeps_numbers_whole() {
        let headers = vec!["name".to_string(), "top_share".to_string()];
        let rows = vec![
            vec![
                (LaidCell::new("Rare earth elements", false), Alignment::Left),
                (LaidCell::new("0.91", true), Alignment::Right),
            ],
            vec![
                (LaidCell::new("Gallium", false), Alignment::Left),
                (LaidCell::new("0.987", true), Alignment::Right),
            ],
        ];
        let out = grid(&headers, &rows, 20);
        assert_eq!(
            out,
            concat!(
                " name         top_\n",
                "              share\n",
                "──────────── ───────\n",
                " Rare earth    0.91\n",
                " elements\n",
                " Gallium      0.987\n",
            )
        );
        assert!(out.lines().all(|line| line.chars().count() <= 20));
    }

    #[test]
    fn a_table_that_fits_keeps_natural_widths() {
        let headers = vec!["id".to_string(), "n".to_string()];
        let rows = vec![vec![
            (LaidCell::new("gallium", false), Alignment::Left),
            (LaidCell::new("12", true), Alignment::Right),
        ]];
        assert_eq!(
            grid(&headers, &rows, 100),
            " id        n\n───────── ────\n gallium   12\n"
        );
    }
}
