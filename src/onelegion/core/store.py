"""The run store: SQLite in WAL mode under ``$LEGION_HOME/legion.db``.

Runs, their events, artifacts, LLM calls and the LLM cache. Safe for many threads (one
connection guarded by a lock) and several processes (WAL + busy timeout). A process that dies
mid-run leaves a ``running`` row; the next :meth:`Store.mark_interrupted` marks it ``interrupted``.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.migrations import MIGRATIONS

ACTIVE = ("queued", "running")
FINAL = ("succeeded", "failed", "cancelled", "timed_out", "interrupted")
STATUSES = (*ACTIVE, *FINAL)


class RunRecord(BaseModel):
    """A row of ``runs`` as the surfaces show it."""

    id: str
    skill: str
    version: str
    params: dict[str, Any]
    status: str
    surface: str
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    duration_ms: float | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
    error_kind: str | None = None
    cached_from: str | None = None
    cache_key: str | None = None
    parent_run_id: str | None = None


class EventRecord(BaseModel):
    run_id: str
    seq: int
    ts: float
    kind: str
    data: dict[str, Any]


class ArtifactRecord(BaseModel):
    run_id: str
    name: str
    path: str
    media_type: str
    description: str
    size: int


def proc_token(pid: int | None = None) -> str:
    """pid plus the process start time (from /proc where available), robust to pid reuse."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        start = stat.rsplit(")", 1)[1].split()[19]
        return f"{pid}:{start}"
    except (OSError, IndexError):
        return str(pid)


