#!/usr/bin/env bash
# Issue 14's side-by-side comparison: critmin against DuckDB, networkx and Kuzu
# on the same generated graphs, answers checked, ratio table printed.
#
#   bench/compare.sh 100k 1m [10m]        (sizes: 100k, 1m, 10m, or a number of edges)
#
# Environment: RUNS (warm runs per question, default 5), LOADS (whole-process
# loads per tool, default 3), DATA (graph folders, default /tmp/critmin-scale;
# a folder that already holds edges.csv is reused), VENV (Python venv, created
# with pip if missing, default ~/.cache/critmin-bench-venv), PEERS (default
# "duckdb networkx kuzu"), OUT (reports, default /tmp/critmin-compare).
# Exit status 1 when an answer disagrees or critmin fails; a peer failing is
# reported in the table and does not stop the run.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
RUNS="${RUNS:-5}"
LOADS="${LOADS:-3}"
DATA="${DATA:-/tmp/critmin-scale}"
VENV="${VENV:-$HOME/.cache/critmin-bench-venv}"
PEERS="${PEERS:-duckdb networkx kuzu}"
OUT="${OUT:-/tmp/critmin-compare}"
SEED="${SEED:-1}"
[ $# -gt 0 ] || set -- 100k 1m
mkdir -p "$OUT" "$DATA"

edges_of() {
    case "$1" in
        *k) echo $(( ${1%k} * 1000 )) ;;
        *m) echo $(( ${1%m} * 1000000 )) ;;
        *) echo "$1" ;;
    esac
}

echo "building critmin (release) ..." >&2
(cd "$repo" && cargo build --release -q && cargo bench --bench scale --no-run -q 2>/dev/null) || {
    echo "critmin does not build" >&2; exit 1; }
scale() { (cd "$repo" && cargo bench -q --bench scale -- "$@"); }
critmin="$repo/target/release/critmin"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV (duckdb, networkx, kuzu, pandas) ..." >&2
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q duckdb networkx kuzu pandas || {
        echo "cannot install the Python peers; continuing with critmin only" >&2; PEERS=""; }
fi
python="$VENV/bin/python"

# Runs a command, appends one JSON line {tool, whole_s, peak_rss_mb} to $1.
measure_load() {
    local log="$1" tool="$2"; shift 2
    local stats="$OUT/time.txt"
    if /usr/bin/time -f '%e %M' -o "$stats" "$@" >/dev/null 2>&1; then
        set -- $(tail -1 "$stats")
        echo "{\"tool\": \"$tool\", \"whole_s\": $1, \"peak_rss_mb\": $(( $2 / 1024 ))}" >>"$log"
    else
        echo "- $tool: load failed" >&2
        echo "{\"tool\": \"$tool\", \"whole_s\": null, \"peak_rss_mb\": null}" >>"$log"
    fi
}

machine() {
    echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
         "$(free -g | awk '/^Mem:/ {print $2}') GB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "tools: critmin $(git -C "$repo" rev-parse --short HEAD), $("$python" -c \
        'import duckdb, networkx, kuzu; print(f"duckdb {duckdb.__version__}, networkx {networkx.__version__}, kuzu {kuzu.__version__}")' 2>/dev/null)"
    echo "warm runs per question: $RUNS (median, min–max); whole-process loads: $LOADS (median)"
}

status=0
echo "## Side by side $(date -u +%Y-%m-%dT%H:%MZ)"
machine
for size in "$@"; do
    edges="$(edges_of "$size")"
    folder="$DATA/g$size"
    if [ ! -f "$folder/edges.csv" ]; then
        echo "generating $folder ($edges edges) ..." >&2
        scale gen --edges "$edges" --seed "$SEED" -o "$folder" >&2 || { echo "cannot generate $folder" >&2; exit 1; }
    fi
    bytes=$(stat -c %s "$folder/edges.csv")
    limit=$(( bytes + (64 << 20) ))
    # Whole-process loads, tools interleaved.
    loads="$OUT/$size.loads.jsonl"; : >"$loads"
    for _ in $(seq "$LOADS"); do
        measure_load "$loads.raw" critmin "$critmin" --max-file-size "$limit" --graph "$folder" -e 'find m0'
        for peer in $PEERS; do
            measure_load "$loads.raw" "$peer" "$python" "$here/peers.py" --tool "$peer" --graph "$folder" --load-only
        done
    done
    # A snapshot, where this critmin has `critmin snapshot` (issue 14): its open time.
    snapshot="$OUT/$size.cms"
    rm -f "$snapshot"
    if "$critmin" snapshot --help >/dev/null 2>&1; then
        if "$critmin" --max-file-size "$limit" snapshot --graph "$folder" -o "$snapshot" >/dev/null 2>&1 \
            || "$critmin" snapshot --graph "$folder" -o "$snapshot" >/dev/null 2>&1; then
            for _ in $(seq "$LOADS"); do
                measure_load "$loads.raw" critmin-snapshot "$critmin" --graph "$snapshot" -e 'find m0'
            done
        else
            echo "- critmin snapshot failed at $size" >&2
        fi
    fi
    "$python" - "$loads.raw" >"$loads" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for tool in dict.fromkeys(row["tool"] for row in rows):
    mine = [r for r in rows if r["tool"] == tool and r["whole_s"] is not None]
    print(json.dumps({"tool": tool,
        "whole_s": statistics.median(r["whole_s"] for r in mine) if mine else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in mine) if mine else None}))
PY
    rm -f "$loads.raw"
    # Questions, one tool at a time.
    scale run --graph "$folder" --runs "$RUNS" --answers "$OUT/$size.critmin.json" || status=1
    reports=()
    for peer in $PEERS; do
        if "$python" "$here/peers.py" --tool "$peer" --graph "$folder" --runs "$RUNS" \
            --answers "$OUT/$size.$peer.json"; then
            reports+=(--peer "$OUT/$size.$peer.json")
        else
            echo "{\"tool\": \"$peer\", \"questions\": {}, \"error\": \"exit $?\"}" >"$OUT/$size.$peer.json"
            echo "- $peer failed at $size (see above)"
        fi
    done
    python3 "$here/compare.py" --size "$size" --critmin "$OUT/$size.critmin.json" \
        "${reports[@]}" --load "$loads" || status=1
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
