//! Export: a graph or a result's subgraph written in the native JSON format
//! (which loads back) and in formats other tools read.
//!
//! Invariant: export builds text; writing it to disk (atomically) is the
//! caller's job through [`write_atomically`].

pub mod csv;
pub mod native;

use std::io::Write;
use std::path::Path;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `export "ge.json"` when ge.json exists and `force` was not given.
    #[error("{0} already exists (add `force` to replace it)")]
    Exists(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Writes `text` to `path` through a temporary file in the same folder and a
/// rename, so the target is never half-written. Refuses to replace an
/// existing file unless `force`.
pub fn write_atomically(path: &Path, text: &str, force: bool) -> Result<(), WriteError> {
    let shown = path.display().to_string();
    if path.exists() && !force {
        return Err(WriteError::Exists(shown));
    }
    let io = |source| WriteError::Io {
        path: shown.clone(),
        source,
    };
    let folder = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile_in(folder).map_err(io)?;
    temp.1.write_all(text.as_bytes()).map_err(io)?;
    temp.1.sync_all().map_err(io)?;
    drop(temp.1);
    std::fs::rename(&temp.0, path).map_err(|source| {
        let _ = std::fs::remove_file(&temp.0);
        io(source)
    })
}

fn tempfile_in(folder: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    for attempt in 0..100u32 {
        let name = format!(".critmin-{}-{attempt}.tmp", std::process::id());
        let candidate = folder.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}
