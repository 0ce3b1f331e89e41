"""Read one export, recognise its layout and turn it into the canonical tables.

Files are read as text with Clean's reader (encodings, delimiters, Excel sheets); nothing is
coerced before the layout is known. Every canonical row keeps ``file`` and ``row`` (the data
row number, 1 = the first row under the header) so each figure can be traced to its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.shop.dates import parse_datetimes
from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.money import MONEY, decimal_comma_evidence, parse_money
from onelegion.skills.shop.recognise import Recognition, recognise

CHUNK_ROWS = 500_000
LARGE_BYTES = 64 * 2**20  # files above this are read batch by batch
CHUNKED_KINDS = {"ledger_v2", "ledger_flat", "ledger_txn"}
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
SUPPORTED_EXTS = {".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xls", ".xlsm"}

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


@dataclass
class Plan:
    """How a plain UTF-8 CSV/TSV will be read: delimiter, quote, header names, columns to load."""

    delim: str
    quote: str | None
    names: list[str]
    keep: list[int]
    rec: Recognition


def fast_read(path: Path, maps: dict[str, str] | None = None) -> pl.DataFrame | None:
    """The common case at full speed: a UTF-8 CSV/TSV with the header on its first line and no
    damaged last row. Anything else (other encodings, title lines, ragged rows, Excel) returns
    None and goes through Clean's reader, which reports what it found."""
    plan = fast_plan(path, maps)
    if plan is None:
        return None
    names, keep = plan.names, plan.keep
    try:
        df = pl.read_csv(
            path,
            separator=plan.delim,
            quote_char=plan.quote,
            infer_schema=False,
            has_header=True,
            columns=keep,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError):
        return None
    if df.width != len(keep):
        return None
    df.columns = [names[i] for i in keep]
    return df.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias(n) for i, n in enumerate(names) if i not in set(keep)
    ).select(names)


def fast_plan(path: Path, maps: dict[str, str] | None = None) -> Plan | None:
    import csv
    import io

    from onelegion.skills.clean.read import clean_headers

    if path.suffix.lower() not in {".csv", ".tsv", ".txt", ".tab"}:
        return None
    size = path.stat().st_size
    if size == 0:
        return None
    with path.open("rb") as f:
        head = f.read(65536)
        f.seek(max(0, size - 65536))
        tail = f.read()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        head_text = head[: head.rfind(b"\n") + 1 or len(head)].decode("utf-8")
        tail_text = (
            tail.decode("utf-8", errors="strict")
            if size <= 65536
            else tail[tail.find(b"\n") + 1 :].decode("utf-8")
        )
    except UnicodeDecodeError:
        return None
    lines = head_text.lstrip("\ufeff").splitlines()
    if len(lines) < 2:
        return None
    first = lines[0]
    delim = next((d for d in ("\t", ",", ";") if first.count(d) >= 2), None)
    if delim is None or lines[1].count(delim) > first.count(delim):
        return None  # a title line above the header
    quote = '"' if delim != "\t" else None
    last = [ln for ln in tail_text.splitlines() if ln.strip()][-1:]
    header = next(csv.reader([first], delimiter=delim))
    if last and len(next(csv.reader(io.StringIO(last[0]), delimiter=delim))) != len(header):
        return None  # a truncated or damaged last row: the careful reader reports it
    names = clean_headers(header, [])
    # read only the columns the recognised layout uses (the others are listed, not loaded)
    rec = recognise(names, maps)
    keep = list(range(len(names)))
    if rec.layout is not None:
        used = set(rec.columns.values())
        keep = [i for i, n in enumerate(names) if n in used] or keep
    return Plan(delim=delim, quote=quote, names=names, keep=keep, rec=rec)


