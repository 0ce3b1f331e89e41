"""Staging: a batch or a streamed snapshot goes into temporary tables (or registered Arrow
tables) of the history's connection, is deduplicated there in SQL, and is committed to
``captures``, ``snapshots`` and ``items`` in one transaction (:meth:`HistoryStore.add` and
:meth:`HistoryStore.add_stream` in store.py open the connection and count the result).

A streamed snapshot (a large daily file) arrives as slices of :class:`StreamRow`; the day-file rules
of ``importers.items_from_records`` (best rank per title, sightings, unranked Weibo entries after
the ranked ones) and the per-item-key dedupe of ``HistoryStore.add`` run in SQL, so memory follows
the slice, not the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.normalize import item_key, normalize_title

if TYPE_CHECKING:
    import duckdb


class StreamRow(NamedTuple):
    """The best record of one title within a slice of a streamed snapshot."""

    key: str  # the title as the archive gives it (stripped): the day file's unit
    pos: int  # 1-based position of the title's first record in the file
    pending: bool  # no rank given (a pinned / new Weibo entry): ranked after the ranked ones
    rank: int  # best rank (max(1, rank)); when pending, the first record's place among them
    raw_max: int  # the largest rank as given (pending: its place)
    n: int  # records of this title in the slice (day sightings)
    item: HotItem


# Up to this many rows a batch is staged with plain INSERTs: importing pyarrow (and numpy) costs
# ≈ 0.35 s of start-up, more than a scan's whole store step; imports of archives use pyarrow.
SMALL = 2000
_STAGED_COLS = (
    "source VARCHAR, captured_at TIMESTAMP, rank INTEGER, item_key BIGINT, title VARCHAR, "
    "url VARCHAR, heat DOUBLE, heat_text VARCHAR, extras VARCHAR, norm_title VARCHAR"
)


def stage(
    con: duckdb.DuckDBPyConnection, cols: dict[str, list[Any]], caps: dict[str, list[Any]]
) -> None:
    """The batch as the views ``staged`` and ``staged_caps`` (temp tables or Arrow tables)."""
    names = list(cols)
    if len(cols["source"]) <= SMALL:
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged({_STAGED_COLS})")
        insert_rows(
            con, f"staged ({', '.join(names)})", list(zip(*(cols[k] for k in names), strict=True))
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged_caps(source VARCHAR, captured_at TIMESTAMP, "
            "n_items INTEGER, origin VARCHAR)"
        )
        insert_rows(
            con,
            "staged_caps",
            list(
                zip(
                    caps["source"],
                    caps["captured_at"],
                    caps["n_items"],
                    caps["origin"],
                    strict=True,
                )
            ),
        )
        return
    import pyarrow as pa

    staged = pa.table(
        {
            **{k: v for k, v in cols.items()},
            "captured_at": pa.array(cols["captured_at"], pa.timestamp("us")),
            "heat": pa.array(cols["heat"], pa.float64()),
            "rank": pa.array(cols["rank"], pa.int32()),
            "item_key": pa.array(cols["item_key"], pa.int64()),
        }
    )
    cap_tbl = pa.table({**caps, "captured_at": pa.array(caps["captured_at"], pa.timestamp("us"))})
    con.register("staged", staged)
    con.register("staged_caps", cap_tbl)


STREAM_MEMORY_MB = 384  # DuckDB's memory while a streamed snapshot is deduplicated and stored
_STREAM_COLS = (
    "key VARCHAR, pos BIGINT, pending BOOLEAN, rank BIGINT, raw_max BIGINT, cnt BIGINT, "
    "item_key BIGINT, norm_title VARCHAR, title VARCHAR, url VARCHAR, heat DOUBLE, "
    "heat_text VARCHAR, extras VARCHAR"
)

# per title (the day file's unit): its best record (rank, then first seen; unranked entries come
# after the largest given rank, in file order), its first position and how many records it had
_STREAM_TITLES = """
CREATE OR REPLACE TEMP TABLE stream_titles AS
WITH e AS (SELECT coalesce(max(raw_max) FILTER (WHERE NOT pending), 0) AS emax FROM stream_rows),
r AS (SELECT s.*, CASE WHEN s.pending THEN e.emax + s.rank ELSE s.rank END AS eff,
             CASE WHEN s.pending THEN 1099511627776 ELSE 0 END + s.pos AS at_pos
      FROM stream_rows s, e),
