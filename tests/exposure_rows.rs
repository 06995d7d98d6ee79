//! An exposure answer with hundreds of rows builds their evidence on every
//! core (`critmin::parallel`, from 256 rows on a machine with two cores or
//! more); each row must be the one a single-row question gives, built on
//! one thread, and the rows must keep their ranked order. Its `top_path`
//! and `factors` are lazy cells: each must show, export and type as the
//! cell it stands for.

mod query_run;
use query_run::{answer, bundled_with};

/// Industries added to the bundled graph, each using two of China's
/// minerals with its own dependences.
const INDUSTRIES: usize = 300;

fn extra_industries() -> String {
    let minerals = [
        "gallium",
        "germanium",
        "antimony",
        "graphite-natural",
        "tungsten",
    ];
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for index in 0..INDUSTRIES {
        let id = format!("rows-test-industry-{index}");
        nodes.push(format!(
            r#"{{"id": "{id}", "kind": "industry", "name": "Rows test industry {index}", "sources": ["rows-test"]}}"#
        ));
        for (offset, mineral) in [index % 5, (index / 5 + 1) % 5].iter().enumerate() {
            let dependence = 0.05 + ((index * 37 + offset * 11) % 90) as f64 / 100.0;
            edges.push(format!(
                r#"{{"from": "{}", "to": "{id}", "kind": "used_in", "props": {{"dependence": {dependence}}}, "sources": ["rows-test"]}}"#,
                minerals[*mineral]
            ));
        }
    }
    format!(
        r#"{{"format": "critmin-graph", "version": 1,
 "sources": [{{"id": "rows-test", "title": "Industries for the parallel rows test (not real data)"}}],
 "nodes": [{}],
 "edges": [{}]}}"#,
        nodes.join(",\n"),
        edges.join(",\n")
    )
}

#[test]
fn every_row_of_a_large_answer_is_the_row_its_own_question_gives() {
    let graph = bundled_with(&[("rows-test.json", &extra_industries())]);
    for supplier in ["China", "policy \"MOFCOM 2024 No.46\""] {
        let whole = answer(&graph, &format!("exposure US to {supplier}"));
        // Two threads' worth (parallel::ITEMS_PER_WORKER = 128).
        assert!(whole.rows.len() >= 256, "{supplier}: {}", whole.rows.len());
        for row in &whole.rows {
            let industry = &graph.node(row.node.unwrap()).id;
            let alone = answer(&graph, &format!("exposure US \"{industry}\" to {supplier}"));
            assert_eq!(alone.columns, whole.columns);
            assert_eq!(alone.rows.len(), 1, "{supplier}: {industry}");
            assert_eq!(&alone.rows[0], row, "{supplier}: {industry}");
            for cell in &row.cells {
                let made = cell.resolved(&graph);
                assert_eq!(cell.display(&graph), made.display(&graph));
                assert_eq!(cell.to_json(&graph), made.to_json(&graph));
                assert_eq!(cell.type_name(), made.type_name());
            }
        }
        let scores: Vec<f64> = whole
            .rows
            .iter()
            .map(|row| row.cells[2].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|pair| pair[0] >= pair[1]),
            "{supplier}"
        );
    }
}
