"""Consensus over repeated entities reported by several sources (truth discovery).

A table where many sources report the same entities (flight times from a dozen web sites, one
book from several catalogues) holds the answer to most of its own conflicts and blanks: the
majority of the other sources. This module finds

- the **entity key** E: a label column whose groups hold several rows, and
- the **source** S: a column with few distinct values that varies inside each entity group and
  names each row of a group once (E + S is nearly unique),

and, for every other column that is an attribute of the entity (within E groups, most rows agree,
whatever its type: times, dates, decimals, labels), takes a vote in each group weighted by each
source's estimated reliability (the share of its values that agree with the consensus, iterated
a few times: the ACCU/TruthFinder family of truth discovery). Values are compared by what they
mean (a parsed time, date or number; the text otherwise), so '7:10 PM' and '19:10' vote together.

An attribute must be explained by the entity: the disagreement inside entity groups is at most
half the disagreement with the column's most common value overall (a 'sunny' that most days of
every city share is not an attribute of the city). A conflict is repaired, and a blank filled, only when the consensus is clear: at least
``MIN_VOTES`` rows carry it, it holds ``MIN_SHARE`` of the group's weighted votes and at least
twice the runner-up. Without a source column nothing is done here (a price that differs inside a
product's orders is a discount, not a conflict): the label dependencies cover that case.
Each step stores entity value -> consensus text (replayable), with the source reliabilities in
its evidence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from onelegion.skills.clean.group_stats import CODE_TYPES
from onelegion.skills.clean.step import Issue, StepBase, change_schema, diff_column

if TYPE_CHECKING:
    import polars as pl

SCREEN_ROWS = 2_000
MAX_SOURCES = 200
MIN_PAIR_UNIQUE = 0.95
MIN_SOURCES_PER_ENTITY = 2.5  # rows per entity of the winning key
# keys with fewer rows per entity still compete (so a finer key can beat a coarser one that
# merges entities) but win only when nothing better agrees
MIN_RIVAL_PER_ENTITY = 2.0
MIN_ATTRIBUTE_AGREEMENT = 0.6
MIN_VOTES = 2
MIN_SHARE = 0.6
ROUNDS = 3
MIN_WORD_USES = 3
_WORD = re.compile(r"[^\W_]+")


class ConsensusRepair(StepBase):
    """Set ``column`` to the weighted consensus of the sources reporting the same ``entity``:
    ``mapping`` holds entity value -> consensus text; a row whose value already means the
    consensus (another spelling of the same time, date or number) is left as it is."""

    kind: Literal["consensus_repair"] = "consensus_repair"
    entity: str
    value_type: str = "text"
    mapping: dict[str, str]

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        col = self.column
        if col is None or col not in df.columns or self.entity not in df.columns:
            return df, pl.DataFrame(schema=change_schema())
        ents = pl.Series(list(self.mapping.keys()), dtype=pl.Utf8)
        texts = pl.Series(list(self.mapping.values()), dtype=pl.Utf8)
        target = df[self.entity].replace_strict(ents, texts, default=None, return_dtype=pl.Utf8)
        before = df[col]
        both = _meaning(pl.concat([before, target]), self.value_type)  # one reading for both
        same = both.head(df.height).eq_missing(both.tail(df.height))
        change = target.is_not_null() & ~same
        out = df.with_columns(
            pl.select(pl.when(change).then(target).otherwise(before)).to_series().alias(col)
        )
        return out, diff_column(df, out, col, self.kind, self.confidence)


def _meaning(col: pl.Series, typ: str) -> pl.Series:
    """What each value says, for voting: parsed time/date/number, else the trimmed text."""
    import polars as pl

    from onelegion.skills.clean import parse

    v = col.str.normalize("NFKC").str.strip_chars()
    key: pl.Series | None = None
    if typ in ("date", "datetime"):
        d = parse.parse_dates(v, "mdy")
        key = pl.select(
            pl.when(d["ok"]).then(d["date"] + " " + d["time"].fill_null(""))
        ).to_series()
    elif typ in ("integer", "decimal", "money", "percent"):
        n = parse.parse_numbers(v)
        key = pl.select(pl.when(n["ok"]).then(n["num"] + n["unit"].fill_null(""))).to_series()
    if key is None and v.len():
        # a text column written as times ('7:10 a.m.', '7:10am', 'Dec 1 - 7:10 a.m.'): vote on
        # the time they say
        tok = v.str.extract(r"(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?)", 1)
        t = parse.parse_times(tok.fill_null(""))
        filled = v.is_not_null()
        share = float(t["ok"].filter(filled).mean() or 0) if filled.any() else 0.0  # type: ignore[arg-type]
        if typ == "time" or share >= 0.5:
            key = pl.select(pl.when(t["ok"]).then(t["time"])).to_series()
    if key is None:
        return v.str.to_lowercase()
    return pl.select(pl.coalesce(key, v.str.to_lowercase())).to_series()


def find_entity_and_source(df: pl.DataFrame, types: dict[str, str]) -> tuple[str, str] | None:
    """(entity key, source column) of a multi-source table, or None."""
    import polars as pl

    n = df.height
    if n < 20:
        return None
    stats = df.select(
        *(pl.col(c).n_unique().alias(f"u{i}") for i, c in enumerate(df.columns)),
        *(pl.col(c).null_count().alias(f"z{i}") for i, c in enumerate(df.columns)),
    ).row(0)
    k = len(df.columns)
    distinct = {c: int(stats[i]) for i, c in enumerate(df.columns)}
    filled = {c: n - int(stats[k + i]) for i, c in enumerate(df.columns)}
    labels = [c for c in df.columns if types.get(c, "text") in ({"category", "text"} | CODE_TYPES)]
    entities = [
        c for c in labels if distinct[c] >= 2 and filled[c] >= MIN_RIVAL_PER_ENTITY * distinct[c]
    ]
    sources = [
        c
        for c in labels
        if 3 <= distinct[c] <= MAX_SOURCES and filled[c] >= 0.9 * n and not _periods(df[c])
    ]
    best: tuple[int, float, float, str, str] | None = None
    head = df.head(SCREEN_ROWS)
    for e in entities:
        for s in sources:
            if s == e or distinct[s] >= distinct[e]:
                continue
            # a repeated (entity, source) pair in the first rows already rules the pair out
            first = head.select(e, s).drop_nulls()
            if first.n_unique() < MIN_PAIR_UNIQUE * first.height:
                continue
            both = df.select(e, s).drop_nulls()
            if both.height < 0.8 * n:
                continue
            pairs = both.n_unique()
            per_entity = pairs / max(1, both[e].n_unique())
            if pairs < MIN_PAIR_UNIQUE * both.height or per_entity < MIN_RIVAL_PER_ENTITY:
                continue
            scored = _attribute_agreement(df, types, e, s)
            if not scored:
                continue
            # more attributes first; then the key whose groups agree best: a coarser key (page
            # ranges two works share) merges entities and its groups disagree more
            cand = (len(scored), round(sum(scored.values()), 6), per_entity, e, s)
            if best is None or cand[:3] > best[:3]:
                best = cand
    if best is None or best[2] < MIN_SOURCES_PER_ENTITY:
        return None
    return best[3], best[4]


def _meaning_of(df: pl.DataFrame, c: str, typ: str) -> pl.Series:
    """``_meaning`` of a whole column, parsed on its distinct values."""
    import polars as pl

    col = df[c]
    uniq = col.drop_nulls().unique()
    if uniq.len() == 0:
        return col
    keys = _meaning(uniq, typ)
    return col.replace_strict(uniq, keys, default=None, return_dtype=pl.Utf8)


_PERIOD = (
    r"^(?:\d{1,4}|\d{4}[-/.年]\d{1,2}月?|\d{4}\s*[QqHh]\d|[QqHh]\d\s*\d{4}|\d{1,2}月|"
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s*\d{2,4})?)$"
)


def _periods(col: pl.Series) -> bool:
    """A column of periods (years, months, quarters, dates): rows of a time series, not the
    sources of a multi-source table (a value that changes over time is not a conflict)."""
    from onelegion.skills.clean import parse

    vals = col.drop_nulls().unique().head(500).str.strip_chars()
    if vals.len() == 0:
        return False
    dated = parse.parse_dates(vals)["ok"] | vals.str.contains(_PERIOD)
    return float(dated.mean() or 0) >= 0.5  # type: ignore[arg-type]


def _attributes(df: pl.DataFrame, types: dict[str, str], e: str, s: str) -> list[str]:
    """Columns most rows of an entity group agree on, by meaning (and not constant everywhere)."""
    return list(_attribute_agreement(df, types, e, s))


def _attribute_agreement(
    df: pl.DataFrame, types: dict[str, str], e: str, s: str
) -> dict[str, float]:
    """Each attribute of the entity ``e`` -> the share of rows agreeing with their group's most
    common value."""
    import polars as pl

    out: dict[str, float] = {}
    for c in df.columns:
        if c in (e, s) or types.get(c) == "empty":
            continue
        meant = _meaning_of(df, c, types.get(c, "text"))
        filled = meant.drop_nulls()
        if filled.len() == 0:
            continue
        # the share of the column's most common value: knowing the entity must say much more
        # (a 'sunny' that most days of every city share is not an attribute of the city)
        base = float(filled.value_counts(sort=True, name="n")["n"][0]) / filled.len()
        g = (
            df.lazy()
            .select(pl.col(e), meant.alias(c))
            .drop_nulls()
            .group_by(e, c)
            .agg(n=pl.len())
            .group_by(e)
            .agg(top=pl.col("n").max(), tot=pl.col("n").sum())
            .filter(pl.col("tot") >= 2)
            .select(pl.col("top").sum(), pl.col("tot").sum(), pl.len())
            .collect()
        )
        top, tot, groups = g.row(0)
        if not tot or groups < 2:
            continue
        agree = top / tot
        if (
            agree >= MIN_ATTRIBUTE_AGREEMENT
            and 1 - agree <= 0.5 * (1 - base)
            and df[c].n_unique() > 2
        ):
            out[c] = agree
    return out


def propose_consensus(
    df: pl.DataFrame, types: dict[str, str], flags: list[Issue] | None = None
) -> list[ConsensusRepair]:
    """One consensus step per entity attribute of a multi-source table. Cells whose sources
    disagree without a clear majority are added to ``flags`` (left as they are)."""
    import polars as pl

    found = find_entity_and_source(df, types)
    if found is None:
        return []
    e, s = found
    attrs = _attributes(df, types, e, s)
    keyed = df.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
        pl.col(e).alias("_e"),
        pl.col(s).alias("_s"),
        *(_meaning_of(df, c, types.get(c, "text")).alias(f"k{i}") for i, c in enumerate(attrs)),
        *(pl.col(c).alias(f"v{i}") for i, c in enumerate(attrs)),
    ).filter(pl.col("_e").is_not_null())
    weight = {src: 1.0 for src in keyed["_s"].drop_nulls().unique().to_list()}
    tops: dict[int, pl.DataFrame] = {}
    for _ in range(ROUNDS):
        w = pl.col("_s").replace_strict(weight, default=0.5, return_dtype=pl.Float64)
        framed = keyed.with_columns(_w=w)
        agree = []
        for i in range(len(attrs)):
            tops[i] = _consensus(framed, f"k{i}")
            agree.append(
                framed.join(tops[i].select("_e", "top"), on="_e", how="inner")
                .filter(pl.col(f"k{i}").is_not_null())
                .select("_s", ok=(pl.col(f"k{i}") == pl.col("top")).cast(pl.Float64))
            )
        acc = (
            pl.concat(agree)
            .group_by("_s")
            .agg(a=(pl.col("ok").sum() + 1) / (pl.len() + 2))
            .drop_nulls("_s")
        )
        weight = dict(zip(acc["_s"].to_list(), acc["a"].to_list(), strict=True))
    steps = []
    reliab = {str(k): round(v, 3) for k, v in sorted(weight.items(), key=lambda kv: -kv[1])}
    for i, c in enumerate(attrs):
        is_clear = (
            (pl.col("top_n") >= MIN_VOTES)
            & (pl.col("share") >= MIN_SHARE)
            & (pl.col("top_w") >= 2 * pl.col("second_w"))
        )
        clear = tops[i].filter(is_clear)
        unclear = tops[i].filter(~is_clear)
        broken: dict[str, str] = {}
        if types.get(c, "text") in ("category", "text"):
            broken = _ties_by_vocabulary(df[c], keyed, unclear, i)
            unclear = unclear.filter(~pl.col("_e").is_in(list(broken)))
        if flags is not None:
            flags.extend(_unclear(keyed, unclear, i, c, e))
        if clear.height == 0 and not broken:
            continue
        # the text written for the consensus: the most frequent spelling of it in the group
        text = (
            keyed.join(clear.select("_e", "top"), on="_e", how="inner")
            .filter(pl.col(f"k{i}") == pl.col("top"))
            .group_by("_e", f"v{i}")
            .agg(n=pl.len())
            .sort(["_e", "n", f"v{i}"], descending=[False, True, False])
            .group_by("_e", maintain_order=True)
            .agg(pl.col(f"v{i}").first().alias("text"))
        )
        mapping = dict(zip(text["_e"].to_list(), text["text"].to_list(), strict=True))
        mapping.update(broken)
        steps.append(
            ConsensusRepair(
                column=c,
                entity=e,
                value_type=types.get(c, "text"),
                mapping=mapping,
                confidence=0.9,
                description=(
                    f"{c}: conflicts and blanks set to the consensus of the sources ({s}) "
                    f"reporting the same {e}, weighted by each source's estimated reliability"
                ),
                evidence={
                    "entity": e,
                    "source": s,
                    "source_reliability": dict(list(reliab.items())[:20]),
                    "groups": clear.height,
                    "ties_broken_by_vocabulary": len(broken),
                    "min_share": MIN_SHARE,
                },
            )
        )
    return steps


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w]


def _ties_by_vocabulary(
    column: pl.Series, keyed: pl.DataFrame, unclear: pl.DataFrame, i: int
) -> dict[str, str]:
    """Entity -> value, for groups split evenly between two spellings that differ in one word,
    where one spelling's word is written nowhere else in the column and lies within two edits of
    the other's, which the column writes at least ``MIN_WORD_USES`` times ('sclable' beside
    'scalable', 'Kummar' beside 'Kumar'): the vocabulary of the other rows breaks the tie."""
    import polars as pl
    from rapidfuzz.distance import OSA

    if unclear.height == 0:
        return {}
    pairs = (
        keyed.join(unclear.filter(pl.col("second_w") > 0).select("_e"), on="_e")
        .filter(pl.col(f"v{i}").is_not_null())
        .group_by("_e")
        .agg(pl.col(f"v{i}").unique().alias("vals"))
        .filter(pl.col("vals").list.len() == 2)
    )
    if pairs.height == 0:
        return {}
    counts: dict[str, int] = {}
    for value, n in column.drop_nulls().value_counts().iter_rows():
        for w in _words(str(value)):
            counts[w] = counts.get(w, 0) + int(n)
    out: dict[str, str] = {}
    for ent, vals in pairs.iter_rows():
        a, b = vals
        wa, wb = _words(a), _words(b)
        only_a = [w for w in wa if w not in wb]
        only_b = [w for w in wb if w not in wa]
        if len(only_a) != 1 or len(only_b) != 1 or len(wa) != len(wb):
            continue
        x, y = only_a[0], only_b[0]
        if OSA.distance(x, y) > 2 or min(len(x), len(y)) < 4:
            continue
        if counts.get(x, 0) <= 1 and counts.get(y, 0) >= MIN_WORD_USES:
            out[ent] = b
        elif counts.get(y, 0) <= 1 and counts.get(x, 0) >= MIN_WORD_USES:
            out[ent] = a
    return out


def _unclear(keyed: pl.DataFrame, groups: pl.DataFrame, i: int, c: str, e: str) -> list[Issue]:
    """Cells of entities whose sources disagree without a clear majority (minority values)."""
    import polars as pl

    if groups.height == 0:
        return []
    rows = (
        keyed.join(groups.filter(pl.col("second_w") > 0).select("_e", "top"), on="_e")
        .filter(pl.col(f"k{i}").is_not_null() & (pl.col(f"k{i}") != pl.col("top")))
        .select("_row", "_e", f"v{i}")
        .head(1000)
    )
    return [
        Issue(
            row=r,
            column=c,
            value=v,
            kind="conflict",
            detail=f"the sources reporting {e} {ent!r} disagree without a clear majority; "
            "left as it is",
        )
        for r, ent, v in rows.iter_rows()
    ]


def _consensus(framed: pl.DataFrame, key: str) -> pl.DataFrame:
    """Per entity: the top meaning, its weighted share, its row count, the runner-up weight."""
    import polars as pl

    return (
        framed.filter(pl.col(key).is_not_null())
        .group_by("_e", key)
        .agg(w=pl.col("_w").sum(), n=pl.len())
        .sort(["_e", "w", key], descending=[False, True, False])
        .group_by("_e", maintain_order=True)
        .agg(
            top=pl.col(key).first(),
            top_w=pl.col("w").first(),
            top_n=pl.col("n").first(),
            second_w=pl.col("w").slice(1, 1).first().fill_null(0.0),
            share=pl.col("w").first() / pl.col("w").sum(),
        )
    )


__all__ = ["ConsensusRepair", "find_entity_and_source", "propose_consensus"]
