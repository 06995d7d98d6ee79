//! Writing to stdout and stderr: a closed pipe ends the program quietly
//! (exit 0); any other failure to write a result (a full disk, `> /dev/full`)
//! is reported on stderr and ends the program with exit 2, so that no output
//! is lost silently and no later statement runs after a lost one.

use std::io::Write;

/// Prints a line to stdout.
pub fn println(text: &str) {
    write_stdout(text, true);
}

/// Prints text as is (no newline added) to stdout.
pub fn print(text: &str) {
    write_stdout(text, false);
}

fn write_stdout(text: &str, newline: bool) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| match newline {
            true => stdout.write_all(b"\n"),
            false => Ok(()),
        })
        .and_then(|()| stdout.flush());
    if let Err(err) = written {
        stdout_failed(&err);
    }
}

/// Ends the program after stdout failed: quietly for a closed pipe, else
/// with the error and exit 2.
fn stdout_failed(err: &std::io::Error) -> ! {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln(&format!("error: cannot write to standard output: {err}"));
    std::process::exit(i32::from(super::EXIT_USAGE));
}

/// Shows `text` through `$PAGER` (default `less -FRSX`) when it is taller
/// than the terminal; prints it as is otherwise, or when the pager cannot
/// start. Only the interactive shell pages.
pub fn page(text: &str) {
    let height =
        terminal_size::terminal_size().map_or(usize::MAX, |(_, height)| usize::from(height.0));
    if text.lines().count() < height.saturating_sub(1) {
        print(text);
        return;
    }
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|pager| !pager.trim().is_empty())
        .unwrap_or_else(|| "less -FRSX".to_string());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        print(text);
        return;
    };
    let child = std::process::Command::new(program)
        .args(words)
        .stdin(std::process::Stdio::piped())
        .spawn();
    match child {
        Ok(mut child) => {
            if let Some(mut stdin) = child.stdin.take() {
                // The reader may quit early (`q` in less): not an error.
                let _ = stdin.write_all(text.as_bytes());
            }
            let _ = child.wait();
        }
        Err(_) => print(text),
    }
}

static STDERR_COLOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether stdout and stderr get colour: `--color always|never`, or with
/// `auto` a terminal and no `NO_COLOR` (set and not empty).
pub fn color_choice(when: &str) -> (bool, bool) {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    match when {
        "always" => (true, true),
        "never" => (false, false),
        _ if no_color => (false, false),
        _ => (
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        ),
    }
}

/// Remembers whether diagnostics on stderr are coloured.
pub fn set_stderr_color(on: bool) {
    STDERR_COLOR.store(on, std::sync::atomic::Ordering::Relaxed);
}

pub fn stderr_color() -> bool {
    STDERR_COLOR.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn eprintln(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Prints text as is to stderr.
pub fn eprint(text: &str) {
    let _ = write!(std::io::stderr().lock(), "{text}");
}
