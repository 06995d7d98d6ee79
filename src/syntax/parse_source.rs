//! Sources: `show`, `find`, `graph`, `list`, `depends`, `dependents`, `exposure`, `path`,
//! `neighbors`, `concentration`, `timeline` and `match`.

use nom::Parser;
use nom::combinator::cut;

use super::ast::{Arg, Count, DateLit, Expr, NodeArg, Source, Word};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{after_phrase, keyword, raw_word, sp, word, ws};
use super::parse_expr::parse_expr;
use super::parse_match::parse_match;
use super::parse_node::{parse_count_arg, parse_date_arg, parse_node_arg};
use super::parse_query::{at_node, duplicate, parse_comma_list};
use super::span::{Span, Spanned};

/// `source = show | list | depends | dependents | exposure | path
///   | neighbors | concentration | timeline | match`
pub(crate) fn parse_source(input: &str) -> PResult<'_, Source> {
    let input = ws(input);
    let Some((text, rest)) = raw_word(input) else {
        let mut expected = keywords::expected_words(Category::Source);
        expected.push("a meta command such as `.help`".into());
        return PErr::expected(input, expected).failure();
    };
    let Some(entry) = keywords::lookup(Category::Source, text) else {
        return unknown_source(input, text, rest);
    };
    let (rest, source) = match entry.word {
        "show" => parse_show(rest)?,
        "find" => {
            let (rest, text) = node(rest)?;
            (
                rest,
                Source::Find {
                    text,
                    span: NO_SPAN,
                },
            )
        }
        "graph" => (rest, Source::Graph { span: NO_SPAN }),
        "list" => parse_list(rest)?,
        "depends" | "dependents" => parse_depends(rest, entry.word == "depends")?,
        "exposure" => parse_exposure(rest)?,
        "path" => parse_path(rest)?,
        "neighbors" => parse_neighbors(rest)?,
        "concentration" => parse_concentration(rest)?,
        "timeline" => parse_timeline(rest)?,
        _ => parse_match(rest)?,
    };
    Ok((rest, source.with_span(sp(input, rest))))
}

fn unknown_source<'a, T>(input: &'a str, text: &str, rest: &'a str) -> PResult<'a, T> {
    let message = format!("unknown command `{}`", clip(text));
    let err = PErr::custom(SyntaxErrorKind::UnknownKeyword, sp(input, rest), message);
    let err = err.with_expected(keywords::expected_words(Category::Source));
    err.with_hint(keywords::suggest_in(Category::Source, text))
        .failure()
}

const NO_SPAN: Span = Span { start: 0, end: 0 };

fn node(input: &str) -> PResult<'_, NodeArg> {
    cut(parse_node_arg).parse(input)
}

/// `show = "show" node_arg`
fn parse_show(input: &str) -> PResult<'_, Source> {
    let (rest, node) = node(input)?;
    Ok((
        rest,
        Source::Show {
            node,
            span: NO_SPAN,
        },
    ))
}

/// `list = "list" KIND ["where" expr]`
fn parse_list(input: &str) -> PResult<'_, Source> {
    let (rest, kind_word) = cut(word).parse(input).map_err(|_| {
        nom::Err::Failure(PErr::expected(
            ws(input),
            keywords::expected_words(Category::NodeKind),
        ))
    })?;
    let Some(entry) = keywords::lookup(Category::NodeKind, &kind_word.value) else {
        let message = format!("unknown node kind `{}`", clip(&kind_word.value));
        let err = PErr::custom(SyntaxErrorKind::UnknownNodeKind, kind_word.span, message);
        let err = err.with_expected(keywords::expected_words(Category::NodeKind));
        return err
            .with_hint(keywords::suggest_in(Category::NodeKind, &kind_word.value))
            .failure();
    };
    let kind = Spanned::new(entry.word.to_string(), kind_word.span);
    let (rest, filter) = parse_where(rest)?;
    Ok((
        rest,
        Source::List {
            kind,
            filter,
            span: NO_SPAN,
        },
    ))
}

