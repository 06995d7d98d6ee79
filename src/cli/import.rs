//! `critmin import usgs-mcs DIR -o OUT`: runs the importer on a release
//! folder and writes its graph files, then prints the run's summary.

use std::path::Path;
use std::process::ExitCode;

use critmin::load::{self, Loaded};

use super::{Args, EXIT_ERROR, EXIT_USAGE, output};

pub fn run(args: &Args, dir: &Path, out: &Path) -> ExitCode {
    let base = match base_graph(args, out) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let existing = |id: &str| base.graph.node_by_id(id).is_some();
    let import = match critmin::import::import_usgs_mcs(dir, &existing) {
        Ok(import) => import,
        Err(err) => {
            output::eprintln(&format!("error: {err}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Err(err) = std::fs::create_dir_all(out) {
        output::eprintln(&format!("error: cannot create {}: {err}", out.display()));
        return ExitCode::from(EXIT_USAGE);
    }
    for (name, text) in &import.files {
        let path = out.join(name);
        if let Err(err) = critmin::export::write_atomically(&path, text, true) {
            output::eprintln(&format!("error: {err}"));
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let written: Vec<&str> = import.files.iter().map(|(name, _)| name.as_str()).collect();
    output::println(&format!(
        "{}\nwrote {} files to {}: {}",
        import.summary.report(),
        written.len(),
        out.display(),
        written.join(", ")
    ));
    ExitCode::SUCCESS
}

/// The graph whose node ids the import reuses: the `--graph` files, else
/// the bundled graph without the folder being regenerated.
fn base_graph(args: &Args, out: &Path) -> Result<Loaded, ExitCode> {
    let loaded = if args.graphs.is_empty() {
        let folder = out
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        load::load_bundled_without(&folder)
    } else {
        load::load(&args.graph_spec())
    };
    loaded.map_err(|failure| {
        for problem in &failure.problems {
            output::eprintln(&problem.to_string());
        }
        ExitCode::from(EXIT_ERROR)
    })
}
