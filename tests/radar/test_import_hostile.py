"""Hostile archive lines (issue 10): each is imported correctly or refused with one UserError
line, never a crash; one bad title never costs the rest of its list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onelegion.core.errors import UserError
from onelegion.skills.radar.importers import read_archive, snapshots_from_line
from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.store import HistoryStore


def _line(**kw: object) -> str:
    rec: dict[str, object] = {"captured_at": "2024-03-01T00:16:19+08:00", "source": "weibo"}
    rec.update(kw)
    return json.dumps(rec)


def test_non_utf8_jsonl_is_refused(tmp_path: Path) -> None:
    head = b'{"captured_at": "2024-03-01T00:16:19+08:00", "source": "weibo", "items": [{"title": "'
    (tmp_path / "a.jsonl").write_bytes(head + "热搜".encode("gb18030") + b'"}]}\n')
    with pytest.raises(UserError) as e:
        list(read_archive(tmp_path, "jsonl"))
    assert e.value.one_line() == (
        f"{tmp_path / 'a.jsonl'}:1: not UTF-8 (invalid byte at {len(head)}) — save the file as UTF-8"
    )
    (tmp_path / "a.jsonl").unlink()
    (tmp_path / "2024-01-01.json").write_bytes(b'[{"title": "' + "热".encode("gb18030") + b'"}]')
    with pytest.raises(UserError) as e:
        list(read_archive(tmp_path, "justjavac", "weibo"))
    assert e.value.one_line() == (
        f"{tmp_path / '2024-01-01.json'}: not UTF-8 (invalid byte at 12) — save the file as UTF-8"
    )


def test_half_an_emoji_is_repaired_and_the_list_kept(tmp_path: Path) -> None:
    line = _line(items=[{"title": "a"}, {"title": "b"}])
    line = line.replace('"a"', '"\\ud83d\\u70ed"').replace('"b"', '"ok\\ud83d\\ude00"')
    (snap,) = snapshots_from_line(line, None, where="x:1")
    assert [(i.rank, i.title) for i in snap.items] == [(1, "\ufffd热"), (2, "ok😀")]
    store = HistoryStore(tmp_path / "h.db")
    assert store.add([snap]).rows_added == 2


def test_hot_item_repairs_lone_surrogates_everywhere() -> None:
    it = HotItem(
        source="weibo",
        rank=1,
        title="t\ud83d",
        url="https://x/\udc00",
        heat_text="\ud83d热",
        extra={"k\ud83d": ["v\ud83d", 1]},
    )
    assert (it.title, it.url, it.heat_text, it.extra) == (
        "t\ufffd",
        "https://x/\ufffd",
        "\ufffd热",
        {"k\ufffd": ["v\ufffd", 1]},
    )


@pytest.mark.parametrize(
    "at", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+08:00", "1899-12-31T00:00:00"]
)
def test_captured_at_out_of_range_is_refused(at: str) -> None:
    with pytest.raises(UserError) as e:
        snapshots_from_line(_line(captured_at=at, items=[]), None, where="f:3")
    assert e.value.one_line() == (
        f"f:3: captured_at {at!r} is outside 1990-01-01 … 2199-12-31 — use an ISO-8601 time"
        " within that range"
    )


def test_extreme_ranks_and_heat_fall_back_sanely(tmp_path: Path) -> None:
    line = (
        '{"captured_at": "2024-03-01T00:00:00+08:00", "source": "zhihu", "items": ['
        '{"title": "a", "rank": 100000000000000000000000},'
        '{"title": "b", "rank": 1e23},'
        '{"title": "c", "rank": -5, "heat": Infinity},'
        '{"title": "d", "heat": NaN, "rank": 4}]}'
    )
    (snap,) = snapshots_from_line(line, None, where="x:1")
    assert [(i.rank, i.title, i.heat) for i in snap.items] == [
        (1, "a", None),
        (2, "b", None),
        (3, "c", None),
        (4, "d", None),
    ]
    assert HistoryStore(tmp_path / "h.db").add([snap]).rows_added == 4


def test_non_string_source_is_refused_or_ignored() -> None:
    with pytest.raises(UserError) as e:
        snapshots_from_line(
            '{"captured_at": "2024-03-01T00:00:00Z", "source": 5, "items": [{"title": "a"}]}',
            None,
            where="x:2",
        )
    assert e.value.one_line() == "x:2: items carry no source — add --source weibo (or ...)"
    (snap,) = snapshots_from_line(
        '{"captured_at": "2024-03-01T00:00:00Z", "source": "weibo",'
        ' "items": [{"title": "a", "source": 5}, {"title": "b", "source": ["x"]}]}',
        None,
        where="x:3",
    )
    assert (snap.source, [i.title for i in snap.items]) == ("weibo", ["a", "b"])


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = '{"captured_at": "2024-03-01T00:00:00Z", "items": ' + "[" * 50_000 + "]" * 50_000 + "}"
    with pytest.raises(UserError) as e:
        snapshots_from_line(deep, "weibo", where="x:9")
    assert e.value.one_line() == (
        "x:9 is nested too deeply — flatten the JSON (a few levels are enough)"
    )
    (tmp_path / "2024-01-01.json").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(UserError, match="nested too deeply"):
        list(read_archive(tmp_path, "justjavac", "weibo"))
