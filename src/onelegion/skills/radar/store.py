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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onelegion.core.errors import UserError
from onelegion.skills.radar import staging
from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.normalize import content_tokens, item_key, normalize_title
from onelegion.skills.radar.staging import StreamRow

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
            staging.stage(con, cols, cap_rows)
            new_keys = staging.new_item_keys(con)
            staging.commit_staged(con)
            staging.unstage(con)
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
            staged = staging.store_stream(con, snap.source, at, snap.origin, batches)
        if staged is None:
            return result
        rows, new = staged
        result.captures_added = 1
        result.rows_added = int(rows)
        result.items_new = int(new)
        result.sources[snap.source] = int(rows)
        return result

    def ensure_tokens(
        self,
        start: datetime,
        end: datetime,
        on_progress: Callable[[int, int], None] | None = None,
        chunk: int = 50_000,
    ) -> int:
        """Tokenise (jieba) the items seen in [start, end] that have no tokens yet; returns how many.

        `radar import` calls it over what it imported (so the first `trends` after a bulk import
        does not pay for it), analysis over its window (items a scan added since). Each item is
        tokenised once; tokens are written ``chunk`` items at a time, so memory follows the chunk."""
        window = (
            "item_key IN (SELECT DISTINCT item_key FROM snapshots "
            "WHERE captured_at > ? AND captured_at <= ?)"
        )
        with self.connect(read_only=True) as con:
            keys = con.execute(
                f"SELECT item_key FROM items WHERE tokens IS NULL AND {window} ORDER BY item_key",
                [start, end],
            ).fetchnumpy()["item_key"]
        n = len(keys)
        for lo in range(0, n, chunk):
            first, last = int(keys[lo]), int(keys[min(lo + chunk, n) - 1])
            with self.connect(read_only=True) as con:
                part = con.execute(
                    "SELECT item_key, norm_title FROM items WHERE tokens IS NULL "
                    f"AND item_key BETWEEN ? AND ? AND {window}",
                    [first, last, start, end],
                ).fetchall()
            if part:
                keys_, titles = [int(r[0]) for r in part], [str(r[1]) for r in part]
                self._write_tokens(keys_, [content_tokens(t) for t in titles])
            if on_progress is not None:
                on_progress(min(lo + chunk, n), n)
        return n

    def _write_tokens(self, keys: list[int], tokens: list[list[str]]) -> None:
        with self.connect() as con:
            if len(keys) <= staging.SMALL:
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE new_tokens(item_key BIGINT, tokens VARCHAR[])"
                )
                staging.insert_rows(con, "new_tokens", list(zip(keys, tokens, strict=True)))
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
            if len(keys) <= staging.SMALL:
                con.execute("DROP TABLE new_tokens")
            else:
                con.unregister("new_tokens")

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
            staging.insert_rows(
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


_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.RLock:
    """One lock per history file in this process: DuckDB connections to one file from several
    threads are serialised (operations are short; concurrent opens and closes race in DuckDB)."""
    key = str(path.resolve())
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


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
