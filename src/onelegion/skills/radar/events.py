"""Events: every title of a window that tells of one real happening, on any platform, as one group.

Terms. A title becomes a vector of its character bigrams (and Latin/digit words: 'su7', 'cr450';
years such as '2024' or '23-24' are left out), after the question framing that Zhihu wraps around
news is removed ('如何看待', '哪些信息值得关注', ...) and aliases are read as one name (SYNONYMS:
'尔滨' → 哈尔滨, '雷总' → 雷军, '我国' → 中国, 'tesla' → 特斯拉). Bigrams need no tokenizer: names
jieba does not know (李在明, 痞幼) are matched as well as words, and nothing is loaded at start-up.

Weights. Each term weighs its rarity in the **history before the window** (``Background``: the
titles the store already holds), not in the window itself, so a term that fills today's lists
because of one happening ('地震' the day of an earthquake, '格莱美' the night of the Grammys) keeps
its weight while words every day uses ('回应', '网友') weigh little; a term more frequent today
than in the history weighs a little more (``burst`` × the log of the ratio). Without a history the
window is its own background (less accurate: see benchmarks/RESULTS-radar.md).

Paraphrase. A term that co-occurs with another in at least ``min_cooccur`` titles of the window,
in at least ``cond_prob`` of its own titles, lends that other term ``expansion`` of its weight
('宝总' → '繁花' when several titles name both), so an angle naming only a person or a detail can
still join its event.

Linkage. Agglomerative on centroids (sum of member vectors, normalised): the most similar pair of
groups (cosine >= ``threshold``) merges first and its centroid is recomputed, so an event gathers
its angles (the toll as it updates, the tsunami warning, the aftershock) while a title sharing only
a hub word ('日本' for an air crash beside an earthquake) stays out once the event's own words
dominate the centroid. Two groups must share at least ``min_shared`` terms, unless one is only the
shared term (a bare keyword); two bigrams chained into one common word of the language
('工程' + '程师' = 工程师, common_words.py: jieba's dictionary counts) count as one. Candidates are
pairs sharing a term in at most ``max_term_share`` of the titles, which keeps the work
near-linear (≈ 0.25 s for a day of 900 titles).

Anchors. An event is often told in sub-groups that share only its name ('李铁案择期宣判',
'李铁押解车辆已经驶入法院'): one shared term is not enough for the linkage above (it is a topic
as often as an event). The window's anchors — a bare keyword title named inside at least three
titles ('李铁', '繁花', '小米汽车'), a term bursting in the window, the first name of an alias group
of event_links.txt ('雷军' names '小米': founders and their companies, general knowledge) — then
gather the groups whose titles name them: each group joins only its most widespread anchor, and of
the groups merged only the titles naming the anchor move, so a person in two stories, or a side
title of a sub-group, does not chain two events.

Finally a bare keyword title ('梅西', '小米汽车', up to ``bare_max_chars``) joins the group holding
most of the titles that contain it.

An optional ``embed`` callable (texts → vectors) appends each title's embedding, its window's mean
taken off (sentence models put every title near one direction) and normalised, at
``embed_weight``, to its vector: semantic similarity then counts in every comparison, and two
groups whose mean embeddings reach ``embed_threshold`` cosine need no second shared term.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from onelegion.skills.radar.common_words import ANCHOR_COMMON_FREQ, COMMON_FREQ, is_common
from onelegion.skills.radar.normalize import normalize_title

Embedder = Callable[[list[str]], Sequence[Sequence[float]]]
Vector = dict[str, float]

# A title lends co-occurrence weight through at most this many of its terms (its rarest in the
# window): the co-occurrence count is quadratic in a title's terms, and real hot-list titles
# have at most about 30 that count (the longest Zhihu questions); a 500-character title would
# have hundreds.
MAX_COOCCUR_TERMS = 32

# question framing and stock phrases of Zhihu and news headlines: they say nothing about the event
_FRAMING = re.compile(
    "|".join(
        [
            r"有?哪些信息值得关注",
            r"有?哪些值得关注的(?:点|地方|信息|剧情点)?",
            r"值得关注",
            r"(?:会|将)?(?:带来|产生)(?:哪些|什么)?影响",
            r"有何影响",
            r"释放了?哪些信号",
            r"透露了?哪些信号",
            r"对此你有何期待",
            r"对此你怎么看",
            r"对此你作何评价",
            r"你怎么看",
            r"如何看待此事",
            r"如何看待",
            r"如何评价",
            r"如何解读",
            r"怎么看待",
            r"(?:具体|目前)?情况如何",
            r"拍得如何",
            r"有哪些",
            r"哪些",
            r"为什么",
            r"是什么",
            r"这场比赛",
            r"如何",
            r"什么",
        ]
    )
)
_YEAR = re.compile(r"(?:19|20)\d\d|\d\d")
_RUNS = re.compile(r"[\u3400-\u9fff]+|[a-z0-9][a-z0-9.+]*")


# One name for what hot lists call by several: nicknames, short forms, transliterations.
# (A title is compared under the first name of its group; whole words only where noted.)
SYNONYMS: dict[str, str] = {
    alias: group[0]
    for group in (
        ("哈尔滨", "尔滨"),
        ("霉霉", "泰勒斯威夫特", "泰勒·斯威夫特", "taylor swift", "taylorswift"),
        ("雷军", "雷总"),
        ("特朗普", "川普"),
        ("詹姆斯", "詹皇", "老詹"),
        ("国足", "中国男足"),
        ("沪指", "上证指数"),
        ("美国", "美方", "老美"),
        ("日本", "日方"),
        ("韩国", "韩方"),
        ("俄罗斯", "俄方"),
        ("中国", "我国", "中方", "国内"),
        ("孙颖莎", "莎莎"),
        ("梅西", "messi"),
        ("马斯克", "musk"),
        ("苹果", "apple"),
        ("英伟达", "nvidia"),
        ("华为", "huawei"),
        ("小米", "xiaomi"),
        ("特斯拉", "tesla"),
    )
    for alias in group
}  # canonical names map to themselves, so '哈尔滨' is matched whole and not as '哈' + '尔滨'
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))


def _load_links() -> dict[str, str]:
    """event_links.txt: alias -> the anchor of its group (general knowledge, see the file)."""
    text = (Path(__file__).parent / "event_links.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        names = [canonical_name(n) for n in line.split("#", 1)[0].split()]
        for n in names[1:]:
            out[n] = names[0]
    return out


def canonical_name(name: str) -> str:
    return _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], normalize_title(name)).replace(" ", "")


def canonical(norm_title: str) -> str:
    """The title with each alias replaced by its group's first name ('尔滨' → '哈尔滨')."""
    return _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], norm_title)


