"""Speed of `accounts hits` + `accounts elements` + report on 100,000 posts across 1,000 accounts.

    .venv/bin/pip install pandas            # only for the baseline
    .venv/bin/python benchmarks/accounts_speed.py [--posts-per-account 100] [--repeat 5]

Also end to end: the same posts written once as a MediaCrawler bilibili csv, imported into a fresh
store (read + parse + store) and then analysed, against pandas read_csv + groupby-median.

Generated data (onelegion.skills.accounts.synth, seed 500) is written once into a store; then, in
the same process and run, each repeat times:

- ours: load every snapshot from the store, score every post (age-adjusted rolling baselines),
  the elements analysis (features, lifts, within-account regression, title patterns) and the
  HTML report with its charts, plus the two CSVs;
- baseline: a plain pandas groupby-median "views / channel median" on the same posts (already in
  memory as a DataFrame: the baseline is given its data for free).

Medians over the repeats and their ratio are printed as a markdown row.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from onelegion.skills.accounts import columns
from onelegion.skills.accounts.elements import analyse
from onelegion.skills.accounts.hits import HitRules, score
from onelegion.skills.accounts.importers import ImportOptions, read_file
from onelegion.skills.accounts.models import ReportIn
from onelegion.skills.accounts.posts import load_posts
from onelegion.skills.accounts.report import render
from onelegion.skills.accounts.service import (
    ELEMENT_COLUMNS,
    HIT_COLUMNS,
    element_csv_rows,
    element_models,
    hit_csv_row,
    hit_rows,
    write_csv,
    write_text,
)
from onelegion.skills.accounts.store import AccountsStore, PostRecord
from onelegion.skills.accounts.synth import generate, write


def build(
    store: AccountsStore, accounts: int, per: int, csv_path: Path | None = None
) -> list[dict[str, object]]:
    data = generate(seed=500, accounts=accounts, posts_low=per // 2, posts_high=per * 3 // 2)
    if csv_path is not None:  # the same posts as a MediaCrawler bilibili csv, for the import stage
        write(data, csv_path, "mediacrawler-bili-csv", seed=500)
    recs = [
        PostRecord(
            platform="bili",
            post_id=p.post_id,
            account_id=p.account_id,
            account_name=p.account_name,
            title=p.title,
            captured_at=p.captured,
            published_at=p.published,
            metrics={
                "views": p.views,
                "likes": p.likes,
                "comments": p.comments,
                "shares": p.shares,
                "favorites": p.favorites,
            },
        )
        for p in data.posts
    ]
    store.write(recs, origin="bench", fmt="synth", rows=len(recs))
    return [{"channel": p.account_name, "views": p.views, "title": p.title} for p in data.posts]


STAGES: dict[str, list[float]] = {}


def _lap(name: str, t0: float) -> float:
    t = time.perf_counter()
    STAGES.setdefault(name, []).append(t - t0)
    return t


def ours(store: AccountsStore, out: Path) -> tuple[int, int]:
    import numpy as np

    t = time.perf_counter()
    posts = load_posts(store)
    t = _lap("load", t)
    s = score(posts, HitRules())
    t = _lap("score", t)
    mask = np.ones(len(posts), dtype=bool)
    hits = hit_rows(s, mask, "en")
    t = _lap("explain hits", t)
    res = analyse(s)
    els, pats = element_models(res)
    t = _lap("elements + patterns", t)
    write_csv(out / "hits.csv", HIT_COLUMNS, [hit_csv_row(h) for h in hits])
    write_csv(out / "elements.csv", ELEMENT_COLUMNS, element_csv_rows(els))
    write_text(out / "report.html", render(s, mask, hits, els, pats, ReportIn(), res.notes, "en"))
    _lap("report + csv", t)
    return len(posts), len(hits)


IMPORT_CPU: dict[str, list[float]] = {}


def import_file(csv_path: Path, db: Path) -> AccountsStore:
    t = time.perf_counter()
    c = time.process_time()
    res = read_file(csv_path, ImportOptions(format="mediacrawler"))
    IMPORT_CPU.setdefault("read + parse (column-wise)", []).append(time.process_time() - c)
    t = _lap("import: read + parse", t)
    c = time.process_time()
    store = AccountsStore(db)
    store.write(res.records, res.creators, origin=str(csv_path), fmt="mediacrawler", rows=res.rows)
    IMPORT_CPU.setdefault("store write", []).append(time.process_time() - c)
    _lap("import: store write", t)
    return store


def read_row_wise(csv_path: Path) -> int:
    """The previous importer (one Python call per cell), for the same-run ratio."""
    orig = columns.records
    columns.records = lambda *a, **k: None  # type: ignore[assignment]
    try:
        c = time.process_time()
        res = read_file(csv_path, ImportOptions(format="mediacrawler"))
        IMPORT_CPU.setdefault("read + parse (row-wise, before)", []).append(time.process_time() - c)
    finally:
        columns.records = orig  # type: ignore[assignment]
    return len(res.records)


def baseline_e2e(csv_path: Path) -> int:
    import pandas as pd

    df = pd.read_csv(csv_path, encoding="utf-8-sig")
    med = df.groupby("user_id")["video_play_count"].transform("median")
    return int((df["video_play_count"] / med >= 4).sum())


def baseline(df: object) -> int:
    import pandas as pd

    assert isinstance(df, pd.DataFrame)
    med = df.groupby("channel")["views"].transform("median")
    ratio = df["views"] / med
    return int((ratio >= 4).sum())


def main(argv: list[str]) -> None:
    import pandas as pd

    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--posts-per-account", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as td:
        store = AccountsStore(Path(td) / "a.db")
        csv_path = Path(td) / "posts.csv"
        t0 = time.perf_counter()
        rows = build(store, a.accounts, a.posts_per_account, csv_path)
        setup = time.perf_counter() - t0
        df = pd.DataFrame(rows)
        t_ours: list[float] = []
        t_e2e: list[float] = []
        t_base: list[float] = []
        t_base_e2e: list[float] = []
        cpu_ours: list[float] = []
        cpu_e2e: list[float] = []
        loads: list[float] = []
        n = hits = 0
        for k in range(a.repeat):
            # end to end: import the csv into a fresh store, then the analysis and the report
            t = time.perf_counter()
            c = time.process_time()
            fresh = import_file(csv_path, Path(td) / f"e2e{k}.db")
            ours(fresh, Path(td))
            t_e2e.append(time.perf_counter() - t)
            cpu_e2e.append(time.process_time() - c)
            read_row_wise(csv_path)
            # analysis only (the target): the store already holds the posts
            t = time.perf_counter()
            c = time.process_time()
            n, hits = ours(store, Path(td))
            t_ours.append(time.perf_counter() - t)
            cpu_ours.append(time.process_time() - c)
            t = time.perf_counter()
            baseline(df)
            t_base.append(time.perf_counter() - t)
            t = time.perf_counter()
            baseline_e2e(csv_path)
            t_base_e2e.append(time.perf_counter() - t)
            loads.append(os.getloadavg()[0])
    med = statistics.median
    mo, mb, me, mbe = med(t_ours), med(t_base), med(t_e2e), med(t_base_e2e)
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; setup (generate + store) {setup:.1f} s"
    )
    print(
        "| what | posts | accounts | hits | ours median wall s | ours median CPU s "
        "| pandas baseline s | ratio (wall) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| hits + elements + report | {n:,} | {a.accounts:,} | {hits:,} | {mo:.2f} | "
        f"{med(cpu_ours):.2f} | {mb:.3f} (groupby-median in memory) | {mo / mb:.0f}x |"
    )
    print(
        f"| import csv + the same | {n:,} | {a.accounts:,} | {hits:,} | {me:.2f} | "
        f"{med(cpu_e2e):.2f} | {mbe:.3f} (read_csv + groupby-median) | {me / mbe:.0f}x |"
    )
    print(
        f"load average (1 min) at the start {load0:.1f}, after each repeat "
        + ", ".join(f"{x:.1f}" for x in loads)
        + f" on {os.cpu_count()} cores"
    )
    print("import CPU (median s):", ", ".join(f"{k} {med(v):.2f}" for k, v in IMPORT_CPU.items()))
    print("stages (median s):", ", ".join(f"{k} {med(v):.2f}" for k, v in STAGES.items()))
    print("runs analysis:", ", ".join(f"{x:.2f}" for x in t_ours))
    print("runs end to end:", ", ".join(f"{x:.2f}" for x in t_e2e))
    print(
        "baseline:",
        ", ".join(f"{x:.3f}" for x in t_base),
        "· e2e",
        ", ".join(f"{x:.3f}" for x in t_base_e2e),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
