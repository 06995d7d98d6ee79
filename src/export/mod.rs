//! Export: a graph or a result's subgraph written in the native JSON format
//! (which loads back) and in formats other tools read.
//!
//! Invariant: export builds text; writing it to disk (atomically) is the
//! caller's job through [`write_atomically`].

pub mod csv;
pub mod cypher;
pub mod cytoscape;
pub mod dot;
pub mod graphml;
pub mod native;
pub mod nodelink;
mod publish;
pub mod tables;

pub use publish::{WriteError, publish, write_atomically};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::eval::Answer;
use crate::model::{EdgeIndex, Graph, NodeIndex, SourceIdx, Subgraph, Value};
use crate::picture::{self, PictureConfig};

/// A file format a graph or subgraph can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The native `critmin-graph` JSON: loads back unchanged.
    Json,
    /// Cytoscape.js JSON (Cytoscape desktop, `networkx.cytoscape_graph`).
    Cytoscape,
    /// Node-link JSON (D3; `networkx.node_link_graph(data)`: edges under both `edges` and `links`).
    NodeLink,
    /// GraphML (Gephi, yEd, networkx).
    GraphMl,
    /// Graphviz DOT.
    Dot,
    /// Cypher for Neo4j and Memgraph.
    Cypher,
    /// Cypher for Kuzu/LadybugDB: node and rel tables declared first.
    Kuzu,
    /// The bulk CSV format: three files that load back unchanged.
    Csv,
    /// CSV with `neo4j-admin database import` headers: four files.
    Neo4jCsv,
    /// CSV with plain headers for pandas and spreadsheets: three files.
    PandasCsv,
    /// A picture (`crate::picture`): the answer's series as a chart when it
    /// has some, else its subgraph as a layered supply-chain diagram.
    Svg,
    /// A self-contained HTML report: picture, chart, table and sources.
    Html,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 12] = [
        ExportFormat::Json,
        ExportFormat::Cytoscape,
        ExportFormat::NodeLink,
        ExportFormat::GraphMl,
        ExportFormat::Dot,
        ExportFormat::Cypher,
        ExportFormat::Kuzu,
        ExportFormat::Csv,
        ExportFormat::Neo4jCsv,
        ExportFormat::PandasCsv,
        ExportFormat::Svg,
        ExportFormat::Html,
    ];

    /// Parses a format name (`graphml`, `node-link`), or a common synonym
    /// (`cyjs`, `d3`, `graphviz`, `neo4j`, `ladybug`), case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        let format = match name.to_ascii_lowercase().as_str() {
            "json" | "native" => ExportFormat::Json,
            "cytoscape" | "cyjs" => ExportFormat::Cytoscape,
            "node-link" | "nodelink" | "node_link" | "d3" => ExportFormat::NodeLink,
            "graphml" => ExportFormat::GraphMl,
            "dot" | "gv" | "graphviz" => ExportFormat::Dot,
            "cypher" | "neo4j" | "memgraph" => ExportFormat::Cypher,
            "kuzu" | "ladybug" | "ladybugdb" => ExportFormat::Kuzu,
            "csv" => ExportFormat::Csv,
            "neo4j-csv" | "neo4j_csv" | "neo4jcsv" => ExportFormat::Neo4jCsv,
            "pandas-csv" | "pandas_csv" | "pandascsv" => ExportFormat::PandasCsv,
            "svg" | "picture" => ExportFormat::Svg,
            "html" | "report" => ExportFormat::Html,
            _ => return None,
        };
        Some(format)
    }

    /// The canonical name, which [`ExportFormat::parse`] accepts.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Cytoscape => "cytoscape",
            ExportFormat::NodeLink => "node-link",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Dot => "dot",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Kuzu => "kuzu",
            ExportFormat::Csv => "csv",
            ExportFormat::Neo4jCsv => "neo4j-csv",
            ExportFormat::PandasCsv => "pandas-csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Html => "html",
        }
    }

    /// The file name ending this format is written with (without a dot);
    /// [`ExportFormat::from_extension`] maps it back.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Cytoscape => "cyjs",
            ExportFormat::NodeLink => "nodelink.json",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Dot => "dot",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Kuzu => "kuzu.cypher",
            ExportFormat::Csv => "csv",
            ExportFormat::Neo4jCsv => "neo4j.csv",
            ExportFormat::PandasCsv => "pandas.csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Html => "html",
        }
    }

    /// The format a file name implies: `.json`, `.cyjs` (or `.cytoscape.json`),
    /// `.nodelink.json` (or `.node-link.json`), `.graphml`, `.dot`/`.gv`,
    /// `.cypher`/`.cql`, `.kuzu.cypher`/`.kuzu`, `.neo4j.csv`, `.pandas.csv`,
    /// `.csv`, `.svg`, `.html`/`.htm`; case-insensitive.
    pub fn from_extension(path: &Path) -> Option<Self> {
        let file_name = path.file_name()?.to_str()?.to_ascii_lowercase();
        const ENDINGS: [(&str, ExportFormat); 19] = [
            (".neo4j.csv", ExportFormat::Neo4jCsv),
            (".pandas.csv", ExportFormat::PandasCsv),
            (".cytoscape.json", ExportFormat::Cytoscape),
            (".cy.json", ExportFormat::Cytoscape),
            (".nodelink.json", ExportFormat::NodeLink),
            (".node-link.json", ExportFormat::NodeLink),
            (".kuzu.cypher", ExportFormat::Kuzu),
            (".kuzu", ExportFormat::Kuzu),
            (".json", ExportFormat::Json),
            (".cyjs", ExportFormat::Cytoscape),
            (".graphml", ExportFormat::GraphMl),
            (".dot", ExportFormat::Dot),
            (".gv", ExportFormat::Dot),
            (".cypher", ExportFormat::Cypher),
            (".cql", ExportFormat::Cypher),
            (".csv", ExportFormat::Csv),
            (".svg", ExportFormat::Svg),
            (".html", ExportFormat::Html),
            (".htm", ExportFormat::Html),
        ];
        ENDINGS
            .iter()
            .find(|(ending, _)| file_name.ends_with(ending) && file_name.len() > ending.len())
            .map(|(_, format)| *format)
    }
}

