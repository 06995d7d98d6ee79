//! Finding nodes the way people type them: case-insensitive whole-word and
//! substring matches over names and aliases (`magnets`, `Congo`, `EV`),
//! ranked. Exact id/name/alias look-up and edit-distance suggestions are in
//! `resolve`.

use petgraph::graph::NodeIndex;

use super::graph::Graph;
use super::kinds::NodeKind;

/// How a text matched a spelling; the better match first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchQuality {
    /// The text's words are whole words of the spelling (`Congo` in `DR Congo`).
    Word,
    /// The text is inside the spelling (`magnet` in `NdFeB magnets`).
    Substring,
}

/// One node found by [`Graph::find_by_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    pub node: NodeIndex,
    /// The name or alias that matched.
    pub spelling: String,
    pub quality: MatchQuality,
}

/// Texts shorter than this only match whole words.
const MIN_SUBSTRING: usize = 3;

impl Graph {
    /// Nodes of `kinds` (empty = any) whose name or an alias matches `text`,
    /// best first: whole-word matches before substrings, then nodes people
    /// ask about before events and policies, then shorter spellings, then
    /// ids. One entry per node, with its best spelling.
    pub fn find_by_text(&self, text: &str, kinds: &[NodeKind]) -> Vec<NameMatch> {
        let wanted = words(text);
        let lower = text.trim().to_lowercase();
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<NameMatch> = Vec::new();
        for node_idx in self.node_indices() {
            let node = self.node(node_idx);
            if !kinds.is_empty() && !kinds.contains(&node.kind) {
                continue;
            }
            let best = std::iter::once(&node.name)
                .chain(node.aliases.iter())
                .filter_map(|spelling| {
                    quality(&wanted, &lower, spelling).map(|quality| (quality, spelling))
                })
                .min_by_key(|(quality, spelling)| (*quality, spelling.chars().count()));
            if let Some((quality, spelling)) = best {
                found.push(NameMatch {
                    node: node_idx,
                    spelling: spelling.clone(),
                    quality,
                });
            }
        }
        found.sort_by_cached_key(|found| {
            let node = self.node(found.node);
            (
                found.quality,
                record_like(node.kind),
                found.spelling.chars().count(),
                node.id.clone(),
            )
        });
        found
    }

    /// The one node of `kinds` whose name or alias has `text` as whole
    /// words, if exactly one has; events and policies (whose long names
    /// mention everything) count only when nothing else matches.
    pub fn single_word_match(&self, text: &str, kinds: &[NodeKind]) -> Option<NodeIndex> {
        let matches = self.find_by_text(text, kinds);
        let words: Vec<&NameMatch> = matches
            .iter()
            .filter(|found| found.quality == MatchQuality::Word)
            .collect();
        let entities: Vec<&&NameMatch> = words
            .iter()
            .filter(|found| !record_like(self.node(found.node).kind))
            .collect();
        match (entities.as_slice(), words.as_slice()) {
            ([only], _) => Some(only.node),
            ([], [only]) => Some(only.node),
            _ => None,
        }
    }

    /// Up to `limit` spellings that resolve to the best matches of `text`:
    /// a name with spaces quoted, so that it can be pasted into a query.
    pub fn suggest_by_text(&self, text: &str, kinds: &[NodeKind], limit: usize) -> Vec<String> {
        self.find_by_text(text, kinds)
            .into_iter()
            .take(limit)
            .map(|found| {
                let node = self.node(found.node);
                if node.name.contains(char::is_whitespace) {
                    format!("\"{}\"", node.name)
                } else {
                    node.name.clone()
                }
            })
            .collect()
    }
}

/// Events and policies: records whose long names mention many things.
fn record_like(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Event | NodeKind::Policy)
}

/// Lower-case words of `text` (letters and digits).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn quality(wanted: &[String], lower: &str, spelling: &str) -> Option<MatchQuality> {
    let have = words(spelling);
    if have.windows(wanted.len()).any(|window| window == wanted) {
        return Some(MatchQuality::Word);
    }
    (lower.chars().count() >= MIN_SUBSTRING && spelling.to_lowercase().contains(lower))
        .then_some(MatchQuality::Substring)
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
        add(
            "dr-congo",
            NodeKind::Country,
            "DR Congo",
            &["COD", "Democratic Republic of the Congo"],
        );
        add(
            "united-states",
            NodeKind::Country,
            "United States",
            &["US", "USA"],
        );
        add(
            "united-kingdom",
            NodeKind::Country,
            "United Kingdom",
            &["UK"],
        );
        add("estonia", NodeKind::Country, "Estonia", &["EE"]);
        add(
            "ndfeb-magnets",
            NodeKind::Product,
            "NdFeB magnets",
            &["rare earth magnets", "permanent magnets"],
        );
        add(
            "ev-motors-wind",
            NodeKind::Industry,
            "EV motors and wind turbines",
            &[],
        );
        add("ev-batteries", NodeKind::Industry, "EV batteries", &[]);
        add(
            "tr-magnets-2024",
            NodeKind::Event,
            "China ndfeb magnets exports, 2024",
            &[],
        );
        add(
            "ev-drc-ships",
            NodeKind::Event,
            "DR Congo ships germanium",
            &[],
        );
        graph
    }

    fn ids(graph: &Graph, matches: &[NameMatch]) -> Vec<String> {
        matches
            .iter()
            .map(|found| graph.node(found.node).id.clone())
            .collect()
    }

    #[test]
    fn whole_words_of_names_and_aliases_match_case_insensitively() {
        let graph = graph();
        let congo = graph.single_word_match("Congo", &[]).unwrap();
        assert_eq!(graph.node(congo).id, "dr-congo");
        assert_eq!(
            graph
                .resolve_loosely("congo", &[])
                .map(|idx| graph.node(idx).id.clone()),
            Ok("dr-congo".to_string())
        );
        assert!(graph.resolve("congo", &[]).is_err());
        // Products before events; both found.
        assert_eq!(
            ids(&graph, &graph.find_by_text("magnets", &[])),
            ["ndfeb-magnets", "tr-magnets-2024"]
        );
        // `EV` is a word of two industries, not an edit away from `EE`.
        assert_eq!(
            ids(&graph, &graph.find_by_text("EV", &[])),
            ["ev-batteries", "ev-motors-wind"]
        );
        assert_eq!(graph.single_word_match("ev", &[]), None);
    }

    #[test]
    fn substrings_match_after_words_and_short_texts_only_as_words() {
        let graph = graph();
        let found = graph.find_by_text("magnet", &[]);
        assert!(
            found
                .iter()
                .all(|found| found.quality == MatchQuality::Substring)
        );
        assert_eq!(ids(&graph, &found)[0], "ndfeb-magnets");
        assert!(graph.find_by_text("ni", &[]).is_empty());
        assert!(graph.find_by_text("  ", &[]).is_empty());
    }

    #[test]
    fn suggestions_quote_names_with_spaces() {
        let graph = graph();
        assert_eq!(
            graph.suggest_by_text("United", &[NodeKind::Country], 3),
            ["\"United States\"", "\"United Kingdom\""]
        );
        let err = graph.resolve("United", &[NodeKind::Country]).unwrap_err();
        assert_eq!(
            err.suggestions(),
            ["\"United States\"", "\"United Kingdom\""]
        );
    }
}
