//! Pictures (`src/picture/`): SVG goldens for small subgraphs and a chart,
//! each parsed as XML and rendered with resvg to a non-blank PNG of the
//! size it declares; layout checks (no overlapping boxes or labels, nothing
//! off the canvas, at most 1600 px wide) for every conformance query on the
//! bundled graph; the README pictures regenerated; and the HTML report in
//! headless Chromium (no console errors, every node element present, a
//! non-blank screenshot, no network request).
//!
//! `UPDATE_EXPECT=1 cargo test --test pictures` rewrites the goldens and
//! the README pictures.

use std::path::{Path, PathBuf};
use std::process::Command;

use critmin::eval::{Answer, Cell, QueryResult};
use critmin::export::{self, ExportFormat};
use critmin::load::load_paths;
use critmin::model::{Graph, PartialDate, Subgraph};
use critmin::picture::layout::Rect;
use critmin::picture::{Caption, PictureConfig, chart, graph_svg};
use critmin::syntax::{Query, Stage, Statement, parse_script};

mod query_run;
use query_run::{answer_query, bundled, case_files, root};

fn fixture() -> Graph {
    load_paths(&[root().join("tests/fixtures/graph")])
        .unwrap()
        .graph
}

/// The first query of `text`, without its export stages.
fn query(text: &str) -> Query {
    let statements = parse_script(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
    let mut query = statements
        .into_iter()
        .find_map(|statement| match statement {
            Statement::Query(query) => Some(query),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{text}: no query"));
    query
        .stages
        .retain(|stage| !matches!(stage, Stage::Export { .. }));
    query
}

/// The picture `| export "x.svg"` writes for `text`, drawn on no date.
fn svg_for(graph: &Graph, text: &str) -> String {
    let query = query(text);
    let result = answer_query(graph, &query);
    let asked = query.to_string();
    let answer = Answer {
        result: &result,
        query: &asked,
        as_of: None,
    };
    let files = export::render_answer(
        graph,
        &result.subgraph(),
        &answer,
        &PictureConfig::default(),
        ExportFormat::Svg,
        Path::new("x.svg"),
    );
    files.into_iter().next().unwrap().1
}

/// Compares `text` with the golden file, or rewrites it under UPDATE_EXPECT.
fn check_golden(path: &Path, text: &str) -> Option<String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    (expected != text).then(|| path.display().to_string())
}

/// Parses `svg` as XML, renders it with resvg and checks the PNG: the size
/// the SVG declares, and ink on it (not one flat colour).
fn assert_renders(name: &str, svg: &str) {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|err| panic!("{name}: {err}"));
    let root_element = document.root_element();
    let declared = |attribute: &str| -> u32 {
        root_element
            .attribute(attribute)
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no {attribute}"))
    };
    let (width, height) = (declared("width"), declared("height"));
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).unwrap_or_else(|err| panic!("{name}: {err}"));
    let size = tree.size().to_int_size();
    assert_eq!((size.width(), size.height()), (width, height), "{name}");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().unwrap();
    let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (width, height),
        "{name}"
    );
    assert_not_blank(name, decoded.data());
}

/// At least 2% of the pixels differ from the first one, in several colours.
fn assert_not_blank(name: &str, rgba: &[u8]) {
    let pixels: Vec<&[u8]> = rgba.chunks(4).collect();
    let first = pixels[0];
    let inked = pixels.iter().filter(|pixel| **pixel != first).count();
    let colours: std::collections::BTreeSet<&[u8]> = pixels.iter().copied().collect();
    assert!(
        inked * 50 > pixels.len() && colours.len() > 8,
        "{name}: the picture is blank ({inked} of {} pixels inked, {} colours)",
        pixels.len(),
        colours.len()
    );
}

// ----- goldens -----

const FIXTURE_CASES: [(&str, &str); 4] = [
    ("neighbors_germanium", "neighbors germanium"),
    ("exposure_us_china", "exposure US to China"),
    ("depends_semiconductors", "depends semiconductors"),
    ("concentration_gallium", "concentration gallium"),
];

#[test]
fn small_subgraphs_match_their_golden_svgs_and_render() {
    let graph = fixture();
    let mut differ = Vec::new();
    for (name, text) in FIXTURE_CASES {
        let svg = svg_for(&graph, text);
        assert!(svg.contains("class=\"node\""), "{name}: no node drawn");
        assert_renders(name, &svg);
        differ.extend(check_golden(
            &root().join(format!("tests/pictures/{name}.svg")),
            &svg,
        ));
    }
    assert!(
        differ.is_empty(),
        "differ (UPDATE_EXPECT=1 rewrites): {differ:?}"
    );
}

