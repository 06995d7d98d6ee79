//! Writing exports: the file sink evaluation's `| export` stage uses, and
//! the same writer behind `critmin export -o FILE` (where `-o -` means
//! standard output).

use std::path::Path;

use critmin::eval::{Answer, ExportSink, SinkError};
use critmin::export::{self, ExportFormat};
use critmin::model::{Graph, Subgraph};
use critmin::picture::PictureConfig;
use critmin::syntax::ExportFormat as FormatWord;

/// `| export "FILE" [as FORMAT] [force]`: files written atomically.
pub struct FileSink {
    /// `--spreadsheet-safe`: CSV cells that a spreadsheet would run as formulas are neutralised.
    pub spreadsheet_safe: bool,
}

impl ExportSink for FileSink {
    fn export(
        &mut self,
        graph: &Graph,
        subgraph: &Subgraph,
        answer: &Answer<'_>,
        file: &str,
        format: Option<FormatWord>,
        force: bool,
    ) -> Result<String, SinkError> {
        if file == "-" {
            return Err(SinkError::Refused(
                "`| export` writes files, and `-` is not one; to write an export to standard output use `critmin export QUERY -o -`".to_string(),
            ));
        }
        let request = Request {
            file,
            format: format.map(from_word),
            force,
            force_word: "`force`",
            format_word: "`as FORMAT`",
            spreadsheet_safe: self.spreadsheet_safe,
        };
        write(graph, subgraph, Some(answer), &request)
    }
}

/// What to write and how the refusals should name the switches.
pub struct Request<'a> {
    pub file: &'a str,
    pub format: Option<ExportFormat>,
    pub force: bool,
    /// How the user says "replace it": `` `force` `` in a query, `--force` on the command line.
    pub force_word: &'a str,
    /// How the user names a format: `` `as FORMAT` `` or `--as FORMAT`.
    pub format_word: &'a str,
    /// `--spreadsheet-safe`: formula-leading CSV cells get a `'` prefix.
    pub spreadsheet_safe: bool,
}

/// Writes the files of `request`; returns the confirmation line. Nothing
/// is written when any target exists without `force`.
pub fn write(
    graph: &Graph,
    subgraph: &Subgraph,
    answer: Option<&Answer<'_>>,
    request: &Request,
) -> Result<String, SinkError> {
    let path = Path::new(request.file);
    let format = match request.format {
        Some(format) => format,
        None => format_of(path, request.format_word)?,
    };
    if path.is_dir() || request.file.ends_with('/') {
        return Err(SinkError::Io(format!(
            "cannot write {}: it is a folder; give a file name (a CSV export writes NAME.nodes.csv, NAME.edges.csv and NAME.sources.csv beside NAME)",
            critmin::render::shorten(request.file)
        )));
    }
    let mut files = render_files(graph, subgraph, answer, format, path);
    if request.spreadsheet_safe && is_csv(format) {
        for (_, text) in &mut files {
            *text = export::csv::spreadsheet_safe(text);
        }
    }
    export::publish(&files, request.force).map_err(|err| match err {
        export::WriteError::Exists(existing) => SinkError::Refused(format!(
            "{existing} already exists (add {} to replace it)",
            request.force_word
        )),
        other => SinkError::Io(other.to_string()),
    })?;
    let names: Vec<String> = files
        .iter()
        .map(|(target, _)| target.display().to_string())
        .collect();
    Ok(confirmation(subgraph, format, &names.join(", ")))
}

/// The export as text for standard output (`-o -`): one-file formats only.
pub fn to_stdout(
    graph: &Graph,
    subgraph: &Subgraph,
    answer: Option<&Answer<'_>>,
    format: Option<ExportFormat>,
) -> Result<(String, String), SinkError> {
    let format = format.unwrap_or(ExportFormat::Json);
    let mut files = render_files(graph, subgraph, answer, format, Path::new("-"));
    if files.len() > 1 {
        return Err(SinkError::Refused(format!(
            "the {} export writes {} files; give a file name instead of `-`",
            format.name(),
            files.len()
        )));
    }
    let text = files.pop().map(|(_, text)| text).unwrap_or_default();
    Ok((text, confirmation(subgraph, format, "standard output")))
}

/// The files of an export; pictures drawn from the answer (its series,
/// its query as the caption) when there is one, dated today.
fn render_files(
    graph: &Graph,
    subgraph: &Subgraph,
    answer: Option<&Answer<'_>>,
    format: ExportFormat,
    path: &Path,
) -> Vec<(std::path::PathBuf, String)> {
    match answer {
        Some(answer) => {
            let config = PictureConfig {
                drawn: Some(today()),
                ..PictureConfig::default()
            };
            export::render_answer(graph, subgraph, answer, &config, format, path)
        }
        None => export::render(graph, subgraph, format, path),
    }
}

fn confirmation(subgraph: &Subgraph, format: ExportFormat, target: &str) -> String {
    format!(
        "exported {} nodes and {} edges as {} to {target}",
        subgraph.nodes.len(),
        subgraph.edges.len(),
        format.name(),
    )
}

/// The format a file name asks for: its extension, or the native JSON when
/// it has none; an extension no format uses is refused rather than guessed.
fn format_of(path: &Path, format_word: &str) -> Result<ExportFormat, SinkError> {
    if path.extension().is_none() {
        return Ok(ExportFormat::Json);
    }
    ExportFormat::from_extension(path).ok_or_else(|| {
        SinkError::Refused(format!(
            "cannot tell the export format from the name {}; add {format_word} (json, cytoscape, nodelink, graphml, dot, cypher, kuzu, csv, neo4j-csv, pandas-csv, svg, html)",
            critmin::render::shorten(&path.display().to_string())
        ))
    })
}

fn is_csv(format: ExportFormat) -> bool {
    matches!(
        format,
        ExportFormat::Csv | ExportFormat::Neo4jCsv | ExportFormat::PandasCsv
    )
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
        FormatWord::Neo4jCsv => ExportFormat::Neo4jCsv,
        FormatWord::PandasCsv => ExportFormat::PandasCsv,
        FormatWord::Svg => ExportFormat::Svg,
        FormatWord::Html => ExportFormat::Html,
    }
}

/// Today's date (UTC) for picture captions; `SOURCE_DATE_EPOCH` (seconds)
/// fixes it, so that a committed picture can be regenerated byte for byte.
fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64)
        });
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|moment| moment.date_naive().to_string())
        .unwrap_or_default()
}
