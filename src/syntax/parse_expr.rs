//! Expressions, by precedence from loosest to tightest:
//! `or` < `and` < `not` < comparison and `in` < `+ -` < `* /` < unary `-` < atom.

use super::ast::{BinaryOp, Expr, LogicalOp, UnaryOp};
use super::error::{PErr, PResult, SyntaxErrorKind, clip};
use super::keywords::{self, Category};
use super::lex::{
    Numeric, after_phrase, at_symbol, closing, numeric, param, raw_word, sp, string_lit, symbol, ws,
};
use super::parse_node::parse_node_ref;
use super::span::{Span, Spanned};

/// How deeply expressions may nest (brackets, calls, `in` lists, `not`,
/// unary minus). 64 keeps the recursion well inside a 2 MB thread stack
/// even in debug builds (about 16 KB per level there).
pub const MAX_DEPTH: usize = 64;

/// `expr = or_expr`
pub(crate) fn parse_expr(input: &str, depth: usize) -> PResult<'_, Expr> {
    guard_depth(input, depth)?;
    parse_binary(input, depth, 1)
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

/// Turns a recoverable error into a failure (nom's `cut`, without a closure frame).
fn commit<T>(result: PResult<'_, T>) -> PResult<'_, T> {
    result.map_err(|err| match err {
        nom::Err::Error(err) => nom::Err::Failure(err),
        other => other,
    })
}

/// Binding levels: `or` 1, `and` 2, `not` 3, comparison 4, `+ -` 5, `* /` 6.
const LEVEL_NOT: u8 = 3;
const LEVEL_COMPARISON: u8 = 4;

/// A binary operator after an operand.
enum Operator {
    Logical(LogicalOp),
    Binary(BinaryOp, u8),
    In { negated: bool },
}

const SYMBOLS: &[(&str, BinaryOp)] = &[
    ("<=", BinaryOp::Le),
    (">=", BinaryOp::Ge),
    ("!=", BinaryOp::Ne),
    ("<>", BinaryOp::Ne),
    ("==", BinaryOp::Eq),
    ("=", BinaryOp::Eq),
    ("<", BinaryOp::Lt),
    (">", BinaryOp::Gt),
    ("+", BinaryOp::Add),
    ("-", BinaryOp::Sub),
    ("*", BinaryOp::Mul),
    ("/", BinaryOp::Div),
];

/// The operator at `input`, its level and the input after it.
fn next_operator(input: &str) -> Option<(Operator, u8, &str)> {
    let input = ws(input);
    if input.starts_with("->") {
        return None;
    }
    if let Some((text, op)) = SYMBOLS.iter().find(|(text, _)| input.starts_with(text)) {
        return Some((
            Operator::Binary(*op, level_of(*op)),
            level_of(*op),
            &input[text.len()..],
        ));
    }
    let words = [
        ("or", Operator::Logical(LogicalOp::Or), 1),
        ("and", Operator::Logical(LogicalOp::And), 2),
        ("in", Operator::In { negated: false }, LEVEL_COMPARISON),
        ("not in", Operator::In { negated: true }, LEVEL_COMPARISON),
    ];
    words
        .into_iter()
        .find_map(|(phrase, op, level)| after_phrase(input, phrase).map(|rest| (op, level, rest)))
}

fn level_of(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Add | BinaryOp::Sub => 5,
        BinaryOp::Mul | BinaryOp::Div => 6,
        _ => LEVEL_COMPARISON,
    }
}

/// `or_expr = and_expr {"or" and_expr}`, `and_expr = not_expr {"and" not_expr}`,
/// `not_expr = "not" not_expr | comparison`,
/// `comparison = additive [CMP_OP additive | ["not"] "in" "(" expr {"," expr} ")"]`,
/// `additive = multiplicative {("+" | "-") multiplicative}`,
/// `multiplicative = unary {("*" | "/") unary}` — by precedence climbing,
/// keeping only operators that bind at least as tightly as `min_level`.
fn parse_binary(input: &str, depth: usize, min_level: u8) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = parse_prefix(input, depth, min_level)?;
    let (mut compared, mut chain, mut logical) = (false, 0, None);
    while let Some((op, level, after_op)) = next_operator(rest) {
        if level < min_level || (level == LEVEL_COMPARISON && compared) {
            break;
        }
        if !matches!(op, Operator::Logical(_)) {
            chain += 1;
            guard_depth(after_op, depth + chain)?;
        }
        let (after_rhs, expr) = match op {
            Operator::Logical(op) => {
                let (after_rhs, rhs) = commit(parse_binary(after_op, depth, level + 1))?;
                let expr = extend_logical(lhs, op, rhs, logical == Some(op));
                logical = Some(op);
                (after_rhs, expr)
            }
            Operator::Binary(op, level) => {
                let (after_rhs, rhs) = commit(parse_binary(after_op, depth + chain, level + 1))?;
                (after_rhs, binary(op, lhs, rhs))
            }
            Operator::In { negated } => {
                let (after_list, list) = commit(parse_in_list(after_op, depth + chain))?;
                let span = lhs.span().to(sp("", after_list));
                (
                    after_list,
                    Expr::In {
                        operand: Box::new(lhs),
                        list,
                        negated,
                        span,
                    },
                )
            }
        };
        compared |= level == LEVEL_COMPARISON;
        (rest, lhs) = (after_rhs, expr);
    }
    Ok((rest, lhs))
}

