//! The HTML report: one self-contained file (no network, no CDN) holding
//! the caption, the chain picture, the chart where the answer has series,
//! the result table, the notes and every source cited. Hovering a box or a
//! curve shows its properties and sources in a side panel; clicking a box
//! highlights its chain (everything upstream and downstream of it); so does
//! opening the file with `#node=ID`, which makes a highlighted view linkable.
//!
//! Invariant: the file loads nothing: no `src=` or `href=` to another file;
//! source URLs are plain links that only a click follows, and a
//! Content-Security-Policy (`default-src 'none'`) makes the browser refuse
//! any load should one slip in.

use std::fmt::Write;

use super::svg::escape;
use super::{Caption, PictureConfig, chart, graph_svg};
use crate::eval::QueryResult;
use crate::model::{Graph, Subgraph};

/// The report for an answer (or, without a result, for a bare subgraph).
pub fn report(
    graph: &Graph,
    subgraph: &Subgraph,
    caption: &Caption<'_>,
    config: &PictureConfig,
) -> String {
    let mut out = String::new();
    let title = caption.title();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{}</p></header>",
        escape(&title),
        escape(&caption.subtitle(config))
    );
    out.push_str("<main>\n");
    if let Some(data) = caption
        .result
        .and_then(|result| chart::chart_data(graph, result))
    {
        out.push_str("<section class=\"chart\"><h2>Series</h2>\n");
        out.push_str(&strip_xml_prolog(&chart::draw(
            graph, &data, caption, config,
        )));
        out.push_str("</section>\n");
    }
    if !subgraph.is_empty() {
        out.push_str("<section class=\"picture\"><h2>Supply chain</h2><p class=\"hint\">Hover a box or a line for its properties and sources; click a box to highlight its chain, click the background to clear.</p>\n<div class=\"wrap\"><div class=\"canvas\">\n");
        let drawing = graph_svg::draw(graph, subgraph, caption, config);
        out.push_str(&drawing.svg);
        out.push_str("</div><aside id=\"info\"><p class=\"hint\">Nothing selected.</p></aside></div></section>\n");
    }
    if let Some(result) = caption.result {
        write_table(&mut out, graph, result);
    }
    write_sources(&mut out, graph, subgraph);
    out.push_str("</main>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn strip_xml_prolog(svg: &str) -> String {
    svg.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .to_string()
}

