//! Name resolution: id → name → alias, case-insensitive, with suggestions.

use petgraph::graph::NodeIndex;

use super::graph::Graph;
use super::kinds::NodeKind;

/// Why a name did not resolve to exactly one node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// `show germanum`
    #[error("no {what} is named \"{name}\"")]
    Unknown {
        name: String,
        what: String,
        /// Closest known names, best first (as `kind:id` when that helps).
        suggestions: Vec<String>,
    },
    /// `show In` when both India (`IN`) and indium (`In`) exist and neither spelling is exact.
    #[error("\"{name}\" names {} nodes: {}", candidates.len(), candidates.join(", "))]
    Ambiguous {
        name: String,
        /// Every match as `kind:id`, sorted.
        candidates: Vec<String>,
    },
}

impl ResolveError {
    /// The "did you mean" list, if any.
    pub fn suggestions(&self) -> &[String] {
        match self {
            ResolveError::Unknown { suggestions, .. } => suggestions,
            ResolveError::Ambiguous { candidates, .. } => candidates,
        }
    }
}

impl Graph {
    /// Resolves a user-written name to one node. `kinds` limits the kinds
    /// that may match (empty = any). Order: id, then name, then alias; at each
    /// level an exact-case spelling beats a case-insensitive one.
    pub fn resolve(&self, name: &str, kinds: &[NodeKind]) -> Result<NodeIndex, ResolveError> {
        let normalized = super::nfc(name);
        let name = normalized.as_ref();
        let allowed =
            |node_idx: &NodeIndex| kinds.is_empty() || kinds.contains(&self.node(*node_idx).kind);
        let lower = name.to_lowercase();
        if let Some(node_idx) = self.node_by_id(&lower).filter(allowed) {
            return Ok(node_idx);
        }
        for index in [&self.by_name, &self.by_alias] {
            let candidates: Vec<NodeIndex> = index
                .get(&lower)
                .map(|found| found.iter().copied().filter(allowed).collect())
                .unwrap_or_default();
            match candidates.len() {
                0 => continue,
                1 => return Ok(candidates[0]),
                _ => return self.pick_exact_spelling(name, &candidates),
            }
        }
        // Ranked suggestions: word and substring matches, then spellings
        // an edit or two away.
        let mut suggestions = self.suggest_by_text(name, kinds, 3);
        if suggestions.is_empty() {
            suggestions = self.suggest(name, kinds);
        }
        Err(ResolveError::Unknown {
            name: name.to_string(),
            what: kinds_phrase(kinds),
            suggestions,
        })
    }

    /// [`Graph::resolve`], and failing that the one node whose name or
    /// alias has `name` as whole words (`Congo` → DR Congo), unless `name`
    /// is exact for a node of another kind. For the node a source names;
    /// expressions keep to exact names (`refining` there is a stage).
    pub fn resolve_loosely(
        &self,
        name: &str,
        kinds: &[NodeKind],
    ) -> Result<NodeIndex, ResolveError> {
        let err = match self.resolve(name, kinds) {
            Ok(node_idx) => return Ok(node_idx),
            Err(err @ ResolveError::Ambiguous { .. }) => return Err(err),
            Err(err) => err,
        };
        let lower = name.to_lowercase();
        let exact_elsewhere = self.node_by_id(&lower).is_some()
            || self.by_name.contains_key(&lower)
            || self.by_alias.contains_key(&lower);
        if !exact_elsewhere {
            if let Some(node_idx) = self.single_word_match(name, kinds) {
                return Ok(node_idx);
            }
        }
        Err(err)
    }

    fn pick_exact_spelling(
        &self,
        name: &str,
        candidates: &[NodeIndex],
    ) -> Result<NodeIndex, ResolveError> {
        let exact: Vec<NodeIndex> = candidates
            .iter()
            .copied()
            .filter(|node_idx| {
                let node = self.node(*node_idx);
                node.name == name || node.aliases.iter().any(|alias| alias == name)
            })
            .collect();
        if let [only] = exact.as_slice() {
            return Ok(*only);
        }
        let mut listed: Vec<String> = candidates
            .iter()
            .map(|idx| self.qualified_id(*idx))
            .collect();
        listed.sort();
        Err(ResolveError::Ambiguous {
            name: name.to_string(),
            candidates: listed,
        })
    }

    /// `kind:id`, the spelling that always resolves to this node.
    pub fn qualified_id(&self, node_idx: NodeIndex) -> String {
        let node = self.node(node_idx);
        format!("{}:{}", node.kind, node.id)
    }

    /// Up to three known spellings closest to `name` by edit distance.
    /// Bounded: a word longer than [`SUGGEST_MAX_CHARS`] gets no
    /// suggestions, and a spelling whose length differs from the word's by
    /// more than the allowed distance is skipped without comparing.
    pub fn suggest(&self, name: &str, kinds: &[NodeKind]) -> Vec<String> {
        let Some(word) = SuggestWord::new(name) else {
            return Vec::new();
        };
        let mut scored: Vec<(usize, String)> = Vec::new();
        for node_idx in self.node_indices() {
            let node = self.node(node_idx);
            if !kinds.is_empty() && !kinds.contains(&node.kind) {
                continue;
            }
            let spellings = std::iter::once(&node.id)
                .chain(std::iter::once(&node.name))
                .chain(node.aliases.iter());
            let best = spellings
                .filter_map(|spelling| word.distance(spelling).map(|d| (d, spelling)))
                .min_by_key(|(distance, _)| *distance);
            if let Some((distance, spelling)) = best {
                scored.push((distance, spelling.clone()));
            }
        }
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored
            .into_iter()
            .take(3)
            .map(|(_, spelling)| spelling)
            .collect()
    }
}

