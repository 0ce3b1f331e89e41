"""Read anything people have into a text-only polars frame.

CSV / TSV / TXT (encoding, delimiter, quote and header sniffed; ragged rows reported with their
line numbers and padded or truncated, the extra values kept in the issue), Excel (.xlsx / .xls /
.xlsm / .ods through python-calamine), JSON (an array of objects), JSON Lines and Parquet.
Every column comes back as ``pl.Utf8``; missing cells are null; row order is the file's order.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onelegion.core import textsafe
from onelegion.core.errors import UserError
from onelegion.tables.cells import cell_text
from onelegion.tables.encoding import decode_text
from onelegion.tables.issues import Issue

if TYPE_CHECKING:
    import polars as pl

TEXT_EXTS = {".csv", ".tsv", ".txt", ".tab", ".dat"}
EXCEL_EXTS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
JSON_EXTS = {".json"}
JSONL_EXTS = {".jsonl", ".ndjson"}
PARQUET_EXTS = {".parquet", ".pq"}
SUPPORTED = sorted(TEXT_EXTS | EXCEL_EXTS | JSON_EXTS | JSONL_EXTS | PARQUET_EXTS)
MAX_COLUMNS = 2000
_SNIFF_BYTES = 256 * 1024


@dataclass
class TableRead:
    """A table read from a file, with what was learnt about the file."""

    df: pl.DataFrame
    format: str  # csv | excel | json | jsonl | parquet
    encoding: str | None = None
    bom: bool = False
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header: bool = True
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # the input's own line (CSV) or sheet row (Excel) of each data row, 1-based (None: record
    # numbers, for JSON and Parquet)
    lines: pl.Series | None = None


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> TableRead:
    """Read ``path`` (format from its extension, or sniffed for unknown extensions)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist", hint="check the path")
    if path.is_dir():
        raise UserError(
            f"{path} is a directory", hint="give a table file (csv, xlsx, json, parquet)"
        )
    if path.stat().st_size == 0:
        raise UserError(f"{path.name} is empty (0 bytes)", hint="export the table again")
    ext = path.suffix.lower()
    tr = _read_any(path, ext, sheet, encoding)
    renamed = [i for i in tr.issues if i.kind == "header_renamed"]
    if renamed:
        tr.notes.append(
            "renamed headers: "
            + "; ".join(i.detail for i in renamed[:5])
            + (" …" if len(renamed) > 5 else "")
        )
    return tr


def _read_any(path: Path, ext: str, sheet: str | None, encoding: str | None) -> TableRead:
    head = path.open("rb").read(8)
    if ext in EXCEL_EXTS or (
        head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and ext not in PARQUET_EXTS
    ):
        if ext in TEXT_EXTS:
            raise UserError(
                f"{path.name} is a spreadsheet or archive saved with a {ext} name",
                hint=f"rename it to .xlsx (or .xls) and run again; supported: {', '.join(SUPPORTED)}",
            )
        return _read_excel(path, sheet)
    if ext in PARQUET_EXTS or head.startswith(b"PAR1"):
        return _read_parquet(path)
    if ext in JSON_EXTS or ext in JSONL_EXTS:
        return _read_json(path, encoding, lines=ext in JSONL_EXTS)
    return _read_text(path, encoding)


# --- text ------------------------------------------------------------------------------------
def sniff_dialect(text: str, ext: str) -> tuple[str, str]:
    """(delimiter, quotechar) from the first lines."""
    sample = "\n".join(text[:65536].splitlines()[:50])
    if ext in {".tsv", ".tab"}:
        return "\t", '"'
    try:
        d = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        return d.delimiter, d.quotechar or '"'
    except csv.Error:
        counts = {c: sample.count(c) for c in ",\t;|"}
        best = max(counts, key=lambda c: counts[c])
        return (best if counts[best] else ","), '"'


