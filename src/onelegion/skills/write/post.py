"""A post for one platform: a templated draft (rules only, marked as such) or a model's draft
grounded in the radar topics and mined elements; both are laid out by the platform table and
pass through the checker, whose automatic fixes are applied before the file is written."""

from __future__ import annotations

import re

from onelegion.core.llm import LLM
from onelegion.skills.write.grounding import Grounding, words
from onelegion.skills.write.models import Draft
from onelegion.skills.write.platforms import Platform
from onelegion.skills.write.titles import rank

_EMOJI_MANY = ("✅", "💡", "📌", "✨", "🔖", "📝")
TEMPLATE_MARK = "<!-- 模板草稿 template draft (no LLM): 【】 marks what to fill in -->"


def hashtags(
    topic: str, p: Platform, g: Grounding, audience: str, given: list[str] | None = None
) -> list[str]:
    tags: list[str] = []
    for t in [
        *(given or []),
        topic,
        *words(topic),
        *(g.elements.hashtags if g.elements else []),
        audience,
    ]:
        t = re.sub(r"[#\s]", "", t or "")
        if t and t not in tags:
            tags.append(t)
    want = max(p.hashtags_min, min(p.hashtags_max, 5))
    return tags[:want] if p.hashtags_max else []


def template_draft(
    topic: str, p: Platform, g: Grounding, audience: str, points: list[str], seed: int
) -> Draft:
    titles, _ = rank(
        topic, p, g, audience, n=len(points) if len(points) >= 2 else None if points else 3
    )
    fitting = [t for t in titles if t.fits and not t.findings]
    title = (
        (fitting or titles)[seed % max(1, min(3, len(fitting or titles)))].title
        if p.title_max
        else ""
    )
    who = audience or "大家"
    lines: list[str] = []
    hook = f"{who}好，今天聊聊{topic}。"
    if g.topics:
        hook += f"近期「{g.topics[0]}」上了热榜，正好说说{topic}。"
    lines.append(hook)
    items = points or [f"【补充：关于{topic}的第{i}个要点】" for i in (1, 2, 3)]
    for i, pt in enumerate(items):
        mark = (
            _EMOJI_MANY[(i + seed) % len(_EMOJI_MANY)] + " " if p.emoji == "many" else f"{i + 1}. "
        )
        lines.append(f"{mark}{pt}")
    if g.elements and g.elements.elements:
        best = max(g.elements.elements, key=lambda e: e.lift)
        lines.append(f"【建议：加入「{best.name}」，同类内容中表现更好（lift {best.lift:g}）】")
    closing = {"douyin": f"完整内容看视频，{topic}就这么简单。", "weibo": f"你怎么看{topic}？"}.get(
        p.id, f"以上就是我的{topic}心得，有问题评论区见。"
    )
    if p.emoji != "none":
        closing += " 🙌"
    lines.append(closing)
    if p.sections:
        body = (
            f"## {p.sections[0]}\n\n{lines[0]}\n\n## {p.sections[1] if len(p.sections) > 1 else '正文'}\n\n"
            + "\n\n".join(lines[1:-1])
        )
        body += (
            f"\n\n## {p.sections[-1]}\n\n{lines[-1]}" if len(p.sections) > 2 else f"\n\n{lines[-1]}"
        )
    else:
        body = "\n\n".join(lines)
    return Draft(
        title=title, body=body, hashtags=hashtags(topic, p, g, audience), drew_on=g.drew_on()
    )


def llm_draft(
    llm: LLM, topic: str, p: Platform, g: Grounding, audience: str, points: list[str]
) -> Draft:
    ctx_lines = [
        f"平台 Platform: {p.name} ({p.name_en})",
        f"标题上限 title ≤ {p.title_max} 字" if p.title_max else "无标题 no title",
    ]
    ctx_lines.append(
        f"正文 {p.body_min}–{p.body_max} 字; 话题 {p.hashtags_min}–{p.hashtags_max} 个; emoji: {p.emoji}"
    )
    ctx_lines.append(f"风格 tone: {p.tone}")
    if p.sections:
        ctx_lines.append("分节 sections (use '## ' headings): " + " / ".join(p.sections))
    if audience:
        ctx_lines.append(f"读者 audience: {audience}")
    if points:
        ctx_lines.append("必须包含的事实 facts to include:\n" + "\n".join(f"- {x}" for x in points))
    if g.topics:
        ctx_lines.append(
            "雷达热点 hot topics now (use if relevant):\n" + "\n".join(f"- {x}" for x in g.topics)
        )
    if g.elements:
        if g.elements.title_patterns:
            ctx_lines.append(
                "高表现标题模式 title patterns that did well:\n"
                + "\n".join(
                    f"- {x.pattern} (lift {x.lift:g})" for x in g.elements.title_patterns[:8]
                )
            )
        if g.elements.elements:
            ctx_lines.append(
                "高表现元素 elements that did well:\n"
                + "\n".join(f"- {x.name} (lift {x.lift:g})" for x in g.elements.elements[:8])
            )
    prompt = (
        f"为这个主题写一篇帖子 Write one post about: {topic}\n\n"
        + "\n".join(ctx_lines)
        + "\n\n规则: 不得使用广告法绝对化用语（最、第一、唯一、国家级、顶级等）、医疗用语和站外导流；不要编造数据。"
        " hashtags 不带 #。drew_on 列出你用到的输入（热点、模式、元素）。"
    )
    d = llm.ask(prompt, output_type=Draft, system="你是一位熟悉中国各内容平台规则的资深文案。")
    known = g.drew_on()
    d.drew_on = [*d.drew_on, *(k for k in known if k not in d.drew_on)]
    d.hashtags = [re.sub(r"[#\s]", "", h) for h in d.hashtags if re.sub(r"[#\s]", "", h)]
    d.hashtags = list(dict.fromkeys(d.hashtags))
    if len(d.hashtags) < p.hashtags_min:
        d.hashtags = hashtags(topic, p, g, audience, given=d.hashtags)
    return d


def compose(d: Draft, p: Platform, *, template: bool) -> str:
    parts = []
    if p.title_max and d.title:
        parts.append(f"# {d.title}")
    if p.digest_max:
        first = re.split(r"(?<=[。！？!?])", re.sub(r"^#+.*$", "", d.body, flags=re.M).strip())[
            0
        ].strip()
        parts.append(f"摘要：{first[: p.digest_max]}")
    parts.append(d.body.strip())
    tags = list(dict.fromkeys(d.hashtags))[: p.hashtags_max] if p.hashtags_max else []
    if tags:
        parts.append(" ".join(p.hashtag(t) for t in tags))
    if template:
        parts.append(TEMPLATE_MARK)
    return "\n\n".join(parts) + "\n"
