//! Edge rows of a bulk CSV file. Each row is read and checked apart from
//! the graph (`csv_edge_row`) and then added to the graph in file order on
//! the calling thread. A big file without quotes or carriage returns is cut
//! into chunks at line ends and its chunks are read by worker threads, one
//! per core; other big files are read by one worker; small files inline.
//!
//! Invariant: workers never touch the graph or the problem list; rows, and
//! with them every problem, reach the assembler in file order, so the graph
//! and the problems are those of a row-by-row load.

use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::model::{ArcStr, Value};

use super::assemble::Assembler;
use super::csv::{Header, PropColumn, fixed_cell};
use super::csv_edge_row::{ChunkMemory, EdgeCell, EdgeRow, EdgeSchema, parse_edge};
use super::csv_rows::{Chunk, FastRows, split_chunks};
use super::input::InputFile;
use super::problem::{At, Problem};
use super::raw::{Place, RawEdge, SourceIds};

/// Files at least this big are read by worker threads.
const THREAD_ABOVE: usize = 1 << 20;
/// Bytes of a chunk handed to one worker (cut at a line end).
const CHUNK_BYTES: usize = 1 << 21;
/// Rows per batch handed from a worker to the graph side.
const BATCH_ROWS: usize = 512;
/// Batches a worker may have waiting for the graph side, per chunk.
const BATCHES_WAITING: usize = 4;

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
    read_in_workers(&schema, chunks, apply);
}

