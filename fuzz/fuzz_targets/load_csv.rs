//! The CSV loader: the input is split at the first two NUL bytes into
//! sources.csv, nodes.csv and edges.csv; any bytes give a graph or located
//! problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let nodes = parts.next().unwrap_or("");
    let edges = parts.next().unwrap_or("x");
    let sources = parts.next().unwrap_or("x");
    let files = [
        ("nodes.csv", nodes),
        ("edges.csv", edges),
        ("sources.csv", sources),
    ];
    match critmin::load::load_texts(&files) {
        Ok(loaded) => {
            let _ = critmin::export::native::to_json(&loaded.graph, None);
        }
        Err(failure) => {
            let _ = failure.to_string();
        }
    }
});
