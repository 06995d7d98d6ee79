//! Command-line front end: arguments (clap) lowered into a config, then one
//! of the commands. The only place, with `repl`, that touches the terminal.

mod args;
mod check;
mod output;

use std::process::ExitCode;

use clap::Parser;

use critmin::load::{self, GraphSpec, LoadFailure, Loaded};

pub use args::{Args, Command};

/// A query or data error: exit code 1.
pub const EXIT_ERROR: u8 = 1;
/// A usage or I/O error: exit code 2.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let spec = args.graph_spec();
    match &args.command {
        Some(Command::Check { format }) => check::run(&spec, *format),
        None => summary(&spec),
    }
}

/// Loads the graph, printing warnings and, on failure, every problem.
pub fn load_or_report(spec: &GraphSpec) -> Result<Loaded, ExitCode> {
    match load::load(spec) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                output::eprintln(&warning.to_string());
            }
            Ok(loaded)
        }
        Err(failure) => {
            report_failure(&failure);
            Err(ExitCode::from(exit_code_of(&failure)))
        }
    }
}

/// A failure that is only about missing or unreadable files is an I/O error (2).
pub fn exit_code_of(failure: &LoadFailure) -> u8 {
    let io_only = failure.problems.iter().filter(|p| p.is_error()).all(|p| {
        matches!(p.at, load::At::File)
            && (p.message.starts_with("no such file") || p.message.starts_with("cannot read"))
    });
    if io_only { EXIT_USAGE } else { EXIT_ERROR }
}

fn report_failure(failure: &LoadFailure) {
    for problem in &failure.problems {
        output::eprintln(&problem.to_string());
    }
    let errors = failure.error_count();
    let plural = if errors == 1 { "" } else { "s" };
    output::eprintln(&format!(
        "critmin: the graph has {errors} error{plural}; nothing was loaded"
    ));
}

fn summary(spec: &GraphSpec) -> ExitCode {
    let loaded = match load_or_report(spec) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let graph = &loaded.graph;
    output::println(&format!(
        "critmin {}: loaded {} nodes, {} edges and {} sources from {} file(s).\nRun `critmin check` for statistics, or `critmin --help`.",
        env!("CARGO_PKG_VERSION"),
        graph.node_count(),
        graph.edge_count(),
        graph.sources().len(),
        loaded.files.len()
    ));
    ExitCode::SUCCESS
}
