"""LLM-proposed semantic mappings (synonyms such as 化妆品 -> 美妆, Shanghai -> 上海).

The model sees each category column's name and its most frequent values; it answers with what the
column means and which values are the same thing spelt differently. Every proposal must name
values that exist in the column; it goes into the recipe as a ``map_values`` step with the model's
evidence, and is applied only at or above ``min_confidence`` (lower ones are proposed, disabled).
Answers are cached by the gateway, so a rerun costs nothing.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import BaseModel, Field

from onelegion.core.errors import Cancelled, LegionError
from onelegion.skills.clean.clusters import MapValues
from onelegion.skills.clean.step import StepBase

MAX_COLUMNS = 12
MAX_VALUES = 80
SYSTEM = (
    "You are a careful data-cleaning assistant. Given one spreadsheet column, say what it means and "
    "list values that denote the same thing written differently (synonyms, translations, abbreviations, "
    "traditional/simplified Chinese, English/Chinese names). Map each variant to the most common spelling "
    "already in the column. Never merge values that are different things. Only use values from the list."
)


class Mapping(BaseModel):
    variant: str
    canonical: str
    confidence: float = Field(ge=0, le=1)
    reason: str = ""


class ColumnAdvice(BaseModel):
    meaning: str = Field(description="What the column holds, in a few words.")
    mappings: list[Mapping] = Field(default_factory=list)


def candidate_columns(df: pl.DataFrame, types: dict[str, str]) -> list[str]:
    return [
        c
        for c in df.columns
        if types.get(c) == "category" and 2 <= df.get_column(c).n_unique() <= 500
    ][:MAX_COLUMNS]


def no_model_note(df: pl.DataFrame, types: dict[str, str]) -> str:
    cols = candidate_columns(df, types)
    if not cols:
        return ""  # nothing an LLM would add here
    return (
        f"no LLM configured: with one, --llm would propose synonym mappings (e.g. 化妆品→美妆, Shanghai→上海) "
        f"for {len(cols)} category column(s): {', '.join(cols[:5])}{' …' if len(cols) > 5 else ''}"
    )


def idle_model_note(df: pl.DataFrame, types: dict[str, str]) -> str:
    cols = candidate_columns(df, types)
    if not cols:
        return ""
    return f"add --llm to let the configured model propose synonym mappings for {len(cols)} category column(s): {', '.join(cols[:5])}"


def propose_semantic(
    llm: Any, df: pl.DataFrame, types: dict[str, str], min_confidence: float
) -> tuple[list[StepBase], str]:
    """Ask the model about each category column; returns (map_values steps, one-line summary)."""
    steps: list[StepBase] = []
    meanings: list[str] = []
    applied = proposed = 0
    failed = ""
    for col in candidate_columns(df, types):
        vc = (
            df.get_column(col)
            .rename("v")
            .drop_nulls()
            .value_counts(sort=True, name="n")
            .head(MAX_VALUES)
        )
        values = {str(v): int(n) for v, n in vc.iter_rows()}
        listing = "\n".join(f"- {v} ({n})" for v, n in values.items())
        try:
            advice = llm.ask(
                f"Column name: {col}\nValues (count):\n{listing}",
                output_type=ColumnAdvice,
                system=SYSTEM,
            )
        except Cancelled:
            raise
        except Exception as e:  # a failing or over-budget model must not sink the cleaning
            failed = e.one_line() if isinstance(e, LegionError) else f"{type(e).__name__}: {e}"
            break
        meanings.append(f"{col}: {advice.meaning}")
        good: dict[str, tuple[str, float, str]] = {}
        for m in advice.mappings:
            if (
                m.variant in values
                and m.canonical
                and m.canonical != m.variant
                and m.variant not in good
            ):
                good[m.variant] = (m.canonical, m.confidence, m.reason)
        # a canonical value must not itself be mapped away (no chains)
        good = {v: t for v, t in good.items() if t[0] not in good}
        for enabled in (True, False):
            part = {v: t for v, t in good.items() if (t[1] >= min_confidence) == enabled}
            if not part:
                continue
            conf = min(t[1] for t in part.values())
            step = MapValues(
                column=col,
                mapping={v: t[0] for v, t in part.items()},
                confidence=round(conf, 3),
                enabled=enabled,
                description=f"LLM synonyms for {col} ({advice.meaning})",
                evidence={
                    "source": "llm",
                    "model": getattr(llm, "model_id", None),
                    "meaning": advice.meaning,
                    "examples": [
                        f"{v} → {t[0]} ({t[1]:.2f}: {t[2]})" for v, t in list(part.items())[:10]
                    ],
                },
            )
            steps.append(step)
            if enabled:
                applied += len(part)
            else:
                proposed += len(part)
    summary = (
        f"{applied} synonym mapping(s) applied, {proposed} proposed below the confidence threshold"
    )
    if meanings:
        summary += "; columns read as: " + "; ".join(meanings[:4])
    if failed:
        summary += f"; the model stopped answering ({failed}), the rest was cleaned without it"
    return steps, summary
