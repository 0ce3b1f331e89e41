"""The accounts store: accounts, posts and metric snapshots over time, in one SQLite file.

Tables
  accounts(account_key, platform, account_id, name, followers, followers_at, first_seen, last_update)
  posts(post_key, platform, post_id, account_key, title, description, url, published_at,
        published_estimated, duration_s, tags, category, first_seen, last_update)
  snapshots(post_key, captured_at, views, likes, comments, shares, favorites, coins, danmaku, origin)
  imports(id, at, origin, format, rows, posts_new, snapshots_new, snapshots_skipped)

A post read twice at different times keeps both readings (growth curves); the same reading imported
twice is stored once (primary key post_key + captured_at), so imports are idempotent. Every import is
one transaction: a crash mid-import leaves the store as it was. Times are ISO-8601 UTC text.
SQLite (WAL) rather than DuckDB so that the CLI, the API server and a watcher can all write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onelegion.core.errors import UserError
from onelegion.skills.accounts.readings import Readings
from onelegion.skills.accounts.records import AccountInfo, PostRecord, from_iso, iso

__all__ = [
    "METRICS",
    "STORE_FILE",
    "AccountInfo",
    "AccountsStore",
    "PostRecord",
    "Readings",
    "WriteResult",
    "from_iso",
    "iso",
]

STORE_FILE = "accounts.db"
SCHEMA_VERSION = "1"
METRICS = ("views", "likes", "comments", "shares", "favorites", "coins", "danmaku")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS accounts(
    account_key TEXT PRIMARY KEY, platform TEXT NOT NULL, account_id TEXT NOT NULL,
    name TEXT NOT NULL, followers REAL, followers_at TEXT, first_seen TEXT NOT NULL,
    last_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts(
    post_key TEXT PRIMARY KEY, platform TEXT NOT NULL, post_id TEXT NOT NULL,
    account_key TEXT NOT NULL REFERENCES accounts(account_key), title TEXT NOT NULL,
    description TEXT, url TEXT, published_at TEXT, published_estimated INTEGER NOT NULL DEFAULT 0,
    duration_s REAL, tags TEXT, category TEXT, first_seen TEXT NOT NULL, last_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS posts_account ON posts(account_key);
CREATE TABLE IF NOT EXISTS snapshots(
    post_key TEXT NOT NULL REFERENCES posts(post_key), captured_at TEXT NOT NULL,
    views REAL, likes REAL, comments REAL, shares REAL, favorites REAL, coins REAL, danmaku REAL,
    origin TEXT NOT NULL, PRIMARY KEY (post_key, captured_at));
CREATE TABLE IF NOT EXISTS imports(
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, origin TEXT NOT NULL,
    format TEXT NOT NULL, rows INTEGER NOT NULL, posts_new INTEGER NOT NULL,
    snapshots_new INTEGER NOT NULL, snapshots_skipped INTEGER NOT NULL);
"""


@dataclass
class WriteResult:
    posts_new: int = 0
    posts_updated: int = 0
    snapshots_new: int = 0
    snapshots_skipped: int = 0
    accounts_new: int = 0


