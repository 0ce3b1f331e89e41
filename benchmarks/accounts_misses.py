"""Why planted hits are missed: the baseline's error against the generator's truth.

    .venv/bin/python benchmarks/accounts_misses.py --only dev --only dev2 ...

For every scored post of the development cases, the log of the expected count the scorer used is
compared with the generator's own (``SynthPost.base`` × the planted element multiplier is what a
perfect baseline that knows the elements would say; ``base`` alone is what an element-blind one
should say). Planted hits are split into found and missed, and the missed ones are described by
account size (posts), age, growth shape and the parts of their log ratio: the planted hit, the
post's own noise, the title elements and the baseline's error.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from onelegion.skills.accounts.hits import HitRules, score
from onelegion.skills.accounts.importers import ImportOptions, read_file
from onelegion.skills.accounts.posts import load_posts
from onelegion.skills.accounts.store import AccountsStore
from onelegion.skills.accounts.synth import EFFECTS, generate, write

sys.path.insert(0, str(Path(__file__).parent))
from accounts_quality import SETS


def case_rows(case: dict[str, Any], rules: HitRules) -> list[dict[str, Any]]:
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
    truth = {(p.account_name, p.title, int(p.published.timestamp()) // 60): p for p in data.posts}
    out = []
    for i in np.flatnonzero(s.scored):
        pub = posts.published[i]
        k = (posts.account_names[int(posts.account[i])], posts.title[i], int(pub.timestamp()) // 60)  # type: ignore[union-attr]
        p = truth[k]
        mult = math.prod(v for e, v in EFFECTS.items() if p.elements[e])
        acc = s.accounts[int(posts.account[i])]
        out.append(
            {
                "case": case["seed"],
                "hit": p.hit_multiplier > 1,
                "found": bool(s.hit[i]),
                "log_hit": math.log(p.hit_multiplier),
                "log_mult": math.log(mult),
                "noise": math.log1p(s.value[i]) - math.log1p(p.base * mult * p.hit_multiplier),
                # against what a baseline that knows the planted elements would say when the scorer
                # took elements into the baseline, else against the element-blind truth
                "err": math.log1p(s.expected[i])
                - math.log1p(p.base * (mult if s.shift is not None else 1.0)),
                "lr": math.log(s.ratio[i]),
                "z": float(s.z[i]),
                "floor": acc.floor,
                "n": acc.posts,
                "age": float(s.age[i]),
                "src": acc.slope_from,
                "snaps": int(posts.snapshots[i]),
            }
        )
    return out


def describe(rows: list[dict[str, Any]]) -> None:
    hits = [r for r in rows if r["hit"]]
    non = [r for r in rows if not r["hit"]]
    miss = [r for r in hits if not r["found"]]
    fp = [r for r in non if r["found"]]

    def q(v: list[float]) -> str:
        a = np.asarray(v)
        return f"median {np.median(a):+.2f}, IQR {np.percentile(a, 25):+.2f}..{np.percentile(a, 75):+.2f}"

    print(f"posts {len(rows)}, planted hits {len(hits)}, missed {len(miss)}, false hits {len(fp)}")
    for name, grp in (
        ("all posts", rows),
        ("found hits", [r for r in hits if r["found"]]),
        ("missed hits", miss),
        ("false hits", fp),
    ):
        if not grp:
            continue
        print(
            f"  {name}: baseline error {q([r['err'] for r in grp])}; noise {q([r['noise'] for r in grp])};"
            f" elements {q([r['log_mult'] for r in grp])}; planted hit {q([r['log_hit'] for r in grp])}"
        )
    # what a perfect element-blind baseline would give the missed hits
    print(
        "  missed hits whose log ratio would clear the floor with a perfect baseline:",
        sum(1 for r in miss if r["lr"] + r["err"] >= math.log(r["floor"])),
        "of",
        len(miss),
    )
    print(
        "  missed hits with hit x noise below the floor (no baseline can find them without help of"
        " elements):",
        sum(1 for r in miss if r["log_hit"] + r["noise"] < math.log(r["floor"])),
    )
    for label, f in (
        ("posts < 20", lambda r: r["n"] < 20),
        ("20-60", lambda r: 20 <= r["n"] < 60),
        ("60+", lambda r: r["n"] >= 60),
        ("age < 3 d", lambda r: r["age"] < 3),
        ("3-30 d", lambda r: 3 <= r["age"] < 30),
        ("30+ d", lambda r: r["age"] >= 30),
        ("snapshots", lambda r: r["src"] == "snapshots"),
        ("curve", lambda r: r["src"] == "curve"),
    ):
        g = [r for r in rows if f(r)]
        h = [r for r in g if r["hit"]]
        if not g:
            continue
        e = np.asarray([r["err"] for r in g])
        print(
            f"  {label:10s} posts {len(g):6d}: baseline err median {np.median(e):+.2f}, "
            f"MAD-sd {1.4826 * np.median(np.abs(e - np.median(e))):.2f}; hits {len(h)}, "
            f"recall {np.mean([r['found'] for r in h]) if h else math.nan:.2f}"
        )


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", action="append", required=True)
    a = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for name in a.only:
        for c in SETS[name]:
            rows += case_rows(c, HitRules())
    describe(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
