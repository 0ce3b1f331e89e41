"""Precision and recall of the radar's cross-platform event clustering on hand-labelled pairs.

Labels: benchmarks/radar_cluster_labels.jsonl — cross-platform title pairs (Weibo / Toutiao / Zhihu)
from the trending-in-one archive (tests/fixtures/radar/trending-in-one), sampled at three levels of
character overlap (so easy, borderline and unrelated pairs are all present), shuffled, and labelled
"same story" / "not the same story" by reading the titles, before any score was run on them.
split "tuning": 270 pairs of 2024-01-05 and 2024-01-12 (the rules are tuned on these only); split
"holdout": 120 pairs of 2024-01-19, labelled after the first rules were frozen.

For each day, every title of the three lists is clustered together (as in `legion radar trends`); a pair
is predicted "same" when both titles land in one cluster. Baselines in the same run: exact normalised-title
equality (what a rank-only aggregator can do) and plain character-bigram Jaccard >= 0.5.

Run: python benchmarks/radar_cluster_eval.py [--runs N] [--ablation] [-v]
  --runs N     cluster N times and report the median time (the figures come from the last run)
  --ablation   also score variants of the rules (each one switched off) on the tuning split only
  -v           list the tuning split's errors (never the hold-out's: it is not for tuning)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.skills.radar.cluster import Doc, PairClusterer  # noqa: E402
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


# each variant switches one rule off (or back to its earlier setting), scored on the tuning split
ABLATIONS: dict[str, dict[str, object]] = {
    "without the rare-bigram route (BC/BW)": {"weighted_shared": float("inf")},
    "with a BW >= 3.1 floor on the containment routes (tried, dropped)": {"min_shared_weight": 3.1},
    "without the rare bare-name exception": {"bare_name_weight": 0.0},
    "without the place veto": {"place_veto": False},
    "without the number veto (rare-bigram route)": {"number_veto": False},
    "linkage 0.5 (earlier average-linkage setting)": {"linkage": 0.5},
    "linkage 0.25": {"linkage": 0.25},
}


def cluster_days(
    days: dict[str, list[tuple[str, str]]], days_wanted: set[str] | None = None, **kw: object
) -> dict[tuple[str, str, str], int]:
    cluster_of: dict[tuple[str, str, str], int] = {}
    for day, items in days.items():
        if days_wanted is not None and day not in days_wanted:
            continue
        docs = [Doc(src, normalize_title(t)) for src, t in items]
        for gi, group in enumerate(PairClusterer(**kw).cluster(docs)):  # type: ignore[arg-type]
            for i in group:
                cluster_of[(day, docs[i].source, docs[i].title)] = gi
    return cluster_of


def event_clusters(days: dict[str, list[tuple[str, str]]]) -> dict[tuple[str, str, str], int]:
    """The issue-9 event clustering on the same days, with the 14 days before each as history
    (from /work/shared/data/radar when present, else no history)."""
    from onelegion.skills.radar.events import Background, EventClusterer

    try:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from radar_event_days import history_before

        hist: Callable[[str], list[str]] | None = history_before
    except Exception:  # the shared data is not there
        hist = None
    out: dict[tuple[str, str, str], int] = {}
    for day, items in days.items():
        docs = [Doc(src, normalize_title(t)) for src, t in items]
        bg = Background(hist(day)) if hist is not None else None
        for gi, group in enumerate(EventClusterer(background=bg).cluster(docs)):
            for i in group:
                out[(day, docs[i].source, docs[i].title)] = gi
    return out


def main() -> None:
    labels = [
        json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    days = load_days()
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    times = []
    cluster_of: dict[tuple[str, str, str], int] = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        cluster_of = cluster_days(days)
        times.append(time.perf_counter() - t0)
    elapsed = statistics.median(times)
    n_docs = sum(len(items) for items in days.values())

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

    print(
        f"clustered {n_docs} titles of {len(days)} days in {elapsed:.2f}s "
        f"(median of {runs}: {', '.join(f'{t:.2f}' for t in times)})"
    )
    events_of = event_clusters(days)

    def events(r: dict[str, object]) -> bool:
        a, b = events_of.get(key(r, "a")), events_of.get(key(r, "b"))
        return a is not None and a == b

    methods = (
        ("event clustering (events.py, issue 9)", events),
        ("earlier clustering (cluster.py PairClusterer)", ours),
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
    if "--ablation" in sys.argv:
        tuning = [r for r in labels if r["split"] == "tuning"]
        tuning_days = {str(r["day"]) for r in tuning}
        print("\nablation, tuning split only")
        print("| variant | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, kw in {"all rules (default)": {}, **ABLATIONS}.items():
            variant = cluster_days(days, tuning_days, **kw)

            def pred(
                r: dict[str, object], variant: dict[tuple[str, str, str], int] = variant
            ) -> bool:
                a, b = variant.get(key(r, "a")), variant.get(key(r, "b"))
                return a is not None and a == b

            s = scores(pred, tuning)
            print(
                f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                f"{s['tp']} | {s['fp']} | {s['fn']} |"
            )
    if "-v" in sys.argv:
        for r in labels:
            if r["split"] == "tuning" and ours(r) != r["same"]:
                tag = "FP" if ours(r) else "FN"
                print(tag, r["id"], r["a"]["title"], "||", r["b"]["title"])  # type: ignore[index]


if __name__ == "__main__":
    main()
