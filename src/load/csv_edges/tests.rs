//! Tests of the CSV edge loader: problems in row order, strings across
//! chunks, clean rows against the assembler's own checks, streamed files
//! against whole texts.

/// A file big enough for the workers, cut into several chunks, reports
/// the same problems, in row order, as a small one would, and its
/// remembered strings stay right across chunks.
#[test]
fn big_edge_files_report_problems_in_row_order() {
    let mut edges = String::from("from,to,kind,sources,stage,share,tonnes,note\n");
    let rows = 120_000;
    for row in 2..rows + 2 {
        let line = match row {
            5 => "c,m,produce,s,mining,0.1,5,a".to_string(),
            20_001 => "c,m,produces,s,mining,x,5,b".to_string(),
            39_999 => "c,zz,produces,,mining,0.1,5,c".to_string(),
            110_000 => "c,m,produces,s,mining,2,5,d".to_string(),
            _ => format!(
                "c,m{},produces,s,{},,{row},n{}",
                row % 50,
                ["mining", "refining"][row % 2],
                row % 300
            ),
        };
        edges.push_str(&line);
        edges.push('\n');
        if row % 7_000 == 0 {
            edges.push_str("\n\n");
        }
    }
    edges.push_str("c,m,produces,s,mining,7,5,e\n");
    assert!(edges.len() >= 2 * CHUNK_BYTES);
    let mut nodes = String::from("id,kind,name,aliases,sources\nc,country,C,,s\nm,mineral,M,,s\n");
    for mineral in 0..50 {
        nodes.push_str(&format!("m{mineral},mineral,M{mineral},,s\n"));
    }
    let texts = [
        ("sources.csv", "id,title\ns,S\n"),
        ("nodes.csv", nodes.as_str()),
        ("edges.csv", edges.as_str()),
    ];
    let Err(failure) = crate::load::load_texts(&texts) else {
        panic!("the bad rows must fail the load");
    };
    let found: Vec<String> = failure.problems.iter().map(|p| p.to_string()).collect();
    // Row `r` (the header is row 1) after the blank lines above it.
    let line = |row: usize| row + 2 * ((row - 1) / 7_000);
    assert_eq!(
        found,
        [
            "error: edges.csv:5: column kind: unknown edge kind \"produce\" (did you mean \"produces\"?)".to_string(),
            format!("error: edges.csv:{}: column share: share must be a number within 0..1, found a string", line(20_001)),
            format!("error: edges.csv:{}: column to: edge endpoint \"zz\" is not a node", line(39_999)),
            format!("error: edges.csv:{}: column sources: edge cites no source (every fact needs one)", line(39_999)),
            format!("error: edges.csv:{}: column share: share 2 is outside 0..1 (write 85% as 0.85)", line(110_000)),
            format!("error: edges.csv:{}: column share: share 7 is outside 0..1 (write 85% as 0.85)", line(rows + 2)),
        ]
    );
}

/// Remembered strings of every chunk come out as the text of their cell.
#[test]
fn strings_survive_chunks() {
    let mut edges = String::from("from,to,kind,sources,stage,note\n");
    let rows = 150_000;
    for row in 0..rows {
        edges.push_str(&format!(
            "c,m,produces,s,stage{},note {}\n",
            row % 7,
            row % 1_000
        ));
    }
    assert!(edges.len() >= 2 * CHUNK_BYTES);
    let loaded = load_c_to_m(&edges);
    let graph = &loaded.graph;
    assert_eq!(graph.edge_count(), rows);
    for (row, edge_idx) in graph.edge_indices().enumerate() {
        let stage = graph.edge_prop(edge_idx, "stage").and_then(Value::as_str);
        let note = graph.edge_prop(edge_idx, "note").and_then(Value::as_str);
        assert_eq!(stage, Some(format!("stage{}", row % 7).as_str()));
        assert_eq!(note, Some(format!("note {}", row % 1_000).as_str()));
    }
}

