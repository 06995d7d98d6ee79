//! The `critmin` binary: parses arguments, runs a command, owns exit codes.
//!
//! Exit codes: 0 success, 1 a query or data error, 2 a usage or I/O error.

#![warn(clippy::unwrap_used, clippy::expect_used)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
