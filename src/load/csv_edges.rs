//! Edge rows of a bulk CSV file. Each row is read and checked apart from
//! the graph (`csv_edge_row`) and then added to the graph in file order on
//! the calling thread. A big file without quotes or carriage returns is cut
//! into chunks at line ends and its chunks are read by worker threads, one
//! per core (a streamed file's chunks are read from disk by the worker that
//! takes them: `csv_stream`); other big files are read by one worker; small
//! files inline.
//!
//! Invariant: workers never touch the graph or the problem list; rows, and
//! with them every problem, reach the assembler in file order, so the graph
//! and the problems are those of a row-by-row load.

use std::sync::mpsc::{Receiver, channel, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::model::{ArcStr, Graph, Value};

use super::assemble::Assembler;
use super::csv::{Header, PropColumn, fixed_cell};
use super::csv_edge_row::{CellKind, ChunkMemory, EdgeCell, EdgeRow, EdgeSchema, parse_edge};
use super::csv_rows::{Chunk, FastRows, split_chunks};
use super::csv_stream::ChunkReader;
use super::input::InputFile;
use super::problem::{At, Problem};
use super::raw::{Place, RawEdge, SourceIds};

/// Files at least this big are read by worker threads.
const THREAD_ABOVE: usize = 1 << 20;
/// Bytes of a chunk handed to one worker (cut at a line end).
const CHUNK_BYTES: usize = 1 << 21;
/// Rows per batch handed from a worker to the graph side.
const BATCH_ROWS: usize = 512;
/// Batches a worker may have waiting for the graph side, per chunk: room
/// for a whole chunk of bulk rows (about 40,000 rows of 50 bytes), so a
/// worker reads its chunk through while the graph side is busy with an
/// earlier one, and then takes the next.
const BATCHES_WAITING: usize = 128;
/// Chunks taken by workers and not yet added by the graph side, beyond one
/// per worker: how far reading may run ahead (each costs its rows' memory).
/// Tests allow none, so that their few chunks wait for room.
const CHUNKS_AHEAD: usize = if cfg!(test) { 0 } else { 2 };

/// Reads the edge rows after the header and adds them to the graph.
pub(super) fn add_edges<'f>(
    file: &'f InputFile,
    reader: csv::Reader<&'f [u8]>,
    header: Header,
    assembler: &mut Assembler<'f>,
) {
    let position = reader.position().clone();
    let schema = EdgeSchema::new(file, header, assembler);
    let mut graph_side = GraphSide::new(&schema.columns);
    let mut apply = |batch: &mut EdgeBatch, first_of_chunk: bool| {
        if first_of_chunk {
            graph_side.start_chunk();
        }
        for row in &mut batch.rows[..batch.len] {
            graph_side.add_row(file, &schema.fixed, row, assembler);
        }
    };
    if let Some(streamed) = &file.streamed {
        let (mut chunks, mut failure) =
            match ChunkReader::open(streamed, position.byte(), position.line()) {
                Ok(chunks) => (Some(chunks), None),
                Err(err) => (None, Some(format!("cannot read the file: {err}"))),
            };
        let next_job = move || {
            if let Some(message) = failure.take() {
                return Some(Rows::Failed(message));
            }
            Some(match chunks.as_mut()?.next_chunk(CHUNK_BYTES)? {
                Ok((text, line)) => Rows::Owned { text, line },
                Err(message) => Rows::Failed(message),
            })
        };
        read_in_workers(&schema, cores(), next_job, apply);
        return;
    }
    let fast_text = file
        .text
        .get(position.byte() as usize..)
        .filter(|rest| FastRows::handles(rest));
    let chunks: Vec<Rows<'f>> = match fast_text {
        Some(rest) => split_chunks(rest, position.line(), CHUNK_BYTES)
            .into_iter()
            .map(Rows::Fast)
            .collect(),
        None => vec![Rows::Reader(reader)],
    };
    if file.text.len() < THREAD_ABOVE {
        let mut batch = EdgeBatch::default();
        for rows in chunks {
            let mut first_of_chunk = true;
            read_chunk(&schema, rows, &mut batch, |batch| {
                apply(batch, std::mem::take(&mut first_of_chunk));
                true
            });
        }
        return;
    }
    let workers = cores().min(chunks.len().max(1));
    let mut chunks = chunks.into_iter();
    read_in_workers(&schema, workers, move || chunks.next(), apply);
}

