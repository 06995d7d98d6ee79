//! Big edge files read in blocks rather than whole: a first pass checks
//! the file (UTF-8, no quote or carriage return, not blank) and counts its
//! lines without keeping it; the edge pass then reads it again chunk by
//! chunk, each chunk cut where `csv_rows::split_chunks` would cut the whole
//! text, so rows, lines and problems are those of a file read whole.
//!
//! Invariant: a file is streamed only if reading it whole would have
//! accepted it and taken the quick row path; anything else (and any doubt)
//! is read whole as before, so every problem keeps its words and place.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use memchr::{memchr_iter, memchr2};

/// Edge files at least this big are streamed.
pub const STREAM_ABOVE: u64 = 4 << 20;
/// Bytes read at a time by the first pass.
const SCAN_BLOCK: usize = 1 << 20;
/// Bytes added to a chunk that has no line end yet.
const GROW_BLOCK: usize = 1 << 16;
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A file the first pass found fit to stream.
#[derive(Debug)]
pub struct Streamed {
    pub path: PathBuf,
    /// Its size when checked: reading another size means it changed.
    pub bytes: u64,
    /// Bytes of a byte-order mark at its start (skipped).
    pub bom: u64,
    /// Line ends in the file (room is reserved for as many rows).
    pub line_ends: usize,
    /// The text up to the end of its first non-blank line: the header.
    pub head: String,
}

/// Files at least this big are checked in two parts, side by side.
const SCAN_IN_PARTS_FROM: u64 = 16 << 20;

/// Checks a file for streaming; `None` if it must be read whole (not
/// UTF-8, a quote or carriage return, blank, over `max_bytes`, a header
/// longer than a block, or a read error: the whole read reports them).
/// A big file's two halves are checked on two threads.
/// `size`: the file's size as its metadata gave it (the parts' sizes are
/// checked again as they are read).
pub fn scan(path: &Path, size: u64, max_bytes: u64) -> Option<Streamed> {
    let two_cores = std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1);
    let split = (two_cores && size >= SCAN_IN_PARTS_FROM).then_some(size / 2);
    scan_split(path, max_bytes, split)
}

/// [`scan`], checking the bytes from `split` on (when given, and past the
/// first block) on a second thread: the same answer wherever the file is
/// split.
fn scan_split(path: &Path, max_bytes: u64, split: Option<u64>) -> Option<Streamed> {
    // The first part holds the first block whole: the header is read
    // from the same bytes as in one pass.
    let parts = match split.filter(|at| *at >= SCAN_BLOCK as u64) {
        None => vec![scan_part(path, 0, None, max_bytes)?],
        Some(split) => {
            let ranges = [(0, Some(split)), (split, None)];
            crate::parallel::map_on(ranges.len(), &ranges, |(start, end)| {
                scan_part(path, *start, *end, max_bytes)
            })
            .into_iter()
            .collect::<Option<Vec<Part>>>()?
        }
    };
    let bytes: u64 = parts.iter().map(|part| part.bytes).sum();
    if bytes > max_bytes || !parts.iter().any(|part| part.content) {
        return None;
    }
    // Where two parts meet, the first's unfinished character and the
    // second's continuation bytes must make whole characters.
    for pair in parts.windows(2) {
        let mut joined = pair[0].carried.clone();
        joined.extend_from_slice(&pair[1].lead);
        std::str::from_utf8(&joined).ok()?;
    }
    let (first, last) = (parts.first()?, parts.last()?);
    if !first.lead.is_empty() || !last.carried.is_empty() {
        return None;
    }
    let (bom, head) = first.head.clone()?;
    Some(Streamed {
        path: path.to_path_buf(),
        bytes,
        bom: bom as u64,
        line_ends: parts.iter().map(|part| part.line_ends).sum(),
        head,
    })
}

