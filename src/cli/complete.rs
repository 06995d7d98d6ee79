//! Shell completion that knows where it is: keywords where a keyword may
//! stand, kinds after `list`, stages after `|`, formats after `.format`,
//! edge kinds after `via` and `[:`, functions and fields in `where`,
//! `sort` and `select`, node names of the kind the position takes (whole
//! quoted names for names with spaces). Candidates that start with the
//! typed text come first; a fuzzy matcher (nucleo) ranks them and finds
//! the others when none does.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use critmin::model::{Graph, NodeKind};
use critmin::syntax::keywords::{Category, keywords_in};
use critmin::syntax::{is_bare_node_name, quote};

/// What the shell completes from, built once per graph.
pub struct Vocabulary {
    /// Every node's spellings by kind, quoted when they hold spaces.
    names: Vec<(NodeKind, String)>,
    props: Vec<String>,
}

impl Vocabulary {
    pub fn new(graph: &Graph) -> Vocabulary {
        let mut names = Vec::new();
        for node_idx in graph.node_indices() {
            let node = graph.node(node_idx);
            let spellings = std::iter::once(&node.id)
                .chain(std::iter::once(&node.name))
                .chain(node.aliases.iter());
            for spelling in spellings {
                let word = if is_bare_node_name(spelling) {
                    spelling.clone()
                } else {
                    quote(spelling)
                };
                names.push((node.kind, word));
            }
        }
        names.sort_by_key(|(_, name)| name.to_lowercase());
        names.dedup_by(|a, b| a.1.eq_ignore_ascii_case(&b.1));
        let props = graph.prop_keys().into_iter().map(str::to_string).collect();
        Vocabulary { names, props }
    }

    fn names(&self, kinds: &[NodeKind]) -> Vec<String> {
        self.names
            .iter()
            .filter(|(kind, _)| kinds.is_empty() || kinds.contains(kind))
            .map(|(_, name)| name.clone())
            .collect()
    }
}

/// The completions of the word that ends at `pos`: `(start, candidates)`,
/// best first.
pub fn complete(vocabulary: &Vocabulary, line: &str, pos: usize) -> (usize, Vec<String>) {
    let before = &line[..floor_char_boundary(line, pos)];
    let start = word_start(before);
    let typed = &before[start..];
    let candidates = candidates(vocabulary, &before[..start], typed);
    (start, rank(candidates, typed))
}

fn floor_char_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// Where the word under the cursor starts: at an open quote (a quoted
/// name is one word), else after the last space or punctuation.
fn word_start(before: &str) -> usize {
    let mut open_quote = None;
    let mut escaped = false;
    for (index, c) in before.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if open_quote.is_some() => escaped = true,
            '"' => {
                open_quote = if open_quote.is_some() {
                    None
                } else {
                    Some(index)
                }
            }
            _ => {}
        }
    }
    if let Some(quote_at) = open_quote {
        return quote_at;
    }
    before
        .char_indices()
        .rev()
        .find(|(_, c)| {
            c.is_whitespace() || matches!(c, '(' | ')' | ',' | '|' | '[' | ']' | ';' | ':')
        })
        .map_or(0, |(at, c)| at + c.len_utf8())
}