fn write_table(out: &mut String, graph: &Graph, result: &QueryResult) {
    let _ = writeln!(
        out,
        "<section class=\"table\"><h2>Result ({} rows)</h2>",
        result.rows.len()
    );
    out.push_str("<table>\n<thead><tr>");
    for column in &result.columns {
        let _ = write!(out, "<th>{}</th>", escape(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &result.rows {
        out.push_str("<tr>");
        for cell in &row.cells {
            let numeric = cell.as_f64().is_some();
            let class = if numeric { " class=\"num\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(&cell.display(graph)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if !result.notes.is_empty() {
        out.push_str("<pre class=\"notes\">");
        out.push_str(&escape(&result.notes.join("\n")));
        out.push_str("</pre>\n");
    }
    out.push_str("</section>\n");
}

fn write_sources(out: &mut String, graph: &Graph, subgraph: &Subgraph) {
    let sources = subgraph.cited_sources(graph);
    let _ = writeln!(
        out,
        "<section class=\"sources\"><h2>Sources ({})</h2>\n<ol>",
        sources.len()
    );
    for source_idx in sources {
        let source = graph.source(source_idx);
        let _ = write!(
            out,
            "<li id=\"source-{}\"><code>{}</code> {}",
            escape(&source.id),
            escape(&source.id),
            escape(&source.title)
        );
        let details: Vec<String> = [
            source.publisher.clone(),
            source.published.map(|date| date.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !details.is_empty() {
            let _ = write!(out, " ({})", escape(&details.join(", ")));
        }
        if let Some(url) = &source.url {
            let _ = write!(
                out,
                " <a href=\"{}\" rel=\"noreferrer\">{}</a>",
                escape(url),
                escape(url)
            );
        }
        if let Some(note) = &source.note {
            let _ = write!(out, " <span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol></section>\n");
}

/// The page may load nothing: only its own inline style and script run.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE: &str = r#"body { font-family: Helvetica, Arial, 'DejaVu Sans', sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header { padding: 16px 24px 4px; }
h1 { font-size: 20px; margin: 0; color: #1d3557; }
h2 { font-size: 16px; margin: 18px 0 6px; }
.sub, .hint { color: #555; font-size: 13px; margin: 4px 0; }
main { padding: 0 24px 32px; }
.wrap { display: flex; gap: 16px; align-items: flex-start; }
.canvas { overflow: auto; max-width: 100%; border: 1px solid #ddd; background: #fff; flex: 1 1 auto; }
#info { flex: 0 0 300px; font-size: 12px; white-space: pre-wrap; background: #fff; border: 1px solid #ddd; padding: 8px; max-height: 80vh; overflow: auto; position: sticky; top: 8px; }
.chart svg { border: 1px solid #ddd; max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12px; background: #fff; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre.notes { font-size: 12px; white-space: pre-wrap; }
.sources li { font-size: 12px; margin: 2px 0; }
.sources .note { color: #555; }
g.node { cursor: pointer; }
svg .dim { opacity: 0.15; }
g.node.hot rect { stroke-width: 3; }
"#;

const SCRIPT: &str = r#"(function () {
  'use strict';
  var svg = document.querySelector('.picture svg');
  var info = document.getElementById('info');
  if (!svg || !info) { return; }
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('g.node'));
  var edges = Array.prototype.slice.call(svg.querySelectorAll('path.edge'));
  var lines = edges.concat(Array.prototype.slice.call(svg.querySelectorAll('g.edge-label')));
  function show(element) {
    var title = element.querySelector('title');
    info.textContent = title ? title.textContent : '';
  }
  nodes.forEach(function (node) {
    node.addEventListener('mouseenter', function () { show(node); });
    node.addEventListener('click', function (event) { event.stopPropagation(); highlight(node.getAttribute('data-id')); show(node); });
  });
  edges.forEach(function (edge) {
    edge.addEventListener('mouseenter', function () { show(edge); });
  });
  function reach(start, forward) {
    var seen = {}; seen[start] = true;
    var queue = [start];
    while (queue.length) {
      var id = queue.shift();
      edges.forEach(function (edge) {
        var from = edge.getAttribute('data-from'), to = edge.getAttribute('data-to');
        var next = forward ? (from === id ? to : null) : (to === id ? from : null);
        if (next !== null && !seen[next]) { seen[next] = true; queue.push(next); }
      });
    }
    return seen;
  }
  function highlight(id) {
    var down = reach(id, true), up = reach(id, false);
    var on = function (other) { return down[other] || up[other]; };
    nodes.forEach(function (node) {
      var key = node.getAttribute('data-id');
      node.classList.toggle('dim', !on(key));
      node.classList.toggle('hot', key === id);
    });
    lines.forEach(function (line) {
      var from = line.getAttribute('data-from'), to = line.getAttribute('data-to');
      var kept = (down[from] && down[to]) || (up[from] && up[to]);
      line.classList.toggle('dim', !kept);
    });
  }
  var wanted = /^#node=(.+)$/.exec(window.location.hash);
  if (wanted) {
    var id = decodeURIComponent(wanted[1]);
    nodes.forEach(function (node) { if (node.getAttribute('data-id') === id) { highlight(id); show(node); } });
  }
  svg.addEventListener('click', function () {
    nodes.forEach(function (node) { node.classList.remove('dim'); node.classList.remove('hot'); });
    lines.forEach(function (line) { line.classList.remove('dim'); });
    info.textContent = 'Nothing selected.';
  });
})();
"#;