/// China's monthly germanium exports in kg as the bundled graph records them
/// (events `tr-cn-ge-*`, `ev-2023-0*-ga-ge-*`; sources in graph/events.json),
/// with the fixture's two policies as markers.
fn germanium_series(graph: &Graph) -> QueryResult {
    const MONTHS: [(&str, f64); 10] = [
        ("2023-07", 8630.0),
        ("2023-08", 0.0),
        ("2023-11", 721.0),
        ("2024-03", 3206.0),
        ("2024-05", 1820.0),
        ("2024-12", 3401.0),
        ("2025-03", 1497.0),
        ("2025-04", 98.0),
        ("2025-06", 96.0),
        ("2025-07", 763.0),
    ];
    let mut result = QueryResult::new(&["date", "kind", "metric", "value", "unit", "period"]);
    let date = |text: &str| PartialDate::parse(text).unwrap();
    for (month, kg) in MONTHS {
        let cells = vec![
            Cell::Date(date(month)),
            Cell::Text("event".into()),
            Cell::Text("china_exports".into()),
            Cell::Num(kg),
            Cell::Text("kg".into()),
            Cell::Text(month.into()),
        ];
        result.push(None, cells, Subgraph::new());
    }
    for (day, state, policy) in [
        ("2023-08-01", "policy effective", "cn-2023-23"),
        ("2024-12-03", "policy effective", "cn-2024-46"),
        ("2025-11-09", "policy suspended", "cn-2024-46"),
    ] {
        let node = graph.node_by_id(policy).unwrap();
        let mut evidence = Subgraph::new();
        evidence.add_node(node);
        let cells = vec![
            Cell::Date(date(day)),
            Cell::Text(state.into()),
            Cell::Text("ban".into()),
            Cell::Num(1.0),
            Cell::Text("severity".into()),
            Cell::Text(String::new()),
        ];
        result.push(Some(node), cells, evidence);
    }
    result
}

#[test]
fn a_chart_matches_its_golden_svg_and_renders() {
    let graph = fixture();
    let result = germanium_series(&graph);
    let data = chart::chart_data(&graph, &result).expect("the series is charted");
    assert_eq!(data.series.len(), 1);
    assert!(data.series[0].monthly);
    let labels: Vec<&str> = data
        .markers
        .iter()
        .map(|marker| marker.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "No.23 in force 2023-08-01",
            "No.46 in force 2024-12-03",
            "No.46 suspended 2025-11-09"
        ]
    );
    let caption = Caption {
        query: "timeline germanium from 2023 to 2025-12",
        as_of: None,
        result: Some(&result),
    };
    let svg = chart::draw(&graph, &data, &caption, &PictureConfig::default());
    let mofcom = graph
        .source(graph.source_by_id("mofcom").unwrap())
        .title
        .clone();
    for expected in [
        "china exports, kg (monthly)",
        ">kg</text>",
        ">2024</text>",
        &mofcom,
    ] {
        assert!(svg.contains(expected), "the chart lacks {expected:?}");
    }
    assert_renders("germanium chart", &svg);
    let golden = root().join("tests/pictures/germanium_exports_chart.svg");
    assert_eq!(
        check_golden(&golden, &svg),
        None,
        "UPDATE_EXPECT=1 rewrites it"
    );
}

// ----- layout on the bundled graph -----

fn assert_layout_is_clean(name: &str, drawing: &graph_svg::Drawing) {
    let layout = &drawing.layout;
    let offset = |rect: &Rect| Rect {
        y: rect.y + drawing.diagram_top,
        ..*rect
    };
    let boxes: Vec<Rect> = layout
        .boxes
        .iter()
        .map(|placed| offset(&placed.rect))
        .collect();
    let labels: Vec<Rect> = layout
        .labels
        .iter()
        .map(|label| offset(&label.rect))
        .collect();
    for (number, rect) in boxes.iter().enumerate() {
        assert!(
            rect.inside(drawing.width, drawing.height),
            "{name}: box {number} leaves the canvas"
        );
        for other in &boxes[number + 1..] {
            assert!(
                !rect.overlaps(other),
                "{name}: boxes overlap: {rect:?} {other:?}"
            );
        }
    }
    for (number, rect) in labels.iter().enumerate() {
        let text = &layout.labels[number].text;
        assert!(
            rect.inside(drawing.width, drawing.height),
            "{name}: label {text:?} leaves the canvas"
        );
        assert!(
            !boxes.iter().any(|placed| placed.overlaps(rect)),
            "{name}: label {text:?} covers a box"
        );
        for other in &labels[number + 1..] {
            assert!(!rect.overlaps(other), "{name}: labels overlap: {text:?}");
        }
    }
    for (line, rect) in &drawing.texts {
        assert!(
            rect.inside(drawing.width, drawing.height),
            "{name}: {line:?} leaves the canvas"
        );
    }
    assert!(drawing.width <= 1600.0, "{name}: {} px wide", drawing.width);
    assert!(
        layout.boxes.len() <= PictureConfig::default().max_nodes,
        "{name}: too many boxes"
    );
}

