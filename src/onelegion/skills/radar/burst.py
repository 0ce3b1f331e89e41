"""Kleinberg's burst detection (batched, two-state) on keyword counts over time bins.

For bins t with r_t titles of which d_t contain the keyword, state 0 emits at the base rate
p0 = Σd/Σr and state 1 at p1 = s·p0. Entering the burst state costs γ·ln(n); leaving is free.
The cheapest state sequence (Viterbi) marks the bins where the keyword was bursting.
Kleinberg, "Bursty and Hierarchical Structure in Streams" (KDD 2002), section 4 (enumerating bursts
in batched arrivals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# from this many counts (keywords × bins) on, bursts are computed together with numpy: below it,
# one keyword at a time costs less than loading numpy (≈ 0.05 s)
BATCH_FROM = 50_000


def _cost(d: int, r: int, p: float) -> float:
    if r == 0:
        return 0.0
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -(d * math.log(p) + (r - d) * math.log(1 - p))


def kleinberg_states(
    d: Sequence[int], r: Sequence[int], s: float = 2.0, gamma: float = 1.0
) -> list[int]:
    """The 0/1 burst state of every bin (1 = bursting)."""
    n = len(d)
    if n == 0 or len(r) != n:
        return [0] * n
    total_r = sum(r)
    if total_r == 0 or sum(d) == 0:
        return [0] * n
    p0 = sum(d) / total_r
    p1 = min(s * p0, 0.9999)
    up = gamma * math.log(max(n, 2))
    cost = [0.0, up]  # cost of being in state 0/1 before the first bin (start in 0)
    back: list[tuple[int, int]] = []
    for t in range(n):
        e0, e1 = _cost(d[t], r[t], p0), _cost(d[t], r[t], p1)
        from0 = (cost[0], 0) if cost[0] <= cost[1] else (cost[1], 1)  # to state 0: leaving is free
        stay1, enter1 = cost[1], cost[0] + up
        from1 = (stay1, 1) if stay1 <= enter1 else (enter1, 0)
        cost = [from0[0] + e0, from1[0] + e1]
        back.append((from0[1], from1[1]))
    state = 0 if cost[0] <= cost[1] else 1
    states = [0] * n
    for t in range(n - 1, -1, -1):
        states[t] = state
        state = back[t][state]
    return states


def current_burst(states: Sequence[int], window_start: int) -> int | None:
    """Index of the first bin of the burst running at the end, if it overlaps the window."""
    if not states or states[-1] != 1:
        return None
    i = len(states) - 1
    while i > 0 and states[i - 1] == 1:
        i -= 1
    return i if len(states) - 1 >= window_start else None


def current_bursts(
    d: Sequence[Sequence[int]],
    r: Sequence[int],
    window_start: int,
    s: float = 2.0,
    gamma: float = 1.0,
) -> list[int | None]:
    """``current_burst(kleinberg_states(row, r), window_start)`` for every row of ``d`` (keywords ×
    bins, counts). Many counts go through one Viterbi pass vectorised over the keywords with numpy:
    the same arithmetic in the same order, so the same answers; a few (a short window) are done
    one keyword at a time, which spares loading numpy."""
    if len(d) * len(r) <= BATCH_FROM:
        return [current_burst(kleinberg_states(row, r, s, gamma), window_start) for row in d]
    import numpy as np

    dd = np.asarray(d, dtype=np.int64)
    k, n = dd.shape
    if n == 0 or len(r) != n:
        return [None] * k
    rr = np.asarray(r, dtype=np.int64)
    total_r = int(rr.sum())
    sums = dd.sum(axis=1)
    lp = np.zeros((2, k))  # log p of the states 0 and 1, clamped as _cost does
    l1p = np.zeros((2, k))
    live = np.zeros(k, dtype=bool)
    if total_r:
        for i, sd in enumerate(sums.tolist()):
            if sd == 0:
                continue
            live[i] = True
            p0 = sd / total_r
            for st, p in enumerate((p0, min(s * p0, 0.9999))):
                p = min(max(p, 1e-9), 1 - 1e-9)
                lp[st, i] = math.log(p)
                l1p[st, i] = math.log(1 - p)
    rest = rr[None, :] - dd
    empty = rr == 0
    e0 = -(dd * lp[0][:, None] + rest * l1p[0][:, None])
    e1 = -(dd * lp[1][:, None] + rest * l1p[1][:, None])
    e0[:, empty] = 0.0
    e1[:, empty] = 0.0
    up = gamma * math.log(max(n, 2))
    c0 = np.zeros(k)
    c1 = np.full(k, up)
    back0 = np.zeros((n, k), dtype=bool)  # state 0 at t came from state 1
    back1 = np.zeros((n, k), dtype=bool)  # state 1 at t came from state 1
    for t in range(n):
        keep0 = c0 <= c1
        from0 = np.where(keep0, c0, c1)
        enter1 = c0 + up
        stay = c1 <= enter1
        from1 = np.where(stay, c1, enter1)
        back0[t] = ~keep0
        back1[t] = stay
        c0 = from0 + e0[:, t]
        c1 = from1 + e1[:, t]
    state = ~(c0 <= c1)  # True: the last bin is in state 1
    states = np.zeros((n, k), dtype=bool)
    for t in range(n - 1, -1, -1):
        states[t] = state
        state = np.where(state, back1[t], back0[t])
    out: list[int | None] = []
    for i in range(k):
        if not live[i] or not states[n - 1, i] or n - 1 < window_start:
            out.append(None)
            continue
        zeros = np.flatnonzero(~states[:, i])
        out.append(int(zeros[-1]) + 1 if zeros.size else 0)
    return out
