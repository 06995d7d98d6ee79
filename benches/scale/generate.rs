//! The seeded generator of issue 14's graph shape: 200 countries (`china`
//! and `united-states` among them), minerals, products and industries;
//! about 45 % `produces` edges and 55 % `imports_from` edges, plus the small
//! structural part the questions need (`used_in`, `depends_on`, the United
//! States' `import_reliance`). Written as critmin's CSV folder format.
//!
//! Invariant: the same `(edges, seed)` writes the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Countries, as in the issue; `china` is index 0, `united-states` index 1.
pub const COUNTRIES: usize = 200;
/// Production and trade figures cover these years.
pub const FIRST_YEAR: u32 = 2015;
pub const YEARS: u32 = 10;

/// How many edges of each kind were written.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Shape {
    pub countries: usize,
    pub minerals: usize,
    pub products: usize,
    pub industries: usize,
    pub produces: usize,
    pub imports_from: usize,
    pub used_in: usize,
    pub depends_on: usize,
    pub import_reliance: usize,
}

impl Shape {
    pub fn nodes(&self) -> usize {
        self.countries + self.minerals + self.products + self.industries
    }

    pub fn edges(&self) -> usize {
        self.produces + self.imports_from + self.used_in + self.depends_on + self.import_reliance
    }
}

/// splitmix64: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Uniform in `0..1`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn country_id(index: usize) -> String {
    match index {
        0 => "china".to_string(),
        1 => "united-states".to_string(),
        _ => format!("c{index}"),
    }
}

fn country_name(index: usize) -> String {
    match index {
        0 => "China".to_string(),
        1 => "United States".to_string(),
        _ => format!("Country {index}"),
    }
}

/// Writes `nodes.csv`, `edges.csv` and `sources.csv` into `folder`: about
/// `target_edges` edges in all.
pub fn generate(folder: &Path, target_edges: usize, seed: u64) -> std::io::Result<Shape> {
    std::fs::create_dir_all(folder)?;
    let mut rng = Rng::new(seed);
    let mut shape = Shape {
        countries: COUNTRIES,
        minerals: (target_edges / 500).max(40),
        products: (target_edges / 1000).max(20),
        industries: (target_edges / 5000).max(10),
        ..Shape::default()
    };
    std::fs::write(folder.join("sources.csv"), "id,title\ns,Synthetic\n")?;
    write_nodes(&folder.join("nodes.csv"), &shape)?;
    let file = File::create(folder.join("edges.csv"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    writeln!(
        out,
        "from,to,kind,sources,valid_from,valid_to,stage:string,share:number,tonnes:number,year:number,item:string,dependence:number"
    )?;
    write_structure(&mut out, &mut rng, &mut shape)?;
    write_production(&mut out, &mut rng, &mut shape)?;
    let trade_edges = (target_edges as f64 * 0.55) as usize;
    write_trade(&mut out, &mut rng, &mut shape, trade_edges)?;
    out.flush()?;
    Ok(shape)
}

fn write_nodes(path: &Path, shape: &Shape) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(out, "id,kind,name,aliases,sources")?;
    for index in 0..shape.countries {
        writeln!(
            out,
            "{},country,{},,s",
            country_id(index),
            country_name(index)
        )?;
    }
    for index in 0..shape.minerals {
        writeln!(out, "m{index},mineral,Mineral {index},,s")?;
    }
    for index in 0..shape.products {
        writeln!(out, "p{index},product,Product {index},,s")?;
    }
    for index in 0..shape.industries {
        writeln!(out, "i{index},industry,Industry {index},,s")?;
    }
    out.flush()
}

/// `count` distinct indexes in `0..n`, in the order drawn.
fn distinct(rng: &mut Rng, n: usize, count: usize, pick: impl Fn(&mut Rng) -> usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    while chosen.len() < count.min(n) {
        let candidate = pick(rng);
        if !chosen.contains(&candidate) {
            chosen.push(candidate);
        }
    }
    chosen
}

/// The dependence DAG: every product is made of 2–4 minerals, every
/// industry uses 3–6 products and 0–2 minerals directly; the industries
/// after the first fifth may build on one of that first fifth
/// (`depends_on`), which never builds on anything. The United States has
/// an import reliance figure for every mineral.
fn write_structure(out: &mut impl Write, rng: &mut Rng, shape: &mut Shape) -> std::io::Result<()> {
    for product in 0..shape.products {
        let count = rng.between(2, 4);
        for mineral in distinct(rng, shape.minerals, count, |rng| rng.below(shape.minerals)) {
            let w = round4(0.05 + 0.9 * rng.unit());
            writeln!(out, "m{mineral},p{product},used_in,s,,,,,,,,{w}")?;
            shape.used_in += 1;
        }
    }
    let base = (shape.industries / 5).max(1);
    for industry in 0..shape.industries {
        let count = rng.between(3, 6);
        for product in distinct(rng, shape.products, count, |rng| rng.below(shape.products)) {
            let w = round4(0.05 + 0.9 * rng.unit());
            writeln!(out, "p{product},i{industry},used_in,s,,,,,,,,{w}")?;
            shape.used_in += 1;
        }
        let count = rng.between(0, 2);
        for mineral in distinct(rng, shape.minerals, count, |rng| rng.below(shape.minerals)) {
            let w = round4(0.05 + 0.9 * rng.unit());
            writeln!(out, "m{mineral},i{industry},used_in,s,,,,,,,,{w}")?;
            shape.used_in += 1;
        }
        if industry >= base && rng.below(2) == 0 {
            let on = rng.below(base);
            let w = round4(0.05 + 0.9 * rng.unit());
            writeln!(out, "i{industry},i{on},depends_on,s,,,,,,,,{w}")?;
            shape.depends_on += 1;
        }
    }
    for mineral in 0..shape.minerals {
        let reliance = round4(0.1 + 0.9 * rng.unit());
        let year = FIRST_YEAR + YEARS - 1;
        writeln!(
            out,
            "united-states,m{mineral},import_reliance,s,,,,{reliance},,{year},,"
        )?;
        shape.import_reliance += 1;
    }
    Ok(())
}

fn round4(value: f64) -> f64 {
    (value * 1e4).round() / 1e4
}

/// A country, China more often than the others (it is in about half of
/// the tables and trade breakdowns).
fn country(rng: &mut Rng) -> usize {
    if rng.below(8) == 0 {
        0
    } else {
        rng.below(COUNTRIES)
    }
}

/// `count` distinct shares at 4 decimals, summing to 0.9–1.0, largest
/// first (no ties, so the top producer is unique).
fn shares(rng: &mut Rng, count: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..count).map(|_| 0.05 + rng.unit()).collect();
    let total: f64 = weights.iter().sum();
    let scale = (0.9 + 0.1 * rng.unit()) / total;
    let mut shares: Vec<f64> = weights
        .iter()
        .map(|w| (w * scale * 1e4).floor() / 1e4)
        .collect();
    shares.sort_by(|a, b| b.total_cmp(a));
    for position in 1..shares.len() {
        if shares[position] >= shares[position - 1] {
            shares[position] = round4(shares[position - 1] - 0.0001);
        }
    }
    shares
}

