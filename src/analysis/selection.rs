//! Fact selection: where several figures state the same fact — the same
//! edge kind, item, stage (or form, or basis), country or partner, and year
//! or period — the analysis uses one. The newest `edition` of one
//! `publication` supersedes older editions; then an official figure
//! (`origin: "official"`) supersedes a curated one, unless the curated
//! figure says why it `overrides` the official one. Superseded figures stay
//! in the graph as history (`show` lists them); supply shares,
//! concentration, top producer, HHI, import reliance and exposure read only
//! the figures selected here (through `Context::fact_visible`), and
//! `critmin check` reports every supersession that hides a different value.
//!
//! Invariant: selection reads the graph only; its answer is cached in the
//! graph and recomputed whenever an edge is added.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{EdgeIndex, EdgeKind, Graph, NodeIndex, PartialDate, Value};

/// Shares that differ by at most this much (absolute) agree.
pub const SHARE_TOLERANCE: f64 = 0.02;
/// Tonnages and other amounts that differ by at most this fraction agree.
pub const AMOUNT_TOLERANCE: f64 = 0.05;

/// The edge kinds whose figures compete.
const FIGURE_KINDS: [EdgeKind; 5] = [
    EdgeKind::Produces,
    EdgeKind::Reserves,
    EdgeKind::Capacity,
    EdgeKind::ImportReliance,
    EdgeKind::ImportsFrom,
];

/// Why a figure is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Supersession {
    /// A newer edition of the same publication states the fact.
    OlderEdition,
    /// An official figure states the fact; this one is a curated copy.
    CuratedUnderOfficial,
    /// A curated figure with `overrides` replaces this official one.
    OfficialOverridden,
}

/// One superseded figure and the figure used instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Superseded {
    pub loser: EdgeIndex,
    pub winner: EdgeIndex,
    pub why: Supersession,
}

/// Whether the analysis uses this figure (it is not superseded).
pub fn is_selected(graph: &Graph, edge_idx: EdgeIndex) -> bool {
    superseded_by(graph, edge_idx).is_none()
}

/// The figure used instead of this one, if another supersedes it.
pub fn superseded_by(graph: &Graph, edge_idx: EdgeIndex) -> Option<EdgeIndex> {
    graph
        .superseded_with(|graph| {
            supersessions(graph)
                .into_iter()
                .map(|found| (found.loser, found.winner))
                .collect()
        })
        .get(&edge_idx)
        .copied()
}

/// Every superseded figure, in edge order.
pub fn supersessions(graph: &Graph) -> Vec<Superseded> {
    // Without editions or official figures no figure can supersede another
    // (curated figures of one fact all count): skip the grouping.
    let keys = graph.prop_keys();
    if !keys.contains(&"publication") && !keys.contains(&"origin") {
        return Vec::new();
    }
    let mut groups: BTreeMap<FactKey, Vec<EdgeIndex>> = BTreeMap::new();
    for edge_idx in graph.edge_indices() {
        if let Some(key) = fact_key(graph, edge_idx) {
            groups.entry(key).or_default().push(edge_idx);
        }
    }
    let mut found: Vec<Superseded> = groups
        .into_values()
        .filter(|edges| edges.len() > 1)
        .flat_map(|edges| select_in_group(graph, &edges))
        .collect();
    found.sort_by_key(|item| item.loser);
    found
}

/// A superseded figure whose value differs from the one used beyond the
/// tolerances (or any older edition's figure): what `check` warns about.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureConflict {
    pub superseded: Superseded,
    /// `(used, superseded)` values as text (`share 0.6`, `tonnes 60000`).
    pub values: (String, String),
}

/// The supersessions `check` reports: every older-edition figure, and every
/// curated/official pair whose values differ beyond the tolerances.
pub fn conflicts(graph: &Graph) -> Vec<FigureConflict> {
    supersessions(graph)
        .into_iter()
        .filter_map(|superseded| {
            let (winner, loser) = (superseded.winner, superseded.loser);
            let differs =
                superseded.why == Supersession::OlderEdition || values_differ(graph, winner, loser);
            differs.then(|| FigureConflict {
                superseded,
                values: (value_text(graph, winner), value_text(graph, loser)),
            })
        })
        .collect()
}

/// What identifies a fact: kind, the two ends, stage/form/basis/item, the
/// date it refers to, and what it measures (a share, a rank, an amount).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FactKey {
    kind: EdgeKind,
    from: NodeIndex,
    to: NodeIndex,
    qualifier: Vec<String>,
    date: Option<String>,
    measure: &'static str,
}

