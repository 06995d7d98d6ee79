//! How a row's numbers came about ([`super::Row::explain`]): kept as the
//! data the answer was computed from, turned into lines only when a format
//! prints them (an exposure answer has thousands of rows, and most formats
//! and stages never read their explanation).
//!
//! [`Derivation::lines`] is the one place that makes the text; every reader
//! (tables, machine formats, Markdown) goes through it.

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::Graph;

use super::sources::exposure_explain::ExposureDerivation;

/// A row's explanation: none, lines already written, or an exposure row's
/// derivation (shared: stages copy rows).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Derivation {
    #[default]
    None,
    Lines(Vec<String>),
    Exposure(Arc<ExposureDerivation>),
}

impl Derivation {
    /// Whether the row has no explanation (its [`Derivation::lines`] are
    /// empty).
    pub fn is_empty(&self) -> bool {
        match self {
            Derivation::None => true,
            Derivation::Lines(lines) => lines.is_empty(),
            Derivation::Exposure(_) => false,
        }
    }

    /// Every line: the first sums the row up, the second is the leading
    /// material's factors (the table's one-line "why").
    pub fn lines(&self, graph: &Graph) -> Cow<'_, [String]> {
        match self {
            Derivation::None => Cow::Borrowed(&[]),
            Derivation::Lines(lines) => Cow::Borrowed(lines.as_slice()),
            Derivation::Exposure(derivation) => Cow::Owned(derivation.lines(graph)),
        }
    }

    /// The second line alone ([`Derivation::lines`]`[1]`), without making
    /// the others.
    pub fn why(&self, graph: &Graph) -> Option<Cow<'_, str>> {
        match self {
            Derivation::None => None,
            Derivation::Lines(lines) => lines.get(1).map(|line| Cow::Borrowed(line.as_str())),
            Derivation::Exposure(derivation) => derivation.why(graph).map(Cow::Owned),
        }
    }
}
