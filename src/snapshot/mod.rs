//! Snapshots: a loaded graph written as one compact binary file
//! (`critmin snapshot --graph DIR -o graph.cms`) and opened again without
//! re-validating it (`critmin --graph graph.cms`): the loader's rules ran
//! when it was written, so opening it only checks the file's integrity
//! (magic, format version, length, CRC-32) and that every index in it
//! points inside its table, then rebuilds the indexes.
//!
//! The file is a 32-byte [header](HEADER_LEN) and a payload of
//! little-endian sections: a fingerprint (of the bundled dataset, for the
//! embedded snapshot; 0 otherwise), the source files' names, their load warnings
//! and edge origins (so `check` reports what it reported on the files),
//! sources, source lists, property keys, the interned strings, nodes, then
//! edges and properties as columns. docs/SNAPSHOT.md describes every byte.
//!
//! Invariant: a damaged, truncated or foreign file is an error naming what
//! is wrong, never a panic; no allocation is larger than the file calls
//! for (every count is checked against the bytes left before it is used).

mod decode;
mod encode;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/bundled_snapshot.rs"));
}

use std::path::Path;
use std::sync::Arc;

use crate::load::{At, Loaded, Problem};

/// The first bytes of every snapshot (PNG-style: a high byte, the name,
/// and line endings that a text-mode copy would mangle).
pub const MAGIC: [u8; 8] = *b"\x89CMS\r\n\x1a\n";

/// The payload layout this critmin writes and reads. Any change to the
/// layout raises it; a snapshot of another version is refused.
pub const FORMAT_VERSION: u32 = 2;

/// Header: magic (8), format version (u32), reserved (u32), payload
/// length (u64), CRC-32 of the payload (u32), reserved (u32).
pub const HEADER_LEN: usize = 32;

/// Where the snapshot of the bundled dataset lives in the source tree
/// (embedded by build.rs; written by [`BUNDLED_COMMAND`]).
pub const BUNDLED_PATH: &str = "graph/bundled.cms";

/// The command that rewrites [`BUNDLED_PATH`] after the dataset or the
/// code that loads it changed.
pub const BUNDLED_COMMAND: &str =
    "cargo build --release && target/release/critmin snapshot -o graph/bundled.cms --force";

/// The fingerprint of the bundled dataset's files and of the code that
/// loads and encodes them, computed by build.rs.
pub const BUNDLED_FINGERPRINT: u64 = embedded::BUNDLED_FINGERPRINT;

/// The file extension that marks a snapshot on the command line.
pub const EXTENSION: &str = "cms";

/// Why a snapshot cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// A JSON file renamed to `graph.cms`.
    #[error("it is not a critmin snapshot (it does not start with the snapshot signature)")]
    NotASnapshot,
    /// A snapshot written by a critmin with another layout.
    #[error(
        "it was written in snapshot format {found}, and this critmin reads format {FORMAT_VERSION}; write it again with `critmin snapshot`"
    )]
    OtherVersion { found: u32 },
    /// A copy cut short.
    #[error("it is truncated: it has {found} bytes, its header says {expected}")]
    Truncated { expected: u64, found: u64 },
    /// A flipped byte.
    #[error("it is damaged: its checksum does not match its contents")]
    Checksum,
    /// Contents that pass the checksum but do not make a graph (a forged
    /// or mis-written file).
    #[error("it is damaged: {0}")]
    Damaged(String),
}

/// Whether a path names a snapshot (by its `.cms` extension).
pub fn is_snapshot_path(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case(EXTENSION))
}

/// The snapshot of a loaded graph (its warnings, files and edge origins
/// included), as the bytes of a file.
pub fn write(loaded: &Loaded) -> Vec<u8> {
    write_with_fingerprint(loaded, 0)
}

/// The snapshot of the bundled dataset (loaded from its files): marked
/// with [`BUNDLED_FINGERPRINT`] so that the binary embedding it can tell
/// whether it is current.
pub fn write_bundled(loaded: &Loaded) -> Vec<u8> {
    write_with_fingerprint(loaded, BUNDLED_FINGERPRINT)
}

/// The bundled dataset from the embedded snapshot, if there is one and it
/// was written from exactly the files and code this binary was built
/// from; `None` sends the caller to the files.
pub fn bundled() -> Option<Loaded> {
    match bundled_is_current() {
        true => read(embedded::BUNDLED_SNAPSHOT).ok(),
        false => None,
    }
}

/// Whether the embedded snapshot is intact and carries this build's
/// fingerprint.
pub fn bundled_is_current() -> bool {
    checked_payload(embedded::BUNDLED_SNAPSHOT)
        .is_ok_and(|payload| decode::fingerprint(payload) == Some(BUNDLED_FINGERPRINT))
}