/// Remembered numbers of every chunk come out as the number of their
/// cell: a column that repeats (like shares, years), one that seldom does
/// (tonnages: it stops remembering), and one that starts repeating late.
#[test]
fn numbers_survive_chunks() {
    let mut edges = String::from("from,to,kind,sources,ratio,tonnes,year:number,count:number\n");
    let rows = 150_000;
    let count = |row: usize| if row % 50_000 < 10_000 { row } else { row % 3 };
    for row in 0..rows {
        edges.push_str(&format!(
            "c,m,produces,s,0.{:04},{},{},{}\n",
            row % 997,
            row * 7 % 100_003,
            2015 + row / 13 % 10,
            count(row)
        ));
    }
    assert!(edges.len() >= 2 * CHUNK_BYTES);
    let loaded = load_c_to_m(&edges);
    let graph = &loaded.graph;
    assert_eq!(graph.edge_count(), rows);
    let number = |edge_idx, key| graph.edge_prop(edge_idx, key).and_then(Value::as_f64);
    for (row, edge_idx) in graph.edge_indices().enumerate() {
        let ratio: f64 = format!("0.{:04}", row % 997).parse().unwrap_or(f64::NAN);
        assert_eq!(number(edge_idx, "ratio"), Some(ratio), "row {row}");
        assert_eq!(number(edge_idx, "tonnes"), Some((row * 7 % 100_003) as f64));
        assert_eq!(
            number(edge_idx, "year"),
            Some((2015 + row / 13 % 10) as f64)
        );
        assert_eq!(number(edge_idx, "count"), Some(count(row) as f64));
    }
}

/// Cells each column of the generated files picks from: mostly good
/// values, and every kind of problem a row can have.
const CHOICES: [&[&str]; 12] = [
    &[
        "c0", "c1", "c2", "c0", "c1", "m0", "p0", "i0", "zz", " c1 ", "",
    ],
    &["m0", "m1", "p0", "c1", "c2", "i0", "c0", "zz", "m1 ", ""],
    &[
        "produces",
        "produces",
        "imports_from",
        "used_in",
        "Produces",
        "produce",
        "",
    ],
    &["s", "s", "t", "s;t", " s ", "s;;t", "", ";", "u"],
    &["", "", "", "2020", "2019-05", "2021-01-01", "20x0"],
    &["", "", "", "2018", "2022", "2020-02"],
    &["mining", "refining", "", " mining", "mining\u{a0}"],
    &[
        "0.2", "0.25", "0.1", "", "1.2", "-0.1", "x", "1e-1", ".5", "0.3333", "5.", "+0.5",
    ],
    &["2020", "2021", "", "2020.0", "x", "2020-06"],
    &["m0", "m1", "", "p0", "c0", "zz", "5"],
    &["", "true", "2020-01", "7", "text", "2020-13", "0.5", "NaN"],
    &["", "", "0.4", "2", "x"],
];
const HEADER: &str =
    "from,to,kind,sources,valid_from,valid_to,stage,share:number,year,item,note,dependence\n";

/// A row from one choice per column; a 13th choice may add a stray
/// cell, drop one or make a blank line.
fn row_text(choices: &[usize]) -> String {
    let mut cells: Vec<&str> = CHOICES
        .iter()
        .zip(choices)
        .map(|(options, choice)| options[choice % options.len()])
        .collect();
    match choices.get(12).map(|extra| extra % 40) {
        Some(0) => cells.push("stray"),
        Some(1) => {
            cells.pop();
        }
        Some(2) => return "\n".to_string(),
        _ => {}
    }
    format!("{}\n", cells.join(","))
}