/// `["where" expr]`
pub(crate) fn parse_where(input: &str) -> PResult<'_, Option<Expr>> {
    match after_phrase(input, "where") {
        Some(after) => cut(|i| parse_expr(i, 0))
            .parse(after)
            .map(|(rest, cond)| (rest, Some(cond))),
        None => Ok((input, None)),
    }
}

/// `depends = ("depends" | "dependents") node_arg ["depth" count]`
fn parse_depends(input: &str, upstream: bool) -> PResult<'_, Source> {
    let (rest, node) = node(input)?;
    let (rest, depth) = parse_depth(rest)?;
    let source = if upstream {
        Source::Depends {
            node,
            depth,
            span: NO_SPAN,
        }
    } else {
        Source::Dependents {
            node,
            depth,
            span: NO_SPAN,
        }
    };
    Ok((rest, source))
}

fn parse_depth(input: &str) -> PResult<'_, Option<Arg<Count>>> {
    match after_phrase(input, "depth") {
        Some(after) => cut(|i| parse_count_arg(i, "depth", 1))
            .parse(after)
            .map(|(rest, depth)| (rest, Some(depth))),
        None => Ok((input, None)),
    }
}

/// `exposure = "exposure" node_arg [node_arg] "to" node_arg
///   {"for" node_arg {"," node_arg} | "by" "material" | "tiers" count}`
fn parse_exposure(input: &str) -> PResult<'_, Source> {
    let (rest, target) = node(input)?;
    let (rest, industry) = if at_node(rest) {
        let (rest, industry) = parse_node_arg(rest)?;
        (rest, Some(industry))
    } else {
        (rest, None)
    };
    let (rest, _) = cut(keyword("to")).parse(rest)?;
    let (mut rest, supplier) = node(rest)?;
    let (mut materials, mut by_material, mut tiers) = (Vec::new(), false, None);
    loop {
        let start = ws(rest);
        if let Some(after) = after_phrase(start, "tiers") {
            let (after, count) = cut(|i| parse_count_arg(i, "tiers", 1)).parse(after)?;
            if tiers.replace(count).is_some() {
                return duplicate(start, after, "clause");
            }
            rest = after;
        } else if let Some(after) = after_phrase(start, "for") {
            let (after, items) = cut(|i| parse_comma_list(i, parse_node_arg)).parse(after)?;
            if !materials.is_empty() {
                return duplicate(start, after, "clause");
            }
            (materials, rest) = (items, after);
        } else if let Some(after) = after_phrase(start, "by") {
            let (after, _) = cut(keyword("material")).parse(after)?;
            if by_material {
                return duplicate(start, after, "clause");
            }
            (by_material, rest) = (true, after);
        } else {
            return Ok((
                rest,
                Source::Exposure {
                    target,
                    industry,
                    supplier,
                    materials,
                    by_material,
                    tiers,
                    span: NO_SPAN,
                },
            ));
        }
    }
}

/// `path = "path" node_arg "to" node_arg {"all" | "max" count | "via" "events"}`
fn parse_path(input: &str) -> PResult<'_, Source> {
    let (rest, from) = node(input)?;
    let (rest, _) = cut(keyword("to")).parse(rest)?;
    let (mut rest, to) = node(rest)?;
    let (mut all, mut max, mut causal) = (false, None, false);
    loop {
        let start = ws(rest);
        if let Some(after) = after_phrase(start, "via") {
            let (after, _) = cut(keyword("events")).parse(after)?;
            if causal {
                return duplicate(start, after, "clause");
            }
            (causal, rest) = (true, after);
        } else if let Some(after) = after_phrase(start, "all") {
            if all {
                return duplicate(start, after, "clause");
            }
            (all, rest) = (true, after);
        } else if let Some(after) = after_phrase(start, "max") {
            let (after, count) = cut(|i| parse_count_arg(i, "max", 1)).parse(after)?;
            if max.replace(count).is_some() {
                return duplicate(start, after, "clause");
            }
            rest = after;
        } else {
            return Ok((
                rest,
                Source::Path {
                    from,
                    to,
                    all,
                    max,
                    causal,
                    span: NO_SPAN,
                },
            ));
        }
    }
}

