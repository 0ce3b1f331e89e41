"""Type inference and canonical forms, decided from each column's own values."""

from __future__ import annotations

import polars as pl
import pytest
from tests.support.clean_steps import applied

from onelegion.skills.clean import normalize as n
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame, propose_missing
from onelegion.skills.clean.types import infer_column


def _t(values: list[str | None]) -> str:
    return infer_column(pl.Series("c", values, dtype=pl.Utf8)).type


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2", "30", "4"], "integer"),
        (["1.5", "2", "3.25"], "decimal"),
        (["¥12", "30元", "1.5万", "8"], "money"),
        (["5%", "12.5%", "7%"], "percent"),
        (["2024-03-05", "2024/3/6", "2024年3月7日", "20240308"], "date"),
        (["2024-03-05 10:00", "2024-03-06 11:30:00"], "datetime"),
        (["10:30", "2:15 PM", "23:59"], "time"),
        (["13800138000", "+86 139-0013-9000", "137 0013 7000"], "phone"),
        (["a@b.com", "X@Y.CN"], "email"),
        (["https://a.cn/x", "www.b.com"], "url"),
        (["11010519491231002X", "440301199001011234"], "cn_id"),
        (["是", "否", "是", "Y"], "boolean"),
        (["007", "012", "113"], "identifier"),
        (["上海", "北京", "上海", "北京", "上海"], "category"),
        ([None, None], "empty"),
    ],
)
def test_infer(values: list[str | None], expected: str) -> None:
    assert _t(values) == expected


def _clean(df: pl.DataFrame, canonical: bool = False) -> pl.DataFrame:
    return clean_frame(df, CleanOptions(repairs=False, canonical=canonical)).df


def test_dates_to_iso_with_order_from_evidence() -> None:
    df = pl.DataFrame(
        {"d": ["5/3/2024", "13/3/2024", "2024年3月5日", "20240306", "Mar 7, 2024", None]}
    )
    assert _clean(df, canonical=True)["d"].to_list() == [
        "2024-03-05",
        "2024-03-13",
        "2024-03-05",
        "2024-03-06",
        "2024-03-07",
        None,
    ]
    df = pl.DataFrame({"d": ["3/5/2024", "3/13/2024", "2024-01-02"]})
    assert _clean(df, canonical=True)["d"].to_list() == ["2024-03-05", "2024-03-13", "2024-01-02"]
    # by default the column keeps its own form (month-first, no padding); only ISO deviates
    assert _clean(df)["d"].to_list() == ["3/5/2024", "3/13/2024", "1/2/2024"]


def test_numbers_money_units_and_multipliers() -> None:
    df = pl.DataFrame({"价格": ["¥1,299.00", "30元", "1.5万", "8", "RMB 20", "12.50"]})
    res = clean_frame(df, CleanOptions(repairs=False))
    # 12.50 is already a bare number in a column without fixed decimals: kept as written
    assert res.df["价格"].to_list() == ["1299", "30", "15000", "8", "20", "12.50"]
    step = next(s for s in res.recipe.steps if s.kind == "normalize_number")
    assert step.unit == "CNY"
    df = pl.DataFrame({"销量": ["120件", "35", "1,024 件", "７件"]})
    assert _clean(df)["销量"].to_list() == ["120", "35", "1024", "7"]


def test_consistent_unit_is_kept() -> None:
    df = pl.DataFrame(
        {
            "score": ["100%", "97%", "98%", "95%"],
            "sample": ["0 patients", "4 patients", "13 patients", "4 patients"],
        }
    )
    res = clean_frame(df, CleanOptions(repairs=False))
    assert res.df.equals(df)
    assert res.change_frame.height == 0


def test_stray_percent_in_fraction_column_keeps_number() -> None:
    df = pl.DataFrame(
        {"abv": ["0.05", "0.066", "0.09%", "0.07", "0.045%", "0.052000000000000005%"]}
    )
    assert _clean(df)["abv"].to_list() == ["0.05", "0.066", "0.09", "0.07", "0.045", "0.052"]


def test_phones_emails_booleans() -> None:
    df = pl.DataFrame(
        {
            "手机": ["13800138000", "+86 139-0013-9000", "137 0013 7000", "13600136000"],
            "邮箱": [" Foo@Example.COM ", "bar@example.cn", "ｂａｚ＠ｅｘａｍｐｌｅ．ｃｏｍ", None],
            "会员": ["是", "否", "Y", "是"],
        }
    )
    out = _clean(df)
    assert out["手机"].to_list() == ["13800138000", "13900139000", "13700137000", "13600136000"]
    assert out["邮箱"].to_list() == ["foo@example.com", "bar@example.cn", "baz@example.com", None]
    assert out["会员"].to_list() == ["是", "否", "是", "是"]


def test_phone_mask_form() -> None:
    df = pl.DataFrame({"p": ["138-0013-8000", "139-0013-9000", "13700137000", "+86 136 0013 6000"]})
    assert _clean(df)["p"].to_list() == [
        "138-0013-8000",
        "139-0013-9000",
        "137-0013-7000",
        "136-0013-6000",
    ]


def test_text_hygiene() -> None:
    df = pl.DataFrame({"t": ["  上海\u200b ", "ＡＢＣ１２３", "CafÃ©", "a   b", "北京，朝阳"]})
    assert _clean(df)["t"].to_list() == ["上海", "ABC123", "Café", "a b", "北京，朝阳"]


def test_missing_tokens_become_empty() -> None:
    df = pl.DataFrame({"ibu": ["N/A", "20", "35", "-", None], "x": ["无", "a", "b", "c", "d"]})
    assert _clean(df)["ibu"].to_list() == [None, "20", "35", None, None]


