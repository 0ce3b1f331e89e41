"""Over-performance of each post against its own account's baseline at the same age.

For every account with enough posts (``min_posts``):

1. ``y = log(1 + value)`` of the latest reading of the chosen metric (views/plays; likes where
   the platform hides plays), ``x = log(1 + age in days)`` at that reading.
2. Growth with age. From a growth curve ``g(age)`` shared by the accounts scored on the same metric: each post's ``y``
   minus its account's mature level (the median of its posts older than ``MATURE_DAYS``), its
   median per age bin, made non-decreasing with age and 0 once mature; plus a per-account linear
   correction in ``x`` (shrunk toward 0 when the account has little age spread) for accounts
   that grow faster or slower; the curve is used even when posts were read several times (see
   ``_account_slope``). Without a curve, from snapshots when several posts of the account were
   read more than once (within-post growth: the slope ``b`` of ``y`` on ``x``, so the age term is
   ``b·x``). A straight line in log-age fitted per account, as before, put the
   expected value of day-old posts far too high: their views were still growing. With too few
   mature posts for a curve, the log-log slope per account (shrunk toward the pooled slope).
   Posts with no publish date get no age correction (said in the output).
3. Baseline: ``y - b·x`` (the value brought to a common age), and its rolling median over the
   account's neighbouring posts in publish order (``window`` posts each side, the post itself left
   out). Expected value at the post's age = ``exp(median + b·x) - 1``; ratio = actual / expected.
4. Spread: robust standard deviation of the residuals (1.4826 × MAD); ``z`` = residual / spread.
   A hit needs ``ratio >= floor`` and ``z >= min_z`` so a noisy account needs a bigger jump;
   ``p`` is the one-sided normal tail of ``z``. The floor is ``min_ratio`` raised where the data
   have heavy tails: the accounts scored on the same metric give an empirical null from the lower
   tail of their log ratios (a post far *below* its baseline is noise, never a planted effect, so
   the lower tail is free of hits), mirrored: ``floor = max(min_ratio, exp(tail_scale · T))`` with
   ``T`` the ``1 - tail_level`` quantile of ``-log ratio`` (>= ``MIN_TAIL_POSTS`` posts, else
   ``min_ratio`` alone), at most ``tail_cap × min_ratio``: the 1% quantile rests on a handful of
   posts, and on real exports a few broken readings (hours-old captures, blocked videos; the
   YouTube trending file put the uncapped floor at 27x) must not silence every account. Per-account versions of the same quantile (shrunk toward the pooled one)
   and z from per-account spreads ranked posts worse on the development sets, so the per-account
   part is the z rule and the tail is shared (benchmarks/RESULTS-accounts.md).
5. Title elements (``rules.elements``, on by default). Steps 1-4 give element-blind residuals;
   the title/time elements (features.py) whose within-account effect on them is significant
   (Benjamini-Hochberg at ``element_level``, the same regression as the element analysis) are then
   taken out of every count, the baseline is estimated again on the adjusted counts and the
   elements' multiplier put back into the expected value. A hit is then over-performance that
   neither the account, the age nor the title elements explain: on the generated data the
   element-blind baseline left a post with three planted elements (x3.3) indistinguishable from a
   x3 hit, and precision/recall moved from 0.82/0.83 to 0.85/0.93 on the development sets with
   ``min_ratio`` 3 (benchmarks/RESULTS-accounts.md). With no significant element (small data)
   the single pass stands. The element analysis keeps the element-blind residuals and counts its
   lifts among the element-blind over-performers (``over``), so what over-performers have in
   common is still measured.
6. Hidden: a hit outside its account's top ``top_n`` by raw value, or from a small account (median
   below the median account) whose value is below the 75th percentile of all posts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from onelegion.core.lang import tr
from onelegion.skills.accounts.posts import FloatArray, Posts

BANDS = (10.0, 5.0, 3.0, 2.0)
MAX_SLOPE = 1.5
MATURE_DAYS = 30.0
# age bins of the growth curve (days); the last bin is mature
CURVE_EDGES = (0.0, 2 / 24, 6 / 24, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 11.0, 15.0, 21.0, 30.0)
MIN_CURVE_POSTS = 200
MIN_TAIL_POSTS = 200
ENGAGEMENT = ("likes", "comments", "shares", "favorites", "coins")
_ND = NormalDist()


@dataclass
class HitRules:
    min_posts: int = 8
    min_ratio: float = 3.0
    min_z: float = 2.0
    window: int = 15
    tail_level: float = 0.01  # share of posts below -T in the lower tail (the mirrored null)
    tail_scale: float = 1.1
    tail_cap: float = 2.0  # the tail raises the floor to at most tail_cap x min_ratio
    top_n: int = 5
    metric: str = "auto"  # auto | views | likes | comments | shares | favorites
    elements: bool = True  # take the title elements' significant effects into the baseline
    element_level: float = 0.05  # BH level an element's effect needs to enter the baseline
    element_support: int = 20  # posts with and without an element before it is estimated


@dataclass
class AccountScore:
    index: int
    name: str
    key: str
    platform: str
    posts: int
    metric: str
    median: float
    spread: float
    slope: float
    slope_from: str  # snapshots | ages | pooled | none
    followers: float | None
    verdict: bool
    reason: str = ""
    hits: int = 0
    floor: float = math.nan  # the ratio a hit needs on this account


@dataclass
class Scored:
    """Per-post results aligned with the :class:`Posts` they came from (nan where not scored)."""

    posts: Posts
    rules: HitRules
    value: FloatArray
    age: FloatArray
    expected: FloatArray
    ratio: FloatArray
    resid: FloatArray
    z: FloatArray
    hit: np.ndarray
    hidden: np.ndarray
    rank: np.ndarray
    metric: list[str]
    accounts: list[AccountScore] = field(default_factory=list)
    pooled_slope: float = 0.0
    notes: list[str] = field(default_factory=list)
    # the element-blind scores (baseline from age and account alone): what the element analysis
    # regresses and the over-performers whose elements it counts; equal to resid / hit when no
    # element entered the baseline
    resid_plain: FloatArray | None = None
    over: np.ndarray | None = None
    # log multiplier of each post's expected count for its title elements (0: none), and the
    # elements that entered the baseline with their multipliers and per-post membership
    shift: FloatArray | None = None
    element_effects: dict[str, float] = field(default_factory=dict)
    element_member: np.ndarray | None = None

    @property
    def scored(self) -> np.ndarray:
        return np.isfinite(self.ratio)


def band(ratio: float) -> str:
    for b in BANDS:
        if ratio >= b:
            return f"{b:g}x"
    return ""


def choose_metric(posts: Posts, idx: np.ndarray, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    for m in ("views", "likes", "comments", "shares", "favorites"):
        vals = posts.metrics[m][idx]
        if vals.size and np.isfinite(vals).mean() >= 0.5:
            return m
    return "views"


def score(posts: Posts, rules: HitRules) -> Scored:
    """Score every post; with ``rules.elements`` in two passes: the element-blind baseline, the
    title elements' effects estimated on its residuals (within accounts, BH at
    ``element_level``), then the baseline again on counts with those effects taken out, so that
    a hit is over-performance that neither the account, the age nor the title elements explain."""
    plain = _score_pass(posts, rules, None)
    plain.resid_plain, plain.over = plain.resid, plain.hit
    if not rules.elements:
        return plain
    found = element_shift(posts, plain, rules)
    if found is None:
        return plain
    shift, effects, member = found
    out = _score_pass(posts, rules, shift)
    out.resid_plain, out.over = plain.resid, plain.hit
    out.shift, out.element_effects, out.element_member = shift, effects, member
    return out


def element_shift(
    posts: Posts, plain: Scored, rules: HitRules
) -> tuple[FloatArray, dict[str, float], np.ndarray] | None:
    """(log shift per post, {element: multiplier}, membership) for the title/time elements whose
    within-account effect on the element-blind log ratio is significant; None when none is."""
    from onelegion.skills.accounts.features import feature_matrix
    from onelegion.skills.accounts.stats import bh, two_sided_p, within_regression

    keep = np.flatnonzero(np.isfinite(plain.resid))
    if keep.size < 2 * rules.element_support:
        return None
    ids, _, X = feature_matrix(posts)
    Xk = X[keep]
    support = Xk.sum(axis=0)
    tested = np.flatnonzero(
        (support >= rules.element_support) & (keep.size - support >= rules.element_support)
    )
    if tested.size == 0:
        return None
    coef, se = within_regression(
        Xk[:, tested].astype(float), plain.resid[keep], posts.account[keep]
    )
    p = [two_sided_p(float(c), float(e)) for c, e in zip(coef, se, strict=True)]
    sig = np.asarray(bh(p)) <= rules.element_level
    if not sig.any():
        return None
    cols = tested[sig]
    member = X[:, cols]
    shift: FloatArray = member.astype(float) @ coef[sig]
    effects = {ids[j]: math.exp(float(c)) for j, c in zip(cols, coef[sig], strict=True)}
    return shift, effects, member


def _score_pass(posts: Posts, rules: HitRules, shift: FloatArray | None) -> Scored:
    """One scoring pass; ``shift`` (log) is taken out of every count before the baseline is
    estimated and put back into the expected value."""
    n = len(posts)
    value = np.full(n, np.nan)
    age = posts.age_days()
    expected = np.full(n, np.nan)
    resid = np.full(n, np.nan)
    z = np.full(n, np.nan)
    rank = np.zeros(n, dtype=np.int64)
    metric = [""] * n
    by_account = posts.by_account()  # each in publish order
    chosen = [choose_metric(posts, idx, rules.metric) for idx in by_account]
    for a, idx in enumerate(by_account):
        value[idx] = posts.metrics[chosen[a]][idx]
        for i in idx.tolist():
            metric[i] = chosen[a]
    y_obs = np.log1p(np.where(np.isfinite(value), np.maximum(value, 0.0), np.nan))
    y = y_obs if shift is None else y_obs - shift  # the counts as if the post had no elements
    x = np.log1p(np.where(np.isfinite(age), age, 0.0))
    pooled = _pooled_slope(by_account, x, y)
    curves = {
        m: _growth_curve([idx for a, idx in enumerate(by_account) if chosen[a] == m], age, y, rules)
        for m in set(chosen)
    }
    out = Scored(
        posts,
        rules,
        value,
        age,
        expected,
        np.full(n, np.nan),
        resid,
        z,
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=bool),
        rank,
        metric,
        pooled_slope=pooled,
    )
    all_vals = value[np.isfinite(value)]
    for a, idx in enumerate(by_account):
        ok = idx[np.isfinite(y[idx])]
        key = posts.account_keys[a]
        acc = AccountScore(
            index=a,
            name=posts.account_names[a],
            key=key,
            platform=key.split(":", 1)[0],
            posts=int(ok.size),
            metric=chosen[a],
            median=float(np.median(value[ok])) if ok.size else math.nan,
            spread=math.nan,
            slope=math.nan,
            slope_from="none",
            followers=posts.account_followers[a],
            verdict=False,
        )
        out.accounts.append(acc)
        if ok.size:
            oks = np.sort(ok)
            order = np.argsort(-value[oks], kind="stable")
            rank[oks[order]] = np.arange(1, ok.size + 1)
        if ok.size < rules.min_posts:
            acc.reason = tr(
                f"only {ok.size} post(s) with a {chosen[a]} count; at least {rules.min_posts} "
                "are needed for a verdict",
                f"只有 {ok.size} 条作品有{_METRIC_ZH.get(chosen[a], chosen[a])}数，"
                f"至少需要 {rules.min_posts} 条才下结论",
            )
            continue
        curve = curves[chosen[a]]
        b, src = _account_slope(posts, ok, x, y, pooled, curve)
        if src == "curve" and curve is not None:
            b = min(max(b, -0.5), MAX_SLOPE)  # a correction to the shared curve
            g = curve[ok] + b * x[ok]
        else:
            b = min(max(b, 0.0), MAX_SLOPE)  # counts never shrink with age; beyond ~1.5: bad data
            g = b * x[ok]
        acc.slope, acc.slope_from = b, src
        # baseline: rolling median of the age-adjusted values, in publish order, self excluded
        po = ok  # by_account() keeps publish order; g is aligned with it
        adj = y[po] - g
        center = _rolling_median_loo(adj, rules.window)
        exp_log = center + g
        r = y[po] - exp_log  # = y_obs - (exp_log + shift): the shift cancels
        if shift is not None:
            exp_log = exp_log + shift[po]
        mad = float(np.median(np.abs(r - np.median(r))))
        spread = max(1.4826 * mad, 0.1)
        acc.spread = spread
        acc.verdict = True
        expected[po] = np.expm1(exp_log)
        resid[po] = r
        z[po] = r / spread
    ratio = np.where(np.isfinite(resid), (value + 1.0) / (expected + 1.0), np.nan)
    out.ratio = ratio
    floor = np.full(n, np.nan)
    for m in sorted(set(chosen)):
        judged = [a for a in out.accounts if a.verdict and a.metric == m]
        f = tail_floor(ratio, [by_account[a.index] for a in judged], rules)
        for acc in judged:
            acc.floor = f
            floor[by_account[acc.index]] = f
    with np.errstate(invalid="ignore"):
        hit = (ratio >= floor) & (z >= rules.min_z)
    out.hit = hit
    med_of_medians = (
        float(np.median([a.median for a in out.accounts if a.verdict]))
        if any(a.verdict for a in out.accounts)
        else math.nan
    )
    p75 = float(np.percentile(all_vals, 75)) if all_vals.size else math.nan
    hidden = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(hit):
        acc = out.accounts[int(posts.account[i])]
        small = acc.median < med_of_medians and value[i] < p75
        hidden[i] = rank[i] > rules.top_n or small
    out.hidden = hidden
    per_account = np.bincount(posts.account[hit], minlength=len(out.accounts))
    for acc in out.accounts:
        acc.hits = int(per_account[acc.index])
    if np.isnan(age).any():
        k = int(np.isnan(age).sum())
        out.notes.append(
            tr(
                f"{k} post(s) have no publish date: compared without an age correction",
                f"{k} 条作品没有发布时间：比较时不做作品年龄校正",
            )
        )
    if any(posts.published_estimated):
        out.notes.append(
            tr(
                "some publish times are estimates (first time seen), so ages are lower bounds",
                "部分发布时间是估计值（首次出现时间），作品年龄只是下限",
            )
        )
    return out


def tail_floor(ratio: FloatArray, groups: list[np.ndarray], rules: HitRules) -> float:
    """``max(min_ratio, exp(tail_scale · T))`` capped at ``tail_cap · min_ratio``, ``T`` the ``1 - tail_level`` quantile of the
    mirrored lower tail of the log ratios of these accounts' posts (the empirical null)."""
    if not groups:
        return rules.min_ratio
    lr = np.log(ratio[np.concatenate(groups)])
    lr = lr[np.isfinite(lr)]
    if lr.size < MIN_TAIL_POSTS:
        return rules.min_ratio
    t = float(np.quantile(-lr, 1.0 - rules.tail_level))
    raised = math.exp(rules.tail_scale * max(t, 0.0))
    return min(max(rules.min_ratio, raised), rules.tail_cap * rules.min_ratio)


