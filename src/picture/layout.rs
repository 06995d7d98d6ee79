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

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::PictureConfig;
use super::svg::{number, text_width, wrap};
use crate::model::{EdgeIndex, EdgeKind, Graph, NodeIndex, NodeKind, Subgraph};

/// Font size of box labels and of edge labels, in px.
pub const BOX_FONT: f64 = 12.0;
pub const LABEL_FONT: f64 = 10.0;
const LINE_HEIGHT: f64 = 14.0;
const BOX_PAD_X: f64 = 8.0;
const BOX_PAD_Y: f64 = 6.0;
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
const ROW_GAP: f64 = 12.0;
const MAX_ROWS: usize = 30;
const MARGIN: f64 = 16.0;

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

// ----- which boxes -----

fn items(graph: &Graph, subgraph: &Subgraph, config: &PictureConfig) -> (Vec<Item>, usize) {
    let nodes = subgraph.sorted_nodes(graph);
    let n_events = nodes
        .iter()
        .filter(|node_idx| graph.node(**node_idx).kind == NodeKind::Event)
        .count();
    let group = config.group_events && n_events > config.max_single_events;
    let mut items = Vec::new();
    let mut groups: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    for node_idx in nodes {
        let node = graph.node(node_idx);
        if group && node.kind == NodeKind::Event {
            let event_type = graph
                .node_prop(node_idx, "event_type")
                .and_then(|value| value.as_str())
                .unwrap_or("other")
                .to_string();
            groups.entry(event_type).or_default().push(node_idx);
            continue;
        }
        items.push(Item {
            key: node.id.clone(),
            kind: node.kind,
            members: vec![node_idx],
            text: node.name.clone(),
            lines: Vec::new(),
        });
    }
    let grouped = if group { n_events } else { 0 };
    for (event_type, members) in groups {
        let noun = if members.len() == 1 {
            "event"
        } else {
            "events"
        };
        let text = format!("{} {} {noun}", members.len(), event_type.replace('_', " "));
        items.push(Item {
            key: format!("events:{event_type}"),
            kind: NodeKind::Event,
            members,
            lines: Vec::new(),
            text,
        });
    }
    (items, grouped)
}

/// A link before layout: item numbers and edges.
struct RawLink {
    from: usize,
    to: usize,
    kind: EdgeKind,
    edges: Vec<EdgeIndex>,
}

fn links(graph: &Graph, subgraph: &Subgraph, items: &[Item]) -> Vec<RawLink> {
    let mut item_of: HashMap<NodeIndex, usize> = HashMap::new();
    for (item_number, item) in items.iter().enumerate() {
        for member in &item.members {
            item_of.insert(*member, item_number);
        }
    }
    let mut merged: BTreeMap<(usize, usize, EdgeKind), Vec<EdgeIndex>> = BTreeMap::new();
    for edge_idx in subgraph.sorted_edges(graph) {
        let (from, to) = graph.endpoints(edge_idx);
        let (Some(from), Some(to)) = (item_of.get(&from), item_of.get(&to)) else {
            continue;
        };
        if from == to {
            continue;
        }
        merged
            .entry((*from, *to, graph.edge(edge_idx).kind))
            .or_default()
            .push(edge_idx);
    }
    merged
        .into_iter()
        .map(|((from, to, kind), edges)| RawLink {
            from,
            to,
            kind,
            edges,
        })
        .collect()
}

/// Links from which an item is a hub, kept before the rest of its kind
/// (the supplier country of an exposure, a policy on many materials).
const HUB_DEGREE: usize = 8;

