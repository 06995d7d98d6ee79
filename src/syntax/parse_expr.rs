//! Expressions, by precedence from loosest to tightest:
//! `or` < `and` < `not` < comparison and `in` < `+ -` < `* /` < unary `-` < atom.

use nom::Parser;
use nom::combinator::cut;

use super::ast::{BinaryOp, Expr, UnaryOp};
use super::error::{PErr, PResult, SyntaxErrorKind};
use super::keywords::{self, Category};
use super::lex::{
    Numeric, after_phrase, at_symbol, closing, numeric, param, raw_word, sp, string_lit, symbol, ws,
};
use super::parse_node::parse_node_ref;
use super::span::{Span, Spanned};

/// How deeply expressions may nest (brackets, `not`, unary minus).
pub const MAX_DEPTH: usize = 128;

/// `expr = or_expr`
pub(crate) fn parse_expr(input: &str, depth: usize) -> PResult<'_, Expr> {
    guard_depth(input, depth)?;
    parse_or(input, depth)
}

fn guard_depth(input: &str, depth: usize) -> Result<(), nom::Err<PErr>> {
    if depth <= MAX_DEPTH {
        return Ok(());
    }
    let at = ws(input);
    let message = format!("expression nested too deeply (more than {MAX_DEPTH} levels)");
    PErr::custom(SyntaxErrorKind::TooDeep, sp(at, at), message).failure()
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span().to(rhs.span());
    Expr::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        span,
    }
}

/// `or_expr = and_expr { "or" and_expr }`
fn parse_or(input: &str, depth: usize) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = parse_and(input, depth)?;
    while let Some(after_op) = after_phrase(rest, "or") {
        let (after_rhs, rhs) = cut(|i| parse_and(i, depth)).parse(after_op)?;
        lhs = binary(BinaryOp::Or, lhs, rhs);
        rest = after_rhs;
    }
    Ok((rest, lhs))
}

/// `and_expr = not_expr { "and" not_expr }`
fn parse_and(input: &str, depth: usize) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = parse_not(input, depth)?;
    while let Some(after_op) = after_phrase(rest, "and") {
        let (after_rhs, rhs) = cut(|i| parse_not(i, depth)).parse(after_op)?;
        lhs = binary(BinaryOp::And, lhs, rhs);
        rest = after_rhs;
    }
    Ok((rest, lhs))
}

/// `not_expr = "not" not_expr | comparison`
fn parse_not(input: &str, depth: usize) -> PResult<'_, Expr> {
    let input = ws(input);
    let Some(after_not) = after_phrase(input, "not") else {
        return parse_comparison(input, depth);
    };
    guard_depth(after_not, depth + 1)?;
    let (rest, operand) = cut(|i| parse_not(i, depth + 1)).parse(after_not)?;
    let span = sp(input, "").to(operand.span());
    let expr = Expr::Unary {
        op: UnaryOp::Not,
        operand: Box::new(operand),
        span,
    };
    Ok((rest, expr))
}

const COMPARISONS: &[(&str, BinaryOp)] = &[
    ("<=", BinaryOp::Le),
    (">=", BinaryOp::Ge),
    ("!=", BinaryOp::Ne),
    ("<>", BinaryOp::Ne),
    ("==", BinaryOp::Eq),
    ("=", BinaryOp::Eq),
    ("<", BinaryOp::Lt),
    (">", BinaryOp::Gt),
];

