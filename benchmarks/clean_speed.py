"""End-to-end speed and peak memory of ``clean.table`` on generated market data (16 columns).

Each measurement runs in a fresh Python process (so peak RSS is that run's own) and reports the
skill's wall time (imports excluded) and the process's peak resident memory. The baseline, in
the same run and the same way: DuckDB reading the same CSV (all columns as text) and writing it
back out, i.e. the cost of merely passing the table through a fast engine.

    python benchmarks/clean_speed.py                          # 30k rows x 5 runs + 1M rows x 1 run
    python benchmarks/clean_speed.py --large-rows 0           # skip the 1M run
    python benchmarks/clean_speed.py --cache /tmp/market-data # where generated inputs are kept
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

_CLEAN = r"""
import json, resource, sys, time
from pathlib import Path
from onelegion.core.context import Context
from onelegion.skills.clean import clean_table
from onelegion.skills.clean.models import CleanTableIn
src, work = Path(sys.argv[1]), Path(sys.argv[2])
ctx = Context.for_testing(work)
t = time.perf_counter()
out = clean_table(ctx, CleanTableIn(path=src, output=work / "out.csv"))
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak_bytes": peak}))
"""

_DUCKDB = r"""
import json, resource, sys, time
import duckdb
src, work = sys.argv[1], sys.argv[2]
t = time.perf_counter()
con = duckdb.connect()
con.execute(f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true, header=true)) TO '{work}/out.csv' (HEADER)")
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak_bytes": peak}))
"""


def _measure(code: str, src: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(src), work],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise SystemExit(f"measurement failed:\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _ensure_data(cache: Path, rows: int) -> Path:
    folder = cache / f"market-{rows}"
    if not (folder / "dirty.csv").exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_market_data.py"), str(folder), "--rows", str(rows)],
            check=True,
        )
    return folder / "dirty.csv"


def bench(src: Path, runs: int) -> dict[str, Any]:
    clean = [_measure(_CLEAN, src) for _ in range(runs)]
    base = [_measure(_DUCKDB, src) for _ in range(runs)]
    c_med = statistics.median(r["seconds"] for r in clean)
    b_med = statistics.median(r["seconds"] for r in base)
    return {
        "file": str(src),
        "bytes": src.stat().st_size,
        "runs": runs,
        "clean_seconds": [round(r["seconds"], 3) for r in clean],
        "clean_median": round(c_med, 3),
        "clean_peak_mb": round(max(r["peak_bytes"] for r in clean) / 2**20, 1),
        "duckdb_seconds": [round(r["seconds"], 3) for r in base],
        "duckdb_median": round(b_med, 3),
        "duckdb_peak_mb": round(max(r["peak_bytes"] for r in base) / 2**20, 1),
        "ratio": round(c_med / b_med, 1) if b_med else None,
    }


def _machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem, 1), "load": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--large-rows", type=int, default=1_000_000, help="0 to skip")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "onelegion-bench")
    args = ap.parse_args(argv)
    results: dict[str, Any] = {"machine": _machine()}
    results[str(args.rows)] = bench(_ensure_data(args.cache, args.rows), args.runs)
    if args.large_rows:
        results[str(args.large_rows)] = bench(_ensure_data(args.cache, args.large_rows), 1)
    print(json.dumps(results, indent=2))
    print(
        "| rows | runs | clean.table median s | peak MB | DuckDB read+write median s | peak MB | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    for key, r in results.items():
        if key == "machine":
            continue
        print(
            f"| {int(key):,} | {r['runs']} | {r['clean_median']} | {r['clean_peak_mb']} | "
            f"{r['duckdb_median']} | {r['duckdb_peak_mb']} | {r['ratio']}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
