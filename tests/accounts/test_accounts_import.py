"""Importers on files in the formats MediaCrawler, Kaggle and YouTube Studio write (tests/fixtures/accounts)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.accounts import import_dir, import_file, list_accounts
from onelegion.skills.accounts.models import ImportDirIn, ImportIn, ListIn
from onelegion.skills.accounts.store import AccountsStore, PostRecord

FIX = Path(__file__).parents[1] / "fixtures" / "accounts"


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_mediacrawler_folder_every_save_mode(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    src = FIX / "mediacrawler"
    before = {p: digest(p) for p in src.rglob("*") if p.is_file()}
    out = import_dir(ctx, ImportDirIn(dir=src))
    by_name = {Path(f.path).name: f for f in out.files}
    assert by_name["search_contents_2025-11-30.csv"].platform == "bili"
    assert by_name["search_contents_2025-11-30.csv"].readings == 20
    assert by_name["search_contents_2025-11-30.jsonl"].platform == "dy"
    assert by_name["search_contents_2025-11-30.jsonl"].readings == 3
    assert by_name["creator_contents_2025-11-30.json"].platform == "xhs"
    assert by_name["creator_contents_2025-11-30.json"].readings == 8
    assert by_name["sqlite_tables.db"].readings == 10
    assert by_name["sqlite_tables.db"].followers == 1
    assert by_name["creator_creators_2025-11-30.csv"].followers == 1
    assert by_name["search_comments_2025-11-30.csv"].notes == [
        "search_comments_2025-11-30.csv: comments file (not posts), skipped"
    ]
    assert (out.accounts_new, out.posts_new, out.snapshots_new, out.snapshots_skipped) == (
        4,
        31,
        41,
        0,
    )
    # inputs untouched
    assert before == {p: digest(p) for p in src.rglob("*") if p.is_file()}
    # idempotent: the same readings are stored once
    again = import_dir(ctx, ImportDirIn(dir=src))
    assert (again.posts_new, again.snapshots_new, again.snapshots_skipped) == (0, 0, 41)
    rows = {a.account: a for a in list_accounts(ctx, ListIn()).accounts}
    assert rows["华农兄弟"].followers == 5120000
    assert rows["华农兄弟"].readings == 20  # two readings of each of its 10 posts (growth)
    assert rows["露营小王"].followers == 34000
    assert rows["美食阿杰"].posts == 3
    assert rows["老番茄"].last_reading == datetime(2025, 11, 30, 12, tzinfo=UTC)


def test_xhs_counts_as_the_app_shows_them(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    import_file(
        ctx,
        ImportIn(path=FIX / "mediacrawler" / "xhs" / "json" / "creator_contents_2025-11-30.json"),
    )
    store = AccountsStore.for_home(ctx.config.home)
    likes = dict(
        store.query("SELECT p.post_id, s.likes FROM snapshots s JOIN posts p USING (post_key)")
    )
    assert likes == {
        "65a000": 12000.0,
        "65a001": 9800.0,
        "65a002": 11000.0,
        "65a003": 100000.0,
        "65a004": 10500.0,
        "65a005": 9900.0,
        "65a006": 13000.0,
        "65a007": 10000.0,
    }


def test_youtube_trending_repairs_the_two_known_defects(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    out = import_file(ctx, ImportIn(path=FIX / "USvideos_slice.csv"))
    f = out.files[0]
    assert f.format == "youtube-trending"
    assert "2 record(s) glued to the next one were split" in f.notes
    assert "4 record(s) with an extra field before the date were repaired" in f.notes
    assert f.skipped == {}
    store = AccountsStore.for_home(ctx.config.home)
    # a glued record's second half is its own sighting: xcaeyJTx4Co on 25.09
    assert (
        store.query(
            "SELECT captured_at, views FROM snapshots WHERE post_key='youtube:xcaeyJTx4Co' ORDER BY captured_at"
        )[0][0]
        == "2017-09-25T00:00:00+00:00"
    )
    # publish time is estimated by the first trending day
    pub, est = store.query(
        "SELECT published_at, published_estimated FROM posts WHERE post_id='CwLGro-dFWg'"
    )[0]
    assert est == 1
    assert pub <= "2017-10-09T00:00:00+00:00"
    n_vox = store.query(
        "SELECT COUNT(*) FROM posts p JOIN accounts a USING (account_key) WHERE a.name='Vox'"
    )
    assert n_vox == [(16,)]


def test_youtube_studio_export_skips_the_total_row(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    out = import_file(
        ctx,
        ImportIn(
            path=FIX / "youtube_studio_table_data.csv",
            format="youtube-studio",
            account="My channel",
        ),
    )
    f = out.files[0]
    assert (f.platform, f.readings, f.skipped) == ("youtube", 10, {"total row": 1})
    store = AccountsStore.for_home(ctx.config.home)
    assert store.query("SELECT duration_s, published_at FROM posts WHERE post_id='vid07abcde'") == [
        (370.0, "2025-10-08T00:00:00+00:00")
    ]


def test_any_table_with_a_map_and_a_clear_error_without(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    p = tmp_path / "自制表.csv"
    p.write_text(
        "作品,播放(次),赞,上线日期\n第一条,1.2万,300,2025-10-01\n第二条,abc,20,2025-10-02\n第三条,--,,\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as e:
        import_file(ctx, ImportIn(path=p))
    assert (
        "cannot find a count (views, likes, comments, shares, favorites); account"
        in e.value.message
    )
    assert "account" in e.value.message
    out = import_file(
        ctx,
        ImportIn(
            path=p,
            map=["title=作品,views=播放(次)", "likes=赞", "published_at=上线日期"],
            account="我",
            platform="dy",
        ),
    )
    f = out.files[0]
    assert f.readings == 2
    assert f.skipped == {
        "views: not a number (cell left empty)": 1,
        "no count at all": 1,
    }
    store = AccountsStore.for_home(ctx.config.home)
    assert sorted(
        store.query(
            "SELECT p.title, s.views, s.likes FROM snapshots s JOIN posts p USING (post_key)"
        )
    ) == [
        ("第一条", 12000.0, 300.0),
        ("第二条", None, 20.0),
    ]
    with pytest.raises(UserError, match="no column '点赞'"):
        import_file(ctx, ImportIn(path=p, map=["likes=点赞"], account="我"))
    with pytest.raises(UserError, match="unknown field 'plays'"):
        import_file(ctx, ImportIn(path=p, map=["plays=播放(次)"], account="我"))


def test_a_failed_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    import_file(
        ctx, ImportIn(path=FIX / "mediacrawler" / "bili" / "csv" / "search_contents_2025-11-30.csv")
    )
    store = AccountsStore.for_home(ctx.config.home)
    before = store.query("SELECT COUNT(*) FROM snapshots")
    at = datetime(2025, 12, 1, tzinfo=UTC)
    good = PostRecord("bili", "NEW1", "3493118", "华农兄弟", "new", at, metrics={"views": 1.0})
    bad = PostRecord("bili", "NEW2", "3493118", "华农兄弟", "new", at, metrics={"views": object()})  # type: ignore[dict-item]
    with pytest.raises(Exception, match="bind|type"):
        store.write([good, bad], origin="x", fmt="test", rows=2)
    assert store.query("SELECT COUNT(*) FROM snapshots") == before
    assert store.query("SELECT COUNT(*) FROM posts WHERE post_id='NEW1'") == [(0,)]


def test_bad_inputs_say_what_to_do(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="holds no csv/json/jsonl/xlsx/sqlite files"):
        import_dir(ctx, ImportDirIn(dir=empty))
    notdb = tmp_path / "x.db"
    notdb.write_bytes(b"not a database at all" * 10)
    with pytest.raises(UserError, match="not a SQLite database"):
        import_file(ctx, ImportIn(path=notdb))
    with pytest.raises(UserError, match="is not a YouTube trending file"):
        import_file(
            ctx, ImportIn(path=FIX / "youtube_studio_table_data.csv", format="youtube-trending")
        )
    big = tmp_path / "big.csv"
    shutil.copyfile(FIX / "USvideos_slice.csv", big)
    ctx.config.section("accounts")  # a limit from legion.toml
    from onelegion.skills.accounts.importers import ImportOptions, read_file

    with pytest.raises(UserError, match="the import limit is"):
        read_file(big, ImportOptions(max_bytes=1000))
    with pytest.raises(UserError, match="no accounts store"):
        list_accounts(ctx, ListIn())


def test_bilibili_creator_centre_style_xlsx_by_header_synonyms(tmp_path: Path) -> None:
    """Layout not verified against a real export: Chinese creator-centre headers in an .xlsx."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        ["稿件标题", "BV号", "发布时间", "播放量", "点赞", "投币", "收藏", "分享", "评论", "弹幕"]
    )
    ws.append(
        ["第一期", "BV1x1", "2025-10-01 18:00", "1.2万", "800", "300", "200", "50", "40", "90"]
    )
    ws.append(["合计", "总计", "", "1.2万", "800", "300", "200", "50", "40", "90"])
    p = tmp_path / "稿件数据.xlsx"
    wb.save(p)
    ctx = Context.for_testing(tmp_path)
    out = import_file(ctx, ImportIn(path=p, format="bilibili-studio", account="我的账号"))
    f = out.files[0]
    assert (f.platform, f.readings, f.skipped) == ("bili", 1, {"total row": 1})
    store = AccountsStore.for_home(ctx.config.home)
    assert store.query(
        "SELECT p.post_id, p.published_at, s.views, s.coins, s.danmaku FROM snapshots s JOIN posts p USING (post_key)"
    ) == [("BV1x1", "2025-10-01T10:00:00+00:00", 12000.0, 300.0, 90.0)]


