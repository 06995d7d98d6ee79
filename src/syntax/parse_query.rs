//! Queries: a source, its modifiers and its pipeline stages.

use nom::Parser;
use nom::combinator::cut;

use super::ast::{
    Arg, ExportFormat, Modifier, NodeArg, Number, Projection, Query, Scenario, SortKey, Stage,
};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{
    after_phrase, at_keyword, keyword, param, peek_word, raw_word, sp, string_lit, word, ws,
};
use super::parse_expr::parse_expr;
use super::parse_node::{is_stop_word, parse_count_arg, parse_date_arg, parse_node_arg};
use super::parse_source::parse_source;
use super::span::{Span, Spanned};

/// `query = source {modifier} {"|" stage}`
pub(crate) fn parse_query(input: &str) -> PResult<'_, Query> {
    let input = ws(input);
    let (rest, source) = parse_source(input)?;
    let (rest, modifiers) = parse_modifiers(rest)?;
    let (rest, stages) = parse_stages(rest)?;
    let span = sp(input, rest);
    let query = Query {
        source,
        modifiers,
        stages,
        span,
    };
    expect_end(input, rest, &query)?;
    Ok((rest, query))
}

/// Everything a query could continue with at its end, for the error message.
fn expect_end<'a>(input: &'a str, rest: &'a str, query: &Query) -> Result<(), nom::Err<PErr>> {
    let rest = ws(rest);
    if rest.is_empty() {
        return Ok(());
    }
    if rest.starts_with([')', ']', '}']) {
        let message = format!("unmatched `{}`", &rest[..1]);
        return PErr::custom(
            SyntaxErrorKind::UnbalancedBracket,
            Span::new(rest.len(), rest.len() - 1),
            message,
        )
        .failure();
    }
    let mut expected: Vec<String> = Vec::new();
    if query.stages.is_empty() {
        expected.extend(
            query
                .source
                .clause_words()
                .iter()
                .map(|word| format!("`{word}`")),
        );
        expected.extend(keywords::expected_words(Category::Modifier));
    }
    expected.push("`|`".into());
    expected.push("end of statement".into());
    let err = PErr::expected(rest, expected)
        .with_kind(SyntaxErrorKind::TrailingInput)
        .with_hint(kind_colon_hint(input, rest));
    err.failure()
}

/// `to policy cn-mofcom-2024-46`: a kind word read as a node, then a bare
/// name. Suggests the colon form, which is what the user meant.
fn kind_colon_hint(input: &str, rest: &str) -> Option<String> {
    let consumed = input
        .get(..input.len().checked_sub(rest.len())?)?
        .trim_end();
    let last = consumed.rsplit(|c: char| c.is_whitespace()).next()?;
    let kind = keywords::lookup(Category::NodeKind, last)
        .filter(|entry| entry.word != "node")?
        .word;
    let name = peek_word(rest)?;
    Some(format!(
        "to name a {kind} by a bare id, join kind and name with a colon: `{kind}:{name}` (or quote the name: `{kind} \"{name}\"`)"
    ))
}

/// `modifier = "as of" date_arg | "assuming" scenario {"and" scenario}`
/// (`as of` at most once; `assuming` repeats: the scenarios apply together)
fn parse_modifiers(mut input: &str) -> PResult<'_, Vec<Modifier>> {
    let mut modifiers: Vec<Modifier> = Vec::new();
    loop {
        let start = ws(input);
        let (rest, modifier) = if let Some(after) = after_phrase(start, "as of") {
            let (rest, date) = cut(parse_date_arg).parse(after)?;
            (
                rest,
                Modifier::AsOf {
                    date,
                    span: sp(start, rest),
                },
            )
        } else if let Some(after) = after_phrase(start, "assuming") {
            // `assuming A and B` is `assuming A assuming B`: several
            // scenarios applied together.
            let (mut clause_start, mut after) = (start, after);
            loop {
                let (rest, scenario) = cut(parse_scenario).parse(after)?;
                modifiers.push(Modifier::Assuming {
                    scenario,
                    span: sp(clause_start, rest),
                });
                match after_phrase(rest, "and") {
                    Some(next) => (clause_start, after) = (ws(rest), next),
                    None => {
                        input = rest;
                        break;
                    }
                }
            }
            continue;
        } else if at_keyword(start, "as") {
            return PErr::expected(ws(&start[2..]), vec!["`of`".into()]).failure();
        } else {
            return Ok((input, modifiers));
        };
        let same =
            |other: &Modifier| std::mem::discriminant(other) == std::mem::discriminant(&modifier);
        if modifiers.iter().any(same) {
            return duplicate(start, rest, "modifier");
        }
        modifiers.push(modifier);
        input = rest;
    }
}

