//! `depends`/`dependents` as a tree (`.tree on`), like `cargo tree`: each
//! node under the one before it on its strongest chain (`via`), with its
//! dependence and kind.

use crate::eval::{Cell, QueryResult};
use crate::model::Graph;

use super::layout::shorten;

/// The tree, or `None` when the result has no `id`, `via` and
/// `dependence` columns (or its chains do not form a tree).
pub(super) fn tree(graph: &Graph, result: &QueryResult, width: usize) -> Option<String> {
    let id_column = result.column("id")?;
    let via_column = result.column("via")?;
    let dependence_column = result.column("dependence")?;
    let kind_column = result.column("kind");
    let text = |row: &crate::eval::Row, column: usize| {
        row.cells
            .get(column)
            .map(|cell| cell.display(graph))
            .unwrap_or_default()
    };
    // (parent id, label) for each row, in row order.
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut root = None;
    for row in &result.rows {
        let via = text(row, via_column);
        let chain: Vec<&str> = via.split(" → ").collect();
        let [.., parent, _] = chain.as_slice() else {
            return None;
        };
        root.get_or_insert_with(|| chain[0].to_string());
        let dependence = match row.cells.get(dependence_column) {
            Some(Cell::Score(score)) => format!("{score:.4}"),
            Some(other) => other.display(graph),
            None => String::new(),
        };
        let kind = kind_column
            .map(|column| format!(" ({})", text(row, column)))
            .unwrap_or_default();
        let id = text(row, id_column);
        entries.push((
            parent.to_string(),
            id.clone(),
            format!("{id} {dependence}{kind}"),
        ));
    }
    let root = root?;
    let mut out = format!("{root}\n");
    push_children(&entries, &root, "", width, &mut out, 0);
    Some(out)
}

/// The children of `parent` under it, drawn with `├──`/`└──`.
fn push_children(
    entries: &[(String, String, String)],
    parent: &str,
    prefix: &str,
    width: usize,
    out: &mut String,
    depth: usize,
) {
    // Chains never revisit a node; the depth bound guards bad input.
    if depth > entries.len() {
        return;
    }
    let children: Vec<&(String, String, String)> =
        entries.iter().filter(|(of, _, _)| of == parent).collect();
    for (index, (_, id, label)) in children.iter().enumerate() {
        let last = index + 1 == children.len();
        let branch = if last { "└── " } else { "├── " };
        let room = width.saturating_sub(prefix.chars().count() + 4).max(20);
        let line = shorten(label, room, 1).concat();
        out.push_str(&format!("{prefix}{branch}{line}\n"));
        let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
        push_children(entries, id, &deeper, width, out, depth + 1);
    }
}
