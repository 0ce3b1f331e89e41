"""Issue 8, agreeing rows: many sources report the same entities; the majority of the other
sources (weighted by each source's reliability) repairs conflicts and fills blanks of every
type, and a table without a source column is left to the label dependencies."""

from __future__ import annotations

import random

import polars as pl

from onelegion.skills.clean.consensus import find_entity_and_source, propose_consensus
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame


def _flights(seed: int = 3) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    sources = [f"site{i}" for i in range(8)]
    clean, dirty = [], []
    for e in range(40):
        h, m = rng.randint(1, 12), rng.choice([0, 10, 25, 40])
        truth = {
            "flight": f"UA-{100 + e}",
            "dep": f"{h}:{m:02d} {'AM' if e % 2 else 'PM'}",
            "day": f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/23",
            "delay": f"{rng.uniform(0, 3):.2f}",
            "gate": f"{rng.choice('ABC')}{rng.randint(1, 30)}",
        }
        for s in rng.sample(sources, 6):
            row = {"source": s, **truth}
            clean.append(dict(row))
            if s == "site0":  # an unreliable source: its times are an hour off
                row["dep"] = f"{h % 12 + 1}:{m:02d} {'AM' if e % 2 else 'PM'}"
            dirty.append(row)
    cdf, ddf = pl.DataFrame(clean), pl.DataFrame(dirty)
    ddf = ddf.with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("day")).alias("day"),
        pl.when(pl.int_range(pl.len()) == 11).then(None).otherwise(pl.col("delay")).alias("delay"),
    )
    return cdf, ddf


def test_entity_and_source_are_found() -> None:
    _, dirty = _flights()
    types = {"flight": "category", "source": "category", "dep": "time", "day": "date"}
    types |= {"delay": "decimal", "gate": "category"}
    assert find_entity_and_source(dirty, types) == ("flight", "source")
    steps = propose_consensus(dirty, types)
    assert {s.column for s in steps} >= {"dep", "day", "delay"}
    rel = steps[0].evidence["source_reliability"]
    assert min(rel, key=lambda k: rel[k]) == "site0"


def test_conflicts_and_blanks_repaired_from_the_other_sources() -> None:
    clean, dirty = _flights()
    res = clean_frame(dirty, CleanOptions())
    assert res.df.equals(clean.select(dirty.columns))
    kinds = set(res.change_frame["step"].to_list())
    assert kinds == {"consensus_repair"}


def test_without_a_source_column_measurements_are_not_overwritten() -> None:
    rng = random.Random(4)
    products = [f"P{i}" for i in range(10)]
    rows = [(rng.choice(products), str(rng.randint(1, 5))) for _ in range(300)]
    price = {p: f"{10 + i}.50" for i, p in enumerate(products)}
    df = pl.DataFrame(
        {
            "product": [p for p, _ in rows],
            "qty": [q for _, q in rows],
            "price": [price[p] if i % 25 else "9.99" for i, (p, _) in enumerate(rows)],
        }
    )
    assert find_entity_and_source(df, {"product": "category", "qty": "integer"}) is None
    res = clean_frame(df, CleanOptions())
    assert res.df["price"].to_list() == df["price"].to_list()  # a discount is not a conflict


def test_a_slip_of_x100_is_fixed_by_the_relation_in_the_column_s_own_form() -> None:
    rng = random.Random(8)
    units = [rng.randint(1, 40) for _ in range(200)]
    price = [rng.choice([25.5, 37.75, 120.0, 199.99]) for _ in range(200)]
    amount = [f"{u * p:,.2f}" for u, p in zip(units, price, strict=True)]
    dirty = list(amount)
    slips = [i for i in range(200) if u_p_big(units[i], price[i])][:3]
    for i in slips:
        dirty[i] = f"{units[i] * price[i] * 100:,.2f}"
    df = pl.DataFrame(
        {
            "units": [str(u) for u in units],
            "price": [f"{p:.2f}" for p in price],
            "amount": dirty,
        }
    )
    res = clean_frame(df, CleanOptions())
    assert res.df["amount"].to_list() == amount
    assert res.df["price"].to_list() == df["price"].to_list()


def u_p_big(u: int, p: float) -> bool:
    return u * p >= 1000


def test_times_written_as_text_vote_by_the_time_they_say() -> None:
    rows = []
    for e in range(30):
        h = e % 11 + 1
        for k, s in enumerate(["a", "b", "c", "d", "e"]):
            t = f"{h}:10 a.m." if k < 3 else f"{h}:10am"
            if e == 4 and s == "e":
                t = "8:10am"  # one source off by three hours
            rows.append({"flight": f"F{e}", "src": s, "dep": t})
    df = pl.DataFrame(rows)
    res = clean_frame(df, CleanOptions())
    out = res.df["dep"].to_list()
    assert out[4 * 5 + 4] == "5:10 a.m."  # the consensus, in its most used spelling
    changed = res.change_frame.filter(pl.col("column") == "dep")
    assert changed["row"].to_list() == [24]  # other spellings of the same time are left alone


