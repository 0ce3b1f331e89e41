"""Spelling variants of one label, clustered and mapped to the most frequent member.

Works on the distinct values of each label column (category, boolean, text), never on rows:

1. the user's synonyms table ``{column or "*": {variant: canonical}}`` is applied first;
2. key collisions (OpenRefine): values with the same fingerprint (case, punctuation, word order,
   full-width characters, traditional characters, administrative or company suffixes such as
   省 市 区 县 自治区 有限公司) or the same character-bigram fingerprint are one label, unless
   the other columns show the variant is an entity of its own (it is the majority of a group of a
   determining column: two makers spelled "Acme Works" and "ACME Works" with their own ids);
3. near neighbours: a value that is rare, within a small edit distance (transpositions count
   once) of a value at least three times as frequent, or with the same pinyin, and with the same
   numbers, is a typo of it when the other columns say so: in the groups of a column that
   determines this one (provider -> city), the variant's rows side with the frequent value, and
   the variant is never a group's own majority. Without such a column only single occurrences one
   edit inside a long word away from a value 20 times as frequent are merged.

Each cluster becomes a ``MapValues`` step (variant -> canonical) that can be replayed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from onelegion.skills.clean.dependencies import determinant_candidates, refine_determinant
from onelegion.skills.clean.group_stats import (
    CODE_TYPES,
    CONTINUOUS_TYPES,
    CodedSample,
    key_expr,
    strong_groups,
    value_counts,
)
from onelegion.skills.clean.step import (
    StepBase,
    change_schema,
    diff_column,
)
from onelegion.skills.clean.variant_keys import (
    case_of,
    defects,
    digits,
    fingerprint,
    has_cjk,
    meaning_symbols,
    ngram_fingerprint,
    pinyin_key,
)

if TYPE_CHECKING:
    import polars as pl

_SKIP_TYPES = CONTINUOUS_TYPES | CODE_TYPES | {"empty"}
MAX_DISTINCT = 200_000
MAX_TARGETS = 2_000
MAX_RARE = 50_000
MIN_RATIO = 3
INFORMATIVE_AGREEMENT = 0.85


class MapValues(StepBase):
    """Replace listed values of ``column`` (variant -> canonical); other cells are untouched."""

    kind: Literal["map_values"] = "map_values"
    mapping: dict[str, str]

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        col = self.column
        if col is None or col not in df.columns or not self.mapping:
            return df, pl.DataFrame(schema=change_schema())
        keys = pl.Series(list(self.mapping.keys()), dtype=pl.Utf8)
        vals = pl.Series(list(self.mapping.values()), dtype=pl.Utf8)
        out = df.with_columns(pl.col(col).replace(keys, vals))
        return out, diff_column(df, out, col, self.kind, self.confidence)


def propose_clusters(
    df: pl.DataFrame, types: dict[str, str], synonyms: dict[str, dict[str, str]] | None = None
) -> list[MapValues]:
    """Synonym and spelling-variant steps for every label column, in column order."""

    steps: list[MapValues] = []
    work = df
    sample: CodedSample | None = None
    for col in df.columns:
        user = _user_synonyms(synonyms, col)
        if user:
            present = value_counts(work, col)
            mapping = {k: v for k, v in user.items() if k in present and k != v}
            if mapping:
                step = MapValues(
                    column=col,
                    mapping=mapping,
                    confidence=1.0,
                    description=f"{col}: values replaced from the synonyms table",
                    evidence={"source": "synonyms", "values": len(mapping)},
                )
                work, _ = step.apply(work)
                steps.append(step)
        if types.get(col, "text") in _SKIP_TYPES:
            continue
        counts = value_counts(work, col)
        if len(counts) < 2 or len(counts) > MAX_DISTINCT:
            continue
        nonnull = sum(counts.values())
        repetitive = len(counts) <= nonnull // 2
        keyed = _key_clusters(counts, ngrams=repetitive)
        if keyed:
            sample = _coded(sample, work, col)
            dets = _informative(sample, types, col)
            variants = sorted({v for _, m in keyed for v in m})
            confirmed, _ = _evidence(work, col, dets, variants) if dets else (set(), {})
            for source, mapping in keyed:
                mapping = {v: c for v, c in mapping.items() if v not in confirmed}
                if mapping:
                    step = _make_step(col, mapping, counts, source, 0.95)
                    work, _ = step.apply(work)
                    steps.append(step)
            counts = value_counts(work, col)
        candidates = _neighbour_candidates(counts) if repetitive else {}
        if not candidates:
            continue
        sample = _coded(sample, work, col)
        dets = _informative(sample, types, col)
        confirmed, votes = _evidence(work, col, dets, sorted(candidates)) if dets else (set(), {})
        mapping = _confirm_neighbours(counts, candidates, dets, confirmed, votes)
        if mapping:
            step = _make_step(col, mapping, counts, "neighbours", 0.9)
            work, _ = step.apply(work)
            steps.append(step)
            sample.update(work, [col])  # later columns may lean on this one
    return steps


def _coded(sample: CodedSample | None, work: pl.DataFrame, col: str) -> CodedSample:
    """The coded sample of the table, with ``col`` as it is now."""
    if sample is None:
        return CodedSample(work)
    sample.update(work, [col])
    return sample


def _user_synonyms(synonyms: dict[str, dict[str, str]] | None, col: str) -> dict[str, str]:
    if not synonyms:
        return {}
    merged = dict(synonyms.get("*", {}))
    merged.update(synonyms.get(col, {}))
    return merged


def _canonical(members: list[str], counts: dict[str, int], case_style: str | None) -> str:
    # The member that fits the column's own pattern (no spaces inside Chinese words, simplified
    # characters, the column's letter case), then the most frequent, then the smaller.
    return min(members, key=lambda v: (defects(v, case_style), -counts[v], v))


def _column_case(counts: dict[str, int]) -> str | None:
    """The letter case most of the column's values use, when at least 60% of them use it."""
    by: dict[str | None, int] = defaultdict(int)
    for v, n in counts.items():
        by[case_of(v)] += n
    cased = {k: n for k, n in by.items() if k is not None}
    total = sum(cased.values())
    if not total:
        return None
    top = max(cased, key=lambda k: (cased[k], k))
    return top if cased[top] >= 0.6 * total else None


