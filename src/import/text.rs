//! Reading the release's CSV files and cleaning their cells: the byte-order
//! mark, stray and non-breaking spaces, glued footnote digits, and the codes
//! USGS writes inside numeric columns (`W`, `NA`, `E`, `>50`, `<25`).

use super::ImportError;

/// One CSV table: its header (without spaces) and its records, each with
/// its data row number (1 = the first row after the header).
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Parses CSV text (UTF-8, optional BOM, CRLF or LF).
    pub fn parse(file: &str, text: &str) -> Result<Table, ImportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|err| ImportError::csv(file, &err))?
            .iter()
            .map(clean_header)
            .collect();
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|err| ImportError::csv(file, &err))?;
            rows.push((index + 1, record.iter().map(str::to_string).collect()));
        }
        Ok(Table {
            file: file.to_string(),
            header,
            rows,
        })
    }

    /// The index of a column, by its cleaned header name.
    pub fn column(&self, name: &str) -> Result<usize, ImportError> {
        self.header
            .iter()
            .position(|header| header.eq_ignore_ascii_case(name))
            .ok_or_else(|| ImportError::MissingColumn {
                file: self.file.clone(),
                column: name.to_string(),
            })
    }
}

/// A header name without spaces: `PROD_EST_ 2024` → `PROD_EST_2024`.
fn clean_header(header: &str) -> String {
    header
        .chars()
        .filter(|ch| !ch.is_whitespace() && *ch != '\u{feff}')
        .collect()
}

/// A cell's text with non-breaking spaces made plain, runs of spaces
/// collapsed and the ends trimmed.
pub fn clean(text: &str) -> String {
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name without footnote digits glued to its end (`China3` → `China`,
/// `World total (rounded) 10` → `World total (rounded)`).
pub fn strip_footnote(name: &str) -> String {
    clean(name.trim_end_matches(|ch: char| ch.is_ascii_digit() || ch.is_whitespace()))
}

/// What a numeric cell says.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A figure; `bound` is `Some("lower")` for `>x`, `Some("upper")` for `<x`.
    Figure {
        value: f64,
        bound: Option<&'static str>,
    },
    /// `W`: withheld to avoid disclosing company proprietary data.
    Withheld,
    /// `E`: net exporter (net import reliance columns).
    NetExporter,
    /// Blank, `NA`, `XX` or `--`: not available.
    Unknown,
    /// Text that is none of these (kept as the cell's text).
    Text(String),
}

/// Reads a numeric cell: `1,200` → 1200; `>2000000` → a lower bound;
/// `<25` → an upper bound; `W`, `E`, `NA` and blanks as their codes.
pub fn parse_cell(text: &str) -> Cell {
    let text = clean(text);
    match text.to_ascii_uppercase().as_str() {
        "" | "NA" | "XX" | "--" | "-" => return Cell::Unknown,
        "W" => return Cell::Withheld,
        "E" => return Cell::NetExporter,
        _ => {}
    }
    let (bound, digits) = match text.chars().next() {
        Some('>') => (Some("lower"), &text[1..]),
        Some('<') => (Some("upper"), &text[1..]),
        _ => (None, text.as_str()),
    };
    let digits: String = digits
        .chars()
        .filter(|ch| *ch != ',' && !ch.is_whitespace())
        .collect();
    match digits.parse::<f64>() {
        Ok(value) if value.is_finite() => Cell::Figure { value, bound },
        _ => Cell::Text(text),
    }
}

/// A slug for ids: lowercase ASCII letters and digits joined by `-`
/// (`Fuller's earth` → `fullers-earth`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '\u{2019}' {
            continue;
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A number rounded to `places` decimals (for computed shares).
pub fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_stray_header_spaces_are_removed() {
        let table = Table::parse(
            "w.csv",
            "\u{feff}SOURCE,PROD_EST_ 2024\r\nMCS2025,60000\r\n",
        )
        .unwrap();
        assert_eq!(table.header, ["SOURCE", "PROD_EST_2024"]);
        assert_eq!(table.column("PROD_EST_2024").unwrap(), 1);
        assert_eq!(table.rows[0].0, 1);
    }

    #[test]
    fn names_lose_nbsp_trailing_spaces_and_footnotes() {
        assert_eq!(
            clean("United\u{a0}States (kyanite) "),
            "United States (kyanite)"
        );
        assert_eq!(strip_footnote("China3 "), "China");
        assert_eq!(
            strip_footnote("World total (rounded) 10"),
            "World total (rounded)"
        );
        assert_eq!(strip_footnote("Canada  "), "Canada");
    }

    #[test]
    fn codes_in_numeric_cells_are_not_zero() {
        assert_eq!(parse_cell(""), Cell::Unknown);
        assert_eq!(parse_cell("NA"), Cell::Unknown);
        assert_eq!(parse_cell("W"), Cell::Withheld);
        assert_eq!(parse_cell("E"), Cell::NetExporter);
        assert_eq!(
            parse_cell(">2000000"),
            Cell::Figure {
                value: 2_000_000.0,
                bound: Some("lower")
            }
        );
        assert_eq!(
            parse_cell(">17,000,000"),
            Cell::Figure {
                value: 17_000_000.0,
                bound: Some("lower")
            }
        );
        assert_eq!(
            parse_cell("<25"),
            Cell::Figure {
                value: 25.0,
                bound: Some("upper")
            }
        );
        assert_eq!(
            parse_cell("1,250"),
            Cell::Figure {
                value: 1250.0,
                bound: None
            }
        );
        assert_eq!(parse_cell("Large"), Cell::Text("Large".into()));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Fuller's earth"), "fullers-earth");
        assert_eq!(slug("Côte d’Ivoire"), "c-te-divoire");
        assert_eq!(slug("Pumice & Pumicite"), "pumice-pumicite");
    }
}