def test_flight_times_with_dates_and_a_m_spellings() -> None:
    rng = random.Random(21)
    rows, truth = [], []
    for e in range(25):
        h, m = rng.randint(1, 12), rng.choice([0, 15, 40])
        ap = rng.choice(["a.m.", "p.m."])
        right = f"{h}:{m:02d} {ap}"
        for k, s in enumerate(["aa", "flightview", "orbitz", "travelocity", "gofly", "wunder"]):
            v = right if k != 2 else f"12/02/2011 {right}"  # one source adds the date
            if s == "gofly" and e % 3 == 0:
                v = f"{h % 12 + 1}:{m:02d} {ap}"  # an unreliable source
            if s == "wunder" and e == 7:
                v = None
            rows.append({"src": s, "flight": f"AA-{300 + e}-ORD-MIA", "dep": v})
            truth.append(right if k != 2 else f"12/02/2011 {right}")
    df = pl.DataFrame(rows)
    out = clean_frame(df, CleanOptions()).df["dep"].to_list()
    assert out == truth  # wrong times and the blank repaired; the dated spelling kept as written


def test_sources_without_a_clear_majority_are_flagged_not_changed() -> None:
    _, dirty = _flights()
    # flight UA-100: half its sources say another delay
    first = dirty.filter(pl.col("flight") == "UA-100").height
    dirty = dirty.with_columns(
        pl.when((pl.col("flight") == "UA-100") & (pl.int_range(pl.len()) < first // 2))
        .then(pl.lit("9.99"))
        .otherwise(pl.col("delay"))
        .alias("delay")
    )
    res = clean_frame(dirty, CleanOptions())
    assert res.df.filter(pl.col("flight") == "UA-100")["delay"].to_list() == (
        dirty.filter(pl.col("flight") == "UA-100")["delay"].to_list()
    )
    assert any(i.kind == "conflict" and i.column == "delay" for i in res.issues)


def test_a_value_most_rows_share_is_not_an_attribute_of_the_entity() -> None:
    rng = random.Random(31)
    rows = []
    for city in ["Paris", "Lyon", "Nice", "Lille", "Metz"]:
        for day in range(1, 29):
            rows.append(
                {
                    "city": city,
                    "day": f"2024-02-{day:02d}",
                    "weather": "sunny" if rng.random() < 0.75 else rng.choice(["rain", "snow"]),
                    "temp": f"{rng.uniform(-2, 15):.1f}",
                }
            )
    df = pl.DataFrame(rows)
    res = clean_frame(df, CleanOptions())
    assert res.df["weather"].to_list() == df["weather"].to_list()


def test_rows_over_time_are_not_sources() -> None:
    rows = []
    for store in [f"Store {k}" for k in range(15)]:
        for m in range(1, 7):
            manager = "Ann" if m <= 5 else "Bo"  # a new manager in June: not a conflict
            rows.append({"store": store, "month": f"2024-{m:02d}", "manager": f"{manager} {store}"})
    df = pl.DataFrame(rows)
    res = clean_frame(df, CleanOptions())
    assert res.df["manager"].to_list() == df["manager"].to_list()


def test_the_entity_is_the_key_whose_groups_agree_not_a_coarser_one() -> None:
    # works listed by several databases; page ranges collide between works (two works on
    # '1-12'), so grouping by pages would merge them and rewrite one work's code and year
    rng = random.Random(8)
    rows = []
    for w in range(60):
        pages = "1-12" if w % 10 == 0 else f"{100 + w}-{112 + w}"
        n = 1 if w % 10 == 0 and w % 20 else 4
        for db in rng.sample(["dblp", "acm", "scholar", "crossref", "semantic"], n):
            rows.append(
                {"code": f"REF{w:05d}", "db": db, "pages": pages, "year": str(1995 + w % 8)}
            )
    df = pl.DataFrame(rows)
    assert find_entity_and_source(df, {c: "category" for c in df.columns}) == ("code", "db")
    res = clean_frame(df, CleanOptions())
    assert res.change_frame.height == 0


def test_an_even_split_is_broken_only_by_the_column_s_vocabulary() -> None:
    rng = random.Random(12)
    words = ["adaptive", "robust", "sparse", "neural", "graph", "query", "index", "stream"]
    rows, truth = [], []
    for w in range(45):
        title = " ".join(rng.sample(words, 3)).capitalize()
        srcs = ["dblp", "acm", "scholar"] if w < 40 else ["dblp", "acm"]
        for k, src in enumerate(srcs):
            t = title
            if w == 41 and k == 1:
                t = title.replace(
                    title.split()[1], title.split()[1][:2] + "x" + title.split()[1][3:]
                )
            if w == 42 and k == 0:
                t = title.split()[0] + " " + title.split()[2] + " " + title.split()[1]  # order
            rows.append({"key": f"W{w}", "src": src, "title": t, "year": str(2000 + w % 20)})
            truth.append(title)
    df = pl.DataFrame(rows)
    out = clean_frame(df, CleanOptions()).df["title"].to_list()
    typo = next(i for i, r in enumerate(rows) if r["key"] == "W41" and r["src"] == "acm")
    assert out[typo] == truth[typo]  # 'grxph' is written nowhere else, 'graph' often
    swapped = next(i for i, r in enumerate(rows) if r["key"] == "W42" and r["src"] == "dblp")
    assert out[swapped] == rows[swapped]["title"]  # same words: no vocabulary evidence, left
    assert [o for o, r in zip(out, rows, strict=True) if o != r["title"]] == [truth[typo]]
