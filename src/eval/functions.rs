//! The functions of the expression language (table in `syntax::keywords`).
//! In `list` and stages the row's node is implicit: `share(China)` means
//! `share(<row>, China)`, `hhi()` means `hhi(<row>)`.

use std::borrow::Cow;

use crate::analysis;
use crate::model::{NodeIndex, NodeKind};
use crate::syntax::Span;

use super::error::{EvalError, EvalErrorKind};
use super::expr::Scope;
use super::result::Cell;

pub fn call(scope: &Scope, name: &str, args: &[Cell], span: Span) -> Result<Cell, EvalError> {
    let ctx = scope.ctx;
    let number = |value: Option<f64>| value.map_or(Cell::Null, Cell::Num);
    match name {
        "share" => {
            let (item, rest) = item_and_rest(scope, args, span, true)?;
            let country = node_arg(scope, rest.first(), span, "a country")?;
            let stage = stage_arg(scope, item, rest.get(1), span)?;
            Ok(number(analysis::share(
                ctx,
                item,
                country,
                stage.as_deref(),
            )))
        }
        "import_reliance" => {
            let country = node_arg(scope, args.first(), span, "a country")?;
            let item = match args.get(1) {
                Some(arg) => node_arg(scope, Some(arg), span, "a mineral or product")?,
                None => scope.row_node().ok_or_else(|| needs_row(span))?,
            };
            Ok(number(analysis::import_reliance(ctx, country, item)))
        }
        "hhi" | "top_producer" | "top_share" => {
            let (item, rest) = item_and_rest(scope, args, span, false)?;
            let stage = stage_arg(scope, item, rest.first(), span)?;
            let stage = stage.as_deref();
            Ok(match name {
                "hhi" => number(analysis::hhi(ctx, item, stage)),
                "top_producer" => {
                    analysis::top_producer(ctx, item, stage).map_or(Cell::Null, Cell::Node)
                }
                _ => {
                    let top = analysis::top_producer(ctx, item, stage);
                    number(top.and_then(|country| analysis::share(ctx, item, country, stage)))
                }
            })
        }
        "dependence" => {
            let (user, item) = match args {
                [item] => (
                    scope.row_node().ok_or_else(|| needs_row(span))?,
                    node_arg(scope, Some(item), span, "a node")?,
                ),
                [user, item, ..] => (
                    node_arg(scope, Some(user), span, "a node")?,
                    node_arg(scope, Some(item), span, "a node")?,
                ),
                [] => return Err(needs_row(span)),
            };
            let reached = analysis::depends(ctx, user, None);
            Ok(number(
                reached
                    .iter()
                    .find(|reach| reach.node == item)
                    .map(|reach| reach.weight),
            ))
        }
        "exposure" => {
            let (target, supplier) = match args {
                [supplier] => (
                    scope.row_node().ok_or_else(|| needs_row(span))?,
                    node_arg(scope, Some(supplier), span, "a country or policy")?,
                ),
                [target, supplier, ..] => (
                    node_arg(scope, Some(target), span, "a country or industry")?,
                    node_arg(scope, Some(supplier), span, "a country or policy")?,
                ),
                [] => return Err(needs_row(span)),
            };
            Ok(number(scope.exposure_of(target, supplier)))
        }
        "status" => {
            let node_idx = match args.first() {
                Some(arg) => node_arg(scope, Some(arg), span, "a policy")?,
                None => scope.row_node().ok_or_else(|| needs_row(span))?,
            };
            Ok(if ctx.kind(node_idx) == NodeKind::Policy {
                Cell::Text(ctx.policy_status(node_idx).as_str().to_string())
            } else {
                Cell::Null
            })
        }
        "contains" => match (args.first(), args.get(1)) {
            (Some(haystack), Some(needle)) => {
                let graph = ctx.graph;
                Ok(Cell::Bool(
                    haystack
                        .display(graph)
                        .to_lowercase()
                        .contains(&needle.display(graph).to_lowercase()),
                ))
            }
            _ => Err(arity(span, name)),
        },
        "lower" => Ok(args.first().map_or(Cell::Null, |text| {
            Cell::Text(text.display(ctx.graph).to_lowercase())
        })),
        "year" => Ok(match args.first() {
            Some(Cell::Date(date)) => Cell::Num(f64::from(date.year())),
            Some(Cell::Null) | None => Cell::Null,
            Some(other) => {
                return Err(EvalError::new(
                    EvalErrorKind::TypeMismatch,
                    span,
                    format!("year() needs a date, found a {}", other.type_name()),
                ));
            }
        }),
        "abs" => Ok(match args.first() {
            Some(Cell::Null) | None => Cell::Null,
            Some(value) => match value.as_f64() {
                Some(number) => Cell::Num(number.abs()),
                None => {
                    return Err(EvalError::new(
                        EvalErrorKind::TypeMismatch,
                        span,
                        format!("abs() needs a number, found a {}", value.type_name()),
                    ));
                }
            },
        }),
        _ if super::group::is_aggregate(name) => Err(EvalError::new(
            EvalErrorKind::Invalid,
            span,
            format!("`{name}()` is an aggregate: it combines the rows of a group"),
        )
        .with_hint(Some(format!(
            "use it in `| group by KEY aggregate {name}(…)`, or in `match … return KEY, {name}(…)`"
        )))),
        _ => Err(EvalError::new(
            EvalErrorKind::Invalid,
            span,
            format!("function `{name}` is not available here"),
        )),
    }
}

