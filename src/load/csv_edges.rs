//! Edge rows of a bulk CSV file. Each row is read and checked apart from
//! the graph — cells typed, endpoints looked up, the kind rule and an
//! import's `item` checked — and then added to the graph in file order on
//! the calling thread. A big file without quotes or carriage returns is cut
//! into chunks at line ends and its chunks are read by worker threads, one
//! per core; other big files are read by one worker; small files inline.
//!
//! Invariant: workers never touch the graph or the problem list; rows, and
//! with them every problem, reach the assembler in file order, so the graph
//! and the problems are those of a row-by-row load.

use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::model::{ArcStr, EdgeKind, NodeIndex, NodeKind, Validity, Value};

use super::assemble::{Assembler, EdgeEnds};
use super::csv::{
    EDGE_COLUMNS, Header, PropColumn, filled_cell, fixed_cell, report, too_many_cells,
    typed_scalar, validity,
};
use super::csv_rows::{Chunk, FastRows, split_chunks};
use super::input::InputFile;
use super::problem::{At, Problem};
use super::raw::{Place, RawEdge, SourceIds, parse_edge_kind};

/// Files at least this big are read by worker threads.
const THREAD_ABOVE: usize = 1 << 20;
/// Bytes of a chunk handed to one worker (cut at a line end).
const CHUNK_BYTES: usize = 1 << 21;
/// Rows per batch handed from a worker to the graph side.
const BATCH_ROWS: usize = 512;
/// Batches a worker may have waiting for the graph side, per chunk.
const BATCHES_WAITING: usize = 4;
/// Distinct strings a column remembers per chunk: a remembered string
/// crosses to the graph side once, later cells only as its number.
const KNOWN_STRINGS: usize = 1 << 16;

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
    let mut apply = |batch: &mut EdgeBatch, first_of_chunk: bool| {
        if first_of_chunk {
            graph_side.start_chunk();
        }
        for row in &mut batch.rows[..batch.len] {
            graph_side.add_row(file, &schema.fixed, row, assembler);
        }
    };
    if file.text.len() < THREAD_ABOVE {
        for rows in chunks {
            let mut parser = ChunkParser::new(&schema, rows);
            let mut batch = EdgeBatch::default();
            let mut first_of_chunk = true;
            loop {
                let more = parser.fill(&mut batch);
                apply(&mut batch, std::mem::take(&mut first_of_chunk));
                if !more {
                    break;
                }
            }
        }
        return;
    }
    read_in_workers(&schema, chunks, apply);
}

/// What every worker needs to read rows: the header and the node ids
/// (all nodes are in before edges load). Read-only.
struct EdgeSchema<'f> {
    file: &'f InputFile,
    fixed: Vec<Option<usize>>,
    /// Cells in the header row: a row may not have more.
    width: usize,
    columns: Vec<PropColumn>,
    /// Per column: whether its key is `item` (checked for imports).
    is_item: Vec<bool>,
    ids: Arc<FxHashMap<String, NodeIndex>>,
    kinds: Vec<NodeKind>,
}

