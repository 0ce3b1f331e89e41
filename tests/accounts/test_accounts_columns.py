"""The column-wise importer gives exactly the row-wise importer's readings and skip counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.skills.accounts import columns
from onelegion.skills.accounts.importers import FileResult, ImportOptions, read_file
from onelegion.skills.accounts.synth import LAYOUTS, generate, write

FIX = Path(__file__).parents[1] / "fixtures" / "accounts"


def both(
    path: Path, opts: ImportOptions, monkeypatch: pytest.MonkeyPatch
) -> tuple[FileResult, FileResult]:
    new = read_file(path, opts)
    with monkeypatch.context() as m:
        m.setattr(columns, "records", lambda *a, **k: None)  # the row-wise path
        old = read_file(path, opts)
    return new, old


@pytest.mark.parametrize(
    "opts",
    [ImportOptions(), ImportOptions(format="bilibili-studio"), ImportOptions(account="X")],
    ids=["auto", "studio", "account"],
)
def test_odd_cells_same_as_row_wise(opts: ImportOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = both(FIX / "odd" / "odd_cells.csv", opts, monkeypatch)
    assert new.records == old.records
    assert new.skipped == old.skipped
    assert len(new.records) == 11
    assert dict(new.skipped) == {
        "total row": 1,
        "no account": 1,
        "publish time not understood (kept without a date)": 4,
        "no post id and no title": 1,
        "views: not a number (cell left empty)": 2,
        "likes: not a number (cell left empty)": 2,
        "no count at all": 1,
        "no publish date (kept; age unknown)": 5,
    }
    by_id = {r.post_id: r for r in new.records}
    assert by_id["a1"].metrics == {"views": 1234.0, "likes": 12000.0, "comments": 3.0}
    assert by_id["a1"].title == "红烧肉做法"
    assert by_id["a1"].followers == 15000.0
    assert by_id["a1"].duration_s == 3723.0
    assert by_id["a1"].tags == ["美食", "家常"]
    assert by_id["a1"].published_at is not None
    # naive times: UTC+8 on a Chinese platform's export, UTC on any other table
    hour = "04" if opts.format == "bilibili-studio" else "12"
    assert by_id["a1"].published_at.isoformat() == f"2024-03-01T{hour}:00:00+00:00"
    assert by_id["a2"].title.startswith("只有简介")
    assert by_id["a2"].metrics["views"] == 100000.0
    assert by_id["a4"].metrics["likes"] is None  # -3: not a count
    assert by_id["a5"].published_at is not None
    assert by_id["a5"].published_at.isoformat() == "2024-03-01T00:00:00.123000+00:00"


def test_typed_json_same_as_row_wise(monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = both(FIX / "odd" / "odd_numbers.json", ImportOptions(), monkeypatch)
    assert new.records == old.records
    assert new.skipped == old.skipped
    assert [r.metrics for r in new.records] == [
        {"views": 1200.0, "likes": 3.0},
        {"views": 1300.5, "likes": None},
        {"views": None, "likes": 4.0},
        {"views": 5.0, "likes": 4.0},
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_generated_layouts_same_as_row_wise(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = 900 + LAYOUTS.index(layout)
    data = generate(seed=seed, accounts=6, posts_low=10, posts_high=20, missing_views=0.1)
    path = tmp_path / ("d.json" if "json" in layout else "d.csv")
    params = write(data, path, layout, seed=seed)
    opts = ImportOptions(format=params["format"], platform=params.get("platform"))
    new, old = both(path, opts, monkeypatch)
    assert len(new.records) == len(data.posts)
    assert new.records == old.records
    assert new.skipped == old.skipped


def _dump(db: Path) -> list[list[tuple[object, ...]]]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return [
            con.execute(
                "SELECT account_key, platform, account_id, name, followers, followers_at "
                "FROM accounts ORDER BY 1"
            ).fetchall(),
            con.execute(
                "SELECT post_key, platform, post_id, account_key, title, description, url, "
                "published_at, published_estimated, duration_s, tags, category FROM posts ORDER BY 1"
            ).fetchall(),
            con.execute("SELECT * FROM snapshots ORDER BY 1, 2").fetchall(),
        ]
    finally:
        con.close()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_store_from_columns_same_as_from_rows(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readings written as columns store exactly what the row-wise records store; every post is
    read twice (the generator's ``snapshots``), so both readings are kept; a second import adds
    nothing."""
    from onelegion.skills.accounts.store import AccountsStore, Readings

    seed = 950 + LAYOUTS.index(layout)
    data = generate(seed=seed, accounts=5, posts_low=10, posts_high=15, snapshots=1)
    path = tmp_path / ("d.json" if "json" in layout else "d.csv")
    params = write(data, path, layout, seed=seed)
    opts = ImportOptions(format=params["format"], platform=params.get("platform"))
    new, old = both(path, opts, monkeypatch)
    assert isinstance(new.records, Readings) and isinstance(old.records, list)
    a, b = AccountsStore(tmp_path / "a.db"), AccountsStore(tmp_path / "b.db")
    wa = a.write(new.records, origin="o", fmt="f", rows=new.rows)
    wb = b.write(old.records, origin="o", fmt="f", rows=old.rows)
    assert vars(wa) == vars(wb)
    readings = sum(1 + len(p.readings) for p in data.posts)
    assert wa.snapshots_new == readings > len(data.posts) == wa.posts_new
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    again = a.write(new.records, origin="o", fmt="f", rows=new.rows)
    assert (again.snapshots_new, again.snapshots_skipped, again.posts_new) == (0, readings, 0)


def test_readings_concat_keeps_order_and_every_count() -> None:
    from datetime import UTC, datetime

    from onelegion.skills.accounts.store import PostRecord, Readings

    at = datetime(2026, 11, 30, tzinfo=UTC)
    r1 = PostRecord("bili", "1", "a", "A", "t1", at, metrics={"views": 5.0})
    r2 = PostRecord("bili", "2", "a", "A", "t2", at, metrics={"likes": 2.0})
    cat = Readings.concat([[r1], Readings.from_records([r2])])
    assert len(cat) == 2 and cat.post_id == ["1", "2"]
    assert cat.metrics == {"views": [5.0, None], "likes": [None, 2.0]}
    assert cat[1].metrics == {"views": None, "likes": 2.0}
    assert cat[-1].post_id == "2"