/// Files to write for `format`: one (`path` as given) or, for the CSV
/// formats, several next to `path`: `<stem>.sources.csv`,
/// `<stem>.nodes.csv`, `<stem>.edges.csv` (csv — names the loader
/// recognises — and pandas-csv); `<stem>.nodes.csv`, `<stem>.sources.csv`,
/// `<stem>.relationships.csv`, `<stem>.cites.csv` (neo4j-csv).
pub fn render(
    graph: &Graph,
    subgraph: &Subgraph,
    format: ExportFormat,
    path: &Path,
) -> Vec<(PathBuf, String)> {
    let contents = Contents::new(graph, subgraph);
    let text = match format {
        ExportFormat::Json => native::to_json(graph, Some(subgraph)),
        ExportFormat::Cytoscape => cytoscape::to_cytoscape(&contents),
        ExportFormat::NodeLink => nodelink::to_node_link(&contents),
        ExportFormat::GraphMl => graphml::to_graphml(&contents),
        ExportFormat::Dot => dot::to_dot(&contents),
        ExportFormat::Cypher => cypher::to_cypher(&contents, cypher::Dialect::Neo4j),
        ExportFormat::Kuzu => cypher::to_cypher(&contents, cypher::Dialect::Kuzu),
        ExportFormat::Csv => return csv_files(path, csv::to_csv(graph, subgraph)),
        ExportFormat::Neo4jCsv => {
            return csv_files(path, tables::to_tables(&contents, tables::Flavour::Neo4j));
        }
        ExportFormat::PandasCsv => {
            return csv_files(path, tables::to_tables(&contents, tables::Flavour::Pandas));
        }
        ExportFormat::Svg | ExportFormat::Html => {
            let caption = picture::Caption::default();
            return render_picture(
                graph,
                subgraph,
                &caption,
                &PictureConfig::default(),
                format,
                path,
            );
        }
    };
    vec![(path.to_path_buf(), text)]
}

/// Like [`render`], with the answer behind the subgraph: pictures draw its
/// series and caption it with its query; the other formats ignore it.
pub fn render_answer(
    graph: &Graph,
    subgraph: &Subgraph,
    answer: &Answer<'_>,
    config: &PictureConfig,
    format: ExportFormat,
    path: &Path,
) -> Vec<(PathBuf, String)> {
    let caption = picture::Caption {
        query: answer.query,
        as_of: answer.as_of,
        result: Some(answer.result),
    };
    match format {
        ExportFormat::Svg | ExportFormat::Html => {
            render_picture(graph, subgraph, &caption, config, format, path)
        }
        _ => render(graph, subgraph, format, path),
    }
}

fn render_picture(
    graph: &Graph,
    subgraph: &Subgraph,
    caption: &picture::Caption<'_>,
    config: &PictureConfig,
    format: ExportFormat,
    path: &Path,
) -> Vec<(PathBuf, String)> {
    let text = if format == ExportFormat::Html {
        picture::html::report(graph, subgraph, caption, config)
    } else {
        match caption
            .result
            .and_then(|result| picture::chart::chart_data(graph, result))
        {
            Some(data) => picture::chart::draw(graph, &data, caption, config),
            None => picture::graph_svg::draw(graph, subgraph, caption, config).svg,
        }
    };
    vec![(path.to_path_buf(), text)]
}