/// Keeps at most `max_nodes` items: focus nodes first, then hubs, then the chain
/// (industries, products, minerals), event groups, policies, countries;
/// within a rank the best connected. Returns the kept items, their links
/// renumbered, and what was left out.
fn cap(
    items: Vec<Item>,
    links: Vec<RawLink>,
    focus: &BTreeSet<NodeIndex>,
    max_nodes: usize,
) -> (Vec<Item>, Vec<RawLink>, BTreeMap<NodeKind, usize>) {
    let mut omitted = BTreeMap::new();
    if items.len() <= max_nodes {
        return (items, links, omitted);
    }
    let mut degree = vec![0usize; items.len()];
    for link in &links {
        degree[link.from] += 1;
        degree[link.to] += 1;
    }
    let rank = |item_number: usize| -> usize {
        let item = &items[item_number];
        if item.members.iter().any(|member| focus.contains(member)) {
            return 0;
        }
        if degree[item_number] >= HUB_DEGREE {
            return 1;
        }
        match item.kind {
            NodeKind::Industry | NodeKind::Product | NodeKind::Mineral => 2,
            NodeKind::Event => 3,
            NodeKind::Policy => 4,
            NodeKind::Country => 5,
        }
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| {
        rank(*a)
            .cmp(&rank(*b))
            .then(degree[*b].cmp(&degree[*a]))
            .then(items[*a].key.cmp(&items[*b].key))
    });
    let kept: BTreeSet<usize> = order.iter().take(max_nodes).copied().collect();
    let mut new_number = vec![None; items.len()];
    let mut kept_items = Vec::new();
    for (item_number, item) in items.into_iter().enumerate() {
        if kept.contains(&item_number) {
            new_number[item_number] = Some(kept_items.len());
            kept_items.push(item);
        } else {
            *omitted.entry(item.kind).or_insert(0) += item.members.len();
        }
    }
    let links = links
        .into_iter()
        .filter_map(|link| {
            Some(RawLink {
                from: new_number[link.from]?,
                to: new_number[link.to]?,
                ..link
            })
        })
        .collect();
    (kept_items, links, omitted)
}

// ----- columns and order -----

