"""Translation memory: reviewed source -> target pairs in a small SQLite file, reused exactly or by
fuzzy match (rapidfuzz), and the glossary (a CSV of term pairs).

Default location: ``$LEGION_HOME/workspace/subs/memory.sqlite`` (shared by every run); ``--memory``
points elsewhere. Only work a person reviewed (``subs review --import``) goes in.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.errors import UserError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
  src_lang TEXT NOT NULL,
  tgt_lang TEXT NOT NULL,
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  origin TEXT NOT NULL,
  updated REAL NOT NULL,
  PRIMARY KEY (src_lang, tgt_lang, key)
)
"""


def normalise_key(text: str) -> str:
    """Case-, width- and whitespace-insensitive key of a source segment."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", t).strip()


def lang_key(lang: str) -> str:
    return lang.split("-")[0].lower() if lang else ""


@dataclass
class Match:
    target: str
    kind: str  # "exact" | "fuzzy"
    score: float
    source: str


class Memory:
    """A translation memory file. Use as a context manager (closes the connection)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=30)
            self.db.execute(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise UserError(f"{self.path} is not a translation memory: {e}") from None
        self._cache: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _pairs(self, src: str, tgt: str) -> dict[str, tuple[str, str]]:
        k = (lang_key(src), lang_key(tgt))
        if k not in self._cache:
            rows = self.db.execute(
                "SELECT key, source, target FROM tm WHERE src_lang=? AND tgt_lang=?", k
            ).fetchall()
            self._cache[k] = {r[0]: (r[1], r[2]) for r in rows}
        return self._cache[k]

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM tm").fetchone()[0])

    def add(
        self, src_lang: str, tgt_lang: str, pairs: list[tuple[str, str]], origin: str = "review"
    ) -> int:
        """Store (source, target) pairs; the newest wins for the same source. Returns rows written."""
        now = time.time()
        rows = [
            (lang_key(src_lang), lang_key(tgt_lang), normalise_key(s), s, t, origin, now)
            for s, t in pairs
            if s.strip() and t.strip()
        ]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO tm VALUES (?,?,?,?,?,?,?)", rows)
        self._cache.pop((lang_key(src_lang), lang_key(tgt_lang)), None)
        return len(rows)

    def lookup(
        self, src_lang: str, tgt_lang: str, text: str, min_score: float = 90.0
    ) -> Match | None:
        pairs = self._pairs(src_lang, tgt_lang)
        if not pairs:
            return None
        key = normalise_key(text)
        hit = pairs.get(key)
        if hit is not None:
            return Match(target=hit[1], kind="exact", score=100.0, source=hit[0])
        if min_score >= 100:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, list(pairs), scorer=fuzz.ratio, score_cutoff=min_score)
        if best is None:
            return None
        src, tgt = pairs[best[0]]
        return Match(target=tgt, kind="fuzzy", score=round(float(best[1]), 1), source=src)


# --- glossary ---------------------------------------------------------------------------------
@dataclass
class Term:
    source: str
    target: str
    note: str = ""


def read_glossary(path: Path) -> list[Term]:
    """CSV with columns source,target[,note] (a header row is optional). Duplicates are refused."""
    from onelegion.tables.encoding import decode_text

    text, _, _ = decode_text(Path(path).read_bytes(), None)
    text = text.lstrip("\ufeff")
    sample = text[:2000]
    delim = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        rows = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as e:  # a stray quote or NUL (found by fuzzing)
        raise UserError(
            f"glossary {Path(path).name} is not a readable CSV: {e}",
            hint="write one term pair per row: source,target[,note]",
        ) from None
    if rows and [c.strip().lower() for c in rows[0][:2]] in (
        ["source", "target"],
        ["原文", "译文"],
        ["en", "zh"],
    ):
        rows = rows[1:]
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for n, r in enumerate(rows, 1):
        if len(r) < 2 or not r[0].strip() or not r[1].strip():
            raise UserError(
                f"glossary {Path(path).name}, row {n}: needs a source and a target term",
                hint="write one term pair per row: source,target[,note]",
            )
        k = normalise_key(r[0])
        if k in seen:
            raise UserError(
                f"glossary {Path(path).name} lists {r[0].strip()!r} twice (rows {seen[k]} and {n})",
                hint="keep one translation per term",
            )
        seen[k] = n
        terms.append(Term(r[0].strip(), r[1].strip(), r[2].strip() if len(r) > 2 else ""))
    if not terms:
        raise UserError(f"glossary {Path(path).name} has no term pairs")
    return terms


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The glossary terms that occur in ``text`` (case-insensitive, whole words for Latin terms)."""
    low = text.casefold()
    out = []
    for t in terms:
        s = t.source.casefold()
        if s.isascii():
            if re.search(r"(?<![\w])" + re.escape(s) + r"(?![\w])", low):
                out.append(t)
        elif s in low:
            out.append(t)
    return out
