"""The history store and archive import (justjavac, trending-in-one, JSON Lines, git history)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from radar_helpers import snap

from onelegion.core.errors import UserError
from onelegion.skills.radar.importers import (
    items_from_records,
    read_archive,
    read_git_history,
)
from onelegion.skills.radar.normalize import item_key, normalize_title
from onelegion.skills.radar.records import band_rank
from onelegion.skills.radar.store import HistoryStore

SAMPLES = Path(__file__).parents[2] / "src" / "onelegion" / "skills" / "radar" / "samples"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "radar"


def test_normalised_identity() -> None:
    assert normalize_title("#足迹2023#") == "足迹2023"
    assert normalize_title("  ＡＩ　手机？ ") == "ai 手机"
    assert item_key("weibo", "足迹2023") == item_key("weibo", normalize_title("#足迹2023#"))
    assert item_key("weibo", "足迹2023") != item_key("zhihu", "足迹2023")
    assert 0 <= item_key("weibo", "x") < 2**63


def test_add_keeps_history_and_item_stats(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.duckdb")
    r = store.add(
        [
            snap("weibo", 0, ["甲", "乙"], [100.0, 50.0]),
            snap("weibo", 1, ["乙", "#甲#"], [80.0, 120.0]),
        ]
    )
    assert (r.captures_added, r.rows_added, r.items_new) == (2, 4, 2)
    again = store.add([snap("weibo", 1, ["丙"])])
    assert (again.captures_added, again.captures_skipped, again.rows_added) == (0, 1, 0)
    rows = store.query(
        "SELECT norm_title, peak_rank, peak_heat, appearances, first_seen, last_seen FROM items ORDER BY norm_title"
    )
    assert rows == [
        ("乙", 1, 80.0, 2, datetime(2024, 3, 1, 0, 0), datetime(2024, 3, 1, 1, 0)),
        ("甲", 1, 120.0, 2, datetime(2024, 3, 1, 0, 0), datetime(2024, 3, 1, 1, 0)),
    ]
    status = store.source_status()
    assert status["weibo"]["captures"] == 2 and status["weibo"]["last_items"] == 2


def test_locked_store_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    HistoryStore(path).add([snap("weibo", 0, ["甲"])])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(UserError, match="locked by another process"):
            HistoryStore(path, lock_timeout=0.3).add([snap("weibo", 1, ["乙"])])
    finally:
        holder.kill()
        holder.wait()
    assert HistoryStore(path).add([snap("weibo", 1, ["乙"])]).rows_added == 1


def test_weibo_ranks_come_from_band_rank_and_unranked_go_last() -> None:
    assert band_rank("/weibo?q=%23x%23&t=31&band_rank=8&Refer=top") == 8
    assert band_rank("/weibo?q=x&Refer=new_time") is None
    items = items_from_records(
        "weibo",
        [
            {"url": "/weibo?q=a&Refer=new_time", "title": "置顶"},
            {"url": "/weibo?q=b&band_rank=2", "title": "乙"},
            {"url": "/weibo?q=c&band_rank=1", "title": "甲"},
            {"url": "/weibo?q=c&band_rank=5", "title": "甲"},
        ],
        where="t",
    )
    assert [(i.title, i.rank, i.extra) for i in items] == [
        ("乙", 2, {}),
        ("甲", 1, {"day_sightings": 2}),
        ("置顶", 6, {}),
    ]
    zh = items_from_records(
        "zhihu", [{"url": "https://www.zhihu.com/question/1", "title": "问"}], where="t"
    )
    assert zh[0].rank == 1


def test_import_justjavac_and_trending_in_one_samples(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.duckdb")
    weibo = list(read_archive(SAMPLES / "weibo", "justjavac"))
    assert [s.captured_at.isoformat() for s in weibo] == [
        "2024-01-08T23:59:59+08:00",
        "2024-01-09T23:59:59+08:00",
        "2024-01-10T23:59:59+08:00",
    ]
    raw = json.loads((SAMPLES / "weibo" / "raw" / "2024-01-08.json").read_text(encoding="utf-8"))
    assert len(weibo[0].items) == len({normalize_title(r["title"]) for r in raw})
    r1 = store.add(weibo)
    r2 = store.add(list(read_archive(SAMPLES / "toutiao", "trending-in-one")))
    assert r1.captures_added == 3 and set(r2.sources) == {"toutiao"}
    assert store.add(weibo).captures_skipped == 3


def test_trending_in_one_kinds_map_to_sources() -> None:
    snaps = list(read_archive(FIXTURES / "trending-in-one", "trending-in-one"))
    assert sorted({s.source for s in snaps}) == ["toutiao", "weibo", "zhihu"]
    assert len(snaps) == 9  # 3 kinds x 3 days
    wb = next(s for s in snaps if s.source == "weibo")
    assert min(i.rank for i in wb.items) == 1
    assert max(i.extra.get("day_sightings", 1) for i in wb.items) > 1


def test_import_errors_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no YYYY-MM-DD.json"):
        list(read_archive(tmp_path, "justjavac", "weibo"))
    (tmp_path / "2024-01-01.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="not valid JSON"):
        list(read_archive(tmp_path, "justjavac", "weibo"))
    with pytest.raises(UserError, match="which platform"):
        list(read_archive(tmp_path, "justjavac"))


def test_jsonl_import(tmp_path: Path) -> None:
    d = tmp_path / "weibo" / "hourly"
    d.mkdir(parents=True)
    (d / "2024-03-01.jsonl").write_text(
        '{"captured_at": "2024-03-01T00:16:19+08:00", "items": [{"url": "/weibo?q=a&band_rank=1", "title": "甲"}]}\n'
        '{"captured_at": "2024-03-01T01:12:11+08:00", "source": "zhihu", "items": [{"rank": 3, "title": "问", "heat": 12.5}]}\n',
        encoding="utf-8",
    )
    snaps = list(read_archive(tmp_path, "jsonl"))
    assert [
        (s.source, s.captured_at.isoformat(), [(i.rank, i.title, i.heat) for i in s.items])
        for s in snaps
    ] == [
        ("weibo", "2024-03-01T00:16:19+08:00", [(1, "甲", None)]),
        ("zhihu", "2024-03-01T01:12:11+08:00", [(3, "问", 12.5)]),
    ]
    (d / "bad.jsonl").write_text('{"items": []}\n', encoding="utf-8")
    with pytest.raises(UserError, match="captured_at"):
        list(read_archive(tmp_path, "jsonl"))


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_git_history_replays_every_commit(tmp_path: Path) -> None:
    import os

    repo = tmp_path / "weibo-trending-hot-search"
    (repo / "raw").mkdir(parents=True)
    _git(repo, "init", "-q")
    base = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    versions = [
        ("2024-03-01T08:00:00+08:00", [{"url": "/w?band_rank=1", "title": "甲"}]),
        (
            "2024-03-01T09:00:00+08:00",
            [{"url": "/w?band_rank=2", "title": "甲"}, {"url": "/w?band_rank=1", "title": "乙"}],
        ),
    ]
    for when, items in versions:
        (repo / "raw" / "2024-03-01.json").write_text(
            json.dumps(items, ensure_ascii=False), encoding="utf-8"
        )
        (repo / "README.md").write_text(when, encoding="utf-8")
        env = {**base, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        _git(repo, "add", "-A", env=env)
        _git(repo, "commit", "-q", "-m", when, env=env)
    env = {
        **base,
        "GIT_AUTHOR_DATE": "2024-03-02T08:00:00+08:00",
        "GIT_COMMITTER_DATE": "2024-03-02T08:00:00+08:00",
    }
    _git(repo, "rm", "-q", "raw/2024-03-01.json", env=env)  # a deletion is not a snapshot
    _git(repo, "commit", "-q", "-m", "remove", env=env)
    snaps = list(read_git_history(repo, "justjavac"))
    assert [
        (s.source, s.captured_at.isoformat(), [(i.title, i.rank) for i in s.items]) for s in snaps
    ] == [
        ("weibo", "2024-03-01T08:00:00+08:00", [("甲", 1)]),
        ("weibo", "2024-03-01T09:00:00+08:00", [("甲", 2), ("乙", 1)]),
    ]
    store = HistoryStore(tmp_path / "h.duckdb")
    assert store.add(snaps).rows_added == 3
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()
    with pytest.raises(UserError, match="git failed"):
        list(read_git_history(not_a_repo, "justjavac", "weibo"))


def test_concurrent_threads_read_and_write(tmp_path: Path) -> None:
    import threading

    store = HistoryStore(tmp_path / "h.duckdb")
    store.add([snap("weibo", 0, ["甲"])])
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(20):
                with store.connect(read_only=True) as con:
                    con.execute("SELECT count(*) FROM snapshots").fetchall()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for h in range(1, 11):
        store.add([snap("weibo", h, ["甲", f"乙{h}"])])
    for t in threads:
        t.join()
    assert errors == []
    assert store.query("SELECT count(*) FROM captures") == [(11,)]


def _dump(store: HistoryStore) -> list[tuple[object, ...]]:
    return [
        *store.query("SELECT * FROM captures ORDER BY ALL"),
        *store.query("SELECT * FROM snapshots ORDER BY ALL"),
        *store.query("SELECT * FROM items ORDER BY ALL"),
    ]


def test_small_and_large_batches_store_the_same_rows(tmp_path: Path) -> None:
    """Small batches are staged with plain INSERTs (no pyarrow at start-up), large ones through
    Arrow: both write the same rows, extras and nulls included."""
    from onelegion.skills.radar import staging

    batch = [
        snap("weibo", 0, ["甲", "乙", "#甲#"], [100.0, 50.0, 10.0]),
        snap("zhihu", 0.5, ["丙"]),
        snap("weibo", 1, ["乙", "丁"], [80.0, 120.0]),
    ]
    batch[1].items[0].extra = {"answers": 3}
    small = HistoryStore(tmp_path / "small.duckdb")
    large = HistoryStore(tmp_path / "large.duckdb")
    r1 = small.add(batch)
    saved = staging.SMALL
    staging.SMALL = 0  # every batch through pyarrow
    try:
        r2 = large.add(batch)
    finally:
        staging.SMALL = saved
    assert (r1.captures_added, r1.rows_added, r1.items_new) == (3, 5, 4)
    assert (r2.captures_added, r2.rows_added, r2.items_new) == (3, 5, 4)
    assert _dump(small) == _dump(large)
    assert small.query("SELECT extras FROM snapshots WHERE source = 'zhihu'") == [
        ('{"answers": 3}',)
    ]


def test_a_session_opens_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan's steps share one connection; outside a session every operation opens its own."""
    import duckdb

    opened: list[str] = []
    real = duckdb.connect

    def counting(path: str, *a: object, **kw: object) -> duckdb.DuckDBPyConnection:
        opened.append(path)
        return real(path, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb, "connect", counting)
    store = HistoryStore(tmp_path / "h.duckdb")
    with store.session():
        store.record_fetches([("weibo", datetime(2024, 3, 1), True, 2, None, 12.5)])
        store.add([snap("weibo", 0, ["甲", "乙"])])
        with store.session():  # nested: the same connection
            assert store.query("SELECT count(*) FROM items") == [(2,)]
        assert store.query("SELECT ok, items, elapsed_ms FROM fetches") == [(True, 2, 12.5)]
    assert len(opened) == 1
    assert store.query("SELECT count(*) FROM snapshots") == [(2,)]
    assert len(opened) == 2


def test_tokens_are_written_in_chunks_for_the_window_only(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.duckdb")
    store.add(
        [
            snap("weibo", 0, ["小米汽车发布会", "春节档电影票房", "哈尔滨冰雪大世界"]),
            snap("zhihu", 0.5, ["如何看待雷军的发布会", "南方小土豆"]),
            snap("weibo", 48, ["两天后的新话题"]),
        ]
    )
    seen: list[tuple[int, int]] = []
    n = store.ensure_tokens(
        datetime(2024, 2, 29, 23), datetime(2024, 3, 1, 1), lambda i, t: seen.append((i, t)), 2
    )
    assert n == 5 and seen == [(2, 5), (4, 5), (5, 5)]
    rows = dict(store.query("SELECT norm_title, tokens IS NOT NULL FROM items"))
    assert sorted(t for t, has in rows.items() if not has) == ["两天后的新话题"]
    assert store.ensure_tokens(datetime(2024, 2, 29, 23), datetime(2024, 3, 1, 1)) == 0
