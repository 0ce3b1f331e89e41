"""Title and post features ("elements"), Chinese and English.

Each feature is a yes/no per post. Lexicons are small and documented here; they are meant to be
read and extended, not to be complete.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta, timezone

import numpy as np

from onelegion.skills.accounts.posts import Posts

HOOK_WORDS = (
    "揭秘",
    "必看",
    "千万别",
    "后悔",
    "竟然",
    "没想到",
    "居然",
    "震惊",
    "绝了",
    "太香了",
    "一定要",
    "干货",
    "保姆级",
    "教程",
    "攻略",
    "避坑",
    "真相",
    "秘密",
    "第一次",
    "终于",
    "万万没想到",
    "secret",
    "must",
    "never",
    "shocking",
    "finally",
    "revealed",
    "truth",
    "ultimate",
    "insane",
    "you won't believe",
    "how to",
    "why",
    "best",
    "worst",
)
CONTRAST = (
    "但是",
    "却",
    "反而",
    "其实",
    "没想到",
    "竟然",
    "居然",
    "vs",
    "versus",
    "but",
    "actually",
    "instead",
)
POSITIVE = (
    "爱",
    "开心",
    "幸福",
    "温暖",
    "感动",
    "好看",
    "厉害",
    "美",
    "爽",
    "amazing",
    "love",
    "happy",
    "best",
    "beautiful",
    "awesome",
    "wonderful",
)
NEGATIVE = (
    "哭",
    "崩溃",
    "难过",
    "惨",
    "可怕",
    "生气",
    "愤怒",
    "失败",
    "骗",
    "坑",
    "worst",
    "sad",
    "angry",
    "fail",
    "terrible",
    "scary",
    "horrible",
    "hate",
)
# Patterns are written once, in the syntax both Python's re and polars' (Rust) regex accept, so the
# same definitions serve a single title (``title_features``) and 100,000 titles at once.
LIST_COUNT = (
    r"(?i)\d+\s*(?:个|种|条|件|招|步|款|大|点|天|分钟|秒)"
    r"|\d+\s*(?:ways|things|tips|reasons|steps|mistakes|facts|ideas)\b|\btop\s*\d+"
)
CJK_WIDE = r"[\u2e81-\U0010ffff]"  # counted twice in a title's length (about a Latin word)
_CJK_WIDE_RUST = r"[\x{2E81}-\x{10FFFF}]"


def _any_of(words: tuple[str, ...]) -> str:
    def esc(w: str) -> str:
        return re.escape(w).replace("\\ ", " ")

    ascii_words = [esc(w) for w in words if w.isascii()]
    other = [esc(w) for w in words if not w.isascii()]
    parts = other + ([r"\b(?:" + "|".join(ascii_words) + r")\b"] if ascii_words else [])
    return "(?i)" + "|".join(parts)


TITLE_PATTERNS: dict[str, tuple[str, str]] = {
    "list_count": ("list count (3个 / 5 tips) 清单数字", LIST_COUNT),
    "question": (
        "question 疑问句",
        r"(?i)[?？]|吗$|吗[，。！!]|为什么|怎么|如何|\b(?:why|how|what|which|who)\b",
    ),
    "exclamation": ("exclamation 感叹号", r"[!！]"),
    "brackets": ("【】/[] brackets 括号标注", r"【[^】]*】|\[[^\]]*\]|「[^」]*」"),
    "emoji": ("emoji 表情", "[\U0001f300-\U0001faff\u2600-\u27bf]"),
    "second_person": ("second person (你/you) 第二人称", r"(?i)你|您|\byou(?:r|rs|'re)?\b"),
    "hook_words": ("hook words (揭秘/必看/千万别…) 钩子词", _any_of(HOOK_WORDS)),
    "contrast": ("contrast (但/竟然/vs) 反转对比", _any_of(CONTRAST)),
    "positive": ("positive emotion 正面情绪", _any_of(POSITIVE)),
    "negative": ("negative emotion 负面情绪", _any_of(NEGATIVE)),
    "caps": ("ALL-CAPS word 全大写词", r"\b[A-Z]{3,}\b"),
    # a named work or account: 《book / film / show》 or an @mention. English proper names are not
    # told from Title Case titles without a tagger, so they are left out rather than guessed.
    "named_entity": ("names a work or account (《》 / @) 提及作品或账号", r"《[^》]+》|@\w{2,}"),
}
NUMBER_LABEL = "a number, not a list count 含数字（非清单）"
SHORT, LONG = 16, 50
MAX_CATEGORIES, MIN_CATEGORY_POSTS = 8, 20
CN = timezone(timedelta(hours=8))
_CHINA_PLATFORMS = frozenset(("xhs", "dy", "bili", "ks", "wb", "tieba", "zhihu"))


def _rust(pattern: str) -> str:
    """Python escapes \\uXXXX / \\UXXXXXXXX -> Rust \\x{...}."""
    return re.sub(
        r"\\[uU]([0-9a-fA-F]{4,8})",
        lambda m: "\\x{" + m.group(1).lstrip("0").upper() + "}",
        pattern,
    )


def _folded(pattern: str) -> tuple[bool, str]:
    """(True, pattern without its (?i)) for a case-insensitive pattern: it is matched against the
    lower-cased title instead, which is 20-100x faster in the Rust engine for long word lists.
    Such a pattern must not spell an upper-case letter outside an escape (checked here)."""
    if not pattern.startswith("(?i)"):
        return False, pattern
    body = pattern[4:]
    if re.search(r"[A-Z]", re.sub(r"\\.", "", body)):
        raise ValueError(f"case-insensitive pattern with an upper-case letter: {pattern!r}")
    return True, body


_FOLDED = {fid: _folded(rx) for fid, (_, rx) in TITLE_PATTERNS.items()}
_LIST_FOLDED = _folded(LIST_COUNT)


def _search(folded: tuple[bool, str], title: str, lower: str) -> bool:
    return re.search(folded[1], lower if folded[0] else title) is not None


def title_features(title: str) -> set[str]:
    """The title elements of one title (same definitions as :func:`feature_matrix`)."""
    lower = title.lower()
    out = {fid for fid, f in _FOLDED.items() if _search(f, title, lower)}
    if re.search(r"\d", re.sub(_LIST_FOLDED[1], "", lower)):
        out.add("number")
    n = len(title) + len(re.findall(CJK_WIDE, title))
    if n <= SHORT:
        out.add("short_title")
    if n > LONG:
        out.add("long_title")
    return out


def _title_columns(titles: list[str]) -> tuple[list[str], list[str], list[np.ndarray]]:
    import polars as pl

    t = pl.col("t")
    low = pl.col("t").str.to_lowercase()

    def col(folded: tuple[bool, str]) -> pl.Expr:
        return low if folded[0] else t

    ids = ["number"]
    labels = [NUMBER_LABEL]
    exprs = [
        col(_LIST_FOLDED)
        .str.replace_all(_rust(_LIST_FOLDED[1]), "")
        .str.contains(r"\d")
        .alias("number")
    ]
    for fid, (label, _) in TITLE_PATTERNS.items():
        ids.append(fid)
        labels.append(label)
        exprs.append(col(_FOLDED[fid]).str.contains(_rust(_FOLDED[fid][1])).alias(fid))
    exprs.append((t.str.len_chars() + t.str.count_matches(_CJK_WIDE_RUST)).alias("_len"))
    # one select: polars runs the expressions side by side on the cores
    frame = pl.DataFrame({"t": titles}, schema={"t": pl.Utf8}).select(exprs)
    cols = [frame[fid].to_numpy() for fid in ids]
    n = frame["_len"].to_numpy()
    ids += ["short_title", "long_title"]
    labels += [f"short title (<= {SHORT}) 短标题", f"long title (> {LONG}) 长标题"]
    cols += [n <= SHORT, n > LONG]
    return ids, labels, [np.asarray(c, dtype=bool) for c in cols]


def feature_matrix(
    posts: Posts, on_radar: np.ndarray | None = None
) -> tuple[list[str], list[str], np.ndarray]:
    """(ids, labels, bool matrix posts x features). Features with no variation are kept; the
    statistics drop them. Without radar overlap the result is computed once per :class:`Posts`
    (the scorer and the element analysis both need it); callers must not modify it."""
    if on_radar is None and posts._features is not None:
        ids0, labels0, m0 = posts._features
        return list(ids0), list(labels0), m0
    ids, labels, cols = _title_columns(posts.title)
    # when: weekday and hour in the platform's local time (China for Chinese platforms)
    ts = posts.published_ts()
    china = np.asarray([p in _CHINA_PLATFORMS for p in posts.platform], dtype=bool)
    known = np.isfinite(ts) & ~np.asarray(posts.published_estimated, dtype=bool)
    local = np.nan_to_num(ts, nan=0.0) + np.where(china, 8 * 3600.0, 0.0)  # China has no DST
    days = np.floor(local / 86400.0)
    wk = known & (((days + 3) % 7) >= 5)  # 1970-01-01 was a Thursday (weekday 3)
    hour = np.floor((local - days * 86400.0) / 3600.0)
    evening = known & (hour >= 18)
    if known.any():
        ids += ["weekend", "evening"]
        labels += ["posted at the weekend 周末发布", "posted 18-24h 晚间发布"]
        cols += [wk, evening]
    dur = np.asarray([d if d is not None else np.nan for d in posts.duration_s], dtype=float)
    if np.isfinite(dur).any():
        ids += ["short_video", "long_video"]
        labels += ["short (< 60 s) 短视频", "long (> 10 min) 长视频"]
        cols += [np.nan_to_num(dur, nan=np.inf) < 60, np.nan_to_num(dur, nan=0) > 600]
    if on_radar is not None:
        ids.append("on_radar")
        labels.append("rode a topic hot on the radar 蹭热点（雷达）")
        cols.append(on_radar)
    # category (分区): one element per category with enough posts, when the files give one
    cats = Counter(c for c in posts.category if c)
    for cat, count in cats.most_common(MAX_CATEGORIES):
        if count < MIN_CATEGORY_POSTS or count == len(posts):
            continue
        ids.append(f"category:{cat}")
        labels.append(f"category {cat} 分区")
        cols.append(np.asarray([c == cat for c in posts.category], dtype=bool))
    ntags = np.asarray([len(t) for t in posts.tags])
    if ntags.any():
        ids.append("many_tags")
        labels.append("10+ tags 标签多")
        cols.append(ntags >= 10)
    matrix = np.column_stack(cols) if cols else np.zeros((len(posts), 0), dtype=bool)
    if on_radar is None:
        posts._features = (list(ids), list(labels), matrix)
    return ids, labels, matrix


TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+(?:'[a-z]+)?|[\u4e00-\u9fff]|[【】!?！？|:：]")


MAX_TOKENS = 40


def title_tokens(title: str) -> tuple[list[str], str]:
    """Tokens and their kinds: Latin words lower-cased ('l'), single CJK characters ('c'),
    numbers as {N} ('n'), marks ('m'). At most MAX_TOKENS."""
    toks: list[str] = []
    kinds: list[str] = []
    for tok in TOKEN.findall(title)[:MAX_TOKENS]:
        c = tok[0]
        if c.isdigit():
            toks.append("{N}")
            kinds.append("n")
        elif c.isascii() and c.isalpha():
            toks.append(tok.lower())
            kinds.append("l")
        elif "\u4e00" <= c <= "\u9fff":
            toks.append(tok)
            kinds.append("c")
        else:
            toks.append(tok)
            kinds.append("m")
    return toks, "".join(kinds)


def templates(title: str) -> set[str]:
    """Token n-grams (2..4) with a number slot, or at least two CJK characters or two words;
    CJK characters and marks join without spaces, words and numbers with one."""
    toks, kinds = title_tokens(title)
    out: set[str] = set()
    n_tok = len(toks)
    for i in range(n_tok - 1):
        parts = [toks[i]]
        for j in range(i + 1, min(i + 4, n_tok)):
            if kinds[j] in "ln" and kinds[j - 1] in "ln":
                parts.append(" ")
            parts.append(toks[j])
            ks = kinds[i : j + 1]
            if "n" in ks or ks.count("c") >= 2 or ks.count("l") >= 2:
                out.add("".join(parts))
    return out


def _kind(tok: str) -> str:
    if tok == "{N}":
        return "n"
    c = tok[0]
    if c.isascii() and c.isalpha():
        return "l"
    return "c" if "\u4e00" <= c <= "\u9fff" else "m"


def join_tokens(toks: tuple[str, ...]) -> str:
    """The template text of a token n-gram, spaced as :func:`templates` spaces it."""
    parts = [toks[0]]
    for j in range(1, len(toks)):
        if _kind(toks[j]) in "ln" and _kind(toks[j - 1]) in "ln":
            parts.append(" ")
        parts.append(toks[j])
    return "".join(parts)
