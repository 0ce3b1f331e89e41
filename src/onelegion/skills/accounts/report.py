"""report.html: per-account scatter of posts against their baseline with hits marked, element lifts
with their intervals, title patterns, hit examples linked to the posts; plus hits.csv and
elements.csv."""

from __future__ import annotations

import math
import shutil

import numpy as np

from onelegion.core.context import Context
from onelegion.reports.charts import PALETTE
from onelegion.reports.html import cards, details, esc, page, section, table
from onelegion.skills.accounts.hits import Scored
from onelegion.skills.accounts.models import Element, Hit, Pattern, ReportIn, ReportOut
from onelegion.skills.accounts.service import (
    ELEMENT_COLUMNS,
    HIT_COLUMNS,
    element_csv_rows,
    element_models,
    elements_result,
    hit_csv_row,
    hit_rows,
    lang,
    scored_posts,
    verdicts,
    write_csv,
    write_text,
)


def run_report(ctx: Context, params: ReportIn) -> ReportOut:
    s, mask = scored_posts(ctx, params)
    language = lang(ctx)
    hits = hit_rows(s, mask, language)
    res = elements_result(ctx, s, mask, params.min_support, params.level, params.radar)
    els, pats = element_models(res)
    hits_csv = ctx.path("hits.csv")
    write_csv(hits_csv, HIT_COLUMNS, [hit_csv_row(h) for h in hits])
    ctx.artifact("hits.csv", hits_csv, description="Every hit with its numbers and explanation")
    el_csv = ctx.path("elements.csv")
    write_csv(el_csv, ELEMENT_COLUMNS, element_csv_rows(els))
    ctx.artifact(
        "elements.csv", el_csv, description="Every element with lift, effect and intervals"
    )
    html = render(s, mask, hits, els, pats, params, res.notes, language)
    out = ctx.path("report.html")
    write_text(out, html)
    ctx.artifact("report.html", out, description="Accounts report (self-contained HTML)")
    if params.output is not None:
        tmp = params.output.with_name(f".{params.output.name}.tmp")
        shutil.copyfile(out, tmp)
        tmp.replace(params.output)
    return ReportOut(
        report=str(params.output or out),
        hits_csv=str(hits_csv),
        elements_csv=str(el_csv),
        posts=int(mask.sum()),
        hits=len(hits),
        hidden_hits=sum(h.hidden for h in hits),
        significant_elements=[e.element for e in els if e.significant],
    )


