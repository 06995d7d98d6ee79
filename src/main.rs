//! The `critmin` binary: parses arguments, runs a command, owns exit codes.
//!
//! Exit codes: 0 success, 1 a query or data error, 2 a usage or I/O error.

#![warn(clippy::unwrap_used, clippy::expect_used)]

mod cli;

use std::process::ExitCode;

/// jemalloc: answers allocate many small cells and strings, and it serves
/// them faster than the system allocator, with the same peak memory (see
/// BENCHMARKS.md, "Allocator").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    cli::main()
}