def _mergeable(v: str, canon: str, counts: dict[str, int], case_style: str | None) -> bool:
    """A variant joins its canonical spelling when it is untidier, or clearly rarer; two frequent
    spellings that differ only in letter case are both kept (they may be two entities)."""
    if v.lower() == canon.lower():
        return counts[canon] >= MIN_RATIO * counts[v]
    if defects(v, case_style) > defects(canon, case_style):
        return True
    return counts[canon] >= 2 * counts[v]


def _key_clusters(counts: dict[str, int], ngrams: bool) -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    case_style = _column_case(counts)
    keys = [("fingerprint", fingerprint)] + (
        [("ngram_fingerprint", ngram_fingerprint)] if ngrams else []
    )
    for source, keyfn in keys:
        groups: dict[str, list[str]] = defaultdict(list)
        for value in counts:
            key = keyfn(value)
            if key:
                groups[key].append(value)
        mapping: dict[str, str] = {}
        for members in groups.values():
            if len(members) < 2 or len({digits(m) for m in members}) > 1:
                continue
            canon = _canonical(members, counts, case_style)
            mapping.update(
                {
                    m: canon
                    for m in members
                    if m != canon and _mergeable(m, canon, counts, case_style)
                }
            )
        if mapping:
            out.append((source, mapping))
            counts = _merged_counts(counts, mapping)
    return out


def _merged_counts(counts: dict[str, int], mapping: dict[str, str]) -> dict[str, int]:
    merged: dict[str, int] = defaultdict(int)
    for v, n in counts.items():
        merged[mapping.get(v, v)] += n
    return dict(merged)


def _max_distance(length: int) -> int:
    return 0 if length < 2 else max(1, round(length * 0.25))


