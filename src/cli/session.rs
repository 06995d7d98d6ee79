//! A query session: the loaded graph, parameters and output settings, and
//! the loop that parses, evaluates and prints statements. `-e`, script
//! files and (later) the REPL all run text through [`Session::run_text`].
//! Trade indexes and dependence tables stay in the session's
//! [`AnalysisCache`] from one statement to the next (cleared by `.load`);
//! `.timing on` prints each statement's phases and cache hits on stderr.

use std::time::{Duration, Instant};

use critmin::analysis::{AnalysisCache, CacheStats};
use critmin::eval::{self, Env, Params, Phases};
use critmin::load::{self, GraphSpec};
use critmin::model::{Graph, GraphStats};
use critmin::render::{self, Diagnostic, OutputFormat, RenderOptions};
use critmin::syntax::{self, MetaCommand, Statement};

use super::output;
use super::sink::FileSink;

/// Why running text stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A query error was printed.
    Error,
    /// `.quit`.
    Quit,
}

pub struct Session {
    pub graph: Graph,
    pub spec: GraphSpec,
    pub params: Params,
    pub format: OutputFormat,
    pub timing: bool,
    /// Count unsourced facts in the metrics (`--include-unsourced`).
    pub include_unsourced: bool,
    pub options: RenderOptions,
    /// Output taller than the terminal goes through a pager (the shell on
    /// a terminal only).
    pub pager: bool,
    /// Set when an export could not be written: the run ends with exit 2.
    pub io_failed: bool,
    /// `--spreadsheet-safe`: CSV output and CSV exports neutralise formula-leading cells.
    pub spreadsheet_safe: bool,
    /// What the statements of this run share, and the timing of the current one.
    pub run: RunState,
}

/// Kept from one statement to the next.
#[derive(Debug, Default)]
pub struct RunState {
    /// Trade indexes and dependence tables (cleared when `.load` replaces the graph).
    pub cache: AnalysisCache,
    /// Parsing time of the text not yet reported by `.timing`.
    parse: Duration,
    /// Evaluation phases of the statement being run.
    phases: Phases,
}

impl Session {
    /// The exit code after a statement failed: 2 when a write failed, else 1.
    pub fn error_code(&self) -> u8 {
        if self.io_failed {
            super::EXIT_USAGE
        } else {
            super::EXIT_ERROR
        }
    }

    /// Runs every statement of `text`; stops at the first error. Text with
    /// no statement at all (blank, or only comments) is an error.
    pub fn run_text(&mut self, text: &str, origin: &str) -> Result<(), Stop> {
        let started = Instant::now();
        let parsed =
            syntax::parse_script(text).and_then(|statements| match statements.is_empty() {
                true => syntax::parse_statement(text).map(|_| statements),
                false => Ok(statements),
            });
        let statements = match parsed {
            Ok(statements) => statements,
            Err(err) => {
                return Err(fail(text, origin, &Diagnostic::from(&err)));
            }
        };
        self.run.parse = started.elapsed();
        for statement in &statements {
            self.run_statement(statement, text, origin)?;
        }
        Ok(())
    }

    /// Runs every statement of `text`, going on after an error; the errors
    /// are printed as they come and `Stop::Error` is returned at the end if
    /// there was any (`.quit` still stops at once).
    pub fn run_text_keep_going(&mut self, text: &str, origin: &str) -> Result<(), Stop> {
        let mut failed = false;
        let started = Instant::now();
        let statements = syntax::parse_script_each(text);
        self.run.parse = started.elapsed();
        for parsed in statements {
            let outcome = match parsed {
                Ok(statement) => self.run_statement(&statement, text, origin),
                Err(err) => Err(fail(text, origin, &Diagnostic::from(&err))),
            };
            match outcome {
                Ok(()) => {}
                Err(Stop::Quit) => return Err(Stop::Quit),
                Err(Stop::Error) => failed = true,
            }
        }
        if failed { Err(Stop::Error) } else { Ok(()) }
    }

    /// Evaluates `text`, which must be one query, without printing its
    /// result (`critmin export`); errors are printed as usual.
    pub fn evaluate(&mut self, text: &str, origin: &str) -> Result<eval::QueryResult, Stop> {
        let statement = match syntax::parse_statement(text) {
            Ok(statement) => statement,
            Err(err) => return Err(fail(text, origin, &Diagnostic::from(&err))),
        };
        let Statement::Query(query) = statement else {
            let diagnostic = Diagnostic {
                message: "expected a query, found a dot command".to_string(),
                span: syntax::Span::new(0, text.len()),
                label: String::new(),
                hint: None,
            };
            return Err(fail(text, origin, &diagnostic));
        };
        self.eval(&query)
            .map_err(|err| fail(text, origin, &Diagnostic::from(&err)))
    }