/// `neighbors = "neighbors" node_arg {"depth" count | "via" EDGE_KIND {"," EDGE_KIND}}`
fn parse_neighbors(input: &str) -> PResult<'_, Source> {
    let (mut rest, node) = node(input)?;
    let (mut depth, mut via) = (None, Vec::new());
    loop {
        let start = ws(rest);
        if let Some(after) = after_phrase(start, "depth") {
            let (after, count) = cut(|i| parse_count_arg(i, "depth", 1)).parse(after)?;
            if depth.replace(count).is_some() {
                return duplicate(start, after, "clause");
            }
            rest = after;
        } else if let Some(after) = after_phrase(start, "via") {
            let (after, kinds) = parse_comma_list(after, parse_edge_kind)?;
            if !via.is_empty() {
                return duplicate(start, after, "clause");
            }
            (via, rest) = (kinds, after);
        } else {
            return Ok((
                rest,
                Source::Neighbors {
                    node,
                    depth,
                    via,
                    span: NO_SPAN,
                },
            ));
        }
    }
}

/// An edge kind word, checked against the keyword table.
pub(crate) fn parse_edge_kind(input: &str) -> PResult<'_, Word> {
    let (rest, kind) = word(input).or_else(|_| {
        PErr::expected(ws(input), keywords::expected_words(Category::EdgeKind)).error()
    })?;
    match keywords::lookup(Category::EdgeKind, &kind.value) {
        Some(entry) => Ok((rest, Spanned::new(entry.word.to_string(), kind.span))),
        None => {
            let message = format!("unknown edge kind `{}`", clip(&kind.value));
            let err = PErr::custom(SyntaxErrorKind::UnknownEdgeKind, kind.span, message);
            let err = err.with_expected(keywords::expected_words(Category::EdgeKind));
            err.with_hint(keywords::suggest_in(Category::EdgeKind, &kind.value))
                .failure()
        }
    }
}

/// `concentration = "concentration" node_arg {"stage" WORD | "year" count}`
fn parse_concentration(input: &str) -> PResult<'_, Source> {
    let (mut rest, node) = node(input)?;
    let (mut stage, mut year) = (None, None);
    loop {
        let start = ws(rest);
        if let Some(after) = after_phrase(start, "stage") {
            let (after, name) = cut(word).parse(after)?;
            if stage.replace(name).is_some() {
                return duplicate(start, after, "clause");
            }
            rest = after;
        } else if let Some(after) = after_phrase(start, "year") {
            let (after, count) = cut(|i| parse_count_arg(i, "year", 1)).parse(after)?;
            if year.replace(count).is_some() {
                return duplicate(start, after, "clause");
            }
            rest = after;
        } else {
            return Ok((
                rest,
                Source::Concentration {
                    node,
                    stage,
                    year,
                    span: NO_SPAN,
                },
            ));
        }
    }
}

/// `timeline = "timeline" node_arg {"from" date_arg | "to" date_arg}`
fn parse_timeline(input: &str) -> PResult<'_, Source> {
    let (mut rest, node) = node(input)?;
    let (mut from, mut to): (Option<Arg<DateLit>>, Option<Arg<DateLit>>) = (None, None);
    loop {
        let start = ws(rest);
        let (slot, after) = match (after_phrase(start, "from"), after_phrase(start, "to")) {
            (Some(after), _) => (&mut from, after),
            (None, Some(after)) => (&mut to, after),
            (None, None) => {
                return Ok((
                    rest,
                    Source::Timeline {
                        node,
                        from,
                        to,
                        span: NO_SPAN,
                    },
                ));
            }
        };
        let (after, date) = cut(parse_date_arg).parse(after)?;
        if slot.replace(date).is_some() {
            return duplicate(start, after, "clause");
        }
        rest = after;
    }
}
