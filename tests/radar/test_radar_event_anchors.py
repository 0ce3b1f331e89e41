"""Event anchors, the alias table and the common-word guard (events.py) on real titles.

Fixture: tests/fixtures/radar/event_anchors.tsv (see tests/fixtures/radar/SOURCE.md): whole
titles of three days copied from the archives — every title of the day's story that the test
names, and twelve other titles of the same day drawn at random (seed 9).
"""

from __future__ import annotations

from pathlib import Path

from onelegion.skills.radar.cluster import Doc
from onelegion.skills.radar.common_words import is_common, word_freq
from onelegion.skills.radar.events import LINKS, EventClusterer, canonical_name
from onelegion.skills.radar.normalize import normalize_title

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "radar" / "event_anchors.tsv"


def _day(day: str) -> list[Doc]:
    rows = [line.split("\t") for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    return [Doc(p, normalize_title(t)) for d, p, t in rows if d == day]


def _multi(groups: list[list[int]]) -> list[list[int]]:
    return [g for g in groups if len(g) > 1]


def test_a_bare_keyword_anchor_gathers_the_event() -> None:
    # Weibo and Zhihu, 2024-03-29: 李铁's trial told in seven titles, "李铁" itself trending;
    # without anchors only the bare keyword finds one of them (one shared term is a topic)
    docs = _day("2024-03-29")
    assert _multi(EventClusterer().cluster(docs)) == [[0, 1, 2, 3, 4, 5, 6]]
    assert _multi(EventClusterer(anchors=False).cluster(docs)) == [[0, 1]]


def test_the_alias_table_links_a_founder_to_his_company() -> None:
    # Weibo and Zhihu, 2024-03-31: 小米汽车's launch and 雷军 talking about it
    docs = _day("2024-03-31")
    assert _multi(EventClusterer().cluster(docs)) == [[0, 1, 2, 3, 4, 5, 6]]
    assert _multi(EventClusterer(aliases=False).cluster(docs)) == [[0, 1, 2, 3]]
    assert LINKS[canonical_name("雷军")] == "小米" and LINKS[canonical_name("雷总")] == "小米"


def test_a_common_three_character_word_counts_once() -> None:
    # Toutiao and Weibo, 2024-01-20: a state award for engineers, and an engineer's killing in
    # the US; the two stories share only 工程 + 程师, which is one common word
    docs = _day("2024-01-20")
    assert _multi(EventClusterer().cluster(docs)) == [[0, 3], [1, 2]]
    assert _multi(EventClusterer(common_freq=0).cluster(docs)) == [[0, 1, 2, 3]]
    assert is_common("工程师") and not is_common("郑钦文") and word_freq("郑钦文") == 0


def test_the_shipped_common_words_are_jiebas(tmp_path: Path) -> None:
    from onelegion.skills.radar.common_words import WORDS, build

    out = tmp_path / "common_words.txt"
    assert build(out) == 31041
    assert out.read_text(encoding="utf-8") == WORDS.read_text(encoding="utf-8")
