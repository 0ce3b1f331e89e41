"""Dependencies discovered from the data and majority-vote repairs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.support.clean_steps import applied

from onelegion.skills.clean.clusters import propose_clusters
from onelegion.skills.clean.dependencies import FDRepair, discover_dependencies, propose_fd_repairs

TYPES = {"zip": "identifier", "city": "category", "province": "category", "flag": "category"}


def _frame() -> pl.DataFrame:
    zips = ["310000"] * 6 + ["210000"] * 6 + ["510000"] * 6
    city = ["杭州"] * 6 + ["南京"] * 6 + ["广州"] * 6
    prov = ["浙江"] * 6 + ["江苏"] * 6 + ["广东"] * 6
    city[2] = "杭洲"  # a typo only the zip code reveals
    prov[8] = "浙江"  # a wrong province: a valid value, in the wrong group
    flag = ["是", "否"] * 9
    return pl.DataFrame({"zip": zips, "city": city, "province": prov, "flag": flag})


def test_repairs_the_minority_of_each_group_and_nothing_else() -> None:
    df = _frame()
    steps = propose_fd_repairs(df, TYPES)
    out = df
    changes = []
    for s in steps:
        out, ch = applied(s, out)
        changes += ch
    assert sorted((c.row, c.column, c.before, c.after) for c in changes) == [
        (2, "city", "杭洲", "杭州"),
        (8, "province", "浙江", "江苏"),
    ]
    assert out["flag"].to_list() == df["flag"].to_list()
    assert out["city"].to_list() == ["杭州"] * 6 + ["南京"] * 6 + ["广州"] * 6


def test_unrelated_near_constant_column_is_not_a_dependency() -> None:
    df = _frame()
    found = {(d.determinant, d.dependent) for d in discover_dependencies(df, TYPES)}
    assert (("zip",), "flag") not in found
    assert (("zip",), "city") in found


def test_measurements_are_not_overwritten_from_a_group() -> None:
    product = ["kettle"] * 10 + ["wok"] * 10
    price = ["89.9"] * 9 + ["79.9"] + ["199"] * 10  # one discounted sale
    df = pl.DataFrame({"product": product, "price": price})
    assert propose_fd_repairs(df, {"product": "category", "price": "money"}) == []
    # the same numbers as labels would be repaired
    steps = propose_fd_repairs(df, {"product": "category", "price": "category"})
    assert [(s.column, s.evidence["cells"]) for s in steps] == [("price", 1)]


def test_consistent_sub_block_is_left_alone() -> None:
    # Two breweries share a name; the second one's id repeats on several rows of the group.
    name = ["Gold"] * 8 + ["Blue"] * 5
    ids = ["1"] * 5 + ["2"] * 3 + ["3"] * 5
    df = pl.DataFrame({"name": name, "id": ids})
    step = FDRepair(column="id", determinant=["name"], mapping={"Gold": "1", "Blue": "3"})
    out, changes = applied(step, df)
    assert changes == []
    assert out.equals(df)


def test_repeated_minority_that_does_not_look_like_the_column_is_repaired() -> None:
    # the same typo three times in one group of 10: a sub-entity by count, but "25x47" has a
    # shape (letters in a number) that no other phone in the column has
    name = ["A"] * 10 + ["B"] * 400
    phone = ["2514717110"] * 7 + ["25x47x7xx0"] * 3 + ["2053258100"] * 400
    df = pl.DataFrame({"name": name, "phone": phone})
    step = FDRepair(
        column="phone", determinant=["name"], mapping={"A": "2514717110", "B": "2053258100"}
    )
    out, changes = applied(step, df)
    assert [c.row for c in changes] == [7, 8, 9]
    assert out["phone"].to_list() == ["2514717110"] * 10 + ["2053258100"] * 400
    # the same block with an ordinary shape is a sub-entity and stays
    ordinary = ["2514717110"] * 7 + ["2514717999"] * 3 + ["2053258100"] * 400
    assert applied(step, df.with_columns(pl.Series("phone", ordinary)))[1] == []


def test_step_replays_on_another_table_and_fills_missing() -> None:
    step = FDRepair(column="city", determinant=["zip"], mapping={"310000": "杭州"})
    other = pl.DataFrame({"zip": ["310000", "310000", "999"], "city": ["杭洲", None, "x"]})
    out, changes = applied(step, other)
    assert out["city"].to_list() == ["杭州", "杭州", "x"]
    assert [(c.row, c.before) for c in changes] == [(0, "杭洲"), (1, None)]


FIXTURES = Path(__file__).parent.parent / "fixtures" / "clean_repair"


def test_hospital_slice_every_change_is_a_correct_repair() -> None:
    dirty = pl.read_csv(FIXTURES / "hospital_dirty.csv", infer_schema=False)
    clean = pl.read_csv(FIXTURES / "hospital_clean.csv", infer_schema=False)
    work = dirty
    changes = []
    for propose in (propose_clusters, propose_fd_repairs):
        for step in propose(work, {}):
            work, ch = applied(step, work)
            changes += ch
    errors = sum(int((dirty[c] != clean[c]).sum()) for c in dirty.columns)
    wrong = [
        (ch.row, ch.column, ch.before, ch.after)
        for ch in changes
        if clean[ch.column][ch.row] != ch.after
    ]
    assert errors == 153
    assert wrong == []
    assert len(changes) == 136
    # the cells that were right are untouched
    for c in dirty.columns:
        was_right = dirty[c] == clean[c]
        assert (work[c].filter(was_right) == dirty[c].filter(was_right)).all()


def test_a_mostly_empty_column_is_not_filled_from_its_groups() -> None:
    city = ["杭州"] * 10 + ["南京"] * 10
    vip = [None] * 20
    vip[0], vip[1], vip[10], vip[11] = "VIP", "VIP", "VIP", "VIP"
    df = pl.DataFrame({"city": city, "tag": vip})
    step = FDRepair(column="tag", determinant=["city"], mapping={"杭州": "VIP", "南京": "VIP"})
    assert applied(step, df)[1] == []
    # a single gap in a full group is filled
    one_gap = pl.DataFrame({"city": city, "tag": ["VIP"] * 9 + [None] + ["VIP"] * 10})
    assert [c.row for c in applied(step, one_gap)[1]] == [9]


def test_hospital_slice_clean_file_is_left_alone() -> None:
    clean = pl.read_csv(FIXTURES / "hospital_clean.csv", infer_schema=False)
    work = clean
    for propose in (propose_clusters, propose_fd_repairs):
        for step in propose(work, {}):
            work, _ = applied(step, work)
    assert work.equals(clean)


def test_a_row_that_differs_on_several_dependents_is_another_entity_not_a_typo() -> None:
    import polars as pl

    from onelegion.skills.clean.pipeline import CleanOptions, clean_frame

    # two works share a title: the one listed once differs on authors and year (a real year
    # other rows use), so it is another work, not a row with typos; a lone typo is still fixed
    rows = []
    for w in range(30):
        for _ in range(3):
            rows.append({"title": f"Work {w}", "authors": f"Author {w}", "year": str(2000 + w % 9)})
    rows.append({"title": "Work 4", "authors": "Author 77", "year": "2007"})
    rows.append({"title": "Work 5", "authors": "Authxr 5", "year": "2005"})  # a typo
    df = pl.DataFrame(rows)
    res = clean_frame(df, CleanOptions())
    out = res.df
    assert out.row(90) == ("Work 4", "Author 77", "2007")
    assert out.row(91) == ("Work 5", "Author 5", "2005")
