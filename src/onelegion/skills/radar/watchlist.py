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
How a word matches, ``[radar] watchlist_match``:
  - ``smart`` (default): TrendRadar's substring test where it is what the person meant, tokens
    where a substring would be wrong. A single character (人, ``!车``) and a Chinese word found
    inside a title word that starts or ends where the word does (纯电 in 纯电动汽车) match as
    substrings; a Chinese word straddling two title words (华为 in 中华/为何) does not; Latin
    words match on word boundaries ("ai" matches "AI手机" and "open ai", not "training").
  - ``substring``: exactly TrendRadar — a case-insensitive substring of the (normalised) title.
A file with no word groups watches every item (as TrendRadar shows all news), minus the filters.
A bad line (an invalid regular expression, ``@`` without a number) is skipped with a warning
(``Watchlist.warnings``) and the rest of the file still loads, as TrendRadar goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from onelegion.core.errors import UserError
from onelegion.skills.radar.normalize import (
    has_cjk,
    keyword_in_title,
    normalize_title,
    word_bounds,
)

MatchMode = Literal["smart", "substring"]
MATCH_MODES: tuple[MatchMode, ...] = ("smart", "substring")
ALL_GROUP = "全部 All"  # the group of a file without word groups: every item


def smart_match(word: str, norm_title: str) -> bool:
    """The ``smart`` rule (module docstring): substrings for single characters and for Chinese
    words that begin or end at a title word's edge; word boundaries for Latin words."""
    kw = normalize_title(word)
    if not kw or kw not in norm_title:
        return False
    if len(kw) == 1 or keyword_in_title(kw, norm_title):
        return True
    if not has_cjk(kw):
        return False
    bounds = word_bounds(norm_title)
    start = norm_title.find(kw)
    while start >= 0:
        if start in bounds or start + len(kw) in bounds:
            return True
        start = norm_title.find(kw, start + 1)
    return False


@dataclass(frozen=True)
class Word:
    text: str
    regex: re.Pattern[str] | None = None
    display: str | None = None

    def matches(self, norm_title: str, mode: MatchMode = "smart") -> bool:
        if self.regex is not None:
            return bool(self.regex.search(norm_title))
        if mode == "substring":
            kw = normalize_title(self.text)
            return bool(kw) and kw in norm_title
        return smart_match(self.text, norm_title)

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

    def matches(self, norm_title: str, mode: MatchMode = "smart") -> bool:
        if self.required and not all(w.matches(norm_title, mode) for w in self.required):
            return False
        return not (self.normal and not any(w.matches(norm_title, mode) for w in self.normal))


@dataclass
class Watchlist:
    groups: list[Group] = field(default_factory=list)
    filters: list[Word] = field(default_factory=list)
    global_filters: list[Word] = field(default_factory=list)
    mode: MatchMode = "smart"
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def excluded(self, norm_title: str) -> bool:
        return any(w.matches(norm_title, self.mode) for w in self.global_filters + self.filters)

    def match(self, title: str) -> Group | None:
        """The first group the title belongs to, or None (also None when a filter excludes it)."""
        norm = normalize_title(title)
        if not norm or self.excluded(norm):
            return None
        for g in self.groups:
            if g.matches(norm, self.mode):
                return g
        return None


class BadLine(ValueError):
    """A line the watchlist skips (with a warning)."""


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
            raise BadLine(f"{where}: invalid regular expression /{m.group(1)}/ ({e})") from e
    return Word(text, None, display)


def parse_watchlist(text: str, *, name: str = "watchlist", mode: MatchMode = "smart") -> Watchlist:
    """The file's groups and filters; bad lines are skipped and listed in ``warnings``."""
    wl = Watchlist(mode=mode)

    def word(raw: str, where: str) -> Word | None:
        try:
            return parse_word(raw, where=where)
        except BadLine as e:
            wl.warnings.append(f"{e} — line skipped")
            return None

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
                if not ln.startswith(("!", "+", "@")) and (w := word(ln, where)) is not None:
                    wl.global_filters.append(w)
            continue
        group = Group()
        if lines and lines[0].startswith("[") and lines[0].endswith("]"):
            group.alias = lines[0][1:-1].strip() or None
            lines = lines[1:]
        for ln in lines:
            if ln.startswith("@"):
                try:
                    n = int(ln[1:].strip())
                except ValueError:
                    wl.warnings.append(f"{where}: {ln!r} is not @N (e.g. @10) — line skipped")
                    continue
                if n > 0:
                    group.max_items = n
            elif ln.startswith("!"):
                if ln[1:].strip() and (w := word(ln[1:], where)) is not None:
                    wl.filters.append(w)
            elif ln.startswith("+"):
                if ln[1:].strip() and (w := word(ln[1:], where)) is not None:
                    group.required.append(w)
            elif (w := word(ln, where)) is not None:
                group.normal.append(w)
        if group.normal or group.required:
            wl.groups.append(group)
    if not wl.groups:  # as TrendRadar: no word groups = every item (the filters still apply)
        wl.groups.append(Group(alias=ALL_GROUP))
    return wl


def load_watchlist(path: Path, mode: MatchMode = "smart") -> Watchlist:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise UserError(
            f"watchlist {path} not found", hint="give the path of a frequency_words.txt"
        ) from e
    except UnicodeDecodeError as e:
        raise UserError(f"watchlist {path} is not UTF-8 text", hint="save it as UTF-8") from e
    return parse_watchlist(text, name=path.name, mode=mode)
