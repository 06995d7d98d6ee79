//! Which boxes a picture draws: one per node, events grouped by type when
//! there are many, the links between boxes (parallel edges of one kind
//! merged), and the cap on boxes (focus nodes and hubs kept first).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::PictureConfig;
use super::layout::Item;
use crate::model::{EdgeIndex, EdgeKind, Graph, NodeIndex, NodeKind, Subgraph};

pub(super) fn items(
    graph: &Graph,
    subgraph: &Subgraph,
    config: &PictureConfig,
) -> (Vec<Item>, usize) {
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
pub(super) struct RawLink {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub edges: Vec<EdgeIndex>,
}

pub(super) fn links(graph: &Graph, subgraph: &Subgraph, items: &[Item]) -> Vec<RawLink> {
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
pub(super) fn cap(
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
