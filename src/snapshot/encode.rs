//! Writing the payload: the sections in the order `decode` reads them.
//! Lengths and counts are u64, indexes u32, all little-endian; the big
//! tables (edges, properties) are written as one column per field.

use rustc_hash::FxHashMap as HashMap;

use crate::load::{At, Loaded, Problem, Severity};
use crate::model::{GraphParts, PartialDate, Source, Validity, Value};

/// Value tags in the property arena's tag column.
pub(super) const TAG_NUMBER: u8 = 0;
pub(super) const TAG_BOOL: u8 = 1;
pub(super) const TAG_STR: u8 = 2;
pub(super) const TAG_DATE: u8 = 3;

/// Where-tags of a stored warning.
pub(super) const AT_FILE: u8 = 0;
pub(super) const AT_POSITION: u8 = 1;
pub(super) const AT_JSON: u8 = 2;
pub(super) const AT_CSV: u8 = 3;

pub(super) fn payload(loaded: &Loaded, fingerprint: u64) -> Vec<u8> {
    let parts = loaded.graph.parts();
    let mut out = Writer::default();
    out.u64(fingerprint);
    out.count(loaded.files.len());
    for file in &loaded.files {
        out.str(file);
    }
    out.count(loaded.warnings.len());
    for warning in &loaded.warnings {
        out.problem(warning);
    }
    let origins = loaded.edge_origins.ranges();
    out.count(origins.len());
    for (first, end, file, is_json) in origins {
        out.u32(*first);
        out.u32(*end);
        out.str(file);
        out.u8(u8::from(*is_json));
    }
    out.sources(&parts.sources);
    out.source_lists(&parts);
    out.count(parts.prop_keys.len());
    for key in parts.prop_keys.iter() {
        out.str(key);
    }
    let string_idx = out.strings(&parts);
    out.nodes(&parts);
    out.edges(&parts);
    out.props(&parts, &string_idx);
    out.bytes
}

