//! Gathering input files: the bundled dataset, files and folders on disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::csv_stream::{self, STREAM_ABOVE, Streamed};
use super::problem::{At, Problem};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// What a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Json,
    SourcesCsv,
    NodesCsv,
    EdgesCsv,
}

/// One input file's text, checked to be UTF-8 and non-empty.
#[derive(Debug)]
pub struct InputFile {
    pub name: Arc<str>,
    pub format: FileFormat,
    /// The text; empty for a file read in blocks (`streamed`).
    pub text: String,
    /// A big edge file checked to be read in blocks by the edge pass
    /// rather than held whole (`csv_stream`).
    pub streamed: Option<Streamed>,
    line_index: OnceLock<LineIndex>,
}

impl InputFile {
    /// 1-based line and column (in characters) of a byte offset. Costs
    /// O(log n + CHAR_CHECKPOINT) per call, so that 100 000 problems on one
    /// minified line stay linear.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let index = self.line_index.get_or_init(|| LineIndex::new(&self.text));
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = index
            .line_starts
            .partition_point(|start| *start <= offset)
            .max(1);
        let line_start = index.line_starts[line - 1];
        let column =
            index.chars_before(&self.text, offset) - index.chars_before(&self.text, line_start);
        (line, column + 1)
    }
}

/// Bytes between two character-count checkpoints.
const CHAR_CHECKPOINT: usize = 4096;

/// Line starts, and the number of characters before every
/// [`CHAR_CHECKPOINT`]-th byte (rounded down to a character boundary).
#[derive(Debug)]
struct LineIndex {
    line_starts: Vec<usize>,
    checkpoints: Vec<(usize, usize)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let mut checkpoints = vec![(0, 0)];
        let mut chars = 0;
        let mut last = 0;
        while last + CHAR_CHECKPOINT < text.len() {
            let next = floor_char_boundary(text, last + CHAR_CHECKPOINT);
            chars += text[last..next].chars().count();
            checkpoints.push((next, chars));
            last = next;
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let at = self
            .checkpoints
            .partition_point(|(byte, _)| *byte <= offset)
            .max(1);
        let (byte, chars) = self.checkpoints[at - 1];
        chars + text[byte..offset].chars().count()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The files compiled into the binary from `graph/`.
pub fn bundled_files(problems: &mut Vec<Problem>) -> Vec<InputFile> {
    bundled::BUNDLED
        .iter()
        .filter_map(|(name, bytes)| accept(Arc::from(*name), bytes.to_vec(), problems))
        .collect()
}

/// The largest input file read unless the user raises it (`--max-file-size`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Reads files and folders (a folder's `.json` and `.csv` files, sorted).
/// A file's name and metadata are checked before it is read: a name that
/// is not a graph file, anything but a regular file (a FIFO, a device) and
/// a file over `max_bytes` are refused without reading.
pub fn files_from_paths(
    paths: &[PathBuf],
    max_bytes: u64,
    problems: &mut Vec<Problem>,
) -> Vec<InputFile> {
    let mut files = Vec::new();
    for path in paths {
        let name: Arc<str> = Arc::from(path.display().to_string());
        if path.is_dir() {
            let listed = match graph_files_in(path) {
                Ok(listed) => listed,
                Err(err) => {
                    let message = format!("cannot read the folder: {err}");
                    problems.push(Problem::error(&name, At::File, message));
                    continue;
                }
            };
            if listed.is_empty() {
                problems.push(Problem::error(
                    &name,
                    At::File,
                    "folder holds no .json or .csv graph files",
                ));
            }
            for file in listed {
                files.extend(read_file(&file, max_bytes, problems));
            }
        } else {
            files.extend(read_file(path, max_bytes, problems));
        }
    }
    files
}

fn graph_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut listed = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        listed.push(entry?.path());
    }
    listed.retain(|path| path.is_file() && format_of(&path.to_string_lossy()).is_some());
    listed.sort();
    Ok(listed)
}

