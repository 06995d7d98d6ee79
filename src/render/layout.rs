//! Table layout: column widths that fit a terminal and wrapping at word
//! boundaries.
//!
//! Rules:
//! - a header is never broken inside a word; it may break at a space or
//!   after an underscore, so a column is at least as wide as the longest
//!   such piece of its header;
//! - atomic cells (numbers, scores with their bar, dates, booleans) are never
//!   wrapped;
//! - text wraps at spaces first; a word wider than its column breaks after
//!   `→ ; , - / _`, and inside a piece only when the piece is wider than the
//!   column can ever be;
//! - spare width goes, a step at a time, to the column whose widening saves
//!   the most printed lines per character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use super::widths::fit_widths;

/// Characters after which a word that does not fit may break.
const BREAK_AFTER: [char; 7] = ['→', ';', ',', '-', '/', '_', '='];

/// Words up to this width are not broken while the table can fit.
pub const UNBROKEN_WORD_WIDTH: usize = 15;

/// The narrowest a text column is squeezed to when the table cannot fit
/// otherwise.
pub(super) const MIN_SQUEEZED_WIDTH: usize = 6;

/// What a column needs to know about one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaidCell {
    pub text: String,
    /// Never wrapped (numbers, scores, dates, booleans).
    pub atomic: bool,
}

impl LaidCell {
    pub fn new(text: impl Into<String>, atomic: bool) -> LaidCell {
        LaidCell {
            text: text.into(),
            atomic,
        }
    }

    /// The cell's lines in a column `width` wide.
    pub fn wrap(&self, width: usize) -> Vec<String> {
        if self.atomic {
            vec![self.text.clone()]
        } else {
            wrap_text(&self.text, width)
        }
    }

    /// How many lines [`LaidCell::wrap`] gives, without building them.
    pub(super) fn line_count(&self, width: usize) -> usize {
        if self.atomic {
            return 1;
        }
        count_lines(&self.text, width)
    }

    /// How many lines [`LaidCell::wrap`] gives, and the widest one's
    /// width, without building the lines when the cell fits on one.
    pub(super) fn wrapped_size(&self, width: usize) -> (usize, usize) {
        let whole = text_width(&self.text);
        if self.atomic || (whole <= width.max(1) && !self.text.contains('\n')) {
            return (1, whole);
        }
        let lines = self.wrap(width);
        let widest = lines.iter().map(|line| text_width(line)).max().unwrap_or(0);
        (lines.len(), widest)
    }
}

/// Printed width of `text` in terminal columns.
pub fn text_width(text: &str) -> usize {
    // Printable ASCII is one column a byte: most cells, measured many times.
    if text.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        return text.len();
    }
    UnicodeWidthStr::width(text)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `word` cut after each break character (never leaving a piece made of
/// break characters only).
pub(super) fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_content = false;
    for (index, c) in word.char_indices() {
        // `1,110` is one number: no break after a comma before a digit.
        let inside_number = c == ',' && word[index + 1..].starts_with(|d: char| d.is_ascii_digit());
        if BREAK_AFTER.contains(&c) && !inside_number {
            if has_content {
                let end = index + c.len_utf8();
                if end < word.len() {
                    out.push(&word[start..end]);
                    start = end;
                    has_content = false;
                }
            }
        } else {
            has_content = true;
        }
    }
    out.push(&word[start..]);
    out
}

/// `piece` in chunks at most `width` wide (at least one character each).
fn chunks(piece: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    let mut used = 0;
    for c in piece.chars() {
        let w = char_width(c);
        if used + w > width && !chunk.is_empty() {
            out.push(std::mem::take(&mut chunk));
            used = 0;
        }
        chunk.push(c);
        used += w;
    }
    if !chunk.is_empty() {
        out.push(chunk);
    }
    out
}

