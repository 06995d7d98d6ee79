//! Helpers the dataset tests share: comparing a stored value with a
//! spot-check's text, and finding the edges a spot check names.

use critmin::model::{Direction, EdgeIndex, EdgeKind, Graph, PartialDate, Value};

/// Whether `value` equals the spot check's `expected` text, by type: a
/// number within 1e-9, `true`/`false`, a string, a date.
pub fn value_matches(value: &Value, expected: &str) -> bool {
    match value {
        Value::Number(number) => expected
            .parse::<f64>()
            .is_ok_and(|want| (number - want).abs() < 1e-9),
        Value::Bool(flag) => expected == if *flag { "true" } else { "false" },
        Value::Str(text) => &**text == expected,
        Value::Date(day) => PartialDate::parse(expected).is_ok_and(|want| want == *day),
    }
}

/// The edges `from -kind-> to` whose props equal every `(key, value)`
/// filter; none when either node is missing.
pub fn edges_matching(
    graph: &Graph,
    from: &str,
    kind: EdgeKind,
    to: &str,
    filters: &[(&str, &str)],
) -> Vec<EdgeIndex> {
    let (Some(from_idx), Some(to_idx)) = (graph.node_by_id(from), graph.node_by_id(to)) else {
        return Vec::new();
    };
    graph
        .edges_of(from_idx, kind, Direction::Outgoing)
        .into_iter()
        .filter(|(_, other)| *other == to_idx)
        .map(|(edge_idx, _)| edge_idx)
        .filter(|edge_idx| {
            filters.iter().all(|(key, want)| {
                graph
                    .edge_prop(*edge_idx, key)
                    .is_some_and(|value| value_matches(value, want))
            })
        })
        .collect()
}