def skip_preamble(text: str, delim: str, quote: str) -> tuple[str, list[str]]:
    """Drop title lines above the header ('销售报表 2024年3月', an export date ...): records at the
    top with fewer fields than most of the first records. Returns (rest, the skipped lines)."""
    reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delim, quotechar=quote)
    widths: list[tuple[int, int, list[str]]] = []  # (field count, line number after it, fields)
    try:
        for rec in reader:
            if rec:
                widths.append((len(rec), reader.line_num, rec))
            if len(widths) >= 60:
                break
    except csv.Error:
        return text, []
    if len(widths) < 3:
        return text, []
    counts: dict[int, int] = {}
    for w, _, _ in widths:
        counts[w] = counts.get(w, 0) + 1
    modal = max(counts, key=lambda w: (counts[w], w))
    if modal <= 1 or widths[0][0] >= modal:
        return text, []
    k = next(i for i, (w, _, _) in enumerate(widths) if w >= modal)
    lines = widths[k - 1][
        1
    ]  # physical lines used by the title records (and blank lines among them)
    pos = 0
    for _ in range(lines):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return text, []
    title = [" ".join(f.strip() for f in rec if f.strip()) for _, _, rec in widths[:k]]
    return text[pos:], [t for t in title if t]


def _looks_numeric(v: str) -> bool:
    v = v.strip().replace(",", "")
    if not v:
        return False
    try:
        float(v)
        return True
    except ValueError:
        return False


def _read_text(path: Path, encoding: str | None) -> TableRead:
    import polars as pl

    data = path.read_bytes()
    text, enc, bom = decode_text(data, encoding)
    notes: list[str] = []
    if enc.endswith("+replace"):
        enc = enc.removesuffix("+replace")
        notes.append(f"some bytes were not valid {enc} and became U+FFFD")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UserError(
            f"{path.name} holds no data (only whitespace)", hint="export the table again"
        )
    delim, quote = sniff_dialect(text, path.suffix.lower())
    whole = text
    before = len(text)
    text, preamble = skip_preamble(text.lstrip("\r\n"), delim, quote)
    text = text.lstrip("\r\n")  # blank lines above the header
    moved = len(text) != before  # the bytes no longer match the text: parse the text
    if preamble:
        shown = " | ".join(preamble)
        notes.append(
            f"skipped {len(preamble)} title line(s) above the header: {shown[:120]}{'…' if len(shown) > 120 else ''}"
        )
    # One C-speed pass to count fields per record: ragged rows are found with their line numbers.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar=quote)
    try:
        first = next(reader)
    except StopIteration:
        raise UserError(f"{path.name} holds no rows", hint="export the table again") from None
    except csv.Error as e:
        raise UserError(
            f"{path.name} could not be parsed as a table: {e}", hint="check the file"
        ) from None
    if len(first) > MAX_COLUMNS:
        raise UserError(
            f"{path.name} has {len(first)} columns (the limit is {MAX_COLUMNS})",
            hint="split the table, or check the delimiter (try exporting as CSV)",
        )
    header_lines = reader.line_num  # physical lines of the first record
    width = len(first)
    ragged: list[tuple[int, int]] = []  # (record index, field count)
    second: list[str] | None = None
    csv.field_size_limit(1 << 30)
    try:
        for i, rec in enumerate(reader):
            if i == 0:
                second = rec
            if len(rec) != width and rec:
                ragged.append((i, len(rec)))
    except csv.Error as e:
        raise UserError(
            f"{path.name}: broken quoting near line {reader.line_num}: {e}",
            hint="fix the quote characters on that line",
        ) from None
    header = not (
        second is not None
        and sum(_looks_numeric(v) for v in first) * 2 >= max(1, width)
        and sum(_looks_numeric(v) for v in second) * 2 >= max(1, width)
    )
    if not header:
        notes.append("the first row looks like data, so columns were named column_1, column_2, ...")
    df: pl.DataFrame | None = None
    if not ragged:
        try:
            df = pl.read_csv(
                text.encode("utf-8")
                if enc != "utf-8" or moved
                else data.removeprefix(codecs.BOM_UTF8),
                has_header=False,
                separator=delim,
                quote_char=quote,
                infer_schema=False,
                skip_rows=1 if header else 0,
                truncate_ragged_lines=False,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError:  # polars disagrees with the csv module: use the slow path
            df = None
    issues: list[Issue] = []
    py_lines: list[int] | None = None
    if df is None or df.width != width:
        df, issues, py_lines = _parse_python(text, delim, quote, width, header)
    names = clean_headers(first if header else [f"column_{i + 1}" for i in range(width)], issues)
    df.columns = names
    df = df.with_columns(pl.col(c).replace("", None) for c in names) if df.height else df
    if not df.height and header:
        notes.append("the file has a header but no data rows")
    above = whole[: len(whole) - len(text)].count("\n")  # title and blank lines skipped
    for flagged in issues:
        if flagged.line is not None:
            flagged.line += above
            flagged.detail = re.sub(r"^line \d+", f"line {flagged.line}", flagged.detail)
    lines = (
        pl.Series("line", [x + above for x in py_lines], dtype=pl.Int64)
        if py_lines is not None
        else data_lines(df, above + (header_lines if header else 0) + 1)
    )
    return TableRead(
        df=df,
        lines=lines,
        format="csv",
        encoding=enc,
        bom=bom,
        delimiter=delim,
        header=header,
        issues=issues,
        notes=notes,
    )


def data_lines(df: pl.DataFrame, first: int) -> pl.Series:
    """The physical line each data row starts on, from the first row's line and the line breaks
    inside earlier rows' cells."""
    import polars as pl

    if df.width == 0 or df.height == 0:
        return pl.Series("line", [], dtype=pl.Int64)
    breaks = df.select(
        pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in df.columns)
    ).to_series()
    start = pl.int_range(first, first + df.height, dtype=pl.Int64, eager=True)
    return (start + breaks.cum_sum().shift(1, fill_value=0).cast(pl.Int64)).rename("line")


