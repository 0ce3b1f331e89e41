"""Trends over 5 million stored rows in under 2 s.

Synthetic history: the real Jan–Mar 2024 Weibo + Zhihu archives, replayed as hourly snapshots (each
day's list at every hour of the day) and shifted by 91-day blocks until the history holds >= 5M rows
(about a year of hourly scans). Then `analyse` (what `legion radar trends --since 7d` runs: window
stats, rising reasons, bursts over the window and three before it, cross-platform clustering,
trajectories) is timed on the last 7 days, warm (median of RUNS; first call, which also tokenises the
window's items once, reported separately). Baseline in the same run: one plain DuckDB GROUP BY title
over the same window. Run: python benchmarks/radar_trends.py [DATA_DIR] [RUNS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.skills.radar.analysis import analyse  # noqa: E402
from onelegion.skills.radar.importers import read_archive  # noqa: E402
from onelegion.skills.radar.store import HistoryStore  # noqa: E402

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data/radar")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
TARGET = 5_000_000


def build(store: HistoryStore) -> int:
    for name in ("weibo", "zhihu"):
        store.add(list(read_archive(DATA / name, "justjavac", name)))
    with store.connect() as con:
        base = con.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        blocks = -(-TARGET // (base * 24))
        con.execute("CREATE TEMP TABLE s0 AS SELECT * FROM snapshots")
        con.execute("CREATE TEMP TABLE c0 AS SELECT * FROM captures")
        con.execute("DELETE FROM snapshots")
        con.execute("DELETE FROM captures")
        # hour h of block b: the day's list at 00:00+h of that day, 91*b days later
        shift = "(INTERVAL 1 HOUR * h.range) - INTERVAL 86399 SECOND + (INTERVAL 91 DAY * b.range)"
        con.execute(
            f"INSERT INTO snapshots SELECT s.source, s.captured_at + {shift}, s.rank, s.item_key, s.title, "
            f"s.url, s.heat, s.heat_text, s.extras FROM s0 s, range(24) h, range({blocks}) b"
        )
        con.execute(
            f"INSERT INTO captures SELECT c.source, c.captured_at + {shift}, c.n_items, 'synthetic' "
            f"FROM c0 c, range(24) h, range({blocks}) b"
        )
        con.execute(
            "UPDATE items SET first_seen = a.f, last_seen = a.l, appearances = a.n FROM "
            "(SELECT item_key, min(captured_at) f, max(captured_at) l, count(*) n FROM snapshots GROUP BY 1) a "
            "WHERE items.item_key = a.item_key"
        )
        return int(con.execute("SELECT count(*) FROM snapshots").fetchone()[0])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "h.duckdb")
        t0 = time.perf_counter()
        rows = build(store)
        print(f"synthetic history: {rows:,} rows (built in {time.perf_counter() - t0:.1f} s)")
        _, last = store.time_range()
        assert last is not None
        start, end = last - timedelta(days=7), last
        t0 = time.perf_counter()
        a = analyse(store, start, end)
        print(f"first call (tokenises the window's items once): {time.perf_counter() - t0:.2f} s")
        times, cpu, kw_times, base = [], [], [], []
        for _ in range(RUNS):
            t0, c0 = time.perf_counter(), time.process_time()
            a = analyse(store, start, end)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            t0 = time.perf_counter()
            analyse(store, start, end, keyword="两会", sources=["weibo"])
            kw_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.query(
                "SELECT title, count(*), min(rank) FROM snapshots WHERE captured_at > ? AND captured_at <= ? "
                "GROUP BY title ORDER BY 2 DESC LIMIT 50",
                [start, end],
            )
            base.append(time.perf_counter() - t0)
        in_window = store.query(
            "SELECT count(*) FROM snapshots WHERE captured_at > ? AND captured_at <= ?",
            [start, end],
        )[0][0]
        med, kmed, bmed = (
            statistics.median(times),
            statistics.median(kw_times),
            statistics.median(base),
        )
        print(
            f"window: 7 days, {in_window:,} rows, {a.items_seen} items, {len(a.events)} cross-platform events"
        )
        print(
            f"trends 7d (median of {RUNS}): {med:.2f} s wall, {statistics.median(cpu):.2f} s CPU  "
            f"[min {min(times):.2f}, max {max(times):.2f}]"
        )
        print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} (2 cores)")
        print(f"trends 7d --platform weibo --keyword 两会 (median): {kmed:.2f} s")
        print(
            f"baseline GROUP BY title over the window: {bmed:.3f} s -> trends / baseline = {med / bmed:.0f}x"
        )


if __name__ == "__main__":
    main()
