"""Word boundaries: jieba for Chinese (loaded once, lazily), spaces elsewhere."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

_lock = threading.Lock()
_ready = False


def _jieba() -> object:
    global _ready
    import jieba

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True
    return jieba


@lru_cache(maxsize=65536)
def boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` between two jieba words (0 and len(text) included)."""
    jieba = _jieba()
    out = {0}
    pos = 0
    for word in jieba.cut(text, HMM=True):  # type: ignore[attr-defined]
        pos += len(word)
        out.add(pos)
    return frozenset(out)
