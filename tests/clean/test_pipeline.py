"""The pipeline on real benchmark excerpts (tests/fixtures/clean, see SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from onelegion.skills.clean.pipeline import CleanOptions, clean_frame
from onelegion.tables.read import read_table

FIX = Path(__file__).parent.parent / "fixtures" / "clean"


def test_beers_format_noise_is_fixed_exactly() -> None:
    dirty = read_table(FIX / "beers_dirty.csv").df
    clean = read_table(FIX / "beers_clean.csv").df
    res = clean_frame(dirty, CleanOptions(repairs=False))
    for col in ("ounces", "abv", "ibu", "city", "state"):
        assert res.df[col].to_list() == clean[col].to_list(), col
    kinds = {s.kind for s in res.recipe.steps}
    assert {"normalize_number", "missing_to_empty", "split_trailing_token"} <= kinds
    ounces = next(
        s for s in res.recipe.steps if s.kind == "normalize_number" and s.column == "ounces"
    )
    assert ounces.unit == "oz"


def test_beers_changes_match_cell_comparison() -> None:
    dirty = read_table(FIX / "beers_dirty.csv").df
    res = clean_frame(dirty, CleanOptions(repairs=False))
    diff = sum(int(dirty[c].ne_missing(res.df[c]).sum()) for c in dirty.columns)
    assert res.cells_changed == diff
    assert len(res.changes) == res.change_frame.height
    first = res.change_frame.filter(pl.col("column") == "ounces").row(0, named=True)
    assert (first["row"], first["before"], first["after"]) == (0, "12.0 oz", "12")


def test_hospital_convention_and_units_survive() -> None:
    df = read_table(FIX / "hospital_dirty.csv").df
    res = clean_frame(df, CleanOptions(repairs=False))
    for col in (
        "Address2",
        "Address3",
        "Score",
        "Sample",
        "ZipCode",
        "PhoneNumber",
        "ProviderNumber",
    ):
        assert res.df[col].to_list() == df[col].to_list(), col
    assert "empty" in res.df["Score"].to_list()


def test_low_confidence_steps_are_proposed_not_applied() -> None:
    df = pl.DataFrame({"d": ["3/5/2024", "4/6/2024", "2024-01-02"]})  # day/month order undecidable
    res = clean_frame(df, CleanOptions(repairs=False, min_confidence=0.9))
    step = next(s for s in res.recipe.steps if s.kind == "normalize_date")
    assert step.enabled is False
    assert res.df["d"].to_list() == ["3/5/2024", "4/6/2024", "2024-01-02"]


def test_recipe_round_trip(tmp_path: Path) -> None:
    from onelegion.skills.clean.apply import apply_recipe
    from onelegion.skills.clean.recipe import Recipe

    dirty = read_table(FIX / "beers_dirty.csv").df
    res = clean_frame(dirty, CleanOptions(repairs=False))
    res.recipe.save(tmp_path / "r.json")
    again = apply_recipe(dirty, Recipe.load(tmp_path / "r.json"))
    assert again.df.equals(res.df)


def test_hand_edited_recipe_errors_name_the_step(tmp_path: Path) -> None:
    import json

    import pytest

    from onelegion.core.errors import UserError
    from onelegion.skills.clean.recipe import Recipe

    p = tmp_path / "r.json"
    p.write_text(
        json.dumps({"steps": [{"kind": "normalize_date", "column": "d", "order": "ydm"}]}),
        encoding="utf-8",
    )
    with pytest.raises(
        UserError, match=r"step 1 \(normalize_date\) is invalid: order: Input should be"
    ):
        Recipe.load(p)
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="is not a recipe JSON file"):
        Recipe.load(p)
    p.write_text(
        json.dumps({"steps": [{"kind": "normalize_date", "column": "d", "enabled": False}]}),
        encoding="utf-8",
    )
    assert Recipe.load(p).steps[0].enabled is False
