//! Gathering input files: the bundled dataset, files and folders on disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    pub text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl InputFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        });
        let line = starts.partition_point(|start| *start <= offset).max(1);
        let line_start = starts[line - 1];
        let column = self.text[line_start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

/// The files compiled into the binary from `graph/`.
pub fn bundled_files(problems: &mut Vec<Problem>) -> Vec<InputFile> {
    bundled::BUNDLED
        .iter()
        .filter_map(|(name, bytes)| accept(Arc::from(*name), bytes.to_vec(), problems))
        .collect()
}

/// Reads files and folders (a folder's `.json` and `.csv` files, sorted).
pub fn files_from_paths(paths: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<InputFile> {
    let mut files = Vec::new();
    for path in paths {
        let name: Arc<str> = Arc::from(path.display().to_string());
        if path.is_dir() {
            let listed = graph_files_in(path);
            if listed.is_empty() {
                problems.push(Problem::error(
                    &name,
                    At::File,
                    "folder holds no .json or .csv graph files",
                ));
            }
            for file in listed {
                files.extend(read_file(&file, problems));
            }
        } else {
            files.extend(read_file(path, problems));
        }
    }
    files
}

fn graph_files_in(folder: &Path) -> Vec<PathBuf> {
    let mut listed: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    listed.retain(|path| path.is_file() && format_of(&path.to_string_lossy()).is_some());
    listed.sort();
    listed
}

fn read_file(path: &Path, problems: &mut Vec<Problem>) -> Option<InputFile> {
    let name: Arc<str> = Arc::from(path.display().to_string());
    match std::fs::read(path) {
        Ok(bytes) => accept(name, bytes, problems),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            problems.push(Problem::error(&name, At::File, "no such file or folder"));
            None
        }
        Err(err) => {
            problems.push(Problem::error(
                &name,
                At::File,
                format!("cannot read the file: {err}"),
            ));
            None
        }
    }
}

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
        let message =
            "not a graph file: expected a .json file or nodes.csv, edges.csv, sources.csv";
        problems.push(Problem::error(&name, At::File, message));
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
    if text.trim().is_empty() {
        problems.push(Problem::error(&name, At::File, "file is empty"));
        return None;
    }
    Some(InputFile {
        name,
        format,
        text,
        line_starts: OnceLock::new(),
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
