"""Shared helpers of the shop tests."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl

from onelegion.skills.shop.dataset import Dataset, load_paths
from onelegion.skills.shop.profit import Profit, build_facts

FIX = Path(__file__).parent.parent / "fixtures" / "shop"


def copy(tmp: Path, *names: str) -> Path:
    folder = tmp / "exports"
    folder.mkdir(exist_ok=True)
    for n in names:
        src = FIX / n
        if src.is_dir():
            shutil.copytree(src, folder / n)
        else:
            shutil.copy(src, folder / n)
    return folder


def load(folder: Path, **kw: object) -> tuple[Dataset, Profit]:
    ds = load_paths([folder], currency_of={"lazada": "PHP", "walmart": "USD"})
    cogs = ds.t("cogs")
    return ds, build_facts(ds, cogs if not cogs.is_empty() else None)


def cell(pnl: pl.DataFrame, market: str, sku: str, month: str) -> dict[str, object]:
    rows = pnl.filter(
        (pl.col("marketplace") == market) & (pl.col("sku") == sku) & (pl.col("month") == month)
    )
    assert rows.height == 1, (market, sku, month, pnl)
    return rows.row(0, named=True)


def D(s: str) -> Decimal:
    return Decimal(s)
