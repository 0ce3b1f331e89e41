"""Forward-only, named SQLite migrations for the run store.

Add a migration by appending a function: ``@migration def m00N_what(db): ...``. Never edit or
reorder an applied one; the name is recorded in ``_migrations``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []
migration = MIGRATIONS.append


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the caller's transaction (executescript would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


@migration
def m001_runs(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            skill TEXT NOT NULL,
            version TEXT NOT NULL,
            params TEXT NOT NULL,
            cache_key TEXT,
            status TEXT NOT NULL,
            surface TEXT NOT NULL DEFAULT 'python',
            created_at REAL NOT NULL,
            started_at REAL,
            finished_at REAL,
            duration_ms REAL,
            output TEXT,
            error TEXT,
            error_kind TEXT,
            traceback TEXT,
            cached_from TEXT,
            host TEXT,
            pid INTEGER,
            proc_token TEXT,
            cancel_requested INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX runs_created ON runs(created_at);
        CREATE INDEX runs_cache ON runs(cache_key, status);
        CREATE INDEX runs_status ON runs(status);
        CREATE TABLE events (
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            ts REAL NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE artifacts (
            run_id TEXT NOT NULL,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            media_type TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        """,
    )


@migration
def m002_llm(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE llm_calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT,
            ts REAL NOT NULL,
            model TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            tokens_in INTEGER NOT NULL DEFAULT 0,
            tokens_out INTEGER NOT NULL DEFAULT 0,
            latency_ms REAL NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            cache_hit INTEGER NOT NULL DEFAULT 0,
            ok INTEGER NOT NULL DEFAULT 1,
            error TEXT
        );
        CREATE INDEX llm_calls_run ON llm_calls(run_id);
        CREATE TABLE llm_cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            output TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        """,
    )


@migration
def m003_parent_run(db: sqlite3.Connection) -> None:
    """A run started by another run (a commander plan's steps) names it as its parent."""
    _script(
        db,
        """
        ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
        CREATE INDEX runs_parent ON runs(parent_run_id)
        """,
    )