fn read_file(path: &Path, max_bytes: u64, problems: &mut Vec<Problem>) -> Option<InputFile> {
    let name: Arc<str> = Arc::from(path.display().to_string());
    let mut refuse = |message: String| {
        problems.push(Problem::error(&name, At::File, message));
        None
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return refuse("no such file or folder".to_string());
        }
        Err(err) => return refuse(format!("cannot read the file: {err}")),
    };
    let Some(format) = format_of(&name) else {
        return refuse(NOT_A_GRAPH_FILE.to_string());
    };
    if !metadata.is_file() {
        return refuse(
            "cannot read the file: not a regular file (a pipe or a device is not read)".to_string(),
        );
    }
    if metadata.len() > max_bytes {
        return refuse(format!(
            "cannot read the file: it has {} bytes, over the limit of {max_bytes} (raise it with --max-file-size)",
            metadata.len()
        ));
    }
    if format == FileFormat::EdgesCsv && metadata.len() >= STREAM_ABOVE {
        if let Some(streamed) = csv_stream::scan(path, metadata.len(), max_bytes) {
            return Some(InputFile {
                name,
                format,
                text: String::new(),
                streamed: Some(streamed),
                line_index: OnceLock::new(),
            });
        }
    }
    let read = std::fs::File::open(path).and_then(|file| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, max_bytes.saturating_add(1)),
            &mut bytes,
        )?;
        Ok(bytes)
    });
    match read {
        Ok(bytes) if bytes.len() as u64 > max_bytes => refuse(format!(
            "cannot read the file: it grew over the limit of {max_bytes} bytes while being read"
        )),
        Ok(bytes) => {
            let name = Arc::clone(&name);
            accept(name, bytes, problems)
        }
        Err(err) => refuse(format!("cannot read the file: {err}")),
    }
}

const NOT_A_GRAPH_FILE: &str =
    "not a graph file: expected a .json file or nodes.csv, edges.csv, sources.csv";

fn format_of(name: &str) -> Option<FileFormat> {
    let lower = name.to_ascii_lowercase();
    let base = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if base.ends_with(".json") {
        Some(FileFormat::Json)
    } else if base == "nodes.csv" || base.ends_with(".nodes.csv") {
        Some(FileFormat::NodesCsv)
    } else if base == "edges.csv" || base.ends_with(".edges.csv") {
        Some(FileFormat::EdgesCsv)
    } else if base == "sources.csv" || base.ends_with(".sources.csv") {
        Some(FileFormat::SourcesCsv)
    } else {
        None
    }
}

/// Accepts an in-memory text as a file of the given name.
pub fn accept_text(name: &str, text: &str, problems: &mut Vec<Problem>) -> Option<InputFile> {
    accept(Arc::from(name), text.as_bytes().to_vec(), problems)
}

fn accept(name: Arc<str>, bytes: Vec<u8>, problems: &mut Vec<Problem>) -> Option<InputFile> {
    let Some(format) = format_of(&name) else {
        problems.push(Problem::error(&name, At::File, NOT_A_GRAPH_FILE));
        return None;
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let bytes = err.as_bytes();
            let valid_up_to = err.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .map_or(0, |tail| tail.chars().count())
                + 1;
            let message = format!(
                "file is not valid UTF-8 (byte 0x{:02x})",
                bytes[valid_up_to]
            );
            problems.push(Problem::error(
                &name,
                At::Position { line, column },
                message,
            ));
            return None;
        }
    };
    // A byte-order mark is accepted (and dropped) in every format.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        problems.push(Problem::error(&name, At::File, "file is empty"));
        return None;
    }
    Some(InputFile {
        name,
        format,
        text,
        streamed: None,
        line_index: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_files_by_name() {
        assert_eq!(format_of("graph/a.json"), Some(FileFormat::Json));
        assert_eq!(format_of("bulk/nodes.csv"), Some(FileFormat::NodesCsv));
        assert_eq!(
            format_of("bulk/trade.edges.csv"),
            Some(FileFormat::EdgesCsv)
        );
        assert_eq!(format_of("notes.txt"), None);
    }

    #[test]
    fn line_and_column_agree_with_counting_on_long_multibyte_lines() {
        let mut problems = Vec::new();
        let text = format!("{{\n{}\n{}}}", "Ä€x".repeat(5000), "ü".repeat(9000));
        let file = accept(
            Arc::from("a.json"),
            text.clone().into_bytes(),
            &mut problems,
        )
        .unwrap();
        for offset in (0..text.len()).step_by(997).chain([text.len()]) {
            let offset = floor_char_boundary(&text, offset);
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |t| t.chars().count()) + 1;
            assert_eq!(file.line_col(offset), (line, column), "offset {offset}");
        }
    }

    #[test]
    fn computes_line_and_column() {
        let mut problems = Vec::new();
        let file = accept(
            Arc::from("a.json"),
            b"{\n  \"x\": 1\n}".to_vec(),
            &mut problems,
        )
        .unwrap();
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(4), (2, 3));
    }
}
