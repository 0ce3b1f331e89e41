"""Event clustering against whole-day event labels (issue 9): precision, recall and F1 over pairs.

Labels: benchmarks/radar_events/DAY.tsv — 160 titles drawn at random from each of 8 random days
(see radar_event_sample.py and radar_event_label.py for how they were drawn and labelled); every
pair of a day's drawn titles is labelled same event / different / ambiguous (left out).
Each day is clustered whole (all of its ~500-900 titles, as `legion radar trends` sees it), and a
pair is predicted "same" when both titles land in one cluster.

Methods, in one run: the event clustering (events.py), the earlier clustering (cluster.py), and
plain character-bigram Jaccard on the pair (>= 0.5, and at the threshold best on the tuning days).

Run: python benchmarks/radar_event_eval.py [--holdout] [-v] [--runs N]
  default     tuning days only
  --holdout   also the first hold-out days (frozen before tuning; looked at once, see RESULTS-radar.md)
  --holdout2  also the second hold-out (drawn after the first was looked at; looked at once)
  --holdout3  also the third hold-out (8 days × 80 titles, frozen before the second round of
              tuning; see radar_events/HOLDOUT3.md; looked at once)
  -v          list the tuning days' errors (never the hold-out's)
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radar_event_days import ROOT, history_before, load_day

from onelegion.skills.radar.cluster import Doc, PairClusterer
from onelegion.skills.radar.events import Background, EventClusterer
from onelegion.skills.radar.normalize import char_ngrams, normalize_title

LABELS = ROOT / "benchmarks" / "radar_events"
Grouper = Callable[[str, list[tuple[str, str]]], list[list[int]]]


ABLATIONS: dict[str, dict[str, object]] = {
    "all rules (default)": {},
    "threshold 0.13": {"threshold": 0.13},
    "threshold 0.17": {"threshold": 0.17},
    "threshold 0.20": {"threshold": 0.20},
    "without co-occurrence expansion": {"expansion": 0.0},
    "without the burst lift": {"burst": 0.0},
    "without the two-shared-terms guard": {"min_shared": 1},
    "without bare-keyword attachment": {"bare_max_chars": 0},
}


def splits() -> dict[str, str]:
    out = {}
    for line in (LABELS / "SPLITS.tsv").read_text(encoding="utf-8").splitlines():
        day, split, _ = line.split("\t")
        out[day] = split
    return out


def _tag(t: str) -> tuple[str | None, bool, str | None]:
    if not t:
        return None, False, None
    amb = t.startswith("?")
    ev, _, topic = t.lstrip("?").partition("@")
    return ev or None, amb, topic or None


def labelled_pairs(day: str) -> tuple[list[tuple[str, str]], list[tuple[int, int, bool]]]:
    rows = [
        line.split("\t")
        for line in (LABELS / f"{day}.tsv").read_text(encoding="utf-8").splitlines()
    ]
    titles = [(r[1], r[2]) for r in rows]
    tags = [_tag(r[3]) for r in rows]
    pairs = []
    for x, y in itertools.combinations(range(len(rows)), 2):
        (ex, ax, tx), (ey, ay, ty) = tags[x], tags[y]
        if ex and ex == ey:
            if ax or ay:
                continue  # ambiguous
            pairs.append((x, y, True))
        elif tx and tx == ty:
            continue  # same topic, different happenings: a reader could go either way
        else:
            pairs.append((x, y, False))
    return titles, pairs


def old_clusters(_day: str, items: list[tuple[str, str]]) -> list[list[int]]:
    return PairClusterer().cluster([Doc(p, normalize_title(t)) for p, t in items])


def new_clusters(day: str, items: list[tuple[str, str]], history: bool = True) -> list[list[int]]:
    """The event clustering with the 14 days before as its background (a store's history)."""
    bg = Background(history_before(day)) if history else None
    return EventClusterer(background=bg).cluster([Doc(p, normalize_title(t)) for p, t in items])


def new_clusters_no_history(day: str, items: list[tuple[str, str]]) -> list[list[int]]:
    return new_clusters(day, items, history=False)


def jaccard(a: str, b: str) -> float:
    ga, gb = char_ngrams(normalize_title(a)), char_ngrams(normalize_title(b))
    return len(ga & gb) / max(1, len(ga | gb))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    days: Sequence[str], predict: Callable[[str, str, str], bool], data: dict[str, object]
) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for day in days:
        titles, pairs = data[day]  # type: ignore[misc]
        for x, y, same in pairs:
            got = predict(day, titles[x], titles[y])
            tp += same and got
            fp += (not same) and got
            fn += same and not got
    return tp, fp, fn