def _alive(pid: int, token: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return token is None or proc_token(pid) == token


_RUN_COLS = (
    "id, skill, version, params, status, surface, created_at, started_at, finished_at, "
    "duration_ms, output, error, error_kind, cached_from, cache_key, parent_run_id"
)


def _run_from_row(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"],
        skill=row["skill"],
        version=row["version"],
        params=json.loads(row["params"]),
        status=row["status"],
        surface=row["surface"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        duration_ms=row["duration_ms"],
        output=json.loads(row["output"]) if row["output"] else None,
        error=row["error"],
        error_kind=row["error_kind"],
        cached_from=row["cached_from"],
        cache_key=row["cache_key"],
        parent_run_id=row["parent_run_id"],
    )


class Store:
    """All persistent state of runs. Open with ``Store(path)``; it migrates itself."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=30, check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute("PRAGMA foreign_keys=ON")
        self.host = socket.gethostname()
        self._migrate()

    # --- plumbing ------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _migrate(self) -> None:
        with self._tx() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL)"
            )
            done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
            for m in MIGRATIONS:
                if m.__name__ not in done:
                    m(db)
                    db.execute("INSERT INTO _migrations VALUES (?, ?)", (m.__name__, time.time()))

    def migrations(self) -> list[str]:
        return [r[0] for r in self._query("SELECT name FROM _migrations ORDER BY name")]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- runs ----------------------------------------------------------------------------
    def create_run(
        self,
        run_id: str,
        skill: str,
        version: str,
        params: dict[str, Any],
        *,
        cache_key: str | None,
        surface: str,
        status: str = "queued",
        parent_run_id: str | None = None,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO runs (id, skill, version, params, cache_key, status, surface,"
                " created_at, host, pid, proc_token, parent_run_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    run_id,
                    skill,
                    version,
                    json.dumps(params, ensure_ascii=False, sort_keys=True),
                    cache_key,
                    status,
                    surface,
                    time.time(),
                    self.host,
                    os.getpid(),
                    proc_token(),
                    parent_run_id,
                ),
            )

    def start_run(self, run_id: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET status='running', started_at=?, host=?, pid=?, proc_token=?"
                " WHERE id=?",
                (time.time(), self.host, os.getpid(), proc_token(), run_id),
            )

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        output: dict[str, Any] | None = None,
        error: str | None = None,
        error_kind: str | None = None,
        traceback: str | None = None,
        cached_from: str | None = None,
    ) -> bool:
        """Record the outcome of a run that is still queued or running; False (and nothing
        changed) when it already has one (e.g. it timed out while its skill was still working)."""
        now = time.time()
        with self._tx() as db:
            row = db.execute(
                "SELECT started_at, created_at FROM runs WHERE id=?", (run_id,)
            ).fetchone()
            start = (row["started_at"] or row["created_at"]) if row else now
            cur = db.execute(
                "UPDATE runs SET status=?, finished_at=?, duration_ms=?, output=?, error=?,"
                " error_kind=?, traceback=?, cached_from=? WHERE id=? AND status IN ('queued','running')",
                (
                    status,
                    now,
                    (now - start) * 1000.0,
                    json.dumps(output, ensure_ascii=False) if output is not None else None,
                    error,
                    error_kind,
                    traceback,
                    cached_from,
                    run_id,
                ),
            )
            return bool(cur.rowcount)

    def get_run(self, run_id: str) -> RunRecord | None:
        rows = self._query(f"SELECT {_RUN_COLS} FROM runs WHERE id=?", (run_id,))
        return _run_from_row(rows[0]) if rows else None

    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        """Run ids starting with ``prefix`` (for "which one did you mean")."""
        rows = self._query(
            "SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT ?",
            (prefix, prefix + "\uffff", limit),
        )
        return [str(r["id"]) for r in rows]

    def skills_seen(self) -> list[str]:
        return [str(r[0]) for r in self._query("SELECT DISTINCT skill FROM runs ORDER BY skill")]

    def resolve_id(self, ref: str) -> str | None:
        """A full id from an id, a unique prefix, or 'last'."""
        if ref == "last":
            rows = self._query("SELECT id FROM runs ORDER BY created_at DESC LIMIT 1")
        else:
            rows = self._query(
                "SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (ref, ref + "\uffff"),
            )
            if len(rows) > 1 and rows[0]["id"] != ref:
                return None
        return str(rows[0]["id"]) if rows else None

    def traceback(self, run_id: str) -> str | None:
        rows = self._query("SELECT traceback FROM runs WHERE id=?", (run_id,))
        return rows[0]["traceback"] if rows else None

    def list_runs(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        skill: str | None = None,
        status: str | None = None,
        since: float | None = None,
        until: float | None = None,
        text: str | None = None,
    ) -> list[RunRecord]:
        """Newest first. ``since``/``until``: epoch seconds of creation; ``text``: a substring of
        the skill, params, error or output (case-insensitive)."""
        where: list[str] = []
        args: list[Any] = []
        if skill:
            where.append("skill = ?")
            args.append(skill)
        if status:
            where.append("status = ?")
            args.append(status)
        if since is not None:
            where.append("created_at >= ?")
            args.append(since)
        if until is not None:
            where.append("created_at < ?")
            args.append(until)
        if text:
            like = (
                "%"
                + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            where.append(
                "(lower(skill) LIKE ? ESCAPE '\\' OR lower(params) LIKE ? ESCAPE '\\'"
                " OR lower(coalesce(error, '')) LIKE ? ESCAPE '\\'"
                " OR lower(coalesce(output, '')) LIKE ? ESCAPE '\\')"
            )
            args.extend([like] * 4)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._query(
            f"SELECT {_RUN_COLS} FROM runs {clause} ORDER BY created_at DESC LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        return [_run_from_row(r) for r in rows]

    def children(self, run_id: str) -> list[RunRecord]:
        """The runs started by ``run_id`` (a plan's steps), oldest first."""
        rows = self._query(
            f"SELECT {_RUN_COLS} FROM runs WHERE parent_run_id=? ORDER BY created_at, id",
            (run_id,),
        )
        return [_run_from_row(r) for r in rows]

    def count_runs(self) -> int:
        return int(self._query("SELECT count(*) FROM runs")[0][0])

    def find_cached(self, cache_key: str) -> RunRecord | None:
        """The newest succeeded, non-cached run with this key."""
        rows = self._query(
            f"SELECT {_RUN_COLS} FROM runs WHERE cache_key=? AND status='succeeded'"
            " AND cached_from IS NULL ORDER BY created_at DESC LIMIT 1",
            (cache_key,),
        )
        return _run_from_row(rows[0]) if rows else None

    def request_cancel(self, run_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute(
                "UPDATE runs SET cancel_requested=1 WHERE id=? AND status IN ('queued','running')",
                (run_id,),
            )
            return cur.rowcount > 0

    def cancel_requested(self, run_id: str) -> bool:
        rows = self._query("SELECT cancel_requested FROM runs WHERE id=?", (run_id,))
        return bool(rows and rows[0][0])

    def mark_interrupted(self) -> list[str]:
        """Mark active runs whose process is gone as interrupted; return their ids."""
        rows = self._query(
            "SELECT id, host, pid, proc_token FROM runs WHERE status IN ('queued','running')"
        )
        dead = [
            r["id"]
            for r in rows
            if r["host"] == self.host
            and r["pid"] is not None
            and not _alive(r["pid"], r["proc_token"])
        ]
        for run_id in dead:
            self.finish_run(
                run_id,
                "interrupted",
                error="the process running it stopped before it finished",
                error_kind="interrupted",
            )
        return dead

    # --- events --------------------------------------------------------------------------
    def add_event(self, run_id: str, seq: int, kind: str, data: dict[str, Any]) -> EventRecord:
        ts = time.time()
        with self._tx() as db:
            db.execute(
                "INSERT INTO events VALUES (?,?,?,?,?)",
                (run_id, seq, ts, kind, json.dumps(data, ensure_ascii=False, default=str)),
            )
        return EventRecord(run_id=run_id, seq=seq, ts=ts, kind=kind, data=data)

    def events(self, run_id: str, after: int = 0) -> list[EventRecord]:
        rows = self._query(
            "SELECT run_id, seq, ts, kind, data FROM events WHERE run_id=? AND seq>? ORDER BY seq",
            (run_id, after),
        )
        return [
            EventRecord(
                run_id=r["run_id"],
                seq=r["seq"],
                ts=r["ts"],
                kind=r["kind"],
                data=json.loads(r["data"]),
            )
            for r in rows
        ]

    # --- artifacts -----------------------------------------------------------------------
    def add_artifacts(self, run_id: str, artifacts: list[dict[str, Any]]) -> None:
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO artifacts VALUES (?,?,?,?,?,?)",
                [
                    (
                        run_id,
                        a["name"],
                        str(a["path"]),
                        a.get("media_type", "application/octet-stream"),
                        a.get("description", ""),
                        int(a.get("size", 0)),
                    )
                    for a in artifacts
                ],
            )

    def artifacts(self, run_id: str) -> list[ArtifactRecord]:
        rows = self._query(
            "SELECT run_id, name, path, media_type, description, size FROM artifacts"
            " WHERE run_id=? ORDER BY name",
            (run_id,),
        )
        return [ArtifactRecord(**dict(r)) for r in rows]

    # --- LLM (implements core.llm.LLMRecorder) ----------------------------------------------
    def llm_cache_get(self, key: str) -> str | None:
        rows = self._query("SELECT output FROM llm_cache WHERE key=?", (key,))
        return str(rows[0][0]) if rows else None

    def llm_cache_put(self, key: str, model: str, output_json: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO llm_cache VALUES (?,?,?,?)",
                (key, model, output_json, time.time()),
            )

    def llm_record(self, record: Any) -> None:
        r = record
        with self._tx() as db:
            db.execute(
                "INSERT INTO llm_calls (run_id, ts, model, prompt_hash, tokens_in, tokens_out,"
                " latency_ms, cost_usd, cache_hit, ok, error) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    r.run_id,
                    time.time(),
                    r.model,
                    r.prompt_hash,
                    r.tokens_in,
                    r.tokens_out,
                    r.latency_ms,
                    r.cost_usd,
                    int(r.cache_hit),
                    int(r.ok),
                    r.error,
                ),
            )

    def llm_calls(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT model, tokens_in, tokens_out, latency_ms, cost_usd, cache_hit, ok, error"
            " FROM llm_calls WHERE run_id=? ORDER BY id",
            (run_id,),
        )
        return [dict(r) for r in rows]
