//! One edge row of a bulk CSV file, read and checked apart from the graph
//! (on a worker thread): cells typed, endpoints, sources and an import's
//! `item` looked up in read-only copies of the graph's tables, and every
//! check of the assembler that needs no graph run ahead of it, so that the
//! graph side adds a clean row without checking it again.
//!
//! Invariant: a row is marked clean only if the assembler, checking it
//! itself, would find no problem in it; any other row keeps its cells and
//! goes through the assembler's own checks, so its problems are word for
//! word those of a row-by-row load.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use crate::model::{EdgeKind, NodeIndex, NodeKind, SourceIdx, Validity, Value};

use super::assemble::{Assembler, EdgeEnds};
use super::csv::{
    EDGE_COLUMNS, Header, PropColumn, report, too_many_cells, typed_scalar, validity,
};
use super::input::InputFile;
use super::problem::{At, Problem};
use super::raw::{Place, UNIT_PROPS, parse_edge_kind};
use super::short_text::{LastText, RecentTexts, ShortText, TextMap};

/// Distinct strings a column remembers per chunk: a remembered string
/// crosses to the graph side once, later cells only as its number.
const KNOWN_STRINGS: usize = 1 << 16;
/// Distinct numbers a column remembers per chunk: a remembered number is
/// looked up in the graph's value table once per chunk, later cells take
/// its slot from the graph side's list.
const KNOWN_NUMBERS: usize = 1 << 16;
/// Number cells of a column after which, if fewer than a quarter of them
/// repeated an earlier one, the column stops remembering numbers for the
/// rest of the chunk (their look-ups would cost more than they save).
const NUMBERS_TRIED: u32 = 2048;

/// What every worker needs to read rows: the header, the node ids and
/// kinds (all nodes are in before edges load) and the source ids. Read-only.
pub(super) struct EdgeSchema<'f> {
    pub file: &'f InputFile,
    pub fixed: Vec<Option<usize>>,
    /// Cells in the header row: a row may not have more.
    width: usize,
    pub columns: Vec<PropColumn>,
    rules: Vec<ColumnRule>,
    /// Node ids, short ones packed (see [`ShortText`]).
    ids: TextMap<NodeIndex>,
    kinds: Vec<NodeKind>,
    sources: FxHashMap<String, SourceIdx>,
    /// Whether clean rows keep their cells too (the assembler checks them
    /// again: [`Assembler::recheck_clean_rows`]).
    keep_clean_cells: bool,
}

/// How a property column's cells are read and checked.
#[derive(Clone, Copy)]
struct ColumnRule {
    /// Declared `number`, or undeclared and not a date property: a cell
    /// that reads as a plain decimal is that number.
    numbers_first: bool,
    /// Declared `string`: every cell is its text.
    text_only: bool,
    /// The key is `item` (checked for imports).
    is_item: bool,
    /// The key must hold a number within 0..1 (`share`, `dependence` …).
    unit: bool,
}

