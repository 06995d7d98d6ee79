//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use critmin::load::GraphSpec;

const AFTER_HELP: &str = "\
Graphs:
  Without --graph, critmin uses the dataset bundled in the binary.
  --graph PATH   replaces it (repeatable; JSON files, CSV files or folders)
  --graph +PATH  adds PATH to the bundled dataset

Exit codes:
  0  success
  1  a query error or a data error (the graph did not validate)
  2  a usage error or an I/O error (bad arguments, missing file)";

#[derive(Debug, Parser)]
#[command(name = "critmin", version, about = "Query a knowledge graph of critical-mineral supply chains", after_help = AFTER_HELP)]
pub struct Args {
    /// Graph file or folder to load instead of the bundled dataset; +PATH adds to it.
    #[arg(long = "graph", value_name = "PATH", global = true)]
    pub graphs: Vec<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset and print its statistics (exit 1 if it has errors).
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
        format: CheckFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Table,
    Json,
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
        }
    }
}
