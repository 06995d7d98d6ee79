//! Reading the payload `encode` wrote. Every count is checked against the
//! bytes left before anything is allocated for it, so a forged count fails
//! as "damaged" instead of asking for gigabytes.

use std::borrow::Cow;
use std::sync::Arc;

use crate::load::{At, EdgeOrigins, Loaded, Problem, Severity};
use crate::model::{
    ArcStr, EdgeKind, EdgeParts, Graph, GraphParts, NodeKind, NodeParts, PartialDate, PartsError,
    Source, SourceIdx, Validity, Value,
};

use super::SnapshotError;
use super::encode::{
    AT_CSV, AT_FILE, AT_JSON, AT_POSITION, TAG_BOOL, TAG_DATE, TAG_NUMBER, TAG_STR,
};

type Result<T> = std::result::Result<T, SnapshotError>;

/// The fingerprint the payload starts with.
pub(super) fn fingerprint(payload: &[u8]) -> Option<u64> {
    Reader { bytes: payload }.u64().ok()
}

pub(super) fn loaded(payload: &[u8]) -> Result<Loaded> {
    let mut input = Reader { bytes: payload };
    input.u64()?;
    let files = input.list(8, |input| input.string())?;
    let warnings = input.list(8, Reader::problem)?;
    let ranges = input.list(17, |input| {
        let first = input.u32()?;
        let end = input.u32()?;
        let file: Arc<str> = Arc::from(input.str()?);
        Ok((first, end, file, input.u8()? != 0))
    })?;
    let sources = input.list(23, Reader::source)?;
    let source_lists = input.lists(SourceIdx)?;
    let prop_keys = input.list(8, |input| Ok(Arc::from(input.str()?)))?;
    let shapes = input.lists(|key| key)?;
    let strings = input.strings()?;
    let values = input.values(&strings)?;
    let nodes = input.list(40, Reader::node)?;
    let edges = input.edges()?;
    let n_slots = input.count(4)?;
    let prop_slots = input.u32_column(n_slots)?;
    if !input.bytes.is_empty() {
        return Err(damaged("it has bytes after its last table"));
    }
    let parts = GraphParts {
        nodes,
        sources: Cow::Owned(sources),
        source_lists: Cow::Owned(source_lists),
        prop_keys: Cow::Owned(prop_keys),
        shapes: Cow::Owned(shapes),
        values: Cow::Owned(values),
        prop_slots: Cow::Owned(prop_slots),
        strings,
    };
    let graph = Graph::from_parts(parts, edges).map_err(|err| SnapshotError::Damaged(err.0))?;
    Ok(Loaded {
        graph,
        warnings,
        files,
        edge_origins: EdgeOrigins::from_ranges(ranges),
    })
}

fn damaged(what: &str) -> SnapshotError {
    SnapshotError::Damaged(what.to_string())
}

/// An optional date from its code (see `encode::date_code`).
fn date(code: u32) -> std::result::Result<Option<PartialDate>, PartsError> {
    match code {
        0 => Ok(None),
        code => PartialDate::from_code(code)
            .map(Some)
            .ok_or_else(|| PartsError("a date is not a real date".to_string())),
    }
}

fn validity(from: u32, to: u32) -> std::result::Result<Validity, PartsError> {
    Ok(Validity {
        from: date(from)?,
        to: date(to)?,
    })
}

fn node_kind(code: u8) -> Result<NodeKind> {
    NodeKind::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| damaged("a node has an unknown kind"))
}

fn edge_kind(code: u8) -> std::result::Result<EdgeKind, PartsError> {
    EdgeKind::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| PartsError("an edge has an unknown kind".to_string()))
}

/// A column of little-endian u32s, read in place.
#[derive(Clone, Copy)]
struct U32s<'a>(&'a [u8]);

impl U32s<'_> {
    /// The value at `at`; 0 past the end (callers stay within the count
    /// the column was taken for).
    fn get(self, at: usize) -> u32 {
        match self.0.get(at * 4..at * 4 + 4) {
            Some(word) => u32::from_le_bytes([word[0], word[1], word[2], word[3]]),
            None => 0,
        }
    }
}