impl<'f> EdgeSchema<'f> {
    pub fn new(file: &'f InputFile, header: Header, assembler: &Assembler) -> EdgeSchema<'f> {
        let rules = header
            .props
            .iter()
            .map(|column| ColumnRule {
                numbers_first: match column.declared {
                    Some(declared) => declared == "number",
                    None => !column.date_prop,
                },
                text_only: column.declared == Some("string"),
                is_item: &*column.key == "item",
                unit: UNIT_PROPS.contains(&&*column.key),
            })
            .collect();
        let graph = &assembler.graph;
        let sources = graph
            .sources()
            .iter()
            .filter_map(|source| Some((source.id.clone(), graph.source_by_id(&source.id)?)))
            .collect();
        EdgeSchema {
            file,
            fixed: header.fixed,
            width: header.width,
            columns: header.props,
            rules,
            ids: TextMap::new(graph.id_index().iter().map(|(id, idx)| (id.as_str(), *idx))),
            kinds: graph.node_kinds(),
            sources,
            keep_clean_cells: assembler.recheck_clean_rows,
        }
    }

    /// The node of `id`, whose packed form is `key`.
    fn node(&self, id: &str, key: Option<ShortText>) -> Option<NodeIndex> {
        self.ids.get(id, key)
    }

    /// Whether an edge of `kind` may run between these nodes.
    fn allows(&self, kind: EdgeKind, from: NodeIndex, to: NodeIndex) -> bool {
        match (self.kinds.get(from.index()), self.kinds.get(to.index())) {
            (Some(from), Some(to)) => kind.allows(*from, *to),
            _ => false,
        }
    }

    /// Whether an import's `item` text is the id of a mineral or product.
    fn is_material(&self, id: &str, key: Option<ShortText>) -> bool {
        self.node(id, key)
            .and_then(|node_idx| self.kinds.get(node_idx.index()))
            .is_some_and(|kind| matches!(kind, NodeKind::Mineral | NodeKind::Product))
    }
}

/// The cells of one row: split in place from a quote-free line, or a
/// record of the CSV reader.
pub(super) trait Cells {
    fn count(&self) -> usize;
    /// The cell at `index` as written (untrimmed).
    fn get(&self, index: usize) -> Option<&str>;
}

impl Cells for [&str] {
    fn count(&self) -> usize {
        self.len()
    }

    fn get(&self, index: usize) -> Option<&str> {
        <[&str]>::get(self, index).copied()
    }
}

impl Cells for csv::StringRecord {
    fn count(&self) -> usize {
        self.len()
    }

    fn get(&self, index: usize) -> Option<&str> {
        csv::StringRecord::get(self, index)
    }
}

/// The cell at `index`, trimmed; `None` if it is missing or blank.
pub(super) fn filled<C: Cells + ?Sized>(cells: &C, index: usize) -> Option<&str> {
    let text = cells.get(index)?;
    let bytes = text.as_bytes();
    let plain_ends = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => is_plain(*first) && is_plain(*last),
        _ => return None,
    };
    let trimmed = if plain_ends { text } else { text.trim() };
    (!trimmed.is_empty()).then_some(trimmed)
}

/// An ASCII byte that is not whitespace: `str::trim` keeps it at an end.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii() && !byte.is_ascii_whitespace() && byte != 0x0b
}

/// A trimmed, non-empty cell of a fixed column.
pub(super) fn fixed<'c, C: Cells + ?Sized>(
    fixed: &[Option<usize>],
    cells: &'c C,
    slot: usize,
) -> Option<&'c str> {
    fixed[slot].and_then(|index| filled(cells, index))
}

/// An edge row after the checks that need no graph: its typed props and
/// the problems found, in the order they are reported.
#[derive(Default)]
pub(super) struct EdgeRow {
    pub line: u64,
    /// The row's cells, kept only for a row the graph side checks itself.
    pub record: csv::StringRecord,
    pub problems: Vec<Problem>,
    /// Set only if the row has no problem so far.
    pub kind: Option<EdgeKind>,
    pub valid: Validity,
    /// The endpoints and the import's item, looked up by the worker.
    pub ends: EdgeEnds,
    /// The props, in column order.
    pub props: Vec<EdgeCell>,
    /// Strings of `New` cells.
    pub texts: Vec<Box<str>>,
    /// Values of `Value` cells.
    pub values: Vec<Value>,
    /// Whether every check of the assembler passed already (then `record`
    /// is empty and `sources` holds the row's sources).
    pub clean: bool,
    pub sources: Vec<SourceIdx>,
}

impl EdgeRow {
    /// Empties the row for reuse (its line stays).
    #[inline]
    pub fn reset(&mut self) {
        self.problems.clear();
        self.props.clear();
        self.texts.clear();
        self.values.clear();
        self.sources.clear();
        self.kind = None;
        self.clean = false;
        self.ends = EdgeEnds::default();
    }
}

