"""Platform formats as data: one TOML table per platform (bundled in ``platforms/``, more in
``$LEGION_HOME/write/platforms/*.toml`` or the folder ``[write] platforms_dir`` names). A platform is
added by dropping a file, no code."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from onelegion.core.context import Context
from onelegion.core.errors import UserError

BUNDLED = Path(__file__).parent / "platforms"


class Platform(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="Identifier used on the command line.")
    name: str = Field(description="Chinese name.")
    name_en: str = Field(description="English name.")
    title_max: int = Field(ge=0, description="Longest title in characters (0: no title).")
    digest_max: int = Field(default=0, ge=0, description="Longest digest (摘要), 0: none.")
    body_min: int = Field(ge=0, description="Shortest body that performs, in characters.")
    body_max: int = Field(gt=0, description="Longest body the platform accepts.")
    hashtag_style: str = Field(description="How a hashtag is written, e.g. '#{tag}' or '#{tag}#'.")
    hashtags_min: int = Field(ge=0)
    hashtags_max: int = Field(ge=0)
    emoji: str = Field(pattern="^(none|few|many)$", description="Emoji habit.")
    title_emoji: bool = Field(description="Whether an emoji in the title is usual.")
    sections: list[str] = Field(default_factory=list, description="Section headings, in order.")
    tone: str = Field(description="Writing habits (Chinese), for templates and the LLM.")
    tone_en: str = Field(description="Writing habits (English).")

    def hashtag(self, tag: str) -> str:
        return self.hashtag_style.replace("{tag}", tag)


def _dirs(ctx: Context | None) -> list[Path]:
    dirs = [BUNDLED]
    if ctx is not None:
        dirs.append(ctx.workspace.parent / "write" / "platforms")
        extra = ctx.config.section("write").get("platforms_dir")
        if extra:
            dirs.append(Path(str(extra)).expanduser())
    return dirs


def load_platforms(ctx: Context | None = None) -> dict[str, Platform]:
    found: dict[str, Platform] = {}
    for d in _dirs(ctx):
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.toml")):
            try:
                p = Platform.model_validate(tomllib.loads(f.read_text(encoding="utf-8")))
            except (tomllib.TOMLDecodeError, ValidationError, UnicodeDecodeError) as e:
                first = str(e).splitlines()[0] if str(e) else type(e).__name__
                raise UserError(
                    f"platform file {f} is not valid: {first}",
                    hint="compare it with a bundled one (docs/write.md, 'Platforms')",
                ) from None
            found[p.id] = p
    return found


ALIASES = {
    "xhs": "xiaohongshu",
    "小红书": "xiaohongshu",
    "抖音": "douyin",
    "b站": "bilibili",
    "bili": "bilibili",
    "公众号": "wechat",
    "mp": "wechat",
    "微博": "weibo",
}


def get_platform(name: str, ctx: Context | None = None) -> Platform:
    plats = load_platforms(ctx)
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in plats:
        raise UserError(
            f"unknown platform {name!r}",
            hint=f"use one of: {', '.join(sorted(plats))} (or add a TOML file, see docs/write.md)",
        )
    return plats[key]
