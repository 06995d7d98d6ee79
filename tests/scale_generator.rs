//! The side-by-side generator (`benches/scale/generate.rs`, issue 14) is
//! deterministic: one seed, one graph, byte for byte.

#[allow(dead_code)]
#[path = "../benches/scale/generate.rs"]
mod generate;

use generate::generate;

#[test]
fn the_same_seed_writes_the_same_graph() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let shape_a = generate(a.path(), 20_000, 7).unwrap();
    let shape_b = generate(b.path(), 20_000, 7).unwrap();
    assert_eq!(shape_a, shape_b);
    for file in ["nodes.csv", "edges.csv", "sources.csv"] {
        let left = std::fs::read(a.path().join(file)).unwrap();
        let right = std::fs::read(b.path().join(file)).unwrap();
        assert!(left == right, "{file} differs");
    }
    let other = tempfile::tempdir().unwrap();
    generate(other.path(), 20_000, 8).unwrap();
    let edges_a = std::fs::read(a.path().join("edges.csv")).unwrap();
    let edges_other = std::fs::read(other.path().join("edges.csv")).unwrap();
    assert!(edges_a != edges_other, "another seed gives another graph");
}