def render(
    s: Scored,
    mask: np.ndarray,
    hits: list[Hit],
    els: list[Element],
    pats: list[Pattern],
    params: ReportIn,
    notes: list[str],
    language: str,
) -> str:
    zh = language == "zh"
    vs = verdicts(s)
    judged = [v for v in vs if v.verdict]
    body = [
        cards(
            [
                ("posts 作品", f"{int(mask.sum()):,}"),
                ("accounts with a verdict 有结论账号", f"{len(judged)} / {len(vs)}"),
                ("hits 爆款", len(hits)),
                ("hidden hits 隐藏爆款", sum(h.hidden for h in hits)),
                ("significant elements 显著元素", sum(e.significant for e in els)),
            ]
        ),
        '<p class="muted">'
        + esc(
            "每条作品与本账号同龄作品的滚动中位数比较；爆款需同时超过倍数和稳健z阈值。"
            if zh
            else "Each post is compared with the rolling median of its own account's posts at the same "
            "age; a hit must pass both the ratio and the robust-z thresholds."
        )
        + f" (ratio ≥ {params.min_ratio:g}, z ≥ {params.min_z:g}, ≥ {params.min_posts} posts)</p>",
    ]
    # hits
    rows = [
        [
            h.account,
            f'<a href="{esc(h.url)}">{esc(h.title)}</a>' if h.url else esc(h.title),
            f"{h.value:,.0f}",
            f"{h.baseline:,.0f}",
            f"{h.ratio:.1f}",
            h.band,
            "✓" if h.hidden else "",
            esc(h.why + (f" — {h.hidden_reason}" if h.hidden_reason else "")),
        ]
        for h in hits[:300]
    ]
    body.append(
        section(
            "Hits 爆款（隐藏爆款标 ✓）",
            table(
                [
                    "account 账号",
                    "post 作品",
                    "count",
                    "baseline 基线",
                    "ratio 倍数",
                    "band",
                    "hidden 隐藏",
                    "why 原因",
                ],
                rows,
                numeric=(2, 3, 4),
                raw=(1, 7),
            )
            if rows
            else '<p class="muted">no hits in scope 没有爆款</p>',
        )
    )
    # per-account scatter
    top = [v for v in judged if v.hits > 0][: params.max_accounts] or judged[: params.max_accounts]
    name_to_idx = {a.name: a.index for a in s.accounts}
    plots = [scatter(s, mask, name_to_idx[v.account], v.account) for v in top]
    body.append(section("Accounts: posts vs baseline 账号：作品与基线", *plots))
    # elements
    erows = []
    for e in els:
        eff = (
            "—"
            if not math.isfinite(e.effect)
            else f"{e.effect:.2f}× [{e.effect_ci[0]:.2f}, {e.effect_ci[1]:.2f}]"
        )
        erows.append(
            [
                esc(e.label),
                e.posts,
                e.hits,
                f"{e.hit_rate:.1%} [{e.hit_rate_ci[0]:.1%}, {e.hit_rate_ci[1]:.1%}]",
                f"{e.base_rate:.1%}",
                lift_bar(e),
                eff,
                f"{e.q:.3f}" if math.isfinite(e.effect) else "too thin 证据不足",
                "✓" if e.significant else "",
            ]
        )
    body.append(
        section(
            "Elements 爆款元素",
            '<p class="muted">'
            + esc(
                "over-performers = posts that pass the hit rule against their account's baseline "
                "before title elements are counted (the hits above have them counted); lift = "
                "over-performer rate with / without (95% interval); effect = multiplier on the count vs the "
                "account baseline, adjusted for account and the other elements; ✓ = significant after "
                f"false-discovery control at {params.level:g}."
            )
            + "</p>",
            table(
                [
                    "element 元素",
                    "posts",
                    "over-performers 超常",
                    "rate [95%]",
                    "without",
                    "lift [95%]",
                    "effect [95%]",
                    "q",
                    "sig.",
                ],
                erows,
                numeric=(1, 2),
                raw=(0, 5),
            ),
        )
    )
    prow = [[p.template, p.hits, p.posts, f"{p.lift:.1f}", " · ".join(p.examples)] for p in pats]
    body.append(
        section(
            "Title patterns among over-performers 超常作品标题模板",
            table(
                ["template 模板", "over-performers", "posts", "lift", "examples 例子"],
                prow,
                numeric=(1, 2, 3),
            )
            if prow
            else '<p class="muted">—</p>',
        )
    )
    no = [v for v in vs if not v.verdict]
    if no:
        body.append(
            details(
                f"{len(no)} account(s) without a verdict (too few posts) 证据不足的账号",
                table(
                    ["account", "posts", "reason"],
                    [[v.account, v.posts, v.reason] for v in no[:500]],
                    numeric=(1,),
                ),
            )
        )
    all_notes = s.notes + notes
    if all_notes:
        body.append(
            section(
                "Notes 说明", "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in all_notes) + "</ul>"
            )
        )
    return page(
        "Accounts: hidden hits and viral elements · 对标账号爆款分析",
        body,
        lang="zh-CN" if zh else "en",
    )