/// Production tables: each mineral has `mining` and `refining`, each
/// product `manufacturing`, every year; 5–13 distinct producers a table.
fn write_production(out: &mut impl Write, rng: &mut Rng, shape: &mut Shape) -> std::io::Result<()> {
    let items = (0..shape.minerals)
        .flat_map(|m| [(format!("m{m}"), "mining"), (format!("m{m}"), "refining")])
        .chain((0..shape.products).map(|p| (format!("p{p}"), "manufacturing")));
    for (item, stage) in items {
        let world_tonnes = 1000.0 + rng.below(1_000_000) as f64;
        for year in FIRST_YEAR..FIRST_YEAR + YEARS {
            let count = rng.between(5, 13);
            let producers = distinct(rng, COUNTRIES, count, country);
            for (producer, share) in producers.into_iter().zip(shares(rng, count)) {
                let tonnes = (share * world_tonnes).round();
                let id = country_id(producer);
                writeln!(
                    out,
                    "{id},{item},produces,s,,,{stage},{share},{tonnes},{year},,"
                )?;
                shape.produces += 1;
            }
        }
    }
    Ok(())
}

/// Trade breakdowns: an importer's shares of one mineral by exporter, for
/// one year; 3–7 exporters each. The United States has one for every other
/// mineral in every year; other importers are drawn at random.
fn write_trade(
    out: &mut impl Write,
    rng: &mut Rng,
    shape: &mut Shape,
    budget: usize,
) -> std::io::Result<()> {
    let mut written = 0;
    let mut us_mineral = 0;
    while written < budget {
        let (importer, mineral) = if us_mineral < shape.minerals {
            us_mineral += 2;
            (1, us_mineral - 2)
        } else {
            // Not the United States: its breakdowns are the ones above.
            (2 + rng.below(COUNTRIES - 2), rng.below(shape.minerals))
        };
        // A country's last years only, sometimes: some breakdowns are stale.
        let first = FIRST_YEAR
            + if rng.below(10) == 0 {
                0
            } else {
                rng.below(3) as u32
            };
        let last = if rng.below(10) == 0 {
            FIRST_YEAR + 2
        } else {
            FIRST_YEAR + YEARS - 1
        };
        for year in first..=last {
            let count = rng.between(3, 7);
            let exporters = distinct(rng, COUNTRIES, count + 1, country);
            let exporters: Vec<usize> = exporters
                .into_iter()
                .filter(|&e| e != importer)
                .take(count)
                .collect();
            let tonnes_total = 100.0 + rng.below(100_000) as f64;
            for (exporter, share) in exporters.iter().zip(shares(rng, exporters.len())) {
                let tonnes = (share * tonnes_total).round();
                let from = country_id(importer);
                let to = country_id(*exporter);
                writeln!(
                    out,
                    "{from},{to},imports_from,s,,,,{share},{tonnes},{year},m{mineral},"
                )?;
                written += 1;
            }
        }
    }
    shape.imports_from = written;
    Ok(())
}