/// `comparison = additive [ CMP_OP additive | ["not"] "in" "(" expr {"," expr} ")" ]`
fn parse_comparison(input: &str, depth: usize) -> PResult<'_, Expr> {
    let (rest, lhs) = parse_additive(input, depth)?;
    let after_ws = ws(rest);
    if let Some((symbol_text, op)) = COMPARISONS
        .iter()
        .find(|(text, _)| after_ws.starts_with(text))
    {
        let after_op = &after_ws[symbol_text.len()..];
        let (rest, rhs) = cut(|i| parse_additive(i, depth)).parse(after_op)?;
        return Ok((rest, binary(*op, lhs, rhs)));
    }
    let (negated, after_in) = match (after_phrase(rest, "in"), after_phrase(rest, "not in")) {
        (Some(after_in), _) => (false, after_in),
        (None, Some(after_in)) => (true, after_in),
        (None, None) => return Ok((rest, lhs)),
    };
    let (rest, list) = cut(|i| parse_in_list(i, depth)).parse(after_in)?;
    let span = lhs.span().to(sp("", rest));
    Ok((
        rest,
        Expr::In {
            operand: Box::new(lhs),
            list,
            negated,
            span,
        },
    ))
}

/// `"(" expr {"," expr} ")"`
fn parse_in_list(input: &str, depth: usize) -> PResult<'_, Vec<Expr>> {
    let (rest, _) = symbol("(")(input)?;
    let (rest, list) = parse_expr_list(rest, depth + 1)?;
    let (rest, _) = closing(rest, ")", "(")?;
    Ok((rest, list))
}

/// `expr {"," expr}` (after a committing bracket).
fn parse_expr_list(input: &str, depth: usize) -> PResult<'_, Vec<Expr>> {
    let (mut rest, first) = cut(|i| parse_expr(i, depth)).parse(input)?;
    let mut list = vec![first];
    while let Ok((after_comma, _)) = symbol(",")(rest) {
        let (after_item, item) = cut(|i| parse_expr(i, depth)).parse(after_comma)?;
        list.push(item);
        rest = after_item;
    }
    Ok((rest, list))
}

/// `additive = multiplicative { ("+" | "-") multiplicative }`
fn parse_additive(input: &str, depth: usize) -> PResult<'_, Expr> {
    let ops = [("+", BinaryOp::Add), ("-", BinaryOp::Sub)];
    parse_left_assoc(input, depth, &ops, parse_multiplicative)
}

/// `multiplicative = unary { ("*" | "/") unary }`
fn parse_multiplicative(input: &str, depth: usize) -> PResult<'_, Expr> {
    let ops = [("*", BinaryOp::Mul), ("/", BinaryOp::Div)];
    parse_left_assoc(input, depth, &ops, parse_unary)
}

type Rule = for<'a> fn(&'a str, usize) -> PResult<'a, Expr>;

fn parse_left_assoc<'a>(
    input: &'a str,
    depth: usize,
    ops: &[(&str, BinaryOp)],
    operand: Rule,
) -> PResult<'a, Expr> {
    let (mut rest, mut lhs) = operand(input, depth)?;
    loop {
        let after_ws = ws(rest);
        let Some((text, op)) = ops.iter().find(|(text, _)| after_ws.starts_with(text)) else {
            return Ok((rest, lhs));
        };
        if after_ws.starts_with("->") {
            return Ok((rest, lhs));
        }
        let (after_rhs, rhs) = cut(|i| operand(i, depth)).parse(&after_ws[text.len()..])?;
        lhs = binary(*op, lhs, rhs);
        rest = after_rhs;
    }
}

/// `unary = "-" unary | atom`
fn parse_unary(input: &str, depth: usize) -> PResult<'_, Expr> {
    let input = ws(input);
    let Some(after_minus) = input.strip_prefix('-') else {
        return parse_atom(input, depth);
    };
    guard_depth(after_minus, depth + 1)?;
    let (rest, operand) = cut(|i| parse_unary(i, depth + 1)).parse(after_minus)?;
    let span = sp(input, "").to(operand.span());
    Ok((
        rest,
        Expr::Unary {
            op: UnaryOp::Neg,
            operand: Box::new(operand),
            span,
        },
    ))
}