/// Worker threads for a big file: one per core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// Where a chunk's rows come from.
enum Rows<'f> {
    /// Quote-free lines of the file's text, split without the CSV state
    /// machine.
    Fast(Chunk<'f>),
    /// Quote-free lines read from a streamed file, and the first one's line.
    Owned { text: String, line: u64 },
    /// The whole rest of the file, through the CSV reader.
    Reader(csv::Reader<&'f [u8]>),
    /// A streamed file that could not be read on: the message.
    Failed(String),
}

#[derive(Default)]
struct EdgeBatch {
    rows: Vec<EdgeRow>,
    len: usize,
}

impl EdgeBatch {
    /// The next row to fill (rows are reused from batch to batch).
    fn next_row(&mut self) -> &mut EdgeRow {
        if self.rows.len() == self.len {
            self.rows.push(EdgeRow::default());
        }
        self.len += 1;
        &mut self.rows[self.len - 1]
    }

    fn is_full(&self) -> bool {
        self.len >= BATCH_ROWS
    }
}

/// Reads one chunk's rows into batches, checking each; `hand_over` takes
/// each batch (the last one possibly part full) and says whether to go on.
fn read_chunk(
    schema: &EdgeSchema,
    rows: Rows<'_>,
    batch: &mut EdgeBatch,
    mut hand_over: impl FnMut(&mut EdgeBatch) -> bool,
) {
    batch.len = 0;
    match rows {
        Rows::Fast(Chunk { text, line }) => {
            if !read_fast_rows(schema, text, line, batch, &mut hand_over) {
                return;
            }
        }
        Rows::Owned { text, line } => {
            if !read_fast_rows(schema, &text, line, batch, &mut hand_over) {
                return;
            }
        }
        Rows::Failed(message) => {
            let row = batch.next_row();
            row.reset();
            row.problems
                .push(Problem::error(&schema.file.name, At::File, message));
        }
        Rows::Reader(mut reader) => {
            let mut memory = ChunkMemory::new(schema);
            let mut record = csv::StringRecord::new();
            loop {
                let line = reader.position().line();
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let row = batch.next_row();
                        row.line = line;
                        parse_edge(schema, &mut memory, &record, row);
                    }
                    Err(err) => {
                        let row = batch.next_row();
                        row.reset();
                        row.line = line;
                        let message = format!(
                            "malformed CSV: {}",
                            err.to_string().split(':').next_back().unwrap_or("").trim()
                        );
                        let at = At::Csv { line, column: None };
                        row.problems
                            .push(Problem::error(&schema.file.name, at, message));
                        if !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                            break;
                        }
                    }
                }
                if batch.is_full() {
                    if !hand_over(batch) {
                        return;
                    }
                    batch.len = 0;
                }
            }
        }
    }
    hand_over(batch);
}

/// Reads a chunk's quote-free rows; false if `hand_over` said to stop.
fn read_fast_rows(
    schema: &EdgeSchema,
    text: &str,
    line: u64,
    batch: &mut EdgeBatch,
    hand_over: &mut impl FnMut(&mut EdgeBatch) -> bool,
) -> bool {
    let mut memory = ChunkMemory::new(schema);
    let mut fast = FastRows::new(text, line);
    let mut fields = Vec::with_capacity(schema.fixed.len() + schema.columns.len());
    while let Some(line) = fast.read(&mut fields) {
        let row = batch.next_row();
        row.line = line;
        parse_edge(schema, &mut memory, &fields[..], row);
        if batch.is_full() {
            if !hand_over(batch) {
                return false;
            }
            batch.len = 0;
        }
    }
    true
}

/// Reads chunks on worker threads while the calling thread applies their
/// batches in file order. `next_job` gives the chunks in file order; a
/// worker takes the next one, and registers its channel with the calling
/// thread, under one lock, so the chunk the graph side waits for is always
/// being read by a worker that is not blocked on a later chunk.
fn read_in_workers<'f>(
    schema: &EdgeSchema<'f>,
    workers: usize,
    next_job: impl FnMut() -> Option<Rows<'f>> + Send,
    mut apply: impl FnMut(&mut EdgeBatch, bool),
) {
    let (order, chunk_receivers) = channel::<Receiver<EdgeBatch>>();
    let jobs = Mutex::new((next_job, Some(order)));
    let in_flight = InFlight::new(workers.max(1) + CHUNKS_AHEAD);
    let take_job = || {
        in_flight.take();
        let mut jobs = jobs.lock().unwrap_or_else(PoisonError::into_inner);
        let (next_job, order) = &mut *jobs;
        let Some(rows) = next_job() else {
            // The last chunk is registered: the calling thread's list ends.
            *order = None;
            return None;
        };
        let (sender, receiver) = sync_channel::<EdgeBatch>(BATCHES_WAITING);
        order.as_ref()?.send(receiver).ok()?;
        Some((rows, sender))
    };
    let spare: Mutex<Vec<EdgeBatch>> = Mutex::new(Vec::new());
    let take_spare = || {
        spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    };
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                while let Some((rows, sender)) = take_job() {
                    let mut batch = take_spare();
                    read_chunk(schema, rows, &mut batch, |batch| {
                        let full = std::mem::replace(batch, take_spare());
                        sender.send(full).is_ok()
                    });
                }
            });
        }
        for receiver in chunk_receivers {
            let mut first_of_chunk = true;
            for mut batch in receiver {
                apply(&mut batch, std::mem::take(&mut first_of_chunk));
                if let Ok(mut spare) = spare.lock() {
                    spare.push(batch);
                }
            }
            in_flight.release();
        }
        // The list ended: a worker that waits for room finds no job.
        in_flight.release_all();
    });
}

