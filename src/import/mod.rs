//! Importers of official data releases into critmin graph files. The one
//! importer today reads the USGS Mineral Commodity Summaries data release
//! (world production, capacity and reserves; US net import reliance and
//! major import sources; per-commodity US salient statistics; critical
//! mineral end uses) from a folder laid out like the 2025 release, and
//! writes native graph JSON (`critmin import usgs-mcs DIR -o OUT`). The
//! mapping rules are in docs/IMPORT.md.
//!
//! Invariant: the same input files and the same base node ids give
//! byte-identical output; the importer reads files but never writes them
//! (the CLI does).

mod countries;
mod emit;
mod names;
mod reliance;
mod salient;
mod text;
mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use emit::Output;
pub use text::{Cell, parse_cell};

/// Why an import failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    /// `critmin import usgs-mcs missing/ -o out/`
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    /// A folder without `MCS<year>_World_Data.csv`.
    #[error(
        "{dir} holds no MCS<year>_World_Data.csv: expected a folder laid out like the USGS MCS data release"
    )]
    NoWorldTable { dir: String },
    /// A CSV file that the csv reader rejects (bad quoting).
    #[error("{file}: {message}")]
    Csv { file: String, message: String },
    /// A table without a column the importer reads.
    #[error("{file} has no column \"{column}\"")]
    MissingColumn { file: String, column: String },
}

impl ImportError {
    fn csv(file: &str, err: &csv::Error) -> ImportError {
        ImportError::Csv {
            file: file.to_string(),
            message: err.to_string(),
        }
    }
}

/// What an import produced: the files to write and the run's summary.
#[derive(Debug, Clone)]
pub struct Import {
    /// `(file name, JSON text)`, sorted by name.
    pub files: Vec<(String, String)>,
    pub summary: Summary,
}

/// Rows read, facts written and rows skipped, for the run's report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub edition: i32,
    /// Data rows read per input file (by file name).
    pub rows_read: BTreeMap<String, usize>,
    /// Facts written per edge kind.
    pub facts: BTreeMap<String, usize>,
    /// Nodes the import created (not in the base graph).
    pub nodes_created: usize,
    /// Rows or cells skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
}

impl Summary {
    fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// A few lines for the terminal.
    pub fn report(&self) -> String {
        let mut lines = vec![format!("USGS MCS {} data release", self.edition)];
        let rows: usize = self.rows_read.values().sum();
        lines.push(format!(
            "rows read: {rows} ({} files)",
            self.rows_read.len()
        ));
        let facts: usize = self.facts.values().sum();
        let by_kind: Vec<String> = self
            .facts
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        lines.push(format!("facts written: {facts} ({})", by_kind.join(", ")));
        lines.push(format!("nodes created: {}", self.nodes_created));
        let skipped: usize = self.skipped.values().sum();
        lines.push(format!("skipped: {skipped}"));
        for (reason, n) in &self.skipped {
            lines.push(format!("  {n:>5}  {reason}"));
        }
        lines.join("\n")
    }
}

/// The input files found in a release folder.
#[derive(Debug, Clone, Default)]
struct ReleaseFiles {
    edition: i32,
    world: PathBuf,
    reliance: Option<PathBuf>,
    end_uses: Option<PathBuf>,
    salient: Vec<PathBuf>,
}

/// Imports the USGS MCS release in `dir`. `existing` says which node ids the
/// base graph already has: those are referred to, the others created.
pub fn import_usgs_mcs(dir: &Path, existing: &dyn Fn(&str) -> bool) -> Result<Import, ImportError> {
    let files = find_release_files(dir)?;
    let mut output = Output::new(files.edition, existing);
    let mut summary = Summary {
        edition: files.edition,
        ..Summary::default()
    };
    output.sources = sources(files.edition);
    let world = read_table(&files.world)?;
    world::import(&world, &mut output, &mut summary)?;
    if let Some(path) = &files.reliance {
        reliance::import_reliance(&read_table(path)?, &mut output, &mut summary)?;
    } else {
        summary.skip("no net import reliance table in the release folder");
    }
    if let Some(path) = &files.end_uses {
        reliance::import_end_uses(&read_table(path)?, &mut output, &mut summary)?;
    }
    for path in &files.salient {
        salient::import(&read_table(path)?, &mut output, &mut summary)?;
    }
    summary.facts = output
        .facts
        .iter()
        .map(|(kind, n)| (kind.to_string(), *n))
        .collect();
    let files = output.into_files();
    summary.nodes_created = count_created(&files);
    Ok(Import { files, summary })
}