def lift_bar(e: Element, width: int = 160) -> str:
    """An interval bar on a log scale from 1/8 to 8, 1 marked."""

    def pos(v: float) -> float:
        v = min(max(v, 0.125), 8.0)
        return (math.log2(v) + 3) / 6 * width

    if not math.isfinite(e.lift):
        return "—"
    lo, hi, mid = pos(e.lift_ci[0]), pos(e.lift_ci[1]), pos(e.lift)
    color = PALETTE[1] if e.lift_ci[0] > 1 else (PALETTE[3] if e.lift_ci[1] < 1 else "#8c959f")
    return (
        f'<svg width="{width + 50}" height="16" role="img" aria-label="lift">'
        f'<line x1="{width / 2:.1f}" y1="0" x2="{width / 2:.1f}" y2="16" stroke="#d0d7de"/>'
        f'<line x1="{lo:.1f}" y1="8" x2="{hi:.1f}" y2="8" stroke="{color}" stroke-width="2"/>'
        f'<circle cx="{mid:.1f}" cy="8" r="3.5" fill="{color}"/>'
        f'<text x="{width + 4}" y="12" font-size="11">{e.lift:.2f}</text></svg>'
    )


def scatter(
    s: Scored, mask: np.ndarray, a: int, name: str, width: int = 560, height: int = 260
) -> str:
    """log count (y) against log baseline (x) for one account; hits red, hidden hits ringed."""
    idx = np.flatnonzero((s.posts.account == a) & np.isfinite(s.ratio) & mask)
    if idx.size == 0:
        return ""
    x = np.log10(s.expected[idx] + 1)
    y = np.log10(s.value[idx] + 1)
    lo = float(min(x.min(), y.min()))
    hi = float(max(x.max(), y.max()))
    span = (hi - lo) or 1.0
    left, bottom, top = 50, 30, 24
    pw, ph = width - left - 10, height - bottom - top

    def px(v: float) -> float:
        return left + pw * (v - lo) / span

    def py(v: float) -> float:
        return top + ph - ph * (v - lo) / span

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" role="img" aria-label="{esc(name)}">',
        f'<text x="0" y="16" font-size="13" font-weight="600">{esc(name)} · {idx.size} posts, {int(s.hit[idx].sum())} hits</text>',
        f'<line x1="{px(lo):.1f}" y1="{py(lo):.1f}" x2="{px(hi):.1f}" y2="{py(hi):.1f}" stroke="#d0d7de" stroke-dasharray="4 3"/>',
    ]
    floor = s.accounts[a].floor
    floor = floor if math.isfinite(floor) else s.rules.min_ratio
    ratio_line = math.log10(floor)
    parts.append(
        f'<line x1="{px(lo):.1f}" y1="{py(lo + ratio_line):.1f}" x2="{px(hi - ratio_line):.1f}" y2="{py(hi):.1f}" '
        f'stroke="{PALETTE[2]}" stroke-dasharray="2 3"><title>{floor:.3g}x baseline</title></line>'
    )
    for frac in (0.0, 0.5, 1.0):
        v = lo + span * frac
        parts.append(
            f'<text x="{left - 4}" y="{py(v) + 4:.1f}" font-size="10" text-anchor="end">{10**v:,.0f}</text>'
        )
        parts.append(
            f'<text x="{px(v):.1f}" y="{height - 12}" font-size="10" text-anchor="middle">{10**v:,.0f}</text>'
        )
    parts.append(
        f'<text x="{left + pw / 2}" y="{height - 1}" font-size="10" text-anchor="middle">baseline 基线 →</text>'
    )
    for k, i in enumerate(idx):
        h = bool(s.hit[i])
        color = PALETTE[3] if h else PALETTE[0]
        title = (
            f"{s.posts.title[i]} · {s.value[i]:,.0f} vs {s.expected[i]:,.0f} ({s.ratio[i]:.1f}x)"
        )
        ring = f' stroke="{PALETTE[4]}" stroke-width="2"' if s.hidden[i] else ""
        parts.append(
            f'<circle cx="{px(float(x[k])):.1f}" cy="{py(float(y[k])):.1f}" r="{4 if h else 2.5}" fill="{color}" '
            f'fill-opacity="{0.9 if h else 0.45}"{ring}><title>{esc(title)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
