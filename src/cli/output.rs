//! Writing to stdout and stderr: a closed pipe ends the program quietly.

use std::io::Write;

/// Prints a line to stdout; exits quietly (status 0) when the reader has gone.
pub fn println(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// Prints text as is (no newline added) to stdout.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if write!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

pub fn eprintln(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Prints text as is to stderr.
pub fn eprint(text: &str) {
    let _ = write!(std::io::stderr().lock(), "{text}");
}