/// A property cell as a worker hands it over: 16 bytes built in registers
/// (an enum holding a `Value` was copied through the stack). Strings are
/// not `Arc`s there: the threads would then share reference counts.
#[derive(Debug, Clone, Copy)]
pub(super) struct EdgeCell {
    /// Position in the header's props.
    pub position: u32,
    pub kind: CellKind,
    /// The number's bits, a remembered string's number, or an index in the
    /// row's `texts` or `values`.
    pub payload: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CellKind {
    /// A number, `f64::from_bits(payload)`, not remembered (the column is
    /// full, or its numbers seldom repeat: the graph side may then store
    /// it in a slot of its own).
    Number,
    /// The column's `payload`th remembered number of this chunk.
    KnownNumber,
    /// A number, `f64::from_bits(payload)`, that the column remembers from
    /// now on (the graph side does the same: it keeps the number's slot).
    NewNumber,
    /// A bool, a date or a number read the slow way: `values[payload]`.
    Value,
    /// The column's `payload`th remembered string of this chunk.
    Known,
    /// A string, `texts[payload]`, that the column remembers from now on
    /// (the graph side, which sees every cell in order, does the same).
    NewRemembered,
    /// A string, `texts[payload]`, not remembered (the column is full).
    New,
}

/// A property cell once typed.
enum TypedCell {
    Number(f64),
    /// A bool or date, or a number read the slow way.
    Other(Value),
    /// A string: the cell's text.
    Text,
}

/// What a worker remembers while it reads one chunk: strings per column,
/// and the last cell of each kind it looked up (bulk rows repeat them).
pub(super) struct ChunkMemory {
    columns: Vec<ColumnMemory>,
    /// The last kind read without a problem, and its kind.
    last_kind: (LastText, Option<EdgeKind>),
    last_from: (LastText, Option<NodeIndex>),
    last_to: (LastText, Option<NodeIndex>),
    /// Short node ids looked up lately, `from` and `to` alike.
    recent_ids: RecentTexts<Option<NodeIndex>>,
    /// The last sources cell and its sources (`None`: a problem).
    last_sources: (LastText, Option<Vec<SourceIdx>>),
}

#[derive(Default)]
struct ColumnMemory {
    known: FxHashMap<Box<str>, u32>,
    /// The last remembered string, its number, and whether it is the id of
    /// a mineral or product.
    last: (LastText, u32, bool),
    /// Numbers remembered, by their bits mixed (a whole number's bits end
    /// in zeros, which `FxHash` would leave in the table's tags).
    numbers: FxHashMap<u64, u32>,
    /// The last number read (bits) and its number among those remembered.
    last_number: Option<(u64, u32)>,
    /// Number cells read, and how many of them were remembered already:
    /// a column whose numbers seldom repeat (tonnages) stops remembering.
    number_cells: u32,
    number_repeats: u32,
}

impl ColumnMemory {
    /// A number cell: the column's number for it if remembered, else its
    /// bits (remembered from now on while the column has room).
    fn number(&mut self, number: f64) -> (CellKind, u64) {
        let bits = number.to_bits();
        if let Some((last, known)) = self.last_number {
            if last == bits {
                return (CellKind::KnownNumber, u64::from(known));
            }
        }
        if self.number_cells >= NUMBERS_TRIED && self.number_repeats < self.number_cells / 4 {
            return (CellKind::Number, bits);
        }
        self.number_cells += 1;
        let next = self.numbers.len() as u32;
        let kind = match self.numbers.entry(spread_bits(bits)) {
            Entry::Occupied(known) => {
                self.number_repeats += 1;
                self.last_number = Some((bits, *known.get()));
                return (CellKind::KnownNumber, u64::from(*known.get()));
            }
            Entry::Vacant(_) if next as usize >= KNOWN_NUMBERS => CellKind::Number,
            Entry::Vacant(vacant) => {
                vacant.insert(next);
                self.last_number = Some((bits, next));
                CellKind::NewNumber
            }
        };
        (kind, bits)
    }
}

/// MurmurHash3's 64-bit finaliser: a bijection, so two numbers' spread
/// bits are equal only when their bits are.
fn spread_bits(mut bits: u64) -> u64 {
    bits ^= bits >> 33;
    bits = bits.wrapping_mul(0xff51_afd7_ed55_8ccd);
    bits ^= bits >> 33;
    bits = bits.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    bits ^ (bits >> 33)
}

impl ChunkMemory {
    pub fn new(schema: &EdgeSchema) -> ChunkMemory {
        ChunkMemory {
            columns: schema
                .columns
                .iter()
                .map(|_| ColumnMemory::default())
                .collect(),
            last_kind: (LastText::default(), None),
            last_from: (LastText::default(), None),
            last_to: (LastText::default(), None),
            recent_ids: RecentTexts::new(),
            last_sources: (LastText::default(), None),
        }
    }
}

/// Reads and checks a row's cells into `row` (cleared first).
pub(super) fn parse_edge<C: Cells + ?Sized>(
    schema: &EdgeSchema,
    memory: &mut ChunkMemory,
    cells: &C,
    row: &mut EdgeRow,
) {
    row.reset();
    // The row's place, made where a problem is reported: a `Place` kept
    // on the stack and copied whole for every call cost a stalled load.
    let line = row.line;
    let place = || Place::Csv {
        file: schema.file,
        line,
    };
    let problems = &mut row.problems;
    if cells.count() > schema.width {
        let at = At::Csv {
            line: row.line,
            column: None,
        };
        let message = too_many_cells(cells.count(), schema.width);
        problems.push(Problem::error(&schema.file.name, at, message));
        return;
    }
    let cell = |slot: usize| fixed(&schema.fixed, cells, slot);
    let (from, to) = (cell(0), cell(1));
    let kind_text = cell(2);
    for (slot, found) in [from, to, kind_text].into_iter().enumerate() {
        if found.is_none() {
            let name = EDGE_COLUMNS[slot];
            problems.push(place().error(name, format!("{name} is empty")));
        }
    }
    let kind = kind_text.and_then(|text| edge_kind(place, memory, text, problems));
    row.valid = match (cell(4), cell(5)) {
        (None, None) => Validity::default(),
        (from, to) => validity(place(), from, to, problems),
    };
    let mut item = None;
    let mut in_unit = true;
    for (position, column) in schema.columns.iter().enumerate() {
        let Some(text) = filled(cells, column.index) else {
            continue;
        };
        let rule = schema.rules[position];
        // Plain numbers and declared strings, most cells of a bulk file,
        // skip the general typing (and its moves of a `Value` through
        // `Result`s).
        let fast = if rule.numbers_first {
            fast_decimal(text)
        } else {
            None
        };
        let typed = match fast {
            Some(number) => TypedCell::Number(number),
            None if rule.text_only => TypedCell::Text,
            None => {
                let scalar = typed_scalar(&column.key, column.declared, column.date_prop, text);
                match report(place(), &column.key, scalar, problems) {
                    Some(Some(value)) => TypedCell::Other(value),
                    Some(None) => TypedCell::Text,
                    None => continue,
                }
            }
        };
        let (kind, payload, is_material) = match typed {
            TypedCell::Number(number) => {
                in_unit &= !rule.unit || (0.0..=1.0).contains(&number);
                let column_memory = &mut memory.columns[position];
                let (kind, payload) = column_memory.number(number);
                (kind, payload, false)
            }
            TypedCell::Other(value) => {
                let number = value.as_f64();
                in_unit &= !rule.unit || number.is_some_and(|n| (0.0..=1.0).contains(&n));
                row.values.push(value);
                (CellKind::Value, row.values.len() as u64 - 1, false)
            }
            TypedCell::Text => {
                in_unit &= !rule.unit;
                let column_memory = &mut memory.columns[position];
                remembered(schema, column_memory, text, rule.is_item, &mut row.texts)
            }
        };
        if rule.is_item && item.is_none() {
            item = Some(is_material);
        }
        let position = position as u32;
        row.props.push(EdgeCell {
            position,
            kind,
            payload,
        });
    }
    let recent = &mut memory.recent_ids;
    let from_idx = from.and_then(|id| cached_node(schema, recent, &mut memory.last_from, id));
    let to_idx = to.and_then(|id| cached_node(schema, recent, &mut memory.last_to, id));
    row.ends = EdgeEnds {
        from: from_idx,
        to: to_idx,
        allowed: match (from_idx, to_idx, kind) {
            (Some(from), Some(to), Some(kind)) => Some(schema.allows(kind, from, to)),
            _ => None,
        },
        item_is_material: item,
    };
    if from.is_none() || to.is_none() || !problems.is_empty() {
        return;
    }
    row.kind = kind;
    let Some(kind) = kind else { return };
    row.clean = in_unit
        && row.ends.allowed == Some(true)
        && valid_in_order(row.valid)
        && (kind != EdgeKind::ImportsFrom || (from_idx != to_idx && item != Some(false)))
        && resolve_sources(schema, memory, cell(3).unwrap_or(""), &mut row.sources);
    if !row.clean || schema.keep_clean_cells {
        row.record.clear();
        for index in 0..cells.count() {
            row.record.push_field(cells.get(index).unwrap_or(""));
        }
    }
}

/// A plain decimal (`-12`, `0.4187`: at most 15 digits, no exponent) read
/// exactly as `str::parse::<f64>` reads it: the digits and the power of ten
/// are both exact doubles, and one division rounds correctly; `None` for
/// anything else, which the caller reads the slow way.
pub(super) fn fast_decimal(text: &str) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, bytes),
    };
    let (mut mantissa, mut count, mut point) = (0u64, 0usize, None);
    for (at, byte) in digits.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                count += 1;
                if count > 15 {
                    return None;
                }
            }
            b'.' if point.is_none() => point = Some(at),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let value = match point {
        // A whole number: dividing by one would not change it.
        None => mantissa as f64,
        Some(at) => mantissa as f64 / POWERS[digits.len() - at - 1],
    };
    Some(if negative { -value } else { value })
}

