"""What every loader shares: the canonical tables (schemas, ``empty``, ``conform``), the report
of one file, and ``Src``, a recognised frame whose columns are parsed by canonical name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from onelegion.skills.shop.dates import parse_datetimes
from onelegion.skills.shop.money import MONEY, decimal_comma_evidence, parse_money
from onelegion.skills.shop.recognise import Recognition

CURRENCY_TZ = {
    "PHP": "Asia/Manila",
    "MYR": "Asia/Kuala_Lumpur",
    "IDR": "Asia/Jakarta",
    "THB": "Asia/Bangkok",
    "VND": "Asia/Ho_Chi_Minh",
    "SGD": "Asia/Singapore",
    "TWD": "Asia/Taipei",
    "BRL": "America/Sao_Paulo",
    "MXN": "America/Mexico_City",
    "GBP": "Europe/London",
    "USD": "America/Los_Angeles",
}

LEDGER_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "platform": pl.Utf8,
    "marketplace": pl.Utf8,
    "settlement_id": pl.Utf8,
    "order_id": pl.Utf8,
    "sku": pl.Utf8,
    "qty": pl.Int64,
    "ts": pl.Datetime("us"),
    "txn_type": pl.Utf8,
    "description": pl.Utf8,
    "category": pl.Utf8,
    "is_refund": pl.Boolean,
    "amount": MONEY,
    "currency": pl.Utf8,
}
ORDER_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "platform": pl.Utf8,
    "marketplace": pl.Utf8,
    "order_id": pl.Utf8,
    "sku": pl.Utf8,
    "qty": pl.Int64,
    "ts": pl.Datetime("us"),
    "status": pl.Utf8,
    "cancelled": pl.Boolean,
    "currency": pl.Utf8,
    "item_price": MONEY,
    "shipping_price": MONEY,
    "promo": MONEY,
    "tax": MONEY,
    "fees": MONEY,
    "refund": MONEY,
    "returned_qty": pl.Int64,
}
ADS_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "report": pl.Utf8,
    "date": pl.Date,
    "campaign": pl.Utf8,
    "ad_group": pl.Utf8,
    "targeting": pl.Utf8,
    "match_type": pl.Utf8,
    "search_term": pl.Utf8,
    "sku": pl.Utf8,
    "asin": pl.Utf8,
    "impressions": pl.Int64,
    "clicks": pl.Int64,
    "spend": MONEY,
    "sales": MONEY,
    "orders": pl.Int64,
    "units": pl.Int64,
    "currency": pl.Utf8,
    "window_days": pl.Int64,
}
INVENTORY_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "sku": pl.Utf8,
    "asin": pl.Utf8,
    "available": pl.Int64,
    "inbound": pl.Int64,
    "reserved": pl.Int64,
    "unsellable": pl.Int64,
    "units_30d": pl.Int64,
    "amazon_qty": pl.Int64,
}
RETURNS_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "ts": pl.Datetime("us"),
    "order_id": pl.Utf8,
    "sku": pl.Utf8,
    "qty": pl.Int64,
    "disposition": pl.Utf8,
    "reason": pl.Utf8,
}
SETTLEMENT_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "source": pl.Utf8,
    "settlement_id": pl.Utf8,
    "start": pl.Datetime("us"),
    "end": pl.Datetime("us"),
    "deposit_date": pl.Datetime("us"),
    "total": MONEY,
    "currency": pl.Utf8,
}
COGS_SCHEMA = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "sku": pl.Utf8,
    "unit_cost": MONEY,
    "currency": pl.Utf8,
    "effective_from": pl.Datetime("us"),
}
TABLES: dict[str, dict[str, Any]] = {
    "cogs": COGS_SCHEMA,
    "ledger": LEDGER_SCHEMA,
    "orders": ORDER_SCHEMA,
    "ads": ADS_SCHEMA,
    "inventory": INVENTORY_SCHEMA,
    "returns": RETURNS_SCHEMA,
    "settlements": SETTLEMENT_SCHEMA,
}


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[table])


@dataclass
class FileReport:
    """What was understood about one file (shown by `shop inspect` and in the report)."""

    file: str
    layout: str | None = None
    title: str = ""
    variant: str = ""
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    currencies: list[str] = field(default_factory=list)
    decimal_comma: bool | None = None
    time_zone: str = ""
    preamble_currency: str | None = None


@dataclass
class Loaded:
    report: FileReport
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)


class Src:
    """A recognised text frame with helpers that parse its columns by canonical name."""

    def __init__(
        self,
        df: pl.DataFrame,
        rec: Recognition,
        rep: FileReport,
        default_tz: str,
        assumed_currency: str | None = None,
        *,
        row_offset: int = 0,
        like: Src | None = None,
    ):
        self.df = df
        self.row_offset = row_offset
        self.rec = rec
        self.rep = rep
        self.n = df.height
        self.assumed_currency = assumed_currency
        money_fields = [c for c in rec.columns if _is_money_field(c)]
        hint = rec.header_currency
        if money_fields:
            sample = pl.concat([df[rec.columns[c]].drop_nulls().head(20_000) for c in money_fields])
            self.decimal_comma = decimal_comma_evidence(sample)
            written = parse_money(sample.head(2000), decimal_comma=self.decimal_comma)["currency"]
            hint = hint or next(iter(written.drop_nulls().mode().to_list()), None)
        else:
            self.decimal_comma = None
        if "currency" in rec.columns:
            hint = hint or next(
                iter(df[rec.columns["currency"]].drop_nulls().mode().to_list()), None
            )
        hint = hint or assumed_currency
        if like is not None:  # a chunk of a larger file: decide as the whole file did
            self.decimal_comma = like.decimal_comma
        # local-time marketplaces: a timestamp without a zone is in the zone of the shop's country
        self.default_tz = (
            CURRENCY_TZ.get(str(hint).upper(), default_tz) if default_tz != "UTC" else default_tz
        )
        rep.decimal_comma = self.decimal_comma
        self.currencies: set[str] = set()
        self._text: dict[str, pl.Series] = {}

    def has(self, name: str) -> bool:
        return name in self.rec.columns

    def text(self, name: str) -> pl.Series:
        if name in self._text:
            return self._text[name]
        if name not in self.rec.columns:
            return pl.Series(name, [None] * self.n, dtype=pl.Utf8)
        s = self.df[self.rec.columns[name]].str.strip_chars()
        if s.str.starts_with('="').any():  # Excel text cells of the 2026 ads console: ="123"
            s = s.str.replace(r'^="(.*)"$', "$1")
        if (s == "").any():
            s = pl.select(pl.when(s == "").then(None).otherwise(s)).to_series()
        out = s.rename(name)
        self._text[name] = out
        return out

    def money(self, name: str) -> tuple[pl.Series, pl.Series]:
        """(amount Decimal, currency written beside the number)."""
        if name not in self.rec.columns:
            return (
                pl.Series(name, [None] * self.n, dtype=MONEY),
                pl.Series(name, [None] * self.n, dtype=pl.Utf8),
            )
        p = parse_money(self.text(name), decimal_comma=bool(self.decimal_comma))
        nbad = int(p["bad"].sum())
        if nbad:
            ex = p.filter(pl.col("bad"))["raw"].unique().head(3).to_list()
            self.rep.problems.append(
                f"{nbad} value(s) in '{self.rec.columns[name]}' are not amounts "
                f"(e.g. {', '.join(map(repr, ex))}); they were left out, not counted as 0"
            )
        return p["amount"].rename(name), p["currency"].rename(name)

    def amount(self, name: str) -> pl.Series:
        a, cur = self.money(name)
        self.currencies.update(c for c in cur.unique().to_list() if c)
        return a

    def ints(self, name: str) -> pl.Series:
        from onelegion.skills.shop.money import int_col

        raw = self.text(name)
        out = int_col(raw)
        nbad = int((raw.is_not_null() & out.is_null()).sum())
        if nbad:
            self.rep.problems.append(
                f"{nbad} value(s) in '{self.rec.columns[name]}' are not whole numbers; left out"
            )
        return out.rename(name)

    def times(self, name: str) -> pl.Series:
        if name not in self.rec.columns:
            return pl.Series(name, [None] * self.n, dtype=pl.Datetime("us"))
        p = parse_datetimes(self.text(name), default_tz=self.default_tz)
        nbad = int(p["bad"].sum())
        if nbad:
            ex = p.filter(pl.col("bad"))["raw"].unique().head(3).to_list()
            self.rep.problems.append(
                f"{nbad} date(s) in '{self.rec.columns[name]}' could not be read "
                f"(e.g. {', '.join(map(repr, ex))})"
            )
        zones = sorted({z for z in p.filter(pl.col("ts").is_not_null())["zone"].unique() if z})
        if zones and not self.rep.time_zone:
            self.rep.time_zone = ", ".join(zones)
        return p["ts"].rename(name)

    def rows(self) -> pl.Series:
        start = self.row_offset + 1
        return pl.Series("row", range(start, start + self.n), dtype=pl.Int64)

    def currency(self, *written: pl.Series) -> pl.Series:
        """Per-row currency: the currency column, else a symbol beside a number, else the
        header's currency."""
        parts: list[pl.Series] = []
        if self.has("currency"):
            parts.append(self.text("currency").str.to_uppercase())
        parts.extend(written)
        if self.rec.header_currency:
            parts.append(pl.Series([self.rec.header_currency] * self.n, dtype=pl.Utf8))
        if self.assumed_currency:
            parts.append(pl.Series([self.assumed_currency] * self.n, dtype=pl.Utf8))
        if not parts:
            return pl.Series("currency", [None] * self.n, dtype=pl.Utf8)
        return pl.select(pl.coalesce(parts)).to_series().rename("currency")


def _is_money_field(name: str) -> bool:
    return any(
        k in name
        for k in (
            "amount",
            "price",
            "sales",
            "fee",
            "total",
            "spend",
            "discount",
            "credits",
            "rebate",
            "refund",
            "tax",
            "subtotal",
            "commission",
            "voucher",
            "released",
        )
    ) and name not in {"units_30d", "tax_model"}


def conform(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """Columns in the table's order and types (missing ones null)."""
    schema = TABLES[table]
    return df.select(
        [
            (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )
