"""Precision and recall of the radar's cross-platform event clustering on hand-labelled pairs.

Labels: benchmarks/radar_cluster_labels.jsonl — cross-platform title pairs (Weibo / Toutiao / Zhihu)
from the trending-in-one archive (tests/fixtures/radar/trending-in-one), sampled at three levels of
character overlap (so easy, borderline and unrelated pairs are all present), shuffled, and labelled
"same story" / "not the same story" by reading the titles, before any score was run on them.
split "tuning": 270 pairs of 2024-01-05 and 2024-01-12 (the rules were adjusted once after a first run
on these); split "holdout": 120 pairs of 2024-01-19, labelled after the rules were frozen.

For each day, every title of the three lists is clustered together (as in `legion radar trends`); a pair
is predicted "same" when both titles land in one cluster. Baselines in the same run: exact normalised-title
equality (what a rank-only aggregator can do) and plain character-bigram Jaccard >= 0.5.

Run: python benchmarks/radar_cluster_eval.py
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.skills.radar.cluster import Clusterer, Doc  # noqa: E402
from onelegion.skills.radar.importers import read_archive  # noqa: E402
from onelegion.skills.radar.normalize import char_ngrams, normalize_title  # noqa: E402

LABELS = ROOT / "benchmarks" / "radar_cluster_labels.jsonl"
DATA = ROOT / "tests" / "fixtures" / "radar" / "trending-in-one"


def load_days() -> dict[str, list[tuple[str, str]]]:
    days: dict[str, list[tuple[str, str]]] = {}
    for snap in read_archive(DATA, "trending-in-one"):
        day = snap.captured_at.date().isoformat()
        days.setdefault(day, []).extend((snap.source, it.title) for it in snap.items)
    return days


def scores(
    pred: Callable[[dict[str, object]], bool], labels: list[dict[str, object]]
) -> dict[str, float]:
    tp = sum(1 for r in labels if r["same"] and pred(r))
    fp = sum(1 for r in labels if not r["same"] and pred(r))
    fn = sum(1 for r in labels if r["same"] and not pred(r))
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return {"precision": p, "recall": rc, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    labels = [
        json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    days = load_days()
    cluster_of: dict[tuple[str, str, str], int] = {}
    t0 = time.perf_counter()
    n_docs = 0
    for day, items in days.items():
        docs = [Doc(src, normalize_title(t)) for src, t in items]
        n_docs += len(docs)
        for gi, group in enumerate(Clusterer().cluster(docs)):
            for i in group:
                cluster_of[(day, docs[i].source, docs[i].title)] = gi
    elapsed = time.perf_counter() - t0

    def key(r: dict[str, object], side: str) -> tuple[str, str, str]:
        d = r[side]
        assert isinstance(d, dict)
        return (str(r["day"]), str(d["source"]), normalize_title(str(d["title"])))

    def ours(r: dict[str, object]) -> bool:
        a, b = cluster_of.get(key(r, "a")), cluster_of.get(key(r, "b"))
        return a is not None and a == b

    def exact(r: dict[str, object]) -> bool:
        return key(r, "a")[2] == key(r, "b")[2]

    def jaccard(r: dict[str, object]) -> bool:
        ga, gb = char_ngrams(key(r, "a")[2]), char_ngrams(key(r, "b")[2])
        return len(ga & gb) / max(1, len(ga | gb)) >= 0.5

    print(f"clustered {n_docs} titles of {len(days)} days in {elapsed:.2f}s")
    methods = (
        ("OneLegion clustering", ours),
        ("bigram Jaccard >= 0.5", jaccard),
        ("exact title", exact),
    )
    for split in ("tuning", "holdout", "all"):
        part = [r for r in labels if split == "all" or r["split"] == split]
        pos = sum(1 for r in part if r["same"])
        print(f"\n{split}: {len(part)} labelled pairs ({pos} same story, {len(part) - pos} not)")
        print("| method | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, fn in methods:
            s = scores(fn, part)
            print(
                f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                f"{s['tp']} | {s['fp']} | {s['fn']} |"
            )
    if "-v" in sys.argv:
        for r in labels:
            if ours(r) != r["same"]:
                tag = "FP" if ours(r) else "FN"
                print(tag, r["id"], r["a"]["title"], "||", r["b"]["title"])  # type: ignore[index]


if __name__ == "__main__":
    main()