impl<'f> EdgeSchema<'f> {
    fn new(file: &'f InputFile, header: Header, assembler: &Assembler) -> EdgeSchema<'f> {
        let is_item = header
            .props
            .iter()
            .map(|column| &*column.key == "item")
            .collect();
        EdgeSchema {
            file,
            fixed: header.fixed,
            width: header.width,
            columns: header.props,
            is_item,
            ids: assembler.graph.id_index(),
            kinds: assembler.graph.node_kinds(),
        }
    }

    fn node(&self, id: &str) -> Option<NodeIndex> {
        self.ids.get(id).copied()
    }

    /// Whether an edge of `kind` may run between these nodes.
    fn allows(&self, kind: EdgeKind, from: NodeIndex, to: NodeIndex) -> bool {
        match (self.kinds.get(from.index()), self.kinds.get(to.index())) {
            (Some(from), Some(to)) => kind.allows(*from, *to),
            _ => false,
        }
    }

    /// Whether an import's `item` text is the id of a mineral or product.
    fn is_material(&self, id: &str) -> bool {
        self.node(id)
            .and_then(|node_idx| self.kinds.get(node_idx.index()))
            .is_some_and(|kind| matches!(kind, NodeKind::Mineral | NodeKind::Product))
    }
}

/// Where a chunk's rows come from.
enum Rows<'f> {
    /// Quote-free lines, split without the CSV state machine.
    Fast(Chunk<'f>),
    /// The whole rest of the file, through the CSV reader.
    Reader(csv::Reader<&'f [u8]>),
}

/// An edge row after the checks that need no graph: its fields, typed props
/// and the problems found, in the order they are reported.
#[derive(Default)]
struct EdgeRow {
    line: u64,
    record: csv::StringRecord,
    problems: Vec<Problem>,
    /// Set only if the row has no problem so far.
    kind: Option<EdgeKind>,
    valid: Validity,
    /// The endpoints and the import's item, looked up by the worker.
    ends: EdgeEnds,
    /// `(position in the header's props, value)`.
    props: Vec<(u32, EdgeCell)>,
}

/// A property cell as a worker hands it over. Strings are not `Arc`s there:
/// the threads would then share reference counts.
enum EdgeCell {
    /// A number, bool or date.
    Value(Value),
    /// The column's `n`th remembered string of this chunk.
    Known(u32),
    /// A string; `remember`: the column remembers it from now on (the
    /// graph side, which sees every cell in order, does the same).
    New { text: Box<str>, remember: bool },
}

#[derive(Default)]
struct EdgeBatch {
    rows: Vec<EdgeRow>,
    len: usize,
}

/// Reads one chunk's rows into batches, checking each.
struct ChunkParser<'s, 'f> {
    schema: &'s EdgeSchema<'f>,
    rows: RowReader<'f>,
    /// Per column, the strings remembered in this chunk and their numbers.
    known: Vec<FxHashMap<Box<str>, u32>>,
}

enum RowReader<'f> {
    Fast(FastRows<'f>),
    Reader(csv::Reader<&'f [u8]>),
}

impl<'s, 'f> ChunkParser<'s, 'f> {
    fn new(schema: &'s EdgeSchema<'f>, rows: Rows<'f>) -> ChunkParser<'s, 'f> {
        let rows = match rows {
            Rows::Fast(chunk) => RowReader::Fast(FastRows::new(chunk.text, chunk.line)),
            Rows::Reader(reader) => RowReader::Reader(reader),
        };
        ChunkParser {
            schema,
            rows,
            known: schema
                .columns
                .iter()
                .map(|_| FxHashMap::default())
                .collect(),
        }
    }

    /// Fills `batch`; false once the chunk is done (at its end, or after an
    /// error the reader cannot read past).
    fn fill(&mut self, batch: &mut EdgeBatch) -> bool {
        batch.len = 0;
        while batch.len < BATCH_ROWS {
            if batch.rows.len() == batch.len {
                batch.rows.push(EdgeRow::default());
            }
            let row = &mut batch.rows[batch.len];
            row.problems.clear();
            row.props.clear();
            row.kind = None;
            row.ends = EdgeEnds::default();
            match &mut self.rows {
                RowReader::Fast(fast) => match fast.read(&mut row.record) {
                    Some(line) => row.line = line,
                    None => return false,
                },
                RowReader::Reader(reader) => {
                    row.line = reader.position().line();
                    match reader.read_record(&mut row.record) {
                        Ok(false) => return false,
                        Ok(true) => {}
                        Err(err) => {
                            batch.len += 1;
                            let fatal =
                                !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. });
                            let message = format!(
                                "malformed CSV: {}",
                                err.to_string().split(':').next_back().unwrap_or("").trim()
                            );
                            let at = At::Csv {
                                line: row.line,
                                column: None,
                            };
                            row.problems
                                .push(Problem::error(&self.schema.file.name, at, message));
                            if fatal {
                                return false;
                            }
                            continue;
                        }
                    }
                }
            }
            batch.len += 1;
            parse_edge(self.schema, &mut self.known, row);
        }
        true
    }
}

/// The checks of an edge row that need no graph; `row.kind` is set only if
/// the row has no problem.
fn parse_edge(schema: &EdgeSchema, known: &mut [FxHashMap<Box<str>, u32>], row: &mut EdgeRow) {
    let place = Place::Csv {
        file: schema.file,
        line: row.line,
    };
    let record = &row.record;
    let problems = &mut row.problems;
    if record.len() > schema.width {
        let at = At::Csv {
            line: row.line,
            column: None,
        };
        let message = too_many_cells(record.len(), schema.width);
        problems.push(Problem::error(&schema.file.name, at, message));
        return;
    }
    let cell = |slot: usize| fixed_cell(&schema.fixed, record, slot);
    let require = |slot: usize, problems: &mut Vec<Problem>| {
        let found = cell(slot);
        if found.is_none() {
            let name = EDGE_COLUMNS[slot];
            problems.push(place.error(name, format!("{name} is empty")));
        }
        found
    };
    let (from, to) = (require(0, problems), require(1, problems));
    let kind = require(2, problems)
        .and_then(|text| report(place, "kind", parse_edge_kind(text), problems));
    row.valid = validity(place, cell(4), cell(5), problems);
    let mut item = None;
    for (position, column) in schema.columns.iter().enumerate() {
        let Some(text) = filled_cell(record, column.index) else {
            continue;
        };
        let scalar = typed_scalar(&column.key, column.declared, column.date_prop, text);
        let Some(scalar) = report(place, &column.key, scalar, problems) else {
            continue;
        };
        if schema.is_item[position] && item.is_none() {
            item = Some(scalar.is_none() && schema.is_material(text));
        }
        let cell = match scalar {
            Some(value) => EdgeCell::Value(value),
            None => remembered(&mut known[position], text),
        };
        row.props.push((position as u32, cell));
    }
    let (from_idx, to_idx) = (
        from.and_then(|id| schema.node(id)),
        to.and_then(|id| schema.node(id)),
    );
    row.ends = EdgeEnds {
        from: from_idx,
        to: to_idx,
        allowed: match (from_idx, to_idx, kind) {
            (Some(from), Some(to), Some(kind)) => Some(schema.allows(kind, from, to)),
            _ => None,
        },
        item_is_material: item,
    };
    if from.is_some() && to.is_some() && problems.is_empty() {
        row.kind = kind;
    }
}

/// A string cell: the column's number for it if remembered, else the text
/// (remembered from now on while the column has room).
fn remembered(known: &mut FxHashMap<Box<str>, u32>, text: &str) -> EdgeCell {
    if let Some(number) = known.get(text) {
        return EdgeCell::Known(*number);
    }
    let remember = known.len() < KNOWN_STRINGS;
    if remember {
        let number = known.len() as u32;
        known.insert(Box::from(text), number);
    }
    EdgeCell::New {
        text: Box::from(text),
        remember,
    }
}

/// Reads the chunks on worker threads (chunks taken in file order) while
/// the calling thread applies their batches in file order.
fn read_in_workers<'f>(
    schema: &EdgeSchema<'f>,
    chunks: Vec<Rows<'f>>,
    mut apply: impl FnMut(&mut EdgeBatch, bool),
) {
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .clamp(1, chunks.len().max(1));
    let mut receivers = Vec::with_capacity(chunks.len());
    let mut jobs: Vec<(Rows<'f>, SyncSender<EdgeBatch>)> = Vec::with_capacity(chunks.len());
    for rows in chunks {
        let (sender, receiver) = sync_channel::<EdgeBatch>(BATCHES_WAITING);
        receivers.push(receiver);
        jobs.push((rows, sender));
    }
    // Taken from the front, so chunks start in file order: the chunk the
    // graph side waits for is always being read by a worker that is not
    // blocked on a later chunk.
    let jobs = Mutex::new(jobs.into_iter());
    let spare: Mutex<Vec<EdgeBatch>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((rows, sender)) = jobs.lock().ok().and_then(|mut jobs| jobs.next()) {
                    let mut parser = ChunkParser::new(schema, rows);
                    loop {
                        let mut batch = spare
                            .lock()
                            .ok()
                            .and_then(|mut spare| spare.pop())
                            .unwrap_or_default();
                        let more = parser.fill(&mut batch);
                        if sender.send(batch).is_err() || !more {
                            break;
                        }
                    }
                }
            });
        }
        for receiver in receivers {
            let mut first_of_chunk = true;
            for mut batch in receiver {
                apply(&mut batch, std::mem::take(&mut first_of_chunk));
                if let Ok(mut spare) = spare.lock() {
                    spare.push(batch);
                }
            }
        }
    });
}

