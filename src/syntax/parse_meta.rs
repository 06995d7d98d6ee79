//! Meta commands: `.help [topic]`, `.schema`, `.kinds`, `.load PATH`,
//! `.format FORMAT`, `.timing on|off`, `.unsourced on|off`, `.param NAME VALUE`, `.sources ID`, `.quit`.

use nom::Parser;
use nom::combinator::cut;

use super::ast::{Meta, MetaCommand, OutputFormat, Word};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{raw_word, sp, string_lit, word, ws};
use super::parse_expr::parse_expr;
use super::span::Spanned;

/// `meta = "." META_COMMAND {argument}`
pub(crate) fn parse_meta(input: &str) -> PResult<'_, Meta> {
    let input = ws(input);
    let after_dot = input.strip_prefix('.').unwrap_or(input);
    let Some((name, rest)) = raw_word(after_dot) else {
        return PErr::expected(after_dot, keywords::expected_words(Category::Meta)).failure();
    };
    let Some(entry) = keywords::lookup(Category::Meta, name) else {
        let message = format!("unknown meta command `.{}`", clip(name));
        let err = PErr::custom(
            SyntaxErrorKind::UnknownMetaCommand,
            sp(input, rest),
            message,
        );
        let err = err.with_expected(keywords::expected_words(Category::Meta));
        return err
            .with_hint(keywords::suggest_in(Category::Meta, name))
            .failure();
    };
    let (rest, command) = match entry.word {
        "help" => parse_help(rest)?,
        "schema" => (rest, MetaCommand::Schema),
        "kinds" => (rest, MetaCommand::Kinds),
        "load" => cut(parse_path_word)
            .parse(rest)
            .map(|(rest, path)| (rest, MetaCommand::Load { path }))?,
        "format" => cut(parse_output_format)
            .parse(rest)
            .map(|(rest, format)| (rest, MetaCommand::Format { format }))?,
        "timing" => cut(parse_on_off)
            .parse(rest)
            .map(|(rest, on)| (rest, MetaCommand::Timing { on }))?,
        "unsourced" => cut(parse_on_off)
            .parse(rest)
            .map(|(rest, on)| (rest, MetaCommand::Unsourced { on }))?,
        "maxrows" => cut(parse_path_word)
            .parse(rest)
            .map(|(rest, count)| (rest, MetaCommand::MaxRows { count }))?,
        "tree" => cut(parse_on_off)
            .parse(rest)
            .map(|(rest, on)| (rest, MetaCommand::Tree { on }))?,
        "explain" => cut(parse_on_off)
            .parse(rest)
            .map(|(rest, on)| (rest, MetaCommand::Explain { on }))?,
        "param" => parse_param_command(rest)?,
        "sources" => cut(parse_path_word)
            .parse(rest)
            .map(|(rest, id)| (rest, MetaCommand::Sources { id }))?,
        _ => (rest, MetaCommand::Quit),
    };
    expect_meta_end(rest)?;
    let span = sp(input, rest);
    Ok((rest, Meta { command, span }))
}

fn expect_meta_end(rest: &str) -> Result<(), nom::Err<PErr>> {
    let after = ws(rest);
    if after.is_empty() {
        return Ok(());
    }
    let err = PErr::expected(after, vec!["end of statement".into()]);
    err.with_kind(SyntaxErrorKind::TrailingInput).failure()
}

/// `help = ".help" [WORD | string]`
fn parse_help(input: &str) -> PResult<'_, MetaCommand> {
    if ws(input).is_empty() {
        return Ok((input, MetaCommand::Help { topic: None }));
    }
    let (rest, topic) = parse_path_word(input)?;
    Ok((rest, MetaCommand::Help { topic: Some(topic) }))
}

/// A quoted string or a run of non-blank characters (a path, an id, a topic).
fn parse_path_word(input: &str) -> PResult<'_, Word> {
    let input = ws(input);
    if input.starts_with('"') {
        return string_lit(input).map(|(rest, lit)| (rest, Spanned::new(lit.value, lit.span)));
    }
    let end = input.find(char::is_whitespace).unwrap_or(input.len());
    if end == 0 {
        return PErr::expected(input, vec!["a path, an id or a topic".into()]).error();
    }
    let (text, rest) = input.split_at(end);
    Ok((rest, Spanned::new(text.to_string(), sp(input, rest))))
}

/// `OUTPUT_FORMAT = "table" | "json" | "jsonl" | "csv" | "markdown"`
fn parse_output_format(input: &str) -> PResult<'_, Spanned<OutputFormat>> {
    let expected = || keywords::expected_words(Category::OutputFormat);
    let (rest, name) = word(input).or_else(|_| PErr::expected(ws(input), expected()).error())?;
    let format = match name.value.to_ascii_lowercase().as_str() {
        "table" => OutputFormat::Table,
        "json" => OutputFormat::Json,
        "jsonl" => OutputFormat::Jsonl,
        "csv" => OutputFormat::Csv,
        "markdown" => OutputFormat::Markdown,
        _ => {
            let message = format!("unknown output format `{}`", clip(&name.value));
            let err = PErr::custom(SyntaxErrorKind::UnknownOutputFormat, name.span, message);
            let err = err.with_expected(expected());
            return err
                .with_hint(keywords::suggest_in(Category::OutputFormat, &name.value))
                .failure();
        }
    };
    Ok((rest, Spanned::new(format, name.span)))
}

/// `"on" | "off"`
fn parse_on_off(input: &str) -> PResult<'_, Spanned<bool>> {
    let expected = || PErr::expected(ws(input), vec!["`on`".into(), "`off`".into()]);
    let (rest, name) = word(input).or_else(|_| expected().error())?;
    match name.value.to_ascii_lowercase().as_str() {
        "on" => Ok((rest, Spanned::new(true, name.span))),
        "off" => Ok((rest, Spanned::new(false, name.span))),
        _ => expected().failure(),
    }
}

/// `param = ".param" ["$"] WORD expr`
fn parse_param_command(input: &str) -> PResult<'_, MetaCommand> {
    let after_ws = ws(input);
    let without_dollar = after_ws.strip_prefix('$').unwrap_or(after_ws);
    let (rest, name) = cut(word).parse(without_dollar)?;
    let (rest, value) = cut(|i| parse_expr(i, 0)).parse(rest)?;
    Ok((rest, MetaCommand::Param { name, value }))
}
