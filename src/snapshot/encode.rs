//! Writing the payload: the sections in the order `decode` reads them.
//! Lengths and counts are u64, indexes u32, all little-endian; the big
//! tables (values, edges, property slots) are written as one column per
//! field.

use rustc_hash::FxHashMap as HashMap;

use crate::load::{At, Loaded, Problem, Severity};
use crate::model::{EdgeParts, Graph, GraphParts, PartialDate, Source, Validity, Value};

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
    out.lists(&parts.source_lists, |source| source.0);
    out.count(parts.prop_keys.len());
    for key in parts.prop_keys.iter() {
        out.str(key);
    }
    out.lists(&parts.shapes, |key| *key);
    let string_idx = out.strings(&parts);
    out.values(&parts, &string_idx);
    out.nodes(&parts);
    out.edges(&loaded.graph);
    out.count(parts.prop_slots.len());
    out.column(parts.prop_slots.iter().copied());
    out.bytes
}

/// An optional date as a u32: 0 for none, else its
/// [code](PartialDate::code) (never 0).
pub(super) fn date_code(date: Option<PartialDate>) -> u32 {
    date.map_or(0, PartialDate::code)
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

    /// A column of u32s.
    fn column(&mut self, items: impl ExactSizeIterator<Item = u32>) {
        self.bytes.reserve(items.len() * 4);
        for item in items {
            self.bytes.extend_from_slice(&item.to_le_bytes());
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

    /// Lists of u32s (source lists, shapes): a count, a lengths column,
    /// then every list's entries in one column.
    fn lists<T>(&mut self, lists: &[Box<[T]>], entry: impl Fn(&T) -> u32) {
        self.count(lists.len());
        self.column(lists.iter().map(|list| list.len() as u32));
        let total: usize = lists.iter().map(|list| list.len()).sum();
        self.count(total);
        for list in lists {
            self.column(list.iter().map(&entry));
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
        for value in parts.values.iter() {
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
            self.u32(node.prop_start);
            self.u32(node.shape);
            self.u32(node.sources);
        }
    }

    /// One column per field: from, to, kind (u8), valid from, valid to,
    /// property start, shape, source list.
    fn edges(&mut self, graph: &Graph) {
        let column =
            |field: fn(&EdgeParts) -> u32| graph.edge_parts().map(move |edge| field(&edge));
        self.count(graph.edge_count());
        self.column(column(|edge| edge.from));
        self.column(column(|edge| edge.to));
        self.bytes
            .extend(graph.edge_parts().map(|edge| edge.kind as u8));
        self.column(column(|edge| date_code(edge.valid.from)));
        self.column(column(|edge| date_code(edge.valid.to)));
        self.column(column(|edge| edge.prop_start));
        self.column(column(|edge| edge.shape));
        self.column(column(|edge| edge.sources));
    }

    /// The values: a tag column (u8), then a payload column (u64:
    /// a number's bits, a bool, a string's index, a date's code).
    fn values(&mut self, parts: &GraphParts<'_>, string_idx: &HashMap<&str, u32>) {
        let values = &parts.values;
        self.count(values.len());
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
                Value::Date(date) => u64::from(date.code()),
            };
            self.u64(payload);
        }
    }
}