/// The edge section's columns, read side by side into rows as the graph
/// takes them.
struct EdgeColumns<'a> {
    from: U32s<'a>,
    to: U32s<'a>,
    kinds: &'a [u8],
    valid_from: U32s<'a>,
    valid_to: U32s<'a>,
    prop_start: U32s<'a>,
    shape: U32s<'a>,
    sources: U32s<'a>,
    /// The next row.
    at: usize,
}

impl EdgeColumns<'_> {
    fn row(&self, at: usize, kind: u8) -> std::result::Result<EdgeParts, PartsError> {
        let (valid_from, valid_to) = (self.valid_from.get(at), self.valid_to.get(at));
        let valid = match (valid_from, valid_to) {
            (0, 0) => Validity::default(),
            _ => validity(valid_from, valid_to)?,
        };
        Ok(EdgeParts {
            from: self.from.get(at),
            to: self.to.get(at),
            kind: edge_kind(kind)?,
            valid,
            prop_start: self.prop_start.get(at),
            shape: self.shape.get(at),
            sources: self.sources.get(at),
        })
    }
}

impl Iterator for EdgeColumns<'_> {
    type Item = std::result::Result<EdgeParts, PartsError>;

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.at;
        let kind = *self.kinds.get(at)?;
        self.at += 1;
        Some(self.row(at, kind))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.kinds.len() - self.at;
        (left, Some(left))
    }
}

impl ExactSizeIterator for EdgeColumns<'_> {}

