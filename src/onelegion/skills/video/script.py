"""The video script: Markdown, one section per scene.

    # 三分钟看懂春季防晒          ← the title (title card, cover)
    ## 为什么要防晒                ← a scene; its heading names it
    春天紫外线已经很强……           ← narration (every other line)
    ![](clips/beach.mp4)           ← its media (or: media: photo.jpg / 素材: photo.jpg)

Without ``##`` headings every paragraph is a scene.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.errors import UserError

_MEDIA = re.compile(r"^\s*(?:!\[[^\]]*\]\(([^)]+)\)|(?:media|素材)\s*[:：]\s*(.+))\s*$", re.I)


@dataclass
class Scene:
    name: str
    narration: str
    media: str | None


@dataclass
class Script:
    title: str
    scenes: list[Scene]


def parse_script(text: str) -> Script:
    title = ""
    scenes: list[Scene] = []
    cur: Scene | None = None
    sectioned = any(re.match(r"^##\s+\S", ln) for ln in text.splitlines())
    para: list[str] = []
    media: str | None = None

    def flush_para() -> None:
        nonlocal para, media
        if para or media:
            scenes.append(Scene(f"{len(scenes) + 1}", " ".join(para), media))
        para, media = [], None

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("<!--"):
            continue
        if re.match(r"^#\s+\S", line) and not title:
            title = line[2:].strip()
            continue
        m = _MEDIA.match(line)
        if sectioned:
            if re.match(r"^##\s+\S", line):
                cur = Scene(line[3:].strip(), "", None)
                scenes.append(cur)
            elif cur is None or not line:
                continue
            elif m:
                cur.media = (m.group(1) or m.group(2)).strip()
            elif not line.startswith("#"):
                cur.narration = (cur.narration + " " + line).strip() if cur.narration else line
        else:
            if not line:
                flush_para()
            elif m:
                if media is not None:
                    flush_para()
                media = (m.group(1) or m.group(2)).strip()
            else:
                para.append(line)
    if not sectioned:
        flush_para()
    scenes = [s for s in scenes if s.narration or s.media]
    if not scenes:
        raise UserError(
            "the script has no scenes",
            hint="write one '## scene' section per scene, each with its narration (docs/video.md)",
        )
    return Script(title, scenes)


def resolve_media(name: str, roots: list[Path]) -> Path | None:
    p = Path(name).expanduser()
    if p.is_absolute():
        return p if p.is_file() else None
    for r in roots:
        if (r / p).is_file():
            return r / p
    return None
