"""What hits have in common, with how sure we are.

For each element (a yes/no feature of a post, see ``features.py``), over posts of accounts with a
verdict:

- **Hit-rate lift**: share of hits among posts with the element vs without, each with a 95% Wilson
  interval; the lift's 95% interval by the log method (Katz), 0.5 added to empty cells.
- **Adjusted effect**: one least-squares regression of every post's log ratio to its account
  baseline on all elements at once, with elements and ratios centred within each account (account
  fixed effects), so an account's habits cannot pass for a viral element and correlated elements
  are separated. ``effect = exp(coef)`` is the multiplier on the count; its interval uses the larger
  of the classical and the account-clustered standard error (posts of one account are not
  independent). Small ridge (1e-6 · n) only for numerical safety.
- **False discoveries**: Benjamini-Hochberg over the elements tested; an element is reported as
  significant only when its adjusted q <= ``level``. Elements with fewer than ``min_support`` posts
  (or fewer than 3 hits) are listed as too thin instead.
- **Patterns**: token templates (n-grams with number slots) frequent among hit titles, with support
  and lift against all posts.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np

from onelegion.core.lang import tr
from onelegion.skills.accounts.features import feature_matrix, join_tokens, templates, title_tokens
from onelegion.skills.accounts.hits import Scored

_ND = NormalDist()
Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    den = 1 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, c - h), min(1.0, c + h))


def lift_ci(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float, float]:
    a, b = k1 + 0.5, n1 + 0.5
    c, d = k0 + 0.5, n0 + 0.5
    lift = (a / b) / (c / d)
    se = math.sqrt(max(1 / a - 1 / b + 1 / c - 1 / d, 0.0))
    return lift, lift * math.exp(-Z95 * se), lift * math.exp(Z95 * se)


def bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q)."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    q = [1.0] * m
    prev = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        prev = min(prev, p[i] * m / rank)
        q[i] = prev
    return q


@dataclass
class ElementStat:
    element: str
    label: str
    posts: int
    hits: int
    hit_rate: float
    hit_rate_ci: tuple[float, float]
    base_rate: float
    base_rate_ci: tuple[float, float]
    lift: float
    lift_ci: tuple[float, float]
    effect: float = math.nan
    effect_ci: tuple[float, float] = (math.nan, math.nan)
    p: float = 1.0
    q: float = 1.0
    significant: bool = False
    tested: bool = True
    examples: list[str] = field(default_factory=list)


@dataclass
class PatternStat:
    template: str
    hits: int
    posts: int
    lift: float
    examples: list[str]


@dataclass
class ElementsResult:
    posts: int
    hits: int
    elements: list[ElementStat]
    patterns: list[PatternStat]
    notes: list[str] = field(default_factory=list)


def analyse(
    s: Scored,
    *,
    min_support: int = 20,
    level: float = 0.05,
    max_patterns: int = 20,
    radar_history: Path | None = None,
) -> ElementsResult:
    keep = np.flatnonzero(s.scored)
    posts = s.posts
    notes: list[str] = []
    on_radar = None
    if radar_history is not None:
        from onelegion.skills.accounts.radar_overlap import radar_overlap

        on_radar, _, note = radar_overlap(posts, radar_history)
        if note:
            notes.append(note)
    ids, labels, X_all = feature_matrix(posts, on_radar)
    X = X_all[keep]
    hit = s.hit[keep]
    r = s.resid[keep]
    acc = posts.account[keep]
    n, k = X.shape
    nh = int(hit.sum())
    stats: list[ElementStat] = []
    for j in range(k):
        col = X[:, j]
        n1 = int(col.sum())
        k1 = int((col & hit).sum())
        n0, k0 = n - n1, nh - k1
        lift, lo, hi = lift_ci(k1, n1, k0, n0)
        ex = [posts.title[keep[i]] for i in np.flatnonzero(col & hit)[:3]]
        stats.append(
            ElementStat(
                element=ids[j],
                label=labels[j],
                posts=n1,
                hits=k1,
                hit_rate=k1 / n1 if n1 else 0.0,
                hit_rate_ci=wilson(k1, n1),
                base_rate=k0 / n0 if n0 else 0.0,
                base_rate_ci=wilson(k0, n0),
                lift=lift,
                lift_ci=(lo, hi),
                examples=ex,
                tested=n1 >= min_support and (n - n1) >= min_support and k1 >= 3,
            )
        )
    tested = [j for j in range(k) if stats[j].tested]
    if n == 0:
        notes.append(
            tr(
                "no account has enough posts for a verdict, so no element can be judged",
                "没有账号的作品数足以下结论，因此无法判断任何元素",
            )
        )
    elif tested:
        coef, se = _within_regression(X[:, tested].astype(float), r, acc)
        for t, j in enumerate(tested):
            st = stats[j]
            if not math.isfinite(se[t]) or se[t] <= 0:
                st.tested = False
                continue
            st.effect = math.exp(coef[t])
            st.effect_ci = (math.exp(coef[t] - Z95 * se[t]), math.exp(coef[t] + Z95 * se[t]))
            st.p = 2 * (1 - _ND.cdf(abs(coef[t] / se[t])))
        tested = [j for j in tested if stats[j].tested]
        for j, q in zip(tested, bh([stats[j].p for j in tested]), strict=True):
            stats[j].q = q
            stats[j].significant = q <= level
    thin = [st.element for st in stats if not st.tested and st.posts > 0]
    if thin:
        notes.append(
            tr(
                f"too little evidence to judge: {', '.join(thin)} "
                f"(fewer than {min_support} posts or 3 hits)",
                f"证据不足，不作判断：{'、'.join(thin)}（作品少于 {min_support} 条或爆款少于 3 条）",
            )
        )
    stats.sort(key=lambda st: (not st.significant, not st.tested, st.q, -st.posts))
    patterns = mine_patterns(s, keep, max_patterns=max_patterns)
    return ElementsResult(posts=n, hits=nh, elements=stats, patterns=patterns, notes=notes)


def _within_regression(
    X: np.ndarray, y: np.ndarray, acc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Account-demeaned least squares; returns (coef, se) with se = max(classical, clustered)."""
    n_acc = int(acc.max()) + 1 if acc.size else 0
    counts = np.bincount(acc, minlength=n_acc).astype(float)
    counts[counts == 0] = 1.0

    def demean(v: np.ndarray) -> np.ndarray:
        if v.ndim == 1:
            d1: np.ndarray = v - (np.bincount(acc, weights=v, minlength=n_acc) / counts)[acc]
            return d1
        means = np.stack(
            [np.bincount(acc, weights=v[:, j], minlength=n_acc) for j in range(v.shape[1])], axis=1
        )
        d2: np.ndarray = v - (means / counts[:, None])[acc]
        return d2

    Xd, yd = demean(X), demean(y)
    n, k = Xd.shape
    xtx = Xd.T @ Xd + 1e-6 * n * np.eye(k)
    try:
        inv = np.linalg.inv(xtx)
    except np.linalg.LinAlgError:
        return np.zeros(k), np.full(k, np.nan)
    coef = inv @ (Xd.T @ yd)
    e = yd - Xd @ coef
    groups = int((np.bincount(acc, minlength=n_acc) > 0).sum())
    dof = max(n - k - groups, 1)
    se_cl = np.sqrt(np.maximum(np.diag(inv) * float(e @ e) / dof, 0.0))
    # clustered by account
    score = np.stack(
        [np.bincount(acc, weights=Xd[:, j] * e, minlength=n_acc) for j in range(k)], axis=1
    )
    meat = score.T @ score
    adj = groups / max(groups - 1, 1)
    se_cr = np.sqrt(np.maximum(np.diag(inv @ meat @ inv) * adj, 0.0))
    return coef, np.maximum(se_cl, se_cr)


