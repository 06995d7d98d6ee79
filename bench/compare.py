#!/usr/bin/env python3
"""Checks every peer's answers against critmin's and prints the ratio table.

    compare.py --size 1m --critmin crit.json --peer duckdb.json ... [--load FILE]

Answers must agree (bench/README.md says how each is compared); a
disagreement is printed and the exit status is 1. A peer that failed or does
not answer a question is reported, not counted as fastest.
"""

import argparse
import json
import sys

TOLERANCE = 1e-6
QUESTIONS = [
    ("neighbors_1hop", "1-hop `neighbors china`"),
    ("neighbors_2hop", "2-hop `neighbors china depth 2`"),
    ("dependents", "`dependents m0`"),
    ("path", "shortest `path m1 to i0`"),
    ("top_producers", "top producer + share + HHI per mineral"),
    ("exposure", "`exposure united-states to china` (DuckDB: same model in SQL)"),
]


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= tolerance


def disagreement(name, ours, theirs):
    """None when the answers agree, else what differs."""
    if name.startswith("neighbors"):
        ours, theirs = set(ours), set(theirs)
        if ours == theirs:
            return None
        return f"{len(ours - theirs)} ids only in critmin's ({sorted(ours - theirs)[:5]}), " \
               f"{len(theirs - ours)} only in the peer's ({sorted(theirs - ours)[:5]})"
    if name == "path":
        if ours["length"] == theirs["length"]:
            return None
        return f"length {ours['length']} vs {theirs['length']}"
    if name == "dependents":
        if set(ours) != set(theirs):
            return f"ids differ: {sorted(set(ours) ^ set(theirs))[:5]}"
        bad = [k for k in ours if not close(ours[k], theirs[k], TOLERANCE)]
        return f"weights differ for {bad[:5]}" if bad else None
    if name == "top_producers":
        if set(ours) != set(theirs):
            return f"minerals differ: {sorted(set(ours) ^ set(theirs))[:5]}"
        # critmin's JSON prints HHI at 4 decimals and shares at 4 significant digits.
        bad = [k for k in ours if ours[k][0] != theirs[k][0]
               or not close(ours[k][1], theirs[k][1], 1e-4)
               or not close(ours[k][2], theirs[k][2], 1e-3)]
        return f"{len(bad)} minerals differ, e.g. {[(k, ours[k], theirs[k]) for k in bad[:3]]}" if bad else None
    if name == "exposure":
        if set(ours) != set(theirs):
            return f"industries differ: {sorted(set(ours) ^ set(theirs))[:5]}"
        bad = [k for k in ours for column in ours[k]
               if not close(ours[k][column], theirs[k][column], TOLERANCE)]
        return f"scores differ for {bad[:5]}, e.g. {[(k, ours[k], theirs[k]) for k in bad[:2]]}" if bad else None
    return f"no comparison for {name}"


def ratio(ours, theirs):
    factor, word = (theirs / ours, "faster") if ours <= theirs else (ours / theirs, "slower")
    return f"{factor:.1f}× {word}" if factor < 100 else f"{factor:,.0f}× {word}"


def load_ratios(ours, duck, our_report, duck_report):
    """The issue's load row: critmin against DuckDB, whole process and in-process."""
    parts = []
    if ours.get("whole_s") and duck.get("whole_s"):
        parts.append(f"whole process {ratio(ours['whole_s'], duck['whole_s'])}")
    if our_report.get("load_s") and duck_report.get("load_s"):
        parts.append(f"in-process {our_report['load_s'] / duck_report['load_s']:.2f}× DuckDB's time")
    if ours.get("peak_rss_mb") and duck.get("peak_rss_mb"):
        parts.append(f"peak RSS {ours['peak_rss_mb']:.0f} MB vs {duck['peak_rss_mb']:.0f} MB")
    return "CSV load, critmin vs DuckDB: " + "; ".join(parts)