#[test]
fn conformance_queries_draw_without_overlaps_inside_the_canvas() {
    let graph = bundled();
    let cases = case_files("tests/conformance");
    assert!(cases.len() >= 20, "conformance queries are missing");
    let mut drawn = 0;
    for case in cases {
        let text = std::fs::read_to_string(&case).unwrap();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let query = query(&text);
        let result = answer_query(&graph, &query);
        let subgraph = result.subgraph();
        if subgraph.is_empty() {
            continue;
        }
        let asked = query.to_string();
        let caption = Caption {
            query: &asked,
            as_of: None,
            result: Some(&result),
        };
        let drawing = graph_svg::draw(&graph, &subgraph, &caption, &PictureConfig::default());
        assert_layout_is_clean(&name, &drawing);
        roxmltree::Document::parse(&drawing.svg).unwrap_or_else(|err| panic!("{name}: {err}"));
        drawn += 1;
    }
    assert!(drawn >= 18, "only {drawn} conformance answers drawn");
}

#[test]
fn the_germanium_neighbourhood_is_capped_and_summarised() {
    let graph = bundled();
    let query = query("neighbors germanium depth 2");
    let result = answer_query(&graph, &query);
    let subgraph = result.subgraph();
    let caption = Caption {
        query: "neighbors germanium depth 2",
        as_of: None,
        result: Some(&result),
    };
    let drawing = graph_svg::draw(&graph, &subgraph, &caption, &PictureConfig::default());
    assert_layout_is_clean("neighbors germanium depth 2", &drawing);
    assert!(subgraph.nodes.len() > 60);
    assert!(drawing.layout.grouped_events > 0, "events are grouped");
    assert!(drawing.svg.contains("events grouped by type"));
    assert!(drawing.svg.contains("not drawn."), "the cap is summarised");
}

// ----- README pictures -----

#[test]
fn readme_pictures_are_current() {
    let graph = bundled();
    let mut differ = Vec::new();
    for (file, text) in [
        (
            "docs/pictures/semiconductors-exposure.svg",
            "exposure US semiconductors to China",
        ),
        (
            "docs/pictures/germanium-timeline.svg",
            "timeline germanium from 2023 to 2025-12",
        ),
    ] {
        let svg = svg_for(&graph, text);
        assert_renders(file, &svg);
        differ.extend(check_golden(&root().join(file), &svg));
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("docs/pictures/semiconductors-exposure.svg"));
    assert!(readme.contains("docs/pictures/germanium-timeline.svg"));
    assert!(
        differ.is_empty(),
        "stale (UPDATE_EXPECT=1 cargo test --test pictures redraws them): {differ:?}"
    );
}

// ----- the terminal and the command line -----

fn critmin(folder: &Path, args: &[&str]) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .current_dir(folder)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

#[test]
fn the_chart_stage_sketches_each_series_with_its_policy_dates() {
    let folder = tempfile::tempdir().unwrap();
    let (stdout, _) = critmin(
        folder.path(),
        &["-e", "timeline germanium from 2023 to 2025-12 | chart"],
    );
    let chart_start = stdout
        .find("\nchina exports, kg (monthly)\n")
        .expect("a chart of the monthly exports");
    let chart = &stdout[chart_start..];
    assert!(chart.contains("1 No.23 in force 2023-08-01"), "{chart}");
    assert!(chart.contains(" ┤█"), "{chart}");
    assert!(
        stdout.contains("china exports, kg (monthly) 2023-07..2025-07 "),
        "the sparkline"
    );
}

#[test]
fn export_as_svg_and_as_html_name_the_format() {
    let folder = tempfile::tempdir().unwrap();
    critmin(
        folder.path(),
        &[
            "export",
            "exposure US semiconductors to China",
            "-o",
            "semis.picture",
            "--as",
            "svg",
        ],
    );
    let svg = std::fs::read_to_string(folder.path().join("semis.picture")).unwrap();
    assert!(svg.starts_with("<svg ") && svg.contains("exposure US semiconductors to China"));
    critmin(
        folder.path(),
        &[
            "-e",
            "timeline germanium from 2023 to 2025-12 | export \"ge.report\" as html",
        ],
    );
    let html = std::fs::read_to_string(folder.path().join("ge.report")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<section class=\"chart\">"));
}

// ----- the HTML report in a browser -----

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            let found = Command::new("which").arg(name).output().ok()?;
            let path = String::from_utf8(found.stdout).ok()?;
            let path = path.trim();
            (!path.is_empty()).then(|| PathBuf::from(path))
        })
}

