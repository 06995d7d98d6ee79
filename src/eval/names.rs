//! Turning the query's node names, parameters, counts and dates into graph
//! nodes and values.

use std::collections::BTreeMap;

use crate::model::{Graph, NodeIndex, NodeKind, PartialDate, ResolveError};
use crate::syntax::{Arg, Count, DateLit, NodeArg, NodeRef, Param, Span};

use super::error::{EvalError, EvalErrorKind, did_you_mean};

/// Parameter values given with `--param name=value` or `.param`.
pub type Params = BTreeMap<String, String>;

/// Looks up a parameter's text.
pub fn param_text<'p>(params: &'p Params, param: &Param) -> Result<&'p str, EvalError> {
    params.get(&param.name).map(String::as_str).ok_or_else(|| {
        let known: Vec<&str> = params.keys().map(String::as_str).collect();
        let hint = crate::model::closest(&param.name, known)
            .map(|close| format!("did you mean `${close}`?"))
            .or_else(|| {
                Some(format!(
                    "set it with `--param {}=VALUE` or `.param {} VALUE`",
                    param.name, param.name
                ))
            });
        EvalError::new(
            EvalErrorKind::UnknownParam,
            param.span,
            format!("parameter `${}` has no value", param.name),
        )
        .with_hint(hint)
    })
}

/// Resolves a node argument, allowing only `kinds` (empty = any).
pub fn resolve_node(
    graph: &Graph,
    params: &Params,
    arg: &NodeArg,
    kinds: &[NodeKind],
) -> Result<NodeIndex, EvalError> {
    match arg {
        Arg::Lit(node_ref) => resolve_ref_with(graph, node_ref, kinds, true),
        Arg::Param(param) => {
            let text = param_text(params, param)?;
            let (kind, name) = split_qualified(text);
            let node_ref = NodeRef {
                kind: kind.map(|k| (k.to_string(), param.span)),
                name: name.to_string(),
                quoted: true,
                span: param.span,
            };
            resolve_ref_with(graph, &node_ref, kinds, true)
        }
    }
}

/// The text of a node argument as written (a parameter's value for
/// `$name`), for look-ups that are not one node (`find TEXT`).
pub fn node_text(params: &Params, arg: &NodeArg) -> Result<String, EvalError> {
    match arg {
        Arg::Lit(node_ref) => Ok(node_ref.name.clone()),
        Arg::Param(param) => param_text(params, param).map(str::to_string),
    }
}

/// `country:CN` → (`country`, `CN`) when the prefix is a node kind.
fn split_qualified(text: &str) -> (Option<&str>, &str) {
    match text.split_once(':') {
        Some((kind, name)) if NodeKind::parse(kind).is_some() => (Some(kind), name),
        _ => (None, text),
    }
}

/// A node reference resolved by its exact id, name or alias (expressions).
pub fn resolve_ref(
    graph: &Graph,
    node_ref: &NodeRef,
    kinds: &[NodeKind],
) -> Result<NodeIndex, EvalError> {
    resolve_ref_with(graph, node_ref, kinds, false)
}

/// `loose`: also by whole words of a name or alias (the node a source
/// names: `show Congo`).
fn resolve_ref_with(
    graph: &Graph,
    node_ref: &NodeRef,
    kinds: &[NodeKind],
    loose: bool,
) -> Result<NodeIndex, EvalError> {
    let mut allowed: Vec<NodeKind> = kinds.to_vec();
    if let Some((kind_name, kind_span)) = &node_ref.kind {
        let Some(kind) = NodeKind::parse(kind_name) else {
            let names: Vec<&str> = NodeKind::ALL.iter().map(|kind| kind.as_str()).collect();
            let hint = crate::model::closest(kind_name, names)
                .map(|close| format!("did you mean `{close}`?"));
            return Err(EvalError::new(
                EvalErrorKind::UnknownWord,
                *kind_span,
                format!("unknown node kind `{kind_name}`"),
            )
            .with_hint(hint));
        };
        if !kinds.is_empty() && !kinds.contains(&kind) {
            return Err(wrong_kind(*kind_span, kind, kinds));
        }
        allowed = vec![kind];
    }
    let resolved = if loose {
        graph.resolve_loosely(&node_ref.name, &allowed)
    } else {
        graph.resolve(&node_ref.name, &allowed)
    };
    match resolved {
        Ok(node_idx) => Ok(node_idx),
        Err(err) => Err(resolve_error(graph, node_ref, &allowed, kinds, err)),
    }
}

