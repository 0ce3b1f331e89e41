"""Cell-level cleaning quality of the Clean pipeline on benchmarks with ground truth.

Runs ``onelegion.skills.clean.pipeline.clean_frame`` (no LLM) on each DIRTY.csv, writes the
repaired table next to a temp dir and scores it against CLEAN.csv with the Raha/Baran cell
semantics (``score_cells.py``: detection = cells changed, correction = cells changed to the clean
value). Also reports which recipe step made each wrong change, to guide work.

    python benchmarks/clean_quality.py                       # hospital + beers (+ market if generated)
    python benchmarks/clean_quality.py --data /path/to/cleaning --market /tmp/market
    python benchmarks/clean_quality.py --only-repairs        # the repair steps alone, on the raw table

A dataset directory holds dirty.csv and clean.csv (same shape, same row order).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

DEFAULT_DATA = Path("/work/shared/data/cleaning")


def _norm(v: str) -> str:
    v = html.unescape(v)
    v = re.sub("[\t\n ]+", " ", v)
    return v.strip("\t\n ")


def _load(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [[_norm(x) for x in r] for r in rows[1:]]


def evaluate(
    dirty: list[list[str]], clean: list[list[str]], repaired: list[list[str]]
) -> dict[str, float]:
    """Same definitions as score_cells.py (positional cells)."""
    errors = {
        (i, j): clean[i][j]
        for i in range(len(dirty))
        for j in range(len(dirty[i]))
        if dirty[i][j] != clean[i][j]
    }
    changed = {
        (i, j): repaired[i][j]
        for i in range(len(dirty))
        for j in range(len(dirty[i]))
        if repaired[i][j] != dirty[i][j]
    }
    ed_tp = sum(1 for c in changed if c in errors)
    ec_tp = sum(1 for c, v in changed.items() if c in errors and v == errors[c])
    harmed = sum(1 for c in changed if c not in errors)

    def f1(p: float, r: float) -> float:
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    ed_p = ed_tp / len(changed) if changed else 0.0
    ed_r = ed_tp / len(errors) if errors else 0.0
    ec_p = ec_tp / len(changed) if changed else 0.0
    ec_r = ec_tp / len(errors) if errors else 0.0
    return {
        "n_errors": len(errors),
        "n_changed": len(changed),
        "harmed": harmed,
        "cells": sum(len(r) for r in dirty),
        "ed_p": ed_p,
        "ed_r": ed_r,
        "ed_f": f1(ed_p, ed_r),
        "ec_p": ec_p,
        "ec_r": ec_r,
        "ec_f": f1(ec_p, ec_r),
    }


def _repairs_only(df: pl.DataFrame) -> tuple[pl.DataFrame, list[Any]]:
    from onelegion.skills.clean.clusters import propose_clusters
    from onelegion.skills.clean.dependencies import propose_fd_repairs
    from onelegion.skills.clean.relations import propose_relation_repairs

    types: dict[str, str] = {}
    steps: list[Any] = []
    for propose in (propose_clusters, propose_fd_repairs, propose_relation_repairs):
        for step in propose(df, types):
            df, _ = step.apply(df)
            steps.append(step)
    return df, steps


def run(name: str, folder: Path, only_repairs: bool, out_dir: Path) -> dict[str, Any]:
    dirty_path, clean_path = folder / "dirty.csv", folder / "clean.csv"
    df = pl.read_csv(dirty_path, infer_schema=False)
    t0 = time.perf_counter()
    if only_repairs:
        cleaned, _ = _repairs_only(df)
        changes: pl.DataFrame | None = None
        dup_clusters = []
    else:
        from onelegion.skills.clean.pipeline import CleanOptions, clean_frame

        result = clean_frame(df, CleanOptions())
        cleaned = result.df
        changes = result.change_frame
        dup_clusters = [list(c.rows) for c in result.duplicates]
    seconds = time.perf_counter() - t0
    out = out_dir / f"{name}-repaired.csv"
    cleaned.write_csv(out, null_value="")
    dirty, clean, repaired = _load(dirty_path), _load(clean_path), _load(out)
    scores = evaluate(dirty, clean, repaired)
    scores["seconds"] = round(seconds, 3)
    scores["rows"] = df.height
    scores["wrong_by_step"] = _wrong_by_step(dirty, clean, repaired, changes, list(df.columns))
    truth_path = folder / "truth.json"
    if truth_path.exists() and not only_repairs:
        scores["duplicates"] = _duplicate_scores(
            json.loads(truth_path.read_text("utf-8")), dup_clusters
        )
    return scores


def _duplicate_scores(truth: dict[str, Any], clusters: list[list[int]]) -> dict[str, float]:
    """Pair recall of the generated duplicates, and the share of reported pairs that are true."""
    true_pairs = {tuple(sorted(p)) for p in truth.get("duplicates", [])}
    found: set[tuple[int, int]] = set()
    for rows in clusters:
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                found.add((a, b))
    # a generated duplicate may itself be duplicated again: count pairs linked through a cluster
    hit = len(true_pairs & found)
    return {
        "true_pairs": len(true_pairs),
        "found_pairs": len(found),
        "recall": hit / len(true_pairs) if true_pairs else 0.0,
        "precision": hit / len(found) if found else 0.0,
    }


def _wrong_by_step(
    dirty: list[list[str]],
    clean: list[list[str]],
    repaired: list[list[str]],
    changes: pl.DataFrame | None,
    cols: list[str],
) -> dict[str, int]:
    """Cells changed to a wrong value, counted by the last step that touched them."""
    last: dict[tuple[int, str], str] = {}
    if changes is not None and changes.height:
        for row, col, step in changes.select("row", "column", "step").iter_rows():
            last[(int(row), str(col))] = str(step)
    wrong: Counter[str] = Counter()
    for i, (d, c, r) in enumerate(zip(dirty, clean, repaired, strict=True)):
        for j, col in enumerate(cols):
            if r[j] != d[j] and r[j] != c[j]:
                wrong[last.get((i, col), "?")] += 1
    return dict(wrong.most_common())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with hospital/ and beers/"
    )
    ap.add_argument(
        "--market", type=Path, default=None, help="folder with the generated market data"
    )
    ap.add_argument(
        "--only-repairs", action="store_true", help="run only the repair steps on the raw table"
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="folder of generated tables (benchmarks/clean_corpus.py): every sub-folder is scored",
    )
    ap.add_argument("--only", nargs="*", default=None, help="names of the sets to run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    sets = {
        n: args.data / n for n in ("hospital", "beers") if (args.data / n / "dirty.csv").exists()
    }
    if args.market is not None:
        sets["market"] = args.market
    if args.corpus is not None:
        for sub in sorted(args.corpus.iterdir()):
            if (sub / "dirty.csv").exists():
                sets[sub.name] = sub
    if args.only:
        sets = {k: v for k, v in sets.items() if k in args.only}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in sets.items():
            results[name] = run(name, folder, args.only_repairs, Path(tmp))
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    print(
        "| dataset | rows | errors | changed | det P | det R | det F1 | corr P | corr R | corr F1 "
        "| right cells harmed (% of cells) | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, s in results.items():
        print(
            f"| {name} | {s['rows']} | {s['n_errors']} | {s['n_changed']} | {s['ed_p']:.3f} | {s['ed_r']:.3f} | "
            f"{s['ed_f']:.3f} | {s['ec_p']:.3f} | {s['ec_r']:.3f} | {s['ec_f']:.3f} | "
            f"{s['harmed']} ({100 * s['harmed'] / max(1, s['cells']):.2f}%) | {s['seconds']:.2f} |"
        )
    for name, s in results.items():
        print(f"{name}: wrong changes by step: {s['wrong_by_step']}", file=sys.stderr)
        if "duplicates" in s:
            print(f"{name}: duplicate rows: {s['duplicates']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
