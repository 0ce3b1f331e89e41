"""Arithmetic relations and decimal-point slip repairs."""

from __future__ import annotations

import polars as pl
from tests.support.clean_steps import applied

from onelegion.skills.clean.relations import propose_relation_repairs, shift_decimal

TYPES = {"price": "money", "qty": "integer", "amount": "money", "note": "text"}


def _frame() -> pl.DataFrame:
    n = 40
    price = [f"{10 + i}.50" for i in range(n)]
    qty = [str(1 + i % 5) for i in range(n)]
    amount = [f"{(10 + i + 0.5) * (1 + i % 5):.2f}" for i in range(n)]
    amount[3] = "5400.00"  # 13.50 x 4 = 54.00, typed x100
    amount[7] = "5.25"  # 17.50 x 3 = 52.50, typed /10
    amount[9] = "60.00"  # wrong, but not by a power of ten: left alone
    return pl.DataFrame({"price": price, "qty": qty, "amount": amount, "note": ["x"] * n})


def test_slips_in_the_result_column_are_shifted_back() -> None:
    df = _frame()
    steps = propose_relation_repairs(df, TYPES)
    assert len(steps) == 1
    step = steps[0]
    assert (step.column, step.result, step.factors) == ("amount", "amount", ["price", "qty"])
    assert step.fixes == {3: "54.00", 7: "52.50"}
    assert step.evidence["formula"] == "amount = price x qty"
    out, changes = applied(step, df)
    assert [(c.row, c.before, c.after) for c in changes] == [
        (3, "5400.00", "54.00"),
        (7, "5.25", "52.50"),
    ]
    assert out["amount"][9] == "60.00"
    assert out.drop("amount").equals(df.drop("amount"))


def test_replay_on_another_table_redetects_with_the_formula() -> None:
    step = propose_relation_repairs(_frame(), TYPES)[0]
    other = pl.DataFrame(
        {
            "price": ["20.00", "12.50"],
            "qty": ["2", "1"],
            "amount": ["400.00", "12.50"],
            "note": ["", ""],
        }
    )
    out, changes = applied(step, other)
    assert out["amount"].to_list() == ["40.00", "12.50"]
    assert len(changes) == 1


def test_no_relation_no_steps() -> None:
    df = pl.DataFrame(
        {"price": ["1", "2", "3"] * 10, "qty": ["4", "5", "6"] * 10, "amount": ["7", "1", "9"] * 10}
    )
    assert propose_relation_repairs(df, TYPES) == []


def test_shift_decimal_is_exact() -> None:
    assert shift_decimal("12340", -2, 2) == "123.40"
    assert shift_decimal("1234.5", 1, None) == "12345"
    assert shift_decimal("0.5", 2, None) == "50"
    assert shift_decimal("abc", 1, None) is None


def test_a_value_its_product_agrees_on_is_not_the_culprit() -> None:
    # amount 399 for 2 x 399: either the amount lost a digit or the price gained one; the
    # product fixes the price at 399, so the amount is shifted (x10 -> 798 is not a power of ten:
    # here the amount was typed /10).
    n = 30
    product = ["rice cooker", "kettle", "wok"] * 10
    price = {"rice cooker": "399", "kettle": "89.9", "wok": "199"}
    qty = [str(1 + i % 3) for i in range(n)]
    rows = {
        "product": product,
        "price": [price[p] for p in product],
        "qty": qty,
        "amount": [f"{float(price[p]) * int(q):g}" for p, q in zip(product, qty, strict=True)],
    }
    rows["amount"][0] = "39.9"  # rice cooker x1 = 399, typed /10
    df = pl.DataFrame(rows)
    types = {"product": "category", "price": "money", "qty": "integer", "amount": "money"}
    steps = propose_relation_repairs(df, types)
    assert [(s.column, s.fixes, s.anchors.get("price")) for s in steps] == [
        ("amount", {0: "399"}, ["product"])
    ]


def test_a_factor_that_becomes_its_group_value_once_shifted_is_the_culprit() -> None:
    product = ["rice cooker", "kettle", "wok"] * 10
    price = {"rice cooker": "399", "kettle": "89.9", "wok": "199"}
    qty = [str(1 + i % 3) for i in range(30)]
    rows = {
        "product": product,
        "price": [price[p] for p in product],
        "qty": qty,
        "amount": [f"{float(price[p]) * int(q):g}" for p, q in zip(product, qty, strict=True)],
    }
    rows["price"][1] = "899"  # kettle typed x10; amount 89.9 is right
    df = pl.DataFrame(rows)
    types = {"product": "category", "price": "money", "qty": "integer", "amount": "money"}
    steps = propose_relation_repairs(df, types)
    assert [(s.column, s.fixes) for s in steps] == [("price", {1: "89.9"})]
