"""Common words of the language, from jieba's dictionary frequencies (a general corpus, not the
history): two titles that share only the two bigrams of '工程师' or '世界上' share one common word,
not a name. Names of the day's news ('郑钦文', '砂糖橘', '孙颖莎') are absent from the dictionary
or rare in it. Looked up through the SQLite copy that jieba_cache.py keeps, one word at a time.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from onelegion.skills.radar.jieba_cache import cache_path, tokenizer

COMMON_FREQ = 100  # jieba's dictionary counts: 出租车 395, 电视剧 583, 工程师 1569; 繁花 43


@lru_cache(maxsize=1)
def _connection() -> sqlite3.Connection | None:
    path = cache_path()
    if not path.exists():
        tokenizer().lcut("建立缓存")  # the first use on this machine writes the SQLite copy
    if not path.exists():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None


@lru_cache(maxsize=100_000)
def word_freq(word: str) -> int:
    """jieba's dictionary count of ``word`` (0 when absent or the dictionary is unreadable)."""
    con = _connection()
    if con is None:
        return 0
    try:
        row = con.execute("SELECT n FROM freq WHERE w = ?", (word,)).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0]) if row else 0


def is_common(word: str, min_freq: int = COMMON_FREQ) -> bool:
    return word_freq(word) >= min_freq
