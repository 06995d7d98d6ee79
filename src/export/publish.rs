//! Publishing export files safely: every file of an export is written in
//! full to a temporary file beside its target first, then all are published
//! as one unit; a failure removes every temporary file and undoes what was
//! already published, so a target is never half-written, a set of CSV files
//! is never mixed (new nodes with old edges), and no `.critmin-*.tmp` is
//! left behind.
//!
//! - Without `force` a file is published with no-replace semantics (a hard
//!   link, which fails if the name exists), so of several writers racing to
//!   a new name exactly one succeeds.
//! - With `force` a regular file is replaced by a rename and keeps its mode
//!   (and, when permitted, its owner).
//! - A symbolic link is neither replaced nor followed to a regular file; a
//!   link to a terminal or a pipe (`/dev/stdout`) is written through.
//! - A target that is not a regular file is refused unless it is a terminal
//!   or a pipe (FIFO), which is written through; a folder is refused.
//!
//! Invariant: nothing outside the targets' folders is touched, and a
//! refused export touches nothing.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `export "ge.json"` when ge.json exists and `force` was not given.
    #[error("{0} already exists (add `force` to replace it)")]
    Exists(String),
    /// `export "/dev/full" force`, `export "link.json"` (a symbolic link), `export "dir/"`.
    #[error("cannot write {path}: {reason}")]
    Refused { path: String, reason: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Writes `text` to `path` (see the module comment). Refuses to replace an
/// existing file unless `force`.
pub fn write_atomically(path: &Path, text: &str, force: bool) -> Result<(), WriteError> {
    publish(&[(path.to_path_buf(), text.to_string())], force)
}

/// Writes every file or none (see the module comment). Contents are text
/// for exports and bytes for snapshots.
pub fn publish<C: AsRef<[u8]>>(files: &[(PathBuf, C)], force: bool) -> Result<(), WriteError> {
    let mut targets = Vec::with_capacity(files.len());
    for (path, _) in files {
        targets.push(classify(path, force)?);
    }
    if let [Target::WriteThrough] = targets.as_slice() {
        if let [(path, contents)] = files {
            return write_through(path, contents.as_ref());
        }
    }
    if targets
        .iter()
        .any(|target| matches!(target, Target::WriteThrough))
    {
        let shown = files
            .first()
            .map(|(path, _)| shown(path))
            .unwrap_or_default();
        return Err(refused(
            &shown,
            "a multi-file export cannot be written to a terminal or a pipe",
        ));
    }
    let mut staged = Vec::with_capacity(files.len());
    for ((path, contents), target) in files.iter().zip(&targets) {
        let mode = match target {
            Target::Existing(metadata) => Some(metadata),
            _ => None,
        };
        staged.push(stage(path, contents.as_ref(), mode)?);
    }
    let mut published: Vec<Published> = Vec::with_capacity(files.len());
    for temp in &staged {
        match publish_one(temp, force) {
            Ok(done) => published.push(done),
            Err(err) => {
                undo(published);
                return Err(err);
            }
        }
    }
    for done in published {
        if let Published::Replaced { backup, .. } = done {
            let _ = std::fs::remove_file(backup);
        }
    }
    Ok(())
}

/// What is at a target's name now.
#[derive(Debug)]
enum Target {
    New,
    Existing(Metadata),
    WriteThrough,
}

fn classify(path: &Path, force: bool) -> Result<Target, WriteError> {
    let shown = shown(path);
    let text = path.to_string_lossy();
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(refused(
            &shown,
            "the name ends with a folder separator; give a file name",
        ));
    }
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Target::New),
        Err(source) => {
            return Err(WriteError::Io {
                path: shown,
                source,
            });
        }
    };
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return match force {
            true => Ok(Target::Existing(metadata)),
            false => Err(WriteError::Exists(shown)),
        };
    }
    if file_type.is_dir() {
        return Err(refused(&shown, "it is a folder"));
    }
    if is_terminal_or_pipe(path) {
        return Ok(Target::WriteThrough);
    }
    if file_type.is_symlink() {
        return Err(refused(
            &shown,
            "it is a symbolic link; critmin neither replaces a link nor writes through it to a file — give the path it points to",
        ));
    }
    Err(refused(
        &shown,
        "it is not a regular file (only a terminal or a pipe is written through)",
    ))
}

