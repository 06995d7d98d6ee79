#!/bin/sh
# Snapshot open time against the CSV load of the same graph (BENCHMARKS.md,
# "Snapshot"). For each CSV folder given (default: /work/scale-data/g100k and
# g1m, written by the bench helper's generator), writes FOLDER.cms to
# $TMPDIR/critmin-snapshot/ and measures the whole process on an empty
# standard input (load, print the one-line summary, exit):
#   critmin --graph FOLDER.cms   vs   critmin --graph FOLDER
# as CPU time (perf stat task-clock, which load from other processes
# disturbs less than wall time), wall time, and peak RSS (/usr/bin/time).
# Runs alternate between the two, ROUNDS rounds of RUNS runs each; the
# medians of the rounds are printed. Needs perf and GNU time.
#
#   benches/snapshot.sh [FOLDER...]          ROUNDS=5 RUNS=5 by default
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$(pwd)/target/release/critmin"
out="${TMPDIR:-/tmp}/critmin-snapshot"
mkdir -p "$out"
rounds="${ROUNDS:-5}"
runs="${RUNS:-5}"
[ $# -gt 0 ] || set -- /work/scale-data/g100k /work/scale-data/g1m

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# prints "cpu_ms wall_ms" for one perf stat round of $runs runs
measure() {
    perf stat -r "$runs" -e task-clock -x, -o "$out/stat.txt" "$bin" --max-file-size 4000000000 --graph "$1" </dev/null >/dev/null 2>&1
    cpu=$(awk -F, '/task-clock/ { printf "%.1f", $1 }' "$out/stat.txt")
    start=$(date +%s%N)
    "$bin" --max-file-size 4000000000 --graph "$1" </dev/null >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$cpu $(( (end - start) / 1000000 ))"
}

peak_mb() {
    /usr/bin/time -f %M "$bin" --max-file-size 4000000000 --graph "$1" </dev/null 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-9s %10s %12s %10s %12s\n' graph form "size MB" "cpu ms" "wall ms" "peak RSS MB"
for folder in "$@"; do
    name=$(basename "$folder")
    snapshot="$out/$name.cms"
    "$bin" --max-file-size 4000000000 snapshot --graph "$folder" -o "$snapshot" --force 2>/dev/null
    : >"$out/csv.txt"
    : >"$out/cms.txt"
    i=0
    while [ "$i" -lt "$rounds" ]; do
        measure "$folder" >>"$out/csv.txt"
        measure "$snapshot" >>"$out/cms.txt"
        i=$((i + 1))
    done
    for form in csv cms; do
        target=$folder
        [ "$form" = cms ] && target=$snapshot
        size=$(du -sb "$target" | awk '{ printf "%.1f", $1 / 1e6 }')
        cpu=$(cut -d' ' -f1 "$out/$form.txt" | median)
        wall=$(cut -d' ' -f2 "$out/$form.txt" | median)
        printf '%-8s %-9s %10s %12s %10s %12s\n' "$name" "$form" "$size" "$cpu" "$wall" "$(peak_mb "$target")"
    done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