/// Where a chunk's rows come from.
enum Rows<'f> {
    /// Quote-free lines, split without the CSV state machine.
    Fast(Chunk<'f>),
    /// The whole rest of the file, through the CSV reader.
    Reader(csv::Reader<&'f [u8]>),
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
    let mut memory = ChunkMemory::new(schema);
    batch.len = 0;
    match rows {
        Rows::Fast(chunk) => {
            let mut fast = FastRows::new(chunk.text, chunk.line);
            let mut fields = Vec::with_capacity(schema.fixed.len() + schema.columns.len());
            while let Some(line) = fast.read(&mut fields) {
                let row = batch.next_row();
                row.line = line;
                parse_edge(schema, &mut memory, &fields[..], row);
                if batch.is_full() {
                    if !hand_over(batch) {
                        return;
                    }
                    batch.len = 0;
                }
            }
        }
        Rows::Reader(mut reader) => {
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
    let take_spare = || {
        spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((rows, sender)) = jobs.lock().ok().and_then(|mut jobs| jobs.next()) {
                    let mut batch = take_spare();
                    read_chunk(schema, rows, &mut batch, |batch| {
                        let full = std::mem::replace(batch, take_spare());
                        sender.send(full).is_ok()
                    });
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
        self.take_props(row, assembler);
        let place = Place::Csv {
            file,
            line: row.line,
        };
        let trusted = row.clean && !assembler.recheck_clean_rows;
        if let (true, Some(from), Some(to)) = (trusted, row.ends.from, row.ends.to) {
            let ends = (from, to);
            assembler.add_clean_edge(
                place,
                ends,
                kind,
                row.valid,
                &mut self.scratch,
                &row.sources,
            );
            return;
        }
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

    /// The row's props into `scratch`: keys as the graph's indexes, strings
    /// interned.
    fn take_props(&mut self, row: &mut EdgeRow, assembler: &mut Assembler) {
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

    /// Cells each column of the generated files picks from: mostly good
    /// values, and every kind of problem a row can have.
    const CHOICES: [&[&str]; 12] = [
        &[
            "c0", "c1", "c2", "c0", "c1", "m0", "p0", "i0", "zz", " c1 ", "",
        ],
        &["m0", "m1", "p0", "c1", "c2", "i0", "c0", "zz", "m1 ", ""],
        &[
            "produces",
            "produces",
            "imports_from",
            "used_in",
            "Produces",
            "produce",
            "",
        ],
        &["s", "s", "t", "s;t", " s ", "s;;t", "", ";", "u"],
        &["", "", "", "2020", "2019-05", "2021-01-01", "20x0"],
        &["", "", "", "2018", "2022", "2020-02"],
        &["mining", "refining", "", " mining", "mining\u{a0}"],
        &[
            "0.2", "0.25", "0.1", "", "1.2", "-0.1", "x", "1e-1", ".5", "0.3333", "5.", "+0.5",
        ],
        &["2020", "2021", "", "2020.0", "x", "2020-06"],
        &["m0", "m1", "", "p0", "c0", "zz", "5"],
        &["", "true", "2020-01", "7", "text", "2020-13", "0.5", "NaN"],
        &["", "", "0.4", "2", "x"],
    ];
    const HEADER: &str =
        "from,to,kind,sources,valid_from,valid_to,stage,share:number,year,item,note,dependence\n";

    /// A row from one choice per column; a 13th choice may add a stray
    /// cell, drop one or make a blank line.
    fn row_text(choices: &[usize]) -> String {
        let mut cells: Vec<&str> = CHOICES
            .iter()
            .zip(choices)
            .map(|(options, choice)| options[choice % options.len()])
            .collect();
        match choices.get(12).map(|extra| extra % 40) {
            Some(0) => cells.push("stray"),
            Some(1) => {
                cells.pop();
            }
            Some(2) => return "\n".to_string(),
            _ => {}
        }
        format!("{}\n", cells.join(","))
    }

    fn graph_texts(edges: &str) -> [(&'static str, String); 3] {
        [
            ("sources.csv", "id,title\ns,S\nt,T\n".to_string()),
            (
                "nodes.csv",
                "id,kind,name,aliases,sources\nc0,country,C0,,s\nc1,country,C1,,s\nc2,country,C2,,s\n\
                 m0,mineral,M0,,s\nm1,mineral,M1,,s\np0,product,P0,,s\ni0,industry,I0,,s\n"
                    .to_string(),
            ),
            ("edges.csv", edges.to_string()),
        ]
    }

    /// What a load gives: every problem, or every edge as a user sees it.
    fn outcome(loaded: Result<crate::load::Loaded, crate::load::LoadFailure>) -> Vec<String> {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(failure) => return failure.problems.iter().map(|p| p.to_string()).collect(),
        };
        let graph = &loaded.graph;
        let mut lines: Vec<String> = loaded.warnings.iter().map(|p| p.to_string()).collect();
        for edge_idx in graph.edge_indices() {
            let (from, to) = graph.endpoints(edge_idx);
            let props: Vec<String> = graph
                .edge_props(edge_idx)
                .map(|(key, value)| format!("{key}={value:?}"))
                .collect();
            let sources: Vec<&str> = graph
                .edge_sources(edge_idx)
                .iter()
                .map(|source| graph.source(*source).id.as_str())
                .collect();
            let edge = graph.edge(edge_idx);
            lines.push(format!(
                "{} {} {} {props:?} {sources:?} {:?}",
                graph.node(from).id,
                edge.kind,
                graph.node(to).id,
                edge.valid
            ));
        }
        lines
    }

    /// The same edges file loaded with the workers' clean rows trusted and
    /// with every row checked by the assembler: the same graph or problems.
    fn assert_same_load(edges: &str) {
        let texts = graph_texts(edges);
        let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let trusted = outcome(crate::load::load_texts(&texts));
        let rechecked = outcome(crate::load::load_texts_rechecked(&texts));
        assert_eq!(trusted, rechecked);
    }

    proptest::proptest! {
        #[test]
        fn clean_rows_load_as_the_assembler_checks_them(
            rows in proptest::collection::vec(proptest::collection::vec(0usize..64, 13), 1..40),
        ) {
            let mut edges = HEADER.to_string();
            rows.iter().for_each(|row| edges.push_str(&row_text(row)));
            assert_same_load(&edges);
        }
    }

    /// Across chunks and worker threads too, and for a file that loads.
    #[test]
    fn big_files_load_as_the_assembler_checks_them() {
        let mut state = 7u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as usize
        };
        let mut edges = HEADER.to_string();
        while edges.len() < 3 * super::CHUNK_BYTES {
            let row: Vec<usize> = (0..13).map(|_| next()).collect();
            edges.push_str(&row_text(&row));
        }
        assert_same_load(&edges);
        let mut good = HEADER.to_string();
        for row in 0..120_000 {
            let (from, to) = (["c0", "c1", "c2"][row % 3], ["c1", "c2", "c0"][row % 3]);
            good.push_str(&format!(
                "{from},{to},imports_from,s,,,,0.01,{},m{},,\n",
                1900 + row % 97,
                row % 2
            ));
            good.push_str(&format!(
                "c{},m{},produces,s;t,,,mining,0.001,{},,,\n",
                row % 3,
                row % 2,
                row % 500
            ));
        }
        let texts = graph_texts(&good);
        let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
        assert!(
            crate::load::load_texts(&texts).is_ok(),
            "the good file loads"
        );
        assert_same_load(&good);
    }

    use crate::model::Value;
}
