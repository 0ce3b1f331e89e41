"""The shared HTML report helpers (onelegion.reports) and the clean report built on them."""

from __future__ import annotations

import polars as pl

from onelegion.reports import FONT_STACK, bar_chart, cards, esc, line_chart, page, section, table
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame
from onelegion.skills.clean.profile import profile_frame
from onelegion.skills.clean.report import clean_report


def test_helpers_escape_and_are_self_contained() -> None:
    html = page(
        "报告 <x>",
        [
            cards([("行", "1,000")]),
            section("图", bar_chart([("缺失 <b>", 3), ("b", 0)], title="t&t")),
            table(["列", "值"], [["<script>", "上海"]], numeric=(1,)),
            line_chart({"a": [1, 3, 2]}, labels=["一", "二", "三"], title="趋势"),
        ],
    )
    assert html.startswith("<!doctype html>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "缺失 &lt;b&gt;" in html and "报告 &lt;x&gt;" in html
    assert (
        FONT_STACK in html
        and '"Noto Sans CJK SC"' in FONT_STACK
        and '"Microsoft YaHei"' in FONT_STACK
    )
    assert html.count("<svg") == 2 and "<polyline" in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert esc(None) == "" and esc('"') == "&quot;"


def test_empty_charts_render_a_dash() -> None:
    assert bar_chart([]) == line_chart({}) == '<p class="muted">—</p>'


def test_clean_report_sections() -> None:
    df = pl.DataFrame(
        {"日期": ["2024/3/5", "2024年3月6日", None], "城市": ["上海", "上海 ", "北京"]}
    )
    res = clean_frame(df, CleanOptions(repairs=False, canonical=True))
    html = clean_report(
        title="清洗报告",
        source="t.csv",
        before=profile_frame(df, res.type_info),
        after=profile_frame(res.df, res.type_info),
        steps=res.recipe.steps,
        changes=res.change_frame,
        issues=res.issues,
        duplicates=[],
        df_after=res.df,
    )
    for part in (
        "概览 Overview",
        "各列画像",
        "配方 Recipe steps",
        "值聚类 Top clusters",
        "改动示例",
        "<del>2024/3/5</del>",
        "<ins>2024-03-05</ins>",
    ):
        assert part in html, part
