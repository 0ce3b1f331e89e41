"""Exact and near-duplicate rows."""

from __future__ import annotations

import polars as pl
from tests.support.clean_steps import applied

from onelegion.skills.clean.duplicates import DuplicateCluster, find_duplicates, propose_dedupe


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "idx": ["1", "2", "3", "4", "5", "6"],
            "name": ["张三", "张三", "李四", "张三", "王五", "李四"],
            "city": ["杭州", "杭州", "南京", "杭州", "广州", "南京"],
            "amount": ["10", "10", "20", "10", "30", "25"],
            "phone": ["13800001111", "13800001111", "139", "138-0000-1111", "136", "135"],
        }
    )


def test_exact_and_near_clusters() -> None:
    clusters = find_duplicates(_frame(), {})
    assert clusters == [
        DuplicateCluster(rows=[0, 1], similarity=1.0, kind="exact"),
        DuplicateCluster(rows=[0, 1, 3], similarity=0.75, kind="near", columns=["phone"]),
    ]


def test_rows_differing_in_two_columns_are_not_duplicates() -> None:
    clusters = find_duplicates(_frame(), {})
    assert [c.rows for c in clusters] == [[0, 1], [0, 1, 3]]  # rows 2 and 5 are in none


def test_dedupe_keeps_the_first_row_of_each_cluster() -> None:
    df = _frame()
    step = propose_dedupe(find_duplicates(df, {}))
    out, changes = applied(step, df)
    assert out["idx"].to_list() == ["1", "3", "5", "6"]
    assert [(c.row, c.column, c.before) for c in changes] == [
        (1, "*", "duplicate of row 0"),
        (3, "*", "duplicate of row 0"),
    ]


def test_no_duplicates() -> None:
    df = pl.DataFrame({"a": ["1", "2"], "b": ["x", "y"], "c": ["p", "q"], "d": ["u", "v"]})
    assert find_duplicates(df, {}) == []


def test_rows_differing_only_in_a_distinctive_name_are_not_duplicates() -> None:
    # two beers of one brewery: same style, abv, brewery; different names
    df = pl.DataFrame(
        {
            "id": [str(i) for i in range(6)],
            "name": [
                "Ginja Ninja",
                "Cherried Away",
                "Rhubarbarian",
                "Pale Ale",
                "Stout",
                "pale ale.",
            ],
            "style": ["Cider", "Cider", "Cider", "Ale", "Stout", "Ale"],
            "abv": ["0.06", "0.06", "0.06", "0.05", "0.07", "0.05"],
            "brewery": ["154", "154", "154", "9", "9", "9"],
        }
    )
    assert find_duplicates(df, {}) == [
        DuplicateCluster(rows=[3, 5], similarity=0.75, kind="near", columns=["name"])
    ]


def test_near_duplicates_with_different_measurements_are_reported_not_merged() -> None:
    # one beer in 12 oz and 16 oz cans: a near duplicate to review, never removed
    names = ["Moose Drool", "Moose Drool", "Pale Ale", "Stout", "IPA", "Lager", "Porter", "Bock"]
    df = pl.DataFrame(
        {
            "id": [str(i) for i in range(8)],
            "name": names,
            "style": ["Brown Ale", "Brown Ale", "APA", "Stout", "IPA", "Lager", "Porter", "Bock"],
            "ounces": ["12", "16", "12", "12", "12", "12", "16", "12"],
            "brewery": ["7", "7", "8", "8", "9", "9", "9", "9"],
        }
    )
    clusters = find_duplicates(df, {})
    assert clusters == [
        DuplicateCluster(
            rows=[0, 1], similarity=0.75, kind="near", columns=["ounces"], mergeable=False
        )
    ]
    out, changes = applied(propose_dedupe(clusters), df)
    assert out.equals(df)
    assert changes == []