/// A "duplicate clause" error over `start..rest`.
pub(crate) fn duplicate<'a, T>(start: &'a str, rest: &'a str, what: &str) -> PResult<'a, T> {
    let word = peek_word(start).unwrap_or("");
    let message = format!("the {what} `{}` may appear only once", word.to_lowercase());
    PErr::custom(SyntaxErrorKind::DuplicateClause, sp(start, rest), message).failure()
}

/// `scenario = node_arg ("bans" node_arg ["to" node_arg]
///   | "cuts" node_arg "by" fraction ["to" node_arg] | "lifted" | "in force")`
fn parse_scenario(input: &str) -> PResult<'_, Scenario> {
    let input = ws(input);
    let (rest, subject) = parse_node_arg(input)?;
    if let Some(after) = after_phrase(rest, "bans") {
        let (rest, (item, destination)) = parse_ban(after)?;
        let span = sp(input, rest);
        let country = subject;
        return Ok((
            rest,
            Scenario::Ban {
                country,
                item,
                destination,
                span,
            },
        ));
    }
    if let Some(after) = after_phrase(rest, "cuts") {
        let (rest, (item, fraction, destination)) = parse_cut(after)?;
        let span = sp(input, rest);
        let country = subject;
        return Ok((
            rest,
            Scenario::Cut {
                country,
                item,
                fraction,
                destination,
                span,
            },
        ));
    }
    if let Some(after) = after_phrase(rest, "lifted") {
        let span = sp(input, after);
        return Ok((
            after,
            Scenario::Lifted {
                policy: subject,
                span,
            },
        ));
    }
    if let Some(after) = after_phrase(rest, "in force") {
        let span = sp(input, after);
        return Ok((
            after,
            Scenario::InForce {
                policy: subject,
                span,
            },
        ));
    }
    PErr::expected(ws(rest), keywords::expected_words(Category::Scenario)).failure()
}

/// After `bans`: `node_arg ["to" node_arg]`.
fn parse_ban(input: &str) -> PResult<'_, (NodeArg, Option<NodeArg>)> {
    let (rest, item) = cut(parse_node_arg).parse(input)?;
    let (rest, destination) = parse_destination(rest)?;
    Ok((rest, (item, destination)))
}

/// After `cuts`: `node_arg "by" fraction ["to" node_arg]`.
fn parse_cut(input: &str) -> PResult<'_, (NodeArg, Arg<Number>, Option<NodeArg>)> {
    let (rest, item) = cut(parse_node_arg).parse(input)?;
    let (rest, _) = cut(keyword("by")).parse(rest)?;
    let (rest, fraction) = cut(parse_fraction).parse(rest)?;
    let (rest, destination) = parse_destination(rest)?;
    Ok((rest, (item, fraction, destination)))
}

/// `["to" node_arg]`
fn parse_destination(input: &str) -> PResult<'_, Option<NodeArg>> {
    match after_phrase(input, "to") {
        Some(after) => cut(parse_node_arg)
            .parse(after)
            .map(|(rest, node)| (rest, Some(node))),
        None => Ok((input, None)),
    }
}

