//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use critmin::load::GraphSpec;

const AFTER_HELP: &str = "\
Examples:
  critmin                                   the interactive shell
  critmin -e 'show germanium'               one query
  critmin -e 'exposure US to China | take 5'
  critmin -e 'find magnets'                 names as you type them
  critmin --width 80 -e 'timeline germanium from 2023 to 2025-12'
  critmin run queries.cmq                   a file of queries
  critmin export 'neighbors germanium depth 2' -o ge.graphml
  critmin snapshot --graph bulk/ -o bulk.cms   then: critmin --graph bulk.cms

Graphs:
  Without --graph, critmin uses the dataset bundled in the binary.
  --graph PATH   replaces it (repeatable; JSON files, CSV files or folders)
  --graph +PATH  adds PATH to the bundled dataset
  --graph FILE.cms  opens a snapshot written by `critmin snapshot` (alone)

Exit codes:
  0  success
  1  a query error or a data error (the graph did not validate)
  2  a usage error or an I/O error (bad arguments, a missing, unreadable or oversized
     file, a FIFO or device as input, an export that cannot be written, a failed
     write to standard output; a closed pipe ends quietly with 0)";

#[derive(Debug, Parser)]
#[command(name = "critmin", version, about = "Query a knowledge graph of critical-mineral supply chains", after_help = AFTER_HELP)]
pub struct Args {
    /// Graph file or folder to load instead of the bundled dataset; +PATH adds to it.
    #[arg(long = "graph", value_name = "PATH", global = true)]
    pub graphs: Vec<String>,

    /// Run a query (repeatable); statements run in order and stop at the first error.
    #[arg(short = 'e', long = "execute", value_name = "QUERY")]
    pub execute: Vec<String>,

    /// Result format.
    #[arg(long, value_name = "FORMAT", value_parser = ["table", "json", "jsonl", "csv", "markdown"], default_value = "table", global = true)]
    pub format: String,

    /// Set a query parameter: `--param item=germanium` makes `$item` stand for germanium.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param, global = true)]
    pub params: Vec<(String, String)>,

    /// Count facts marked `"confidence": "unsourced"` in shares, HHI,
    /// concentration, import reliance and exposure (left out by default).
    #[arg(long = "include-unsourced", global = true)]
    pub include_unsourced: bool,
    /// Colour for tables and diagnostics: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, value_name = "WHEN", value_parser = ["auto", "always", "never"], default_value = "auto", global = true)]
    pub color: String,

    /// The largest graph file read, in bytes (default 536870912, 512 MiB);
    /// larger files, pipes and devices are refused before they are read.
    #[arg(long, value_name = "BYTES", global = true)]
    pub max_file_size: Option<u64>,

    /// Neutralise CSV cells a spreadsheet would run as formulas (`=`, `+`,
    /// `-`, `@` first) with a `'` prefix, in `--format csv` and CSV exports
    /// (which then no longer load back unchanged).
    #[arg(long, global = true)]
    pub spreadsheet_safe: bool,

    /// Table width in columns (default: the terminal's, or 100).
    #[arg(long, value_name = "N", global = true)]
    pub width: Option<u16>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((
            name.trim().trim_start_matches('$').to_string(),
            value.to_string(),
        )),
        _ => Err(format!("expected NAME=VALUE, found \"{text}\"")),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset and print its statistics (exit 1 if it has errors).
    /// (`--format table` or `--format json` for the report)
    Check,
    /// Evaluate QUERY and export the subgraph behind its answer to FILE
    /// (atomically; an existing FILE is kept unless --force). Prints only
    /// its confirmation, on stderr. `-o -` writes to standard output.
    Export {
        /// One query, e.g. 'neighbors "rare earth magnets" depth 2'.
        #[arg(
            value_name = "QUERY",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        query: Option<String>,
        /// Export the whole graph instead of a query's answer.
        #[arg(long)]
        all: bool,
        /// The file to write; `-` for standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: String,
        /// Export format (default: from FILE's extension; native JSON without one).
        /// Named --as because --format is the result format.
        #[arg(long = "as", value_name = "FORMAT", value_parser = ["json", "cytoscape", "nodelink", "graphml", "dot", "cypher", "kuzu", "csv", "neo4j-csv", "pandas-csv", "svg", "html"])]
        export_format: Option<String>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Run query files in order, each statement's result in turn; stop at
    /// the first error (exit 1) unless --keep-going. `-` reads standard input.
    Run {
        /// Query files (`.cmq`): statements end at a newline or `;`, `#` comments; `-` is standard input.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Run every statement even after an error; exit 1 at the end if any failed.
        #[arg(long)]
        keep_going: bool,
    },
    /// Import an official data release into graph files:
    /// `critmin import usgs-mcs DIR -o OUT` reads a folder laid out like the
    /// USGS Mineral Commodity Summaries data release (docs/IMPORT.md) and
    /// writes native graph JSON into OUT (its files are replaced). Node ids
    /// the base graph has are reused: the bundled graph without
    /// graph/<OUT's folder name>/, or the --graph files.
    Import {
        /// The release's kind (only `usgs-mcs` today).
        #[arg(value_name = "RELEASE", value_parser = ["usgs-mcs"])]
        release: String,
        /// The release folder (its CSV files may sit in subfolders).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The folder to write the graph files into.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
    },
    /// Write the graph (--graph, or the bundled dataset) as a snapshot:
    /// one validated binary file that `--graph FILE.cms` opens at once
    /// (docs/SNAPSHOT.md). Written atomically; an existing FILE is kept
    /// unless --force.
    Snapshot {
        /// The snapshot file to write, e.g. graph.cms.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script: `critmin completions bash >
    /// ~/.local/share/bash-completion/completions/critmin`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `critmin man > critmin.1`.
    Man,
}

impl Args {
    /// Which graph to load: bundled unless a plain --graph PATH replaces it.
    pub fn graph_spec(&self) -> GraphSpec {
        let replaces = self.graphs.iter().any(|path| !path.starts_with('+'));
        GraphSpec {
            bundled: !replaces,
            paths: self
                .graphs
                .iter()
                .map(|path| PathBuf::from(path.strip_prefix('+').unwrap_or(path)))
                .collect(),
            max_file_bytes: self.max_file_size,
        }
    }
}