/// The graph side: turns checked rows into edges, in file order.
struct GraphSide {
    /// Per column, the graph's key index (resolved at its first value).
    keys: Vec<(Arc<str>, Option<u32>)>,
    /// Per column, the interned equals of the chunk's remembered strings.
    known: Vec<Vec<ArcStr>>,
    scratch: Vec<(u32, Value)>,
}

impl GraphSide {
    fn new(columns: &[PropColumn]) -> GraphSide {
        GraphSide {
            keys: columns
                .iter()
                .map(|column| (Arc::clone(&column.key), None))
                .collect(),
            known: columns.iter().map(|_| Vec::new()).collect(),
            scratch: Vec::new(),
        }
    }

    /// Each chunk's worker remembers strings afresh.
    fn start_chunk(&mut self) {
        self.known.iter_mut().for_each(Vec::clear);
    }

    /// Reports a checked row's problems, or adds it through the assembler.
    fn add_row<'f>(
        &mut self,
        file: &'f InputFile,
        fixed: &[Option<usize>],
        row: &mut EdgeRow,
        assembler: &mut Assembler<'f>,
    ) {
        if !row.problems.is_empty() {
            assembler.problems.append(&mut row.problems);
            // Remembered strings still count, so that both sides agree.
            for (position, cell) in row.props.drain(..) {
                if let EdgeCell::New {
                    text,
                    remember: true,
                } = cell
                {
                    let interned = assembler.graph.intern(&text);
                    self.known[position as usize].push(interned);
                }
            }
            return;
        }
        let Some(kind) = row.kind else { return };
        let record = &row.record;
        let (Some(from), Some(to)) = (fixed_cell(fixed, record, 0), fixed_cell(fixed, record, 1))
        else {
            return;
        };
        self.scratch.clear();
        for (position, cell) in row.props.drain(..) {
            let position = position as usize;
            let key_idx = match &mut self.keys[position] {
                (_, Some(key_idx)) => *key_idx,
                (key, slot) => *slot.insert(assembler.prop_key(key)),
            };
            let value = match cell {
                EdgeCell::Value(value) => value,
                EdgeCell::Known(at) => Value::Str(self.known[position][at as usize].clone()),
                EdgeCell::New { text, remember } => {
                    let interned = assembler.graph.intern(&text);
                    if remember {
                        self.known[position].push(interned.clone());
                    }
                    Value::Str(interned)
                }
            };
            self.scratch.push((key_idx, value));
        }
        let raw = RawEdge {
            from,
            to,
            kind,
            props: &mut self.scratch,
            sources: SourceIds::Cell(fixed_cell(fixed, record, 3).unwrap_or("")),
            valid: row.valid,
        };
        let place = Place::Csv {
            file,
            line: row.line,
        };
        assembler.add_edge_resolved(place, raw, row.ends);
    }
}