    /// Evaluates one query with the session's settings, writing its
    /// exports through the file sink; an export that failed on I/O is
    /// remembered for the exit code.
    fn eval(&mut self, query: &syntax::Query) -> Result<eval::QueryResult, eval::EvalError> {
        let mut sink = FileSink {
            spreadsheet_safe: self.spreadsheet_safe,
        };
        let mut env = Env {
            graph: &self.graph,
            params: &self.params,
            sink: Some(&mut sink),
            include_unsourced: self.include_unsourced,
        };
        let outcome =
            eval::eval_query_in_run(&mut env, query, Some(&self.run.cache), &mut self.run.phases);
        if let Err(err) = &outcome {
            self.io_failed |= err.kind == eval::EvalErrorKind::ExportIo;
        }
        outcome
    }

    fn run_statement(
        &mut self,
        statement: &Statement,
        text: &str,
        origin: &str,
    ) -> Result<(), Stop> {
        match statement {
            Statement::Query(query) => self.run_query(query, text, origin),
            Statement::Meta(meta) => self.meta(&meta.command, text, origin),
        }
    }

    fn run_query(&mut self, query: &syntax::Query, text: &str, origin: &str) -> Result<(), Stop> {
        let started = Instant::now();
        self.run.phases = Phases::default();
        let result = match self.eval(query) {
            Ok(result) => result,
            Err(err) => return Err(fail(text, origin, &Diagnostic::from(&err))),
        };
        let rendering = Instant::now();
        let rendered = render::render(
            &self.graph,
            &result,
            self.format,
            self.options,
            &query.to_string(),
        );
        let stdout = if self.spreadsheet_safe && self.format == OutputFormat::Csv {
            critmin::export::csv::spreadsheet_safe(&rendered.stdout)
        } else {
            rendered.stdout
        };
        if self.pager {
            output::page(&stdout);
        } else {
            output::print(&stdout);
        }
        output::eprint(&rendered.stderr);
        let render = rendering.elapsed();
        let parse = std::mem::take(&mut self.run.parse);
        let cache = self.run.cache.take_stats();
        if self.timing {
            let total = parse + started.elapsed();
            output::eprintln(&timing_line(total, parse, self.run.phases, render, cache));
        }
        Ok(())
    }

    fn meta(&mut self, command: &MetaCommand, text: &str, origin: &str) -> Result<(), Stop> {
        match command {
            MetaCommand::Help { topic } => {
                match syntax::help(topic.as_ref().map(|word| word.value.as_str())) {
                    Ok(help) => output::print(&ensure_newline(help)),
                    Err(err) => {
                        return Err(fail(text, origin, &Diagnostic::from(&err)));
                    }
                }
            }
            MetaCommand::Schema => output::print(&self.schema()),
            MetaCommand::Kinds => output::print(&kinds()),
            MetaCommand::Format { format } => self.format = format.value,
            MetaCommand::Timing { on } => self.timing = on.value,
            MetaCommand::Unsourced { on } => self.include_unsourced = on.value,
            MetaCommand::Explain { on } => self.options.explain = on.value,
            MetaCommand::Tree { on } => self.options.tree = on.value,
            MetaCommand::MaxRows { count } => match count.value.parse::<usize>() {
                Ok(0) => self.options.max_rows = None,
                Ok(rows) => self.options.max_rows = Some(rows),
                Err(_) => {
                    let diagnostic = Diagnostic {
                        message: format!("expected a number of rows, found `{}`", count.value),
                        span: count.span,
                        label: String::new(),
                        hint: Some("`.maxrows 40`, or `.maxrows 0` for every row".to_string()),
                    };
                    return Err(fail(text, origin, &diagnostic));
                }
            },
            MetaCommand::Param { name, value } => {
                self.params.insert(name.value.clone(), param_text(value));
            }
            MetaCommand::Sources { id } => match self.graph.source_by_id(&id.value) {
                Some(source_idx) => output::print(&render::visible_lines(&source_card(
                    &self.graph,
                    source_idx,
                ))),
                None => {
                    let ids = self.graph.sources().iter().map(|s| s.id.as_str());
                    let hint = critmin::model::closest(&id.value, ids)
                        .map(|close| format!("did you mean `{close}`?"));
                    let diagnostic = Diagnostic {
                        message: format!("no source has id `{}`", id.value),
                        span: id.span,
                        label: String::new(),
                        hint,
                    };
                    return Err(fail(text, origin, &diagnostic));
                }
            },
            MetaCommand::Load { path } => self.load_more(&path.value, text, origin, path.span)?,
            MetaCommand::Quit => return Err(Stop::Quit),
        }
        Ok(())
    }