/// Multi-file formats: `<stem>.<name>` next to `path`, where the stem is
/// the file name without `.csv` (`g.neo4j.csv` gives `g.neo4j.nodes.csv`).
fn csv_files(path: &Path, files: Vec<(&'static str, String)>) -> Vec<(PathBuf, String)> {
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    let lower = file_name.to_ascii_lowercase();
    let stem = match lower.strip_suffix(".csv") {
        Some(_) => &file_name[..file_name.len() - 4],
        None => file_name,
    };
    let stem = if stem.is_empty() { "critmin" } else { stem };
    files
        .into_iter()
        .map(|(name, text)| (path.with_file_name(format!("{stem}.{name}")), text))
        .collect()
}

/// A node kind as a label: `Mineral`.
pub(crate) fn cypher_label(kind: crate::model::NodeKind) -> String {
    let text = kind.as_str();
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// What an export holds, in output order: nodes by id, edges by
/// `(from id, kind, to id)`, and the sources they cite, by id. Shared by
/// the formats so that they agree on order and on edge ids.
pub(crate) struct Contents<'g> {
    pub graph: &'g Graph,
    pub nodes: Vec<NodeIndex>,
    /// Edges with their export id `from|kind|to|n` (`n` counts parallel edges).
    pub edges: Vec<(EdgeIndex, String)>,
    pub sources: Vec<SourceIdx>,
}

impl<'g> Contents<'g> {
    fn new(graph: &'g Graph, subgraph: &Subgraph) -> Contents<'g> {
        let nodes = subgraph.sorted_nodes(graph);
        let edges = subgraph.sorted_edges(graph);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let edges = edges
            .into_iter()
            .map(|edge_idx| {
                let (from, to) = graph.endpoints(edge_idx);
                let (from, to) = (&graph.node(from).id, &graph.node(to).id);
                let base = format!("{from}|{}|{to}", graph.edge(edge_idx).kind);
                let count = seen.entry(base.clone()).or_insert(0);
                let id = format!("{base}|{count}");
                *count += 1;
                (edge_idx, id)
            })
            .collect();
        let sources = subgraph.cited_sources(graph);
        Contents {
            graph,
            nodes,
            edges,
            sources,
        }
    }

    /// Source ids as a list.
    pub fn source_ids(&self, sources: &[SourceIdx]) -> Vec<&'g str> {
        sources
            .iter()
            .map(|source_idx| self.graph.source(*source_idx).id.as_str())
            .collect()
    }

    /// The cited sources as JSON objects (the native format's fields).
    pub fn sources_json(&self) -> Json {
        Json::Array(
            self.sources
                .iter()
                .map(|source_idx| {
                    let source = self.graph.source(*source_idx);
                    let mut object = Map::new();
                    let mut put = |key: &str, text: Option<String>| {
                        if let Some(text) = text {
                            object.insert(key.to_string(), Json::String(text));
                        }
                    };
                    put("id", Some(source.id.clone()));
                    put("title", Some(source.title.clone()));
                    put("publisher", source.publisher.clone());
                    put("published", source.published.map(|date| date.to_string()));
                    put("url", source.url.clone());
                    put("note", source.note.clone());
                    Json::Object(object)
                })
                .collect(),
        )
    }

    /// The `critmin` metadata object of the JSON formats:
    /// `{"format": "critmin-graph", "version": 1, "export": ..., "sources": [...]}`.
    pub fn metadata_json(&self, export: ExportFormat) -> Json {
        let mut object = Map::new();
        object.insert("format".into(), Json::from(native::FORMAT_NAME));
        object.insert("version".into(), Json::from(native::FORMAT_VERSION));
        object.insert("export".into(), Json::from(export.name()));
        object.insert("sources".into(), self.sources_json());
        Json::Object(object)
    }
}

/// A property's field name where it sits beside a format's own fields:
/// the key itself, or `prop_<key>` when the key is one of `reserved`.
pub(crate) fn prop_field(key: &str, reserved: &[&str]) -> String {
    if reserved.contains(&key) || key.starts_with("prop_") {
        format!("prop_{key}")
    } else {
        key.to_string()
    }
}

/// A property value as JSON: whole numbers as integers (`2022`, not
/// `2022.0`), dates as ISO strings.
pub(crate) fn prop_json(value: &Value) -> Json {
    match value {
        Value::Number(number) if is_whole(*number) => Json::from(*number as i64),
        other => native::value_json(other),
    }
}

/// Whether a number is written as an integer.
pub(crate) fn is_whole(number: f64) -> bool {
    number.fract() == 0.0 && number.abs() < 1e15
}

/// The property that best sums up an edge for a label (`share 0.857`).
pub(crate) fn key_prop(graph: &Graph, edge_idx: EdgeIndex) -> Option<(&'static str, &Value)> {
    ["share", "dependence", "severity"]
        .into_iter()
        .find_map(|key| graph.edge_prop(edge_idx, key).map(|value| (key, value)))
}