/// An optional date as a u32: 0 for none, else bit 31 set, the year's
/// 16 bits from bit 9, the month (0 = unknown) from bit 5, the day (0 =
/// unknown) in bits 0–4.
pub(super) fn date_code(date: Option<PartialDate>) -> u32 {
    match date {
        None => 0,
        Some(date) => {
            let year = u32::from(date.year() as i16 as u16);
            let month = date.month().unwrap_or(0);
            let day = date.day().unwrap_or(0);
            (1 << 31) | (year << 9) | (month << 5) | day
        }
    }
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn count(&mut self, count: usize) {
        self.u64(count as u64);
    }

    fn str(&mut self, text: &str) {
        self.count(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
    }

    fn opt_str(&mut self, text: Option<&str>) {
        match text {
            None => self.u8(0),
            Some(text) => {
                self.u8(1);
                self.str(text);
            }
        }
    }

    fn validity(&mut self, valid: Validity) {
        self.u32(date_code(valid.from));
        self.u32(date_code(valid.to));
    }

    /// A column of u32s, one per item.
    fn column<T>(&mut self, items: &[T], field: impl Fn(&T) -> u32) {
        self.bytes.reserve(items.len() * 4);
        for item in items {
            self.bytes.extend_from_slice(&field(item).to_le_bytes());
        }
    }

    fn problem(&mut self, problem: &Problem) {
        self.u8(match problem.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
        });
        self.str(&problem.file);
        match &problem.at {
            At::File => self.u8(AT_FILE),
            At::Position { line, column } => {
                self.u8(AT_POSITION);
                self.count(*line);
                self.count(*column);
            }
            At::Json { path, line, column } => {
                self.u8(AT_JSON);
                self.str(path);
                self.count(*line);
                self.count(*column);
            }
            At::Csv { line, column } => {
                self.u8(AT_CSV);
                self.u64(*line);
                self.opt_str(column.as_deref());
            }
        }
        self.str(&problem.message);
    }

    fn sources(&mut self, sources: &[Source]) {
        self.count(sources.len());
        for source in sources {
            self.str(&source.id);
            self.str(&source.title);
            self.opt_str(source.publisher.as_deref());
            self.u32(date_code(source.published));
            self.opt_str(source.url.as_deref());
            self.opt_str(source.note.as_deref());
        }
    }

    /// Lengths column, then every list's entries in one column.
    fn source_lists(&mut self, parts: &GraphParts<'_>) {
        let lists = &parts.source_lists;
        self.count(lists.len());
        self.column(lists, |list| list.len() as u32);
        let total: usize = lists.iter().map(|list| list.len()).sum();
        self.count(total);
        for list in lists.iter() {
            self.column(list, |source| source.0);
        }
    }

    /// The interned strings as one blob with end offsets; returns each
    /// string's index. A string value the interner missed is added.
    fn strings<'p>(&mut self, parts: &'p GraphParts<'_>) -> HashMap<&'p str, u32> {
        let mut table: Vec<&str> = parts.strings.iter().map(|text| &**text).collect();
        let mut index: HashMap<&str, u32> = HashMap::default();
        index.reserve(table.len());
        for (at, text) in table.iter().enumerate() {
            index.insert(text, at as u32);
        }
        for value in parts.prop_values.iter() {
            if let Value::Str(text) = value {
                if !index.contains_key(&**text) {
                    index.insert(text, table.len() as u32);
                    table.push(text);
                }
            }
        }
        self.count(table.len());
        let mut end = 0u64;
        for text in &table {
            end += text.len() as u64;
            self.u64(end);
        }
        for text in &table {
            self.bytes.extend_from_slice(text.as_bytes());
        }
        index
    }

    fn nodes(&mut self, parts: &GraphParts<'_>) {
        self.count(parts.nodes.len());
        for node in &parts.nodes {
            self.str(&node.id);
            self.u8(node.kind as u8);
            self.str(&node.name);
            self.count(node.aliases.len());
            for alias in &node.aliases {
                self.str(alias);
            }
            self.validity(node.valid);
            self.u32(node.props.start);
            self.u32(node.props.end);
            self.u32(node.sources);
        }
    }

    /// One column per field: from, to, kind (u8), valid from, valid to,
    /// property start, property count, source list.
    fn edges(&mut self, parts: &GraphParts<'_>) {
        let edges = &parts.edges;
        self.count(edges.len());
        self.column(edges, |edge| edge.from);
        self.column(edges, |edge| edge.to);
        self.bytes.extend(edges.iter().map(|edge| edge.kind as u8));
        self.column(edges, |edge| date_code(edge.valid.from));
        self.column(edges, |edge| date_code(edge.valid.to));
        self.column(edges, |edge| edge.prop_start);
        self.column(edges, |edge| edge.prop_len);
        self.column(edges, |edge| edge.sources);
    }

    /// The property arena: key column, tag column (u8), payload column
    /// (u64: a number's bits, a bool, a string's index, a date's code).
    fn props(&mut self, parts: &GraphParts<'_>, string_idx: &HashMap<&str, u32>) {
        let values = &parts.prop_values;
        self.count(values.len());
        self.column(&parts.prop_key_idx, |key| *key);
        self.bytes.extend(values.iter().map(|value| match value {
            Value::Number(_) => TAG_NUMBER,
            Value::Bool(_) => TAG_BOOL,
            Value::Str(_) => TAG_STR,
            Value::Date(_) => TAG_DATE,
        }));
        self.bytes.reserve(values.len() * 8);
        for value in values.iter() {
            let payload = match value {
                Value::Number(number) => number.to_bits(),
                Value::Bool(flag) => u64::from(*flag),
                Value::Str(text) => u64::from(string_idx.get(&**text).copied().unwrap_or(0)),
                Value::Date(date) => u64::from(date_code(Some(*date))),
            };
            self.u64(payload);
        }
    }
}
