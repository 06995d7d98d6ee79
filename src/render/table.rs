//! Aligned tables for people: numbers right-aligned, scores with a bar,
//! a sparkline per series (`timeline`), notes after the table. Layout and wrapping rules are in
//! [`super::layout`].

use crate::eval::{Cell, Explanation, QueryResult};
use crate::model::Graph;

use super::RenderOptions;
use super::columns;
use super::layout::{
    LaidCell, fit_widths, min_widths, shorten, text_width, wrap_hanging, wrap_header,
};
use super::records::records;

/// Padding around each column (one space each side).
const COLUMN_OVERHEAD: usize = 2;

/// Lines a text cell may take before it is shortened with `…` (not in
/// `show`, whose text stays whole).
const MAX_CELL_LINES: usize = 3;

/// Width of a score bar in characters.
const BAR_WIDTH: usize = 10;

pub fn table(graph: &Graph, result: &QueryResult, options: RenderOptions) -> String {
    let width = usize::from(options.width);
    let mut out = String::new();
    let tree = (options.tree && !result.columns_chosen)
        .then(|| super::tree::tree(graph, result, width))
        .flatten();
    let incomplete = match result.truncated {
        true => ", incomplete: a limit stopped the query before it found every row",
        false => "",
    };
    if result.rows.is_empty() {
        out.push_str(&format!("(no rows{incomplete})\n"));
    } else if let Some(tree) = tree {
        out.push_str(&tree);
        let plural = if result.rows.len() == 1 { "" } else { "s" };
        out.push_str(&format!(
            "({} row{plural}{incomplete})\n",
            result.rows.len()
        ));
    } else {
        let shown = shown_columns(result);
        let limit = options.max_rows.unwrap_or(usize::MAX);
        let rows: Vec<Vec<(LaidCell, Alignment)>> = result
            .rows
            .iter()
            .take(limit)
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
        // `show` keeps every text whole; other tables shorten long cells.
        let max_lines = if result.record.is_some() {
            usize::MAX
        } else {
            MAX_CELL_LINES
        };
        let policy = !result.columns_chosen;
        let (laid_out, hidden_note) = planned_table(&headers, &rows, width, max_lines, policy);
        out.push_str(&laid_out);
        let plural = if result.rows.len() == 1 { "" } else { "s" };
        if result.rows.len() > limit {
            out.push_str(&format!(
                "({} rows, {limit} shown — `.maxrows N` or `| take N`)\n",
                result.rows.len()
            ));
        } else {
            out.push_str(&format!(
                "({} row{plural}{incomplete})\n",
                result.rows.len()
            ));
        }
        if let Some(note) = hidden_note {
            push_wrapped(&mut out, &note, width);
        }
        for line in crate::picture::sparkline::series_lines(graph, result) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for note in result.notes.iter().chain(&result.exports) {
        push_wrapped(&mut out, note, width);
    }
    push_explanations(&mut out, graph, result, options);
    out
}

/// Under the table: one "why" line per explained row, or every row's full
/// derivation with `| explain` or `.explain on`; nothing after `select`.
fn push_explanations(
    out: &mut String,
    graph: &Graph,
    result: &QueryResult,
    options: RenderOptions,
) {
    let width = usize::from(options.width);
    let full = match result.explanation {
        Explanation::Hidden => return,
        Explanation::Full => true,
        Explanation::Why => options.explain,
    };
    let limit = options.max_rows.unwrap_or(usize::MAX);
    let explained = result
        .rows
        .iter()
        .take(limit)
        .filter(|row| !row.explain.is_empty());
    if full {
        for row in explained {
            for line in row.explain.lines(graph).iter() {
                push_wrapped(out, line, width);
            }
        }
        return;
    }
    let mut any = false;
    for row in explained {
        let Some(leading) = row.explain.why(graph) else {
            continue;
        };
        let label = row
            .cells
            .first()
            .map(|cell| cell.display(graph))
            .unwrap_or_default();
        if !any {
            out.push_str(
                "why (leading material; `| explain` or `.explain on` for the derivation):\n",
            );
            any = true;
        }
        let why = format!("{label} ← {}", leading.trim());
        for line in shorten(&why, width.saturating_sub(2), 1) {
            out.push_str(&format!("  {line}\n"));
        }
    }
}

/// Colour for a terminal, added after layout (and after control
/// characters from data are made visible) so widths are unchanged: headers
/// bold, the rule dim, score bars cyan.
pub(super) fn paint(table: &str) -> String {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let bar = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let is_bar = |c: char| ('█'..='▏').contains(&c);
    let mut out = String::new();
    let mut in_header = table.contains('─');
    for line in table.lines() {
        if line.starts_with('─') {
            in_header = false;
            out.push_str(&format!("{dim}{line}{dim:#}\n"));
            continue;
        }
        if in_header && !line.contains(':') {
            out.push_str(&format!("{bold}{line}{bold:#}\n"));
            continue;
        }
        let mut painted = String::new();
        let mut inside = false;
        for c in line.chars() {
            if is_bar(c) != inside {
                inside = !inside;
                painted.push_str(&if inside {
                    format!("{bar}")
                } else {
                    format!("{bar:#}")
                });
            }
            painted.push(c);
        }
        if inside {
            painted.push_str(&format!("{bar:#}"));
        }
        out.push_str(&painted);
        out.push('\n');
    }
    out
}

/// Each line of `text` wrapped to `width` with a hanging indent.
fn push_wrapped(out: &mut String, text: &str, width: usize) {
    for line in text.lines() {
        for wrapped in wrap_hanging(line, width) {
            out.push_str(&wrapped);
            out.push('\n');
        }
    }
}

/// The table after the column policy (unless `select` chose the columns):
/// constant columns said above it, repeated ones dropped; a grid of the columns that fit with every word
/// whole (the rest named under it), or one record per row when fewer than
/// half of them fit.
fn planned_table(
    headers: &[String],
    rows: &[Vec<(LaidCell, Alignment)>],
    width: usize,
    max_lines: usize,
    policy: bool,
) -> (String, Option<String>) {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|(cell, _)| cell.text.clone()).collect())
        .collect();
    let plan = if policy {
        columns::plan(headers, &texts)
    } else {
        columns::ColumnPlan::all(headers.len())
    };
    let mut out = String::new();
    for (header, value) in &plan.hoisted {
        push_wrapped(&mut out, &format!("{header}: {value}"), width);
    }
    let printed_headers: Vec<String> = plan
        .printed
        .iter()
        .map(|column| headers[*column].clone())
        .collect();
    let printed_rows: Vec<Vec<(LaidCell, Alignment)>> = rows
        .iter()
        .map(|row| {
            plan.printed
                .iter()
                .filter_map(|column| row.get(*column).cloned())
                .collect()
        })
        .collect();
    let laid: Vec<Vec<LaidCell>> = printed_rows
        .iter()
        .map(|row| row.iter().map(|(cell, _)| cell.clone()).collect())
        .collect();
    let minimum = min_widths(&printed_headers, &laid);
    let fits = |hidden: &[usize]| {
        minimum
            .iter()
            .enumerate()
            .filter(|(column, _)| !hidden.contains(column))
            .map(|(_, column_width)| column_width + COLUMN_OVERHEAD + 1)
            .sum::<usize>()
            <= width + 1
    };
    let mut hidden: Vec<usize> = Vec::new();
    let order = hiding_order(&laid, minimum.len());
    let mut next = order.iter();
    while hidden.len() + 1 < minimum.len() && !fits(&hidden) {
        match next.next() {
            Some(column) => hidden.push(*column),
            None => break,
        }
    }
    if hidden.len() * 2 > minimum.len() {
        let printed_texts: Vec<Vec<String>> = laid
            .iter()
            .map(|row| row.iter().map(|cell| cell.text.clone()).collect())
            .collect();
        out.push_str(&records(&printed_headers, &printed_texts, width));
        return (out, None);
    }
    let kept = |column: &usize| !hidden.contains(column);
    let kept_headers: Vec<String> = (0..minimum.len())
        .filter(kept)
        .map(|column| printed_headers[column].clone())
        .collect();
    let kept_rows: Vec<Vec<(LaidCell, Alignment)>> = printed_rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .filter(|(column, _)| kept(column))
                .map(|(_, cell)| cell)
                .collect()
        })
        .collect();
    out.push_str(&grid(&kept_headers, &kept_rows, width, max_lines));
    if hidden.is_empty() {
        return (out, None);
    }
    hidden.sort_unstable();
    let names: Vec<&str> = hidden
        .iter()
        .map(|column| printed_headers[*column].as_str())
        .collect();
    let note = format!(
        "not shown at width {width}: {} (`| select` picks columns; a wider --width or --format csv shows all)",
        names.join(", ")
    );
    (out, Some(note))
}

/// Which columns give way when a table is too wide: columns of ids and
/// source lists first, then the others; right to left, never the first.
fn hiding_order(rows: &[Vec<LaidCell>], count: usize) -> Vec<usize> {
    let identifiers = |column: usize| {
        let cells: Vec<&LaidCell> = rows.iter().filter_map(|row| row.get(column)).collect();
        cells.iter().any(|cell| cell.text.contains('-'))
            && cells.iter().all(|cell| {
                !cell.atomic
                    && cell
                        .text
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_;.".contains(c))
            })
    };
    let (mut order, rest): (Vec<usize>, Vec<usize>) =
        (1..count).rev().partition(|column| identifiers(*column));
    order.extend(rest);
    order
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
fn grid(
    headers: &[String],
    rows: &[Vec<(LaidCell, Alignment)>],
    total: usize,
    max_lines: usize,
) -> String {
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
                Some((cell, alignment)) if cell.atomic => (cell.wrap(*width), *alignment),
                Some((cell, alignment)) => (shorten(&cell.text, *width, max_lines), *alignment),
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
        let out = grid(&headers, &rows, 20, usize::MAX);
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
            grid(&headers, &rows, 100, usize::MAX),
            " id        n\n───────── ────\n gallium   12\n"
        );
    }
}
