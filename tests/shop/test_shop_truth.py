"""Generated month of six marketplaces: every P&L figure equals the simulated ground truth to the
cent, on variants (column order, header drift, layouts, locales, xlsx) and seeds not tuned on."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from tests.shop.shop_helpers import load

from onelegion.skills.shop.reconcile import run_checks
from onelegion.skills.shop.samples import Truth, generate

SIGN = {
    "refunds": -1,
    "promotions": -1,
    "ads": -1,
    "cogs": -1,
    "referral_fee": -1,
    "fulfilment_fee": -1,
    "storage_fee": -1,
    "subscription_fee": -1,
    "other_fee": -1,
    "shipping_fee": -1,
}


def compare(pnl: pl.DataFrame, truth: Truth) -> list[str]:
    got = {(r["marketplace"], r["sku"], r["month"]): r for r in pnl.iter_rows(named=True)}
    diffs = []
    for key, lines in truth.cells.items():
        row = got.get(key)
        if row is None:
            diffs.append(f"missing {key}")
            continue
        for line, value in lines.items():
            want: object = (
                int(value) if line in ("units", "refunded_units") else value * SIGN.get(line, 1)
            )
            if row[line] != want:
                diffs.append(f"{key} {line}: got {row[line]} want {want}")
        contribution = sum(
            (v for k, v in lines.items() if k not in ("units", "refunded_units")), Decimal(0)
        )
        if row["contribution"] != contribution:
            diffs.append(f"{key} contribution: got {row['contribution']} want {contribution}")
    diffs += [f"extra {k}" for k in got if k not in truth.cells]
    return diffs


@pytest.mark.parametrize(("seed", "variant"), [(7, 0), (7, 1), (7, 2), (7, 3), (101, 5), (2027, 6)])
def test_every_figure_equals_the_truth(tmp_path: Path, seed: int, variant: int) -> None:
    truth = generate(tmp_path / "x", seed=seed, orders=90, variant=variant)
    ds, p = load(tmp_path / "x")
    assert all(f.layout for f in ds.files), [f.problems for f in ds.files if not f.layout]
    assert compare(p.pnl, truth) == []
    checks, _ = run_checks(ds, p)
    sums = [c for c in checks if c.name.startswith("settlement ")]
    assert len(sums) == len(truth.settlements)
    assert all(c.status == "ok" for c in sums), [c.detail for c in sums]


def test_duplicate_settlement_counted_once_and_ads_once(tmp_path: Path) -> None:
    truth = generate(
        tmp_path / "x", seed=5, orders=60, variant=0
    )  # variant 0 writes the Date Range copy
    ds, p = load(tmp_path / "x")
    assert any("counted once, from settlement_" in n for n in ds.notes)
    assert compare(p.pnl, truth) == []
    dup = p.facts.filter(pl.col("line") == "ads_duplicate")
    assert dup.height == 1  # the settlement's Cost of Advertising
    checks, _ = run_checks(ds, p)
    [ads] = [c for c in checks if c.name.startswith("ad spend")]
    assert ads.status == "ok"


def test_a_broken_generator_would_be_caught(tmp_path: Path) -> None:
    """The comparison is not vacuous: change one amount in the truth and it fails."""
    truth = generate(tmp_path / "x", seed=3, orders=40, variant=0)
    _, p = load(tmp_path / "x")
    key = next(k for k in truth.cells if k[1] != "(account)")
    truth.cells[key]["revenue"] += Decimal("0.01")
    assert len(compare(p.pnl, truth)) == 2  # revenue and contribution
