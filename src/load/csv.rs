//! Bulk CSV: `sources.csv`, `nodes.csv`, `edges.csv` (columns in docs/DATA_FORMAT.md).

use std::sync::Arc;

use crate::model::{PartialDate, Validity, Value};

use super::assemble::Assembler;
use super::input::{FileFormat, InputFile};
use super::problem::{At, Problem};
use super::raw::{
    Place, RawEdge, RawNode, RawSource, parse_edge_kind, parse_node_kind, text_value, unknown_word,
};

const SOURCE_COLUMNS: &[&str] = &["id", "title", "publisher", "published", "url", "note"];
const NODE_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "sources",
    "valid_from",
    "valid_to",
];
const EDGE_COLUMNS: &[&str] = &["from", "to", "kind", "sources", "valid_from", "valid_to"];
const PROP_TYPES: &[&str] = &["number", "string", "bool", "date"];

/// A property column: its key and declared type, if any.
struct PropColumn {
    index: usize,
    key: Arc<str>,
    declared: Option<&'static str>,
}

/// The header of a CSV file: where each fixed column is, and the props.
struct Header {
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
    let Some(header) = header else { return };
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
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
    Some(Header { fixed, props })
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
            let props = props(place, record, header, &mut assembler.problems);
            if let (Some(id), Some(kind), Some(name), true) =
                (id, kind, name, assembler.problems.len() == problems_before)
            {
                let raw = RawNode {
                    id,
                    kind,
                    name,
                    aliases: list(cell(3)),
                    props,
                    sources: list(cell(4)),
                    valid,
                };
                assembler.add_node(place, raw);
            }
        }
        FileFormat::EdgesCsv => {
            let (from, to) = (
                require(0, EDGE_COLUMNS, &mut assembler.problems),
                require(1, EDGE_COLUMNS, &mut assembler.problems),
            );
            let kind = require(2, EDGE_COLUMNS, &mut assembler.problems).and_then(|text| {
                report(
                    place,
                    "kind",
                    parse_edge_kind(text),
                    &mut assembler.problems,
                )
            });
            let valid = validity(place, cell(4), cell(5), &mut assembler.problems);
            let props = props(place, record, header, &mut assembler.problems);
            if let (Some(from), Some(to), Some(kind), true) =
                (from, to, kind, assembler.problems.len() == problems_before)
            {
                let raw = RawEdge {
                    from,
                    to,
                    kind,
                    props,
                    sources: list(cell(3)),
                    valid,
                };
                assembler.add_edge(place, raw);
            }
        }
        FileFormat::Json => {}
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
    header: &Header,
    problems: &mut Vec<Problem>,
) -> Vec<(Arc<str>, Value)> {
    let mut props = Vec::with_capacity(header.props.len());
    for column in &header.props {
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

fn typed_value(key: &str, declared: Option<&str>, text: &str) -> Result<Value, String> {
    let number = || text.parse::<f64>().ok().filter(|number| number.is_finite());
    match declared {
        Some("number") => number()
            .map(Value::Number)
            .ok_or_else(|| format!("{key}: \"{text}\" is not a number")),
        Some("bool") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{key}: \"{text}\" is not true or false")),
        },
        Some("date") => PartialDate::parse(text)
            .map(Value::Date)
            .map_err(|err| format!("{key}: {err}")),
        Some(_) => Ok(Value::Str(Arc::from(text))),
        None if super::raw::DATE_PROPS.contains(&key) => text_value(key, text),
        None => match (number(), text) {
            (Some(number), _) => Ok(Value::Number(number)),
            (None, "true") => Ok(Value::Bool(true)),
            (None, "false") => Ok(Value::Bool(false)),
            (None, _) => text_value(key, text),
        },
    }
}
