"""All the exports of a folder as one model: the canonical tables, each money row counted once.

A settlement can arrive twice (the V2 flat file and the Date Range report of the same period, or
the same file downloaded twice): its rows are taken from one file only (V2, then Flat File, then
Date Range; then the first file name) and the others are listed as duplicates. Order lines that
appear in two orders files are kept once in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.shop.load import list_inputs, load_file
from onelegion.skills.shop.tables import TABLES, FileReport, empty

_PRIORITY = {"amazon.settlement.v2": 0, "amazon.settlement.flat": 1, "amazon.transactions": 2}


@dataclass
class Dataset:
    tables: dict[str, pl.DataFrame]
    files: list[FileReport]
    notes: list[str] = field(default_factory=list)

    def t(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def load_paths(
    paths: list[Path],
    maps: dict[str, str] | None = None,
    currency_of: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Dataset:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(list_inputs(p))
        else:
            files.append(p)
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise UserError(
            f"no exports found in {where}",
            hint="put the marketplace downloads (.txt, .tsv, .csv, .xlsx) in the folder",
        )
    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in TABLES}
    reports: list[FileReport] = []
    for i, f in enumerate(files):
        if progress:
            progress(i, len(files), f.name)
        try:
            loaded = load_file(f, maps, currency_of)
        except UserError as e:  # one bad file never stops the others
            reports.append(FileReport(file=f.name, problems=[e.one_line()]))
            continue
        reports.append(loaded.report)
        for k, df in loaded.tables.items():
            parts[k].append(df)
    tables = {
        k: pl.concat(v, how="vertical_relaxed", rechunk=False) if v else empty(k)
        for k, v in parts.items()
    }
    ds = Dataset(tables=tables, files=reports)
    _dedupe_settlements(ds)
    _dedupe_orders(ds)
    _sku_from_orders(ds)
    return ds


PER_ORDER_SOURCES = ("tiktok.settlement", "shopee.income")


def _sku_from_orders(ds: Dataset) -> None:
    """Payout files that name the order but not the SKU (TikTok Shop settlement, Shopee income)
    take the SKU from the orders export when the order has exactly one SKU; the amounts of an
    order with several SKUs stay on the account line (listed in the notes)."""
    led = ds.tables["ledger"]
    if led.is_empty() or ds.tables["orders"].is_empty():
        return
    per_order = pl.col("source").is_in(PER_ORDER_SOURCES)
    need = led.select(
        pl.col("order_id").filter(per_order & pl.col("sku").is_null()).drop_nulls().unique()
    )["order_id"]
    if need.is_empty():
        return
    skus = (
        ds.tables["orders"]
        .select("platform", "order_id", "sku")
        .filter(pl.col("order_id").is_in(need.implode()) & pl.col("sku").is_not_null())
        .unique()
        .group_by("platform", "order_id")
        .agg(pl.col("sku").sort())
    )
    single = skus.filter(pl.col("sku").list.len() == 1).with_columns(
        _sku=pl.col("sku").list.first()
    )
    several = skus.filter(pl.col("sku").list.len() > 1)
    led = led.join(
        single.select("platform", "order_id", "_sku"), on=["platform", "order_id"], how="left"
    ).with_columns(sku=pl.when(per_order).then(pl.coalesce("sku", "_sku")).otherwise(pl.col("sku")))
    ds.tables["ledger"] = led.drop("_sku")
    if not several.is_empty():
        ds.notes.append(
            f"{several.height} paid order(s) hold several SKUs and the payout file names no SKU: "
            "their amounts are on the account line, not split by SKU"
        )


def _dedupe_settlements(ds: Dataset) -> None:
    led = ds.tables["ledger"]
    if led.is_empty():
        return
    ids = (
        [
            set(g["settlement_id"].drop_nulls().unique().to_list())
            for _, g in led.select("file", "settlement_id").group_by("file")
        ]
        if led["file"].n_unique() > 1
        else []
    )
    seen: set[str] = set()
    shared = False
    for s in ids:
        shared = shared or bool(seen & s)
        seen |= s
    if not shared:
        return
    sid = (
        led.filter(pl.col("settlement_id").is_not_null())
        .group_by("settlement_id", "file", "source")
        .len()
        .with_columns(prio=pl.col("source").replace_strict(_PRIORITY, default=9))
        .sort("settlement_id", "prio", "file")
    )
    keep = sid.unique("settlement_id", keep="first", maintain_order=True).select(
        "settlement_id", pl.col("file").alias("_keep")
    )
    dropped = sid.join(keep, on="settlement_id").filter(pl.col("file") != pl.col("_keep"))
    for r in dropped.iter_rows(named=True):
        ds.notes.append(
            f"settlement {r['settlement_id']} is in both {r['_keep']} and {r['file']}: "
            f"counted once, from {r['_keep']} ({r['len']} rows of {r['file']} not counted again)"
        )
    if not dropped.is_empty():
        led = led.join(keep, on="settlement_id", how="left").filter(
            pl.col("_keep").is_null() | (pl.col("_keep") == pl.col("file"))
        )
        ds.tables["ledger"] = led.drop("_keep")
        st = ds.tables["settlements"].join(keep, on="settlement_id", how="left")
        ds.tables["settlements"] = st.filter(
            pl.col("_keep").is_null() | (pl.col("_keep") == pl.col("file"))
        ).drop("_keep")


def _dedupe_orders(ds: Dataset) -> None:
    o = ds.tables["orders"]
    if o.is_empty():
        return
    per_platform = o.select("platform", "file").unique()
    if per_platform.height == per_platform["platform"].n_unique():
        return  # one orders file per platform: nothing can be duplicated across files
    files = o.group_by("platform", "order_id").agg(pl.col("file").unique().sort().alias("files"))
    multi = files.filter(pl.col("files").list.len() > 1)
    if multi.is_empty():
        return
    first = multi.select("platform", "order_id", pl.col("files").list.first().alias("_keep"))
    o = o.join(first, on=["platform", "order_id"], how="left")
    before = o.height
    o = o.filter(pl.col("_keep").is_null() | (pl.col("_keep") == pl.col("file"))).drop("_keep")
    ds.tables["orders"] = o
    ds.notes.append(
        f"{multi.height} order(s) appear in more than one orders file: each counted once "
        f"({before - o.height} duplicate line(s) not counted again)"
    )
