//! Bulk CSV: `sources.csv`, `nodes.csv`, `edges.csv` (columns in docs/DATA_FORMAT.md).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::{EdgeKind, NodeIndex, NodeKind, PartialDate, Validity, Value};

use super::assemble::{Assembler, EdgeEnds};
use super::input::{FileFormat, InputFile};
use super::problem::{At, Problem};
use super::raw::{
    Place, RawEdge, RawNode, RawSource, SourceIds, parse_edge_kind, parse_node_kind, unknown_word,
};

/// The fixed columns of the bulk CSV format (docs/DATA_FORMAT.md), read
/// here and written by the CSV export and the importer.
pub(crate) const SOURCE_COLUMNS: &[&str] =
    &["id", "title", "publisher", "published", "url", "note"];
pub(crate) const NODE_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
pub(crate) const EDGE_COLUMNS: &[&str] =
    &["from", "to", "kind", "sources", "valid_from", "valid_to"];
const PROP_TYPES: &[&str] = &["number", "string", "bool", "date"];

/// A property column: its key and declared type, if any.
struct PropColumn {
    index: usize,
    key: Arc<str>,
    declared: Option<&'static str>,
    /// Whether the key is one of the date properties.
    date_prop: bool,
    /// The column's first few distinct strings: bulk columns repeat a
    /// handful of values, which then cost no allocation or hashing.
    recent: Vec<Box<str>>,
}

/// How many distinct strings a column remembers.
const RECENT_STRINGS: usize = 8;

/// The header of a CSV file: where each fixed column is, and the props.
struct Header {
    /// Cells in the header row: a row may not have more.
    width: usize,
    fixed: Vec<Option<usize>>,
    props: Vec<PropColumn>,
}