/// A bound on the chunks read ahead of the graph side: a worker takes a
/// chunk only while fewer than `limit` are taken and not yet added. The
/// chunk the graph side waits for is among those taken, so a waiting
/// worker never holds it up.
struct InFlight {
    taken: Mutex<usize>,
    room: Condvar,
    limit: usize,
}

impl InFlight {
    fn new(limit: usize) -> InFlight {
        InFlight {
            taken: Mutex::new(0),
            room: Condvar::new(),
            limit,
        }
    }

    /// Waits for room, then counts one more chunk taken.
    fn take(&self) {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        while *taken >= self.limit {
            taken = self
                .room
                .wait(taken)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *taken += 1;
    }

    /// The graph side added a chunk.
    fn release(&self) {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        *taken = taken.saturating_sub(1);
        self.room.notify_one();
    }

    /// No chunk is left: every waiting worker goes on (to find none).
    fn release_all(&self) {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        *taken = 0;
        self.room.notify_all();
    }
}

/// The graph side: turns checked rows into edges, in file order.
struct GraphSide {
    /// Per column, the graph's key index (resolved at its first value).
    keys: Vec<(Arc<str>, Option<u32>)>,
    /// Per column, the interned equals of the chunk's remembered strings
    /// and, once a clean row has looked it up, each one's value slot.
    known: Vec<Vec<(ArcStr, u32)>>,
    /// Per column, the bits of the chunk's remembered numbers and, once a
    /// clean row has looked it up, each one's value slot.
    numbers: Vec<Vec<(u64, u32)>>,
    /// A checked row's props: key index and value.
    scratch: Vec<(u32, Value)>,
    /// A clean row's props: key index and value slot.
    slotted: Vec<(u32, u32)>,
}

/// A remembered value's slot before any clean row looked it up (a row
/// with problems remembers it but adds no value to the graph).
const NO_SLOT: u32 = u32::MAX;

impl GraphSide {
    fn new(columns: &[PropColumn]) -> GraphSide {
        GraphSide {
            keys: columns
                .iter()
                .map(|column| (Arc::clone(&column.key), None))
                .collect(),
            known: columns.iter().map(|_| Vec::new()).collect(),
            numbers: columns.iter().map(|_| Vec::new()).collect(),
            scratch: Vec::new(),
            slotted: Vec::new(),
        }
    }

    /// Each chunk's worker remembers strings and numbers afresh.
    fn start_chunk(&mut self) {
        self.known.iter_mut().for_each(Vec::clear);
        self.numbers.iter_mut().for_each(Vec::clear);
    }

    /// Reports a checked row's problems, or adds it: a clean row straight
    /// to the graph, any other through the assembler's checks.
    fn add_row<'f>(
        &mut self,
        file: &'f InputFile,
        fixed: &[Option<usize>],
        row: &mut EdgeRow,
        assembler: &mut Assembler<'f>,
    ) {
        if !row.problems.is_empty() {
            assembler.problems.append(&mut row.problems);
            self.remember(row, assembler);
            return;
        }
        let Some(kind) = row.kind else { return };
        let place = Place::Csv {
            file,
            line: row.line,
        };
        let trusted = row.clean && !assembler.recheck_clean_rows;
        if let (true, Some(from), Some(to)) = (trusted, row.ends.from, row.ends.to) {
            self.find_slots(row, assembler);
            let (ends, props) = ((from, to), &self.slotted[..]);
            assembler.add_clean_edge(place, ends, kind, row.valid, props, &row.sources);
            return;
        }
        self.take_props(row, assembler);
        let record = &row.record;
        let (Some(from), Some(to)) = (fixed_cell(fixed, record, 0), fixed_cell(fixed, record, 1))
        else {
            return;
        };
        let raw = RawEdge {
            from,
            to,
            kind,
            props: &mut self.scratch,
            sources: SourceIds::Cell(fixed_cell(fixed, record, 3).unwrap_or("")),
            valid: row.valid,
        };
        assembler.add_edge_resolved(place, raw, row.ends);
    }

