//! Token-level parsers shared by the grammar rules: whitespace and comments,
//! words, keywords, symbols, strings, parameters, numbers, dates and counts.
//!
//! Every token parser skips leading whitespace itself and never consumes
//! trailing whitespace, so a span always covers the token only. Spans made
//! here are parser-relative (remaining lengths, see [`sp`]).

use super::ast::{Count, DateLit, Number, Param, StrLit, Word};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::span::{Span, Spanned};

/// The parser-relative span between two suffixes of the statement.
pub(crate) fn sp(before: &str, after: &str) -> Span {
    Span::new(before.len(), after.len())
}

/// Skips whitespace (newlines included) and `#` comments.
pub(crate) fn ws(mut input: &str) -> &str {
    loop {
        let trimmed = input.trim_start();
        match trimmed.strip_prefix('#') {
            Some(comment) => input = comment.find('\n').map_or("", |idx| &comment[idx..]),
            None => return trimmed,
        }
    }
}

pub(crate) fn is_word_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// A word at the very start of `input` (no whitespace skipped): `(word, rest)`.
pub(crate) fn raw_word(input: &str) -> Option<(&str, &str)> {
    let first = input.chars().next()?;
    if !is_word_start(first) {
        return None;
    }
    let end = input
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(input.len(), |(idx, _)| idx);
    Some(input.split_at(end))
}

/// The next word after whitespace, if any.
pub(crate) fn peek_word(input: &str) -> Option<&str> {
    raw_word(ws(input)).map(|(word, _)| word)
}

/// Whether the next word is `keyword` (case-insensitive).
pub(crate) fn at_keyword(input: &str, keyword: &str) -> bool {
    peek_word(input).is_some_and(|word| word.eq_ignore_ascii_case(keyword))
}

/// The input after `phrase` (one or more space-separated keywords), if it is next.
pub(crate) fn after_phrase<'a>(input: &'a str, phrase: &str) -> Option<&'a str> {
    let mut rest = input;
    for part in phrase.split(' ') {
        let (word, after) = raw_word(ws(rest))?;
        if !word.eq_ignore_ascii_case(part) {
            return None;
        }
        rest = after;
    }
    Some(rest)
}

/// Any word.
pub(crate) fn word(input: &str) -> PResult<'_, Word> {
    let input = ws(input);
    match raw_word(input) {
        Some((text, rest)) => Ok((rest, Spanned::new(text.to_string(), sp(input, rest)))),
        None => PErr::expected(input, vec!["a word".into()]).error(),
    }
}

/// The keyword or phrase `phrase` (case-insensitive).
pub(crate) fn keyword(phrase: &'static str) -> impl Fn(&str) -> PResult<'_, Span> {
    move |input: &str| {
        let input = ws(input);
        match after_phrase(input, phrase) {
            Some(rest) => Ok((rest, sp(input, rest))),
            None => PErr::expected(input, vec![format!("`{phrase}`")]).error(),
        }
    }
}

/// Whether `symbol` comes next.
pub(crate) fn at_symbol(input: &str, symbol: &str) -> bool {
    ws(input).starts_with(symbol)
}

/// The punctuation `symbol`.
pub(crate) fn symbol(symbol: &'static str) -> impl Fn(&str) -> PResult<'_, Span> {
    move |input: &str| {
        let input = ws(input);
        match input.strip_prefix(symbol) {
            Some(rest) => Ok((rest, sp(input, rest))),
            None => PErr::expected(input, vec![format!("`{symbol}`")]).error(),
        }
    }
}

/// The closing `close` of a bracket opened at `open` (parser-relative).
pub(crate) fn closing<'a>(input: &'a str, close: &'static str, open: &str) -> PResult<'a, Span> {
    symbol(close)(input).or_else(|_| {
        let at = ws(input);
        PErr::expected(at, vec![format!("`{close}`")])
            .with_kind(SyntaxErrorKind::UnbalancedBracket)
            .with_hint(Some(format!("`{open}` is not closed")))
            .failure()
    })
}

/// A double-quoted string with `\"`, `\\`, `\n` and `\t` escapes.
pub(crate) fn string_lit(input: &str) -> PResult<'_, StrLit> {
    let input = ws(input);
    let Some(body) = input.strip_prefix('"') else {
        return PErr::expected(input, vec!["a quoted string".into()]).error();
    };
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((idx, c)) = chars.next() {
        match c {
            '"' => {
                let rest = &body[idx + 1..];
                return Ok((
                    rest,
                    StrLit {
                        value,
                        span: sp(input, rest),
                    },
                ));
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, escaped @ ('"' | '\\'))) => value.push(escaped),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            _ => value.push(c),
        }
    }
    let message = "unclosed quote: a string needs a closing `\"`".to_string();
    PErr::custom(
        SyntaxErrorKind::UnclosedQuote,
        Span::new(input.len(), 0),
        message,
    )
    .failure()
}

/// `$name`.
pub(crate) fn param(input: &str) -> PResult<'_, Param> {
    let input = ws(input);
    let Some(after_dollar) = input.strip_prefix('$') else {
        return PErr::expected(input, vec!["a `$parameter`".into()]).error();
    };
    match raw_word(after_dollar) {
        Some((name, rest)) => Ok((
            rest,
            Param {
                name: name.to_string(),
                span: sp(input, rest),
            },
        )),
        None => PErr::expected(after_dollar, vec!["a parameter name after `$`".into()]).failure(),
    }
}

