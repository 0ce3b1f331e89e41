"""Watchlists in TrendRadar's ``frequency_words.txt`` syntax, matched by tokens, not substrings.

The file, as TrendRadar reads it:
  - groups are separated by blank lines; lines starting with ``#`` are comments
  - a plain line is a word; a group matches when any of its plain words matches
  - ``+word``: required — every required word of the group must match too
  - ``!word``: filter — a title matching it is excluded (from every group, as in TrendRadar)
  - ``@N``: show at most N items of this group
  - ``/regex/``: a regular expression (case-insensitive) instead of a word
  - ``word => name``: the name shown for that word; ``[name]`` as a group's first line names the group
  - ``[GLOBAL_FILTER]`` starts a section of words that exclude titles everywhere;
    ``[WORD_GROUPS]`` returns to groups.
Difference, on purpose: a word matches by tokens (jieba for Chinese, word boundaries for Latin
text), so "ai" matches "AI手机" and "open ai" but not "training", and "华为" not "中华为何".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from onelegion.core.errors import UserError
from onelegion.skills.radar.normalize import keyword_in_title, normalize_title


@dataclass(frozen=True)
class Word:
    text: str
    regex: re.Pattern[str] | None = None
    display: str | None = None

    def matches(self, norm_title: str) -> bool:
        if self.regex is not None:
            return bool(self.regex.search(norm_title))
        return keyword_in_title(self.text, norm_title)

    @property
    def label(self) -> str:
        return self.display or self.text


@dataclass
class Group:
    normal: list[Word] = field(default_factory=list)
    required: list[Word] = field(default_factory=list)
    max_items: int = 0
    alias: str | None = None

    @property
    def name(self) -> str:
        if self.alias:
            return self.alias
        return " / ".join(w.label for w in self.normal + self.required)

    def matches(self, norm_title: str) -> bool:
        if self.required and not all(w.matches(norm_title) for w in self.required):
            return False
        return not (self.normal and not any(w.matches(norm_title) for w in self.normal))


@dataclass
class Watchlist:
    groups: list[Group] = field(default_factory=list)
    filters: list[Word] = field(default_factory=list)
    global_filters: list[Word] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def excluded(self, norm_title: str) -> bool:
        return any(w.matches(norm_title) for w in self.global_filters + self.filters)

    def match(self, title: str) -> Group | None:
        """The first group the title belongs to, or None (also None when a filter excludes it)."""
        norm = normalize_title(title)
        if not norm or self.excluded(norm):
            return None
        for g in self.groups:
            if g.matches(norm):
                return g
        return None


def parse_word(raw: str, *, where: str) -> Word:
    display = None
    text = raw.strip()
    if "=>" in text:
        left, right = re.split(r"\s*=>\s*", text, maxsplit=1)
        text = left.strip()
        display = right.strip() or None
    m = re.match(r"^/(.+)/[a-z]*$", text)
    if m:
        try:
            return Word(m.group(1), re.compile(m.group(1), re.I), display)
        except re.error as e:
            raise UserError(
                f"{where}: invalid regular expression /{m.group(1)}/ ({e})",
                hint="fix the pattern or write the word without slashes",
            ) from e
    return Word(text, None, display)


def parse_watchlist(text: str, *, name: str = "watchlist") -> Watchlist:
    wl = Watchlist()
    section = "WORD_GROUPS"
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for bi, block in enumerate(blocks, 1):
        lines = [ln.strip() for ln in block.split("\n")]
        lines = [ln for ln in lines if ln and not ln.startswith("#")]
        if not lines:
            continue
        head = lines[0]
        if (
            head.startswith("[")
            and head.endswith("]")
            and head[1:-1].strip().upper()
            in (
                "GLOBAL_FILTER",
                "WORD_GROUPS",
            )
        ):
            section = head[1:-1].strip().upper()
            lines = lines[1:]
        where = f"{name}, group {bi}"
        if section == "GLOBAL_FILTER":
            for ln in lines:
                if not ln.startswith(("!", "+", "@")):
                    wl.global_filters.append(parse_word(ln, where=where))
            continue
        group = Group()
        if lines and lines[0].startswith("[") and lines[0].endswith("]"):
            group.alias = lines[0][1:-1].strip() or None
            lines = lines[1:]
        for ln in lines:
            if ln.startswith("@"):
                try:
                    n = int(ln[1:])
                except ValueError as e:
                    raise UserError(f"{where}: {ln!r} is not @N", hint="write e.g. @10") from e
                if n > 0:
                    group.max_items = n
            elif ln.startswith("!"):
                if ln[1:].strip():
                    wl.filters.append(parse_word(ln[1:], where=where))
            elif ln.startswith("+"):
                if ln[1:].strip():
                    group.required.append(parse_word(ln[1:], where=where))
            else:
                group.normal.append(parse_word(ln, where=where))
        if group.normal or group.required:
            wl.groups.append(group)
    return wl


def load_watchlist(path: Path) -> Watchlist:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise UserError(
            f"watchlist {path} not found", hint="give the path of a frequency_words.txt"
        ) from e
    except UnicodeDecodeError as e:
        raise UserError(f"watchlist {path} is not UTF-8 text", hint="save it as UTF-8") from e
    return parse_watchlist(text, name=path.name)
