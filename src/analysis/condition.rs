//! Conditional restrictions: a `restricts` edge whose measure covers only
//! goods meeting a condition — `threshold` (a value share, such as 0.001
//! for "≥0.1% of value") and/or `origin_content` (what content of which
//! origin triggers it) — restricts only part of the flow. Exposure applies
//! the part as a factor on the severity: the edge's `coverage` (0..1) when
//! a source states it, else [`DEFAULT_CONDITIONAL_COVERAGE`]. `scope` alone
//! describes the measure and does not make it partial (its severity already
//! speaks for the measure as scoped). See docs/EXPOSURE.md.
//!
//! Invariant: conditions are read from the edge, never inferred from text.

use crate::model::{EdgeIndex, Graph};

/// Part of the flow assumed covered by a conditional restriction without a
/// sourced `coverage`: "only some goods, we do not know how many".
pub const DEFAULT_CONDITIONAL_COVERAGE: f64 = 0.5;

/// The condition a `restricts` edge carries, as data.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub scope: Option<String>,
    pub threshold: Option<f64>,
    pub origin_content: Option<String>,
    /// The part of the flow the condition covers (0..1).
    pub coverage: f64,
    /// `coverage` is [`DEFAULT_CONDITIONAL_COVERAGE`], not a sourced figure.
    pub coverage_assumed: bool,
}

impl Condition {
    /// `threshold 0.001, origin_content Chinese-origin rare earths, coverage 0.5 (assumed)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(scope) = &self.scope {
            parts.push(format!("scope {scope}"));
        }
        if let Some(threshold) = self.threshold {
            parts.push(format!(
                "threshold {}",
                crate::model::format_number(threshold)
            ));
        }
        if let Some(origin) = &self.origin_content {
            parts.push(format!("origin_content {origin}"));
        }
        let assumed = if self.coverage_assumed {
            " (assumed)"
        } else {
            ""
        };
        parts.push(format!(
            "coverage {}{assumed}",
            crate::model::format_number(self.coverage)
        ));
        parts.join(", ")
    }
}

/// The edge's condition, when it has `threshold` or `origin_content`.
pub fn restriction_condition(graph: &Graph, restricts_edge: EdgeIndex) -> Option<Condition> {
    let text = |key: &str| {
        graph
            .edge_prop(restricts_edge, key)
            .map(|value| value.to_string())
    };
    let threshold = graph.edge_number(restricts_edge, "threshold");
    let origin_content = text("origin_content");
    if threshold.is_none() && origin_content.is_none() {
        return None;
    }
    let sourced = graph
        .edge_number(restricts_edge, "coverage")
        .map(|coverage| coverage.clamp(0.0, 1.0));
    Some(Condition {
        scope: text("scope"),
        threshold,
        origin_content,
        coverage: sourced.unwrap_or(DEFAULT_CONDITIONAL_COVERAGE),
        coverage_assumed: sourced.is_none(),
    })
}

/// The factor on a restriction's severity: its condition's coverage, 1
/// for an unconditional restriction.
pub fn coverage_factor(graph: &Graph, restricts_edge: EdgeIndex) -> f64 {
    restriction_condition(graph, restricts_edge).map_or(1.0, |condition| condition.coverage)
}
