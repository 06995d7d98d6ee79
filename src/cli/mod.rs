//! Command-line front end: arguments (clap) lowered into a config, then one
//! of the commands. The only place, with `repl`, that touches the terminal.

mod args;
mod check;
mod complete;
mod import;
mod output;
mod repl;
mod session;
mod sink;
mod snapshot;

use std::io::IsTerminal;
use std::process::ExitCode;

use critmin::eval::{Answer, SinkError};
use critmin::export::ExportFormat;
use critmin::load::{self, GraphSpec, LoadFailure, Loaded};

pub use args::{Args, Command};
use session::{Session, Stop};

/// A query or data error: exit code 1.
pub const EXIT_ERROR: u8 = 1;
/// A usage or I/O error: exit code 2.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let mut command = <Args as clap::CommandFactory>::command();
    if std::env::args().any(|arg| arg == "--version" || arg == "-V") {
        command = command.version(version_text());
    }
    let parsed = command
        .try_get_matches()
        .and_then(|matches| <Args as clap::FromArgMatches>::from_arg_matches(&matches));
    let args = match parsed {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            if let Some(hint) = query_instead_of_command(&err) {
                output::eprintln(&hint);
            }
            return ExitCode::from(if err.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let spec = args.graph_spec();
    let (_, stderr_color) = output::color_choice(&args.color);
    output::set_stderr_color(stderr_color);
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
        Some(Command::Snapshot { output, force }) => snapshot::run(&spec, output, *force),
        Some(Command::Completions { shell }) => {
            let mut command = <Args as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "critmin", &mut script);
            output::print(&String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            let command = <Args as clap::CommandFactory>::command();
            let mut page = Vec::new();
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => {
                    output::print(&String::from_utf8_lossy(&page));
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    output::eprintln(&format!("error: cannot render the man page: {err}"));
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Some(Command::Export {
            query,
            all,
            output,
            export_format,
            force,
        }) => {
            let request = ExportRequest {
                query: if *all { None } else { query.as_deref() },
                output,
                format: export_format.as_deref().and_then(ExportFormat::parse),
                force: *force,
            };
            export_query(&args, spec, &request)
        }
        Some(Command::Import {
            release: _,
            dir,
            output,
        }) => import::run(&args, dir, output),
        None if !args.execute.is_empty() => run_queries(&args, spec),
        None if !std::io::stdin().is_terminal() => run_stdin(&args, spec),
        None => match start_session(&args, spec) {
            Ok(session) => repl::run(session, args.width),
            Err(code) => code,
        },
    }
}

/// The version and the bundled dataset's vintage: the newest event it
/// records, and its size. Leaked once: clap keeps a `&'static str`.
fn version_text() -> &'static str {
    let vintage = match critmin::load::load_bundled() {
        Ok(loaded) => {
            let graph = &loaded.graph;
            let newest = graph
                .node_indices()
                .filter(|node_idx| graph.node(*node_idx).kind == critmin::model::NodeKind::Event)
                .filter_map(|node_idx| {
                    graph
                        .node_prop(node_idx, "date")
                        .and_then(|value| value.as_date())
                })
                .max();
            let newest = newest.map_or_else(String::new, |date| format!("events to {date}, "));
            format!(
                "bundled dataset: {newest}{} nodes, {} edges, {} sources",
                graph.node_count(),
                graph.edge_count(),
                graph.sources().len()
            )
        }
        Err(_) => "bundled dataset does not load".to_string(),
    };
    Box::leak(format!("{} ({vintage})", env!("CARGO_PKG_VERSION")).into_boxed_str())
}

/// `critmin 'show germanium'`: the unknown "subcommand" is a query; say
/// how to run it.
fn query_instead_of_command(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        err.kind(),
        ErrorKind::InvalidSubcommand | ErrorKind::UnknownArgument
    ) {
        return None;
    }
    let Some(ContextValue::String(text)) = err.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    critmin::syntax::parse_script(text).ok()?;
    Some(format!(
        "hint: to run a query, use -e: critmin -e '{}'",
        text.replace('\'', "'\\''")
    ))
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
        run: session::RunState::default(),
        include_unsourced: args.include_unsourced,
        options: critmin::render::RenderOptions {
            width,
            explain: false,
            max_rows: None,
            color: output::color_choice(&args.color).0,
            tree: false,
        },
        pager: false,
        io_failed: false,
        spreadsheet_safe: args.spreadsheet_safe,
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
        let from_stdin = file.as_os_str() == "-";
        let origin = match from_stdin {
            true => "<stdin>".to_string(),
            false => file.display().to_string(),
        };
        let read = match from_stdin {
            true => read_stdin(),
            false => std::fs::read(file),
        };
        let bytes = match read {
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

/// What `critmin export` was asked for.
struct ExportRequest<'a> {
    /// `None` for `--all`.
    query: Option<&'a str>,
    output: &'a str,
    format: Option<ExportFormat>,
    force: bool,
}

/// `critmin export QUERY -o FILE` and `critmin export --all -o FILE`: the
/// subgraph behind the query's answer (or the whole graph) written to FILE,
/// or to stdout for `-o -`. Only the confirmation is printed, on stderr.
/// Query errors exit 1; a refused or failed write exits 2.
fn export_query(args: &Args, spec: GraphSpec, request: &ExportRequest) -> ExitCode {
    let mut session = match start_session(args, spec) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let result = match request.query {
        None => None,
        Some(query) => match session.evaluate(query, "<query>") {
            Ok(result) => Some(result),
            Err(_) => return ExitCode::from(session.error_code()),
        },
    };
    let subgraph = match &result {
        None => critmin::model::Subgraph::all(&session.graph),
        Some(result) => result.subgraph(),
    };
    let answer = result
        .as_ref()
        .zip(request.query)
        .map(|(result, query)| Answer {
            result,
            query: query.trim(),
            as_of: None,
        });
    let written = if request.output == "-" {
        sink::to_stdout(&session.graph, &subgraph, answer.as_ref(), request.format).map(
            |(text, report)| {
                output::print(&text);
                report
            },
        )
    } else {
        let file_request = sink::Request {
            file: request.output,
            format: request.format,
            force: request.force,
            force_word: "--force",
            format_word: "--as FORMAT",
            spreadsheet_safe: args.spreadsheet_safe,
        };
        sink::write(&session.graph, &subgraph, answer.as_ref(), &file_request)
    };
    match written {
        Ok(report) => {
            output::eprintln(&report);
            ExitCode::SUCCESS
        }
        Err(SinkError::Refused(message) | SinkError::Io(message)) => {
            output::eprintln(&format!("error: {message}"));
            ExitCode::from(EXIT_USAGE)
        }
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
    let bytes = match read_stdin() {
        Ok(bytes) => bytes,
        Err(err) => {
            output::eprintln(&format!("error: cannot read standard input: {err}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
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

fn read_stdin() -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
    Ok(bytes)
}

/// Loads the graph, printing warnings and, on failure, every problem.
pub fn load_or_report(spec: &GraphSpec) -> Result<Loaded, ExitCode> {
    match load::load(spec) {
        Ok(loaded) => {
            // The bundled dataset's warnings are known and documented in
            // graph/README.md; a snapshot's were printed when it was
            // written; `critmin check` lists them. Others are news.
            if !spec.paths.is_empty() && spec.snapshot().is_none() {
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

/// Problems printed before the rest are only counted.
pub const MAX_PROBLEMS_SHOWN: usize = 100;

/// Prints up to [`MAX_PROBLEMS_SHOWN`] problems on stderr and counts the rest.
pub fn print_problems(problems: &[load::Problem]) {
    for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        output::eprintln(&problem.to_string());
    }
    if let Some(rest) = problems
        .len()
        .checked_sub(MAX_PROBLEMS_SHOWN)
        .filter(|n| *n > 0)
    {
        output::eprintln(&format!(
            "… and {rest} more problem{} (`critmin check --format json` lists them all)",
            if rest == 1 { "" } else { "s" }
        ));
    }
}

pub fn report_failure(failure: &LoadFailure) {
    print_problems(&failure.problems);
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
