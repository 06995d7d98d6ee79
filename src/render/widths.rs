//! Column widths for a table at most a given width: the search that hands
//! spare width to the columns where it saves the most printed lines, and
//! narrows the cheapest columns when the table is too wide. The rules are
//! in [`super::layout`]; this module makes their search scale with rows ×
//! columns: a column's line counts at a width are computed once and stored
//! sparsely (only rows taller than one line), with their sum, and each
//! candidate widening is scored on the rows whose line count it changes.
//!
//! Invariant: the widths are exactly those of the naive search kept in
//! `widths/naive.rs` (checked by a property test).

use super::layout::{
    LaidCell, MIN_SQUEEZED_WIDTH, UNBROKEN_WORD_WIDTH, cell_min_width, header_min_width,
    min_widths, pieces, text_width, wrap_header,
};

#[cfg(test)]
mod naive;

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
    let mut grid = Grid::new(headers, rows);
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
        // How many pieces of words are exactly each width: narrower than
        // one breaks it.
        let piece_counts = piece_counts(rows, count);
        while widths.iter().sum::<usize>() > available {
            match cheapest_squeeze(&mut grid, &widths, &floor, &piece_counts) {
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

/// Per column, `counts[width]`: how many pieces of its text cells' words
/// are that wide.
fn piece_counts(rows: &[Vec<LaidCell>], count: usize) -> Vec<Vec<usize>> {
    (0..count)
        .map(|column| {
            let mut counts: Vec<usize> = Vec::new();
            let piece_widths = rows
                .iter()
                .filter_map(|row| row.get(column))
                .filter(|cell| !cell.atomic)
                .flat_map(|cell| cell.text.split_whitespace().flat_map(pieces))
                .map(text_width);
            for width in piece_widths {
                if counts.len() <= width {
                    counts.resize(width + 1, 0);
                }
                counts[width] += 1;
            }
            counts
        })
        .collect()
}

/// A column's lines per row (the header is row 0) at one width.
#[derive(Debug, Clone, Default)]
struct ColumnLines {
    /// Lines over all rows.
    sum: usize,
    /// `(row, lines)` for the rows that do not take exactly one line, by row.
    other: Vec<(usize, usize)>,
}

impl ColumnLines {
    /// The rows whose lines differ in `self` from `from`, with their lines
    /// in `self`, by row.
    fn changes_from(&self, from: &ColumnLines) -> Vec<(usize, usize)> {
        let mut changes = Vec::new();
        let (mut old, mut new) = (from.other.iter().peekable(), self.other.iter().peekable());
        loop {
            match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some(&&(row, _)), None) => {
                    changes.push((row, 1));
                    old.next();
                }
                (None, Some(&&change)) => {
                    changes.push(change);
                    new.next();
                }
                (Some(&&(old_row, old_lines)), Some(&&(new_row, new_lines))) => {
                    if old_row < new_row {
                        changes.push((old_row, 1));
                        old.next();
                    } else if new_row < old_row {
                        changes.push((new_row, new_lines));
                        new.next();
                    } else {
                        if old_lines != new_lines {
                            changes.push((new_row, new_lines));
                        }
                        old.next();
                        new.next();
                    }
                }
            }
        }
        changes
    }
}

/// A text cell that may take more than one line, measured once.
struct Wrappable {
    /// The width it needs on one line (`usize::MAX` with a line break).
    needs: usize,
    row: usize,
    /// Its words' widths.
    words: Vec<usize>,
    widest_word: usize,
}

impl Wrappable {
    /// `None` for a cell that always fits on one line.
    fn new(row: usize, cell: &LaidCell) -> Option<Wrappable> {
        let needs = match cell.text.contains('\n') {
            true => usize::MAX,
            false => text_width(&cell.text),
        };
        if needs <= 1 {
            return None;
        }
        let words: Vec<usize> = cell.text.split_whitespace().map(text_width).collect();
        let widest_word = words.iter().copied().max().unwrap_or(0);
        Some(Wrappable {
            needs,
            row,
            words,
            widest_word,
        })
    }

    /// The cell's lines at `width` (it does not fit on one): the greedy
    /// filling of [`super::layout::wrap_text`] over the word widths when
    /// every word fits, the full count otherwise.
    fn lines(&self, cell: &LaidCell, width: usize) -> usize {
        let width = width.max(1);
        if self.widest_word > width {
            return cell.line_count(width);
        }
        let mut lines = 1;
        let mut used: Option<usize> = None;
        for word in &self.words {
            used = Some(match used {
                None => *word,
                Some(before) if before + 1 + word <= width => before + 1 + word,
                Some(_) => {
                    lines += 1;
                    *word
                }
            });
        }
        lines
    }
}

/// Columns of a table, ready for layout.
struct Grid<'a> {
    headers: &'a [String],
    rows: &'a [Vec<LaidCell>],
    /// Per column, the text cells that may take more than one line,
    /// the widest first.
    wrappable: Vec<Vec<Wrappable>>,
    /// `lines[column][width]`, computed on demand.
    lines: Vec<Vec<Option<ColumnLines>>>,
}

