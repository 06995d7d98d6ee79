//! The analysis shortcuts give the answers of the plain evaluation:
//! the cache a shell or batch run keeps across statements (trade indexes,
//! dependence tables) must give what a fresh evaluation gives, whatever
//! `as of`, `assuming` and `.unsourced` do to the view between statements;
//! and lazy `list` columns must give the rows that computing every column
//! gives.

use critmin::analysis::AnalysisCache;
use critmin::eval::{Cell, Env, Phases, QueryResult, eval_query, eval_query_in_run};
use critmin::model::Graph;

mod query_run;
use query_run::{bundled, bundled_with, env, parse_query};

/// Uses that start or end on a day, so that `as of` changes the dependence
/// tables the cache keeps (the bundled graph's uses have no dates).
const DATED_USES: &str = r#"{
 "format": "critmin-graph",
 "version": 1,
 "sources": [{"id": "cache-test", "title": "Dated uses for the cache test (not real data)"}],
 "nodes": [],
 "edges": [
  {"from": "gallium", "to": "automotive", "kind": "used_in", "props": {"dependence": 0.9},
   "sources": ["cache-test"], "valid_from": "2024-06-01"},
  {"from": "antimony", "to": "catalysts", "kind": "used_in", "props": {"dependence": 0.8},
   "sources": ["cache-test"], "valid_to": "2023-12-31"},
  {"from": "germanium", "to": "aerospace", "kind": "used_in", "props": {"dependence": 0.7},
   "sources": ["cache-test"], "valid_from": "2025-01-01"}
 ]
}"#;

/// The bundled graph with [`DATED_USES`].
fn with_dated_uses() -> Graph {
    bundled_with(&[("dated-uses.json", DATED_USES)])
}

/// The answer to `text` from a fresh evaluation, with or without unsourced
/// facts.
fn fresh(graph: &Graph, text: &str, include_unsourced: bool) -> QueryResult {
    let mut env = Env {
        include_unsourced,
        ..env(graph)
    };
    eval_query(&mut env, &parse_query(text))
        .unwrap_or_else(|err| panic!("{text} (unsourced {include_unsourced}): {err:?}"))
}

/// Statements that read the same consumers and industries under views that
/// differ in each way a cache key could miss; `None` toggles `.unsourced`.
const SEQUENCE: &[Option<&str>] = &[
    Some("exposure US to China"),
    Some("exposure US to China"),
    Some("exposure US to China as of 2023-01-01"),
    Some("exposure US to China as of 2025-07-01"),
    Some("exposure US to China"),
    Some("exposure US to China assuming China bans gallium to US"),
    Some("exposure US to China assuming China cuts gallium by 50%"),
    Some("exposure US to China"),
    None,
    Some("exposure US to China"),
    Some("exposure US semiconductors to China"),
    Some("exposure US to China as of 2023-01-01"),
    None,
    Some("exposure US to China as of 2023-01-01"),
    Some("exposure US defense to China by material"),
    Some("exposure US to policy \"MOFCOM 2023 No.23\" by material"),
    Some("exposure defense to policy \"MOFCOM 2024 No.46\" as of 2025-07-01"),
    Some("exposure defense to policy \"MOFCOM 2024 No.46\""),
    Some("exposure US to China for gallium"),
    Some("exposure US to China as of 2025-07-01 assuming policy:\"MOFCOM 2024 No.46\" lifted"),
    Some("exposure US to China"),
];

#[test]
fn the_run_cache_answers_as_a_fresh_evaluation_across_changing_views() {
    let graph = with_dated_uses();
    let mut hits = 0;
    replay_against_fresh(&graph, SEQUENCE, |cache| {
        let stats = cache.take_stats();
        hits += stats.trade_hits + stats.dependence_hits;
    });
    assert!(hits > 0, "the sequence never hit the cache");
}

/// Runs `sequence` with one run cache (`None` flips `.unsourced`) and checks
/// every answer against a fresh evaluation; `after_each` sees the cache
/// after each statement.
fn replay_against_fresh(
    graph: &Graph,
    sequence: &[Option<&str>],
    mut after_each: impl FnMut(&AnalysisCache),
) {
    let cache = AnalysisCache::new();
    let mut include_unsourced = false;
    for step in sequence {
        let Some(text) = step else {
            include_unsourced = !include_unsourced;
            continue;
        };
        let mut env = Env {
            include_unsourced,
            ..env(graph)
        };
        let query = parse_query(text);
        let cached = eval_query_in_run(&mut env, &query, Some(&cache), &mut Phases::default())
            .unwrap_or_else(|err| panic!("{text} (unsourced {include_unsourced}): {err:?}"));
        after_each(&cache);
        assert_eq!(
            cached,
            fresh(graph, text, include_unsourced),
            "{text} (unsourced {include_unsourced})"
        );
    }
}

