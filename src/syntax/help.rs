//! `.help` text, generated from the keyword table so it cannot drift.

use std::fmt::Write;

use super::error::{SyntaxError, SyntaxErrorKind};
use super::keywords::{self, CATEGORY_TOPICS, Category, KEYWORDS, Keyword};
use super::span::Span;

/// The help overview (`None`), or help on one keyword or category topic.
///
/// Topics are keywords (`exposure`, `.format`, `minerals`, `share`) or
/// category names (`sources`, `stages`, `functions`, `kinds`, `edges`, ...).
pub fn help(topic: Option<&str>) -> Result<String, SyntaxError> {
    let Some(topic) = topic.map(str::trim) else {
        return Ok(overview());
    };
    let word = topic.trim_start_matches('.').to_lowercase();
    if let Some((category, _, summary)) = CATEGORY_TOPICS.iter().find(|(_, name, _)| *name == word)
    {
        return Ok(category_help(*category, summary));
    }
    let entries: Vec<&Keyword> = KEYWORDS
        .iter()
        .filter(|entry| entry.word == word || entry.plural == Some(word.as_str()))
        .collect();
    if entries.is_empty() {
        return Err(unknown_topic(topic));
    }
    let mut text = String::new();
    for entry in entries {
        let _ = writeln!(text, "{}", entry_line(entry));
        let _ = writeln!(text, "  example: {}", entry.example);
    }
    Ok(text)
}

fn overview() -> String {
    let mut text = String::from(
        "a statement is a source, optional modifiers, then `| stage`s; it ends at a newline or `;`\n\n",
    );
    for (category, name, summary) in CATEGORY_TOPICS {
        let words: Vec<String> = keywords::keywords_in(*category).map(display_word).collect();
        let _ = writeln!(text, "{name} ({summary}):\n  {}", words.join(" "));
    }
    text.push_str("\ntype `.help TOPIC` for a keyword, a function or one of the headings above\n");
    text
}

fn category_help(category: Category, summary: &str) -> String {
    let mut text = format!("{summary}:\n");
    for entry in keywords::keywords_in(category) {
        let _ = writeln!(text, "  {}", entry_line(entry));
        let _ = writeln!(text, "      {}", entry.example);
    }
    text
}

fn display_word(entry: &Keyword) -> String {
    match (entry.category, entry.plural) {
        (Category::Meta, _) => format!(".{}", entry.word),
        (_, Some(plural)) => format!("{}/{plural}", entry.word),
        _ => entry.word.to_string(),
    }
}

fn entry_line(entry: &Keyword) -> String {
    let kind = CATEGORY_TOPICS
        .iter()
        .find(|(category, _, _)| *category == entry.category)
        .map_or("", |(_, name, _)| name);
    format!("{} ({kind}): {}", display_word(entry), entry.summary)
}

fn unknown_topic(topic: &str) -> SyntaxError {
    let candidates = KEYWORDS
        .iter()
        .map(|entry| entry.word)
        .chain(CATEGORY_TOPICS.iter().map(|(_, name, _)| *name));
    let hint = keywords::suggest(topic.trim_start_matches('.'), candidates)
        .map(|found| format!("did you mean `{found}`?"));
    SyntaxError {
        kind: SyntaxErrorKind::UnknownHelpTopic,
        span: Span::new(0, topic.len()),
        message: format!("no help on `{topic}`"),
        expected: CATEGORY_TOPICS
            .iter()
            .map(|(_, name, _)| format!("`{name}`"))
            .collect(),
        found: format!("`{topic}`"),
        hint,
    }
}
