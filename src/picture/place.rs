//! Where boxes go: layers (countries → materials by depth → industries,
//! policies and events in a band above), barycentre ordering within each
//! layer, and coordinates (tall layers wrap into columns; band items sit
//! above what they act on).

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{
    BOX_FONT, BOX_PAD_X, BOX_PAD_Y, Item, LINE_HEIGHT, MARGIN, MAX_ROWS, MAX_WIDTH, PlacedBox,
    ROW_GAP, Rect,
};
use super::select::RawLink;
use super::svg::text_width;
use crate::model::{EdgeKind, NodeKind};

/// Item numbers by layer, left to right, for the chain (countries,
/// materials by depth, industries); policies and events go to the band
/// above it and are returned apart.
pub(super) fn layers(items: &[Item], links: &[RawLink]) -> (Vec<Vec<usize>>, Vec<usize>) {
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
pub(super) fn in_band(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Policy | NodeKind::Event)
}

fn is_material(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Mineral | NodeKind::Product)
}

/// Orders each layer by the mean position of its neighbours in the other
/// layers, sweeping left to right and back (the barycentre heuristic).
pub(super) fn order(
    mut layers: Vec<Vec<usize>>,
    links: &[RawLink],
    n_items: usize,
) -> Vec<Vec<usize>> {
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
pub(super) fn place(
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
