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
    # (ids, labels, matrix) of features.feature_matrix without radar overlap, computed once
    _features: tuple[list[str], list[str], np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

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
    """Rows as :meth:`AccountsStore.snapshot_rows` returns them, ordered by post and capture time.

    Column-wise: the rows are transposed once, the last reading of each post picked by index, and
    only posts read more than once walk their readings (growth)."""
    n_fixed = 14
    n = len(rows)
    if n == 0:
        cols: list[tuple[Any, ...]] = [() for _ in range(n_fixed + len(METRICS))]
    else:
        cols = list(zip(*rows, strict=True))
    keys = cols[0]
    ends = [i for i in range(n - 1) if keys[i] != keys[i + 1]]
    if n:
        ends.append(n - 1)
    starts = [0] + [e + 1 for e in ends[:-1]] if ends else []
    if accounts:
        wanted = {a.casefold() for a in accounts}
        akeys, anames = cols[3], cols[4]
        keep = [
            k
            for k, e in enumerate(ends)
            if anames[e].casefold() in wanted
            or akeys[e].casefold() in wanted
            or akeys[e].split(":", 1)[1].casefold() in wanted
        ]
        ends = [ends[k] for k in keep]
        starts = [starts[k] for k in keep]

    def pick(c: int) -> list[Any]:
        col = cols[c]
        return [col[e] for e in ends]

    acc_index: dict[str, int] = {}
    names: list[str] = []
    followers: list[float | None] = []
    account: list[int] = []
    for akey, aname, afol in zip(pick(3), pick(4), pick(5), strict=True):
        k = acc_index.get(akey)
        if k is None:
            k = acc_index[akey] = len(names)
            names.append(aname)
            followers.append(afol)
        account.append(k)
    parsed: dict[str, datetime] = {}  # capture times repeat across posts: parse each once

    def when(text: str) -> datetime:
        d = parsed.get(text)
        if d is None:
            d = parsed[text] = datetime.fromisoformat(text)
        return d

    published = [datetime.fromisoformat(p) if p else None for p in pick(8)]
    metrics: dict[str, FloatArray] = {}
    for k, m in enumerate(METRICS):
        metrics[m] = np.fromiter(
            (math.nan if v is None else float(v) for v in pick(n_fixed + k)),
            dtype=np.float64,
            count=len(ends),
        )
    growth: list[list[tuple[float, float]]] = [[] for _ in ends]
    caps_all = cols[13]
    views_all = cols[n_fixed]
    for k, (a, e) in enumerate(zip(starts, ends, strict=True)):
        pub_dt = published[k]
        if e > a and pub_dt is not None:
            g: list[tuple[float, float]] = []
            for r in range(a, e + 1):
                v = views_all[r]
                if v is not None:
                    age = (when(caps_all[r]) - pub_dt).total_seconds() / 86400.0
                    g.append((max(age, HOUR_DAYS), float(v)))
            growth[k] = g
    return Posts(
        post_key=pick(0),
        platform=pick(1),
        post_id=pick(2),
        account=np.asarray(account, dtype=np.int64),
        account_keys=list(acc_index),
        account_names=names,
        account_followers=followers,
        title=[t or "" for t in pick(6)],
        url=pick(7),
        published=published,
        published_estimated=[bool(x) for x in pick(9)],
        duration_s=pick(10),
        tags=[json.loads(t) if t else [] for t in pick(11)],
        category=pick(12),
        captured=[when(c) for c in pick(13)],
        metrics=metrics,
        snapshots=np.asarray(
            [e - a + 1 for a, e in zip(starts, ends, strict=True)], dtype=np.int64
        ),
        growth=growth,
    )


def latest_capture(posts: Posts) -> datetime:
    return max(posts.captured) if len(posts) else datetime.now(UTC)
