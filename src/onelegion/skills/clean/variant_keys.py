"""Clustering keys for spelling variants: OpenRefine's fingerprint and n-gram
fingerprint, made Chinese-aware (full-width to half-width, traditional to simplified,
administrative and company suffixes), and a pinyin key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_DIGIT_TOKENS = re.compile(r"[^\W_]*\d[^\W_]*")

# Longest first: a name keeps at least two characters after its suffix is removed.
ADMIN_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "自治区",
    "自治州",
    "自治县",
    "集团",
    "公司",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def has_cjk(value: str) -> bool:
    return not value.isascii() and _CJK.search(value) is not None


def strip_admin_suffix(value: str) -> str:
    """'广西壮族自治区' -> '广西', '杭州市' -> '杭州', '阿里巴巴有限公司' -> '阿里巴巴'."""
    for suffix in ADMIN_SUFFIXES:
        if value.endswith(suffix) and len(value) - len(suffix) >= 2:
            return value[: -len(suffix)]
    return value


def normalize_text(value: str) -> str:
    """NFKC (full-width to half-width), lower case, traditional to simplified, suffix removed."""
    if value.isascii():
        return value.lower().strip()
    v = unicodedata.normalize("NFKC", value).lower().strip()
    if has_cjk(v):
        v = _t2s().convert(v)
        v = _CJK_GAP.sub("", v)
        v = strip_admin_suffix(_PUNCT.sub(" ", v).strip())
    return v


def fingerprint(value: str) -> str:
    """OpenRefine's fingerprint made meaning-preserving: normalised, punctuation removed, the
    words kept in their order ('Santa Clara' and 'Clara Santa' are two places) and the
    meaning-bearing symbols kept ('>50K' and '<=50K' are two labels)."""
    v = _PUNCT.sub(" ", normalize_text(value))
    return _with_symbols(" ".join(v.split()), value)


def ngram_fingerprint(value: str, n: int = 2) -> str:
    """The squeezed text (spaces and punctuation removed, order kept): '金 卡' and '金卡', 'e-mail'
    and 'email' (not OpenRefine's sorted n-gram set, which merges anagrams and reordered words)."""
    v = _SPACE.sub("", _PUNCT.sub("", normalize_text(value)))
    return _with_symbols(v, value) if v else ""


def _with_symbols(key: str, value: str) -> str:
    sym = meaning_symbols(value)
    return f"{key}\x1f{sym}" if sym else key


_MEANING = re.compile(r"[<>=+%±≤≥≠~^*/]|(?:^|(?<=\s))-(?=\d)")


def meaning_symbols(value: str) -> str:
    """The symbols that change what a label means (comparison signs, +, %, a minus before a
    number), in order: labels that differ in them are never variants of each other."""
    return "".join(m.group() for m in _MEANING.finditer(unicodedata.normalize("NFKC", value)))


def defects(value: str, case_style: str | None) -> int:
    """How untidy a spelling is next to its column's own pattern: spaces inside Chinese words,
    outer or doubled spaces, traditional characters, a letter case other than the column's."""
    n = 0
    if _CJK_GAP.search(value):
        n += 1
    if value != value.strip() or "  " in value:
        n += 1
    if has_cjk(value) and _t2s().convert(value) != value:
        n += 1
    if case_style is not None and case_of(value) not in (case_style, None):
        n += 1
    return n


def case_of(value: str) -> str | None:
    """'lower', 'upper', 'title' or None (no cased letters, or mixed)."""
    if not any(c.isalpha() and c.isascii() for c in value):
        return None
    if value.islower():
        return "lower"
    if value.isupper():
        return "upper"
    if value.istitle():
        return "title"
    return None


def pinyin_key(value: str) -> str | None:
    """Toneless pinyin of a Chinese value ('廣州市' and 'Guangzhou' -> 'guangzhou'); None when the
    value is neither Chinese nor plain Latin letters."""
    v = normalize_text(value)
    if has_cjk(v):
        from pypinyin import lazy_pinyin

        return "".join(lazy_pinyin(v)).replace(" ", "")
    squeezed = _SPACE.sub("", v)
    return squeezed if squeezed.isascii() and squeezed.isalpha() else None


def digits(value: str) -> tuple[str, ...]:
    """The letter-and-digit runs that contain a digit ('1x patients' -> ('1x',), 'ami-4' -> ('4',)):
    variants of one label never differ in their numbers."""
    return tuple(_DIGIT_TOKENS.findall(value))
