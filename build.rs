//! Embeds the bundled dataset (`graph/*.json`, `graph/*.csv` and the same in
//! its subfolders, e.g. the imported `graph/usgs-mcs-2025/`) into the
//! binary, so `critmin` works from any folder.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let graph_dir = root.join("graph");
    println!("cargo:rerun-if-changed=graph");
    let mut files = graph_files(&graph_dir);
    let mut folders: Vec<PathBuf> = entries(&graph_dir)
        .into_iter()
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        println!("cargo:rerun-if-changed={}", folder.display());
        files.extend(graph_files(&folder));
    }
    let mut code = String::from("pub static BUNDLED: &[(&str, &[u8])] = &[\n");
    for path in files {
        let name = path
            .strip_prefix(&graph_dir)
            .map(|relative| relative.to_string_lossy().replace('\\', "/"))
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

fn entries(folder: &Path) -> Vec<PathBuf> {
    fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default()
}

/// A folder's graph files, sorted by name.
fn graph_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = entries(folder);
    files.retain(|path| path.is_file() && is_graph_file(path));
    files.sort();
    files
}

fn is_graph_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "csv")
    )
}
