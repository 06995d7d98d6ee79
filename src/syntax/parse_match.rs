//! `match` patterns: `(m:mineral)-[:used_in*1..3]->(i:industry {name: "defense"})`.

use nom::Parser;
use nom::combinator::cut;

use super::ast::{
    Direction, EdgePattern, Hops, NodePattern, Pattern, PatternStep, PropConstraint, Source,
};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{at_symbol, closing, keyword, raw_word, sp, symbol, word, ws};
use super::parse_expr::parse_expr;
use super::parse_query::{parse_comma_list, parse_projection};
use super::parse_source::{parse_edge_kind, parse_where};
use super::span::{Span, Spanned};

/// `match = "match" pattern ["where" expr] "return" projection {"," projection}`
pub(crate) fn parse_match(input: &str) -> PResult<'_, Source> {
    let (rest, pattern) = cut(parse_pattern).parse(input)?;
    let (rest, filter) = parse_where(rest)?;
    let (rest, _) = cut(keyword("return"))
        .parse(rest)
        .map_err(|err| match err {
            nom::Err::Failure(err) if filter.is_none() => {
                nom::Err::Failure(err.with_expected(vec![
                    "`where`".into(),
                    "`return`".into(),
                    "`-` (an edge)".into(),
                ]))
            }
            other => other,
        })?;
    let (rest, returns) = parse_comma_list(rest, parse_projection)?;
    Ok((
        rest,
        Source::Match {
            pattern,
            filter,
            returns,
            span: Span::default(),
        },
    ))
}

/// `pattern = node_pattern {edge_pattern node_pattern}`
fn parse_pattern(input: &str) -> PResult<'_, Pattern> {
    let input = ws(input);
    let (mut rest, start) = parse_node_pattern(input)?;
    let mut steps = Vec::new();
    while at_symbol(rest, "-") || at_symbol(rest, "<-") {
        let step_start = ws(rest);
        let (after_edge, edge) = parse_edge_pattern(step_start)?;
        let (after_node, node) = cut(parse_node_pattern).parse(after_edge)?;
        steps.push(PatternStep {
            edge,
            node,
            span: sp(step_start, after_node),
        });
        rest = after_node;
    }
    Ok((
        rest,
        Pattern {
            start,
            steps,
            span: sp(input, rest),
        },
    ))
}

/// `node_pattern = "(" [WORD] [":" KIND] ["{" prop {"," prop} "}"] ")"`
fn parse_node_pattern(input: &str) -> PResult<'_, NodePattern> {
    let input = ws(input);
    let (rest, _) = symbol("(")(input)
        .or_else(|_| PErr::expected(input, vec!["`(` (a node pattern)".into()]).error())?;
    let (rest, var) = match raw_word(ws(rest)) {
        Some(_) => word(rest).map(|(rest, var)| (rest, Some(var)))?,
        None => (rest, None),
    };
    let (rest, kind) = match ws(rest).strip_prefix(':') {
        Some(after) => cut(parse_pattern_kind)
            .parse(after)
            .map(|(rest, kind)| (rest, Some(kind)))?,
        None => (rest, None),
    };
    let (rest, props) = if at_symbol(rest, "{") {
        let (after, _) = symbol("{")(rest)?;
        let (after, props) = parse_comma_list(after, parse_prop)?;
        let (after, _) = closing(after, "}", "{")?;
        (after, props)
    } else {
        (rest, Vec::new())
    };
    let (rest, _) = closing(rest, ")", "(")?;
    Ok((
        rest,
        NodePattern {
            var,
            kind,
            props,
            span: sp(input, rest),
        },
    ))
}

fn parse_pattern_kind(input: &str) -> PResult<'_, Spanned<String>> {
    let (rest, kind) = word(input).or_else(|_| {
        PErr::expected(ws(input), keywords::expected_words(Category::NodeKind)).error()
    })?;
    match keywords::lookup(Category::NodeKind, &kind.value).filter(|entry| entry.word != "node") {
        Some(entry) => Ok((rest, Spanned::new(entry.word.to_string(), kind.span))),
        None => {
            let message = format!("unknown node kind `{}`", clip(&kind.value));
            let err = PErr::custom(SyntaxErrorKind::UnknownNodeKind, kind.span, message);
            let err = err.with_expected(keywords::expected_words(Category::NodeKind));
            err.with_hint(keywords::suggest_in(Category::NodeKind, &kind.value))
                .failure()
        }
    }
}

