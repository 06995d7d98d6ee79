//! Command-line front end: arguments (clap) lowered into a config, then one
//! of the commands. The only place, with `repl`, that touches the terminal.

mod args;
mod check;
mod import;
mod output;
mod repl;
mod session;
mod sink;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use critmin::load::{self, GraphSpec, LoadFailure, Loaded};

pub use args::{Args, Command};
use session::{Session, Stop};

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
        Some(Command::Check) => match args.format.as_str() {
            "table" => check::run(&spec, check::CheckFormat::Table),
            "json" => check::run(&spec, check::CheckFormat::Json),
            other => {
                output::eprintln(&format!(
                    "error: `check` reports as table or json, not {other}"
                ));
                ExitCode::from(EXIT_USAGE)
            }
        },
        Some(Command::Run { files, keep_going }) => run_files(&args, spec, files, *keep_going),
        Some(Command::Export {
            query,
            output,
            export_format,
            force,
        }) => export_query(&args, spec, query, output, export_format.as_deref(), *force),
        Some(Command::Import {
            release: _,
            dir,
            output,
        }) => import::run(&args, dir, output),
        None if !args.execute.is_empty() => run_queries(&args, spec),
        None if !std::io::stdin().is_terminal() => run_stdin(&args, spec),
        None => match start_session(&args, spec) {
            Ok(session) => repl::run(session),
            Err(code) => code,
        },
    }
}

fn start_session(args: &Args, spec: GraphSpec) -> Result<Session, ExitCode> {
    let loaded = load_or_report(&spec)?;
    let width = args.width.or_else(terminal_width).unwrap_or(100);
    Ok(Session {
        graph: loaded.graph,
        spec,
        params: args.params.iter().cloned().collect(),
        format: critmin::render::parse_format(&args.format)
            .unwrap_or(critmin::render::OutputFormat::Table),
        timing: false,
        include_unsourced: args.include_unsourced,
        options: critmin::render::RenderOptions { width },
        io_failed: false,
    })
}

/// `$COLUMNS`, else the terminal's width when stdout is a terminal.
fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(width, _)| width.0))
}

/// `critmin -e QUERY ...`: each query in order; exit 1 at the first error.
fn run_queries(args: &Args, spec: GraphSpec) -> ExitCode {
    let mut session = match start_session(args, spec) {
        Ok(session) => session,
        Err(code) => return code,
    };
    for query in &args.execute {
        match session.run_text(query, "<query>") {
            Ok(()) => {}
            Err(Stop::Quit) => break,
            Err(Stop::Error) => return ExitCode::from(session.error_code()),
        }
    }
    ExitCode::SUCCESS
}

/// `critmin run FILE...`: every file read first (a missing file is a usage
/// error before anything runs), then run in order.
fn run_files(
    args: &Args,
    spec: GraphSpec,
    files: &[std::path::PathBuf],
    keep_going: bool,
) -> ExitCode {
    let mut scripts = Vec::with_capacity(files.len());
    for file in files {
        let origin = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(err) => {
                output::eprintln(&format!("error: cannot read {origin}: {err}"));
                return ExitCode::from(EXIT_USAGE);
            }
        };
        match utf8_text(bytes, &origin) {
            Ok(text) => scripts.push((origin, text)),
            Err(code) => return code,
        }
    }
    let mut session = match start_session(args, spec) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let mut failed = false;
    for (origin, text) in &scripts {
        let outcome = if keep_going {
            session.run_text_keep_going(text, origin)
        } else {
            session.run_text(text, origin)
        };
        match outcome {
            Ok(()) => {}
            Err(Stop::Quit) => break,
            Err(Stop::Error) if keep_going => failed = true,
            Err(Stop::Error) => return ExitCode::from(session.error_code()),
        }
    }
    if failed {
        ExitCode::from(session.error_code())
    } else {
        ExitCode::SUCCESS
    }
}

/// `critmin export QUERY -o FILE`: the query with an export stage appended,
/// so that it runs and reports exactly like `QUERY | export "FILE"`.
fn export_query(
    args: &Args,
    spec: GraphSpec,
    query: &str,
    output: &str,
    export_format: Option<&str>,
    force: bool,
) -> ExitCode {
    let mut session = match start_session(args, spec) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let mut text = format!(
        "{} | export {}",
        query.trim_end(),
        critmin::syntax::quote(output)
    );
    if let Some(format) = export_format {
        text.push_str(&format!(" as {format}"));
    }
    if force {
        text.push_str(" force");
    }
    match session.run_text(&text, "<query>") {
        Ok(()) | Err(Stop::Quit) => ExitCode::SUCCESS,
        Err(Stop::Error) => ExitCode::from(session.error_code()),
    }
}

/// The bytes as text, or the place of the first invalid byte (exit 1).
fn utf8_text(bytes: Vec<u8>, origin: &str) -> Result<String, ExitCode> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let (line, column) = critmin::syntax::line_col(&before, before.len());
        let byte = err.as_bytes()[valid.len()];
        output::eprintln(&format!(
            "error: {origin}:{line}:{column}: the input is not valid UTF-8 (byte 0x{byte:02x})"
        ));
        ExitCode::from(EXIT_ERROR)
    })
}

/// Piped standard input runs as one script.
fn run_stdin(args: &Args, spec: GraphSpec) -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(err) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
        output::eprintln(&format!("error: cannot read standard input: {err}"));
        return ExitCode::from(EXIT_USAGE);
    }
    let text = match utf8_text(bytes, "<stdin>") {
        Ok(text) => text,
        Err(code) => return code,
    };
    if text.trim().is_empty() {
        return summary(&spec);
    }
    let mut session = match start_session(args, spec) {
        Ok(session) => session,
        Err(code) => return code,
    };
    match session.run_text(&text, "<stdin>") {
        Ok(()) | Err(Stop::Quit) => ExitCode::SUCCESS,
        Err(Stop::Error) => ExitCode::from(session.error_code()),
    }
}

/// Loads the graph, printing warnings and, on failure, every problem.
pub fn load_or_report(spec: &GraphSpec) -> Result<Loaded, ExitCode> {
    match load::load(spec) {
        Ok(loaded) => {
            // The bundled dataset's warnings are known and documented in
            // graph/README.md; `critmin check` lists them. Others are news.
            if !spec.paths.is_empty() {
                for warning in &loaded.warnings {
                    output::eprintln(&warning.to_string());
                }
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
        "critmin {}: loaded {} nodes, {} edges and {} sources from {} file(s).\nAsk a question with `critmin -e 'exposure US to China'`, list the language with `critmin -e .help`,\nor validate data with `critmin check`. See `critmin --help`.",
        env!("CARGO_PKG_VERSION"),
        graph.node_count(),
        graph.edge_count(),
        graph.sources().len(),
        loaded.files.len()
    ));
    ExitCode::SUCCESS
}
