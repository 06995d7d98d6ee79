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

pub fn eprintln(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Prints text as is to stderr.
pub fn eprint(text: &str) {
    let _ = write!(std::io::stderr().lock(), "{text}");
}
