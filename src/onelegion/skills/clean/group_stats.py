"""Group statistics shared by the repair detectors (dependencies, relations, clusters).

Everything works on group counts (polars ``group_by``), never on pairs of rows, so the cost
grows with the number of rows once and with the number of distinct values after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

KEY_SEP = "\x1f"

# Types whose values are measurements, not labels: never determinants of a dependency and
# never clustered as spelling variants.
CONTINUOUS_TYPES = frozenset({"integer", "decimal", "money", "percent", "date", "datetime", "time"})
# Types whose values are labels that identify something (codes, phones): may be determinants
# or dependents of a dependency, never clustered by spelling.
CODE_TYPES = frozenset({"identifier", "phone", "email", "url", "cn_id"})


def key_expr(columns: list[str]) -> pl.Expr:
    """The determinant key of each row: the values joined with ``KEY_SEP`` (null if any is null)."""
    import polars as pl

    if len(columns) == 1:
        return pl.col(columns[0])
    return pl.concat_str([pl.col(c) for c in columns], separator=KEY_SEP)


def group_majority(df: pl.DataFrame, determinant: list[str], dependent: str) -> pl.DataFrame:
    """Per determinant value: the most frequent dependent value and the vote counts.

    Columns: ``key`` (joined determinant), ``top`` (most frequent non-null dependent value; ties
    broken by the smaller value so results are deterministic), ``top_n``, ``second_n`` (0 when
    there is no second value) and ``n`` (rows with a non-null dependent value).
    """
    import polars as pl

    counts = (
        df.lazy()
        .select(key=key_expr(determinant), value=pl.col(dependent))
        .drop_nulls()
        .group_by("key", "value")
        .agg(cnt=pl.len())
        .sort(["key", "cnt", "value"], descending=[False, True, False])
        .group_by("key", maintain_order=True)
        .agg(
            top=pl.col("value").first(),
            top_n=pl.col("cnt").first(),
            second_n=pl.col("cnt").slice(1, 1).first().fill_null(0),
            n=pl.col("cnt").sum(),
        )
    )
    return counts.collect()


def value_counts(df: pl.DataFrame, column: str) -> dict[str, int]:
    """Non-null value -> row count."""
    import polars as pl

    vc = df.lazy().select(pl.col(column)).drop_nulls().group_by(column).agg(cnt=pl.len()).collect()
    return dict(zip(vc[column].to_list(), vc["cnt"].to_list(), strict=True))


def strong_groups(df: pl.DataFrame, determinant: list[str], dependent: str) -> pl.DataFrame:
    """``group_majority`` restricted to trusted majorities: at least two votes, over half of
    the group, and at least twice the runner-up."""
    import polars as pl

    return group_majority(df, determinant, dependent).filter(
        (pl.col("top_n") >= 2)
        & (2 * pl.col("top_n") > pl.col("n"))
        & (pl.col("top_n") >= 2 * pl.col("second_n"))
    )


class CodedSample:
    """A row sample of a table with every column as dense integer codes (numpy), for fast
    co-occurrence statistics between pairs of columns."""

    def __init__(self, df: pl.DataFrame, max_rows: int = 20_000) -> None:
        import polars as pl

        self.rows: pl.Series | None = None
        if df.height > max_rows:
            idx = pl.int_range(df.height, dtype=pl.Int64, eager=True)
            self.rows = idx.sample(max_rows, seed=0).sort()
        self.height = df.height if self.rows is None else max_rows
        self.codes: dict[str, np.ndarray] = {}
        self.valid: dict[str, np.ndarray | None] = {}
        self.cardinality: dict[str, int] = {}
        self.n_distinct: dict[str, int] = {}
        self.nonnull: dict[str, int] = {}
        self.update(df, df.columns)

    def update(self, df: pl.DataFrame, columns: list[str]) -> None:
        """(Re)code ``columns`` from ``df`` (same rows as when the sample was taken)."""
        import polars as pl

        sample = df.select(columns) if self.rows is None else df.select(columns)[self.rows]
        # 64-bit hashes ranked densely: no global string cache grows with every table seen
        dense = sample.select(
            pl.when(pl.col(c).is_not_null())
            .then(pl.col(c).cast(pl.Utf8).hash())
            .rank("dense")
            .cast(pl.Int64)
            .alias(c)
            for c in columns
        )
        for c in columns:
            raw = dense[c]
            nulls = raw.is_null().to_numpy()
            self.codes[c] = raw.fill_null(0).to_numpy()
            self.valid[c] = ~nulls if nulls.any() else None
            top = raw.max()
            self.cardinality[c] = (int(top) if isinstance(top, int) else 0) + 1
            self.n_distinct[c] = int(raw.n_unique()) - int(raw.null_count() > 0)
            self.nonnull[c] = self.height - int(nulls.sum())

    def combined(self, columns: list[str]) -> tuple[np.ndarray, np.ndarray | None, int]:
        """Dense codes of the tuple of ``columns`` (and the row mask where none is null)."""
        import numpy as np

        code = self.codes[columns[0]]
        valid = self.valid[columns[0]]
        card = self.cardinality[columns[0]]
        for c in columns[1:]:
            code = code * self.cardinality[c] + self.codes[c]
            card = card * self.cardinality[c]
            v = self.valid[c]
            if v is not None:
                valid = v if valid is None else valid & v
        if len(columns) > 1 and card > 1 << 40:
            uniq, inv = np.unique(code, return_inverse=True)
            code, card = inv.astype(np.int64).ravel(), len(uniq)
        return code, valid, card

    def pair_counts(self, det: list[str], dep: str) -> PairCounts:
        """Co-occurrence counts of determinant tuple x dependent value."""
        import numpy as np

        a, va, _na = self.combined(det)
        b = self.codes[dep]
        vb = self.valid[dep]
        nb = self.cardinality[dep]
        mask = va if vb is None else (vb if va is None else va & vb)
        if mask is not None:
            a, b = a[mask], b[mask]
        key = a * nb + b
        uk, cnt = np.unique(key, return_counts=True)
        ga = uk // nb
        starts = (
            np.flatnonzero(np.r_[True, ga[1:] != ga[:-1]])
            if len(uk)
            else np.zeros(0, dtype=np.int64)
        )
        n = np.add.reduceat(cnt, starts) if len(uk) else cnt
        top = np.maximum.reduceat(cnt, starts) if len(uk) else cnt
        group_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(uk)]))
        return PairCounts(
            values=uk % nb, counts=cnt, group_of=group_of, group_n=n, group_top=top, n_values=nb
        )


class PairCounts:
    """Counts of (determinant group, dependent value) entries, sorted by group."""

    def __init__(
        self,
        values: np.ndarray,
        counts: np.ndarray,
        group_of: np.ndarray,
        group_n: np.ndarray,
        group_top: np.ndarray,
        n_values: int,
    ) -> None:
        self.values = values
        self.counts = counts
        self.group_of = group_of
        self.group_n = group_n
        self.group_top = group_top
        self.n_values = n_values

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def agreement(self) -> tuple[float, float, int, int]:
        """(agreement, coverage, covered groups, violations) over groups of two or more rows."""
        covered = self.group_n >= 2
        cov_rows = int(self.group_n[covered].sum())
        total = self.total
        if cov_rows == 0 or total == 0:
            return 0.0, 0.0, 0, 0
        agree = int(self.group_top[covered].sum())
        return agree / cov_rows, cov_rows / total, int(covered.sum()), cov_rows - agree

    def confirmed_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Per dependent value code: (rows in covered groups, rows where it is the strict majority)."""
        import numpy as np

        n = self.group_n[self.group_of]
        top = self.group_top[self.group_of]
        cov = n >= 2
        ok = cov & (self.counts == top) & (2 * self.counts > n)
        rows = np.bincount(self.values[cov], weights=self.counts[cov], minlength=self.n_values)
        good = np.bincount(self.values[ok], weights=self.counts[ok], minlength=self.n_values)
        return rows, good