w AS (SELECT *, row_number() OVER (PARTITION BY key ORDER BY eff, at_pos) AS rn,
             sum(cnt) OVER (PARTITION BY key) AS n, min(at_pos) OVER (PARTITION BY key) AS tpos
      FROM r)
SELECT tpos, eff AS rank, item_key, norm_title, title, url, heat, heat_text, extras, n
FROM w WHERE rn = 1 AND norm_title <> ''
"""

# per item key (as in HistoryStore.add): the best rank, ties to the title listed first
_STREAM_KEYS = """
CREATE OR REPLACE TEMP TABLE staged AS
SELECT ?::VARCHAR AS source, ?::TIMESTAMP AS captured_at, rank::INTEGER AS rank, item_key, title,
       url, heat, heat_text, extras, norm_title
FROM (SELECT *, row_number() OVER (PARTITION BY item_key ORDER BY rank, tpos) AS rn,
             min(tpos) OVER (PARTITION BY item_key) AS kpos FROM stream_titles)
WHERE rn = 1 ORDER BY kpos
"""


def stage_slice(con: duckdb.DuckDBPyConnection, rows: list[StreamRow]) -> None:
    import pyarrow as pa

    cols: dict[str, list[Any]] = {k: [] for k in _STREAM_COLS_NAMES}
    for r in rows:
        it = r.item
        norm = normalize_title(it.title)
        cols["key"].append(r.key)
        cols["pos"].append(r.pos)
        cols["pending"].append(r.pending)
        cols["rank"].append(r.rank)
        cols["raw_max"].append(r.raw_max)
        cols["cnt"].append(r.n)
        cols["item_key"].append(item_key(it.source, norm) if norm else 0)
        cols["norm_title"].append(norm)
        cols["title"].append(it.title.strip())
        cols["url"].append(it.url)
        cols["heat"].append(it.heat)
        cols["heat_text"].append(it.heat_text)
        cols["extras"].append(
            json.dumps(it.extra, ensure_ascii=False, default=str) if it.extra else None
        )
    tbl = pa.table(
        {
            **cols,
            "pos": pa.array(cols["pos"], pa.int64()),
            "rank": pa.array(cols["rank"], pa.int64()),
            "raw_max": pa.array(cols["raw_max"], pa.int64()),
            "cnt": pa.array(cols["cnt"], pa.int64()),
            "item_key": pa.array(cols["item_key"], pa.int64()),
            "heat": pa.array(cols["heat"], pa.float64()),
            "pending": pa.array(cols["pending"], pa.bool_()),
        }
    )
    con.register("stream_slice", tbl)
    try:
        con.execute(
            f"INSERT INTO stream_rows SELECT {', '.join(_STREAM_COLS_NAMES)} FROM stream_slice"
        )
    finally:
        con.unregister("stream_slice")


_STREAM_COLS_NAMES = tuple(c.split()[0] for c in _STREAM_COLS.split(", "))
_PATCH_SLICE = 50_000


def sightings_into_extras(con: duckdb.DuckDBPyConnection) -> None:
    """``extra.day_sightings`` on titles seen more than once, as :func:`items_from_records`
    sets it (the key added last to the item's extra); a slice at a time."""
    con.execute(
        "UPDATE stream_titles SET extras = '{\"day_sightings\": ' || n || '}' "
        "WHERE n > 1 AND extras IS NULL"
    )
    after = -1
    while True:
        rows = con.execute(
            "SELECT tpos, extras, n FROM stream_titles WHERE n > 1 AND tpos > ? "
            "AND extras IS NOT NULL "
            "ORDER BY tpos LIMIT ?",
            [after, _PATCH_SLICE],
        ).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        fixed = []
        for tpos, extras, n in rows:
            d = json.loads(extras)
            d["day_sightings"] = int(n)
            fixed.append((tpos, json.dumps(d, ensure_ascii=False, default=str)))
        con.execute("CREATE OR REPLACE TEMP TABLE stream_patch(tpos BIGINT, extras VARCHAR)")
        insert_rows(con, "stream_patch", fixed)
        con.execute(
            "UPDATE stream_titles SET extras = p.extras FROM stream_patch p "
            "WHERE stream_titles.tpos = p.tpos"
        )
        con.execute("DROP TABLE stream_patch")


def commit_staged(con: duckdb.DuckDBPyConnection) -> None:
    """``staged`` and ``staged_caps`` into the store, in one transaction."""
    con.execute("BEGIN")
    try:
        con.execute(
            "INSERT INTO captures SELECT source, captured_at, n_items, origin FROM staged_caps"
        )
        con.execute(
            "INSERT INTO snapshots SELECT source, captured_at, rank, item_key, title, url, heat, "
            "heat_text, extras FROM staged"
        )
        con.execute(_UPSERT_ITEMS)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Rows into ``table`` with one INSERT per 500 rows (DuckDB's executemany runs one statement
    per row: 0.15 s for a scan's 15 fetch rows)."""
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        one = "(" + ", ".join("?" * len(chunk[0])) + ")"
        con.execute(
            f"INSERT INTO {table} VALUES " + ", ".join([one] * len(chunk)),
            [v for row in chunk for v in row],
        )


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("staged", "staged_caps"):
        temp = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [name]
        ).fetchall()[0][0]
        if temp:
            con.execute(f"DROP TABLE {name}")
        else:
            con.unregister(name)


_UPSERT_ITEMS = """
INSERT INTO items
SELECT s.item_key, any_value(s.source), any_value(s.norm_title), arg_max(s.title, s.captured_at),
       arg_max(s.url, s.captured_at), min(s.captured_at), max(s.captured_at), min(s.rank),
       max(s.heat), count(*), NULL
FROM staged s
GROUP BY s.item_key
ON CONFLICT (item_key) DO UPDATE SET
    title = CASE WHEN excluded.last_seen >= items.last_seen THEN excluded.title ELSE items.title END,
    url = CASE WHEN excluded.last_seen >= items.last_seen THEN coalesce(excluded.url, items.url)
               ELSE items.url END,
    first_seen = least(items.first_seen, excluded.first_seen),
    last_seen = greatest(items.last_seen, excluded.last_seen),
    peak_rank = least(items.peak_rank, excluded.peak_rank),
    peak_heat = CASE WHEN items.peak_heat IS NULL THEN excluded.peak_heat
                     WHEN excluded.peak_heat IS NULL THEN items.peak_heat
                     ELSE greatest(items.peak_heat, excluded.peak_heat) END,
    appearances = items.appearances + excluded.appearances
"""


def store_stream(
    con: duckdb.DuckDBPyConnection,
    source: str,
    at: datetime,
    origin: str,
    batches: Iterable[list[StreamRow]],
) -> tuple[int, int] | None:
    """Stage the slices of one snapshot (not yet stored) and commit it: (rows stored, new items),
    or None when no record had a title (nothing is stored then). Temporary tables are dropped and
    DuckDB's memory limit restored whatever happens."""
    # DuckDB spills to HOME/radar/history.duckdb.tmp beyond this (default: 80 % of RAM)
    con.execute(f"SET memory_limit = '{STREAM_MEMORY_MB}MB'")
    con.execute(f"CREATE OR REPLACE TEMP TABLE stream_rows({_STREAM_COLS})")
    titled = 0
    try:
        for b in batches:
            titled += len(b)
            stage_slice(con, b)
        if not titled:
            return None
        con.execute(_STREAM_TITLES)
        con.execute("DROP TABLE stream_rows")
        sightings_into_extras(con)
        con.execute(_STREAM_KEYS, [source, at])
        con.execute("DROP TABLE stream_titles")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged_caps AS SELECT ?::VARCHAR AS source, "
            "?::TIMESTAMP AS captured_at, count(*)::INTEGER AS n_items, "
            "?::VARCHAR AS origin FROM staged",
            [source, at, origin],
        )
        rows = con.execute("SELECT count(*) FROM staged").fetchall()[0][0]
        new = con.execute(
            "SELECT count(DISTINCT s.item_key) FROM staged s "
            "ANTI JOIN items i ON i.item_key = s.item_key"
        ).fetchall()[0][0]
        commit_staged(con)
    finally:
        for name in ("stream_rows", "stream_titles", "staged", "staged_caps"):
            con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        con.execute("RESET memory_limit")
    return int(rows), int(new)


def new_item_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    rows = con.execute(
        "SELECT DISTINCT s.item_key, s.norm_title FROM staged s "
        "ANTI JOIN items i ON i.item_key = s.item_key"
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]