/// How many lines [`wrap_text`] gives, counted without building them
/// (the width search counts every wrapped cell at every candidate width).
pub fn count_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    if !text.contains('\n') && text_width(text) <= width {
        return 1;
    }
    let mut lines = 0;
    // The line being filled: its width, and whether it holds anything.
    let mut used = 0;
    let mut open = false;
    for word in text.split_whitespace() {
        let word_width = text_width(word);
        let gap = usize::from(open);
        if used + gap + word_width <= width {
            used += gap + word_width;
            open = true;
            continue;
        }
        if word_width <= width {
            lines += 1;
            used = word_width;
            open = true;
            continue;
        }
        for (index, piece) in pieces(word).into_iter().enumerate() {
            let piece_width = text_width(piece);
            let gap = usize::from(index == 0 && open);
            if used + gap + piece_width <= width {
                used += gap + piece_width;
                open = true;
                continue;
            }
            if open {
                lines += 1;
            }
            let last_start = last_chunk_start(piece, width);
            lines += chunk_count(piece, width) - 1;
            used = text_width(&piece[last_start..]);
            open = true;
        }
    }
    if open || lines == 0 {
        lines += 1;
    }
    lines
}

/// How many chunks [`chunks`] cuts `piece` (not empty) into.
fn chunk_count(piece: &str, width: usize) -> usize {
    let mut count = 1;
    let mut used = 0;
    let mut empty = true;
    for c in piece.chars() {
        let w = char_width(c);
        if used + w > width && !empty {
            count += 1;
            used = 0;
        }
        empty = false;
        used += w;
    }
    count
}

/// Where the last chunk [`chunks`] cuts from `piece` begins.
fn last_chunk_start(piece: &str, width: usize) -> usize {
    let mut start = 0;
    let mut used = 0;
    let mut empty = true;
    for (index, c) in piece.char_indices() {
        let w = char_width(c);
        if used + w > width && !empty {
            start = index;
            used = 0;
        }
        empty = false;
        used += w;
    }
    start
}

