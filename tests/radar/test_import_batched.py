"""A daily file stored in slices (``HistoryStore.add_stream``, memory bounded) gives the same rows
as the whole-snapshot path (``items_from_records`` + ``HistoryStore.add``), whatever the slice size;
and a failure mid-snapshot leaves the store as it was."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onelegion.skills.radar import importers, stream_import
from onelegion.skills.radar.importers import read_archive
from onelegion.skills.radar.staging import StreamRow
from onelegion.skills.radar.store import AddResult, HistoryStore, Snapshot

_WORDS = ["两会", "台风", "芯片", "高考", "Final", "storm", "#话题#", "  ", "！", "ＡＩ", "ai"]


@pytest.fixture(autouse=True)
def _stream_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real daily files are small; these tests stream every one of them."""
    monkeypatch.setattr(stream_import, "STREAM_MIN_BYTES", 0)


def _record(rng: random.Random, i: int) -> Any:
    kind = rng.random()
    if kind < 0.03:
        return rng.choice([5, "x", None, [1]])  # not a record: skipped
    if kind < 0.06:
        return {"url": "https://x/?band_rank=3"}  # no title: skipped
    # few distinct titles, so that most repeat (across slices too); some differ only in spacing,
    # case or hashtag marks (one item key), some are punctuation only (no item key)
    title = "".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.05:
        title = "长" * 520 + str(rng.randint(0, 2))  # cut to 500 characters: one title after
    rec: dict[str, Any] = {"title": title if rng.random() < 0.8 else f" {title} "}
    r = rng.random()
    if r < 0.5:
        rec["url"] = f"https://s.weibo.com/weibo?q=x&band_rank={rng.randint(0, 12)}"
    elif r < 0.65:
        rec["rank"] = rng.choice([0, 1, 2, 7, 10**7, -1, True])
    # else: no rank at all (for Weibo: pinned / new, listed after the ranked ones)
    if rng.random() < 0.5:
        rec["heat"] = rng.choice([rng.randint(1, 10**6), 1.5, "9", None])
    if rng.random() < 0.2:
        rec["heat_text"] = f"{i}万"
    if rng.random() < 0.2:
        rec["extra"] = rng.choice([{"tag": "热", "n": i}, {"day_sightings": 99}, {}, "no"])
    return rec


def _archive(root: Path, seed: int, n: int) -> Path:
    rng = random.Random(seed)
    raw = root / "raw"
    raw.mkdir(parents=True)
    for day in ("2024-03-01", "2024-03-02"):
        recs = [_record(rng, i) for i in range(n)]
        (raw / f"{day}.json").write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    return root


def _dump(store: HistoryStore) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "captures": store.query("SELECT * FROM captures ORDER BY ALL"),
        "snapshots": store.query("SELECT * FROM snapshots ORDER BY ALL"),
        "items": store.query("SELECT * FROM items ORDER BY ALL"),
    }


def _whole(root: Path, source: str, fmt: importers.Format, home: Path) -> tuple[Any, AddResult]:
    store = HistoryStore(home / "whole.duckdb")
    total = AddResult()
    for s in read_archive(root, fmt, source):
        r = store.add([s])
        total.captures_added += r.captures_added
        total.rows_added += r.rows_added
        total.items_new += r.items_new
    return _dump(store), total


def _sliced(
    root: Path, source: str, fmt: importers.Format, home: Path, name: str
) -> tuple[Any, AddResult]:
    store = HistoryStore(home / f"{name}.duckdb")
    total = AddResult()
    for s in read_archive(root, fmt, source, stream=True):
        assert s.stream is not None and s.items == []
        r = store.add_stream(s)
        total.captures_added += r.captures_added
        total.rows_added += r.rows_added
        total.items_new += r.items_new
    return _dump(store), total


