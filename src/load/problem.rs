//! Problems found while loading a graph, each with where it was found.

use std::fmt;
use std::sync::Arc;

/// How bad a problem is: errors stop the tool, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The file as a whole (missing, empty, not UTF-8).
    File,
    /// A position in a text file without a JSON path (malformed JSON).
    Position { line: usize, column: usize },
    /// A JSON path such as `$.edges[3].to`, with the line and column of
    /// the item it belongs to.
    Json {
        path: String,
        line: usize,
        column: usize,
    },
    /// A CSV line (1-based, header = 1) and the column name, if one.
    Csv { line: u64, column: Option<String> },
}

/// One problem: the file, the place in it, and a plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: Arc<str>,
    pub at: At,
    pub message: String,
}

impl Problem {
    pub fn error(file: &Arc<str>, at: At, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: Arc::clone(file),
            at,
            message: message.into(),
        }
    }

    pub fn warning(file: &Arc<str>, at: At, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, at, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    /// `error: graph/x.json:12:5: $.edges[3].to: no node has id "germanum"`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", crate::render::visible(&self.file))?;
        match &self.at {
            At::File => {}
            At::Position { line, column } => write!(f, ":{line}:{column}")?,
            At::Json { path, line, column } => write!(f, ":{line}:{column}: {path}")?,
            At::Csv { line, column: None } => write!(f, ":{line}")?,
            At::Csv {
                line,
                column: Some(column),
            } => write!(f, ":{line}: column {column}")?,
        }
        write!(f, ": {}", crate::render::shorten_quoted(&self.message))
    }
}

/// Every problem of a failed load, errors first in input order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the graph has {} error(s)", self.error_count())]
pub struct LoadFailure {
    pub problems: Vec<Problem>,
}

impl LoadFailure {
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|problem| problem.is_error())
            .count()
    }
}