/// The kind in `text`: the last one read if it is the same text, else
/// read and reported (at `place()`) by [`read_edge_kind`].
fn edge_kind<'f>(
    place: impl Fn() -> Place<'f>,
    memory: &mut ChunkMemory,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<EdgeKind> {
    let (last, kind) = &memory.last_kind;
    let key = ShortText::new(text);
    if kind.is_some() && last.is(text, key) {
        return *kind;
    }
    read_edge_kind(place(), memory, text, key, problems)
}

fn read_edge_kind(
    place: Place,
    memory: &mut ChunkMemory,
    text: &str,
    key: Option<ShortText>,
    problems: &mut Vec<Problem>,
) -> Option<EdgeKind> {
    let (last, kind) = &mut memory.last_kind;
    let parsed = report(place, "kind", parse_edge_kind(text), problems);
    if parsed.is_some() {
        last.keep(text, key);
        *kind = parsed;
    }
    parsed
}

fn cached_node(
    schema: &EdgeSchema,
    recent: &mut RecentTexts<Option<NodeIndex>>,
    last: &mut (LastText, Option<NodeIndex>),
    id: &str,
) -> Option<NodeIndex> {
    let key = ShortText::new(id);
    if last.1.is_some() && last.0.is(id, key) {
        return last.1;
    }
    let found = match key {
        Some(short) => recent.get_or(short, || schema.node(id, key)),
        None => schema.node(id, None),
    };
    last.0.keep(id, key);
    last.1 = found;
    found
}

