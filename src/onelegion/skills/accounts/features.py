"""Title and post features ("elements"), Chinese and English.

Each feature is a yes/no per post. Lexicons are small and documented here; they are meant to be
read and extended, not to be complete.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
SECOND_PERSON = re.compile(r"你|您|\byou(r|rs|'re)?\b", re.I)
NUMBER = re.compile(r"\d")
LIST_COUNT = re.compile(
    r"\d+\s*(?:个|种|条|件|招|步|款|大|点|天|分钟|秒)"
    r"|\d+\s*(?:ways|things|tips|reasons|steps|mistakes|facts|ideas)\b|\btop\s*\d+",
    re.I,
)
QUESTION = re.compile(r"[?？]|吗$|吗[，。！!]|为什么|怎么|如何|\b(why|how|what|which|who)\b", re.I)
EXCLAIM = re.compile(r"[!！]")
BRACKETS = re.compile(r"【[^】]*】|\[[^\]]*\]|「[^」]*」")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
ALL_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
CN = timezone(timedelta(hours=8))


def _has_any(words: tuple[str, ...]) -> Callable[[str], bool]:
    ascii_words = [w for w in words if w.isascii()]
    other = [w for w in words if not w.isascii()]
    rx = (
        re.compile(r"\b(" + "|".join(re.escape(w) for w in ascii_words) + r")\b", re.I)
        if ascii_words
        else None
    )

    def f(t: str) -> bool:
        return any(w in t for w in other) or bool(rx and rx.search(t))

    return f


def _len(t: str) -> int:
    # a CJK character counts like a word of Latin text (~ 2 chars)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in t)


TITLE_FEATURES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "number": (
        "a number, not a list count 含数字（非清单）",
        lambda t: bool(NUMBER.search(LIST_COUNT.sub("", t))),
    ),
    "list_count": ("list count (3个 / 5 tips) 清单数字", lambda t: bool(LIST_COUNT.search(t))),
    "question": ("question 疑问句", lambda t: bool(QUESTION.search(t))),
    "exclamation": ("exclamation 感叹号", lambda t: bool(EXCLAIM.search(t))),
    "brackets": ("【】/[] brackets 括号标注", lambda t: bool(BRACKETS.search(t))),
    "emoji": ("emoji 表情", lambda t: bool(EMOJI.search(t))),
    "second_person": ("second person (你/you) 第二人称", lambda t: bool(SECOND_PERSON.search(t))),
    "hook_words": ("hook words (揭秘/必看/千万别…) 钩子词", _has_any(HOOK_WORDS)),
    "contrast": ("contrast (但/竟然/vs) 反转对比", _has_any(CONTRAST)),
    "positive": ("positive emotion 正面情绪", _has_any(POSITIVE)),
    "negative": ("negative emotion 负面情绪", _has_any(NEGATIVE)),
    "caps": ("ALL-CAPS word 全大写词", lambda t: bool(ALL_CAPS_WORD.search(t))),
    "short_title": ("short title (<= 16) 短标题", lambda t: _len(t) <= 16),
    "long_title": ("long title (> 50) 长标题", lambda t: _len(t) > 50),
}


def feature_matrix(posts: Posts) -> tuple[list[str], list[str], np.ndarray]:
    """(ids, labels, bool matrix posts x features). Features with no variation are kept; the
    statistics drop them."""
    ids: list[str] = []
    labels: list[str] = []
    cols: list[np.ndarray] = []
    titles = posts.title
    for fid, (label, fn) in TITLE_FEATURES.items():
        ids.append(fid)
        labels.append(label)
        cols.append(np.fromiter((fn(t) for t in titles), dtype=bool, count=len(titles)))
    # when: weekday and hour in the platform's local time (China for Chinese platforms)
    wk = np.zeros(len(posts), dtype=bool)
    evening = np.zeros(len(posts), dtype=bool)
    known = np.zeros(len(posts), dtype=bool)
    for i, (p, est, plat) in enumerate(
        zip(posts.published, posts.published_estimated, posts.platform, strict=True)
    ):
        if p is None or est:
            continue
        local = (
            p.astimezone(CN) if plat in ("xhs", "dy", "bili", "ks", "wb", "tieba", "zhihu") else p
        )
        known[i] = True
        wk[i] = local.weekday() >= 5
        evening[i] = 18 <= local.hour <= 23
    if known.any():
        ids += ["weekend", "evening"]
        labels += ["posted at the weekend 周末发布", "posted 18-24h 晚间发布"]
        cols += [wk, evening]
    dur = np.asarray([d if d is not None else np.nan for d in posts.duration_s], dtype=float)
    if np.isfinite(dur).any():
        ids += ["short_video", "long_video"]
        labels += ["short (< 60 s) 短视频", "long (> 10 min) 长视频"]
        cols += [np.nan_to_num(dur, nan=np.inf) < 60, np.nan_to_num(dur, nan=0) > 600]
    ntags = np.asarray([len(t) for t in posts.tags])
    if ntags.any():
        ids.append("many_tags")
        labels.append("10+ tags 标签多")
        cols.append(ntags >= 10)
    return ids, labels, np.column_stack(cols) if cols else np.zeros((len(posts), 0), dtype=bool)


TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+(?:'[a-z]+)?|[\u4e00-\u9fff]|[【】!?！？|:：]")


def title_tokens(title: str) -> list[str]:
    """Words (Latin, lower-cased), single CJK characters, numbers as {N}, and marks."""
    out = []
    for tok in TOKEN.findall(title):
        if tok[0].isdigit():
            out.append("{N}")
        elif tok.isascii() and tok[0].isalpha():
            out.append(tok.lower())
        else:
            out.append(tok)
    return out


def templates(title: str) -> set[str]:
    """Token n-grams (2..4) containing a number slot, a mark or at least two CJK characters;
    CJK characters join without spaces."""
    toks = title_tokens(title)
    out: set[str] = set()
    for n in (2, 3, 4):
        for i in range(len(toks) - n + 1):
            g = toks[i : i + n]
            cjk = sum(1 for t in g if len(t) == 1 and "\u4e00" <= t <= "\u9fff")
            latin = sum(1 for t in g if t.isascii() and t[:1].isalpha())
            if cjk < 2 and latin < 2 and "{N}" not in g:
                continue
            text = ""
            for t in g:
                if (
                    text
                    and ((t.isascii() and t[:1].isalpha()) or t == "{N}")
                    and ((text[-1].isascii() and text[-1].isalnum()) or text.endswith("}"))
                ):
                    text += " "
                text += t
            out.add(text)
    return out
