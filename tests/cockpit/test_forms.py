"""Forms generated from input schemas, and their answers turned back into params."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.review import load_reviews
from onelegion.core.skill import InputDir, InputFile, OutputFile, skill
from onelegion.surfaces.cockpit.forms import form_fields, params_from_form


class AllIn(BaseModel):
    source: InputFile = Field(description="A file.")
    folder: InputDir | None = Field(default=None, description="A folder.")
    out: OutputFile | None = Field(default=None, description="Where to write.")
    mode: Literal["fast", "slow"] = Field(default="fast", description="How.")
    flag: bool = Field(default=False, description="A switch.")
    on: bool = Field(default=True, description="On by default.")
    count: int = Field(default=3, ge=1, le=9, description="How many.")
    ratio: float | None = Field(default=None, description="A ratio.")
    tags: list[str] = Field(default_factory=list, description="Tags.")
    extra: dict[str, int] = Field(default_factory=dict, description="Extra.")
    name: str = Field(default="x", description="A name.")


class AllOut(BaseModel):
    ok: bool = True


@skill("testkit.all", title="All", summary="Every kind of field.")
def all_fields(ctx: Context, params: AllIn) -> AllOut:
    return AllOut()


def test_widgets_follow_the_schema() -> None:
    fields = {f.name: f for f in form_fields(all_fields)}
    assert {n: f.widget for n, f in fields.items()} == {
        "source": "file",
        "folder": "path",
        "out": "path",
        "mode": "select",
        "flag": "checkbox",
        "on": "checkbox",
        "count": "integer",
        "ratio": "number",
        "tags": "lines",
        "extra": "json",
        "name": "text",
    }
    assert fields["source"].required and not fields["mode"].required
    assert fields["mode"].choices == ["fast", "slow"] and fields["mode"].default_text == "fast"
    assert (fields["count"].minimum, fields["count"].maximum) == (1, 9)
    assert fields["count"].description == "How many."


def test_answers_become_params() -> None:
    fields = form_fields(all_fields)
    form = {
        "source": "/w/a.csv",
        "folder": "",
        "mode": "slow",
        "flag": "true",
        "on": "true",
        "count": "4",
        "ratio": "0.5",
        "tags": "a\n\n b \n",
        "extra": '{"k": 1}',
        "name": " y ",
        "unknown": "ignored",
    }
    assert params_from_form(fields, form) == {
        "source": "/w/a.csv",
        "mode": "slow",
        "flag": True,
        "count": 4,
        "ratio": 0.5,
        "tags": ["a", "b"],
        "extra": {"k": 1},
        "name": "y",
    }
    assert params_from_form(fields, {"on": "false"}) == {"on": False}
    with pytest.raises(UserError, match=r"^count: '4.5' is not a whole number$"):
        params_from_form(fields, {"count": "4.5"})
    with pytest.raises(UserError, match=r"^ratio: 'half' is not a number$"):
        params_from_form(fields, {"ratio": "half"})
    with pytest.raises(UserError, match=r"^extra: not valid JSON"):
        params_from_form(fields, {"extra": "{"})


def test_the_clean_review_is_declared() -> None:
    reviews, errors = load_reviews()
    assert errors == {}
    assert reviews["clean.table"].title == "Review the cleaning recipe"
    assert reviews["subs.translate"].title == "Review the translation"
