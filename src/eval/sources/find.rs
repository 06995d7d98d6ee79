//! `find TEXT`: nodes of every kind whose name or an alias has TEXT as
//! whole words or inside, best match first (the ranking is the model's
//! `Graph::find_by_text`, the same one that suggests names in errors).

use crate::analysis::Context;
use crate::model::{MatchQuality, Subgraph};

use super::super::result::{Cell, QueryResult};

pub fn find(ctx: &Context, text: &str) -> QueryResult {
    let graph = ctx.graph;
    let mut result = QueryResult::new(&["id", "name", "kind", "matched", "match"]);
    for found in graph.find_by_text(text, &[]) {
        if !ctx.node_active(found.node) {
            continue;
        }
        let node = graph.node(found.node);
        let quality = match found.quality {
            MatchQuality::Word => "word",
            MatchQuality::Substring => "inside",
        };
        let mut evidence = Subgraph::new();
        evidence.add_node(found.node);
        result.push(
            Some(found.node),
            vec![
                Cell::Text(node.id.clone()),
                Cell::Text(node.name.clone()),
                Cell::Text(node.kind.to_string()),
                Cell::Text(found.spelling),
                Cell::Text(quality.to_string()),
            ],
            evidence,
        );
    }
    if result.rows.is_empty() {
        result
            .notes
            .push(format!("no name or alias contains \"{text}\""));
    }
    result
}
