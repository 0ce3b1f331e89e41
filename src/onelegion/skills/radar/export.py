"""Export stored snapshots: Parquet, CSV, or JSON Lines in the import format (round-trips).

Times are UTC with their zone in every format (Parquet: timestamp[us, UTC]; CSV: ISO 8601 with
+00:00; JSON Lines: ISO 8601). The CSV starts with a UTF-8 BOM so spreadsheet programs read Chinese."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from onelegion.core.errors import UserError
from onelegion.core.files import atomic_path
from onelegion.skills.radar.store import HistoryStore, to_utc_naive

FORMATS = (".parquet", ".csv", ".jsonl")

_SELECT = (
    "SELECT source, captured_at, rank, title, url, heat, heat_text, extras FROM snapshots "
    "WHERE captured_at > ? AND captured_at <= ?{where} ORDER BY captured_at, source, rank"
)


def export_snapshots(
    store: HistoryStore,
    out: Path,
    since: datetime,
    until: datetime,
    sources: Sequence[str] | None = None,
) -> int:
    """Write the snapshots of the window to ``out`` (format from its suffix); returns the row count."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cannot export to {out.name}: unknown format {suffix or '(none)'}",
            hint="end the file name with .parquet, .csv or .jsonl",
        )
    where = ""
    params: list[object] = [to_utc_naive(since), to_utc_naive(until)]
    if sources:
        where = " AND (source IN (SELECT unnest(?::VARCHAR[])) OR split_part(source, '-', 1) IN (SELECT unnest(?::VARCHAR[])))"
        params += [list(sources), list(sources)]
    sql = _SELECT.format(where=where)
    with store.connect(read_only=True) as con:
        if suffix == ".jsonl":
            rows = con.execute(sql, params).fetchall()
            with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
                _write_jsonl(fh, rows)
            return len(rows)
        table = _utc_times(con.sql(sql, params=params).to_arrow_table())
        n = int(table.num_rows)
        with atomic_path(out) as tmp:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, tmp, compression="zstd")
            else:
                import pyarrow.compute as pc
                import pyarrow.csv as pcsv

                i = table.column_names.index("captured_at")
                iso = pc.strftime(table.column(i), format="%Y-%m-%dT%H:%M:%S+00:00")
                with tmp.open("wb") as fh:  # a BOM: Excel then reads the Chinese as UTF-8
                    fh.write(b"\xef\xbb\xbf")
                    pcsv.write_csv(table.set_column(i, "captured_at", iso), fh)
        return n


def _utc_times(table: Any) -> Any:
    """``captured_at`` (stored as naive UTC) marked as UTC, so every reader sees the zone."""
    import pyarrow as pa

    i = table.column_names.index("captured_at")
    return table.set_column(i, "captured_at", table.column(i).cast(pa.timestamp("us", tz="UTC")))


def _write_jsonl(fh: IO[str], rows: list[tuple[object, ...]]) -> None:
    cur: tuple[object, object] | None = None
    items: list[dict[str, object]] = []

    def flush() -> None:
        if cur is None:
            return
        at = cur[1]
        assert isinstance(at, datetime)
        rec = {
            "source": cur[0],
            "captured_at": at.replace(tzinfo=UTC).isoformat(),
            "items": items,
        }
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    for source, at, rank, title, url, heat, heat_text, extras in rows:
        if (source, at) != cur:
            flush()
            cur, items = (source, at), []
        item: dict[str, object] = {"rank": rank, "title": title}
        if url:
            item["url"] = url
        if heat is not None:
            item["heat"] = heat
        if heat_text:
            item["heat_text"] = heat_text
        if extras:
            item["extra"] = json.loads(str(extras))
        items.append(item)
    flush()