def read_frame(path: Path, maps: dict[str, str] | None = None) -> tuple[pl.DataFrame, FileReport]:
    from onelegion.skills.clean.read import read_table

    rep = FileReport(file=path.name)
    fast = fast_read(path, maps)
    if fast is not None:
        rep.encoding = "utf-8"
        rep.rows = fast.height
        return fast, rep
    tr = read_table(path)
    rep.encoding = tr.encoding
    rep.delimiter = tr.delimiter
    rep.notes.extend(tr.notes)
    ragged = [i for i in tr.issues if i.kind not in {"header_renamed"}]
    if ragged:
        rep.problems.append(
            f"{len(ragged)} row(s) do not have as many fields as the header (a truncated or "
            f"damaged export?): {ragged[0].detail}"
        )
    rep.rows = tr.df.height
    for note in tr.notes:  # "All amounts in USD, unless specified" above a Date Range report
        m = re.search(r"amounts in ([A-Z]{3})\b", note)
        if m:
            rep.preamble_currency = m.group(1)
    return tr.df, rep


def load_file(
    path: Path, maps: dict[str, str] | None = None, currency_of: dict[str, str] | None = None
) -> Loaded:
    """Read, recognise and convert one file. Unrecognised files come back with no tables."""
    if path.stat().st_size > LARGE_BYTES:
        streamed = _load_streamed(path, maps, currency_of)
        if streamed is not None:
            return streamed
    df, rep = read_frame(path, maps)
    rec = recognise(list(df.columns), maps)
    rep.unknown = rec.unknown if rec.layout else []
    if rec.layout is None:
        shown = ", ".join(repr(h) for h in df.columns[:12])
        more = " …" if df.width > 12 else ""
        if rec.nearest:
            rep.problems.append(
                f"not a known layout; nearest is {rec.nearest} but it lacks {', '.join(rec.missing)} "
                f"(headers: {shown}{more})"
            )
        else:
            rep.problems.append(f"not a known layout (headers: {shown}{more})")
        rep.notes.append(
            "use --map 'their header=field' to name columns (see `legion shop inspect` and docs/shop.md)"
        )
        return Loaded(report=rep)
    lay: Layout = rec.layout
    rep.layout = lay.id
    rep.title = lay.title
    rep.variant = rec.variant
    rep.columns = rec.columns
    if df.height == 0:
        rep.problems.append("the file has a header but no data rows")
        return Loaded(report=rep)
    assumed = (currency_of or {}).get(lay.platform.casefold()) or (currency_of or {}).get(
        path.name.casefold()
    )
    if rep.preamble_currency and not rec.header_currency:
        rec.header_currency = rep.preamble_currency
    src = Src(df, rec, rep, lay.default_tz, assumed)
    if df.height > CHUNK_ROWS and (lay.kind in CHUNKED_KINDS or lay.id == "amazon.orders"):
        # large row-per-amount files are converted in slices: the intermediate columns of one
        # slice at a time, not of the whole file, are in memory
        parts: dict[str, list[pl.DataFrame]] = {}
        for off in range(0, df.height, CHUNK_ROWS):
            part = Src(
                df.slice(off, CHUNK_ROWS),
                rec,
                rep,
                lay.default_tz,
                assumed,
                row_offset=off,
                like=src,
            )
            for k, t in convert(lay, part, path.name).items():
                parts.setdefault(k, []).append(t)
            del part
        tables = {k: pl.concat(v, how="vertical_relaxed", rechunk=False) for k, v in parts.items()}
        if "ledger" in tables:
            from onelegion.skills.shop.load_ledger import refill

            tables["ledger"] = refill(tables["ledger"], tables.get("settlements"))
    else:
        tables = convert(lay, src, path.name)
    return _finish(rep, lay, tables)


def _assumed(lay: Layout, path: Path, currency_of: dict[str, str] | None) -> str | None:
    c = currency_of or {}
    return c.get(lay.platform.casefold()) or c.get(path.name.casefold())