fn fact_key(graph: &Graph, edge_idx: EdgeIndex) -> Option<FactKey> {
    let kind = graph.edge(edge_idx).kind;
    if !FIGURE_KINDS.contains(&kind) {
        return None;
    }
    let (from, to) = graph.endpoints(edge_idx);
    let text = |key: &str| {
        graph
            .edge_prop(edge_idx, key)
            .and_then(Value::as_str)
            .map(str::to_lowercase)
            .unwrap_or_default()
    };
    let qualifier = match kind {
        EdgeKind::Produces | EdgeKind::Capacity => vec![text("stage")],
        EdgeKind::Reserves => vec![text("basis")],
        EdgeKind::ImportReliance => vec![text("form")],
        _ => vec![text("item"), text("form")],
    };
    let has = |key: &str| graph.edge_number(edge_idx, key).is_some();
    let measure = if has("share") {
        "share"
    } else if has("rank") {
        "rank"
    } else if has("tonnes") || has("amount") {
        "amount"
    } else {
        "none"
    };
    Some(FactKey {
        kind,
        from,
        to,
        qualifier,
        date: fact_date_text(graph, edge_idx),
        measure,
    })
}

/// The year or period a figure refers to, as text (`2024`, `2020-2023`).
fn fact_date_text(graph: &Graph, edge_idx: EdgeIndex) -> Option<String> {
    match graph.edge_prop(edge_idx, "year") {
        Some(Value::Number(year)) => return Some(format!("{}", *year as i64)),
        Some(Value::Date(date)) => return Some(date.to_string()),
        _ => {}
    }
    match graph.edge_prop(edge_idx, "period") {
        Some(Value::Str(period)) => return Some(period.to_string()),
        Some(Value::Date(date)) => return Some(date.to_string()),
        _ => {}
    }
    graph
        .edge(edge_idx)
        .valid
        .from
        .map(|date: PartialDate| date.to_string())
}

/// The precedence, applied to the figures of one fact.
fn select_in_group(graph: &Graph, edges: &[EdgeIndex]) -> Vec<Superseded> {
    let mut found = Vec::new();
    let mut newest: HashMap<&str, (f64, EdgeIndex)> = HashMap::default();
    for &edge_idx in edges {
        if let (Some(publication), Some(edition)) = provenance(graph, edge_idx) {
            let entry = newest.entry(publication).or_insert((edition, edge_idx));
            if edition > entry.0 {
                *entry = (edition, edge_idx);
            }
        }
    }
    let mut remaining = Vec::new();
    for &edge_idx in edges {
        match provenance(graph, edge_idx) {
            (Some(publication), Some(edition)) if edition < newest[publication].0 => {
                found.push(Superseded {
                    loser: edge_idx,
                    winner: newest[publication].1,
                    why: Supersession::OlderEdition,
                });
            }
            _ => remaining.push(edge_idx),
        }
    }
    let is_official = |edge_idx: EdgeIndex| {
        graph.edge_prop(edge_idx, "origin").and_then(Value::as_str) == Some("official")
    };
    let overriding = remaining
        .iter()
        .copied()
        .find(|edge| !is_official(*edge) && graph.edge_prop(*edge, "overrides").is_some());
    let official = remaining.iter().copied().find(|edge| is_official(*edge));
    for &edge_idx in &remaining {
        let superseded = match (overriding, official) {
            (Some(winner), _) if is_official(edge_idx) => {
                Some((winner, Supersession::OfficialOverridden))
            }
            (None, Some(winner)) if !is_official(edge_idx) => {
                Some((winner, Supersession::CuratedUnderOfficial))
            }
            _ => None,
        };
        if let Some((winner, why)) = superseded {
            found.push(Superseded {
                loser: edge_idx,
                winner,
                why,
            });
        }
    }
    found
}

fn provenance(graph: &Graph, edge_idx: EdgeIndex) -> (Option<&str>, Option<f64>) {
    (
        graph
            .edge_prop(edge_idx, "publication")
            .and_then(Value::as_str),
        graph.edge_number(edge_idx, "edition"),
    )
}

fn values_differ(graph: &Graph, a: EdgeIndex, b: EdgeIndex) -> bool {
    let number = |edge, key| graph.edge_number(edge, key);
    if let (Some(x), Some(y)) = (number(a, "share"), number(b, "share")) {
        return (x - y).abs() > SHARE_TOLERANCE;
    }
    for key in ["tonnes", "amount", "rank"] {
        if let (Some(x), Some(y)) = (number(a, key), number(b, key)) {
            let scale = x.abs().max(y.abs());
            return scale > 0.0 && (x - y).abs() / scale > AMOUNT_TOLERANCE;
        }
    }
    false
}

