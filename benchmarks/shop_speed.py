"""Shop speed: the full `shop report` on 1,000,000 Amazon order lines + matching settlements, ads
and inventory, side by side with loading the same files into DuckDB alone (same run).

Each measurement runs in a fresh process (wall time, peak RSS of that process). The report's
P&L totals are checked against the generator's independently computed totals.

    python benchmarks/shop_speed.py --lines 1000000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD_DUCKDB = r"""
import json, resource, sys, time
from pathlib import Path
import duckdb
t = time.perf_counter()
con = duckdb.connect()
rows = 0
for i, p in enumerate(sorted(Path(sys.argv[1]).iterdir())):
    delim = "\t" if p.suffix == ".txt" else ","
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{p}', delim='{delim}', header=true, all_varchar=true)")
    rows += con.execute(f"SELECT count(*) FROM t{i}").fetchone()[0]
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
"""

CHILD_REPORT = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
t = time.perf_counter()
from onelegion.core.context import Context
from onelegion.skills.shop import shop_report
from onelegion.skills.shop.models import ShopReportIn
out = shop_report(Context.for_testing(Path(tempfile.mkdtemp())), ShopReportIn(path=Path(sys.argv[1])))
tot = {x.currency: x.model_dump() for x in out.totals}
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "totals": tot, "mismatches": [c.detail for c in out.checks if c.status == "mismatch"]}))
"""


def child(code: str, folder: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            ln.split()[1]
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        ),
        "0",
    )
    return f"{os.cpu_count()} cores ({cpu}), {int(mem) / 2**20:.1f} GB RAM, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--data", type=Path, default=None, help="reuse/generate the exports here")
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from shop_gen_big import generate

    folder = a.data or Path(tempfile.mkdtemp()) / "big"
    t = time.perf_counter()
    expected = generate(folder, a.lines)
    gen_s = time.perf_counter() - t
    size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    load0 = os.getloadavg()
    base, full = [], []
    for _ in range(a.repeats):  # interleaved, so both see the same machine
        base.append(child(CHILD_DUCKDB, folder))
        full.append(child(CHILD_REPORT, folder))
    load1 = os.getloadavg()
    usd = full[-1]["totals"]["USD"]  # type: ignore[index]
    ok = all(
        round(float(usd[k]) * 100) == expected[k]  # type: ignore[index]
        for k in ("revenue", "refunds", "fees", "ads", "cogs", "contribution")
    )
    med_b = statistics.median(float(x["seconds"]) for x in base)  # type: ignore[arg-type]
    med_f = statistics.median(float(x["seconds"]) for x in full)  # type: ignore[arg-type]
    rss_b = max(float(x["rss_mb"]) for x in base)  # type: ignore[arg-type]
    rss_f = max(float(x["rss_mb"]) for x in full)  # type: ignore[arg-type]
    print(
        json.dumps(
            {
                "machine": machine(),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "lines": a.lines,
                "settlement_rows": expected["settlement_rows"],
                "files_mb": round(size),
                "generate_s": round(gen_s, 1),
                "duckdb_load_s": [round(float(x["seconds"]), 2) for x in base],  # type: ignore[arg-type]
                "report_s": [round(float(x["seconds"]), 2) for x in full],  # type: ignore[arg-type]
                "median_duckdb_s": round(med_b, 2),
                "median_report_s": round(med_f, 2),
                "ratio": round(med_f / med_b, 2),
                "peak_rss_duckdb_mb": round(rss_b),
                "peak_rss_report_mb": round(rss_f),
                "totals_equal_truth": ok,
                "mismatches": full[-1]["mismatches"],
                "loadavg_start": [round(x, 1) for x in load0],
                "loadavg_end": [round(x, 1) for x in load1],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