impl<'a> Grid<'a> {
    fn new(headers: &'a [String], rows: &'a [Vec<LaidCell>]) -> Grid<'a> {
        let wrappable = (0..headers.len())
            .map(|column| {
                let mut cells: Vec<Wrappable> = rows
                    .iter()
                    .enumerate()
                    .filter_map(|(row, cells)| Some((row, cells.get(column)?)))
                    .filter(|(_, cell)| !cell.atomic)
                    .filter_map(|(row, cell)| Wrappable::new(row, cell))
                    .collect();
                cells.sort_unstable_by_key(|cell| std::cmp::Reverse((cell.needs, cell.row)));
                cells
            })
            .collect();
        Grid {
            headers,
            rows,
            wrappable,
            lines: vec![Vec::new(); headers.len()],
        }
    }

    fn row_count(&self) -> usize {
        self.rows.len() + 1
    }

    /// The column's lines at `width`: only cells wider than `width` (or
    /// with a line break) are wrapped to count them.
    fn lines(&mut self, column: usize, width: usize) -> &ColumnLines {
        let slots = &mut self.lines[column];
        if slots.len() <= width {
            slots.resize(width + 1, None);
        }
        let (headers, rows, wrappable) = (self.headers, self.rows, &self.wrappable[column]);
        slots[width].get_or_insert_with(|| {
            let header = headers
                .get(column)
                .map_or(1, |header| wrap_header(header, width).len());
            let mut other: Vec<(usize, usize)> = wrappable
                .iter()
                .take_while(|cell| cell.needs > width.max(1))
                .filter_map(|cell| {
                    let lines = cell.lines(rows[cell.row].get(column)?, width);
                    (lines != 1).then_some((cell.row + 1, lines))
                })
                .collect();
            if header != 1 {
                other.push((0, header));
            }
            other.sort_unstable();
            let sum =
                rows.len() + 1 + other.iter().map(|(_, lines)| *lines).sum::<usize>() - other.len();
            ColumnLines { sum, other }
        })
    }

    /// Every column's lines at `widths`, row by row.
    fn current(&mut self, widths: &[usize]) -> Current {
        let row_count = self.row_count();
        let mut by_column = Vec::with_capacity(widths.len());
        let mut sums = Vec::with_capacity(widths.len());
        let mut heights = vec![usize::from(!widths.is_empty()); row_count];
        for (column, width) in widths.iter().enumerate() {
            let lines = self.lines(column, *width).clone();
            let mut dense = vec![1; row_count];
            for (row, count) in &lines.other {
                dense[*row] = *count;
                heights[*row] = heights[*row].max(*count);
            }
            sums.push(lines.sum);
            by_column.push((dense, lines));
        }
        let total = heights.iter().sum();
        Current {
            by_column,
            sums,
            heights,
            total,
        }
    }
}

/// The table's lines at the widths reached so far.
struct Current {
    /// Per column, its lines per row and the same stored sparsely.
    by_column: Vec<(Vec<usize>, ColumnLines)>,
    /// Per column, its lines over all rows.
    sums: Vec<usize>,
    /// Per row, its printed lines (its tallest cell).
    heights: Vec<usize>,
    /// Printed lines of the table.
    total: usize,
}

impl Current {
    /// The tallest of `row`'s cells outside the `skip` columns (0 when none).
    fn height_without(&self, row: usize, skip: &[usize]) -> usize {
        self.by_column
            .iter()
            .enumerate()
            .filter(|(column, _)| !skip.contains(column))
            .map(|(_, (dense, _))| dense[row])
            .max()
            .unwrap_or(0)
    }

    /// Printed lines of the table when each `(column, changes)` column
    /// takes its changed lines (rows by [`ColumnLines::changes_from`]).
    fn total_after(&self, changed: &[(usize, &[(usize, usize)])]) -> usize {
        let columns: Vec<usize> = changed.iter().map(|(column, _)| *column).collect();
        let mut rows: Vec<usize> = changed
            .iter()
            .flat_map(|(_, changes)| changes.iter().map(|(row, _)| *row))
            .collect();
        rows.sort_unstable();
        rows.dedup();
        let mut after = self.total;
        for row in rows {
            let height = changed
                .iter()
                .map(|(column, changes)| {
                    match changes.binary_search_by_key(&row, |(index, _)| *index) {
                        Ok(position) => changes[position].1,
                        Err(_) => self.by_column[*column].0[row],
                    }
                })
                .max()
                .unwrap_or(0)
                .max(self.height_without(row, &columns));
            after = after + height - self.heights[row];
        }
        after
    }
}

/// How many of a column's next widths are tried together with another
/// column's (a row as tall in two columns only gets shorter when both widen).
const PAIRED_STEPS: usize = 3;

/// A move: widths to add to one or two columns.
type Step = Vec<(usize, usize)>;