/// The words that may stand after `context` (the text before the word).
fn candidates(vocabulary: &Vocabulary, context: &str, typed: &str) -> Vec<String> {
    let words = |category| -> Vec<String> {
        keywords_in(category)
            .flat_map(|entry| {
                let main = if category == Category::Meta {
                    format!(".{}", entry.word)
                } else {
                    entry.word.to_string()
                };
                std::iter::once(main).chain(entry.plural.map(str::to_string))
            })
            .collect()
    };
    let statement = context.rsplit(';').next().unwrap_or("");
    let trimmed = statement.trim_end();
    let tokens: Vec<String> = trimmed
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|token| !token.is_empty())
        .map(str::to_lowercase)
        .collect();
    let previous = tokens.last().map(String::as_str).unwrap_or("");
    if tokens.is_empty() {
        let mut out = words(Category::Source);
        if typed.starts_with('.') || typed.is_empty() {
            out.extend(words(Category::Meta));
        }
        return out;
    }
    if trimmed.ends_with('|') {
        return words(Category::Stage);
    }
    if trimmed.ends_with("[:") || trimmed.ends_with(':') && trimmed.contains('[') {
        return words(Category::EdgeKind);
    }
    match previous {
        ".format" => return words(Category::OutputFormat),
        ".timing" | ".explain" | ".tree" => return vec!["on".into(), "off".into()],
        ".help" => {
            return words(Category::Source)
                .into_iter()
                .chain(words(Category::Stage))
                .collect();
        }
        "list" => return words(Category::NodeKind),
        "via" => return words(Category::EdgeKind),
        "stage" => {
            return ["mining", "refining", "manufacturing", "all"]
                .map(String::from)
                .to_vec();
        }
        "show" | "find" | "depends" | "dependents" | "neighbors" | "path" | "timeline" => {
            return vocabulary.names(&[]);
        }
        "concentration" => return vocabulary.names(&[NodeKind::Mineral, NodeKind::Product]),
        "exposure" => return vocabulary.names(&[NodeKind::Country, NodeKind::Industry]),
        "to" if tokens.iter().any(|token| token == "exposure") => {
            return vocabulary.names(&[NodeKind::Country, NodeKind::Policy]);
        }
        _ => {}
    }
    let in_expression = statement
        .rsplit('|')
        .next()
        .map(str::trim_start)
        .is_some_and(|stage| {
            ["where", "sort", "select"]
                .iter()
                .any(|word| stage.starts_with(word))
        })
        || tokens
            .iter()
            .any(|token| token == "where" || token == "return");
    if in_expression {
        let mut out = words(Category::Function);
        out.extend(words(Category::Operator));
        out.extend(words(Category::Order));
        out.extend(vocabulary.props.iter().cloned());
        out.extend(["id", "name", "kind"].map(String::from));
        out.extend(vocabulary.names(&[]));
        return out;
    }
    let mut out = words(Category::Clause);
    out.extend(words(Category::Modifier));
    out.extend(vocabulary.names(&[]));
    out
}

/// Candidates that start with `typed` first, each group by fuzzy score;
/// the others only when none starts with it.
fn rank(candidates: Vec<String>, typed: &str) -> Vec<String> {
    let mut candidates = candidates;
    candidates.sort();
    candidates.dedup();
    if typed.is_empty() {
        return candidates;
    }
    let lower = typed.to_lowercase();
    let (prefixed, others): (Vec<String>, Vec<String>) = candidates
        .into_iter()
        .partition(|candidate| candidate.to_lowercase().starts_with(&lower));
    let pool = if prefixed.is_empty() {
        others
    } else {
        prefixed
    };
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(
        typed.trim_start_matches('"'),
        CaseMatching::Ignore,
        Normalization::Smart,
    );
    let mut scored = pattern.match_list(pool, &mut matcher);
    // Best score first; shorter, then alphabetical among equals.
    scored.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.len().cmp(&b.0.len()))
            .then(a.0.cmp(&b.0))
    });
    scored.into_iter().map(|(candidate, _)| candidate).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use critmin::model::Fields;

    fn vocabulary() -> Vocabulary {
        let mut graph = Graph::new();
        let mut add = |id: &str, kind, name: &str| {
            graph.add_node(id.into(), kind, name.into(), Vec::new(), Fields::default());
        };
        add("germanium", NodeKind::Mineral, "Germanium");
        add("germany", NodeKind::Country, "Germany");
        add("rare-earths", NodeKind::Mineral, "Rare earth elements");
        add("defense", NodeKind::Industry, "Defense");
        Vocabulary::new(&graph)
    }

    #[test]
    fn completion_knows_the_position() {
        let vocabulary = vocabulary();
        let (_, kinds) = complete(&vocabulary, "list ", 5);
        assert!(kinds.contains(&"minerals".to_string()), "{kinds:?}");
        assert!(!kinds.iter().any(|word| word == "germanium"), "{kinds:?}");
        let (start, stages) = complete(&vocabulary, "list minerals | so", 18);
        assert_eq!((start, stages), (16, vec!["sort".to_string()]));
        let (_, formats) = complete(&vocabulary, ".format ", 8);
        assert!(
            formats.contains(&"json".to_string()) && formats.len() <= 6,
            "{formats:?}"
        );
        let (_, countries) = complete(&vocabulary, "exposure germ", 13);
        assert_eq!(countries, ["germany"]);
    }

    #[test]
    fn a_quoted_name_completes_whole() {
        let vocabulary = vocabulary();
        let line = "show \"rare e";
        let (start, names) = complete(&vocabulary, line, line.len());
        assert_eq!(start, 5);
        assert_eq!(names, ["\"Rare earth elements\""]);
    }

    #[test]
    fn fuzzy_matches_when_no_word_starts_with_the_text() {
        let vocabulary = vocabulary();
        let (_, found) = complete(&vocabulary, "show grmnm", 10);
        assert_eq!(found.first().map(String::as_str), Some("germanium"));
    }
}
