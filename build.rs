//! Embeds the bundled dataset (`graph/*.json`, `graph/*.csv`) into the binary,
//! so `critmin` works from any folder.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let graph_dir = root.join("graph");
    println!("cargo:rerun-if-changed=graph");
    let mut files: Vec<PathBuf> = fs::read_dir(&graph_dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    files.retain(|path| is_graph_file(path));
    files.sort();
    let mut code = String::from("pub static BUNDLED: &[(&str, &[u8])] = &[\n");
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        code.push_str(&format!(
            "    (\"graph/{name}\", include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("bundled.rs");
    if let Err(err) = fs::write(&out, code) {
        panic!("cannot write {}: {err}", out.display());
    }
}

fn is_graph_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "csv")
    )
}
