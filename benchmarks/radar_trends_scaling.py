"""How `radar trends` grows with the window's text (issue 10: one 2,000,000-character title took
180 s; analysis cost must be linear in the window's text).

    python benchmarks/radar_trends_scaling.py [--runs 3] [--scales 1,4,16]

A generated history (two platforms, hourly lists over 4 weeks, titles made of Chinese and English
words, a fifth of each list new every hour) is analysed over its last 7 days, as `legion radar
trends --since 7d` does. Two ways of growing the window's text by each scale factor s:
  items   s × 40 items a list (more titles: more rows, more distinct items)
  length  titles s × as long (longer titles, up to the 500-character cap on the way in)
Timed: the first analysis (which also tokenises the window's new titles, once) and the median of
the warm ones. Baseline in the same run: a DuckDB scan summing the length of every title in the
window (the least any analysis of the text must read). The ratio to scale 1 shows the growth:
linear is ≈ s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.skills.radar.analysis import analyse  # noqa: E402
from onelegion.skills.radar.items import HotItem  # noqa: E402
from onelegion.skills.radar.store import HistoryStore, Snapshot  # noqa: E402

_R = random.Random(3)
# 3,000 two-character words of common CJK characters, 400 English words: titles share terms about
# as often as real hot lists do (a tiny vocabulary makes every title a neighbour of every other,
# see RESULTS-radar.md)
_ZH = ["".join(chr(0x4E00 + _R.randrange(3000)) for _ in range(2)) for _ in range(3000)]
_EN = ["".join(chr(97 + _R.randrange(26)) for _ in range(_R.randint(3, 8))) for _ in range(400)]
END = datetime(2024, 3, 31, tzinfo=UTC)
DAYS = 28


def build(store: HistoryStore, per_list: int, words: int, seed: int = 7) -> tuple[int, int]:
    rng = random.Random(seed)
    n = [0]

    def title(src: str) -> str:
        n[0] += 1
        pool = _ZH if src == "weibo" else _ZH + _EN
        return " ".join(rng.choice(pool) for _ in range(words)) + f" {n[0]}"

    lists = {s: [title(s) for _ in range(per_list)] for s in ("weibo", "zhihu")}
    snaps = []
    chars = 0
    for h in range(DAYS * 24):
        at = END - timedelta(hours=DAYS * 24 - h)
        for src, lst in lists.items():
            for i in rng.sample(range(per_list), per_list // 5):
                lst[i] = title(src)
            items = [
                HotItem(source=src, rank=r, title=t, heat=float(rng.randint(1, 10**6)))
                for r, t in enumerate(lst, 1)
            ]
            snaps.append(Snapshot(src, at, items, origin="bench"))
            if at > END - timedelta(days=7):
                chars += sum(len(i.title) for i in items)
        if len(snaps) >= 200:
            store.add(snaps)
            snaps = []
    store.add(snaps)
    with store.connect() as con:
        rows = int(con.execute("SELECT count(*) FROM snapshots").fetchone()[0])  # type: ignore[index]
    return rows, chars


def baseline(store: HistoryStore) -> float:
    t0 = time.perf_counter()
    with store.connect() as con:
        con.execute(
            "SELECT sum(length(title)) FROM snapshots WHERE captured_at > ?",
            [(END - timedelta(days=7)).replace(tzinfo=None)],
        ).fetchall()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scales", default="1,4,16")
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}")
    print(
        "| grow | scale | window chars | rows stored | first | warm (median) | warm / scale 1 | baseline |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for grow in ("items", "length"):
        ref = None
        for s in scales:
            per_list, words = (40 * s, 4) if grow == "items" else (40, 4 * s)
            with tempfile.TemporaryDirectory() as tmp:
                store = HistoryStore(Path(tmp) / "h.duckdb")
                rows, chars = build(store, per_list, words)
                since = END - timedelta(days=7)
                t0 = time.perf_counter()
                analyse(store, since, END)
                first = time.perf_counter() - t0
                warm = []
                base = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    analyse(store, since, END)
                    warm.append(time.perf_counter() - t0)
                    base.append(baseline(store))
                w = statistics.median(warm)
                ref = ref or w
                print(
                    f"| {grow} | {s} | {chars:,} | {rows:,} | {first:.2f} s | {w:.2f} s | "
                    f"{w / ref:.1f}× | {statistics.median(base) * 1000:.0f} ms |"
                )


if __name__ == "__main__":
    main()