/// A literal that starts with a digit.
pub(crate) enum Numeric {
    Number(Number),
    Date(DateLit),
}

/// A number (`3`, `0.5`, `80%`) or a date (`2024-12-03`, `2025-06`).
///
/// A bare `2025` is a number here; [`date_arg`] reads it as a year. Fails
/// recoverably on a word that merely starts with a digit (`3d-printing`).
pub(crate) fn numeric(input: &str) -> PResult<'_, Numeric> {
    let input = ws(input);
    let Some((text, rest)) =
        raw_word(input).filter(|(text, _)| text.starts_with(|c: char| c.is_ascii_digit()))
    else {
        return PErr::expected(input, vec!["a number".into()]).error();
    };
    if let Some(after_percent) = rest.strip_prefix('%') {
        let span = sp(input, after_percent);
        return match decimal(text) {
            Some(value) => Ok((
                after_percent,
                Numeric::Number(Number {
                    value: value / 100.0,
                    text: format!("{text}%"),
                    span,
                }),
            )),
            None => invalid_number(text, span),
        };
    }
    let span = sp(input, rest);
    if let Some(date) = date_shape(text) {
        return validate_date(date, text, span).map(|date| (rest, Numeric::Date(date)));
    }
    match decimal(text) {
        Some(value) => Ok((
            rest,
            Numeric::Number(Number {
                value,
                text: text.to_string(),
                span,
            }),
        )),
        None if text.chars().any(char::is_alphabetic) => {
            PErr::expected(input, vec!["a number".into()]).error()
        }
        None => invalid_number(text, span),
    }
}

fn invalid_number<T>(text: &str, span: Span) -> Result<T, nom::Err<PErr>> {
    let message = format!(
        "`{}` is not a number (subtract with spaces: `a - b`)",
        clip(text)
    );
    PErr::custom(SyntaxErrorKind::InvalidNumber, span, message).failure()
}

/// `DIGITS[.DIGITS]` as a number.
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(whole) && all_digits(fraction)) {
        return None;
    }
    text.parse().ok()
}

/// `YYYY-MM` or `YYYY-MM-DD` split into its digit groups, if shaped so.
fn date_shape(text: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut parts = text.split('-');
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next();
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(year, 4)
        && digits(month, 2)
        && day.is_none_or(|day| digits(day, 2))
        && parts.next().is_none();
    ok.then_some((year, month, day))
}

fn validate_date(
    shape: (&str, &str, Option<&str>),
    text: &str,
    span: Span,
) -> Result<DateLit, nom::Err<PErr>> {
    let (year, month, day) = shape;
    let year: i32 = year.parse().unwrap_or(0);
    let month: u32 = month.parse().unwrap_or(0);
    let day: Option<u32> = day.map(|day| day.parse().unwrap_or(0));
    let month_ok = (1..=12).contains(&month);
    let day_ok = day.is_none_or(|day| day >= 1 && day <= days_in_month(year, month));
    if month_ok && day_ok {
        return Ok(DateLit {
            year,
            month: Some(month),
            day,
            span,
        });
    }
    let message = format!("`{}` is not a valid date", clip(text));
    let err = PErr::custom(SyntaxErrorKind::InvalidDate, span, message);
    Err(nom::Err::Failure(err.with_hint(Some(
        "dates are YYYY-MM-DD, YYYY-MM or YYYY".into(),
    ))))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date where only a date may stand (`as of`, `from`, `to`): `2025` is a year.
pub(crate) fn date_lit(input: &str) -> PResult<'_, DateLit> {
    let input = ws(input);
    let expected = || vec!["a date like `2024-12-03`, `2025-06` or `2025`".to_string()];
    let Some((text, rest)) = raw_word(input) else {
        return PErr::expected(input, expected()).error();
    };
    let span = sp(input, rest);
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year = text.parse().unwrap_or(0);
        return Ok((
            rest,
            DateLit {
                year,
                month: None,
                day: None,
                span,
            },
        ));
    }
    match date_shape(text) {
        Some(shape) => validate_date(shape, text, span).map(|date| (rest, date)),
        None if text.starts_with(|c: char| c.is_ascii_digit()) => {
            let message = format!("`{}` is not a valid date", clip(text));
            let err = PErr::custom(SyntaxErrorKind::InvalidDate, span, message);
            err.with_expected(expected()).failure()
        }
        None => PErr::expected(input, expected()).error(),
    }
}

/// A whole number of at least `min`, for the clause `what` (`depth`, `take`).
pub(crate) fn count_lit<'a>(input: &'a str, what: &str, min: u64) -> PResult<'a, Count> {
    let input = ws(input);
    let end = input
        .find(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | '#' | ')' | ','))
        .unwrap_or(input.len());
    let (text, rest) = input.split_at(end);
    let span = sp(input, rest);
    let looks_numeric =
        text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
    if !looks_numeric {
        return PErr::expected(input, vec![format!("a whole number after `{what}`")]).error();
    }
    match text.parse::<u64>() {
        Ok(value) if value >= min => Ok((rest, Count { value, span })),
        _ => {
            let wanted = if min == 0 {
                String::new()
            } else {
                format!(" of at least {min}")
            };
            let shown: String = text.chars().take(40).collect();
            let message = format!("`{what}` needs a whole number{wanted}, found `{shown}`");
            PErr::custom(SyntaxErrorKind::InvalidCount, span, message).failure()
        }
    }
}
