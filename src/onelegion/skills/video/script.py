"""The video script: Markdown, one section per scene.

    # 三分钟看懂春季防晒          ← the title (title card, cover)
    ## 为什么要防晒                ← a scene; its heading names it
    春天紫外线已经很强……           ← narration (every other line)
    ![](clips/beach.mp4)           ← its media (or: media: photo.jpg / 素材: photo.jpg)
    generate: 海边清晨，慢镜头       ← optional: a clip from the configured video provider
                                     (or 生成: …); with an image above, image to video

Without ``##`` headings every paragraph is a scene.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.errors import UserError

_GENERATE = re.compile(r"^\s*(?:generate|生成)\s*[:：]\s*(.+?)\s*$", re.I)
_MEDIA = re.compile(r"^\s*(?:!\[[^\]]*\]\(([^)]+)\)|(?:media|素材)\s*[:：]\s*(.+))\s*$", re.I)


@dataclass
class Scene:
    name: str
    narration: str
    media: str | None
    prompt: str | None = None  # a clip to generate (``generate:`` line)


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
    prompt: str | None = None

    def flush_para() -> None:
        nonlocal para, media, prompt
        if para or media or prompt:
            scenes.append(Scene(f"{len(scenes) + 1}", " ".join(para), media, prompt))
        para, media, prompt = [], None, None

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("<!--"):
            continue
        if re.match(r"^#\s+\S", line) and not title:
            title = line[2:].strip()
            continue
        m = _MEDIA.match(line)
        g = _GENERATE.match(line)
        if sectioned:
            if re.match(r"^##\s+\S", line):
                cur = Scene(line[3:].strip(), "", None)
                scenes.append(cur)
            elif cur is None or not line:
                continue
            elif g:
                cur.prompt = g.group(1)
            elif m:
                cur.media = (m.group(1) or m.group(2)).strip()
            elif not line.startswith("#"):
                cur.narration = (cur.narration + " " + line).strip() if cur.narration else line
        else:
            if not line:
                flush_para()
            elif g:
                prompt = g.group(1)
            elif m:
                if media is not None:
                    flush_para()
                media = (m.group(1) or m.group(2)).strip()
            else:
                para.append(line)
    if not sectioned:
        flush_para()
    scenes = [s for s in scenes if s.narration or s.media or s.prompt]
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
