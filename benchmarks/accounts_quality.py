"""Quality of `accounts hits` and `accounts elements` on generated creator data with ground truth.

    .venv/bin/python benchmarks/accounts_quality.py            # dev and hold-out, markdown table
    .venv/bin/python benchmarks/accounts_quality.py --only dev --only dev2

Each case generates data (onelegion.skills.accounts.synth), writes it in a layout (MediaCrawler
csv/json, Chinese/English tables with shuffled columns and 1.2万 / 12.5K counts), imports it
through the real importer into a fresh store, scores it and compares with the planted truth:

- hits: precision / recall of planted hits
- hidden hits: precision = predicted hidden hits that are planted hits; recall = planted hits
  that raw sorting would not show (same definition as the scorer, on the observed counts) and
  that were found and flagged hidden
- elements: each planted effect significant with its 95% interval covering the planted multiplier;
  false discoveries = significant elements where none was planted

The HOLD-OUT cases were frozen (committed) before any threshold was tuned on the DEV cases.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from onelegion.skills.accounts.elements import analyse
from onelegion.skills.accounts.hits import HitRules, score
from onelegion.skills.accounts.importers import ImportOptions, read_file
from onelegion.skills.accounts.posts import load_posts
from onelegion.skills.accounts.store import AccountsStore
from onelegion.skills.accounts.synth import EFFECTS, generate, write

DEV: list[dict[str, Any]] = [
    {"seed": 1, "layout": "mediacrawler-bili-csv", "gen": {"accounts": 40}},
    {"seed": 2, "layout": "table-zh", "gen": {"accounts": 60, "zh_share": 1.0}},
    {"seed": 3, "layout": "table-en", "gen": {"accounts": 50, "zh_share": 0.0}},
]
# the first hold-out (frozen at e0cf5b0, measured in the first session): seen, so now development
HOLDOUT1: list[dict[str, Any]] = [
    {"seed": 101, "layout": "mediacrawler-xhs-json", "gen": {"accounts": 80, "platform": "xhs"}},
    {
        "seed": 102,
        "layout": "mediacrawler-bili-csv",
        "gen": {"accounts": 120, "posts_low": 10, "posts_high": 40},
    },
    {
        "seed": 103,
        "layout": "table-en",
        "gen": {"accounts": 30, "posts_low": 60, "posts_high": 150, "zh_share": 0.2},
    },
    {
        "seed": 104,
        "layout": "table-zh",
        "gen": {
            "accounts": 70,
            "noise_low": 0.2,
            "noise_high": 0.45,
            "hit_low": 5.0,
            "hit_high": 20.0,
        },
    },
    {
        "seed": 105,
        "layout": "mediacrawler-bili-csv",
        "gen": {"accounts": 100, "days": 60, "element_share": 0.3},
    },
]


# development cases that vary what the scorer assumes: account growth and decline, heavy-tailed
# noise, new accounts whose posts are all still growing, slow long-tail growth, blank view counts,
# other column names, tiny accounts
DEV2: list[dict[str, Any]] = [
    {
        "seed": 11,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 60,
            "trend_high": 1.0,
            "tail_df": 5,
            "young_share": 0.2,
            "slow_share": 0.3,
            "missing_views": 0.05,
        },
    },
    {
        "seed": 12,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 80,
            "posts_low": 10,
            "posts_high": 40,
            "trend_high": 0.7,
            "tail_df": 4,
            "slow_share": 0.2,
            "size_low": 50,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 13,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 40,
            "posts_low": 60,
            "posts_high": 200,
            "young_share": 0.3,
            "zh_share": 0.3,
        },
    },
    {
        "seed": 14,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 60,
            "platform": "xhs",
            "tail_df": 6,
            "trend_high": 1.0,
            "slow_share": 0.3,
        },
    },
]
# hold-out 2: frozen (committed) before any change to the scorer in the second session; new seeds
# and settings; measured once at the end
HOLDOUT: list[dict[str, Any]] = [
    {
        "seed": 301,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 150,
            "posts_low": 8,
            "posts_high": 30,
            "trend_high": 1.2,
            "tail_df": 5,
            "young_share": 0.15,
            "slow_share": 0.25,
            "missing_views": 0.03,
        },
    },
    {
        "seed": 302,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 50,
            "posts_low": 80,
            "posts_high": 250,
            "tail_df": 3.5,
            "slow_share": 0.4,
            "zh_share": 0.1,
        },
    },
    {
        "seed": 303,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 90,
            "zh_share": 1.0,
            "noise_low": 0.15,
            "noise_high": 0.35,
            "hit_low": 3.0,
            "hit_high": 10.0,
            "trend_high": 0.8,
            "size_low": 30,
        },
    },
    {
        "seed": 304,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 100,
            "platform": "xhs",
            "young_share": 0.3,
            "tail_df": 6,
            "missing_views": 0.05,
        },
    },
    {
        "seed": 305,
        "layout": "table-zh",
        "gen": {
            "accounts": 70,
            "days": 365,
            "posts_low": 30,
            "posts_high": 120,
            "trend_high": 1.5,
            "slow_share": 0.3,
            "element_share": 0.35,
            "zh_share": 0.8,
        },
    },
    {
        "seed": 306,
        "layout": "table-en",
        "gen": {
            "accounts": 60,
            "days": 30,
            "noise_low": 0.3,
            "noise_high": 0.6,
            "hit_low": 5.0,
            "hit_high": 20.0,
            "tail_df": 5,
            "zh_share": 0.0,
        },
    },
]
# hold-out 3: frozen (committed) after hold-out 2 was measured (mean hidden P 0.80 / R 0.81) and
# before the rule for steady accounts and the shrunk spreads were tried on the dev sets
HOLDOUT3: list[dict[str, Any]] = [
    {
        "seed": 401,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 120,
            "posts_low": 8,
            "posts_high": 25,
            "noise_low": 0.2,
            "noise_high": 0.4,
            "hit_low": 3.0,
            "hit_high": 12.0,
            "trend_high": 1.0,
            "tail_df": 4,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 402,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 60,
            "platform": "xhs",
            "posts_low": 40,
            "posts_high": 120,
            "young_share": 0.4,
            "slow_share": 0.3,
            "tail_df": 5,
        },
    },
    {
        "seed": 403,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 80,
            "noise_low": 0.15,
            "noise_high": 0.3,
            "hit_low": 3.0,
            "hit_high": 8.0,
            "days": 90,
        },
    },
    {
        "seed": 404,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 90,
            "days": 240,
            "trend_high": 1.5,
            "slow_share": 0.5,
            "missing_views": 0.1,
            "size_low": 20,
        },
    },
    {
        "seed": 405,
        "layout": "table-en",
        "gen": {
            "accounts": 50,
            "posts_low": 100,
            "posts_high": 300,
            "noise_low": 0.4,
            "noise_high": 0.7,
            "hit_low": 6.0,
            "hit_high": 25.0,
            "tail_df": 3.5,
            "zh_share": 0.0,
        },
    },
]
# hold-out 4: frozen (committed) in the third session before the per-account threshold, the
# column-wise importer and the FDR check were touched; new seeds and settings; measured once
HOLDOUT4: list[dict[str, Any]] = [
    {
        "seed": 601,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 100,
            "posts_low": 12,
            "posts_high": 45,
            "noise_low": 0.15,
            "noise_high": 0.45,
            "hit_low": 3.0,
            "hit_high": 15.0,
            "tail_df": 4.5,
            "trend_high": 0.9,
            "zh_share": 0.4,
        },
    },
    {
        "seed": 602,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 70,
            "posts_low": 50,
            "posts_high": 160,
            "noise_low": 0.35,
            "noise_high": 0.65,
            "hit_low": 5.0,
            "hit_high": 30.0,
            "tail_df": 4,
            "slow_share": 0.35,
            "missing_views": 0.04,
        },
    },
    {
        "seed": 603,
        "layout": "table-zh",
        "gen": {
            "accounts": 110,
            "noise_low": 0.1,
            "noise_high": 0.3,
            "hit_low": 3.0,
            "hit_high": 9.0,
            "days": 120,
            "young_share": 0.2,
            "size_low": 40,
            "zh_share": 0.9,
        },
    },
    {
        "seed": 604,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 80,
            "platform": "xhs",
            "days": 300,
            "trend_high": 1.3,
            "tail_df": 3.5,
            "slow_share": 0.2,
            "element_share": 0.3,
        },
    },
    {
        "seed": 605,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 140,
            "posts_low": 8,
            "posts_high": 20,
            "hit_low": 4.0,
            "hit_high": 12.0,
            "young_share": 0.25,
            "missing_views": 0.06,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 606,
        "layout": "table-en",
        "gen": {
            "accounts": 45,
            "posts_low": 120,
            "posts_high": 260,
            "noise_low": 0.2,
            "noise_high": 0.6,
            "hit_low": 3.5,
            "hit_high": 20.0,
            "tail_df": 6,
            "days": 60,
            "zh_share": 0.1,
        },
    },
]
# hold-out 5: frozen (committed) after hold-out 4 was measured (hidden P 0.80 / R 0.83) and before
# the rolling window or anything else was tried again; measured once
HOLDOUT5: list[dict[str, Any]] = [
    {
        "seed": 701,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 90,
            "posts_low": 20,
            "posts_high": 90,
            "noise_low": 0.2,
            "noise_high": 0.5,
            "hit_low": 3.5,
            "hit_high": 18.0,
            "trend_high": 1.1,
            "slow_share": 0.4,
            "days": 200,
        },
    },
    {
        "seed": 702,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 120,
            "posts_low": 10,
            "posts_high": 35,
            "tail_df": 5,
            "young_share": 0.3,
            "missing_views": 0.05,
            "size_low": 25,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 703,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 60,
            "posts_low": 70,
            "posts_high": 200,
            "noise_low": 0.3,
            "noise_high": 0.55,
            "hit_low": 4.0,
            "hit_high": 20.0,
            "tail_df": 4,
            "days": 150,
            "zh_share": 0.2,
        },
    },
    {
        "seed": 704,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 80,
            "platform": "xhs",
            "noise_low": 0.15,
            "noise_high": 0.35,
            "hit_low": 3.0,
            "hit_high": 11.0,
            "trend_high": 0.6,
            "element_share": 0.3,
        },
    },
    {
        "seed": 705,
        "layout": "table-en",
        "gen": {
            "accounts": 70,
            "days": 45,
            "young_share": 0.2,
            "slow_share": 0.2,
            "tail_df": 6,
            "zh_share": 0.0,
        },
    },
]
# development cases for the generator options added in the fourth session (several readings per
# post, late S-shaped growth, account-size ranges); tuned on freely
DEV3: list[dict[str, Any]] = [
    {
        "seed": 21,
        "layout": "mediacrawler-bili-csv",
        "gen": {"accounts": 60, "snapshots": 2, "snapshot_every": 7.0, "lag_share": 0.3},
    },
    {
        "seed": 22,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 100,
            "posts_low": 8,
            "posts_high": 30,
            "size_low": 15,
            "size_high": 2e4,
            "hit_low": 3.0,
            "hit_high": 12.0,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 23,
        "layout": "table-en",
        "gen": {
            "accounts": 50,
            "posts_low": 50,
            "posts_high": 150,
            "lag_share": 0.6,
            "tail_df": 5,
            "size_low": 5e3,
            "size_high": 2e7,
            "zh_share": 0.0,
        },
    },
    {
        "seed": 24,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 70,
            "platform": "xhs",
            "snapshots": 3,
            "snapshot_every": 4.0,
            "days": 60,
            "young_share": 0.3,
            "noise_low": 0.15,
            "noise_high": 0.4,
            "hit_low": 3.0,
            "hit_high": 10.0,
        },
    },
]
# hold-out 6: frozen (committed) in the fourth session before the baseline was touched; it also
# varies the new generator options (readings per post, late growth, account sizes); measured once
HOLDOUT6: list[dict[str, Any]] = [
    {
        "seed": 801,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 80,
            "posts_low": 15,
            "posts_high": 60,
            "noise_low": 0.2,
            "noise_high": 0.5,
            "hit_low": 3.0,
            "hit_high": 15.0,
            "snapshots": 2,
            "snapshot_every": 10.0,
            "lag_share": 0.3,
        },
    },
    {
        "seed": 802,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 130,
            "posts_low": 10,
            "posts_high": 40,
            "size_low": 20,
            "size_high": 5e4,
            "tail_df": 5,
            "young_share": 0.2,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 803,
        "layout": "table-en",
        "gen": {
            "accounts": 45,
            "posts_low": 60,
            "posts_high": 180,
            "size_low": 1e4,
            "size_high": 5e7,
            "noise_low": 0.3,
            "noise_high": 0.6,
            "hit_low": 4.0,
            "hit_high": 20.0,
            "lag_share": 0.5,
            "tail_df": 4,
            "zh_share": 0.0,
        },
    },
    {
        "seed": 804,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 70,
            "platform": "xhs",
            "snapshots": 1,
            "snapshot_every": 5.0,
            "slow_share": 0.3,
            "trend_high": 1.0,
            "hit_low": 3.0,
            "hit_high": 12.0,
        },
    },
    {
        "seed": 805,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 120,
            "posts_low": 8,
            "posts_high": 30,
            "noise_low": 0.1,
            "noise_high": 0.3,
            "hit_low": 3.0,
            "hit_high": 9.0,
            "lag_share": 0.3,
            "missing_views": 0.05,
            "days": 90,
            "zh_share": 0.3,
        },
    },
    {
        "seed": 806,
        "layout": "table-zh",
        "gen": {
            "accounts": 60,
            "posts_low": 30,
            "posts_high": 100,
            "snapshots": 3,
            "snapshot_every": 3.0,
            "days": 60,
            "young_share": 0.3,
            "tail_df": 3.5,
            "element_share": 0.35,
            "zh_share": 0.8,
        },
    },
]
# development cases with several readings per post (the snapshot path), added after hold-out 7 was
# frozen; tuned on freely
DEV4: list[dict[str, Any]] = [
    {
        "seed": 31,
        "layout": "mediacrawler-bili-csv",
        "gen": {"accounts": 50, "snapshots": 1, "snapshot_every": 7.0},
    },
    {
        "seed": 32,
        "layout": "table-zh",
        "gen": {
            "accounts": 60,
            "posts_low": 10,
            "posts_high": 40,
            "snapshots": 2,
            "snapshot_every": 15.0,
            "slow_share": 0.4,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 33,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 40,
            "posts_low": 40,
            "posts_high": 120,
            "snapshots": 3,
            "snapshot_every": 2.0,
            "days": 45,
            "lag_share": 0.5,
            "tail_df": 5,
            "zh_share": 0.0,
        },
    },
    {
        "seed": 34,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 80,
            "posts_low": 8,
            "posts_high": 30,
            "snapshots": 1,
            "snapshot_every": 30.0,
            "young_share": 0.3,
            "trend_high": 1.0,
            "noise_low": 0.15,
            "noise_high": 0.35,
            "hit_low": 3.0,
            "hit_high": 10.0,
        },
    },
]
# hold-out 7: frozen (committed) after hold-out 6 was measured (hidden P 0.82 / R 0.90) and before
# the snapshot path was studied on the development sets; measured once
HOLDOUT7: list[dict[str, Any]] = [
    {
        "seed": 901,
        "layout": "mediacrawler-bili-csv",
        "gen": {
            "accounts": 70,
            "posts_low": 20,
            "posts_high": 70,
            "snapshots": 2,
            "snapshot_every": 6.0,
            "lag_share": 0.4,
            "tail_df": 5,
            "hit_low": 3.5,
            "hit_high": 15.0,
        },
    },
    {
        "seed": 902,
        "layout": "table-en-alt",
        "gen": {
            "accounts": 90,
            "posts_low": 10,
            "posts_high": 50,
            "snapshots": 1,
            "snapshot_every": 14.0,
            "slow_share": 0.3,
            "trend_high": 0.8,
            "size_low": 50,
            "zh_share": 0.2,
        },
    },
    {
        "seed": 903,
        "layout": "table-zh-alt",
        "gen": {
            "accounts": 110,
            "posts_low": 8,
            "posts_high": 35,
            "noise_low": 0.15,
            "noise_high": 0.35,
            "hit_low": 3.0,
            "hit_high": 10.0,
            "young_share": 0.25,
            "size_low": 20,
            "size_high": 1e5,
            "zh_share": 1.0,
        },
    },
    {
        "seed": 904,
        "layout": "mediacrawler-xhs-json",
        "gen": {
            "accounts": 60,
            "platform": "xhs",
            "posts_low": 40,
            "posts_high": 140,
            "snapshots": 2,
            "snapshot_every": 3.0,
            "days": 90,
            "lag_share": 0.3,
            "noise_low": 0.3,
            "noise_high": 0.55,
            "tail_df": 4,
        },
    },
    {
        "seed": 905,
        "layout": "table-en",
        "gen": {
            "accounts": 50,
            "posts_low": 80,
            "posts_high": 220,
            "size_low": 2e3,
            "size_high": 1e8,
            "lag_share": 0.5,
            "missing_views": 0.04,
            "element_share": 0.3,
            "zh_share": 0.0,
        },
    },
    {
        "seed": 906,
        "layout": "table-zh",
        "gen": {
            "accounts": 80,
            "posts_low": 12,
            "posts_high": 60,
            "snapshots": 3,
            "snapshot_every": 10.0,
            "days": 240,
            "trend_high": 1.2,
            "slow_share": 0.3,
            "hit_low": 3.0,
            "hit_high": 12.0,
            "zh_share": 0.8,
        },
    },
]
SETS = {
    "dev": DEV,
    "dev2": DEV2,
    "holdout1": HOLDOUT1,
    "holdout": HOLDOUT,
    "holdout3": HOLDOUT3,
    "holdout4": HOLDOUT4,
    "holdout5": HOLDOUT5,
    "dev3": DEV3,
    "holdout6": HOLDOUT6,
    "holdout7": HOLDOUT7,
    "dev4": DEV4,
}


def evaluate(case: dict[str, Any], rules: HitRules | None = None) -> dict[str, Any]:
    rules = rules or HitRules()
    data = generate(seed=case["seed"], **case["gen"])
    with tempfile.TemporaryDirectory() as td:
        ext = ".json" if "json" in case["layout"] else ".csv"
        path = Path(td) / f"data{ext}"
        params = write(data, path, case["layout"], seed=case["seed"])
        res = read_file(
            path, ImportOptions(format=params["format"], platform=params.get("platform"))
        )
        store = AccountsStore(Path(td) / "a.db")
        store.write(
            res.records, res.creators, origin=str(path), fmt=params["format"], rows=res.rows
        )
        posts = load_posts(store)
    s = score(posts, rules)

    # posts are matched by account, title and publish minute (tables without an id get hashed ids)
    def key(account: str, title: str, ts: float) -> tuple[str, str, int]:
        return (account, title, int(ts) // 60)

    truth = {
        key(p.account_name, p.title, p.published.timestamp())
        for p in data.posts
        if p.hit_multiplier > 1 and not p.views_missing  # a blank count cannot be scored
    }
    keys = [
        key(
            posts.account_names[int(posts.account[i])],
            posts.title[i],
            posts.published[i].timestamp(),
        )  # type: ignore[union-attr]
        for i in range(len(posts))
    ]
    pos = {k: i for i, k in enumerate(keys)}
    pred = {keys[i] for i in np.flatnonzero(s.hit)}
    pred_hidden = {keys[i] for i in np.flatnonzero(s.hidden)}
    # hidden truth: planted hits that raw sorting would not show (scorer's definition, observed counts)
    medians = {a.index: a.median for a in s.accounts}
    med_of_med = float(np.median(list(medians.values())))
    p75 = float(np.nanpercentile(s.value, 75))
    truth_hidden = set()
    for pid in truth:
        i = pos[pid]
        small = medians[int(posts.account[i])] < med_of_med and s.value[i] < p75
        if s.rank[i] > rules.top_n or small:
            truth_hidden.add(pid)
    tp = len(pred & truth)
    el = analyse(s)
    planted = {e.element: e for e in el.elements if e.element in EFFECTS}
    found = {
        k: bool(planted[k].significant and planted[k].effect_ci[0] <= v <= planted[k].effect_ci[1])
        for k, v in EFFECTS.items()
        if k in planted
    }
    false_disc = [e.element for e in el.elements if e.significant and e.element not in EFFECTS]
    return {
        "case": f"seed {case['seed']} · {case['layout']}",
        "posts": len(posts),
        "accounts": len(posts.account_keys),
        "planted_hits": len(truth),
        "hit_precision": tp / len(pred) if pred else 1.0,
        "hit_recall": tp / len(truth) if truth else 1.0,
        "hidden_planted": len(truth_hidden),
        "hidden_precision": len(pred_hidden & truth) / len(pred_hidden) if pred_hidden else 1.0,
        "hidden_recall": len(pred_hidden & truth_hidden) / len(truth_hidden)
        if truth_hidden
        else 1.0,
        "effects_found": sum(found.values()),
        "effects_planted": len(EFFECTS),
        "effects": {
            k: (
                round(planted[k].effect, 2),
                round(planted[k].effect_ci[0], 2),
                round(planted[k].effect_ci[1], 2),
            )
            for k in planted
        },
        "false_discoveries": false_disc,
    }


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| case | posts | planted hits | hit P | hit R | hidden P | hidden R | effects found | false discoveries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['case']} | {r['posts']} | {r['planted_hits']} | {r['hit_precision']:.2f} | {r['hit_recall']:.2f} | "
            f"{r['hidden_precision']:.2f} | {r['hidden_recall']:.2f} | {r['effects_found']}/{r['effects_planted']} | "
            f"{', '.join(r['false_discoveries']) or 'none'} |"
        )
    return "\n".join(out)


def pooled(rows: list[dict[str, Any]]) -> str:
    hp = np.mean([r["hidden_precision"] for r in rows])
    hr = np.mean([r["hidden_recall"] for r in rows])
    found = sum(r["effects_found"] for r in rows)
    planted = sum(r["effects_planted"] for r in rows)
    fd = sum(len(r["false_discoveries"]) for r in rows)
    return (
        f"mean hidden precision {hp:.2f}, mean hidden recall {hr:.2f}, effects found {found}/{planted}, "
        f"false discoveries {fd}"
    )


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=tuple(SETS), action="append")
    a = ap.parse_args(argv)
    for name, cases in SETS.items():
        if a.only and name not in a.only:
            continue
        rows = [evaluate(c) for c in cases]
        print(f"\n### {name}\n")
        print(table(rows))
        print("\n" + pooled(rows))
        for r in rows:
            print(f"  {r['case']}: effects (est, lo, hi) {r['effects']}")


if __name__ == "__main__":
    main(sys.argv[1:])