/// The figure an edge states, for messages: `share 0.6, tonnes 60000`.
pub fn value_text(graph: &Graph, edge_idx: EdgeIndex) -> String {
    let parts: Vec<String> = ["share", "tonnes", "rank"]
        .into_iter()
        .filter_map(|key| {
            graph
                .edge_number(edge_idx, key)
                .map(|value| format!("{key} {}", crate::model::format_number(value)))
        })
        .collect();
    if parts.is_empty() {
        "no figure".to_string()
    } else {
        parts.join(", ")
    }
}

/// Where a figure comes from, for messages and answers: `USGS MCS 2025
/// (official)`, or `curated` with its source ids.
pub fn provenance_text(graph: &Graph, edge_idx: EdgeIndex) -> String {
    let origin = graph
        .edge_prop(edge_idx, "origin")
        .and_then(Value::as_str)
        .unwrap_or("curated");
    match provenance(graph, edge_idx) {
        (Some(publication), Some(edition)) => format!(
            "{publication} {} ({origin})",
            crate::model::format_number(edition)
        ),
        (Some(publication), None) => format!("{publication} ({origin})"),
        _ => origin.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_texts;

    const EDITIONS: &str = r#"{
      "sources": [{"id": "s", "title": "S"}],
      "nodes": [
        {"id": "cn", "kind": "country", "name": "CN", "sources": ["s"]},
        {"id": "sb", "kind": "mineral", "name": "Sb", "sources": ["s"]}
      ],
      "edges": [
        {"from": "cn", "to": "sb", "kind": "produces", "props": {"stage": "mining", "share": 0.5, "year": 2023, "publication": "USGS MCS", "edition": 2024, "origin": "official"}, "sources": ["s"]},
        {"from": "cn", "to": "sb", "kind": "produces", "props": {"stage": "mining", "share": 0.6, "year": 2023, "publication": "USGS MCS", "edition": 2025, "origin": "official"}, "sources": ["s"]},
        {"from": "cn", "to": "sb", "kind": "produces", "props": {"stage": "mining", "share": 0.7, "year": 2023}, "sources": ["s"]}
      ]
    }"#;

    #[test]
    fn newest_edition_then_official_wins() {
        let graph = load_texts(&[("g.json", EDITIONS)]).unwrap().graph;
        let found = supersessions(&graph);
        let why: Vec<(usize, usize, Supersession)> = found
            .iter()
            .map(|item| (item.loser.index(), item.winner.index(), item.why))
            .collect();
        assert_eq!(
            why,
            [
                (0, 1, Supersession::OlderEdition),
                (2, 1, Supersession::CuratedUnderOfficial)
            ]
        );
        assert!(is_selected(&graph, EdgeIndex::new(1)));
        assert!(!is_selected(&graph, EdgeIndex::new(0)));
        assert_eq!(conflicts(&graph).len(), 2);
    }

    #[test]
    fn a_curated_figure_that_says_why_overrides_the_official_one() {
        let text = EDITIONS.replace(
            r#""share": 0.7, "year": 2023}"#,
            r#""share": 0.7, "year": 2023, "overrides": "the 2025 edition misprints the total"}"#,
        );
        let graph = load_texts(&[("g.json", &text)]).unwrap().graph;
        assert!(is_selected(&graph, EdgeIndex::new(2)));
        assert!(!is_selected(&graph, EdgeIndex::new(1)));
    }

    #[test]
    fn a_rank_never_supersedes_a_share() {
        let text = r#"{
          "sources": [{"id": "s", "title": "S"}],
          "nodes": [
            {"id": "us", "kind": "country", "name": "US", "sources": ["s"]},
            {"id": "cn", "kind": "country", "name": "CN", "sources": ["s"]},
            {"id": "ga", "kind": "mineral", "name": "Ga", "sources": ["s"]}
          ],
          "edges": [
            {"from": "us", "to": "cn", "kind": "imports_from", "props": {"item": "ga", "share": 0.2, "period": "2020-2023"}, "sources": ["s"]},
            {"from": "us", "to": "cn", "kind": "imports_from", "props": {"item": "ga", "rank": 2, "period": "2020-2023", "origin": "official"}, "sources": ["s"]}
          ]
        }"#;
        let graph = load_texts(&[("g.json", text)]).unwrap().graph;
        assert!(supersessions(&graph).is_empty());
    }
}
