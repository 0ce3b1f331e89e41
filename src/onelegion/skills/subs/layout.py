"""Line layout: where to break a cue's text into at most N lines, and where to split a cue in two.

Chinese/Japanese/Korean text breaks only between jieba words; other languages between words.
Breaking after punctuation is preferred; for English a line never ends with an article, a possessive,
a subject pronoun, a preposition or a conjunction (Netflix TTSG). Tags inside a cue are kept: a new
layout only changes whitespace and line breaks (:func:`relayout`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from onelegion.skills.subs.rules import EN_NO_END, Profile, prefix_widths

_TAG_SPLIT = re.compile(r"(\{[^}]*\})")
_SOFT = re.compile(r"\\[Nnh]")
PUNCT_END = set("，。！？；：、,.!?;:…⋯")
SENTENCE_END = set("。！？!?.…⋯")
CLAUSE_END = set("，；：、,;:")
_NO_LINE_START = set("，。！？；：、,.!?;:）)》」』”’%")
EN_PREFER_START = frozenset(
    [
        "and",
        "or",
        "but",
        "because",
        "so",
        "which",
        "who",
        "that",
        "when",
        "where",
        "while",
        "if",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
    ]
)

ZH_PREFER_START = tuple(
    [
        "并且",
        "并",
        "而且",
        "而",
        "但是",
        "但",
        "可是",
        "不过",
        "和",
        "或者",
        "或",
        "然后",
        "因为",
        "所以",
        "如果",
        "还是",
        "以及",
        "为了",
        "那么",
        "于是",
        "就是",
        "这样",
    ]
)


def _is_wide(c: str) -> bool:
    return (
        "\u2e80" <= c <= "\u9fff"
        or "\uac00" <= c <= "\ud7af"
        or "\uff00" <= c <= "\uffef"
        or "\u3000" <= c <= "\u303f"
    )


def join_lines(lines: Sequence[str]) -> str:
    """One string from lines: CJK joins without a space, other scripts with one."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (_is_wide(out[-1]) and _is_wide(line[0])):
            out += " "
        out += line
    return out


def _inside_latin(text: str, k: int) -> bool:
    a, b = text[k - 1 : k], text[k : k + 1]
    if not a or not b or a.isspace() or b.isspace() or _is_wide(a) or _is_wide(b):
        return False
    return a.isalnum() or b.isalnum()


def candidates(text: str, profile: Profile) -> list[int]:
    """Offsets where a line may break."""
    if profile.cjk:
        from onelegion.skills.subs.wordseg import boundaries

        cands = [k for k in sorted(boundaries(text)) if not _inside_latin(text, k)]
    else:
        cands = [m.start() for m in re.finditer(r" ", text)]
    return [k for k in cands if 0 < k < len(text)]


def _penalty(l1: str, l2: str, w1: float, w2: float, profile: Profile) -> float | None:
    if not l1 or not l2 or l2[0] in _NO_LINE_START:
        return None
    if w1 > profile.max_chars or w2 > profile.max_chars:
        return None
    p = abs(w1 - w2) * 0.5
    if l1[-1] in PUNCT_END:
        p -= profile.max_chars * 0.5
    if profile.cjk and l2.startswith(ZH_PREFER_START):
        p -= profile.max_chars * 0.3
    if not profile.cjk:
        last = re.findall(r"[A-Za-z']+$", l1)
        if last and last[0].lower() in EN_NO_END:
            return None  # never end a line with an article, a preposition, a pronoun...
        first = re.match(r"[A-Za-z']+", l2)
        if first and first.group(0).lower() in EN_PREFER_START:
            p -= profile.max_chars * 0.3
    return p


def best_layout(text: str, profile: Profile) -> list[str] | None:
    """The best layout of ``text`` in at most 2 lines within the width limit, or None."""
    text = text.strip()
    cw = prefix_widths(text, profile.cjk)
    if cw[-1] <= profile.max_chars:
        return [text]
    if profile.max_lines < 2 or cw[-1] > 2 * profile.max_chars + 1:
        return None
    best: tuple[float, list[str]] | None = None
    n = len(text)
    for k in candidates(text, profile):
        l1, l2 = text[:k].rstrip(), text[k:].lstrip()
        w1, w2 = cw[len(l1)], cw[n] - cw[n - len(l2)]
        p = _penalty(l1, l2, w1, w2, profile)
        if p is not None and (best is None or p < best[0]):
            best = (p, [l1, l2])
    return best[1] if best else None


def split_points(text: str, profile: Profile) -> list[tuple[int, int]]:
    """(offset, strength) where a cue may be split: 2 after a sentence end, 1 after a clause,
    0 at a word boundary."""
    out: list[tuple[int, int]] = []
    for k in (
        candidates(text, profile) if profile.cjk else [m.end() for m in re.finditer(r" ", text)]
    ):
        if not (0 < k < len(text)):
            continue
        before = text[:k].rstrip()
        if not before or text[k:].lstrip()[:1] in _NO_LINE_START:
            continue
        c = before[-1]
        strength = 2 if c in SENTENCE_END else 1 if c in CLAUSE_END else 0
        out.append((k, strength))
    return out


def best_split(text: str, profile: Profile, min_strength: int = 0) -> int | None:
    """The split offset nearest the middle (by width) among the strongest boundaries available."""
    pts = [(k, s) for k, s in split_points(text, profile) if s >= min_strength]
    if not pts:
        return None
    cw = prefix_widths(text, profile.cjk)
    total = cw[-1] or 1.0

    def score(ks: tuple[int, int]) -> float:
        k, s = ks
        share = cw[k] / total
        # a strong boundary wins unless it leaves a very lopsided split
        last = re.findall(r"[A-Za-z']+$", text[:k].rstrip())
        bad = 0.4 if not profile.cjk and last and last[0].lower() in EN_NO_END else 0.0
        return abs(share - 0.5) - 0.2 * s + bad

    return min(pts, key=score)[0]


def relayout(raw: str, new_lines: Sequence[str]) -> str | None:
    """``raw`` (with tags) laid out as ``new_lines``: tags kept, only whitespace/breaks changed.
    None when the visible text differs beyond whitespace."""
    target = "\n".join(new_lines)
    out: list[str] = []
    j = 0
    for seg in _TAG_SPLIT.split(raw):
        if seg.startswith("{") and seg.endswith("}"):
            out.append(seg)
            continue
        for ch in _SOFT.sub(" ", seg):
            if ch.isspace():
                continue
            while j < len(target) and target[j] != ch:
                if target[j] == "\n":
                    out.append("\\N")
                elif target[j].isspace():
                    out.append(target[j])
                else:
                    return None
                j += 1
            if j >= len(target):
                return None
            out.append(ch)
            j += 1
    if target[j:].strip():
        return None
    return "".join(out)


def has_inner_tags(raw: str) -> bool:
    """Tags anywhere but at the very start of the cue."""
    return bool(_TAG_SPLIT.search(re.sub(r"^(\{[^}]*\})+", "", raw)))


def leading_tags(raw: str) -> str:
    m = re.match(r"^(\{[^}]*\})+", raw)
    return m.group(0) if m else ""