def test_store_write_folds_records_in_file_order(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from onelegion.skills.accounts.store import AccountsStore, PostRecord

    def rec(pid: str, name: str, fol: float | None, day: int, **kw: object) -> PostRecord:
        return PostRecord(
            platform="bili",
            post_id=pid,
            account_id="7",
            account_name=name,
            title=str(kw.get("title", "t")),
            captured_at=datetime(2026, 11, day, tzinfo=UTC),
            followers=fol,
            description=kw.get("description"),  # type: ignore[arg-type]
            metrics={"views": 10.0 * day},
        )

    store = AccountsStore(tmp_path / "s.db")
    res = store.write(
        [
            rec("a", "first", 100.0, 3),
            rec("a", "", 300.0, 5, description="filled later"),  # same post, newer reading
            rec("b", "renamed", 200.0, 4),  # older follower reading: does not replace 300
            rec("b", "", None, 4),  # same reading again: skipped
        ],
        origin="t",
        fmt="t",
        rows=4,
    )
    assert (res.accounts_new, res.posts_new, res.posts_updated) == (1, 2, 2)
    assert (res.snapshots_new, res.snapshots_skipped) == (3, 1)
    assert store.query("SELECT name, followers, followers_at FROM accounts") == [
        ("renamed", 300.0, "2026-11-05T00:00:00+00:00")
    ]
    assert store.query("SELECT description FROM posts WHERE post_id='a'") == [("filled later",)]
    res2 = store.write([rec("c", "", 50.0, 6)], origin="t", fmt="t", rows=1)
    assert (res2.accounts_new, res2.posts_new) == (0, 1)
    assert store.query("SELECT name, followers FROM accounts") == [("renamed", 50.0)]
