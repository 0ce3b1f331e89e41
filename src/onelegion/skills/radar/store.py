"""The radar's history: every snapshot of every hot list, in one DuckDB file under HOME/radar.

Tables
  captures(source, captured_at, n_items, origin)      one row per snapshot (list at a moment)
  snapshots(source, captured_at, rank, item_key, title, url, heat, heat_text, extras)
  items(item_key, source, norm_title, title, url, first_seen, last_seen, peak_rank, peak_heat,
        appearances, tokens)                          one row per item (source + normalised title)
  fetches(source, fetched_at, ok, items, error, elapsed_ms)   every live fetch, failed or not
  sent(channel, day, item_key, sent_at)               what was pushed where (never twice a day)

Several processes (the CLI, the API server, a running ``radar watch``) may use the file, so every
operation opens a short-lived connection; DuckDB allows one writer process at a time, so opening
retries for a few seconds and then fails with a clear message. A scan's steps share one connection
(:meth:`HistoryStore.session`): opening the file costs ≈ 0.04 s each time, a scan made twelve.
Times are stored as naive UTC.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from onelegion.core.errors import UserError
from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.normalize import content_tokens, item_key, normalize_title

if TYPE_CHECKING:
    import duckdb

SCHEMA_VERSION = "1"
STORE_FILE = "history.duckdb"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS captures(
    source VARCHAR NOT NULL, captured_at TIMESTAMP NOT NULL, n_items INTEGER NOT NULL,
    origin VARCHAR NOT NULL DEFAULT 'scan', PRIMARY KEY (source, captured_at));
CREATE TABLE IF NOT EXISTS snapshots(
    source VARCHAR NOT NULL, captured_at TIMESTAMP NOT NULL, rank INTEGER NOT NULL,
    item_key BIGINT NOT NULL, title VARCHAR NOT NULL, url VARCHAR, heat DOUBLE,
    heat_text VARCHAR, extras VARCHAR);
CREATE TABLE IF NOT EXISTS items(
    item_key BIGINT PRIMARY KEY, source VARCHAR NOT NULL, norm_title VARCHAR NOT NULL,
    title VARCHAR NOT NULL, url VARCHAR, first_seen TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL,
    peak_rank INTEGER NOT NULL, peak_heat DOUBLE, appearances INTEGER NOT NULL, tokens VARCHAR[]);
CREATE TABLE IF NOT EXISTS fetches(
    source VARCHAR NOT NULL, fetched_at TIMESTAMP NOT NULL, ok BOOLEAN NOT NULL, items INTEGER NOT NULL,
    error VARCHAR, elapsed_ms DOUBLE);
CREATE TABLE IF NOT EXISTS sent(
    channel VARCHAR NOT NULL, day DATE NOT NULL, item_key BIGINT NOT NULL, sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (channel, day, item_key));
"""


class StreamRow(NamedTuple):
    """The best record of one title within a slice of a streamed snapshot."""

    key: str  # the title as the archive gives it (stripped): the day file's unit
    pos: int  # 1-based position of the title's first record in the file
    pending: bool  # no rank given (a pinned / new Weibo entry): ranked after the ranked ones
    rank: int  # best rank (max(1, rank)); when pending, the first record's place among them
    raw_max: int  # the largest rank as given (pending: its place)
    n: int  # records of this title in the slice (day sightings)
    item: HotItem


@dataclass
class Snapshot:
    """One hot list at one moment, ready to store. ``stream``: its records in slices instead of
    ``items`` (a large daily file), stored with :meth:`HistoryStore.add_stream`."""

    source: str
    captured_at: datetime
    items: list[HotItem]
    origin: str = "scan"
    stream: Iterable[list[StreamRow]] | None = None


@dataclass
class AddResult:
    captures_added: int = 0
    captures_skipped: int = 0
    rows_added: int = 0
    items_new: int = 0
    sources: dict[str, int] = field(default_factory=dict)


def to_utc_naive(dt: datetime) -> datetime:
    """Aware → naive UTC; naive datetimes are taken as UTC already."""
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(UTC).replace(tzinfo=None)


def store_path(home: Path) -> Path:
    return home / "radar" / STORE_FILE


