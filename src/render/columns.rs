//! Which columns a table prints: a column that repeats an earlier one on
//! every row is dropped, and a column with one value on every row moves to
//! a line above the table (`country: United States`).
//!
//! Invariant: only the table changes; machine formats keep every column.

/// The columns a table prints and the constant ones said above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ColumnPlan {
    /// Positions (in the given headers) of the printed columns.
    pub printed: Vec<usize>,
    /// `(header, value)` of the columns said once above the table.
    pub hoisted: Vec<(String, String)>,
}

impl ColumnPlan {
    /// Every column printed, none said above.
    pub fn all(count: usize) -> ColumnPlan {
        ColumnPlan {
            printed: (0..count).collect(),
            hoisted: Vec::new(),
        }
    }
}

/// The plan for `headers` and the cell `texts` of each row. With fewer than
/// two rows every column is printed; at least one column always is.
pub(super) fn plan(headers: &[String], texts: &[Vec<String>]) -> ColumnPlan {
    let all: Vec<usize> = (0..headers.len()).collect();
    if texts.len() < 2 {
        return ColumnPlan::all(headers.len());
    }
    fn cell(row: &[String], column: usize) -> &str {
        row.get(column).map_or("", String::as_str)
    }
    let repeats = |later: usize, earlier: usize| {
        texts
            .iter()
            .all(|row| cell(row, later) == cell(row, earlier))
    };
    let kept: Vec<usize> = all
        .iter()
        .copied()
        .filter(|later| !(0..*later).any(|earlier| repeats(*later, earlier)))
        .collect();
    let constant = |column: usize| {
        let first = cell(&texts[0], column);
        !first.is_empty() && texts.iter().all(|row| cell(row, column) == first)
    };
    let (mut hoisted_columns, mut printed): (Vec<usize>, Vec<usize>) =
        kept.iter().copied().partition(|column| constant(*column));
    if printed.is_empty() && !hoisted_columns.is_empty() {
        printed.push(hoisted_columns.remove(0));
    }
    ColumnPlan {
        printed,
        hoisted: hoisted_columns
            .into_iter()
            .map(|column| (headers[column].clone(), cell(&texts[0], column).to_string()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    #[test]
    fn constant_columns_move_above_and_repeats_are_dropped() {
        let headers = strings(&["date", "country", "what", "period"]);
        let texts = vec![
            strings(&["2023", "United States", "a", "2023"]),
            strings(&["2024-05", "United States", "b", "2024-05"]),
        ];
        let plan = plan(&headers, &texts);
        assert_eq!(plan.printed, [0, 2]);
        assert_eq!(
            plan.hoisted,
            [("country".to_string(), "United States".to_string())]
        );
    }

    #[test]
    fn one_row_keeps_every_column_and_one_column_always_stays() {
        let headers = strings(&["a", "b"]);
        let one = vec![strings(&["x", "x"])];
        assert_eq!(plan(&headers, &one).printed, [0, 1]);
        let same = vec![strings(&["x", "y"]), strings(&["x", "y"])];
        let plan = plan(&headers, &same);
        assert_eq!(plan.printed, [0]);
        assert_eq!(plan.hoisted, [("b".to_string(), "y".to_string())]);
    }
}