def main() -> None:
    sp = splits()
    want = ["tuning"]
    if "--holdout" in sys.argv:
        want.append("holdout")
    if "--holdout2" in sys.argv:
        want.append("holdout2")
    if "--holdout3" in sys.argv:
        want.append("holdout3")
    days = [d for d, s in sorted(sp.items()) if s in want]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    data: dict[str, object] = {d: labelled_pairs(d) for d in days}
    whole = {d: load_day(d) for d in days}
    methods: dict[str, Grouper] = {
        "event clustering (events.py), 14 days of history": new_clusters,
        "event clustering, no history": new_clusters_no_history,
    }
    if "--new-only" not in sys.argv:
        methods["earlier clustering (cluster.py)"] = old_clusters
    cluster_of: dict[str, dict[tuple[str, str, str], int]] = {}
    for name, fn in methods.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            of: dict[tuple[str, str, str], int] = {}
            for d in days:
                items = whole[d]
                for gi, g in enumerate(fn(d, items)):
                    for i in g:
                        of[(d, items[i][0], normalize_title(items[i][1]))] = gi
            times.append(time.perf_counter() - t0)
        cluster_of[name] = of
        print(
            f"{name}: {sum(len(whole[d]) for d in days)} titles of {len(days)} days "
            f"clustered in {statistics.median(times):.2f} s (median of {runs})"
        )

    def by_cluster(of: dict[tuple[str, str, str], int]) -> Callable[[str, str, str], bool]:
        def pred(day: str, a: tuple[str, str], b: tuple[str, str]) -> bool:  # type: ignore[override]
            ka = of.get((day, a[0], normalize_title(a[1])))
            kb = of.get((day, b[0], normalize_title(b[1])))
            return ka is not None and ka == kb

        return pred  # type: ignore[return-value]

    tuning = [d for d in days if sp[d] == "tuning"]
    best_t, best_f = 0.5, -1.0
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        f = prf(*score(tuning, lambda _d, a, b, t=t: jaccard(a[1], b[1]) >= t, data))[2]  # type: ignore[misc]
        if f > best_f:
            best_t, best_f = t, f
    preds: dict[str, Callable[[str, str, str], bool]] = {
        name: by_cluster(of) for name, of in cluster_of.items()
    }
    preds["bigram Jaccard >= 0.5"] = lambda _d, a, b: jaccard(a[1], b[1]) >= 0.5  # type: ignore[misc]
    preds[f"bigram Jaccard >= {best_t} (best on tuning)"] = (
        lambda _d, a, b: jaccard(a[1], b[1]) >= best_t  # type: ignore[misc]
    )
    groups = [("tuning", tuning)]
    for split in want[1:]:
        groups.append((split, [d for d in days if sp[d] == split]))
    for split, ds in groups:
        n_pairs = sum(len(data[d][1]) for d in ds)  # type: ignore[index]
        n_same = sum(sum(1 for p in data[d][1] if p[2]) for d in ds)  # type: ignore[index]
        print(f"\n{split} ({', '.join(ds)}): {n_pairs} labelled pairs, {n_same} same-event")
        print("| method | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, pred in preds.items():
            tp, fp, fn = score(ds, pred, data)
            p, r, f = prf(tp, fp, fn)
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
        # recall by character overlap of the same-event pairs
        first = next(iter(cluster_of))
        pred = preds[first]
        bands = [(0.0, 0.0001), (0.0001, 0.1), (0.1, 0.3), (0.3, 1.01)]
        cells = []
        for lo, hi in bands:
            n = hit = 0
            for d in ds:
                titles, pairs = data[d]  # type: ignore[misc]
                for x, y, same in pairs:
                    if same and lo <= jaccard(titles[x][1], titles[y][1]) < hi:
                        n += 1
                        hit += pred(d, titles[x], titles[y])
            cells.append(f"J in [{lo:.1f}, {min(hi, 1):.1f}): {hit}/{n}")
        print(f"recall of {first} by bigram Jaccard of the pair: " + "; ".join(cells))
    if "--ablation" in sys.argv:
        print("\nablation, tuning days only (pooled over their pairs)")
        print("| variant | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, kw in ABLATIONS.items():
            of = {}
            for d in tuning:
                items = whole[d]
                docs = [Doc(p, normalize_title(t)) for p, t in items]
                bg = Background(history_before(d))
                for gi, g in enumerate(EventClusterer(background=bg, **kw).cluster(docs)):  # type: ignore[arg-type]
                    for i in g:
                        of[(d, items[i][0], normalize_title(items[i][1]))] = gi
            tp, fp, fn = score(tuning, by_cluster(of), data)
            p, r, f = prf(tp, fp, fn)
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
    if "-v" in sys.argv:
        pred = preds[next(iter(cluster_of))]
        for d in tuning:
            titles, pairs = data[d]  # type: ignore[misc]
            for x, y, same in pairs:
                got = pred(d, titles[x], titles[y])
                if got != same:
                    print("FP" if got else "FN", d, titles[x][1], "||", titles[y][1])


if __name__ == "__main__":
    main()