/// A graph of one country `c` and one mineral `m` (source `s`) with these
/// edges; a load problem fails the test.
fn load_c_to_m(edges: &str) -> crate::load::Loaded {
    let texts = [
        ("sources.csv", "id,title\ns,S\n"),
        (
            "nodes.csv",
            "id,kind,name,aliases,sources\nc,country,C,,s\nm,mineral,M,,s\n",
        ),
        ("edges.csv", edges),
    ];
    match crate::load::load_texts(&texts) {
        Ok(loaded) => loaded,
        Err(failure) => panic!("{:?}", failure.problems.first()),
    }
}

fn graph_texts(edges: &str) -> [(&'static str, String); 3] {
    [
        ("sources.csv", "id,title\ns,S\nt,T\n".to_string()),
        (
            "nodes.csv",
            "id,kind,name,aliases,sources\nc0,country,C0,,s\nc1,country,C1,,s\nc2,country,C2,,s\n\
             m0,mineral,M0,,s\nm1,mineral,M1,,s\np0,product,P0,,s\ni0,industry,I0,,s\n"
                .to_string(),
        ),
        ("edges.csv", edges.to_string()),
    ]
}

/// What a load gives: every problem, or every edge as a user sees it.
fn outcome(loaded: Result<crate::load::Loaded, crate::load::LoadFailure>) -> Vec<String> {
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(failure) => return failure.problems.iter().map(|p| p.to_string()).collect(),
    };
    let graph = &loaded.graph;
    let mut lines: Vec<String> = loaded.warnings.iter().map(|p| p.to_string()).collect();
    for edge_idx in graph.edge_indices() {
        let (from, to) = graph.endpoints(edge_idx);
        let props: Vec<String> = graph
            .edge_props(edge_idx)
            .map(|(key, value)| format!("{key}={value:?}"))
            .collect();
        let sources: Vec<&str> = graph
            .edge_sources(edge_idx)
            .iter()
            .map(|source| graph.source(*source).id.as_str())
            .collect();
        let edge = graph.edge(edge_idx);
        lines.push(format!(
            "{} {} {} {props:?} {sources:?} {:?}",
            graph.node(from).id,
            edge.kind,
            graph.node(to).id,
            edge.valid
        ));
    }
    lines
}

/// The same edges file loaded with the workers' clean rows trusted and
/// with every row checked by the assembler: the same graph or problems.
fn assert_same_load(edges: &str) {
    let texts = graph_texts(edges);
    let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let trusted = outcome(crate::load::load_texts(&texts));
    let rechecked = outcome(crate::load::load_texts_rechecked(&texts));
    assert_eq!(trusted, rechecked);
}

proptest::proptest! {
    #[test]
    fn clean_rows_load_as_the_assembler_checks_them(
        rows in proptest::collection::vec(proptest::collection::vec(0usize..64, 13), 1..40),
    ) {
        let mut edges = HEADER.to_string();
        rows.iter().for_each(|row| edges.push_str(&row_text(row)));
        assert_same_load(&edges);
    }
}

/// Share groups told apart by stage, year and provenance (`publication`,
/// `edition`, `origin`, in any column order, some not strings): a clean
/// row's share is summed into the group the assembler's own check finds,
/// so the same sums warn or fail.
const SHARE_CHOICES: [&[&str]; 7] = [
    &["c0", "c1", "c2"],
    &["m0", "m1"],
    &["mining", "refining", "", "5"],
    &["0.6", "0.3", "0.05", "0.45"],
    &["2020", "2021", ""],
    &["", "", "USGS MCS", "BGS", "7"],
    &["", "2025", "2024", "x"],
];