LINKS: dict[str, str] = _load_links()
_LINK_RE = re.compile("|".join(sorted(map(re.escape, LINKS), key=len, reverse=True)))


@lru_cache(maxsize=200_000)
def terms(norm_title: str) -> frozenset[str]:
    """Character bigrams of the title's Chinese runs and its Latin/digit words, framing removed."""
    text = _FRAMING.sub(" ", canonical(norm_title))
    out: set[str] = set()
    for run in _RUNS.findall(text):
        if run.isascii():
            word = run.rstrip(".+")
            if len(word) >= 2 and not _YEAR.fullmatch(word):
                out.add(word)  # 'su7', 'cr450', '600'; years ('2024', '23-24') say little
            continue
        if len(run) == 1:
            continue
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(out)


class Background:
    """Document frequency of terms in earlier titles (the store's history before the window)."""

    def __init__(self, titles: Iterable[str] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        self.titles: list[str] = []  # normalised, for anchor co-occurrence (events.py)
        for t in titles:
            norm = normalize_title(t)
            self.df.update(terms(norm))
            self.titles.append(norm)
            self.n += 1


def _norm(v: Vector) -> Vector:
    s = math.sqrt(sum(x * x for x in v.values()))
    return {k: x / s for k, x in v.items()} if s else v


def _cos(a: Vector, b: Vector) -> float:
    """Dot product of two normalised vectors: the products of the shared terms, summed in the
    order of the shorter vector (the same float result as summing over all of its terms)."""
    if len(a) > len(b):
        a, b = b, a
    shared = a.keys() & b.keys()
    if len(shared) <= 2:  # none, one or two products: their sum does not depend on the order
        return sum(a[k] * b[k] for k in shared) if shared else 0.0
    return sum(x * b[k] for k, x in a.items() if k in shared)


class EventClusterer:
    """Groups titles into events; ``cluster(docs)`` takes objects with a normalised ``title``."""

    def __init__(
        self,
        *,
        threshold: float = 0.15,
        expansion: float = 0.2,
        min_cooccur: int = 2,
        cond_prob: float = 0.3,
        max_term_share: float = 0.07,
        background: Background | None = None,
        embed: Embedder | None = None,
        embed_weight: float = 0.5,
        embed_threshold: float = 0.6,
        embed_center: bool = True,
        min_shared: int = 2,
        burst: float = 0.1,
        bare_max_chars: int = 6,
        bare_share: float = 0.6,
        anchors: bool = True,
        anchor_count: int = 5,
        anchor_lift: float = 30.0,
        anchor_cover: float = 0.5,
        bare_anchor_min: int = 3,
        aliases: bool = True,
        common_freq: int = COMMON_FREQ,
        anchor_common_freq: int = ANCHOR_COMMON_FREQ,
        screen_pairs: int = 100_000,
    ) -> None:
        self.anchor_common_freq = anchor_common_freq
        self.use_anchors = anchors
        self.anchor_count = anchor_count
        self.anchor_lift = anchor_lift
        self.anchor_cover = anchor_cover
        self.bare_anchor_min = bare_anchor_min
        self.aliases = aliases
        self.common_freq = common_freq
        self.anchors: frozenset[str] = frozenset()  # the window's bursting terms (vectors())
        self.bare_max_chars = bare_max_chars
        self.bare_share = bare_share
        self.burst = burst
        self.min_shared = min_shared
        self.threshold = threshold
        self.expansion = expansion
        self.min_cooccur = min_cooccur
        self.cond_prob = cond_prob
        self.max_term_share = max_term_share
        self.background = background
        self.embed = embed
        self.embed_weight = embed_weight
        self.embed_threshold = embed_threshold
        self.embed_center = embed_center
        self.screen_pairs = screen_pairs

    # --- vectors ----------------------------------------------------------------------------
    def vectors(self, titles: Sequence[str]) -> tuple[list[Vector], list[frozenset[str]]]:
        grams = [terms(t) for t in titles]
        day: Counter[str] = Counter()
        for g in grams:
            day.update(g)
        bg = self.background
        if bg is not None and bg.n:
            total = bg.n + len(titles)
            idf = {t: math.log((total + 1) / (bg.df.get(t, 0) + 0.5)) for t in day}
            if self.burst > 0:
                n = len(titles)
                for t, c in day.items():
                    lift = math.log((c / n) / ((bg.df.get(t, 0) + 0.5) / bg.n))
                    if c >= 2 and lift > 0:
                        idf[t] *= 1 + self.burst * lift
        else:  # no history: the window is its own background
            total = len(titles)
            idf = {t: math.log((total + 1) / (c + 0.5)) for t, c in day.items()}
        hub = max(8, int(self.max_term_share * len(titles)))
        anchors: set[str] = set()
        if self.use_anchors and self.anchor_count > 0:
            n = len(titles)
            for t, c in day.items():
                if c < self.anchor_count or c > hub:
                    continue
                if bg is None or not bg.n:
                    break  # bursting needs a history to burst against
                lift = (c / n) / ((bg.df.get(t, 0) + 0.5) / bg.n)
                if lift >= self.anchor_lift and not self._common(t):
                    anchors.add(t)
        self.anchors = frozenset(anchors)
        cooc: dict[str, Counter[str]] = defaultdict(Counter)
        if self.expansion > 0:
            for g in grams:
                keep = [t for t in g if 2 <= day[t] <= hub]
                if len(keep) > MAX_COOCCUR_TERMS:  # a long title: its rarest terms (see above)
                    rare = set(sorted(keep, key=lambda t: (day[t], t))[:MAX_COOCCUR_TERMS])
                    keep = [t for t in keep if t in rare]
                for a in keep:  # counts every other kept term of the title (and a, taken out)
                    ca = cooc[a]
                    ca.update(keep)
                    del ca[a]
        # what each term lends, worked out once per term (not once per title that holds it)
        lends: dict[str, list[tuple[str, float]]] = {}
        for t, co in cooc.items():
            floor = max(self.min_cooccur, self.cond_prob * day[t])
            lends[t] = [(u, idf[t] * c / day[t]) for u, c in co.items() if c >= floor]
        vecs: list[Vector] = []
        for g in grams:
            v: Vector = {t: idf[t] for t in g}
            lent: dict[str, float] = defaultdict(float)
            for t in g:
                for u, x in lends.get(t, ()):
                    if u not in v:
                        lent[u] += x
            for u, x in lent.items():
                v[u] = self.expansion * min(x, idf[u])
            vecs.append(_norm(v))
        return vecs, grams

    # --- clustering -------------------------------------------------------------------------
    def cluster(self, docs: Sequence[object]) -> list[list[int]]:
        """Groups of doc indexes (every doc in exactly one group; singletons included).

        ``docs`` need a ``title`` attribute holding the normalised title.
        """
        titles = [str(getattr(d, "title")) for d in docs]  # noqa: B009
        n = len(titles)
        if n == 0:
            return []
        vecs, grams = self.vectors(titles)
        sem: dict[int, list[float]] = {}
        if self.embed is not None:
            sem = dict(enumerate(self._add_embeddings(titles, vecs)))
        day: Counter[str] = Counter()
        for g in grams:
            day.update(g)
        hub = max(8, int(self.max_term_share * n))
        index: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(grams):
            for t in g:
                if day[t] <= hub:
                    index[t].append(i)
        # neighbours: the groups sharing an indexed term with a group, built when first needed
        # (a title that never merges never needs its set) and kept current as groups merge
        indexed = [[t for t in g if day[t] <= hub] for g in grams]
        group_of = list(range(n))
        neighbours: dict[int, set[int]] = {}

        def neighbours_of(g: int) -> set[int]:
            nb = neighbours.get(g)
            if nb is None:  # a title still alone
                nb = {group_of[x] for t in indexed[g] for x in index[t]}
                nb.discard(g)
                neighbours[g] = nb
            return nb

        heap: list[tuple[float, int, int]] = []
        n_pairs = sum(len(idx) * (len(idx) - 1) // 2 for idx in index.values())
        todo: Iterable[tuple[int, int]]
        if n_pairs > self.screen_pairs and not sem and n <= _SCREEN_MAX_DOCS:
            # many candidate pairs (long titles sharing many terms): their dot products are
            # summed in numpy first, and only the pairs that may reach the threshold are
            # computed exactly below — the same pairs, the same values, without a Python loop
            # over all of them
            todo = _screen(vecs, index, n, self.threshold)
        else:
            todo = ((i, j) for i in range(n) for j in neighbours_of(i) if i < j)
        for i, j in todo:
            c = _cos(vecs[i], vecs[j])
            if c >= self.threshold:
                heap.append((-c, i, j))
        heapq.heapify(heap)
        sums: dict[int, Vector] = {i: dict(vecs[i]) for i in range(n)}
        cents: dict[int, Vector] = {i: vecs[i] for i in range(n)}
        members: dict[int, list[int]] = {i: [i] for i in range(n)}
        words: dict[int, frozenset[str]] = {i: grams[i] for i in range(n)}
        nxt = n
        while heap:
            _c, a, b = heapq.heappop(heap)
            if a not in members or b not in members:
                continue
            if not self._evidence(words[a], words[b]) and not (
                sem and _dense_cos(sem[a], sem[b]) >= self.embed_threshold
            ):
                continue
            words[nxt] = words.pop(a) | words.pop(b)
            if sem:
                sem[nxt] = [x + y for x, y in zip(sem.pop(a), sem.pop(b), strict=True)]
            k, nxt = nxt, nxt + 1
            s = sums.pop(a)
            for t, w in sums.pop(b).items():
                s[t] = s.get(t, 0.0) + w
            sums[k] = s
            cents[k] = _norm(s)
            del cents[a], cents[b]
            members[k] = members.pop(a) + members.pop(b)
            nb = (neighbours_of(a) | neighbours_of(b)) - {a, b}
            del neighbours[a], neighbours[b]
            neighbours[k] = nb
            for m in members[k]:
                group_of[m] = k
            for o in nb:
                on = neighbours.get(o)
                if on is not None:  # a set not yet built reads group_of when it is
                    on.discard(a)
                    on.discard(b)
                    on.add(k)
                c = _cos(cents[k], cents[o])
                if c >= self.threshold:
                    heapq.heappush(heap, (-c, o, k))
        groups = [sorted(m) for m in members.values()]
        if self.use_anchors:
            groups = self._merge_on_anchors(groups, titles)
        groups = self._attach_bare_keywords(titles, groups)
        return sorted(groups, key=lambda g: (-len(g), g[0]))

    def _merge_on_anchors(self, groups: list[list[int]], titles: list[str]) -> list[list[int]]:
        """Groups told around one of the window's anchors become one event.

        Anchors: a bare keyword title ('繁花', '李铁', '小米汽车') named inside at least
        ``bare_anchor_min`` titles; a term bursting in the window (``vectors``: in at least
        ``anchor_count`` titles, ``anchor_lift`` times its history rate); the first name of an
        alias group of event_links.txt named in two titles or more ('雷军' names '小米').
        A group holds an anchor named in at least ``anchor_cover`` of its titles, and joins only
        its most widespread one, so a person in two stories cannot chain them; of the groups
        merged, only the titles naming the anchor move (the largest group keeps its others).
        """
        base = [canonical(t).replace(" ", "") for t in titles]
        compact = base
        anchors = set(self.anchors)
        if self.aliases:
            compact = [
                t + "".join(sorted({"|" + LINKS[m] for m in _LINK_RE.findall(t)})) for t in base
            ]
            anchors.update(h for h in set(LINKS.values()) if sum(h in t for t in compact) >= 2)
        hub = max(8, int(self.max_term_share * len(titles)))
        for key in set(base):
            if (
                2 <= len(key) <= self.bare_max_chars
                and not key.isascii()
                and self.bare_anchor_min <= sum(key in t for t in base) <= hub
                and not (self.anchor_common_freq > 0 and is_common(key, self.anchor_common_freq))
            ):
                anchors.add(key)
        if not anchors:
            return groups
        count = {a: sum(a in t for t in compact) for a in anchors}
        by_anchor: dict[str, list[int]] = defaultdict(list)
        for gi, g in enumerate(groups):
            held: Counter[str] = Counter(a for i in g for a in anchors if a in compact[i])
            own = [a for a, c in held.items() if c >= self.anchor_cover * len(g)]
            if own:
                by_anchor[max(own, key=lambda a: (count[a], a))].append(gi)
        merged: set[int] = set()
        out: list[list[int]] = []
        for a, gis in by_anchor.items():
            if len(gis) < 2:
                continue
            biggest = max(gis, key=lambda gi: (len(groups[gi]), -gi))
            core = [i for gi in gis for i in groups[gi] if a in compact[i] or gi == biggest]
            out.append(sorted(core))
            for gi in gis:
                rest = [i for i in groups[gi] if a not in compact[i]]
                if rest and gi != biggest:
                    out.append(rest)
            merged.update(gis)
        out.extend(g for gi, g in enumerate(groups) if gi not in merged)
        return out

    def _common(self, word: str) -> bool:
        """A common word of the language ('直播', '中国', '上班') is never an anchor."""
        return self.common_freq > 0 and is_common(word, self.common_freq)

    def _attach_bare_keywords(self, titles: list[str], groups: list[list[int]]) -> list[list[int]]:
        """A title that is only a keyword ('梅西', '小米汽车', '格莱美') trends because of a
        happening: it joins the group holding most (>= ``bare_share``, at least two) of the titles
        that contain it whole, when it is alone or in a pair."""
        if self.bare_max_chars <= 0:
            return groups
        group_of = {i: gi for gi, g in enumerate(groups) for i in g}
        compact = [t.replace(" ", "") for t in titles]
        moves: list[tuple[int, int]] = []
        for gi, g in enumerate(groups):
            if len(g) > 2:
                continue
            for i in g:
                key = compact[i]
                if not (2 <= len(key) <= self.bare_max_chars):
                    continue
                hits = Counter(group_of[j] for j, t in enumerate(compact) if j != i and key in t)
                if not hits:
                    continue
                best, count = hits.most_common(1)[0]
                if best != gi and count >= 2 and count >= self.bare_share * sum(hits.values()):
                    moves.append((i, best))
        for i, dest in moves:
            groups[group_of[i]].remove(i)
            groups[dest].append(i)
        return [sorted(g) for g in groups if g]

    def _evidence(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Two groups (their titles' terms pooled) merge only on two shared terms — a name and
        a word, or two bigrams of one 3-character name — or when one side is nothing but the
        shared term: a bare keyword that trends because of the event ('梅西' beside '梅西缺战').
        One shared word alone ('疫苗' in '疫苗价格下调' and '新冠疫苗已停产') is a topic."""
        if self.min_shared <= 1:
            return True
        common = a & b
        shared = len(common)
        if self.common_freq > 0 and shared >= 2:
            shared -= _common_chains(common, self.common_freq)
        return shared >= self.min_shared or (shared >= 1 and (a <= b or b <= a))

    def _add_embeddings(self, titles: list[str], vecs: list[Vector]) -> list[list[float]]:
        """Append each title's normalised embedding to its vector; returns the embeddings."""
        assert self.embed is not None
        raw = list(self.embed(titles))
        if len(raw) != len(titles):
            raise ValueError("the embedding hook returned a different number of vectors")
        out = []
        rows = [[float(x) for x in e] for e in raw]
        if self.embed_center and rows:
            # sentence embeddings share a common direction (every pair of titles ≈ 0.85 cosine
            # under multilingual-e5): the window's mean is taken off so that only what sets
            # titles apart is compared
            dim = len(rows[0])
            mean = [sum(r[d] for r in rows) / len(rows) for d in range(dim)]
            rows = [[x - m for x, m in zip(r, mean, strict=True)] for r in rows]
        for i, e in enumerate(rows):
            norm = math.sqrt(sum(x * x for x in e)) or 1.0
            unit = [x / norm for x in e]
            v = {k: x * (1 - self.embed_weight / 2) for k, x in vecs[i].items()}
            for d, x in enumerate(unit):
                v[f"\0e{d}"] = self.embed_weight / 2 * x
            vecs[i] = _norm(v)
            out.append(unit)
        return out


def _common_chains(shared: frozenset[str], min_freq: int) -> int:
    """How many shared bigram pairs chain into one common 3-character word ('工程' + '程师' =
    '工程师'): each such pair counts as one shared term, not two."""
    n = 0
    cjk = [t for t in shared if len(t) == 2 and not t.isascii()]
    heads: dict[str, list[str]] = defaultdict(list)
    for t in cjk:
        heads[t[0]].append(t)
    for t in cjk:
        for u in heads.get(t[1], ()):
            if u != t and is_common(t + u[1], min_freq):
                n += 1
    return n


def _dense_cos(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


_SCREEN_MAX_DOCS = 4000  # the screen sums into an n × n array (128 MB at 4,000 titles)
_SCREEN_CHUNK = 2_000_000  # term pairs summed at a time (bounds the screen's memory)


def _within_pairs(sizes: Any) -> tuple[Any, Any]:
    """Positions (left, right), left < right, of every pair inside consecutive runs of the
    given sizes (the postings of one term after another)."""
    import numpy as np

    ends = np.cumsum(sizes)
    pos = np.arange(int(ends[-1]) if len(ends) else 0)
    end_of = np.repeat(ends, sizes)
    cnt = end_of - pos - 1
    left = np.repeat(pos, cnt)
    first = np.repeat(np.cumsum(cnt) - cnt, cnt)
    right = left + 1 + (np.arange(len(left)) - first)
    return left, right


def _screen(
    vecs: list[Vector], index: dict[str, list[int]], n: int, threshold: float
) -> list[tuple[int, int]]:
    """The candidate pairs (sharing a term of ``index``) whose dot product, summed in numpy over
    every shared term, is within 1e-9 of ``threshold`` or above; in (i, j) order, i < j.

    The numpy sum differs from ``_cos`` only by rounding (far below 1e-9), so every pair that
    ``_cos`` puts at or above the threshold is kept."""
    import numpy as np

    by_term: dict[str, tuple[list[int], list[float]]] = {}
    for i, v in enumerate(vecs):
        for t, x in v.items():
            docs_w = by_term.get(t)
            if docs_w is None:
                by_term[t] = ([i], [x])
            else:
                docs_w[0].append(i)
                docs_w[1].append(x)
    dots = np.zeros(n * n)
    for chunk in _chunks([dw for dw in by_term.values() if len(dw[0]) > 1]):
        docs = np.fromiter((i for d, _w in chunk for i in d), dtype=np.int64)
        ws = np.fromiter((x for _d, w in chunk for x in w), dtype=np.float64)
        left, right = _within_pairs(np.array([len(d) for d, _w in chunk], dtype=np.int64))
        dots += np.bincount(docs[left] * n + docs[right], ws[left] * ws[right], n * n)
    cand = np.zeros(n * n, dtype=bool)
    for chunk in _chunks([(idx, []) for idx in index.values() if len(idx) > 1]):
        docs = np.fromiter((i for d, _w in chunk for i in d), dtype=np.int64)
        left, right = _within_pairs(np.array([len(d) for d, _w in chunk], dtype=np.int64))
        cand[docs[left] * n + docs[right]] = True
    keep = np.flatnonzero(cand & (dots >= threshold - 1e-9))
    return [(int(c) // n, int(c) % n) for c in keep]


def _chunks(
    postings: list[tuple[list[int], list[float]]],
) -> Iterable[list[tuple[list[int], list[float]]]]:
    """Runs of postings with at most about _SCREEN_CHUNK pairs each."""
    chunk: list[tuple[list[int], list[float]]] = []
    pairs = 0
    for dw in postings:
        m = len(dw[0])
        if chunk and pairs + m * (m - 1) // 2 > _SCREEN_CHUNK:
            yield chunk
            chunk, pairs = [], 0
        chunk.append(dw)
        pairs += m * (m - 1) // 2
    if chunk:
        yield chunk
