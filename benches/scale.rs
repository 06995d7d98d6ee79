//! Issue 14's side-by-side harness, critmin's half: the seeded generator of
//! the issue's graph shape and the runner that times critmin's answers to
//! the comparison questions. `bench/compare.sh` drives it with the Python
//! peers (`bench/peers.py`); BENCHMARKS.md, "Side by side", says how.
//!
//! ```text
//! cargo bench --bench scale -- gen --edges 1000000 --seed 1 -o DIR
//! cargo bench --bench scale -- run --graph DIR --runs 7 --answers OUT.json
//! ```
//!
//! Invariant: never run by `cargo test` or CI (only its generator's
//! determinism test, with `cargo test --bench scale`).

#[path = "scale/answers.rs"]
mod answers;
#[path = "scale/generate.rs"]
mod generate;
mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The allocator of the `critmin` binary (src/main.rs), so that the
/// runner times what the CLI does.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; skip it.
    let args: Vec<String> = args.into_iter().filter(|arg| arg != "--bench").collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => generate_command(&args[1..]),
        Some("run") => answers::run(&args[1..]),
        _ => Err("usage: scale gen --edges N --seed S -o DIR | scale run --graph DIR [--runs N] [--answers FILE] [--timings FILE]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("scale: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `--name`, if given.
pub fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|position| args.get(position + 1))
        .map(String::as_str)
}

fn generate_command(args: &[String]) -> Result<(), String> {
    let edges: usize = flag(args, "--edges")
        .unwrap_or("1000000")
        .parse()
        .map_err(|err| format!("--edges: {err}"))?;
    let seed: u64 = flag(args, "--seed")
        .unwrap_or("1")
        .parse()
        .map_err(|err| format!("--seed: {err}"))?;
    let folder = PathBuf::from(flag(args, "-o").ok_or("gen needs -o DIR")?);
    let start = Instant::now();
    let shape = generate::generate(&folder, edges, seed)
        .map_err(|err| format!("cannot write {}: {err}", folder.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let total = shape.edges() as f64;
    let percent = |count: usize| 100.0 * count as f64 / total;
    println!(
        "{}: {} nodes ({} countries, {} minerals, {} products, {} industries), {} edges in {seconds:.1} s",
        folder.display(),
        shape.nodes(),
        shape.countries,
        shape.minerals,
        shape.products,
        shape.industries,
        shape.edges(),
    );
    println!(
        "  produces {} ({:.1} %), imports_from {} ({:.1} %), used_in {}, depends_on {}, import_reliance {} (together {:.2} %)",
        shape.produces,
        percent(shape.produces),
        shape.imports_from,
        percent(shape.imports_from),
        shape.used_in,
        shape.depends_on,
        shape.import_reliance,
        percent(shape.used_in + shape.depends_on + shape.import_reliance),
    );
    Ok(())
}
