//! `critmin snapshot -o FILE`: the loaded graph written as a snapshot,
//! through the same publishing rules as exports (no half-written file, an
//! existing file kept unless `--force`).

use std::path::Path;
use std::process::ExitCode;

use critmin::export::{self, WriteError};
use critmin::load::GraphSpec;

use super::{EXIT_USAGE, output};

pub fn run(spec: &GraphSpec, target: &Path, force: bool) -> ExitCode {
    if target.as_os_str() == "-" {
        output::eprintln("error: a snapshot is binary; give a file name for -o, not `-`");
        return ExitCode::from(EXIT_USAGE);
    }
    let loaded = match critmin::load::load_sources(spec) {
        Ok(loaded) => loaded,
        Err(failure) => {
            super::report_failure(&failure);
            return ExitCode::from(super::exit_code_of(&failure));
        }
    };
    if !spec.paths.is_empty() && spec.snapshot().is_none() {
        for warning in &loaded.warnings {
            output::eprintln(&warning.to_string());
        }
    }
    let bytes = match spec.bundled && spec.paths.is_empty() {
        true => critmin::snapshot::write_bundled(&loaded),
        false => critmin::snapshot::write(&loaded),
    };
    let size = bytes.len();
    match export::publish(&[(target.to_path_buf(), bytes)], force) {
        Ok(()) => {
            let graph = &loaded.graph;
            output::eprintln(&format!(
                "wrote {}: {} nodes, {} edges, {} sources in {size} bytes (snapshot format {})",
                target.display(),
                graph.node_count(),
                graph.edge_count(),
                graph.sources().len(),
                critmin::snapshot::FORMAT_VERSION
            ));
            ExitCode::SUCCESS
        }
        Err(WriteError::Exists(existing)) => {
            output::eprintln(&format!(
                "error: {existing} already exists (add --force to replace it)"
            ));
            ExitCode::from(EXIT_USAGE)
        }
        Err(err) => {
            output::eprintln(&format!("error: {err}"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}
