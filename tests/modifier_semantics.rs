//! No silent acceptance: every modifier on every source either changes the
//! answer or is an error (docs/LANGUAGE.md, "Every modifier applies or is
//! refused"). Checked over the fixture graph plus the policy-state fixture.

use critmin::eval::{EvalError, QueryResult};
use critmin::model::Graph;
use proptest::prelude::*;

mod query_run;
use query_run::{eval, parse_query, repo_graph};

/// Per source: queries split as (source, stages); the modifier goes between.
const SOURCES: &[(&str, &[(&str, &str)])] = &[
    (
        "show",
        &[
            ("show germanium", ""),
            ("show policy:cn-2024-46", ""),
            ("show policy:ps-preempted", ""),
        ],
    ),
    (
        "list",
        &[
            ("list minerals", ""),
            ("list policies", ""),
            ("list events", ""),
        ],
    ),
    (
        "depends",
        &[
            ("depends defense", ""),
            ("depends defense", "| select name, top_share()"),
        ],
    ),
    (
        "dependents",
        &[
            ("dependents antimony", ""),
            ("dependents gallium", "| select name, exposure(US, China)"),
        ],
    ),
    (
        "exposure",
        &[
            ("exposure US to China", ""),
            ("exposure US to policy:cn-2024-46", ""),
        ],
    ),
    (
        "exposure for",
        &[
            ("exposure US to China for gallium", ""),
            (
                "exposure US defense to policy:cn-2024-46 for antimony, gallium",
                "",
            ),
        ],
    ),
    (
        "exposure by material",
        &[
            ("exposure US to China by material", ""),
            ("exposure US defense to policy:cn-2024-46 by material", ""),
        ],
    ),
    (
        "exposure tiers",
        &[
            ("exposure US to China tiers 2", ""),
            ("exposure US defense to China tiers 2", ""),
        ],
    ),
    (
        "exposure to a material",
        &[
            ("exposure US to gallium", ""),
            ("exposure US to antimony", ""),
        ],
    ),
    (
        "path",
        &[
            ("path germanium to defense", ""),
            (
                "path policy:cn-2024-46 to defense",
                "| select status(policy:cn-2024-46)",
            ),
        ],
    ),
    (
        "path via events",
        &[
            ("path policy:cn-2024-46 to defense via events", ""),
            (
                "path policy:cn-2024-46 to defense via events",
                "| select status(policy:cn-2024-46)",
            ),
        ],
    ),
    (
        "neighbors",
        &[
            ("neighbors germanium depth 2", ""),
            ("neighbors policy:cn-2024-46", "| select name, status()"),
            ("neighbors china via produces", "| select name, top_share()"),
        ],
    ),
    (
        "concentration",
        &[
            ("concentration gallium", ""),
            ("concentration germanium stage all", ""),
            ("concentration antimony", ""),
        ],
    ),
    (
        "timeline",
        &[
            ("timeline germanium", ""),
            ("timeline policy:ps-preempted", "| select id, status(id)"),
        ],
    ),
    (
        "match",
        &[
            ("match (p:policy) return p.id, p.status", ""),
            ("match (m:mineral) return m.id, top_share(m)", ""),
        ],
    ),
    (
        "graph",
        &[
            ("graph", ""),
            ("graph", "| where kind = \"policy\" | select id, status(id)"),
        ],
    ),
];

/// Modifier families and their instances.
const MODIFIERS: &[(&str, &[&str])] = &[
    (
        "as of",
        &[
            "as of 2022",
            "as of 2023-01-01",
            "as of 2024-06-01",
            "as of 2025-12-01",
        ],
    ),
    (
        "bans",
        &[
            "assuming China bans gallium",
            "assuming China bans antimony",
            "assuming China bans germanium",
        ],
    ),
    (
        "cuts",
        &[
            "assuming China cuts gallium by 50%",
            "assuming Russia cuts antimony by 50%",
        ],
    ),
    (
        "bans to",
        &[
            "assuming China bans gallium to US",
            "assuming China bans antimony to US",
        ],
    ),
    (
        "several assuming",
        &[
            "assuming China bans gallium to US and China bans antimony to US",
            "assuming China bans gallium assuming China cuts antimony by 50%",
            "assuming policy:cn-2024-46 lifted and China bans gallium",
        ],
    ),
    (
        "lifted",
        &[
            "assuming policy:cn-2024-46 lifted",
            "assuming policy:cn-2023-23 lifted",
        ],
    ),
    (
        "in force",
        &[
            "assuming policy:cn-2024-46 in force",
            "assuming policy:ps-preempted in force",
        ],
    ),
];

