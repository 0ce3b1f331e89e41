"""Read one export, recognise its layout and turn it into the canonical tables.

Files are read as text with Clean's reader (encodings, delimiters, Excel sheets); nothing is
coerced before the layout is known. Every canonical row keeps ``file`` and ``row`` (the data
row number, 1 = the first row under the header) so each figure can be traced to its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.recognise import Recognition, recognise
from onelegion.skills.shop.tables import FileReport, Loaded, Src

CHUNK_ROWS = 200_000
LARGE_BYTES = 64 * 2**20  # files above this are read batch by batch
CHUNKED_KINDS = {"ledger_v2", "ledger_flat", "ledger_txn"}
SUPPORTED_EXTS = {".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xls", ".xlsm"}


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

    from onelegion.tables.read import clean_headers

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
    from onelegion.tables.read import read_table

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
        from onelegion.skills.shop.layouts_other import unsupported

        shown = ", ".join(repr(h) for h in df.columns[:12])
        more = " …" if df.width > 12 else ""
        plain = unsupported(path.name, list(df.columns))
        if plain:
            rep.problems.append(f"{plain} (headers: {shown}{more})")
            return Loaded(report=rep)
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


def list_inputs(folder: Path) -> list[Path]:
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_EXTS and not p.name.startswith((".", "~$"))
    )
    return files