/// Runs headless Chromium on `page` with `extra` flags; returns stdout,
/// stderr and the network log.
fn run_chromium(
    browser: &Path,
    folder: &Path,
    page: &Path,
    extra: &[String],
) -> (String, String, String) {
    let profile = tempfile::tempdir().unwrap();
    let net_log = folder.join("net.json");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let net = std::fs::read_to_string(&net_log).unwrap_or_default();
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
        net,
    )
}

/// URLs the page itself asked for, from a Chromium net log: requests whose
/// initiator is an origin (Chromium's own background requests have none).
fn page_requests(net_log: &str) -> Vec<String> {
    let text = net_log.trim_end().trim_end_matches(',');
    let parsed: serde_json::Value = serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&format!("{text}]}}")))
        .unwrap_or_else(|err| panic!("unreadable net log: {err}"));
    let events = parsed["events"].as_array().cloned().unwrap_or_default();
    events
        .iter()
        .filter_map(|event| {
            let params = event.get("params")?;
            let url = params.get("url")?.as_str()?;
            let initiator = params.get("initiator")?.as_str()?;
            (initiator != "not an origin").then(|| url.to_string())
        })
        .collect()
}

fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.contains("CONSOLE") || line.contains("Uncaught"))
        .collect()
}

#[test]
#[ignore = "needs headless chromium; .ci/run runs it with --ignored"]
fn the_html_report_works_offline_in_headless_chromium() {
    let browser = chromium().expect("chromium is not installed (apt-get install chromium)");
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("semis.html");
    let status = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .current_dir(folder.path())
        .args([
            "-e",
            "exposure US semiconductors to China | export \"semis.html\"",
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    for loader in ["<link", " src=", "@import", "url(http", "<iframe"] {
        assert!(
            !html.contains(loader),
            "the report loads something: {loader}"
        );
    }

    let graph = bundled();
    let query = query("exposure US semiconductors to China");
    let result = answer_query(&graph, &query);
    let caption = Caption {
        query: "",
        as_of: None,
        result: Some(&result),
    };
    let expected_nodes = graph_svg::draw(
        &graph,
        &result.subgraph(),
        &caption,
        &PictureConfig::default(),
    )
    .layout
    .boxes
    .len();

    let (dom, stderr, net) =
        run_chromium(&browser, folder.path(), &page, &["--dump-dom".to_string()]);
    assert!(
        console_errors(&stderr).is_empty(),
        "console: {:?}",
        console_errors(&stderr)
    );
    assert_eq!(
        dom.matches("<g class=\"node\"").count(),
        expected_nodes,
        "node elements"
    );
    assert!(
        dom.contains("<table>") && dom.contains("Sources ("),
        "table and sources"
    );
    assert_eq!(
        page_requests(&net),
        Vec::<String>::new(),
        "the report made network requests"
    );

    let mut selected = page.clone().into_os_string();
    selected.push("#node=germanium");
    let (dom, stderr, _) = run_chromium(
        &browser,
        folder.path(),
        Path::new(&selected),
        &["--dump-dom".to_string()],
    );
    assert!(
        console_errors(&stderr).is_empty(),
        "console: {:?}",
        console_errors(&stderr)
    );
    assert!(
        dom.contains("<g class=\"node hot\" data-id=\"germanium\""),
        "germanium is not highlighted"
    );
    assert!(
        dom.contains("<g class=\"node dim\" data-id=\"tungsten\""),
        "tungsten is not dimmed"
    );
    assert!(
        !dom.contains("<g class=\"node dim\" data-id=\"semiconductors\""),
        "the chain is dimmed"
    );

    let shot = folder.path().join("shot.png");
    run_chromium(
        &browser,
        folder.path(),
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,900".to_string(),
            "--hide-scrollbars".to_string(),
        ],
    );
    let pixmap = resvg::tiny_skia::Pixmap::load_png(&shot).expect("a screenshot");
    assert_eq!((pixmap.width(), pixmap.height()), (1280, 900));
    assert_not_blank("screenshot", pixmap.data());
}

#[test]
#[ignore = "needs headless chromium; .ci/run runs it with --ignored"]
fn the_browser_checks_see_a_page_that_loads_something_and_fails() {
    let browser = chromium().expect("chromium is not installed (apt-get install chromium)");
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("leaky.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\"><script>throw new Error('broken');</script></body></html>",
    )
    .unwrap();
    let (_, stderr, net) =
        run_chromium(&browser, folder.path(), &page, &["--dump-dom".to_string()]);
    assert!(
        !console_errors(&stderr).is_empty(),
        "a script error went unseen"
    );
    assert!(
        page_requests(&net)
            .iter()
            .any(|url| url.contains("127.0.0.1:9")),
        "a page request went unseen"
    );
}