pub fn add<'f>(file: &'f InputFile, assembler: &mut Assembler<'f>) {
    let fixed_names = match file.format {
        FileFormat::SourcesCsv => SOURCE_COLUMNS,
        FileFormat::NodesCsv => NODE_COLUMNS,
        FileFormat::EdgesCsv => EDGE_COLUMNS,
        FileFormat::Json => return,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let header = match reader.headers() {
        Ok(record) => read_header(file, record, fixed_names, &mut assembler.problems),
        Err(err) => {
            assembler.problems.push(Problem::error(
                &file.name,
                At::Csv {
                    line: 1,
                    column: None,
                },
                format!("malformed CSV: {err}"),
            ));
            None
        }
    };
    let Some(mut header) = header else { return };
    let lines = line_count(&file.text);
    match file.format {
        FileFormat::NodesCsv => assembler.reserve_nodes(lines),
        FileFormat::EdgesCsv => assembler
            .graph
            .reserve(0, lines, lines * header.props.len()),
        _ => {}
    }
    if file.format == FileFormat::EdgesCsv {
        add_edges(file, reader, header, assembler);
        return;
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.len() > header.width => assembler.problems.push(Problem::error(
                &file.name,
                At::Csv { line, column: None },
                too_many_cells(record.len(), header.width),
            )),
            Ok(true) => add_record(Place::Csv { file, line }, &record, &mut header, assembler),
            Err(err) => {
                let message = format!(
                    "malformed CSV: {}",
                    err.to_string().split(':').next_back().unwrap_or("").trim()
                );
                assembler.problems.push(Problem::error(
                    &file.name,
                    At::Csv { line, column: None },
                    message,
                ));
                if !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
}

fn read_header(
    file: &InputFile,
    record: &csv::StringRecord,
    fixed_names: &[&str],
    problems: &mut Vec<Problem>,
) -> Option<Header> {
    let mut fixed = vec![None; fixed_names.len()];
    let mut props = Vec::new();
    let at = |column: &str| At::Csv {
        line: 1,
        column: Some(column.to_string()),
    };
    for (index, name) in record.iter().enumerate() {
        if name.trim().is_empty() {
            problems.push(Problem::error(
                &file.name,
                At::Csv {
                    line: 1,
                    column: None,
                },
                format!("column {} has an empty header", index + 1),
            ));
            continue;
        }
        if let Some(slot) = fixed_names
            .iter()
            .position(|fixed_name| *fixed_name == name)
        {
            fixed[slot] = Some(index);
            continue;
        }
        let (key, declared) = match name.split_once(':') {
            Some((key, kind)) => match PROP_TYPES.iter().find(|known| **known == kind) {
                Some(known) => (key, Some(*known)),
                None => {
                    problems.push(Problem::error(
                        &file.name,
                        at(name),
                        unknown_word("column type", kind, PROP_TYPES),
                    ));
                    continue;
                }
            },
            None => (name, None),
        };
        props.push(PropColumn {
            index,
            key: Arc::from(key),
            declared,
            date_prop: super::raw::DATE_PROPS.contains(&key),
            recent: Vec::new(),
        });
    }
    let required: &[&str] = match fixed_names.first() {
        Some(&"from") => &["from", "to", "kind", "sources"],
        Some(_) if fixed_names.contains(&"kind") => &["id", "kind", "name", "sources"],
        _ => &["id", "title"],
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| {
            fixed_names
                .iter()
                .position(|fixed_name| fixed_name == name)
                .is_some_and(|slot| fixed[slot].is_none())
        })
        .collect();
    if !missing.is_empty() {
        let message = format!("header lacks required column(s): {}", missing.join(", "));
        problems.push(Problem::error(
            &file.name,
            At::Csv {
                line: 1,
                column: None,
            },
            message,
        ));
        return None;
    }
    Some(Header {
        width: record.len(),
        fixed,
        props,
    })
}

fn add_record<'f>(
    place: Place<'f>,
    record: &csv::StringRecord,
    header: &mut Header,
    assembler: &mut Assembler<'f>,
) {
    let Place::Csv { file, .. } = place else {
        return;
    };
    let cell = |slot: usize| {
        header.fixed[slot]
            .and_then(|index| record.get(index))
            .map(str::trim)
            .filter(|text| !text.is_empty())
    };
    let problems_before = assembler.problems.len();
    let require = |slot: usize, names: &[&str], problems: &mut Vec<Problem>| {
        let found = cell(slot);
        if found.is_none() {
            problems.push(place.error(names[slot], format!("{} is empty", names[slot])));
        }
        found
    };
    match file.format {
        FileFormat::SourcesCsv => {
            let (id, title) = (
                require(0, SOURCE_COLUMNS, &mut assembler.problems),
                require(1, SOURCE_COLUMNS, &mut assembler.problems),
            );
            let published = date_cell(place, "published", cell(3), &mut assembler.problems);
            if let (Some(id), Some(title), true) =
                (id, title, assembler.problems.len() == problems_before)
            {
                let raw = RawSource {
                    id,
                    title,
                    publisher: cell(2),
                    published,
                    url: cell(4),
                    note: cell(5),
                };
                assembler.add_source(place, raw);
            }
        }
        FileFormat::NodesCsv => {
            let id = require(0, NODE_COLUMNS, &mut assembler.problems);
            let kind = require(1, NODE_COLUMNS, &mut assembler.problems).and_then(|text| {
                report(
                    place,
                    "kind",
                    parse_node_kind(text),
                    &mut assembler.problems,
                )
            });
            let name = require(2, NODE_COLUMNS, &mut assembler.problems);
            let valid = validity(place, cell(5), cell(6), &mut assembler.problems);
            let props = props(place, record, &header.props, &mut assembler.problems);
            if let (Some(id), Some(kind), Some(name), true) =
                (id, kind, name, assembler.problems.len() == problems_before)
            {
                let raw = RawNode {
                    id,
                    kind,
                    name,
                    aliases: escaped_list(cell(3)),
                    props,
                    sources: list(cell(4)),
                    valid,
                };
                assembler.add_node(place, raw);
            }
        }
        // Edges go through `add_edges`.
        FileFormat::EdgesCsv | FileFormat::Json => {}
    }
}

fn report<T>(
    place: Place,
    column: &str,
    result: Result<T, String>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    result
        .map_err(|message| problems.push(place.error(column, message)))
        .ok()
}

fn list(cell: Option<&str>) -> Vec<&str> {
    cell.map(|text| {
        text.split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// A list cell whose items may hold `;` and `\\` escaped as `\;` and
/// `\\\\` (docs/DATA_FORMAT.md); items without escapes stay borrowed.
fn escaped_list(cell: Option<&str>) -> Vec<std::borrow::Cow<'_, str>> {
    let Some(text) = cell else {
        return Vec::new();
    };
    if !text.contains('\\') {
        return list(Some(text)).into_iter().map(Into::into).collect();
    }
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => item.push(chars.next().unwrap_or('\\')),
            ';' => items.push(std::mem::take(&mut item)),
            other => item.push(other),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .map(Into::into)
        .collect()
}

fn date_cell(
    place: Place,
    column: &str,
    cell: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<PartialDate> {
    let parsed = PartialDate::parse(cell?).map_err(|err| format!("{column}: {err}"));
    report(place, column, parsed, problems)
}

fn validity(
    place: Place,
    from: Option<&str>,
    to: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Validity {
    Validity {
        from: date_cell(place, "valid_from", from, problems),
        to: date_cell(place, "valid_to", to, problems),
    }
}

fn props(
    place: Place,
    record: &csv::StringRecord,
    columns: &[PropColumn],
    problems: &mut Vec<Problem>,
) -> Vec<(Arc<str>, Value)> {
    let mut props = Vec::with_capacity(columns.len());
    for column in columns {
        let Some(text) = record
            .get(column.index)
            .map(str::trim)
            .filter(|text| !text.is_empty())
        else {
            continue;
        };
        let value = typed_value(&column.key, column.declared, text);
        if let Some(value) = report(place, &column.key, value, problems) {
            props.push((Arc::clone(&column.key), value));
        }
    }
    props
}

/// Lines in a text (an estimate of its records, for reserving room).
fn line_count(text: &str) -> usize {
    text.as_bytes()
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
}

fn typed_value(key: &str, declared: Option<&str>, text: &str) -> Result<Value, String> {
    let date_prop = super::raw::DATE_PROPS.contains(&key);
    typed_scalar(key, declared, date_prop, text)
        .map(|scalar| scalar.unwrap_or_else(|| Value::Str(Arc::from(text))))
}

/// A cell's value: of its declared type, else a number, bool, date (for
/// date properties and date-shaped text); `None` if it is the string
/// `text` itself (the caller makes the string).
fn typed_scalar(
    key: &str,
    declared: Option<&str>,
    date_prop: bool,
    text: &str,
) -> Result<Option<Value>, String> {
    let number = || text.parse::<f64>().ok().filter(|number| number.is_finite());
    match declared {
        Some("number") => number()
            .map(|number| Some(Value::Number(number)))
            .ok_or_else(|| format!("{key}: \"{text}\" is not a number")),
        Some("bool") => match text {
            "true" => Ok(Some(Value::Bool(true))),
            "false" => Ok(Some(Value::Bool(false))),
            _ => Err(format!("{key}: \"{text}\" is not true or false")),
        },
        Some("date") => PartialDate::parse(text)
            .map(|date| Some(Value::Date(date)))
            .map_err(|err| format!("{key}: {err}")),
        Some(_) => Ok(None),
        None if date_prop => PartialDate::parse(text)
            .map(|date| Some(Value::Date(date)))
            .map_err(|err| err.to_string()),
        None => match (number(), text) {
            (Some(number), _) => Ok(Some(Value::Number(number))),
            (None, "true") => Ok(Some(Value::Bool(true))),
            (None, "false") => Ok(Some(Value::Bool(false))),
            (None, _) if PartialDate::looks_like_date(text) => PartialDate::parse(text)
                .map(|date| Some(Value::Date(date)))
                .map_err(|err| err.to_string()),
            (None, _) => Ok(None),
        },
    }
}

// ----- edges: rows are read and checked on their own (on a second thread
// for big files), then added to the graph in order -----

/// Files at least this big have their rows read and parsed on a second thread.
const THREAD_ABOVE: usize = 1 << 20;
/// Rows per batch handed from the parsing side to the graph side.
const BATCH_ROWS: usize = 512;

/// An edge row after the checks that need no graph: its fields, typed props
/// and the problems found, in the order they are reported.
#[derive(Default)]
struct EdgeRow {
    line: u64,
    record: csv::StringRecord,
    problems: Vec<Problem>,
    kind: Option<crate::model::EdgeKind>,
    valid: Validity,
    /// The endpoints, looked up on the parsing side.
    ends: EdgeEnds,
    /// `(position in header.props, value)`; strings not yet interned.
    props: Vec<(u32, EdgeCell)>,
}

/// A property cell as the parsing side hands it over. Strings are not
/// `Arc`s there: the two threads would then share reference counts.
enum EdgeCell {
    Value(Value),
    /// The column's `n`th remembered string.
    Recent(u8),
    /// A string; `remember`: the column remembers it from now on (the
    /// graph side, which sees every cell in order, does the same).
    Str {
        text: Box<str>,
        remember: bool,
    },
}

#[derive(Default)]
struct EdgeBatch {
    rows: Vec<EdgeRow>,
    len: usize,
}

/// The parsing side: reads rows into a batch and checks each; false once the
/// reader is done (at the end, or after an error it cannot read past).
struct EdgeParser<'f> {
    file: &'f InputFile,
    reader: csv::Reader<&'f [u8]>,
    fixed: Vec<Option<usize>>,
    /// Cells in the header row: a row may not have more.
    width: usize,
    columns: Vec<PropColumn>,
    /// Node ids and kinds (all nodes are in before edges load).
    ids: Arc<FxHashMap<String, NodeIndex>>,
    kinds: Vec<NodeKind>,
    /// Set when the rows can be split without the CSV state machine.
    fast: Option<FastRows<'f>>,
}

/// Splits rows of a text with no quotes and no carriage returns, where
/// the CSV reader would find the same records: a record per non-empty
/// line, fields between commas.
struct FastRows<'t> {
    rest: &'t str,
    /// The line the reader would report for the next record.
    line: u64,
}

impl<'t> FastRows<'t> {
    /// Rows from `rest` on (the CSV reader being at `line` there), if the
    /// text is simple enough.
    fn new(rest: &'t str, line: u64) -> Option<FastRows<'t>> {
        (!rest.contains('"') && !rest.contains('\r')).then_some(FastRows { rest, line })
    }

    /// Reads the next record into `record`; its line, or `None` at the end.
    /// Like the CSV reader, the line is where the reader stood before
    /// skipping blank lines.
    fn read(&mut self, record: &mut csv::StringRecord) -> Option<u64> {
        let line = self.line;
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (text, rest) = self.rest.split_once('\n').unwrap_or((self.rest, ""));
            self.rest = rest;
            self.line += 1;
            if text.is_empty() {
                continue;
            }
            record.clear();
            for field in text.split(',') {
                record.push_field(field);
            }
            return Some(line);
        }
    }
}

impl EdgeParser<'_> {
    fn fill(&mut self, batch: &mut EdgeBatch) -> bool {
        batch.len = 0;
        while batch.len < BATCH_ROWS {
            if batch.rows.len() == batch.len {
                batch.rows.push(EdgeRow::default());
            }
            let row = &mut batch.rows[batch.len];
            row.line = self.reader.position().line();
            row.problems.clear();
            row.props.clear();
            row.kind = None;
            match self.fast.as_mut().map(|fast| fast.read(&mut row.record)) {
                Some(Some(line)) => {
                    row.line = line;
                    batch.len += 1;
                    parse_edge(self, row);
                    continue;
                }
                Some(None) => return false,
                None => {}
            }
            match self.reader.read_record(&mut row.record) {
                Ok(false) => return false,
                Ok(true) => {
                    batch.len += 1;
                    parse_edge(self, row);
                }
                Err(err) => {
                    batch.len += 1;
                    let message = format!(
                        "malformed CSV: {}",
                        err.to_string().split(':').next_back().unwrap_or("").trim()
                    );
                    let at = At::Csv {
                        line: row.line,
                        column: None,
                    };
                    row.problems
                        .push(Problem::error(&self.file.name, at, message));
                    if !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

fn too_many_cells(found: usize, width: usize) -> String {
    format!("the row has {found} cells, but the header has {width}")
}

/// A trimmed, non-empty cell of a fixed column.
fn fixed_cell<'r>(
    fixed: &[Option<usize>],
    record: &'r csv::StringRecord,
    slot: usize,
) -> Option<&'r str> {
    fixed[slot]
        .and_then(|index| record.get(index))
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// The checks of an edge row that need no graph; `row.kind` is set only if
/// the row has no problem.
fn parse_edge(parser: &mut EdgeParser, row: &mut EdgeRow) {
    let EdgeParser {
        file,
        fixed,
        width,
        columns,
        ids,
        kinds,
        ..
    } = parser;
    let place = Place::Csv {
        file,
        line: row.line,
    };
    let record = &row.record;
    let problems = &mut row.problems;
    if record.len() > *width {
        let at = At::Csv {
            line: row.line,
            column: None,
        };
        problems.push(Problem::error(
            &file.name,
            at,
            too_many_cells(record.len(), *width),
        ));
        return;
    }
    let cell = |slot: usize| fixed_cell(fixed, record, slot);
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
    for (position, column) in columns.iter_mut().enumerate() {
        let Some(text) = record
            .get(column.index)
            .map(str::trim)
            .filter(|text| !text.is_empty())
        else {
            continue;
        };
        let scalar = typed_scalar(&column.key, column.declared, column.date_prop, text);
        let Some(scalar) = report(place, &column.key, scalar, problems) else {
            continue;
        };
        let cell = match scalar {
            Some(value) => EdgeCell::Value(value),
            None => {
                let recent = &mut column.recent;
                match recent.iter().position(|known| &**known == text) {
                    Some(at) => EdgeCell::Recent(at as u8),
                    None => {
                        let remember = recent.len() < RECENT_STRINGS;
                        if remember {
                            recent.push(Box::from(text));
                        }
                        EdgeCell::Str {
                            text: Box::from(text),
                            remember,
                        }
                    }
                }
            }
        };
        row.props.push((position as u32, cell));
    }
    let lookup = |id: Option<&str>| id.and_then(|id| ids.get(id).copied());
    let (from_idx, to_idx) = (lookup(from), lookup(to));
    row.ends = EdgeEnds {
        from: from_idx,
        to: to_idx,
        allowed: match (from_idx, to_idx, kind) {
            (Some(from), Some(to), Some(kind)) => Some(allows(kinds, kind, from, to)),
            _ => None,
        },
    };
    if from.is_some() && to.is_some() && problems.is_empty() {
        row.kind = kind;
    }
}

/// Whether an edge of `kind` may run between these nodes.
fn allows(kinds: &[NodeKind], kind: EdgeKind, from: NodeIndex, to: NodeIndex) -> bool {
    match (kinds.get(from.index()), kinds.get(to.index())) {
        (Some(from), Some(to)) => kind.allows(*from, *to),
        _ => false,
    }
}

/// The graph side's view of a property column.
struct EdgeColumn {
    key: Arc<str>,
    key_idx: Option<u32>,
    /// The interned equals of the parsing side's remembered strings.
    recent: Vec<Arc<str>>,
}

fn add_edges<'f>(
    file: &'f InputFile,
    reader: csv::Reader<&'f [u8]>,
    header: Header,
    assembler: &mut Assembler<'f>,
) {
    let mut columns: Vec<EdgeColumn> = header
        .props
        .iter()
        .map(|column| EdgeColumn {
            key: Arc::clone(&column.key),
            key_idx: None,
            recent: Vec::new(),
        })
        .collect();
    let fixed = header.fixed.clone();
    let start = reader.position().byte() as usize;
    let fast = file
        .text
        .get(start..)
        .and_then(|rest| FastRows::new(rest, reader.position().line()));
    let mut parser = EdgeParser {
        file,
        fast,
        reader,
        fixed: header.fixed,
        width: header.width,
        columns: header.props,
        ids: assembler.graph.id_index(),
        kinds: assembler.graph.node_kinds(),
    };
    let mut scratch: Vec<(u32, Value)> = Vec::new();
    let mut apply = |batch: &mut EdgeBatch| {
        for row in &mut batch.rows[..batch.len] {
            add_edge_row(file, &fixed, row, &mut columns, &mut scratch, assembler);
        }
    };
    if file.text.len() < THREAD_ABOVE {
        let mut batch = EdgeBatch::default();
        loop {
            let more = parser.fill(&mut batch);
            apply(&mut batch);
            if !more {
                return;
            }
        }
    }
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<EdgeBatch>(2);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<EdgeBatch>();
        scope.spawn(move || {
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                let more = parser.fill(&mut batch);
                if full_tx.send(batch).is_err() || !more {
                    break;
                }
            }
        });
        // The parser stops after a fatal error, so this loop ends too.
        for mut batch in full_rx {
            apply(&mut batch);
            let _ = empty_tx.send(batch);
        }
    });
}

/// Reports a parsed row's problems, or adds it through the assembler.
fn add_edge_row<'f>(
    file: &'f InputFile,
    fixed: &[Option<usize>],
    row: &mut EdgeRow,
    columns: &mut [EdgeColumn],
    scratch: &mut Vec<(u32, Value)>,
    assembler: &mut Assembler<'f>,
) {
    if !row.problems.is_empty() {
        assembler.problems.append(&mut row.problems);
        // Remembered strings still count, so that both sides agree.
        for (position, cell) in row.props.drain(..) {
            if let EdgeCell::Str {
                text,
                remember: true,
            } = cell
            {
                let interned = assembler.graph.intern(&text);
                columns[position as usize].recent.push(interned);
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
    scratch.clear();
    for (position, cell) in row.props.drain(..) {
        let column = &mut columns[position as usize];
        let key_idx = match column.key_idx {
            Some(key_idx) => key_idx,
            None => *column.key_idx.insert(assembler.prop_key(&column.key)),
        };
        let value = match cell {
            EdgeCell::Value(value) => value,
            EdgeCell::Recent(at) => Value::Str(Arc::clone(&column.recent[at as usize])),
            EdgeCell::Str { text, remember } => {
                let interned = assembler.graph.intern(&text);
                if remember {
                    column.recent.push(Arc::clone(&interned));
                }
                Value::Str(interned)
            }
        };
        scratch.push((key_idx, value));
    }
    let raw = RawEdge {
        from,
        to,
        kind,
        props: scratch,
        sources: SourceIds::Cell(fixed_cell(fixed, record, 3).unwrap_or("")),
        valid: row.valid,
    };
    let place = Place::Csv {
        file,
        line: row.line,
    };
    assembler.add_edge_resolved(place, raw, row.ends);
}

#[cfg(test)]
mod tests {
    /// The quick row splitter finds the records and lines the CSV reader does.
    #[test]
    fn fast_rows_match_the_csv_reader() {
        let texts = [
            "h1,h2\na,b\nc,d\n",
            "h1,h2\na,b\nc,d",
            "h1,h2\n\na,b\n\n\nc,d\n\n",
            "h1,h2\na\n,\n,,,\n  \n x , y \n",
            "h\n",
            "h\n\n\n",
            "h1,h2\na,b,c,d,e\nf\n\ng,\n",
            "h1,h2\n\u{e9},\u{2003}x\n\u{1F600}\n",
        ];
        for text in texts {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes());
            let Ok(header) = reader.headers().cloned() else {
                panic!("header of {text:?}");
            };
            let start = reader.position().byte() as usize;
            let Some(mut fast) = super::FastRows::new(&text[start..], reader.position().line())
            else {
                panic!("{text:?} is simple");
            };
            let (mut expected, mut found) = (Vec::new(), Vec::new());
            let mut record = csv::StringRecord::new();
            loop {
                let line = reader.position().line();
                match reader.read_record(&mut record) {
                    Ok(true) => expected.push((line, record.clone())),
                    _ => break,
                }
            }
            while let Some(line) = fast.read(&mut record) {
                found.push((line, record.clone()));
            }
            assert_eq!(found, expected, "{text:?} (header {header:?})");
        }
        assert!(super::FastRows::new("a,\"b\"\n", 2).is_none());
        assert!(super::FastRows::new("a,b\r\n", 2).is_none());
    }

    /// A file big enough to be parsed on a second thread reports the same
    /// problems, in row order, as a small one would.
    #[test]
    fn big_edge_files_report_problems_in_row_order() {
        let mut edges = String::from("from,to,kind,sources,stage,share,tonnes\n");
        let rows = 40_000;
        for row in 2..rows + 2 {
            let line = match row {
                5 => "c,m,produce,s,mining,0.1,5".to_string(),
                20_001 => "c,m,produces,s,mining,x,5".to_string(),
                39_999 => "c,zz,produces,,mining,0.1,5".to_string(),
                _ => format!("c,m{},produces,s,mining,,{row}", row % 50),
            };
            edges.push_str(&line);
            edges.push('\n');
        }
        assert!(edges.len() >= super::THREAD_ABOVE);
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
        assert_eq!(
            found,
            [
                "error: edges.csv:5: column kind: unknown edge kind \"produce\" (did you mean \"produces\"?)",
                "error: edges.csv:20001: column share: share must be a number within 0..1, found a string",
                "error: edges.csv:39999: column to: edge endpoint \"zz\" is not a node",
                "error: edges.csv:39999: column sources: edge cites no source (every fact needs one)",
            ]
        );
    }
}
