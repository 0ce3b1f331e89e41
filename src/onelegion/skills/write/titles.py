"""Titles from patterns: the built-in shapes below and the patterns mined by an accounts analysis
(--from-elements), filled with the topic and ranked by pattern lift, fit to the platform's title
limit, length and clean copy (a title with a 广告法 term sinks)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from onelegion.skills.write.check import check_text
from onelegion.skills.write.grounding import Grounding
from onelegion.skills.write.models import TitleIdea
from onelegion.skills.write.platforms import Platform

# Built-in shapes common on Chinese platforms. Their lift is 1.0 (no evidence); mined patterns with
# lift > 1 outrank them. Patterns needing {audience} are used only when an audience is given.
BUILTIN: tuple[str, ...] = (
    "{n}个{topic}小技巧，{audience}一定要知道",
    "{n}个{topic}小技巧，看完少走弯路",
    "{topic}｜我踩过的{n}个坑",
    "三分钟看懂{topic}",
    "{topic}新手入门指南",
    "{year}年{topic}攻略",
    "关于{topic}，这{n}件事很多人不知道",
    "{audience}的{topic}清单",
    "为什么你的{topic}总是没效果？",
    "{topic}避坑指南",
    "亲测有用的{topic}方法",
    "{topic}怎么做？一篇讲清楚",
)
_NS = (3, 5, 7)


@dataclass
class Pattern:
    pattern: str
    lift: float
    source: str


def fill(pattern: str, topic: str, audience: str, n: int | None = None) -> str | None:
    if "{audience}" in pattern and not audience:
        return None
    if n is None:
        n = _NS[int(hashlib.sha256((pattern + topic).encode()).hexdigest(), 16) % len(_NS)]
    return (
        pattern.replace("{topic}", topic)
        .replace("{audience}", audience)
        .replace("{n}", str(n))
        .replace("{year}", str(date.today().year))
    )


def patterns(g: Grounding) -> list[Pattern]:
    out = [
        Pattern(p.pattern, p.lift, "elements")
        for p in (g.elements.title_patterns if g.elements else [])
    ]
    out += [Pattern(p, 1.0, "builtin") for p in BUILTIN]
    for hot in g.topics[:2]:
        short = hot if len(hot) <= 12 else hot[:12] + "…"
        out.append(Pattern(f"{short}，聊聊{{topic}}", 1.0, "radar"))
    return out


def score(title: str, lift: float, p: Platform) -> tuple[float, bool, list[str]]:
    limit = p.title_max or 30
    n = len(title)
    fits = n <= limit
    findings, _ = check_text(title, None)
    errs = [f"{f.text}: {f.message}" for f in findings if f.severity == "error"]
    shape = 1.0 - 0.5 * abs(min(n / limit, 1.5) - 0.8)  # about 80% of the limit reads best
    s = lift * shape * (1.0 if fits else 0.3) * (0.2 if errs else 1.0)
    return round(s, 4), fits, errs


def rank(
    topic: str,
    p: Platform,
    g: Grounding,
    audience: str,
    extra: list[str] | None = None,
    n: int | None = None,
) -> tuple[list[TitleIdea], int]:
    """Every pattern filled and scored, best first; ``n`` fixes the count in {n} (the points of a post)."""
    pats = patterns(g)
    ideas: dict[str, TitleIdea] = {}
    for pat in pats:
        t = fill(pat.pattern, topic, audience, n)
        if t is None or t in ideas:
            continue
        s, fits, errs = score(t, pat.lift, p)
        ideas[t] = TitleIdea(
            title=t,
            pattern=pat.pattern,
            source=pat.source,
            score=s,
            length=len(t),
            fits=fits,
            findings=errs,
        )
    for t in extra or []:
        t = t.strip().lstrip("#").strip()
        if t and t not in ideas:
            s, fits, errs = score(t, 1.0, p)
            ideas[t] = TitleIdea(
                title=t,
                pattern="(model)",
                source="llm",
                score=s,
                length=len(t),
                fits=fits,
                findings=errs,
            )
    ranked = sorted(ideas.values(), key=lambda i: (-i.score, i.length, i.title))
    return ranked, len(pats)
