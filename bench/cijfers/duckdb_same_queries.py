#!/usr/bin/env python3
"""The DuckDB side of bench/cijfers through DuckDB's Python package (the same engine version as
the duckdb crate's bundled sources, 2.0.1), for a machine where compiling the crate's C++ takes
too long (it did on the shared 2-core machine: bench/README.md, "Stad in cijfers").

The same tables and the same dataset shape as src/data.rs (the region, 5 provinces, 300
municipalities, 140 wijken, 9,600 sectors of which Gent's 3,000 with the same display
geometry; 87 indicators down to sectors and 413 municipal ones over 10 years: 10,003,800
values, about 1 % of sector values suppressed), generated inside DuckDB with INSERT … SELECT
(the figures are hash-made, not those of src/data.rs; the counts are the same), and the same
SQL text as src/duck.rs. Then the import's million values (10 indicators, every place, 10
years) with INSERT … SELECT. Rows are fetched into Python objects (fetchall), which costs more
than the Rust client would: the figures are an upper bound for DuckDB.

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install duckdb==2.0.1
  /tmp/venv/bin/python bench/cijfers/duckdb_same_queries.py        # REPS, BUDGET_S as the bench
"""

import csv
import math
import os
import tempfile
import time

import duckdb

REPS = int(os.environ.get("REPS", "200"))
BUDGET = float(os.environ.get("BUDGET_S", "45"))
CITIES = ["41002", "11002", "31005", "71016", "44021", "71072", "34022", "24062", "12025",
          "35013", "36015", "46021", "13040", "21004"]
GENT = "44021"

SCHEMA = open(os.path.join(os.path.dirname(__file__), "src", "duck.rs"), encoding="utf-8").read()
SCHEMA = SCHEMA.split('const SCHEMA: &str = "', 1)[1].split('";', 1)[0]
PUBLIC_SERIES = open(os.path.join(os.path.dirname(__file__), "src", "duck.rs"), encoding="utf-8").read()
PUBLIC_SERIES = PUBLIC_SERIES.split('const PUBLIC_SERIES: &str = "', 1)[1].split('";', 1)[0]


def ident(kind, n):
    """A 32-hex id in creation order, as UUIDv7 ids are."""
    return f"{kind:04x}{n:028x}"


def gent_geometry(k):
    col, row = k % 60, k // 60
    x0, y0, dx, dy = 3.66, 51.02, 0.0025, 0.0016
    corners = [(x0 + c * dx, y0 + r * dy) for c, r in
               ((col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1))]
    ring = []
    for i in range(4):
        (ax, ay), (bx, by) = corners[i], corners[(i + 1) % 4]
        for step in range(7):
            t = step / 7
            x, y = ax + (bx - ax) * t, ay + (by - ay) * t
            wobble = ((round(x * 1e5) * 7 + round(y * 1e5) * 13) % 40 - 20) * 1e-6
            if step and ay == by:
                y += wobble
            elif step:
                x += wobble
            ring.append(f"[{x:.6f},{y:.6f}]")
    ring.append(ring[0])
    return '{"type":"Polygon","coordinates":[[' + ",".join(ring) + "]]}"


def places():
    out = [("gewest", "02000", "Vlaams Gewest", None)]
    out += [("provincie", c, f"Provincie {c}", None) for c in ("10000", "20001", "30000", "40000", "70000")]
    munis = CITIES + [f"{[1, 2, 3, 4, 7][i % 5]}{8000 + i:04d}" for i in range(286)]
    out += [("gemeente", c, f"Gemeente {c}", None) for c in munis]
    out += [("wijk", f"{c}W{w:02d}", f"{c} wijk {w + 1}", c) for c in CITIES for w in range(10)]
    for n, c in enumerate(munis):
        count = (3000 if c == GENT else 1200 if c == "11002" else 150 if n < 14
                 else 13 if n - 14 < 168 else 12)
        for k in range(count):
            suffix = "-" if k // 2600 == 0 else str(k // 2600)
            out.append(("sector", f"{c}{chr(65 + (k // 100) % 26)}{k % 100:02d}{suffix}",
                        f"{c} sector {k + 1}", c))
    return out


