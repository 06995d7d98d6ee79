//! The export sink the CLI hands to evaluation: files written atomically.

use std::path::Path;

use critmin::eval::{ExportSink, SinkError};
use critmin::export::{self, ExportFormat};
use critmin::model::{Graph, Subgraph};
use critmin::syntax::ExportFormat as FormatWord;

pub struct FileSink;

impl ExportSink for FileSink {
    fn export(
        &mut self,
        graph: &Graph,
        subgraph: &Subgraph,
        file: &str,
        format: Option<FormatWord>,
        force: bool,
    ) -> Result<String, SinkError> {
        let path = Path::new(file);
        let format = match format {
            Some(word) => from_word(word),
            None => format_of(path)?,
        };
        let files = export::render(graph, subgraph, format, path);
        if !force {
            if let Some((existing, _)) = files.iter().find(|(target, _)| target.exists()) {
                return Err(SinkError::Refused(format!(
                    "{} already exists (add `force` to replace it)",
                    existing.display()
                )));
            }
        }
        for (target, text) in &files {
            export::write_atomically(target, text, true)
                .map_err(|err| SinkError::Io(err.to_string()))?;
        }
        let names: Vec<String> = files
            .iter()
            .map(|(target, _)| target.display().to_string())
            .collect();
        Ok(format!(
            "exported {} nodes and {} edges as {} to {}",
            subgraph.nodes.len(),
            subgraph.edges.len(),
            format.name(),
            names.join(", ")
        ))
    }
}

/// The format a file name asks for: its extension, or the native JSON when
/// it has none; an extension no format uses is refused rather than guessed.
fn format_of(path: &Path) -> Result<ExportFormat, SinkError> {
    if path.extension().is_none() {
        return Ok(ExportFormat::Json);
    }
    ExportFormat::from_extension(path).ok_or_else(|| {
        SinkError::Refused(format!(
            "cannot tell the export format from the name {}; add `as FORMAT` (json, cytoscape, nodelink, graphml, dot, cypher, kuzu, csv)",
            path.display()
        ))
    })
}

fn from_word(word: FormatWord) -> ExportFormat {
    match word {
        FormatWord::Json => ExportFormat::Json,
        FormatWord::Cytoscape => ExportFormat::Cytoscape,
        FormatWord::NodeLink => ExportFormat::NodeLink,
        FormatWord::GraphMl => ExportFormat::GraphMl,
        FormatWord::Dot => ExportFormat::Dot,
        FormatWord::Cypher => ExportFormat::Cypher,
        FormatWord::Kuzu => ExportFormat::Kuzu,
        FormatWord::Csv => ExportFormat::Csv,
    }
}
