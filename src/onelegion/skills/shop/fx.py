"""Exchange rates: the ECB reference rates (euro foreign exchange reference rates, published on
working days around 16:00 CET) and conversion of facts into one report currency.

Rates are "units of the currency per 1 EUR" (the ECB's convention). A rate for a day without
publication (weekend, holiday) is the last published one before it (ASOF). An amount is
converted at the rate of its own day, except refunds, which use the day of the original sale of
the same order so a refund cancels its sale exactly.

``legion shop fx`` downloads https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip
through ``ctx.http`` and keeps it as ``<workspace>/shop/ecb-rates.csv``; ``--fx FILE`` accepts the
same CSV layout (``Date,USD,JPY,...``) or a long one (``date,currency,rate``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from onelegion.core.errors import UserError

ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
RATES_SCHEMA = {"date": pl.Date, "currency": pl.Utf8, "rate": pl.Float64}


def parse_ecb_csv(text: str) -> pl.DataFrame:
    """The ECB history CSV (wide: Date,USD,JPY,...; 'N/A' gaps) -> long (date, currency, rate)."""
    df = pl.read_csv(io.StringIO(text), infer_schema=False)
    df = df.rename({c: c.strip() for c in df.columns})
    df = df.select([c for c in df.columns if c])  # the trailing comma makes an empty column
    if "Date" not in df.columns:
        raise UserError("the rates file has no 'Date' column", hint="give the ECB eurofxref CSV")
    long = df.unpivot(index="Date", variable_name="currency", value_name="rate")
    long = long.select(
        pl.col("Date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False).alias("date"),
        pl.col("currency").str.strip_chars().str.to_uppercase(),
        pl.col("rate").str.strip_chars().cast(pl.Float64, strict=False),
    ).drop_nulls()
    eur = long.select("date").unique().with_columns(currency=pl.lit("EUR"), rate=pl.lit(1.0))
    return pl.concat([long, eur.select(long.columns)]).sort("currency", "date")


def parse_ecb_zip(data: bytes) -> pl.DataFrame:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = next((n for n in z.namelist() if n.lower().endswith(".csv")), None)
        if name is None:
            raise UserError("the ECB download holds no CSV", hint="try again later")
        return parse_ecb_csv(z.read(name).decode("utf-8-sig"))


def read_rates(path: Path) -> pl.DataFrame:
    """A rates file: ECB wide CSV or long 'date,currency,rate' (rate = currency per 1 EUR)."""
    text = path.read_text(encoding="utf-8-sig")
    head = text.splitlines()[0].casefold() if text.strip() else ""
    if not head:
        raise UserError(f"{path.name} is empty", hint="give a rates CSV (docs/shop.md, FX)")
    if "currency" in head and "rate" in head:
        df = pl.read_csv(io.StringIO(text), infer_schema=False)
        df = df.rename({c: c.strip().casefold() for c in df.columns})
        out = df.select(
            pl.col("date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False),
            pl.col("currency").str.strip_chars().str.to_uppercase(),
            pl.col("rate").str.strip_chars().cast(pl.Float64, strict=False),
        ).drop_nulls()
        eur = out.select("date").unique().with_columns(currency=pl.lit("EUR"), rate=pl.lit(1.0))
        return (
            pl.concat([out, eur.select(out.columns)])
            .unique(["date", "currency"])
            .sort("currency", "date")
        )
    return parse_ecb_csv(text)


def store_path(workspace: Path) -> Path:
    return workspace / "shop" / "ecb-rates.csv"


def save_rates(rates: pl.DataFrame, path: Path) -> None:
    """Write atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    rates.write_csv(tmp)
    tmp.replace(path)


def convert_facts(
    facts: pl.DataFrame, rates: pl.DataFrame, to: str
) -> tuple[pl.DataFrame, list[str]]:
    """Add ``amount_rc`` (report currency). Refund facts use their order's first sale day."""
    to = to.upper()
    gaps: list[str] = []
    sale_day = (
        facts.select("line", "order_id", "ts")
        .filter((pl.col("line") == "revenue") & pl.col("order_id").is_not_null())
        .group_by("order_id")
        .agg(pl.col("ts").min().alias("_sale_ts"))
    )
    f = facts.with_row_index("_i").join(sale_day, on="order_id", how="left")
    f = f.with_columns(
        _day=pl.when(pl.col("line") == "refunds")
        .then(pl.coalesce("_sale_ts", "ts"))
        .otherwise(pl.col("ts"))
        .dt.date()
    )
    r = rates.sort("date")
    left = f.select("_i", "currency", "_day").sort("_day")
    joined = left.join_asof(
        r.rename({"date": "_day", "rate": "_r_from"}),
        on="_day",
        by="currency",
        strategy="backward",
        check_sortedness=False,
    )
    target = r.filter(pl.col("currency") == to).select(
        pl.col("date").alias("_day"), pl.col("rate").alias("_r_to")
    )
    if target.is_empty():
        raise UserError(f"no exchange rates for {to}", hint="run `legion shop fx` or give --fx")
    joined = joined.join_asof(target, on="_day", strategy="backward")
    f = f.join(joined.select("_i", "_r_from", "_r_to"), on="_i", how="left").sort("_i")
    same = pl.col("currency") == to
    f = f.with_columns(
        amount_rc=pl.when(same)
        .then(pl.col("amount").cast(pl.Float64))
        .otherwise(pl.col("amount").cast(pl.Float64) / pl.col("_r_from") * pl.col("_r_to"))
        .round(2)
        .cast(pl.Decimal(18, 2))
    )
    miss = f.filter(pl.col("amount_rc").is_null() & pl.col("amount").is_not_null())
    if not miss.is_empty():
        for cur, n in miss.group_by("currency").len().iter_rows():
            gaps.append(
                f"{n} row(s) in {cur} have no {cur}->{to} rate for their day: left out of the "
                f"{to} totals (add rates with `legion shop fx` or --fx)"
            )
    return f.drop("_i", "_sale_ts", "_day", "_r_from", "_r_to"), gaps