/// What one part of a file holds, checked.
struct Part {
    bytes: u64,
    line_ends: usize,
    /// It holds a byte that is not whitespace.
    content: bool,
    /// The continuation bytes it starts with (at most 3): the end of a
    /// character the part before began.
    lead: Vec<u8>,
    /// The unfinished character it ends with.
    carried: Vec<u8>,
    /// For the part at the file's start: its BOM's length and its header.
    head: Option<(usize, String)>,
}

/// Checks the bytes from `start` to `end` (the file's end when `None`):
/// UTF-8 apart from the characters cut at its ends, no quote or carriage
/// return; `None` if not, or if the file is shorter than `end`.
fn scan_part(path: &Path, start: u64, end: Option<u64>, max_bytes: u64) -> Option<Part> {
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut input = file.take(end.map_or(u64::MAX, |end| end.saturating_sub(start)));
    let mut buffer = vec![0; SCAN_BLOCK];
    let (mut carried, mut bytes, mut line_ends) = (0, 0u64, 0);
    let (mut head, mut content, mut lead) = (None, false, None);
    loop {
        let read = read_full(&mut input, &mut buffer[carried..]).ok()?;
        if read == 0 {
            break;
        }
        bytes += read as u64;
        if bytes > max_bytes {
            return None;
        }
        let skipped = match lead {
            Some(_) => 0,
            None if start == 0 => {
                lead = Some(Vec::new());
                0
            }
            None => {
                let continuing = buffer[..read]
                    .iter()
                    .take_while(|byte| (0x80..0xc0).contains(*byte))
                    .count();
                if continuing > 3 {
                    return None;
                }
                lead = Some(buffer[..continuing].to_vec());
                continuing
            }
        };
        let filled = &buffer[skipped..carried + read];
        let valid = match std::str::from_utf8(filled) {
            Ok(text) => text.len(),
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(_) => return None,
        };
        let checked = &filled[..valid];
        if memchr2(b'"', b'\r', checked).is_some() {
            return None;
        }
        if start == 0 && head.is_none() {
            let bom = if checked.starts_with(BOM) {
                BOM.len()
            } else {
                0
            };
            let text = std::str::from_utf8(&checked[bom..]).ok()?;
            head = Some((bom, first_line(text)?.to_string()));
        }
        line_ends += memchr_iter(b'\n', checked).count();
        content = content || checked.iter().any(|byte| is_plain(*byte));
        buffer.copy_within(skipped + valid..carried + read, 0);
        carried = carried + read - skipped - valid;
    }
    if end.is_some_and(|end| bytes != end.saturating_sub(start)) {
        return None;
    }
    Some(Part {
        bytes,
        line_ends,
        content,
        lead: lead.unwrap_or_default(),
        carried: buffer[..carried].to_vec(),
        head,
    })
}

/// The text through the end of its first non-blank line (the header the
/// CSV reader reads), or all of it if that line does not end.
fn first_line(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    match memchr_iter(b'\n', bytes).find(|at| *at > 0 && bytes[at - 1] != b'\n') {
        Some(at) => Some(&text[..=at]),
        None if bytes.len() < SCAN_BLOCK - 4 => Some(text),
        None => None,
    }
}