/// `atom = "(" expr ")" | string | param | number | date | call | node_ref | word`
fn parse_atom(input: &str, depth: usize) -> PResult<'_, Expr> {
    let input = ws(input);
    match input.chars().next() {
        Some('(') => {
            let (rest, _) = symbol("(")(input)?;
            let (rest, inner) = cut(|i| parse_expr(i, depth + 1)).parse(rest)?;
            let (rest, _) = closing(rest, ")", "(")?;
            Ok((rest, inner))
        }
        Some('"') => string_lit(input).map(|(rest, lit)| (rest, Expr::Str(lit))),
        Some('$') => param(input).map(|(rest, param)| (rest, Expr::Param(param))),
        Some(c) if c.is_ascii_digit() => match numeric(input) {
            Ok((rest, Numeric::Number(number))) => Ok((rest, Expr::Number(number))),
            Ok((rest, Numeric::Date(date))) => Ok((rest, Expr::Date(date))),
            Err(nom::Err::Error(_)) => parse_word_atom(input, depth),
            Err(other) => Err(other),
        },
        _ => parse_word_atom(input, depth),
    }
}

/// `true`, `false`, `null`, a call, a `kind:name` node or a plain word.
fn parse_word_atom(input: &str, depth: usize) -> PResult<'_, Expr> {
    let expected = || PErr::expected(input, vec!["an expression".into()]);
    let Some((text, rest)) = raw_word(input) else {
        return expected().error();
    };
    let span = sp(input, rest);
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "true" | "false" => {
            return Ok((
                rest,
                Expr::Bool {
                    value: lower == "true",
                    span,
                },
            ));
        }
        "null" => return Ok((rest, Expr::Null { span })),
        "and" | "or" => return expected().error(),
        _ => {}
    }
    if at_symbol(rest, "(") {
        return parse_call(input, depth);
    }
    if rest.starts_with(':') {
        return parse_node_ref(input).map(|(rest, node)| (rest, Expr::Node(node)));
    }
    Ok((rest, Expr::Ident(Spanned::new(text.to_string(), span))))
}

/// `call = FUNCTION "(" [expr {"," expr}] ")"`
fn parse_call(input: &str, depth: usize) -> PResult<'_, Expr> {
    let (text, after_name) = raw_word(input).unwrap_or(("", input));
    let name_span = sp(input, after_name);
    let Some(function) = keywords::lookup(Category::Function, text) else {
        let message = format!("unknown function `{text}`");
        let err = PErr::custom(SyntaxErrorKind::UnknownFunction, name_span, message);
        let err = err.with_expected(keywords::expected_words(Category::Function));
        return err
            .with_hint(keywords::suggest_in(Category::Function, text))
            .failure();
    };
    let (rest, _) = symbol("(")(after_name)?;
    guard_depth(rest, depth + 1)?;
    let (rest, args) = if at_symbol(rest, ")") {
        (rest, Vec::new())
    } else {
        parse_expr_list(rest, depth + 1)?
    };
    let (rest, _) = closing(rest, ")", "(")?;
    let span = sp(input, rest);
    check_arity(function, args.len(), span)?;
    let name = Spanned::new(function.word.to_string(), name_span);
    Ok((rest, Expr::Call { name, args, span }))
}

fn check_arity(
    function: &keywords::Keyword,
    n_args: usize,
    span: Span,
) -> Result<(), nom::Err<PErr>> {
    let (min, max) = function.arity.unwrap_or((0, usize::MAX));
    if (min..=max).contains(&n_args) {
        return Ok(());
    }
    let wanted = match (min, max) {
        (min, max) if min == max => format!("{min}"),
        (min, max) => format!("{min} to {max}"),
    };
    let plural = if max == 1 { "" } else { "s" };
    let message = format!(
        "`{}` takes {wanted} argument{plural}, found {n_args}",
        function.word
    );
    let err = PErr::custom(SyntaxErrorKind::WrongArity, span, message);
    err.with_hint(Some(format!("example: {}", function.example)))
        .failure()
}
