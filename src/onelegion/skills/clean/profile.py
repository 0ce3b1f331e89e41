"""Per-column profile: type, non-null, distinct, examples, issues (what clean.profile shows and
what the report compares before and after cleaning)."""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, Field

from onelegion.skills.clean import normalize
from onelegion.skills.clean.types import ColumnType, infer_column, value_counts


class ColumnProfile(BaseModel):
    name: str
    type: str
    confidence: float
    rows: int
    non_null: int
    distinct: int
    examples: list[str] = Field(default_factory=list, description="Most frequent values.")
    top: list[tuple[str, int]] = Field(default_factory=list, description="Top values with counts.")
    issues: dict[str, int] = Field(default_factory=dict, description="Issue kind -> cells.")
    unit: str | None = None
    min: str | None = None
    max: str | None = None

    @property
    def issue_total(self) -> int:
        return sum(self.issues.values())


def profile_frame(
    df: pl.DataFrame, types: dict[str, ColumnType] | None = None
) -> list[ColumnProfile]:
    return [profile_column(df.get_column(c), (types or {}).get(c)) for c in df.columns]


def profile_column(col: pl.Series, t: ColumnType | None = None) -> ColumnProfile:
    t = t or infer_column(col)
    n = col.len()
    non_null = n - col.null_count()
    vals, w = value_counts(col, limit=None)
    n_distinct = vals.len()
    top = [
        (short(str(v)), int(c))
        for v, c in zip(vals.head(8).to_list(), w.head(8).to_list(), strict=True)
    ]
    issues: dict[str, int] = {}
    if vals.len():
        strip = (
            vals.str.replace_all(normalize.ZERO_WIDTH, "")
            .str.replace_all(normalize.SPACES, " ")
            .str.replace_all(normalize.LINE_EDGES, "\n")
            .str.strip_chars(" \n")
        )
        _add(issues, "whitespace", w.filter(strip != vals))
        low = vals.str.to_lowercase().str.strip_chars()
        tokens = low.is_in(normalize.MISSING_TOKENS)
        if (~tokens).any():  # a token that is the column's only value is its literal value
            _add(issues, "missing_token", w.filter(tokens))
            vals, w = vals.filter(~tokens), w.filter(~tokens)
        _add(issues, "full_width", w.filter(vals.str.contains("[\uff01-\uff5e\u3000]")))
        _add(issues, "mojibake", w.filter(vals.str.contains(normalize.MOJIBAKE)))
        forms = _forms(vals, t.type)
        if forms is not None and forms.n_unique() > 1:
            top_forms = (
                pl.DataFrame({"f": forms, "w": w})
                .group_by("f")
                .agg(pl.col("w").sum())
                .sort("w", descending=True)["f"]
            )
            keep = top_forms.head(2 if t.type == "boolean" else 1)  # a boolean has two spellings
            _add(issues, "mixed_format", w.filter(~forms.is_in(keep)))
    mn = mx = None
    if t.type in ("integer", "decimal", "money", "percent") and vals.len():
        nums = vals.str.replace_all(r"[^\d.\-]", "").cast(pl.Float64, strict=False).drop_nulls()
        if nums.len():
            mn, mx = _fmt(nums.min()), _fmt(nums.max())
    elif t.type in ("date", "datetime") and vals.len():
        iso = vals.filter(vals.str.contains(r"^\d{4}-\d{2}-\d{2}"))
        if iso.len():
            mn, mx = str(iso.min()), str(iso.max())
    unit = t.detail.get("unit") if isinstance(t.detail.get("unit"), str) else None
    return ColumnProfile(
        name=col.name,
        type=t.type,
        confidence=round(t.confidence, 3),
        rows=n,
        non_null=non_null,
        distinct=n_distinct,
        examples=[v for v, _ in top[:5]],
        top=top,
        issues=issues,
        unit=unit,
        min=mn,
        max=mx,
    )


def _forms(vals: pl.Series, type_: str) -> pl.Series | None:
    """The written shape of each value, for spotting a column that mixes formats."""
    if type_ in ("integer", "decimal", "money", "percent"):
        return vals.str.replace_all(r"[-+]?\d[\d,]*(?:\.\d+)?", "9").str.replace_all(r"\s+", "")
    if type_ in ("date", "datetime", "time"):
        return vals.str.replace_all(r"\d+", "9").str.replace_all(r"[A-Za-z]+", "a")
    if type_ == "phone":
        return vals.str.replace_all(r"\d", "D")
    if type_ == "boolean":
        return vals
    if type_ == "email":
        return vals.str.contains(r"[A-Z\s\uff01-\uff5e]").cast(pl.Utf8)
    return None


def short(v: str, limit: int = 80) -> str:
    """A value cut for display: 'first 80 characters…'."""
    return v if len(v) <= limit else v[:limit] + "…"


def _add(issues: dict[str, int], kind: str, w: pl.Series) -> None:
    k = int(w.sum())
    if k:
        issues[kind] = issues.get(kind, 0) + k


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