    /// A row with problems adds nothing, but the strings and numbers it
    /// remembers still count, so that both sides agree.
    fn remember(&mut self, row: &EdgeRow, assembler: &mut Assembler) {
        for cell in &row.props {
            let position = cell.position as usize;
            match cell.kind {
                CellKind::NewRemembered => {
                    let text = &row.texts[cell.payload as usize];
                    let interned = assembler.graph.intern(text);
                    self.known[position].push((interned, NO_SLOT));
                }
                CellKind::NewNumber => self.numbers[position].push((cell.payload, NO_SLOT)),
                _ => {}
            }
        }
    }

    /// The graph's index of the key of the props at `position`.
    fn key_idx(&mut self, position: usize, assembler: &mut Assembler) -> u32 {
        match &mut self.keys[position] {
            (_, Some(key_idx)) => *key_idx,
            (key, slot) => *slot.insert(assembler.prop_key(key)),
        }
    }

    /// A checked row's props into `scratch`: keys as the graph's indexes,
    /// strings interned.
    fn take_props(&mut self, row: &EdgeRow, assembler: &mut Assembler) {
        self.scratch.clear();
        for cell in &row.props {
            let key_idx = self.key_idx(cell.position as usize, assembler);
            let value = self.value(row, *cell, assembler);
            self.scratch.push((key_idx, value));
        }
    }

    /// A cell's value: strings interned, remembered strings and numbers
    /// recorded.
    fn value(&mut self, row: &EdgeRow, cell: EdgeCell, assembler: &mut Assembler) -> Value {
        let at = cell.payload as usize;
        let position = cell.position as usize;
        match cell.kind {
            CellKind::Number => Value::Number(f64::from_bits(cell.payload)),
            CellKind::NewNumber => {
                self.numbers[position].push((cell.payload, NO_SLOT));
                Value::Number(f64::from_bits(cell.payload))
            }
            CellKind::KnownNumber => {
                let bits = self.numbers[position].get(at).map_or(0, |known| known.0);
                Value::Number(f64::from_bits(bits))
            }
            CellKind::Value => row.values[at].clone(),
            CellKind::Known => Value::Str(self.known[position][at].0.clone()),
            CellKind::NewRemembered => {
                let interned = assembler.graph.intern(&row.texts[at]);
                self.known[position].push((interned.clone(), NO_SLOT));
                Value::Str(interned)
            }
            CellKind::New => Value::Str(assembler.graph.intern(&row.texts[at])),
        }
    }

    /// A clean row's props into `slotted`: keys as the graph's indexes,
    /// values as their slots, found in prop order as the graph would find
    /// them (a value is built only to look up a slot not known yet).
    fn find_slots(&mut self, row: &EdgeRow, assembler: &mut Assembler) {
        self.slotted.clear();
        for cell in &row.props {
            let key_idx = self.key_idx(cell.position as usize, assembler);
            let slot = self.slot(row, *cell, key_idx, &mut assembler.graph);
            self.slotted.push((key_idx, slot));
        }
    }

    /// A clean row's cell's value slot: a remembered string's or number's
    /// from the chunk's list once found, any other looked up in the graph
    /// (a number the chunk does not remember, its column seldom repeating,
    /// once that column has many values, stored in a slot of its own).
    fn slot(&mut self, row: &EdgeRow, cell: EdgeCell, key_idx: u32, graph: &mut Graph) -> u32 {
        let (position, at) = (cell.position as usize, cell.payload as usize);
        let number = |bits: u64| Value::Number(f64::from_bits(bits));
        match cell.kind {
            // The worker's chunk found this column's numbers seldom repeat.
            CellKind::Number => graph.value_slot_unless_rare(key_idx, number(cell.payload)),
            CellKind::NewNumber => {
                let slot = graph.value_slot(key_idx, number(cell.payload));
                self.numbers[position].push((cell.payload, slot));
                slot
            }
            CellKind::KnownNumber => match self.numbers[position].get_mut(at) {
                Some((_, slot)) if *slot != NO_SLOT => *slot,
                Some((bits, slot)) => {
                    *slot = graph.value_slot(key_idx, number(*bits));
                    *slot
                }
                None => graph.value_slot(key_idx, number(0)),
            },
            CellKind::Known => {
                let (text, slot) = &mut self.known[position][at];
                if *slot == NO_SLOT {
                    *slot = graph.value_slot(key_idx, Value::Str(text.clone()));
                }
                *slot
            }
            CellKind::NewRemembered => {
                let interned = graph.intern(&row.texts[at]);
                let slot = graph.value_slot(key_idx, Value::Str(interned.clone()));
                self.known[position].push((interned, slot));
                slot
            }
            CellKind::New => {
                let interned = graph.intern(&row.texts[at]);
                graph.value_slot(key_idx, Value::Str(interned))
            }
            CellKind::Value => graph.value_slot(key_idx, row.values[at].clone()),
        }
    }
}

#[cfg(test)]
mod tests;