def _load_streamed(
    path: Path, maps: dict[str, str] | None, currency_of: dict[str, str] | None
) -> Loaded | None:
    """A large plain CSV/TSV of a row-per-amount layout, read and converted batch by batch, so
    the whole text of the file is never in memory at once. None = use the ordinary path."""
    plan = fast_plan(path, maps)
    if plan is None or plan.rec.layout is None:
        return None
    lay = plan.rec.layout
    if not (lay.kind in CHUNKED_KINDS or lay.id == "amazon.orders"):
        return None
    rep = FileReport(
        file=path.name, layout=lay.id, title=lay.title, variant=plan.rec.variant, encoding="utf-8"
    )
    rep.columns = plan.rec.columns
    rep.unknown = plan.rec.unknown
    lf = pl.scan_csv(
        path,
        separator=plan.delim,
        quote_char=plan.quote,
        infer_schema=False,
        has_header=True,
        truncate_ragged_lines=False,
    ).select([pl.nth(i).alias(plan.names[i]) for i in plan.keep])
    parts: dict[str, list[pl.DataFrame]] = {}
    first: Src | None = None
    off = 0
    try:
        for batch in lf.collect_batches(chunk_size=CHUNK_ROWS):
            src = Src(
                batch,
                plan.rec,
                rep,
                lay.default_tz,
                _assumed(lay, path, currency_of),
                row_offset=off,
                like=first,
            )
            first = first or src
            for k, t in convert(lay, src, path.name).items():
                parts.setdefault(k, []).append(t)
            off += batch.height
    except pl.exceptions.PolarsError:
        return None  # e.g. a damaged row in the middle: the careful reader will report it
    rep.rows = off
    if off == 0:
        rep.problems.append("the file has a header but no data rows")
        return Loaded(report=rep)
    tables = {k: pl.concat(v, how="vertical_relaxed", rechunk=False) for k, v in parts.items()}
    if "ledger" in tables:
        from onelegion.skills.shop.load_ledger import refill

        tables["ledger"] = refill(tables["ledger"], tables.get("settlements"))
    return _finish(rep, lay, tables)


def _finish(rep: FileReport, lay: Layout, tables: dict[str, pl.DataFrame]) -> Loaded:
    rep.currencies = sorted(
        {
            c
            for t in tables.values()
            if "currency" in t.columns
            for c in t["currency"].unique().to_list()
            if c
        }
    )
    # (a cost table without currency is in the currency of the sales it costs)
    main = {"ledger": "amount", "orders": "item_price", "ads": "spend"}
    if any(
        tb.filter(pl.col(c).is_not_null() & pl.col("currency").is_null()).height
        for k, c in main.items()
        if (tb := tables.get(k)) is not None
    ):
        rep.problems.append(
            "some amounts have no currency (none in the file): give --currency-of "
            f"'{lay.platform}=XXX'"
        )
    if len(rep.currencies) > 1:
        rep.notes.append(f"mixed currencies in one file: {', '.join(rep.currencies)}")
    return Loaded(report=rep, tables=tables)


def convert(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    from onelegion.skills.shop import load_ledger, load_orders, load_other

    kind = lay.kind
    if kind.startswith("ledger"):
        return load_ledger.convert(lay, src, fname)
    if kind == "orders":
        return {"orders": load_orders.convert(lay, src, fname)}
    if kind == "ads":
        return {"ads": load_other.ads(lay, src, fname)}
    if kind in {"inventory", "restock"}:
        return {"inventory": load_other.inventory(lay, src, fname)}
    if kind == "cogs":
        return {"cogs": load_other.cogs(lay, src, fname)}
    if kind == "returns":
        return {"returns": load_other.returns(lay, src, fname)}
    raise UserError(f"layout {lay.id} has no loader")  # pragma: no cover


def conform(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """Columns in the table's order and types (missing ones null)."""
    schema = TABLES[table]
    return df.select(
        [
            (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def list_inputs(folder: Path) -> list[Path]:
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_EXTS and not p.name.startswith((".", "~$"))
    )
    return files
