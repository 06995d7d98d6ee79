//! The query language front end: query text → statements (AST with spans).
//!
//! [`parse_script`] splits text into statements (`split`: `;`, newlines,
//! `|`-continuations, brackets, quotes, `#` comments) and parses each with
//! nom parsers named `parse_<rule>` after the grammar in `docs/LANGUAGE.md`.
//! Every AST node carries a byte [`Span`]; every error is a [`SyntaxError`]
//! with a span, what was expected, what was found and a "did you mean" hint.
//! The one keyword table ([`keywords::KEYWORDS`]) drives parsing, error
//! lists, [`help`] and REPL completion ([`completion_words`]). Every AST type
//! prints canonical query text with `Display`, and parsing that text gives
//! the same tree back (see [`WalkSpans::without_spans`]).
//!
//! Invariant: syntax knows nothing of the graph. Names are not resolved,
//! parameters are not substituted, fields and function results are not
//! typed here; only the shape of the text is checked.

mod ast;
mod display;
mod error;
mod help;
pub mod keywords;
mod lex;
mod parse_expr;
mod parse_match;
mod parse_meta;
mod parse_node;
mod parse_query;
mod parse_source;
mod span;
mod split;
mod walk;

pub use ast::*;
pub use display::{is_bare_node_name, quote};
pub use error::{SyntaxError, SyntaxErrorKind};
pub use help::help;
pub use keywords::completion_words;
pub use parse_expr::MAX_DEPTH;
pub use span::{Span, Spanned, line_col};
pub use split::statement_continues;
pub use walk::WalkSpans;

use error::PErr;

/// Parses every statement of `text`; blank and comment-only input gives an
/// empty list. Stops at the first error.
pub fn parse_script(text: &str) -> Result<Vec<Statement>, SyntaxError> {
    let mut statements = Vec::new();
    for segment in split::split_statements(text) {
        let source = &text[segment.start..segment.end];
        if let Some(statement) = parse_segment(source, segment.end)? {
            statements.push(statement);
        }
    }
    Ok(statements)
}

/// Parses every statement of `text` on its own, so that one bad statement
/// does not hide the others (`critmin run --keep-going`); blank segments
/// are left out.
pub fn parse_script_each(text: &str) -> Vec<Result<Statement, SyntaxError>> {
    split::split_statements(text)
        .into_iter()
        .filter_map(|segment| {
            parse_segment(&text[segment.start..segment.end], segment.end).transpose()
        })
        .collect()
}

/// Parses exactly one statement (an error if `text` holds none or several).
pub fn parse_statement(text: &str) -> Result<Statement, SyntaxError> {
    let mut statements = parse_script(text)?.into_iter();
    let Some(first) = statements.next() else {
        return Err(SyntaxError {
            kind: SyntaxErrorKind::Empty,
            span: Span::new(0, text.len()),
            message: "expected a statement, found nothing".to_string(),
            expected: vec!["a query or a meta command".to_string()],
            found: "end of input".to_string(),
            hint: Some("type `.help` for the language".to_string()),
        });
    };
    match statements.next() {
        None => Ok(first),
        Some(second) => Err(SyntaxError {
            kind: SyntaxErrorKind::MultipleStatements,
            span: second.span(),
            message: "expected one statement, found more".to_string(),
            expected: vec!["end of input".to_string()],
            found: "another statement".to_string(),
            hint: None,
        }),
    }
}

/// Parses one statement's raw text `source`, which ends at byte `end` of the
/// script; `None` when it is blank.
fn parse_segment(source: &str, end: usize) -> Result<Option<Statement>, SyntaxError> {
    let trimmed = lex::ws(source);
    if trimmed.is_empty() {
        return Ok(None);
    }
    let parsed = if trimmed.starts_with('.') {
        parse_meta::parse_meta(trimmed).map(|(_, meta)| Statement::Meta(meta))
    } else {
        parse_query::parse_query(trimmed).map(|(_, query)| Statement::Query(query))
    };
    match parsed {
        Ok(mut statement) => {
            statement.walk_spans(&mut |span| *span = Span::new(end - span.start, end - span.end));
            Ok(Some(statement))
        }
        Err(nom::Err::Error(err) | nom::Err::Failure(err)) => {
            Err(err.into_syntax_error(source, end))
        }
        Err(nom::Err::Incomplete(_)) => {
            Err(PErr::expected(trimmed, Vec::new()).into_syntax_error(source, end))
        }
    }
}