class HistoryStore:
    """Open with :meth:`for_home` (``ctx.config.home``) or a path; every call uses a fresh
    connection, except inside :meth:`session`, where the calls of that thread share one."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._ready = False
        self._session: tuple[int, duckdb.DuckDBPyConnection] | None = None

    @classmethod
    def for_home(cls, home: Path, **kw: Any) -> HistoryStore:
        return cls(store_path(home), **kw)

    # --- connections ------------------------------------------------------------------------
    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection; waits up to ``lock_timeout`` s for another process to finish.

        Always opened read-write: DuckDB refuses a read-only and a read-write connection to one file
        in the same process (runs execute in threads), and a read-only one does not let another
        process write anyway. ``read_only`` only documents the caller's intent.
        """

        del read_only
        held = self._session
        if held is not None and held[0] == threading.get_ident():
            yield held[1]
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _process_lock(self.path), self._open() as con:
            yield con

    @contextmanager
    def session(self) -> Iterator[None]:
        """One connection for every operation of this thread inside the block (a scan's store,
        tokenise, analyse and digest steps); other threads and processes wait for it as for any
        operation. Nested sessions reuse the outer one."""
        if self._session is not None and self._session[0] == threading.get_ident():
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _process_lock(self.path), self._open() as con:
            self._session = (threading.get_ident(), con)
            try:
                yield
            finally:
                self._session = None

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        import duckdb

        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path))
                break
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise UserError(
                        f"cannot open the radar history {self.path}: {e}",
                        hint="check the file's permissions, or move it away to start a new history",
                    ) from e
                if time.monotonic() >= deadline:
                    raise UserError(
                        f"the radar history {self.path} is locked by another process",
                        hint="wait for the other legion command (e.g. `legion radar watch` or an "
                        "import) to finish, or stop it, then retry",
                    ) from e
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            if not self._ready:
                con.execute(_SCHEMA)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )
                self._ready = True
            yield con
        finally:
            con.close()

    # --- writing ----------------------------------------------------------------------------
    def add(self, snapshots: Sequence[Snapshot]) -> AddResult:
        """Store snapshots; a (source, captured_at) already stored is skipped whole (re-import is safe)."""
        result = AddResult()
        if not snapshots:
            return result
        with self.connect() as con:
            existing = _existing_captures(con, snapshots)
            cap_rows: dict[str, list[Any]] = {
                "source": [],
                "captured_at": [],
                "n_items": [],
                "origin": [],
            }
            cols: dict[str, list[Any]] = {
                k: []
                for k in (
                    "source",
                    "captured_at",
                    "rank",
                    "item_key",
                    "title",
                    "url",
                    "heat",
                    "heat_text",
                    "extras",
                    "norm_title",
                )
            }
            seen_caps: set[tuple[str, datetime]] = set()
            for snap in snapshots:
                at = to_utc_naive(snap.captured_at).replace(microsecond=0)
                cap = (snap.source, at)
                if cap in existing or cap in seen_caps:
                    result.captures_skipped += 1
                    continue
                seen_caps.add(cap)
                best: dict[int, tuple[HotItem, str]] = {}
                for it in snap.items:
                    norm = normalize_title(it.title)
                    if not norm:
                        continue
                    key = item_key(snap.source, norm)
                    prev = best.get(key)
                    if prev is None or it.rank < prev[0].rank:
                        best[key] = (it, norm)
                for key, (it, norm) in best.items():
                    cols["source"].append(snap.source)
                    cols["captured_at"].append(at)
                    cols["rank"].append(it.rank)
                    cols["item_key"].append(key)
                    cols["title"].append(it.title.strip())
                    cols["url"].append(it.url)
                    cols["heat"].append(it.heat)
                    cols["heat_text"].append(it.heat_text)
                    cols["extras"].append(
                        json.dumps(it.extra, ensure_ascii=False, default=str) if it.extra else None
                    )
                    cols["norm_title"].append(norm)
                cap_rows["source"].append(snap.source)
                cap_rows["captured_at"].append(at)
                cap_rows["n_items"].append(len(best))
                cap_rows["origin"].append(snap.origin)
                result.captures_added += 1
                result.sources[snap.source] = result.sources.get(snap.source, 0) + len(best)
            if not cap_rows["source"]:
                return result
            _stage(con, cols, cap_rows)
            new_keys = _new_item_keys(con)
            _commit_staged(con)
            _unstage(con)
            result.rows_added = len(cols["source"])
            result.items_new = len(new_keys)
        return result

    def add_stream(self, snap: Snapshot) -> AddResult:
        """Store one snapshot given as slices (``snap.stream``): each slice goes to a temporary
        table, the day-file rules (best rank per title, sightings, unranked entries last) and the
        per-item-key dedupe run in SQL, then captures, snapshots and items are written in one
        transaction, as :meth:`add` does. Memory follows the slice, not the snapshot; the store
        is untouched until the commit. Same rows as ``add([Snapshot(items_from_records(...))])``.
        A snapshot with no titled record is not stored; one already stored is skipped."""
        result = AddResult()
        at = to_utc_naive(snap.captured_at).replace(microsecond=0)
        batches: Iterable[list[StreamRow]] = snap.stream or ()
        with self.connect() as con:
            exists = con.execute(
                "SELECT count(*) FROM captures WHERE source = ? AND captured_at = ?",
                [snap.source, at],
            ).fetchall()[0][0]
            if exists:
                if any([bool(b) for b in batches]):  # read it all: a bad file still says so
                    result.captures_skipped += 1
                return result
            # DuckDB spills to HOME/radar/history.duckdb.tmp beyond this (default: 80 % of RAM)
            con.execute(f"SET memory_limit = '{STREAM_MEMORY_MB}MB'")
            con.execute(f"CREATE OR REPLACE TEMP TABLE stream_rows({_STREAM_COLS})")
            titled = 0
            try:
                for b in batches:
                    titled += len(b)
                    _stage_slice(con, b)
                if not titled:
                    return result
                con.execute(_STREAM_TITLES)
                con.execute("DROP TABLE stream_rows")
                _sightings_into_extras(con)
                con.execute(_STREAM_KEYS, [snap.source, at])
                con.execute("DROP TABLE stream_titles")
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE staged_caps AS SELECT ?::VARCHAR AS source, "
                    "?::TIMESTAMP AS captured_at, count(*)::INTEGER AS n_items, "
                    "?::VARCHAR AS origin FROM staged",
                    [snap.source, at, snap.origin],
                )
                rows = con.execute("SELECT count(*) FROM staged").fetchall()[0][0]
                new = con.execute(
                    "SELECT count(DISTINCT s.item_key) FROM staged s "
                    "ANTI JOIN items i ON i.item_key = s.item_key"
                ).fetchall()[0][0]
                _commit_staged(con)
            finally:
                for name in ("stream_rows", "stream_titles", "staged", "staged_caps"):
                    con.execute(f"DROP TABLE IF EXISTS temp.{name}")
                con.execute("RESET memory_limit")
        result.captures_added = 1
        result.rows_added = int(rows)
        result.items_new = int(new)
        result.sources[snap.source] = int(rows)
        return result

    def ensure_tokens(self, start: datetime, end: datetime) -> int:
        """Tokenise (jieba) the items seen in [start, end] that have no tokens yet; returns how many.

        Done lazily, on first analysis, so imports stay fast; each item is tokenised once."""
        with self.connect(read_only=True) as con:
            todo = con.execute(
                "SELECT item_key, norm_title FROM items WHERE tokens IS NULL AND item_key IN "
                "(SELECT DISTINCT item_key FROM snapshots WHERE captured_at > ? AND captured_at <= ?)",
                [start, end],
            ).fetchall()
        if not todo:
            return 0
        keys = [int(r[0]) for r in todo]
        tokens = [content_tokens(str(r[1])) for r in todo]
        with self.connect() as con:
            if len(keys) <= _SMALL:
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE new_tokens(item_key BIGINT, tokens VARCHAR[])"
                )
                _insert_rows(con, "new_tokens", list(zip(keys, tokens, strict=True)))
            else:
                import pyarrow as pa

                tbl = pa.table(
                    {
                        "item_key": pa.array(keys, pa.int64()),
                        "tokens": pa.array(tokens, pa.list_(pa.string())),
                    }
                )
                con.register("new_tokens", tbl)
            con.execute(
                "UPDATE items SET tokens = t.tokens FROM new_tokens t WHERE items.item_key = t.item_key"
            )
            if len(keys) <= _SMALL:
                con.execute("DROP TABLE new_tokens")
            else:
                con.unregister("new_tokens")
        return len(todo)

    # --- sent log ---------------------------------------------------------------------------
    def already_sent(self, channel: str, day: str, keys: Sequence[int]) -> set[int]:
        if not keys:
            return set()
        with self.connect() as con:
            rows = con.execute(
                "SELECT item_key FROM sent WHERE channel = ? AND day = CAST(? AS DATE) "
                "AND item_key IN (SELECT unnest(?::BIGINT[]))",
                [channel, day, list(keys)],
            ).fetchall()
        return {int(r[0]) for r in rows}

    def mark_sent(self, channel: str, day: str, keys: Sequence[int]) -> None:
        if not keys:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.connect() as con:
            con.executemany(
                "INSERT OR IGNORE INTO sent VALUES (?, CAST(? AS DATE), ?, ?)",
                [(channel, day, k, now) for k in keys],
            )

    # --- reading ----------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connect(read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def record_fetches(
        self, rows: Sequence[tuple[str, datetime, bool, int, str | None, float]]
    ) -> None:
        """Log live fetches (source, at, ok, items, error, elapsed_ms), failures included."""
        if not rows:
            return
        with self.connect() as con:
            _insert_rows(
                con,
                "fetches",
                [(s, to_utc_naive(at), ok, n, err, ms) for s, at, ok, n, err, ms in rows],
            )

    def source_status(self) -> dict[str, dict[str, Any]]:
        """Per source: last capture time, items in it, number of captures, distinct items, and the
        outcome of the last live fetch (ok / error) when there was one."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.query(
            "SELECT c.source, max(c.captured_at), arg_max(c.n_items, c.captured_at), count(*), "
            "(SELECT count(*) FROM items i WHERE i.source = c.source) FROM captures c GROUP BY c.source"
        ):
            out[r[0]] = {"last_capture": r[1], "last_items": r[2], "captures": r[3], "items": r[4]}
        for src, at, ok, err in self.query(
            "SELECT source, max(fetched_at), arg_max(ok, fetched_at), arg_max(error, fetched_at) "
            "FROM fetches GROUP BY source"
        ):
            st = out.setdefault(
                src, {"last_capture": None, "last_items": 0, "captures": 0, "items": 0}
            )
            st.update(last_fetch=at, last_ok=bool(ok), last_error=err)
        return out

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        row = self.query("SELECT min(captured_at), max(captured_at) FROM captures")[0]
        return row[0], row[1]


# Up to this many rows a batch is staged with plain INSERTs: importing pyarrow (and numpy) costs
# ≈ 0.35 s of start-up, more than a scan's whole store step; imports of archives use pyarrow.
_SMALL = 2000
_STAGED_COLS = (
    "source VARCHAR, captured_at TIMESTAMP, rank INTEGER, item_key BIGINT, title VARCHAR, "
    "url VARCHAR, heat DOUBLE, heat_text VARCHAR, extras VARCHAR, norm_title VARCHAR"
)


def _stage(
    con: duckdb.DuckDBPyConnection, cols: dict[str, list[Any]], caps: dict[str, list[Any]]
) -> None:
    """The batch as the views ``staged`` and ``staged_caps`` (temp tables or Arrow tables)."""
    names = list(cols)
    if len(cols["source"]) <= _SMALL:
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged({_STAGED_COLS})")
        _insert_rows(
            con, f"staged ({', '.join(names)})", list(zip(*(cols[k] for k in names), strict=True))
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged_caps(source VARCHAR, captured_at TIMESTAMP, "
            "n_items INTEGER, origin VARCHAR)"
        )
        _insert_rows(
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


def _stage_slice(con: duckdb.DuckDBPyConnection, rows: list[StreamRow]) -> None:
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


def _sightings_into_extras(con: duckdb.DuckDBPyConnection) -> None:
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
        _insert_rows(con, "stream_patch", fixed)
        con.execute(
            "UPDATE stream_titles SET extras = p.extras FROM stream_patch p "
            "WHERE stream_titles.tpos = p.tpos"
        )
        con.execute("DROP TABLE stream_patch")


def _commit_staged(con: duckdb.DuckDBPyConnection) -> None:
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


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Rows into ``table`` with one INSERT per 500 rows (DuckDB's executemany runs one statement
    per row: 0.15 s for a scan's 15 fetch rows)."""
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        one = "(" + ", ".join("?" * len(chunk[0])) + ")"
        con.execute(
            f"INSERT INTO {table} VALUES " + ", ".join([one] * len(chunk)),
            [v for row in chunk for v in row],
        )


def _unstage(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("staged", "staged_caps"):
        temp = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [name]
        ).fetchall()[0][0]
        if temp:
            con.execute(f"DROP TABLE {name}")
        else:
            con.unregister(name)


_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.RLock:
    """One lock per history file in this process: DuckDB connections to one file from several
    threads are serialised (operations are short; concurrent opens and closes race in DuckDB)."""
    key = str(path.resolve())
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


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


def _existing_captures(
    con: duckdb.DuckDBPyConnection, snapshots: Sequence[Snapshot]
) -> set[tuple[str, datetime]]:
    times = [to_utc_naive(s.captured_at).replace(microsecond=0) for s in snapshots]
    sources = sorted({s.source for s in snapshots})
    rows = con.execute(
        "SELECT source, captured_at FROM captures WHERE captured_at BETWEEN ? AND ? "
        "AND source IN (SELECT unnest(?::VARCHAR[]))",
        [min(times), max(times), sources],
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def _new_item_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    rows = con.execute(
        "SELECT DISTINCT s.item_key, s.norm_title FROM staged s "
        "ANTI JOIN items i ON i.item_key = s.item_key"
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]
