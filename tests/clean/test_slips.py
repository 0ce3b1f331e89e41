"""Issue 8, agreeing rows: a decimal point that slipped (2153 among readings near 21.53,
millivolts among volts) is moved back only when the row's neighbours in the series show where
it belongs; rows in random order or a value no power of ten brings home are left alone."""

from __future__ import annotations

import random

import polars as pl

from onelegion.skills.clean.pipeline import CleanOptions, clean_frame


def _series(seed: int = 4, n: int = 240) -> pl.DataFrame:
    rng = random.Random(seed)
    sensors = ["S-1", "S-2", "S-3"]
    state = {"S-1": [12.0, 3.9], "S-2": [21.0, 3.7], "S-3": [30.0, 4.1]}
    rows = []
    for i in range(n):
        s = sensors[i % 3]
        state[s][0] += rng.gauss(0, 0.1)
        state[s][1] -= 0.001
        rows.append({"sensor": s, "temp": f"{state[s][0]:.2f}", "volt": f"{state[s][1]:.3f}"})
    return pl.DataFrame(rows)


def test_slipped_decimal_points_go_back_where_the_neighbours_say() -> None:
    clean = _series()
    dirty = clean.with_columns(
        pl.when(pl.int_range(pl.len()) == 40)
        .then(pl.col("temp").str.replace(".", "", literal=True))
        .otherwise(pl.col("temp"))
        .alias("temp"),
        pl.when(pl.int_range(pl.len()) == 91)
        .then((pl.col("volt").cast(pl.Float64) * 1000).round(0).cast(pl.Int64).cast(pl.Utf8))
        .otherwise(pl.col("volt"))
        .alias("volt"),
    )
    assert dirty["temp"][40] != clean["temp"][40]
    res = clean_frame(dirty, CleanOptions())
    assert res.df["temp"].to_list() == clean["temp"].to_list()
    assert res.df["volt"].to_list() == clean["volt"].to_list()
    steps = [s for s in res.recipe.steps if s.kind == "slip_repair"]
    assert [(s.column, s.evidence["group"]) for s in steps] == [
        ("temp", "sensor"),
        ("volt", "sensor"),
    ]


def test_no_series_no_repair_and_far_values_without_a_power_are_left() -> None:
    clean = _series()
    dirty = clean.with_columns(
        pl.when(pl.int_range(pl.len()) == 40)
        .then(pl.lit("2153.00"))  # no power of ten brings 2153 next to 12.x
        .otherwise(pl.col("temp"))
        .alias("temp"),
    )
    res = clean_frame(dirty, CleanOptions())
    assert res.df["temp"].to_list() == dirty["temp"].to_list()
    assert any(i.kind == "outlier" and i.row == 40 for i in res.issues)
    # rows in random order and no group column: the neighbours say nothing, the slip is left
    slipped = clean.with_columns(
        pl.when(pl.int_range(pl.len()) == 40)
        .then(pl.col("temp").str.replace(".", "", literal=True))
        .otherwise(pl.col("temp"))
        .alias("temp")
    )
    shuffled = slipped.drop("sensor").sample(fraction=1.0, shuffle=True, seed=1)
    res = clean_frame(shuffled, CleanOptions())
    assert [s.kind for s in res.recipe.steps if s.kind == "slip_repair"] == []
    assert sorted(res.df["temp"].to_list()) == sorted(
        [*clean["temp"].to_list()[:40], "2068.00", *clean["temp"].to_list()[41:]]
    )


def test_slips_in_drifting_series_whose_values_leave_the_column_s_bulk() -> None:
    # four sensors drifting apart: many right values lie beyond the column's fences, yet each
    # is next to its own neighbours; only the slipped ones move
    rng = random.Random(9)
    state = {"A": 22.0, "B": 23.0, "C": 22.5, "D": 22.8}
    drift = {"A": 0.03, "B": -0.03, "C": 0.0, "D": 0.0}  # 8% beyond the fences
    rows = []
    for i in range(800):
        s = "ABCD"[i % 4]
        state[s] += drift[s] + rng.gauss(0, 0.05)
        rows.append({"sensor": s, "temp": f"{state[s]:.2f}"})
    clean = pl.DataFrame(rows)
    slipped = [101, 302, 555, 700]
    dirty = clean.with_columns(
        pl.when(pl.int_range(pl.len()).is_in(slipped))
        .then(pl.col("temp").str.replace(".", "", literal=True))
        .otherwise(pl.col("temp"))
        .alias("temp")
    )
    res = clean_frame(dirty, CleanOptions())
    assert res.df["temp"].to_list() == clean["temp"].to_list()
    assert sorted(set(res.change_frame["row"].to_list())) == slipped


def test_amounts_of_a_product_in_random_order_are_not_a_series() -> None:
    # within a product the amounts vary with the quantity: a big order is not a slipped point
    rng = random.Random(3)
    rows = []
    for _ in range(600):
        p = rng.choice(["pen", "ink", "pad"])
        price = {"pen": 12.5, "ink": 30.0, "pad": 7.25}[p]
        qty = rng.choice([1, 2, 3, 4, 5, 40]) if rng.random() < 0.05 else rng.randint(1, 5)
        rows.append({"product": p, "amount": f"{price * qty:.2f}"})
    df = pl.DataFrame(rows)
    res = clean_frame(df, CleanOptions())
    assert [s.kind for s in res.recipe.steps if s.kind == "slip_repair"] == []
    assert res.df["amount"].to_list() == df["amount"].to_list()
