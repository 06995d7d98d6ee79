//! The interactive shell in a pseudo-terminal (issue 8): Ctrl-C cancels a
//! long statement and the next one runs, history is on disk after the
//! first statement, completion knows its position, quoted names complete
//! whole, and long tables are capped.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rexpect::session::{PtySession, spawn_command};

fn shell(state: &Path, graph: Option<&Path>) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_critmin"));
    command
        .env("XDG_STATE_HOME", state)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("PAGER", "cat")
        .env("COLUMNS", "100");
    if let Some(graph) = graph {
        command.arg("--graph").arg(graph);
    }
    let mut session = spawn_command(command, Some(60_000)).unwrap();
    session.exp_string("critmin>").unwrap();
    session
}

#[test]
fn history_is_on_disk_after_the_first_statement() {
    let state = tempfile::tempdir().unwrap();
    let mut session = shell(state.path(), None);
    session.send_line("list industries | count").unwrap();
    session.exp_string("(1 row)").unwrap();
    session.exp_string("critmin>").unwrap();
    let history = std::fs::read_to_string(state.path().join("critmin/history")).unwrap();
    assert!(history.contains("list industries | count"), "{history}");
    session.send_line(".quit").unwrap();
}

/// A graph where `dependence(m0)` on every product takes minutes.
fn large_graph(folder: &Path) -> std::path::PathBuf {
    let mut nodes = vec![r#"{"id":"m0","kind":"mineral","name":"M0","sources":["s"]}"#.to_string()];
    let mut edges = Vec::new();
    let count = 4000;
    for index in 0..count {
        nodes.push(format!(
            r#"{{"id":"p{index}","kind":"product","name":"P{index}","sources":["s"]}}"#
        ));
        for step in 1..=12 {
            let target = (index * 7 + step * 131) % count;
            if target > index {
                edges.push(format!(
                    r#"{{"from":"p{index}","to":"p{target}","kind":"used_in","props":{{"dependence":0.5}},"sources":["s"]}}"#
                ));
            }
        }
    }
    for index in 0..40 {
        edges.push(format!(
            r#"{{"from":"m0","to":"p{index}","kind":"used_in","props":{{"dependence":0.9}},"sources":["s"]}}"#
        ));
    }
    let text = format!(
        r#"{{"format":"critmin-graph","version":1,"sources":[{{"id":"s","title":"synthetic"}}],"nodes":[{}],"edges":[{}]}}"#,
        nodes.join(","),
        edges.join(",")
    );
    let path = folder.join("large.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn ctrl_c_cancels_the_running_statement_and_the_shell_goes_on() {
    let state = tempfile::tempdir().unwrap();
    let graph = large_graph(state.path());
    let mut session = shell(state.path(), Some(&graph));
    session
        .send_line("list products | where dependence(m0) > 2 | count")
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    session.send_control('c').unwrap();
    session.exp_string("cancelled").unwrap();
    session.exp_string("critmin>").unwrap();
    session.send_line("list minerals | count").unwrap();
    session.exp_string("(1 row)").unwrap();
    session.send_line(".quit").unwrap();
}

/// Empties the line and waits for a fresh, empty prompt.
fn clear_line(session: &mut PtySession) {
    session.send_control('u').unwrap();
    session.send_line("").unwrap();
    session.exp_string("critmin> \r").unwrap();
    // The editor starts reading again only once the prompt is drawn.
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn completion_knows_where_it_is() {
    let state = tempfile::tempdir().unwrap();
    let mut session = shell(state.path(), None);
    // Two Tabs list the candidates: kinds after `list`.
    session.send("list \t\t").unwrap();
    session.flush().unwrap();
    session.exp_string("minerals").unwrap();
    clear_line(&mut session);
    // One candidate completes: a stage after `|`.
    session.send("list minerals | so\t").unwrap();
    session.flush().unwrap();
    session.exp_string("sort").unwrap();
    clear_line(&mut session);
    // Formats after `.format`.
    session.send(".format \t\t").unwrap();
    session.flush().unwrap();
    session.exp_string("jsonl").unwrap();
    clear_line(&mut session);
    // Quoted names with spaces are listed and completed whole.
    session.send("show \"rare earth el\t\t").unwrap();
    session.flush().unwrap();
    session
        .exp_string("\"rare earth elements (group)\"")
        .unwrap();
    clear_line(&mut session);
    session.send("show \"rare earth elements (g\t").unwrap();
    session.flush().unwrap();
    session.exp_string("(group)\"").unwrap();
    session.send_line("").unwrap();
    session.exp_string(" rows").unwrap();
    session.exp_string("critmin> \r").unwrap();
    session.send_line(".quit").unwrap();
}

#[test]
fn long_tables_are_capped_in_the_shell() {
    let state = tempfile::tempdir().unwrap();
    let mut session = shell(state.path(), None);
    session.send_line("list events").unwrap();
    // (rexpect reads bytes as characters: the message is matched up to its dash)
    session.exp_string("rows, 40 shown ").unwrap();
    session.exp_string("`.maxrows N` or `| take N`)").unwrap();
    session.exp_string("critmin>").unwrap();
    session.send_line(".maxrows 0").unwrap();
    session.exp_string("critmin>").unwrap();
    session.send_line("list events | count").unwrap();
    session.exp_string("(1 row)").unwrap();
    session.send_line(".quit").unwrap();
}
