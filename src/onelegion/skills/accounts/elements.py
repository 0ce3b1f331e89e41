"""What hits have in common, with how sure we are.

For each element (a yes/no feature of a post, see ``features.py``), over posts of accounts with a
verdict:

- **Hit-rate lift**: share of over-performers among posts with the element vs without, each with a
  95% Wilson interval (over-performers: the hit rule on the element-blind baseline, ``Scored.over``;
  the hits themselves have the significant elements in their baseline, so their lift would say
  nothing about the elements); the lift's 95% interval by the log method (Katz), 0.5 added to empty cells.
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

import numpy as np

from onelegion.core.lang import tr
from onelegion.skills.accounts.features import feature_matrix, join_tokens, templates, title_tokens
from onelegion.skills.accounts.hits import Scored
from onelegion.skills.accounts.stats import (
    Z95,
    bh,
    lift_ci,
    two_sided_p,
    wilson,
    within_regression,
)

__all__ = ["ElementStat", "ElementsResult", "PatternStat", "analyse", "bh", "lift_ci", "wilson"]


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
    # what over-performers have in common: the element-blind verdicts and log ratios (the hits
    # themselves are judged with the significant elements already in their baseline)
    hit = _over(s)[keep]
    r = (s.resid_plain if s.resid_plain is not None else s.resid)[keep]
    acc = posts.account[keep]
    n, k = X.shape
    nh = int(hit.sum())
    stats: list[ElementStat] = []
    for j in range(k):
        col = X[:, j]
        n1 = int(col.sum())
        k1 = int((col & hit).sum())
        n0, k0 = n - n1, nh - k1
        lift, lo, hi = lift_ci(k1, n1, k0, n0) if n1 and n0 else (math.nan,) * 3
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
        coef, se = within_regression(X[:, tested].astype(float), r, acc)
        for t, j in enumerate(tested):
            st = stats[j]
            if not math.isfinite(se[t]) or se[t] <= 0:
                st.tested = False
                continue
            st.effect = math.exp(coef[t])
            st.effect_ci = (math.exp(coef[t] - Z95 * se[t]), math.exp(coef[t] + Z95 * se[t]))
            st.p = two_sided_p(float(coef[t]), float(se[t]))
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


def _over(s: Scored) -> np.ndarray:
    return s.over if s.over is not None else s.hit


def mine_patterns(
    s: Scored, keep: np.ndarray, *, max_patterns: int = 20, sample: int = 5000
) -> list[PatternStat]:
    """Templates in >= 3 hit titles; their share among all posts is estimated from every hit and up
    to ``sample`` non-hits (a fixed-seed sample, scaled up) so that 100k posts stay fast."""
    titles = s.posts.title
    over = _over(s)
    hit_idx = keep[over[keep]]
    if hit_idx.size < 3:
        return []
    in_hits: Counter[str] = Counter()
    hit_templates = [templates(titles[i]) for i in hit_idx]
    for ts in hit_templates:
        in_hits.update(ts)
    cand = {t for t, c in in_hits.items() if c >= 3}
    if not cand:
        return []
    non = keep[~over[keep]]
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