/// A column's next width at which its lines change: the width added, its
/// lines over all rows, and the rows that change.
struct Widening {
    added: usize,
    sum: usize,
    changes: Vec<(usize, usize)>,
}

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
    let current = grid.current(widths);
    let mut options: Vec<Vec<Widening>> = Vec::with_capacity(count);
    for column in 0..count {
        let mut column_options = Vec::new();
        let mut previous = current.sums[column];
        for added in 1..=spare.min(natural[column].saturating_sub(widths[column])) {
            let lines = grid.lines(column, widths[column] + added);
            if lines.sum != previous {
                previous = lines.sum;
                column_options.push(Widening {
                    added,
                    sum: lines.sum,
                    changes: lines.changes_from(&current.by_column[column].1),
                });
            }
        }
        options.push(column_options);
    }
    let mut best: Option<(Step, usize, usize, usize)> = None;
    let mut consider = |step: Step, changed: &[(usize, &Widening)]| {
        let added: usize = step.iter().map(|(_, added)| added).sum();
        if added > spare {
            return;
        }
        let saved_here: usize = changed
            .iter()
            .map(|(column, widening)| current.sums[*column].saturating_sub(widening.sum))
            .sum();
        let changes: Vec<(usize, &[(usize, usize)])> = changed
            .iter()
            .map(|(column, widening)| (*column, widening.changes.as_slice()))
            .collect();
        let saved = current.total.saturating_sub(current.total_after(&changes));
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
        for widening in column_options {
            consider(vec![(column, widening.added)], &[(column, widening)]);
        }
    }
    for first in 0..count {
        for second in first + 1..count {
            for widen_first in options[first].iter().take(PAIRED_STEPS) {
                for widen_second in options[second].iter().take(PAIRED_STEPS) {
                    consider(
                        vec![(first, widen_first.added), (second, widen_second.added)],
                        &[(first, widen_first), (second, widen_second)],
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
    piece_counts: &[Vec<usize>],
) -> Option<usize> {
    let count = widths.len();
    let current = grid.current(widths);
    let mut best: Option<(SqueezeCost, usize)> = None;
    for column in (0..count).filter(|column| widths[*column] > floor[*column]) {
        let narrower = grid.lines(column, widths[column] - 1);
        let changes = narrower.changes_from(&current.by_column[column].1);
        let after = current.total_after(&[(column, &changes)]);
        let own = narrower.sum.saturating_sub(current.sums[column]);
        let broken = piece_counts[column]
            .get(widths[column])
            .copied()
            .unwrap_or(0);
        let key = (
            broken,
            after.saturating_sub(current.total),
            own,
            std::cmp::Reverse(widths[column]),
        );
        if best.as_ref().is_none_or(|(best_key, _)| key < *best_key) {
            best = Some((key, column));
        }
    }
    best.map(|(_, column)| column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::layout::{count_lines, wrap_text};
    use proptest::prelude::*;

    /// Words like the ones tables hold: ids with hyphens, names, numbers,
    /// paths with arrows, a wide character, now and then a line break.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,6}",
            "[a-z]{2,9}-[a-z0-9]{1,12}(-[a-z]{1,5})?",
            "[A-Z][a-z]{1,20}",
            "[0-9]{1,3},[0-9]{3}",
            Just("→".to_string()),
            Just("usgs-mcs-2025;iea-critical-minerals".to_string()),
            Just("稀土".to_string()),
            Just("a\nb".to_string()),
            "[a-z_]{1,30}",
        ]
    }

    fn cell() -> impl Strategy<Value = LaidCell> {
        prop_oneof![
            3 => prop::collection::vec(word(), 0..8)
                .prop_map(|words| LaidCell::new(words.join(" "), false)),
            1 => "[0-9]{1,9}(\\.[0-9]{1,4})?".prop_map(|number| LaidCell::new(number, true)),
        ]
    }

    fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<LaidCell>>)> {
        (1usize..6).prop_flat_map(|count| {
            let headers = prop::collection::vec("[a-z]{1,8}(_[a-z]{1,8})?( [a-z]{1,6})?", count);
            // Rows may be short of a cell now and then.
            let rows =
                prop::collection::vec(prop::collection::vec(cell(), count - 1..=count), 0..25);
            (headers, rows)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_fast_search_gives_the_naive_widths((headers, rows) in table(), total in 8usize..140) {
            prop_assert_eq!(
                fit_widths(&headers, &rows, total),
                naive::fit_widths(&headers, &rows, total)
            );
        }

        #[test]
        fn counted_lines_are_the_wrapped_lines(words in prop::collection::vec(word(), 0..10), width in 0usize..40) {
            let text = words.join(" ");
            prop_assert_eq!(count_lines(&text, width), wrap_text(&text, width).len());
        }
    }

    #[test]
    fn changes_list_only_the_rows_whose_lines_differ() {
        let from = ColumnLines {
            sum: 0,
            other: vec![(0, 2), (3, 4), (5, 2)],
        };
        let to = ColumnLines {
            sum: 0,
            other: vec![(3, 4), (4, 3), (5, 3)],
        };
        assert_eq!(to.changes_from(&from), [(0, 1), (4, 3), (5, 3)]);
    }
}
