//! Property test: no query, however odd, makes evaluation panic; it either
//! answers or returns an error with a span inside the query text.

use critmin::model::Graph;
use critmin::syntax::{Statement, parse_script};
use proptest::prelude::*;

mod query_run;
use query_run::{eval, parse_query, repo_graph};

const WORDS: &[&str] = &[
    "show",
    "list",
    "depends",
    "dependents",
    "exposure",
    "path",
    "neighbors",
    "concentration",
    "timeline",
    "match",
    "minerals",
    "countries",
    "policies",
    "industries",
    "nodes",
    "germanium",
    "Ge",
    "gallium",
    "China",
    "US",
    "IN",
    "In",
    "defense",
    "semiconductors",
    "policy:cn-2024-46",
    "\"MOFCOM 2024 No.46\"",
    "to",
    "all",
    "max",
    "2",
    "0",
    "depth",
    "via",
    "used_in",
    "produces",
    "stage",
    "refining",
    "from",
    "2023",
    "2025-07-01",
    "as",
    "of",
    "assuming",
    "bans",
    "cuts",
    "by",
    "50%",
    "lifted",
    "in",
    "force",
    "|",
    "where",
    "sort",
    "take",
    "select",
    "count",
    "desc",
    "asc",
    "kind",
    "=",
    "industry",
    ">",
    "0.5",
    "share(China)",
    "hhi()",
    "name",
    "and",
    "or",
    "not",
    "(",
    ")",
    ",",
    "(m:mineral)-[:used_in]->(i:industry)",
    "return",
    "m.name",
    "i.name",
    "top_producer()",
    "year(effective)",
    "effective",
    "null",
    "true",
    "-",
    "*",
    "/",
    "1",
    "group",
    "aggregate",
    "count()",
    "sum(hhi())",
    "collect(name)",
    "for",
    "material",
];

fn graph() -> &'static Graph {
    static GRAPH: std::sync::OnceLock<Graph> = std::sync::OnceLock::new();
    GRAPH.get_or_init(|| repo_graph(&["tests/fixtures/graph/fixture.json"]))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_never_panics(indices in proptest::collection::vec(0..WORDS.len(), 1..14)) {
        let graph = graph();
        let text = indices.iter().map(|index| WORDS[*index]).collect::<Vec<_>>().join(" ");
        let Ok(statements) = parse_script(&text) else { return Ok(()) };
        for statement in statements {
            if let Statement::Query(query) = statement {
                if let Err(err) = eval(graph, &query) {
                    prop_assert!(err.span.end <= text.len(), "{text}: span {:?}", err.span);
                    prop_assert!(!err.message.is_empty());
                }
            }
        }
    }

    /// Grouping partitions the rows: the groups' counts add up to the
    /// ungrouped count, whatever the key and the filter.
    #[test]
    fn grouped_counts_sum_to_the_ungrouped_count(
        source in prop::sample::select(vec![
            "list minerals",
            "list nodes",
            "list policies",
            "match (m:mineral)-[:used_in]->(i) return m.id as m, i.id as i, i.kind as k",
        ]),
        key in prop::sample::select(vec!["kind", "top_producer()", "status()", "m", "k", "i", "name", "1"]),
    ) {
        let graph = graph();
        let run = |text: &str| eval(graph, &parse_query(text));
        let Ok(rows) = run(source) else { return Ok(()) };
        let total = rows.rows.len();
        let grouped = run(&format!("{source} | group by {key} aggregate count() as n"));
        let Ok(grouped) = grouped else { return Ok(()) };
        let sum: f64 = grouped.rows.iter().map(|row| row.cells[1].as_f64().unwrap()).sum();
        prop_assert_eq!(sum as usize, total);
    }
}