/// Greedy line filling at spaces; words wider than `width` break after
/// punctuation, pieces wider than `width` anywhere.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    if !text.contains('\n') && text_width(text) <= width {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let word_width = text_width(word);
        let gap = usize::from(!line.is_empty());
        if used + gap + word_width <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + word_width;
            continue;
        }
        if word_width <= width {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
            used = word_width;
            continue;
        }
        for (index, piece) in pieces(word).into_iter().enumerate() {
            let piece_width = text_width(piece);
            let gap = usize::from(index == 0 && !line.is_empty());
            if used + gap + piece_width <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(piece);
                used += gap + piece_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut parts = chunks(piece, width);
            let last = parts.pop().unwrap_or_default();
            lines.extend(parts);
            used = text_width(&last);
            line = last;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A header's pieces: split at spaces (dropped) and after underscores
/// (kept). Each piece says whether a space preceded it.
fn header_pieces(header: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    for (position, word) in header.split_whitespace().enumerate() {
        let mut start = 0;
        for (index, c) in word.char_indices() {
            let end = index + c.len_utf8();
            if c == '_' && end < word.len() && index > 0 {
                out.push((position > 0 && start == 0, &word[start..end]));
                start = end;
            }
        }
        out.push((position > 0 && start == 0, &word[start..]));
    }
    out
}

/// The narrowest a header can be without breaking a word.
pub fn header_min_width(header: &str) -> usize {
    header_pieces(header)
        .into_iter()
        .map(|(_, piece)| text_width(piece))
        .max()
        .unwrap_or(0)
}

/// A header's lines: broken only at spaces and after underscores, so a line
/// may be wider than `width` when a piece is.
pub fn wrap_header(header: &str, width: usize) -> Vec<String> {
    if text_width(header) <= width {
        return vec![header.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for (spaced, piece) in header_pieces(header) {
        let gap = usize::from(spaced && !line.is_empty());
        let piece_width = text_width(piece);
        if line.is_empty() || used + gap + piece_width <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(piece);
            used += gap + piece_width;
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(piece);
            used = piece_width;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The narrowest a cell can be without breaking a word: atomic cells and
/// words up to `unbroken` wide whole, longer words at their pieces.
pub(super) fn cell_min_width(cell: &LaidCell, unbroken: usize) -> usize {
    if cell.atomic {
        return text_width(&cell.text);
    }
    cell.text
        .split_whitespace()
        .map(|word| {
            let width = text_width(word);
            if width <= unbroken {
                width
            } else {
                pieces(word).into_iter().map(text_width).max().unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0)
}

/// The narrowest each column can be without breaking a header piece, an
/// atomic cell or a word up to [`UNBROKEN_WORD_WIDTH`] wide.
pub fn min_widths(headers: &[String], rows: &[Vec<LaidCell>]) -> Vec<usize> {
    (0..headers.len())
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(word_min_width)
                .max()
                .unwrap_or(0)
                .max(header_min_width(&headers[column]))
        })
        .collect()
}

/// The narrowest a cell can be with every piece of a word up to
/// [`UNBROKEN_WORD_WIDTH`] whole (ids break after their hyphens).
fn word_min_width(cell: &LaidCell) -> usize {
    if cell.atomic {
        return text_width(&cell.text);
    }
    cell.text
        .split_whitespace()
        .flat_map(pieces)
        .map(|piece| text_width(piece).min(UNBROKEN_WORD_WIDTH))
        .max()
        .unwrap_or(0)
}

/// `text` in at most `max_lines` lines of `width`, the last ending in `…`
/// when text was left out; cut at a word boundary where there is one.
pub fn shorten(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = wrap_text(text, width);
    if lines.len() <= max_lines.max(1) {
        return lines;
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        while text_width(last) + 1 > width {
            let trimmed = last.trim_end_matches(BREAK_AFTER).trim_end();
            let cut = trimmed
                .char_indices()
                .filter(|(_, c)| *c == ' ' || BREAK_AFTER.contains(c))
                .map(|(index, c)| {
                    if c == ' ' {
                        index
                    } else {
                        index + c.len_utf8()
                    }
                })
                .rfind(|index| *index > 0);
            match cut {
                Some(index) => last.truncate(index),
                None => {
                    last.pop();
                }
            }
        }
        last.push('…');
    }
    lines
}

/// A note or explanation line wrapped to `width`: its own indent kept on
/// the first line, two more on the lines that follow.
pub fn wrap_hanging(text: &str, width: usize) -> Vec<String> {
    let body = text.trim_start();
    let indent = text.len() - body.len();
    if text_width(text) <= width {
        return vec![text.trim_end().to_string()];
    }
    let room = width.saturating_sub(indent + 2).max(UNBROKEN_WORD_WIDTH);
    wrap_text(body, room)
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            let pad = if index == 0 { indent } else { indent + 2 };
            format!("{}{line}", " ".repeat(pad))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> LaidCell {
        LaidCell::new(value, false)
    }

    fn number(value: &str) -> LaidCell {
        LaidCell::new(value, true)
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    /// Printed width of a table with these content widths.
    fn printed(widths: &[usize]) -> usize {
        widths.iter().sum::<usize>() + 3 * widths.len() - 1
    }

    #[test]
    fn headers_break_only_after_underscores_or_at_spaces() {
        assert_eq!(
            wrap_header("baseline_disruption", 12),
            ["baseline_", "disruption"]
        );
        assert_eq!(wrap_header("top_producer", 10), ["top_", "producer"]);
        assert_eq!(wrap_header("a_b_c", 3), ["a_", "b_c"]);
        assert_eq!(wrap_header("share of imports", 9), ["share of", "imports"]);
        // No break point: the header stays whole even when wider.
        assert_eq!(wrap_header("disruption", 4), ["disruption"]);
        assert_eq!(header_min_width("baseline_disruption"), 10);
        assert_eq!(header_min_width("disruption"), 10);
    }

    #[test]
    fn columns_are_never_narrower_than_a_header_word() {
        let names = headers(&["disruption", "baseline_disruption", "notes"]);
        let rows = vec![vec![
            number("0.5"),
            number("0.25"),
            text(&"word ".repeat(40)),
        ]];
        let widths = fit_widths(&names, &rows, 40);
        assert!(widths[0] >= "disruption".len(), "{widths:?}");
        assert!(widths[1] >= "disruption".len(), "{widths:?}");
        for (name, width) in names.iter().zip(&widths) {
            for line in wrap_header(name, *width) {
                assert!(text_width(&line) <= *width, "{name}: {line} in {width}");
            }
        }
    }

    #[test]
    fn cells_wrap_at_spaces_first_then_after_punctuation() {
        let path = "antimony → antimony-trisulfide → defense-munitions (dep 0.900)";
        assert_eq!(
            wrap_text(path, 20),
            [
                "antimony →",
                "antimony-trisulfide",
                "→ defense-munitions",
                "(dep 0.900)"
            ]
        );
        assert_eq!(
            wrap_text("ev-2023-fy-ga-ge-export-value", 10),
            ["ev-2023-", "fy-ga-ge-", "export-", "value"]
        );
        assert_eq!(
            wrap_text("usgs-mcs-2025;iea-critical-minerals", 16),
            ["usgs-mcs-2025;", "iea-critical-", "minerals"]
        );
        assert_eq!(
            wrap_text("china_export_value", 8),
            ["china_", "export_", "value"]
        );
        // Text that fits is kept as it is, spacing included.
        assert_eq!(wrap_text("a  b", 4), ["a  b"]);
        assert_eq!(wrap_text("", 4), [""]);
    }

    #[test]
    fn words_break_inside_only_when_wider_than_the_column() {
        assert_eq!(
            wrap_text("antimony-trisulfide", 19),
            ["antimony-trisulfide"]
        );
        assert_eq!(
            wrap_text("antimony-trisulfide", 12),
            ["antimony-", "trisulfide"]
        );
        assert_eq!(wrap_text("abcdefghijkl xy", 5), ["abcde", "fghij", "kl xy"]);
        // A table that can fit without breaking words does not break them.
        let names = headers(&["id", "sources"]);
        let rows = vec![
            vec![text("antimony-trisulfide"), text("usgs-mcs-2025")],
            vec![text("gallium"), text("usgs-mcs-2025;iea-critical-minerals")],
        ];
        let widths = fit_widths(&names, &rows, 32);
        assert!(printed(&widths) <= 32, "{widths:?}");
        for (column, width) in widths.iter().enumerate() {
            for row in &rows {
                for line in row[column].wrap(*width) {
                    let whole = line.ends_with(BREAK_AFTER) || {
                        let words: Vec<&str> = row[column]
                            .text
                            .split(|c: char| c.is_whitespace() || BREAK_AFTER.contains(&c))
                            .collect();
                        line.split(BREAK_AFTER)
                            .all(|part| part.is_empty() || words.contains(&part))
                    };
                    assert!(whole, "{line:?} breaks a word at width {width}");
                }
            }
        }
    }

    #[test]
    fn numbers_and_scores_are_never_wrapped() {
        let cell = number("0.9998 ██████████");
        assert_eq!(cell.wrap(4), ["0.9998 ██████████"]);
        let names = headers(&["score", "value", "what"]);
        let rows = vec![vec![
            number("0.9998 ██████████"),
            number("48420000"),
            text(&"long explanation text ".repeat(10)),
        ]];
        let widths = fit_widths(&names, &rows, 50);
        assert_eq!(widths[0], 17);
        assert_eq!(widths[1], 8);
        assert!(printed(&widths) <= 50, "{widths:?}");
    }

    #[test]
    fn natural_widths_when_the_table_fits() {
        let names = headers(&["id", "share"]);
        let rows = vec![vec![text("gallium"), number("0.987")]];
        assert_eq!(fit_widths(&names, &rows, 100), [7, 5]);
    }

    #[test]
    fn spare_width_goes_to_the_column_that_saves_most_lines() {
        let names = headers(&["industry", "country", "top_path"]);
        let path = "ndfeb-magnets → defense-platforms → defense (dep 0.900) × supply 0.940";
        let rows: Vec<Vec<LaidCell>> = (0..5)
            .map(|_| vec![text("Defense"), text("United States"), text(path)])
            .collect();
        let widths = fit_widths(&names, &rows, 60);
        assert!(printed(&widths) <= 60, "{widths:?}");
        assert_eq!(widths[0], 8, "{widths:?}");
        // The long path gets the room; it needs at most two lines.
        assert!(rows[0][2].wrap(widths[2]).len() <= 2, "{widths:?}");
    }

    #[test]
    fn layout_is_deterministic() {
        let names = headers(&["a_b", "c", "d"]);
        let rows = vec![
            vec![text("one two three"), text("four five"), number("6")],
            vec![text("seven-eight-nine"), text("ten"), number("11")],
        ];
        let first = fit_widths(&names, &rows, 20);
        for _ in 0..5 {
            assert_eq!(fit_widths(&names, &rows, 20), first);
        }
    }
}