class AccountsStore:
    """Short-lived connections on one SQLite file; safe for several processes (WAL, busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def for_home(cls, home: Path) -> AccountsStore:
        return cls(Path(home) / "accounts" / STORE_FILE)

    @contextmanager
    def connect(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            raise UserError(
                f"no accounts store at {self.path}",
                hint="import data first: legion accounts import FILE (a folder: legion accounts "
                "import-dir FOLDER)",
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as e:
            raise UserError(f"cannot open the accounts store {self.path}: {e}") from e
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            if write:
                con.executescript(_SCHEMA)
                con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            yield con
        finally:
            con.close()

    def write(
        self,
        records: Readings | Sequence[PostRecord],
        creators: Sequence[AccountInfo] = (),
        *,
        origin: str,
        fmt: str,
        rows: int,
    ) -> WriteResult:
        """Upsert accounts and posts, add new snapshots; all in one transaction.

        Works on columns: a :class:`Readings` batch as the column-wise importer made it (rows
        given one by one are turned into one first); the statement parameters are zipped column
        by column and sent with ``executemany``."""
        res = WriteResult()
        now = iso(datetime.now(UTC))
        rd = records if isinstance(records, Readings) else Readings.from_records(records)
        n = len(rd)
        akeys = [f"{p}:{a}" for p, a in zip(rd.platform, rd.account_id, strict=True)]
        pkeys = [f"{p}:{i}" for p, i in zip(rd.platform, rd.post_id, strict=True)]
        pubs = (
            rd.published_text
            if rd.published_text is not None
            else [iso(d) if d else None for d in rd.published_at]
        )
        caps = rd.captured_text if rd.captured_text is not None else _iso_each(rd.captured_at)
        tags = [json.dumps(t, ensure_ascii=False) if t else None for t in rd.tags]
        est = [int(e) for e in rd.published_estimated]
        with self.connect(write=True) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                known_acc = {r[0] for r in con.execute("SELECT account_key FROM accounts")}
                known_posts = {r[0] for r in con.execute("SELECT post_key FROM posts")}
                # per account the fold below gives what one UPDATE per record gave (last
                # non-empty name, newest followers)
                new_accounts: list[tuple[Any, ...]] = []
                acc_name: dict[str, str] = {}
                acc_fol: dict[str, tuple[float, datetime]] = {}
                touched: set[str] = set()
                names, fols, cap_at = rd.account_name, rd.followers, rd.captured_at
                for j, akey in enumerate(akeys):
                    if akey not in known_acc:
                        new_accounts.append(
                            (
                                akey,
                                rd.platform[j],
                                rd.account_id[j],
                                names[j],
                                fols[j],
                                caps[j] if fols[j] is not None else None,
                                now,
                                now,
                            )
                        )
                        known_acc.add(akey)
                        res.accounts_new += 1
                        continue
                    touched.add(akey)
                    if names[j]:
                        acc_name[akey] = names[j]
                    fol = fols[j]
                    if fol is not None:
                        best = acc_fol.get(akey)
                        if best is None or best[1] <= cap_at[j]:
                            acc_fol[akey] = (fol, cap_at[j])
                post_inserts: list[tuple[Any, ...]] = []
                post_updates: list[tuple[Any, ...]] = []
                for row in zip(
                    pkeys,
                    rd.platform,
                    rd.post_id,
                    akeys,
                    rd.title,
                    rd.description,
                    rd.url,
                    pubs,
                    est,
                    rd.duration_s,
                    tags,
                    rd.category,
                    strict=True,
                ):
                    if row[0] not in known_posts:
                        post_inserts.append((*row, now, now))
                        known_posts.add(row[0])
                    else:
                        post_updates.append(_post_update_params(row, now))
                res.posts_new, res.posts_updated = len(post_inserts), len(post_updates)
                metric_cols = [rd.metrics.get(m) or [None] * n for m in METRICS]
                snaps = list(zip(pkeys, caps, *metric_cols, [origin] * n, strict=True))
                con.executemany("INSERT INTO accounts VALUES (?,?,?,?,?,?,?,?)", new_accounts)
                for akey in sorted(touched):
                    fol_at = acc_fol.get(akey)
                    _update_account(
                        con,
                        akey,
                        acc_name.get(akey, ""),
                        fol_at[0] if fol_at else None,
                        fol_at[1] if fol_at else datetime.now(UTC),
                        now,
                    )
                con.executemany(
                    "INSERT INTO posts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", post_inserts
                )
                con.executemany(_POST_UPDATE, post_updates)  # after the inserts, in file order
                before = con.total_changes
                con.executemany(
                    "INSERT OR IGNORE INTO snapshots VALUES (?,?,?,?,?,?,?,?,?,?)", snaps
                )
                res.snapshots_new = con.total_changes - before
                res.snapshots_skipped = len(snaps) - res.snapshots_new
                for c in creators:
                    key = f"{c.platform}:{c.account_id}"
                    if key in known_acc:
                        _update_account(con, key, c.name, c.followers, c.captured_at, now)
                    else:
                        con.execute(
                            "INSERT INTO accounts VALUES (?,?,?,?,?,?,?,?)",
                            (
                                key,
                                c.platform,
                                c.account_id,
                                c.name,
                                c.followers,
                                iso(c.captured_at),
                                now,
                                now,
                            ),
                        )
                        known_acc.add(key)
                        res.accounts_new += 1
                con.execute(
                    "INSERT INTO imports(at, origin, format, rows, posts_new, snapshots_new, "
                    "snapshots_skipped) VALUES (?,?,?,?,?,?,?)",
                    (
                        now,
                        origin,
                        fmt,
                        rows,
                        res.posts_new,
                        res.snapshots_new,
                        res.snapshots_skipped,
                    ),
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return res

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            return list(con.execute(sql, params))

    def account_rows(self) -> list[tuple[Any, ...]]:
        """(account_key, platform, name, followers, posts, snapshots, first_published,
        last_published, last_capture, last_update) per account."""
        return self.query(
            """SELECT a.account_key, a.platform, a.name, a.followers,
                      COUNT(DISTINCT p.post_key), COUNT(s.post_key), MIN(p.published_at),
                      MAX(p.published_at), MAX(s.captured_at), a.last_update
               FROM accounts a LEFT JOIN posts p ON p.account_key = a.account_key
               LEFT JOIN snapshots s ON s.post_key = p.post_key
               GROUP BY a.account_key ORDER BY COUNT(DISTINCT p.post_key) DESC, a.name"""
        )

    def snapshot_rows(self, platforms: Iterable[str] = ()) -> list[tuple[Any, ...]]:
        """Every snapshot joined with its post and account, for the analyses."""
        plats = list(platforms)
        where = f"WHERE p.platform IN ({','.join('?' * len(plats))})" if plats else ""
        return self.query(
            f"""SELECT p.post_key, p.platform, p.post_id, p.account_key, a.name, a.followers,
                       p.title, p.url, p.published_at, p.published_estimated, p.duration_s,
                       p.tags, p.category, s.captured_at, {", ".join("s." + m for m in METRICS)}
                FROM snapshots s JOIN posts p ON p.post_key = s.post_key
                JOIN accounts a ON a.account_key = p.account_key {where}
                ORDER BY p.post_key, s.captured_at""",
            plats,
        )


def _update_account(
    con: sqlite3.Connection,
    key: str,
    name: str,
    followers: float | None,
    at: datetime,
    now: str,
) -> None:
    if followers is not None:
        # keep the newest follower reading
        con.execute(
            "UPDATE accounts SET followers=?, followers_at=? WHERE account_key=? AND "
            "(followers_at IS NULL OR followers_at <= ?)",
            (followers, iso(at), key, iso(at)),
        )
    con.execute(
        "UPDATE accounts SET last_update=?, name=CASE WHEN ?<>'' THEN ? ELSE name END "
        "WHERE account_key=?",
        (now, name, name, key),
    )


_POST_UPDATE = """UPDATE posts SET
     title = CASE WHEN ?<>'' THEN ? ELSE title END,
     description = COALESCE(?, description), url = COALESCE(?, url),
     published_at = CASE WHEN ? IS NOT NULL AND (published_at IS NULL OR
         (published_estimated=1 AND ?=0) OR (published_estimated=1 AND ? < published_at))
         THEN ? ELSE published_at END,
     published_estimated = CASE WHEN ? IS NOT NULL AND ?=0 THEN 0
         ELSE published_estimated END,
     duration_s = COALESCE(?, duration_s), tags = COALESCE(?, tags),
     category = COALESCE(?, category), last_update = ?
   WHERE post_key = ?"""


def _post_update_params(row: tuple[Any, ...], now: str) -> tuple[Any, ...]:
    # fill what an earlier import did not know; a real publish time replaces an estimate
    pkey, _, _, _, title, desc, url, pub, est, dur, tags, cat = row
    return (title, title, desc, url, pub, est, pub, pub, pub, est, dur, tags, cat, now, pkey)


def _iso_each(times: list[datetime]) -> list[str]:
    """ISO text of each time; capture times repeat (one per file or crawl), so each is made once."""
    made: dict[datetime, str] = {}
    out = []
    for t in times:
        text = made.get(t)
        if text is None:
            text = made[t] = iso(t)
        out.append(text)
    return out