fn count_created(files: &[(String, String)]) -> usize {
    files
        .iter()
        .find(|(name, _)| name == "nodes.json")
        .map_or(0, |(_, text)| text.matches("\"kind\":\"").count())
}

/// Source ids of one edition's files.
pub fn source_id(edition: i32, part: &str) -> String {
    format!("usgs-mcs-{edition}-{part}")
}

fn sources(edition: i32) -> Vec<serde_json::Value> {
    let (data_doi, publication) = if edition == 2025 {
        (
            "https://doi.org/10.5066/P13XCP3R",
            "https://doi.org/10.3133/mcs2025",
        )
    } else {
        ("", "")
    };
    let publication = if publication.is_empty() {
        format!("https://doi.org/10.3133/mcs{edition}")
    } else {
        publication.to_string()
    };
    let url = if data_doi.is_empty() {
        publication.clone()
    } else {
        data_doi.to_string()
    };
    let part = |id: &str, what: &str, files: &str| {
        json!({
            "id": source_id(edition, id),
            "title": format!("Mineral Commodity Summaries {edition} Data Release — {what}"),
            "publisher": "U.S. Geological Survey, National Minerals Information Center",
            "published": format!("{edition}-01"),
            "url": url,
            "note": format!("{files}; data release of the publication Mineral Commodity Summaries {edition} ({publication}); public domain; imported by `critmin import usgs-mcs`, each fact naming its file and row"),
        })
    };
    vec![
        part(
            "world-data",
            "World Production, Capacity, and Reserves",
            &format!("MCS{edition}_World_Data.csv"),
        ),
        part(
            "industry-trends",
            "Mineral Industry Trends and Salient Statistics",
            &format!(
                "MCS{edition}_Fig2_Net_Import_Reliance.csv, MCS{edition}_T4_Critical_Minerals_End_Use.csv"
            ),
        ),
        part(
            "salient",
            "Salient Statistics by Commodity",
            &format!("mcs{edition}-*_salient.csv"),
        ),
    ]
}

fn read_table(path: &Path) -> Result<text::Table, ImportError> {
    let bytes = std::fs::read(path).map_err(|err| ImportError::Read {
        path: path.display().to_string(),
        message: err.to_string(),
    })?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = String::from_utf8(bytes).map_err(|_| ImportError::Read {
        path: path.display().to_string(),
        message: "not UTF-8 text".to_string(),
    })?;
    text::Table::parse(&name, &text)
}

/// Finds the release's tables anywhere under `dir` (two levels deep), by
/// their USGS file names; the edition is the year in the world table's name.
fn find_release_files(dir: &Path) -> Result<ReleaseFiles, ImportError> {
    let mut paths = Vec::new();
    list_files(dir, 2, &mut paths)?;
    paths.sort();
    let name_of = |path: &PathBuf| {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let (world, edition) = paths
        .iter()
        .find_map(|path| {
            let name = name_of(path);
            let year = name.strip_prefix("MCS")?.strip_suffix("_World_Data.csv")?;
            Some((path.clone(), year.parse::<i32>().ok()?))
        })
        .ok_or_else(|| ImportError::NoWorldTable {
            dir: dir.display().to_string(),
        })?;
    let named = |wanted: String| paths.iter().find(|path| name_of(path) == wanted).cloned();
    let salient_prefix = format!("mcs{edition}-");
    Ok(ReleaseFiles {
        edition,
        world,
        reliance: named(format!("MCS{edition}_Fig2_Net_Import_Reliance.csv")),
        end_uses: named(format!("MCS{edition}_T4_Critical_Minerals_End_Use.csv")),
        salient: paths
            .iter()
            .filter(|path| {
                let name = name_of(path);
                name.starts_with(&salient_prefix) && name.ends_with("_salient.csv")
            })
            .cloned()
            .collect(),
    })
}

fn list_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|err| ImportError::Read {
        path: dir.display().to_string(),
        message: err.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth > 0 {
                list_files(&path, depth - 1, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}
