//! Which of a source's columns a query reads: the lazy-column rule. A
//! `list` computes a column (top producer, share, HHI: each a production
//! table) only when the answer prints it or a stage reads it, so
//! `list minerals | select id, hhi()` never builds the default columns.
//!
//! The rule: the source's `where` and every stage up to the first one that
//! replaces the columns (`select`, `group by`, `count`) may read any column
//! whose name appears as a bare word in their expressions; if no stage
//! replaces the columns, the answer prints (or charts, or exports) them
//! all. A column nobody reads is left null; no output can tell.
//!
//! Invariant: this only looks at the query's text, never at the graph.

use crate::syntax::{Expr, Query, Source, Stage};

/// The columns of the source's table the rest of the query reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnsRead {
    /// Every column (the table is printed, charted or exported as is).
    All,
    /// Only the columns named by these words (lower case).
    Named(Vec<String>),
}

impl ColumnsRead {
    /// What `query` reads of its source's columns.
    pub fn of(query: &Query) -> ColumnsRead {
        let mut words = Vec::new();
        if let Source::List {
            filter: Some(filter),
            ..
        } = &query.source
        {
            words_in(filter, &mut words);
        }
        for stage in &query.stages {
            match stage {
                Stage::Where { cond, .. } => words_in(cond, &mut words),
                Stage::Sort { keys, .. } => {
                    keys.iter().for_each(|key| words_in(&key.expr, &mut words));
                }
                Stage::Take { .. } | Stage::Explain { .. } => {}
                Stage::Chart { .. } | Stage::Export { .. } => return ColumnsRead::All,
                Stage::Select { items, .. } => {
                    items
                        .iter()
                        .for_each(|item| words_in(&item.expr, &mut words));
                    return ColumnsRead::Named(words);
                }
                Stage::Group {
                    keys, aggregates, ..
                } => {
                    keys.iter()
                        .chain(aggregates)
                        .for_each(|item| words_in(&item.expr, &mut words));
                    return ColumnsRead::Named(words);
                }
                Stage::Count { .. } => return ColumnsRead::Named(words),
            }
        }
        ColumnsRead::All
    }

    /// Whether the column named `column` is read (names match without
    /// regard to case, as the expression evaluator looks them up).
    pub fn reads(&self, column: &str) -> bool {
        match self {
            ColumnsRead::All => true,
            ColumnsRead::Named(words) => words.iter().any(|word| word.eq_ignore_ascii_case(column)),
        }
    }
}

/// Every bare word in `expr`, at any depth (function arguments included).
fn words_in(expr: &Expr, words: &mut Vec<String>) {
    match expr {
        Expr::Ident(word) => words.push(word.value.to_ascii_lowercase()),
        Expr::Call { args, .. } => args.iter().for_each(|arg| words_in(arg, words)),
        Expr::Unary { operand, .. } => words_in(operand, words),
        Expr::Logical { operands, .. } => operands.iter().for_each(|arg| words_in(arg, words)),
        Expr::Binary { lhs, rhs, .. } => {
            words_in(lhs, words);
            words_in(rhs, words);
        }
        Expr::In { operand, list, .. } => {
            words_in(operand, words);
            list.iter().for_each(|item| words_in(item, words));
        }
        Expr::Number(_)
        | Expr::Str(_)
        | Expr::Date(_)
        | Expr::Bool { .. }
        | Expr::Null { .. }
        | Expr::Node(_)
        | Expr::Param(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Statement, parse_statement};

    fn read_by(text: &str) -> ColumnsRead {
        match parse_statement(text) {
            Ok(Statement::Query(query)) => ColumnsRead::of(&query),
            other => panic!("not a query: {other:?}"),
        }
    }

    #[test]
    fn a_printed_table_reads_every_column() {
        assert_eq!(read_by("list minerals"), ColumnsRead::All);
        assert_eq!(
            read_by("list minerals | sort hhi | take 3"),
            ColumnsRead::All
        );
        assert_eq!(read_by("list minerals | chart"), ColumnsRead::All);
    }

    #[test]
    fn select_reads_only_the_words_before_and_in_it() {
        let read =
            read_by("list minerals where HHI > 10 | sort top_share | select id, share(china)");
        assert!(read.reads("hhi"));
        assert!(read.reads("top_share"));
        assert!(read.reads("id"));
        assert!(read.reads("china"));
        assert!(!read.reads("top_producer"));
        assert!(!read.reads("stage"));
    }

    #[test]
    fn words_after_the_replacing_stage_do_not_count() {
        let read = read_by("list minerals | count | where hhi > 1");
        assert!(!read.reads("hhi"));
        let read = read_by("list minerals | group by stage aggregate avg(hhi) | select stage");
        assert!(read.reads("stage") && read.reads("hhi"));
        assert!(!read.reads("top_producer"));
    }
}