/// The bytes not read yet.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(damaged("a table runs past the end of the file"));
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let mut word = [0u8; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(word))
    }

    fn usize(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?).map_err(|_| damaged("a count is too large"))
    }

    /// A count of items that take at least `min_bytes` each: more than the
    /// bytes left can hold is damage, found before any allocation.
    fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let count = self.usize()?;
        match count.checked_mul(min_bytes.max(1)) {
            Some(needed) if needed <= self.bytes.len() => Ok(count),
            _ => Err(damaged("a count is larger than the file")),
        }
    }

    /// A counted list of items read by `item` (each at least `min_bytes`).
    fn list<T>(
        &mut self,
        min_bytes: usize,
        mut item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let count = self.count(min_bytes)?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(item(self)?);
        }
        Ok(items)
    }

    fn str(&mut self) -> Result<&'a str> {
        let len = self.usize()?;
        std::str::from_utf8(self.take(len)?).map_err(|_| damaged("a text is not UTF-8"))
    }

    fn string(&mut self) -> Result<String> {
        self.str().map(str::to_string)
    }

    fn opt_string(&mut self) -> Result<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(damaged("an optional text has a bad marker")),
        }
    }

    /// `n` u32s written as one column.
    fn u32_column(&mut self, n: usize) -> Result<Vec<u32>> {
        let len = n
            .checked_mul(4)
            .ok_or_else(|| damaged("a count is too large"))?;
        let bytes = self.take(len)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
            .collect())
    }

    fn problem(&mut self) -> Result<Problem> {
        let severity = match self.u8()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            _ => return Err(damaged("a warning has an unknown severity")),
        };
        let file: Arc<str> = Arc::from(self.str()?);
        let at = match self.u8()? {
            AT_FILE => At::File,
            AT_POSITION => At::Position {
                line: self.usize()?,
                column: self.usize()?,
            },
            AT_JSON => At::Json {
                path: self.string()?,
                line: self.usize()?,
                column: self.usize()?,
            },
            AT_CSV => At::Csv {
                line: self.u64()?,
                column: self.opt_string()?,
            },
            _ => return Err(damaged("a warning has an unknown place")),
        };
        let message = self.string()?;
        Ok(Problem {
            severity,
            file,
            at,
            message,
        })
    }

    fn date(&mut self) -> Result<Option<PartialDate>> {
        date(self.u32()?).map_err(|err| SnapshotError::Damaged(err.0))
    }

    fn source(&mut self) -> Result<Source> {
        Ok(Source {
            id: self.string()?,
            title: self.string()?,
            publisher: self.opt_string()?,
            published: self.date()?,
            url: self.opt_string()?,
            note: self.opt_string()?,
        })
    }

    /// Lists of u32s (source lists, shapes): a lengths column, then every
    /// list's entries in one column.
    fn lists<T>(&mut self, entry: impl Fn(u32) -> T) -> Result<Vec<Box<[T]>>> {
        let n_lists = self.count(4)?;
        let lengths = self.u32_column(n_lists)?;
        let total = self.count(4)?;
        let flat = self.u32_column(total)?;
        let mut lists = Vec::with_capacity(n_lists);
        let mut at = 0usize;
        for len in lengths {
            let end = at.saturating_add(len as usize);
            let list = flat
                .get(at..end)
                .ok_or_else(|| damaged("a table of lists does not add up"))?;
            lists.push(list.iter().map(|item| entry(*item)).collect());
            at = end;
        }
        if at != total {
            return Err(damaged("a table of lists does not add up"));
        }
        Ok(lists)
    }

    /// The string blob, cut at its end offsets.
    fn strings(&mut self) -> Result<Vec<ArcStr>> {
        let count = self.count(8)?;
        let mut ends = Vec::with_capacity(count);
        for _ in 0..count {
            ends.push(self.usize()?);
        }
        let blob_len = ends.last().copied().unwrap_or(0);
        let blob = std::str::from_utf8(self.take(blob_len)?)
            .map_err(|_| damaged("the string table is not UTF-8"))?;
        let mut start = 0usize;
        let mut strings = Vec::with_capacity(count);
        for end in ends {
            let text = blob
                .get(start..end)
                .ok_or_else(|| damaged("the string table's offsets are out of order"))?;
            strings.push(ArcStr::from(text));
            start = end;
        }
        Ok(strings)
    }

    fn node(&mut self) -> Result<NodeParts> {
        let id = self.string()?;
        let kind = node_kind(self.u8()?)?;
        let name = self.string()?;
        let aliases = self.list(8, Reader::string)?;
        let valid = Validity {
            from: self.date()?,
            to: self.date()?,
        };
        Ok(NodeParts {
            id,
            kind,
            name,
            aliases,
            valid,
            prop_start: self.u32()?,
            shape: self.u32()?,
            sources: self.u32()?,
        })
    }

    /// The edge section: its count, then one column per field, decoded
    /// row by row as the graph takes them.
    fn edges(&mut self) -> Result<EdgeColumns<'a>> {
        let n = self.count(29)?;
        Ok(EdgeColumns {
            from: U32s(self.take(n * 4)?),
            to: U32s(self.take(n * 4)?),
            kinds: self.take(n)?,
            valid_from: U32s(self.take(n * 4)?),
            valid_to: U32s(self.take(n * 4)?),
            prop_start: U32s(self.take(n * 4)?),
            shape: U32s(self.take(n * 4)?),
            sources: U32s(self.take(n * 4)?),
            at: 0,
        })
    }

    /// The property values: tags, then payloads.
    fn values(&mut self, strings: &[ArcStr]) -> Result<Vec<Value>> {
        let n = self.count(9)?;
        let tags = self.take(n)?;
        let payloads = self.take(n * 8)?;
        let mut values = Vec::with_capacity(n);
        for (tag, payload) in tags.iter().zip(payloads.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(payload);
            let payload = u64::from_le_bytes(word);
            values.push(match *tag {
                TAG_NUMBER => Value::Number(f64::from_bits(payload)),
                TAG_BOOL if payload <= 1 => Value::Bool(payload == 1),
                TAG_STR => usize::try_from(payload)
                    .ok()
                    .and_then(|at| strings.get(at))
                    .map(|text| Value::Str(text.clone()))
                    .ok_or_else(|| damaged("a property names no string"))?,
                TAG_DATE => match u32::try_from(payload).ok().map(PartialDate::from_code) {
                    Some(Some(date)) => Value::Date(date),
                    _ => return Err(damaged("a property's date is not a real date")),
                },
                _ => return Err(damaged("a property has an unknown type")),
            });
        }
        Ok(values)
    }
}