def test_table_convention_token_is_kept() -> None:
    # no empty cell anywhere and a single token used throughout: it is the table's convention
    df = pl.DataFrame(
        {"a2": ["empty"] * 4, "score": ["100%", "empty", "97%", "98%"], "n": ["1", "2", "3", "4"]}
    )
    assert propose_missing(df) == []
    assert _clean(df).equals(df)


def test_only_value_column_is_kept() -> None:
    df = pl.DataFrame({"a": ["empty", "empty", "empty"], "b": ["1", None, "N/A"]})
    steps = propose_missing(df)
    assert [(s.column, s.tokens) for s in steps] == [("b", ["n/a"])]


def test_split_trailing_token() -> None:
    df = pl.DataFrame(
        {
            "city": [
                "Bend",
                "Gary",
                "Bend",
                "Gary",
                "San Francisco CA",
                "Denver CO",
                "San Francisco",
                "Denver",
                "Boulder CO",
                "Fresno",
            ],
            "state": ["OR", "IN", "OR", "IN", None, None, "CA", "CO", "CO", "CA"],
        }
    )
    out = _clean(df)
    assert out["city"].to_list()[4:6] == ["San Francisco", "Denver"]
    assert out["state"].to_list()[4:6] == ["CA", "CO"]
    assert out["city"][8] == "Boulder CO"  # state already filled: left alone


def test_step_apply_returns_change_list() -> None:
    step = n.NormalizeBoolean(column="b", true_value="Y", false_value="N")
    df, changes = applied(step, pl.DataFrame({"b": ["yes", "N", None]}))
    assert df["b"].to_list() == ["Y", "N", None]
    assert [(c.row, c.before, c.after, c.step) for c in changes] == [
        (0, "yes", "Y", "normalize_boolean")
    ]


def test_word_tokens_shaped_like_the_column_are_values() -> None:
    df = pl.DataFrame(
        {"洲": ["NA", "EU", "AS", "EU", "N/A"], "有货": ["有", "无", "有", "有", "-"]}
    )
    out = _clean(df)
    assert out["洲"].to_list() == ["NA", "EU", "AS", "EU", None]
    assert out["有货"].to_list() == ["有", "无", "有", "有", None]


def test_zip_plus_four_is_not_a_phone() -> None:
    assert _t(["35233-1234", "35801-0001", "36201-2222"]) != "phone"


def test_cn_id_checksum() -> None:
    df = pl.DataFrame(
        {"身份证": ["11010519491231002x", "440301199001011234", "310101198512310041"]}
    )
    res = clean_frame(df, CleanOptions(repairs=False))
    assert res.df["身份证"].to_list() == [
        "11010519491231002X",
        "440301199001011234",
        "310101198512310041",
    ]
    assert [(i.row, i.kind) for i in res.issues] == [(2, "invalid_cn_id")]


def test_scientific_notation_to_plain() -> None:
    df = pl.DataFrame({"x": ["1e10", "-5.5", "+3", "2.5E-3"]})
    assert _clean(df)["x"].to_list() == ["10000000000", "-5.5", "3", "0.0025"]


def test_line_breaks_inside_a_cell_are_kept() -> None:
    df = pl.DataFrame({"备注": ["第一行  \r\n  第二行\n", "a\t\tb"]})
    assert _clean(df)["备注"].to_list() == ["第一行\n第二行", "a b"]


def test_percent_sign_in_fraction_column_scaled_when_that_fits() -> None:
    df = pl.DataFrame({"rate": ["0.05", "0.06", "0.04", "0.055", "5%", "0.07%", "0.05", "0.06"]})
    assert _clean(df)["rate"].to_list() == [
        "0.05",
        "0.06",
        "0.04",
        "0.055",
        "0.05",
        "0.07",
        "0.05",
        "0.06",
    ]


def test_split_step_reapplies_with_the_new_tables_values() -> None:
    from onelegion.skills.clean.split import SplitTrailingToken

    step = SplitTrailingToken(column="city", target="state", tokens=["CA"])
    df = pl.DataFrame({"city": ["Austin TX", "Dallas", "Fresno CA"], "state": [None, "TX", None]})
    out, changes = applied(step, df)
    assert out.rows() == [("Austin", "TX"), ("Dallas", "TX"), ("Fresno", "CA")]
    assert len(changes) == 4


def test_other_currency_is_flagged_not_converted() -> None:
    df = pl.DataFrame({"价格": ["¥12", "30元", "15", "$20", "18"]})
    res = clean_frame(df, CleanOptions(repairs=False))
    assert res.df["价格"].to_list() == ["12", "30", "15", "$20", "18"]
    assert [(i.row, i.kind) for i in res.issues] == [(3, "unit_not_converted")]


def test_datetimes_with_chinese_and_english_am_pm() -> None:
    df = pl.DataFrame(
        {
            "时间": [
                "2024年3月5日 下午2:30",
                "2024/3/5 上午12:05",
                "2024-03-05 14:30",
                "Mar 5, 2024 2:30 PM",
            ]
        }
    )
    assert _clean(df, canonical=True)["时间"].to_list() == [
        "2024-03-05 14:30:00",
        "2024-03-05 00:05:00",
        "2024-03-05 14:30:00",
        "2024-03-05 14:30:00",
    ]


def test_totals_row_is_flagged_not_removed() -> None:
    df = pl.DataFrame({"商品": ["苹果", "梨", "合计"], "销量": ["3", "4", "7"]})
    res = clean_frame(df, CleanOptions(repairs=False))
    assert res.df.height == 3
    assert [(i.row, i.kind, i.value) for i in res.issues] == [(2, "summary_row", "合计")]
