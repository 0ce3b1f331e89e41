"""Spelling-variant clusters and synonyms."""

from __future__ import annotations

import polars as pl
from tests.support.clean_steps import applied

from onelegion.skills.clean.clusters import MapValues, propose_clusters
from onelegion.skills.clean.variant_keys import (
    fingerprint,
    ngram_fingerprint,
    pinyin_key,
    strip_admin_suffix,
)


def _apply_all(df: pl.DataFrame, steps: list[MapValues]) -> pl.DataFrame:
    for s in steps:
        df, _ = applied(s, df)
    return df


def test_chinese_keys() -> None:
    assert fingerprint("廣州市") == fingerprint("广州") == fingerprint(" 广 州 ") == "广州"
    assert strip_admin_suffix("广西壮族自治区") == "广西"
    assert strip_admin_suffix("新区") == "新区"  # a one-character name keeps its suffix
    assert fingerprint("阿里巴巴（中国）有限公司") == fingerprint("阿里巴巴(中国)")
    assert fingerprint("ＡＢＣ Shop") == fingerprint("abc shop")
    # word order and comparison signs carry meaning: never one key
    assert fingerprint("Santa Clara") != fingerprint("Clara Santa")
    assert fingerprint(">50K") != fingerprint("<=50K")
    assert ngram_fingerprint("Cut Throat") == ngram_fingerprint("cutthroat")
    assert pinyin_key("廣州") == pinyin_key("Guangzhou") == "guangzhou"


def test_key_variants_map_to_most_frequent_member() -> None:
    city = ["广州"] * 5 + ["廣州市", "广州市"] + ["北京"] * 4 + ["北京市"]
    df = pl.DataFrame({"city": city})
    steps = propose_clusters(df, {"city": "category"})
    assert [s.mapping for s in steps] == [{"廣州市": "广州", "广州市": "广州", "北京市": "北京"}]
    assert steps[0].evidence["source"] == "fingerprint"
    assert _apply_all(df, steps)["city"].to_list() == ["广州"] * 7 + ["北京"] * 5


def test_neighbour_typo_needs_the_determinant_to_agree() -> None:
    # 'birminghxm' sits in provider 1's group (majority 'birmingham'): fixed.
    # 'ak' is rare and one letter from 'al' but is its provider's own majority: kept.
    provider = ["1"] * 6 + ["2"] * 6 + ["3"] * 3
    city = ["birmingham"] * 6 + ["dothan"] * 6 + ["juneau"] * 3
    state = ["al"] * 12 + ["ak"] * 3
    city[4] = "birminghxm"
    state[1] = "xl"
    df = pl.DataFrame({"provider": provider, "city": city, "state": state})
    types = {"provider": "identifier", "city": "category", "state": "category"}
    steps = propose_clusters(df, types)
    assert {s.column: s.mapping for s in steps} == {
        "city": {"birminghxm": "birmingham"},
        "state": {"xl": "al"},
    }
    out = _apply_all(df, steps)
    assert out["state"].to_list() == ["al"] * 12 + ["ak"] * 3


def test_numbers_are_never_merged_and_measurements_are_skipped() -> None:
    df = pl.DataFrame(
        {"sample": ["10 patients"] * 6 + ["1x patients", "11 patients"], "n": ["1"] * 7 + ["2"]}
    )
    steps = propose_clusters(df, {"sample": "text", "n": "integer"})
    assert steps == []


def test_synonyms_table_is_honoured_first() -> None:
    df = pl.DataFrame({"brand": ["Apple", "苹果", "Huawei", "华为"], "x": ["a", "b", "c", "苹果"]})
    steps = propose_clusters(
        df,
        {"brand": "category", "x": "category"},
        {"brand": {"苹果": "Apple"}, "*": {"华为": "Huawei"}},
    )
    assert [(s.column, s.mapping, s.evidence["source"]) for s in steps] == [
        ("brand", {"苹果": "Apple", "华为": "Huawei"}, "synonyms")
    ]
    out = _apply_all(df, steps)
    assert out["brand"].to_list() == ["Apple", "Apple", "Huawei", "Huawei"]
    assert out["x"].to_list() == ["a", "b", "c", "苹果"]


def test_map_values_reports_each_changed_cell() -> None:
    step = MapValues(column="c", mapping={"a": "b"})
    out, changes = applied(step, pl.DataFrame({"c": ["a", "b", None, "a"]}))
    assert out["c"].to_list() == ["b", "b", None, "b"]
    assert [(c.row, c.before, c.after) for c in changes] == [(0, "a", "b"), (3, "a", "b")]


def test_cross_script_and_company_variants_with_a_determinant() -> None:
    product = ["Mate 60"] * 8 + ["nova 12"] * 8 + ["iPhone 15"] * 8
    brand = ["华为"] * 16 + ["Apple"] * 8
    brand[3] = "HUAWEI"  # same pinyin as 华为, confirmed by the product
    brand[9] = "華為"  # traditional characters
    brand[10] = "华为技术有限公司"  # company suffix
    brand[20] = "apple"  # case
    df = pl.DataFrame({"product": product, "brand": brand})
    steps = propose_clusters(df, {"product": "category", "brand": "category"})
    out = _apply_all(df, steps)
    assert out["brand"].to_list() == ["华为"] * 16 + ["Apple"] * 8
    assert {s.evidence["source"] for s in steps} == {"fingerprint", "neighbours"}


def test_without_determinants_only_long_word_typos_are_merged() -> None:
    values = ["California"] * 25 + ["Califronia"] + ["Type A"] * 25 + ["Type B"]
    df = pl.DataFrame({"v": values})
    steps = propose_clusters(df, {"v": "category"})
    assert [s.mapping for s in steps] == [{"Califronia": "California"}]


def test_case_variant_that_is_its_own_entity_is_kept() -> None:
    # two breweries whose names differ only in case, each with its own id on several rows
    ids = ["1"] * 4 + ["2"] * 3 + ["3"] * 5
    name = ["Against The Grain"] * 4 + ["Against the Grain"] * 3 + ["Blue Moon"] * 5
    name[9] = "blue moon"  # a case slip inside brewery 3: merged
    df = pl.DataFrame({"id": ids, "name": name})
    steps = propose_clusters(df, {"id": "identifier", "name": "category"})
    assert [s.mapping for s in steps] == [{"blue moon": "Blue Moon"}]
