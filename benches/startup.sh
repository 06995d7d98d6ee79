#!/bin/sh
# Start-up of the whole process on the bundled graph (BENCHMARKS.md,
# "Start-up"): `critmin -e 'show germanium'`, median of 100 runs, against
# the curated files alone (`--graph graph`, no USGS import) for scale.
# Needs hyperfine (Debian: apt-get install hyperfine).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$(pwd)/target/release/critmin"
hyperfine -N --warmup 10 --runs 100 \
    "$bin -e 'show germanium'" \
    "$bin --graph graph -e 'show germanium'"
