//! Load benchmark: synthetic graphs of 100k and 1M edges, in JSON and CSV.
//! Each case runs in a child process so its peak memory (VmHWM) is its own.
//!
//! `cargo bench --bench load` (add `-- 100000` to run one size).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod support;

const COUNTRIES: usize = 200;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|arg| arg == "--child") {
        child(&args[position + 1]);
        return;
    }
    let sizes: Vec<usize> = args
        .iter()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };
    let folder = std::env::temp_dir().join("critmin-bench");
    println!(
        "{:<10} {:<5} {:>10} {:>10} {:>12}",
        "edges", "fmt", "size MB", "load s", "peak RSS MB"
    );
    for edges in sizes {
        let (json, csv) = write_inputs(&folder, edges);
        for (format, path) in [("json", json), ("csv", csv)] {
            let size = dir_size(&path) as f64 / 1e6;
            let output = Command::new(&args[0])
                .args(["--child", &path.display().to_string()])
                .output();
            match output {
                Ok(output) if output.status.success() => {
                    let report = String::from_utf8_lossy(&output.stdout);
                    let mut parts = report.split_whitespace();
                    let seconds = parts.next().unwrap_or("?");
                    let peak = parts.next().unwrap_or("?");
                    println!("{edges:<10} {format:<5} {size:>10.1} {seconds:>10} {peak:>12}");
                }
                Ok(output) => println!(
                    "{edges} {format}: failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                ),
                Err(err) => println!("{edges} {format}: cannot run: {err}"),
            }
        }
    }
}

fn child(path: &str) {
    let start = Instant::now();
    let loaded = critmin::load::load_paths(&[PathBuf::from(path)]);
    let seconds = start.elapsed().as_secs_f64();
    match loaded {
        Ok(loaded) => {
            assert!(loaded.graph.edge_count() > 0);
            println!("{seconds:.3} {:.0}", support::peak_rss_mb());
        }
        Err(failure) => {
            eprintln!(
                "{}",
                failure
                    .problems
                    .iter()
                    .take(5)
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            std::process::exit(1);
        }
    }
}

fn dir_size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| dir_size(&e.path()))
                    .sum()
            })
            .unwrap_or(0)
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}

/// Writes the same synthetic graph as one JSON file and as a CSV folder.
fn write_inputs(folder: &Path, edges: usize) -> (PathBuf, PathBuf) {
    let minerals = edges / 10;
    let json_path = folder.join(format!("g{edges}.json"));
    let csv_path = folder.join(format!("g{edges}-csv"));
    let _ = std::fs::create_dir_all(&csv_path);
    let mut nodes_csv = String::from("id,kind,name,aliases,sources\n");
    let mut edges_csv =
        String::from("from,to,kind,sources,valid_from,valid_to,stage,share,tonnes,year\n");
    let mut json =
        String::from("{\"sources\":[{\"id\":\"s\",\"title\":\"Synthetic\"}],\n\"nodes\":[\n");
    for country in 0..COUNTRIES {
        nodes_csv.push_str(&format!(
            "c{country},country,Country {country},C{country},s\n"
        ));
        json.push_str(&format!("{{\"id\":\"c{country}\",\"kind\":\"country\",\"name\":\"Country {country}\",\"aliases\":[\"C{country}\"],\"sources\":[\"s\"]}},\n"));
    }
    for mineral in 0..minerals {
        nodes_csv.push_str(&format!("m{mineral},mineral,Mineral {mineral},,s\n"));
        let comma = if mineral + 1 == minerals { "" } else { "," };
        json.push_str(&format!("{{\"id\":\"m{mineral}\",\"kind\":\"mineral\",\"name\":\"Mineral {mineral}\",\"sources\":[\"s\"]}}{comma}\n"));
    }
    json.push_str("],\n\"edges\":[\n");
    for edge in 0..edges {
        let (country, mineral, year) = (edge % COUNTRIES, (edge / 7) % minerals, 2000 + edge % 25);
        let stage = ["mining", "refining"][edge % 2];
        let tonnes = edge % 9000;
        edges_csv.push_str(&format!(
            "c{country},m{mineral},produces,s,{year},{year},{stage},0.5,{tonnes},{year}\n"
        ));
        let comma = if edge + 1 == edges { "" } else { "," };
        json.push_str(&format!(
            "{{\"from\":\"c{country}\",\"to\":\"m{mineral}\",\"kind\":\"produces\",\"props\":{{\"stage\":\"{stage}\",\"share\":0.5,\"tonnes\":{tonnes},\"year\":{year}}},\"sources\":[\"s\"],\"valid_from\":\"{year}\",\"valid_to\":\"{year}\"}}{comma}\n"
        ));
    }
    json.push_str("]}\n");
    let write = |path: PathBuf, text: &str| {
        if let Err(err) = std::fs::write(&path, text) {
            panic!("cannot write {}: {err}", path.display());
        }
    };
    write(json_path.clone(), &json);
    write(csv_path.join("nodes.csv"), &nodes_csv);
    write(csv_path.join("edges.csv"), &edges_csv);
    write(csv_path.join("sources.csv"), "id,title\ns,Synthetic\n");
    (json_path, csv_path)
}
