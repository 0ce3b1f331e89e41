"""The demo samples (src/onelegion/skills/clean/samples) clean into canonical forms."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from onelegion.core.context import Context
from onelegion.skills.clean import clean_table
from onelegion.skills.clean.models import CleanTableIn
from onelegion.tables.read import read_table

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "onelegion" / "skills" / "clean" / "samples"


@pytest.mark.parametrize("name", ["market.csv", "market.xlsx"])
def test_sample_cleans(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    shutil.copy(SAMPLES / name, src)
    ctx = Context.for_testing(tmp_path)
    out = clean_table(ctx, CleanTableIn(path=src))
    assert out.rows == 205 and out.columns == 12
    assert out.encoding == ("gb18030" if name.endswith(".csv") else None)
    df = read_table(Path(out.output or "")).df
    issues = pl.read_csv(ctx.run_dir / "issues.csv", infer_schema=False)
    flagged = {k: sorted(g["value"].to_list()) for (k,), g in issues.group_by("kind")}
    # impossible values are flagged and kept as they were, never guessed
    assert flagged["invalid_date"] == ["2024-02-30", "2024/13/01"]
    assert flagged["invalid_phone"] == ["138-0013"]
    dates = df["日期"].filter(~df["日期"].is_in(flagged["invalid_date"]))
    assert dates.len() == 203 and dates.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert df["价格"].str.contains(r"^\d+(\.\d+)?$").all()
    assert df["销量"].drop_nulls().str.contains(r"^\d+$").all()
    assert (
        df["联系电话"]
        .drop_nulls()
        .filter(df["联系电话"].drop_nulls() != "138-0013")
        .str.contains(r"^1[3-9]\d{9}$")
        .all()
    )
    assert set(df["是否会员"].to_list()) == {"是", "否"}
    assert df["邮箱"].str.contains(r"^[a-z0-9._]+@[a-z0-9.]+$").all()
    assert df["省份"].null_count() == 0  # 'city province' values were split
    assert not df["备注"].is_in(["N/A", "-", "无", "空", "null"]).any()
    assert df.filter(pl.col("城市").str.ends_with("市")).height == 0  # 上海市 -> 上海 (cluster)
    types = {c.name: c.type for c in out.column_results}
    assert types["价格"] == "money" and types["日期"] == "date" and types["联系电话"] == "phone"


def test_sample_generator_is_deterministic() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_samples", Path(__file__).parents[1] / "fixtures" / "clean" / "make_samples.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.rows(200) == mod.rows(200)
    committed = read_table(SAMPLES / "market.csv").df
    assert committed.rows()[:3] == [
        tuple(v if v != "" else None for v in r) for r in mod.rows(200)[:3]
    ]


def test_sample_dedupe(tmp_path: Path) -> None:
    src = tmp_path / "market.csv"
    shutil.copy(SAMPLES / "market.csv", src)
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(path=src, dedupe=True))
    assert out.rows == 200 and out.duplicate_groups == 5
    assert any(n.startswith("removed 5 duplicate row(s)") for n in out.notes)
    assert read_table(Path(out.output or "")).df["订单号"].n_unique() == 200


def test_recipe_reapplies_to_next_months_file(tmp_path: Path) -> None:
    import importlib.util

    from onelegion.skills.clean import clean_apply
    from onelegion.skills.clean.models import CleanApplyIn

    spec = importlib.util.spec_from_file_location(
        "make_samples", Path(__file__).parents[1] / "fixtures" / "clean" / "make_samples.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    first, second = tmp_path / "十一月.csv", tmp_path / "十二月.csv"
    mod.write_csv(first, mod.rows(150, seed=1))
    mod.write_csv(second, mod.rows(150, seed=2))
    ctx = Context.for_testing(tmp_path / "a")
    clean_table(ctx, CleanTableIn(path=first))
    out = clean_apply(
        Context.for_testing(tmp_path / "b"),
        CleanApplyIn(recipe=ctx.run_dir / "recipe.json", path=second),
    )
    assert out.skipped_steps == 0 and out.cells_changed > 0
    df = read_table(Path(out.output or "")).df
    dates = df["日期"].filter(~df["日期"].is_in(["2024-02-30", "2024/13/01"]))  # flagged, kept
    assert dates.len() == 151 and dates.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert df["价格"].str.contains(r"^\d+(\.\d+)?$").all()
    assert set(df["是否会员"].to_list()) == {"是", "否"}
    phones = df["联系电话"].drop_nulls()
    assert phones.filter(phones != "138-0013").str.contains(r"^1[3-9]\d{9}$").all()


def test_cleaning_is_idempotent(tmp_path: Path) -> None:
    src = tmp_path / "market.csv"
    shutil.copy(SAMPLES / "market.csv", src)
    first = clean_table(Context.for_testing(tmp_path / "a"), CleanTableIn(path=src))
    again = clean_table(
        Context.for_testing(tmp_path / "b"), CleanTableIn(path=Path(first.output or ""))
    )
    # (bare numbers such as 459.0 in a column mixing whole and decimal prices are kept as written)
    assert first.cells_changed > 550 and again.cells_changed == 0