def fmt_ms(ms):
    return f"{ms:.3g} ms" if ms < 1000 else f"{ms / 1000:.3g} s"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", required=True)
    parser.add_argument("--critmin", required=True)
    parser.add_argument("--peer", action="append", default=[])
    parser.add_argument("--load", help="whole-process load times (JSON lines)")
    args = parser.parse_args()
    try:
        critmin = json.load(open(args.critmin))
    except (OSError, ValueError) as err:
        print(f"\n### {args.size}: critmin failed ({err})")
        return 1
    peers = []
    for path in args.peer:
        try:
            peers.append(json.load(open(path)))
        except (OSError, ValueError) as err:
            print(f"- peer report {path} unreadable: {err}")
    failures = 0
    print(f"\n### {args.size}: {critmin.get('graph')}\n")
    print("| question | critmin | fastest peer | critmin vs peer | all agreeing peers (median) | critmin eval only |")
    print("|---|---|---|---|---|---|")
    for name, label in QUESTIONS:
        ours = critmin["questions"].get(name, {})
        if "answer" not in ours:
            print(f"| {label} | failed: {ours.get('error', 'not run')} | | | | |")
            failures += 1
            continue
        answered = []
        notes = []
        for peer in peers:
            theirs = peer.get("questions", {}).get(name)
            if theirs is None:
                continue
            if "answer" not in theirs:
                notes.append(f"{peer['tool']}: failed")
                continue
            differs = disagreement(name, ours["answer"], theirs["answer"])
            if differs:
                print(f"DISAGREE {args.size} {name} {peer['tool']}: {differs}", file=sys.stderr)
                notes.append(f"{peer['tool']}: DISAGREES")
                failures += 1
                continue
            answered.append((theirs["median_ms"], peer["tool"]))
            notes.append(f"{peer['tool']} {fmt_ms(theirs['median_ms'])}")
        our_ms = ours["median_ms"]
        spread = f" ({fmt_ms(ours['min_ms'])}–{fmt_ms(ours['max_ms'])})"
        eval_only = fmt_ms(ours["eval_median_ms"])
        if answered:
            best_ms, best = min(answered)
            print(f"| {label} | {fmt_ms(our_ms)}{spread} | {best} {fmt_ms(best_ms)} | "
                  f"{ratio(our_ms, best_ms)} | {', '.join(notes)} | {eval_only} |")
        else:
            print(f"| {label} | {fmt_ms(our_ms)}{spread} | {'no peer agrees' if notes else 'no peer answers'} | | {', '.join(notes)} | {eval_only} |")
    if args.load:
        print("\n| load | whole process | in-process | peak RSS (load) | peak RSS (all questions) |")
        print("|---|---|---|---|---|")
        rows = [json.loads(line) for line in open(args.load) if line.strip()]
        reports = {r["tool"]: r for r in [critmin] + peers}
        for row in rows:
            if row["tool"] == "critmin-snapshot":
                continue
            report = reports.get(row["tool"], {})
            whole = row.get("whole_s")
            in_process = report.get("load_s", float("nan"))
            prepare = report.get("prepare_s")
            print(f"| {row['tool']} | {'failed' if whole is None else f'{whole:.2f} s'} "
                  f"| {in_process:.2f} s{f' (+{prepare:.2f} s adjacency)' if prepare else ''} "
                  f"| {row.get('peak_rss_mb') or float('nan'):.0f} MB "
                  f"| {report.get('peak_rss_mb', float('nan')):.0f} MB |")
        lead = {row["tool"]: row for row in rows}
        if "critmin" in lead and "duckdb" in lead:
            print()
            print(load_ratios(lead["critmin"], lead["duckdb"], critmin, reports.get("duckdb", {})))
        snapshot = [row for row in rows if row["tool"] == "critmin-snapshot"]
        if snapshot and snapshot[0].get("whole_s") is not None:
            print(f"\nSnapshot (`critmin --graph graph.cms -e 'find m0'`, whole process): "
                  f"{snapshot[0]['whole_s']:.2f} s, peak {snapshot[0]['peak_rss_mb']:.0f} MB")
    if failures:
        print(f"\n{failures} answers failed or disagree (see stderr)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
