//! Syntax errors: the public [`SyntaxError`] and the parser's internal error.

use nom::error::{ErrorKind, ParseError};

use super::span::Span;

/// What went wrong; each variant's doc shows an input that triggers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxErrorKind {
    /// `show "germanium`
    #[error("unclosed quote")]
    UnclosedQuote,
    /// `shwo germanium`
    #[error("unknown keyword")]
    UnknownKeyword,
    /// `show` (the node is missing)
    #[error("unexpected input")]
    Unexpected,
    /// `show germanium extra`
    #[error("trailing input")]
    TrailingInput,
    /// `take -1`, `take 1.5`, `depth 0`
    #[error("invalid count")]
    InvalidCount,
    /// `as of 2025-13-40`
    #[error("invalid date")]
    InvalidDate,
    /// `list minerals where hhi() > 1.2.3`
    #[error("invalid number")]
    InvalidNumber,
    /// `assuming China cuts gallium by 150%`
    #[error("invalid fraction")]
    InvalidFraction,
    /// `list minerals where shar(China) > 0.5`
    #[error("unknown function")]
    UnknownFunction,
    /// `list minerals where share() > 0.5`
    #[error("wrong number of arguments")]
    WrongArity,
    /// `list minerals | sorta name`
    #[error("unknown stage")]
    UnknownStage,
    /// `neighbors germanium | export "g.xml" as xml`
    #[error("unknown export format")]
    UnknownExportFormat,
    /// `.format xml`
    #[error("unknown output format")]
    UnknownOutputFormat,
    /// `list mineralz`
    #[error("unknown node kind")]
    UnknownNodeKind,
    /// `neighbors germanium via used_on`
    #[error("unknown edge kind")]
    UnknownEdgeKind,
    /// `.foo`
    #[error("unknown meta command")]
    UnknownMetaCommand,
    /// `.help nothing`
    #[error("unknown help topic")]
    UnknownHelpTopic,
    /// `list minerals where (hhi() > 1`
    #[error("unbalanced brackets")]
    UnbalancedBracket,
    /// ten thousand `(` in a row
    #[error("nesting too deep")]
    TooDeep,
    /// `show germanium as of 2024 as of 2025`
    #[error("duplicate clause")]
    DuplicateClause,
    /// an empty string given to `parse_statement`
    #[error("empty statement")]
    Empty,
    /// `show Ge; show Ga` given to `parse_statement`
    #[error("more than one statement")]
    MultipleStatements,
}

/// A syntax error with the span of the offending text.
///
/// `message` is lowercase with no trailing full stop; `expected` lists what
/// would have been accepted, `found` what was there instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
    pub expected: Vec<String>,
    pub found: String,
    pub hint: Option<String>,
}

/// The parser's error while parsing one statement.
///
/// Positions are counted as *remaining input lengths* (the parser only sees
/// suffixes of the statement), and turned into byte offsets by
/// [`PErr::into_syntax_error`]. The found token is computed only then.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PErr {
    pub kind: SyntaxErrorKind,
    pub at: usize,
    pub end: Option<usize>,
    pub message: Option<String>,
    pub expected: Vec<String>,
    pub hint: Option<String>,
}

pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, PErr>;

impl PErr {
    /// "expected …, found …" at `input`.
    pub fn expected(input: &str, expected: Vec<String>) -> Self {
        PErr {
            kind: SyntaxErrorKind::Unexpected,
            at: input.len(),
            end: None,
            message: None,
            expected,
            hint: None,
        }
    }

    /// An error of `kind` with its own message over a (parser-relative) span.
    pub fn custom(kind: SyntaxErrorKind, span: Span, message: String) -> Self {
        PErr {
            kind,
            at: span.start,
            end: Some(span.end),
            message: Some(message),
            expected: Vec::new(),
            hint: None,
        }
    }

    pub fn with_kind(mut self, kind: SyntaxErrorKind) -> Self {
        self.kind = kind;
        self
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn with_expected(mut self, expected: Vec<String>) -> Self {
        self.expected = expected;
        self
    }

    /// A recoverable error (alternatives may still match).
    pub fn error<T>(self) -> Result<T, nom::Err<PErr>> {
        Err(nom::Err::Error(self))
    }

    /// An unrecoverable error (after a committing keyword).
    pub fn failure<T>(self) -> Result<T, nom::Err<PErr>> {
        Err(nom::Err::Failure(self))
    }

    /// The public error, for a statement `segment` ending at byte `segment_end`.
    pub fn into_syntax_error(self, segment: &str, segment_end: usize) -> SyntaxError {
        let at = self.at.min(segment.len());
        let rest = segment.get(segment.len() - at..).unwrap_or("");
        let (mut found, token_len) = token_at(rest);
        let start = segment_end - at;
        let end = self
            .end
            .map_or(start + token_len, |end| segment_end - end.min(at));
        // A custom span names more than one token: show all of it.
        if let Some(spanned) = self
            .end
            .and(rest.get(..end - start))
            .map(str::trim_end)
            .filter(|text| !text.is_empty())
        {
            found = format!("`{}`", spanned.chars().take(40).collect::<String>());
        }
        let message = self
            .message
            .unwrap_or_else(|| format!("expected {}, found {found}", join_or(&self.expected)));
        SyntaxError {
            kind: self.kind,
            span: Span::new(start, end),
            message,
            expected: self.expected,
            found,
            hint: self.hint,
        }
    }
}

impl ParseError<&str> for PErr {
    fn from_error_kind(input: &str, _kind: ErrorKind) -> Self {
        PErr::expected(input, Vec::new())
    }

    fn append(_input: &str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// The furthest failure wins; at the same place the expectations merge.
    fn or(self, other: Self) -> Self {
        if self.at != other.at {
            return if self.at < other.at { self } else { other };
        }
        let (mut keep, extra) = if self.message.is_some() || other.message.is_none() {
            (self, other)
        } else {
            (other, self)
        };
        for item in extra.expected {
            if !keep.expected.contains(&item) {
                keep.expected.push(item);
            }
        }
        keep
    }
}

/// "`a`, `b` or `c`"; "something" when empty.
pub(crate) fn join_or(items: &[String]) -> String {
    match items {
        [] => "something else".to_string(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

const MAX_FOUND_CHARS: usize = 40;

/// A description of the token at the start of `rest`, and its byte length.
pub(crate) fn token_at(rest: &str) -> (String, usize) {
    let Some(first) = rest.chars().next() else {
        return ("end of input".to_string(), 0);
    };
    let token_len = if first == '"' {
        rest[1..].find('"').map_or(rest.len(), |idx| idx + 2)
    } else if first.is_alphanumeric() || first == '_' || first == '$' {
        rest.char_indices()
            .skip(1)
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '%')))
            .map_or(rest.len(), |(idx, _)| idx)
    } else {
        first.len_utf8()
    };
    let token = &rest[..token_len];
    let shown: String = token.chars().take(MAX_FOUND_CHARS).collect();
    let ellipsis = if shown.len() < token.len() { "…" } else { "" };
    let shown = shown.replace('\n', "\\n");
    (format!("`{shown}{ellipsis}`"), token_len)
}

/// User text cut to a readable length for a message.
pub(crate) fn clip(text: &str) -> String {
    let shown: String = text.chars().take(MAX_FOUND_CHARS).collect();
    if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    }
}