/// `fraction = param | NUMBER | PERCENT` in 0..=1 (`50%` or `0.5`).
fn parse_fraction(input: &str) -> PResult<'_, Arg<Number>> {
    let input = ws(input);
    if input.starts_with('$') {
        return param(input).map(|(rest, param)| (rest, Arg::Param(param)));
    }
    match super::lex::numeric(input) {
        Ok((rest, super::lex::Numeric::Number(number))) if (0.0..=1.0).contains(&number.value) => {
            Ok((rest, Arg::Lit(number)))
        }
        Ok((rest, _)) => {
            let message =
                "a cut is a fraction between 0 and 1 or a percentage like `50%`".to_string();
            PErr::custom(SyntaxErrorKind::InvalidFraction, sp(input, rest), message).failure()
        }
        Err(_) => PErr::expected(
            input,
            vec!["a percentage like `50%` or a fraction like `0.5`".into()],
        )
        .error(),
    }
}

/// `"|" stage`, repeated.
fn parse_stages(mut input: &str) -> PResult<'_, Vec<Stage>> {
    let mut stages = Vec::new();
    while let Some(after_bar) = ws(input).strip_prefix('|') {
        let (rest, stage) = parse_stage(after_bar)?;
        stages.push(stage);
        input = rest;
    }
    Ok((input, stages))
}

/// `stage = "where" expr | "sort" sort_key {"," sort_key} | "take" count
///   | "select" projection {"," projection} | "count" | "chart" | "explain"
///   | "group" "by" projection {"," projection} ["aggregate" projection {"," projection}]
///   | export`
fn parse_stage(input: &str) -> PResult<'_, Stage> {
    let input = ws(input);
    let Some((text, rest)) = raw_word(input) else {
        return PErr::expected(input, keywords::expected_words(Category::Stage)).failure();
    };
    let Some(entry) = keywords::lookup(Category::Stage, text) else {
        return unknown_stage(text, sp(input, rest));
    };
    let no_span = Span::default();
    let (rest, stage) = match entry.word {
        "where" => {
            let (rest, cond) = cut(|i| parse_expr(i, 0)).parse(rest)?;
            (
                rest,
                Stage::Where {
                    cond,
                    span: no_span,
                },
            )
        }
        "sort" => {
            let (rest, keys) = parse_comma_list(rest, parse_sort_key)?;
            (
                rest,
                Stage::Sort {
                    keys,
                    span: no_span,
                },
            )
        }
        "take" => {
            let (rest, count) = cut(|i| parse_count_arg(i, "take", 0)).parse(rest)?;
            (
                rest,
                Stage::Take {
                    count,
                    span: no_span,
                },
            )
        }
        "select" => {
            let (rest, items) = parse_comma_list(rest, parse_projection)?;
            (
                rest,
                Stage::Select {
                    items,
                    span: no_span,
                },
            )
        }
        "count" => (rest, Stage::Count { span: no_span }),
        "chart" => (rest, Stage::Chart { span: no_span }),
        "group" => {
            let (rest, _) = cut(keyword("by")).parse(rest)?;
            let (rest, keys) = parse_comma_list(rest, parse_projection)?;
            let (rest, aggregates) = match after_phrase(rest, "aggregate") {
                Some(after) => parse_comma_list(after, parse_projection)?,
                None => (rest, Vec::new()),
            };
            (
                rest,
                Stage::Group {
                    keys,
                    aggregates,
                    span: no_span,
                },
            )
        }
        "explain" => (rest, Stage::Explain { span: no_span }),
        _ => parse_export(rest)?,
    };
    Ok((rest, stage.with_span(sp(input, rest))))
}

fn unknown_stage<T>(text: &str, span: Span) -> Result<T, nom::Err<PErr>> {
    let message = format!("unknown stage `{}`", clip(text));
    let err = PErr::custom(SyntaxErrorKind::UnknownStage, span, message);
    let err = err.with_expected(keywords::expected_words(Category::Stage));
    err.with_hint(keywords::suggest_in(Category::Stage, text))
        .failure()
}

