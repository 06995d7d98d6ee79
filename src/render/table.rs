//! Aligned tables for people: numbers right-aligned, scores with a bar,
//! notes after the table.

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width,
};

use crate::eval::{Cell, QueryResult};
use crate::model::Graph;

use super::RenderOptions;

/// Columns separated by spaces, a rule under the header, nothing else.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// The narrowest a wrapped column gets.
const MIN_WRAPPED_WIDTH: usize = 8;
/// Single words up to this width are never broken.
const ATOMIC_WORD_WIDTH: usize = 14;
/// Headers of atomic columns wrap beyond this width.
const ATOMIC_HEADER_WIDTH: usize = 10;
/// Padding and separator around each column.
const COLUMN_OVERHEAD: usize = 2;

/// Rows whose explanation follows the table.
const EXPLAINED_ROWS: usize = 5;

/// Width of a score bar in characters.
const BAR_WIDTH: usize = 10;

pub fn table(graph: &Graph, result: &QueryResult, options: RenderOptions) -> String {
    let mut out = String::new();
    if result.rows.is_empty() {
        out.push_str("(no rows)\n");
    } else {
        let mut table = Table::new();
        table
            .load_style(STYLE)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(result.columns.clone());
        let mut widest: Vec<usize> = result
            .columns
            .iter()
            .map(|column| column.chars().count())
            .collect();
        let mut content_widest = vec![0usize; result.columns.len()];
        let mut atomic = vec![true; result.columns.len()];
        for row in &result.rows {
            for (column, cell) in row.cells.iter().enumerate() {
                if let (Some(flag), Some(width)) =
                    (atomic.get_mut(column), content_widest.get_mut(column))
                {
                    let text = cell_text(graph, cell).0;
                    *flag &= is_atomic(cell, &text);
                    *width = (*width).max(text.chars().count());
                }
            }
        }
        for row in &result.rows {
            let cells: Vec<(String, CellAlignment)> = row
                .cells
                .iter()
                .map(|cell| cell_text(graph, cell))
                .collect();
            for (column, (text, _)) in cells.iter().enumerate() {
                if let Some(width) = widest.get_mut(column) {
                    *width = (*width).max(text.chars().count());
                }
            }
            table.add_row(
                cells
                    .into_iter()
                    .map(|(text, alignment)| comfy_table::Cell::new(text).set_alignment(alignment)),
            );
        }
        for (column, width) in table.column_iter_mut().zip(fit_widths(
            &widest,
            &content_widest,
            &atomic,
            options.width,
        )) {
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
        }
        for line in table.to_string().lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let plural = if result.rows.len() == 1 { "" } else { "s" };
        out.push_str(&format!("({} row{plural})\n", result.rows.len()));
    }
    for note in &result.notes {
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

fn cell_text(graph: &Graph, cell: &Cell) -> (String, CellAlignment) {
    let text = match cell {
        Cell::Score(score) => format!("{score:.4} {}", bar(*score)),
        other => other.display(graph),
    };
    let alignment = match cell {
        Cell::Num(_) => CellAlignment::Right,
        _ => CellAlignment::Left,
    };
    (text, alignment)
}

/// Column widths that fit `total` columns. Atomic columns (numbers,
/// scores, dates, short words) keep their content width; the others share
/// what is left, narrow ones first (water-filling), so long text wraps.
fn fit_widths(full: &[usize], content: &[usize], atomic: &[bool], total: u16) -> Vec<u16> {
    let available = usize::from(total).saturating_sub(full.len() * COLUMN_OVERHEAD);
    let mut widths = full.to_vec();
    if widths.iter().sum::<usize>() > available {
        let mut left = available;
        for column in (0..full.len()).filter(|column| atomic[*column]) {
            widths[column] = content[column].max(full[column].min(ATOMIC_HEADER_WIDTH));
            left = left.saturating_sub(widths[column]);
        }
        let mut order: Vec<usize> = (0..full.len()).filter(|column| !atomic[*column]).collect();
        order.sort_by_key(|column| full[*column]);
        for (position, column) in order.iter().enumerate() {
            let fair = left / (order.len() - position);
            widths[*column] = full[*column]
                .min(fair)
                .max(MIN_WRAPPED_WIDTH.min(full[*column]));
            left = left.saturating_sub(widths[*column]);
        }
    }
    widths
        .into_iter()
        .map(|width| u16::try_from(width + COLUMN_OVERHEAD).unwrap_or(u16::MAX))
        .collect()
}

/// Whether a cell must not be wrapped: numbers, dates, short single words.
fn is_atomic(cell: &Cell, text: &str) -> bool {
    match cell {
        Cell::Num(_) | Cell::Score(_) | Cell::Date(_) | Cell::Bool(_) | Cell::Null => true,
        _ => text.chars().count() <= ATOMIC_WORD_WIDTH && !text.contains(char::is_whitespace),
    }
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
