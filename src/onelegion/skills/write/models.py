"""Input and output models of the copywriting skills (pydantic only at import time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from onelegion.core.skill import InputFile, OutputFile

_PLATFORM = "Platform: xiaohongshu (小红书), douyin (抖音), bilibili (B站), wechat (公众号), weibo (微博), or one you added as TOML."
_RADAR = "A radar digest to ground the copy in: the JSON of `legion radar digest --json` or its digest.md."
_ELEMENTS = "An elements report (JSON: title_patterns, elements, hashtags; format in docs/write.md), e.g. from `legion accounts`."


class Finding(BaseModel):
    rule: str = Field(
        description="ad_law.<category>, platform.<category>, user.banned, limit.*, hashtag.*, style.*"
    )
    severity: Literal["error", "warning"] = Field(
        description="error: must change; warning: should."
    )
    line: int = Field(description="Line (1-based); 0 when the finding is about the whole draft.")
    column: int = Field(description="Column in characters (1-based); 0 for whole-draft findings.")
    offset: int = Field(description="Character offset in the text; -1 for whole-draft findings.")
    length: int = Field(description="Characters the finding covers.")
    text: str = Field(description="The text found (with the following character for 最).")
    message: str = Field(description="What is wrong and the rule behind it.")
    suggestion: str = Field(
        description="The replacement, '(删除 delete)', or empty when there is no automatic fix."
    )


class WriteCheckIn(BaseModel):
    path: InputFile = Field(description="The draft (Markdown or text, UTF-8); never modified.")
    platform: str | None = Field(
        default=None, description=_PLATFORM + " Without it only terms are checked."
    )
    banned: InputFile | None = Field(
        default=None,
        description="Your own banned words: one a line, optionally 'word<TAB>replacement'.",
    )
    fix: bool = Field(
        default=False, description="Also write the draft with every automatic fix applied."
    )
    output: OutputFile | None = Field(
        default=None,
        description="Where the fixed draft goes (default: <draft>.fixed.md beside it; implies --fix).",
    )


class WriteCheckOut(BaseModel):
    path: Path = Field(description="The draft checked.")
    platform: str | None = Field(description="The platform whose limits were applied.")
    characters: int = Field(description="Body length as the platform counts it.")
    title: str = Field(description="The title found.")
    errors: int = Field(description="Findings that must change (广告法, banned words, limits).")
    warnings: int = Field(description="Findings that should change.")
    findings: list[Finding] = Field(description="Every finding, in text order.")
    fixed: Path | None = Field(default=None, description="The fixed draft, when --fix.")
    fixes_applied: int = Field(default=0, description="Automatic fixes written to the fixed draft.")
    remaining_after_fix: int = Field(default=0, description="Findings the fixed draft still has.")
    report: Path | None = Field(default=None, description="The HTML report.")

    def __rich__(self) -> Any:
        from onelegion.skills.write.terminal import check_view

        return check_view(self)


class Draft(BaseModel):
    """What a model (or the templates) must produce for one platform."""

    title: str = Field(description="The title (respect the platform's title limit).")
    body: str = Field(
        description="The body text, in Chinese unless told otherwise, without hashtags."
    )
    hashtags: list[str] = Field(description="Hashtags without '#'.")
    drew_on: list[str] = Field(
        default_factory=list, description="The inputs this draft used (topics, patterns, elements)."
    )


class PostDraft(BaseModel):
    platform: str = Field(description="Platform id.")
    title: str = Field(description="Title.")
    text: str = Field(description="The whole post as written to the file.")
    file: Path = Field(description="The Markdown file of this post.")
    source: Literal["template", "llm"] = Field(
        description="template: rules only (no LLM); llm: written by the model."
    )
    drew_on: list[str] = Field(
        description="What the draft drew on: radar topics, title patterns, elements."
    )
    errors: int = Field(description="Checker errors left in the draft.")
    warnings: int = Field(description="Checker warnings left in the draft.")
    findings: list[Finding] = Field(
        default_factory=list, description="What the checker still finds."
    )
    fixes_applied: int = Field(default=0, description="Checker fixes applied before saving.")


class WritePostIn(BaseModel):
    topic: str = Field(
        min_length=1, max_length=200, description="What the post is about, e.g. 春季防晒."
    )
    platform: list[str] = Field(
        default_factory=lambda: ["xiaohongshu"], description=_PLATFORM + " Repeat for several."
    )
    from_radar: InputFile | None = Field(default=None, description=_RADAR)
    from_elements: InputFile | None = Field(default=None, description=_ELEMENTS)
    point: list[str] = Field(
        default_factory=list,
        description="Facts or selling points to include (repeatable), one each.",
    )
    audience: str = Field(
        default="", max_length=40, description="Who it is for, e.g. 学生党, 上班族."
    )
    llm: bool = Field(
        default=True,
        description="Use the configured LLM when there is one (--no-llm: templates only).",
    )
    output: OutputFile | None = Field(
        default=None,
        description="Where the posts go: posts/post.md writes posts/post.xiaohongshu.md, posts/post.douyin.md… (default: post.<platform>.md in the run folder).",
    )
    seed: int = Field(
        default=0, ge=0, description="Picks among template variants (same seed, same post)."
    )


class WritePostOut(BaseModel):
    topic: str = Field(description="The topic.")
    posts: list[PostDraft] = Field(description="One draft per platform.")
    llm_model: str | None = Field(default=None, description="The model used, if any.")
    note: str | None = Field(
        default=None, description="Why the templates were used, when they were."
    )
    report: Path | None = Field(default=None, description="The HTML report.")

    def __rich__(self) -> Any:
        from onelegion.skills.write.terminal import post_view

        return post_view(self)


class TitleIdea(BaseModel):
    title: str = Field(description="The title.")
    pattern: str = Field(description="The pattern it follows.")
    source: str = Field(description="builtin, elements (mined), or llm.")
    score: float = Field(
        description="Rank score (pattern lift x fit to the platform x clean copy)."
    )
    length: int = Field(description="Characters.")
    fits: bool = Field(description="Within the platform's title limit.")
    findings: list[str] = Field(
        default_factory=list, description="Checker findings (广告法 terms…)."
    )


class WriteTitlesIn(BaseModel):
    topic: str = Field(min_length=1, max_length=100, description="What the titles are about.")
    platform: str = Field(default="xiaohongshu", description=_PLATFORM)
    n: int = Field(default=10, ge=1, le=100, description="How many titles.")
    from_elements: InputFile | None = Field(default=None, description=_ELEMENTS)
    from_radar: InputFile | None = Field(default=None, description=_RADAR)
    audience: str = Field(default="", max_length=40, description="Who it is for, e.g. 学生党.")
    llm: bool = Field(
        default=True, description="Let the configured LLM add titles (ranked with the rest)."
    )


class WriteTitlesOut(BaseModel):
    topic: str
    platform: str
    titles: list[TitleIdea] = Field(description="Best first.")
    patterns_used: int = Field(description="Patterns tried (built-in + mined).")
    note: str | None = None

    def __rich__(self) -> Any:
        from onelegion.skills.write.terminal import titles_view

        return titles_view(self)
