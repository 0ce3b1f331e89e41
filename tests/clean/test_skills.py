"""The clean.table / clean.profile / clean.apply skills end to end (files in, files out)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import set_language
from onelegion.skills.clean import SKILLS, clean_apply, clean_profile, clean_table
from onelegion.skills.clean.models import CleanApplyIn, CleanProfileIn, CleanTableIn

FIX = Path(__file__).parent.parent / "fixtures" / "clean"


def render(obj: object, lang: str = "en") -> str:
    """The terminal summary in one language (the surfaces choose it with --lang)."""
    set_language(lang)
    try:
        c = Console(width=140, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        c.print(obj)
        return c.export_text()
    finally:
        set_language(None)


@pytest.fixture
def beers(tmp_path: Path) -> Path:
    p = tmp_path / "beers.csv"
    shutil.copy(FIX / "beers_dirty.csv", p)
    return p


def test_skill_names() -> None:
    assert [s.name for s in SKILLS] == ["clean.table", "clean.profile", "clean.apply"]
    assert list(clean_table.path_fields()) == ["path", "output", "report", "recipe_out", "synonyms"]


def test_clean_table_writes_everything(tmp_path: Path, beers: Path) -> None:
    before = beers.read_bytes()
    ctx = Context.for_testing(tmp_path)
    out = clean_table(
        ctx,
        CleanTableIn(path=beers, report=tmp_path / "r.html", recipe_out=tmp_path / "recipe.json"),
    )
    assert beers.read_bytes() == before  # input untouched
    assert out.output == tmp_path / "beers.clean.csv"
    with open(out.output, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(FIX / "beers_clean.csv", newline="", encoding="utf-8") as f:
        clean = list(csv.reader(f))
    assert rows[0] == clean[0]
    col = clean[0].index("ounces")
    # (the first 20 rows: later ones may also get dependency repairs, tested in their own module)
    assert [r[col] for r in rows[1:21]] == [r[col] for r in clean[1:21]]
    names = {a.name for a in out.artifacts}
    assert {
        "cleaned",
        "recipe.json",
        "changes.csv",
        "issues.csv",
        "duplicates.csv",
        "report.html",
        "recipe-export",
        "report-export",
    } <= names
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in html and "<svg" in html and "12.0 oz" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    recipe = json.loads((tmp_path / "recipe.json").read_text(encoding="utf-8"))
    assert recipe["steps"][0]["kind"] == "clean_text"
    with open(ctx.run_dir / "changes.csv", newline="", encoding="utf-8-sig") as f:
        changes = list(csv.DictReader(f))
    assert len(changes) >= out.cells_changed > 0
    text = render(out)
    assert "ounces" in text and "12.0 oz → 12" in text and "Cleaned:" in text
    zh = render(out, "zh")
    assert zh.startswith("✓ 清洗完成：") and "Cleaned" not in zh


def test_review_changes_nothing(tmp_path: Path, beers: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    out = clean_table(ctx, CleanTableIn(path=beers, review=True))
    assert out.output is None and not (tmp_path / "beers.clean.csv").exists()
    assert (ctx.run_dir / "recipe.json").exists() and (ctx.run_dir / "report.html").exists()
    assert render(out).startswith("◇ Review (nothing changed): would change")
    assert render(out, "zh").startswith("◇ 预览（未改动）：将改动")


def test_output_equal_to_input_is_refused(tmp_path: Path, beers: Path) -> None:
    before = beers.read_bytes()
    with pytest.raises(UserError, match="inputs are never overwritten"):
        clean_table(Context.for_testing(tmp_path), CleanTableIn(path=beers, output=beers))
    assert beers.read_bytes() == before


def test_output_format_follows_extension(tmp_path: Path, beers: Path) -> None:
    from onelegion.tables.read import read_table

    for ext in ("xlsx", "json", "jsonl", "parquet", "tsv"):
        target = tmp_path / f"o.{ext}"
        clean_table(Context.for_testing(tmp_path / ext), CleanTableIn(path=beers, output=target))
        df = read_table(target).df
        assert df.height == 61 and df["ounces"][0] == "12", ext


def test_gbk_input_written_as_utf8_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_bytes(("商品,价格\n" + "苹果,¥12.0\n香蕉,3元\n" * 10).encode("gb18030"))
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(path=p))
    data = Path(out.output or "").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[:3] == ["商品,价格", "苹果,12", "香蕉,3"]


def test_profile(tmp_path: Path, beers: Path) -> None:
    out = clean_profile(Context.for_testing(tmp_path), CleanProfileIn(path=beers))
    by = {c.name: c for c in out.column_results}
    assert by["ibu"].type == "integer"
    with open(beers, encoding="utf-8") as f:
        n_a = sum(1 for r in csv.DictReader(f) if r["ibu"] == "N/A")
    assert out.issue_kinds["missing_token"] == n_a
    assert render(out).startswith("Profile beers.csv")
    assert render(out, "zh").startswith("画像 beers.csv")


def test_apply_same_and_renamed(tmp_path: Path, beers: Path) -> None:
    ctx = Context.for_testing(tmp_path / "a")
    first = clean_table(ctx, CleanTableIn(path=beers))
    recipe = ctx.run_dir / "recipe.json"
    out = clean_apply(
        Context.for_testing(tmp_path / "b"),
        CleanApplyIn(recipe=recipe, path=beers, output=tmp_path / "x.csv"),
    )
    assert (tmp_path / "x.csv").read_bytes() == Path(first.output or "").read_bytes()
    # the same table with renamed headers needs --column-map
    renamed = tmp_path / "renamed.csv"
    text = beers.read_text(encoding="utf-8").split("\n", 1)
    renamed.write_text(
        text[0].replace("ounces", "容量").replace("city", "城市") + "\n" + text[1], encoding="utf-8"
    )
    out = clean_apply(
        Context.for_testing(tmp_path / "c"),
        CleanApplyIn(recipe=recipe, path=renamed, output=tmp_path / "y.csv"),
    )
    assert out.skipped_steps >= 2  # partial: ounces and city steps skipped
    assert "容量" not in {c.name for c in out.column_results if c.changed}
    out = clean_apply(
        Context.for_testing(tmp_path / "d"),
        CleanApplyIn(
            recipe=recipe,
            path=renamed,
            output=tmp_path / "z.csv",
            column_map=["ounces=容量", "city=城市"],
        ),
    )
    assert out.skipped_steps == 0
    assert {c.name: c.changed for c in out.column_results}["容量"] == 61


def test_apply_recipe_from_other_table(tmp_path: Path, beers: Path) -> None:
    ctx = Context.for_testing(tmp_path / "a")
    clean_table(ctx, CleanTableIn(path=beers))
    other = tmp_path / "other.csv"
    other.write_text("商品,价格\n苹果,12元\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        clean_apply(
            Context.for_testing(tmp_path / "b"),
            CleanApplyIn(recipe=ctx.run_dir / "recipe.json", path=other),
        )
    assert "ounces" in e.value.message and "--column-map" in (e.value.hint or "")
    assert not (tmp_path / "other.clean.csv").exists()


def test_huge_cell_end_to_end(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text("a,b\n" + "x" * (50 * 1024 * 1024) + ",1\n", encoding="utf-8")
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(path=p))
    assert out.rows == 1 and Path(out.output or "").stat().st_size > 50 * 1024 * 1024


def test_user_synonyms(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "品类,城市\n美妆,上海\n化妆品,Shanghai\n美妆,北京\n数码,上海\n", encoding="utf-8"
    )
    syn = tmp_path / "syn.csv"
    syn.write_text("化妆品,美妆\nShanghai,上海,城市\n", encoding="utf-8")
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(path=data, synonyms=syn))
    with open(out.output or "", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1:] == [["美妆", "上海"], ["美妆", "上海"], ["美妆", "北京"], ["数码", "上海"]]


def test_synonyms_file_without_pairs(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    syn = tmp_path / "syn.csv"
    syn.write_text("only\n", encoding="utf-8")
    with pytest.raises(UserError, match="no variant,canonical pairs"):
        clean_table(Context.for_testing(tmp_path), CleanTableIn(path=data, synonyms=syn))


def test_too_big_for_excel_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import polars as pl

    from onelegion.skills.clean import write

    monkeypatch.setattr(write, "EXCEL_MAX_ROWS", 5)  # instead of building a million rows
    target = tmp_path / "big.xlsx"
    with pytest.raises(UserError, match="do not fit in an Excel sheet"):
        write.write_table(pl.DataFrame({"a": ["1"] * 10}), target)
    assert not target.exists()
    write.write_table(pl.DataFrame({"a": ["1"] * 3}), target)
    assert target.exists()


def test_demo_params(tmp_path: Path) -> None:
    assert clean_table.demo is not None
    params = clean_table.demo(tmp_path)
    assert Path(params["path"]) == tmp_path / "market.csv" and (tmp_path / "market.csv").exists()
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(**params))
    assert out.output == tmp_path / "market.clean.csv" and out.rows == 205


def test_parquet_output_is_typed(tmp_path: Path) -> None:
    from datetime import date

    import polars as pl

    src = tmp_path / "t.csv"
    src.write_text(
        "日期,销量,价格,城市\n2024/3/5,12件,¥1.5,上海\n2024年3月6日,7,2元,北京\n", encoding="utf-8"
    )
    clean_table(
        Context.for_testing(tmp_path), CleanTableIn(path=src, output=tmp_path / "o.parquet")
    )
    df = pl.read_parquet(tmp_path / "o.parquet")
    assert df.schema == {"日期": pl.Date, "销量": pl.Int64, "价格": pl.Float64, "城市": pl.Utf8}
    assert df.row(0) == (date(2024, 3, 5), 12, 1.5, "上海")


def test_xlsx_output_has_real_numbers_and_dates(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import load_workbook

    src = tmp_path / "t.csv"
    src.write_text(
        "日期,销量,价格,城市\n2024/3/5,12件,¥1.5,上海\n2024年3月6日,7,2元,北京\n", encoding="utf-8"
    )
    clean_table(Context.for_testing(tmp_path), CleanTableIn(path=src, output=tmp_path / "o.xlsx"))
    ws = load_workbook(tmp_path / "o.xlsx").active
    assert [c.value for c in ws[2]] == [datetime(2024, 3, 5), 12, 1.5, "上海"]
    assert ws["A2"].is_date


def test_cell_too_long_for_excel_is_refused(tmp_path: Path) -> None:
    import polars as pl

    from onelegion.skills.clean.write import write_table

    with pytest.raises(UserError, match="at most 32,767"):
        write_table(pl.DataFrame({"a": ["x" * 40000]}), tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()