proptest::proptest! {
    #[test]
    fn share_groups_load_as_the_assembler_checks_them(
        rows in proptest::collection::vec(proptest::collection::vec(0usize..60, 8), 1..30),
        origin_first in proptest::bool::ANY,
    ) {
        let origins = ["", "", "official", "curated"];
        let mut edges = if origin_first {
            "from,to,kind,sources,origin,stage,share:number,year,publication,edition\n"
        } else {
            "from,to,kind,sources,stage,share:number,year,publication,edition,origin\n"
        }
        .to_string();
        for row in &rows {
            let cell = |column: usize| SHARE_CHOICES[column][row[column] % SHARE_CHOICES[column].len()];
            let origin = origins[row[7] % origins.len()];
            let [from, to, stage, share, year, publication, edition] =
                [0, 1, 2, 3, 4, 5, 6].map(cell);
            let middle = format!("{stage},{share},{year},{publication},{edition}");
            edges.push_str(&if origin_first {
                format!("{from},{to},produces,s,{origin},{middle}\n")
            } else {
                format!("{from},{to},produces,s,{middle},{origin}\n")
            });
        }
        assert_same_load(&edges);
    }
}

/// Across chunks and worker threads too, and for a file that loads.
#[test]
fn big_files_load_as_the_assembler_checks_them() {
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as usize
    };
    let mut edges = HEADER.to_string();
    while edges.len() < 3 * CHUNK_BYTES {
        let row: Vec<usize> = (0..13).map(|_| next()).collect();
        edges.push_str(&row_text(&row));
    }
    assert_same_load(&edges);
    let mut good = HEADER.to_string();
    for row in 0..120_000 {
        let (from, to) = (["c0", "c1", "c2"][row % 3], ["c1", "c2", "c0"][row % 3]);
        good.push_str(&format!(
            "{from},{to},imports_from,s,,,,0.01,{},m{},,\n",
            1900 + row % 97,
            row % 2
        ));
        good.push_str(&format!(
            "c{},m{},produces,s;t,,,mining,0.001,{},,,\n",
            row % 3,
            row % 2,
            row % 500
        ));
    }
    let texts = graph_texts(&good);
    let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    assert!(
        crate::load::load_texts(&texts).is_ok(),
        "the good file loads"
    );
    assert_same_load(&good);
}

/// A big file on disk, read in blocks, loads as its text read whole
/// does: the same graph, or the same problems at the same lines.
#[test]
fn streamed_files_load_as_whole_texts() {
    let folder = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let mut state = 11u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize
    };
    let mut bad = format!("\u{feff}\n{HEADER}");
    let stream_above = crate::load::csv_stream::STREAM_ABOVE as usize;
    while bad.len() < stream_above + CHUNK_BYTES {
        let row: Vec<usize> = (0..13).map(|_| next()).collect();
        bad.push_str(&row_text(&row));
    }
    let mut good = HEADER.to_string();
    for row in 0..(stream_above / 30) {
        good.push_str(&format!(
            "c{},m{},produces,s,,,mining,0.0001,{},,note {},\n",
            row % 3,
            row % 2,
            row % 900,
            row % 7
        ));
    }
    for (name, edges) in [("bad", bad), ("good", good)] {
        let dir = folder.path().join(name);
        let texts = graph_texts(&edges);
        std::fs::create_dir(&dir).unwrap_or_else(|err| panic!("{err}"));
        let named: Vec<(String, &str)> = texts
            .iter()
            .map(|(file, text)| (dir.join(file).display().to_string(), text.as_str()))
            .collect();
        for (path, text) in &named {
            std::fs::write(path, text).unwrap_or_else(|err| panic!("{err}"));
        }
        let named: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let whole = outcome(crate::load::load_texts(&named));
        let streamed = outcome(crate::load::load_paths(std::slice::from_ref(&dir)));
        assert_eq!(streamed, whole, "{name}");
        let failed = whole.first().is_some_and(|line| line.starts_with("error:"));
        assert_eq!(failed, name == "bad", "{name}: {:?}", whole.first());
        let mut problems = Vec::new();
        let files = crate::load::input::files_from_paths(&[dir], u64::MAX, &mut problems);
        let streamed = files.iter().filter(|file| file.streamed.is_some()).count();
        assert_eq!(streamed, 1, "{name}: the edge file is read in blocks");
    }
}

use super::CHUNK_BYTES;
use crate::model::Value;