/// The assembler's validity rule: `valid_to` not before `valid_from`.
fn valid_in_order(valid: Validity) -> bool {
    match (valid.from, valid.to) {
        (Some(from), Some(to)) => to.last_day() >= from.first_day(),
        _ => true,
    }
}

/// Resolves a sources cell as the assembler does (ids split at `;`,
/// trimmed, blanks skipped); false if it cites none or an unknown one.
fn resolve_sources(
    schema: &EdgeSchema,
    memory: &mut ChunkMemory,
    cell: &str,
    sources: &mut Vec<SourceIdx>,
) -> bool {
    let (last, resolved) = &mut memory.last_sources;
    let key = ShortText::new(cell);
    if !last.is(cell, key) || resolved.is_none() {
        last.keep(cell, key);
        let ids = cell.split(';').map(str::trim).filter(|id| !id.is_empty());
        let found: Option<Vec<SourceIdx>> = ids.map(|id| schema.sources.get(id).copied()).collect();
        *resolved = found.filter(|found| !found.is_empty());
    }
    match resolved {
        Some(found) => {
            sources.extend_from_slice(found);
            true
        }
        None => false,
    }
}

/// A string cell: the column's number for it if remembered, else the text
/// (remembered from now on while the column has room); and, for an `item`
/// column, whether it is the id of a mineral or product.
fn remembered(
    schema: &EdgeSchema,
    column: &mut ColumnMemory,
    text: &str,
    is_item: bool,
    texts: &mut Vec<Box<str>>,
) -> (CellKind, u64, bool) {
    let key = ShortText::new(text);
    let (last, number, is_material) = &column.last;
    if last.is(text, key) {
        return (CellKind::Known, u64::from(*number), *is_material);
    }
    let is_material = is_item && schema.is_material(text, key);
    if let Some(number) = column.known.get(text) {
        let number = *number;
        column.last.0.keep(text, key);
        (column.last.1, column.last.2) = (number, is_material);
        return (CellKind::Known, u64::from(number), is_material);
    }
    let kind = if column.known.len() < KNOWN_STRINGS {
        let number = column.known.len() as u32;
        column.known.insert(Box::from(text), number);
        column.last.0.keep(text, key);
        (column.last.1, column.last.2) = (number, is_material);
        CellKind::NewRemembered
    } else {
        CellKind::New
    };
    texts.push(Box::from(text));
    (kind, texts.len() as u64 - 1, is_material)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_decimals_read_as_the_standard_parser_reads_them() {
        for text in [
            "0",
            "-0",
            "1",
            "0.1",
            "0.4187",
            "2024",
            "-12.5",
            "5.",
            ".5",
            "999999999999999",
            "0.00000000000001",
            "12345.6789012345",
        ] {
            let expected: f64 = text.parse().unwrap_or(f64::NAN);
            let found = fast_decimal(text).unwrap_or(f64::NAN);
            assert_eq!(found.to_bits(), expected.to_bits(), "{text}");
        }
        for text in [
            "",
            "-",
            ".",
            "1e5",
            "+1",
            "1.2.3",
            "inf",
            "NaN",
            "1234567890123456",
            "0.000000000000001",
            "1_0",
        ] {
            assert_eq!(fast_decimal(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn fast_decimals_are_bit_exact(
            negative in any::<bool>(),
            whole in "[0-9]{0,9}",
            fraction in proptest::option::of("[0-9]{0,8}"),
        ) {
            let text = format!(
                "{}{whole}{}",
                if negative { "-" } else { "" },
                fraction.map(|digits| format!(".{digits}")).unwrap_or_default()
            );
            if let Some(found) = fast_decimal(&text) {
                let expected: f64 = text.parse().map_err(|_| TestCaseError::fail(text.clone()))?;
                prop_assert_eq!(found.to_bits(), expected.to_bits(), "{}", text);
            }
        }

        #[test]
        fn trimming_agrees_with_str_trim(text in "[ a\\t,\u{a0}\u{2003}b]{0,6}") {
            let cells: [&str; 1] = [&text];
            let expected = Some(text.trim()).filter(|trimmed| !trimmed.is_empty());
            prop_assert_eq!(filled(&cells[..], 0), expected);
        }
    }
}
