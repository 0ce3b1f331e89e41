"""jieba without its start-up cost: the dictionary kept in an indexed SQLite file, read per title.

jieba keeps its prefix dictionary in an on-disk cache already, but every process still unmarshals
all of it (≈ 350,000 words and their prefixes) into a dict: ≈ 0.6 s of CPU, most of a scan's time
when a list brings a few new titles. jieba only ever looks up *substrings of the text it cuts*
(the DAG, the route, the HMM buffer and search mode's sub-grams), so a dictionary holding just the
substrings of one title that are in the full dictionary segments that title exactly as the full
one does. This module reads those few entries from an SQLite copy of jieba's dictionary (built
once, next to jieba's own cache, keyed by the dictionary file) and hands jieba a tokenizer with them:
milliseconds instead of the full load. After ``SWITCH_AFTER`` titles in one process (an import, a
long window) the full dictionary is loaded once, as jieba does, and used from then on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

SWITCH_AFTER = 2000  # titles cut from SQLite before the full dictionary is loaded instead
_LOG = logging.getLogger(__name__)


def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def cache_path() -> Path:
    """The SQLite copy of jieba's default dictionary, next to jieba's own cache."""
    jieba = _jieba()
    dict_file = Path(jieba.get_dict_file().name)  # type: ignore[attr-defined]
    st = dict_file.stat()
    key = f"{dict_file.resolve()}|{st.st_size}|{st.st_mtime_ns}|{jieba.__version__}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    base = Path(jieba.dt.tmp_dir or tempfile.gettempdir())
    return base / f"onelegion-jieba-{digest}.sqlite"


def build(path: Path, freq: dict[str, int], total: int) -> None:
    """Write ``freq`` (jieba's prefix dictionary) to ``path`` atomically."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
        con.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        longest = max((len(w) for w in freq), default=1)
        con.executemany("INSERT INTO meta VALUES (?, ?)", [("total", total), ("longest", longest)])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)


class CachedJieba:
    """``lcut`` and ``cut_for_search`` as jieba's, reading the dictionary per title."""

    def __init__(self, path: Path | None = None, switch_after: int = SWITCH_AFTER) -> None:
        self._path = path
        self._switch_after = switch_after
        self._calls = 0
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._total = 0
        self._longest = 1
        self._full: Any = None

    # --- jieba's API, as used by normalize.py ----------------------------------------------
    def lcut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> list[str]:
        return list(self._tokenizer(sentence).cut(sentence, cut_all=cut_all, HMM=HMM))

    def cut_for_search(self, sentence: str, HMM: bool = True) -> Iterator[str]:
        return self._tokenizer(sentence).cut_for_search(sentence, HMM=HMM)  # type: ignore[no-any-return]

    # --- internals --------------------------------------------------------------------------
    def _tokenizer(self, sentence: str) -> Any:
        with self._lock:
            if self._full is None:
                self._calls += 1
                if self._calls > self._switch_after or not self._open():
                    self._full = self._load_full()
            if self._full is not None:
                return self._full
            jieba = _jieba()
            tk = jieba.Tokenizer()
            tk.FREQ = self._entries(sentence)
            tk.total = self._total
            tk.initialized = True
            return tk

    def _open(self) -> bool:
        if self._con is not None:
            return True
        path = self._path or cache_path()
        if not path.exists():
            # first use on this machine: load the full dictionary as jieba does and keep a copy
            full = self._load_full()
            try:
                build(path, full.FREQ, full.total)
            except (OSError, sqlite3.Error) as e:  # a read-only temp dir: go on with the full one
                _LOG.warning("cannot write the jieba dictionary cache %s: %s", path, e)
            self._full = full
            return True
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(con.execute("SELECT k, v FROM meta").fetchall())
        except sqlite3.Error as e:
            _LOG.warning("unreadable jieba dictionary cache %s (%s): loading jieba's own", path, e)
            return False
        self._con, self._total, self._longest = con, int(meta["total"]), int(meta["longest"])
        return True

    def _entries(self, sentence: str) -> dict[str, int]:
        assert self._con is not None
        n, longest = len(sentence), self._longest
        subs = list(
            {sentence[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1)}
        )
        out: dict[str, int] = {}
        for start in range(0, len(subs), 30_000):
            chunk = subs[start : start + 30_000]
            marks = ",".join("?" * len(chunk))
            out.update(
                self._con.execute(f"SELECT w, n FROM freq WHERE w IN ({marks})", chunk).fetchall()
            )
        return out

    @staticmethod
    def _load_full() -> Any:
        jieba = _jieba()
        jieba.dt.check_initialized()
        return jieba.dt


@lru_cache(maxsize=1)
def tokenizer() -> CachedJieba:
    """The process's tokenizer (normalize.py's word functions go through it)."""
    return CachedJieba()
