//! Pictures of answers: the subgraph behind an answer drawn as a layered
//! supply-chain diagram (SVG), series drawn as a time chart (SVG), both
//! wrapped with the result table and the sources in one self-contained HTML
//! report, and sparklines and text charts for the terminal.
//!
//! Everything is drawn by critmin itself: `layout` places boxes in layers
//! (countries → policies → materials → industries) and labels where they
//! overlap nothing; `graph_svg` and `chart` write SVG by hand so that the
//! output is byte-for-byte deterministic (golden files) and needs no font
//! files at build time; text widths are estimated generously.
//!
//! Invariant: `picture` builds strings; it does no I/O, never reads the
//! clock (the caller passes the drawing date) and never mutates the graph.

pub mod chart;
pub mod graph_svg;
pub mod html;
pub mod layout;
mod place;
mod select;
pub mod sparkline;
pub(crate) mod svg;
pub mod text_chart;

use crate::eval::QueryResult;
use crate::model::PartialDate;

/// How a picture is drawn and captioned.
#[derive(Debug, Clone)]
pub struct PictureConfig {
    /// Most boxes drawn; the rest are summarised in the caption.
    pub max_nodes: usize,
    /// Events are drawn as one box per event type ("14 price events")
    /// when the subgraph holds more than `max_single_events` of them.
    pub group_events: bool,
    pub max_single_events: usize,
    /// The day the picture is drawn, shown in the caption (`None`: left out,
    /// as in golden files).
    pub drawn: Option<String>,
}

impl Default for PictureConfig {
    fn default() -> PictureConfig {
        PictureConfig {
            max_nodes: 60,
            group_events: true,
            max_single_events: 5,
            drawn: None,
        }
    }
}

/// What a picture says it shows: the query, its view and its answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caption<'a> {
    /// The query in canonical text (empty: a whole-graph export).
    pub query: &'a str,
    pub as_of: Option<PartialDate>,
    pub result: Option<&'a QueryResult>,
}

impl Caption<'_> {
    /// The title line: the query, or a plain name for a bare export.
    pub fn title(&self) -> String {
        if self.query.is_empty() {
            "critmin graph".to_string()
        } else {
            self.query.to_string()
        }
    }

    /// The second line: the view and the drawing date.
    pub fn subtitle(&self, config: &PictureConfig) -> String {
        let view = match (self.as_of, self.result) {
            (Some(date), _) => format!("as of {date}"),
            (None, Some(_)) => "latest state of the record".to_string(),
            (None, None) => "every node and edge given".to_string(),
        };
        match &config.drawn {
            Some(day) => format!("critmin · {view} · drawn {day}"),
            None => format!("critmin · {view}"),
        }
    }
}
