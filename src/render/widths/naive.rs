//! The old width search, kept as the oracle for [`super::fit_widths`]:
//! every candidate width re-counts every row's lines.

use crate::render::layout::{
    LaidCell, MIN_SQUEEZED_WIDTH, UNBROKEN_WORD_WIDTH, cell_min_width, header_min_width,
    min_widths, pieces, text_width, wrap_header,
};

/// Columns of a table, ready for layout.
struct Grid<'a> {
    headers: &'a [String],
    rows: &'a [Vec<LaidCell>],
    /// `heights[column][width]`: lines per row (the header first) at that
    /// width, computed on demand.
    heights: Vec<Vec<Option<Vec<usize>>>>,
}

impl Grid<'_> {
    fn lines(&mut self, column: usize, width: usize) -> &[usize] {
        let slots = &mut self.heights[column];
        if slots.len() <= width {
            slots.resize(width + 1, None);
        }
        let headers = self.headers;
        let rows = self.rows;
        slots[width].get_or_insert_with(|| {
            let header = headers
                .get(column)
                .map_or(1, |header| wrap_header(header, width).len());
            std::iter::once(header)
                .chain(
                    rows.iter()
                        .map(|row| row.get(column).map_or(1, |cell| cell.wrapped_size(width).0)),
                )
                .collect()
        })
    }
}

/// Content widths (without padding) for `headers` and `rows` in a table at
/// most `total` columns wide, separators and padding included. Natural
/// widths when they fit; otherwise every column starts at the narrowest it
/// can be without breaking a word, and the spare width is handed out where
/// it saves the most lines.
pub fn fit_widths(headers: &[String], rows: &[Vec<LaidCell>], total: usize) -> Vec<usize> {
    let count = headers.len();
    let available = total.saturating_sub((3 * count).saturating_sub(1));
    let cell_widths = |column: usize, measure: &dyn Fn(&LaidCell) -> usize, atomic_only: bool| {
        rows.iter()
            .filter_map(|row| row.get(column))
            .filter(|cell| !atomic_only || cell.atomic)
            .map(measure)
            .max()
            .unwrap_or(0)
    };
    let natural: Vec<usize> = (0..count)
        .map(|column| {
            text_width(&headers[column]).max(cell_widths(
                column,
                &|cell| text_width(&cell.text),
                false,
            ))
        })
        .collect();
    if natural.iter().sum::<usize>() <= available {
        return natural;
    }
    // Never narrower than a header piece or an atomic cell.
    let hard: Vec<usize> = (0..count)
        .map(|column| {
            header_min_width(&headers[column]).max(cell_widths(
                column,
                &|cell| text_width(&cell.text),
                true,
            ))
        })
        .collect();
    // Words up to UNBROKEN_WORD_WIDTH whole; longer ones at their pieces.
    let mut widths: Vec<usize> = (0..count)
        .map(|column| {
            hard[column].max(cell_widths(
                column,
                &|cell| cell_min_width(cell, UNBROKEN_WORD_WIDTH),
                false,
            ))
        })
        .collect();
    // The widths of all pieces of words: narrower than one breaks it.
    let piece_widths: Vec<Vec<usize>> = (0..count)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .filter(|cell| !cell.atomic)
                .flat_map(|cell| cell.text.split_whitespace().flat_map(pieces))
                .map(text_width)
                .collect()
        })
        .collect();
    let mut grid = Grid {
        headers,
        rows,
        heights: vec![Vec::new(); count],
    };
    // Too wide even so: narrow the columns where it costs the fewest lines,
    // breaking inside a piece last; not at all when the table cannot fit.
    let whole_pieces = min_widths(headers, rows);
    let floor: Vec<usize> = (0..count)
        .map(|column| {
            hard[column]
                .max(MIN_SQUEEZED_WIDTH.min(widths[column]))
                .max(whole_pieces[column])
        })
        .collect();
    if floor.iter().sum::<usize>() <= available {
        while widths.iter().sum::<usize>() > available {
            match cheapest_squeeze(&mut grid, &widths, &floor, &piece_widths) {
                Some(column) => widths[column] -= 1,
                None => break,
            }
        }
    }
    let mut spare = available.saturating_sub(widths.iter().sum());
    while spare > 0 {
        match best_step(&mut grid, &widths, &natural, spare) {
            Some(step) => {
                for (column, added) in step {
                    widths[column] += added;
                    spare -= added;
                }
            }
            None => break,
        }
    }
    // Trim slack: a column is as wide as its widest printed line.
    for (column, width) in widths.iter_mut().enumerate() {
        let header = wrap_header(&headers[column], *width);
        let used = header
            .iter()
            .map(|line| text_width(line))
            .chain(
                rows.iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.wrapped_size(*width).1),
            )
            .max()
            .unwrap_or(0);
        *width = used;
    }
    widths
}

/// How many of a column's next widths are tried together with another
/// column's (a row as tall in two columns only gets shorter when both widen).
const PAIRED_STEPS: usize = 3;

/// A move: widths to add to one or two columns.
type Step = Vec<(usize, usize)>;

