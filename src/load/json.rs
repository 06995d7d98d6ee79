//! The native JSON format: `{ "sources": [...], "nodes": [...], "edges": [...] }`.
//!
//! Each array element is parsed on its own (from a borrowed `RawValue`), so a
//! big file never exists twice in memory as a tree, and every problem knows
//! its element's JSON path and line.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::json_value::{Json, Map, TopLevel};
use serde_json::value::RawValue;

use crate::model::{PartialDate, Validity, Value};

use super::assemble::Assembler;
use super::input::InputFile;
use super::problem::{At, Problem};
use super::raw::{
    Place, RawEdge, RawNode, RawSource, Section, SourceIds, parse_edge_kind, parse_node_kind,
    text_value, unknown_word,
};

const TOP_FIELDS: &[&str] = &["format", "version", "sources", "nodes", "edges"];
const SOURCE_FIELDS: &[&str] = &["id", "title", "publisher", "published", "url", "note"];
const NODE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "props",
    "sources",
    "valid_from",
    "valid_to",
];
const EDGE_FIELDS: &[&str] = &[
    "from",
    "to",
    "kind",
    "props",
    "sources",
    "valid_from",
    "valid_to",
];

/// A JSON file split into its three arrays, elements still unparsed.
pub struct JsonSections<'f> {
    file: &'f InputFile,
    sections: BTreeMap<&'static str, Vec<&'f RawValue>>,
}

/// Splits a file into sections, reporting malformed JSON and unknown keys.
pub fn split<'f>(file: &'f InputFile, problems: &mut Vec<Problem>) -> Option<JsonSections<'f>> {
    let top = match serde_json::from_str::<TopLevel>(&file.text) {
        Ok(TopLevel(mut top)) => {
            top.sort_by(|a, b| a.0.cmp(&b.0));
            top
        }
        Err(err) => {
            problems.push(malformed(file, &err));
            return None;
        }
    };
    let mut sections = BTreeMap::new();
    for (key, raw) in top {
        let here = |path: &str| at_offset(file, raw, path);
        match key.as_str() {
            "sources" | "nodes" | "edges" => {
                let name = TOP_FIELDS
                    .iter()
                    .copied()
                    .find(|field| *field == key)
                    .unwrap_or("nodes");
                match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
                    Ok(items) => {
                        sections.insert(name, items);
                    }
                    Err(_) => problems.push(Problem::error(
                        &file.name,
                        here(&format!("$.{key}")),
                        format!("\"{key}\" must be an array"),
                    )),
                }
            }
            "format" => {
                if raw.get() != "\"critmin-graph\"" {
                    problems.push(Problem::error(
                        &file.name,
                        here("$.format"),
                        "format must be \"critmin-graph\"",
                    ));
                }
            }
            "version" => {
                if raw.get() != "1" {
                    let message = format!(
                        "unsupported format version {} (this critmin reads version 1)",
                        raw.get()
                    );
                    problems.push(Problem::error(&file.name, here("$.version"), message));
                }
            }
            _ => {
                let message = unknown_word("top-level field", &key, TOP_FIELDS);
                problems.push(Problem::error(
                    &file.name,
                    here(&format!("$.{key}")),
                    message,
                ));
            }
        }
    }
    Some(JsonSections { file, sections })
}

impl<'f> JsonSections<'f> {
    pub fn add_sources(&self, assembler: &mut Assembler<'f>) {
        self.each("sources", assembler, |place, object, assembler| {
            let mut fields = Fields::new(place, object, SOURCE_FIELDS, assembler);
            let id = fields.required_str("id");
            let title = fields.required_str("title");
            let raw = RawSource {
                id: id?,
                title: title?,
                publisher: fields.optional_str("publisher"),
                published: fields.optional_date("published"),
                url: fields.optional_str("url"),
                note: fields.optional_str("note"),
            };
            let ok = fields.ok;
            ok.then(|| assembler.add_source(place, raw))
        });
    }

