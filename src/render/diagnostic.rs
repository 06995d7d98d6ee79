//! Every error a user sees about their query, rendered in one place:
//! message, `origin:line:col`, the source line and a caret, then help.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::eval::EvalError;
use crate::syntax::{Span, SyntaxError};

/// A located error, whatever stage found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    /// The label under the caret (`expected a node, found end of input`).
    pub label: String,
    pub hint: Option<String>,
}

impl From<&SyntaxError> for Diagnostic {
    fn from(err: &SyntaxError) -> Diagnostic {
        let label = if err.expected.is_empty() {
            format!("found {}", err.found)
        } else {
            format!(
                "expected {}, found {}",
                join_expected(&err.expected),
                err.found
            )
        };
        Diagnostic {
            message: err.message.clone(),
            span: err.span,
            label,
            hint: err.hint.clone(),
        }
    }
}

impl From<&EvalError> for Diagnostic {
    fn from(err: &EvalError) -> Diagnostic {
        Diagnostic {
            message: err.message.clone(),
            span: err.span,
            label: String::new(),
            hint: err.hint.clone(),
        }
    }
}

fn join_expected(expected: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut shown: Vec<&str> = expected.iter().take(SHOWN).map(String::as_str).collect();
    let more = expected.len().saturating_sub(SHOWN);
    let tail = if more > 0 {
        format!(" or {more} more")
    } else {
        String::new()
    };
    match shown.len() {
        0 => String::new(),
        1 => format!("{}{tail}", shown[0]),
        _ if more > 0 => format!("{}{tail}", shown.join(", ")),
        _ => {
            let last = shown.pop().unwrap_or_default();
            format!("{} or {last}", shown.join(", "))
        }
    }
}

/// Renders a diagnostic against the text it is about; `origin` names the
/// text (`<query>`, a file name). Plain text: no colour.
pub fn render_diagnostic(text: &str, origin: &str, diagnostic: &Diagnostic) -> String {
    render_diagnostic_styled(text, origin, diagnostic, false)
}

/// [`render_diagnostic`], in colour when `color` (for a terminal).
pub fn render_diagnostic_styled(
    text: &str,
    origin: &str,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    let (start, end) = clamp_span(text, diagnostic.span);
    let message = super::escape::shorten_quoted(&diagnostic.message);
    let title = Level::ERROR.primary_title(message.as_str());
    let label = super::escape::shorten_quoted(&diagnostic.label);
    let annotation = AnnotationKind::Primary
        .span(start..end)
        .label(label.as_str());
    let snippet = Snippet::source(text)
        .path(origin)
        .fold(true)
        .annotation(annotation);
    let mut report = vec![title.element(snippet)];
    let hint = diagnostic
        .hint
        .as_deref()
        .map(super::escape::shorten_quoted);
    if let Some(hint) = &hint {
        report.push(Group::with_title(
            Level::HELP.secondary_title(hint.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&report);
    out.push('\n');
    out
}

/// A span inside the text on character boundaries; an empty span at the
/// end of input points at the last character so the caret shows.
fn clamp_span(text: &str, span: Span) -> (usize, usize) {
    let floor = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = floor(span.start);
    let end = floor(span.end.max(span.start));
    (start, end)
}
