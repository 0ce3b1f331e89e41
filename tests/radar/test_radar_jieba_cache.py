"""jieba_cache: the dictionary read per title from SQLite segments exactly as jieba's full load."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.skills.radar.importers import read_archive
from onelegion.skills.radar.jieba_cache import CachedJieba
from onelegion.skills.radar.normalize import normalize_title

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "radar" / "events"


@pytest.fixture(scope="module")
def titles() -> list[str]:
    out = [
        normalize_title(it.title)
        for s in read_archive(FIXTURE, "trending-in-one")
        for it in s.items
    ]
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jieba") / "dict.sqlite"
    CachedJieba(path).lcut("建一次")  # first use builds the SQLite copy from jieba's dictionary
    assert path.exists()
    return path


def test_segments_real_titles_exactly_as_jieba(titles: list[str], cache_file: Path) -> None:
    import jieba

    cached = CachedJieba(cache_file, switch_after=10**9)
    assert len(titles) > 500
    for t in titles:
        assert cached.lcut(t, HMM=False) == jieba.lcut(t, HMM=False), t
        assert cached.lcut(t) == jieba.lcut(t), t
        assert list(cached.cut_for_search(t)) == list(jieba.cut_for_search(t)), t
    assert cached._full is None  # never loaded the full dictionary


def test_switches_to_the_full_dictionary_for_large_batches(cache_file: Path) -> None:
    cached = CachedJieba(cache_file, switch_after=3)
    for _ in range(3):
        cached.lcut("李在明遇袭细节公布")
    assert cached._full is None
    assert cached.lcut("李在明遇袭细节公布", HMM=False) == [
        "李",
        "在",
        "明",
        "遇袭",
        "细节",
        "公布",
    ]
    assert cached._full is not None


def test_unreadable_or_unwritable_cache_falls_back_to_jieba(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database")
    assert CachedJieba(bad).lcut("日本羽田机场客机爆燃", HMM=False) == [
        "日本",
        "羽田机场",
        "客机",
        "爆燃",
    ]
    unwritable = tmp_path / "missing-dir" / "dict.sqlite"  # its folder does not exist
    cached = CachedJieba(unwritable)
    assert cached.lcut("日本羽田机场客机爆燃", HMM=False) == ["日本", "羽田机场", "客机", "爆燃"]
    assert not unwritable.exists() and cached._full is not None