    pub fn add_nodes(&self, assembler: &mut Assembler<'f>) {
        self.each("nodes", assembler, |place, object, assembler| {
            let mut fields = Fields::new(place, object, NODE_FIELDS, assembler);
            let id = fields.required_str("id");
            let kind = fields
                .required_str("kind")
                .and_then(|text| fields.or_report("kind", parse_node_kind(text)));
            let name = fields.required_str("name");
            let aliases = fields.str_list("aliases").into_iter().map(Into::into);
            let (aliases, props) = (aliases.collect(), fields.props());
            let (sources, valid) = (fields.str_list("sources"), fields.validity());
            let raw = RawNode {
                id: id?,
                kind: kind?,
                name: name?,
                aliases,
                props,
                sources,
                valid,
            };
            let ok = fields.ok;
            ok.then(|| assembler.add_node(place, raw))
        });
    }

    /// The file these sections were read from.
    pub fn file(&self) -> &'f InputFile {
        self.file
    }

    pub fn add_edges(&self, assembler: &mut Assembler<'f>) {
        self.each("edges", assembler, |place, object, assembler| {
            let mut fields = Fields::new(place, object, EDGE_FIELDS, assembler);
            let from = fields.required_str("from");
            let to = fields.required_str("to");
            let kind = fields
                .required_str("kind")
                .and_then(|text| fields.or_report("kind", parse_edge_kind(text)));
            let (props, sources, valid) = (
                fields.props(),
                fields.str_list("sources"),
                fields.validity(),
            );
            let (from, to, kind) = (from?, to?, kind?);
            if !fields.ok {
                return None;
            }
            let mut props: Vec<(u32, Value)> = props
                .into_iter()
                .map(|(key, value)| (assembler.prop_key(&key), assembler.intern_value(value)))
                .collect();
            let raw = RawEdge {
                from,
                to,
                kind,
                props: &mut props,
                sources: SourceIds::List(sources),
                valid,
            };
            assembler.add_edge(place, raw);
            Some(())
        });
    }

    fn each(
        &self,
        section: &'static str,
        assembler: &mut Assembler<'f>,
        mut add: impl FnMut(Place<'f>, &Map, &mut Assembler<'f>) -> Option<()>,
    ) {
        let Some(items) = self.sections.get(section) else {
            return;
        };
        for (index, raw) in items.iter().enumerate() {
            let offset = raw.get().as_ptr() as usize - self.file.text.as_ptr() as usize;
            let place = Place::Json {
                file: self.file,
                offset,
                index: u32::try_from(index).unwrap_or(u32::MAX),
                section: match section {
                    "sources" => Section::Sources,
                    "nodes" => Section::Nodes,
                    _ => Section::Edges,
                },
            };
            match serde_json::from_str::<Json>(raw.get()) {
                Ok(Json::Object(object)) => {
                    add(place, &object, assembler);
                }
                Ok(other) => assembler.problems.push(place.error(
                    "",
                    format!("expected an object, found {}", json_type(&other)),
                )),
                Err(err) => assembler
                    .problems
                    .push(place.error("", format!("malformed JSON: {}", bare_message(&err)))),
            }
        }
    }
}

/// Typed access to one JSON object's fields, reporting every problem.
struct Fields<'o, 'p, 'a> {
    place: Place<'p>,
    object: &'o Map<'o>,
    problems: &'a mut Vec<Problem>,
    ok: bool,
}

impl<'o, 'p, 'a> Fields<'o, 'p, 'a> {
    fn new(
        place: Place<'p>,
        object: &'o Map<'o>,
        known: &[&str],
        assembler: &'a mut Assembler,
    ) -> Self {
        let problems = &mut assembler.problems;
        for key in object.keys() {
            let key: &str = key;
            if !known.contains(&key) {
                problems.push(place.error(key, unknown_word("field", key, known)));
            }
        }
        Fields {
            place,
            object,
            problems,
            ok: true,
        }
    }

