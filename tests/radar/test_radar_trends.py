"""Analysis: ranking, rising reasons, new entries, bursts, cross-platform events, watch hits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from radar_helpers import T0, snap

from onelegion.skills.radar.analysis import analyse
from onelegion.skills.radar.burst import (
    BATCH_FROM,
    current_burst,
    current_bursts,
    kleinberg_states,
)
from onelegion.skills.radar.store import HistoryStore
from onelegion.skills.radar.watchlist import parse_watchlist

FILLER = [
    "春节档电影预售",
    "天气预报说下周降温",
    "考研成绩查询时间",
    "高铁票开售",
    "冬季养生指南",
    "地铁新线开通",
]


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    st = HistoryStore(tmp_path / "h.duckdb")
    snaps = []
    for h in range(10):
        titles = ["常驻热点榜首", *FILLER] + [f"占位条目{i}" for i in range(30)]
        if h >= 5:  # climbs from #30 to #3
            titles.insert({5: 30, 6: 20, 7: 12, 8: 6, 9: 3}[h] - 1, "男子勇救落水儿童")
        heats = [1000.0] + [10.0] * (len(titles) - 1)
        if h >= 7:
            titles += ["新冠疫苗已停产", "疫苗接种新规", "疫苗价格下调"]
            heats += [5.0, 5.0, 5.0]
        heats[0] = 5000.0 if h == 9 else 1000.0
        snaps.append(snap("weibo", h, titles, heats))
    snaps.append(
        snap(
            "zhihu",
            8,
            [
                "科兴新冠疫苗已停产，网传称已停发新冠项目绩效工资，哪些信息值得关注？",
                "如何评价冬季养生？",
            ],
        )
    )
    snaps.append(snap("zhihu", 1, ["如何评价冬季养生？"]))
    st.add(snaps)
    return st


def test_rising_new_bursts_and_events(store: HistoryStore) -> None:
    a = analyse(store, T0 + timedelta(hours=4), T0 + timedelta(hours=9))
    by_title = {it.title: it for it in a.top + a.rising + a.new}
    climber = next(it for it in a.rising if it.title == "男子勇救落水儿童")
    assert climber.reasons[0] == "climbed #30 → #3 (+27 places in 4.0h)"
    assert climber.velocity == 6.75
    top = next(it for it in a.rising if it.title == "常驻热点榜首")
    assert top.reasons == ["heat 5000, ×5.0 its earlier median"]
    new_titles = {it.title for it in a.new}
    assert {"新冠疫苗已停产", "疫苗接种新规", "疫苗价格下调", "男子勇救落水儿童"} <= new_titles
    assert "常驻热点榜首" not in new_titles and "如何评价冬季养生？" not in new_titles
    bursting = {k.keyword for k in a.keywords if k.bursting}
    assert "疫苗" in bursting
    burst = next(k for k in a.keywords if k.keyword == "疫苗")
    assert burst.burst_since == (T0 + timedelta(hours=7)).replace(tzinfo=None)
    assert sorted((e.platforms, sorted(i.title for i in e.items)) for e in a.events) == [
        (["weibo", "zhihu"], ["冬季养生指南", "如何评价冬季养生？"]),
        (
            ["weibo", "zhihu"],
            [
                "新冠疫苗已停产",
                "科兴新冠疫苗已停产，网传称已停发新冠项目绩效工资，哪些信息值得关注？",
            ],
        ),
    ]
    assert by_title["新冠疫苗已停产"].platforms == ["weibo", "zhihu"]
    assert [p.rank for p in climber.trajectory] == [30, 20, 12, 6, 3]
    # R=1, H=R, P=1 (1 of 1 zhihu snapshots), V=0, X=0.5 → 30 + 15 + 20 + 0 + 10
    assert (a.top[0].source, a.top[0].score) == ("zhihu", 75.0)
    # R=1, H=1 (highest heat), P=1, V=0, X=0 → 65
    assert by_title["常驻热点榜首"].score == 65.0


def test_platform_keyword_and_watch_filters(store: HistoryStore) -> None:
    a = analyse(store, T0 + timedelta(hours=4), T0 + timedelta(hours=9), sources=["zhihu"])
    assert a.sources == ["zhihu"] and {it.source for it in a.top} == {"zhihu"}
    k = analyse(store, T0 + timedelta(hours=4), T0 + timedelta(hours=9), keyword="疫苗")
    own = k.keywords[0]  # the person's keyword comes first, with its own baseline
    assert (own.keyword, own.count, own.baseline, own.bursting) == ("疫苗", 10, 0.0, True)
    assert sorted(it.title for it in k.top) == sorted(
        [
            "新冠疫苗已停产",
            "疫苗接种新规",
            "疫苗价格下调",
            "科兴新冠疫苗已停产，网传称已停发新冠项目绩效工资，哪些信息值得关注？",
        ]
    )
    wl = parse_watchlist("[疫苗]\n疫苗\n@2\n\n养生\n!评价")
    w = analyse(store, T0 + timedelta(hours=4), T0 + timedelta(hours=9), watchlist=wl)
    assert [(g.group, len(g.items)) for g in w.watch] == [("疫苗", 2), ("养生", 1)]
    assert w.watch[1].items[0].title == "冬季养生指南"


def test_empty_window(store: HistoryStore) -> None:
    a = analyse(store, T0 + timedelta(days=30), T0 + timedelta(days=31))
    assert (a.items_seen, a.top, a.events, a.keywords) == (0, [], [], [])


def test_kleinberg_marks_the_burst() -> None:
    states = kleinberg_states([1, 1, 0, 1, 1, 8, 9, 10], [100] * 8)
    assert states == [0, 0, 0, 0, 0, 1, 1, 1]
    assert current_burst(states, 4) == 5
    assert kleinberg_states([1] * 8, [100] * 8) == [0] * 8
    assert kleinberg_states([], []) == []


@st.composite
def _series(draw: st.DrawFn) -> tuple[list[list[int]], list[int], int]:
    n = draw(st.integers(0, 40))
    totals = draw(st.lists(st.sampled_from([0, 1, 3, 50, 400]), min_size=n, max_size=n))
    rows = draw(
        st.lists(
            st.lists(st.integers(0, 400), min_size=n, max_size=n).map(
                lambda row: [min(c, t) for c, t in zip(row, totals, strict=True)]
            ),
            min_size=1,
            max_size=6,
        )
    )
    return rows, totals, draw(st.integers(0, n + 1))


@settings(max_examples=50, deadline=None)
@given(_series())
def test_batched_bursts_answer_as_one_keyword_at_a_time(
    case: tuple[list[list[int]], list[int], int],
) -> None:
    rows, totals, window_start = case
    many = rows * (BATCH_FROM // max(1, len(rows) * len(totals)) + 1)  # enough for numpy
    assert len(many) * len(totals) > BATCH_FROM or not totals
    assert current_bursts(many, totals, window_start) == [
        current_burst(kleinberg_states(row, totals), window_start) for row in many
    ]
    assert current_bursts(rows, totals, window_start) == [
        current_burst(kleinberg_states(row, totals), window_start) for row in rows
    ]


def test_batched_bursts_find_the_burst() -> None:
    d = [[1, 1, 0, 1, 1, 8, 9, 10], [1] * 8, [0] * 8]
    assert current_bursts(d, [100] * 8, 4) == [5, None, None]
    many = d * (BATCH_FROM // 24 + 1)  # the numpy pass
    assert current_bursts(many, [100] * 8, 4) == [5, None, None] * (BATCH_FROM // 24 + 1)
