"""Issue 8, damage: a right cell stays right and each column keeps its own representation.

Each test is a small table written for one mechanism the issue names, with the exact outcome.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl

from onelegion.core.context import Context
from onelegion.skills.clean import clean_table
from onelegion.skills.clean.models import CleanTableIn
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame
from onelegion.skills.clean.types import infer_column


def _clean(df: pl.DataFrame, **kw: bool) -> pl.DataFrame:
    return clean_frame(df, CleanOptions(**kw)).df  # type: ignore[arg-type]


def _money(rng: random.Random, n: int) -> list[str]:
    return [f"{rng.uniform(1000, 90000):.2f}" for _ in range(n)]


def test_money_is_never_typed_as_phone() -> None:
    vals = [*_money(random.Random(1), 60), "61828.26", "1517.50"]
    assert infer_column(pl.Series("income", vals)).type == "decimal"
    df = pl.DataFrame({"income": vals})
    assert _clean(df)["income"].to_list() == vals


def test_labels_that_differ_in_symbols_or_word_order_stay_apart() -> None:
    brackets = [">50K"] * 30 + ["<=50K"] * 9 + ["<50K"] * 2
    places = ["Santa Clara"] * 12 + ["Clara Santa"] * 4 + ["San Mateo"] * 10
    df = pl.DataFrame({"bracket": brackets[:26], "place": places})
    out = _clean(df)
    assert out["bracket"].to_list() == brackets[:26]
    assert out["place"].to_list() == places
    df = pl.DataFrame({"bracket": brackets})
    assert _clean(df)["bracket"].to_list() == brackets


def test_two_decimal_column_keeps_its_places_and_converts_deviants() -> None:
    vals = [*_money(random.Random(2), 40), "1517.50", "5.00"]
    df = pl.DataFrame({"amount": [*vals, "1517.5", "¥21,245.00", "12"]})
    out = _clean(df)["amount"].to_list()
    assert out[: len(vals)] == vals  # right cells untouched
    assert out[len(vals) :] == ["1517.50", "21245.00", "12.00"]
    # --canonical: minimal plain numbers
    assert _clean(df, canonical=True)["amount"].to_list()[-5:] == [
        "1517.5",
        "5",
        "1517.5",
        "21245",
        "12",
    ]


def test_thousands_separators_are_kept() -> None:
    vals = [f"{x:,.2f}" for x in random.Random(3).sample(range(1000, 90000), 30)]
    df = pl.DataFrame({"金额": [*vals, "23456.7"]})
    out = _clean(df)["金额"].to_list()
    assert out[:-1] == vals
    assert out[-1] == "23,456.70"


def test_twelve_hour_times_stay_twelve_hour() -> None:
    vals = [f"{h}:{m:02d} {ap}" for h in range(1, 13) for m in (0, 30) for ap in ("AM", "PM")]
    df = pl.DataFrame({"dep": [*vals, "15:50", "09:05"]})
    out = _clean(df)["dep"].to_list()
    assert out[: len(vals)] == vals
    assert out[len(vals) :] == ["3:50 PM", "9:05 AM"]
    assert _clean(df, canonical=True)["dep"].to_list()[:2] == ["01:00", "13:00"]


def test_m_d_yy_dates_stay_m_d_yy_and_two_digit_years_are_not_in_the_future() -> None:
    vals = [f"{m}/{d}/{y:02d}" for m in (1, 6, 12) for d in (1, 15, 28) for y in (3, 19, 23)]
    df = pl.DataFrame({"day": [*vals, "2023-02-01", "1/1/65"]})
    out = _clean(df)["day"].to_list()
    assert out[: len(vals)] == vals
    assert out[-2:] == ["2/1/23", "1/1/65"]
    canon = _clean(df, canonical=True)["day"].to_list()
    assert canon[-1] == "1965-01-01"
    assert canon[0] == "2003-01-01"


def test_chinese_dates_keep_their_form() -> None:
    vals = [f"2024年{m}月{d}日" for m in range(1, 13) for d in (3, 17)]
    df = pl.DataFrame({"日期": [*vals, "2024-03-05", "2024/3/6"]})
    out = _clean(df)["日期"].to_list()
    assert out == [*vals, "2024年3月5日", "2024年3月6日"]


def test_datetime_without_seconds_keeps_its_form() -> None:
    vals = [f"2024-05-01 {h:02d}:{m:02d}" for h in range(0, 24, 3) for m in (0, 7, 14)]
    df = pl.DataFrame({"ts": vals})
    assert _clean(df)["ts"].to_list() == vals


def test_upper_case_codes_are_not_lower_cased() -> None:
    codes = [f"REF{c}{i:04d}" for i, c in enumerate("ABCDEFGH" * 5)]
    df = pl.DataFrame({"code": codes, "tier": ["GOLD", "SILVER"] * 19 + ["gold", "GOLD"]})
    out = _clean(df)
    assert out["code"].to_list() == codes
    # a rare case variant joins the column's case; frequent case-only variants are both kept
    assert out["tier"].to_list()[-2:] == ["GOLD", "GOLD"]
    both = pl.DataFrame({"brand": ["Apple"] * 5 + ["APPLE"] * 4 + ["Pear"] * 6})
    assert _clean(both)["brand"].to_list() == both["brand"].to_list()


def test_canonical_label_is_the_tidy_spelling_not_the_raw_majority() -> None:
    df = pl.DataFrame({"会员等级": ["金 卡"] * 5 + ["金卡"] * 4 + ["银卡"] * 8 + ["普通"] * 6})
    out = _clean(df)["会员等级"].to_list()
    assert out == ["金卡"] * 9 + ["银卡"] * 8 + ["普通"] * 6


def test_one_to_one_link_never_follows_the_corrupted_side() -> None:
    stores = [("万达店", "上海"), ("国贸店", "北京"), ("天河店", "广州"), ("西湖店", "杭州")]
    rows = [stores[i % 4] for i in range(80)]
    rows[5] = ("国贸店", "杭州")  # a wrong city that is itself a real city of another store
    for store, city in (("门店", "城市"), ("branch", "town")):  # either side repaired first
        df = pl.DataFrame({store: [s for s, _ in rows], city: [c for _, c in rows]})
        out = _clean(df)
        # the store (right) is never rewritten from the wrong city; with nothing else to tell
        # which side is wrong, the conflicting cell is left alone
        assert out[store].to_list() == df[store].to_list()
        assert out[city].to_list() == df[city].to_list()
        flagged = {(i.row, i.kind) for i in clean_frame(df, CleanOptions()).issues}
        assert (5, "conflict") in flagged


def test_a_repair_that_would_rewrite_much_of_a_column_is_held(tmp_path: Path) -> None:
    from onelegion.skills.clean.clusters import MapValues
    from onelegion.skills.clean.pipeline import _Run

    df = pl.DataFrame({"c": ["a"] * 6 + ["b"] * 4})
    run = _Run(df, CleanOptions())
    step = MapValues(column="c", mapping={"b": "a"}, confidence=0.95)
    assert run.run(step) == 0
    assert run.df["c"].to_list() == df["c"].to_list()
    assert not step.enabled and "held" in step.evidence


def test_csv_output_of_a_tsv_input_uses_commas(tmp_path: Path) -> None:
    src = tmp_path / "t.tsv"
    src.write_text("a\tb\n1\tx\n2\ty\n", encoding="utf-8")
    clean_table(Context.for_testing(tmp_path), CleanTableIn(path=src, output=tmp_path / "o.csv"))
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()[0] == "a,b"


def test_clean_tables_of_many_kinds_change_nothing() -> None:
    rng = random.Random(7)
    n = 300
    df = pl.DataFrame(
        {
            "flight": [f"UA-{1000 + i // 6}" for i in range(n)],
            "sched": [
                f"{(i // 6) % 12 + 1}:{(i * 5) % 60:02d} {'AM' if i % 2 else 'PM'}"
                for i in range(n)
            ],
            "day": [f"{i % 12 + 1}/{i % 28 + 1}/23" for i in range(n)],
            "zip": [rng.choice(["02108", "07102", "62701"]) for _ in range(n)],
            "income": _money(rng, n),
            "rate": [f"{rng.choice([10, 12, 22])}%" for _ in range(n)],
            "bracket": [rng.choice([">50K", "<=50K"]) for _ in range(n)],
            "place": [rng.choice(["Santa Clara", "Clara Santa", "Palo Alto"]) for _ in range(n)],
            "temp": [f"{rng.gauss(21, 3):.2f}" for _ in range(n)],
            "金额": [f"{rng.uniform(100, 30000):,.2f}" for _ in range(n)],
            "日期": [f"2024年{i % 12 + 1}月{i % 28 + 1}日" for i in range(n)],
            "code": [f"REF{rng.choice('ABC')}{i:05d}" for i in range(n)],
        }
    )
    res = clean_frame(df, CleanOptions())
    assert res.change_frame.height == 0, res.change_frame.head(10)


def test_dates_written_with_month_names_are_left_in_their_form() -> None:
    vals = [f"Mar {d}, 2024" for d in range(1, 20)] + ["2024-03-25"]
    df = pl.DataFrame({"when": vals})
    assert _clean(df)["when"].to_list() == vals


def test_values_are_brought_to_the_unit_the_header_names() -> None:
    df = pl.DataFrame(
        {
            "营业额（万元）": ["2.3万", "12,000元", "1.2", "0.85", "3.1", "0.5"],
            "重量kg": ["1.5", "500g", "2", "0.75", "1", "3"],
        }
    )
    out = _clean(df)
    assert out["营业额（万元）"].to_list() == ["2.3", "1.2", "1.2", "0.85", "3.1", "0.5"]
    assert out["重量kg"].to_list() == ["1.5", "0.5", "2", "0.75", "1", "3"]


def test_placeholders_dates_without_year_and_negative_sales_are_flagged() -> None:
    n = 30
    df = pl.DataFrame(
        {
            "销售额": [f"{10 + i}.50" for i in range(n - 2)] + ["-", "-15.00"],
            "邮箱": [f"u{i}@x.com" for i in range(n - 1)] + ["none"],
            "日期": [f"2024年3月{i % 28 + 1}日" for i in range(n - 1)] + ["3月7日"],
        }
    )
    res = clean_frame(df, CleanOptions())
    assert res.df["销售额"].to_list()[-2:] == [None, "-15.00"]
    assert res.df["邮箱"].to_list()[-1] is None
    found = {(i.row, i.column, i.kind) for i in res.issues}
    assert (n - 1, "销售额", "negative_value") in found
    assert (n - 1, "日期", "invalid_date") in found


def test_a_swapped_value_two_determinants_disagree_with_is_repaired() -> None:
    places = [("02108", "Boston", "MA"), ("07102", "Newark", "NJ"), ("62701", "Springfield", "IL")]
    rows = [places[i % 3] for i in range(60)]
    df = pl.DataFrame(
        {
            "zip": [z for z, _, _ in rows],
            "city": [c for _, c, _ in rows],
            "state": [s for *_, s in rows],
        }
    )
    dirty = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("IL"))
        .otherwise(pl.col("state"))
        .alias("state")
    )
    # zip and city (right) both say NJ for row 4: the state is the odd one out
    assert _clean(dirty).equals(df)


def test_noisy_values_are_read_into_the_column_s_form() -> None:
    times = [f"{h}:{m:02d} PM" for h in range(1, 12) for m in (0, 15, 45)]
    df = pl.DataFrame({"dep": [*times, "7:10 PM (estimated)", "19:20 delayed"]})
    assert _clean(df)["dep"].to_list()[-2:] == ["7:10 PM", "7:20 PM"]
    stamps = [f"2024-03-{d:02d} {h:02d}:30" for d in range(1, 29) for h in (8, 17)]
    df = pl.DataFrame({"ts": [*stamps, "2024-03-0514:30"]})
    assert _clean(df)["ts"].to_list()[-1] == "2024-03-05 14:30"
    nums = [f"{x}.{y}" for x in range(10, 40) for y in (5, 25)]
    df = pl.DataFrame({"w": [*nums, "12,5", "1,234"]})
    assert _clean(df)["w"].to_list()[-2:] == ["12.5", "1234"]


def test_replacement_characters_are_flagged() -> None:
    df = pl.DataFrame({"name": ["Café Nero", "Caf\ufffd Nero", "Costa"]})
    res = clean_frame(df, CleanOptions())
    assert [(i.row, i.kind) for i in res.issues] == [(1, "replacement_character")]
    assert res.df["name"].to_list()[1] == "Caf\ufffd Nero"


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    import os

    src = tmp_path / "t.csv"
    src.write_text("a,b\n1,x\n2,y\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        clean_table(
            Context.for_testing(tmp_path), CleanTableIn(path=src, output=tmp_path / "o.csv")
        )
    finally:
        os.umask(old)
    assert (tmp_path / "o.csv").stat().st_mode & 0o777 == 0o644


def _side(ctx: Context, name: str) -> list[dict[str, str]]:
    import csv

    with open(ctx.run_dir / name, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_changes_and_issues_carry_the_input_s_own_line(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text(
        "销售报表 2024年3月\n导出日期 2024-04-01\n\n日期,城市,金额\n"
        '2024-03-01,上海,12.50\n2024-03-02,上海 ,13.00\n2024-03-03,"北\n京",14.00\n'
        "2024-03-04,北京 ,-1.25\n"
        + "".join(f"2024-03-{d:02d},北京,1{d}.50\n" for d in range(5, 20)),
        encoding="utf-8",
    )
    ctx = Context.for_testing(tmp_path)
    clean_table(ctx, CleanTableIn(path=src, output=tmp_path / "o.csv"))
    changes = {(r["row"], r["line"], r["before"].strip()) for r in _side(ctx, "changes.csv")}
    assert ("1", "6", "上海") in changes  # data row 1 sits on line 6 of the file
    assert ("3", "9", "北京") in changes  # after a cell spanning two lines
    issues = {(r["line"], r["kind"]) for r in _side(ctx, "issues.csv")}
    assert ("9", "negative_value") in issues
    html = next(ctx.run_dir.glob("report.html")).read_text(encoding="utf-8")
    assert "行 Line" in html


def test_excel_rows_are_the_sheet_s_own_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["销售报表"])
    ws.append([])
    ws.append(["城市", "金额"])
    for i in range(12):
        ws.append(["上海 " if i == 3 else "上海", f"{10 + i}.50"])
    wb.save(tmp_path / "t.xlsx")
    ctx = Context.for_testing(tmp_path)
    clean_table(ctx, CleanTableIn(path=tmp_path / "t.xlsx", output=tmp_path / "o.csv"))
    rows = _side(ctx, "changes.csv")
    assert [(r["row"], r["line"]) for r in rows if r["column"] == "城市"] == [("3", "7")]


def test_every_sheet_is_cleaned_under_its_own_name(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "一月"
    ws.append(["城市", "金额"])
    for i in range(10):
        ws.append(["上海 " if i == 2 else "上海", f"{10 + i}.50"])
    ws2 = wb.create_sheet("二月")
    ws2.append(["城市", "金额"])
    for i in range(10):
        ws2.append(["北京" if i else " 北京", f"{20 + i}.25"])
    wb.save(tmp_path / "book.xlsx")
    ctx = Context.for_testing(tmp_path)
    clean_table(ctx, CleanTableIn(path=tmp_path / "book.xlsx"))
    out = load_workbook(tmp_path / "book.clean.xlsx")
    assert out.sheetnames == ["一月", "二月"]
    assert out["一月"]["A4"].value == "上海" and out["二月"]["A2"].value == "北京"
    rows = {(r["sheet"], r["line"]) for r in _side(ctx, "changes.csv")}
    assert rows == {("一月", "4"), ("二月", "2")}
    # one chosen sheet gets its own default output: cleaning another never replaces it
    clean_table(
        Context.for_testing(tmp_path), CleanTableIn(path=tmp_path / "book.xlsx", sheet="二月")
    )
    assert (tmp_path / "book.二月.clean.xlsx").exists()
    assert load_workbook(tmp_path / "book.clean.xlsx").sheetnames == ["一月", "二月"]


def test_page_ranges_are_not_phones() -> None:
    rng = random.Random(12)
    starts = [rng.randint(1000, 9000) for _ in range(40)]
    pages = [f"{a}-{a + rng.randint(5, 30)}" for a in starts]
    assert infer_column(pl.Series("pages", pages)).type != "phone"
    df = pl.DataFrame({"pages": pages})
    assert _clean(df)["pages"].to_list() == pages
    phones = [f"{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}" for _ in range(40)]
    assert infer_column(pl.Series("phone", phones)).type == "phone"


def test_containment_variant_joins_only_with_a_confirming_determinant() -> None:
    zips = [("35233", "Alabama"), ("99501", "Alaska"), ("85001", "Arizona")]
    rows = [zips[i % 3] for i in range(90)]
    state = [s for _, s in rows]
    state[3] = "Alabama State"  # its zip's other rows all say Alabama
    df = pl.DataFrame({"zip": [z for z, _ in rows], "state": state})
    res = clean_frame(df, CleanOptions())
    assert res.df["state"].to_list()[3] == "Alabama"
    assert res.change_frame["step"].to_list() == ["map_values"]  # the variant, not the row
    alone = pl.DataFrame({"state": state})  # nothing confirms it: left alone
    assert _clean(alone)["state"].to_list()[3] == "Alabama State"


def test_clean_columns_in_less_common_forms_change_nothing() -> None:
    from datetime import date, datetime, timedelta

    rng = random.Random(9)
    n = 200
    d0 = date(2020, 1, 1)
    t0 = datetime(2021, 1, 1)
    df = pl.DataFrame(
        {
            "pct": [f"{rng.uniform(0, 100):.1f}%" for _ in range(n)],
            "usd": [f"${rng.uniform(1, 5000):,.2f}" for _ in range(n)],
            "eu_date": [
                (d0 + timedelta(days=rng.randint(0, 900))).strftime("%d.%m.%Y") for _ in range(n)
            ],
            "iso_t": [
                (t0 + timedelta(seconds=rng.randint(0, 10**7))).strftime("%Y-%m-%dT%H:%M:%S")
                for _ in range(n)
            ],
            "us_dt": [
                (t0 + timedelta(minutes=rng.randint(0, 10**6))).strftime("%m/%d/%Y %I:%M %p")
                for _ in range(n)
            ],
            "ver": [f"{rng.randint(1, 3)}.{rng.randint(0, 12)}" for _ in range(n)],
            "sci": [f"{rng.uniform(1, 9):.2e}" for _ in range(n)],
            "cn_time": [
                f"{rng.choice(['上午', '下午'])}{rng.randint(1, 12)}:{rng.randint(0, 59):02d}"
                for _ in range(n)
            ],
            "email": [f"User{i}@Example.com" for i in range(n)],
            "url": [f"https://Example.com/Path{i}" for i in range(n)],
            "tel": [
                f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
                for _ in range(n)
            ],
        }
    )
    res = clean_frame(df, CleanOptions())
    assert res.change_frame.height == 0, res.change_frame.head(10)


def test_date_order_no_value_proves_is_never_guessed() -> None:
    vals = [f"{a:02d}/{b:02d}/2024" for a in range(1, 13) for b in (1, 5, 9)]
    df = pl.DataFrame({"d": [*vals, "2024-03-07"]})
    # every value could be day-first or month-first: nothing is rewritten, either way
    assert _clean(df)["d"].to_list() == df["d"].to_list()
    assert _clean(df, canonical=True)["d"].to_list() == df["d"].to_list()
    proven = pl.DataFrame({"d": [*vals, "25/12/2024", "2024-03-07"]})
    assert _clean(proven)["d"].to_list()[-1] == "07/03/2024"


def test_an_undecidable_date_among_iso_dates_is_left() -> None:
    vals = [f"2024-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)]
    df = pl.DataFrame({"d": [*vals, "05/03/2024", "2024年3月9日"]})
    assert _clean(df)["d"].to_list()[-2:] == ["05/03/2024", "2024-03-09"]


def test_year_first_two_digit_dates_are_read_year_first_when_the_column_proves_it() -> None:
    # '98/03/05' can only be year-first (98 is no day or month): the column is yy/mm/dd
    vals = [
        f"{y:02d}/{m:02d}/{d:02d}" for y in (98, 99, 5, 24) for m in (1, 3, 11) for d in (5, 20)
    ]
    df = pl.DataFrame({"d": [*vals, "2024-03-05", "2024年11月2日"]})
    out = _clean(df)["d"].to_list()
    assert out[: len(vals)] == vals  # the column's own form is kept
    assert out[len(vals) :] == ["24/03/05", "24/11/02"]
    canon = _clean(df, canonical=True)["d"].to_list()
    assert canon[:2] == ["1998-01-05", "1998-01-20"]
    assert canon[len(vals) - 2] == "2024-11-05"  # '24/11/05' is 2024-11-05, not 24 November 2005
    # without a value that proves year-first, ambiguous values are never rewritten either way
    amb = [f"{y:02d}/{m:02d}/{d:02d}" for y in (5, 24) for m in (1, 3, 11) for d in (5, 20)]
    df2 = pl.DataFrame({"d": [*amb, "2024-03-05"]})
    assert _clean(df2)["d"].to_list() == df2["d"].to_list()


def test_dotted_and_chinese_am_pm_columns_keep_their_style() -> None:
    rng = random.Random(5)
    dotted = [
        f"{rng.randint(1, 12)}:{rng.choice((0, 15, 30, 45)):02d} {ap}"
        for ap in ("a.m.", "p.m.")
        for _ in range(20)
    ]
    df = pl.DataFrame({"t": [*dotted, "15:40", "09:05"]})
    out = _clean(df)["t"].to_list()
    assert out[: len(dotted)] == dotted
    assert out[len(dotted) :] == ["3:40 p.m.", "9:05 a.m."]
    cn = [
        f"{ap}{rng.randint(1, 12)}:{rng.choice((0, 15, 30, 45)):02d}"
        for ap in ("上午", "下午")
        for _ in range(20)
    ]
    df = pl.DataFrame({"时间": [*cn, "15:40", "9:05 AM"]})
    out = _clean(df)["时间"].to_list()
    assert out[: len(cn)] == cn
    assert out[len(cn) :] == ["下午3:40", "上午9:05"]
