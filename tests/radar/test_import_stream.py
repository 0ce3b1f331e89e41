"""Daily archive files are parsed one element at a time (issue 10: a large archive peaked at
7 GB): same values and refusals as parsing the whole file, memory bounded by the largest element."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onelegion.core.errors import UserError
from onelegion.skills.radar import stream_import
from onelegion.skills.radar.importers import read_archive
from onelegion.skills.radar.stream_import import ArrayStream, json_array_items

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    values=st.lists(_json, max_size=20),
    chunk=st.integers(min_value=1, max_value=40),
    ascii_only=st.booleans(),
    indent=st.sampled_from([None, 1]),
)
def test_streamed_elements_equal_whole_parse(
    tmp_path_factory: pytest.TempPathFactory,
    values: list[object],
    chunk: int,
    ascii_only: bool,
    indent: int | None,
) -> None:
    path = tmp_path_factory.mktemp("s") / "2024-01-01.json"
    path.write_text(json.dumps(values, ensure_ascii=ascii_only, indent=indent), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stream_import, "_CHUNK", chunk)
        assert list(json_array_items(path)) == json.loads(path.read_bytes())


def test_memory_follows_the_element_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "2024-01-01.json"
    recs = [{"title": f"热搜 {i}", "url": f"/weibo?band_rank={i % 50 + 1}"} for i in range(5000)]
    path.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(stream_import, "_CHUNK", 256)
    with path.open("rb") as fh:
        stream = ArrayStream(fh, b"", path)
        widest = 0
        got = []
        for v in stream.items():
            got.append(v)
            widest = max(widest, len(stream.buf))
    assert got == recs
    assert path.stat().st_size > 200_000
    assert widest <= 3 * 256 + 100  # a few chunks, never the file


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('[{"title": "a"}', "Expecting ',' delimiter"),
        ('[{"title": "a"},]', "Expecting value"),
        ('[{"title": "a"}] x', "Extra data"),
        ('[{"title": "a"} {"title": "b"}]', "Expecting ',' delimiter"),
        ("[", "Expecting value"),
        ('[{"title": "a}]', "Unterminated string"),
    ],
)
def test_bad_json_is_one_line(tmp_path: Path, text: str, why: str) -> None:
    (tmp_path / "2024-01-01.json").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        list(read_archive(tmp_path, "justjavac", "weibo"))
    assert e.value.one_line().startswith(f"{tmp_path / '2024-01-01.json'} is not valid JSON ({why}")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_bad_byte_far_in_is_named_by_its_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_import, "_CHUNK", 16)
    good = json.dumps([{"title": "热搜"}] * 40, ensure_ascii=False).encode()[:-1]
    data = good + b', {"title": "' + "热".encode("gb18030") + b'"}]'
    (tmp_path / "2024-01-01.json").write_bytes(data)
    with pytest.raises(UserError) as e:
        list(read_archive(tmp_path, "justjavac", "weibo"))
    at = len(good) + len(b', {"title": "')
    assert e.value.one_line() == (
        f"{tmp_path / '2024-01-01.json'}: not UTF-8 (invalid byte at {at}) — save the file as UTF-8"
    )


def test_not_an_array_and_other_encodings(tmp_path: Path) -> None:
    f = tmp_path / "2024-01-01.json"
    f.write_text('{"title": "a"}', encoding="utf-8")
    with pytest.raises(UserError, match="expected a JSON list of items"):
        list(read_archive(tmp_path, "justjavac", "weibo"))
    f.write_bytes(json.dumps([{"title": "热"}], ensure_ascii=False).encode("utf-16"))
    (snap,) = read_archive(tmp_path, "justjavac", "weibo")
    assert [i.title for i in snap.items] == ["热"]
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"title": "热"}], ensure_ascii=False).encode())
    (snap,) = read_archive(tmp_path, "justjavac", "weibo")
    assert [i.title for i in snap.items] == ["热"]
