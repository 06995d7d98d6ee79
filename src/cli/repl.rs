//! The interactive shell: rustyline with history in the user's state
//! folder, Tab completion of keywords, kinds, edge kinds, properties, meta
//! commands and node names, and multi-line input (an open quote or bracket,
//! or a line ending in `|`, continues: the rule `critmin run` splits by).
//! Ctrl-C cancels the line, or the running statement; Ctrl-D or `.quit`
//! leaves. History is appended after every statement; the width is read
//! for every statement. Statements run through the same [`Session`] as `-e`.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use critmin::model::Graph;
use critmin::syntax;

use super::complete::{Vocabulary, complete};
use super::output;
use super::session::{Session, Stop};

/// Runs the shell until `.quit` or end of input. `fixed_width` is
/// `--width`; without it the terminal's width is read for every statement.
pub fn run(mut session: Session, fixed_width: Option<u16>) -> ExitCode {
    session.options.max_rows = Some(DEFAULT_MAX_ROWS);
    session.pager = std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Ctrl-C while a statement runs cancels it (the line editor handles
    // Ctrl-C at the prompt itself).
    if let Err(err) = ctrlc::set_handler(critmin::cancel::request) {
        output::eprintln(&format!("warning: Ctrl-C will end the shell: {err}"));
    }
    let helper = ShellHelper {
        vocabulary: Vocabulary::new(&session.graph),
    };
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .history_ignore_space(true)
        .build();
    let mut editor = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(err) => {
            output::eprintln(&format!("error: cannot start the interactive shell: {err}"));
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    editor.set_helper(Some(helper));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    output::println(&banner(&session.graph));
    loop {
        match editor.readline("critmin> ") {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                // On disk now: a crash or a kill later loses nothing typed.
                if let Some(path) = &history {
                    append_history(&mut editor, path);
                }
                session.options.width = fixed_width.or_else(shell_width).unwrap_or(100);
                critmin::cancel::clear();
                if session.run_text(&line, "<repl>") == Err(Stop::Quit) {
                    break;
                }
                critmin::cancel::clear();
                if let Some(helper) = editor.helper_mut() {
                    helper.vocabulary = Vocabulary::new(&session.graph);
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(err) => {
                output::eprintln(&format!("error: {err}"));
                break;
            }
        }
    }
    ExitCode::SUCCESS
}

/// Rows of a table the shell shows unless `.maxrows` says otherwise.
const DEFAULT_MAX_ROWS: usize = 40;

/// One line under 80 columns.
fn banner(graph: &Graph) -> String {
    format!(
        "critmin {} · {} nodes, {} edges · .help, Tab, Ctrl-D to leave",
        env!("CARGO_PKG_VERSION"),
        graph.node_count(),
        graph.edge_count()
    )
}

/// The terminal's width now (it may have been resized), else `$COLUMNS`.
fn shell_width() -> Option<u16> {
    terminal_size::terminal_size()
        .map(|(width, _)| width.0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|columns| columns.parse().ok())
        })
}

/// Appends the newest history entry to the history file.
fn append_history(
    editor: &mut Editor<ShellHelper, rustyline::history::FileHistory>,
    path: &std::path::Path,
) {
    if let Some(folder) = path.parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    if let Err(err) = editor.append_history(path) {
        output::eprintln(&format!(
            "warning: history not saved to {}: {err}",
            path.display()
        ));
    }
}

/// `$XDG_STATE_HOME/critmin/history`, else `~/.local/state/critmin/history`.
fn history_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state"))
        })?;
    Some(state.join("critmin").join("history"))
}

/// Whether the text so far is a whole statement: the rule `critmin run`
/// splits scripts by (an open quote or bracket, or a line ending in `|`,
/// asks for more).
pub fn is_complete(text: &str) -> bool {
    !syntax::statement_continues(text)
}

struct ShellHelper {
    vocabulary: Vocabulary,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, found) = complete(&self.vocabulary, line, pos);
        Ok((
            start,
            found
                .into_iter()
                .map(|word| Pair {
                    display: word.clone(),
                    replacement: word,
                })
                .collect(),
        ))
    }
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Borrowed(line)
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_continue_while_open() {
        assert!(is_complete("show germanium"));
        assert!(!is_complete("show \"rare earth"));
        assert!(!is_complete("list minerals where (share(China) > 0.5"));
        assert!(!is_complete("dependents antimony |"));
        assert!(is_complete("dependents antimony |\n  take 5"));
        assert!(is_complete("show germanium # a comment with ( and \""));
        assert!(is_complete("show \"a \\\" quote\""));
    }
}