    fn report(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(self.place.error(field, message));
        self.ok = false;
    }

    fn or_report<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.report(field, message)).ok()
    }

    fn required_str(&mut self, key: &str) -> Option<&'o str> {
        match self.object.get(key) {
            Some(Json::String(text)) => Some(text),
            Some(other) => {
                self.report(
                    key,
                    format!("{key} must be a string, found {}", json_type(other)),
                );
                None
            }
            None => {
                self.report("", format!("missing required field \"{key}\""));
                None
            }
        }
    }

    fn optional_str(&mut self, key: &str) -> Option<&'o str> {
        match self.object.get(key) {
            Some(Json::String(text)) => Some(text),
            None | Some(Json::Null) => None,
            Some(other) => {
                self.report(
                    key,
                    format!("{key} must be a string, found {}", json_type(other)),
                );
                None
            }
        }
    }

    fn optional_date(&mut self, key: &str) -> Option<PartialDate> {
        let text = self.optional_str(key)?;
        let parsed = PartialDate::parse(text).map_err(|err| format!("{key}: {err}"));
        self.or_report(key, parsed)
    }

    fn validity(&mut self) -> Validity {
        Validity {
            from: self.optional_date("valid_from"),
            to: self.optional_date("valid_to"),
        }
    }

    fn str_list(&mut self, key: &str) -> Vec<&'o str> {
        let items = match self.object.get(key) {
            None | Some(Json::Null) => return Vec::new(),
            Some(Json::Array(items)) => items,
            Some(other) => {
                self.report(
                    key,
                    format!(
                        "{key} must be an array of strings, found {}",
                        json_type(other)
                    ),
                );
                return Vec::new();
            }
        };
        let mut texts = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Json::String(text) => texts.push(&**text),
                other => self.report(
                    &format!("{key}[{index}]"),
                    format!("expected a string, found {}", json_type(other)),
                ),
            }
        }
        texts
    }

    fn props(&mut self) -> Vec<(Arc<str>, Value)> {
        let object = match self.object.get("props") {
            None | Some(Json::Null) => return Vec::new(),
            Some(Json::Object(object)) => object,
            Some(other) => {
                self.report(
                    "props",
                    format!("props must be an object, found {}", json_type(other)),
                );
                return Vec::new();
            }
        };
        let mut props = Vec::with_capacity(object.len());
        for (key, json) in object {
            let field = format!("props.{key}");
            let value = match json {
                Json::Number(number) => Ok(Value::Number(*number)),
                Json::Bool(flag) => Ok(Value::Bool(*flag)),
                Json::String(text) => text_value(key, text).map_err(|err| format!("{key}: {err}")),
                other => Err(format!(
                    "property {key} must be a number, string, bool or date, found {}",
                    json_type(other)
                )),
            };
            if let Some(value) = self.or_report(&field, value) {
                props.push((Arc::from(&**key), value));
            }
        }
        props
    }
}

fn at_offset(file: &InputFile, raw: &RawValue, path: &str) -> At {
    let offset = raw.get().as_ptr() as usize - file.text.as_ptr() as usize;
    let (line, column) = file.line_col(offset);
    At::Json {
        path: path.to_string(),
        line,
        column,
    }
}

fn malformed(file: &InputFile, err: &serde_json::Error) -> Problem {
    let at = At::Position {
        line: err.line().max(1),
        column: err.column().max(1),
    };
    let bare = bare_message(err);
    let message = match err.classify() {
        serde_json::error::Category::Data if bare.starts_with("duplicate key") => bare,
        serde_json::error::Category::Data => {
            "expected a JSON object with \"sources\", \"nodes\" and \"edges\" arrays".to_string()
        }
        _ => format!("malformed JSON: {bare}"),
    };
    Problem::error(&file.name, at, message)
}

/// serde_json's message without its " at line L column C" tail.
fn bare_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn json_type(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a bool",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