/// `prop = WORD ":" expr`
fn parse_prop(input: &str) -> PResult<'_, PropConstraint> {
    let input = ws(input);
    let (rest, key) = word(input)?;
    let (rest, _) = cut(symbol(":")).parse(rest)?;
    let (rest, value) = cut(|i| parse_expr(i, 1)).parse(rest)?;
    Ok((
        rest,
        PropConstraint {
            key,
            value,
            span: sp(input, rest),
        },
    ))
}

/// `edge_pattern = ["<"] "-" ["[" edge_body "]"] "-" [">"]` (not both arrows)
fn parse_edge_pattern(input: &str) -> PResult<'_, EdgePattern> {
    let (rest, left_arrow) = match input.strip_prefix("<-") {
        Some(after) => (after, true),
        None => (input.strip_prefix('-').unwrap_or(input), false),
    };
    let (rest, (var, kinds, hops)) = if at_symbol(rest, "[") {
        let (after, _) = symbol("[")(rest)?;
        let (after, body) = parse_edge_body(after)?;
        let (after, _) = closing(after, "]", "[")?;
        (after, body)
    } else {
        (rest, (None, Vec::new(), None))
    };
    let (rest, _) = cut(symbol("-")).parse(rest)?;
    let (rest, right_arrow) = match rest.strip_prefix('>') {
        Some(after) => (after, true),
        None => (rest, false),
    };
    let direction = match (left_arrow, right_arrow) {
        (false, true) => Direction::Out,
        (true, false) => Direction::In,
        (false, false) => Direction::Either,
        (true, true) => {
            let message = "an edge pattern points one way: `-->`, `<--` or `--`".to_string();
            return PErr::custom(SyntaxErrorKind::Unexpected, sp(input, rest), message).failure();
        }
    };
    Ok((
        rest,
        EdgePattern {
            direction,
            var,
            kinds,
            hops,
            span: sp(input, rest),
        },
    ))
}

type EdgeBody = (Option<Spanned<String>>, Vec<Spanned<String>>, Option<Hops>);

/// `edge_body = [WORD] [":" EDGE_KIND {"|" EDGE_KIND}] [hops]`
fn parse_edge_body(input: &str) -> PResult<'_, EdgeBody> {
    let (mut rest, var) = match raw_word(ws(input)) {
        Some(_) => word(input).map(|(rest, var)| (rest, Some(var)))?,
        None => (input, None),
    };
    let mut kinds = Vec::new();
    if let Some(after_colon) = ws(rest).strip_prefix(':') {
        let (after, first) = cut(parse_edge_kind).parse(after_colon)?;
        kinds.push(first);
        rest = after;
        while let Some(after_bar) = ws(rest).strip_prefix('|') {
            let (after, kind) = cut(parse_edge_kind).parse(after_bar)?;
            kinds.push(kind);
            rest = after;
        }
    }
    let (rest, hops) = match ws(rest).strip_prefix('*') {
        Some(_) => parse_hops(ws(rest)).map(|(rest, hops)| (rest, Some(hops)))?,
        None => (rest, None),
    };
    Ok((rest, (var, kinds, hops)))
}

/// `hops = "*" [INTEGER] [".." [INTEGER]]`
fn parse_hops(input: &str) -> PResult<'_, Hops> {
    let rest = input.strip_prefix('*').unwrap_or(input);
    let (rest, min) = hop_number(rest)?;
    let (rest, range, max) = match ws(rest).strip_prefix("..") {
        Some(after) => {
            let (after, max) = hop_number(after)?;
            (after, true, max)
        }
        None => (rest, false, None),
    };
    let span = sp(input, rest);
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            let message = format!("hop range `*{min}..{max}` is empty");
            return PErr::custom(SyntaxErrorKind::InvalidCount, span, message).failure();
        }
    }
    Ok((
        rest,
        Hops {
            min,
            max,
            range,
            span,
        },
    ))
}

fn hop_number(input: &str) -> PResult<'_, Option<u32>> {
    let after_ws = ws(input);
    let digits = after_ws
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_ws.len());
    if digits == 0 {
        return Ok((input, None));
    }
    let (text, rest) = after_ws.split_at(digits);
    match text.parse::<u32>() {
        Ok(value) => Ok((rest, Some(value))),
        Err(_) => {
            let message = format!("hop count `{}` is too large", clip(text));
            PErr::custom(SyntaxErrorKind::InvalidCount, sp(after_ws, rest), message).failure()
        }
    }
}