def _parse_python(
    text: str, delim: str, quote: str, width: int, header: bool
) -> tuple[pl.DataFrame, list[Issue], list[int]]:
    import polars as pl

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar=quote)
    rows: list[list[str | None]] = []
    issues: list[Issue] = []
    lines: list[int] = []  # the line (within ``text``) each row starts on
    start_line = 1
    for i, rec in enumerate(reader):
        line = start_line
        start_line = reader.line_num + 1
        if i == 0 and header:
            continue
        if not rec:
            continue  # a blank line
        row_i = len(rows)
        lines.append(line)
        if len(rec) < width:
            issues.append(
                Issue(
                    row=row_i,
                    line=line,
                    column=None,
                    value=None,
                    kind="ragged_row",
                    detail=f"line {line}: {len(rec)} fields, expected {width}; padded with empty cells",
                )
            )
            rec = rec + [""] * (width - len(rec))
        elif len(rec) > width:
            extra = rec[width:]
            issues.append(
                Issue(
                    row=row_i,
                    line=line,
                    column=None,
                    value=delim.join(extra),
                    kind="ragged_row",
                    detail=f"line {line}: {len(rec)} fields, expected {width}; "
                    f"the extra values (in 'value') were cut off",
                )
            )
            rec = rec[:width]
        rows.append(list(rec))
    cols = [f"c{j}" for j in range(width)]
    df = pl.DataFrame(rows, schema={c: pl.Utf8 for c in cols}, orient="row")
    return df, issues, lines