/// The widening that saves the most printed lines per added character
/// (ties: the most lines saved inside the widened columns, then the
/// earliest found). `None` when no widening within `spare` saves a line.
fn best_step(
    grid: &mut Grid<'_>,
    widths: &[usize],
    natural: &[usize],
    spare: usize,
) -> Option<Step> {
    let count = widths.len();
    let current: Vec<Vec<usize>> = (0..count)
        .map(|column| grid.lines(column, widths[column]).to_vec())
        .collect();
    let row_count = grid.rows.len() + 1;
    // Per row, the three tallest columns (lines, column), tallest first.
    let tallest: Vec<Vec<(usize, usize)>> = (0..row_count)
        .map(|row| {
            let mut ranked: Vec<(usize, usize)> = (0..count)
                .map(|column| (current[column][row], column))
                .collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            ranked.truncate(3);
            ranked
        })
        .collect();
    let height_without = |row: usize, skip: &[usize]| {
        tallest[row]
            .iter()
            .find(|(_, column)| !skip.contains(column))
            .map_or(0, |(lines, _)| *lines)
    };
    let total: usize = (0..row_count).map(|row| height_without(row, &[])).sum();
    // Each column's next widths at which its lines change.
    let mut options: Vec<Vec<(usize, Vec<usize>)>> = vec![Vec::new(); count];
    for column in 0..count {
        let mut previous: usize = current[column].iter().sum();
        for added in 1..=spare.min(natural[column].saturating_sub(widths[column])) {
            let lines = grid.lines(column, widths[column] + added);
            let sum: usize = lines.iter().sum();
            if sum != previous {
                previous = sum;
                options[column].push((added, lines.to_vec()));
            }
        }
    }
    let mut best: Option<(Step, usize, usize, usize)> = None;
    let mut consider = |step: Step, changed: &[(usize, &Vec<usize>)]| {
        let columns: Vec<usize> = changed.iter().map(|(column, _)| *column).collect();
        let added: usize = step.iter().map(|(_, added)| added).sum();
        if added > spare {
            return;
        }
        let mut saved_here = 0;
        for (column, lines) in changed {
            let before: usize = current[*column].iter().sum();
            saved_here += before.saturating_sub(lines.iter().sum());
        }
        let after: usize = (0..row_count)
            .map(|row| {
                changed
                    .iter()
                    .map(|(_, lines)| lines[row])
                    .max()
                    .unwrap_or(0)
                    .max(height_without(row, &columns))
            })
            .sum();
        let saved = total.saturating_sub(after);
        let better = match &best {
            None => true,
            Some((_, best_added, best_saved, best_here)) => {
                let overall = (saved * best_added).cmp(&(best_saved * added));
                overall.is_gt() || (overall.is_eq() && saved_here * best_added > best_here * added)
            }
        };
        if better && saved_here > 0 {
            best = Some((step, added, saved, saved_here));
        }
    };
    for (column, column_options) in options.iter().enumerate() {
        for (added, lines) in column_options {
            consider(vec![(column, *added)], &[(column, lines)]);
        }
    }
    for first in 0..count {
        for second in first + 1..count {
            for (added_first, lines_first) in options[first].iter().take(PAIRED_STEPS) {
                for (added_second, lines_second) in options[second].iter().take(PAIRED_STEPS) {
                    consider(
                        vec![(first, *added_first), (second, *added_second)],
                        &[(first, lines_first), (second, lines_second)],
                    );
                }
            }
        }
    }
    best.map(|(step, ..)| step)
}

/// Pieces newly broken, lines added overall, lines added in the column,
/// and the column's width (wider first).
type SqueezeCost = (usize, usize, usize, std::cmp::Reverse<usize>);

/// The column to narrow by one when the table is too wide: the one whose
/// narrowing breaks the fewest pieces of words, then adds the fewest printed
/// lines, then the fewest lines of its own, then the widest.
fn cheapest_squeeze(
    grid: &mut Grid<'_>,
    widths: &[usize],
    floor: &[usize],
    piece_widths: &[Vec<usize>],
) -> Option<usize> {
    let count = widths.len();
    let current: Vec<Vec<usize>> = (0..count)
        .map(|column| grid.lines(column, widths[column]).to_vec())
        .collect();
    let row_count = grid.rows.len() + 1;
    let height = |row: usize, replaced: Option<(usize, &[usize])>| {
        (0..count)
            .map(|column| match replaced {
                Some((changed, lines)) if changed == column => lines[row],
                _ => current[column][row],
            })
            .max()
            .unwrap_or(0)
    };
    let total: usize = (0..row_count).map(|row| height(row, None)).sum();
    let mut best: Option<(SqueezeCost, usize)> = None;
    for column in (0..count).filter(|column| widths[*column] > floor[*column]) {
        let narrower = grid.lines(column, widths[column] - 1).to_vec();
        let after: usize = (0..row_count)
            .map(|row| height(row, Some((column, &narrower))))
            .sum();
        let own = narrower
            .iter()
            .sum::<usize>()
            .saturating_sub(current[column].iter().sum());
        let broken = piece_widths[column]
            .iter()
            .filter(|width| **width == widths[column])
            .count();
        let key = (
            broken,
            after.saturating_sub(total),
            own,
            std::cmp::Reverse(widths[column]),
        );
        if best.as_ref().is_none_or(|(best_key, _)| key < *best_key) {
            best = Some((key, column));
        }
    }
    best.map(|(_, column)| column)
}