#[cfg(test)]
mod tests {
    /// A file big enough for the workers, cut into several chunks, reports
    /// the same problems, in row order, as a small one would, and its
    /// remembered strings stay right across chunks.
    #[test]
    fn big_edge_files_report_problems_in_row_order() {
        let mut edges = String::from("from,to,kind,sources,stage,share,tonnes,note\n");
        let rows = 120_000;
        for row in 2..rows + 2 {
            let line = match row {
                5 => "c,m,produce,s,mining,0.1,5,a".to_string(),
                20_001 => "c,m,produces,s,mining,x,5,b".to_string(),
                39_999 => "c,zz,produces,,mining,0.1,5,c".to_string(),
                110_000 => "c,m,produces,s,mining,2,5,d".to_string(),
                _ => format!(
                    "c,m{},produces,s,{},,{row},n{}",
                    row % 50,
                    ["mining", "refining"][row % 2],
                    row % 300
                ),
            };
            edges.push_str(&line);
            edges.push('\n');
            if row % 7_000 == 0 {
                edges.push_str("\n\n");
            }
        }
        edges.push_str("c,m,produces,s,mining,7,5,e\n");
        assert!(edges.len() >= 2 * super::CHUNK_BYTES);
        let mut nodes =
            String::from("id,kind,name,aliases,sources\nc,country,C,,s\nm,mineral,M,,s\n");
        for mineral in 0..50 {
            nodes.push_str(&format!("m{mineral},mineral,M{mineral},,s\n"));
        }
        let texts = [
            ("sources.csv", "id,title\ns,S\n"),
            ("nodes.csv", nodes.as_str()),
            ("edges.csv", edges.as_str()),
        ];
        let Err(failure) = crate::load::load_texts(&texts) else {
            panic!("the bad rows must fail the load");
        };
        let found: Vec<String> = failure.problems.iter().map(|p| p.to_string()).collect();
        // Row `r` (the header is row 1) after the blank lines above it.
        let line = |row: usize| row + 2 * ((row - 1) / 7_000);
        assert_eq!(
            found,
            [
                "error: edges.csv:5: column kind: unknown edge kind \"produce\" (did you mean \"produces\"?)".to_string(),
                format!("error: edges.csv:{}: column share: share must be a number within 0..1, found a string", line(20_001)),
                format!("error: edges.csv:{}: column to: edge endpoint \"zz\" is not a node", line(39_999)),
                format!("error: edges.csv:{}: column sources: edge cites no source (every fact needs one)", line(39_999)),
                format!("error: edges.csv:{}: column share: share 2 is outside 0..1 (write 85% as 0.85)", line(110_000)),
                format!("error: edges.csv:{}: column share: share 7 is outside 0..1 (write 85% as 0.85)", line(rows + 2)),
            ]
        );
    }

