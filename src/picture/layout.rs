//! Layered layout of a subgraph: which boxes are drawn (events grouped, at
//! most `max_nodes`), in which column (countries → materials by depth in
//! the chain → industries; policies and events in a band above, each over
//! what it acts on), in which order (barycentre
//! sweeps to reduce crossings), where (tall layers wrap into several
//! columns), how edges run (cubic curves between box sides) and where edge
//! labels go (the first spot along the curve that overlaps no box and no
//! other label; a label with no free spot is left to the tooltip).
//!
//! Invariant: every placed box and label lies inside `width` × `height`,
//! and no two of them overlap; the layout checks in `tests/pictures.rs`
//! hold it to that.

use std::collections::{BTreeMap, BTreeSet};

use super::PictureConfig;
use super::place::{in_band, layers, order, place};
use super::select::{cap, items, links};
use super::svg::{number, text_width, wrap};
use crate::model::{EdgeIndex, EdgeKind, Graph, NodeIndex, NodeKind, Subgraph};

/// Font size of box labels and of edge labels, in px.
pub const BOX_FONT: f64 = 12.0;
pub const LABEL_FONT: f64 = 10.0;
pub(super) const LINE_HEIGHT: f64 = 14.0;
pub(super) const BOX_PAD_X: f64 = 8.0;
pub(super) const BOX_PAD_Y: f64 = 6.0;
/// Box text wrap width and column gap, tried in turn until the diagram
/// fits `MAX_WIDTH`.
const FITS: [(usize, usize, f64); 6] = [
    (24, 2, 150.0),
    (24, 2, 110.0),
    (18, 2, 100.0),
    (18, 3, 80.0),
    (14, 3, 70.0),
    (12, 3, 56.0),
];
/// The widest diagram wanted: a 1600-px screen.
pub const MAX_WIDTH: f64 = 1600.0;
pub(super) const ROW_GAP: f64 = 12.0;
pub(super) const MAX_ROWS: usize = 30;
pub(super) const MARGIN: f64 = 16.0;

/// A box to draw: one node, or a group of events.
#[derive(Debug, Clone)]
pub struct Item {
    /// The node id, or `events:<type>` for a group.
    pub key: String,
    pub kind: NodeKind,
    /// The nodes it stands for (one, or the grouped events).
    pub members: Vec<NodeIndex>,
    /// The full label and the lines it is drawn in.
    pub text: String,
    pub lines: Vec<String>,
}

impl Item {
    pub fn is_group(&self) -> bool {
        self.key.starts_with("events:")
    }
}

/// An item with its place.
#[derive(Debug, Clone)]
pub struct PlacedBox {
    pub item: Item,
    pub rect: Rect,
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    pub fn inside(&self, width: f64, height: f64) -> bool {
        self.x >= 0.0
            && self.y >= 0.0
            && self.x + self.width <= width
            && self.y + self.height <= height
    }

    fn center_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

/// The edges between two boxes of one kind, drawn as one curve.
#[derive(Debug, Clone)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub edges: Vec<EdgeIndex>,
    /// The figure that matters (`share 0.86 (2024)`), if any.
    pub label: Option<String>,
    /// Cubic Bézier control points.
    pub curve: [(f64, f64); 4],
}

/// A placed edge label.
#[derive(Debug, Clone)]
pub struct LabelBox {
    pub link: usize,
    pub text: String,
    pub rect: Rect,
}

/// The whole layout, in px from the top-left corner of the diagram.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<PlacedBox>,
    pub links: Vec<Link>,
    pub labels: Vec<LabelBox>,
    /// Nodes not drawn because of `max_nodes`, by kind.
    pub omitted: BTreeMap<NodeKind, usize>,
    /// Events drawn inside groups.
    pub grouped_events: usize,
    /// Edge labels with no free spot (their figure is in the tooltip).
    pub hidden_labels: usize,
}

/// Lays out `subgraph`. `focus` nodes (the answer's own rows) are kept first
/// when the node cap bites.
pub fn layout(
    graph: &Graph,
    subgraph: &Subgraph,
    focus: &BTreeSet<NodeIndex>,
    config: &PictureConfig,
) -> Layout {
    let (items, grouped_events) = items(graph, subgraph, config);
    let raw_links = links(graph, subgraph, &items);
    let (items, raw_links, omitted) = cap(items, raw_links, focus, config.max_nodes);
    let (layers, band) = layers(&items, &raw_links);
    let layers = order(layers, &raw_links, items.len());
    let mut items = items;
    let mut fitted = None;
    for (chars, max_lines, gap) in FITS {
        for item in &mut items {
            item.lines = wrap(&item.text, chars, max_lines);
        }
        let placed = place(items.clone(), &layers, &band, &raw_links, gap);
        let fits = placed.1 <= MAX_WIDTH;
        fitted = Some(placed);
        if fits {
            break;
        }
    }
    let (boxes, width, height) = fitted.unwrap_or_default();
    let mut links: Vec<Link> = raw_links
        .into_iter()
        .map(|raw| {
            let from_band = in_band(boxes[raw.from].item.kind) && !in_band(boxes[raw.to].item.kind);
            let curve = curve(&boxes[raw.from].rect, &boxes[raw.to].rect, from_band);
            let label = label(graph, &raw.edges, boxes[raw.from].item.is_group());
            Link {
                from: raw.from,
                to: raw.to,
                kind: raw.kind,
                edges: raw.edges,
                label,
                curve,
            }
        })
        .collect();
    links.sort_by_key(|link| (link.from, link.to, link.kind));
    let (labels, hidden_labels) = place_labels(&boxes, &links, width, height);
    Layout {
        width,
        height,
        boxes,
        links,
        labels,
        omitted,
        grouped_events,
        hidden_labels,
    }
}

