"""Posts as the analyses see them: one row per post with its latest reading and its growth.

Loaded from the store (every snapshot) into :class:`Posts`, a set of aligned numpy arrays plus
the per-post text the element features need.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from onelegion.skills.accounts.store import METRICS, AccountsStore

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
HOUR_DAYS = 1.0 / 24.0


@dataclass
class Posts:
    """Aligned per-post columns. ``account`` indexes ``account_keys``."""

    post_key: list[str]
    platform: list[str]
    post_id: list[str]
    account: IntArray
    account_keys: list[str]
    account_names: list[str]
    account_followers: list[float | None]
    title: list[str]
    url: list[str | None]
    published: list[datetime | None]
    published_estimated: list[bool]
    duration_s: list[float | None]
    tags: list[list[str]]
    category: list[str | None]
    captured: list[datetime]
    metrics: dict[str, FloatArray]  # latest reading; nan when unknown
    snapshots: IntArray  # readings per post
    growth: list[list[tuple[float, float]]] = field(default_factory=list)  # (age_days, views) pairs
    _pub_ts: FloatArray | None = field(default=None, init=False, repr=False, compare=False)
    _groups: list[IntArray] | None = field(default=None, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.post_key)

    def published_ts(self) -> FloatArray:
        """Publish times as POSIX seconds (nan when unknown), computed once."""
        if self._pub_ts is None:
            self._pub_ts = np.asarray(
                [math.nan if p is None else p.timestamp() for p in self.published], dtype=float
            )
        return self._pub_ts

    def by_account(self) -> list[IntArray]:
        """Post indices per account, each in publish order (undated last, then by index)."""
        if self._groups is None:
            ts = self.published_ts()
            idx = np.arange(len(self))
            order = np.lexsort((idx, np.nan_to_num(ts, nan=0.0), np.isnan(ts), self.account))
            cuts = np.searchsorted(self.account[order], np.arange(1, len(self.account_keys)))
            self._groups = [g.astype(np.int64) for g in np.split(order, cuts)]
        return self._groups

    def age_days(self) -> FloatArray:
        caps: dict[datetime, float] = {}
        cap = np.asarray([caps.setdefault(c, c.timestamp()) for c in self.captured], dtype=float)
        with np.errstate(invalid="ignore"):
            out: FloatArray = np.maximum((cap - self.published_ts()) / 86400.0, HOUR_DAYS)
        out[np.isnan(self.published_ts())] = np.nan
        return out


def load_posts(
    store: AccountsStore,
    *,
    platforms: list[str] | None = None,
    accounts: list[str] | None = None,
) -> Posts:
    """Every post with its latest snapshot (and all its readings for growth curves)."""
    rows = store.snapshot_rows(platforms or [])
    return build_posts(rows, accounts=accounts)


def build_posts(rows: list[tuple[Any, ...]], *, accounts: list[str] | None = None) -> Posts:
    """Rows as :meth:`AccountsStore.snapshot_rows` returns them, ordered by post and capture time."""
    wanted = {a.casefold() for a in accounts} if accounts else None
    acc_index: dict[str, int] = {}
    names: list[str] = []
    followers: list[float | None] = []
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "post_key",
            "platform",
            "post_id",
            "account",
            "title",
            "url",
            "published",
            "estimated",
            "duration",
            "tags",
            "category",
            "captured",
            "snapshots",
            "growth",
        )
    }
    vals: dict[str, list[float]] = {m: [] for m in METRICS}
    n_fixed = 14
    seen_times: dict[str, datetime] = {}  # capture times repeat across posts: parse each once
    i = 0
    n = len(rows)
    while i < n:
        j = i
        key = rows[i][0]
        while j < n and rows[j][0] == key:
            j += 1
        last = rows[j - 1]
        (pk, plat, pid, akey, aname, afol, title, url, pub, est, dur, tags, cat, cap) = last[
            :n_fixed
        ]
        if wanted is not None and not (
            aname.casefold() in wanted
            or akey.casefold() in wanted
            or akey.split(":", 1)[1].casefold() in wanted
        ):
            i = j
            continue
        if akey not in acc_index:
            acc_index[akey] = len(names)
            names.append(aname)
            followers.append(afol)
        pub_dt = datetime.fromisoformat(pub) if pub else None
        cols["post_key"].append(pk)
        cols["platform"].append(plat)
        cols["post_id"].append(pid)
        cols["account"].append(acc_index[akey])
        cols["title"].append(title or "")
        cols["url"].append(url)
        cols["published"].append(pub_dt)
        cols["estimated"].append(bool(est))
        cols["duration"].append(dur)
        cols["tags"].append(json.loads(tags) if tags else [])
        cols["category"].append(cat)
        when = seen_times.get(cap)
        if when is None:
            when = seen_times[cap] = datetime.fromisoformat(cap)
        cols["captured"].append(when)
        cols["snapshots"].append(j - i)
        for k, m in enumerate(METRICS):
            v = last[n_fixed + k]
            vals[m].append(math.nan if v is None else float(v))
        growth: list[tuple[float, float]] = []
        if j - i > 1 and pub_dt is not None:
            for r in rows[i:j]:
                v = r[n_fixed]  # views
                if v is not None:
                    age = (datetime.fromisoformat(r[13]) - pub_dt).total_seconds() / 86400.0
                    growth.append((max(age, HOUR_DAYS), float(v)))
        cols["growth"].append(growth)
        i = j
    return Posts(
        post_key=cols["post_key"],
        platform=cols["platform"],
        post_id=cols["post_id"],
        account=np.asarray(cols["account"], dtype=np.int64),
        account_keys=list(acc_index),
        account_names=names,
        account_followers=followers,
        title=cols["title"],
        url=cols["url"],
        published=cols["published"],
        published_estimated=cols["estimated"],
        duration_s=cols["duration"],
        tags=cols["tags"],
        category=cols["category"],
        captured=cols["captured"],
        metrics={m: np.asarray(v, dtype=np.float64) for m, v in vals.items()},
        snapshots=np.asarray(cols["snapshots"], dtype=np.int64),
        growth=cols["growth"],
    )


def latest_capture(posts: Posts) -> datetime:
    return max(posts.captured) if len(posts) else datetime.now(UTC)