fn write_with_fingerprint(loaded: &Loaded, fingerprint: u64) -> Vec<u8> {
    let payload = encode::payload(loaded, fingerprint);
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// Payloads at least this long are checksummed on a second thread while
/// they are decoded.
const PARALLEL_CHECKSUM: usize = 1 << 20;

/// Opens a snapshot from its bytes: the header first, then the payload
/// decoded into a graph while its checksum is computed beside it. A payload
/// that fails its checksum is refused whatever it decoded to (decoding
/// damaged bytes is safe: every count and index is checked).
pub fn read(bytes: &[u8]) -> Result<Loaded, SnapshotError> {
    let (payload, checksum) = framed_payload(bytes)?;
    if payload.len() < PARALLEL_CHECKSUM {
        if crc32fast::hash(payload) != checksum {
            return Err(SnapshotError::Checksum);
        }
        return decode::loaded(payload);
    }
    std::thread::scope(|scope| {
        let summed = scope.spawn(|| crc32fast::hash(payload));
        let decoded = decode::loaded(payload);
        match summed.join() {
            Ok(sum) if sum == checksum => decoded,
            _ => Err(SnapshotError::Checksum),
        }
    })
}

/// Reads and opens the snapshot at `path`. Like any graph file it must be
/// a regular file of at most `max_bytes`; every failure is one problem
/// naming the file (`cannot read …`, an I/O error: exit 2).
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Loaded, Problem> {
    let name: Arc<str> = Arc::from(path.display().to_string());
    let refuse = |message: String| Problem::error(&name, At::File, message);
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => refuse("no such file or folder".to_string()),
        _ => refuse(format!("cannot read the file: {err}")),
    })?;
    if !metadata.is_file() {
        return Err(refuse(
            "cannot read the file: not a regular file (a pipe or a device is not read)".to_string(),
        ));
    }
    if metadata.len() > max_bytes {
        return Err(refuse(format!(
            "cannot read the file: it has {} bytes, over the limit of {max_bytes} (raise it with --max-file-size)",
            metadata.len()
        )));
    }
    let file =
        std::fs::File::open(path).map_err(|err| refuse(format!("cannot read the file: {err}")))?;
    let opened = match map(&file) {
        Some(mapped) => read(&mapped),
        None => read(
            &read_at_most(file, max_bytes)
                .map_err(|err| refuse(format!("cannot read the file: {err}")))?,
        ),
    };
    opened.map_err(|err| refuse(format!("cannot read the snapshot: {err}")))
}

/// The file mapped into memory: its pages come straight from the page
/// cache, with no copy. `None` where it cannot be mapped (then it is read).
fn map(file: &std::fs::File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is read-only and lives only while the snapshot is
    // decoded; undefined behaviour would need another process to change
    // the file meanwhile. critmin itself never does: `critmin snapshot`
    // publishes a new file under the name (a rename) and leaves the old
    // inode, which this map holds, untouched.
    // Populated: the pages already in the page cache are mapped in one go
    // rather than faulted in one by one.
    let mapped = unsafe { memmap2::MmapOptions::new().populate().map(file) }.ok()?;
    // Read front to back (the checksum and the decoding, side by side).
    let _ = mapped.advise(memmap2::Advice::Sequential);
    Some(mapped)
}

fn read_at_most(file: std::fs::File, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, max_bytes.saturating_add(1)),
        &mut bytes,
    )?;
    if bytes.len() as u64 > max_bytes {
        return Err(std::io::Error::other(format!(
            "it grew over the limit of {max_bytes} bytes while being read"
        )));
    }
    Ok(bytes)
}

/// The payload, once magic, version, length and checksum are right.
fn checked_payload(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    let (payload, checksum) = framed_payload(bytes)?;
    match crc32fast::hash(payload) == checksum {
        true => Ok(payload),
        false => Err(SnapshotError::Checksum),
    }
}

/// The payload and the checksum the header gives for it, once magic,
/// version and length are right.
fn framed_payload(bytes: &[u8]) -> Result<(&[u8], u32), SnapshotError> {
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err(SnapshotError::NotASnapshot);
    }
    let Some(header) = bytes.get(..HEADER_LEN) else {
        return Err(SnapshotError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    };
    let word = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::OtherVersion { found: version });
    }
    let payload_len = u64::from(word(16)) | (u64::from(word(20)) << 32);
    let expected = (HEADER_LEN as u64).saturating_add(payload_len);
    if bytes.len() as u64 > expected {
        return Err(SnapshotError::Damaged(format!(
            "it has {} bytes after its end",
            bytes.len() as u64 - expected
        )));
    }
    if (bytes.len() as u64) < expected {
        return Err(SnapshotError::Truncated {
            expected,
            found: bytes.len() as u64,
        });
    }
    Ok((&bytes[HEADER_LEN..], word(24)))
}
