"""Clean messy tables: types, formats, variants, audit trail, reusable recipe. 数据清洗


- ``clean.table``   read any table, infer column types, normalise formats, repair values, write the
  cleaned file plus recipe.json, changes.csv, issues.csv, duplicates.csv and report.html
- ``clean.profile`` per-column profile (type, non-null, distinct, examples, issues) and a report
- ``clean.apply``   re-apply a saved recipe to a new file (columns matched by name, --column-map)

Only pydantic and the core are imported here; the work happens in ``run.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.clean.models import (
    CleanApplyIn,
    CleanApplyOut,
    CleanProfileIn,
    CleanProfileOut,
    CleanTableIn,
    CleanTableOut,
)


def _demo_table(demo_dir: Path) -> dict[str, Any]:
    """Copy the bundled messy sample and its synonyms into the demo folder (outputs go beside)."""
    import shutil

    samples = Path(__file__).parent / "samples"
    for name in ("market.csv", "synonyms.csv"):
        shutil.copyfile(samples / name, demo_dir / name)
    return {"path": str(demo_dir / "market.csv"), "synonyms": str(demo_dir / "synonyms.csv")}


@skill(
    "clean.table",
    title="Clean a table",
    summary="Clean a messy table (CSV/Excel/JSON/Parquet): formats, missing values, typos, duplicates; writes the cleaned file, a recipe and a report.",
    version="1",
    examples=(
        "legion clean table 销售.csv",
        "legion clean table data.xlsx --sheet 2 --output data.clean.csv",
        "legion clean table data.csv --review",
        "legion clean table data.csv --synonyms synonyms.csv --dedupe",
    ),
    demo=_demo_table,
    demo_order=10,
    llm_calls=1,
)
def clean_table(ctx: Context, params: CleanTableIn) -> CleanTableOut:
    """Reads the table (encoding, delimiter and header detected), infers each column's type, turns
    dates, numbers, money, phones, e-mails and yes/no values into each column's own dominant form
    (--canonical: ISO dates, 24-hour times, plain numbers), merges
    spelling variants, repairs values that break dependencies between columns, flags outliers and
    duplicates, and writes everything it did to changes.csv and a re-appliable recipe.json.
    The input file is never modified."""
    from onelegion.skills.clean.run import run_table

    return run_table(ctx, params)


@skill(
    "clean.profile",
    title="Profile a table",
    summary="Show each column's type, fill rate, distinct values, examples and problems (changes nothing).",
    version="1",
    examples=("legion clean profile 销售.csv", "legion clean profile data.xlsx --sheet Sheet2"),
)
def clean_profile(ctx: Context, params: CleanProfileIn) -> CleanProfileOut:
    """Reads the table and reports, per column: inferred type, non-null and distinct counts, the most
    frequent values, and issues such as stray whitespace, placeholder tokens and mixed formats."""
    from onelegion.skills.clean.run import run_profile

    return run_profile(ctx, params)


@skill(
    "clean.apply",
    title="Apply a cleaning recipe",
    summary="Re-apply a recipe.json from `clean table` to another file (e.g. next month's export).",
    version="1",
    examples=(
        "legion clean apply recipe.json 十二月.csv",
        "legion clean apply recipe.json new.csv --column-map 城市=city",
    ),
)
def clean_apply(ctx: Context, params: CleanApplyIn) -> CleanApplyOut:
    """Applies the recipe's enabled steps in order. Columns are matched by name; rename them with
    --column-map old=new. Steps whose columns are missing are skipped and listed; a recipe made for
    a different table is refused with the missing column names."""
    from onelegion.skills.clean.run import run_apply

    return run_apply(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [clean_table, clean_profile, clean_apply]