    fn load_more(
        &mut self,
        path: &str,
        text: &str,
        origin: &str,
        span: critmin::syntax::Span,
    ) -> Result<(), Stop> {
        let mut spec = self.spec.clone();
        spec.paths.push(path.into());
        match load::load(&spec) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    output::eprintln(&warning.to_string());
                }
                output::eprintln(&format!(
                    "loaded {}: {} nodes, {} edges",
                    path,
                    loaded.graph.node_count(),
                    loaded.graph.edge_count()
                ));
                self.graph = loaded.graph;
                self.run.cache.clear();
                self.spec = spec;
                Ok(())
            }
            Err(failure) => {
                super::print_problems(&failure.problems);
                let diagnostic = Diagnostic {
                    message: format!("could not load {path}; the graph is unchanged"),
                    span,
                    label: String::new(),
                    hint: None,
                };
                Err(fail(text, origin, &diagnostic))
            }
        }
    }

    fn schema(&self) -> String {
        let stats = GraphStats::of(&self.graph);
        let mut text = String::from("node kinds\n");
        for (kind, count) in &stats.nodes_by_kind {
            text.push_str(&format!("  {:<16}{count:>8}\n", kind.as_str()));
        }
        text.push_str("edge kinds (from → to)\n");
        for (kind, count) in &stats.edges_by_kind {
            let (froms, tos) = kind.endpoints();
            let names = |kinds: &[critmin::model::NodeKind]| {
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join("/")
            };
            text.push_str(&format!(
                "  {:<16}{count:>8}  {} → {}\n",
                kind.as_str(),
                names(froms),
                names(tos)
            ));
        }
        text.push_str(&format!(
            "properties\n  {}\n",
            self.graph.prop_keys().join(", ")
        ));
        text
    }
}

/// `.timing`'s line: `time: 12.345 ms (parse 0.021, source 10.502,
/// stages 0.113, render 1.709; cache: trade 1 hit 0 built, dependence 1 hit 0 built)`.
fn timing_line(
    total: Duration,
    parse: Duration,
    phases: Phases,
    render: Duration,
    cache: CacheStats,
) -> String {
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let mut line = format!(
        "time: {:.3} ms (parse {:.3}, source {:.3}, stages {:.3}, render {:.3}",
        ms(total),
        ms(parse),
        ms(phases.source),
        ms(phases.stages),
        ms(render)
    );
    if !cache.is_empty() {
        line.push_str(&format!(
            "; cache: trade {} hit {} built, dependence {} hit {} built, production {} hit {} built, supply {} hit {} built",
            cache.trade_hits,
            cache.trade_misses,
            cache.dependence_hits,
            cache.dependence_misses,
            cache.production_hits,
            cache.production_misses,
            cache.supply_hits,
            cache.supply_misses
        ));
    }
    line.push(')');
    line
}

fn kinds() -> String {
    let mut text = String::new();
    for kind in critmin::model::NodeKind::ALL {
        text.push_str(&format!("{} ({})\n", kind.as_str(), kind.plural()));
    }
    text
}

fn source_card(graph: &Graph, source_idx: critmin::model::SourceIdx) -> String {
    let source = graph.source(source_idx);
    let mut text = format!("{}\n  title: {}\n", source.id, source.title);
    let optional = [
        ("publisher", source.publisher.clone()),
        ("published", source.published.map(|d| d.to_string())),
        ("url", source.url.clone()),
        ("note", source.note.clone()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            text.push_str(&format!("  {label}: {value}\n"));
        }
    }
    text
}

/// The text a `.param` value stands for (strings unquoted).
fn param_text(value: &syntax::Expr) -> String {
    match value {
        syntax::Expr::Str(text) => text.value.clone(),
        other => other.to_string(),
    }
}

fn ensure_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Prints a diagnostic about `text` and says to stop.
fn fail(text: &str, origin: &str, diagnostic: &Diagnostic) -> Stop {
    output::eprint(&render::render_diagnostic_styled(
        text,
        origin,
        diagnostic,
        output::stderr_color(),
    ));
    Stop::Error
}