#[test]
fn a_cleared_cache_and_another_graph_are_misses() {
    let graph = bundled();
    let cache = AnalysisCache::new();
    let query = parse_query("exposure US to China");
    let run = |graph: &Graph| {
        eval_query_in_run(
            &mut env(graph),
            &query,
            Some(&cache),
            &mut Phases::default(),
        )
        .unwrap()
    };
    run(&graph);
    cache.take_stats();
    run(&graph);
    assert!(cache.take_stats().dependence_hits == 1);
    cache.clear();
    run(&graph);
    let stats = cache.take_stats();
    assert_eq!((stats.dependence_hits, stats.dependence_misses), (0, 1));
    let other = bundled();
    let answer = run(&other);
    let stats = cache.take_stats();
    assert_eq!((stats.dependence_hits, stats.dependence_misses), (0, 1));
    assert_eq!(answer, fresh(&other, "exposure US to China", false));
}

/// The cells of `columns` in each row of the plain `list`, which computes
/// every column.
fn projected(full: &QueryResult, columns: &[&str]) -> Vec<Vec<Cell>> {
    let positions: Vec<usize> = columns
        .iter()
        .map(|column| full.columns.iter().position(|c| c == column).unwrap())
        .collect();
    full.rows
        .iter()
        .map(|row| positions.iter().map(|at| row.cells[*at].clone()).collect())
        .collect()
}

fn cells(result: &QueryResult) -> Vec<Vec<Cell>> {
    result.rows.iter().map(|row| row.cells.clone()).collect()
}

#[test]
fn lazy_list_columns_give_the_rows_of_every_column_computed() {
    let graph = bundled();
    for (view, unsourced) in [("", false), (" as of 2023-01-01", false), ("", true)] {
        let full = fresh(&graph, &format!("list minerals{view}"), unsourced);
        assert!(full.rows.len() > 10);
        for columns in [
            &["id", "hhi"][..],
            &["id", "top_producer", "top_share"],
            &["stage", "hhi", "name"],
            &["id", "aliases", "stage", "top_producer", "top_share", "hhi"],
        ] {
            let text = format!("list minerals{view} | select {}", columns.join(", "));
            let lazy = fresh(&graph, &text, unsourced);
            assert_eq!(cells(&lazy), projected(&full, columns), "{text}");
        }
        // Functions in place of the columns read the same tables.
        let text = format!("list minerals{view} | select id, top_producer(), top_share()");
        let lazy = fresh(&graph, &text, unsourced);
        assert_eq!(
            cells(&lazy),
            projected(&full, &["id", "top_producer", "top_share"]),
            "{text}"
        );
        // A filter and a sort on columns the select drops.
        let text =
            format!("list minerals where hhi > 2500{view} | sort top_share desc | select id");
        let lazy = fresh(&graph, &text, unsourced);
        let mut expected: Vec<(f64, String)> = full
            .rows
            .iter()
            .filter(|row| row.cells[6].as_f64().is_some_and(|hhi| hhi > 2500.0))
            .map(|row| {
                let share = row.cells[5].as_f64().unwrap_or(f64::NEG_INFINITY);
                (share, row.cells[0].display(&graph))
            })
            .collect();
        expected.sort_by(|a, b| b.0.total_cmp(&a.0));
        let ids: Vec<String> = lazy
            .rows
            .iter()
            .map(|row| row.cells[0].display(&graph))
            .collect();
        assert_eq!(ids.len(), expected.len(), "{text}");
        assert!(!ids.is_empty());
        assert_eq!(
            ids.iter().collect::<std::collections::BTreeSet<_>>(),
            expected.iter().map(|(_, id)| id).collect(),
            "{text}"
        );
    }
}

/// `list` and concentration statements whose production answers (the item
/// standing for each item, its default stage, its headline tables) the run's
/// cache keeps per view, under views that differ in each way a key could miss.
const PRODUCTION_SEQUENCE: &[Option<&str>] = &[
    Some("list minerals | select id, stage, top_producer(), top_share(), hhi()"),
    Some("list minerals | select id, stage, top_producer(), top_share(), hhi()"),
    Some("list minerals as of 2022-12-31 | select id, top_producer(), hhi()"),
    Some("list minerals | select id, hhi(refining), share(China, refining)"),
    Some(
        "list minerals assuming China bans gallium | select id, top_producer(), top_share(), hhi()",
    ),
    Some("list minerals assuming China cuts germanium by 50% | select id, top_share(), hhi()"),
    None,
    Some("list minerals | select id, stage, top_producer(), top_share(), hhi()"),
    Some("concentration gallium"),
    None,
    Some("concentration germanium stage refining"),
    Some("list minerals"),
    Some("list minerals as of 2022-12-31"),
    Some("exposure US to China"),
    Some("list products | select id, top_producer(), hhi()"),
    Some("list minerals | select id, stage, top_producer(), top_share(), hhi()"),
];

#[test]
fn cached_production_answers_are_those_of_a_fresh_evaluation() {
    replay_against_fresh(&bundled(), PRODUCTION_SEQUENCE, |_| {});
}