/// The item a function is about and the remaining arguments. The item is
/// the first argument unless it is a country (or a stage word), in which
/// case the row's node is the item.
fn item_and_rest<'a>(
    scope: &Scope,
    args: &'a [Cell],
    span: Span,
    country_follows: bool,
) -> Result<(NodeIndex, &'a [Cell]), EvalError> {
    let graph = scope.ctx.graph;
    let implicit = match args.first() {
        None => true,
        Some(Cell::Node(node_idx)) => {
            country_follows && graph.node(*node_idx).kind == NodeKind::Country
        }
        Some(Cell::Text(_)) => !country_follows,
        Some(_) => false,
    };
    if implicit {
        let row = scope.row_node().ok_or_else(|| needs_row(span))?;
        return Ok((row, args));
    }
    let item = node_arg(scope, args.first(), span, "a mineral or product")?;
    Ok((item, &args[1..]))
}

fn node_arg(
    scope: &Scope,
    arg: Option<&Cell>,
    span: Span,
    what: &str,
) -> Result<NodeIndex, EvalError> {
    match arg {
        Some(Cell::Node(node_idx)) => Ok(*node_idx),
        Some(Cell::Text(text)) => scope.ctx.graph.resolve(text, &[]).map_err(|err| {
            EvalError::new(EvalErrorKind::UnknownNode, span, err.to_string())
                .with_hint(super::error::did_you_mean(err.suggestions()))
        }),
        Some(other) => Err(EvalError::new(
            EvalErrorKind::TypeMismatch,
            span,
            format!("expected {what}, found a {}", other.type_name()),
        )),
        None => Err(EvalError::new(
            EvalErrorKind::Invalid,
            span,
            format!("expected {what} as an argument"),
        )),
    }
}

/// The stage a stage-taking function reads: the one given (a known stage
/// name, or one the item has figures for), else the item's default stage,
/// recorded so that the answer says which stage it read.
fn stage_arg(
    scope: &Scope,
    item: NodeIndex,
    arg: Option<&Cell>,
    span: Span,
) -> Result<Option<Cow<'static, str>>, EvalError> {
    let ctx = scope.ctx;
    match arg {
        None | Some(Cell::Null) => {
            let stage = analysis::default_stage_name(ctx, item);
            if let Some(stage) = &stage {
                ctx.note_default_stage(stage, item);
            }
            Ok(stage)
        }
        Some(Cell::Text(text)) => {
            check_stage(ctx, item, text, span).map(|stage| Some(stage.into()))
        }
        Some(other) => Err(EvalError::new(
            EvalErrorKind::TypeMismatch,
            span,
            format!(
                "expected a stage ({}), found a {}",
                analysis::STAGE_ORDER.join(", "),
                other.type_name()
            ),
        )),
    }
}

/// A stage name in lower case if it is a known stage ([`analysis::STAGE_ORDER`])
/// or one the item has figures for; otherwise an error listing them.
pub fn check_stage(
    ctx: &analysis::Context,
    item: NodeIndex,
    text: &str,
    span: Span,
) -> Result<String, EvalError> {
    let stage = text.to_lowercase();
    if analysis::STAGE_ORDER.contains(&stage.as_str()) {
        return Ok(stage);
    }
    let stages = analysis::item_stages(ctx, item);
    if stages.contains(&stage) {
        return Ok(stage);
    }
    let mut known: Vec<&str> = analysis::STAGE_ORDER.to_vec();
    known.extend(
        stages
            .iter()
            .map(String::as_str)
            .filter(|stage| !analysis::STAGE_ORDER.contains(stage)),
    );
    let item_id = &ctx.graph.node(item).id;
    let has = if stages.is_empty() {
        format!("{item_id} has no production figures")
    } else {
        format!("{item_id}'s stages are {}", stages.join(", "))
    };
    Err(EvalError::new(
        EvalErrorKind::UnknownWord,
        span,
        format!("unknown stage `{text}`: {has}"),
    )
    .with_hint(Some(
        match crate::model::closest(text, known.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("stage words: {}", known.join(", ")),
        },
    )))
}

/// A known `stage` the item has figures for (`concentration gallium stage
/// mining` is an error that lists gallium's stages, not an empty table).
pub fn check_item_stage(
    ctx: &analysis::Context,
    item: NodeIndex,
    stage: String,
    span: Span,
) -> Result<String, EvalError> {
    let stages = analysis::item_stages(ctx, item);
    if stages.is_empty() || stages.contains(&stage) {
        return Ok(stage);
    }
    let item_id = &ctx.graph.node(item).id;
    Err(EvalError::new(
        EvalErrorKind::Invalid,
        span,
        format!(
            "{item_id} has no production figures at stage {stage}; its stages: {}",
            stages.join(", ")
        ),
    )
    .with_hint(Some(format!(
        "`concentration {item_id} stage {}` or `stage all`",
        stages[0]
    ))))
}

fn needs_row(span: Span) -> EvalError {
    EvalError::new(
        EvalErrorKind::Invalid,
        span,
        "this call needs a node argument (there is no row node here)",
    )
}

fn arity(span: Span, name: &str) -> EvalError {
    EvalError::new(
        EvalErrorKind::Invalid,
        span,
        format!("wrong number of arguments to `{name}`"),
    )
}
