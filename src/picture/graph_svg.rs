//! The subgraph behind an answer as an SVG picture: a caption (the query,
//! the view, the drawing date), the layered diagram from `layout`, a legend
//! of the node and edge kinds shown, and a footnote saying what was left out
//! and which sources the picture rests on.
//!
//! Every box is a `<g class="node" data-id=…>` and every curve a
//! `<path class="edge" data-from=… data-to=…>`, each with a `<title>`
//! tooltip, so that the HTML report can make them interactive.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::layout::{self, BOX_FONT, LABEL_FONT, Layout, Rect};
use super::svg::{self, escape, text_width, wrap};
use super::{Caption, PictureConfig};
use crate::model::{EdgeKind, Graph, NodeIndex, NodeKind, Subgraph};

/// A drawn picture with the layout it came from (for checks) and where the
/// diagram sits on the canvas.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub svg: String,
    pub layout: Layout,
    pub width: f64,
    pub height: f64,
    /// The diagram's offset from the top of the canvas.
    pub diagram_top: f64,
    /// Every text line outside the diagram, with its box on the canvas.
    pub texts: Vec<(String, Rect)>,
}

const TITLE_FONT: f64 = 15.0;
const SMALL_FONT: f64 = 11.0;
const MIN_WIDTH: f64 = 720.0;
const PAD: f64 = 16.0;

