//! Tables a person can read (issue 8): every conformance and readability
//! query rendered at 80 and 100 columns has no line wider than the width
//! and never splits a word of up to 15 characters across lines.

use std::collections::HashSet;

use critmin::model::Graph;
use critmin::render::OutputFormat;
use critmin::syntax::{Query, Statement, parse_script};
use unicode_width::UnicodeWidthStr;

mod query_run;
use query_run::{answer_query, bundled, case_files, rendered};

const WIDTHS: [u16; 2] = [80, 100];

/// The longest word the layout promises never to split.
const WHOLE_WORD: usize = 15;

fn queries() -> Vec<(String, Query)> {
    let mut out = Vec::new();
    for folder in ["tests/conformance", "tests/readable"] {
        for file in case_files(folder) {
            let text = std::fs::read_to_string(&file).unwrap();
            for statement in parse_script(&text).unwrap() {
                if let Statement::Query(query) = statement {
                    if !query.to_string().contains("| export") {
                        out.push((file.display().to_string(), query));
                    }
                }
            }
        }
    }
    out
}

/// Runs of letters, digits and the marks inside numbers (`1,110`, `99.9%`).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || ",.%'".contains(c)))
        .map(|word| word.trim_matches(|c: char| ",.'".contains(c)))
        .filter(|word| !word.is_empty())
        .collect()
}

fn table(graph: &Graph, query: &Query, width: u16) -> (String, Vec<String>) {
    let result = answer_query(graph, query);
    let text = rendered(graph, &result, OutputFormat::Table, width, "");
    // Columns the table names as not shown hold no printed words.
    let hidden: Vec<&str> = text
        .split("not shown at width ")
        .nth(1)
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(_, rest)| rest.split_once(" ("))
        .map(|(names, _)| names.split(", ").collect())
        .unwrap_or_default();
    let cells = result
        .rows
        .iter()
        .flat_map(|row| {
            row.cells
                .iter()
                .zip(&result.columns)
                .filter(|(_, column)| !hidden.contains(&column.as_str()))
                .map(|(cell, _)| cell.display(graph))
        })
        .collect();
    (text, cells)
}

#[test]
fn no_line_is_wider_than_the_width_and_no_short_word_is_split() {
    let graph = bundled();
    let cases = queries();
    assert!(cases.len() >= 24, "only {} queries", cases.len());
    for (file, query) in &cases {
        for width in WIDTHS {
            let (text, cells) = table(&graph, query, width);
            for line in text.lines() {
                assert!(
                    line.width() <= usize::from(width),
                    "{file} at {width}: {} columns\n{line}",
                    line.width()
                );
            }
            // A line break at a space joins two words too ("USGS MCS" /
            // "2025 (official)"): a pair the cells hold with a space between
            // is a break at that space, not a split word.
            let joined: HashSet<String> = joined_pairs(&text)
                .into_iter()
                .filter(|(head, tail)| {
                    let spaced = format!("{head} {tail}");
                    !cells.iter().any(|cell| cell.contains(&spaced))
                })
                .map(|(head, tail)| format!("{head}{tail}"))
                .collect();
            for cell in &cells {
                for word in words(cell) {
                    let length = word.chars().count();
                    // Bare numbers stack up in number columns (`1` over `1`).
                    let numeric = !word.chars().any(char::is_alphabetic) && !word.contains(',');
                    // Short words meet by chance between rows (`us` + `tr`).
                    if !(5..=WHOLE_WORD).contains(&length) || numeric {
                        continue;
                    }
                    assert!(
                        !joined.contains(word),
                        "{file} at {width}: `{word}` is split\n{text}"
                    );
                }
            }
        }
    }
}

/// Every word made of the last word of a cell's line and the first word
/// of the same cell's next line (what a split word would look like): a
/// cell's line starts after a space and runs to a double space.
fn joined_across(text: &str) -> HashSet<String> {
    joined_pairs(text)
        .into_iter()
        .map(|(head, tail)| format!("{head}{tail}"))
        .collect()
}

/// The last word of a cell's line with the first word of the line below in
/// the same column: where a split word would show as two halves.
fn joined_pairs(text: &str) -> HashSet<(String, String)> {
    let lines: Vec<Vec<char>> = text.lines().map(|line| line.chars().collect()).collect();
    let segment = |line: &[char], start: usize| -> String {
        let mut out = String::new();
        for (index, c) in line.iter().enumerate().skip(start) {
            if *c == ' ' && line.get(index + 1).is_none_or(|next| *next == ' ') {
                break;
            }
            out.push(*c);
        }
        out
    };
    let mut joined = HashSet::new();
    for pair in lines.windows(2) {
        let (above, below) = (&pair[0], &pair[1]);
        for start in 0..below.len().min(above.len()) {
            let starts_cell = |line: &[char]| start == 0 || line[start - 1] == ' ';
            if below[start] == ' ' || !starts_cell(below) || !starts_cell(above) {
                continue;
            }
            let head_line = segment(above, start);
            let tail_line = segment(below, start);
            if head_line.ends_with('…') || !tail_line.starts_with(char::is_alphanumeric) {
                continue;
            }
            if let (Some(head), Some(tail)) = (words(&head_line).pop(), words(&tail_line).first()) {
                if head_line.ends_with(head) {
                    joined.insert((head.to_string(), tail.to_string()));
                }
            }
        }
    }
    joined
}

#[test]
fn a_split_word_is_noticed() {
    let text = " id     what\n ge     German\n        ium oxide\n";
    assert!(joined_across(text).contains("Germanium"));
    let whole = " id     what\n ge     Germanium\n        oxide\n";
    assert!(!joined_across(whole).contains("Germanium"));
}

#[test]
fn words_keep_the_marks_inside_numbers() {
    assert_eq!(
        words("price 1,110-1,210 USD/kg."),
        ["price", "1,110", "1,210", "USD", "kg"]
    );
}
