"""Clustering of titles: ``Clusterer`` is the event clustering of events.py (issue 9: one group per
real happening, weighted by the store's history); ``PairClusterer`` below is the earlier rule-based
pair matcher, kept for the benchmarks' side-by-side figures (benchmarks/radar_cluster_eval.py,
radar_event_eval.py): precise on pairs sharing a rare word, but on whole days it finds about one
same-event pair in ten (benchmarks/RESULTS-radar.md).

PairClusterer — the same story, titled differently on Weibo, Toutiao and Zhihu, as one event.

Candidates come from two cheap indexes: MinHash LSH over character bigrams (datasketch) and an
inverted index of rare jieba tokens. Each candidate pair is then checked exactly:

  J   Jaccard of the two titles' character bigrams
  C   containment: shared bigrams / bigrams of the shorter title (a Weibo hashtag inside a long
      Zhihu question)
  T   IDF-weighted token containment, W the IDF weight of the shared content tokens
  BW  weight of the shared character bigrams: IDF over the titles being clustered, in units of
      a bigram seen in one title only, so rare names that jieba splits (胡塞, 痞幼) count and
      Zhihu's "哪些信息值得关注" barely does; BC that weight ÷ the lighter title's bigram weight

A pair matches when J >= 0.5, or
  - BC >= 0.45 and BW >= 3.9 (about four rare bigrams), unless both titles state quantities
    and none agree (3 死 / 5 死), or
  - (C >= 0.6, or T >= 0.5 with two shared tokens) and the shared tokens carry weight
    (W >= 1.6 with two or more, or one shared token of 3+ characters that is not a bare name).
Vetoes and guards: titles naming places (jieba ``ns``; 我国/国内/中方 read as 中国) with none in
common never match (美国 CPI / 我国 CPI); a title shorter than 4 characters never matches by
containment; a title whose only content is a name ('上海', '爱泼斯坦案') matches only when the
whole of it is inside the other title and its bigrams are rare (BW >= 1.87, two rare bigrams:
'爱泼斯坦' yes, '上海' or '科兴' no). Two titles of one platform merge only when near-identical
(J >= 0.6).
An optional ``embed`` callable (texts → vectors) adds pairs whose cosine similarity is >=
``embed_threshold`` among the same candidates.

Clusters are built from the strongest matches down; two clusters merge only when at least
``linkage`` (0.3) of their cross pairs match, which stops chains of loosely related titles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from onelegion.skills.radar._cluster_text import BigramWeights, numbers, places
from onelegion.skills.radar.events import EventClusterer
from onelegion.skills.radar.normalize import char_ngrams, content_tokens, platform_of

Embedder = Callable[[list[str]], Sequence[Sequence[float]]]


@dataclass
class Doc:
    source: str
    title: str  # normalised title
    tokens: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PairScore:
    jaccard: float
    containment: float
    weight: float
    shared: tuple[str, ...]
    token_containment: float = 0.0
    weighted_shared: float = 0.0  # BW: IDF weight of the shared character bigrams
    weighted_containment: float = 0.0  # BC: BW ÷ the lighter title's bigram weight
    numbers_differ: bool = False  # both titles state quantities and none agree


@lru_cache(maxsize=50_000)
def _is_place(token: str) -> bool:
    import jieba.posseg as pseg

    pairs = list(pseg.cut(token))
    return len(pairs) == 1 and pairs[0].flag in ("ns", "nr", "nrt", "nt")


class PairClusterer:
    """The earlier pair-rule clustering (see the module docstring); not used by the analysis."""

    def __init__(
        self,
        *,
        jaccard: float = 0.5,
        containment: float = 0.6,
        min_weight: float = 1.6,
        lsh_threshold: float = 0.3,
        max_df: float = 0.005,
        token_containment: float = 0.5,
        embed: Embedder | None = None,
        embed_threshold: float = 0.85,
        cross_platform_only: bool = False,
        weighted_containment: float = 0.45,
        weighted_shared: float = 3.9,
        bare_name_weight: float = 1.87,
        linkage: float = 0.3,
        number_veto: bool = True,
        place_veto: bool = True,
        min_shared_weight: float = 0.0,
    ) -> None:
        self.jaccard = jaccard
        self.containment = containment
        self.min_weight = min_weight
        self.lsh_threshold = lsh_threshold
        self.max_df = max_df
        self.token_containment = token_containment
        self.embed = embed
        self.embed_threshold = embed_threshold
        self.cross_platform_only = cross_platform_only
        self.weighted_containment = weighted_containment
        self.weighted_shared = weighted_shared
        self.bare_name_weight = bare_name_weight
        self.linkage = linkage
        self.number_veto = number_veto
        self.place_veto = place_veto
        self.min_shared_weight = min_shared_weight
        self._bigrams: BigramWeights | None = None

    # --- pair scoring ---------------------------------------------------------------------
    def score(
        self, a: Doc, b: Doc, idf: dict[str, float], grams: list[set[str]], i: int, j: int
    ) -> PairScore:
        ga, gb = grams[i], grams[j]
        inter = len(ga & gb)
        jac = inter / len(ga | gb) if ga and gb else 0.0
        cont = inter / min(len(ga), len(gb)) if ga and gb else 0.0
        ta, tb = set(a.tokens), set(b.tokens)
        shared = tuple(sorted(ta & tb))
        weight = sum(idf.get(t, 0.0) for t in shared)
        wa = sum(idf.get(t, 0.0) for t in ta)
        wb = sum(idf.get(t, 0.0) for t in tb)
        tcont = weight / min(wa, wb) if wa and wb else 0.0
        ws, wc = self._bigrams.overlap(i, j) if self._bigrams is not None else (0.0, 0.0)
        na, nb = numbers(a.title), numbers(b.title)
        differ = bool(na and nb and not na & nb)
        return PairScore(jac, cont, weight, shared, tcont, ws, wc, differ)

    def is_match(self, a: Doc, b: Doc, s: PairScore, grams_a: set[str], grams_b: set[str]) -> bool:
        if s.jaccard >= self.jaccard and min(len(grams_a), len(grams_b)) >= 3:
            return True
        by_chars = s.containment >= self.containment
        by_tokens = s.token_containment >= self.token_containment and len(s.shared) >= 2
        by_weight = (
            s.weighted_containment >= self.weighted_containment
            and s.weighted_shared >= self.weighted_shared
            and not (self.number_veto and s.numbers_differ)
        )
        if not (by_chars or by_tokens or by_weight):
            return False
        if self.place_veto:
            pa, pb = places(a.title), places(b.title)
            if pa and pb and not pa & pb:
                return False
        short = a if len(grams_a) <= len(grams_b) else b
        if len(short.title.replace(" ", "")) < 4:
            return False
        short_tokens = set(short.tokens)
        if len(short_tokens) <= 1 and all(_is_place(t) for t in short_tokens):
            # a bare name: only a rare one ("爱泼斯坦案"), wholly inside the other title
            return (
                self.bare_name_weight > 0
                and s.containment >= 0.99
                and s.weighted_shared >= self.bare_name_weight
            )
        if by_weight:
            return True
        if s.weighted_shared < self.min_shared_weight:
            return False
        if len(s.shared) >= 2 and s.weight >= self.min_weight:
            return True
        strong = [t for t in s.shared if len(t) >= 3 and not _is_place(t)]
        return by_chars and bool(strong) and s.weight >= self.min_weight * 0.75

    # --- clustering -----------------------------------------------------------------------
    def candidates(self, docs: Sequence[Doc], grams: list[set[str]]) -> set[tuple[int, int]]:
        from datasketch import MinHash, MinHashLSH

        pairs: set[tuple[int, int]] = set()
        lsh = MinHashLSH(threshold=self.lsh_threshold, num_perm=64)
        hashes = []
        proto = MinHash(num_perm=64, seed=1)  # permutations shared: building them is the slow part
        for i, g in enumerate(grams):
            m = MinHash(num_perm=64, seed=1, permutations=proto.permutations, scheme=proto.scheme)
            m.update_batch([x.encode() for x in g] or [b""])
            hashes.append(m)
            lsh.insert(str(i), m)
        for i, m in enumerate(hashes):
            for key in lsh.query(m):
                j = int(key)
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
        df: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            for t in set(d.tokens):
                df[t].append(i)
        limit = max(8, int(self.max_df * len(docs)))
        plat = [platform_of(d.source) for d in docs]
        for t, idx in df.items():
            if len(idx) > limit or len(t) < 2:
                continue
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    a, b = idx[x], idx[y]
                    if plat[a] != plat[b]:  # same-platform pairs only via LSH (near-identical)
                        pairs.add((a, b))
        return pairs

    def cluster(self, docs: Sequence[Doc]) -> list[list[int]]:
        """Groups of doc indexes (every doc in exactly one group; singletons included)."""
        n = len(docs)
        for d in docs:
            if not d.tokens:
                d.tokens = content_tokens(d.title)
        grams = [char_ngrams(d.title, 2) for d in docs]
        self._bigrams = BigramWeights(grams)
        df: dict[str, int] = defaultdict(int)
        for d in docs:
            for t in set(d.tokens):
                df[t] += 1
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        cand = sorted(self.candidates(docs, grams))
        vectors = self._embed(docs) if self.embed else None
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        matched: dict[tuple[int, int], bool] = {}

        def match(i: int, j: int) -> bool:
            key = (min(i, j), max(i, j))
            if key not in matched:
                matched[key] = self._pair(docs, idf, grams, vectors, *key)
            return matched[key]

        members: dict[int, list[int]] = {i: [i] for i in range(n)}
        edges = [(i, j) for i, j in cand if match(i, j)]
        # strongest edges first; two clusters merge only when enough of their cross pairs match
        # (``linkage`` of them: average linkage over the match rule), which stops long chains
        edges.sort(key=lambda e: -self._strength(docs, idf, grams, *e))
        for i, j in edges:
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            mi, mj = members[ri], members[rj]
            if len(mi) * len(mj) > 1:
                hits = sum(1 for x in mi for y in mj if match(x, y))
                if hits < self.linkage * len(mi) * len(mj):
                    continue
            parent[ri] = rj
            members[rj] = mj + mi
            del members[ri]
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(n):
            groups[find(i)].append(i)
        return sorted(groups.values(), key=lambda g: (-len(g), g[0]))

    def _pair(
        self,
        docs: Sequence[Doc],
        idf: dict[str, float],
        grams: list[set[str]],
        vectors: list[Sequence[float]] | None,
        i: int,
        j: int,
    ) -> bool:
        a, b = docs[i], docs[j]
        same = platform_of(a.source) == platform_of(b.source)
        if same and self.cross_platform_only:
            return False
        s = self.score(a, b, idf, grams, i, j)
        ok = self.is_match(a, b, s, grams[i], grams[j])
        if same and ok:
            ok = s.jaccard >= 0.6  # within one platform only near-identical titles merge
        if not ok and vectors is not None:
            ok = _cosine(vectors[i], vectors[j]) >= self.embed_threshold and s.containment >= 0.2
        return ok

    def _strength(
        self, docs: Sequence[Doc], idf: dict[str, float], grams: list[set[str]], i: int, j: int
    ) -> float:
        s = self.score(docs[i], docs[j], idf, grams, i, j)
        return max(s.jaccard, s.containment, s.token_containment)

    def _embed(self, docs: Sequence[Doc]) -> list[Sequence[float]]:
        assert self.embed is not None
        vecs = list(self.embed([d.title for d in docs]))
        if len(vecs) != len(docs):
            raise ValueError("the embedding hook returned a different number of vectors")
        return vecs


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


Clusterer = EventClusterer  # the radar's clustering: one group per real happening (events.py)