def _pooled_slope(by_account: list[np.ndarray], x: FloatArray, y: FloatArray) -> float:
    sxy = sxx = 0.0
    for idx in by_account:
        ok = idx[np.isfinite(y[idx])]
        if ok.size < 3:
            continue
        xc = x[ok] - x[ok].mean()
        sxy += float(xc @ (y[ok] - y[ok].mean()))
        sxx += float(xc @ xc)
    return sxy / sxx if sxx > 1e-9 else 0.0


def _growth_curve(
    groups: list[np.ndarray], age: FloatArray, y: FloatArray, rules: HitRules
) -> FloatArray | None:
    """``g(age)`` for every post (nan-free; 0 for unknown ages), or None with too few mature posts.

    Each account with >= 3 mature posts gives ``y - its mature median`` for its posts; the curve is
    the median of those per age bin (bins with < 5 posts borrow from the next older bin), made
    non-decreasing with age and at most 0, read off by linear interpolation in log-age."""
    edges = np.asarray(CURVE_EDGES)
    nb = edges.size  # bins 0..nb-2 young, nb-1 mature
    d_parts: list[FloatArray] = []
    b_parts: list[np.ndarray] = []
    for idx in groups:
        ok = idx[np.isfinite(y[idx]) & np.isfinite(age[idx])]
        if ok.size < rules.min_posts:
            continue
        mature = ok[age[ok] >= MATURE_DAYS]
        if mature.size < 3:
            continue
        d_parts.append(y[ok] - float(np.median(y[mature])))
        b_parts.append(np.searchsorted(edges, age[ok], side="right") - 1)
    if not d_parts:
        return None
    d = np.concatenate(d_parts)
    bins = np.minimum(np.concatenate(b_parts), nb - 1)
    if d.size < MIN_CURVE_POSTS:
        return None
    level = np.zeros(nb)
    for k in range(nb - 2, -1, -1):
        sel = d[bins == k]
        med = float(np.median(sel)) if sel.size >= 5 else level[k + 1]
        level[k] = min(med, level[k + 1], 0.0)  # younger never above older; mature is 0
    centers = np.log1p(np.append((edges[:-1] + edges[1:]) / 2, MATURE_DAYS))
    out = np.zeros(age.size)
    known = np.isfinite(age)
    out[known] = np.interp(np.log1p(age[known]), centers, level)
    return out


