"""Professional subtitle rules per language and the checker (no LLM).

Limits come from the Netflix Timed Text Style Guide and Subtitle Edit's Netflix checks
(docs/subs.md lists each with its source). Widths: in CJK languages a full-width character counts 1
and a half-width one 0.5; elsewhere every character counts 1. Reading speed (characters per second)
counts spaces and punctuation, not line breaks.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pysubs2

from onelegion.skills.subs.formats import plain_lines, timestamp


@dataclass(frozen=True)
class Profile:
    lang: str
    max_chars: float  # per line
    max_cps: float
    cjk: bool
    max_lines: int = 2
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_frames: int = 2
    close_gap_frames: int = 11  # gaps of 3..11 frames are closed to 2 frames
    lead_in_ms: int = 1000  # fix may start a cue this much earlier, into silence, to be readable


PROFILES: dict[str, Profile] = {
    "zh-Hans": Profile("zh-Hans", 16, 9, True),
    "zh-Hant": Profile("zh-Hant", 16, 9, True),
    "ja": Profile("ja", 23, 4, True, min_duration_ms=500),
    "ko": Profile("ko", 16, 12, True),
    "en": Profile("en", 42, 20, False),
    "default": Profile("default", 42, 17, False),
}
ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-sg": "zh-Hans",
    "cmn": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-hant": "zh-Hant",
    "en-us": "en",
    "en-gb": "en",
    "jp": "ja",
    "kr": "ko",
}

# every rule the checker knows; FIX_OWNS: those `fix` is responsible for
RULES: dict[str, str] = {
    "empty": "cue without text",
    "order": "cue starts before the previous one",
    "duplicate": "same text as the previous cue, back to back",
    "overlap": "cue starts before the previous one ends",
    "min_gap": "gap to the previous cue shorter than the minimum frames",
    "close_gap": "small gap that should be closed to the minimum",
    "lines": "more lines than allowed",
    "line_length": "line longer than the character limit",
    "line_break": "line break in a bad place",
    "min_duration": "shown too briefly",
    "max_duration": "shown too long",
    "cps": "reading speed above the limit",
    "punctuation": "punctuation style",
}
FIX_OWNS = tuple(RULES)


def resolve_lang(lang: str | None, sample_texts: Sequence[str] = ()) -> Profile:
    """The profile for ``lang`` ("zh", "zh-Hant", "en", …); "auto"/None looks at the text."""
    if lang and lang.lower() != "auto":
        key = ALIASES.get(lang.lower(), lang)
        if key in PROFILES:
            return PROFILES[key]
        base = lang.split("-")[0].lower()
        return PROFILES.get(ALIASES.get(base, base), PROFILES["default"])
    return PROFILES[detect_lang(sample_texts)]


def detect_lang(texts: Sequence[str]) -> str:
    sample = "".join(texts[:400])
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    kana = sum(1 for c in sample if "\u3040" <= c <= "\u30ff")
    hangul = sum(1 for c in sample if "\uac00" <= c <= "\ud7af")
    letters = sum(1 for c in sample if c.isalpha()) or 1
    if hangul / letters > 0.2:
        return "ko"
    if kana / letters > 0.05:
        return "ja"
    if han / letters > 0.2:
        return "zh-Hant" if _looks_traditional(sample) else "zh-Hans"
    if sample and all(ord(c) < 0x250 for c in sample if c.isalpha()):
        return "en"
    return "default"


def _looks_traditional(sample: str) -> bool:
    import opencc

    han = [c for c in sample if "\u4e00" <= c <= "\u9fff"][:2000]
    if not han:
        return False
    text = "".join(han)
    simplified = opencc.OpenCC("t2s").convert(text)
    changed = sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
    return changed / len(han) > 0.05


@lru_cache(maxsize=8192)
def _cjk_width(c: str) -> float:
    return 1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.5


def char_width(c: str, cjk: bool) -> float:
    return _cjk_width(c) if cjk else 1.0


def width(text: str, cjk: bool) -> float:
    """Display width of one line."""
    if not cjk:
        return float(len(text))
    if text.isascii():
        return len(text) * 0.5
    return sum(map(_cjk_width, text))


def prefix_widths(text: str, cjk: bool) -> list[float]:
    """``out[k]`` = width(text[:k]) for every k (one pass)."""
    out = [0.0]
    total = 0.0
    for c in text:
        total += _cjk_width(c) if cjk else 1.0
        out.append(total)
    return out


def frame_ms(fps: float) -> float:
    return 1000.0 / fps


@dataclass
class Issue:
    cue: int  # 1-based position in the file (comments excluded)
    start: int
    end: int
    rule: str
    detail: str

    def row(self) -> dict[str, object]:
        return {
            "cue": self.cue,
            "start": timestamp(self.start),
            "end": timestamp(self.end),
            "rule": self.rule,
            "detail": self.detail,
        }


@dataclass
class CheckResult:
    cues: int
    issues: list[Issue] = field(default_factory=list)

    def by_rule(self) -> dict[str, int]:
        """Cues breaking each rule (a cue counts once per rule)."""
        seen = {(i.cue, i.rule) for i in self.issues}
        counts = Counter(rule for _, rule in seen)
        return {r: counts.get(r, 0) for r in RULES}

    def cues_with_issues(self, rules: Sequence[str] | None = None) -> int:
        return len({i.cue for i in self.issues if rules is None or i.rule in rules})


# --- line breaks ----------------------------------------------------------------------------
EN_NO_END = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "this",
        "that",
        "these",
        "those",
        "i",
        "he",
        "she",
        "we",
        "they",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "and",
        "or",
        "but",
        "nor",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)
_EN_WORD = re.compile(r"[A-Za-z']+")


def bad_break(lines: Sequence[str], profile: Profile) -> str | None:
    """Why the break between these lines is bad, or None."""
    if len(lines) < 2:
        return None
    for a, b in itertools.pairwise(lines):
        if not a or not b:
            return "empty line"
        if profile.cjk:
            if _breaks_word(a, b):
                return f"breaks a word: {a[-2:]}|{b[:2]}"
        else:
            words = _EN_WORD.findall(a)
            if words and words[-1].lower() in EN_NO_END and a[-1].isalpha():
                return f"line ends with {words[-1]!r}"
    return None


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _breaks_word(a: str, b: str) -> bool:
    if not (a and b and _is_han(a[-1]) and _is_han(b[0])):
        return False
    from onelegion.skills.subs.wordseg import boundaries

    joined = a + b
    return len(a) not in boundaries(joined)


# --- punctuation (Chinese) --------------------------------------------------------------------
_ZH_HALF = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}
_ZH_TRAIL = re.compile(r"[，。、]+$")
_ZH_HALF_NEAR_HAN = re.compile(r"(?<=[\u4e00-\u9fff])[,?!:;]|[,?!:;](?=[\u4e00-\u9fff])")
_ZH_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|…+|⋯{2,}")
_ZH_DOT = re.compile(r"(?<=[\u4e00-\u9fff])[•・‧∙](?=[\u4e00-\u9fff])")


def punctuation_problems(line: str, last: bool = True) -> list[str]:
    """Style problems of one line; a trailing ，。、 counts only at the end of the cue (inside a
    cue it marks the clause the line break follows)."""
    out = []
    if last and _ZH_TRAIL.search(line):
        out.append(f"ends with {line[-1]}")
    if _ZH_HALF_NEAR_HAN.search(line):
        out.append("half-width punctuation in Chinese text")
    if _ZH_ELLIPSIS.search(line):
        out.append("ellipsis should be ⋯")
    if _ZH_DOT.search(line):
        out.append("interpunct should be ·")
    return out


def normalise_punctuation_line(line: str) -> str:
    line = _ZH_ELLIPSIS.sub("⋯", line)
    line = _ZH_DOT.sub("·", line)
    line = _ZH_HALF_NEAR_HAN.sub(lambda m: _ZH_HALF[m.group(0)], line)
    return _ZH_TRAIL.sub("", line)


# --- the checker ------------------------------------------------------------------------------
def cps(text_lines: Sequence[str], duration_ms: int, profile: Profile) -> float:
    chars = sum(width(line, profile.cjk) for line in text_lines)
    return chars / max(duration_ms, 1) * 1000.0


def check(subs: pysubs2.SSAFile, profile: Profile, fps: float = 24.0) -> CheckResult:
    events = [e for e in subs.events if not e.is_comment]
    res = CheckResult(cues=len(events))
    frame = frame_ms(fps)
    min_gap = profile.min_gap_frames * frame
    close_max = (profile.close_gap_frames + 0.5) * frame
    prev: pysubs2.SSAEvent | None = None
    prev_text = ""
    add = res.issues.append
    for n, e in enumerate(events, 1):
        lines = plain_lines(e.text)
        lines = [ln for ln in lines if ln] or [""]
        text = "\n".join(lines).strip()
        dur = e.end - e.start
        if not text:
            add(Issue(n, e.start, e.end, "empty", "no text"))
        if prev is not None:
            if e.start < prev.start:
                add(Issue(n, e.start, e.end, "order", f"starts before cue {n - 1}"))
            elif text and text == prev_text and e.start - prev.end <= close_max:
                add(Issue(n, e.start, e.end, "duplicate", f"repeats cue {n - 1}"))
            gap = e.start - prev.end
            if e.start >= prev.start:
                if gap < 0:
                    add(Issue(n, e.start, e.end, "overlap", f"overlaps cue {n - 1} by {-gap} ms"))
                elif gap < min_gap - 0.5:
                    add(Issue(n, e.start, e.end, "min_gap", f"gap {gap} ms < {min_gap:.0f} ms"))
                elif min_gap + frame - 0.5 <= gap < close_max:
                    add(
                        Issue(
                            n,
                            e.start,
                            e.end,
                            "close_gap",
                            f"gap {gap} ms: close to {min_gap:.0f} ms",
                        )
                    )
        if text:
            if len(lines) > profile.max_lines:
                add(Issue(n, e.start, e.end, "lines", f"{len(lines)} lines > {profile.max_lines}"))
            for line in lines:
                w = width(line, profile.cjk)
                if w > profile.max_chars:
                    add(
                        Issue(
                            n,
                            e.start,
                            e.end,
                            "line_length",
                            f"{w:g} chars > {profile.max_chars:g}: {line[:40]}",
                        )
                    )
            why = bad_break(lines, profile)
            if why:
                add(Issue(n, e.start, e.end, "line_break", why))
            if dur < profile.min_duration_ms:
                add(
                    Issue(
                        n,
                        e.start,
                        e.end,
                        "min_duration",
                        f"{dur} ms < {profile.min_duration_ms} ms",
                    )
                )
            if dur > profile.max_duration_ms:
                add(
                    Issue(
                        n,
                        e.start,
                        e.end,
                        "max_duration",
                        f"{dur} ms > {profile.max_duration_ms} ms",
                    )
                )
            speed = cps(lines, dur, profile)
            if speed > profile.max_cps + 1e-9:
                add(Issue(n, e.start, e.end, "cps", f"{speed:.1f} cps > {profile.max_cps:g}"))
            if profile.lang.startswith("zh"):
                probs = [
                    p
                    for k, line in enumerate(lines)
                    for p in punctuation_problems(line, k == len(lines) - 1)
                ]
                if probs:
                    add(Issue(n, e.start, e.end, "punctuation", "; ".join(dict.fromkeys(probs))))
        prev, prev_text = e, text
    return res