def measure(f):
    t = time.perf_counter()
    size = f()
    slow = time.perf_counter() - t > 1
    if not slow:
        f(), f()
    least = 5 if slow else 20
    samples, started = [], time.perf_counter()
    while len(samples) < REPS and (len(samples) < least or time.perf_counter() - started < BUDGET):
        t = time.perf_counter()
        size = f()
        samples.append(time.perf_counter() - t)
    samples.sort()
    at = lambda q: samples[min(len(samples), max(1, math.ceil(len(samples) * q))) - 1]
    return len(samples), at(0.5), at(0.95), at(0.99), size


def main():
    with tempfile.TemporaryDirectory() as tmp:
        run(tmp)


def run(tmp):
    con = duckdb.connect(os.path.join(tmp, "cijfers.duckdb"))
    con.execute(SCHEMA)
    started = time.perf_counter()
    with open(os.path.join(tmp, "places.csv"), "w", newline="") as f:
        w, k = csv.writer(f), 0
        for n, (level, code, name, muni) in enumerate(places()):
            geometry = None
            if level == "sector" and muni == GENT:
                geometry, k = gent_geometry(k), k + 1
            w.writerow([ident(1, n), level, code, name, muni or "", geometry or "", n])
    con.execute(f"""CREATE TEMP TABLE geo_n AS SELECT * FROM read_csv('{tmp}/places.csv',
        header = false, columns = {{'id': 'TEXT', 'level': 'TEXT', 'code': 'TEXT', 'name': 'TEXT',
        'municipality_code': 'TEXT', 'geometry': 'TEXT', 'n': 'BIGINT'}})""")
    con.execute("""INSERT INTO cijfers_geo_items SELECT id, level, code, name,
        NULLIF(municipality_code, ''), NULLIF(geometry, '') FROM geo_n ORDER BY n""")
    inds = [(ident(2, n), f"bench_s{n + 1:03d}", True, 1) for n in range(87)]
    inds += [(ident(2, 87 + n), f"bench_g{n + 1:03d}", False, 1) for n in range(413)]
    inds += [(ident(2, 500 + n), f"bench_imp{n + 1:02d}", True, 0) for n in range(10)]
    con.execute("CREATE TEMP TABLE ind_n (id TEXT, code TEXT, sectors BOOLEAN, published SMALLINT, n BIGINT)")
    con.executemany("INSERT INTO ind_n VALUES (?, ?, ?, ?, ?)", [i + (n,) for n, i in enumerate(inds)])
    con.execute("INSERT INTO cijfers_indicators SELECT id, code, code, published, published FROM ind_n ORDER BY n")
    con.execute("""INSERT INTO cijfers_periods SELECT printf('%04x%028x', 3, y - 2016), 'year',
        y::TEXT, y::TEXT || '-01-01' FROM range(2016, 2026) t(y)""")
    setup = time.perf_counter() - started

    def insert(published):
        return f"""INSERT INTO cijfers_values
            SELECT i.id, g.id, p.id,
                   CASE WHEN g.level = 'sector' AND hash(i.n, g.n, p.code) % 100 = 0 THEN NULL
                        ELSE round(700 * (1 + hash(i.n, g.n) % 500 / 1000.0) *
                             (1 + (p.code::INT - 2016) / 100.0), 1) END,
                   CASE WHEN g.level = 'sector' AND hash(i.n, g.n, p.code) % 100 = 0
                        THEN 'suppressed' ELSE 'definitive' END,
                   NULL, 1765000000000,
                   CASE WHEN NOT {published} THEN 'pending'
                        WHEN g.level = 'sector' AND hash(i.n, g.n, p.code) % 100 = 0 THEN 'primary'
                        ELSE 'passed' END
            FROM ind_n i JOIN geo_n g ON i.sectors OR g.level IN ('gewest', 'provincie', 'gemeente')
            CROSS JOIN cijfers_periods p
            WHERE i.published = {1 if published else 0}
            ORDER BY i.n, g.n, p.code"""

    started = time.perf_counter()
    con.execute(insert(True))
    con.execute("CHECKPOINT")
    load = time.perf_counter() - started
    count = con.execute("SELECT count(*) FROM cijfers_values").fetchone()[0]
    size = os.path.getsize(os.path.join(tmp, "cijfers.duckdb"))
    print("\n### DuckDB (Python package %s, threads %s)\n" % (
        duckdb.__version__, con.execute("SELECT current_setting('threads')").fetchone()[0]))
    print(f"- places, indicators, periods {setup:.1f} s; {count} values with INSERT … SELECT "
          f"{load:.1f} s ({count / load:.0f} values/s); file {size / 1e6:.0f} MB")
    print("\n| backend | measurement | runs | p50 | p95 | p99 | size |")
    print("|---|---|---:|---:|---:|---:|---:|")

    def series(code, level):
        return con.execute(PUBLIC_SERIES, [code, level]).fetchall()

    def sheet():
        n = 0
        for code in [f"bench_s{i:03d}" for i in range(1, 5)] + [f"bench_g{i:03d}" for i in range(1, 5)]:
            con.execute("SELECT id, code, name, published, disclosure_passed FROM cijfers_indicators "
                        "WHERE code = $1", [code]).fetchall()
            n += len(series(code, ""))
        return n

    def city_map():
        q = ("SELECT code, name, geometry FROM cijfers_geo_items WHERE level = $1 AND "
             "municipality_code = $2 AND geometry IS NOT NULL ORDER BY code")
        sectors = con.execute(q, ["sector", GENT]).fetchall()
        con.execute(q, ["wijk", GENT]).fetchall()
        con.execute("""SELECT DISTINCT p.code, p.starts_on FROM cijfers_values v
             JOIN cijfers_indicators i ON i.id = v.indicator_id
             JOIN cijfers_geo_items g ON g.id = v.geo_item_id
             JOIN cijfers_periods p ON p.id = v.period_id
             WHERE i.code = $1 AND i.published = 1 AND g.level = $2 AND g.municipality_code = $3
             ORDER BY p.starts_on""", ["bench_s001", "sector", GENT]).fetchall()
        rows = series("bench_s001", "sector")
        con.execute("""SELECT g.code FROM cijfers_values v
             JOIN cijfers_indicators i ON i.id = v.indicator_id
             JOIN cijfers_geo_items g ON g.id = v.geo_item_id
             JOIN cijfers_periods p ON p.id = v.period_id
             WHERE i.code = $1 AND i.published = 1 AND v.status = 'suppressed'
               AND g.level = $2 AND g.municipality_code = $3 AND p.code = $4 ORDER BY g.code""",
                    ["bench_s001", "sector", GENT, "2025"]).fetchall()
        return len(sectors) + len(rows)

    for what, f in [
        ("fact sheet's reads (8 × public_series)", sheet),
        ("comparison's read (all levels)", lambda: len(series("bench_s001", ""))),
        ("comparison at municipality level only", lambda: len(series("bench_s001", "gemeente"))),
        ("map's reads (3,000 sectors)", city_map),
    ]:
        runs, p50, p95, p99, n = measure(f)
        print(f"| duckdb | {what} | {runs} | {p50 * 1000:.2f} ms | {p95 * 1000:.2f} ms | "
              f"{p99 * 1000:.2f} ms | {n} rows |")
    started = time.perf_counter()
    con.execute(insert(False))
    con.execute("CHECKPOINT")
    took = time.perf_counter() - started
    total = con.execute("SELECT count(*) FROM cijfers_values").fetchone()[0]
    print(f"\n- insert of the import's {total - count} values (INSERT … SELECT, primary key "
          f"checked; no parsing): {took:.1f} s")


if __name__ == "__main__":
    main()