/// `lhs OP rhs`, appended to `lhs` when it is this loop's chain of `OP`.
fn extend_logical(lhs: Expr, op: LogicalOp, rhs: Expr, same_chain: bool) -> Expr {
    let span = lhs.span().to(rhs.span());
    match lhs {
        Expr::Logical {
            operands: mut chain,
            ..
        } if same_chain => {
            chain.push(rhs);
            Expr::Logical {
                op,
                operands: chain,
                span,
            }
        }
        lhs => Expr::Logical {
            op,
            operands: vec![lhs, rhs],
            span,
        },
    }
}

/// `not_expr` where a `not` may stand, else `unary`.
fn parse_prefix(input: &str, depth: usize, min_level: u8) -> PResult<'_, Expr> {
    let input = ws(input);
    match after_phrase(input, "not").filter(|_| min_level <= LEVEL_NOT) {
        Some(after_not) => {
            guard_depth(after_not, depth + 1)?;
            let (rest, operand) = commit(parse_binary(after_not, depth + 1, LEVEL_NOT))?;
            let span = sp(input, "").to(operand.span());
            Ok((
                rest,
                Expr::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(operand),
                    span,
                },
            ))
        }
        None => parse_unary(input, depth),
    }
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
    let (mut rest, first) = commit(parse_expr(input, depth))?;
    let mut list = vec![first];
    while let Ok((after_comma, _)) = symbol(",")(rest) {
        let (after_item, item) = commit(parse_expr(after_comma, depth))?;
        list.push(item);
        rest = after_item;
    }
    Ok((rest, list))
}

/// `unary = "-" unary | atom`
fn parse_unary(input: &str, depth: usize) -> PResult<'_, Expr> {
    let input = ws(input);
    let Some(after_minus) = input.strip_prefix('-') else {
        return parse_atom(input, depth);
    };
    guard_depth(after_minus, depth + 1)?;
    let (rest, operand) = commit(parse_unary(after_minus, depth + 1))?;
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

/// `"(" expr ")"`
fn parse_paren(input: &str, depth: usize) -> PResult<'_, Expr> {
    let (rest, _) = symbol("(")(input)?;
    let (rest, inner) = commit(parse_expr(rest, depth + 1))?;
    let (rest, _) = closing(rest, ")", "(")?;
    Ok((rest, inner))
}

/// `atom = "(" expr ")" | string | param | number | date | call | node_ref | word`
fn parse_atom(input: &str, depth: usize) -> PResult<'_, Expr> {
    let input = ws(input);
    match input.chars().next() {
        Some('(') => parse_paren(input, depth),
        Some('"') => string_lit(input).map(|(rest, lit)| (rest, Expr::Str(lit))),
        Some('$') => param(input).map(|(rest, param)| (rest, Expr::Param(param))),
        Some(c) if c.is_ascii_digit() => match numeric(input) {
            Ok((rest, Numeric::Number(number))) => Ok((rest, Expr::Number(number))),
            Ok((rest, Numeric::Date(date))) => Ok((rest, Expr::Date(date))),
            Err(nom::Err::Error(_)) => parse_word_atom(input),
            Err(other) => Err(other),
        },
        _ if is_call(input) => parse_call(input, depth),
        _ => parse_word_atom(input),
    }
}

/// Whether `input` starts with a word followed by `(`.
fn is_call(input: &str) -> bool {
    raw_word(input).is_some_and(|(_, rest)| at_symbol(rest, "("))
}

/// `true`, `false`, `null`, a call, a `kind:name` node or a plain word.
fn parse_word_atom(input: &str) -> PResult<'_, Expr> {
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
        "and" | "or" | "not" => return expected().error(),
        _ => {}
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
        return unknown_function(text, name_span);
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

#[inline(never)]
fn unknown_function<T>(text: &str, name_span: Span) -> Result<T, nom::Err<PErr>> {
    let message = format!("unknown function `{}`", clip(text));
    let err = PErr::custom(SyntaxErrorKind::UnknownFunction, name_span, message);
    let err = err.with_expected(keywords::expected_words(Category::Function));
    err.with_hint(keywords::suggest_in(Category::Function, text))
        .failure()
}

#[inline(never)]
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
