#!/usr/bin/env python3
"""The peers of issue 14's side-by-side comparison: DuckDB, networkx and Kuzu
answer critmin's questions on the same CSV folder, one tool per process.

    peers.py --tool duckdb|networkx|kuzu --graph DIR [--runs N] [--answers OUT.json]
    peers.py --tool duckdb --graph DIR --load-only

Each tool loads the folder once (timed in-process; `--load-only` loads and
exits, so the caller can time the whole process), builds its adjacency at
load (timed apart as `prepare_s`), then asks each question `runs` times and
reports the median, min and max in milliseconds, peak RSS and each answer in
the canonical form `compare.py` checks against critmin's (bench/README.md).
A question a tool cannot reasonably answer is left out, not faked.
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

EXPOSURE_ROUNDS = 8  # critmin's MAX_PATH_HOPS
STALE_IMPORT_YEARS = 5  # critmin's STALE_IMPORT_YEARS
PATH_ENDS = ("m1", "i0")
PATH_MAX_HOPS = 6  # critmin's DEFAULT_MAX_HOPS: `path` looks no further
DEPENDENTS_OF = "m0"


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def files(graph):
    return {name: os.path.join(graph, f"{name}.csv") for name in ("nodes", "edges")}


# ---------------------------------------------------------------- DuckDB

EDGE_COLUMNS = {
    "from": "VARCHAR", "to": "VARCHAR", "kind": "VARCHAR", "sources": "VARCHAR",
    "valid_from": "VARCHAR", "valid_to": "VARCHAR", "stage:string": "VARCHAR",
    "share:number": "DOUBLE", "tonnes:number": "DOUBLE", "year:number": "BIGINT",
    "item:string": "VARCHAR", "dependence:number": "DOUBLE",
}
NODE_COLUMNS = {"id": "VARCHAR", "kind": "VARCHAR", "name": "VARCHAR",
                "aliases": "VARCHAR", "sources": "VARCHAR"}


def duckdb_struct(columns):
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


class DuckDB:
    name = "duckdb"

    def load(self, graph):
        import duckdb
        self.db = duckdb.connect()
        paths = files(graph)
        self.db.execute(
            f"""CREATE TABLE nodes AS SELECT * FROM read_csv('{paths['nodes']}', header = true,
                columns = {duckdb_struct(NODE_COLUMNS)})""")
        self.db.execute(
            f"""CREATE TABLE edges AS SELECT "from" AS src, "to" AS dst, kind,
                "stage:string" AS stage, "share:number" AS share, "tonnes:number" AS tonnes,
                "year:number" AS year, "item:string" AS item, "dependence:number" AS dependence
                FROM read_csv('{paths['edges']}', header = true,
                columns = {duckdb_struct(EDGE_COLUMNS)})""")

    def prepare(self):
        # The undirected adjacency (distinct pairs), and the non-country part
        # of it that critmin's `path` walks first.
        self.db.execute("""CREATE TABLE adj AS SELECT DISTINCT a, b FROM (
                SELECT src AS a, dst AS b FROM edges UNION ALL SELECT dst, src FROM edges)""")
        self.db.execute("""CREATE TABLE adj_inner AS SELECT adj.a, adj.b FROM adj
                JOIN nodes na ON na.id = adj.a JOIN nodes nb ON nb.id = adj.b
                WHERE na.kind <> 'country' AND nb.kind <> 'country'""")

    def questions(self):
        return {
            "neighbors_1hop": self.neighbors_1hop,
            "neighbors_2hop": self.neighbors_2hop,
            "dependents": self.dependents,
            "path": self.path,
            "top_producers": self.top_producers,
            "exposure": self.exposure,
        }

    def neighbors_1hop(self):
        rows = self.db.execute("""SELECT adj.b, n.name, n.kind FROM adj JOIN nodes n ON n.id = adj.b
                WHERE adj.a = 'china'""").fetchall()
        return sorted(rows)

    def neighbors_2hop(self):
        rows = self.db.execute("""SELECT r.id, n.name, n.kind FROM (SELECT DISTINCT id FROM (
                SELECT b AS id FROM adj WHERE a = 'china'
                UNION ALL
                SELECT two.b FROM adj one JOIN adj two ON two.a = one.b WHERE one.a = 'china')
                WHERE id <> 'china') r JOIN nodes n ON n.id = r.id""").fetchall()
        return sorted(rows)

    def dependents(self):
        # Downstream: used_in forwards, depends_on backwards; the strongest
        # path's weight (product of dependences) per node.
        rows = self.db.execute(f"""
            WITH RECURSIVE down(src, dst, w) AS (
                SELECT src, dst, coalesce(dependence, 0.5) FROM edges WHERE kind = 'used_in'
                UNION ALL
                SELECT dst, src, coalesce(dependence, 1.0) FROM edges WHERE kind = 'depends_on'),
            reach(id, w, hops) AS (
                SELECT '{DEPENDENTS_OF}', 1.0::DOUBLE, 0
                UNION ALL
                SELECT down.dst, reach.w * down.w, reach.hops + 1
                FROM reach JOIN down ON down.src = reach.id WHERE reach.hops < 16)
            SELECT id, max(w) FROM reach WHERE id <> '{DEPENDENTS_OF}' GROUP BY id""").fetchall()
        return {id_: w for id_, w in rows}

    def path(self):
        start, end = PATH_ENDS
        length = self.bfs_length("adj_inner", start, end)
        if length is None:
            length = self.bfs_length("adj", start, end)
        return {"length": length, "from": start, "to": end}

    def bfs_length(self, table, start, end):
        row = self.db.execute(f"""
            WITH RECURSIVE bfs(id, hops) USING KEY (id) AS (
                SELECT '{start}', 0
                UNION
                SELECT t.b, min(bfs.hops) + 1 FROM bfs JOIN {table} t ON t.a = bfs.id
                WHERE bfs.hops < {PATH_MAX_HOPS} AND NOT EXISTS (SELECT 1 FROM recurring.bfs r WHERE r.id = t.b)
                GROUP BY t.b)
            SELECT min(hops) FROM bfs WHERE id = '{end}'""").fetchone()
        return row[0] if row else None

    def top_producers(self):
        rows = self.db.execute("""
            WITH p AS (
                SELECT e.dst AS item, e.src AS country, e.share, e.year FROM edges e
                JOIN nodes n ON n.id = e.dst
                WHERE e.kind = 'produces' AND e.stage = 'mining' AND n.kind = 'mineral'),
            latest AS (SELECT item, max(year) AS year FROM p GROUP BY item)
            SELECT p.item, arg_max(p.country, p.share), max(p.share), 10000 * sum(p.share * p.share)
            FROM p JOIN latest USING (item, year) GROUP BY p.item""").fetchall()
        return {item: [top, share, hhi] for item, top, share, hhi in rows}

    def exposure(self):
        return duckdb_exposure(self.db, "united-states", "china")


def duckdb_exposure(db, target, supplier):
    """critmin's exposure model (docs/EXPOSURE.md) in SQL: dependence by
    rounds of noisy-or relaxation, supply share from the target's reliance
    and latest import breakdown (else world share), noisy-or per industry."""
    db.execute("""CREATE OR REPLACE TEMP TABLE inputs AS
        SELECT dst AS v, src AS u, coalesce(dependence, 0.5) AS w FROM edges WHERE kind = 'used_in'
        UNION ALL
        SELECT src, dst, coalesce(dependence, 1.0) FROM edges WHERE kind = 'depends_on'""")
    db.execute("CREATE OR REPLACE TEMP TABLE dep (v VARCHAR, m VARCHAR, d DOUBLE)")
    for _ in range(EXPOSURE_ROUNDS):
        db.execute("""CREATE OR REPLACE TEMP TABLE dep_next AS
            WITH reach AS (
                SELECT id AS u, id AS m, 1.0::DOUBLE AS r FROM nodes WHERE kind IN ('mineral', 'product')
                UNION ALL SELECT v, m, d FROM dep)
            SELECT i.v, reach.m, 1 - exp(sum(ln(1 - i.w * reach.r))) AS d
            FROM inputs i JOIN reach ON reach.u = i.u GROUP BY i.v, reach.m""")
        same = db.execute("""SELECT (SELECT count(*) FROM dep) = (SELECT count(*) FROM dep_next)
            AND NOT EXISTS (SELECT 1 FROM dep_next n LEFT JOIN dep o USING (v, m)
                            WHERE o.d IS NULL OR abs(o.d - n.d) > 1e-15)""").fetchone()[0]
        db.execute("CREATE OR REPLACE TEMP TABLE dep AS SELECT * FROM dep_next")
        if same:
            break
    rows = db.execute(f"""
        WITH stage_latest AS (
            SELECT dst AS item, stage, max(year) AS year FROM edges WHERE kind = 'produces'
            GROUP BY dst, stage),
        world AS (
            SELECT e.dst AS item, max(least(greatest(e.share, 0), 1)) AS share FROM edges e
            JOIN stage_latest l ON l.item = e.dst AND l.stage = e.stage AND l.year = e.year
            WHERE e.kind = 'produces' AND e.src = '{supplier}' AND e.share IS NOT NULL
            GROUP BY e.dst),
        reliance_latest AS (
            SELECT dst AS item, max(year) AS year FROM edges
            WHERE kind = 'import_reliance' AND src = '{target}' GROUP BY dst),
        reliance AS (
            SELECT e.dst AS item, max(least(greatest(e.share, 0), 1)) AS r, any_value(l.year) AS year
            FROM edges e JOIN reliance_latest l ON l.item = e.dst AND l.year = e.year
            WHERE e.kind = 'import_reliance' AND e.src = '{target}' AND e.share IS NOT NULL
            GROUP BY e.dst),
        imports AS (
            SELECT item, dst AS origin, share, year FROM edges
            WHERE kind = 'imports_from' AND src = '{target}' AND share IS NOT NULL),
        imports_latest AS (SELECT item, max(year) AS year FROM imports GROUP BY item),
        breakdown AS (
            SELECT l.item, l.year,
                   least(coalesce(sum(i.share) FILTER (WHERE i.origin = '{supplier}'), 0), 1) AS share
            FROM imports_latest l JOIN imports i ON i.item = l.item AND i.year = l.year
            GROUP BY l.item, l.year),
        sigma AS (
            SELECT m.id AS item,
                CASE
                    WHEN r.r IS NULL THEN w.share
                    WHEN b.item IS NOT NULL AND NOT (b.year + {STALE_IMPORT_YEARS} < r.year)
                        THEN r.r * b.share
                    WHEN w.share IS NULL THEN NULL
                    ELSE r.r * w.share
                END AS s
            FROM nodes m LEFT JOIN reliance r ON r.item = m.id
            LEFT JOIN breakdown b ON b.item = m.id LEFT JOIN world w ON w.item = m.id
            WHERE m.kind IN ('mineral', 'product')),
        terms AS (
            SELECT dep.v AS industry, dep.d, dep.d * least(greatest(coalesce(sigma.s, 0), 0), 1) AS x
            FROM dep JOIN nodes n ON n.id = dep.v AND n.kind = 'industry'
            LEFT JOIN sigma ON sigma.item = dep.m WHERE dep.d > 0)
        SELECT industry, 1 - exp(sum(ln(1 - x))) AS score, sum(x) / sum(d) AS input_share,
               max(x) AS strongest
        FROM terms GROUP BY industry HAVING max(x) > 0""").fetchall()
    return {industry: {"score": score, "input_share": input_share, "strongest": strongest}
            for industry, score, input_share, strongest in rows}


# -------------------------------------------------------------- networkx

class NetworkX:
    name = "networkx"

    def load(self, graph):
        import networkx as nx
        import pandas as pd
        paths = files(graph)
        nodes = pd.read_csv(paths["nodes"], usecols=["id", "kind", "name"], dtype=str)
        edges = pd.read_csv(paths["edges"], usecols=["from", "to", "kind", "dependence:number"],
                            dtype={"from": str, "to": str, "kind": str})
        self.kind = dict(zip(nodes["id"], nodes["kind"]))
        self.names = dict(zip(nodes["id"], nodes["name"]))
        self.graph = nx.from_pandas_edgelist(edges, "from", "to")
        self.graph.add_nodes_from(self.kind)
        self.edges = edges

    def prepare(self):
        import networkx as nx
        edges = self.edges
        inner = [n for n, kind in self.kind.items() if kind != "country"]
        self.inner = self.graph.subgraph(inner).copy()
        used_in = edges[edges["kind"] == "used_in"]
        depends_on = edges[edges["kind"] == "depends_on"]
        down = nx.DiGraph()
        for src, dst, w in zip(used_in["from"], used_in["to"], used_in["dependence:number"]):
            down.add_edge(src, dst, cost=-math.log(0.5 if math.isnan(w) else w))
        for src, dst, w in zip(depends_on["from"], depends_on["to"], depends_on["dependence:number"]):
            down.add_edge(dst, src, cost=-math.log(1.0 if math.isnan(w) else w))
        self.down = down
        del self.edges

    def questions(self):
        return {
            "neighbors_1hop": self.neighbors_1hop,
            "neighbors_2hop": self.neighbors_2hop,
            "dependents": self.dependents,
            "path": self.path,
        }

    def neighbors_1hop(self):
        name, kind = self.names, self.kind
        return sorted((n, name[n], kind[n]) for n in self.graph["china"])

    def neighbors_2hop(self):
        import networkx as nx
        reached = nx.single_source_shortest_path_length(self.graph, "china", cutoff=2)
        name, kind = self.names, self.kind
        return sorted((n, name[n], kind[n]) for n in reached if n != "china")

    def dependents(self):
        import networkx as nx
        if DEPENDENTS_OF not in self.down:
            return {}
        costs = nx.single_source_dijkstra_path_length(self.down, DEPENDENTS_OF, weight="cost")
        return {n: math.exp(-c) for n, c in costs.items() if n != DEPENDENTS_OF}

    def path(self):
        import networkx as nx
        start, end = PATH_ENDS
        length = None
        for graph in (self.inner, self.graph):
            try:
                length = nx.shortest_path_length(graph, start, end)
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                continue
            if length <= PATH_MAX_HOPS:
                break
            length = None
        return {"length": length, "from": start, "to": end}


# ------------------------------------------------------------------ Kuzu

class Kuzu:
    name = "kuzu"

    def load(self, graph):
        import tempfile
        import kuzu
        self.folder = tempfile.mkdtemp(prefix="critmin-kuzu-")
        self.db = kuzu.Database(os.path.join(self.folder, "db"))
        self.conn = kuzu.Connection(self.db)
        paths = files(graph)
        self.conn.execute("""CREATE NODE TABLE Node(id STRING, kind STRING, name STRING,
            aliases STRING, sources STRING, PRIMARY KEY (id))""")
        self.conn.execute("""CREATE REL TABLE E(FROM Node TO Node, kind STRING, sources STRING,
            valid_from STRING, valid_to STRING, stage STRING, share DOUBLE, tonnes DOUBLE,
            year INT64, item STRING, dependence DOUBLE)""")
        self.conn.execute(f"COPY Node FROM '{paths['nodes']}' (header = true)")
        self.conn.execute(f"COPY E FROM '{paths['edges']}' (header = true)")

    def prepare(self):
        pass

    def questions(self):
        return {
            "neighbors_1hop": self.neighbors_1hop,
            "neighbors_2hop": self.neighbors_2hop,
            "path": self.path,
        }

    def rows(self, query):
        result = self.conn.execute(query)
        out = []
        while result.has_next():
            out.append(tuple(result.get_next()))
        return sorted(out)

    def neighbors_1hop(self):
        return self.rows("MATCH (a:Node {id: 'china'})-[:E]-(b:Node) RETURN DISTINCT b.id, b.name, b.kind")

    def neighbors_2hop(self):
        # Distinct first hop, then one more: a `*1..2` pattern enumerates
        # every path (seconds at 100k edges).
        return self.rows("""MATCH (a:Node {id: 'china'})-[:E]-(b:Node) WITH DISTINCT b
            MATCH (b)-[:E]-(c:Node) WITH collect(DISTINCT b) + collect(DISTINCT c) AS found
            UNWIND found AS n WITH DISTINCT n WHERE n.id <> 'china' RETURN n.id, n.name, n.kind""")

    def path(self):
        start, end = PATH_ENDS
        # Kuzu 0.11's SHORTEST ignores a node predicate, so the walk that
        # avoids countries enumerates the (small) country-free part instead.
        inner = self.conn.execute(f"""MATCH p = (a:Node {{id: '{start}'}})-[:E*1..{PATH_MAX_HOPS}
            (r, n | WHERE n.kind <> 'country')]-(b:Node {{id: '{end}'}}) RETURN min(length(p))""")
        length = inner.get_next()[0] if inner.has_next() else None
        if length is None:
            result = self.conn.execute(f"""MATCH p = (a:Node {{id: '{start}'}})-[:E* SHORTEST 1..{PATH_MAX_HOPS}]-(b:Node {{id: '{end}'}})
                RETURN length(p)""")
            length = result.get_next()[0] if result.has_next() else None
        return {"length": length, "from": start, "to": end}


TOOLS = {"duckdb": DuckDB, "networkx": NetworkX, "kuzu": Kuzu}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, choices=sorted(TOOLS))
    parser.add_argument("--graph", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers")
    parser.add_argument("--only", help="comma-separated question names")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    tool = TOOLS[args.tool]()
    start = time.perf_counter()
    tool.load(args.graph)
    load_s = time.perf_counter() - start
    load_peak = peak_rss_mb()
    if args.load_only:
        print(json.dumps({"tool": tool.name, "load_s": load_s, "load_peak_rss_mb": load_peak}))
        return
    start = time.perf_counter()
    tool.prepare()
    prepare_s = time.perf_counter() - start
    print(f"{tool.name}: loaded in {load_s:.3f} s (+{prepare_s:.3f} s adjacency), "
          f"peak {load_peak:.0f} MB", file=sys.stderr)
    only = set(args.only.split(",")) if args.only else None
    questions = {}
    for name, ask in tool.questions().items():
        if only and name not in only:
            continue
        times, answer = [], None
        try:
            for _ in range(max(1, args.runs)):
                start = time.perf_counter()
                answer = ask()
                times.append((time.perf_counter() - start) * 1e3)
        except Exception as err:  # a peer failing is reported, not fatal
            questions[name] = {"error": f"{type(err).__name__}: {err}"}
            print(f"{tool.name}: {name} failed: {err}", file=sys.stderr)
            continue
        questions[name] = {
            "median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "all_ms": times, "answer": answer,
        }
        print(f"{tool.name}: {name:<15} median {statistics.median(times):10.3f} ms", file=sys.stderr)
    report = {"tool": tool.name, "graph": args.graph, "load_s": load_s, "prepare_s": prepare_s,
              "load_peak_rss_mb": load_peak, "peak_rss_mb": peak_rss_mb(), "runs": args.runs,
              "questions": questions}
    text = json.dumps(report, indent=1)
    if args.answers:
        with open(args.answers, "w") as out:
            out.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
