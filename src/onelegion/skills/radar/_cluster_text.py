"""Title features for event clustering: rarity-weighted bigrams, quantities, place names."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

_NUMBER_CONTEXT_RE = re.compile(r"(\d+(?:\.\d+)?)(\s*[年月日号时点]?)")


def numbers(norm_title: str) -> frozenset[str]:
    """Quantities of a title ('200多发' → 200, '25.74万亿' → 25.74); years, months, days and times
    ('2024年', '12月', '4日', '13点') and numbers inside Latin names ('model 3', 'cr450') are left out.
    """
    out = set()
    for m in _NUMBER_CONTEXT_RE.finditer(norm_title):
        start = m.start(1)
        if start and (norm_title[start - 1].isascii() and norm_title[start - 1].isalpha()):
            continue  # cr450, magic6
        end = m.end(1)
        if end < len(norm_title) and norm_title[end].isascii() and norm_title[end].isalpha():
            continue  # 5g, 3d
        if m.group(2).strip():
            continue
        value = m.group(1)
        if len(value) == 4 and value[:2] in ("19", "20") and "." not in value:
            continue  # a bare year: "2023我国…"
        if (start and norm_title[start - 1] in "-:/") or (
            end < len(norm_title) and norm_title[end] in "-:/"
        ):
            continue  # ranges, scores and dates ('23-24', '127:109', '1/11') are ambiguous
        out.add(value)
    return frozenset(out)


class BigramWeights:
    """Character bigrams of each title, weighted by their rarity across the titles.

    A bigram's weight is its IDF, log((n + 1) / (df + 0.5)), divided by the IDF of a bigram seen
    in one title only: a unique bigram weighs 1 whatever the number of titles, one in every
    title about 0, so thresholds mean "about k rare bigrams" for 50 titles as for 2,000.
    """

    def __init__(self, grams: Sequence[set[str]]) -> None:
        self.grams = grams
        df: dict[str, int] = defaultdict(int)
        for g in self.grams:
            for x in g:
                df[x] += 1
        n = len(grams)
        unique = math.log((n + 1) / 1.5) or 1.0
        self.idf = {x: max(0.0, math.log((n + 1) / (c + 0.5)) / unique) for x, c in df.items()}
        self.total = [sum(self.idf[x] for x in g) for g in self.grams]

    def overlap(self, i: int, j: int) -> tuple[float, float]:
        """(weight of the shared bigrams, that weight ÷ the lighter title's weight)."""
        shared = self.grams[i] & self.grams[j]
        w = sum(self.idf[x] for x in shared)
        lighter = min(self.total[i], self.total[j])
        return w, (w / lighter if lighter else 0.0)


_HOME_COUNTRY = ("我国", "国内", "中方")


@lru_cache(maxsize=50_000)
def places(norm_title: str) -> frozenset[str]:
    """Place names jieba tags in a title (ns), with '我国' / '国内' / '中方' read as 中国."""
    import jieba.posseg as pseg

    out = {w for w, flag in pseg.cut(norm_title) if flag == "ns" and len(w) >= 2}
    if any(h in norm_title for h in _HOME_COUNTRY):
        out.add("中国")
    return frozenset(out)