/// Draws `subgraph` as an SVG picture.
pub fn draw(
    graph: &Graph,
    subgraph: &Subgraph,
    caption: &Caption<'_>,
    config: &PictureConfig,
) -> Drawing {
    let focus = focus_nodes(caption);
    let layout = layout::layout(graph, subgraph, &focus, config);
    let width = layout.width.max(MIN_WIDTH);
    let mut texts: Vec<(String, f64, f64, &str)> = Vec::new();
    let mut y = PAD;
    for line in wrap(&caption.title(), chars_fitting(width, TITLE_FONT), 3) {
        y += TITLE_FONT + 3.0;
        texts.push((
            line,
            y,
            TITLE_FONT,
            r##"font-size="15" font-weight="bold" fill="#1d3557""##,
        ));
    }
    y += SMALL_FONT + 5.0;
    texts.push((
        caption.subtitle(config),
        y,
        SMALL_FONT,
        r##"font-size="11" fill="#555555""##,
    ));
    let diagram_top = y + 6.0;
    let mut y = diagram_top + layout.height + 4.0;
    let legend_top = y;
    let (legend, legend_height) = legend_rows(&layout, width);
    y += legend_height;
    for line in footnote(graph, subgraph, &layout, width) {
        y += SMALL_FONT + 4.0;
        texts.push((line, y, SMALL_FONT, r##"font-size="11" fill="#444444""##));
    }
    let height = y + PAD;

    let mut out = String::new();
    svg::open(&mut out, width, height, &caption.title());
    write_defs(&mut out);
    for (line, baseline, _, attrs) in &texts {
        svg::text_lines(
            &mut out,
            std::slice::from_ref(line),
            PAD,
            *baseline,
            0.0,
            attrs,
        );
    }
    let _ = writeln!(
        out,
        r#"<g class="diagram" transform="translate(0 {diagram_top:.1})">"#
    );
    write_links(&mut out, graph, &layout);
    write_labels(&mut out, &layout);
    write_boxes(&mut out, graph, &layout);
    out.push_str("</g>\n");
    write_legend(&mut out, &legend, legend_top);
    out.push_str("</svg>\n");

    let texts = texts
        .into_iter()
        .map(|(line, baseline, size, _)| {
            let rect = Rect {
                x: PAD,
                y: baseline - size,
                width: text_width(&line, size),
                height: size + 3.0,
            };
            (line, rect)
        })
        .collect();
    Drawing {
        svg: out,
        layout,
        width,
        height,
        diagram_top,
        texts,
    }
}

/// Fill, stroke and corner radius of a node kind's box.
pub fn style(kind: NodeKind) -> (&'static str, &'static str, f64) {
    match kind {
        NodeKind::Country => ("#d8f3dc", "#2d6a4f", 2.0),
        NodeKind::Policy => ("#fde2e4", "#c1121f", 2.0),
        NodeKind::Event => ("#ede7f6", "#6a4c93", 10.0),
        NodeKind::Mineral => ("#ffe8cc", "#d9480f", 14.0),
        NodeKind::Product => ("#fff3bf", "#b08900", 4.0),
        NodeKind::Industry => ("#d0ebff", "#1864ab", 8.0),
    }
}

/// Colour and dash pattern of an edge kind's curve.
pub fn edge_style(kind: EdgeKind) -> (&'static str, &'static str) {
    match kind {
        EdgeKind::Restricts => ("#c1121f", ""),
        EdgeKind::Affects | EdgeKind::CausedBy | EdgeKind::RespondsTo => ("#6a4c93", "5 3"),
        EdgeKind::IssuedBy | EdgeKind::Targets | EdgeKind::MemberOf => ("#999999", "2 3"),
        EdgeKind::ImportsFrom | EdgeKind::ImportReliance => ("#2d6a4f", ""),
        EdgeKind::Produces | EdgeKind::Reserves | EdgeKind::Capacity => ("#52796f", ""),
        EdgeKind::UsedIn | EdgeKind::DependsOn | EdgeKind::Feeds => ("#1864ab", ""),
    }
}

/// Nodes the answer is about: its rows' nodes and its base.
fn focus_nodes(caption: &Caption<'_>) -> BTreeSet<NodeIndex> {
    let mut focus = BTreeSet::new();
    if let Some(result) = caption.result {
        focus.extend(result.base.nodes.iter().copied());
        focus.extend(result.rows.iter().filter_map(|row| row.node));
    }
    focus
}

fn chars_fitting(width: f64, size: f64) -> usize {
    (((width - 2.0 * PAD) / (size * 0.62)).floor() as usize).max(20)
}

fn write_defs(out: &mut String) {
    out.push_str("<defs>\n");
    for kind in EdgeKind::ALL {
        let (colour, _) = edge_style(kind);
        let _ = writeln!(
            out,
            r#"<marker id="arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#,
            kind.as_str()
        );
    }
    out.push_str("</defs>\n");
}

fn write_links(out: &mut String, graph: &Graph, layout: &Layout) {
    for link in &layout.links {
        let (colour, dash) = edge_style(link.kind);
        let [p0, p1, p2, p3] = link.curve;
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let from = &layout.boxes[link.from].item.key;
        let to = &layout.boxes[link.to].item.key;
        let _ = writeln!(
            out,
            r#"<path class="edge" data-from="{}" data-to="{}" data-kind="{}" d="M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="none" stroke="{colour}" stroke-width="1.4" stroke-opacity="0.8"{dash} marker-end="url(#arrow-{})"><title>{}</title></path>"#,
            escape(from),
            escape(to),
            link.kind.as_str(),
            p0.0,
            p0.1,
            p1.0,
            p1.1,
            p2.0,
            p2.1,
            p3.0,
            p3.1,
            link.kind.as_str(),
            escape(&link_tooltip(graph, layout, link)),
        );
    }
}

fn link_tooltip(graph: &Graph, layout: &Layout, link: &layout::Link) -> String {
    let from = &layout.boxes[link.from].item;
    let to = &layout.boxes[link.to].item;
    let mut text = format!(
        "{} {} {}",
        from.lines.join(" "),
        link.kind.as_str(),
        to.lines.join(" ")
    );
    for edge_idx in link.edges.iter().take(12) {
        let props: Vec<String> = graph
            .edge_props(*edge_idx)
            .map(|(key, value)| format!("{key} {value}"))
            .collect();
        let sources: Vec<&str> = graph
            .edge_sources(*edge_idx)
            .iter()
            .map(|source_idx| graph.source(*source_idx).id.as_str())
            .collect();
        let _ = write!(text, "\n· {} [{}]", props.join(", "), sources.join("; "));
    }
    if link.edges.len() > 12 {
        let _ = write!(text, "\n· and {} more", link.edges.len() - 12);
    }
    text
}

fn write_labels(out: &mut String, layout: &Layout) {
    for label in &layout.labels {
        let rect = label.rect;
        let link = &layout.links[label.link];
        let _ = writeln!(
            out,
            r##"<g class="edge-label" data-from="{}" data-to="{}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="#ffffff" fill-opacity="0.9"/><text x="{:.1}" y="{:.1}" font-size="{LABEL_FONT}" text-anchor="middle" fill="#333333">{}</text></g>"##,
            escape(&layout.boxes[link.from].item.key),
            escape(&layout.boxes[link.to].item.key),
            rect.x,
            rect.y,
            rect.width,
            rect.height,
            rect.x + rect.width / 2.0,
            rect.y + rect.height - 4.0,
            escape(&label.text)
        );
    }
}

fn write_boxes(out: &mut String, graph: &Graph, layout: &Layout) {
    for placed in &layout.boxes {
        let item = &placed.item;
        let rect = placed.rect;
        let (fill, stroke, radius) = style(item.kind);
        let dash = if item.is_group() {
            r#" stroke-dasharray="4 2""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<g class="node" data-id="{}" data-kind="{}"><title>{}</title>"#,
            escape(&item.key),
            item.kind.as_str(),
            escape(&node_tooltip(graph, item))
        );
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#,
            rect.x, rect.y, rect.width, rect.height
        );
        let first_baseline = rect.y + 6.0 + BOX_FONT;
        let attrs = format!(r##"font-size="{BOX_FONT}" text-anchor="middle" fill="#1b1b1b""##);
        svg::text_lines(
            out,
            &item.lines,
            rect.x + rect.width / 2.0,
            first_baseline,
            14.0,
            &attrs,
        );
        out.push_str("</g>\n");
    }
}

fn node_tooltip(graph: &Graph, item: &layout::Item) -> String {
    let mut text = String::new();
    for node_idx in item.members.iter().take(12) {
        let node = graph.node(*node_idx);
        let sources: Vec<&str> = graph
            .node_sources(*node_idx)
            .iter()
            .map(|source_idx| graph.source(*source_idx).id.as_str())
            .collect();
        if !text.is_empty() {
            text.push('\n');
        }
        let _ = write!(text, "{} ({}, {})", node.name, node.kind.as_str(), node.id);
        if item.members.len() == 1 {
            for (key, value) in graph.node_props(*node_idx) {
                let _ = write!(text, "\n{key}: {value}");
            }
        }
        let _ = write!(text, "\nsources: {}", sources.join("; "));
    }
    if item.members.len() > 12 {
        let _ = write!(text, "\nand {} more", item.members.len() - 12);
    }
    text
}

/// One legend entry: a node kind's swatch or an edge kind's line.
enum LegendEntry {
    Node(NodeKind),
    Edge(EdgeKind),
}

/// The legend entries with their place relative to the legend's top, in
/// rows that fit `width`; and the legend's height.
fn legend_rows(layout: &Layout, width: f64) -> (Vec<(LegendEntry, f64, f64)>, f64) {
    let node_kinds: BTreeSet<NodeKind> =
        layout.boxes.iter().map(|placed| placed.item.kind).collect();
    let edge_kinds: BTreeSet<EdgeKind> = layout.links.iter().map(|link| link.kind).collect();
    let mut placed = Vec::new();
    let mut y = 8.0;
    for group in [
        node_kinds
            .into_iter()
            .map(LegendEntry::Node)
            .collect::<Vec<_>>(),
        edge_kinds
            .into_iter()
            .map(LegendEntry::Edge)
            .collect::<Vec<_>>(),
    ] {
        if group.is_empty() {
            continue;
        }
        let mut x = PAD;
        for entry in group {
            let name = match &entry {
                LegendEntry::Node(kind) => kind.as_str().to_string(),
                LegendEntry::Edge(kind) => kind.as_str().replace('_', " "),
            };
            let entry_width = 30.0 + text_width(&name, SMALL_FONT) + 18.0;
            if x + entry_width > width - PAD && x > PAD {
                x = PAD;
                y += 20.0;
            }
            placed.push((entry, x, y));
            x += entry_width;
        }
        y += 20.0;
    }
    (placed, y)
}

fn write_legend(out: &mut String, entries: &[(LegendEntry, f64, f64)], top: f64) {
    out.push_str("<g class=\"legend\">\n");
    for (entry, x, y) in entries {
        let (x, y) = (*x, top + *y);
        match entry {
            LegendEntry::Node(kind) => {
                let (fill, stroke, radius) = style(*kind);
                let _ = writeln!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="22" height="12" rx="{}" fill="{fill}" stroke="{stroke}"/><text x="{:.1}" y="{:.1}" font-size="{SMALL_FONT}">{}</text>"#,
                    radius.min(6.0),
                    x + 28.0,
                    y + 10.0,
                    kind.as_str()
                );
            }
            LegendEntry::Edge(kind) => {
                let (colour, dash) = edge_style(*kind);
                let _ = writeln!(
                    out,
                    r#"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}" marker-end="url(#arrow-{})"/><text x="{:.1}" y="{:.1}" font-size="{SMALL_FONT}">{}</text>"#,
                    y + 6.0,
                    x + 24.0,
                    y + 6.0,
                    kind.as_str(),
                    x + 30.0,
                    y + 10.0,
                    kind.as_str().replace('_', " ")
                );
            }
        }
    }
    out.push_str("</g>\n");
}

/// What the picture leaves out and rests on, as wrapped lines.
fn footnote(graph: &Graph, subgraph: &Subgraph, layout: &Layout, width: f64) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let drawn_nodes: usize = layout
        .boxes
        .iter()
        .map(|placed| placed.item.members.len())
        .sum();
    let drawn_edges: usize = layout.links.iter().map(|link| link.edges.len()).sum();
    parts.push(format!(
        "{} of {} nodes and {} of {} edges drawn.",
        drawn_nodes,
        subgraph.nodes.len(),
        drawn_edges,
        subgraph.edges.len()
    ));
    if layout.grouped_events > 0 {
        parts.push(format!(
            "{} events grouped by type (dashed boxes).",
            layout.grouped_events
        ));
    }
    if !layout.omitted.is_empty() {
        let omitted: Vec<String> = layout
            .omitted
            .iter()
            .map(|(kind, count)| {
                let noun = if *count == 1 {
                    kind.as_str()
                } else {
                    kind.plural()
                };
                format!("{count} {noun}")
            })
            .collect();
        parts.push(format!("+ {} not drawn.", omitted.join(", ")));
    }
    if layout.hidden_labels > 0 {
        parts.push(format!(
            "{} edge figures had no free spot: hover the edge.",
            layout.hidden_labels
        ));
    }
    let sources: Vec<String> = subgraph
        .cited_sources(graph)
        .into_iter()
        .map(|source_idx| graph.source(source_idx).id.clone())
        .collect();
    let mut lines = wrap(&parts.join(" "), chars_fitting(width, SMALL_FONT), 3);
    let shown = 40;
    let mut source_text = format!("Sources ({}): ", sources.len());
    source_text.push_str(
        &sources
            .iter()
            .take(shown)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    );
    if sources.len() > shown {
        let _ = write!(
            source_text,
            " and {} more (see the HTML report)",
            sources.len() - shown
        );
    }
    lines.extend(wrap(&source_text, chars_fitting(width, SMALL_FONT), 6));
    lines
}