def _account_slope(
    posts: Posts,
    ok: np.ndarray,
    x: FloatArray,
    y: FloatArray,
    pooled: float,
    curve: FloatArray | None = None,
) -> tuple[float, str]:
    """With a shared growth curve, the account's own linear correction to it (shrunk toward 0);
    else within-post growth from snapshots when >= 3 posts have several readings; else the
    spread of ages across posts (shrunk toward the pooled slope by its precision).

    The curve comes first even when posts were read several times: a straight line in log-age
    through a post's readings cannot follow growth that saturates or takes off late, and on the
    development sets with several readings per post (dev3 seed 21, dev4) the curve gave hidden
    precision / recall 0.91 / 0.93 against 0.84 / 0.84 from the snapshot slope; a correction to
    the curve estimated from the snapshots did no better (benchmarks/RESULTS-accounts.md)."""
    if curve is not None:
        xs, ys = x[ok], y[ok] - curve[ok]
        xc = xs - xs.mean()
        s = float(xc @ xc)
        if s < 1e-6:
            return 0.0, "curve"
        return float(xc @ (ys - ys.mean())) / (s + 4.0), "curve"
    sxy = sxx = 0.0
    grown = 0
    for i in ok:
        g = posts.growth[i]
        if len(g) >= 2:
            gx = np.log1p(np.asarray([a for a, _ in g]))
            gy = np.log1p(np.asarray([v for _, v in g]))
            xc = gx - gx.mean()
            if float(xc @ xc) > 1e-9:
                sxy += float(xc @ (gy - gy.mean()))
                sxx += float(xc @ xc)
                grown += 1
    if grown >= 3 and sxx > 1e-9:
        return sxy / sxx, "snapshots"
    xs, ys = x[ok], y[ok]
    xc = xs - xs.mean()
    s = float(xc @ xc)
    if s < 1e-6:
        return pooled, "pooled"
    own = float(xc @ (ys - ys.mean())) / s
    w = s / (s + 4.0)  # little age spread -> lean on the pooled slope
    return w * own + (1 - w) * pooled, "ages"