fn graph() -> &'static Graph {
    static GRAPH: std::sync::OnceLock<Graph> = std::sync::OnceLock::new();
    GRAPH.get_or_init(|| {
        repo_graph(&[
            "tests/fixtures/graph/fixture.json",
            "tests/fixtures/policy_states.json",
        ])
    })
}

fn run(text: &str) -> Result<QueryResult, EvalError> {
    eval(graph(), &parse_query(text))
}

fn with_modifier(source: &str, modifier: &str, stages: &str) -> String {
    format!("{source} {modifier} {stages}").trim().to_string()
}

/// The answer changed: other columns or other rows (notes do not count).
fn differs(plain: &QueryResult, modified: &QueryResult) -> bool {
    plain.columns != modified.columns || plain.rows != modified.rows
}

#[test]
fn every_source_and_modifier_pair_changes_the_answer_or_is_an_error() {
    let mut silent = Vec::new();
    for (source_word, queries) in SOURCES {
        for (family, instances) in MODIFIERS {
            let found = queries.iter().any(|(source, stages)| {
                let plain = run(&with_modifier(source, "", stages)).unwrap_or_else(|err| {
                    panic!("{source} {stages}: {err:?}");
                });
                instances.iter().any(|modifier| {
                    match run(&with_modifier(source, modifier, stages)) {
                        // A refusal names the modifier; any other error
                        // (a bad name) proves nothing.
                        Err(err) => err.message.contains("assuming"),
                        Ok(modified) => differs(&plain, &modified),
                    }
                })
            });
            if !found {
                silent.push(format!("{source_word} × {family}"));
            }
        }
    }
    assert!(silent.is_empty(), "silently accepted: {silent:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Stronger for `assuming`: on any of these queries a scenario either
    /// changes the answer or is an error naming the modifier (exposure
    /// always shows baseline and scenario side by side).
    #[test]
    fn a_scenario_changes_the_answer_or_is_refused(
        source_index in 0..SOURCES.len(),
        query_index in 0..3usize,
        family_index in 1..MODIFIERS.len(),
        instance_index in 0..3usize,
    ) {
        let queries = SOURCES[source_index].1;
        let (source, stages) = queries[query_index % queries.len()];
        let instances = MODIFIERS[family_index].1;
        let modifier = instances[instance_index % instances.len()];
        let plain = run(&with_modifier(source, "", stages)).unwrap();
        let text = with_modifier(source, modifier, stages);
        match run(&text) {
            Err(err) => {
                prop_assert!(err.message.contains("assuming"), "{text}: {}", err.message);
                prop_assert!(err.span.end <= text.len());
            }
            Ok(modified) => prop_assert!(differs(&plain, &modified), "{text}: accepted, answer unchanged"),
        }
    }
}

/// A clause (`restricts` edge) with its own `effective` date applies from
/// that date, while its policy is in force from its own (Section 301
/// tariffs on graphite and magnets from 2026-01-01).
#[test]
fn a_clause_applies_from_its_own_effective_date() {
    use critmin::analysis::{Context, PolicyStatus};
    use critmin::model::{Direction, EdgeKind, PartialDate};
    let graph = graph();
    let policy = graph.node_by_id("ps-later-clause").unwrap();
    let gallium = graph.node_by_id("gallium").unwrap();
    let indium = graph.node_by_id("indium").unwrap();
    let clause = |item| {
        graph
            .edges_of(policy, EdgeKind::Restricts, Direction::Outgoing)
            .into_iter()
            .find(|(_, to)| *to == item)
            .map(|(edge, _)| edge)
            .unwrap()
    };
    let on = |day: &str| Context::new(graph).with_as_of(PartialDate::parse(day).ok());
    let before = on("2025-12-31");
    assert_eq!(before.policy_status(policy), PolicyStatus::InForce);
    assert!(before.clause_in_force(policy, clause(indium)));
    assert!(!before.clause_in_force(policy, clause(gallium)));
    assert_eq!(before.pending_clauses(policy).len(), 1);
    let after = on("2026-01-01");
    assert!(after.clause_in_force(policy, clause(gallium)));
    assert!(after.pending_clauses(policy).is_empty());
}