def clean_headers(names: list[Any], issues: list[Issue]) -> list[str]:
    """Empty names become column_N and duplicates get _2, _3 ... (each noted as an issue)."""
    out: list[str] = []
    seen: set[str] = set()
    for j, raw in enumerate(names):
        name = str(raw if raw is not None else "").strip().lstrip("\ufeff")
        new = name or f"column_{j + 1}"
        if new in seen:
            k = 2
            while f"{new}_{k}" in seen:
                k += 1
            new = f"{new}_{k}"
        if new != name:
            why = "empty header" if not name else "duplicate header"
            issues.append(
                Issue(
                    row=None,
                    column=new,
                    value=name,
                    kind="header_renamed",
                    detail=f"column {j + 1}: {why} renamed to {new!r}",
                )
            )
        seen.add(new)
        out.append(new)
    return out


# --- Excel -----------------------------------------------------------------------------------
def _read_excel(path: Path, sheet: str | None) -> TableRead:
    import polars as pl

    from onelegion.tables.workbook import sheet_rows

    names, found, raw_rows, top_row = sheet_rows(path, sheet)
    if found is None:
        raise UserError(
            f"sheet {sheet!r} is not in {path.name}; its sheets are: {', '.join(names)}",
            hint="pass --sheet with one of those names (or its number, 1 = first)",
        )
    chosen = found
    kept = [i for i, r in enumerate(raw_rows) if any(c not in (None, "") for c in r)]
    rows = [raw_rows[i] for i in kept]
    notes: list[str] = []
    if len(rows) < len(raw_rows):
        notes.append(f"{len(raw_rows) - len(rows)} empty row(s) were left out")
    # title rows above the header (a merged '2024年3月销售报表' cell, an export date ...)
    filled = [sum(1 for c in r if c not in (None, "")) for r in rows[:60]]
    if filled:
        top = max(filled)
        k = next(i for i, f in enumerate(filled) if f >= max(2, 0.6 * top)) if top >= 2 else 0
        if k and all(f <= max(1, top // 2) for f in filled[:k]):
            titles = [
                " ".join(str(cell_text(c)) for c in r if c not in (None, "")) for r in rows[:k]
            ]
            notes.append(f"skipped {k} title row(s) above the header: {' | '.join(titles)[:120]}")
            rows = rows[k:]
            kept = kept[k:]
    if not rows:
        raise UserError(
            f"sheet {chosen!r} of {path.name} is empty",
            hint=f"choose another with --sheet ({', '.join(names)})",
        )
    width = max(len(r) for r in rows)
    if width > MAX_COLUMNS:
        raise UserError(
            f"sheet {chosen!r} has {width} columns (the limit is {MAX_COLUMNS})",
            hint="split the table",
        )
    issues: list[Issue] = []
    header = clean_headers(
        [cell_text(c) for c in rows[0]] + [None] * (width - len(rows[0])), issues
    )
    body = [[cell_text(c) for c in r] + [None] * (width - len(r)) for r in rows[1:]]
    df = pl.DataFrame(body, schema={h: pl.Utf8 for h in header}, orient="row")
    if len(names) > 1:
        notes.insert(0, f"sheet {chosen!r} of {len(names)}: {', '.join(names)}")
    lines = pl.Series("line", [top_row + i for i in kept[1:]], dtype=pl.Int64)
    return TableRead(
        df=df,
        format="excel",
        sheet=chosen,
        sheets=names,
        issues=issues,
        notes=notes,
        lines=lines,
    )


# --- JSON / JSON Lines / Parquet -------------------------------------------------------------
def _records_frame(records: list[Any], what: str) -> tuple[pl.DataFrame, list[Issue]]:
    import polars as pl

    keys: dict[str, None] = {}
    for r in records:
        if not isinstance(r, dict):
            raise UserError(
                f"{what} holds a {type(r).__name__}, not objects",
                hint='give an array of objects like [{"a": 1}, ...]',
            )
        keys.update(dict.fromkeys(str(k) for k in r))
    if len(keys) > MAX_COLUMNS:
        raise UserError(
            f"{what} has {len(keys)} distinct keys (the limit is {MAX_COLUMNS})",
            hint="flatten it first",
        )
    cols = list(keys)
    data = {k: [cell_text(r.get(k)) for r in records] for k in cols}
    issues: list[Issue] = []
    names = clean_headers(cols, issues)
    return pl.DataFrame(
        {n: data[k] for n, k in zip(names, cols, strict=True)}, schema={n: pl.Utf8 for n in names}
    ), issues


def _read_json(path: Path, encoding: str | None, *, lines: bool) -> TableRead:
    text, enc, bom = decode_text(path.read_bytes(), encoding)
    text = text.lstrip("\ufeff")
    records: list[Any] = []
    if not lines and text.lstrip()[:1] != "[":
        lines = True  # a .json file that is really JSON Lines
    if lines:
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    records.append(textsafe.loads(line, f"{path.name} line {n}"))
                except json.JSONDecodeError as e:
                    raise UserError(
                        f"{path.name} line {n} is not valid JSON: {e.msg}", hint="fix that line"
                    ) from None
    else:
        try:
            obj = textsafe.loads(text, path.name)
        except json.JSONDecodeError as e:
            raise UserError(
                f"{path.name} is not valid JSON (line {e.lineno}: {e.msg})", hint="fix the file"
            ) from None
        if not isinstance(obj, list):
            raise UserError(f"{path.name} is not an array of objects", hint='give [{"a": 1}, ...]')
        records = obj
    if not records:
        raise UserError(f"{path.name} holds no records", hint="give at least one object")
    notes: list[str] = []
    if textsafe.may_hold_surrogates(text):
        records, fixed = textsafe.fix_tree(records, path.name)
        if fixed:
            notes.append(textsafe.surrogate_note(fixed))
    df, issues = _records_frame(records, path.name)
    return TableRead(
        df=df,
        format="jsonl" if lines else "json",
        encoding=enc,
        bom=bom,
        issues=issues,
        notes=notes,
    )


def _first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines() or [type(e).__name__]
    return lines[0][:160]


def _repr_text(v: Any) -> str:
    return f"{v}"  # durations as '1 day, 0:00:05', bytes as b'...'


def _read_parquet(path: Path) -> TableRead:
    import polars as pl
    import pyarrow.parquet as pq

    from onelegion.tables.workbook import reader_failed

    try:
        # pyarrow, not pl.read_parquet: on some corrupt files polars panics in a worker thread
        # and aborts the whole process (found by fuzzing); pyarrow raises a clean error
        raw = pl.DataFrame(pl.from_arrow(pq.read_table(path)))
    except BaseException as e:
        if not reader_failed(e):
            raise
        raise UserError(
            f"{path.name} could not be read as Parquet: {_first_line(e)}", hint="check the file"
        ) from None
    exprs = []
    for name, dtype in raw.schema.items():
        col = pl.col(name)
        if dtype == pl.Utf8:
            exprs.append(col)
        elif dtype.is_float():
            exprs.append(col.map_elements(cell_text, return_dtype=pl.Utf8))
        elif dtype == pl.Datetime:
            exprs.append(col.dt.to_string("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Boolean:
            exprs.append(pl.when(col).then(pl.lit("TRUE")).when(col.not_()).then(pl.lit("FALSE")))
        elif dtype in (pl.Duration, pl.Binary, pl.Object):
            exprs.append(col.map_elements(_repr_text, return_dtype=pl.Utf8, skip_nulls=True))
        elif dtype.is_nested() or dtype == pl.Struct:
            exprs.append(
                col.map_elements(
                    lambda v: json.dumps(v, ensure_ascii=False, default=str), return_dtype=pl.Utf8
                )
            )
        else:
            exprs.append(col.cast(pl.Utf8))
    try:
        df = raw.select([e.alias(n) for e, n in zip(exprs, raw.columns, strict=True)])
    except BaseException as e:
        if not reader_failed(e):
            raise
        raise UserError(
            f"{path.name} has a column that cannot be shown as text: {str(e).splitlines()[0][:160]}",
            hint="convert that column to text or numbers, or export as CSV",
        ) from None
    return TableRead(df=df, format="parquet")