def _rolling_median_loo(v: FloatArray, k: int) -> FloatArray:
    """Median of up to k values on each side (the value itself left out); edges use what exists."""
    n = v.size
    out = np.empty(n)
    if n <= 2 * k + 1:
        for i in range(n):
            out[i] = np.median(np.delete(v, i))
        return out
    pad = np.concatenate([np.full(k, np.nan), v, np.full(k, np.nan)])
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * k + 1).copy()
    win[:, k] = np.nan
    # median of each row's finite values: sort (nan last), take the middle one or two
    win.sort(axis=1)
    c = np.isfinite(win).sum(axis=1)
    rows = np.arange(n)
    med: FloatArray = (win[rows, (c - 1) // 2] + win[rows, c // 2]) / 2.0
    return med


def engagement(posts: Posts, i: int) -> dict[str, float]:
    """Per-view rates of the post (likes, comments, shares, favourites, coins) and per follower."""
    views = posts.metrics["views"][i]
    out: dict[str, float] = {}
    if np.isfinite(views) and views > 0:
        for m in ENGAGEMENT:
            v = posts.metrics[m][i]
            if np.isfinite(v):
                out[f"{m}_per_view"] = float(v / views)
        fol = posts.account_followers[int(posts.account[i])]
        if fol:
            out["views_per_follower"] = float(views / fol)
    return out


def account_rate_medians(posts: Posts, a: int) -> dict[str, float]:
    return all_rate_medians(posts)[a]


def all_rate_medians(posts: Posts) -> list[dict[str, float]]:
    """Per account, the median of each per-view rate over its posts (>= 3 posts with both counts),
    for every account at once: one sort per rate instead of a median per account."""
    n_acc = len(posts.account_keys)
    out: list[dict[str, float]] = [{} for _ in range(n_acc)]
    views = posts.metrics["views"]
    for m in ENGAGEMENT:
        v = posts.metrics[m]
        with np.errstate(invalid="ignore", divide="ignore"):
            ok = np.isfinite(v) & np.isfinite(views) & (views > 0)
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            continue
        rate = v[idx] / views[idx]
        acc = posts.account[idx]
        order = np.lexsort((rate, acc))
        acc_s, rate_s = acc[order], rate[order]
        counts = np.bincount(acc_s, minlength=n_acc)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        for a in np.flatnonzero(counts >= 3).tolist():
            c, s0 = int(counts[a]), int(starts[a])
            med = (rate_s[s0 + (c - 1) // 2] + rate_s[s0 + c // 2]) / 2.0
            out[a][f"{m}_per_view"] = float(med)
    return out


def p_value(z: float) -> float:
    return 1.0 - _ND.cdf(z) if math.isfinite(z) else math.nan


_METRIC_ZH = {
    "views": "播放",
    "likes": "点赞",
    "comments": "评论",
    "shares": "分享",
    "favorites": "收藏",
}


def explain(
    s: Scored, i: int, *, lang: str = "en", cache: dict[int, dict[str, float]] | None = None
) -> tuple[str, str]:
    """(why, hidden_reason) in one line each."""
    acc = s.accounts[int(s.posts.account[i])]
    m = s.metric[i]
    age = s.age[i]
    age_txt = (
        f"day {age:.0f}"
        if math.isfinite(age) and age >= 1
        else (f"{age * 24:.0f} h" if math.isfinite(age) else "age unknown")
    )
    rates = engagement(s.posts, i)
    cache = {} if cache is None else cache
    if acc.index not in cache:
        cache.update(enumerate(all_rate_medians(s.posts)))
    med_rates = cache[acc.index]
    best = None
    for k, v in rates.items():
        rel = v / med_rates[k] if med_rates.get(k) else 0.0
        if rel >= 1.5 and (best is None or rel > best[1]):
            best = (k, rel)
    hidden = ""
    if s.hidden[i]:
        if s.rank[i] > s.rules.top_n:
            hidden = (
                f"ranks #{s.rank[i]} of {acc.posts} by raw {m}: sorting would not show it"
                if lang != "zh"
                else f"按{_METRIC_ZH.get(m, m)}排序只排第{s.rank[i]}/{acc.posts}，直接排序看不到"
            )
        else:
            hidden = (
                f"small account (median {acc.median:,.0f} {m}): a hit small in absolute terms"
                if lang != "zh"
                else f"小账号（中位数{acc.median:,.0f}），绝对量不大的爆款"
            )
    el_note = _element_note(s, i, lang)
    if lang == "zh":
        why = (
            f"{s.ratio[i]:.1f}倍于本账号同龄作品基线（{s.value[i]:,.0f} 对 {s.expected[i]:,.0f}，{age_txt}），"
            f"z={s.z[i]:.1f}，基于{acc.posts}条作品"
        )
        if best:
            why += f"；{best[0].replace('_per_view', '')}/播放 为账号中位数的{best[1]:.1f}倍"
    else:
        why = (
            f"{s.ratio[i]:.1f}x its account's baseline at the same age ({s.value[i]:,.0f} vs "
            f"{s.expected[i]:,.0f} {m} at {age_txt}), z={s.z[i]:.1f} over {acc.posts} posts"
        )
        if best:
            why += f"; {best[0].replace('_', ' ')} {best[1]:.1f}x the account median"
    return why + el_note, hidden


def _element_note(s: Scored, i: int, lang: str) -> str:
    """The part of the expected count that the post's title elements account for, if any."""
    if s.shift is None or s.element_member is None or abs(float(s.shift[i])) < 0.01:
        return ""
    names = [e for e, on in zip(s.element_effects, s.element_member[i], strict=True) if on]
    mult = math.exp(float(s.shift[i]))
    if lang == "zh":
        return f"；基线已计入标题元素（{'、'.join(names)}）的 {mult:.2f} 倍"
    return f"; the baseline includes x{mult:.2f} for its elements ({', '.join(names)})"
