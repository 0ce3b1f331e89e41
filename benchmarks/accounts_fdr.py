"""False discoveries of `accounts elements` over many generated data sets.

    .venv/bin/python benchmarks/accounts_fdr.py [--seeds 40] [--start 1000]

Each seed draws its own generator settings (accounts, posts per account, noise, heavy tails,
growth, young and slow accounts, hit sizes, element shares) from the seed, generates creator data
with three planted element effects (``synth.EFFECTS``) and none for the other elements, writes it
as a MediaCrawler csv, imports it, scores it with the defaults and runs the elements analysis
(Benjamini-Hochberg at q <= 0.05 over every tested element, min support 20 posts and 3 hits).

Reported: per seed the significant elements that were not planted (false discoveries V) among
all significant ones (R); the false discovery proportion V / max(R, 1) averaged over the seeds
(what BH bounds by the level), the share of seeds with any false discovery, which elements they
were, and how often each planted effect was found with its interval covering the planted size.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from onelegion.skills.accounts.elements import analyse
from onelegion.skills.accounts.hits import HitRules, score
from onelegion.skills.accounts.importers import ImportOptions, read_file
from onelegion.skills.accounts.posts import load_posts
from onelegion.skills.accounts.store import AccountsStore
from onelegion.skills.accounts.synth import EFFECTS, generate, write


def settings(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    low = rng.choice((8, 15, 30, 60))
    return {
        "accounts": rng.choice((30, 60, 100)),
        "posts_low": low,
        "posts_high": low * rng.choice((2, 3)),
        "noise_low": rng.choice((0.15, 0.25, 0.35)),
        "noise_high": rng.choice((0.4, 0.5, 0.65)),
        "hit_low": rng.choice((3.0, 4.0, 5.0)),
        "hit_high": rng.choice((10.0, 15.0, 25.0)),
        "tail_df": rng.choice((0.0, 0.0, 4.0, 6.0)),
        "trend_high": rng.choice((0.0, 0.8, 1.3)),
        "young_share": rng.choice((0.0, 0.0, 0.25)),
        "slow_share": rng.choice((0.0, 0.3)),
        "element_share": rng.choice((0.2, 0.25, 0.35)),
        "days": rng.choice((60, 180, 300)),
        "zh_share": rng.random(),
    }


def run(seed: int) -> dict[str, Any]:
    gen = settings(seed)
    data = generate(seed=seed, **gen)
    with tempfile.TemporaryDirectory() as td:
        path = Path(td) / "d.csv"
        params = write(data, path, "mediacrawler-bili-csv", seed=seed)
        res = read_file(path, ImportOptions(format=params["format"]))
        store = AccountsStore(Path(td) / "a.db")
        store.write(res.records, res.creators, origin=str(path), fmt=res.format, rows=res.rows)
        posts = load_posts(store)
    el = analyse(score(posts, HitRules()))
    sig = [e for e in el.elements if e.significant]
    false = [e.element for e in sig if e.element not in EFFECTS]
    covered = {
        e.element: e.effect_ci[0] <= EFFECTS[e.element] <= e.effect_ci[1]
        for e in sig
        if e.element in EFFECTS
    }
    tested = sum(e.tested for e in el.elements)
    return {"seed": seed, "R": len(sig), "false": false, "covered": covered, "tested": tested}


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--start", type=int, default=1000)
    a = ap.parse_args(argv)
    rows = []
    for seed in range(a.start, a.start + a.seeds):
        r = run(seed)
        rows.append(r)
        print(
            f"seed {seed}: tested {r['tested']}, significant {r['R']}, "
            f"false {r['false'] or 'none'}, planted covered {r['covered']}",
            flush=True,
        )
    fdp = [len(r["false"]) / max(r["R"], 1) for r in rows]
    any_false = sum(bool(r["false"]) for r in rows)
    which = Counter(e for r in rows for e in r["false"])
    found = Counter(k for r in rows for k, ok in r["covered"].items() if ok)
    tested = sum(r["tested"] for r in rows) - sum(len(r["covered"]) for r in rows)
    print(
        f"\n{len(rows)} seeds: mean false discovery proportion {sum(fdp) / len(fdp):.3f} "
        f"(BH level 0.05); seeds with any false discovery {any_false}/{len(rows)}; "
        f"false discoveries {sum(which.values())} among ~{tested} null element tests; "
        f"which: {dict(which) or 'none'}; planted effects found and covered: "
        + ", ".join(f"{k} {found[k]}/{len(rows)}" for k in EFFECTS)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
