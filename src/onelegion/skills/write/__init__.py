"""Copy: platform-shaped posts and titles, and the 广告法/platform checker. 文案

- ``write.check``  广告法 absolute/prohibited terms, platform rules and limits, your banned words; fixes
- ``write.post``   a post per platform, grounded in a radar digest and an elements report
- ``write.titles`` titles from built-in and mined patterns, ranked

Deterministic without an LLM (templates + rules); a configured LLM writes the drafts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.write.models import (
    WriteCheckIn,
    WriteCheckOut,
    WritePostIn,
    WritePostOut,
    WriteTitlesIn,
    WriteTitlesOut,
)

_SAMPLES = Path(__file__).parent / "samples"


def _demo_post(demo_dir: Path) -> dict[str, Any]:
    import shutil

    shutil.copyfile(_SAMPLES / "elements.json", demo_dir / "elements.json")
    return {
        "topic": "春季防晒",
        "platform": ["xiaohongshu", "douyin"],
        "from_elements": str(demo_dir / "elements.json"),
        "point": [
            "出门前15分钟涂，用量一元硬币大小",
            "户外每2小时补涂一次",
            "阴天紫外线依然强，也要涂",
        ],
        "audience": "上班族",
        "llm": False,
        "output": str(demo_dir / "posts" / "post.md"),
    }


@skill(
    "write.check",
    title="Check copy",
    summary="Check a draft for 广告法 absolute and prohibited terms, platform rules (导流, 诱导互动), length and hashtag limits and your own banned words; every finding with its position and a fix.",
    version="1",
    examples=(
        "legion write check draft.md --platform douyin",
        "legion write check draft.md --platform xiaohongshu --banned mywords.txt --fix",
    ),
)
def write_check(ctx: Context, params: WriteCheckIn) -> WriteCheckOut:
    """Deterministic (no LLM). The term list (docs/write.md) follows 广告法 第九条 (绝对化用语,
    国家级/最高级/最佳), 第十六/十七条 (医疗用语), 第二十五/二十八条 (收益承诺, 虚假宣传); ordinal uses
    such as 第一次 and time words such as 最近 are allowed. --fix writes <draft>.fixed.md with every
    replacement applied; the input is never modified. Writes findings.csv and report.html."""
    from onelegion.skills.write.service import run_check

    return run_check(ctx, params)


@skill(
    "write.post",
    title="Write a post",
    summary="A post per platform (小红书, 抖音, B站, 公众号, 微博…) shaped by the platform's table, grounded in a radar digest and an elements report, checked and fixed.",
    version="1",
    examples=(
        "legion write post --topic 春季防晒 --platform xiaohongshu --platform douyin",
        'legion write post --topic 春季防晒 --from-radar digest.json --from-elements report.json --point "SPF30 够日常"',
    ),
    demo=_demo_post,
    demo_order=60,
    llm_calls=3,
)
def write_post(ctx: Context, params: WritePostIn) -> WritePostOut:
    """With an LLM configured the model writes each draft (structured output) from the topic, your
    points, the related radar topics and the mined patterns and elements, and lists what it drew on.
    Without one, a template lays out the post and marks it as a template draft (【】 = fill in).
    Every draft then passes write.check; its automatic fixes are applied before saving."""
    from onelegion.skills.write.service import run_post

    return run_post(ctx, params)


@skill(
    "write.titles",
    title="Write titles",
    summary="Titles following built-in and mined patterns (--from-elements), ranked by pattern lift, fit to the platform's limit and clean copy.",
    version="1",
    examples=(
        "legion write titles --topic 春季防晒 --n 10",
        "legion write titles --topic 春季防晒 --platform douyin --from-elements report.json",
    ),
    llm_calls=1,
)
def write_titles(ctx: Context, params: WriteTitlesIn) -> WriteTitlesOut:
    """Each pattern is filled with the topic (and --audience); a title longer than the platform
    allows or containing a 广告法 term sinks. A configured LLM adds titles, ranked with the rest."""
    from onelegion.skills.write.service import run_titles

    return run_titles(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [write_check, write_post, write_titles]