@pytest.mark.parametrize("source", ["weibo", "zhihu"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sliced_snapshot_imports_like_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, seed: int
) -> None:
    root = _archive(tmp_path / "arch", seed, 400)
    want, want_res = _whole(root, source, "justjavac", tmp_path)
    assert want_res.captures_added == 2 and want_res.rows_added > 20
    sightings = [r for r in want["snapshots"] if r[8] and "day_sightings" in r[8]]
    assert sightings  # the rules that need the whole file are exercised
    for batch in (1, 3, 17, 100_000):  # 100,000: one slice, the unbatched case
        monkeypatch.setattr(stream_import, "STREAM_BATCH", batch)
        got, got_res = _sliced(root, source, "justjavac", tmp_path, f"b{batch}")
        assert got == want, batch
        assert (got_res.captures_added, got_res.rows_added, got_res.items_new) == (
            want_res.captures_added,
            want_res.rows_added,
            want_res.items_new,
        )


def test_sliced_reimport_is_skipped_and_empty_file_is_no_snapshot(tmp_path: Path) -> None:
    root = _archive(tmp_path / "arch", 4, 50)
    (root / "raw" / "2024-03-03.json").write_text('[{"url": "u"}, 5]', encoding="utf-8")
    store = HistoryStore(tmp_path / "h.duckdb")
    added = [store.add_stream(s) for s in read_archive(root, "justjavac", "weibo", stream=True)]
    assert [r.captures_added for r in added] == [1, 1, 0]
    before = _dump(store)
    again = [store.add_stream(s) for s in read_archive(root, "justjavac", "weibo", stream=True)]
    assert [(r.captures_added, r.captures_skipped, r.rows_added) for r in again] == [
        (0, 1, 0),
        (0, 1, 0),
        (0, 0, 0),
    ]
    assert _dump(store) == before


def test_failure_mid_snapshot_leaves_the_store_unchanged(tmp_path: Path) -> None:
    root = _archive(tmp_path / "arch", 5, 300)
    store = HistoryStore(tmp_path / "h.duckdb")
    first, second = list(read_archive(root, "justjavac", "weibo"))
    store.add([first])
    before = _dump(store)
    batches = list(stream_import.record_batches("weibo", iter(_records(root, "2024-03-02")), 5))
    assert len(batches) > 2

    def broken() -> Iterator[list[StreamRow]]:
        yield batches[0]
        yield batches[1]
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        store.add_stream(Snapshot("weibo", second.captured_at, [], "import:x", stream=broken()))
    assert _dump(store) == before
    r = store.add_stream(Snapshot("weibo", second.captured_at, [], second.origin, stream=batches))
    assert r.captures_added == 1
    assert _dump(store) == _whole(root, "weibo", "justjavac", tmp_path)[0]


def _records(root: Path, day: str) -> list[Any]:
    recs: list[Any] = json.loads((root / "raw" / f"{day}.json").read_text(encoding="utf-8"))
    return recs


def test_half_an_emoji_in_a_streamed_day_file_is_repaired_and_the_list_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lone surrogate (half an emoji) in a title reached Arrow unrepaired on the streamed path
    and failed the whole import (radar.import_stream fuzz target); it becomes U+FFFD as on the
    whole-snapshot path, and a title differing only by it is the same title."""
    raw = tmp_path / "arch" / "raw"
    raw.mkdir(parents=True)
    recs = '[{"title": "a\\ud83d"}, {"title": "b"}, {"title": "a\\ufffd", "rank": 1}, 5]'
    (raw / "2024-03-01.json").write_text(recs, encoding="utf-8")
    want, _ = _whole(tmp_path / "arch", "weibo", "justjavac", tmp_path)
    assert [(r[2], r[4], r[8]) for r in want["snapshots"]] == [
        (1, "a\ufffd", '{"day_sightings": 2}'),
        (3, "b", None),
    ]
    for batch in (1, 2, 100_000):
        monkeypatch.setattr(stream_import, "STREAM_BATCH", batch)
        got, _ = _sliced(tmp_path / "arch", "weibo", "justjavac", tmp_path, f"b{batch}")
        assert got == want, batch


def test_only_big_daily_files_are_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "arch" / "raw"
    raw.mkdir(parents=True)
    (raw / "2024-03-01.json").write_text('[{"title": "a"}]', encoding="utf-8")
    (raw / "2024-03-02.json").write_text('[{"title": "b"}' + ', {"title": "c"}' * 40 + "]")
    monkeypatch.setattr(stream_import, "STREAM_MIN_BYTES", 100)
    snaps = [
        (s.stream is not None, len(s.items))
        for s in read_archive(raw.parent, "justjavac", "weibo", stream=True)
    ]
    assert snaps[0] == (False, 1)
    assert snaps[1][0] is True
