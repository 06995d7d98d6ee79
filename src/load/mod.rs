//! Loading: files (JSON or CSV, or the dataset bundled in the binary) →
//! a validated [`Graph`], or every problem found, each with its file, its
//! JSON path or CSV line, and a plain sentence.
//!
//! Loading runs in three passes over all files — sources, then nodes, then
//! edges — so files may refer to each other in any order.
//!
//! Invariant: `load` never returns a graph that has an error; warnings
//! travel beside a good graph.

mod assemble;
mod csv;
mod csv_edge_row;
mod csv_edges;
mod csv_rows;
mod csv_stream;
mod input;
mod json;
mod json_value;
mod problem;
mod raw;
mod short_text;

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::Graph;

pub use assemble::{SHARE_SUM_LIMIT, SHARE_SUM_LOW};
pub(crate) use csv::{EDGE_COLUMNS, NODE_COLUMNS, SOURCE_COLUMNS};
pub use input::{DEFAULT_MAX_FILE_BYTES, FileFormat};
pub use problem::{At, LoadFailure, Problem, Severity};

use assemble::Assembler;
use input::InputFile;

/// A graph that loaded, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub graph: Graph,
    pub warnings: Vec<Problem>,
    /// The files read, in load order.
    pub files: Vec<String>,
    /// Which file (and place in it) each edge came from.
    pub edge_origins: EdgeOrigins,
}

/// Where each edge was read: edges are added file by file, so each file
/// holds one range of edge indices (a graph that loaded kept every edge).
#[derive(Debug, Clone, Default)]
pub struct EdgeOrigins {
    /// `(first edge, end, file name, is JSON)`, in edge order.
    ranges: Vec<(u32, u32, Arc<str>, bool)>,
}

impl EdgeOrigins {
    /// The ranges as stored: `(first edge, end, file name, is JSON)`.
    pub(crate) fn ranges(&self) -> &[(u32, u32, Arc<str>, bool)] {
        &self.ranges
    }

    /// Origins from stored ranges (a snapshot keeps them).
    pub(crate) fn from_ranges(ranges: Vec<(u32, u32, Arc<str>, bool)>) -> EdgeOrigins {
        EdgeOrigins { ranges }
    }

    /// `graph/production.json $.edges[19]` or `graph/x/edges.csv data row 51`.
    pub fn place(&self, edge_idx: crate::model::EdgeIndex) -> Option<String> {
        let index = edge_idx.index() as u32;
        let (first, _, file, is_json) = self
            .ranges
            .iter()
            .find(|(first, end, _, _)| (*first..*end).contains(&index))?;
        let within = index - first;
        Some(if *is_json {
            format!("{file} $.edges[{within}]")
        } else {
            format!("{file} data row {}", within + 1)
        })
    }
}

/// What to load: the bundled dataset, paths on disk, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphSpec {
    pub bundled: bool,
    pub paths: Vec<PathBuf>,
    /// The largest file read from disk, in bytes; `None` is
    /// [`DEFAULT_MAX_FILE_BYTES`].
    pub max_file_bytes: Option<u64>,
}

impl GraphSpec {
    /// The snapshot this spec opens, if it names one (`--graph FILE.cms`).
    pub fn snapshot(&self) -> Option<&std::path::Path> {
        self.paths
            .iter()
            .map(PathBuf::as_path)
            .find(|path| is_snapshot_file(path))
    }

    pub fn bundled() -> GraphSpec {
        GraphSpec {
            bundled: true,
            ..GraphSpec::default()
        }
    }
}

/// Loads the dataset compiled into the binary.
pub fn load_bundled() -> Result<Loaded, LoadFailure> {
    load(&GraphSpec::bundled())
}

/// Loads files and folders from disk only.
pub fn load_paths(paths: &[PathBuf]) -> Result<Loaded, LoadFailure> {
    load(&GraphSpec {
        paths: paths.to_vec(),
        ..GraphSpec::default()
    })
}

/// Loads the bundled dataset without the files under `graph/FOLDER/`: the
/// base an importer builds on when it regenerates that folder.
pub fn load_bundled_without(folder: &str) -> Result<Loaded, LoadFailure> {
    let mut problems = Vec::new();
    let prefix = format!("graph/{folder}/");
    let files: Vec<InputFile> = input::bundled_files(&mut problems)
        .into_iter()
        .filter(|file| !file.name.starts_with(&prefix))
        .collect();
    load_files(files, problems)
}

/// Loads what `spec` names; fails with every problem if any is an error.
/// A snapshot (`.cms`) is opened by [`crate::snapshot`] and must stand
/// alone: it is a whole graph, already validated.
///
/// The bundled dataset alone comes from its embedded snapshot when that is
/// current (see build.rs), else from its files.
pub fn load(spec: &GraphSpec) -> Result<Loaded, LoadFailure> {
    if spec.bundled && spec.paths.is_empty() {
        if let Some(loaded) = crate::snapshot::bundled() {
            return Ok(loaded);
        }
    }
    load_sources(spec)
}

