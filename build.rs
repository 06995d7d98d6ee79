//! Embeds the bundled dataset (`graph/*.json`, `graph/*.csv` and the same in
//! its subfolders, e.g. the imported `graph/usgs-mcs-2025/`) into the
//! binary, so `critmin` works from any folder.
//!
//! Also embeds `graph/bundled.cms`, the same dataset as a snapshot, with a
//! fingerprint of everything it is made from (the dataset's files and the
//! code that loads and encodes them). The snapshot records the fingerprint
//! it was written under; critmin opens it only when the two agree and
//! loads the files otherwise, so a stale snapshot is never used (and
//! `tests/snapshot.rs` fails, naming the command that rewrites it).

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
    for path in &files {
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
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    write(&out_dir.join("bundled.rs"), &code);
    write(
        &out_dir.join("bundled_snapshot.rs"),
        &snapshot_code(&root, &fingerprint_inputs(&root, &files)),
    );
}

fn write(path: &Path, code: &str) {
    if let Err(err) = fs::write(path, code) {
        panic!("cannot write {}: {err}", path.display());
    }
}

/// The code that loads, models and encodes a graph: a change to it may
/// change the snapshot of the same files.
const SNAPSHOT_CODE: &[&str] = &["src/load", "src/model", "src/snapshot"];

/// The dataset's files and the snapshot code, sorted by path.
fn fingerprint_inputs(root: &Path, graph_files: &[PathBuf]) -> Vec<PathBuf> {
    let mut inputs = graph_files.to_vec();
    for folder in SNAPSHOT_CODE {
        let folder = root.join(folder);
        println!("cargo:rerun-if-changed={}", folder.display());
        let mut code: Vec<PathBuf> = entries(&folder)
            .into_iter()
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        code.sort();
        inputs.extend(code);
    }
    inputs
}

/// `BUNDLED_FINGERPRINT` (FNV-1a over each input's path relative to the
/// crate, length and bytes) and `BUNDLED_SNAPSHOT` (empty without
/// `graph/bundled.cms`).
fn snapshot_code(root: &Path, inputs: &[PathBuf]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in inputs {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let bytes = fs::read(path).unwrap_or_default();
        feed(relative.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&(bytes.len() as u64).to_le_bytes());
        feed(&bytes);
    }
    let snapshot = root.join("graph").join("bundled.cms");
    let embedded = match snapshot.is_file() {
        true => format!("include_bytes!({:?})", snapshot.display().to_string()),
        false => "&[]".to_string(),
    };
    format!(
        "pub const BUNDLED_FINGERPRINT: u64 = 0x{hash:016x};\npub static BUNDLED_SNAPSHOT: &[u8] = {embedded};\n"
    )
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