fn resolve_error(
    graph: &Graph,
    node_ref: &NodeRef,
    allowed: &[NodeKind],
    kinds: &[NodeKind],
    err: ResolveError,
) -> EvalError {
    // A name that exists with another kind gets a precise message.
    if !allowed.is_empty() {
        if let Ok(other) = graph.resolve_loosely(&node_ref.name, &[]) {
            let expected = if kinds.is_empty() { allowed } else { kinds };
            let name = &graph.node(other).name;
            // `exposure United States to China`: `States` is a word of a
            // name the query split at its space.
            let hint = if !node_ref.quoted
                && name.contains(' ')
                && !name.eq_ignore_ascii_case(&node_ref.name)
            {
                format!(
                    "`{}` is a word of {}; a name with spaces goes in quotes: \"{name}\"",
                    node_ref.name,
                    graph.qualified_id(other)
                )
            } else {
                format!("`{}` is {}", node_ref.name, graph.qualified_id(other))
            };
            return wrong_kind(node_ref.span, graph.node(other).kind, expected)
                .with_hint(Some(hint));
        }
    }
    match err {
        ResolveError::Unknown { suggestions, .. } => {
            let quoted = suggestions.iter().any(|s| s.starts_with('"'));
            let hint = did_you_mean(&suggestions).map(|hint| {
                if quoted {
                    format!(
                        "{hint} (a name with spaces goes in quotes; `find TEXT` lists every match)"
                    )
                } else {
                    hint
                }
            });
            EvalError::new(
                EvalErrorKind::UnknownNode,
                node_ref.span,
                err_message(&node_ref.name, allowed),
            )
            .with_hint(hint)
        }
        ResolveError::Ambiguous { candidates, .. } => {
            let listed = candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            EvalError::new(
                EvalErrorKind::AmbiguousNode,
                node_ref.span,
                format!("`{}` names {} nodes", node_ref.name, candidates.len()),
            )
            .with_hint(Some(format!("write {listed}")))
        }
    }
}

fn err_message(name: &str, allowed: &[NodeKind]) -> String {
    match allowed {
        [] => format!("no node is named `{name}`"),
        kinds => format!(
            "no {} is named `{name}`",
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

pub fn wrong_kind(span: Span, found: NodeKind, expected: &[NodeKind]) -> EvalError {
    let expected_text = expected
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" or ");
    EvalError::new(
        EvalErrorKind::WrongKind,
        span,
        format!(
            "expected {} here, found {}",
            crate::model::with_article(&expected_text),
            crate::model::with_article(found.as_str())
        ),
    )
}

/// A count argument (`depth 3`, `take $n`).
pub fn count(params: &Params, arg: &Arg<Count>) -> Result<u64, EvalError> {
    match arg {
        Arg::Lit(count) => Ok(count.value),
        Arg::Param(param) => {
            let text = param_text(params, param)?;
            text.trim().parse::<u64>().map_err(|_| {
                EvalError::new(
                    EvalErrorKind::TypeMismatch,
                    param.span,
                    format!(
                        "parameter `${}` is \"{text}\", expected a whole number",
                        param.name
                    ),
                )
            })
        }
    }
}

/// A date argument (`as of 2025-07-01`, `from $start`).
pub fn date(params: &Params, arg: &Arg<DateLit>) -> Result<PartialDate, EvalError> {
    match arg {
        Arg::Lit(lit) => date_lit(lit),
        Arg::Param(param) => {
            let text = param_text(params, param)?;
            PartialDate::parse(text.trim()).map_err(|err| {
                EvalError::new(
                    EvalErrorKind::TypeMismatch,
                    param.span,
                    format!("parameter `${}`: {err}", param.name),
                )
            })
        }
    }
}

pub fn date_lit(lit: &DateLit) -> Result<PartialDate, EvalError> {
    let date = match (lit.month, lit.day) {
        (Some(month), Some(day)) => PartialDate::ymd(lit.year, month, day),
        (Some(month), None) => PartialDate::year_month(lit.year, month),
        _ => PartialDate::year_only(lit.year),
    };
    date.ok_or_else(|| EvalError::new(EvalErrorKind::Invalid, lit.span, "not a real date"))
}
