"""Import timing: the full January–March 2024 Weibo + Zhihu archives (justjavac daily JSON).

Each run imports both archives into a fresh history through the same code as `legion radar import`
(service.import_archive: read, normalise, dedupe, DuckDB insert, item upsert). Baseline in the same
run: only reading and parsing the JSON files (json.loads of every file), the floor any importer pays.
Target: under 10 s. Run: python benchmarks/radar_import.py [DATA_DIR] [RUNS]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.core.context import Context  # noqa: E402
from onelegion.skills.radar.service import import_archive  # noqa: E402
from onelegion.skills.radar.store import HistoryStore  # noqa: E402

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data/radar")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def one_run() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Context.for_testing(Path(tmp))
        store = HistoryStore(Path(tmp) / "h.duckdb")
        t0 = time.perf_counter()
        rows = 0
        for name in ("weibo", "zhihu"):
            rows += import_archive(ctx, store, DATA / name, "justjavac", name, False).rows_added
        return time.perf_counter() - t0, rows


def baseline() -> float:
    t0 = time.perf_counter()
    for name in ("weibo", "zhihu"):
        for f in sorted((DATA / name / "raw").glob("*.json")):
            json.loads(f.read_bytes())
    return time.perf_counter() - t0


def main() -> None:
    one_run()  # warm the OS file cache and imports
    times, rows = [], 0
    base = []
    for _ in range(RUNS):
        t, rows = one_run()
        times.append(t)
        base.append(baseline())
    med, bmed = statistics.median(times), statistics.median(base)
    print(f"rows imported per run: {rows}")
    print(f"import (median of {RUNS}): {med:.2f} s  [min {min(times):.2f}, max {max(times):.2f}]")
    print(f"baseline json.loads only: {bmed:.2f} s  -> import / baseline = {med / bmed:.1f}x")


if __name__ == "__main__":
    main()
