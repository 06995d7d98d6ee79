//! Errors found while evaluating a parsed query against the graph.

use crate::syntax::Span;

/// What went wrong, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalErrorKind {
    /// `show germanum`
    UnknownNode,
    /// `show in` when India and indium both answer to it
    AmbiguousNode,
    /// `exposure germanium to China`
    WrongKind,
    /// `list minerals | where colour = "red"`
    UnknownField,
    /// `show $mineral` without `--param mineral=...`
    UnknownParam,
    /// `... | where effective > "soon"`
    TypeMismatch,
    /// `list mineralz`, `neighbors Ge via produce`
    UnknownWord,
    /// `| export "ge.json"` when the file exists
    Export,
    /// `| export "/no/such/folder/ge.json" force`: the write failed
    ExportIo,
    /// anything else that makes the query meaningless
    Invalid,
    /// Ctrl-C in the shell while the statement ran
    Cancelled,
}

/// An evaluation error with the span of the text it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub span: Span,
    /// Lowercase, no full stop.
    pub message: String,
    /// "did you mean" or another suggestion.
    pub hint: Option<String>,
}

impl EvalError {
    /// `Err(cancelled)` when Ctrl-C asked the statement to stop; evaluation
    /// loops call it as they go.
    pub fn check_cancelled(span: Span) -> Result<(), EvalError> {
        if crate::cancel::requested() {
            Err(EvalError::new(
                EvalErrorKind::Cancelled,
                span,
                "cancelled (Ctrl-C)",
            ))
        } else {
            Ok(())
        }
    }

    pub fn new(kind: EvalErrorKind, span: Span, message: impl Into<String>) -> EvalError {
        EvalError {
            kind,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> EvalError {
        self.hint = hint;
        self
    }
}

/// `did you mean `a`, `b`?` for a list of candidates, if any.
pub fn did_you_mean(candidates: &[String]) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