/// A point on a cubic Bézier curve.
pub fn point_at(curve: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let [p0, p1, p2, p3] = curve;
    let blend = |a: f64, b: f64, c: f64, d: f64| {
        u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
    };
    (blend(p0.0, p1.0, p2.0, p3.0), blend(p0.1, p1.1, p2.1, p3.1))
}

/// The curve from one box to another: from the band down into the target's
/// left side; else side to facing side, or right side to right side within
/// a column.
fn curve(from: &Rect, to: &Rect, from_band: bool) -> [(f64, f64); 4] {
    let (y0, y3) = (from.center_y(), to.center_y());
    if from_band && to.y >= from.y + from.height {
        // Down from the band into the gap left of the target's column, then
        // into the target's left side: not through the boxes above it.
        let (x0, y0) = (from.x + from.width / 2.0, from.y + from.height);
        let gap_x = to.x - 28.0;
        return [
            (x0, y0),
            (gap_x, y0 + (y3 - y0) * 0.6),
            (gap_x, y3),
            (to.x, y3),
        ];
    }
    if to.x >= from.x + from.width {
        let (x0, x3) = (from.x + from.width, to.x);
        let bend = (x3 - x0) / 2.0;
        [(x0, y0), (x0 + bend, y0), (x3 - bend, y3), (x3, y3)]
    } else if to.x + to.width <= from.x {
        let (x0, x3) = (from.x, to.x + to.width);
        let bend = (x0 - x3) / 2.0;
        [(x0, y0), (x0 - bend, y0), (x3 + bend, y3), (x3, y3)]
    } else {
        let (x0, x3) = (from.x + from.width, to.x + to.width);
        let reach = x0.max(x3) + 50.0;
        [(x0, y0), (reach, y0), (reach, y3), (x3, y3)]
    }
}

/// The label of a link: its figure (`share 0.86 (2024)`, newest year
/// first), and how many edges it stands for when more than one.
fn label(graph: &Graph, edges: &[EdgeIndex], from_group: bool) -> Option<String> {
    let year = |edge_idx: &EdgeIndex| graph.edge_number(*edge_idx, "year").unwrap_or(f64::MIN);
    let figure = edges
        .iter()
        .filter_map(|edge_idx| {
            crate::export::key_prop(graph, *edge_idx)
                .and_then(|(key, value)| value.as_f64().map(|number| (edge_idx, key, number)))
        })
        .max_by(|a, b| year(a.0).total_cmp(&year(b.0)).then(b.0.cmp(a.0)));
    let mut text = match figure {
        Some((edge_idx, key, value)) => {
            let mut text = format!("{key} {}", number(value));
            if let Some(year) = graph.edge_number(*edge_idx, "year") {
                text.push_str(&format!(" ({})", number(year)));
            }
            text
        }
        None => String::new(),
    };
    if edges.len() > 1 && (from_group || text.is_empty()) {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(&format!("×{}", edges.len()));
    }
    (!text.is_empty()).then_some(text)
}

/// Where labels go: along each curve (then just beside it), the first spot that
/// overlaps no box, no placed label and stays on the canvas.
fn place_labels(
    boxes: &[PlacedBox],
    links: &[Link],
    width: f64,
    height: f64,
) -> (Vec<LabelBox>, usize) {
    const SPOTS: [f64; 17] = [
        0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.46, 0.54, 0.38, 0.62, 0.3, 0.7,
        0.12, 0.88,
    ];
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut hidden = 0;
    for (link_number, link) in links.iter().enumerate() {
        let Some(text) = &link.label else { continue };
        let label_width = text_width(text, LABEL_FONT) + 6.0;
        let label_height = LABEL_FONT + 5.0;
        // On the curve first; then just above or below it.
        let candidates = [0.0, -label_height * 0.6, label_height * 0.6]
            .into_iter()
            .flat_map(|shift| SPOTS.iter().map(move |t| (*t, shift)));
        let free = candidates.into_iter().find_map(|(t, shift)| {
            let (x, y) = point_at(&link.curve, t);
            let rect = Rect {
                x: x - label_width / 2.0,
                y: y + shift - label_height / 2.0,
                width: label_width,
                height: label_height,
            };
            let clear = rect.inside(width, height)
                && !boxes
                    .iter()
                    .any(|placed_box| placed_box.rect.overlaps(&rect))
                && !placed.iter().any(|label| label.rect.overlaps(&rect));
            clear.then_some(rect)
        });
        match free {
            Some(rect) => placed.push(LabelBox {
                link: link_number,
                text: text.clone(),
                rect,
            }),
            None => hidden += 1,
        }
    }
    (placed, hidden)
}
