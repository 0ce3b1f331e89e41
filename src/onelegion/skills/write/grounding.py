"""What a post is grounded in, read from files the person names: a radar digest (its ``--json``
output or digest.md) and an elements report (the JSON format in docs/write.md). Never another
skill's internals."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from onelegion.core.errors import UserError


class TitlePattern(BaseModel):
    pattern: str = Field(description="With {topic}, and optionally {n}, {audience}, {year}.")
    lift: float = Field(
        default=1.0, gt=0, description="How much better titles of this shape did (1 = average)."
    )
    examples: list[str] = Field(default_factory=list)


class Element(BaseModel):
    name: str
    lift: float = Field(default=1.0, gt=0)


class ElementsReport(BaseModel):
    """The documented input of --from-elements."""

    platform: str | None = None
    title_patterns: list[TitlePattern] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)


@dataclass
class Grounding:
    topics: list[str] = field(default_factory=list)  # radar titles related to the topic, best first
    elements: ElementsReport | None = None

    def drew_on(self) -> list[str]:
        out = [f"radar: {t}" for t in self.topics[:3]]
        if self.elements:
            out += [
                f"pattern: {p.pattern} (lift {p.lift:g})" for p in self.elements.title_patterns[:3]
            ]
            out += [f"element: {e.name} (lift {e.lift:g})" for e in self.elements.elements[:3]]
        return out


def read_elements(path: Path) -> ElementsReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UserError(
            f"{path.name} is not a JSON elements report ({type(e).__name__})",
            hint="see docs/write.md 'Elements report' for the format",
        ) from None
    if isinstance(data, dict) and "report" in data and isinstance(data["report"], dict):
        data = data["report"]  # a skill's --json output wrapping the report
    try:
        rep = ElementsReport.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise UserError(
            f"{path.name}: {where}: {first['msg']}",
            hint="see docs/write.md 'Elements report' for the format",
        ) from None
    for p in rep.title_patterns:
        if "{topic}" not in p.pattern:
            raise UserError(
                f"{path.name}: the title pattern {p.pattern!r} has no {{topic}}",
                hint="write patterns like '{n}个{topic}小技巧'",
            )
    return rep


def _titles_in_json(data: Any, out: list[tuple[str, float]]) -> None:
    if isinstance(data, dict):
        title = data.get("title")
        if isinstance(title, str) and title.strip():
            heat = data.get("heat") or data.get("score") or data.get("hot") or 0
            try:
                h = float(heat)
            except (TypeError, ValueError):
                h = 0.0
            out.append((title.strip(), h))
        for v in data.values():
            _titles_in_json(v, out)
    elif isinstance(data, list):
        for v in data:
            _titles_in_json(v, out)


_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.+)$")


def read_radar(path: Path) -> list[str]:
    """Every hot-list title in a radar digest, in order, without repeats."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{path.name} is not UTF-8 text", hint="pass digest.md or the --json output"
        ) from None
    found: list[tuple[str, float]] = []
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            _titles_in_json(json.loads(text), found)
        except json.JSONDecodeError:
            raise UserError(
                f"{path.name} is not valid JSON",
                hint="pass digest.md or the --json output of `legion radar digest`",
            ) from None
    else:
        for line in text.splitlines():
            m = _MD_ITEM.match(line)
            if m:
                s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", m.group(1))  # links
                s = re.sub(r"[*_`]", "", s)
                s = re.split(r"\s+[·|—]\s+|\s+\(|（", s)[0].strip()
                if s:
                    found.append((s, 0.0))
    seen: set[str] = set()
    titles = []
    for t, _ in found:
        if t not in seen:
            seen.add(t)
            titles.append(t)
    if not titles:
        raise UserError(
            f"{path.name} has no hot-list titles",
            hint="pass the digest.md or --json output of `legion radar digest`",
        )
    return titles


def words(text: str) -> list[str]:
    """Chinese words of ``text`` (jieba, quietly)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(text) if len(w.strip()) > 1]


def related(topic: str, titles: list[str], k: int = 5) -> list[str]:
    """The titles sharing the most words (jieba) or characters with the topic."""
    words_ = set(words(topic)) or {topic}
    chars = {c for c in topic if not c.isspace()}
    scored = []
    for i, t in enumerate(titles):
        w = sum(1 for x in words_ if x in t)
        c = len(chars & set(t)) / max(len(chars), 1)
        if w or c >= 0.5:
            scored.append((-(w * 2 + c), i, t))
    scored.sort()
    return [t for _, _, t in scored[:k]]


def ground(topic: str, radar: Path | None, elements: Path | None) -> Grounding:
    g = Grounding()
    if radar is not None:
        g.topics = related(topic, read_radar(radar))
    if elements is not None:
        g.elements = read_elements(elements)
    return g