def _neighbour_candidates(counts: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Rare value -> frequent values it may be a typo of, as (value, edit distance)."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cdist

    ordered = sorted(counts, key=lambda v: (-counts[v], v))
    targets = [v for v in ordered[:MAX_TARGETS] if counts[v] >= MIN_RATIO]
    if not targets:
        return {}
    rare = [v for v in ordered if counts[v] * MIN_RATIO <= counts[targets[0]]]
    rare = rare[:MAX_RARE]  # the most frequent rare values first; the long tail is left alone
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    longest = max(len(v) for v in targets)
    for start in range(0, len(rare), 2_000):
        chunk = rare[start : start + 2_000]
        dist = cdist(
            chunk,
            targets,
            scorer=OSA.distance,
            score_cutoff=_max_distance(longest),
            workers=1,
        )
        for i, v in enumerate(chunk):
            limit = _max_distance(len(v))
            for j in (dist[i] <= limit).nonzero()[0]:
                t = targets[int(j)]
                if t != v and counts[t] >= MIN_RATIO * counts[v] and _same_meaning(t, v):
                    found[v].append((t, int(dist[i][j])))
    # Containment: a rare label that is a frequent one with a leading or trailing word more or
    # less ('Alabama' / 'Alabama State', '华为' / '华为 技术'); as for typos, only the columns
    # determining this one can confirm it (no determinant: never merged).
    for v, t in _containment(rare, targets):
        if counts[t] >= MIN_RATIO * counts[v] and _same_meaning(t, v) and v not in found:
            found[v].append((t, 2))
    # Same pinyin: homophone typos the edit distance misses (two characters of a longer name)
    # and Latin spellings of Chinese names. pypinyin's dictionary takes ~0.4 s to load, so only
    # when such values exist.
    top_count = counts[targets[0]]
    latin = any(v.isascii() and v.replace(" ", "").isalpha() for v in ordered)
    need = [
        v
        for v in ordered
        if (has_cjk(v) or latin)
        and counts[v] * MIN_RATIO <= top_count
        and v not in found
        and (len(v) >= 3 or latin)
    ]
    if need and any(has_cjk(v) for v in ordered):
        pinyin: dict[str, list[str]] = defaultdict(list)
        for v in targets:
            key = pinyin_key(v)
            if key:
                pinyin[key].append(v)
        for v in need:
            key = pinyin_key(v)
            if not key or not pinyin.get(key):
                continue
            top = pinyin[key][0]  # targets follow frequency order
            if top != v and counts[top] >= MIN_RATIO * counts[v] and _same_meaning(top, v):
                found[v].append((top, 1))
    return {
        v: sorted(ts, key=lambda t: (t[1], -counts[t[0]], t[0])) for v, ts in found.items() if ts
    }


def _containment(rare: list[str], targets: list[str]) -> list[tuple[str, str]]:
    """(rare, target) pairs where one is the other with whole words added at one end."""
    import re

    def words(v: str) -> tuple[str, ...]:
        return tuple(re.findall(r"\w+", v.lower()))

    by_words: dict[tuple[str, ...], str] = {}
    ends: dict[tuple[str, ...], list[str]] = defaultdict(list)  # a target's shorter ends
    for t in targets:
        w = words(t)
        by_words.setdefault(w, t)
        for k in range(1, len(w)):
            ends[w[k:]].append(t)
            ends[w[:k]].append(t)
    out: list[tuple[str, str]] = []
    for v in rare:
        w = words(v)
        if not w or sum(len(x) for x in w) < 4:
            continue
        hits = {t for t in ends.get(w, []) if t != v}  # v is a target minus end words
        for k in range(1, len(w)):  # a target is v minus end words
            for part in (w[k:], w[:k]):
                t2 = by_words.get(part)
                if t2 is not None and t2 != v and sum(len(x) for x in part) >= 4:
                    hits.add(t2)
        if len(hits) == 1:  # only an unambiguous match
            out.append((v, next(iter(hits))))
    return out


def _same_meaning(a: str, b: str) -> bool:
    """Same numbers and same meaning-bearing symbols (never '>50K' for '<50K')."""
    return digits(a) == digits(b) and meaning_symbols(a) == meaning_symbols(b)


def _informative(sample: CodedSample, types: dict[str, str], col: str) -> list[list[str]]:
    """Up to three determinants of ``col`` (refined with a second column when that helps)."""

    dets = determinant_candidates(sample, types)
    scored: list[tuple[float, float, str, int]] = []
    for a in dets:
        if a == col:
            continue
        agreement, coverage, groups, violations = sample.pair_counts([a], col).agreement()
        if agreement >= INFORMATIVE_AGREEMENT and coverage >= 0.3 and groups >= 2:
            scored.append((agreement, coverage, a, violations))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    low_card = [c for c in dets if sample.n_distinct[c] <= 1_000]
    return [
        list(refine_determinant(sample, a, col, agreement, coverage, violations, low_card))
        for agreement, coverage, a, violations in scored[:3]
    ]


def _evidence(
    df: pl.DataFrame, col: str, dets: list[list[str]], values: list[str]
) -> tuple[set[str], dict[str, dict[str, int]]]:
    """For ``values`` of ``col``: those that are the strong majority of some determinant group
    (confirmed as real labels), and for the others, how many of their rows sit in groups whose
    strong majority is another value (votes: value -> majority -> rows)."""
    import polars as pl

    variants = pl.Series(values, dtype=pl.Utf8)
    confirmed: set[str] = set()
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for det in dets:
        gm = strong_groups(df, det, col)
        rows = (
            df.lazy()
            .select(key=key_expr(det), value=pl.col(col))
            .filter(pl.col("value").is_in(variants) & pl.col("key").is_not_null())
            .join(gm.lazy().select("key", "top"), on="key", how="inner")
            .group_by("value", "top")
            .agg(rows=pl.len())
            .collect()
        )
        for v, top, nrows in rows.iter_rows():
            if top == v:
                confirmed.add(v)
            else:
                votes[v][top] += nrows
    return confirmed, votes


def _confirm_neighbours(
    counts: dict[str, int],
    candidates: dict[str, list[tuple[str, int]]],
    dets: list[list[str]],
    confirmed: set[str],
    votes: dict[str, dict[str, int]],
) -> dict[str, str]:
    """Keep the (variant -> target) pairs that the columns determining the column agree with."""
    mapping: dict[str, str] = {}
    if not dets:
        for v, targets in candidates.items():
            t, d = targets[0]
            ambiguous = len(targets) > 1 and targets[1][1] == d
            if (
                counts[v] == 1
                and d == 1
                and len(v) >= 5
                and counts[t] >= 20
                and not ambiguous
                and not has_cjk(v)
                and _typo_inside_a_word(v, t)
            ):
                mapping[v] = t
        return mapping
    for v, targets in candidates.items():
        if v in confirmed:
            continue
        allowed = {t for t, _ in targets}
        tally = votes.get(v, {})
        best = max(allowed, key=lambda t: (tally.get(t, 0), counts[t], t))
        if 2 * tally.get(best, 0) >= counts[v] and tally.get(best, 0) > 0:
            mapping[v] = best
    return mapping


def _typo_inside_a_word(variant: str, target: str) -> bool:
    """One word differs and both spellings of it are long ('Califronia'), not a short code
    ('Type A' vs 'Type B', 'Grade I' vs 'Grade II')."""
    import re

    a = re.findall(r"\w+", variant.lower())
    b = re.findall(r"\w+", target.lower())
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and min(len(diff[0][0]), len(diff[0][1])) >= 4


def _make_step(
    col: str, mapping: dict[str, str], counts: dict[str, int], source: str, confidence: float
) -> MapValues:
    examples = sorted(mapping.items(), key=lambda kv: (-counts.get(kv[0], 0), kv[0]))[:5]
    return MapValues(
        column=col,
        mapping=mapping,
        confidence=confidence,
        description=f"{col}: {len(mapping)} spelling variant(s) mapped to the most frequent spelling ({source})",
        evidence={
            "source": source,
            "variants": len(mapping),
            "cells": sum(counts.get(v, 0) for v in mapping),
            "examples": [
                {"variant": v, "canonical": c, "rows": counts.get(v, 0)} for v, c in examples
            ],
        },
    )


__all__ = ["MapValues", "propose_clusters"]
