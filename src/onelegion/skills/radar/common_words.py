"""Common words of the language, from jieba's dictionary counts (a general corpus, not the
history): two titles that share only the two bigrams of '工程师' or '出租车' share one common
word, not a name, and a very common word ('上班', '直播') is a topic, never an event's anchor.
Names of the day's news ('郑钦文', '砂糖橘', '孙颖莎') are absent from the dictionary or rare in it.

The words are kept in common_words.txt beside this module (no tokenizer is loaded to read them):
jieba's 2–6-character words counted at least ``COMMON_FREQ`` times. Rebuild it from the installed jieba with
``python -m onelegion.skills.radar.common_words``.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

COMMON_FREQ = 100  # jieba's dictionary counts: 出租车 395, 电视剧 583, 工程师 1569; 繁花 43
ANCHOR_COMMON_FREQ = 1000  # 上班 1337, 考研 2095, 直播 3572; 李铁 177, 金价 118
WORDS = Path(__file__).with_name("common_words.txt")


@lru_cache(maxsize=1)
def _counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in WORDS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, n = line.partition(" ")
            out[word] = int(n)
    return out


def word_freq(word: str) -> int:
    """jieba's dictionary count of ``word``; 0 when it is absent or below the kept floor."""
    return _counts().get(word, 0)


def is_common(word: str, min_freq: int = COMMON_FREQ) -> bool:
    return word_freq(word) >= min_freq


def build(out: Path = WORDS) -> int:
    """Write common_words.txt from the installed jieba's dict.txt; returns the number of words."""
    import jieba

    src = Path(jieba.__file__).with_name("dict.txt")
    keep: list[tuple[str, int]] = []
    for line in src.read_text(encoding="utf-8").splitlines():
        word, n, *_ = line.split()
        count = int(n)
        if 2 <= len(word) <= 6 and count >= COMMON_FREQ:
            keep.append((word, count))
    head = (
        f"# Common words (issue 9, events.py): jieba {jieba.__version__} dict.txt (MIT licence),\n"
        f"# 2-6-character words counted >= {COMMON_FREQ} times.\n"
        "# Built by python -m onelegion.skills.radar.common_words\n"
    )
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(head + "".join(f"{w} {n}\n" for w, n in sorted(keep)), encoding="utf-8")
    tmp.replace(out)
    return len(keep)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else WORDS), "words written")
