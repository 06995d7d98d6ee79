//! Node references and typed arguments (`NODE`, `$param`, counts, dates).

use super::ast::{Arg, Count, DateLit, NodeArg, NodeRef};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{after_phrase, count_lit, date_lit, param, raw_word, sp, string_lit, ws};
use super::span::Span;

/// `node_arg = param | node_ref`
pub(crate) fn parse_node_arg(input: &str) -> PResult<'_, NodeArg> {
    if ws(input).starts_with('$') {
        return param(input).map(|(rest, param)| (rest, Arg::Param(param)));
    }
    parse_node_ref(input).map(|(rest, node)| (rest, Arg::Lit(node)))
}

/// `node_ref = [kind ":"] name | kind string | name`,
/// `name = bare_word | string`.
///
/// A bare word cannot be a clause, modifier or scenario word that may
/// follow a node (`to`, `depth`, `as of`, `in force`, ...); quote such names.
pub(crate) fn parse_node_ref(input: &str) -> PResult<'_, NodeRef> {
    let input = ws(input);
    if input.starts_with('"') {
        let (rest, name) = string_lit(input)?;
        return Ok((rest, node(None, name.value, true, name.span)));
    }
    let Some((text, after_word)) = raw_word(input) else {
        return expected_node(input);
    };
    if is_stop_word(input) {
        return expected_node(input);
    }
    let kind_span = sp(input, after_word);
    if let Some(after_colon) = after_word.strip_prefix(':') {
        let kind = node_kind(text, kind_span)?;
        return qualified_name(input, after_colon, (kind, kind_span));
    }
    let spaced_kind =
        keywords::lookup(Category::NodeKind, text).filter(|entry| entry.word != "node");
    if let Some(entry) = spaced_kind.filter(|_| ws(after_word).starts_with('"')) {
        return qualified_name(input, after_word, (entry.word.to_string(), kind_span));
    }
    Ok((after_word, node(None, text.to_string(), false, kind_span)))
}

fn node(kind: Option<(String, Span)>, name: String, quoted: bool, span: Span) -> NodeRef {
    NodeRef {
        kind,
        name,
        quoted,
        span,
    }
}

/// The name after `kind:` or `kind `.
fn qualified_name<'a>(
    start: &'a str,
    input: &'a str,
    kind: (String, Span),
) -> PResult<'a, NodeRef> {
    let after_ws = ws(input);
    if after_ws.starts_with('"') {
        let (rest, name) = string_lit(after_ws)?;
        return Ok((rest, node(Some(kind), name.value, true, sp(start, rest))));
    }
    match raw_word(input) {
        Some((text, rest)) => Ok((
            rest,
            node(Some(kind), text.to_string(), false, sp(start, rest)),
        )),
        None => PErr::expected(input, vec!["a node name after the kind".into()]).failure(),
    }
}

fn expected_node<T>(input: &str) -> PResult<'_, T> {
    PErr::expected(input, vec!["a node name".into()]).error()
}

/// Whether a reserved phrase (`to`, `as of`, ...) starts `input`.
pub(crate) fn is_stop_word(input: &str) -> bool {
    keywords::stop_phrases().any(|phrase| after_phrase(input, phrase).is_some())
}

/// The singular kind for a kind qualifier, or an error with a suggestion.
fn node_kind(text: &str, span: Span) -> Result<String, nom::Err<PErr>> {
    match keywords::lookup(Category::NodeKind, text).filter(|entry| entry.word != "node") {
        Some(entry) => Ok(entry.word.to_string()),
        None => {
            let message = format!("unknown node kind `{}`", clip(text));
            let err = PErr::custom(SyntaxErrorKind::UnknownNodeKind, span, message);
            let expected = keywords::expected_words(Category::NodeKind);
            err.with_expected(expected)
                .with_hint(keywords::suggest_in(Category::NodeKind, text))
                .failure()
        }
    }
}

/// `count_arg = param | INTEGER` (at least `min`).
pub(crate) fn parse_count_arg<'a>(input: &'a str, what: &str, min: u64) -> PResult<'a, Arg<Count>> {
    if ws(input).starts_with('$') {
        return param(input).map(|(rest, param)| (rest, Arg::Param(param)));
    }
    count_lit(input, what, min).map(|(rest, count)| (rest, Arg::Lit(count)))
}

/// `date_arg = param | DATE`
pub(crate) fn parse_date_arg(input: &str) -> PResult<'_, Arg<DateLit>> {
    if ws(input).starts_with('$') {
        return param(input).map(|(rest, param)| (rest, Arg::Param(param)));
    }
    date_lit(input).map(|(rest, date)| (rest, Arg::Lit(date)))
}