def mine_patterns(
    s: Scored, keep: np.ndarray, *, max_patterns: int = 20, sample: int = 5000
) -> list[PatternStat]:
    """Templates in >= 3 hit titles; their share among all posts is estimated from every hit and up
    to ``sample`` non-hits (a fixed-seed sample, scaled up) so that 100k posts stay fast."""
    titles = s.posts.title
    hit_idx = keep[s.hit[keep]]
    if hit_idx.size < 3:
        return []
    in_hits: Counter[str] = Counter()
    hit_templates = [templates(titles[i]) for i in hit_idx]
    for ts in hit_templates:
        in_hits.update(ts)
    cand = {t for t, c in in_hits.items() if c >= 3}
    if not cand:
        return []
    non = keep[~s.hit[keep]]
    scale = 1.0
    if non.size > sample:
        rng = np.random.default_rng(0)
        scale = non.size / sample
        non = rng.choice(non, size=sample, replace=False)
    # non-hits: only membership of the candidates is needed, so token n-grams are compared as
    # tuples with the candidates' tuples (no template strings built)
    by_tokens: dict[tuple[str, ...], str] = {}
    for i in hit_idx:
        toks, _ = title_tokens(titles[i])
        for a in range(len(toks) - 1):
            for b in range(a + 2, min(a + 4, len(toks)) + 1):
                by_tokens.setdefault(tuple(toks[a:b]), "")
    for key in list(by_tokens):
        t = join_tokens(key)
        if t in cand:
            by_tokens[key] = t
        else:
            del by_tokens[key]
    in_non: Counter[str] = Counter()
    for i in non:
        toks, _ = title_tokens(titles[i])
        found: set[str] = set()
        for a in range(len(toks) - 1):
            for b in range(a + 2, min(a + 4, len(toks)) + 1):
                hit_t = by_tokens.get(tuple(toks[a:b]))
                if hit_t:
                    found.add(hit_t)
        in_non.update(found)
    overall = hit_idx.size / keep.size
    out = []
    for t in cand:
        posts = in_hits[t] + in_non[t] * scale
        lift = (in_hits[t] / posts) / overall if posts else 0.0
        if lift < 1.5:
            continue
        out.append(PatternStat(t, in_hits[t], round(posts), lift, []))
    out.sort(key=lambda p: (-p.hits * math.log(p.lift), p.template))
    # drop templates contained in a better one with the same hits
    kept: list[PatternStat] = []
    for p in out:
        if any(p.template in q.template and p.hits == q.hits for q in kept):
            continue
        kept.append(p)
        if len(kept) >= max_patterns:
            break
    for p in kept:  # examples only for the patterns kept
        p.examples = [
            titles[i] for i, ts in zip(hit_idx, hit_templates, strict=True) if p.template in ts
        ][:3]
    return kept
