"""Title normalisation, item identity and tokenisation (jieba for Chinese, words for Latin text)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Any

_HASHTAG_RE = re.compile(r"^#(.+)#$")
_SPACE_RE = re.compile(r"\s+")
_EDGE_PUNCT = " \t\"'“”‘’「」『』【】[]()（）《》<>#?？!！。.,，、:：;；~～…-—_*"
_LATIN_RE = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PUNCT_TOKEN_RE = re.compile(r"^[\W_]+$")

# Words too common in hot-list titles to mean anything on their own (function words, question
# scaffolding of Zhihu titles). Tokens of one CJK character are dropped as well.
_STOPWORDS_TEXT = (
    "的 了 是 在 和 与 及 或 有 被 把 将 对 从 为 向 等 也 都 就 "
    "还 又 而 但 并 吗 呢 吧 啊 如何 怎么 怎样 为什么 什么 哪些 哪个 "
    "看待 评价 认为 觉得 是否 可以 可能 应该 需要 一个 这个 那个 这些 "
    "那些 这种 这样 我们 你们 他们 自己 已经 没有 不是 就是 还是 值得 "
    "关注 信息 问题 事件 目前 现在 今年 今天 回应 网友 最新 视频 "
    "the a an of to in on for and or is are was be by with at as from"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def normalize_title(title: str) -> str:
    """The comparable form of a title: NFKC, lower case, no hashtag marks, single spaces.

    ``#足迹2023#`` and ``足迹2023`` are the same item; full-width and half-width forms are equal.
    """
    t = unicodedata.normalize("NFKC", title).strip()
    m = _HASHTAG_RE.match(t)
    if m:
        t = m.group(1)
    t = _SPACE_RE.sub(" ", t).strip(_EDGE_PUNCT).lower()
    return t


def item_key(source: str, norm_title: str) -> int:
    """A stable 63-bit identity for (source, normalised title)."""
    digest = hashlib.blake2b(f"{source}\x1f{norm_title}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def platform_of(source: str) -> str:
    """The platform a source belongs to: 'zhihu-video' and 'zhihu' are both Zhihu."""
    return source.split("-", 1)[0].split("_", 1)[0]


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def _jieba() -> Any:
    """jieba's ``lcut`` / ``cut_for_search``, reading its dictionary per title (jieba_cache.py)."""
    from onelegion.skills.radar.jieba_cache import tokenizer

    return tokenizer()


@lru_cache(maxsize=200_000)
def words(norm_title: str) -> tuple[str, ...]:
    """The title's word sequence (jieba precise mode; Latin words kept whole), punctuation removed."""
    jieba = _jieba()
    out: list[str] = []
    for tok in jieba.lcut(norm_title):
        tok = tok.strip()
        if tok and not _PUNCT_TOKEN_RE.match(tok):
            out.append(tok)
    return tuple(out)


@lru_cache(maxsize=200_000)
def search_tokens(norm_title: str) -> frozenset[str]:
    """Every word and sub-word jieba's search mode finds ('新能源汽车' → 新能源, 能源, 汽车, ...)."""
    jieba = _jieba()
    toks = {t.strip() for t in jieba.cut_for_search(norm_title)}
    return frozenset(t for t in toks if t and not _PUNCT_TOKEN_RE.match(t))


def content_tokens(norm_title: str) -> list[str]:
    """Meaningful tokens for keyword statistics: no stopwords, no single CJK characters, no numbers.

    Uses jieba's dictionary pass only (no HMM for unknown words): about twice as fast, which
    matters when importing months of archives; unknown names stay split into known pieces.
    """
    jieba = _jieba()
    out = []
    for t in jieba.lcut(norm_title, HMM=False):
        t = t.strip()
        if not t or _PUNCT_TOKEN_RE.match(t):
            continue
        if t in STOPWORDS or t.isdigit():
            continue
        if len(t) == 1 and (has_cjk(t) or not t.isalnum()):
            continue
        out.append(t)
    return out


def latin_word_re(word: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern: 'ai' matches 'AI手机' and 'open ai', not 'training'."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?![a-z0-9])", re.I)


def keyword_in_title(keyword: str, norm_title: str) -> bool:
    """Token-aware keyword match (not a raw substring test).

    Latin keywords match on word boundaries. Chinese keywords match when they are one of the
    title's jieba search tokens, or when the keyword's own words appear consecutively in the
    title's words (so '中华为何' never matches '华为').
    """
    kw = normalize_title(keyword)
    if not kw or kw not in norm_title:
        return False
    if not has_cjk(kw):
        return bool(latin_word_re(kw).search(norm_title))
    if kw in search_tokens(norm_title):
        return True
    kw_words = words(kw)
    title_words = words(norm_title)
    n = len(kw_words)
    if n == 0:
        return False
    for i in range(len(title_words) - n + 1):
        if title_words[i : i + n] == kw_words:
            return True
    # a keyword that jieba keeps whole can sit inside a longer title word ('新能源' in '新能源车企')
    return any(
        kw in w and (w.startswith(kw) or w.endswith(kw)) and len(kw) >= 3 for w in title_words
    )


def char_ngrams(norm_title: str, n: int = 2) -> set[str]:
    """Character n-grams of the CJK/alnum characters (spaces and punctuation dropped)."""
    s = "".join(ch for ch in norm_title if ch.isalnum())
    if len(s) < n:
        return {s} if s else set()
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def word_bounds(norm_title: str) -> frozenset[int]:
    """Character offsets where the title's words (jieba precise mode) begin or end."""
    out = {0}
    pos = 0
    for tok in _jieba().lcut(norm_title):
        pos += len(tok)
        out.add(pos)
    return frozenset(out)