/// An ASCII byte that is not whitespace: a text holding one is not blank.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii() && !matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Reads until `buffer` is full or the input ends; the bytes read.
fn read_full(input: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// The chunks of a text read from `input`, cut as `split_chunks` cuts.
pub struct ChunkReader<R> {
    input: R,
    /// Bytes read and not yet handed out.
    pending: Vec<u8>,
    /// The line the CSV reader would report for the next chunk's first row.
    line: u64,
    /// Bytes the input may still give: more means it changed.
    left: u64,
    ended: bool,
}

impl ChunkReader<std::fs::File> {
    /// The rows of a scanned file from byte `start` of its text (after the
    /// BOM), the CSV reader being at `line` there.
    pub fn open(streamed: &Streamed, start: u64, line: u64) -> std::io::Result<Self> {
        let mut file = std::fs::File::open(&streamed.path)?;
        let offset = streamed.bom + start;
        file.seek(SeekFrom::Start(offset))?;
        Ok(ChunkReader::new(
            file,
            line,
            streamed.bytes.saturating_sub(offset),
        ))
    }
}

impl<R: Read> ChunkReader<R> {
    /// `left`: the bytes `input` should hold.
    pub fn new(input: R, line: u64, left: u64) -> ChunkReader<R> {
        ChunkReader {
            input,
            pending: Vec::new(),
            line,
            left,
            ended: false,
        }
    }

    /// The next chunk of about `target` bytes and its first line; `None` at
    /// the end; an error if the input cannot be read, is not UTF-8 or has
    /// changed since it was scanned.
    pub fn next_chunk(&mut self, target: usize) -> Option<Result<(String, u64), String>> {
        let target = target.max(1);
        let mut searched = target - 1;
        let cut = loop {
            if self.pending.len() < target && !self.ended {
                if let Err(err) = self.fill(target - self.pending.len()) {
                    self.ended = true;
                    self.pending.clear();
                    return Some(Err(err));
                }
            }
            if let Some(cut) = self.cut_from(searched) {
                break cut;
            }
            searched = searched.max(self.pending.len());
            if self.ended {
                break self.pending.len();
            }
            if let Err(err) = self.fill(GROW_BLOCK) {
                self.ended = true;
                self.pending.clear();
                return Some(Err(err));
            }
        };
        if cut == 0 {
            return None;
        }
        let rest = self.pending.split_off(cut);
        let chunk = std::mem::replace(&mut self.pending, rest);
        let line = self.line;
        self.line += memchr_iter(b'\n', &chunk).count() as u64;
        Some(
            String::from_utf8(chunk)
                .map(|text| (text, line))
                .map_err(|_| CHANGED.to_string()),
        )
    }

    /// The end of the first non-blank line ending at or after `from`.
    fn cut_from(&self, from: usize) -> Option<usize> {
        let bytes = &self.pending;
        let tail = bytes.get(from..)?;
        memchr_iter(b'\n', tail)
            .map(|at| at + from)
            .find(|at| *at > 0 && bytes[at - 1] != b'\n')
            .map(|at| at + 1)
    }

    /// Reads up to `more` bytes; at the input's end checks it gave what
    /// the scan found.
    fn fill(&mut self, more: usize) -> Result<(), String> {
        let before = self.pending.len();
        let limit = (more as u64).min(self.left.saturating_add(1));
        (&mut self.input)
            .take(limit.max(1))
            .read_to_end(&mut self.pending)
            .map_err(|err| format!("cannot read the file: {err}"))?;
        let read = (self.pending.len() - before) as u64;
        if read > self.left {
            return Err(CHANGED.to_string());
        }
        self.left -= read;
        if read == 0 || read < limit {
            if self.left > 0 {
                return Err(CHANGED.to_string());
            }
            self.ended = true;
        }
        Ok(())
    }
}

const CHANGED: &str = "cannot read the file: it changed while being read";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::csv_rows::split_chunks;

    /// Read through a `ChunkReader`, a text is cut where `split_chunks`
    /// cuts it whole, at every chunk size, with the same lines.
    #[test]
    fn chunks_are_cut_as_a_whole_text_is_cut() {
        let texts = [
            "a,b\nc,d\n",
            "a,b\nc,d",
            "\n\na,b\n\n\nc,d\n\n",
            "x\n\n\ny\n\n\n\nz\n\u{e9}\u{1F600},1\n\nlast",
            "\n",
            "",
        ];
        for text in texts {
            for target in 1..=text.len() + 2 {
                let expected: Vec<(String, u64)> = split_chunks(text, 2, target)
                    .into_iter()
                    .map(|chunk| (chunk.text.to_string(), chunk.line))
                    .collect();
                let mut reader = ChunkReader::new(text.as_bytes(), 2, text.len() as u64);
                let mut found = Vec::new();
                while let Some(chunk) = reader.next_chunk(target) {
                    found.push(chunk.unwrap_or_else(|err| panic!("{err}")));
                }
                assert_eq!(found, expected, "{text:?} in chunks of {target}");
            }
        }
    }

    /// An input longer or shorter than scanned is refused, not misread.
    #[test]
    fn a_changed_input_is_an_error() {
        let text = "a\nb\nc\n";
        for left in [3, 5, 7, 100] {
            let mut reader = ChunkReader::new(text.as_bytes(), 1, left);
            let mut last = None;
            while let Some(chunk) = reader.next_chunk(2) {
                last = Some(chunk);
            }
            assert_eq!(last, Some(Err(CHANGED.to_string())), "{left}");
        }
    }

    /// A file checked in two parts gives the answer of one pass wherever
    /// it is split: inside a character or between, near a quote, a
    /// carriage return, a bad byte, or an unfinished last character.
    #[test]
    fn a_file_split_anywhere_scans_as_one_pass() {
        let folder = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let mut body = String::from("\u{feff}h1,h2\n");
        while body.len() < SCAN_BLOCK + 64 {
            body.push_str("a,\u{e9}\u{1F600}\u{20ac}x\n");
        }
        let at = SCAN_BLOCK + 20;
        let with = |insert: &[u8]| {
            let mut bytes = body.as_bytes().to_vec();
            bytes.splice(at..at, insert.iter().copied());
            bytes
        };
        let texts = [
            body.as_bytes().to_vec(),
            with(b"\""),
            with(b"\r"),
            with(b"\xff"),
            with(b"\x80"),
            [body.as_bytes(), b"\xf0\x9f\x98"].concat(),
        ];
        let summary = |scanned: Option<Streamed>| {
            scanned.map(|found| (found.bytes, found.bom, found.line_ends, found.head))
        };
        for (number, text) in texts.iter().enumerate() {
            let path = folder.path().join(format!("{number}.csv"));
            std::fs::write(&path, text).unwrap_or_else(|err| panic!("{err}"));
            let whole = summary(scan_split(&path, u64::MAX, None));
            assert_eq!(whole.is_some(), number == 0, "text {number}");
            let len = text.len() as u64;
            let splits = (SCAN_BLOCK as u64..SCAN_BLOCK as u64 + 40).chain([len - 1, len]);
            for split in splits {
                let split_scan = summary(scan_split(&path, u64::MAX, Some(split)));
                assert_eq!(split_scan, whole, "text {number} split at {split}");
            }
        }
    }

    #[test]
    fn scan_accepts_plain_files_and_leaves_the_rest_to_a_whole_read() {
        let folder = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let write = |name: &str, bytes: &[u8]| {
            let path = folder.path().join(name);
            std::fs::write(&path, bytes).unwrap_or_else(|err| panic!("{err}"));
            path
        };
        let plain = write("a.csv", "\u{feff}\n\nh1,h2\na,\u{e9}\n\nb,c".as_bytes());
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |found| found.len());
        let scanned =
            scan(&plain, size(&plain), 1000).unwrap_or_else(|| panic!("plain file refused"));
        assert_eq!(
            (scanned.bom, scanned.line_ends, scanned.head.as_str()),
            (3, 5, "\n\nh1,h2\n")
        );
        assert_eq!(scanned.bytes, 20);
        assert!(scan(&plain, size(&plain), 19).is_none(), "over the limit");
        for refused in [
            &b"h\na,\"b\"\n"[..],
            b"h\r\na\r\n",
            b"h\na,\xff\n",
            b" \n\t\n",
            b"h\na,\xc3",
        ] {
            assert!(
                {
                    let path = write("b.csv", refused);
                    scan(&path, size(&path), 1000).is_none()
                },
                "{refused:?}"
            );
        }
    }
}