    /// Remembered strings of every chunk come out as the text of their cell.
    #[test]
    fn strings_survive_chunks() {
        let mut edges = String::from("from,to,kind,sources,stage,note\n");
        let rows = 150_000;
        for row in 0..rows {
            edges.push_str(&format!(
                "c,m,produces,s,stage{},note {}\n",
                row % 7,
                row % 1_000
            ));
        }
        assert!(edges.len() >= 2 * super::CHUNK_BYTES);
        let texts = [
            ("sources.csv", "id,title\ns,S\n"),
            (
                "nodes.csv",
                "id,kind,name,aliases,sources\nc,country,C,,s\nm,mineral,M,,s\n",
            ),
            ("edges.csv", edges.as_str()),
        ];
        let loaded = match crate::load::load_texts(&texts) {
            Ok(loaded) => loaded,
            Err(failure) => panic!("{:?}", failure.problems.first()),
        };
        let graph = &loaded.graph;
        assert_eq!(graph.edge_count(), rows);
        for (row, edge_idx) in graph.edge_indices().enumerate() {
            let stage = graph.edge_prop(edge_idx, "stage").and_then(Value::as_str);
            let note = graph.edge_prop(edge_idx, "note").and_then(Value::as_str);
            assert_eq!(stage, Some(format!("stage{}", row % 7).as_str()));
            assert_eq!(note, Some(format!("note {}", row % 1_000).as_str()));
        }
    }

    use crate::model::Value;
}
