//! `depends NODE` and `dependents NODE`: dependency closures with the
//! dependence along the strongest path.

use std::sync::Arc;

use crate::analysis::{self, Context, Reach};
use crate::model::{NodeIndex, Subgraph};

use super::super::result::{Cell, LazyCell, QueryResult};

pub fn closure(
    ctx: &Context,
    start: NodeIndex,
    depth: Option<usize>,
    upstream: bool,
) -> QueryResult {
    let graph = ctx.graph;
    let reaches = if upstream {
        analysis::depends(ctx, start, depth)
    } else {
        analysis::dependents(ctx, start, depth)
    };
    let mut result = QueryResult::new(&[
        "id",
        "kind",
        "depth",
        "dependence",
        "substitutability",
        "via",
    ]);
    result.base.add_node(start);
    for reach in &reaches {
        let mut evidence = Subgraph::new();
        for edge_idx in &reach.path {
            evidence.add_edge(graph, *edge_idx);
        }
        let cells = vec![
            Cell::Lazy(LazyCell::NodeId(reach.node)),
            Cell::Lazy(LazyCell::NodeKind(reach.node)),
            Cell::Num(reach.depth as f64),
            Cell::Score(reach.weight),
            substitutability(ctx, reach, upstream),
            Cell::Lazy(LazyCell::Walk {
                start,
                edges: Arc::from(reach.path.as_slice()),
            }),
        ];
        result.push(Some(reach.node), cells, evidence);
    }
    if reaches.is_empty() {
        let direction = if upstream { "needs" } else { "is needed by" };
        result.notes.push(format!(
            "{} {direction} nothing in the graph",
            graph.node(start).id
        ));
    }
    result
}

/// How hard the material is to replace in the use the path goes through:
/// downstream, the start's first use (germanium in germanium optics);
/// upstream, the reached material's use (the last `used_in` edge).
fn substitutability(ctx: &Context, reach: &Reach, upstream: bool) -> Cell {
    let rated = |edge_idx: &crate::model::EdgeIndex| ctx.text(*edge_idx, "substitutability");
    let found = if upstream {
        reach.path.iter().rev().find_map(rated)
    } else {
        reach.path.iter().find_map(rated)
    };
    found.map_or(Cell::Null, |text| Cell::Text(text.to_string()))
}