/// Whether `path` (after links) is a terminal or a FIFO.
fn is_terminal_or_pipe(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    let file_type = metadata.file_type();
    if file_type.is_fifo() {
        return true;
    }
    file_type.is_char_device()
        && OpenOptions::new()
            .write(true)
            .open(path)
            .is_ok_and(|file| file.is_terminal())
}

fn write_through(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: shown(path),
        source,
    };
    let mut file = OpenOptions::new().write(true).open(path).map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.flush().map_err(io)
}

/// A written temporary file, removed when dropped unless it was published.
struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Writes `contents` to a new temporary file beside `target`, with the mode
/// (and owner, when permitted) of the file it replaces.
fn stage(
    target: &Path,
    contents: &[u8],
    replaces: Option<&Metadata>,
) -> Result<Staged, WriteError> {
    let io = |source| WriteError::Io {
        path: shown(target),
        source,
    };
    let folder = folder_of(target);
    let (temp, mut file) = temp_file_in(folder).map_err(io)?;
    let staged = Staged {
        temp,
        target: target.to_path_buf(),
    };
    file.write_all(contents).map_err(io)?;
    if let Some(metadata) = replaces {
        keep_mode_and_owner(&file, metadata).map_err(io)?;
    }
    file.sync_all().map_err(io)?;
    Ok(staged)
}

fn keep_mode_and_owner(file: &File, metadata: &Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    file.set_permissions(metadata.permissions())?;
    // Only root may give a file away; for anyone else the owner is already theirs.
    let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()));
    Ok(())
}

/// A published file, and how to undo it.
enum Published {
    Created(PathBuf),
    /// Replaced with no way back (the file system has no hard links).
    Kept,
    Replaced {
        target: PathBuf,
        backup: PathBuf,
    },
}

fn publish_one(staged: &Staged, force: bool) -> Result<Published, WriteError> {
    let target = &staged.target;
    let io = |source| WriteError::Io {
        path: shown(target),
        source,
    };
    if !force || std::fs::symlink_metadata(target).is_err() {
        return match std::fs::hard_link(&staged.temp, target) {
            Ok(()) => Ok(Published::Created(target.clone())),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(WriteError::Exists(shown(target)))
            }
            // A file system without hard links: check, then rename (the
            // no-replace guarantee is then only as good as the check).
            Err(_) if std::fs::symlink_metadata(target).is_err() => {
                std::fs::rename(&staged.temp, target).map_err(io)?;
                Ok(Published::Created(target.clone()))
            }
            Err(_) => Err(WriteError::Exists(shown(target))),
        };
    }
    let backup = free_name_in(folder_of(target), "bak").map_err(io)?;
    let backed_up = std::fs::hard_link(target, &backup).is_ok();
    match std::fs::rename(&staged.temp, target) {
        Ok(()) if backed_up => Ok(Published::Replaced {
            target: target.clone(),
            backup,
        }),
        // Without a backup (no hard links) a replaced file cannot be undone.
        Ok(()) => Ok(Published::Kept),
        Err(source) => {
            let _ = std::fs::remove_file(&backup);
            Err(io(source))
        }
    }
}

/// Undoes published files, last first: new files are removed, replaced
/// ones get their old content back.
fn undo(published: Vec<Published>) {
    for done in published.into_iter().rev() {
        match done {
            Published::Created(target) => {
                let _ = std::fs::remove_file(target);
            }
            Published::Replaced { target, backup } => {
                let _ = std::fs::rename(backup, target);
            }
            Published::Kept => {}
        }
    }
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn temp_file_in(folder: &Path) -> std::io::Result<(PathBuf, File)> {
    for attempt in 0..100u32 {
        let candidate = folder.join(temp_name(attempt, "tmp"));
        match OpenOptions::new()
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

/// A name in `folder` that nothing uses now (for a hard link to claim).
fn free_name_in(folder: &Path, ending: &str) -> std::io::Result<PathBuf> {
    (0..100u32)
        .map(|attempt| folder.join(temp_name(attempt, ending)))
        .find(|candidate| std::fs::symlink_metadata(candidate).is_err())
        .ok_or_else(|| std::io::Error::other("no free temporary file name"))
}

fn temp_name(attempt: u32, ending: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let serial = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        ".critmin-{}-{serial}-{attempt}.{ending}",
        std::process::id()
    )
}

fn shown(path: &Path) -> String {
    crate::render::shorten(&path.display().to_string())
}

fn refused(path: &str, reason: &str) -> WriteError {
    WriteError::Refused {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}