/// Words longer than this (in characters) get no "did you mean": no
/// spelling is that long, and comparing would cost time for nothing.
pub const SUGGEST_MAX_CHARS: usize = 64;

/// Character comparisons made by every edit-distance computation so far in
/// this process: the bound on suggestion work that tests check.
static SUGGEST_WORK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Cells computed by suggestion searches so far (a bound on work done,
/// for tests; never a timing).
pub fn suggestion_work() -> u64 {
    SUGGEST_WORK.load(std::sync::atomic::Ordering::Relaxed)
}

/// A word prepared for suggestion look-ups: lower case, its length and the
/// largest edit distance that still counts as a likely typo.
struct SuggestWord {
    lower: String,
    chars: usize,
    limit: usize,
}

impl SuggestWord {
    fn new(word: &str) -> Option<SuggestWord> {
        if word.len() > SUGGEST_MAX_CHARS * 4 {
            return None;
        }
        let chars = word.chars().count();
        if chars > SUGGEST_MAX_CHARS {
            return None;
        }
        Some(SuggestWord {
            lower: word.to_lowercase(),
            chars,
            limit: (chars / 3).clamp(1, 3),
        })
    }

    /// The edit distance to `candidate` if it is within the limit.
    fn distance(&self, candidate: &str) -> Option<usize> {
        let candidate_chars = candidate.chars().count();
        if candidate_chars.abs_diff(self.chars) > self.limit {
            return None;
        }
        SUGGEST_WORK.fetch_add(
            (self.chars * candidate_chars) as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        let distance = strsim::levenshtein(&self.lower, &candidate.to_lowercase());
        (distance <= self.limit).then_some(distance)
    }
}

fn kinds_phrase(kinds: &[NodeKind]) -> String {
    match kinds {
        [] => "node".to_string(),
        [only] => only.as_str().to_string(),
        many => many
            .iter()
            .map(|kind| kind.as_str())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a likely typo (bounded like [`Graph::suggest`]).
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let word = SuggestWord::new(word)?;
    candidates
        .into_iter()
        .filter_map(|candidate| word.distance(candidate).map(|d| (d, candidate)))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fields;

    fn graph() -> Graph {
        let mut graph = Graph::new();
        let mut add = |id: &str, kind, name: &str, aliases: &[&str]| {
            let aliases = aliases.iter().map(|alias| alias.to_string()).collect();
            graph.add_node(id.into(), kind, name.into(), aliases, Fields::default());
        };
        add("germanium", NodeKind::Mineral, "Germanium", &["Ge"]);
        add("indium", NodeKind::Mineral, "Indium", &["In"]);
        add("india", NodeKind::Country, "India", &["IN", "IND"]);
        add(
            "united-states",
            NodeKind::Country,
            "United States",
            &["US", "USA"],
        );
        add(
            "ndfeb-magnets",
            NodeKind::Product,
            "NdFeB magnets",
            &["rare earth magnets"],
        );
        graph
    }

    fn id_of(graph: &Graph, result: Result<NodeIndex, ResolveError>) -> String {
        graph.node(result.unwrap()).id.clone()
    }

    #[test]
    fn resolves_by_id_name_and_alias_case_insensitively() {
        let graph = graph();
        assert_eq!(id_of(&graph, graph.resolve("germanium", &[])), "germanium");
        assert_eq!(id_of(&graph, graph.resolve("GERMANIUM", &[])), "germanium");
        assert_eq!(id_of(&graph, graph.resolve("ge", &[])), "germanium");
        assert_eq!(id_of(&graph, graph.resolve("usa", &[])), "united-states");
        assert_eq!(
            id_of(&graph, graph.resolve("United States", &[])),
            "united-states"
        );
        assert_eq!(
            id_of(&graph, graph.resolve("Rare Earth Magnets", &[])),
            "ndfeb-magnets"
        );
    }

    #[test]
    fn exact_case_or_kind_settles_shared_aliases() {
        let graph = graph();
        assert_eq!(id_of(&graph, graph.resolve("In", &[])), "indium");
        assert_eq!(id_of(&graph, graph.resolve("IN", &[])), "india");
        assert_eq!(
            id_of(&graph, graph.resolve("in", &[NodeKind::Country])),
            "india"
        );
        let err = graph.resolve("in", &[]).unwrap_err();
        assert_eq!(
            err,
            ResolveError::Ambiguous {
                name: "in".into(),
                candidates: vec!["country:india".into(), "mineral:indium".into()],
            }
        );
    }

    #[test]
    fn unknown_names_suggest_the_closest_spellings() {
        let graph = graph();
        let err = graph.resolve("germanum", &[]).unwrap_err();
        assert_eq!(err.suggestions(), ["germanium"]);
        assert_eq!(err.to_string(), "no node is named \"germanum\"");
        let err = graph
            .resolve("germanium", &[NodeKind::Country])
            .unwrap_err();
        assert!(matches!(err, ResolveError::Unknown { .. }));
        assert_eq!(err.to_string(), "no country is named \"germanium\"");
    }
}
