//! Bulk CSV: `sources.csv`, `nodes.csv`, `edges.csv` (columns in docs/DATA_FORMAT.md).

use std::sync::Arc;

use crate::model::{ArcStr, PartialDate, Validity, Value};

use super::assemble::Assembler;
use super::input::{FileFormat, InputFile};
use super::problem::{At, Problem};
use super::raw::{Place, RawNode, RawSource, parse_node_kind, unknown_word};

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
pub(super) struct PropColumn {
    pub index: usize,
    pub key: Arc<str>,
    pub declared: Option<&'static str>,
    /// Whether the key is one of the date properties.
    pub date_prop: bool,
}

/// The header of a CSV file: where each fixed column is, and the props.
pub(super) struct Header {
    /// Cells in the header row: a row may not have more.
    pub width: usize,
    pub fixed: Vec<Option<usize>>,
    pub props: Vec<PropColumn>,
}

pub fn add<'f>(file: &'f InputFile, assembler: &mut Assembler<'f>) {
    let fixed_names = match file.format {
        FileFormat::SourcesCsv => SOURCE_COLUMNS,
        FileFormat::NodesCsv => NODE_COLUMNS,
        FileFormat::EdgesCsv => EDGE_COLUMNS,
        FileFormat::Json => return,
    };
    // A streamed file's header is read from its first line; its rows by
    // `csv_edges` from the file.
    let head = file
        .streamed
        .as_ref()
        .map_or(file.text.as_str(), |streamed| streamed.head.as_str());
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(head.as_bytes());
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
    let Some(header) = header else { return };
    let lines = file
        .streamed
        .as_ref()
        .map_or_else(|| line_count(&file.text), |streamed| streamed.line_ends);
    match file.format {
        FileFormat::NodesCsv => assembler.reserve_nodes(lines),
        FileFormat::EdgesCsv => assembler
            .graph
            .reserve(0, lines, lines * header.props.len()),
        _ => {}
    }
    if file.format == FileFormat::EdgesCsv {
        super::csv_edges::add_edges(file, reader, header, assembler);
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
            Ok(true) => add_record(Place::Csv { file, line }, &record, &header, assembler),
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
    header: &Header,
    assembler: &mut Assembler<'f>,
) {
    let Place::Csv { file, .. } = place else {
        return;
    };
    let cell = |slot: usize| fixed_cell(&header.fixed, record, slot);
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

pub(super) fn report<T>(
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

pub(super) fn validity(
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
        let Some(text) = filled_cell(record, column.index) else {
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
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

fn typed_value(key: &str, declared: Option<&str>, text: &str) -> Result<Value, String> {
    let date_prop = super::raw::DATE_PROPS.contains(&key);
    typed_scalar(key, declared, date_prop, text)
        .map(|scalar| scalar.unwrap_or_else(|| Value::Str(ArcStr::from(text))))
}

/// A cell's value: of its declared type, else a number, bool, date (for
/// date properties and date-shaped text); `None` if it is the string
/// `text` itself (the caller makes the string).
pub(super) fn typed_scalar(
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

/// `the row has 9 cells, but the header has 7`
pub(super) fn too_many_cells(found: usize, width: usize) -> String {
    format!("the row has {found} cells, but the header has {width}")
}

/// A trimmed, non-empty cell of a fixed column.
pub(super) fn fixed_cell<'r>(
    fixed: &[Option<usize>],
    record: &'r csv::StringRecord,
    slot: usize,
) -> Option<&'r str> {
    fixed[slot].and_then(|index| filled_cell(record, index))
}

/// The cell at `index`, trimmed; `None` if it is missing or blank.
pub(super) fn filled_cell(record: &csv::StringRecord, index: usize) -> Option<&str> {
    record
        .get(index)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}
