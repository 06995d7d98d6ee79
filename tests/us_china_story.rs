//! The US–China story of 2025 as the bundled graph tells it (issue 11, gap 1):
//! `path` from the US tariffs of 2 Apr 2025 reaches the June 2025 magnet
//! rebound through the Geneva and London deals, and `timeline` of the magnet
//! series shows the deals among the trade records.
//!
//! Runs the real binary with `--format jsonl` and reads the rows back.

use std::process::Command;

use serde_json::Value;

const TARIFFS: &str = "us-2025-04-02-reciprocal-tariffs";
const GENEVA: &str = "ev-2025-05-12-geneva-joint-statement";
const LONDON: &str = "ev-2025-06-10-london-framework";
const REBOUND: &str = "ev-2025-06-magnet-exports";

/// The rows of one query against the bundled graph.
fn rows(query: &str) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(["--format", "jsonl", "-e", query])
        .output()
        .expect("the critmin binary runs");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    assert!(
        output.status.success(),
        "`{query}` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON row"))
        .collect()
}

fn text<'a>(row: &'a Value, column: &str) -> &'a str {
    row[column].as_str().unwrap_or("")
}

/// Each listed path as its sequence of node ids, start first.
fn paths(rows: &[Value]) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    for row in rows {
        if row["step"].as_f64() == Some(1.0) {
            found.push(vec![text(row, "from").to_string()]);
        }
        let path = found.last_mut().expect("a path starts at step 1");
        path.push(text(row, "to").to_string());
    }
    found
}

#[test]
fn path_from_the_april_tariffs_reaches_the_june_rebound_through_the_deals() {
    let query = format!("path {TARIFFS} to {REBOUND} all max 3");
    let found = paths(&rows(&query));
    let story = vec![TARIFFS, GENEVA, LONDON, REBOUND];
    assert!(
        found.iter().any(|path| *path == story),
        "no path tariffs → Geneva → London → rebound among {found:?}"
    );
    // The direct answer is China's own response: No.18 answered the tariffs.
    let shortest = paths(&rows(&format!("path {TARIFFS} to {REBOUND}")));
    assert_eq!(
        shortest,
        vec![vec![TARIFFS, "cn-mofcom-2025-18", REBOUND]],
        "the shortest path runs through MOFCOM 2025 No.18"
    );
}

#[test]
fn path_follows_the_affiliates_rule_to_the_busan_truce() {
    let found = paths(&rows(
        "path us-bis-2025-09-29-affiliates-rule to us-cn-2025-11-01-busan-truce",
    ));
    assert_eq!(
        found,
        vec![vec![
            "us-bis-2025-09-29-affiliates-rule",
            "us-cn-2025-11-01-busan-truce"
        ]]
    );
    let answered = paths(&rows(
        "path us-bis-2025-09-29-affiliates-rule to cn-mofcom-2025-61",
    ));
    assert_eq!(
        answered,
        vec![vec![
            "us-bis-2025-09-29-affiliates-rule",
            "cn-mofcom-2025-61"
        ]],
        "the 9 Oct package answers the affiliates rule"
    );
}

#[test]
fn timeline_of_the_magnet_series_shows_the_deals_between_the_trade_records() {
    let rows = rows("timeline ndfeb-magnets from 2025-04 to 2025-07");
    let ids: Vec<&str> = rows.iter().map(|row| text(row, "id")).collect();
    let at = |id: &str| {
        ids.iter()
            .position(|seen| *seen == id)
            .unwrap_or_else(|| panic!("{id} is not on the timeline {ids:?}"))
    };
    // Monthly records sort before the days of their month: June's rebound
    // (dated 2025-06) comes first, then the London deal of 10 June.
    let (may, geneva, june, london, july) = (
        at("tr-cn-magnets-2025-05"),
        at(GENEVA),
        at(REBOUND),
        at(LONDON),
        at("tr-cn-magnets-2025-07"),
    );
    assert!(may < geneva && geneva < june, "{ids:?}");
    assert!(june < london && london < july, "{ids:?}");
    assert!(ids.contains(&"ev-2025-06-19-mofcom-re-licence-approvals"));
    let dates: Vec<&str> = rows.iter().map(|row| text(row, "date")).collect();
    assert_eq!(dates[geneva], "2025-05-12");
    assert_eq!(dates[london], "2025-06-10");
}

#[test]
fn path_via_events_tells_no18_to_the_auto_plant_stoppages_with_dates() {
    let story = rows("path policy \"MOFCOM 2025 No.18\" to automotive via events");
    let found = paths(&story);
    assert_eq!(
        found,
        vec![vec![
            "cn-mofcom-2025-18",
            "tr-cn-magnets-2025-05",
            "ev-2025-05-auto-line-stoppages",
            "automotive"
        ]],
        "the story: No.18, the May export collapse (46 t to the US), the plant stoppages"
    );
    assert_eq!(text(&story[0], "date"), "2025-05");
    // Of the equally short paths through events, the one told by causes
    // wins over one that leaves the events for the supply chain (Geneva →
    // magnets → automotive).
    let geneva_route = rows("path policy \"MOFCOM 2025 No.18\" to automotive via events all max 3");
    assert!(
        paths(&geneva_route).len() > 1,
        "several three-hop paths exist, so the choice is real"
    );
}

#[test]
fn timeline_of_antimony_includes_events_on_its_products() {
    let rows = rows("timeline antimony from 2025-01 to 2025-02");
    assert!(
        rows.iter()
            .any(|row| text(row, "kind") == "event via antimony-trioxide"),
        "no antimony oxide trade event among {rows:?}"
    );
}
