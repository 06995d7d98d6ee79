//! Every example shown by `.help` is a working query on the bundled graph.

use critmin::syntax::keywords::{Category, KEYWORDS};
use critmin::syntax::{Statement, parse_statement};

mod query_run;
use query_run::{bundled, eval};

#[test]
fn every_help_example_parses_and_evaluates() {
    let graph = bundled();
    let mut failures = Vec::new();
    for keyword in KEYWORDS {
        // Examples of parts of a query get the rest of a query around them.
        let example = keyword.example;
        let text = match keyword.category {
            Category::Function
                if ["count", "sum", "avg", "min", "max", "collect"].contains(&keyword.word) =>
            {
                format!("list minerals | group by kind aggregate {example}")
            }
            Category::Function => format!("list minerals | take 3 | select {example}"),
            _ if example.starts_with('|') => format!("list minerals {example}"),
            _ if example.starts_with("where ") => format!("list minerals | take 3 | {example}"),
            _ if example.starts_with("assuming ") => format!("exposure US to China {example}"),
            _ => example.to_string(),
        };
        if keyword.example.is_empty() || text.contains("export") {
            continue;
        }
        match parse_statement(&text) {
            Ok(Statement::Query(query)) => {
                if let Err(err) = eval(&graph, &query) {
                    failures.push(format!("{} ({text}): {}", keyword.word, err.message));
                }
            }
            Ok(Statement::Meta(_)) => {}
            Err(err) => failures.push(format!("{} ({text}): {}", keyword.word, err.message)),
        }
    }
    assert!(
        failures.is_empty(),
        "help examples that fail:\n{}",
        failures.join("\n")
    );
}
