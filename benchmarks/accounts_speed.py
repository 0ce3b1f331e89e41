"""Speed of `accounts hits` + `accounts elements` + report on 100,000 posts across 1,000 accounts.

    .venv/bin/pip install pandas            # only for the baseline
    .venv/bin/python benchmarks/accounts_speed.py [--posts-per-account 100] [--repeat 5]

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

from onelegion.skills.accounts.elements import analyse
from onelegion.skills.accounts.hits import HitRules, score
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
from onelegion.skills.accounts.synth import generate


def build(store: AccountsStore, accounts: int, per: int) -> list[dict[str, object]]:
    data = generate(seed=500, accounts=accounts, posts_low=per // 2, posts_high=per * 3 // 2)
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
    with tempfile.TemporaryDirectory() as td:
        store = AccountsStore(Path(td) / "a.db")
        t0 = time.perf_counter()
        rows = build(store, a.accounts, a.posts_per_account)
        setup = time.perf_counter() - t0
        df = pd.DataFrame(rows)
        t_ours: list[float] = []
        t_base: list[float] = []
        cpu_ours: list[float] = []
        n = hits = 0
        for _ in range(a.repeat):
            t = time.perf_counter()
            c = time.process_time()
            n, hits = ours(store, Path(td))
            t_ours.append(time.perf_counter() - t)
            cpu_ours.append(time.process_time() - c)
            t = time.perf_counter()
            baseline(df)
            t_base.append(time.perf_counter() - t)
    mo, mb = statistics.median(t_ours), statistics.median(t_base)
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; setup (generate + store) {setup:.1f} s"
    )
    print("| posts | accounts | hits | ours median s | pandas groupby-median s | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {n:,} | {a.accounts:,} | {hits:,} | {mo:.2f} | {mb:.3f} | {mo / mb:.0f}x |")
    print(
        f"CPU time of ours (all threads), median: {statistics.median(cpu_ours):.2f} s; "
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        "stages (median s):",
        ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in STAGES.items()),
    )
    print(
        "runs ours:",
        ", ".join(f"{x:.2f}" for x in t_ours),
        "· baseline:",
        ", ".join(f"{x:.3f}" for x in t_base),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
