"""Real tables (small slices of the Baran/Raha benchmark, see tests/fixtures/*/SOURCE.md): no right
cell is changed and no wrong value is written, with the benchmark's whitespace semantics."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from onelegion.skills.clean.pipeline import CleanOptions, clean_frame

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def _norm(v: str | None) -> str:
    return re.sub(r"\s+", " ", v or "").strip()


@pytest.mark.parametrize(
    ("dirty", "clean", "min_recall"),
    [
        ("clean_repair/hospital_dirty.csv", "clean_repair/hospital_clean.csv", 0.9),
        ("clean/beers_dirty.csv", "clean/beers_clean.csv", 0.99),
    ],
)
def test_no_right_cell_harmed_on_real_slices(dirty: str, clean: str, min_recall: float) -> None:
    d = pl.read_csv(FIX / dirty, infer_schema=False)
    c = pl.read_csv(FIX / clean, infer_schema=False)
    r = clean_frame(d, CleanOptions()).df
    harmed = wrong = errors = fixed = 0
    for col in d.columns:
        for a, b, x in zip(d[col].to_list(), c[col].to_list(), r[col].to_list(), strict=True):
            a, b, x = _norm(a), _norm(b), _norm(x)
            errors += a != b
            fixed += a != b and x == b
            harmed += a == b and x != a
            wrong += x != a and x != b
    assert harmed == 0
    assert wrong == 0
    assert fixed >= min_recall * errors