/// `item {"," item}`, committed.
pub(crate) fn parse_comma_list<'a, T>(
    input: &'a str,
    item: fn(&'a str) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (mut rest, first) = cut(item).parse(input)?;
    let mut items = vec![first];
    while let Some(after_comma) = ws(rest).strip_prefix(',') {
        let (after_item, next) = cut(item).parse(after_comma)?;
        items.push(next);
        rest = after_item;
    }
    Ok((rest, items))
}

/// `sort_key = expr ["asc" | "desc"]`
fn parse_sort_key(input: &str) -> PResult<'_, SortKey> {
    let input = ws(input);
    let (rest, expr) = parse_expr(input, 0)?;
    let (rest, descending) = match (after_phrase(rest, "asc"), after_phrase(rest, "desc")) {
        (Some(after), _) => (after, false),
        (None, Some(after)) => (after, true),
        (None, None) => (rest, false),
    };
    Ok((
        rest,
        SortKey {
            expr,
            descending,
            span: sp(input, rest),
        },
    ))
}

/// `projection = expr ["as" WORD]` (the alias cannot be `of`).
pub(crate) fn parse_projection(input: &str) -> PResult<'_, Projection> {
    let input = ws(input);
    let (rest, expr) = parse_expr(input, 0)?;
    let (rest, alias) = match after_phrase(rest, "as").filter(|after| !at_keyword(after, "of")) {
        Some(after) => {
            let (rest, alias) = cut(word).parse(after)?;
            (rest, Some(alias))
        }
        None => (rest, None),
    };
    Ok((
        rest,
        Projection {
            expr,
            alias,
            span: sp(input, rest),
        },
    ))
}

/// `export = "export" (string | param) ["as" EXPORT_FORMAT] ["force"]`
fn parse_export(input: &str) -> PResult<'_, Stage> {
    let after_ws = ws(input);
    let (rest, file) = if after_ws.starts_with('$') {
        let (rest, param) = param(after_ws)?;
        (rest, Arg::Param(param))
    } else {
        let (rest, file) = cut(string_lit).parse(after_ws)?;
        (rest, Arg::Lit(file))
    };
    let (rest, format) = match after_phrase(rest, "as") {
        Some(after) => {
            let (rest, format) = cut(parse_export_format).parse(after)?;
            (rest, Some(format))
        }
        None => (rest, None),
    };
    let (rest, force) = match after_phrase(rest, "force") {
        Some(after) => (after, true),
        None => (rest, false),
    };
    Ok((
        rest,
        Stage::Export {
            file,
            format,
            force,
            span: Span::default(),
        },
    ))
}

fn parse_export_format(input: &str) -> PResult<'_, Spanned<ExportFormat>> {
    let (rest, name) = word(input).or_else(|_| {
        PErr::expected(ws(input), keywords::expected_words(Category::ExportFormat)).error()
    })?;
    let format = match name.value.to_ascii_lowercase().as_str() {
        "json" => ExportFormat::Json,
        "cytoscape" => ExportFormat::Cytoscape,
        "nodelink" => ExportFormat::NodeLink,
        "graphml" => ExportFormat::GraphMl,
        "dot" => ExportFormat::Dot,
        "cypher" => ExportFormat::Cypher,
        "kuzu" => ExportFormat::Kuzu,
        "csv" => ExportFormat::Csv,
        "neo4j-csv" => ExportFormat::Neo4jCsv,
        "pandas-csv" => ExportFormat::PandasCsv,
        "svg" => ExportFormat::Svg,
        "html" => ExportFormat::Html,
        _ => {
            let message = format!("unknown export format `{}`", clip(&name.value));
            let err = PErr::custom(SyntaxErrorKind::UnknownExportFormat, name.span, message);
            let err = err.with_expected(keywords::expected_words(Category::ExportFormat));
            return err
                .with_hint(keywords::suggest_in(Category::ExportFormat, &name.value))
                .failure();
        }
    };
    Ok((rest, Spanned::new(format, name.span)))
}

/// Whether a bare word at `input` can start a node (not a reserved phrase).
pub(crate) fn at_node(input: &str) -> bool {
    let input = ws(input);
    input.starts_with(['"', '$']) || (raw_word(input).is_some() && !is_stop_word(input))
}