/// [`load`] from the files themselves, never from the embedded snapshot:
/// what `check` validates and `critmin snapshot` encodes.
pub fn load_sources(spec: &GraphSpec) -> Result<Loaded, LoadFailure> {
    if let Some(snapshot) = spec.snapshot() {
        // The default limit guards text files, which cost several times
        // their size to parse; a snapshot is written by critmin and every
        // allocation for it is bounded by its size, so only a limit the
        // user set applies.
        let max_bytes = spec.max_file_bytes.unwrap_or(u64::MAX);
        return load_snapshot(spec, snapshot, max_bytes);
    }
    let max_bytes = spec.max_file_bytes.unwrap_or(DEFAULT_MAX_FILE_BYTES);
    let mut problems = Vec::new();
    let mut files = Vec::new();
    if spec.bundled {
        files.extend(input::bundled_files(&mut problems));
    }
    files.extend(input::files_from_paths(
        &spec.paths,
        max_bytes,
        &mut problems,
    ));
    load_files(files, problems)
}

/// A `.cms` path that is not a folder.
fn is_snapshot_file(path: &std::path::Path) -> bool {
    crate::snapshot::is_snapshot_path(path) && !path.is_dir()
}

fn load_snapshot(
    spec: &GraphSpec,
    snapshot: &std::path::Path,
    max_bytes: u64,
) -> Result<Loaded, LoadFailure> {
    if spec.bundled || spec.paths.len() > 1 {
        let name: Arc<str> = Arc::from(snapshot.display().to_string());
        let message = "cannot read the snapshot with other graphs: a snapshot is a whole graph; give it alone as --graph FILE.cms";
        return Err(LoadFailure {
            problems: vec![Problem::error(&name, At::File, message)],
        });
    }
    crate::snapshot::read_file(snapshot, max_bytes).map_err(|problem| LoadFailure {
        problems: vec![problem],
    })
}

fn load_files(files: Vec<InputFile>, mut problems: Vec<Problem>) -> Result<Loaded, LoadFailure> {
    let names = files.iter().map(|file| file.name.to_string()).collect();
    let (graph, more, edge_origins) = assemble_files(&files);
    problems.extend(more);
    if problems.iter().any(Problem::is_error) {
        problems.sort_by_key(|problem| problem.severity);
        return Err(LoadFailure { problems });
    }
    Ok(Loaded {
        graph,
        warnings: problems,
        files: names,
        edge_origins,
    })
}

/// Loads a graph from in-memory texts, as if they were files of these names.
pub fn load_texts(texts: &[(&str, &str)]) -> Result<Loaded, LoadFailure> {
    load_texts_with(texts, Assembler::default())
}

/// [`load_texts`] with every CSV edge row checked by the assembler itself,
/// even those its worker found clean: the oracle of the loader's tests.
#[cfg(test)]
pub(crate) fn load_texts_rechecked(texts: &[(&str, &str)]) -> Result<Loaded, LoadFailure> {
    let mut assembler = Assembler::default();
    assembler.recheck_clean_rows = true;
    load_texts_with(texts, assembler)
}

fn load_texts_with(texts: &[(&str, &str)], assembler: Assembler) -> Result<Loaded, LoadFailure> {
    let mut problems = Vec::new();
    let files: Vec<InputFile> = texts
        .iter()
        .filter_map(|(name, text)| input::accept_text(name, text, &mut problems))
        .collect();
    let names = files.iter().map(|file| file.name.to_string()).collect();
    let (graph, more, edge_origins) = assemble_with(&files, assembler);
    problems.extend(more);
    if problems.iter().any(Problem::is_error) {
        problems.sort_by_key(|problem| problem.severity);
        return Err(LoadFailure { problems });
    }
    Ok(Loaded {
        graph,
        warnings: problems,
        files: names,
        edge_origins,
    })
}

fn assemble_files(files: &[InputFile]) -> (Graph, Vec<Problem>, EdgeOrigins) {
    assemble_with(files, Assembler::default())
}

fn assemble_with<'f>(
    files: &'f [InputFile],
    mut assembler: Assembler<'f>,
) -> (Graph, Vec<Problem>, EdgeOrigins) {
    let sections: Vec<_> = files
        .iter()
        .filter(|file| file.format == FileFormat::Json)
        .filter_map(|file| json::split(file, &mut assembler.problems))
        .collect();
    let csv_of = |format: FileFormat| files.iter().filter(move |file| file.format == format);
    for section in &sections {
        section.add_sources(&mut assembler);
    }
    csv_of(FileFormat::SourcesCsv).for_each(|file| csv::add(file, &mut assembler));
    for section in &sections {
        section.add_nodes(&mut assembler);
    }
    csv_of(FileFormat::NodesCsv).for_each(|file| csv::add(file, &mut assembler));
    let mut origins = EdgeOrigins::default();
    let mut record = |assembler: &Assembler, first: usize, file: &InputFile| {
        let end = assembler.graph.edge_count();
        if end > first {
            let is_json = file.format == FileFormat::Json;
            origins
                .ranges
                .push((first as u32, end as u32, Arc::clone(&file.name), is_json));
        }
    };
    for section in &sections {
        let first = assembler.graph.edge_count();
        section.add_edges(&mut assembler);
        record(&assembler, first, section.file());
    }
    for file in csv_of(FileFormat::EdgesCsv) {
        let first = assembler.graph.edge_count();
        csv::add(file, &mut assembler);
        record(&assembler, first, file);
    }
    let (graph, problems) = assembler.finish();
    (graph, problems, origins)
}
