"""Issue 8, agreeing rows: two cells of a row written into each other's columns (a title in the
authors column and the authors in the title column) are put back when both values are known in
the other column and neither is known in its own; anything less certain is left."""

from __future__ import annotations

import random

import polars as pl

from onelegion.skills.clean.pipeline import CleanOptions, clean_frame

WORDS = ["adaptive", "robust", "sparse", "neural", "graph", "query", "index", "stream", "causal"]
NAMES = ["Smith", "Chen", "Garcia", "Muller", "Rossi", "Kumar", "Wang", "Novak"]


def _works(seed: int = 6) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for w in range(50):
        title = " ".join(rng.sample(WORDS, 4)).capitalize()
        authors = "; ".join(rng.sample(NAMES, 2))
        for db in rng.sample(["dblp", "acm", "scholar"], rng.randint(1, 3)):
            rows.append({"title": title, "authors": authors, "db": db, "year": str(2000 + w % 20)})
    return pl.DataFrame(rows)


def test_cells_swapped_between_two_columns_are_put_back() -> None:
    clean = _works()
    # a work listed twice, one listing with title and authors swapped
    i = next(k for k in range(1, clean.height) if clean["title"][k] == clean["title"][k - 1])
    dirty = clean.with_columns(
        pl.when(pl.int_range(pl.len()) == i)
        .then(pl.col("authors"))
        .otherwise(pl.col("title"))
        .alias("title"),
        pl.when(pl.int_range(pl.len()) == i)
        .then(pl.col("title"))
        .otherwise(pl.col("authors"))
        .alias("authors"),
    )
    res = clean_frame(dirty, CleanOptions())
    assert res.df["title"].to_list() == clean["title"].to_list()
    assert res.df["authors"].to_list() == clean["authors"].to_list()
    assert sorted(res.change_frame["column"].to_list()) == ["authors", "title"]


def test_columns_that_share_values_are_never_swapped() -> None:
    # origin and destination share their values: a row A->B among B->A rows is a trip, not a swap
    rng = random.Random(2)
    cities = ["Boston", "Denver", "Austin", "Salem", "Dover", "Albany"]
    rows = [dict(zip(("origin", "dest"), rng.sample(cities, 2), strict=True)) for _ in range(80)]
    df = pl.DataFrame(rows)
    assert clean_frame(df, CleanOptions()).change_frame.height == 0


def test_a_work_listed_twice_once_swapped_is_a_tie_and_left() -> None:
    rows = [{"title": f"Title {w}", "authors": f"Name {w % 7}"} for w in range(40)]
    rows += [{"title": "Title X", "authors": "Name 3"}, {"title": "Name 3", "authors": "Title X"}]
    rows += [{"title": "Title Y", "authors": "Name 5"}] * 2
    rows += [{"title": "Name 5", "authors": "Title Y"}]
    df = pl.DataFrame(rows)
    out = clean_frame(df, CleanOptions()).df
    assert out.row(41) == ("Name 3", "Title X")  # two rows, one each way: either may be wrong
    assert out.row(44) == ("Title Y", "Name 5")  # three rows, two one way: the third is put back
    assert out.head(44).equals(df.head(44))


def test_a_recipe_renamed_to_another_table_s_columns_renames_every_column_a_step_reads() -> None:
    from onelegion.skills.clean.consensus import ConsensusRepair
    from onelegion.skills.clean.recipe import Recipe, step_columns
    from onelegion.skills.clean.slips import SlipRepair
    from onelegion.skills.clean.swaps import SwapRepair

    steps = [
        SwapRepair(column="title", other="authors"),
        SlipRepair(column="temp", group="sensor", lo=0.0, hi=1.0, step=0.1),
        ConsensusRepair(column="dep", entity="flight", mapping={}),
    ]
    rec = Recipe(columns=["title", "authors", "temp", "sensor", "dep", "flight"], steps=steps)
    assert [step_columns(s) for s in rec.steps] == [
        ["title", "authors"],
        ["temp", "sensor"],
        ["dep", "flight"],
    ]
    names = {"authors": "作者", "sensor": "设备", "flight": "航班"}
    out = rec.renamed(names)
    assert [step_columns(s) for s in out.steps] == [
        ["title", "作者"],
        ["temp", "设备"],
        ["dep", "航班"],
    ]
