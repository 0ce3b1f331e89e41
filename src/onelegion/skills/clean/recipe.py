"""The recipe: an ordered, typed, human-editable JSON list of steps, re-appliable to new files.

Each step has a ``kind`` (the discriminator), the ``column`` it touches, ``enabled`` (set it to
false to skip a step), a ``confidence``, a ``description`` and its ``evidence``. Applying a
recipe matches columns by name; ``column_map`` renames the recipe's columns to the table's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, SerializeAsAny, TypeAdapter, ValidationError, model_validator

from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.skills.clean import normalize, split
from onelegion.skills.clean.clusters import MapValues
from onelegion.skills.clean.consensus import ConsensusRepair
from onelegion.skills.clean.dependencies import FDRepair
from onelegion.skills.clean.duplicates import Dedupe
from onelegion.skills.clean.relations import RelationRepair
from onelegion.skills.clean.slips import SlipRepair
from onelegion.skills.clean.step import StepBase
from onelegion.skills.clean.swaps import SwapRepair

RECIPE_VERSION = 1

Step = Annotated[
    normalize.CleanText
    | normalize.MissingToEmpty
    | normalize.NormalizeNumber
    | normalize.NormalizeDate
    | normalize.NormalizeTime
    | normalize.NormalizePhone
    | normalize.NormalizeEmail
    | normalize.NormalizeBoolean
    | normalize.NormalizeCnId
    | normalize.NormalizeUrl
    | split.SplitTrailingToken
    | MapValues
    | FDRepair
    | ConsensusRepair
    | RelationRepair
    | SlipRepair
    | SwapRepair
    | Dedupe,
    Field(discriminator="kind"),
]
"""Every kind of recipe step, told apart by ``kind``."""

STEP_ADAPTER: TypeAdapter[Step] = TypeAdapter(Step)


class Recipe(BaseModel):
    """What clean.table decided, in the order it is applied."""

    version: int = RECIPE_VERSION
    tool: str = "onelegion clean"
    source: dict[str, Any] = Field(
        default_factory=dict, description="The file the recipe came from."
    )
    columns: list[str] = Field(default_factory=list, description="Column names of that table.")
    types: dict[str, str] = Field(default_factory=dict, description="Semantic type of each column.")
    representation: str = Field(
        default="column",
        description="'column': each column kept its own dominant date/time/number form; "
        "'canonical': ISO dates, 24-hour times, plain numbers (--canonical).",
    )
    steps: list[SerializeAsAny[StepBase]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _typed_steps(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("steps"), list):
            data = dict(data)
            data["steps"] = [
                s if isinstance(s, StepBase) else STEP_ADAPTER.validate_python(s)
                for s in data["steps"]
            ]
        return data

    def referenced_columns(self) -> list[str]:
        """Every column a step reads or writes, in first-use order."""
        seen: dict[str, None] = {}
        for s in self.steps:
            for c in step_columns(s):
                seen.setdefault(c, None)
        return list(seen)

    def save(self, path: Path) -> Path:
        return write_text(path, self.model_dump_json(indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> Recipe:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise UserError(
                f"{Path(path).name} is not a recipe JSON file: {e}",
                hint="pass the recipe.json written by `legion clean table`",
            ) from None
        if not isinstance(data, dict) or "steps" not in data:
            raise UserError(
                f"{Path(path).name} has no 'steps'",
                hint="pass a recipe.json written by `legion clean table`",
            )
        name = Path(path).name
        steps = data["steps"] if isinstance(data["steps"], list) else []
        for i, st in enumerate(steps):
            try:
                STEP_ADAPTER.validate_python(st)
            except ValidationError as e:
                first = e.errors()[0]
                kind = st.get("kind") if isinstance(st, dict) else None
                loc = ".".join(str(x) for x in first["loc"][1:] if x != kind) or "kind"
                raise UserError(
                    f"{name}: step {i + 1} ({kind or '?'}) is invalid: {loc}: {first['msg']}",
                    hint="fix that entry (or delete it) in the recipe file",
                ) from None
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            raise UserError(
                f"{name}: invalid recipe at {loc}: {first['msg']}", hint="fix the recipe file"
            ) from None

    def renamed(self, mapping: dict[str, str]) -> Recipe:
        """A copy whose steps use the table's column names (``mapping``: recipe name -> table name)."""
        if not mapping:
            return self
        steps = []
        for s in self.steps:
            data = s.model_dump()
            for key in ("column", *NAME_FIELDS):
                if isinstance(data.get(key), str) and data[key] in mapping:
                    data[key] = mapping[data[key]]
            for key in (*LIST_FIELDS, *OPTIONAL_LIST_FIELDS):
                if isinstance(data.get(key), list):
                    data[key] = [mapping.get(c, c) if isinstance(c, str) else c for c in data[key]]
            steps.append(type(s).model_validate(data))
        return self.model_copy(
            update={
                "steps": steps,
                "columns": [mapping.get(c, c) for c in self.columns],
                "types": {mapping.get(k, k): v for k, v in self.types.items()},
            }
        )


# step fields that name other columns the step reads (besides ``column``)
NAME_FIELDS = ("target", "other", "group", "entity")
LIST_FIELDS = ("determinant", "columns")
# optional ones: renamed with the table, but a step still runs when they are absent
OPTIONAL_LIST_FIELDS = ("siblings",)


def step_columns(step: StepBase) -> list[str]:
    cols: list[str] = []
    if step.column:
        cols.append(step.column)
    for key in NAME_FIELDS:
        v = getattr(step, key, None)
        if isinstance(v, str):
            cols.append(v)
    for key in LIST_FIELDS:
        v = getattr(step, key, None)
        if isinstance(v, list):
            cols.extend(c for c in v if isinstance(c, str))
    return cols


def parse_column_map(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise UserError(
                f"--column-map {item!r} is not old=new", hint="write it like --column-map 城市=city"
            )
        old, new = item.split("=", 1)
        if not old.strip() or not new.strip():
            raise UserError(
                f"--column-map {item!r} has an empty name",
                hint="write it like --column-map 城市=city",
            )
        out[old.strip()] = new.strip()
    return out
