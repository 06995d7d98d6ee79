//! The record layout for tables too wide for the terminal even with every
//! word whole: one block per row, a field per line, values wrapped with a
//! hanging indent (like psql's expanded display).

use super::layout::{text_width, wrap_text};

/// Labels wider than this wrap their values on the following lines.
const MAX_LABEL_WIDTH: usize = 20;

/// Narrowest room for a value.
const MIN_VALUE_WIDTH: usize = 20;

/// Each row as a `─ row N ─` rule and `label  value` lines.
pub(super) fn records(headers: &[String], rows: &[Vec<String>], width: usize) -> String {
    let label_width = headers
        .iter()
        .map(|header| text_width(header))
        .filter(|header_width| *header_width <= MAX_LABEL_WIDTH)
        .max()
        .unwrap_or(0);
    let value_width = width.saturating_sub(label_width + 3).max(MIN_VALUE_WIDTH);
    let mut out = String::new();
    for (index, row) in rows.iter().enumerate() {
        let title = format!("─ row {} ", index + 1);
        let rule_width = width.min(40).saturating_sub(text_width(&title));
        out.push_str(&format!("{title}{}\n", "─".repeat(rule_width)));
        for (header, value) in headers.iter().zip(row) {
            push_field(&mut out, header, value, label_width, value_width);
        }
    }
    out
}

fn push_field(out: &mut String, header: &str, value: &str, label_width: usize, value_width: usize) {
    let lines = wrap_text(value, value_width);
    let pad = label_width.saturating_sub(text_width(header));
    if text_width(header) > label_width {
        out.push_str(&format!(" {header}\n"));
        for line in lines {
            let text = format!(" {}  {line}", " ".repeat(label_width));
            out.push_str(text.trim_end());
            out.push('\n');
        }
        return;
    }
    for (index, line) in lines.iter().enumerate() {
        let label = if index == 0 { header } else { "" };
        let pad = if index == 0 { pad } else { label_width };
        let text = format!(" {label}{}  {line}", " ".repeat(pad));
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_is_a_block_of_fields_that_fit() {
        let headers = vec!["id".to_string(), "what".to_string()];
        let rows = vec![vec![
            "gallium".to_string(),
            "a long description of the gallium export controls".to_string(),
        ]];
        let out = records(&headers, &rows, 30);
        assert_eq!(
            out,
            concat!(
                "─ row 1 ──────────────────────\n",
                " id    gallium\n",
                " what  a long description of\n",
                "       the gallium export\n",
                "       controls\n",
            )
        );
        assert!(out.lines().all(|line| text_width(line) <= 30));
    }
}