/// Item numbers by layer, left to right, for the chain (countries,
/// materials by depth, industries); policies and events go to the band
/// above it and are returned apart.
fn layers(items: &[Item], links: &[RawLink]) -> (Vec<Vec<usize>>, Vec<usize>) {
    // Depth of materials along used_in and of industries along depends_on
    // (the industry depended on comes first), by relaxation: the graph may
    // hold cycles, so at most items.len() rounds.
    let mut depth = vec![0usize; items.len()];
    for _ in 0..items.len() {
        let mut changed = false;
        for link in links {
            let (upstream, downstream) = match link.kind {
                EdgeKind::UsedIn if is_material(items[link.to].kind) => (link.from, link.to),
                EdgeKind::DependsOn => (link.to, link.from),
                _ => continue,
            };
            if depth[downstream] < depth[upstream] + 1 && depth[upstream] < items.len() {
                depth[downstream] = depth[upstream] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let max_material = items
        .iter()
        .zip(&depth)
        .filter(|(item, _)| is_material(item.kind))
        .map(|(_, depth)| *depth)
        .max()
        .unwrap_or(0);
    let mut by_layer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut band = Vec::new();
    for (item_number, item) in items.iter().enumerate() {
        let layer = match item.kind {
            NodeKind::Country => 0,
            NodeKind::Mineral | NodeKind::Product => 1 + depth[item_number],
            NodeKind::Industry => 2 + max_material + depth[item_number],
            NodeKind::Policy | NodeKind::Event => {
                band.push(item_number);
                continue;
            }
        };
        by_layer.entry(layer).or_default().push(item_number);
    }
    (by_layer.into_values().collect(), band)
}

/// Whether an item sits in the band above the chain.
fn in_band(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Policy | NodeKind::Event)
}

fn is_material(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Mineral | NodeKind::Product)
}

/// Orders each layer by the mean position of its neighbours in the other
/// layers, sweeping left to right and back (the barycentre heuristic).
fn order(mut layers: Vec<Vec<usize>>, links: &[RawLink], n_items: usize) -> Vec<Vec<usize>> {
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n_items];
    for link in links {
        neighbours[link.from].push(link.to);
        neighbours[link.to].push(link.from);
    }
    let mut position = vec![0.0f64; n_items];
    let mut layer_of = vec![usize::MAX; n_items];
    let record = |layers: &Vec<Vec<usize>>, position: &mut Vec<f64>, layer_of: &mut Vec<usize>| {
        for (layer_number, layer) in layers.iter().enumerate() {
            let n = layer.len().max(1) as f64;
            for (rank, item_number) in layer.iter().enumerate() {
                position[*item_number] = (rank as f64 + 0.5) / n;
                layer_of[*item_number] = layer_number;
            }
        }
    };
    record(&layers, &mut position, &mut layer_of);
    for sweep in 0..8 {
        let layer_numbers: Vec<usize> = if sweep % 2 == 0 {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for layer_number in layer_numbers {
            let mut keyed: Vec<(f64, usize)> = layers[layer_number]
                .iter()
                .map(|item_number| {
                    let others: Vec<f64> = neighbours[*item_number]
                        .iter()
                        .filter(|other| {
                            layer_of[**other] != layer_number && layer_of[**other] != usize::MAX
                        })
                        .map(|other| position[*other])
                        .collect();
                    let key = if others.is_empty() {
                        position[*item_number]
                    } else {
                        others.iter().sum::<f64>() / others.len() as f64
                    };
                    (key, *item_number)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[layer_number] = keyed
                .into_iter()
                .map(|(_, item_number)| item_number)
                .collect();
            record(&layers, &mut position, &mut layer_of);
        }
    }
    layers
}

// ----- coordinates -----

fn box_size(item: &Item) -> (f64, f64) {
    let widest = item
        .lines
        .iter()
        .map(|line| text_width(line, BOX_FONT))
        .fold(0.0, f64::max);
    let width = (widest + 2.0 * BOX_PAD_X).max(60.0);
    let height = item.lines.len().max(1) as f64 * LINE_HEIGHT + 2.0 * BOX_PAD_Y;
    (width, height)
}

/// Places the boxes: the chain in columns (tall layers wrap into columns
/// of at most `MAX_ROWS`), the band above it in rows, each band item as
/// close as it fits above the mean x of what it acts on. Returns the boxes
/// (in item order) and the diagram size.
fn place(
    items: Vec<Item>,
    layers: &[Vec<usize>],
    band: &[usize],
    links: &[RawLink],
    column_gap: f64,
) -> (Vec<PlacedBox>, f64, f64) {
    let sizes: Vec<(f64, f64)> = items.iter().map(box_size).collect();
    let columns: Vec<&[usize]> = layers
        .iter()
        .flat_map(|layer| {
            let per_column = layer
                .len()
                .div_ceil(layer.len().div_ceil(MAX_ROWS).max(1))
                .max(1);
            layer.chunks(per_column)
        })
        .collect();
    let column_height = |column: &[usize]| -> f64 {
        column
            .iter()
            .map(|item_number| sizes[*item_number].1)
            .sum::<f64>()
            + ROW_GAP * column.len().saturating_sub(1) as f64
    };
    let tallest = columns
        .iter()
        .map(|column| column_height(column))
        .fold(0.0, f64::max);
    let mut rects = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        items.len()
    ];
    let mut x = MARGIN;
    for column in &columns {
        let column_width = column
            .iter()
            .map(|item_number| sizes[*item_number].0)
            .fold(0.0, f64::max);
        let mut y = (tallest - column_height(column)) / 2.0;
        for item_number in column.iter() {
            let (width, height) = sizes[*item_number];
            rects[*item_number] = Rect {
                x: x + (column_width - width) / 2.0,
                y,
                width,
                height,
            };
            y += height + ROW_GAP;
        }
        x += column_width + column_gap;
    }
    let chain_width = if columns.is_empty() {
        MARGIN
    } else {
        x - column_gap
    };
    let band_width: f64 = band
        .iter()
        .map(|item_number| sizes[*item_number].0 + ROW_GAP)
        .sum::<f64>()
        + 2.0 * MARGIN;
    let band_limit = chain_width.max(band_width.min(MAX_WIDTH));
    let band_height = place_band(&mut rects, &sizes, band, links, band_limit);
    let chain_top = MARGIN + band_height;
    for column in &columns {
        for item_number in column.iter() {
            rects[*item_number].y += chain_top;
        }
    }
    for item_number in band {
        rects[*item_number].y += MARGIN;
    }
    let right = rects
        .iter()
        .map(|rect| rect.x + rect.width)
        .fold(chain_width, f64::max);
    let width = right + MARGIN;
    let height = chain_top + tallest + MARGIN;
    let boxes = items
        .into_iter()
        .zip(rects)
        .map(|(item, rect)| PlacedBox { item, rect })
        .collect();
    (boxes, width, height)
}

/// Room between the band and the chain, for the curves and their labels.
const BAND_GAP: f64 = 90.0;

/// Places the band items in rows from y = 0 (the caller shifts them);
/// returns the height the band takes, gap included (0 without a band).
fn place_band(
    rects: &mut [Rect],
    sizes: &[(f64, f64)],
    band: &[usize],
    links: &[RawLink],
    limit: f64,
) -> f64 {
    if band.is_empty() {
        return 0.0;
    }
    let is_band: BTreeSet<usize> = band.iter().copied().collect();
    let wanted_x = |item_number: usize| -> f64 {
        let xs: Vec<f64> = links
            .iter()
            .filter_map(|link| {
                let other = if link.from == item_number {
                    link.to
                } else if link.to == item_number {
                    link.from
                } else {
                    return None;
                };
                (!is_band.contains(&other)).then(|| rects[other].x + rects[other].width / 2.0)
            })
            .collect();
        if xs.is_empty() {
            limit
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let mut keyed: Vec<(f64, usize)> = band
        .iter()
        .map(|item_number| (wanted_x(*item_number), *item_number))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let row_height = band
        .iter()
        .map(|item_number| sizes[*item_number].1)
        .fold(0.0, f64::max);
    // Rows hold what fits side by side; within a row each item goes as near
    // its wanted x as the one before allows, and the row shifts left (or
    // packs tight) when it runs past the limit.
    let mut rows: Vec<Vec<(f64, usize)>> = vec![Vec::new()];
    let mut row_width = MARGIN;
    for (wanted, item_number) in keyed {
        let width = sizes[item_number].0;
        let is_full = row_width + width + MARGIN > limit;
        if is_full && rows.last().is_some_and(|current| !current.is_empty()) {
            rows.push(Vec::new());
            row_width = MARGIN;
        }
        row_width += width + ROW_GAP;
        if let Some(current) = rows.last_mut() {
            current.push((wanted, item_number));
        }
    }
    for (row_number, row) in rows.iter().enumerate() {
        let mut xs: Vec<f64> = Vec::with_capacity(row.len());
        let mut cursor = MARGIN;
        for (wanted, item_number) in row {
            let width = sizes[*item_number].0;
            let x = (wanted - width / 2.0).max(cursor);
            xs.push(x);
            cursor = x + width + ROW_GAP;
        }
        let overflow = cursor - ROW_GAP - (limit - MARGIN);
        if overflow > 0.0 {
            let shift = overflow.min(xs.first().map_or(0.0, |first| first - MARGIN));
            xs.iter_mut().for_each(|x| *x -= shift);
            if overflow > shift {
                let mut cursor = MARGIN;
                for (x, (_, item_number)) in xs.iter_mut().zip(row) {
                    *x = cursor;
                    cursor += sizes[*item_number].0 + ROW_GAP;
                }
            }
        }
        for (x, (_, item_number)) in xs.into_iter().zip(row) {
            rects[*item_number] = Rect {
                x,
                y: row_number as f64 * (row_height + ROW_GAP),
                width: sizes[*item_number].0,
                height: sizes[*item_number].1,
            };
        }
    }
    let row = rows.len() - 1;
    (row + 1) as f64 * (row_height + ROW_GAP) - ROW_GAP + BAND_GAP
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

/// Where labels go: along each curve, the first of a few spots that
/// overlaps no box, no placed label and stays on the canvas.
fn place_labels(
    boxes: &[PlacedBox],
    links: &[Link],
    width: f64,
    height: f64,
) -> (Vec<LabelBox>, usize) {
    const SPOTS: [f64; 9] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88];
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut hidden = 0;
    for (link_number, link) in links.iter().enumerate() {
        let Some(text) = &link.label else { continue };
        let label_width = text_width(text, LABEL_FONT) + 6.0;
        let label_height = LABEL_FONT + 5.0;
        let free = SPOTS.iter().find_map(|t| {
            let (x, y) = point_at(&link.curve, *t);
            let rect = Rect {
                x: x - label_width / 2.0,
                y: y - label_height / 2.0,
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
